"""Printed numbers: their precision, and arithmetic on what they may stand for.

A number printed with d decimals (``0.80``, ``-6.4 \\times 10^{-3}``) stands for
any value within half a unit of its last digit, except, in arithmetic, a
number that is one of the worked example's own inputs (a weight ``0.8``, the
learning rate), written with no more digits than the input has: that one is
exact. :func:`rounds_to` compares a
value at that precision; :func:`interval` evaluates an expression of printed
numbers over those ranges with interval arithmetic (mpmath's ``iv``), so that
``(-0.46)(-0.079)(0.80)`` is known to lie in [0.0284, 0.0298]. Non-goals:
choosing what a number stands for (:mod:`.verify`).
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from ..functions import ActivationFunction

__all__ = ["Printed", "agrees", "AGREED_DIGITS", "rounds_to", "interval", "contains", "overlaps", "show"]

#: Significant digits to which two computed values must agree to count as equal. Values are computed with
#: 40 significant digits (:data:`.values.DIGITS`); a long expression (an adjoint sweep through several layers,
#: a difference that cancels) loses some of them to rounding, and 25 leaves 15 for that loss while staying far
#: beyond any number a document prints. It is not :data:`.env.CHECKED_DIGITS` (35, the longest number symbp
#: reads): a printed number is compared at its own precision (:func:`rounds_to`), not with :func:`agrees`.
AGREED_DIGITS = 25


def agrees(x: sp.Expr, y: sp.Expr, digits: int = AGREED_DIGITS) -> bool:
    """True when ``y`` equals ``x`` to ``digits`` significant digits: ``|x - y| <= 10^-digits (1 + |x|)``.

    The one test of "equal" between computed values (:data:`AGREED_DIGITS` says why 25 digits). ``x`` is the
    reference: its size scales the tolerance (``1 +`` keeps it absolute near 0). Exact arguments are compared
    by evaluating their difference to 40 digits.

    Parameters
    ----------
    x, y : sympy.Expr
        Two numbers (SymPy Floats at 40 digits, or exact numbers).
    digits : int, optional
        How many significant digits must agree.

    Returns
    -------
    bool

    Examples
    --------
    A rounding error of 40-digit arithmetic agrees; a difference in the sixth digit does not:

    >>> third = sp.Float(1, 40) / 3
    >>> agrees(sp.Rational(1, 3), third), agrees(sp.Float("0.731059", 40), sp.Float("0.731058", 40))
    (True, False)
    >>> agrees(sp.Integer(10) ** 30, sp.Integer(10) ** 30 + 1)  # relative to the size: 1 part in 10^30
    True
    """
    difference = abs(x - y)
    if not isinstance(difference, sp.Float):
        difference = sp.N(difference, DIGITS)
    return bool(difference <= sp.Float(10) ** -digits * (1 + abs(x)))


@dataclass(frozen=True)
class Printed:
    """A printed number: exact value and its half-width (half a unit of the last digit printed).

    Not the parser's :class:`~.pieces.Literal` (where a number is in the source): a ``Printed`` is what
    the number claims, and knows whether it is one of the worked example's own inputs (``exact``).
    """

    value: Fraction
    decimals: int
    text: str
    exact: bool = False

    @property
    def whole(self) -> bool:
        """A whole number printed without decimals (``0``, ``-2``): it stands for itself, not for a rounding."""
        return self.text.lstrip("-").isdigit()

    @property
    def half(self) -> Fraction:
        return Fraction(1, 2) * Fraction(10) ** (-self.decimals)

    @property
    def spread(self) -> Fraction:
        """How far the value may lie from the number printed: 0 for one of the example's own inputs."""
        return Fraction(0) if self.exact else self.half

    @property
    def rational(self) -> sp.Rational:
        return sp.Rational(self.value.numerator, self.value.denominator)


def rounds_to(value: sp.Expr, printed: Printed) -> bool:
    """True when ``value`` rounds to ``printed`` at its precision (a tie counts as a match).

    A whole number printed without decimals is the number itself: ``value`` must equal it to 25 significant
    digits (:func:`agrees`), so a gradient of -0.043 does not "round" to a claimed 0.

    Examples
    --------
    >>> from fractions import Fraction
    >>> rounds_to(sp.Float("0.7703"), Printed(Fraction("0.77"), 2, "0.77"))
    True
    >>> rounds_to(sp.Float("0.0290"), Printed(Fraction("-0.029"), 3, "-0.029"))
    False
    >>> rounds_to(sp.Float("-0.043"), Printed(Fraction(0), 0, "0")), rounds_to(sp.Integer(2), Printed(Fraction(2), 0, "2"))
    (False, True)
    """
    if printed.whole:
        return agrees(printed.rational, sp.Float(value, 40))
    diff = abs(sp.Float(value, 40) - printed.rational)
    return bool(diff <= sp.Rational(printed.half.numerator, printed.half.denominator) * (1 + sp.Rational(1, 10**12)))


