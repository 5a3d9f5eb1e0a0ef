"""The network with a path left out: the variants the diagnosis commits mistakes in.

:class:`Variants` (mixed into :class:`~.context.Context`) builds, for each
softmax layer, the network in which each output keeps only its own
pre-activation (the softmax cross terms left out); for each elementwise
activation that is not linear, the network in which its derivative is written
with a common slip (:data:`SLIPS`: left out, as if da/dz were 1 (the chain rule
without sigma'(z)); a for a (1 - a), a (1 + a), 1 - a for 1 - a^2); for each
output unit the network in which the cost sees that unit only; and, for a
quadratic cost, the network whose cost has its residual not squared
(:data:`COST_SLIPS`: a - y or |a - y| for (a - y)^2), which changes the cost's
value too (:meth:`Variants.in_variant`).
Derivatives in a variant are symbp's reverse mode on the changed program.
Non-goals: choosing which variant explains a claim (:mod:`.diagnose`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

import sympy as sp

from ..autodiff import reverse_gradients
from ..matrixprint import text as plain_text
from ..program import Program
from ..rules import A as RULE_A
from ..rules import Y as RULE_Y
from ..rules import Z as RULE_Z

__all__ = ["Variants", "SLIPS", "COST_SLIPS"]


def _wrong(what: str) -> str:
    """The diagnosis of a slip that writes the derivative wrong (a template for :data:`SLIPS`)."""
    return "a wrong derivative of the {name} of layer {layer}: " + what + " ({wrong} instead of {right})"


#: Slips in writing an activation's derivative g'(z) (a = g(z)): each rewrites the rule's derivative, in a and z;
#: tried on every activation that is not linear, where it changes the derivative. name | rewrite | what the
#: diagnosis says ({name} and {layer}: the activation and its layer; {wrong} and {right}: the two derivatives)
SLIPS = (
    ("flat", lambda d: sp.S.One, "the derivative of the {name} of layer {layer} is left out (the chain rule without "
                                 "g'(z), as if da/dz were 1)"),
    ("itself", lambda d: RULE_A, _wrong("the activation a = g(z) itself is used for its derivative g'(z)")),
    ("plus", lambda d: d.subs(1 - RULE_A, 1 + RULE_A), _wrong("1 + a is written for 1 - a in its derivative")),
    ("square", lambda d: d.subs(RULE_A ** 2, RULE_A), _wrong("the square is left out of its derivative (a for a^2)")),
    ("cube", lambda d: d.subs(RULE_A ** 2, RULE_A ** 3),
     _wrong("a cube is written for the square in its derivative (a^3 for a^2)")),
)

_UNSQUARED = "the residual of the quadratic cost is not squared: its loss is written {wrong} instead of {right}"

#: Slips in writing a quadratic cost: each rewrites the square r^2 of its residual r (a - y or y - a), in the rule's
#: loss; tried where the loss has one. name | rewrite of r | what the diagnosis says ({wrong} and {right}: the losses)
COST_SLIPS = (
    ("unsquared", lambda r: r, _UNSQUARED),
    ("unsquared-other-way", lambda r: -r, _UNSQUARED),
    ("absolute", sp.Abs, "the absolute value of the residual is used for its square in the quadratic cost: its loss "
                         "is written {wrong} instead of {right}"),
)


def slipped_loss(loss: sp.Expr, rewrite) -> sp.Expr:
    """``loss`` with the square of its residual rewritten (one slip of :data:`COST_SLIPS`).

    Examples
    --------
    >>> slipped_loss((RULE_A - RULE_Y) ** 2 / 2, sp.Abs)
    Abs(a - y)/2
    >>> slipped_loss(-RULE_Y * sp.log(RULE_A), sp.Abs)  # no square: no slip
    -y*log(a)
    """
    return loss.replace(lambda e: e.is_Pow and e.exp == 2 and e.base.has(RULE_A) and e.base.has(RULE_Y),
                        lambda e: rewrite(e.base))


class Variants:
    """Derivatives (and the cost) with a common mistake built into the network (needs ``spec``, ``program``...)."""

    def variants(self) -> dict[str, str]:
        """Variant name -> the mistake it commits, as the diagnosis says it."""
        out: dict[str, str] = {}
        if self.spec is None:
            return out
        path = "a path through the network is left out: "
        for l in range(1, self.depth + 1):
            rule = self.spec.activation_rule(l)
            if rule.kind == "vector":
                out[f"diagonal{l}"] = f"{path}the cross terms of the softmax of layer {l} (only da_j/dz_j kept)"
            elif rule.derivative != 1:  # a linear layer has no derivative to get wrong
                for name, slip, what in SLIPS:
                    wrong = slip(rule.derivative)
                    if sp.expand(wrong) != sp.expand(rule.derivative):
                        out[f"slip{l}.{name}"] = what.format(name=rule.name, layer=l, wrong=plain_text(wrong),
                                                             right=plain_text(rule.derivative))
        n = self.spec.widths[-1]
        if n > 1:
            for j in range(n):
                out[f"only{j}"] = (f"{path}every path to the cost except the one through output unit "
                                   f"{j + self.claims_context.index_base}")
        return out

    def cost_variants(self) -> dict[str, str]:
        """Variant name -> the slip in the cost it commits (:data:`COST_SLIPS`), as the diagnosis says it."""
        out: dict[str, str] = {}
        if self.spec is None:
            return out
        loss = self.spec.cost_rule().loss
        for name, rewrite, what in COST_SLIPS:
            if slipped_loss(loss, rewrite) != loss:
                shown = slipped_loss(loss, lambda r: sp.UnevaluatedExpr(rewrite(r)))  # (a - y)/2, not a/2 - y/2
                out[f"cost.{name}"] = what.format(wrong=plain_text(shown), right=plain_text(loss))
        return out

    def in_variant(self, value, variant: str):
        """``value`` with the cost as the network of ``variant`` computes it (only a slip in the cost changes it)."""
        if variant not in self.cost_variants():
            return value
        program, back = self._variant_programs[variant]
        cost = self.forward.cost_symbol
        return value.xreplace({cost: program.definitions[cost].xreplace(back)})

    def _slipped_cost(self, variant: str) -> sp.Expr:
        """The cost, as :func:`symbp.build.build` writes it, with the loss of the cost slip ``variant``."""
        rule = self.spec.cost_rule()
        rewrite = next(r for n, r, _ in COST_SLIPS if f"cost.{n}" == variant)
        slipped = replace(rule, loss=slipped_loss(rule.loss, rewrite))
        s, L, n = self.symbols, self.depth, self.spec.widths[-1]
        loss = sp.Add(*[slipped.per_unit(s.A[L][j, i], s.Y[j, i], n) for i in range(self.batch) for j in range(n)])
        return loss / self.batch

    @cached_property
    def _variant_programs(self) -> dict[str, tuple[Program, dict]]:
        programs = {}
        s = self.symbols if self.spec is not None else None
        for name in {**self.variants(), **self.cost_variants()}:
            frozen: dict[sp.Expr, sp.Symbol] = {}  # what is held constant -> its symbol
            assignments = []
            for target, expr in self.program.assignments:
                if name.startswith("diagonal"):
                    layer = int(name[len("diagonal"):])
                    for i in range(self.batch):
                        column = list(s.Z[layer][:, i])
                        if target in set(s.A[layer][:, i]):
                            j = list(s.A[layer][:, i]).index(target)
                            subs = {z: frozen.setdefault(z, sp.Symbol(f"@frozen({z.name})", real=True))
                                    for k, z in enumerate(column) if k != j}
                            expr = expr.xreplace(subs)
                elif name.startswith("slip"):
                    layer, slip = name[len("slip"):].split(".")
                    if target in set(s.A[int(layer)]):
                        z = s.Z[int(layer)][list(s.A[int(layer)]).index(target)]
                        rule = self.spec.activation_rule(int(layer))
                        rewrite = next(r for n, r, _ in SLIPS if n == slip)
                        slope = rewrite(rule.derivative).xreplace({RULE_A: expr, RULE_Z: z})
                        # the same value, s z + (a - s z), with s and (a - s z) held constant: da/dz = s
                        held = slope if slope.is_number else \
                            frozen.setdefault(slope, sp.Symbol(f"@frozen(slope {target.name})", real=True))
                        rest = sp.Symbol(f"@frozen({target.name} - slope z)", real=True)
                        frozen[expr - slope * z] = rest
                        expr = held * z + rest
                elif name.startswith("cost."):
                    if target == self.forward.cost_symbol:
                        expr = self._slipped_cost(name)
                elif target == self.forward.cost_symbol:
                    j = int(name[len("only"):])
                    L = self.depth
                    subs = {a: frozen.setdefault(a, sp.Symbol(f"@frozen({a.name})", real=True))
                            for r in range(s.A[L].rows) for a in s.A[L][r, :] if r != j}
                    expr = expr.xreplace(subs)
                assignments.append((target, expr))
            programs[name] = (Program(tuple(assignments)), {f: orig for orig, f in frozen.items()})
        return programs

    def variant_derivative(self, u: sp.Expr, v: sp.Symbol, variant: str) -> sp.Expr:
        """d(u)/d(v) in the network with ``variant``'s path left out, in the usual symbols."""
        key = (u, v, variant)
        if key not in self._derivatives:
            program, back = self._variant_programs[variant]
            definitions = program.definitions
            wanted = self._dependencies(u, definitions, stop=v)
            needed = tuple((t, e) for t, e in program.assignments if t in wanted and t != v)
            out = sp.Symbol("@out", real=True)
            expr = sp.sympify(u, strict=True)  # safe: strict=True refuses text
            result = reverse_gradients(Program(needed + ((out, expr),)), out, [v])
            self._derivatives[key] = result.adjoint.expand(result.gradients[v]).xreplace(back)
        return self._derivatives[key]

