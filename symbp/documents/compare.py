r"""The comparisons a link makes: expression, printed number or arithmetic against each other.

:func:`identity` (two expressions: refuted numerically at seeded points, then proved exactly),
:func:`value_vs_literal` and :func:`value_vs_integer` (an expression at the worked example against a printed
number), :func:`value_vs_arithmetic` (against arithmetic on printed numbers, with intervals),
:func:`arithmetic_vs_literal` and :func:`arithmetic_vs_arithmetic` each take the chain being checked (a
:class:`~.links.Link`: its context, notation, claim and verifier) and two :class:`~.sides.Side` objects built
under one instance, and return a :class:`Comparison`: ``(status, message, expected)``, with ``numeric`` set
when a ``correct`` rests on evaluation alone (reports count those claims). A value the document printed earlier is
looked up in :mod:`.earlier` (a ``rounding`` verdict). The examples verify claims about
:data:`.examples.ONE_UNIT` (``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``, ``y = 1``).
Non-goals: walking chains (:mod:`.links`), what a side is (:mod:`.sides`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple

import sympy as sp

from ..errors import SymbpError
from ..proof import prove_zero
from .context import Context
from .earlier import rounded_names, rounded_values
from .limits import within
from .numbers import AGREED_DIGITS, agrees, contains, interval, overlaps, rounds_to, show
from .sides import (Side, describe_shape, distinct, entries, exact, exact_literals, printed_of, same_shape,
                    shapes_fit, show_all, telling_apart, texts_of)

if TYPE_CHECKING:  # pragma: no cover
    from .links import Link

__all__ = ["Comparison", "identity", "identity_in_example", "identity_at_example", "value_vs_literal", "value_vs_integer",
           "value_vs_arithmetic", "arithmetic_vs_literal", "arithmetic_vs_arithmetic", "prove_entry", "truth_text",
           "POINTS", "NUMERIC_EVIDENCE"]

POINTS = (0, 1, 2)
PROOF_STAGES = 8
PROOF_SECONDS = 8.0
STEP_SECONDS = 2.0
#: Ends the message of a link found equal by evaluation but not proved (whose :class:`Comparison` is ``numeric``).
NUMERIC_EVIDENCE = "(numeric evidence only)"


class Comparison(NamedTuple):
    """What comparing two sides found: ``(status, message, expected)`` and the evidence behind a ``correct``."""

    status: str
    message: str
    expected: str | None = None
    #: The two sides were proved equal exactly as an identity, for every input (:func:`identity`).
    proved: bool = False
    #: Correct on numeric evidence only: equal when evaluated to 25 digits, not proved exactly (its message ends
    #: with :data:`NUMERIC_EVIDENCE`; reports count such claims on their own).
    numeric: bool = False


def identity(link: Link, a: Side, b: Side) -> Comparison:
    r"""Compare two symbolic sides as an identity: refuted at seeded random points, else proved exactly.

    A difference beyond 25 digits at the points :data:`POINTS` (40-digit evaluation) refutes the link; otherwise
    :func:`prove_entry` must prove each entry's difference zero within ``PROOF_SECONDS``.

    Parameters
    ----------
    link : Link
    a, b : Side
        The two sides, both symbolic.

    Returns
    -------
    Comparison
        * ``("wrong", "the left side is a 2 x 1 matrix, the right side a scalar", None)`` when the shapes
          differ;
        * ``("wrong", "the two sides differ: at a seeded random point the left is ... and the right ...",
          expected)``, the left side's true value in the document's notation (for an update
          ``p - \eta dC/dp``), None when too long to read;
        * ``("correct", "proved exactly (...)", None, proved=True)``;
        * ``("correct", "equal to 25 digits at 3 seeded random points; not proved symbolically within 8 s
          (numeric evidence only)", None, numeric=True)``.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\frac{dh}{dx} = 2 x", "derivative"), (r"\frac{dh}{dx} = 3 x", "derivative"),
    ...                        network=None, notation={"x": "free"}, definitions=["h = x^{2}"]):
    ...     print(r.verdict, "|", r.reason, "|", r.expected)
    correct | proved exactly (the difference cancels to 0) | None
    wrong | the two sides differ: at a seeded random point the left is 1.38 and the right 2.07 | 2 x
    """
    va, vb = a.value, b.value
    if not same_shape(va, vb):
        return Comparison("wrong", f"the left side is {describe_shape(va)}, the right side {describe_shape(vb)}")
    overrides = {**exact_literals(a.env), **exact_literals(b.env)}
    ctx = link.ctx
    for point in POINTS:
        ea = entries(ctx.evaluate(va, point, overrides))
        eb = entries(ctx.evaluate(vb, point, overrides))
        for x, y in zip(ea, eb):
            if not agrees(x, y):
                return Comparison("wrong", (f"the two sides differ: at a seeded random point the left is {show(x)} "
                                            f"and the right {show(y)}"), truth_text(link, va, a.parameter))
    pairs = list(zip(entries(va), entries(vb)))
    deadline = time.monotonic() + PROOF_SECONDS
    differences = [(x - y).xreplace(overrides) for x, y in pairs]
    if all(prove_entry(ctx, d, deadline, ctx.target_sums) for d in differences):
        how = ", symbp autodiff on the network" if ctx.spec is not None else ""  # derivatives are SymPy's without one
        targets = set(ctx.target_sums)
        needed = targets and any(ctx.expand_adjoint_symbols(d).free_symbols & targets for d in differences)
        if needed and not all(prove_entry(ctx, d, time.monotonic() + UNASSUMED_SECONDS) for d in differences):
            return Comparison("correct", ("proved exactly for targets that sum to 1 over the outputs, as "
                                          f"cross-entropy over a softmax assumes (the difference cancels to 0{how})"),
                              proved=True)
        return Comparison("correct", f"proved exactly (the difference cancels to 0{how})", proved=True)
    return Comparison("correct", (f"equal to {AGREED_DIGITS} digits at {len(POINTS)} seeded random points; not proved "
                                  f"symbolically within {PROOF_SECONDS:g} s {NUMERIC_EVIDENCE}"), numeric=True)


def identity_in_example(link: Link, a: Side, b: Side) -> Comparison:
    r"""Compare two symbolic sides of a worked example's line: as an identity, and at the example's numbers.

    A line of a worked example (kind ``numeric``) may write this example's values into a formula (``relu'(z)``
    as the 0 it is here): such a link is right when it holds at the example's numbers, even if not for every
    input. And a link that only agreed at seeded random points (not proved) must also agree at the example,
    where a step's derivative may be on its other side (``z < 0``).

    Returns
    -------
    Comparison
        :func:`identity`'s result, except:
        * ``("correct", "equal at the example's numbers (<how>); not an identity for every input: the line
          uses this example's values", None)`` for an identity that fails but holds at the example;
        * ``("wrong", "at the example's numbers the left side is <x> and the right <y> ...", <expected>)`` for
          a link equal at random points but not at the example.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims, ONE_UNIT_NOTATION
    >>> relu = 'widths = [1, 1]\nactivations = ["relu"]\ncost = "half_sse"\n[example]\nW1 = [[0.5]]\nb1 = [-2]\nX = [2]\nY = [1]\n'
    >>> for r in verify_claims((r"\frac{\partial L}{\partial z} = (\hat{y} - y) \cdot 0 = 0", "numeric"),
    ...                        (r"\frac{\partial L}{\partial z} = \hat{y} - y = -1", "numeric"), network=relu):
    ...     print(r.verdict, "|", r.reason.split(";")[0])
    correct | link 1: equal at the example's numbers (proved exactly)
    wrong | link 1 of 2 breaks: \frac{\partial L}{\partial z} = \hat{y} - y: the two sides differ: at a seeded random point the left is 0 and the right -0.3
    """
    found = identity(link, a, b)
    if link.claim.kind != "numeric" or not link.ctx.has_example or found.proved or not same_shape(a.value, b.value):
        return found
    if found.status == "correct":  # equal at seeded random points only: it must also hold at the example
        differ = _differs_at_example(link, a, b)
        if differ is None:
            return found
        return Comparison("wrong", f"{_at_example_text(*differ)} (they agreed at seeded random points, but not here)",
                          truth_text(link, a.value, a.parameter))
    if _differs_at_example(link, a, b) is not None:
        return found
    here = _equal_at_example(link, a, b)
    return here._replace(message=f"{here.message}; not an identity for every input: the line uses this example's "
                                 f"values")


def identity_at_example(link: Link, a: Side, b: Side) -> Comparison:
    r"""Compare two symbolic sides of the same shape at the worked example's numbers only.

    Returns
    -------
    Comparison
        * ``("wrong", "at the example's numbers the left side is <x> and the right <y>", <expected>)``;
        * ``("correct", "equal at the example's numbers (proved exactly)", None)``, or ``(to 25 digits, not
          proved exactly (numeric evidence only))`` with ``numeric`` set.

    Examples
    --------
    ``\hat{y} - y`` is not 0 for every input, but it is at an example with ``\hat{y} = y``:

    >>> from symbp.documents.examples import ONE_UNIT, verify_claims
    >>> network = ONE_UNIT.replace("Y = [1]", "Y = [0.5]").replace("X = [2]", "X = [0]")
    >>> [r] = verify_claims((r"\hat{y} - y = 0 \cdot y", "numeric"), network=network)
    >>> print(r.verdict, "|", r.reason)
    correct | equal at the example's numbers (proved exactly); not an identity for every input: the line uses this example's values
    """
    differ = _differs_at_example(link, a, b)
    if differ is not None:
        return Comparison("wrong", _at_example_text(*differ), truth_text(link, a.value, a.parameter))
    return _equal_at_example(link, a, b)


def _differs_at_example(link: Link, a: Side, b: Side):
    """The first pair of entries of two sides that differ at the example's numbers, or None."""
    overrides = {**exact_literals(a.env), **exact_literals(b.env)}
    pairs = zip(entries(link.ctx.evaluate(a.value, "example", overrides)),
                entries(link.ctx.evaluate(b.value, "example", overrides)))
    return next(((x, y) for x, y in pairs if not agrees(x, y)), None)


def _equal_at_example(link: Link, a: Side, b: Side) -> Comparison:
    """Two sides equal at the example's numbers: proved exactly there, or to 25 digits (numeric evidence only)."""
    overrides = {**exact_literals(a.env), **exact_literals(b.env)}
    differences = [x - y for x, y in zip(entries(a.value), entries(b.value))]
    if _exactly(link.ctx, differences, overrides, [0] * len(differences)):
        return Comparison("correct", "equal at the example's numbers (proved exactly)")
    return Comparison("correct", (f"equal at the example's numbers (to {AGREED_DIGITS} digits, not proved exactly "
                                  f"{NUMERIC_EVIDENCE})"), numeric=True)


def _at_example_text(x, y) -> str:
    shown_x, shown_y = distinct(x, y)
    return f"at the example's numbers the left side is {shown_x} and the right {shown_y}"


#: How long to look for a proof without the targets summing to 1, once one with it is found (only the wording
#: of the verdict depends on it).
UNASSUMED_SECONDS = 2.0


def prove_entry(ctx: Context, diff, deadline: float = float("inf"), given: dict | None = None) -> bool:
    """Prove ``diff`` zero exactly: in two normal forms (activations as functions of their z, or each z as
    its affine form of the layer below), expanding symbp's adjoints one layer at a time; finally, if small,
    everything in the inputs, by :func:`symbp.proof.prove_zero`. ``given`` (symbol -> expression, such as
    ``ctx.target_sums``) is substituted last: the proof then holds where those equations do."""
    given = given or {}
    e = sp.sympify(diff, strict=True)  # safe: strict=True refuses text
    for _ in range(PROOF_STAGES):
        if time.monotonic() > deadline:
            return False
        if any(_cancels(e.xreplace(subs).xreplace(given)) for subs in (ctx.substitutions, ctx.affine_substitutions)):
            return True
        nxt = ctx.expand_adjoints_once(e)
        if nxt is None:
            break
        e = nxt
    full = ctx.expand_all(sp.sympify(diff, strict=True)).xreplace(given)  # safe: strict=True refuses text
    if sp.count_ops(full) > 1500 or time.monotonic() > deadline:
        return False
    return within(max(deadline - time.monotonic(), 0.5), "the final proof step",
                  lambda: prove_zero(full, probes=0).proved, False)


def _cancels(e) -> bool:
    """A cheap exact test: activation functions unfolded, the difference expands or cancels to 0."""
    from ..functions import unfold

    e = unfold(e)
    if e == 0:
        return True
    size = sp.count_ops(e)
    if e.has(sp.Piecewise, sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min) or size > 2500:
        return False
    if e.has(sp.tanh):
        e = e.rewrite(sp.exp)
    try:
        return within(STEP_SECONDS, "a proof step",
                      lambda: sp.expand(e) == 0 or (size <= 300 and sp.cancel(sp.together(e)) == 0), False)
    except (sp.PolynomialError, TypeError, ValueError):
        return False


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
        if _exactly(link.ctx, entries(sym.value), overrides, [p.rational for p in printed]):
            return Comparison("correct", f"exactly {texts_of(printed)} at the example's numbers (proved)")
        return Comparison("correct", (f"equal to {texts_of(printed)} to {AGREED_DIGITS} digits at the example's "
                                      f"numbers; not proved exactly {NUMERIC_EVIDENCE}"), numeric=True)
    found = value_vs_literal(link, sym, lit)
    return found._replace(message=found.message + " (a whole number printed without decimals is compared exactly)")


def _exactly(ctx: Context, exprs: list, overrides: dict, targets: list) -> bool:
    """Proved: each expression, in the network's inputs at the example's exact numbers, is its target."""
    point = {**ctx.example_point(), **overrides}
    deadline = time.monotonic() + PROOF_SECONDS
    for expr, target in zip(exprs, targets):
        diff = ctx.expand_all(sp.sympify(expr, strict=True)).xreplace(point) - target  # safe: strict=True refuses text
        if diff == 0:
            continue
        if sp.count_ops(diff) > 1500 or time.monotonic() > deadline:
            return False
        if not within(max(deadline - time.monotonic(), 0.5), "an exact value at the example",
                      lambda: prove_zero(diff, probes=0).proved, False):
            return False
    return True


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


def truth_text(link: Link, value, parameter=None) -> str | None:
    from .printing import truth_latex, update_latex

    if parameter is not None:  # an update: p - eta dC/dp in the document's names reads better than its expansion
        text = update_latex(link.ctx, link.notation, parameter)
        if text is not None:
            return text
    return truth_latex(link.ctx, link.notation, value)


