"""Matrix expressions for the matrix path, with nothing network-specific in them.

:class:`ElementwiseMap` is a scalar function applied entry by entry to one or
more same-shaped matrices (SymPy's ``ElementwiseApplyFunction`` takes one);
:func:`elementwise` builds it with the obvious simplifications; :func:`ones` is
the matrix of ones that broadcasts and sums; :func:`evaluate` turns an
expression into an explicit matrix for concrete sizes.

This module knows neither networks nor rule tables: the matrix engine
(:mod:`symbp.matrixcalc`) depends only on it, so the automatic side of the
matrix path cannot see the hand-derived rules.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .errors import ShapeError

__all__ = ["ElementwiseMap", "elementwise", "ones", "evaluate"]


def ones(rows, cols) -> sp.OneMatrix:
    """The matrix of ones (``ones(1, m)`` broadcasts a column over m columns).

    Multiplied on the right, ``ones(m, 1)`` sums the columns of a matrix.

    Examples
    --------
    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> b, Z = sp.MatrixSymbol("b", n, 1), sp.MatrixSymbol("Z", n, m)
    >>> (b * ones(1, m)).shape, (Z * ones(m, 1)).shape
    ((n, m), (n, 1))
    >>> (b * ones(1, m)).subs({n: 2, m: 3}).as_explicit()
    Matrix([
    [b[0, 0], b[0, 0], b[0, 0]],
    [b[1, 0], b[1, 0], b[1, 0]]])
    >>> (Z * ones(m, 1)).subs({n: 2, m: 3}).as_explicit()
    Matrix([
    [Z[0, 0] + Z[0, 1] + Z[0, 2]],
    [Z[1, 0] + Z[1, 1] + Z[1, 2]]])
    """
    return sp.OneMatrix(rows, cols)


class ElementwiseMap(MatrixExpr):
    """``f.(A1, ..., Ak)``: a scalar function applied entry by entry to same-shaped matrices.

    SymPy's ``ElementwiseApplyFunction`` takes one argument; a loss needs two
    (``l(a, y)``), and a softmax a quotient of two matrices. State lives in
    ``args`` only: ``(Lambda, A1, ..., Ak)``.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> A, Y = sp.MatrixSymbol("A", n, 1), sp.MatrixSymbol("Y", n, 1)
    >>> a, y = sp.symbols("a y", real=True)
    >>> e = ElementwiseMap(sp.Lambda((a, y), (a - y)**2), A, Y)
    >>> e.shape == (n, 1)
    True
    >>> e.subs(n, 2).as_explicit()[1, 0]
    (A[1, 0] - Y[1, 0])**2
    """

    def __new__(cls, function: sp.Lambda, *args):
        if not isinstance(function, sp.Lambda) or len(function.variables) != len(args) or not args:
            raise TypeError("ElementwiseMap(Lambda((v1, ..., vk), body), A1, ..., Ak) needs k >= 1 matrices")
        args = tuple(sp.sympify(a, strict=True) for a in args)  # safe: strict=True refuses text
        shape = args[0].shape
        for a in args[1:]:
            if a.shape != shape:
                raise ShapeError(f"elementwise map {function.expr}: argument shapes differ: {shape} and {a.shape}")
        return sp.Basic.__new__(cls, function, *args)

    @property
    def function(self) -> sp.Lambda:
        """The scalar function."""
        return self.args[0]

    @property
    def arguments(self) -> tuple:
        """The matrices it is applied to."""
        return self.args[1:]

    @property
    def shape(self):
        return self.args[1].shape

    def _entry(self, i, j, **kwargs):
        return self.function(*[a._entry(i, j, **kwargs) for a in self.arguments])

    def doit(self, **hints):
        if not hints.get("deep", True):
            return self
        return elementwise(self.function, *[a.doit(**hints) for a in self.arguments])

    def _eval_transpose(self):
        return ElementwiseMap(self.function, *[a.T for a in self.arguments])

    def _sympystr(self, printer) -> str:
        args = ", ".join(printer._print(a) for a in self.arguments)
        return f"{printer._print(self.function)}.({args})"

    def body_in(self, names) -> sp.Expr:
        """The scalar body with its variables replaced by ``names`` (symbols)."""
        return self.function.expr.xreplace(dict(zip(self.function.variables, names)))


def elementwise(function: sp.Lambda, *args) -> sp.MatrixExpr:
    """:class:`ElementwiseMap` with the obvious simplifications.

    Unused arguments are dropped, a constant body becomes a multiple of the ones
    matrix and the identity function returns its argument.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> Z = sp.MatrixSymbol("Z", n, n)
    >>> z, t = sp.symbols("z t", real=True)
    >>> elementwise(sp.Lambda((z, t), z), Z, Z.T)
    Z
    >>> elementwise(sp.Lambda(z, 3), Z)
    3*1
    """
    variables, body = function.variables, function.expr
    if len(variables) != len(args):
        raise TypeError(f"{len(variables)} variables but {len(args)} arguments")
    used = [k for k, v in enumerate(variables) if body.has(v)]
    if not used:
        return sp.MatMul(body, ones(*args[0].shape)) if body != 1 else ones(*args[0].shape)
    if len(used) == 1 and body == variables[used[0]]:
        return args[used[0]]
    if len(used) < len(variables):
        function = sp.Lambda(tuple(variables[k] for k in used), body)
        args = tuple(args[k] for k in used)
    return ElementwiseMap(function, *args)


def evaluate(expr, env: dict, sizes: dict) -> sp.ImmutableMatrix | sp.Expr:
    """``expr`` with explicit matrices for its symbols (``env``) and numbers for its sizes.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> A = sp.MatrixSymbol("A", n, 1)
    >>> evaluate(ones(1, n) * A, {A: sp.ImmutableMatrix([1, 2])}, {n: 2})
    Matrix([[3]])
    """
    if not isinstance(expr, MatrixExpr):
        return sp.sympify(expr, strict=True).xreplace(sizes)  # safe: strict=True refuses text
    if isinstance(expr, sp.MatrixSymbol):
        return env[expr]
    if isinstance(expr, sp.ImmutableMatrix):
        return expr
    if isinstance(expr, (sp.OneMatrix, sp.ZeroMatrix, sp.Identity)):
        return sp.ImmutableMatrix(expr.xreplace(sizes).as_explicit())
    args = [evaluate(a, env, sizes) for a in expr.args]
    if isinstance(expr, sp.MatMul):
        scalar = sp.Mul(*[a for a in args if not isinstance(a, sp.MatrixBase)])
        mats = [a for a in args if isinstance(a, sp.MatrixBase)]
        product = mats[0]
        for a in mats[1:]:
            product = product * a
        return sp.ImmutableMatrix(product * scalar)
    if isinstance(expr, sp.MatAdd):
        return sp.ImmutableMatrix(sum(args[1:], args[0]))
    if isinstance(expr, sp.Transpose):
        return args[0].T
    if isinstance(expr, sp.HadamardProduct):
        out = args[0]
        for a in args[1:]:
            out = out.multiply_elementwise(a)
        return sp.ImmutableMatrix(out)
    if isinstance(expr, sp.HadamardPower):
        return args[0].applyfunc(lambda x: x ** args[1])
    if isinstance(expr, ElementwiseMap):
        mats = args[1:]
        rows, cols = mats[0].shape
        return sp.ImmutableMatrix(rows, cols, lambda i, j: args[0](*[a[i, j] for a in mats]))
    raise NotImplementedError(f"cannot evaluate {type(expr).__name__}: {expr}")
