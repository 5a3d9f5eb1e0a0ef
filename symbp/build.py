"""From a specification to the forward expressions and the cost.

:func:`build` turns a :class:`~symbp.spec.NetworkSpec` into a straight-line
program over the network's symbols::

    z^{[l](i)}_j := sum_k w^{[l]}_{jk} a^{[l-1](i)}_k + b^{[l]}_j
    a^{[l](i)}   := g^{[l]}(z^{[l](i)})              (column by column)
    C            := 1/m sum_i sum_j loss(a^{[L](i)}_j, y^{(i)}_j)

with examples as columns and the bias broadcast over them. Both the automatic
side (:mod:`symbp.autodiff`) and the hand side (:mod:`symbp.backprop`) start
from it; it contains no derivatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import sympy as sp

from .symbols import COST, NetworkSymbols, network_symbols
from .program import Program
from .spec import NetworkSpec

__all__ = ["Forward", "build"]


@dataclass(frozen=True, eq=False)
class Forward:
    """The forward pass of a network as a straight-line program.

    Attributes
    ----------
    spec, symbols
        The specification and its symbols.
    program
        Assignments for every ``z``, every ``a`` and finally ``C``.
    cost_symbol
        The symbol ``C`` the last assignment defines.
    """

    spec: NetworkSpec
    symbols: NetworkSymbols
    program: Program
    cost_symbol: sp.Symbol

    @cached_property
    def cost(self) -> sp.Expr:
        """C as one expression in weights, biases, inputs and targets."""
        return self.program.expand(self.cost_symbol)

    def z(self, layer: int) -> sp.Matrix:
        """z^{[layer]} (n_l x m) as expressions in the parameters and inputs."""
        return self.symbols.Z[layer].applyfunc(self.program.expand)

    def a(self, layer: int) -> sp.Matrix:
        """a^{[layer]} (n_l x m) as expressions in the parameters and inputs."""
        return self.symbols.A[layer].applyfunc(self.program.expand)

    @cached_property
    def activation_definitions(self) -> dict[sp.Symbol, sp.Expr]:
        """Each ``a`` symbol of layers 1..L mapped to its expression in that layer's ``z`` symbols."""
        defs = self.program.definitions
        return {a: defs[a] for l in range(1, self.spec.depth + 1) for a in self.symbols.A[l]}


@lru_cache(maxsize=32)
def build(spec: NetworkSpec) -> Forward:
    """Build the forward program of ``spec``.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> fwd = build(NetworkSpec((1, 1), ("sigmoid",), "half_sse"))
    >>> fwd.cost
    (-y_{1} + sigmoid(b^{[1]}_{1} + w^{[1]}_{11}*x_{1}))**2/2
    """
    s = network_symbols(spec.widths, spec.batch)
    m = spec.batch
    assignments: list[tuple[sp.Symbol, sp.Expr]] = []
    for l in range(1, spec.depth + 1):
        rule = spec.activation_rule(l)
        W, b, A_prev = s.W[l], s.b[l], s.A[l - 1]
        for i in range(m):
            z_column = []
            for j in range(spec.widths[l]):
                z = sp.Add(*[W[j, k] * A_prev[k, i] for k in range(spec.widths[l - 1])], b[j, 0])
                assignments.append((s.Z[l][j, i], z))
                z_column.append(s.Z[l][j, i])
            for j, a in enumerate(rule.apply(z_column, spec.options)):
                assignments.append((s.A[l][j, i], a))
    cost_rule = spec.cost_rule()
    L, n = spec.depth, spec.widths[-1]
    loss = sp.Add(*[cost_rule.per_unit(s.A[L][j, i], s.Y[j, i], n) for i in range(m) for j in range(n)])
    assignments.append((COST, loss / m))
    return Forward(spec, s, Program(tuple(assignments)), COST)
