r"""The comparisons of a link with a side of printed numbers, at the precision printed.

:func:`value_vs_literal` and :func:`value_vs_integer` (an expression at the worked example's exact numbers
against a printed number, or a whole number that claims the value itself), :func:`value_vs_arithmetic`
(against arithmetic on printed numbers, with intervals), :func:`arithmetic_vs_literal` and
:func:`arithmetic_vs_arithmetic` (arithmetic against printed numbers) each take the chain being checked (a
:class:`~.links.Link`) and two :class:`~.sides.Side` objects built under one instance, and return a
:class:`~.compare.Comparison`. Each printed number stands for the interval of values that round to it
(:mod:`.numbers`); a value the document printed earlier is looked up in :mod:`.earlier` (a ``rounding``
verdict). The examples verify claims about :data:`.examples.ONE_UNIT` (``\hat{y} = \sigma(0.5 \cdot 2) =
0.731059``, ``y = 1``). Non-goals: identities between expressions and their proofs (:mod:`.compare`), walking
chains (:mod:`.links`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import SymbpError
from .compare import NUMERIC_EVIDENCE, Comparison, exactly_at_example
from .earlier import rounded_names, rounded_values
from .numbers import AGREED_DIGITS, agrees, contains, interval, overlaps, rounds_to
from .sides import (Side, describe_shape, distinct, exact, exact_literals, entries, printed_of, shapes_fit, show_all,
                    telling_apart, texts_of)

if TYPE_CHECKING:  # pragma: no cover
    from .links import Link

__all__ = ["value_vs_literal", "value_vs_integer", "value_vs_arithmetic", "arithmetic_vs_literal",
           "arithmetic_vs_arithmetic"]


def value_vs_literal(link: Link, sym: Side, lit: Side) -> Comparison:
    r"""Compare an expression at the worked example's exact numbers with a printed number, at its precision.

    Parameters
    ----------
    link : Link
    sym, lit : Side
        The expression; the printed number, or a matrix of them (anything else: :func:`value_vs_arithmetic`).

    Returns
    -------
    Comparison
        * ``("wrong", "a 2 x 1 matrix compared with a scalar: the exact value at the example is <value>", <value>)``
          (a row and a column of one length fit);
        * ``("correct", "<value> at the example's numbers, which rounds to <printed>", None)``;
        * ``("rounding", "the exact value is <value>; <printed> follows only from the values the document
          printed earlier (<names>)", <value>)`` (:func:`rounded_values`);
        * ``("wrong", "the exact value at the example is <value>, not <printed>", <value>)``.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\hat{y} = 0.73", "numeric"), (r"\hat{y} = 0.74", "numeric")):
    ...     print(r.verdict, "|", r.reason, "|", r.expected)
    correct | 0.73 (0.731059) at the example's numbers, which rounds to 0.73 | None
    wrong | the exact value at the example is 0.73 (0.731059), not 0.74 | 0.73 (0.731059)
    """
    if not shapes_fit(sym.value, lit.value):
        return _shape_mismatch(link, sym, lit)
    printed = [printed_of(e, lit.env) for e in entries(lit.value)]
    if any(p is None for p in printed):
        return value_vs_arithmetic(link, sym, lit)
    values = entries(link.ctx.evaluate(sym.value, "example", exact_literals(sym.env)))
    shown = show_all(values, printed)
    if all(rounds_to(v, p) for v, p in zip(values, printed)):
        return Comparison("correct", f"{shown} at the example's numbers, which rounds to {texts_of(printed)}")
    rounded = rounded_values(link, sym)
    if rounded is not None and all(rounds_to(v, p) for v, p in zip(rounded, printed)):
        return Comparison("rounding", (f"the exact value is {shown}; {texts_of(printed)} follows only from the values "
                                       f"the document printed earlier ({rounded_names(link, sym)})"), shown)
    return Comparison("wrong", f"the exact value at the example is {shown}, not {texts_of(printed)}", shown)


def _shape_mismatch(link: Link, sym: Side, lit: Side) -> Comparison:
    """A printed value of another shape than the expression's: wrong, with the true value at the printed precision."""
    message = f"{describe_shape(sym.value)} compared with {describe_shape(lit.value)}"
    printed = next((p for p in (printed_of(e, lit.env) for e in entries(lit.value)) if p is not None), None)
    try:
        values = entries(link.ctx.evaluate(sym.value, "example", exact_literals(sym.env)))
    except SymbpError:  # no example numbers: the shapes alone
        return Comparison("wrong", message)
    shown = show_all(values, [printed] * len(values))
    return Comparison("wrong", f"{message}: the exact value at the example is {shown}", shown)


def value_vs_integer(link: Link, sym: Side, lit: Side) -> Comparison:
    r"""Compare an expression at the worked example with whole numbers printed without decimals, exactly.

    A whole number claims the value itself, not a rounding of it: a gradient of -0.043 is not 0.
    :func:`.links.compare_link` calls it when such a link fails as an identity and the network has a worked example.

    Parameters
    ----------
    link : Link
    sym, lit : Side
        The expression; the whole numbers.

    Returns
    -------
    Comparison
        * ``("wrong", "a 2 x 1 matrix compared with a scalar: the exact value at the example is <value>", <value>)``
          when the shapes do not fit;
        * ``("correct", "exactly <n> at the example's numbers (proved)", None)``;
        * ``("correct", "equal to <n> to 25 digits at the example's numbers; not proved exactly (numeric
          evidence only)", None)`` with ``numeric`` set;
        * else :func:`value_vs_literal`'s, ending "(a whole number printed without decimals is compared exactly)".

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims(("y = 1", "numeric"), (r"\hat{y} = 1", "numeric")):
    ...     print(r.verdict, "|", r.reason)
    correct | exactly 1 at the example's numbers (proved)
    wrong | the exact value at the example is 0.731059, not 1 (a whole number printed without decimals is compared exactly)
    """
    if not shapes_fit(sym.value, lit.value):
        return _shape_mismatch(link, sym, lit)
    printed = [printed_of(e, lit.env) for e in entries(lit.value)]
    overrides = exact_literals(sym.env)
    values = entries(link.ctx.evaluate(sym.value, "example", overrides))
    if all(rounds_to(v, p) for v, p in zip(values, printed)):
        if exactly_at_example(link.ctx, entries(sym.value), overrides, [p.rational for p in printed]):
            return Comparison("correct", f"exactly {texts_of(printed)} at the example's numbers (proved)")
        return Comparison("correct", (f"equal to {texts_of(printed)} to {AGREED_DIGITS} digits at the example's "
                                      f"numbers; not proved exactly {NUMERIC_EVIDENCE}"), numeric=True)
    found = value_vs_literal(link, sym, lit)
    return found._replace(message=found.message + " (a whole number printed without decimals is compared exactly)")

def value_vs_arithmetic(link: Link, sym: Side, num: Side) -> Comparison:
    r"""Compare an expression at the worked example's exact numbers with arithmetic on printed numbers.

    Each printed number stands for any value within half a unit of its last digit (an input of the example,
    printed with no more digits than it has, is exact); the value must lie in the interval the arithmetic covers.

    Parameters
    ----------
    link : Link
    sym, num : Side
        The expression; the arithmetic (``1 - 0.27``, ``\sigma(0.76)``).

    Returns
    -------
    Comparison
        * ``("wrong", "a 2 x 1 matrix compared with a scalar", None)`` when the numbers of entries differ;
        * ``("correct", "the exact value <value> lies within what the printed numbers allow", None)``;
        * ``("rounding", "the exact value is <value>; the arithmetic follows the values the document printed
          earlier (<names>)", <value>)`` (:func:`rounded_values`);
        * ``("wrong", "the exact value at the example is <value>, but the arithmetic gives <exact>", <value>)``,
          ``<exact>`` the arithmetic done exactly on the numbers as printed.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\hat{y} = 1 - 0.27", "numeric"), (r"\hat{y} = 1 - 0.25", "numeric")):
    ...     print(r.verdict, "|", r.reason)
    correct | the exact value 0.731059 lies within what the printed numbers allow
    wrong | the exact value at the example is 0.73 (0.731059), but the arithmetic gives 0.75
    """
    values = entries(link.ctx.evaluate(sym.value, "example", exact_literals(sym.env)))
    boxes = [interval(e, num.env.literals) for e in entries(num.value)]
    if len(values) != len(boxes):
        return Comparison("wrong", f"{describe_shape(sym.value)} compared with {describe_shape(num.value)}")
    exacts = [exact(e, num.env).evalf(30) for e in entries(num.value)]
    finest = max(num.env.literals.values(), key=lambda p: p.decimals, default=None)
    shown = show_all(values, [finest] * len(values))
    if all(_allows(box, e, v) for box, e, v in zip(boxes, exacts, values)):
        full = show_all(values, [None] * len(values))
        return Comparison("correct", f"the exact value {full} lies within what the printed numbers allow")
    rounded = rounded_values(link, sym)
    if rounded is not None and all(box is not None and contains(box, v) for box, v in zip(boxes, rounded)):
        return Comparison("rounding", (f"the exact value is {shown}; the arithmetic follows the values the document "
                                       f"printed earlier ({rounded_names(link, sym)})"), shown)
    precision = telling_apart(values, exacts, finest)
    shown = show_all(values, [precision] * len(values))
    return Comparison("wrong", (f"the exact value at the example is {shown}, but the arithmetic gives "
                                f"{show_all(exacts, [precision] * len(exacts))}"), shown)


def _allows(box, arithmetic, value) -> bool:
    """Does arithmetic on printed numbers allow ``value``: within its interval, or (no interval known: a function
    interval arithmetic does not cover) equal to it done exactly, to 25 digits."""
    if box is None:
        return agrees(value, arithmetic)
    return contains(box, value)


def arithmetic_vs_literal(link: Link, num: Side, lit: Side) -> Comparison:
    r"""Compare arithmetic on printed numbers, done exactly, with the printed number it gives.

    Parameters
    ----------
    link : Link
    num, lit : Side
        The arithmetic; the printed number, or a matrix of as many (anything else: :func:`arithmetic_vs_arithmetic`).

    Returns
    -------
    Comparison
        * ``("correct", "the arithmetic gives <value>, which rounds to <printed>", None)``;
        * ``("rounding", "the arithmetic gives <value>, not <printed>; the difference is within the precision
          of the numbers it starts from", <value>)``: the intervals of the numbers and of the result meet;
        * ``("wrong", "the arithmetic gives <value>, not <printed>", <value>)``.

    Examples
    --------
    0.73 (1 - 0.73) is 0.1971, and anything in [0.192, 0.202] for numbers printed as 0.73:

    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims(*[(f"0.73 (1 - 0.73) = {c}", "numeric") for c in ("0.20", "0.19", "0.17")],
    ...                        network=None, notation={}):
    ...     print(r.verdict, "|", r.reason)
    correct | the arithmetic gives 0.20 (0.1971), which rounds to 0.20
    rounding | the arithmetic gives 0.20 (0.1971), not 0.19; the difference is within the precision of the numbers it starts from
    wrong | the arithmetic gives 0.20 (0.1971), not 0.17
    """
    printed = [printed_of(e, lit.env) for e in entries(lit.value)]
    values = [exact(e, num.env).evalf(30) for e in entries(num.value)]
    if len(values) != len(printed) or any(p is None for p in printed):
        return arithmetic_vs_arithmetic(link, num, lit)
    shown = show_all(values, printed)
    if all(rounds_to(v, p) for v, p in zip(values, printed)):
        return Comparison("correct", f"the arithmetic gives {shown}, which rounds to {texts_of(printed)}")
    boxes = [interval(e, num.env.literals) for e in entries(num.value)]
    if all(box is not None and overlaps(box, p) for box, p in zip(boxes, printed)):
        return Comparison("rounding", (f"the arithmetic gives {shown}, not {texts_of(printed)}; the difference is "
                                       f"within the precision of the numbers it starts from"), shown)
    return Comparison("wrong", f"the arithmetic gives {shown}, not {texts_of(printed)}", shown)


def arithmetic_vs_arithmetic(link: Link, a: Side, b: Side) -> Comparison:
    r"""Compare two sides of arithmetic on printed numbers entry by entry: their intervals must meet.

    Parameters
    ----------
    link : Link
    a, b : Side
        The two numeric (or literal) sides.

    Returns
    -------
    Comparison
        * ``("wrong", "a scalar compared with a 1 x 2 matrix", None)`` when the numbers of entries differ;
        * ``("wrong", "<x> is not <y>", None)``: no interval known, exact values whose difference is not 0 to 25
          decimals;
        * ``("wrong", "<x> is not <y>, even at the precision printed", <x>)``: intervals that do not meet;
        * ``("correct", "the two sides agree at the precision printed", None)``.

    Examples
    --------
    0.5 times 0.25 is 0.125; 0.25 times 0.8 is at least 0.245 times 0.75 = 0.184:

    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"0.5 \cdot 0.25 = 0.25 \cdot 0.5", "numeric"),
    ...                        (r"0.5 \cdot 0.25 = 0.25 \cdot 0.8", "numeric"), network=None, notation={}):
    ...     print(r.verdict, "|", r.reason, "|", r.expected)
    correct | the two sides agree at the precision printed | None
    wrong | 0.125 is not 0.2, even at the precision printed | 0.125
    """
    ea, eb = entries(a.value), entries(b.value)
    if len(ea) != len(eb):
        return Comparison("wrong", f"{describe_shape(a.value)} compared with {describe_shape(b.value)}")
    for x, y in zip(ea, eb):
        bx, by = interval(x, a.env.literals), interval(y, b.env.literals)
        vx, vy = exact(x, a.env), exact(y, b.env)
        if bx is None or by is None:
            if not agrees(0, vx - vy):  # exact arithmetic: its difference is 0, not small next to the values
                return Comparison("wrong", "{} is not {}".format(*distinct(vx, vy)))
        elif not (bx.a <= by.b and by.a <= bx.b):
            tx, ty = distinct(vx, vy)
            return Comparison("wrong", f"{tx} is not {ty}, even at the precision printed", tx)
    return Comparison("correct", "the two sides agree at the precision printed")
