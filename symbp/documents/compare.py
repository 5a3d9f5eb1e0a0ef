r"""The comparisons a link makes, and the numbers the document printed earlier.

:func:`identity` (two expressions: refuted numerically at seeded points, then
proved exactly), :func:`value_vs_literal` (an expression at the worked
example against a printed number, at its precision), :func:`value_vs_arithmetic`
(an expression against arithmetic on printed numbers, with intervals),
:func:`arithmetic_vs_literal` and :func:`arithmetic_vs_arithmetic`; each returns
``(status, message, expected)``. :func:`record_printed` remembers what the
document printed for its quantities, so that :func:`rounded_values` can tell a
value the document rounded too early. Non-goals: walking chains (:mod:`.links`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from ..proof import prove_zero
from .context import Context
from .env import ClaimEnv, shape
from .latex import PLACEHOLDER, Atom, Deriv
from .limits import within
from .numbers import Printed, contains, interval, overlaps, rounds_to, show

if TYPE_CHECKING:  # pragma: no cover
    from .links import Link

__all__ = ["Side", "identity", "value_vs_literal", "value_vs_integer", "value_vs_arithmetic", "arithmetic_vs_literal",
           "arithmetic_vs_arithmetic", "final_mismatch", "record_printed", "rounded_values", "rounded_names",
           "entries", "printed_of", "exact", "POINTS"]

POINTS = (0, 1, 2)
PROOF_STAGES = 8
PROOF_SECONDS = 8.0
STEP_SECONDS = 2.0
#: Ends the reason of a link found equal by evaluation but not proved: reports count these separately.
NUMERIC_EVIDENCE = "(numeric evidence only)"


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
    """The entries of a side's value, in row-major order: a scalar is a list of one.

    Every comparison walks the entries of its two sides in parallel, so a 1 x 1 matrix and a scalar compare alike.

    Parameters
    ----------
    value : sympy.MatrixBase or sympy.Expr
        A side's value.

    Returns
    -------
    list
        The matrix's entries row by row, or ``[value]``.

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
    r"""The printed number a literal entry is (``0.46``, ``-0.46``, ``2``).

    A side's printed decimals are symbols (``@lit0``) whose :class:`~.numbers.Printed` the environment that
    built the side remembers in ``env.literals``.

    Parameters
    ----------
    expr : sympy.Expr
        One entry of a literal side: a literal symbol, its negative, or an integer.
    env : ClaimEnv
        The environment that built the side.

    Returns
    -------
    Printed or None
        The number as printed (value, decimals, text); None for anything else (arithmetic, a symbol).

    Examples
    --------
    >>> from symbp.documents.claims import Context as ClaimsContext
    >>> from symbp.documents.context import Context
    >>> from symbp.documents.notation import Notation
    >>> from symbp.documents.reader import Builder, read
    >>> reading = read(r"-0.46 = 0.5 \cdot 0.25")
    >>> env = ClaimEnv(Context(ClaimsContext()), Notation({}), reading.source)
    >>> left, right = (Builder(reading, env).node(side) for side in reading.chains[0])
    >>> printed_of(left, env)
    Printed(value=Fraction(-23, 50), decimals=2, text='-0.46', exact=False)
    >>> printed_of(right, env) is None, printed_of(2, env).text
    (True, '2')
    """
    from fractions import Fraction

    expr = sp.sympify(expr)
    if expr in env.literals:
        return env.literals[expr]
    if expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1 and expr.args[1] in env.literals:
        p = env.literals[expr.args[1]]
        return Printed(-p.value, p.decimals, "-" + p.text)
    if expr.is_Integer:
        return Printed(Fraction(int(expr)), 0, str(expr))
    return None


def exact(expr, env: ClaimEnv):
    r"""A numeric side's exact value from its printed numbers.

    Parameters
    ----------
    expr : sympy.Expr
        An entry of a side built by ``env`` (printed decimals are symbols ``@lit0``, ``@lit1``...).
    env : ClaimEnv
        The environment that built the side (``env.literals``: symbol -> :class:`~.numbers.Printed`).

    Returns
    -------
    sympy.Expr
        ``expr`` with each printed number replaced by the exact rational it prints (0.25 is 1/4).

    Examples
    --------
    >>> from symbp.documents.claims import Context as ClaimsContext
    >>> from symbp.documents.context import Context
    >>> from symbp.documents.notation import Notation
    >>> from symbp.documents.reader import Builder, read
    >>> reading = read(r"0.5 \cdot 0.25 - 0.1")
    >>> env = ClaimEnv(Context(ClaimsContext()), Notation({}), reading.source)
    >>> side = Builder(reading, env).node(reading.chains[0][0])
    >>> sorted(p.text for p in env.literals.values()), exact(side, env)
    (['0.1', '0.25', '0.5'], 1/40)
    """
    subs = {s: p.rational for s, p in env.literals.items()}
    return sp.sympify(expr).xreplace(subs)


