r"""Checking a chain ``a = b = c = 0.46`` link by link.

Each side of a chain is one of three sorts: *symbolic* (it names quantities of
the network or derivatives), *numeric* (arithmetic on printed numbers only) or
a *literal* (a printed number or a row of them). A link between two sides is

* symbolic = symbolic: an identity. It is refuted if the two sides differ at
  one of three seeded random points (inputs drawn at random, every program
  variable and adjoint computed from them, 40 digits); otherwise it is proved
  exactly: the difference, with activations written in their pre-activations,
  is handed to :func:`symbp.proof.prove_zero`, expanding symbp's adjoints one
  layer at a time until it cancels. If no proof is found the link counts as
  correct on numeric evidence and the reason says so;
* symbolic = literal: the expression at the worked example's exact numbers must
  round to the literal at the precision printed; if it only does with the
  values the document printed earlier for its quantities, it is ``rounding``.
  A whole number printed without decimals (``= 0``, ``= 2``) is the value
  itself: unless the link is an identity, the value at the example must equal
  it exactly (a gradient of -0.043 is not 0);
* symbolic = numeric: the expression's value must lie in the interval the
  printed numbers stand for;
* numeric = literal: the arithmetic, done exactly, must round to the literal;
  if only the interval reaches it, ``rounding``.

When every link holds but the chain's first expression, computed exactly, does
not round to the final printed number, the verdict is ``rounding``. A link
wrong at the worked example only because a pre-activation sits exactly at its
activation's kink (relu at z = 0), where the document takes another value of
the derivative than symbp (relu'(0) = 1 for 0), is ``correct`` and its reason
names that convention (:mod:`.kinks`).
Non-goals: the catalogue of mistakes (:mod:`.mistakes`, tried by :mod:`.diagnose`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from .compare import Comparison, identity, identity_at_example, identity_in_example
from .printed import (arithmetic_vs_arithmetic, arithmetic_vs_literal, value_vs_arithmetic, value_vs_integer,
                      value_vs_literal)
from .earlier import final_mismatch, record_printed
from .sides import Side, all_integers, describe_shape, same_shape
from .context import LR, Context, QuantityError
from .env import ClaimEnv, Elided, NotFinite, ShapeMismatch, UnknownSymbol
from .latex import PLACEHOLDER, Atom, Deriv, Literal, MatrixLit, Node
from .pieces import walk
from .quantities import NoSuchLayer
from .notation import NotationError
from .values import finite
from .tokens import LatexParseError
from .reader import Builder

__all__ = ["Link", "Outcome", "check_chain", "compare_link", "side_sort", "reason_of"]



@dataclass
class Outcome:
    """A chain's verdict, reason, expected value and diagnosis."""

    verdict: str
    reason: str
    expected: str | None = None
    diagnosis: str | None = None
    #: For an ``unchecked`` chain, the error that left its first unchecked link so.
    error: Exception | None = None
    #: A link whose message the reason shows holds on numeric evidence only (:attr:`.compare.Comparison.numeric`).
    numeric: bool = False


@dataclass
class Link:
    """Everything needed to check one chain of a claim (and to rebuild sides for the diagnosis)."""

    verifier: object
    claim: object
    reading: object
    chain: tuple
    ctx: Context
    notation: object
    instances: list
    defined: dict
    sorts: list = field(default_factory=list)

    @classmethod
    def setup(cls, verifier, claim, reading, chain, ctx, notation, instances, defined) -> Link:
        link = cls(verifier, claim, reading, chain, ctx, notation, instances, defined)
        link.sorts = [side_sort(node, reading) for node in chain]
        return link

    def text(self, k: int) -> str:
        start, end = self.chain[k].span
        return self.reading.source[start:end].strip()

    def build(self, k: int, bindings: dict, *, variant=None, mutation=None, update_sign=1, renamed=None) -> Side:
        """Build side ``k`` under ``bindings`` (with an optional mistake for the diagnosis: ``renamed`` maps a
        placeholder of the reading to the piece put in its place, a symbol written with another layer)."""
        if self.chain[k].error is not None:
            raise self.chain[k].error
        env = ClaimEnv(self.ctx, self.notation, self.reading.source, bindings, self.defined)
        env.variant, env.mutation = variant, mutation
        parameter = None
        try:
            reading = replace(self.reading, pieces={**self.reading.pieces, **renamed}) if renamed else self.reading
            value = Builder(reading, env).node(self.chain[k])
            if k == 0 and self.claim.kind == "update":
                parameter, value = value, self._updated(value, env, update_sign)
        except ShapeMismatch as exc:
            return Side(None, env, exc)
        if not finite(value):
            return Side(None, env, NotFinite("it is not a finite number (a division by zero, or a logarithm of 0)"))
        if isinstance(value, sp.Basic) and value.has(sp.I):
            return Side(None, env, NotFinite("it is not a real number (a square root or a logarithm of a negative "
                                             "number)"))
        return Side(value, env, parameter=parameter)

    def _updated(self, value, env: ClaimEnv, sign: int):
        """The new value of a parameter after one gradient-descent step."""
        def step(p):
            if not isinstance(p, sp.Symbol):
                raise NotationError("the left side of an update rule must be a parameter", self.reading.source)
            if self.ctx.spec is not None and (p in self.ctx.gradient.gradients or p in self.ctx.gradient.adjoints):
                d = self.ctx.cost_derivative(p, env.variant)
            elif self.ctx.definitions:  # a context of definitions: the last one is the loss descended
                d = self.ctx.derivative(self.ctx.definitions[-1][0], p)
            else:
                raise NotationError(f"an update of {p}, which is not a parameter of the network", self.reading.source)
            return p - sign * LR * d
        return value.applyfunc(step) if isinstance(value, sp.MatrixBase) else step(value)


