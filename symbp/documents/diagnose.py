r"""Diagnosis: which common mistake explains a wrong link.

The catalogue (:data:`.mistakes.MISTAKES`) is tried in order on the wrong link;
the first entry that reproduces the document's claim is the diagnosis. When no
single entry does, pairs are tried (bounded by :data:`MAX_PAIRS`): a mistake
in the formula undone on the document's side and one made on the true side (the
wrong np.sum axis together with an extra 1/m), and the report names both; a
slip in copying a number (:attr:`.Mistake.alone`) is named only alone. A
printed number with fewer than :data:`RESOLVED_DIGITS` significant digits is
explained by no mistake (one would fit it by chance). For an update with
numbers that does not use the gradient the document printed earlier, a note
says so. Non-goals: the mistakes themselves (:mod:`.mistakes`), verdicts
(:mod:`.links`).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import sympy as sp

from .context import LR
from .env import Elided
from ..errors import SymbpError
from .numbers import Printed, rounds_to
from .sides import Side, entries, exact
from .mistakes import MISTAKES, Mistake, Problem, safely

__all__ = ["Problem", "diagnose", "MAX_PAIRS", "RESOLVED_DIGITS", "significant_digits"]

#: At most this many (repair, commit) pairs are tried when no single mistake reproduces a claim.
MAX_PAIRS = 120

#: A number printed with fewer significant digits than this is explained by no mistake: 0.04 stands for anything
#: from 0.035 to 0.045, where one of the twenty-odd values the catalogue tries falls by chance about one time in
#: four (a random wrong 0.04 was "a wrong derivative of the sigmoid"); with two digits, a few times in a hundred.
RESOLVED_DIGITS = 2


def significant_digits(printed: Printed) -> float:
    """How many significant digits a printed number shows (0.065: 2; 0.00: 0); infinite for a whole number.

    Examples
    --------
    >>> from fractions import Fraction
    >>> [significant_digits(Printed(Fraction(v), d, v)) for v, d in (("0.065", 3), ("-1.20", 2), ("0.00", 2), ("3", 0))]
    [2, 3, 0, inf]
    """
    if printed.whole:
        return float("inf")
    if printed.value == 0:
        return 0
    return printed.decimals + (Decimal(abs(printed.value.numerator)) / printed.value.denominator).adjusted() + 1


def _resolved(problem: Problem, claimed: Side) -> bool:
    """Does every printed number of the document's side (as it stands, or repaired) show :data:`RESOLVED_DIGITS`?

    An expression has no printed precision; in arithmetic, one of the example's own inputs (a weight, the
    learning rate) is exact; a side that is only printed numbers states values, whatever inputs they equal.
    """
    sort = problem.sort(1)
    if sort == "symbolic" or claimed.value is None:
        return True
    used = set().union(*(sp.sympify(e, strict=True).free_symbols for e in entries(claimed.value)))  # safe: strict
    return all(significant_digits(p) >= RESOLVED_DIGITS or p.exact and sort != "literal"
               for s, p in claimed.env.literals.items() if s in used)


def _reproduces(problem: Problem, mistake: Mistake, side: Side | None) -> bool:
    if mistake.kind == "test":
        return True
    if not _resolved(problem, side if mistake.kind == "repair" else problem.claimed):
        return False
    if mistake.kind == "commit":
        return problem.matches(side.value, env=side.env)
    return problem.repaired(side)


def _tried(problem: Problem, mistake: Mistake) -> list:
    try:
        return list(mistake.candidates(problem))
    except (SymbpError, ArithmeticError):  # a mistake that cannot be tried here (no example numbers...)
        return []


def diagnose(problem: Problem) -> tuple[str | None, str | None]:
    r"""(diagnosis, expected) for a wrong link: the first mistake of :data:`MISTAKES` that reproduces it, else the
    first pair of them (one undone in the document's side, one made on the true side) that does.

    A mistake reproduces the claim when the true side with the mistake made (or the document's side with it
    undone) agrees with the other side: for expressions at the seeded random points, for numbers at the
    precision printed. :func:`~.links.check_chain` calls it on the first wrong link of a chain.

    Parameters
    ----------
    problem : Problem
        The wrong link: side ``k`` (the true one) and side ``k + 1`` (the document's claim) under ``bindings``.

    Returns
    -------
    tuple of (str or None, None)
        The diagnosis: the explanation of the mistake found, ``"two mistakes together: <undone>; and <made>"``
        for a pair, or None when none reproduces the claim (or a side is unknown or left out); for an update
        with numbers that does not use the gradient the document printed earlier, a note saying so is added.
        The second element is always None: the expected value is the link's own (:mod:`.compare`).

    Examples
    --------
    On :data:`.examples.ONE_UNIT`, whose quadratic cost is (a - y)^2 / 2:

    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\frac{\partial L}{\partial \hat{y}} = 2 (\hat{y} - y)", "derivative"),
    ...                        (r"\frac{\partial L}{\partial \hat{y}} = \hat{y} + y", "derivative")):
    ...     print(r.verdict, "|", r.diagnosis)
    wrong | a factor 2 too many: 2 versus 1/2 in the quadratic cost (here the loss is (a - y)**2/2, whose derivative is a - y)
    wrong | None
    """
    found = None
    if problem.reference.value is None or problem.claimed.value is None and problem.claimed.error is None:
        return None, None
    if isinstance(problem.reference.value, Elided) or isinstance(problem.claimed.value, Elided):
        return None, None  # only a shape is known: no mistake of the catalogue can be tried
    tried = {}
    for mistake in MISTAKES:
        tried[mistake.name] = _tried(problem, mistake)
        found = next((text for side, text in tried[mistake.name] if safely(_reproduces, problem, mistake, side)), None)
        if found:
            break
    if not found:
        found = _pair(problem, tried)
    note = _carried_note(problem)
    if note:
        found = f"{found}; and {note}" if found else note[0].upper() + note[1:]
    return found, None


def _pair(problem: Problem, tried: dict) -> str | None:
    """Two mistakes together: a repair of the document's side that a mistake made on the true side then matches.

    Mistakes named only alone (:attr:`.Mistake.alone`) take no part.
    """
    paired = [m for m in MISTAKES if not m.alone]
    repairs = [(side, text) for m in paired if m.kind == "repair" for side, text in tried.get(m.name, [])]
    commits = [(side, text) for m in paired if m.kind == "commit" for side, text in tried.get(m.name, [])]
    for (repaired, undone), (committed, made) in list(itertools.product(repairs, commits))[:MAX_PAIRS]:
        if _resolved(problem, repaired) and safely(problem.matches, committed.value, repaired, committed.env):
            return f"two mistakes together: {undone}; and {made}"
    return None


def _carried_note(problem: Problem) -> str | None:
    """For an update with numbers: the gradient it uses is not the one the document computed earlier."""
    link = problem.link
    if link.claim.kind != "update" or problem.sort(1) == "symbolic" or problem.reference.value is None:
        return None
    value = problem.reference.value
    if isinstance(value, sp.MatrixBase) or not value.has(LR):
        return None
    gradient = sp.expand(-(value - value.subs(LR, 0)) / LR)
    for line, expr, printed, text in reversed(link.verifier.printed_exprs.get(link.claim.context, [])):
        if sp.expand(expr - gradient) == 0:
            if not _uses(problem.claimed, printed):
                return (f"none of the update's numbers is the {printed.text} the document computed for {text} at "
                        f"line {line}")
    return None


def _uses(side: Side, printed: Printed) -> bool:
    r"""Does some part of the side's arithmetic (a number, or a product or sum of them) give ``printed``, up to sign?

    ``0.5 - 0.1 (-0.07 \cdot 2)`` uses the -0.14 of an earlier line, though no single number of it is -0.14.
    """
    for node in sp.preorder_traversal(side.value):
        factors = node.args if isinstance(node, sp.Mul) and len(node.args) <= 5 else (node,)
        # SymPy flattens 0.1 (-0.07 \cdot 2) into one product: every sub-product of its factors is a candidate
        for k in range(1, len(factors) + 1):
            for part in itertools.combinations(factors, k):
                value = exact(sp.Mul(*part), side.env)
                if value.is_number and (rounds_to(value, printed) or rounds_to(-value, printed)):
                    return True
    return False
