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

Non-goals: derivatives (:mod:`symbp.matrixcalc`), numbers (:mod:`symbp.compile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import rules
from .errors import ShapeError
from .spec import NetworkSpec

__all__ = ["ElementwiseMap", "elementwise", "MatrixForm", "matrix_form", "ones", "evaluate", "explicit_forward"]

#: The number of examples (columns); the same assumptions as in :mod:`symbp.backprop`.
M = sp.Symbol("m", integer=True, positive=True)


def ones(rows, cols) -> sp.OneMatrix:
    """The matrix of ones (``ones(1, m)`` broadcasts a column over m columns)."""
    return sp.OneMatrix(rows, cols)


class ElementwiseMap(MatrixExpr):
    """``f.(A1, ..., Ak)``: a scalar function applied entry by entry to same-shaped matrices.

    SymPy's ``ElementwiseApplyFunction`` takes one argument; a loss needs two
    (``l(a, y)``), and a softmax a quotient of two matrices. State lives in
    ``args`` only: ``(Lambda, A1, ..., Ak)``.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> A, Y = sp.MatrixSymbol("A", n, 1), sp.MatrixSymbol("Y", n, 1)
    >>> a, y = sp.symbols("a y", real=True)
    >>> e = ElementwiseMap(sp.Lambda((a, y), (a - y)**2), A, Y)
    >>> e.shape == (n, 1)
    True
    >>> e.subs(n, 2).as_explicit()[1, 0]
    (A[1, 0] - Y[1, 0])**2
    """

    def __new__(cls, function: sp.Lambda, *args):
        if not isinstance(function, sp.Lambda) or len(function.variables) != len(args) or not args:
            raise TypeError("ElementwiseMap(Lambda((v1, ..., vk), body), A1, ..., Ak) needs k >= 1 matrices")
        args = tuple(sp.sympify(a) for a in args)
        shape = args[0].shape
        for a in args[1:]:
            if a.shape != shape:
                raise ShapeError(f"elementwise map {function.expr}: argument shapes differ: {shape} and {a.shape}")
        return sp.Basic.__new__(cls, function, *args)

    @property
    def function(self) -> sp.Lambda:
        """The scalar function."""
        return self.args[0]

    @property
    def arguments(self) -> tuple:
        """The matrices it is applied to."""
        return self.args[1:]

    @property
    def shape(self):
        return self.args[1].shape

    def _entry(self, i, j, **kwargs):
        return self.function(*[a._entry(i, j, **kwargs) for a in self.arguments])

    def doit(self, **hints):
        if not hints.get("deep", True):
            return self
        return elementwise(self.function, *[a.doit(**hints) for a in self.arguments])

    def _eval_transpose(self):
        return ElementwiseMap(self.function, *[a.T for a in self.arguments])

    def _sympystr(self, printer) -> str:
        args = ", ".join(printer._print(a) for a in self.arguments)
        return f"{printer._print(self.function)}.({args})"

    def body_in(self, names) -> sp.Expr:
        """The scalar body with its variables replaced by ``names`` (symbols)."""
        return self.function.expr.xreplace(dict(zip(self.function.variables, names)))


def elementwise(function: sp.Lambda, *args) -> sp.MatrixExpr:
    """:class:`ElementwiseMap` with the obvious simplifications.

    Unused arguments are dropped, a constant body becomes a multiple of the ones
    matrix and the identity function returns its argument.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> Z = sp.MatrixSymbol("Z", n, n)
    >>> z, t = sp.symbols("z t", real=True)
    >>> elementwise(sp.Lambda((z, t), z), Z, Z.T)
    Z
    >>> elementwise(sp.Lambda(z, 3), Z)
    3*1
    """
    variables, body = function.variables, function.expr
    if len(variables) != len(args):
        raise TypeError(f"{len(variables)} variables but {len(args)} arguments")
    used = [k for k, v in enumerate(variables) if body.has(v)]
    if not used:
        return sp.MatMul(body, ones(*args[0].shape)) if body != 1 else ones(*args[0].shape)
    if len(used) == 1 and body == variables[used[0]]:
        return args[used[0]]
    if len(used) < len(variables):
        function = sp.Lambda(tuple(variables[k] for k in used), body)
        args = tuple(args[k] for k in used)
    return ElementwiseMap(function, *args)


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
def evaluate(expr, env: dict, sizes: dict) -> sp.ImmutableMatrix | sp.Expr:
    """``expr`` with explicit matrices for its symbols (``env``) and numbers for its sizes.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> A = sp.MatrixSymbol("A", n, 1)
    >>> evaluate(ones(1, n) * A, {A: sp.ImmutableMatrix([1, 2])}, {n: 2})
    Matrix([[3]])
    """
    if not isinstance(expr, MatrixExpr):
        return sp.sympify(expr).xreplace(sizes)
    if isinstance(expr, sp.MatrixSymbol):
        return env[expr]
    if isinstance(expr, sp.ImmutableMatrix):
        return expr
    if isinstance(expr, (sp.OneMatrix, sp.ZeroMatrix, sp.Identity)):
        return sp.ImmutableMatrix(expr.xreplace(sizes).as_explicit())
    args = [evaluate(a, env, sizes) for a in expr.args]
    if isinstance(expr, sp.MatMul):
        scalar = sp.Mul(*[a for a in args if not isinstance(a, sp.MatrixBase)])
        mats = [a for a in args if isinstance(a, sp.MatrixBase)]
        product = mats[0]
        for a in mats[1:]:
            product = product * a
        return sp.ImmutableMatrix(product * scalar)
    if isinstance(expr, sp.MatAdd):
        return sp.ImmutableMatrix(sum(args[1:], args[0]))
    if isinstance(expr, sp.Transpose):
        return args[0].T
    if isinstance(expr, sp.HadamardProduct):
        out = args[0]
        for a in args[1:]:
            out = out.multiply_elementwise(a)
        return sp.ImmutableMatrix(out)
    if isinstance(expr, sp.HadamardPower):
        return args[0].applyfunc(lambda x: x ** args[1])
    if isinstance(expr, ElementwiseMap):
        mats = args[1:]
        rows, cols = mats[0].shape
        return sp.ImmutableMatrix(rows, cols, lambda i, j: args[0](*[a[i, j] for a in mats]))
    raise NotImplementedError(f"cannot evaluate {type(expr).__name__}: {expr}")


def explicit_forward(mf: MatrixForm, env: dict, sizes: dict) -> dict:
    """``env`` extended by every forward assignment not already bound (``C`` included)."""
    env = dict(env)
    for target, expr in mf.forward:
        if target not in env:
            env[target] = evaluate(expr, env, sizes)
    return env