def describe_shape(x) -> str:
    s = shape(x)
    return "a scalar" if s is None or s == (1, 1) else f"a {s[0]} x {s[1]} matrix"


def _integers(side: Side) -> bool:
    """A literal side of whole numbers only (exact constants, not printed roundings)."""
    return all(sp.sympify(e).is_Integer for e in entries(side.value))


def _shapes_fit(a, b) -> bool:
    return same_shape(a, b) or vector_shapes(a, b)


def identity(link: Link, a: Side, b: Side):
    r"""Compare two symbolic sides as an identity: refuted at seeded random points, else proved exactly.

    Both sides are evaluated (40 digits) at the three seeded random points :data:`POINTS`; a difference
    beyond 25 digits refutes the link. Otherwise each entry's difference is proved zero by
    :func:`prove_entry` within ``PROOF_SECONDS``; without a proof the link is correct on numeric evidence
    only, and the message says so (reports count these apart).

    Parameters
    ----------
    link : Link
        The chain being checked (its context, notation and claim).
    a, b : Side
        The two sides of the link, both symbolic.

    Returns
    -------
    tuple of (str, str, str or None)
        ``(status, message, expected)``:

        * ``("wrong", "the left side is a 2 x 1 matrix, the right side a scalar", None)`` when the shapes differ;
        * ``("wrong", "the two sides differ: at a seeded random point the left is ... and the right ...",
          expected)``, ``expected`` the true value of the left side as LaTeX in the document's notation
          (for an update, ``p - \eta dC/dp``), or None when it is too long to read;
        * ``("correct", "proved exactly (...)", None)``;
        * ``("correct", "equal to 25 digits at 3 seeded random points; not proved symbolically within 8 s
          (numeric evidence only)", None)``.

    Examples
    --------
    Through :class:`~.verify.Verifier`, with a definition of the claims file and no network:

    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\frac{dh}{dx} = 2 x', kind = "derivative"},
    ...          {line = 2, latex = '\frac{dh}{dx} = 3 x', kind = "derivative"}]
    ... [context]
    ... definitions = ['h = x^{2}']
    ... [notation]
    ... x = "free"
    ... ''')
    >>> right, wrong = Verifier(claims).run().results
    >>> right.verdict, right.reason
    ('correct', 'proved exactly (the difference cancels to 0, symbp autodiff on the network)')
    >>> wrong.verdict, wrong.reason, wrong.expected
    ('wrong', 'the two sides differ: at a seeded random point the left is 1.38 and the right 2.07', '2 x')
    """
    va, vb = a.value, b.value
    if not same_shape(va, vb):
        return "wrong", f"the left side is {describe_shape(va)}, the right side {describe_shape(vb)}", None
    overrides = {**_exact_literals(a.env), **_exact_literals(b.env)}
    ctx = link.ctx
    for point in POINTS:
        ea = entries(ctx.evaluate(va, point, overrides))
        eb = entries(ctx.evaluate(vb, point, overrides))
        for x, y in zip(ea, eb):
            if abs(x - y) > sp.Float(10) ** -25 * (1 + abs(x)):
                return "wrong", (f"the two sides differ: at a seeded random point the left is {show(x)} and the right "
                                 f"{show(y)}"), truth_text(link, va, a.parameter)
    pairs = list(zip(entries(va), entries(vb)))
    deadline = time.monotonic() + PROOF_SECONDS
    if all(prove_entry(ctx, (x - y).xreplace(overrides), deadline) for x, y in pairs):
        return "correct", "proved exactly (the difference cancels to 0, symbp autodiff on the network)", None
    return "correct", ("equal to 25 digits at 3 seeded random points; not proved symbolically within "
                       f"{PROOF_SECONDS:g} s {NUMERIC_EVIDENCE}"), None


