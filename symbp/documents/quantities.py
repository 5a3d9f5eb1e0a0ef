r"""A network's quantities as a claim names them: which matrix, which entry, at which layer and index.

:class:`Quantities` (mixed into :class:`~.context.Context`) turns a resolved notation entry
(:class:`~.notation.Resolved`: ``W[l][j,k]``, ``dZ[L]``, ``C[i]``) into SymPy objects under one
:class:`Instance` of a claim's variables: an explicit matrix of the network's symbols, or one entry of it,
for the parameters, pre-activations, activations, their cost derivatives (symbp's autodiff), g'(z), the inputs
and targets, an example's loss; :meth:`Quantities.locate` goes back from a symbol to its quantity, layer and
index. A quantity that does not exist raises a :class:`~.values.QuantityError`: :class:`NoSuchLayer` for a
layer the network lacks, :class:`UnboundIndex` for an index letter nothing gives a value.
Non-goals: reading the notation (:mod:`.notation`), the network and its derivatives (:mod:`.context`).
"""

from __future__ import annotations

from functools import cached_property, partial

import sympy as sp

from ..rules import Z as RULE_Z
from .notation import MATRICES, Index, Resolved
from .values import LR, QuantityError

__all__ = ["Quantities", "Instance", "NoSuchLayer", "UnboundIndex", "EXAMPLE_COLUMN"]

#: The variable of an instance that picks the example (the column of X) a per-example quantity is taken at.
EXAMPLE_COLUMN = "@i"


class NoSuchLayer(QuantityError):
    """A quantity of a layer the network does not have (a general claim's instance at such a layer is skipped)."""


class UnboundIndex(QuantityError):
    """An index letter of a symbol that nothing gives a value: no instance binds it, no sum runs over it.

    A claim that sums over an index another side leaves free meets it (:func:`.indices.clashing` explains it).
    """


class Instance(dict):
    """One instance of a claim's free indices: each variable's value (unit indices 0-based, layers as written).

    ``units`` names the variables that are unit (row or column) indices, shown in the document's numbering
    (``index_base``) by :meth:`shown`; a layer variable is already in the document's numbering.

    Examples
    --------
    >>> Instance({"l": 2, "j": 0, EXAMPLE_COLUMN: 1}, units={"j"}).shown(index_base=1)
    'j = 1, l = 2, example 2'
    """

    def __init__(self, values=(), units=frozenset()):
        super().__init__(values)
        self.units = frozenset(units)

    def shown(self, index_base: int) -> str:
        """The values as the document would number them."""
        return Instance.describe([self], index_base)

    @staticmethod
    def describe(instances: list[Instance], index_base: int) -> str:
        """What ``instances`` cover, in the document's numbering: ``j in 1..3, l = 2, every example``.

        Examples
        --------
        >>> Instance.describe([Instance({"j": j}, units={"j"}) for j in range(3)], index_base=1)
        'j in 1..3'
        """
        parts = []
        for k in sorted({k for inst in instances for k in inst if k != EXAMPLE_COLUMN}):
            shift = index_base if k in instances[0].units else 0
            values = sorted({inst[k] + shift for inst in instances if k in inst})
            parts.append(f"{k} in {values[0]}..{values[-1]}" if len(values) > 1 else f"{k} = {values[0]}")
        columns = sorted({inst[EXAMPLE_COLUMN] for inst in instances if EXAMPLE_COLUMN in inst})
        if len(columns) == 1:
            parts.append(f"example {columns[0] + 1}")
        elif columns:
            parts.append("every example")
        return ", ".join(parts) or "one"


