r"""The meanings :func:`~.reader.parse_latex` gives when no document context is known.

:class:`DefaultEnv` names symbols by their canonical LaTeX (or takes them
from a ``symbols`` mapping: ``MatrixSymbol``\ s make products keep their
order and ``^T`` a ``Transpose``), reads ``\sigma`` as symbp's sigmoid and
``\log`` as the natural logarithm, and leaves derivatives unevaluated.
Non-goals: networks and numbers (:mod:`.env` is the environment of claims).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import reduce

import sympy as sp

from ..functions import relu, sigmoid
from .pieces import Atom, Call, Deriv, Literal, NpSum, Transpose
from .tokens import LatexParseError

__all__ = ["DefaultEnv"]


def _is_matrix(x) -> bool:
    return isinstance(x, (sp.MatrixBase, sp.MatrixExpr))


class DefaultEnv:
    """Meanings for :func:`parse_latex`: symbols by canonical name, SymPy's own functions.

    ``symbols`` maps canonical names to SymPy objects (``Symbol``,
    ``MatrixSymbol``, a ``Function`` class for ``g`` and the like).
    """

    FUNCTIONS: dict[str, Callable] = {
        "exp": sp.exp, "log": sp.log, "tanh": sp.tanh, "sin": sp.sin, "cos": sp.cos, "sigmoid": sigmoid,
        r"\sigma": sigmoid, "relu": relu, "max": sp.Max, "min": sp.Min,
    }

    def __init__(self, symbols: Mapping[str, sp.Basic] | None = None, source: str = ""):
        self.symbols = {_canonical(k) if not k.startswith("@") else k: v for k, v in (symbols or {}).items()}
        self.source = source
        self.bound: dict[str, sp.Basic] = {}

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
        return self.function(call.function.base if name not in self.symbols else name, args, primes, call)

    def function(self, name: str, args: list, primes: int, call: Call | None = None):
        target = self.symbols.get(name) or self.FUNCTIONS.get(name)
        if target is None:
            target = sp.Function(name, real=True)
        if any(_is_matrix(a) for a in args):
            if len(args) != 1:
                raise self.fail(f"{name} of several matrices")
            return args[0].applyfunc(lambda x: self.function(name, [x], primes, call)) if isinstance(
                args[0], sp.MatrixBase) else self._unsupported_matrix(name)
        if not primes:
            return target(*args)
        if len(args) != 1:
            raise self.fail(f"a prime on {name} of {len(args)} arguments")
        u = sp.Dummy("u", real=True)
        return sp.diff(target(u), u, primes).xreplace({u: args[0]})

    def _unsupported_matrix(self, name):
        raise self.fail(f"{name} applied to a matrix symbol (pass an explicit matrix)")

    def derivative(self, deriv: Deriv, builder):
        num, den = builder.node(deriv.num), builder.node(deriv.den)
        if not isinstance(den, (sp.Symbol, sp.MatrixSymbol)):
            raise self.fail("a derivative with respect to an expression (give a symbol after the d)", deriv.span)
        return sp.Derivative(num, den)

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
        return reduce(operator.mul, args)

    def add(self, args):
        return reduce(operator.add, args)

    def pow(self, base, exponent):
        return base**exponent

    def abs(self, x):
        return sp.Abs(x)

    def npsum(self, x, piece: NpSum):
        if not _is_matrix(x):
            raise self.fail("np.sum of a scalar", piece.span)
        rows, cols = x.shape
        if piece.axis == 1:
            return x * sp.ones(cols, 1) if isinstance(x, sp.MatrixBase) else x * sp.OneMatrix(cols, 1)
        if piece.axis == 0:
            return sp.ones(1, rows) * x if isinstance(x, sp.MatrixBase) else sp.OneMatrix(1, rows) * x
        return sp.ones(1, rows) * x * sp.ones(cols, 1)

    def norm(self, x):
        if isinstance(x, sp.MatrixBase):
            return sp.sqrt(sum(e**2 for e in x))
        return sp.Abs(x)

    def matrix(self, rows):
        return sp.ImmutableMatrix(rows)

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


def _canonical(key: str) -> str:
    from .reader import canonical

    return canonical(key)