def prove_entry(ctx: Context, diff, deadline: float = float("inf")) -> bool:
    """Prove ``diff`` zero exactly: in two normal forms (activations as functions of their z, or each z as
    its affine form of the layer below), expanding symbp's adjoints one layer at a time; finally, if small,
    everything in the inputs, by :func:`symbp.proof.prove_zero`."""
    e = sp.sympify(diff)
    for _ in range(PROOF_STAGES):
        if time.monotonic() > deadline:
            return False
        if any(_cancels(e.xreplace(subs)) for subs in (ctx.substitutions, ctx.affine_substitutions)):
            return True
        nxt = ctx.expand_adjoints_once(e)
        if nxt is None:
            break
        e = nxt
    full = ctx.expand_all(sp.sympify(diff))
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


def _exact_literals(env: ClaimEnv) -> dict:
    return {s: p.rational for s, p in env.literals.items()}


def value_vs_literal(link: Link, sym: Side, lit: Side):
    r"""Compare an expression, at the worked example's exact numbers, with a printed number at its precision.

    The expression's value (40 digits, the side's own printed numbers taken exactly) must round to the
    printed number at the decimals printed (:func:`~.numbers.rounds_to`). If it does not, but does with the
    values the document printed earlier for its quantities (:func:`rounded_values`), the document rounded too
    early. A literal side that holds anything but printed numbers is compared by :func:`value_vs_arithmetic`.

    Parameters
    ----------
    link : Link
        The chain being checked (its context holds the worked example).
    sym : Side
        The symbolic side.
    lit : Side
        The literal side: a printed number, or a matrix of them.

    Returns
    -------
    tuple of (str, str, str or None)
        ``(status, message, expected)``:

        * ``("wrong", "a 2 x 1 matrix compared with a scalar", None)`` when the shapes do not fit (a row and a
          column of the same length do);
        * ``("correct", "<value> at the example's numbers, which rounds to <printed>", None)``;
        * ``("rounding", "the exact value is <value>; <printed> follows only from the values the document
          printed earlier (<names>)", <value>)``;
        * ``("wrong", "the exact value at the example is <value>, not <printed>", <value>)``;

        ``<value>`` shown at the printed precision, then with 6 digits.

    Examples
    --------
    A one-unit sigmoid network whose worked example gives ``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\hat{y} = 0.73', kind = "numeric"},
    ...          {line = 2, latex = '\hat{y} = 0.74', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... ''', base=Path(tmp.name))
    >>> for result in Verifier(claims).run().results:
    ...     print(result.verdict, "|", result.reason, "|", result.expected)
    correct | 0.73 (0.731059) at the example's numbers, which rounds to 0.73 | None
    wrong | the exact value at the example is 0.73 (0.731059), not 0.74 | 0.73 (0.731059)
    """
    if not _shapes_fit(sym.value, lit.value):
        return "wrong", f"{describe_shape(sym.value)} compared with {describe_shape(lit.value)}", None
    printed = [printed_of(e, lit.env) for e in entries(lit.value)]
    if any(p is None for p in printed):
        return value_vs_arithmetic(link, sym, lit)
    values = entries(link.ctx.evaluate(sym.value, "example", _exact_literals(sym.env)))
    shown = _show_all(values, printed)
    if all(rounds_to(v, p) for v, p in zip(values, printed)):
        return "correct", f"{shown} at the example's numbers, which rounds to {_texts(printed)}", None
    rounded = rounded_values(link, sym)
    if rounded is not None and all(rounds_to(v, p) for v, p in zip(rounded, printed)):
        return "rounding", (f"the exact value is {shown}; {_texts(printed)} follows only from the values the "
                            f"document printed earlier ({rounded_names(link, sym)})"), shown
    return "wrong", f"the exact value at the example is {shown}, not {_texts(printed)}", shown