def show(value: sp.Expr, printed: Printed | None = None, digits: int = 6) -> str:
    """A value for a report: at the printed precision (if any), then with more digits.

    The head is rounded half away from zero, as :func:`rounds_to` counts a tie; the value in brackets has
    ``digits`` significant digits, and always more than the head, so it adds something.

    Examples
    --------
    >>> from fractions import Fraction
    >>> show(sp.Float("-0.130213"), Printed(Fraction("-0.065"), 3, "-0.065"))
    '-0.130 (-0.130213)'
    >>> show(sp.Rational(1, 8), Printed(Fraction("0.13"), 2, "0.13"))  # a tie rounds away from zero
    '0.13 (0.125)'
    >>> show(sp.Float("0.13955", 30), Printed(Fraction("0.1396"), 4, "0.1396"))  # also one evaluated in binary
    '0.1396 (0.13955)'
    >>> show(1 / (1 + sp.exp(-1)), Printed(Fraction("0.73105858"), 8, "0.73105858"))
    '0.73105858 (0.7310585786)'
    >>> show(sp.Integer(10) ** 30, Printed(Fraction(5), 2, "5.00"))
    '1.00e+30'
    """
    with localcontext() as context:
        context.prec = 60
        v = Decimal(str(sp.Float(sp.N(value, 40), 40)))
        if printed is None or printed.whole:
            return _significant(v, digits)
        decimals = max(printed.decimals, 0)
        if v != 0 and (abs(v) >= Decimal(10) ** 12 or (abs(v) < Decimal("1e-3") and decimals > 6)):
            shown = f"{v:.2e}"  # a fixed-point head would be unreadable
        else:  # at 25 digits first: a tie evaluated in binary (0.13955 as 0.1395499...) is still a tie
            head = Context(prec=AGREED_DIGITS).plus(v)
            shown = f"{head.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
            if shown.startswith("-") and Decimal(shown) == 0:
                shown = shown[1:]
        head_digits = len(shown.lstrip("-").replace(".", "").lstrip("0")) if "e" not in shown else 3
        full = _significant(v, max(digits, head_digits + 2))
        return shown if Decimal(shown) == Decimal(full) else f"{shown} ({full})"  # 0.30, not 0.30 (0.3)


def _significant(v: Decimal, digits: int) -> str:
    """``v`` to ``digits`` significant digits, trailing zeros dropped, as Python's ``g`` writes a float."""
    mantissa, _, exponent = f"{v:.{digits}g}".partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{exponent}" if exponent else mantissa


def interval(expr: sp.Expr, literals: dict[sp.Symbol, Printed], values: dict | None = None):
    """``expr`` over intervals: each printed literal symbol ranges over its precision; None if unsupported.

    Parameters
    ----------
    expr : sympy.Expr
        Arithmetic on printed literal symbols (sums, products, powers, exp, log, tanh, abs, symbp's activation
        functions by their formula).
    literals : dict
        Symbol -> :class:`Printed`: each ranges over ``value +- spread`` (half a unit of its last digit; 0 for
        one of the worked example's own inputs, ``exact=True``).
    values : dict, optional
        Other symbols' exact values.

    Returns
    -------
    mpmath.iv.mpf or None
        The interval (:data:`DIGITS` digits, rounded outward) that ``expr`` covers; None when it holds anything unsupported (an unknown
        symbol, a ``Piecewise``).

    Examples
    --------
    ``2 x`` for an x printed as 0.46 (any value in [0.455, 0.465]):

    >>> from fractions import Fraction
    >>> x = sp.Symbol("x")
    >>> box = interval(2 * x, {x: Printed(Fraction("0.46"), 2, "0.46")})
    >>> round(float(box.a), 9), round(float(box.b), 9)
    (0.91, 0.93)
    >>> point = interval(2 * x, {x: Printed(Fraction("0.46"), 2, "0.46", exact=True)})  # an input: exact
    >>> contains(point, sp.Rational(92, 100)), contains(point, sp.Float("0.9201"))
    (True, False)
    >>> interval(x * sp.Symbol("w"), {x: Printed(Fraction("0.46"), 2, "0.46")}) is None
    True
    """
    with _precision():
        try:
            return _iv(sp.sympify(expr, strict=True), literals, values or {})  # safe: strict=True refuses text
        except _Unsupported:
            return None


#: Decimal digits of the interval arithmetic and of the comparisons with it.
DIGITS = 40


@contextmanager
def _precision():
    """mpmath's real and interval contexts at :data:`DIGITS`, restored after: a verdict never depends on the
    precision some other code left in mpmath's global state."""
    saved = mpmath.mp.prec, mpmath.iv.prec
    mpmath.mp.dps = mpmath.iv.dps = DIGITS
    try:
        yield
    finally:
        mpmath.mp.prec, mpmath.iv.prec = saved