def side_sort(node: Node, reading) -> str:
    r"""The sort of one side of a chain: ``"symbolic"``, ``"numeric"``, ``"literal"`` or ``"unreadable"``.

    A side that names a quantity or a derivative anywhere in it is symbolic; a printed number (optionally
    negated), a whole number or a matrix of printed numbers is literal; any other arithmetic on numbers is
    numeric; a side that could not be read (``node.error``) is unreadable. The sorts of a link's two sides
    choose its comparison (:func:`compare_link`).

    Parameters
    ----------
    node : Node
        One side of a chain of ``reading``.
    reading : Reading
        The claim as read by :func:`~.reader.read` (its ``pieces``).

    Returns
    -------
    str
        The side's sort.

    Examples
    --------
    >>> from symbp.documents.reader import read
    >>> reading = read(r"\hat{y} = \sigma(0.76) = 0.68")
    >>> [side_sort(side, reading) for side in reading.chains[0]]
    ['symbolic', 'numeric', 'literal']
    """
    if node.error is not None:
        return "unreadable"
    pieces = list(walk(node, reading.pieces))
    if any(isinstance(p, (Atom, Deriv)) and not getattr(p, "name", "").startswith(r"\infty") for p in pieces):
        return "symbolic"
    skeleton = node.skeleton.strip().lstrip("-").strip()
    single = PLACEHOLDER.fullmatch(skeleton)
    if skeleton.isdigit():
        return "literal"
    if single:
        piece = reading.pieces[int(single.group(1))]
        if isinstance(piece, Literal):
            return "literal"
        if isinstance(piece, MatrixLit) and all(side_sort(c, reading) == "literal" for row in piece.rows for c in row):
            return "literal"
    return "numeric"