def value_vs_integer(link: Link, sym: Side, lit: Side):
    r"""An expression at the worked example against whole numbers printed without decimals, compared exactly.

    A whole number (``0``, ``1``, ``2``) claims the value itself, not a rounding of it (:func:`.numbers.rounds_to`):
    a gradient of -0.043 is not 0. Equal to 25 digits at 40-digit evaluation, the link is then proved at the
    example's exact numbers when SymPy can (otherwise it is correct on numeric evidence only, and says so); equal
    only with the values the document printed earlier, it is ``rounding``. :func:`.links.check_link` calls it
    for a symbolic side against whole numbers when the link does not hold as an identity and the network has a
    worked example.

    Parameters
    ----------
    link : Link
        The chain being checked (its context holds the worked example).
    sym : Side
        The symbolic side.
    lit : Side
        The literal side: whole numbers only.

    Returns
    -------
    tuple of (str, str, str or None)
        ``(status, message, expected)``:

        * ``("wrong", "a 2 x 1 matrix compared with a scalar", None)`` when the shapes do not fit;
        * ``("correct", "exactly <n> at the example's numbers (proved)", None)``;
        * ``("correct", "equal to <n> to 25 digits at the example's numbers; not proved exactly (numeric
          evidence only)", None)``;
        * otherwise :func:`value_vs_literal`'s verdict, its message ending in "(a whole number printed without
          decimals is compared exactly)".

    Examples
    --------
    A one-unit sigmoid network whose worked example gives ``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``, ``y = 1``:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = 'y = 1', kind = "numeric"},
    ...          {line = 2, latex = '\hat{y} = 1', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... y = "Y[0]"
    ... ''', base=Path(tmp.name))
    >>> for result in Verifier(claims).run().results:
    ...     print(result.verdict, "|", result.reason)
    correct | exactly 1 at the example's numbers (proved)
    wrong | the exact value at the example is 0.731059, not 1 (a whole number printed without decimals is compared exactly)
    """
    if not _shapes_fit(sym.value, lit.value):
        return "wrong", f"{describe_shape(sym.value)} compared with {describe_shape(lit.value)}", None
    printed = [printed_of(e, lit.env) for e in entries(lit.value)]
    overrides = _exact_literals(sym.env)
    values = entries(link.ctx.evaluate(sym.value, "example", overrides))
    if all(rounds_to(v, p) for v, p in zip(values, printed)):
        if _exactly(link.ctx, entries(sym.value), overrides, [p.rational for p in printed]):
            return "correct", f"exactly {_texts(printed)} at the example's numbers (proved)", None
        return "correct", (f"equal to {_texts(printed)} to 25 digits at the example's numbers; not proved exactly "
                           f"{NUMERIC_EVIDENCE}"), None
    status, message, expected = value_vs_literal(link, sym, lit)
    return status, message + " (a whole number printed without decimals is compared exactly)", expected


def _exactly(ctx: Context, exprs: list, overrides: dict, targets: list) -> bool:
    """Proved: each expression, in the network's inputs at the example's exact numbers, is its target."""
    point = {**ctx.example_point(), **overrides}
    deadline = time.monotonic() + PROOF_SECONDS
    for expr, target in zip(exprs, targets):
        diff = ctx.expand_all(sp.sympify(expr)).xreplace(point) - target
        if diff == 0:
            continue
        if sp.count_ops(diff) > 1500 or time.monotonic() > deadline:
            return False
        if not within(max(deadline - time.monotonic(), 0.5), "an exact value at the example",
                      lambda: prove_zero(diff, probes=0).proved, False):
            return False
    return True


