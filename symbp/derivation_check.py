"""Checking each step of a derivation before it is printed.

A derivation displays expressions that mix ordinary symbols (weights,
activations, targets) with *named* quantities: unevaluated derivatives
``Derivative(C, v)`` (dC/dv, through every path), local derivatives
``Derivative(u, v)`` (u's own formula differentiated by v) and error symbols
delta^{[l]}_j (dC/dz^{[l]}_j). :class:`StepChecker` gives each a meaning:

* dC/dv and delta come from the core's reverse-mode autodiff
  (:meth:`symbp.network.Network.gradient_program`), never from the hand rules;
* du/dv for a forward quantity u is :func:`sympy.diff` of u's definition, a point
  mass taken as 0 (:func:`symbp.functions.derivative`, as the autodiff takes it).

A step whose proof holds only wherever no step's argument is 0 (a network whose
activation or cost has a kink) is listed in :attr:`StepChecker.away_from_kinks`,
so the derivation can say so.

:meth:`StepChecker.prove` proves two displayed expressions equal by
:func:`symbp.proof.prove_zero` on the difference of their meanings, with every
activation replaced by its formula in the pre-activations. Later layers may be
kept *named*: with ``keep_from=l`` the errors of layers l, l+1, ... stay symbols
(each proved in an earlier step), so one step of the recursion is one small
identity; substituting equals for equals makes the chain a proof.

:meth:`StepChecker.value` evaluates a displayed expression exactly at the
numbers of a worked example.

A step may assume that the targets of an example sum to 1, as they do for a
cost over a distribution of targets (``distribution_targets`` in
:data:`symbp.rules.COSTS`, cross-entropy on a softmax output): one-hot labels or a
distribution. ``prove(..., targets_sum_to_one=True)`` then proves the identity
on that hyperplane exactly, by putting ``y_n = 1 - y_1 - ... - y_{n-1}``
(:attr:`StepChecker.target_sum`) into the difference before
:func:`~symbp.proof.prove_zero`; for any other network it refuses.
Non-goals: layout and printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import sympy as sp

from .backprop import delta_symbol
from .errors import SymbpError
from .functions import derivative
from .network import Network
from .printing import plain
from .proof import prove_zero
from .spec import NetworkSpec
from .symbols import COST

__all__ = ["DerivationError", "StepChecker"]


class DerivationError(SymbpError):
    """A step of a derivation could not be proved, so it was not printed."""


class StepChecker:
    """Meanings, proofs and values for the displayed steps of one example's derivation.

    ``spec`` is the network for one example (batch 1): C is that example's loss;
    ``cost`` is the symbol that stands for it in the displayed steps.

    Examples
    --------
    >>> import sympy as sp
    >>> from symbp.spec import NetworkSpec
    >>> ck = StepChecker(NetworkSpec((1, 1), ("sigmoid",), "half_sse"))
    >>> s = ck.symbols
    >>> w, z, a = s.W[1][0, 0], s.Z[1][0, 0], s.A[1][0, 0]
    >>> chain = sp.Derivative(COST, a) * sp.Derivative(a, z) * sp.Derivative(z, w)
    >>> ck.prove(sp.Derivative(COST, w), chain, step="chain rule")
    "identical after SymPy's automatic simplification"
    """

    def __init__(self, spec: NetworkSpec, cost: sp.Symbol = COST) -> None:
        if spec.batch != 1:
            raise ValueError("StepChecker works on one example: pass a spec with batch 1")
        net = Network.from_spec(spec)
        self.spec = spec
        self.cost = cost
        self.symbols = net.symbols
        self.forward = net.forward
        self.gradient = net.gradient_program()
        self.definitions = self.forward.program.definitions
        self._inlined: dict[int | None, tuple[dict, dict, set]] = {}
        #: The steps proved only wherever no step's argument is 0 (an activation or cost with a kink).
        self.away_from_kinks: list[str] = []

    @cached_property
    def deltas(self) -> dict[sp.Symbol, sp.Symbol]:
        """Each error symbol delta^{[l]}_j -> the pre-activation z^{[l]}_j it differentiates by."""
        s = self.symbols
        return {
            delta_symbol("per_example", l, j + 1, 1, 1): s.Z[l][j, 0]
            for l in range(1, self.spec.depth + 1)
            for j in range(self.spec.widths[l])
        }

    def delta(self, layer: int, unit: int) -> sp.Symbol:
        """The error symbol of ``unit`` (1-based) in ``layer``."""
        return delta_symbol("per_example", layer, unit, 1, 1)

    @cached_property
    def target_sum(self) -> dict[sp.Symbol, sp.Expr]:
        """``{y_n: 1 - y_1 - ... - y_{n-1}}`` when one example's targets are a distribution, else empty.

        They are when the cost's rule says so (``distribution_targets``: cross-entropy
        on a softmax output, whose activations are a distribution too).

        Examples
        --------
        >>> StepChecker(NetworkSpec((2, 3), ("softmax",), "cross_entropy")).target_sum
        {y_{3}: -y_{1} - y_{2} + 1}
        >>> StepChecker(NetworkSpec((2, 3), ("softmax",), "sse")).target_sum
        {}
        """
        spec, Y = self.spec, self.symbols.Y
        if not spec.targets_sum_to_one:
            return {}
        return {Y[-1, 0]: 1 - sp.Add(*Y[:-1, 0])}

    # ----- Meanings -----
    def _adjoints(self, keep_from: int | None):
        """Adjoints inlined down to the named errors of layers >= keep_from."""
        if keep_from not in self._inlined:
            adjoints = self.gradient.adjoints
            keep = set()
            if keep_from is not None:
                keep = {
                    adjoints[z]
                    for l in range(keep_from, self.spec.depth + 1)
                    for z in self.symbols.Z[l]
                    if z in adjoints
                }
            subs: dict[sp.Symbol, sp.Expr] = {}
            full: dict[sp.Symbol, sp.Expr] = {}
            for symbol, expr in self.gradient.adjoint.assignments:
                full[symbol] = value = expr.xreplace(subs)
                if symbol not in keep:
                    subs[symbol] = value
            self._inlined[keep_from] = (full, subs, keep)
        return self._inlined[keep_from]

    def total(self, v: sp.Symbol, keep_from: int | None = None) -> sp.Expr:
        """dC/dv through every path, from autodiff (named errors of layers >= keep_from kept)."""
        full, subs, keep = self._adjoints(keep_from)
        if v in self.gradient.gradients:
            return self.gradient.gradients[v].xreplace(subs)
        bar = self.gradient.adjoints.get(v)
        if bar is None:
            return sp.S.Zero
        return bar if bar in keep else full[bar]

    def meaning(self, expr: sp.Basic, keep_from: int | None = None) -> sp.Expr:
        """``expr`` with every derivative and error symbol replaced by what it stands for."""
        expr = plain(sp.sympify(expr, strict=True))  # safe: strict=True refuses text
        replace = {}
        for d in expr.atoms(sp.Derivative):
            f, v = d.expr, d.variables[0]
            if f in (COST, self.cost):
                replace[d] = self.total(v, keep_from)
            elif f in self.definitions:
                replace[d] = derivative(self.definitions[f], v)
            else:
                raise DerivationError(f"no meaning for the derivative of {f} (not a forward quantity)")
        expr = expr.xreplace(replace)
        errors = {d: self.total(z, keep_from) for d, z in self.deltas.items() if d in expr.free_symbols}
        return expr.xreplace(errors)

    def prove(self, left: sp.Basic, right: sp.Basic, *, keep_from: int | None = None, step: str = "",
              targets_sum_to_one: bool = False) -> str:
        """Prove ``left == right``; returns how, or raises :class:`DerivationError`.

        With ``targets_sum_to_one`` the identity is proved for targets that sum
        to 1 (see :attr:`target_sum`); the method returned says so.
        """
        difference = self.meaning(left, keep_from) - self.meaning(right, keep_from)
        difference = difference.xreplace(self.forward.activation_definitions)
        assumption = ""
        if targets_sum_to_one:
            if not self.target_sum:
                raise DerivationError(
                    f"step {step or sp.sstr(left)!s} assumes the targets of an example sum to 1, but the cost "
                    f"{self.spec.cost} on a {self.spec.activations[-1]} output does not make them a distribution; "
                    "nothing was written"
                )
            difference = difference.xreplace(self.target_sum)
            (last, rest), = self.target_sum.items()
            assumption = f"; assuming the targets of an example sum to 1 ({sp.sstr(last)} = {sp.sstr(rest)})"
        verdict = prove_zero(difference, positive=frozenset(self.symbols.Y))
        if not verdict.proved:
            detail = f"; it is {verdict.value} at {verdict.point}" if verdict.point else ""
            raise DerivationError(
                f"step {step or sp.sstr(left)!s} not proved{assumption} ({verdict.status}: {verdict.method})"
                f"{detail}; nothing was written"
            )
        if verdict.away_from_kinks:
            self.away_from_kinks.append(step or sp.sstr(left))
        return verdict.method + assumption

    # ----- Numbers -----
    def point(self, params: Mapping[str, sp.Matrix], x: sp.Matrix, y: sp.Matrix) -> dict[sp.Symbol, sp.Expr]:
        """Exact values of every forward quantity at the given numbers (one example).

        ``params`` maps ``"W1"``, ``"b1"``, ... to matrices; ``x`` and ``y`` are columns.
        """
        values: dict[sp.Symbol, sp.Expr] = {}
        for name, matrix in self.symbols.parameters().items():
            values.update(zip(matrix, params[name]))
        values.update(zip(self.symbols.X, x))
        values.update(zip(self.symbols.Y, y))
        for target, expr in self.forward.program.assignments:
            values[target] = expr.xreplace(values)
        return values

    def value(self, expr: sp.Basic, point: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
        """The exact value of a displayed expression at ``point`` (from :meth:`point`)."""
        return self.meaning(expr).xreplace(dict(point))