# ----- The chain -----
def check_chain(link: Link) -> Outcome:
    r"""Check every link of one chain over every instance; the first broken link decides.

    A chain about whole matrices is first proved in matrix form (:func:`~.matrixclaims.matrix_outcome`).
    Otherwise each instance (layer and index variables bound) builds every side and compares neighbours
    (:func:`compare_link`, then :mod:`.compare`). The first wrong link makes the chain wrong and is diagnosed
    (:func:`~.diagnose.diagnose`); a link next to a side that cannot be read is unchecked while the others are
    still checked; a chain whose links all hold but whose first expression does not round to its final number
    is ``rounding`` (:func:`~.earlier.final_mismatch`). What the document printed is recorded for later claims
    (:func:`~.earlier.record_printed`).

    Parameters
    ----------
    link : Link
        The chain, with its claim, context, notation and instances (:meth:`Link.setup`).

    Returns
    -------
    Outcome
        The verdict (``correct``, ``wrong``, ``rounding`` or ``unchecked``), the reason (for a chain of more
        than two sides, ``"link k of n breaks: <left> = <right>: ..."`` or each link's reason, ``"link k: ..."``),
        the expected value and the diagnosis of a wrong link.

    Raises
    ------
    LatexParseError
        When no link can be checked (the first unreadable side's error), or a side of a two-sided equation
        cannot be read; :class:`~.notation.NotationError` when no instance makes every quantity exist.
        :class:`~.verify.Verifier` turns these into ``unchecked`` with :func:`reason_of`.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\frac{dh}{dx} = 2 x = 3 x", "derivative"),
    ...                        (r"\frac{dh}{dx} = 2 x = \theta", "derivative"), (r"\frac{dh}{dx}", "derivative"),
    ...                        network=None, notation={"x": "free"}, definitions=["h = x^{2}"]):
    ...     print(r.verdict, "|", r.reason)
    wrong | link 2 of 2 breaks: 2 x = 3 x: the two sides differ: at a seeded random point the left is 1.38 and the right 2.07
    unchecked | unchecked: unknown symbol \theta (no meaning in [notation]; add an entry such as '\theta' = "..." or mark it "free") (link 2 of 2: 2 x = \theta); link 1 holds
    unchecked | unchecked: not an equation (nothing to compare with)
    """
    from .diagnose import Problem, diagnose
    from .kinks import at_kinks
    from .matrixclaims import matrix_outcome

    n = len(link.chain)
    if n < 2:
        return Outcome("unchecked", "unchecked: not an equation (nothing to compare with)")
    matrix = matrix_outcome(link)  # whole matrices: proved for every size in matrix form, when it can be
    if matrix is not None:
        reason, count = matrix
        return Outcome("correct", reason if n == 2 else "; ".join(f"link {k + 1}: {reason}" for k in range(n - 1)))
    notes: list[dict[str, bool]] = [{} for _ in range(n - 1)]  # link -> its messages -> numeric evidence only
    statuses = ["correct"] * (n - 1)
    rounding_expected: dict[int, object] = {}  # link -> the true value of the first instance that only rounds
    unread: dict[int, Exception] = {}  # link -> why it could not be checked (a side not read, or without meaning)
    built = None
    convention = link  # the chain in the context of the document's values at the example's kinks, if it needs them
    for bindings in link.instances:
        sides = _build_sides(link, bindings)
        if sides is None:
            continue
        built = built or (sides, bindings)
        for k in range(n - 1):
            broken = sides[k].unreadable or sides[k + 1].unreadable
            if broken is not None:
                unread.setdefault(k, broken)
                continue
            comparison = compare_link(link, k, sides)
            held = at_kinks(link, k, sides) if comparison.status == "wrong" else None
            if held is not None:  # off only by the derivative's value at a kink of the example: a convention
                comparison, convention = held
            if comparison.status == "wrong":
                where = f" (at {bindings.shown(link.notation.index_base)})" if len(link.instances) > 1 else ""
                head = f"link {k + 1} of {n - 1} breaks: {link.text(k)} = {link.text(k + 1)}{where}: " if n > 2 else \
                    f"{where.strip(' ()') + ': ' if where else ''}"
                problem = Problem(link, k, sides, bindings)
                diagnosis, fixed = diagnose(problem)
                record_printed(link, sides)
                return Outcome("wrong", head + comparison.message, fixed or comparison.expected, diagnosis)
            if comparison.status == "rounding":
                statuses[k] = "rounding"
                rounding_expected.setdefault(k, comparison.expected)
            notes[k][comparison.message] = notes[k].get(comparison.message, False) or comparison.numeric
    if built is None:
        raise NotationError("no layer of the network makes every quantity of this claim exist")
    if len(unread) == n - 1:  # no link could be checked: the first side's reason is the claim's
        raise next(side.unreadable for side in built[0] if side.unreadable is not None)
    if unread:
        checked = [f"link {k + 1} holds" for k in range(n - 1) if k not in unread]
        first = min(unread)
        return Outcome("unchecked", f"{reason_of(unread[first])} (link {first + 1} of {n - 1}: "
                                    f"{link.text(first)} = {link.text(first + 1)}); " + ", ".join(checked),
                       error=unread[first])
    sides, bindings = built
    record_printed(link, sides)
    verdict = "rounding" if "rounding" in statuses else "correct"
    shown = {k: min(x) for k, x in enumerate(notes) if x}  # each link's reason: its first message in sorted order
    reason = "; ".join(shown.values()) if n == 2 else "; ".join(f"link {k + 1}: {m}" for k, m in shown.items())
    numeric = any(notes[k][m] for k, m in shown.items())
    expected = rounding_expected[min(rounding_expected)] if rounding_expected else None
    final = final_mismatch(convention, sides)
    if final is not None:
        verdict, expected = "rounding", final[1]
        reason = f"{final[0]}; {reason}"
    return Outcome(verdict, reason, expected if verdict != "correct" else None, None, numeric=numeric)


def _build_sides(link: Link, bindings: dict) -> list[Side] | None:
    """Every side under ``bindings``; None when a quantity's layer does not exist there (the instance is skipped).

    In a chain of more than two sides, a side that cannot be read or given a meaning is kept as unreadable, so
    that the links between the other sides are still checked; in an equation of two sides its error is raised.
    """
    sides = []
    for k in range(len(link.chain)):
        try:
            sides.append(link.build(k, bindings))
        except LatexParseError as exc:
            if isinstance(exc, NoSuchLayer) and len(link.instances) > 1:
                return None
            if len(link.chain) == 2:
                raise
            sides.append(Side(unreadable=exc))
    return sides