def value_vs_arithmetic(link: Link, sym: Side, num: Side):
    r"""Compare an expression, at the worked example's exact numbers, with arithmetic on printed numbers.

    Each printed number of the arithmetic stands for any value within half a unit of its last digit (one of
    the example's own inputs, written with no more digits than it has, is exact); the expression's value must
    lie in the interval the arithmetic then covers (:func:`~.numbers.interval`, :func:`~.numbers.contains`).
    If it does not, but the expression with the values the document printed earlier (:func:`rounded_values`)
    does, the document rounded too early.

    Parameters
    ----------
    link : Link
        The chain being checked (its context holds the worked example).
    sym : Side
        The symbolic side.
    num : Side
        The numeric side: arithmetic on printed numbers (``1 - 0.27``, ``\sigma(0.76)``).

    Returns
    -------
    tuple of (str, str, str or None)
        ``(status, message, expected)``:

        * ``("wrong", "a 2 x 1 matrix compared with a scalar", None)`` when the numbers of entries differ;
        * ``("correct", "the exact value <value> lies within what the printed numbers allow", None)``;
        * ``("rounding", "the exact value is <value>; the arithmetic follows the values the document printed
          earlier (<names>)", <value>)``;
        * ``("wrong", "the exact value at the example is <value>, but the arithmetic gives <exact>", <value>)``,
          ``<exact>`` the arithmetic done exactly on the numbers as printed.

    Examples
    --------
    A one-unit sigmoid network whose worked example gives ``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\hat{y} = 1 - 0.27', kind = "numeric"},
    ...          {line = 2, latex = '\hat{y} = 1 - 0.25', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... ''', base=Path(tmp.name))
    >>> for result in Verifier(claims).run().results:
    ...     print(result.verdict, "|", result.reason)
    correct | the exact value 0.731059 lies within what the printed numbers allow
    wrong | the exact value at the example is 0.73 (0.731059), but the arithmetic gives 0.75
    """
    values = entries(link.ctx.evaluate(sym.value, "example", _exact_literals(sym.env)))
    boxes = [interval(e, num.env.literals) for e in entries(num.value)]
    if len(values) != len(boxes):
        return "wrong", f"{describe_shape(sym.value)} compared with {describe_shape(num.value)}", None
    exacts = [exact(e, num.env).evalf(30) for e in entries(num.value)]
    finest = max(num.env.literals.values(), key=lambda p: p.decimals, default=None)
    shown = _show_all(values, [finest] * len(values))
    if all(box is not None and contains(box, v) for box, v in zip(boxes, values)):
        full = _show_all(values, [None] * len(values))
        return "correct", f"the exact value {full} lies within what the printed numbers allow", None
    rounded = rounded_values(link, sym)
    if rounded is not None and all(box is not None and contains(box, v) for box, v in zip(boxes, rounded)):
        return "rounding", (f"the exact value is {shown}; the arithmetic follows the values the document printed "
                            f"earlier ({rounded_names(link, sym)})"), shown
    return "wrong", (f"the exact value at the example is {shown}, but the arithmetic gives "
                     f"{_show_all(exacts, [finest] * len(exacts))}"), shown


def arithmetic_vs_literal(link: Link, num: Side, lit: Side):
    r"""Compare arithmetic on printed numbers with the printed number it gives.

    The arithmetic, done exactly on the numbers as printed, must round to the printed result. If it does not,
    but the interval its numbers stand for (each within half a unit of its last digit) reaches the range the
    result stands for, the difference is the document's rounding. A literal side that holds anything but
    printed numbers, or a different number of them, is compared by :func:`arithmetic_vs_arithmetic`.

    Parameters
    ----------
    link : Link
        The chain being checked.
    num : Side
        The numeric side: arithmetic on printed numbers.
    lit : Side
        The literal side: a printed number, or a matrix of them.

    Returns
    -------
    tuple of (str, str, str or None)
        ``(status, message, expected)``:

        * ``("correct", "the arithmetic gives <value>, which rounds to <printed>", None)``;
        * ``("rounding", "the arithmetic gives <value>, not <printed>; the difference is within the precision
          of the numbers it starts from", <value>)``;
        * ``("wrong", "the arithmetic gives <value>, not <printed>", <value>)``.

    Examples
    --------
    Printed numbers need no network: 0.73 (1 - 0.73) is 0.1971 exactly, and anything in [0.192, 0.202]
    for numbers that print as 0.73:

    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '0.73 (1 - 0.73) = 0.20', kind = "numeric"},
    ...          {line = 2, latex = '0.73 (1 - 0.73) = 0.19', kind = "numeric"},
    ...          {line = 3, latex = '0.73 (1 - 0.73) = 0.17', kind = "numeric"}]
    ... ''')
    >>> for result in Verifier(claims).run().results:
    ...     print(result.verdict, "|", result.reason)
    correct | the arithmetic gives 0.20 (0.1971), which rounds to 0.20
    rounding | the arithmetic gives 0.20 (0.1971), not 0.19; the difference is within the precision of the numbers it starts from
    wrong | the arithmetic gives 0.20 (0.1971), not 0.17
    """
    printed = [printed_of(e, lit.env) for e in entries(lit.value)]
    values = [exact(e, num.env).evalf(30) for e in entries(num.value)]
    if len(values) != len(printed) or any(p is None for p in printed):
        return arithmetic_vs_arithmetic(link, num, lit)
    shown = _show_all(values, printed)
    if all(rounds_to(v, p) for v, p in zip(values, printed)):
        return "correct", f"the arithmetic gives {shown}, which rounds to {_texts(printed)}", None
    boxes = [interval(e, num.env.literals) for e in entries(num.value)]
    if all(box is not None and overlaps(box, p) for box, p in zip(boxes, printed)):
        return "rounding", (f"the arithmetic gives {shown}, not {_texts(printed)}; the difference is within the "
                            f"precision of the numbers it starts from"), shown
    return "wrong", f"the arithmetic gives {shown}, not {_texts(printed)}", shown


