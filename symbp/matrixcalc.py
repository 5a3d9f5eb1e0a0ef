"""Reverse-mode differentiation over matrix expressions of symbolic shape.

The automatic side of the matrix form. Given a straight-line program of matrix
assignments (built by :mod:`symbp.matrixform`), :func:`reverse_matrix` computes, from the
1 x 1 output back to the inputs, one named adjoint per assigned matrix and the
gradient of every requested input, all as matrix expressions whose size does
not depend on the widths or the batch.

Local rules (vector-Jacobian products, ``G`` the adjoint of the node):

* matrix product, sum, transpose, Hadamard product and Hadamard power (bias
  broadcast and sums over rows or columns are products with a ones matrix):
  SymPy's own matrix calculus, ``d tr(G^T node(D)) / dD`` for a fresh symbol
  ``D`` in place of the child (:data:`SYMPY_NODES`);
* :class:`~symbp.matrixexpr.ElementwiseMap` ``f.(A1, ..., Ak)``, where SymPy's
  ``MatrixExpr.diff`` fails ("Mix of Matrix and Scalar symbols"):
  ``G (.) (df/dvi).(A1, ..., Ak)`` with ``df/dvi`` SymPy's ``diff`` of the scalar
  formula, a point mass (a cost written with ``sign``) taken as 0
  (:func:`symbp.functions.derivative`); the same rule table also backs up the
  SymPy nodes if SymPy fails.

Never the hand-derived rules of :mod:`symbp.rules`, and nothing from
:mod:`symbp.backprop`: :mod:`symbp.matrixcheck` compares the two.

Scalar factors are kept out of the names: an adjoint is stored as ``c * dX``
with ``dX`` a named matrix and ``c`` a scalar, the same for every named adjoint
(for the mean cost, ``c = 1/m`` and ``dX = m dC/dX``, Ng's convention), so the
named adjoints read as the usual equations (a constant derivative, 3 for
``3z - 1``, stays in ``dZ = 3 dA``); the gradients of the inputs are the true ``dC/dW``.

Non-goals: checking against the hand side, printing, numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .functions import derivative
from .matrixexpr import ElementwiseMap, elementwise

__all__ = ["MatrixGradient", "reverse_matrix", "local_vjp", "simplify_matrix", "VJP_RULES", "SYMPY_NODES"]

#: Node types whose local vector-Jacobian product comes from SymPy's matrix calculus.
SYMPY_NODES = (sp.MatMul, sp.MatAdd, sp.Transpose, sp.HadamardProduct, sp.HadamardPower)


# ----- Local rules: node, child index, adjoint G -> contribution to the child's adjoint -----
def _matmul_vjp(node, k, G):
    scalars = [a for a in node.args if not isinstance(a, MatrixExpr)]
    mats = [a for a in node.args if isinstance(a, MatrixExpr)]
    j = mats.index(node.args[k])
    left, right = mats[:j], mats[j + 1 :]
    parts = ([sp.MatMul(*left).T] if left else []) + [G] + ([sp.MatMul(*right).T] if right else [])
    return sp.MatMul(*scalars, *parts)


def _hadamard_power_vjp(node, k, G):
    base, power = node.args
    return sp.HadamardProduct(G, power * sp.HadamardPower(base, power - 1))


def _elementwise_vjp(node: ElementwiseMap, k, G):
    variables = node.function.variables
    local = derivative(node.function.expr, variables[k - 1])  # away from kinks: a cost's point masses are 0
    return sp.HadamardProduct(G, elementwise(sp.Lambda(variables, local), *node.arguments))


#: Rules by node type (``k`` indexes ``node.args``; for a map, args[0] is the function).
VJP_RULES: dict[type, Callable] = {
    sp.MatMul: _matmul_vjp,
    sp.MatAdd: lambda node, k, G: G,
    sp.Transpose: lambda node, k, G: G.T,
    sp.HadamardProduct: lambda node, k, G: sp.HadamardProduct(G, *node.args[:k], *node.args[k + 1 :]),
    sp.HadamardPower: _hadamard_power_vjp,
    ElementwiseMap: _elementwise_vjp,
}


@lru_cache(maxsize=4096)
def _sympy_vjp(node: MatrixExpr, k: int):
    """SymPy's ``d tr(G^T node) / d node.args[k]`` with placeholders, or None if SymPy cannot."""
    child = node.args[k]
    D = sp.MatrixSymbol("_D", *child.shape)
    G = sp.MatrixSymbol("_G", *node.shape)
    try:
        with_D = node.func(*node.args[:k], D, *node.args[k + 1 :])
        result = sp.Trace(G.T * with_D).diff(D)
    except (TypeError, ValueError, NotImplementedError, AttributeError):
        return None
    if not isinstance(result, MatrixExpr) or result.shape != child.shape or result.has(D, sp.Derivative, sp.Trace):
        return None
    return G, result


