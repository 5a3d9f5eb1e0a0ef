r"""Diagnosis: which common mistake explains a wrong link.

The catalogue (:data:`.mistakes.MISTAKES`) is tried in order on the wrong link
(:class:`Problem`); the first entry that reproduces the document's claim is the
diagnosis: :meth:`Problem.matches` decides, for expressions equal at seeded
random points and of the same shape, for numbers at the printed precision. When no
single entry does, pairs are tried (bounded by :data:`MAX_PAIRS`): a mistake
in the formula undone on the document's side and one made on the true side (the
wrong np.sum axis together with an extra 1/m), and the report names both; a
slip in copying a number (:attr:`.Mistake.alone`) is named only alone. A
printed number with fewer than :data:`RESOLVED_DIGITS` significant digits is
explained by no mistake (one would fit it by chance). A slip in a claim's
indices (a layer letter, a missing subscript) is checked at every instance of
the claim, the sides rebuilt there (:meth:`Problem.holds_at`), not only at the
one that broke. For an update with
numbers that does not use the gradient the document printed earlier, a note
says so. Non-goals: the mistakes themselves (:mod:`.mistakes`), verdicts
(:mod:`.links`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

import sympy as sp

from .context import LR
from .env import Elided
from ..errors import SymbpError
from .compare import POINTS
from .numbers import Printed, agrees, contains, interval, rounds_to
from .pieces import Atom, children, walk
from .tokens import PLACEHOLDER
from .values import QuantityError
from .sides import Side, entries, exact, exact_literals, printed_of, safely, same_shape, shapes_fit
from .mistakes import MISTAKES, Mistake

__all__ = ["Problem", "diagnose", "MAX_PAIRS", "REPRODUCED_DIGITS", "RESOLVED_DIGITS", "significant_digits"]

#: How many digits a mistake's value must share with the document's to reproduce it: fewer than
#: :data:`.numbers.AGREED_DIGITS`, as a mistake is computed by another program (a variant network, a repaired
#: expression) whose rounding takes another path than the one it is compared with.
REPRODUCED_DIGITS = 20


@dataclass
class Problem:
    """A wrong link: sides ``k`` (the reference) and ``k + 1`` (the document's claim) under ``bindings``."""

    link: object
    k: int
    sides: list
    bindings: dict

    @property
    def reference(self) -> Side:
        return self.sides[self.k]

    @property
    def claimed(self) -> Side:
        return self.sides[self.k + 1]

    @property
    def ctx(self):
        return self.link.ctx

    def sort(self, offset: int) -> str:
        return self.link.sorts[self.k + offset]

    def rebuild(self, offset: int, **kwargs) -> Side:
        return self.link.build(self.k + offset, self.bindings, **kwargs)

    def pieces(self, offset: int, cls) -> list:
        return [p for p in walk(self.link.chain[self.k + offset], self.link.reading.pieces) if isinstance(p, cls)]

    def symbols(self, offset: int) -> dict:
        """The symbols written in side ``k + offset``: placeholder -> :class:`~.pieces.Atom` (a function's name aside)."""
        out, nodes = {}, [self.link.chain[self.k + offset]]
        while nodes:
            for key in PLACEHOLDER.findall(nodes.pop().skeleton):
                piece = self.link.reading.pieces[int(key)]
                if isinstance(piece, Atom):
                    out[int(key)] = piece
                nodes.extend(children(piece))
        return out

    def written(self, offset: int, renamed: dict) -> str:
        """Side ``k + offset`` as written, each symbol by its name (those of ``renamed``: placeholder -> the symbol
        put in its place, by theirs), without white space: two sides written alike say the same thing."""
        text, (start, end) = self.link.reading.source, self.link.chain[self.k + offset].span
        pieces = sorted(self.symbols(offset).items(), key=lambda kv: -kv[1].span[0])
        for key, atom in pieces:
            text = text[:atom.span[0]] + renamed.get(key, atom).name + text[atom.span[1]:]
            end += len(renamed.get(key, atom).name) - (atom.span[1] - atom.span[0])
        return "".join(text[start:end].split())

    def holds_at(self, instances, renamed: dict | None = None, pick=None) -> bool:
        """Does the link hold, its two sides rebuilt at each of ``instances`` where they exist (with ``renamed``:
        offset 0 or 1 -> placeholder -> symbol put in its place; ``pick(sides, bindings)`` then gives the two values
        compared)? The first instance must be one of them; :meth:`matches` judges each.
        """
        renamed = renamed or {}
        for n, bindings in enumerate(instances):
            try:
                pair = [self.link.build(self.k + o, bindings, renamed=renamed.get(o)) for o in (0, 1)]
            except QuantityError:  # a layer or a unit this instance does not have
                if n == 0:
                    return False
                continue
            except SymbpError:
                return False
            if pick is not None:
                pair = pick(pair, bindings)
            sides = [*self.sides[:self.k], *pair, *self.sides[self.k + 2:]]
            if not safely(Problem(self.link, self.k, sides, bindings).matches, pair[0].value, None, pair[0].env):
                return False
        return bool(instances)

    def repaired(self, side: Side) -> bool:
        """Does the rebuilt document side ``side`` now agree with the reference?"""
        return self.matches(self.reference.value, claimed=side)

    def fits(self, value, claimed) -> bool:
        """Do the shapes fit, as :mod:`.compare` judges the link: exactly between two expressions; a row of printed
        numbers may stand for a column (so an unchanged truth cannot reproduce a row written for a column)."""
        both = self.sort(0) == self.sort(1) == "symbolic"
        return same_shape(value, claimed) if both else shapes_fit(value, claimed)

    def matches(self, value, claimed: Side | None = None, env=None) -> bool:
        """Does ``value`` (the reference with a mistake) reproduce the document's side?"""
        claimed = claimed or self.claimed
        if value is None or claimed.value is None or claimed.error is not None:
            return False
        env = env or self.reference.env
        overrides = {**exact_literals(env), **exact_literals(claimed.env)}
        sort = self.sort(1)
        if not self.fits(value, claimed.value):
            return False
        if sort == "symbolic" and self.sort(0) == "symbolic":
            for point in POINTS:
                for x, y in zip(entries(self.ctx.evaluate(value, point, overrides)),
                                entries(self.ctx.evaluate(claimed.value, point, overrides))):
                    if not agrees(x, y, REPRODUCED_DIGITS):
                        return False
            return True
        values = entries(self.ctx.evaluate(value, "example", overrides)) if self.sort(0) == "symbolic" else \
            [exact(e, env).evalf(30) for e in entries(value)]
        if sort == "literal":
            printed = [printed_of(e, claimed.env) for e in entries(claimed.value)]
            return all(p is not None and rounds_to(v, p) for v, p in zip(values, printed))
        boxes = [interval(e, claimed.env.literals) for e in entries(claimed.value)]
        if sort == "symbolic":
            claim_values = entries(self.ctx.evaluate(claimed.value, "example", overrides))
            return all(agrees(v, c, REPRODUCED_DIGITS) for v, c in zip(values, claim_values))
        return all(box is not None and contains(box, v) for box, v in zip(boxes, values))


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