def arithmetic_vs_arithmetic(link: Link, a: Side, b: Side):
    r"""Compare two sides of arithmetic on printed numbers, entry by entry, at the precision printed.

    Two entries agree when the intervals their printed numbers stand for meet (:func:`~.numbers.interval`);
    where an interval cannot be computed, their exact values must agree to 25 digits.

    Parameters
    ----------
    link : Link
        The chain being checked.
    a, b : Side
        The two numeric (or literal) sides.

    Returns
    -------
    tuple of (str, str, str or None)
        ``(status, message, expected)``:

        * ``("wrong", "a scalar compared with a 1 x 2 matrix", None)`` when the numbers of entries differ;
        * ``("wrong", "<x> is not <y>", None)`` for exact values that differ where no interval is known;
        * ``("wrong", "<x> is not <y>, even at the precision printed", <x>)`` for intervals that do not meet;
        * ``("correct", "the two sides agree at the precision printed", None)``.

    Examples
    --------
    0.5 times 0.25 is 0.125, but 0.25 times 0.8 is at least 0.245 times 0.75 = 0.184:

    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '0.5 \cdot 0.25 = 0.25 \cdot 0.5', kind = "numeric"},
    ...          {line = 2, latex = '0.5 \cdot 0.25 = 0.25 \cdot 0.8', kind = "numeric"}]
    ... ''')
    >>> for result in Verifier(claims).run().results:
    ...     print(result.verdict, "|", result.reason, "|", result.expected)
    correct | the two sides agree at the precision printed | None
    wrong | 0.125 is not 0.2, even at the precision printed | 0.125
    """
    ea, eb = entries(a.value), entries(b.value)
    if len(ea) != len(eb):
        return "wrong", f"{describe_shape(a.value)} compared with {describe_shape(b.value)}", None
    for x, y in zip(ea, eb):
        bx, by = interval(x, a.env.literals), interval(y, b.env.literals)
        if bx is None or by is None:
            if abs(exact(x, a.env) - exact(y, b.env)).evalf(30) > 1e-25:
                return "wrong", f"{show(exact(x, a.env))} is not {show(exact(y, b.env))}", None
        elif not (bx.a <= by.b and by.a <= bx.b):
            return "wrong", (f"{show(exact(x, a.env))} is not {show(exact(y, b.env))}, even at the precision "
                             f"printed"), show(exact(x, a.env))
    return "correct", "the two sides agree at the precision printed", None


def final_mismatch(link: Link, sides: list[Side]):
    r"""(reason, expected) when every link holds but the first expression does not round to the final number.

    In a chain ``expression = arithmetic = 0.1971`` each link may hold at the precision printed while the
    arithmetic, started from rounded intermediate values, drifts: :func:`.links.check_chain` then makes the
    verdict ``rounding`` and puts this reason first.

    Parameters
    ----------
    link : Link
        The chain: at least three sides, the last a literal, a symbolic side before it.
    sides : list of Side
        Its sides, built under one instance.

    Returns
    -------
    tuple of (str, str) or None
        ``("computed exactly, <first expression> is <value>, not <printed>: each step holds at the precision
        printed, but the document's rounded intermediate values moved the result", <value>)``, the first
        symbolic side evaluated at the worked example; None when the chain is not of that form or its value
        rounds to the final number.

    Examples
    --------
    A one-unit sigmoid network whose worked example gives ``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\hat{y}(1 - \hat{y}) = 0.73 (1 - 0.73) = 0.1971', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... ''', base=Path(tmp.name))
    >>> result = Verifier(claims).run().results[0]
    >>> result.verdict, result.expected
    ('rounding', '0.1966 (0.196612)')
    >>> print(result.reason.split("; ")[0])
    computed exactly, \hat{y}(1 - \hat{y}) is 0.1966 (0.196612), not 0.1971: each step holds at the precision printed, but the document's rounded intermediate values moved the result
    """
    if len(sides) < 3 or link.sorts[-1] != "literal" or "symbolic" not in link.sorts[:-1]:
        return None
    k = link.sorts.index("symbolic")
    last = sides[-1]
    printed = [printed_of(e, last.env) for e in entries(last.value)]
    if any(p is None for p in printed) or sides[k].value is None:
        return None
    values = entries(link.ctx.evaluate(sides[k].value, "example", _exact_literals(sides[k].env)))
    if len(values) != len(printed) or all(rounds_to(v, p) for v, p in zip(values, printed)):
        return None
    shown = _show_all(values, printed)
    return (f"computed exactly, {link.text(k)} is {shown}, not {_texts(printed)}: each step holds at the "
            f"precision printed, but the document's rounded intermediate values moved the result"), shown