def local_vjp(node: MatrixExpr, k: int, G: MatrixExpr) -> tuple[MatrixExpr, str]:
    """The contribution of ``node``'s adjoint ``G`` to the adjoint of ``node.args[k]``, and its source.

    Examples
    --------
    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> W, A, G = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("G", n, m)
    >>> local_vjp(W * A, 0, G)
    (G*A.T, 'sympy')
    >>> z = sp.Symbol("z", real=True)
    >>> local_vjp(ElementwiseMap(sp.Lambda(z, z**3), A), 1, G)
    (HadamardProduct(G, Lambda(z, 3*z**2).(A)), 'rule')
    """
    if isinstance(node, SYMPY_NODES):
        template = _sympy_vjp(node, k)
        if template is not None:
            placeholder, result = template
            return result.xreplace({placeholder: G}), "sympy"
    rule = VJP_RULES.get(type(node))
    if rule is None:
        raise NotImplementedError(f"no vector-Jacobian product rule for {type(node).__name__} ({node})")
    return rule(node, k, G), "rule"


# ----- Simplification: ones, scalars, Hadamard identities -----
def _split(expr: MatrixExpr) -> tuple[sp.Expr, MatrixExpr]:
    """``expr = c * rest`` with ``c`` a scalar."""
    if isinstance(expr, sp.MatMul):
        c, rest = expr.as_coeff_mmul()
        rest = rest.args[0] if isinstance(rest, sp.MatMul) and len(rest.args) == 1 else rest
        if c != 1:
            return c, rest
    return sp.S.One, expr


def simplify_matrix(expr: MatrixExpr) -> MatrixExpr:
    """Products of ones matrices, scalars out of Hadamard products, ones as the Hadamard identity.

    Examples
    --------
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> A = sp.MatrixSymbol("A", n, n)
    >>> simplify_matrix(sp.HadamardProduct(sp.MatMul(2, sp.OneMatrix(n, n)), A))
    2*A
    """
    if not isinstance(expr, MatrixExpr) or isinstance(expr, sp.MatrixSymbol):
        return expr
    args = [simplify_matrix(a) for a in expr.args]
    if isinstance(expr, sp.HadamardProduct):
        coeff, factors = sp.S.One, []
        for a in args:
            c, rest = _split(a)
            coeff *= c
            inner = rest.args if isinstance(rest, sp.HadamardProduct) else (rest,)
            factors += [f for f in inner if not isinstance(f, sp.OneMatrix)]
        core = (sp.HadamardProduct(*factors) if len(factors) > 1 else factors[0]) if factors else sp.OneMatrix(*expr.shape)
        return core if coeff == 1 else sp.MatMul(coeff, core)
    if isinstance(expr, ElementwiseMap):
        return elementwise(expr.function, *args[1:])
    rebuilt = expr.func(*args)
    if isinstance(rebuilt, (sp.MatMul, sp.MatAdd, sp.Transpose)):
        rebuilt = rebuilt.doit(deep=False)
    return rebuilt


# ----- Reverse mode -----
@dataclass(frozen=True, eq=False)
class MatrixGradient:
    """Reverse-mode derivatives of a matrix program.

    Attributes
    ----------
    forward
        The differentiated assignments.
    adjoint
        ``(symbol, expression)`` in the order computed: each named adjoint ``dX``
        (with ``dC/dX = coefficients[dX] * dX``) and, right after the last
        contribution to it, each input's gradient ``dW`` (the true ``dC/dW``).
    adjoints
        Program variable or input -> its adjoint symbol.
    coefficients
        Adjoint symbol -> scalar factor (1 for the gradients of the inputs).
    methods
        How many local rules came from SymPy (``"sympy"``) and from the table (``"rule"``).
    """

    forward: tuple
    adjoint: tuple
    adjoints: dict
    coefficients: dict
    methods: Counter = field(default_factory=Counter)

    @property
    def definitions(self) -> dict:
        """Every assignment, forward and adjoint, by target."""
        return dict(self.forward) | dict(self.adjoint)

    def gradient(self, wrt: sp.MatrixSymbol) -> MatrixExpr:
        """The expression of dC/d(wrt), in named adjoints and forward symbols."""
        return self.definitions[self.adjoints[wrt]]


