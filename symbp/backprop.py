"""The hand side: the backpropagation equations, assembled from the rule table.

Two sets of equations, each an :class:`Equation` with a name, a SymPy form over
matrix symbols of symbolic shape and a LaTeX form:

* per example (Nielsen's BP1-BP4): ``delta^L = grad_a C (.) sigma'(z^L)``,
  ``delta^l = ((W^{l+1})^T delta^{l+1}) (.) sigma'(z^l)``, ``dC/db^l = delta^l``,
  ``dC/dW^l = delta^l (a^{l-1})^T``, averaged over the batch;
* vectorized over a batch of m columns (Ng's form): ``dZ = dA (.) g'(Z)``,
  ``dW = 1/m dZ A_prev^T``, ``db = 1/m dZ 1``, ``dA_prev = W^T dZ``.

A softmax layer goes through its Jacobian instead of the Hadamard product. The
numbers that differ per activation and cost (sigma', grad_a C, the Jacobian)
come only from :mod:`symbp.rules`. The equations are *instantiated*: the very
expression that is printed is evaluated on explicit matrices of the network's
symbols, so what is checked is what is shown. Nothing here calls ``diff``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .symbols import network_symbols
from .printing import latex as to_latex
from .program import Program
from .spec import NetworkSpec

__all__ = ["Equation", "EQUATIONS", "HandGradients", "hand_gradients", "delta_symbol"]

# Symbolic sizes of the generic equations.
n_l, n_prev, m = sp.symbols("n_l n_{l-1} m", integer=True, positive=True)


def _ms(name: str, rows, cols) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, rows, cols)


@dataclass(frozen=True)
class Equation:
    """One backprop equation: ``lhs = rhs`` over matrix symbols.

    Examples
    --------
    >>> EQUATIONS["V2"].latex()
    'dW^{[l]} = \\\\frac{1}{m} dZ^{[l]} {A^{[l-1]}}^{T}'
    """

    name: str
    title: str
    lhs: sp.MatrixExpr
    rhs: sp.MatrixExpr
    source: str = ""

    def latex(self) -> str:
        """The equation in LaTeX, printed from its SymPy form."""
        return f"{to_latex(self.lhs)} = {to_latex(self.rhs)}"

    def instantiate(self, bindings: Mapping[sp.Basic, sp.Basic]) -> sp.ImmutableMatrix:
        """Evaluate the right-hand side with explicit matrices (and sizes) bound to its symbols."""
        value = self.rhs.xreplace(dict(bindings)).doit()
        return sp.ImmutableMatrix(value.as_explicit() if isinstance(value, sp.MatrixExpr) else value)


# Generic quantities (layer l, batch of m columns, one column for the per-example forms).
_delta = _ms(r"\delta^{l}", n_l, 1)
_delta_next = _ms(r"\delta^{l+1}", sp.Symbol("n_{l+1}"), 1)
_W_next = _ms(r"W^{l+1}", sp.Symbol("n_{l+1}"), n_l)
_grad_a = _ms(r"\nabla_a C", n_l, 1)
_sigma_p = _ms(r"\sigma'(z^{l})", n_l, 1)
_jac = _ms(r"J_{\sigma}(z^{l})", n_l, n_l)
_a_prev = _ms(r"a^{l-1}", n_prev, 1)
_dZ = _ms(r"dZ^{[l]}", n_l, m)
_dA = _ms(r"dA^{[l]}", n_l, m)
_gp = _ms(r"g'^{[l]}(Z^{[l]})", n_l, m)
_A_prev = _ms(r"A^{[l-1]}", n_prev, m)
_W = _ms(r"W^{[l]}", n_l, n_prev)
_ones = _ms(r"\mathbf{1}_{m}", m, 1)
_dZ_col = _ms(r"dZ^{[l]}_{:,i}", n_l, 1)
_dA_col = _ms(r"dA^{[l]}_{:,i}", n_l, 1)

# ----- The equations: name | title | lhs | rhs | source -----
EQUATIONS: dict[str, Equation] = {
    e.name: e
    for e in [
        Equation("BP1", "output error", _delta, sp.HadamardProduct(_grad_a, _sigma_p), "Nielsen (BP1)"),
        Equation("BP1s", "output error, softmax", _delta, _jac.T * _grad_a, "BP1 through the softmax Jacobian"),
        Equation("BP2", "error of a hidden layer", _delta, sp.HadamardProduct(_W_next.T * _delta_next, _sigma_p), "Nielsen (BP2)"),
        Equation("BP2s", "error of a softmax hidden layer", _delta, _jac.T * (_W_next.T * _delta_next), "BP2 through the softmax Jacobian"),
        Equation("BP3", "bias gradient", _ms(r"\nabla_{b^{l}} C", n_l, 1), _delta, "Nielsen (BP3)"),
        Equation("BP4", "weight gradient", _ms(r"\nabla_{W^{l}} C", n_l, n_prev), _delta * _a_prev.T, "Nielsen (BP4)"),
        Equation("V1", "dZ from dA", _dZ, sp.HadamardProduct(_dA, _gp), "vectorized, Ng"),
        Equation("V1s", "dZ from dA, softmax (column i)", _dZ_col, _jac.T * _dA_col, "vectorized, through the Jacobian"),
        Equation("V2", "weight gradient", _ms(r"dW^{[l]}", n_l, n_prev), _dZ * _A_prev.T / m, "vectorized, Ng"),
        Equation("V3", "bias gradient", _ms(r"db^{[l]}", n_l, 1), _dZ * _ones / m, "vectorized, Ng"),
        Equation("V4", "dA of the previous layer", _ms(r"dA^{[l-1]}", n_prev, m), _W.T * _dZ, "vectorized, Ng"),
    ]
}


def delta_symbol(form: str, layer: int, unit: int, example: int, batch: int) -> sp.Symbol:
    """The hand side's symbol for delta^{[l](i)}_j (1-based unit and example).

    The per-example form names it ``\\delta``, the vectorized form ``dZ``; the
    example index is written only when the batch has more than one example.

    Examples
    --------
    >>> delta_symbol("per_example", 2, 1, 1, 1)
    \\delta^{[2]}_{1}
    >>> delta_symbol("vectorized", 1, 2, 3, 4)
    dZ^{[1](3)}_{2}

    It is the entry (unit, example) of :func:`hand_gradients`' delta matrices:

    >>> from symbp.spec import NetworkSpec
    >>> hg = hand_gradients(NetworkSpec((1, 2), ("sigmoid",), "half_sse", batch=3))
    >>> hg.deltas[1][1, 2] == delta_symbol("vectorized", 1, 2, 3, 3)
    True
    """
    mark = "dZ" if form == "vectorized" else r"\delta"
    ex = f"({example})" if batch > 1 else ""
    return sp.Symbol(rf"{mark}^{{[{layer}]{ex}}}_{{{unit}}}", real=True)


@dataclass(frozen=True, eq=False)
class HandGradients:
    """The hand-derived gradients of a network, in one of the two forms.

    Attributes
    ----------
    form
        ``"per_example"`` (BP1-BP4, averaged) or ``"vectorized"`` (dZ, dW, db, dA).
    deltas
        ``deltas[l]``: the n_l x m matrix of symbols naming delta^{[l]} (dZ^{[l]}).
    program
        Each delta symbol's definition, in terms of the next layer's delta symbols,
        the weights, and the ``z``/``a``/``y`` symbols of :mod:`symbp.symbols`.
    gradients
        Each weight and bias symbol -> its gradient, in delta and ``a`` symbols.
    equations
        The equations used, by layer: ``[(layer, name), ...]``.

    Per-example deltas are those of one example's loss; the batch mean enters
    through the 1/m of the weight and bias gradients.
    """

    form: str
    deltas: dict[int, sp.ImmutableMatrix]
    program: Program
    gradients: dict[sp.Symbol, sp.Expr]
    equations: tuple[tuple[int, str], ...]


@lru_cache(maxsize=32)
def hand_gradients(spec: NetworkSpec, form: str = "vectorized") -> HandGradients:
    """Assemble the hand-derived gradients of ``spec``.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> hg = hand_gradients(NetworkSpec((1, 1), ("sigmoid",), "half_sse"), "per_example")
    >>> hg.program.assignments[0][1]
    a^{[1]}_{1}*(1 - a^{[1]}_{1})*(a^{[1]}_{1} - y_{1})
    """
    if form not in ("per_example", "vectorized"):
        raise ValueError(f"form must be 'per_example' or 'vectorized', got {form!r}")
    s = network_symbols(spec.widths, spec.batch)
    L, mb = spec.depth, spec.batch
    cost = spec.cost_rule()
    deltas = {
        l: sp.ImmutableMatrix(spec.widths[l], mb, lambda j, i, l=l: delta_symbol(form, l, j + 1, i + 1, mb))
        for l in range(1, L + 1)
    }
    assignments: list[tuple[sp.Symbol, sp.Expr]] = []
    used: list[tuple[int, str]] = []
    # grad_a C: the per-example loss gradient at the output, entry by entry from the cost table.
    grad_a = sp.ImmutableMatrix(
        spec.widths[L], mb, lambda j, i: cost.hand_gradient(s.A[L][j, i], s.Y[j, i], spec.widths[L])
    )
    for l in range(L, 0, -1):
        upstream = grad_a if l == L else None
        value, names = _delta_values(spec, form, l, s, upstream, deltas.get(l + 1))
        used += [(l, name) for name in names]
        for i in range(mb):
            for j in range(spec.widths[l]):
                assignments.append((deltas[l][j, i], value[j, i]))
    gradients: dict[sp.Symbol, sp.Expr] = {}
    for l in range(1, L + 1):
        dW, db = _parameter_gradients(form, deltas[l], s.A[l - 1], mb)
        used += [(l, "V2"), (l, "V3")] if form == "vectorized" else [(l, "BP4"), (l, "BP3")]
        gradients.update(zip(s.W[l], dW))
        gradients.update(zip(s.b[l], db))
    return HandGradients(form, deltas, Program(tuple(assignments)), gradients, tuple(used))


def _delta_values(spec: NetworkSpec, form: str, l: int, s, grad_a, delta_next):
    """delta^{[l]} (n_l x m): from grad_a C at the output, from delta^{[l+1]} below it."""
    rule = spec.activation_rule(l)
    Zl, Al, mb = s.Z[l], s.A[l], spec.batch
    output = l == spec.depth
    W_next = None if output else s.W[l + 1]
    if rule.kind == "vector":
        jacobians = [sp.ImmutableMatrix(rule.hand_jacobian(list(Al[:, i]))) for i in range(mb)]
    else:
        gprime = sp.ImmutableMatrix(
            Zl.rows, Zl.cols, lambda j, i: rule.hand_derivative(Zl[j, i], Al[j, i], spec.options)
        )
    if form == "vectorized":
        names = []
        if not output:
            grad_a = EQUATIONS["V4"].instantiate({_W: W_next, _dZ: delta_next})
            names.append("V4")
        if rule.kind == "vector":
            eq = EQUATIONS["V1s"]
            cols = [eq.instantiate({_jac: jacobians[i], _dA_col: grad_a[:, i]}) for i in range(mb)]
            return sp.ImmutableMatrix.hstack(*cols), names + ["V1s"]
        return EQUATIONS["V1"].instantiate({_dA: grad_a, _gp: gprime}), names + ["V1"]
    name = ("BP1" if output else "BP2") + ("s" if rule.kind == "vector" else "")
    eq = EQUATIONS[name]
    cols = []
    for i in range(mb):
        bind = {_grad_a: grad_a[:, i]} if output else {_W_next: W_next, _delta_next: delta_next[:, i]}
        bind.update({_jac: jacobians[i]} if rule.kind == "vector" else {_sigma_p: gprime[:, i]})
        cols.append(eq.instantiate(bind))
    return sp.ImmutableMatrix.hstack(*cols), [name]


def _parameter_gradients(form: str, delta: sp.ImmutableMatrix, A_prev: sp.ImmutableMatrix, batch: int):
    if form == "vectorized":
        ones = sp.ImmutableMatrix.ones(batch, 1)
        dW = EQUATIONS["V2"].instantiate({_dZ: delta, _A_prev: A_prev, m: batch})
        db = EQUATIONS["V3"].instantiate({_dZ: delta, _ones: ones, m: batch})
        return list(dW), list(db)
    # BP3 and BP4 per example, then the mean over the batch (C = 1/m sum_x C_x).
    dW = sp.zeros(delta.rows, A_prev.rows)
    db = sp.zeros(delta.rows, 1)
    for i in range(batch):
        dW += EQUATIONS["BP4"].instantiate({_delta: delta[:, i], _a_prev: A_prev[:, i]})
        db += EQUATIONS["BP3"].instantiate({_delta: delta[:, i]})
    return list(dW / batch), list(db / batch)