# ----- Values the document printed earlier (for rounding) -----
def record_printed(link: Link, sides: list[Side]) -> None:
    r"""Remember what the document printed for its quantities (a symbol, or a derivative, = numbers).

    :func:`.links.check_chain` calls it for every chain once its verdict is known (a wrong one too: later
    lines use what the document printed, right or not). Only a chain that ends in printed numbers and has a
    single instance is recorded, in the verifier, per context: a side that is one symbol of the network in
    ``verifier.printed`` (symbol -> (printed number, line); :func:`rounded_values` and :func:`rounded_names`
    read it), a side that is one derivative in ``verifier.printed_exprs`` (line, value, printed number, the
    derivative's LaTeX; the diagnosis of a value carried from an earlier line reads it).

    Parameters
    ----------
    link : Link
        The chain checked (its verifier and claim).
    sides : list of Side
        Its sides, built under its one instance.

    Examples
    --------
    A one-unit sigmoid network whose worked example gives ``\hat{y} = \sigma(0.5 \cdot 2) = 0.731059``:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\hat{y} = 0.73', kind = "numeric"},
    ...          {line = 2, latex = 'y = 1', kind = "numeric"},
    ...          {line = 3, latex = '\frac{\partial L}{\partial z} = -0.053', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... y = "Y[0]"
    ... z = "Z[1][0]"
    ... L = "C"
    ... ''', base=Path(tmp.name))
    >>> verifier = Verifier(claims)
    >>> [result.verdict for result in verifier.run().results]
    ['correct', 'correct', 'correct']
    >>> {str(symbol): (printed.text, line) for symbol, (printed, line) in verifier.printed[""].items()}
    {'a^{[1]}_{1}': ('0.73', 1), 'y_{1}': ('1', 2)}
    >>> [(line, text, printed.text) for line, value, printed, text in verifier.printed_exprs[""]]
    [(3, '\\frac{\\partial L}{\\partial z}', '-0.053')]
    """
    if len(link.instances) != 1 or link.sorts[-1] != "literal" or sides[-1].value is None:
        return
    name = link.claim.context
    printed = [printed_of(e, sides[-1].env) for e in entries(sides[-1].value)]
    if any(p is None for p in printed):
        return
    for k, node in enumerate(link.chain[:-1]):
        m = PLACEHOLDER.fullmatch(node.skeleton.strip())
        if m is None or sides[k].value is None:
            continue
        piece = link.reading.pieces[int(m.group(1))]
        values = entries(sides[k].value)
        if len(values) != len(printed):
            continue
        if isinstance(piece, Atom):
            for v, p in zip(values, printed):
                if isinstance(v, sp.Symbol):
                    link.verifier.printed[name][v] = (p, link.claim.line)
        elif isinstance(piece, Deriv):
            for v, p in zip(values, printed):
                link.verifier.printed_exprs[name].append((link.claim.line, v, p, link.text(k)))


