r"""Index letters of a claim: which its sums bind, which each side leaves free.

A claim written with unit indices (``\delta^{l}_{j} = \sum_{k} w^{l+1}_{kj} ...``) is checked at every value
of its free indices (:meth:`.verify.Verifier._instances`), each sum's index running over its own range. This
module finds those letters and explains the one mistake they reveal by themselves: a sum over an index that
another side leaves free. Non-goals: evaluating sums (:meth:`.env.ClaimEnv.sum`), instances.
"""

from __future__ import annotations

import itertools
import re

from .latex import PLACEHOLDER, Atom, ElidedMatrix, LatexParseError, Node
from .notation import Notation, NotationError
from .pieces import children
from .quantities import UnboundIndex
from .reader import Reading
from .values import QuantityError

__all__ = ["sum_indices", "clashing", "index_clash"]

#: A sum's or product's index in a normalised skeleton (``\sum_{\mathit{p}_{2}=1}^{...}``).
_SUM = re.compile(r"\\(?:sum|prod)_\{\\mathit\{p\}_\{(\d+)\}=")


def sum_indices(reading: Reading) -> set[str]:
    r"""Names of the symbols used as summation indices anywhere in the claim (and the running indices of an
    elided matrix).

    Parameters
    ----------
    reading : Reading
        The claim, normalised (:func:`.reader.read`).

    Returns
    -------
    set of str

    Examples
    --------
    >>> from symbp.documents.reader import read
    >>> sorted(sum_indices(read(r"C = \frac{1}{2} \sum_{j} (a_{j} - y_{j})^{2}")))
    ['j']
    """
    nodes = [side for chain in reading.chains for side in chain]
    nodes += [node for piece in reading.pieces.values() for node in children(piece)]
    out = set()
    for node in nodes:
        for m in _SUM.finditer(node.skeleton):
            out.add(reading.pieces[int(m.group(1))].name)
    for piece in reading.pieces.values():
        if isinstance(piece, ElidedMatrix):
            out |= {a[0] for a in (piece.rows, piece.cols) if a is not None}
    return out



def clashing(exc: QuantityError, reading: Reading, notation: Notation) -> LatexParseError:
    r"""An index without a value explained as a sum over the wrong index where it is one, else ``exc``.

    Parameters
    ----------
    exc : QuantityError
        The error met while evaluating the claim: an index without a value is an
        :class:`~.quantities.UnboundIndex`.
    reading : Reading
    notation : Notation

    Returns
    -------
    LatexParseError
        A :class:`~.notation.NotationError` with :func:`index_clash`'s sentence, or ``exc`` itself.

    Examples
    --------
    >>> from symbp.documents.reader import read
    >>> from symbp.documents.quantities import UnboundIndex
    >>> n = Notation({"a_{j}": "A[1][j]", "x_{k}": "X[k]"})
    >>> print(clashing(UnboundIndex("a_{j}: index 'j' has no value"), read(r"a_{j} = \sum_{j} x_{j}", (), n), n))
    index j is summed on the right (\sum_{j}) but free on the left: is the sum over the wrong index?
    """
    clash = index_clash(reading, notation) if isinstance(exc, UnboundIndex) else None
    return exc if clash is None else NotationError(clash)


def index_clash(reading: Reading, notation: Notation) -> str | None:
    r"""What to say when one side of a chain sums over an index that another side leaves free, or None.

    Any two sides of a chain are compared, neighbours first, then sides further apart: in
    ``\sum_{k} w_{kj} \delta_{k} = \delta_{j} = w_{kj}`` the first side sums over the k the third leaves free.

    Parameters
    ----------
    reading : Reading
    notation : Notation
        Gives each symbol's index letters (``w_{kj}`` with ``'w_{jk}' = "W[1][j,k]"`` uses k and j).

    Returns
    -------
    str or None

    ``\delta^{l}_{j} = \sum_{j} w^{l+1}_{kj} \delta^{l+1}_{k} ...`` sums over j, free on the left, and leaves k
    free: no value of j makes both sides one quantity (it said "index 'j' has no value").

    Examples
    --------
    >>> from symbp.documents.reader import read
    >>> n = Notation({"a_{j}": "A[1][j]", "w_{jk}": "W[1][j,k]", "x_{k}": "X[k]"})
    >>> print(index_clash(read(r"a_{j} = \sum_{j} w_{kj} x_{j}", (), n), n))
    index j is summed on the right (\sum_{j}) but free on the left; k is free on the right only: is the sum over the wrong index?
    >>> index_clash(read(r"a_{j} = \sum_{k} w_{jk} x_{k}", (), n), n) is None
    True
    >>> print(index_clash(read(r"\sum_{k} w_{jk} x_{k} = a_{j} = w_{jk} x_{k}", (), n), n))
    index k is summed on side 1 (\sum_{k}) but free on side 3: is the sum over the wrong index?
    """
    for chain in reading.chains:
        sides = [side_indices(node, reading, notation) for node in chain]
        pairs = sorted(itertools.combinations(range(len(chain)), 2), key=lambda pair: pair[1] - pair[0])
        for left, right in pairs:
            names = {left: "the left", right: "the right"} if len(chain) == 2 else \
                {left: f"side {left + 1}", right: f"side {right + 1}"}
            for a, b in ((right, left), (left, right)):  # summed on side a, free on side b
                clash = sorted(sides[a][1] & sides[b][0])
                if not clash:
                    continue
                only = sorted(sides[a][0] - sides[b][0])
                text = f"index {', '.join(clash)} is summed on {names[a]} (\\sum_{{{clash[0]}}}) but free on {names[b]}"
                if only:
                    text += f"; {', '.join(only)} is free on {names[a]} only"
                return text + ": is the sum over the wrong index?"
    return None


def side_indices(node: Node, reading: Reading, notation: Notation) -> tuple[set[str], set[str]]:
    """(free, summed) index letters of one side: those of its symbols' meanings, and its sums' indices."""
    nodes, visited, used = [node], [], set()
    while nodes:
        current = nodes.pop()
        visited.append(current)
        for m in PLACEHOLDER.finditer(current.skeleton):
            piece = reading.pieces[int(m.group(1))]
            nodes += children(piece)
            try:
                resolved = notation.resolve(piece.name) if isinstance(piece, Atom) else None
            except NotationError:
                resolved = None
            if resolved is not None:
                used |= resolved.variables()[1]
    summed = {reading.pieces[int(m.group(1))].name for n in visited for m in _SUM.finditer(n.skeleton)}
    return used - summed, summed
