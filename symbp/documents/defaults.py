r"""The meanings :func:`~.reader.parse_latex` gives when no document context is known.

:class:`DefaultEnv` names symbols by their canonical LaTeX (or takes them
from a ``symbols`` mapping: ``MatrixSymbol``\ s make products keep their
order and ``^T`` a ``Transpose``), reads ``\sigma`` as symbp's sigmoid and
``\log`` as the natural logarithm, and leaves derivatives unevaluated. A
function of a matrix symbol is applied entry by entry
(:func:`symbp.printing.elementwise`), except softmax, which acts on columns and
stays an unevaluated ``softmax(Z)``. A ``symbols`` key that is not one symbol
(``\nabla_{a} C``, ``g'(z^{[l]})``) names the derivative or call it reads as.
Non-goals: networks and numbers (:mod:`.env` is the environment of claims).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import reduce

import sympy as sp

from ..printing import elementwise
from .functions import COLUMN, DEFAULT_SYMBOLS, SYMPY
from .pieces import Atom, Call, Deriv, Literal, NpSum, Transpose
from .tokens import LatexParseError

__all__ = ["DefaultEnv", "COLUMN_FUNCTIONS", "iverson", "cases"]

#: Functions that act on a column of values at once: applied to a matrix they stay unevaluated.
COLUMN_FUNCTIONS = COLUMN


def _is_matrix(x) -> bool:
    return isinstance(x, (sp.MatrixBase, sp.MatrixExpr))


class DefaultEnv:
    """Meanings for :func:`parse_latex`: symbols by canonical name, SymPy's own functions.

    ``symbols`` maps canonical names to SymPy objects (``Symbol``,
    ``MatrixSymbol``, a ``Function`` class for ``g`` and the like); a key
    that is an expression (a derivative, a function call) names what it
    reads as. ``names`` are the keys that are single symbols (for the
    normaliser, see :func:`~.reader.read`).
    """

    FUNCTIONS: dict[str, Callable] = {**SYMPY, **{k: SYMPY[v] for k, v in DEFAULT_SYMBOLS.items() if v in SYMPY}}

    def __init__(self, symbols: Mapping[str, sp.Basic] | None = None, source: str = "", functions=()):
        self.symbols: dict[str, sp.Basic] = {}
        compound = {}
        for key, value in (symbols or {}).items():
            name = key if key.startswith("@") else _canonical(key)
            if name is None:
                compound[key] = value
            else:
                self.symbols[name] = value
        self.source = source
        self.bound: dict[str, sp.Basic] = {}
        self.named = {_read_key(key, self.symbols, tuple(functions)): value for key, value in compound.items()}

    @property
    def names(self) -> frozenset[str]:
        """The canonical names of the single symbols this environment knows."""
        return frozenset(self.symbols)

    def fail(self, message: str, span=None) -> LatexParseError:
        return LatexParseError(message, self.source, span[0] if span else None)

    def atom(self, atom: Atom):
        if atom.name in self.bound:
            return self.bound[atom.name]
        if atom.name in self.symbols:
            return self.symbols[atom.name]
        return sp.Symbol(atom.name, real=True)

    def literal(self, literal: Literal):
        return sp.Rational(literal.value.numerator, literal.value.denominator)

    def number(self, n):
        return n

    def call(self, call: Call, args: Callable):
        args = args()
        name = call.function.name
        primes = call.function.primes + call.primes
        value = self.function(call.function.base if name not in self.symbols else name, args, primes, call)
        return self.named.get(value, value)

    def function(self, name: str, args: list, primes: int, call: Call | None = None):
        target = self.symbols.get(name) or self.FUNCTIONS.get(name)
        if target is None:
            target = sp.Function(name, real=True)
        if any(_is_matrix(a) for a in args):
            if len(args) != 1:
                raise self.fail(f"{name} of several matrices")
            if isinstance(args[0], sp.MatrixBase):
                return args[0].applyfunc(lambda x: self.function(name, [x], primes, call))
            if name in COLUMN_FUNCTIONS:
                if primes:
                    raise self.fail(f"a prime on {name}, which acts on columns (its derivative is a Jacobian)")
                return sp.Function(name)(args[0])
            return elementwise(lambda u: self.function(name, [u], primes, call), args[0])
        if not primes:
            return target(*args)
        if len(args) != 1:
            raise self.fail(f"a prime on {name} of {len(args)} arguments")
        u = sp.Dummy("u", real=True)
        return sp.diff(target(u), u, primes).xreplace({u: args[0]})

    def derivative(self, deriv: Deriv, builder):
        num, den = builder.node(deriv.num), builder.node(deriv.den)
        if not isinstance(den, (sp.Symbol, sp.MatrixSymbol)):
            raise self.fail("a derivative with respect to an expression (give a symbol after the d)", deriv.span)
        value = sp.Derivative(num, den)
        return self.named.get(value, value)

    def transpose(self, x, piece: Transpose):
        if not _is_matrix(x):
            raise self.fail(f"a transpose of {x}, which is not a matrix: pass symbols={{name: MatrixSymbol(...)}}",
                            piece.span)
        return x.T

    def hadamard(self, a, b):
        if _is_matrix(a) and _is_matrix(b):
            if a.shape != b.shape:
                raise self.fail(f"a Hadamard product of shapes {a.shape} and {b.shape}")
            return sp.hadamard_product(a, b) if isinstance(a, sp.MatrixExpr) or isinstance(b, sp.MatrixExpr) else \
                a.multiply_elementwise(b)
        return a * b

    def mul(self, args):
        return self._arithmetic(operator.mul, args, "product")

    def add(self, args):
        return self._arithmetic(operator.add, args, "sum")

    def _arithmetic(self, op, args, what: str):
        try:
            return reduce(op, args)
        except (TypeError, sp.ShapeError) as exc:  # SymPy refuses a matrix plus a scalar, or shapes that differ
            shapes = " and ".join(f"{a.shape[0]} x {a.shape[1]}" if _is_matrix(a) else "a scalar" for a in args)
            raise self.fail(f"a {what} of {shapes} ({exc})") from None

    def pow(self, base, exponent):
        return base**exponent

    def abs(self, x):
        return sp.Abs(x)

    def np_power(self, x, exponent):
        """``np.power(x, k)``: each entry to the power k."""
        if not _is_matrix(x):
            return x**exponent
        if not isinstance(x, sp.MatrixBase):
            raise self.fail("np.power of a symbolic matrix (give its entries)")
        return x.applyfunc(lambda e: e**exponent)

    def npsum(self, x, piece: NpSum):
        if not _is_matrix(x):
            raise self.fail("np.sum of a scalar", piece.span)
        summed = piece.along_axis(x, sp.ones if isinstance(x, sp.MatrixBase) else sp.OneMatrix)
        return sp.ones(1, x.shape[0]) * x * sp.ones(x.shape[1], 1) if summed is None else summed

    def norm(self, x):
        if isinstance(x, sp.MatrixBase):
            return sp.sqrt(sum(e**2 for e in x))
        return sp.Abs(x)

    def matrix(self, rows):
        return sp.ImmutableMatrix(rows)

    def elision(self, piece):
        raise self.fail("elided terms ('...'): an argument left out cannot be read", piece.span)

    def iverson(self, lhs, op: str, rhs, piece):
        """``[lhs op rhs]``: 1 where it holds, else 0, as a step function (``[z > 0]`` is ``Heaviside(z, 0)``)."""
        return iverson(lhs, op, rhs, lambda message: self.fail(message, piece.span))

    def cases(self, rows, piece):
        r"""``\begin{cases}`` as a ``Piecewise``; a last row without a condition holds otherwise."""
        return cases(rows, lambda message: self.fail(message, piece.span))

    def elided(self, piece, builder):
        raise self.fail("a matrix written with \\dots needs meanings for its sizes (symp verify reads it)", piece.span)

    def sum(self, index: Atom, lo, hi, body: Callable):
        hi = hi() if hi is not None else None
        k = sp.Symbol(index.name, integer=True)
        self.bound[index.name] = k
        try:
            value = body()
        finally:
            del self.bound[index.name]
        if hi is None:
            hi = sp.Symbol("N", integer=True, positive=True)
        return sp.Sum(value, (k, lo, hi))


def _canonical(key: str) -> str | None:
    """The canonical name of a key that is one symbol; None for an expression."""
    from .reader import canonical

    try:
        return canonical(key)
    except LatexParseError:
        return None


def _read_key(key: str, symbols: Mapping[str, sp.Basic], functions: tuple) -> sp.Basic:
    """What a key that is an expression reads as, under the single symbols' meanings."""
    from .reader import parse_latex

    try:
        return parse_latex(key, symbols, functions=functions)
    except LatexParseError as exc:
        raise LatexParseError(f"symbols key {key!r} is neither one symbol nor an expression that can be read: "
                              f"{exc}") from None



