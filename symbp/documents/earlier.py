r"""The numbers a document printed earlier: remembered per quantity, to tell a value rounded too early.

:func:`record_printed` remembers what the document printed for its quantities
(a symbol or a derivative equal to numbers), so that :func:`rounded_values` can
recompute a later expression from those printed numbers and
:func:`rounded_names` can say which; :func:`final_mismatch` finds a chain whose
links each hold at the precision printed while its result drifted. The
examples verify claims about :data:`.examples.ONE_UNIT`.

Non-goals: the comparisons themselves (:mod:`.compare`, :mod:`.printed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from .latex import PLACEHOLDER, Atom, Deriv
from .numbers import rounds_to
from .printing import doc_name
from .sides import Side, entries, exact_literals, free_of, printed_of, show_all, texts_of

if TYPE_CHECKING:  # pragma: no cover
    from .links import Link

__all__ = ["final_mismatch", "record_printed", "rounded_values", "rounded_names"]


def final_mismatch(link: Link, sides: list[Side]):
    r"""(reason, expected) when every link holds but the first expression does not round to the final number.

    In ``expression = arithmetic = 0.1971`` each link may hold at the precision printed while the arithmetic,
    started from rounded values, drifts: :func:`.links.check_chain` then makes the verdict ``rounding``.

    Parameters
    ----------
    link : Link
        The chain: at least three sides, the last a literal, a symbolic side before it.
    sides : list of Side

    Returns
    -------
    tuple of (str, str) or None
        ``("computed exactly, <first expression> is <value>, not <printed>: each step holds at the precision
        printed, but the document's rounded intermediate values moved the result", <value>)``, or None.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> [r] = verify_claims((r"\hat{y}(1 - \hat{y}) = 0.73 (1 - 0.73) = 0.1971", "numeric"))
    >>> print(r.verdict, "|", r.expected, "|", r.reason.split("; ")[0])
    rounding | 0.1966 (0.196612) | computed exactly, \hat{y}(1 - \hat{y}) is 0.1966 (0.196612), not 0.1971: each step holds at the precision printed, but the document's rounded intermediate values moved the result
    """
    if len(sides) < 3 or link.sorts[-1] != "literal" or "symbolic" not in link.sorts[:-1]:
        return None
    k = link.sorts.index("symbolic")
    last = sides[-1]
    printed = [printed_of(e, last.env) for e in entries(last.value)]
    if any(p is None for p in printed) or sides[k].value is None:
        return None
    values = entries(link.ctx.evaluate(sides[k].value, "example", exact_literals(sides[k].env)))
    if len(values) != len(printed) or all(rounds_to(v, p) for v, p in zip(values, printed)):
        return None
    shown = show_all(values, printed)
    return (f"computed exactly, {link.text(k)} is {shown}, not {texts_of(printed)}: each step holds at the "
            f"precision printed, but the document's rounded intermediate values moved the result"), shown


# ----- Values the document printed earlier (for rounding) -----
def record_printed(link: Link, sides: list[Side]) -> None:
    r"""Remember what the document printed for its quantities (a symbol, or a derivative, = numbers).

    :func:`.links.check_chain` calls it for every chain, right or wrong. A chain with one instance that ends in
    printed numbers is recorded, per context: a side that is one symbol of the network in ``verifier.printed``
    (symbol -> (printed number, line), for :func:`rounded_values`), a side that is one derivative in
    ``verifier.printed_exprs`` ((line, value, printed number, LaTeX), for :mod:`.diagnose`).

    Parameters
    ----------
    link : Link
    sides : list of Side
        The chain's sides, built under its one instance.

    Examples
    --------
    Line 3 uses the 0.73 recorded from line 1; line 4's diagnosis the derivative recorded from line 2:

    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\hat{y} = 0.73", "numeric"), (r"\frac{\partial L}{\partial w} = -0.106", "numeric"),
    ...                        (r"\hat{y}(1 - \hat{y}) = 0.1971", "numeric"), ("w = 0.52", "update"))[2:]:
    ...     print(r.verdict, "|", r.reason, "|", r.diagnosis)
    rounding | the exact value is 0.1966 (0.196612); 0.1971 follows only from the values the document printed earlier (\hat{y} = 0.73, line 1) | None
    wrong | the exact value at the example is 0.51 (0.510575), not 0.52 | None of the update's numbers is the -0.106 the document computed for \frac{\partial L}{\partial w} at line 2
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
    r"""The side's values at the worked example, with the numbers the document printed earlier in place of exact ones.

    Parameters
    ----------
    link : Link
    sym : Side
        A symbolic side.

    Returns
    -------
    list or None
        The side's entries, each quantity printed earlier (adjoints expanded) at its printed number; None when
        it uses none.

    Examples
    --------
    ``\hat{y}(1 - \hat{y})`` is 0.196612, and 0.1971 from the 0.73 printed on line 1:

    >>> from symbp.documents.examples import verify_claims
    >>> for r in verify_claims((r"\hat{y} = 0.73", "numeric"), (r"\hat{y}(1 - \hat{y}) = 0.1971", "numeric")):
    ...     print(r.verdict, "|", r.reason)
    correct | 0.73 (0.731059) at the example's numbers, which rounds to 0.73
    rounding | the exact value is 0.1966 (0.196612); 0.1971 follows only from the values the document printed earlier (\hat{y} = 0.73, line 1)
    """
    table = link.verifier.printed.get(link.claim.context, {})
    if not table:
        return None
    ctx = link.ctx
    expanded = _expanded(link, sym)
    used = {s: p.rational for s, (p, _) in table.items() if s in free_of(expanded)}
    if not used:
        return None
    return entries(ctx.evaluate(expanded, "example", {**exact_literals(sym.env), **used}))


def rounded_names(link: Link, sym: Side) -> str:
    r"""The quantities of a side the document printed earlier: ``"<name> = <number>, line <n>"``, joined by ``"; "``.

    Parameters
    ----------
    link : Link
    sym : Side
        A symbolic side (adjoints are expanded).

    Returns
    -------
    str
        Names in the document's notation; empty when the side uses none.

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> r = verify_claims((r"\hat{y} = 0.73", "numeric"), ("y = 1", "numeric"),
    ...                   (r"(\hat{y} - y) \hat{y} (1 - \hat{y}) = -0.0532", "numeric"))[2]
    >>> print(r.verdict, "|", r.reason)
    rounding | the exact value is -0.0529 (-0.0528771); -0.0532 follows only from the values the document printed earlier (\hat{y} = 0.73, line 1; y = 1, line 2)
    """
    table = link.verifier.printed.get(link.claim.context, {})
    expanded = _expanded(link, sym)
    names = []
    for s in sorted(free_of(expanded) & set(table), key=str):
        p, line = table[s]
        names.append(f"{doc_name(link.ctx, link.notation, s)} = {p.text}, line {line}")
    return "; ".join(names)


def _expanded(link: Link, sym: Side):
    """The side's value with symbp's adjoint symbols expanded (entry by entry for a matrix)."""
    value = sym.value
    expand = link.ctx.expand_adjoint_symbols
    return value.applyfunc(expand) if isinstance(value, sp.MatrixBase) else expand(value)

