r"""The sides of a link: a value built under one instance, its entries and shape, and the numbers it prints.

:class:`Side` is one side of ``a = b`` built under one assignment of the claim's
variables; :func:`entries` lists a value's entries (a scalar is one); :func:`printed_of`
and :func:`exact` read printed numbers (the document's decimals, exactly); the
``show_*`` helpers write values at the precision the document printed, then to
6 digits (``0.73 (0.731059)``), with enough decimals that two different numbers
never look the same.

Non-goals: comparing sides (:mod:`.compare`, :mod:`.printed`), walking chains (:mod:`.links`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import SymbpError
from .env import ClaimEnv, shape
from .numbers import Printed, show

__all__ = ["Side", "entries", "same_shape", "vector_shapes", "printed_of", "exact", "describe_shape", "all_integers",
           "shapes_fit", "exact_literals", "telling_apart", "distinct", "show_all", "texts_of", "free_of", "safely"]


@dataclass
class Side:
    """One side, built under one instance: its value and the environment that built it.

    ``error``: the side is not defined (shapes that do not fit), which makes its links wrong;
    ``unreadable``: the side could not be read or given a meaning, which leaves its links unchecked.
    """

    value: object = None
    env: ClaimEnv | None = None
    error: Exception | None = None
    unreadable: Exception | None = None
    parameter: object = None  # an update's left side: the parameter before the step (for a readable truth)


# ----- Entries of values -----
def entries(value) -> list:
    """The entries of a side's value in row-major order; a scalar is a list of one (so 1 x 1 and scalar compare alike).

    Parameters
    ----------
    value : sympy.MatrixBase or sympy.Expr

    Returns
    -------
    list

    Examples
    --------
    >>> entries(sp.Matrix([[1, 2], [3, 4]])), entries(sp.Symbol("x"))
    ([1, 2, 3, 4], [x])
    """
    if isinstance(value, sp.MatrixBase):
        return list(value)
    return [value]


def same_shape(a, b) -> bool:
    sa = shape(a) if not (isinstance(a, sp.MatrixBase) and a.shape == (1, 1)) else None
    sb = shape(b) if not (isinstance(b, sp.MatrixBase) and b.shape == (1, 1)) else None
    return sa == sb


def vector_shapes(a, b) -> bool:
    """Two vectors of the same length, one printed as a row and one a column."""
    sa, sb = shape(a), shape(b)
    return sa is not None and sb is not None and 1 in sa and 1 in sb and sa[0] * sa[1] == sb[0] * sb[1]


def printed_of(expr, env: ClaimEnv) -> Printed | None:
    r"""The printed number a literal entry is (``0.46``, ``-0.46``, ``2``); None for arithmetic or a symbol.

    Parameters
    ----------
    expr : sympy.Expr
        An entry of a literal side: a printed decimal (a symbol ``@lit0`` of ``env.literals``), its negative,
        or an integer.
    env : ClaimEnv
        The environment that built the side.

    Returns
    -------
    Printed or None

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> from symbp.documents.reader import Builder, read
    >>> reading = read(r"-0.46 = 0.5 \cdot 0.25")
    >>> env = ClaimEnv(*one_unit(), reading.source)
    >>> left, right = (Builder(reading, env).node(side) for side in reading.chains[0])
    >>> printed_of(left, env), printed_of(right, env), printed_of(2, env).text
    (Printed(value=Fraction(-23, 50), decimals=2, text='-0.46', exact=False), None, '2')
    """
    from fractions import Fraction

    expr = sp.sympify(expr, strict=True)  # safe: strict=True refuses text
    if expr in env.literals:
        return env.literals[expr]
    if expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1 and expr.args[1] in env.literals:
        p = env.literals[expr.args[1]]
        return Printed(-p.value, p.decimals, "-" + p.text)
    if expr.is_Integer:
        return Printed(Fraction(int(expr)), 0, str(expr))
    return None


def exact(expr, env: ClaimEnv):
    r"""A numeric side's exact value: each printed number (a symbol ``@lit0`` of ``env.literals``) as a rational.

    Parameters
    ----------
    expr : sympy.Expr
        An entry of a side built by ``env``.
    env : ClaimEnv

    Returns
    -------
    sympy.Expr

    Examples
    --------
    The printed 0.5, 0.25 and 0.1 are exactly 1/2, 1/4 and 1/10:

    >>> from symbp.documents.examples import one_unit
    >>> from symbp.documents.reader import Builder, read
    >>> reading = read(r"0.5 \cdot 0.25 - 0.1")
    >>> env = ClaimEnv(*one_unit(), reading.source)
    >>> exact(Builder(reading, env).node(reading.chains[0][0]), env)
    1/40
    """
    return sp.sympify(expr, strict=True).xreplace(exact_literals(env))  # safe: strict=True refuses text  # safe: strict=True refuses text


def describe_shape(x) -> str:
    s = shape(x)
    return "a scalar" if s is None or s == (1, 1) else f"a {s[0]} x {s[1]} matrix"


def all_integers(side: Side) -> bool:
    """A literal side of whole numbers only (exact constants, not printed roundings)."""
    return all(sp.sympify(e, strict=True).is_Integer for e in entries(side.value))  # safe: strict=True refuses text


def shapes_fit(a, b) -> bool:
    return same_shape(a, b) or vector_shapes(a, b)


def exact_literals(env: ClaimEnv) -> dict:
    return {s: p.rational for s, p in env.literals.items()}


def telling_apart(values, others, printed: Printed | None) -> Printed | None:
    """``printed``'s precision, or more decimals (up to 12 more) until each value and its other show differently.

    Two different numbers shown the same ("0.5 (0.510575), but the arithmetic gives 0.5 (0.52)") say nothing.
    """
    if printed is None or printed.whole:
        return printed
    candidate = printed
    for decimals in range(printed.decimals, printed.decimals + 13):
        candidate = Printed(printed.value, decimals, printed.text)
        heads = [(show(v, candidate).split(" (")[0], show(o, candidate).split(" (")[0]) for v, o in zip(values, others)]
        if all(a != b for a, b in heads):
            return candidate
    return candidate


def distinct(x, y) -> tuple[str, str]:
    """Two different exact values, each with 6 significant digits or as many more as it takes to tell them apart.

    Examples
    --------
    >>> distinct(sp.Rational(1, 8), sp.Rational(1, 5))
    ('0.125', '0.2')
    >>> distinct(sp.Integer(1), 1 + sp.Rational(1, 10**30))
    ('1', '1.000000000000000000000000000001')
    """
    for digits in range(6, 41):
        a, b = show(x, None, digits), show(y, None, digits)
        if a != b:
            return a, b
    return a, b


def show_all(values, printed) -> str:
    shown = [show(v, p) for v, p in zip(values, printed)]
    return shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"


def texts_of(printed) -> str:
    return printed[0].text if len(printed) == 1 else "[" + ", ".join(p.text for p in printed) + "]"


def free_of(expr) -> set:
    return expr.free_symbols if not isinstance(expr, sp.MatrixBase) else set().union(*[e.free_symbols for e in expr])


def safely(test, *args) -> bool:
    """``test(*args)``, False when it cannot be computed here (no example numbers, a division by zero...)."""
    try:
        return test(*args)
    except (SymbpError, ArithmeticError):
        return False
