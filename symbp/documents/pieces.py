r"""The pieces a normalised expression is made of (what its placeholders stand for).

Each is an immutable record with the span it covers in the source. A
:class:`Node` is a sub-expression: its skeleton (arithmetic over placeholders,
for latex2sympy2). :func:`children` and :func:`walk` are the one traversal of
pieces: they find every :class:`Node` in a piece's fields, so a field added to
a piece is visited without a walker learning about it. Non-goals: reading or
meaning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from fractions import Fraction

from .tokens import PLACEHOLDER

__all__ = ["Atom", "Literal", "Node", "Call", "Deriv", "Transpose", "NpSum", "NpPower", "Norm", "MatrixLit", "ElidedMatrix",
           "Group", "Condition", "Iverson", "Cases", "Elision", "children", "walk"]


@dataclass(frozen=True)
class Atom:
    """A symbol with its scripts; ``name`` is canonical (``w^{[2]}_{jk}``)."""

    name: str
    base: str
    sup: str = ""
    sub: str = ""
    primes: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Literal:
    """A printed decimal number: exact ``value`` and the precision printed (``decimals``)."""

    text: str
    value: Fraction
    decimals: int
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Node:
    """A sub-expression: its skeleton (for latex2sympy2) and where it is in the source.

    ``error`` is set on a side of a chain that could not be read (see :func:`~.reader.read` with ``partial``).
    """

    skeleton: str
    span: tuple[int, int]
    chunks: tuple[tuple[int, int], ...] = ()
    error: Exception | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Call:
    r"""``function(args)``; ``function`` is an :class:`Atom` (``\sigma``, ``g^{[l]}``) or a word (``exp``)."""

    function: Atom
    args: tuple[Node, ...]
    primes: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Deriv:
    r"""A derivative ``d num / d den``; for ``\frac{\partial}{\partial x}[...]`` num is the operand."""

    num: Node
    den: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Transpose:
    """``arg^T``."""

    arg: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class NpSum:
    """``np.sum(arg, axis=k, keepdims=...)``."""

    arg: Node
    axis: int | None
    keepdims: bool
    span: tuple[int, int] = (0, 0)

    @property
    def flattens(self) -> bool:
        """Is the sum a 1-D array (``axis=1`` without ``keepdims=True``), which NumPy broadcasts as a row?"""
        return self.axis == 1 and not self.keepdims

    def along_axis(self, x, ones):
        r"""``x`` summed along the axis written, as NumPy sums a 2-D array; None when the axis is not 0 or 1.

        ``axis=0`` gives a 1 x n row; ``axis=1`` an m x 1 column with ``keepdims=True``, and without it
        (:attr:`flattens`) a 1-D array, which NumPy broadcasts as a row: the column transposed.

        Parameters
        ----------
        x : matrix
            The summed value, m x n: an explicit SymPy matrix or a matrix expression.
        ones : callable
            ``ones(r, c)``, the r x c matrix of ones of ``x``'s kind (``sympy.ones``, ``sympy.OneMatrix``).

        Returns
        -------
        matrix or None

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Matrix([[1, 2], [3, 4]])
        >>> [NpSum(Node("x", (0, 1)), axis, False).along_axis(x, sp.ones).tolist() for axis in (0, 1)]
        [[[4, 6]], [[3, 7]]]
        >>> NpSum(Node("x", (0, 1)), 1, True).along_axis(x, sp.ones).tolist()
        [[3], [7]]
        """
        rows, cols = x.shape
        if self.axis == 0:
            return ones(1, rows) * x
        if self.axis == 1:
            column = x * ones(cols, 1)
            return column.T if self.flattens else column
        return None


@dataclass(frozen=True)
class NpPower:
    """``np.power(arg, exponent)`` or ``np.square(arg)``: a power entry by entry."""

    arg: Node
    exponent: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Norm:
    r"""``\| arg \|``."""

    arg: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class MatrixLit:
    """A matrix or a bracketed row of entries, row by row."""

    rows: tuple[tuple[Node, ...], ...]
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class ElidedMatrix:
    """A matrix written by its corners: a template entry and, per axis, (index letter, first, last)."""

    template: Node
    rows: tuple | None
    cols: tuple | None
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Group:
    """A parenthesised sub-expression, read on its own (one operand of the expression around it)."""

    node: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Condition:
    r"""A comparison ``lhs op rhs`` (``op`` one of ``>``, ``<``, ``\geq``, ``\leq``), inside a bracket or a case."""

    lhs: Node
    op: str
    rhs: Node


@dataclass(frozen=True)
class Iverson:
    r"""An Iverson bracket ``[z > 0]``: 1 where the condition holds, else 0."""

    condition: Condition
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Cases:
    r"""``\begin{cases} v_1 & \text{if } c_1 \\ v_2 & \text{otherwise} \end{cases}``: (value, condition or None)."""

    rows: tuple[tuple[Node, Condition | None], ...]
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Elision:
    r"""An argument that starts with an ellipsis: ``g(\dots g^{[1]}(x))``, nested applications left out."""

    span: tuple[int, int] = (0, 0)


def children(piece) -> tuple[Node, ...]:
    r"""The sub-expressions of a piece: every :class:`Node` in its fields, in field order.

    Nodes inside tuples (a call's arguments, a matrix's rows, an elided matrix's bounds) and inside other records
    (a :class:`Condition`) count; a :class:`Node` itself is not looked into (its pieces are reached through its
    skeleton, see :func:`walk`).

    Parameters
    ----------
    piece : object
        One of the pieces of this module.

    Returns
    -------
    tuple of Node

    Examples
    --------
    >>> power = NpPower(Node("x", (0, 1)), Node("n", (2, 3)))
    >>> [n.skeleton for n in children(power)]
    ['x', 'n']
    >>> children(Atom("w", "w"))
    ()
    """
    return tuple(node for f in fields(piece) for node in _nodes(getattr(piece, f.name)))


def _nodes(value) -> Iterator[Node]:
    if isinstance(value, Node):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from _nodes(v)
    elif is_dataclass(value) and not isinstance(value, type):
        yield from children(value)


def walk(node: Node, pieces: Mapping[int, object]) -> Iterator:
    r"""Every piece of ``node``, depth first: each placeholder's piece, then the pieces of its :func:`children`.

    Parameters
    ----------
    node : Node
        A side of a claim or a sub-expression.
    pieces : mapping of int to piece
        What each placeholder stands for (:attr:`~.reader.Reading.pieces`).

    Yields
    ------
    piece
        In the order of the skeleton, each before its own pieces.

    Examples
    --------
    >>> from symbp.documents.reader import read
    >>> reading = read(r"y = np.power(x, n)")
    >>> [p.name for p in walk(reading.chains[0][1], reading.pieces) if isinstance(p, Atom)]
    ['x', 'n']
    """
    for k in PLACEHOLDER.findall(node.skeleton):
        piece = pieces[int(k)]
        yield piece
        for child in children(piece):
            yield from walk(child, pieces)
