r"""Comparing two expressions: an identity refuted numerically at seeded points, then proved exactly.

:func:`identity` compares two symbolic sides of a link for every input; :func:`identity_in_example` and
:func:`identity_at_example` also (or only) at the worked example's numbers, for a line of a worked example.
Each takes the chain being checked (a :class:`~.links.Link`: its context, notation, claim and verifier) and two
:class:`~.sides.Side` objects built under one instance, and returns a :class:`Comparison`, the result of every
comparison of a link (:mod:`.printed` makes those with printed numbers): ``(status, message, expected)``, with
``numeric`` set when a ``correct`` rests on evaluation alone (reports count those claims). The proofs are
:func:`prove_entry` (for every input, symbp's adjoints expanded a layer at a time) and
:func:`exactly_at_example` (at the example's exact numbers). The examples verify claims about
:data:`.examples.ONE_UNIT` (``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``, ``y = 1``).
Non-goals: comparisons with printed numbers (:mod:`.printed`), walking chains (:mod:`.links`), what a side is
(:mod:`.sides`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple

import sympy as sp

from ..proof import prove_zero
from .context import Context
from .limits import within
from .numbers import AGREED_DIGITS, agrees, show
from .sides import Side, describe_shape, distinct, entries, exact_literals, same_shape

if TYPE_CHECKING:  # pragma: no cover
    from .links import Link

__all__ = ["Comparison", "identity", "identity_in_example", "identity_at_example", "prove_entry", "exactly_at_example",
           "truth_text", "POINTS", "NUMERIC_EVIDENCE"]

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
    if exactly_at_example(link.ctx, differences, overrides, [0] * len(differences)):
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

def exactly_at_example(ctx: Context, exprs: list, overrides: dict, targets: list) -> bool:
    """Proved: each expression, in the network's inputs at the example's exact numbers, is its target.

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> ctx, _ = one_unit()
    >>> y, w = ctx.symbols.Y[0], ctx.symbols.W[1][0]
    >>> exactly_at_example(ctx, [y, 2 * w], {}, [1, 1]), exactly_at_example(ctx, [y], {}, [2])
    (True, False)
    """
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

def truth_text(link: Link, value, parameter=None) -> str | None:
    from .printing import truth_latex, update_latex

    if parameter is not None:  # an update: p - eta dC/dp in the document's names reads better than its expansion
        text = update_latex(link.ctx, link.notation, parameter)
        if text is not None:
            return text
    return truth_latex(link.ctx, link.notation, value)


