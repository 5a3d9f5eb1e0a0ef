"""The network as SymPy matrix expressions with symbolic sizes.

Where :mod:`symbp.build` writes one scalar symbol per weight and example, this
module writes one :class:`~sympy.MatrixSymbol` per layer quantity, with symbolic
shapes, so the expressions do not grow with the widths or the batch::

    Z^{[l]} := W^{[l]} A^{[l-1]} + b^{[l]} 1_m^T      (n_l x m; A^{[0]} = X)
    A^{[l]} := g.(Z^{[l]})                             (g applied entry by entry)
    C       := 1/m 1^T l.(A^{[L]}, Y) 1_m               (the mean over the batch)

The bias is broadcast over the m columns by the product with a row of ones.
A column-wise softmax is written with elementwise operations and ones::

    E^{[l]} := exp.(Z^{[l]}),   s^{[l]} := 1^T E^{[l]} (1 x m),   A^{[l]} := E^{[l]} / (1 s^{[l]})

Every per-activation and per-cost fact comes from the one table in
:mod:`symbp.rules` (``rule.apply`` for the forward expression of an elementwise
activation, ``cost.loss`` for the per-unit loss); nothing here differentiates.

:func:`matrix_gradient` hands the forward program to the generic matrix engine
(:mod:`symbp.matrixcalc`), which sees matrix expressions only, never the rules.

Non-goals: derivatives themselves (:mod:`symbp.matrixcalc`), numbers (:mod:`symbp.compile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from . import rules
from .matrixcalc import MatrixGradient, reverse_matrix
from .matrixexpr import ElementwiseMap, elementwise, evaluate, ones
from .spec import NetworkSpec

__all__ = [
    "ElementwiseMap", "elementwise", "MatrixForm", "matrix_form", "matrix_gradient", "ones", "evaluate",
    "explicit_forward",
]

#: The number of examples (columns); the same assumptions as in :mod:`symbp.backprop`.
M = sp.Symbol("m", integer=True, positive=True)


# ----- The network in matrix form -----
@dataclass(frozen=True, eq=False)
class MatrixForm:
    """A network as matrix expressions of symbolic shape.

    Attributes
    ----------
    spec
        The specification (its widths only fix nothing here: sizes are symbols).
    n
        ``n[l]``: the symbolic width of layer l (``n[0]`` inputs); ``m``: the batch.
    W, b, Z, A
        ``W[l]`` (n_l x n_(l-1)), ``b[l]`` (n_l x 1), ``Z[l]``, ``A[l]`` (n_l x m),
        indexed from 1 (``A[0]`` is ``X``); ``X`` (n_0 x m), ``Y`` (n_L x m).
    forward
        The assignments ``(target, expression)`` of the forward pass, ending with ``C``.
    cost
        The 1 x 1 matrix symbol ``C``.
    """

    spec: NetworkSpec
    n: tuple
    m: sp.Symbol
    W: tuple
    b: tuple
    Z: tuple
    A: tuple
    X: sp.MatrixSymbol
    Y: sp.MatrixSymbol
    forward: tuple
    cost: sp.MatrixSymbol

    @property
    def depth(self) -> int:
        """The number L of layers."""
        return len(self.n) - 1

    def parameters(self) -> dict[str, sp.MatrixSymbol]:
        """``{"W1": W^{[1]}, "b1": b^{[1]}, ...}`` in layer order."""
        return {f"{p}{l}": getattr(self, p)[l] for l in range(1, self.depth + 1) for p in "Wb"}

    def sizes(self, widths=None, batch=None) -> dict:
        """The substitution of concrete sizes (the spec's by default) for the size symbols."""
        widths = self.spec.widths if widths is None else widths
        out = {self.n[l]: sp.Integer(w) for l, w in enumerate(widths)}
        out[self.m] = sp.Integer(self.spec.batch if batch is None else batch)
        return out


def _layer_name(kind: str, layer: int) -> str:
    return f"{kind}^{{[{layer}]}}"


def _column_softmax(Z: sp.MatrixSymbol, layer: int):
    """exp, column sums as a 1 x m row, and the quotient broadcast back down the columns."""
    rows, cols = Z.shape
    E = sp.MatrixSymbol(_layer_name("E", layer), rows, cols)
    s = sp.MatrixSymbol(_layer_name("s", layer), 1, cols)
    z, e, t = sp.symbols("z e t", real=True)
    return [
        (E, ElementwiseMap(sp.Lambda(z, sp.exp(z)), Z)),
        (s, sp.MatMul(ones(1, rows), E)),
    ], ElementwiseMap(sp.Lambda((e, t), e / t), E, sp.MatMul(ones(rows, 1), s))


@lru_cache(maxsize=32)
def matrix_form(spec: NetworkSpec) -> MatrixForm:
    """The forward pass and cost of ``spec`` as matrix expressions of symbolic shape.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> mf = matrix_form(NetworkSpec((3, 2), ("sigmoid",), "half_sse"))
    >>> mf.forward[0]
    (Z^{[1]}, W^{[1]}*X + b^{[1]}*1)
    >>> mf.W[1].shape, mf.cost.shape
    ((n_1, n_0), (1, 1))
    """
    L = spec.depth
    n = tuple(sp.Symbol(f"n_{l}", integer=True, positive=True) for l in range(L + 1))
    m = M
    X = sp.MatrixSymbol("X", n[0], m)
    Y = sp.MatrixSymbol("Y", n[L], m)
    W = [None] + [sp.MatrixSymbol(_layer_name("W", l), n[l], n[l - 1]) for l in range(1, L + 1)]
    b = [None] + [sp.MatrixSymbol(_layer_name("b", l), n[l], 1) for l in range(1, L + 1)]
    Z = [None] + [sp.MatrixSymbol(_layer_name("Z", l), n[l], m) for l in range(1, L + 1)]
    A = [X] + [sp.MatrixSymbol(_layer_name("A", l), n[l], m) for l in range(1, L + 1)]
    forward: list = []
    for l in range(1, L + 1):
        forward.append((Z[l], W[l] * A[l - 1] + b[l] * ones(1, m)))
        rule = spec.activation_rule(l)
        if rule.kind == "elementwise":
            z = rules.Z
            # rule.apply substitutes the network's options (e.g. the leaky-ReLU slope) into the formula.
            forward.append((A[l], elementwise(sp.Lambda(z, rule.apply([z], spec.options)[0]), Z[l])))
        else:
            extra, value = _column_softmax(Z[l], l)
            forward += extra + [(A[l], value)]
    cost = spec.cost_rule()
    loss = cost.loss.xreplace({rules.N: n[L]})
    C = sp.MatrixSymbol("C", 1, 1)
    per_unit = ElementwiseMap(sp.Lambda((rules.A, rules.Y), loss), A[L], Y)
    forward.append((C, sp.MatMul(1 / m, ones(1, n[L]), per_unit, ones(m, 1))))
    return MatrixForm(spec, n, m, tuple(W), tuple(b), tuple(Z), tuple(A), X, Y, tuple(forward), C)


# ----- Explicit instances -----
def explicit_forward(mf: MatrixForm, env: dict, sizes: dict) -> dict:
    """``env`` extended by every forward assignment not already bound (``C`` included).

    ``env`` binds the parameters, ``X`` and ``Y`` to explicit matrices and
    ``sizes`` the symbolic widths and batch to numbers; ``env`` itself is not
    changed.

    Examples
    --------
    One linear unit, two examples: ``Z = 2 [1, 3] + 1 = [3, 7]``, and the cost
    is the mean of ``(a - y)^2 / 2`` over the batch, ``(9/2 + 4/2) / 2 = 13/4``.

    >>> from symbp.spec import NetworkSpec
    >>> mf = matrix_form(NetworkSpec((1, 1), ("linear",), "half_sse"))
    >>> M = sp.ImmutableMatrix
    >>> env = {mf.W[1]: M([[2]]), mf.b[1]: M([[1]]), mf.X: M([[1, 3]]), mf.Y: M([[0, 5]])}
    >>> sizes = {mf.n[0]: 1, mf.n[1]: 1, mf.m: 2}
    >>> out = explicit_forward(mf, env, sizes)
    >>> out[mf.Z[1]], out[mf.cost], len(env)
    (Matrix([[3, 7]]), Matrix([[13/4]]), 4)

    A quantity already bound is kept: with ``A^{[1]} = Y`` the cost is 0.

    >>> explicit_forward(mf, {**env, mf.A[1]: env[mf.Y]}, sizes)[mf.cost]
    Matrix([[0]])
    """
    env = dict(env)
    for target, expr in mf.forward:
        if target not in env:
            env[target] = evaluate(expr, env, sizes)
    return env


@lru_cache(maxsize=32)
def matrix_gradient(spec: NetworkSpec) -> tuple[MatrixForm, MatrixGradient]:
    """The matrix form of ``spec`` and its reverse-mode gradients (every W^{[l]} and b^{[l]}).

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> mf, g = matrix_gradient(NetworkSpec((3, 2), ("linear",), "half_sse"))
    >>> for target, expr in g.adjoint:
    ...     print(target, "=", expr)
    dA^{[1]} = Lambda((a, y), a - y).(A^{[1]}, Y)
    dZ^{[1]} = dA^{[1]}
    dW^{[1]} = 1/m*dZ^{[1]}*X.T
    db^{[1]} = 1/m*dZ^{[1]}*1
    """
    mf = matrix_form(spec)
    return mf, reverse_matrix(mf.forward, mf.cost, list(mf.parameters().values()))
