r"""Arithmetic on a claim's values: products that check shapes, sums that broadcast, the chain rule's Jacobians.

The values of a claim's sides are explicit SymPy matrices (or scalars). A
product keeps its order and checks the inner sizes (:class:`ShapeMismatch`
names both shapes); ``\odot`` is the elementwise product; a sum broadcasts
like NumPy (a scalar, or a column added to every column); ``np.sum`` sums over
the axis written. A derivative of a matrix by a matrix written as a factor is a
:class:`Jacobian`, contracted with the factor beside it that has its
numerator's shape. A part left out (``g(\dots)``) is :class:`Elided`: only its
shape is known. :class:`Algebra` is the part of :class:`~.env.ClaimEnv` that
does this arithmetic (and applies the diagnosis's ``mutation``: a transpose
toggled, two factors swapped, the other sum axis).

Non-goals: what symbols mean (:mod:`.env`), verdicts (:mod:`.verify`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import reduce

import sympy as sp

from .latex import LatexParseError, NpSum, Transpose
from .notation import NotationError

__all__ = ["Algebra", "ShapeMismatch", "NotFinite", "Jacobian", "Elided", "shape", "scalar"]


class ShapeMismatch(LatexParseError):
    """A product, sum or elementwise product whose shapes do not fit."""


class NotFinite(ShapeMismatch):
    """A value that is not a finite number (a division by zero, a logarithm of 0): the side is not defined."""


@dataclass(frozen=True, eq=False)
class Jacobian:
    """d num / d den of two explicit matrices, as a factor of a product (entries d num_ij / d den_kl).

    ``diagonal`` holds the entrywise matrix when each entry of ``num`` depends on its own entry of ``den`` only.
    """

    num: sp.ImmutableMatrix
    den: sp.ImmutableMatrix
    entry: Callable[[sp.Expr, sp.Symbol], sp.Expr]
    diagonal: sp.ImmutableMatrix | None = None

    def tensor_error(self, what: str = "") -> NotationError:
        return NotationError(f"a derivative of a {self.num.rows} x {self.num.cols} matrix with respect to a "
                             f"{self.den.rows} x {self.den.cols} matrix (a 4-index tensor){what}: write it per entry "
                             f"or next to the gradient it is contracted with")

    def scaled(self, c) -> Jacobian:
        """``c`` times this Jacobian (a scalar factor of the product)."""
        entry = self.entry
        return Jacobian(self.num, self.den, lambda u, v: c * entry(u, v),
                        None if self.diagonal is None else self.diagonal * c)

    def contract(self, gradient: sp.ImmutableMatrix) -> sp.ImmutableMatrix:
        """sum_ij gradient_ij d num_ij / d den_kl, a matrix of ``den``'s shape (the chain rule)."""
        if self.diagonal is not None:
            return gradient.multiply_elementwise(self.diagonal)
        pairs = [(g, u) for g, u in zip(gradient, self.num) if g != 0]
        return sp.ImmutableMatrix(self.den.rows, self.den.cols,
                                  lambda k, l: sp.Add(*[g * self.entry(u, self.den[k, l]) for g, u in pairs]))


@dataclass(frozen=True)
class Elided:
    r"""A value the document left out (``g(\dots)``): of unknown entries; its rows and columns when forced."""

    rows: int | None = None
    cols: int | None = None

    def text(self) -> str:
        rows, cols = (str(n) if n is not None else "?" for n in (self.rows, self.cols))
        return f"a {rows} x {cols} matrix (whatever the part left out is)"

    def _refuse(self, *_):
        raise NotationError("an expression with a part left out ('...') cannot be computed with; only its shape "
                            "is known")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __pow__ = __rpow__ = __neg__ = __abs__ = _refuse




def shape(x) -> tuple[int, int] | None:
    """The shape of an explicit matrix (a 1 x 1 one included), None for a scalar.

    Parameters
    ----------
    x : sympy.MatrixBase or sympy.Expr
        A value of a claim.

    Returns
    -------
    tuple of (int, int) or None
        ``(rows, cols)`` of an explicit matrix, a 1 x 1 one included (callers treat it as a scalar where it
        acts as one); None for anything else.

    Examples
    --------
    >>> shape(sp.ones(2, 3)), shape(sp.Matrix([[5]])), shape(sp.Symbol("x"))
    ((2, 3), (1, 1), None)
    """
    return tuple(x.shape) if isinstance(x, sp.MatrixBase) else None