def compare_link(link: Link, k: int, sides: list[Side], *, example_only: bool = False) -> Comparison:
    """The comparison of the link between sides k and k+1, chosen by their sorts (with ``example_only``, compared at
    the worked example's numbers only, even two symbolic sides or a whole number: :func:`.kinks.at_kinks`)."""
    a, b = sides[k], sides[k + 1]
    for side, index in ((a, k), (b, k + 1)):
        if side.error is not None:
            return Comparison("wrong", f"{link.text(index)} is not defined: {str(side.error).split(' in ')[0]}")
    if isinstance(a.value, Elided) or isinstance(b.value, Elided):
        return _elided_shapes(a.value, b.value)
    sa, sb = link.sorts[k], link.sorts[k + 1]
    a, b = _zero_as_matrix(a, sa, b), _zero_as_matrix(b, sb, a)
    if sa == "symbolic" and sb == "symbolic":
        if example_only and same_shape(a.value, b.value):
            return identity_at_example(link, a, b)
        return identity_in_example(link, a, b)
    if "symbolic" in (sa, sb):
        sym, other = (a, b) if sa == "symbolic" else (b, a)
        other_sort = sb if sa == "symbolic" else sa
        if other_sort == "literal" and all_integers(other):
            if not example_only:
                found = identity(link, a, b)
                if found.proved or not link.ctx.has_example:
                    return found
                here = value_vs_integer(link, sym, other)  # equal at seeded random points only: and here?
                exact_here = link.claim.kind == "numeric" and not here.numeric  # a claim about the example, proved there
                return found if found.status == "correct" and here.status == "correct" and not exact_here else here
            return value_vs_integer(link, sym, other)
        if other_sort == "literal":
            return value_vs_literal(link, sym, other)
        return value_vs_arithmetic(link, sym, other)
    if "literal" in (sa, sb) and sa != sb:
        num, lit = (a, b) if sb == "literal" else (b, a)
        return arithmetic_vs_literal(link, num, lit)
    return arithmetic_vs_arithmetic(link, a, b)


def _zero_as_matrix(side: Side, sort: str, other: Side) -> Side:
    r"""A printed ``0`` across from a matrix is the zero matrix of its shape (``b = 0`` for a bias vector).

    Examples
    --------
    >>> _zero_as_matrix(Side(sp.S.Zero), "literal", Side(sp.Matrix([1, 2]))).value
    Matrix([
    [0],
    [0]])
    >>> _zero_as_matrix(Side(sp.S(3)), "literal", Side(sp.Matrix([1, 2]))).value  # only 0 reads that way
    3
    """
    if sort == "literal" and side.value == 0 and not isinstance(side.value, sp.MatrixBase) \
            and isinstance(other.value, sp.MatrixBase):
        return replace(side, value=sp.zeros(*other.value.shape))
    return side


def _elided_shapes(a, b) -> Comparison:
    """A link with a side left out ('...'): wrong when no value of that part gives the two sides one shape."""
    def dims(x):
        if isinstance(x, Elided):
            return x.rows, x.cols
        if isinstance(x, sp.MatrixBase):
            return x.shape
        return 1, 1

    def text(x):
        return x.text() if isinstance(x, Elided) else describe_shape(x)

    if all(p is None or q is None or p == q for p, q in zip(dims(a), dims(b))):
        raise NotationError("a side with a part left out ('...'): its shape fits, and its value cannot be checked")
    return Comparison("wrong", f"the left side is {text(a)}, the right side {text(b)}: no value of the part left out "
                               f"makes them the same shape")


def reason_of(exc: Exception) -> str:
    r"""The reason an error gives a claim (or a link) that cannot be checked.

    Parameters
    ----------
    exc : Exception
        The error met while reading or building the claim.

    Returns
    -------
    str
        ``"unchecked: ..."``: for an unknown symbol its message without the column; for LaTeX that cannot be
        parsed ``"unchecked: cannot parse the LaTeX: <message at column k in '<source>'>"``; for a notation or
        quantity error its message without the source. A shape mismatch's message is returned unchanged.

    Examples
    --------
    >>> from symbp.documents.env import UnknownSymbol
    >>> from symbp.documents.tokens import LatexParseError
    >>> print(reason_of(LatexParseError("unbalanced '{': no matching '}'", "x_{1", 2)))
    unchecked: cannot parse the LaTeX: unbalanced '{': no matching '}' at column 3 in 'x_{1'
    >>> print(reason_of(UnknownSymbol(r"unknown symbol \theta (no meaning in [notation])", r"\theta + 1", 0)))
    unchecked: unknown symbol \theta (no meaning in [notation])
    """
    text = str(exc)
    if isinstance(exc, UnknownSymbol):
        return f"unchecked: {text.split(' at column')[0]}"
    if isinstance(exc, ShapeMismatch):
        return text
    if isinstance(exc, LatexParseError) and not isinstance(exc, (NotationError, QuantityError)):
        return f"unchecked: cannot parse the LaTeX: {text}"
    return f"unchecked: {text.split(' in ' + repr(getattr(exc, 'source', '')))[0] if getattr(exc, 'source', '') else text}"