def rounded_values(link: Link, sym: Side):
    r"""The side's values with the numbers the document printed earlier in place of exact ones.

    Parameters
    ----------
    link : Link
        The chain being checked (its verifier holds what :func:`record_printed` recorded).
    sym : Side
        A symbolic side.

    Returns
    -------
    list or None
        The side's entries at the worked example (40 digits), each quantity the document printed earlier
        (adjoints expanded into the quantities they are made of) taken at its printed number; None when the
        side uses none of them.

    Examples
    --------
    The exact ``\hat{y}(1 - \hat{y})`` is 0.196612; from the 0.73 printed on line 1 it is 0.1971, so a
    document that prints 0.1971 rounded too early:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\hat{y} = 0.73', kind = "numeric"},
    ...          {line = 2, latex = '\hat{y}(1 - \hat{y}) = 0.1971', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... ''', base=Path(tmp.name))
    >>> for result in Verifier(claims).run().results:
    ...     print(result.verdict, "|", result.reason)
    correct | 0.73 (0.731059) at the example's numbers, which rounds to 0.73
    rounding | the exact value is 0.1966 (0.196612); 0.1971 follows only from the values the document printed earlier (\hat{y} = 0.73, line 1)
    """
    table = link.verifier.printed.get(link.claim.context, {})
    if not table:
        return None
    ctx = link.ctx
    value = sym.value
    expanded = value.applyfunc(ctx.expand_adjoint_symbols) if isinstance(value, sp.MatrixBase) else \
        ctx.expand_adjoint_symbols(value)
    used = {s: p.rational for s, (p, _) in table.items() if s in _free(expanded)}
    if not used:
        return None
    return entries(ctx.evaluate(expanded, "example", {**_exact_literals(sym.env), **used}))


def rounded_names(link: Link, sym: Side) -> str:
    r"""The quantities of a side that the document printed earlier, with their numbers and lines.

    Parameters
    ----------
    link : Link
        The chain being checked (its verifier holds what :func:`record_printed` recorded).
    sym : Side
        A symbolic side.

    Returns
    -------
    str
        ``"<name> = <number>, line <n>"`` for each such quantity the side uses (adjoints expanded), in the
        document's notation (:func:`.printing.doc_name`), joined by ``"; "``; empty when there is none.

    Examples
    --------
    The names close a ``rounding`` reason: ``(\hat{y} - y) \hat{y} (1 - \hat{y})`` is -0.0528771 exactly,
    and -0.0532 from the numbers printed on lines 1 and 2:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.claims import parse_claims
    >>> from symbp.documents.verify import Verifier
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = (Path(tmp.name) / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                                              '[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n')
    >>> claims = parse_claims(r'''document = "doc.md"
    ... claim = [{line = 1, latex = '\hat{y} = 0.73', kind = "numeric"},
    ...          {line = 2, latex = 'y = 1', kind = "numeric"},
    ...          {line = 3, latex = '(\hat{y} - y) \hat{y} (1 - \hat{y}) = -0.0532', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... [notation]
    ... '\hat{y}' = "A[1][0]"
    ... y = "Y[0]"
    ... ''', base=Path(tmp.name))
    >>> result = Verifier(claims).run().results[2]
    >>> print(result.verdict, "|", result.reason)
    rounding | the exact value is -0.0529 (-0.0528771); -0.0532 follows only from the values the document printed earlier (\hat{y} = 0.73, line 1; y = 1, line 2)
    """
    table = link.verifier.printed.get(link.claim.context, {})
    value = sym.value
    expanded = value.applyfunc(link.ctx.expand_adjoint_symbols) if isinstance(value, sp.MatrixBase) else \
        link.ctx.expand_adjoint_symbols(value)
    names = []
    for s in sorted(_free(expanded) & set(table), key=str):
        p, line = table[s]
        names.append(f"{link.verifier_name(s) if hasattr(link, 'verifier_name') else display_name(link, s)} = "
                     f"{p.text}, line {line}")
    return "; ".join(names)


def display_name(link: Link, symbol) -> str:
    from .printing import doc_name

    return doc_name(link.ctx, link.notation, symbol)


def _free(expr) -> set:
    return expr.free_symbols if not isinstance(expr, sp.MatrixBase) else set().union(*[e.free_symbols for e in expr])


def truth_text(link: Link, value, parameter=None) -> str | None:
    from .printing import truth_latex, update_latex

    if parameter is not None:  # an update: p - eta dC/dp in the document's names reads better than its expansion
        text = update_latex(link.ctx, link.notation, parameter)
        if text is not None:
            return text
    return truth_latex(link.ctx, link.notation, value)


def _show_all(values, printed) -> str:
    shown = [show(v, p) for v, p in zip(values, printed)]
    return shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"


def _texts(printed) -> str:
    return printed[0].text if len(printed) == 1 else "[" + ", ".join(p.text for p in printed) + "]"
