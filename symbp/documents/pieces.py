r"""The pieces a normalised expression is made of (what its placeholders stand for).

Each is an immutable record with the span it covers in the source. A
:class:`Node` is a sub-expression: its skeleton (arithmetic over placeholders,
for latex2sympy2). Non-goals: reading or meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["Atom", "Literal", "Node", "Call", "Deriv", "Transpose", "NpSum", "NpPower", "Norm", "MatrixLit", "ElidedMatrix",
           "Group", "Condition", "Iverson", "Cases", "Elision"]


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