def _enclosure(q: Fraction):
    """An interval that contains the rational ``q`` (the division rounds outward)."""
    return mpmath.iv.mpf(q.numerator) / q.denominator


class _Unsupported(Exception):
    pass


def _iv(e, literals, values):
    iv = mpmath.iv
    if e in literals:
        p = literals[e]
        lo, hi = _enclosure(p.value - p.spread), _enclosure(p.value + p.spread)
        return iv.mpf([lo.a, hi.b])
    if e.is_Rational:
        return _enclosure(Fraction(int(e.p), int(e.q)))
    if e.is_Number:
        return iv.mpf(str(e))
    if isinstance(e, sp.Symbol):
        if e in values:
            return iv.mpf(str(sp.Float(values[e], DIGITS)))
        raise _Unsupported
    if e.is_Add:
        total = iv.mpf(0)
        for a in e.args:
            total += _iv(a, literals, values)
        return total
    if e.is_Mul:
        total = iv.mpf(1)
        for a in e.args:
            total *= _iv(a, literals, values)
        return total
    if e.is_Pow:
        base = _iv(e.base, literals, values)
        if e.exp.is_Integer:
            n = int(e.exp)
            result = base ** abs(n) if n % 2 or not _straddles(base) else _even_power(base, abs(n))
            return 1 / result if n < 0 else result
        if e.exp == sp.S.Half:
            return iv.sqrt(base)
        return iv.exp(_iv(e.exp, literals, values) * iv.log(base))
    if isinstance(e, sp.exp):
        return iv.exp(_iv(e.args[0], literals, values))
    if isinstance(e, sp.log):
        return iv.log(_iv(e.args[0], literals, values))
    if isinstance(e, sp.tanh):  # 1 - 2 / (exp(2x) + 1): x once, so the enclosure is tight (tanh increases)
        return 1 - 2 / (iv.exp(2 * _iv(e.args[0], literals, values)) + 1)
    if isinstance(e, ActivationFunction):
        return _iv(e.explicit(), literals, values)  # sigmoid: 1/(1 + exp(-z)); a Piecewise is unsupported
    if isinstance(e, sp.Abs):
        x = _iv(e.args[0], literals, values)
        return iv.mpf([0, max(abs(x.a), abs(x.b))]) if _straddles(x) else iv.mpf([min(abs(x.a), abs(x.b)),
                                                                                  max(abs(x.a), abs(x.b))])
    raise _Unsupported


def _straddles(x) -> bool:
    return x.a < 0 < x.b


def _even_power(x, n):
    top = max(abs(x.a), abs(x.b)) ** n
    return mpmath.iv.mpf([0, top])


def contains(box, value: sp.Expr) -> bool:
    """True when the interval ``box`` contains ``value``.

    Parameters
    ----------
    box : mpmath.iv.mpf
        An interval from :func:`interval`.
    value : sympy.Expr
        A number.

    Returns
    -------
    bool
        True when ``value`` lies in ``box``, widened by :data:`AGREED_DIGITS` (25) significant digits.

    Examples
    --------
    >>> from fractions import Fraction
    >>> x = sp.Symbol("x")
    >>> box = interval(2 * x, {x: Printed(Fraction("0.46"), 2, "0.46")})  # [0.91, 0.93]
    >>> contains(box, sp.Rational(92, 100)), contains(box, sp.Float("0.95"))
    (True, False)
    """
    with _precision():
        v = mpmath.mpf(str(sp.Float(value, DIGITS)))
        tolerance = mpmath.mpf(10) ** -AGREED_DIGITS * (1 + abs(v))
        return bool(box.a - tolerance <= v <= box.b + tolerance)


def overlaps(box, printed: Printed) -> bool:
    """True when the interval ``box`` meets the range ``printed`` stands for.

    Parameters
    ----------
    box : mpmath.iv.mpf
        An interval from :func:`interval`.
    printed : Printed
        A printed number: it stands for ``value +- half`` (half a unit of its last digit).

    Returns
    -------
    bool
        True when the two ranges share a point.

    Examples
    --------
    >>> from fractions import Fraction
    >>> x = sp.Symbol("x")
    >>> box = interval(2 * x, {x: Printed(Fraction("0.46"), 2, "0.46")})  # [0.91, 0.93]
    >>> overlaps(box, Printed(Fraction("0.9"), 1, "0.9")), overlaps(box, Printed(Fraction("0.95"), 2, "0.95"))
    (True, False)
    """
    with _precision():
        lo, hi = _enclosure(printed.value - printed.half), _enclosure(printed.value + printed.half)
        return bool(box.a <= hi.b and lo.a <= box.b)