def scalar(x):
    """A 1 x 1 matrix as its entry; anything else unchanged.

    Parameters
    ----------
    x : sympy.MatrixBase or sympy.Expr
        A value of a claim.

    Returns
    -------
    sympy.Expr or sympy.MatrixBase
        The entry of a 1 x 1 matrix, else ``x``.

    Examples
    --------
    >>> scalar(sp.Matrix([[5]])), scalar(sp.Matrix([1, 2]))
    (5, Matrix([
    [1],
    [2]]))
    """
    if isinstance(x, sp.MatrixBase) and x.shape == (1, 1):
        return x[0, 0]
    return x


class Algebra:
    """Products, sums, powers and sums over an axis of a claim's values (a mixin of :class:`~.env.ClaimEnv`).

    Uses the environment's ``source`` (for error positions), ``fail``, ``mutation``
    and its counters ``products``, ``transposes`` and ``sums`` (which identify a
    product or a sum for a mutation).
    """

    def transpose(self, x, piece: Transpose):
        if isinstance(x, Elided):
            return Elided(x.cols, x.rows)
        self.transposes += 1
        if self.mutation == ("transpose", id(piece)):
            return x
        return x.T if isinstance(x, sp.MatrixBase) else x

    def hadamard(self, a, b):
        sa, sb = shape(scalar(a)), shape(scalar(b))
        a, b = scalar(a), scalar(b)
        if sa is None or sb is None:
            return a * b
        if sa != sb:
            raise ShapeMismatch(f"an elementwise product of a {sa[0]} x {sa[1]} and a {sb[0]} x {sb[1]} matrix",
                                self.source, None)
        return a.multiply_elementwise(b)

    def mul(self, args):
        self.products += 1
        product_id = self.products
        args = list(args)
        if self.mutation and self.mutation[0] == "swap" and self.mutation[1] == product_id:
            k = self.mutation[2]
            args[k], args[k + 1] = args[k + 1], args[k]
        if self.mutation and self.mutation[0] == "toggle" and self.mutation[1] == product_id:
            k = self.mutation[2]
            args[k] = args[k].T if isinstance(args[k], sp.MatrixBase) else args[k]
        product = reduce(self._times, args)
        if isinstance(product, Jacobian):
            if product.diagonal is None:
                raise self.fail(NotationError, str(product.tensor_error(", not next to a gradient of its numerator")))
            return product.diagonal
        return product

    def _times(self, a, b):
        if isinstance(a, Jacobian) or isinstance(b, Jacobian):
            return self._chain(a, b)
        if isinstance(a, Elided) or isinstance(b, Elided):
            return self._elided_product(a, b)
        if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase):
            if a.shape == (1, 1) or b.shape == (1, 1):
                if a.cols == b.rows:
                    return a * b
                return scalar(a) * b if a.shape == (1, 1) else a * scalar(b)
            if a.cols != b.rows:
                raise ShapeMismatch(f"a product of a {a.rows} x {a.cols} and a {b.rows} x {b.cols} matrix "
                                    f"(inner sizes {a.cols} and {b.rows} differ)", self.source, None)
            return a * b
        return a * b

    def _chain(self, a, b):
        """A Jacobian next to a factor: contracted with a gradient of its numerator's shape (the chain rule)."""
        jacobian, other = (a, b) if isinstance(a, Jacobian) else (b, a)
        if isinstance(other, Jacobian):
            raise self.fail(NotationError, "a product of two derivatives of matrices by matrices (6 indices): "
                                           "write the chain rule with the gradient between them")
        if isinstance(other, sp.MatrixBase) and other.shape == jacobian.num.shape and other.shape != (1, 1):
            return jacobian.contract(other)
        if not isinstance(scalar(other), sp.MatrixBase):
            return jacobian.scaled(scalar(other))
        if jacobian.diagonal is None:
            shape = f"a {other.rows} x {other.cols} matrix" if isinstance(other, sp.MatrixBase) else "a scalar"
            raise self.fail(NotationError, str(jacobian.tensor_error(f", multiplied by {shape}")))
        return self._times(jacobian.diagonal, b) if other is b else self._times(a, jacobian.diagonal)

    def _elided_product(self, a, b):
        """A product with a value left out: what the other factor's shape forces on the result."""
        if isinstance(a, Elided) and isinstance(b, Elided):
            return Elided()
        if not isinstance(scalar(a if isinstance(b, Elided) else b), sp.MatrixBase):
            return b if isinstance(b, Elided) else a  # a scalar factor
        if isinstance(b, Elided):
            if b.rows is not None and b.rows != a.cols:
                raise ShapeMismatch(f"a product of a {a.rows} x {a.cols} matrix and {b.text()}", self.source, None)
            return Elided(a.rows, b.cols)
        if a.cols is not None and a.cols != b.rows:
            raise ShapeMismatch(f"a product of {a.text()} and a {b.rows} x {b.cols} matrix", self.source, None)
        return Elided(a.rows, b.cols)

    def elision(self, piece):
        return Elided()

    def add(self, args):
        if any(isinstance(a, Elided) for a in args):
            raise NotationError("a sum with a part left out ('...') cannot be checked", self.source, None)
        return reduce(self._plus, args)

    def _plus(self, a, b):
        a, b = scalar(a), scalar(b)
        ma, mb = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
        if ma and mb and a.shape != b.shape:
            if a.cols == 1 and a.rows == b.rows:
                a = sp.ImmutableMatrix.hstack(*[a] * b.cols)
            elif b.cols == 1 and a.rows == b.rows:
                b = sp.ImmutableMatrix.hstack(*[b] * a.cols)
            else:
                raise ShapeMismatch(f"a sum of a {a.rows} x {a.cols} and a {b.rows} x {b.cols} matrix", self.source,
                                    None)
            return a + b
        if ma and not mb:
            return a.applyfunc(lambda x: x + b)
        if mb and not ma:
            return b.applyfunc(lambda x: a + x)
        return a + b

    def pow(self, base, exponent):
        base = scalar(base)
        if isinstance(exponent, sp.MatrixBase):
            raise ShapeMismatch("a matrix exponent", self.source, None)
        if isinstance(base, sp.MatrixBase):
            raise ShapeMismatch(f"a power of a {base.rows} x {base.cols} matrix (undefined; an elementwise square "
                                f"or a squared norm is meant?)", self.source, None)
        return base**exponent

    def abs(self, x):
        if isinstance(x, sp.MatrixBase):
            return x.applyfunc(sp.Abs)
        return sp.Abs(x)

    def npsum(self, x, piece: NpSum):
        if isinstance(x, Elided):
            x._refuse()
        self.sums += 1
        if self.mutation == ("axis", id(piece)) and piece.axis in (0, 1):
            piece = replace(piece, axis=1 - piece.axis)
        elif self.mutation == ("keepdims", id(piece)):
            piece = replace(piece, keepdims=True)
        if not isinstance(x, sp.MatrixBase):
            return x
        summed = piece.along_axis(x, sp.ones)
        return sp.ImmutableMatrix([[sum(x)]]) if summed is None else summed

    def np_power(self, x, exponent):
        """``np.power(x, k)``: each entry to the power k."""
        exponent = scalar(exponent)
        if isinstance(exponent, sp.MatrixBase):
            raise ShapeMismatch("np.power with a matrix exponent", self.source, None)
        return x.applyfunc(lambda e: e**exponent) if isinstance(scalar(x), sp.MatrixBase) else scalar(x)**exponent

    def norm(self, x):
        if isinstance(x, sp.MatrixBase):
            return sp.sqrt(sp.Add(*[e**2 for e in x]))
        return sp.Abs(x)

    def matrix(self, rows):
        if any(isinstance(e, Elided) for row in rows for e in row):
            Elided()._refuse()
        if any(isinstance(e, sp.MatrixBase) and e.shape != (1, 1) for row in rows for e in row):
            return self._blocks(rows)
        return sp.ImmutableMatrix([[scalar(e) for e in row] for row in rows])

    def _blocks(self, rows):
        """A block matrix: each row of blocks side by side, the rows stacked."""
        try:
            stacked = [sp.ImmutableMatrix.hstack(*[e if isinstance(e, sp.MatrixBase) else sp.ImmutableMatrix([[e]])
                                                   for e in row]) for row in rows]
            return sp.ImmutableMatrix.vstack(*stacked)
        except (sp.ShapeError, ValueError) as exc:
            raise ShapeMismatch(f"blocks of a matrix do not fit together: {exc}", self.source, None) from None