def adjoint_name(symbol: sp.MatrixSymbol) -> str:
    """``dZ^{[2]}`` for ``Z^{[2]}`` (Ng's names)."""
    return f"d{symbol.name}"


def reverse_matrix(
    forward: Sequence[tuple[sp.MatrixSymbol, MatrixExpr]],
    output: sp.MatrixSymbol,
    wrt: Sequence[sp.MatrixSymbol],
    name: Callable[[sp.MatrixSymbol], str] = adjoint_name,
) -> MatrixGradient:
    """Reverse-mode gradients of the 1 x 1 ``output`` with respect to each matrix in ``wrt``.

    Examples
    --------
    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> W, X, Z, C = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("Z", n, m), sp.MatrixSymbol("C", 1, 1)
    >>> g = reverse_matrix([(Z, W * X), (C, sp.OneMatrix(1, n) * Z * sp.OneMatrix(m, 1) / m)], C, [W])
    >>> g.adjoint
    ((dZ, 1), (dW, 1/m*dZ*X.T))
    >>> g.coefficients[g.adjoints[Z]]
    1/m
    """
    definitions = dict(forward)
    if output not in definitions or output.shape != (1, 1):
        raise ValueError(f"{output} must be a 1 x 1 matrix assigned by the program")
    depends = set(wrt)
    for target, expr in forward:
        if expr.atoms(sp.MatrixSymbol) & depends:
            depends.add(target)
    order = [t for t, _ in forward]
    first_use = {w: min(i for i, (_, e) in enumerate(forward) if e.has(w)) for w in wrt if any(e.has(w) for _, e in forward)}
    recompute = {expr: target for target, expr in forward if not isinstance(expr, sp.MatrixSymbol)}
    contributions: dict = defaultdict(list)
    adjoint: list = []
    adjoints: dict = {}
    coefficients: dict = {}
    methods: Counter = Counter()
    base = None  # the factor of the first named adjoint (1/m for a mean cost), shared by all of them

    def propagate(node, G, c):
        if isinstance(node, sp.MatrixSymbol):
            if node in depends:
                contributions[node].append((c, G))
            return
        for k, child in enumerate(node.args):
            if not isinstance(child, MatrixExpr) or not (child.atoms(sp.MatrixSymbol) & depends):
                continue
            contribution, method = local_vjp(node, k, G)
            methods[method] += 1
            ck, Gk = _split(simplify_matrix(contribution))
            if not isinstance(Gk, sp.ZeroMatrix):
                propagate(child, Gk, c * ck)

    def combine(terms):
        c = terms[0][0]
        total = sp.MatAdd(*[t if ci == c else sp.MatMul(ci / c, t) for ci, t in terms]) if len(terms) > 1 else terms[0][1]
        extra, total = _split(simplify_matrix(total))
        return c * extra, total.xreplace(recompute)

    for index in range(len(order) - 1, -1, -1):
        target = order[index]
        if target == output:
            propagate(definitions[target], sp.Identity(1), sp.S.One)
        else:
            terms = contributions.pop(target, None)
            if terms and target in depends:
                c, expr = combine(terms)
                base = c if base is None else base
                if c != base:  # a constant g' (3 for 3z - 1) stays in the named adjoint: every dX is the same
                    # multiple of dC/dX (m dC/dX for a mean cost), as V1 says
                    expr, c = sp.MatMul(c / base, expr).doit(deep=False), base
                symbol = sp.MatrixSymbol(name(target), *target.shape)
                adjoint.append((symbol, expr))
                adjoints[target], coefficients[symbol] = symbol, c
                propagate(definitions[target], symbol, c)
        for w in wrt:
            if first_use.get(w) == index:
                c, expr = combine(contributions.pop(w))
                symbol = sp.MatrixSymbol(name(w), *w.shape)
                adjoint.append((symbol, expr if c == 1 else sp.MatMul(c, expr).doit(deep=False)))
                adjoints[w], coefficients[symbol] = symbol, sp.S.One
    for w in wrt:
        if w not in adjoints:
            symbol = sp.MatrixSymbol(name(w), *w.shape)
            adjoint.append((symbol, sp.ZeroMatrix(*w.shape)))
            adjoints[w], coefficients[symbol] = symbol, sp.S.One
    return MatrixGradient(tuple(forward), tuple(adjoint), adjoints, coefficients, methods)
