"""Symbols of a network and their names (the symbol factory).

One real SymPy symbol per weight ``w^{[l]}_{jk}``, bias ``b^{[l]}_{j}``, input
``x^{(i)}_{k}`` and target ``y^{(i)}_{j}``, and per forward quantity
``z^{[l](i)}_{j}``, ``a^{[l](i)}_{j}``. Symbol names are LaTeX, so SymPy's
printers show them properly. Indices are 1-based in the names, as in the
documents (``w^{[2]}_{12}`` is ``W2[0][1]`` in code: row j-1, column k-1). The
example index ``(i)`` is left out when the batch has one example.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

__all__ = ["NetworkSymbols", "network_symbols", "index_text", "COST"]

COST = sp.Symbol("C", real=True)


def index_text(*indices: int) -> str:
    """``"12"`` for single digits, ``"1,12"`` once any index has two digits.

    Examples
    --------
    >>> index_text(1, 2), index_text(3, 12)
    ('12', '3,12')
    """
    parts = [str(i) for i in indices]
    return "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)


def _example(i: int, batch: int) -> str:
    return f"({i})" if batch > 1 else ""


@lru_cache(maxsize=None)
def _symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


@dataclass(frozen=True)
class NetworkSymbols:
    """All symbols of one network, as immutable matrices.

    ``W[l]`` is n_l x n_(l-1) and ``b[l]`` is n_l x 1 for l = 1..L (index 0 is
    unused, so layer numbers read as in the equations); ``X`` is n0 x m, ``Y`` is
    nL x m; ``Z[l]`` and ``A[l]`` are n_l x m, with ``A[0] = X``.

    Examples
    --------
    >>> s = network_symbols((2, 3, 1), 2)
    >>> s.W[2][0, 1], s.Z[1][2, 1], s.X[0, 0]
    (w^{[2]}_{12}, z^{[1](2)}_{3}, x^{(1)}_{1})
    """

    widths: tuple[int, ...]
    batch: int
    W: tuple[sp.ImmutableMatrix | None, ...]
    b: tuple[sp.ImmutableMatrix | None, ...]
    X: sp.ImmutableMatrix
    Y: sp.ImmutableMatrix
    Z: tuple[sp.ImmutableMatrix | None, ...]
    A: tuple[sp.ImmutableMatrix, ...]

    @property
    def depth(self) -> int:
        """Number of layers L."""
        return len(self.widths) - 1

    def parameters(self) -> dict[str, sp.ImmutableMatrix]:
        """``{"W1": W^[1], "b1": b^[1], ...}`` in layer order."""
        out = {}
        for l in range(1, self.depth + 1):
            out[f"W{l}"] = self.W[l]
            out[f"b{l}"] = self.b[l]
        return out

    def parameter_symbols(self) -> list[sp.Symbol]:
        """Every weight and bias symbol, layer by layer, row-major."""
        return [s for matrix in self.parameters().values() for s in matrix]

    def locate(self) -> dict[sp.Symbol, tuple[str, int, int]]:
        """Map each parameter symbol to its code name and 0-based position."""
        where = {}
        for name, matrix in self.parameters().items():
            for r in range(matrix.rows):
                for c in range(matrix.cols):
                    where[matrix[r, c]] = (name, r, c)
        return where


@lru_cache(maxsize=64)
def network_symbols(widths: tuple[int, ...], batch: int) -> NetworkSymbols:
    """Make the symbols of a network with ``widths`` and ``batch`` examples."""
    L = len(widths) - 1
    m = batch

    def mat(rows, cols, name):
        return sp.ImmutableMatrix(rows, cols, lambda r, c: _symbol(name(r + 1, c + 1)))

    W = [None] + [
        mat(widths[l], widths[l - 1], lambda j, k, l=l: f"w^{{[{l}]}}_{{{index_text(j, k)}}}") for l in range(1, L + 1)
    ]
    b = [None] + [mat(widths[l], 1, lambda j, _, l=l: f"b^{{[{l}]}}_{{{j}}}") for l in range(1, L + 1)]
    X = mat(widths[0], m, lambda k, i: f"x^{{{_example(i, m)}}}_{{{k}}}" if m > 1 else f"x_{{{k}}}")
    Y = mat(widths[L], m, lambda j, i: f"y^{{{_example(i, m)}}}_{{{j}}}" if m > 1 else f"y_{{{j}}}")
    Z = [None] + [mat(widths[l], m, lambda j, i, l=l: f"z^{{[{l}]{_example(i, m)}}}_{{{j}}}") for l in range(1, L + 1)]
    A = [X] + [mat(widths[l], m, lambda j, i, l=l: f"a^{{[{l}]{_example(i, m)}}}_{{{j}}}") for l in range(1, L + 1)]
    return NetworkSymbols(tuple(widths), m, tuple(W), tuple(b), X, Y, tuple(Z), tuple(A))