#: A comparison ``lhs op rhs`` as (the argument of the step, its value at 0): ``z > 0`` is H(z) with H(0) = 0.
_STEPS = {">": (1, 0), r"\geq": (1, 1), "<": (-1, 0), r"\leq": (-1, 1)}
_RELATIONS = {">": sp.StrictGreaterThan, r"\geq": sp.GreaterThan, "<": sp.StrictLessThan, r"\leq": sp.LessThan}


def iverson(lhs, op: str, rhs, fail) -> sp.Expr:
    r"""The Iverson bracket ``[lhs op rhs]`` as a Heaviside step (scalars only).

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> iverson(z, ">", 0, ValueError), iverson(z, r"\leq", 1, ValueError)
    (Heaviside(z, 0), Heaviside(1 - z, 1))
    """
    if _is_matrix(lhs) or _is_matrix(rhs):
        raise fail("an Iverson bracket of a matrix (compare one entry)")
    sign, at_zero = _STEPS[op]
    return sp.Heaviside(sign * (lhs - rhs), at_zero)


def cases(rows, fail) -> sp.Expr:
    r"""``[(value, (lhs, op, rhs) or None), ...]`` as a ``Piecewise``; None is 'otherwise'.

    The rows of a ``\begin{cases}`` after reading: each value with its condition, a comparison ``op`` of
    ``>``, ``<``, ``\geq``, ``\leq``; a row without a condition holds otherwise.

    Parameters
    ----------
    rows : list of tuple
        ``(value, (lhs, op, rhs))`` or ``(value, None)``, scalars only.
    fail : callable
        Makes the exception to raise from a message (the environment's ``fail``).

    Returns
    -------
    sympy.Piecewise
        The cases in order, the first whose condition holds giving the value.

    Raises
    ------
    Exception
        ``fail("cases of matrices (write one entry)")`` when a value or a condition is a matrix.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> relu = cases([(z, (z, ">", 0)), (0, None)], ValueError)
    >>> relu, relu.subs(z, -2), relu.subs(z, 3)
    (Piecewise((z, z > 0), (0, True)), 0, 3)
    >>> cases([(sp.Matrix([z]), None)], ValueError)
    Traceback (most recent call last):
    ...
    ValueError: cases of matrices (write one entry)
    """
    pieces = []
    for value, condition in rows:
        if _is_matrix(value) or (condition is not None and (_is_matrix(condition[0]) or _is_matrix(condition[2]))):
            raise fail("cases of matrices (write one entry)")
        pieces.append((value, True if condition is None else _RELATIONS[condition[1]](condition[0], condition[2])))
    return sp.Piecewise(*pieces)
