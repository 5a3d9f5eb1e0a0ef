r"""The world a document's claims are checked in: the network, its programs, its numbers.

:class:`Context` holds, for one ``[context]`` of a claims file, the network
(from its ``network.toml``), the forward program, symbp's reverse-mode
derivatives of the cost with respect to *every* program variable and input
(the adjoint of ``v`` is dC/dv with ``v`` held independent), the small program
of the claims file's own ``definitions``, and evaluation of any expression over
these symbols at the worked example's numbers or at seeded random points (40
significant digits (:mod:`.values`). :meth:`Context.derivative` gives d(u)/d(v)
for any expression u and symbol v, and the normal forms and adjoint expansions
the proofs of :mod:`.compare` work in. The quantities a claim names are
:mod:`.quantities`' (:meth:`Context.quantity`). Non-goals: parsing
(:mod:`.reader`), verdicts (:mod:`.verify`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

import sympy as sp

from ..autodiff import reverse_gradients
from ..build import build
from ..errors import SpecError
from ..program import Program
from ..spec import NetworkSpec, load_toml
from .claims import Context as ClaimsContext
from .quantities import Quantities
from .values import DIGITS, LR, QuantityError, Values
from .variants import Variants

__all__ = ["Context", "QuantityError", "LR", "DIGITS"]


class Context(Quantities, Values, Variants):
    """A claims file's context: network, programs, derivatives, quantities, values."""

    def __init__(self, ctx: ClaimsContext):
        self.claims_context = ctx
        self.spec: NetworkSpec | None = None
        if ctx.network is not None:
            spec = load_toml(ctx.network)
            if ctx.batch is not None and ctx.batch != spec.batch:
                example = spec.example
                if example is not None and example.X is not None and example.X.cols != ctx.batch:
                    raise SpecError(f"[context] batch = {ctx.batch}, but the example of {ctx.network} has "
                                    f"{example.X.cols} column(s)")
                spec = replace(spec, batch=ctx.batch)
            self.spec = spec
        self.definitions: list[tuple[sp.Symbol, sp.Expr]] = []
        self.free: dict[str, sp.Symbol] = {}
        self._derivatives: dict[tuple, sp.Expr] = {}
        self._values: dict[object, dict] = {}

    # ----- The network -----
    @property
    def depth(self) -> int:
        return self.spec.depth if self.spec else 0

    @cached_property
    def forward(self):
        if self.spec is None:
            raise QuantityError("no network: give [context] network = \"network.toml\" to use network quantities")
        return build(self.spec)

    @property
    def symbols(self):
        return self.forward.symbols

    @property
    def batch(self) -> int:
        return self.spec.batch if self.spec else 1

    @cached_property
    def zeros(self) -> dict[sp.Symbol, sp.Expr]:
        """Parameters the context holds at zero (``zero = ["b"]``): symbol -> 0.

        Raises
        ------
        SpecError
            When an entry names no parameter, or the network's ``[example]`` gives a parameter held at zero
            nonzero values.

        Examples
        --------
        The one-unit network's example has b = 0 and w = 0.5:

        >>> from dataclasses import replace
        >>> from symbp.documents.examples import one_unit
        >>> def held(*names):
        ...     ctx, _ = one_unit()
        ...     ctx.claims_context = replace(ctx.claims_context, zero=names)
        ...     return ctx.zeros
        >>> held("b")
        {b^{[1]}_{1}: 0}
        >>> held("W")
        Traceback (most recent call last):
        ...
        symbp.errors.SpecError: zero = ['W'] holds W1 at 0, but the network's [example] gives it nonzero values; remove one of the two
        """
        out: dict[sp.Symbol, sp.Expr] = {}
        if self.spec is None:
            return out
        parameters = self.symbols.parameters()
        for name in self.claims_context.zero:
            matches = [p for p in parameters if p == name or (name in ("W", "b") and p.rstrip("0123456789") == name)]
            if not matches:
                raise SpecError(f"[context] zero: no parameter {name!r}; valid: {', '.join(parameters)}, W, b")
            for match in matches:
                out.update({s: sp.S.Zero for s in parameters[match]})
        self._check_example_zeros(out)
        return out

    def _check_example_zeros(self, zeros: dict) -> None:
        """The worked example gives the parameters held at zero no other values."""
        example = self.spec.example
        if not zeros or example is None:
            return
        for name, matrix in self.symbols.parameters().items():
            given = example.params.get(name)
            if given is not None and any(p in zeros and v != 0 for p, v in zip(matrix, given)):
                raise SpecError(f"zero = {list(self.claims_context.zero)} holds {name} at 0, but the network's "
                                f"[example] gives it nonzero values; remove one of the two")

    @cached_property
    def target_sums(self) -> dict[sp.Symbol, sp.Expr]:
        """The last target of each example as 1 minus the others, when the targets are a distribution.

        A cost of probability targets over a softmax output (cross-entropy) compares two distributions over the
        output units: each example's targets sum to 1, and what tutorials write (dC/dz = a - y) holds only then.
        Empty for any other network.
        """
        if self.spec is None or not self.spec.targets_sum_to_one:
            return {}
        Y = self.symbols.Y
        return {Y[Y.rows - 1, c]: 1 - sp.Add(*Y[: Y.rows - 1, c]) for c in range(Y.cols)}

    @property
    def forward_program(self) -> Program:
        """The network's forward program."""
        return self.forward.program

    @cached_property
    def program(self) -> Program:
        """The forward program followed by the claims file's definitions."""
        base = self.forward_program if self.spec is not None else Program(())
        return base + Program(tuple(self.definitions))

    @cached_property
    def inputs(self) -> list[sp.Symbol]:
        if self.spec is None:
            return []
        s = self.symbols
        return [*s.parameter_symbols(), *s.X, *s.Y]

    @cached_property
    def gradient(self):
        """Reverse mode of the cost over the forward program, with respect to every input."""
        return reverse_gradients(self.forward_program, self.forward.cost_symbol, self.inputs)

    @cached_property
    def adjoint_order(self) -> dict[sp.Symbol, int]:
        return {target: k for k, (target, _) in enumerate(self.gradient.adjoint.assignments)}

    def define(self, symbol: sp.Symbol, expr: sp.Expr) -> None:
        """Add a definition ``symbol := expr`` (from ``definitions``) to the program."""
        self.definitions.append((symbol, expr))
        self.__dict__.pop("program", None)
        self._values.clear()

    def free_symbol(self, name: str) -> sp.Symbol:
        """The free real variable named ``name``."""
        if name not in self.free:
            self.free[name] = sp.Symbol(name, real=True)
            self._values.clear()  # the seeded random points were drawn without it
        return self.free[name]

    # ----- Derivatives -----
    def cost_derivative(self, v: sp.Symbol, variant: str | None = None) -> sp.Expr:
        """dC/dv, ``v`` a program variable or input, held independent; in adjoint and primal symbols.

        With ``variant`` (a path left out, :meth:`variants`), dC/dv in that network, in the usual symbols.

        Examples
        --------
        >>> from symbp.documents.examples import one_unit
        >>> ctx, _ = one_unit()
        >>> b = ctx.symbols.b[1][0]
        >>> ctx.cost_derivative(b), ctx.cost_derivative(b, "slip1.flat")  # the sigmoid's derivative left out
        (\\bar{z^{[1]}_{1}}, a^{[1]}_{1} - y_{1})
        """
        if variant:
            return self.variant_derivative(self.forward.cost_symbol, v, variant)
        g = self.gradient
        if v in g.adjoints:
            return g.adjoints[v]
        if v in g.gradients:
            return g.gradients[v]
        return sp.S.Zero

    def derivative(self, u: sp.Expr, v: sp.Symbol) -> sp.Expr:
        """d(u)/d(v) with ``v`` held independent and every program variable depending on it followed."""
        if self.spec is not None and u == self.forward.cost_symbol and v in set(self.inputs) | set(self.gradient.adjoints):
            return self.cost_derivative(v)
        key = (u, v)
        if key not in self._derivatives:
            self._derivatives[key] = self._derivative(u, v)
        return self._derivatives[key]

    def _derivative(self, u: sp.Expr, v: sp.Symbol) -> sp.Expr:
        if v not in self.program.definitions:  # an input: one sweep of u gives every input's derivative
            return self._input_gradients(sp.sympify(u, strict=True)).get(v, sp.S.Zero)  # safe: strict=True refuses text
        definitions = self.program.definitions
        needed: list[tuple[sp.Symbol, sp.Expr]] = []
        wanted = self._dependencies(u, definitions, stop=v)
        for target, expr in self.program.assignments:
            if target in wanted and target != v:
                needed.append((target, expr))
        out = sp.Symbol("@out", real=True)
        program = Program(tuple(needed) + ((out, sp.sympify(u, strict=True)),))  # safe: strict=True refuses text
        result = reverse_gradients(program, out, [v])
        return result.adjoint.expand(result.gradients[v])

    def _input_gradients(self, u: sp.Expr) -> dict:
        key = ("inputs", u)
        if key not in self._derivatives:
            definitions = self.program.definitions
            wanted = self._dependencies(u, definitions, stop=None)
            needed = tuple((t, e) for t, e in self.program.assignments if t in wanted)
            inputs = [s for s in self.inputs + sorted(self.free.values(), key=str)]
            free = sp.sympify(u, strict=True).free_symbols  # safe: strict=True refuses text
            inputs += sorted(free - set(definitions) - set(inputs), key=str)
            out = sp.Symbol("@out", real=True)
            result = reverse_gradients(Program(needed + ((out, u),)), out, inputs)
            self._derivatives[key] = {v: result.adjoint.expand(g) for v, g in result.gradients.items()}
        return self._derivatives[key]

    @staticmethod
    def _dependencies(u, definitions, stop) -> set:
        seen: set = set()
        stack = [s for s in sp.sympify(u, strict=True).free_symbols if s in definitions]  # safe: strict=True refuses text
        while stack:
            s = stack.pop()
            if s in seen or s == stop:
                continue
            seen.add(s)
            stack.extend(x for x in definitions[s].free_symbols if x in definitions and x not in seen)
        return seen

    # ----- Proof support -----
    @cached_property
    def substitutions(self) -> dict[sp.Symbol, sp.Expr]:
        """Each activation symbol as its formula in that layer's z, the cost as its definition, definitions."""
        subs: dict[sp.Symbol, sp.Expr] = {}
        if self.spec is not None:
            subs.update(self.forward.activation_definitions)
            cost = self.forward.cost_symbol
            subs[cost] = self.forward_program.definitions[cost].xreplace(subs)
        local = Program(tuple(self.definitions)).expansions if self.definitions else {}
        subs.update(local)
        return {k: v.xreplace(self.zeros) for k, v in subs.items()} | self.zeros

    @cached_property
    def affine_substitutions(self) -> dict[sp.Symbol, sp.Expr]:
        """Each pre-activation as its affine form of the layer below, the cost as its definition."""
        subs: dict[sp.Symbol, sp.Expr] = {}
        if self.spec is not None:
            definitions = self.forward_program.definitions
            for l in range(1, self.depth + 1):
                for z in self.symbols.Z[l]:
                    subs[z] = definitions[z]
            subs[self.forward.cost_symbol] = definitions[self.forward.cost_symbol]
        if self.definitions:
            subs.update(Program(tuple(self.definitions)).expansions)
        return {k: v.xreplace(self.zeros) for k, v in subs.items()} | self.zeros

    def expand_adjoints_once(self, expr: sp.Expr) -> sp.Expr | None:
        """Replace the adjoint symbols of ``expr`` defined last (nearest the inputs) by their definitions."""
        if self.spec is None:
            return None
        order = self.adjoint_order
        present = [s for s in expr.free_symbols if s in order]
        if not present:
            return None
        last = max(order[s] for s in present)
        definitions = self.gradient.adjoint.definitions
        targets = {s: definitions[s] for s in present if order[s] == last}
        return expr.xreplace(targets)

    def expand_adjoint_symbols(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every adjoint symbol written out in the network's primal symbols (z, a, w, ...)."""
        if self.spec is not None:
            return self.gradient.adjoint.expand(expr)
        return sp.sympify(expr, strict=True)  # safe: strict=True refuses text

    def expand_all(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with adjoint symbols expanded and then every program variable (in inputs only)."""
        if self.spec is not None:
            expr = self.gradient.adjoint.expand(expr)
        return self.program.expand(expr).xreplace(self.zeros)