class Quantities:
    r"""The quantities of a context's network (needs ``spec``, ``symbols``, ``forward``, ``batch``, ``depth``,
    ``claims_context``, ``free_symbol``, ``derivative`` and ``cost_derivative``).

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> ctx, notation = one_unit()
    >>> ctx.quantity(notation.resolve(r"\hat{y}"), {}, r"\hat{y}"), ctx.locate(ctx.symbols.W[1][0])
    (a^{[1]}_{1}, ('W', 1, (0, 0)))
    """

    def quantity(self, r: Resolved, bindings: dict, what: str, variant: str | None = None):
        """The SymPy value of a resolved symbol under the claim's variable ``bindings``; gradients in the network
        of ``variant`` (a path left out, :meth:`variants`) when given."""
        m = r.meaning
        name = m.name
        if name == "free":
            return self.free_symbol(what)
        if name == "lr":
            return LR
        if name == "m":
            return sp.Integer(self.batch)
        if self.spec is None:
            raise QuantityError(f"{what} means {m.text!r}, a network quantity, but [context] has no network")
        if name == "n":
            layer = self._layer(r, bindings, what, 0)
            return sp.Integer(self.spec.widths[layer])
        if name == "C":
            if not r.index:
                return self.forward.cost_symbol
            column = self._code(r.index[0], bindings, self.batch, what)
            return self.example_loss(column)
        if name in MATRICES:
            layer = self._layer(r, bindings, what, MATRICES[name][0])
            if r.example is not None:
                column = self._code(r.example, bindings, self.batch, what)
                loss = self.example_loss(column)
                source = self.symbols.W[layer] if name == "dW" else self.symbols.b[layer]
                matrix = source.applyfunc(lambda w: self.derivative(loss, w))
            else:
                matrix = self.matrix(name, layer, variant)
        elif name == "X":
            matrix = self.symbols.X
        elif name == "Y":
            matrix = self.symbols.Y
        else:
            raise QuantityError(f"{what} means {m.text!r}, which is a function, not a value")
        return self._select(matrix, r.index, bindings, what, per_example=name in ("Z", "A", "dZ", "dA", "delta",
                                                                                   "g'", "X", "Y"))

    def _layer(self, r: Resolved, bindings: dict, what: str, first: int) -> int:
        layer = r.layer.value(bindings, self.depth)
        if not first <= layer <= self.depth:
            raise NoSuchLayer(f"{what} is {r.meaning.name} of layer {layer}, which the network (layers "
                                f"{first}..{self.depth}) does not have", what)
        return layer

    def _code(self, index: Index, bindings: dict, size: int, what: str) -> int:
        code = index.code if index.var is None else bindings.get(index.var)
        if code is None:
            raise UnboundIndex(f"{what}: index {index.var!r} has no value")
        if not 0 <= code < size:
            raise QuantityError(f"{what}: index {code} out of range 0..{size - 1}")
        return code

    def _select(self, matrix: sp.ImmutableMatrix, index: tuple[Index, ...], bindings: dict, what: str, per_example):
        if not index:
            return matrix
        if len(index) == 2:
            rows = slice(None) if index[0].every else self._code(index[0], bindings, matrix.rows, what)
            cols = slice(None) if index[1].every else self._code(index[1], bindings, matrix.cols, what)
            value = matrix[rows, cols]
            return sp.ImmutableMatrix(value) if isinstance(value, sp.MatrixBase) else value
        row = self._code(index[0], bindings, matrix.rows, what)
        if matrix.cols == 1:
            return matrix[row, 0]
        if per_example:
            return matrix[row, bindings.get(EXAMPLE_COLUMN, 0)]
        raise QuantityError(f"{what}: one index into a {matrix.rows} x {matrix.cols} matrix; give row and column")

    def matrix(self, name: str, layer: int, variant: str | None = None) -> sp.ImmutableMatrix:
        """The explicit matrix of quantity ``name`` at ``layer`` (gradients in the network of ``variant``)."""
        s = self.symbols
        if name == "W":
            return s.W[layer]
        if name == "b":
            return s.b[layer]
        if name == "Z":
            return s.Z[layer]
        if name == "A":
            return s.A[layer]
        scale = sp.Integer(self.batch) if self.claims_context.derivatives == "example" else sp.S.One
        d = partial(self.cost_derivative, variant=variant)
        if name in ("dW", "db"):
            source = s.W[layer] if name == "dW" else s.b[layer]
            return source.applyfunc(d)
        if name in ("dZ", "delta"):
            return s.Z[layer].applyfunc(lambda z: scale * d(z))
        if name == "dA":
            return s.A[layer].applyfunc(lambda a: scale * d(a))
        if name == "g'":
            rule = self.spec.activation_rule(layer)
            if rule.kind != "elementwise":
                raise QuantityError(f"g' of layer {layer} ({rule.name}) is a Jacobian, not an elementwise derivative")
            derivative = sp.diff(rule.apply([RULE_Z], self.spec.options)[0], RULE_Z)
            return s.Z[layer].applyfunc(lambda z: derivative.xreplace({RULE_Z: z}))
        raise QuantityError(f"no quantity {name!r}")  # pragma: no cover

    def example_loss(self, column: int) -> sp.Expr:
        """The loss of the example in ``column`` (its sum over the output units)."""
        rule, s, L = self.spec.cost_rule(), self.symbols, self.depth
        n = self.spec.widths[L]
        return sp.Add(*[rule.per_unit(s.A[L][j, column], s.Y[j, column], n) for j in range(n)])

    def activation(self, layer: int):
        """The activation rule of ``layer``."""
        if self.spec is None or not 1 <= layer <= self.depth:
            raise QuantityError(f"no layer {layer}")
        return self.spec.activation_rule(layer)

    def locate(self, symbol: sp.Symbol):
        """(quantity, layer, 0-based index) of a network symbol, or None."""
        if self.spec is None:
            return None
        return self._locations.get(symbol)

    @cached_property
    def _locations(self) -> dict:
        s, out = self.symbols, {}
        one = self.batch == 1
        for l in range(1, self.depth + 1):
            for name, matrix in (("W", s.W[l]), ("b", s.b[l]), ("Z", s.Z[l]), ("A", s.A[l])):
                for r in range(matrix.rows):
                    for c in range(matrix.cols):
                        index = (r,) if (one and name != "W") or name == "b" else (r, c)
                        out[matrix[r, c]] = (name, l, index)
        for name, matrix in (("X", s.X), ("Y", s.Y)):
            for r in range(matrix.rows):
                for c in range(matrix.cols):
                    out[matrix[r, c]] = (name, None, (r,) if one else (r, c))
        return out
