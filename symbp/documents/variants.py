"""The network with a path left out: the variants the diagnosis commits mistakes in.

:class:`Variants` (mixed into :class:`~.context.Context`) builds, for each
softmax layer, the network in which each output keeps only its own
pre-activation (the softmax cross terms left out), and for each output unit the
network in which the cost sees that unit only; derivatives in a variant are
symbp's reverse mode on the changed program. Non-goals: choosing which variant
explains a claim (:mod:`.diagnose`).
"""

from __future__ import annotations

from functools import cached_property

import sympy as sp

from ..autodiff import reverse_gradients
from ..program import Program

__all__ = ["Variants"]


class Variants:
    """Derivatives with a path through the network left out (needs ``spec``, ``program``, ``symbols``...)."""

    def variants(self) -> dict[str, str]:
        """Variant name -> what it leaves out (a path through the network)."""
        out: dict[str, str] = {}
        if self.spec is None:
            return out
        for l in range(1, self.depth + 1):
            if self.spec.activation_rule(l).kind == "vector":
                out[f"diagonal{l}"] = f"the cross terms of the softmax of layer {l} (only da_j/dz_j kept)"
        n = self.spec.widths[-1]
        if n > 1:
            for j in range(n):
                out[f"only{j}"] = f"every path to the cost except the one through output unit {j + self.claims_context.index_base}"
        return out

    @cached_property
    def _variant_programs(self) -> dict[str, tuple[Program, dict]]:
        programs = {}
        s = self.symbols if self.spec is not None else None
        for name in self.variants():
            frozen: dict[sp.Symbol, sp.Symbol] = {}
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
            result = reverse_gradients(Program(needed + ((out, sp.sympify(u)),)), out, [v])
            self._derivatives[key] = result.adjoint.expand(result.gradients[v]).xreplace(back)
        return self._derivatives[key]

