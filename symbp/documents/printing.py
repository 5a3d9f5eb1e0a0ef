r"""Showing true values in the document's own notation.

When a claim is wrong the report gives the true expression. symbp's autodiff
writes derivatives in pre-activations (``exp(-z)/(1 + exp(-z))**2``); this
module writes them back in activations where it can (``a (1 - a)`` for a
sigmoid, ``a_1 (1 - a_1)`` for a softmax), renames the network's symbols to the
document's (``w^{[2]}_{12}`` to ``w_{212}``, through the notation), and prints
with :class:`symbp.printing.BackpropLatexPrinter`. Non-goals: checking.
"""

from __future__ import annotations

import time

import sympy as sp

from ..rewrites import output_form, refold_sigmoids
from ..printing import latex, ordered_product, ordered_sum
from ..rules import A as RULE_A, Z as RULE_Z
from .limits import within

__all__ = ["doc_name", "doc_latex", "truth_latex", "in_activations", "update_latex"]

MAX_LENGTH = 400


def doc_name(ctx, notation, symbol) -> str:
    r"""The document's LaTeX for a network symbol (its own name when the notation has none).

    Parameters
    ----------
    ctx : Context
        The claims' context (its network locates the symbol: quantity, layer, index).
    notation : Notation
        The document's notation; :meth:`~.notation.Notation.key_for` finds the key that means the symbol.
    symbol : sympy.Symbol
        A symbol of the network (``w^{[1]}_{11}``, ``a^{[2]}_{1}``).

    Returns
    -------
    str

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> from symbp.documents.notation import Notation
    >>> ctx, notation = one_unit()
    >>> w, a = ctx.symbols.W[1][0, 0], ctx.symbols.A[1][0]
    >>> doc_name(ctx, notation, w), doc_name(ctx, notation, a), doc_name(ctx, Notation({}), a)
    ('w', '\\hat{y}', 'a^{[1]}_{1}')
    """
    name = _document_key(ctx, notation, symbol)
    if name is not None:
        return name
    return symbol.name if isinstance(symbol, sp.Symbol) else str(symbol)


def doc_latex(ctx, notation, expr) -> str:
    r"""``expr`` as LaTeX, its network symbols renamed to the document's (:func:`doc_name`), as written.

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> ctx, notation = one_unit()
    >>> print(doc_latex(ctx, notation, -2 * ctx.symbols.Z[1][0] * ctx.symbols.X[0]))
    - 2 x z
    """
    names = {s: sp.Symbol(doc_name(ctx, notation, s), real=True) for s in expr.free_symbols
             if isinstance(s, sp.Symbol)}
    return latex(expr.xreplace(names))


def _document_key(ctx, notation, symbol) -> str | None:
    """The notation's key for a network symbol, None when it has none (or the symbol is not the network's)."""
    located = ctx.locate(symbol)
    return None if located is None else notation.key_for(*located, depth=ctx.depth)


MAX_OPS = 120
#: Seconds spent at most simplifying a true value for display.
SIMPLIFY_SECONDS = 2.0


class _TooLong(Exception):
    pass


def in_activations(ctx, expr: sp.Expr, seconds: float = SIMPLIFY_SECONDS) -> sp.Expr:
    r"""``expr`` (adjoints expanded) with sigmoid and softmax written in their outputs where possible.

    Parameters
    ----------
    ctx : Context
        The claims' context: its network's activations and symbp's adjoints.
    expr : sympy.Expr
        A value in the network's symbols, adjoint symbols included (a derivative from symbp's autodiff).
    seconds : float, optional
        The time the final ``factor(simplify(...))`` may take (for display only: without it the form is longer,
        not wrong).

    Returns
    -------
    sympy.Expr
        The same value, each ``exp(-z)`` of an activation written in its output ``a`` (``(1 - a)/a`` for a
        sigmoid), each softmax column in its outputs.

    Raises
    ------
    _TooLong
        When the expanded expression has more than ``MAX_OPS`` operations (:func:`truth_latex` then shows none).

    Examples
    --------
    symbp's autodiff gives dC/dz of a sigmoid unit in z; in the activation it is a (1 - a) (a - y):

    >>> from symbp.documents.examples import one_unit
    >>> ctx, _ = one_unit()
    >>> gradient = ctx.cost_derivative(ctx.symbols.Z[1][0])
    >>> ctx.expand_adjoint_symbols(gradient)
    (a^{[1]}_{1} - y_{1})*exp(-z^{[1]}_{1})/(1 + exp(-z^{[1]}_{1}))**2
    >>> in_activations(ctx, gradient)
    a^{[1]}_{1}*(1 - a^{[1]}_{1})*(a^{[1]}_{1} - y_{1})
    """
    expr = ctx.expand_adjoint_symbols(sp.sympify(expr, strict=True))  # safe: strict=True refuses text
    if sp.count_ops(expr) > MAX_OPS:
        raise _TooLong
    if ctx.spec is None:
        return _sign_into_sum(refold_sigmoids(expr))
    s = ctx.symbols
    for l in range(1, ctx.depth + 1):
        rule = ctx.spec.activation_rule(l)
        Z, A = s.Z[l], s.A[l]
        if rule.kind != "vector":
            forward = rule.apply([RULE_Z], ctx.spec.options)[0]
            inverse = output_form(sp.exp(-RULE_Z), forward, RULE_Z, RULE_A)  # exp(-z) in a, if it can be
            for z, a in zip(Z, A):
                if inverse is not None:
                    expr = expr.subs(sp.exp(-z), inverse.xreplace({RULE_A: a}))
                expr = expr.xreplace({forward.xreplace({RULE_Z: z}): a}) if not forward.is_Symbol else expr
        else:
            total = sp.Dummy("S", positive=True)
            for c in range(Z.cols):
                subs = {sp.exp(z): a * total for z, a in zip(Z[:, c], A[:, c])}
                expr = sp.simplify(expr.subs(subs))
                expr = expr.subs(sp.Add(*A[:, c]), 1)
                last = A[A.rows - 1, c]
                expr = sp.factor(expr.subs(last, 1 - sp.Add(*A[: A.rows - 1, c]))).subs(
                    1 - sp.Add(*A[: A.rows - 1, c]), last)
    expr = refold_sigmoids(expr)
    if ctx.target_sums and expr.has(*ctx.target_sums):
        expr = _given_sums(ctx, expr)
    if sp.count_ops(expr) < 200 and seconds > 0.05:
        # only for a shorter display: bounded, since simplify can take minutes (tanh, nested exponentials)
        expr = within(seconds, "simplifying the true value for display", lambda: sp.factor(sp.simplify(expr)), expr)
    return _sign_into_sum(_by_weights(ctx, expr))


def _by_weights(ctx, expr: sp.Expr) -> sp.Expr:
    r"""Each sum of ``expr`` (a factor of it, or itself) collected on the weights, each coefficient factored.

    A path sum reads ``w_{11} a_1 (1 - a_1) (a_1 - y_1) + w_{21} ...`` rather than its expanded polynomial;
    kept only when it is shorter.

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> ctx, _ = one_unit()
    >>> w, a, y = ctx.symbols.W[1][0, 0], ctx.symbols.A[1][0], ctx.symbols.Y[0]
    >>> _by_weights(ctx, sp.expand(w * a * (1 - a) * (a - y)) + y)
    a^{[1]}_{1}*w^{[1]}_{11}*(1 - a^{[1]}_{1})*(a^{[1]}_{1} - y_{1}) + y_{1}
    """
    if ctx.spec is None:
        return expr
    weights = [w for l in range(1, ctx.depth + 1) for w in ctx.symbols.W[l] if expr.has(w)]

    def collected(term):
        if not isinstance(term, sp.Add) or not any(term.has(w) for w in weights):
            return term
        return sp.collect(sp.expand(term), weights, func=lambda c: _sign_into_sum(sp.factor(c)))

    factors = sp.Mul.make_args(expr)
    shorter = sp.Mul(*[collected(f) for f in factors]) if len(factors) > 1 else collected(expr)
    return shorter if sp.count_ops(shorter) < sp.count_ops(expr) else expr


def _sign_into_sum(expr: sp.Expr) -> sp.Expr:
    """``-a (a - 1)`` as ``a (1 - a)``: a leading minus taken into a sum with a negative constant, as a teacher writes it.

    Examples
    --------
    >>> a, y = sp.symbols("a y")
    >>> _sign_into_sum(-a * (a - 1)), _sign_into_sum(-a * (a - 1) * (a - y))
    (a*(1 - a), a*(1 - a)*(a - y))
    """
    if not isinstance(expr, sp.Mul):
        return expr
    coeff, rest = expr.as_coeff_Mul()
    factors = sp.Mul.make_args(rest)
    sums = [f for f in factors if isinstance(f, sp.Add)]
    if not (coeff.is_negative and sums):
        return expr
    flip = next((f for f in sums if any(t.is_Number and t.is_negative for t in f.args)), None)  # a - 1 -> 1 - a
    if flip is None:
        return expr
    others = [f for f in factors if f is not flip]
    return sp.Mul(-coeff, sp.Add(*[-t for t in flip.args]), *others, evaluate=False) if coeff != -1 else \
        sp.Mul(sp.Add(*[-t for t in flip.args]), *others, evaluate=False)


def truth_latex(ctx, notation, value) -> str | None:
    r"""The true value as LaTeX in the document's notation; None when it is too long to be useful.

    The ``expected`` value of a wrong claim. A quantity of the network itself (the left side of a wrong
    definition) is shown as what the network defines it to be, one step down; anything else is written in
    activations (:func:`in_activations`), its symbols renamed by :func:`doc_name`, and printed by
    :func:`symbp.printing.latex`.

    Parameters
    ----------
    ctx : Context
    notation : Notation
    value : sympy.Expr or sympy.MatrixBase
        The true value (a 1 x 1 matrix is its entry).

    Returns
    -------
    str or None
        LaTeX; None for a matrix of more than 16 entries, an expression too long to simplify, LaTeX longer
        than ``MAX_LENGTH`` characters, or a symbol the notation has no key for when the document numbers
        layers differently from symbp (:attr:`~.notation.Notation.renumbers_layers`).

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> ctx, notation = one_unit()
    >>> print(truth_latex(ctx, notation, ctx.cost_derivative(ctx.symbols.Z[1][0])))
    \hat{y} \left(1 - \hat{y}\right) \left(\hat{y} - y\right)
    >>> print(truth_latex(ctx, notation, ctx.symbols.A[1][0]))  # the output is sigma of its z
    \sigma\left(z\right)
    """
    if isinstance(value, sp.MatrixBase) and value.shape == (1, 1):
        value = value[0, 0]
    if isinstance(value, sp.MatrixBase) and len(value) > 16:
        return None
    deadline = time.monotonic() + SIMPLIFY_SECONDS  # one budget for all the entries
    definition = _definition(ctx, value)
    try:
        if definition is not None:  # a quantity itself (a wrong definition of it): what it is defined as
            value = definition
        elif isinstance(value, sp.MatrixBase):
            entries = [in_activations(ctx, e, deadline - time.monotonic()) for e in value]
            value = sp.ImmutableMatrix(value.rows, value.cols, entries)
        else:
            value = in_activations(ctx, value)
        symbols = [s for s in value.free_symbols if isinstance(s, sp.Symbol)]
        if notation.renumbers_layers and any(ctx.locate(s) is not None and _document_key(ctx, notation, s) is None
                                             for s in symbols):
            return None  # symbp's a^{[1]}_{1} would read as the document's layer 1, which it is not
        text = doc_latex(ctx, notation, value)
    except (_TooLong, sp.PolynomialError, TypeError, ValueError, AttributeError):
        return None
    return text if len(text) <= MAX_LENGTH else None


def _given_sums(ctx, expr: sp.Expr) -> sp.Expr:
    """The shortest form of ``expr`` given that each example's targets, and its softmax outputs, sum to 1.

    The identities of a cross-entropy over a softmax are proved for such targets (``ctx.target_sums``); the
    true value is shown the same way: ``a_1 (y_1 + y_2 + y_3) - y_1`` is ``a_1 - y_1``, and
    ``-a_1 - a_2 + y_1 + y_2`` is ``a_3 - y_3``.
    """
    A, Y = ctx.symbols.A[ctx.depth], ctx.symbols.Y
    given = sp.expand(expr.xreplace(ctx.target_sums))  # the last target of each example in the others
    first = {}  # the first output and target of each example in the others
    for c in range(Y.cols):
        first[Y[0, c]] = 1 - sp.Add(*Y[1:, c])
        first[A[0, c]] = 1 - sp.Add(*A[1:, c])
    return min((expr, given, sp.expand(given.xreplace(first))), key=sp.count_ops)


def _definition(ctx, value):
    """The one-step definition of a quantity of the network (a = sigma(z), C = its loss), None for anything else.

    The true value of ``a = <wrong formula>`` is the quantity ``a`` itself; shown as "a" it would say nothing,
    so it is shown as what the network defines it to be, one step down.
    """
    assigned = dict(ctx.program.assignments) if ctx.spec is not None else {}
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    if not entries or not all(isinstance(e, sp.Symbol) and e in assigned for e in entries):
        return None
    return value.xreplace(assigned)


def update_latex(ctx, notation, parameter) -> str | None:
    r"""One gradient-descent step of ``parameter`` (a weight, a bias, or their matrix) in the document's names.

    ``p - \eta dC/dp``, the gradient by the document's own name for it (``\Delta^{b_{1}}``, ``dW^{[2]}``) or
    else as a derivative: the ``expected`` value of a wrong update rule reads better so than expanded.

    Parameters
    ----------
    ctx : Context
    notation : Notation
        The document's notation (keys for the parameter, its gradient, the cost ``C`` and ``lr``; ``C`` and
        ``\eta`` when it has none).
    parameter : sympy.Symbol or sympy.MatrixBase
        A weight or bias of the network, or a whole parameter matrix.

    Returns
    -------
    str or None
        The step as LaTeX; None for anything but a weight, a bias or a parameter matrix of the network.

    Examples
    --------
    >>> from symbp.documents.examples import one_unit
    >>> from symbp.documents.notation import Notation
    >>> ctx, notation = one_unit()
    >>> w = ctx.symbols.W[1][0, 0]
    >>> print(update_latex(ctx, notation, w))
    w - \eta \frac{\partial L}{\partial w}
    >>> print(update_latex(ctx, Notation({"w": "W[1][0,0]", "dw": "dW[1][0,0]"}), w))
    w - \eta dw
    >>> update_latex(ctx, notation, ctx.symbols.A[1][0]) is None  # an activation is not a parameter
    True
    """
    entry = parameter[0, 0] if isinstance(parameter, sp.MatrixBase) else parameter
    located = ctx.locate(entry) if isinstance(entry, sp.Symbol) else None
    if located is None or located[0] not in ("W", "b"):
        return None
    name, layer, index = located
    if isinstance(parameter, sp.MatrixBase):
        if parameter.shape != ctx.matrix(name, layer).shape:
            return None
        index = ()
    p = notation.key_for(name, layer, index, depth=ctx.depth) or (entry.name if not index else None)
    if p is None:
        return None
    gradient = notation.key_for("d" + name, layer, index, depth=ctx.depth)
    cost = sp.Symbol(notation.key_for("C", None, ()) or "C")
    g = sp.Symbol(gradient) if gradient else sp.Derivative(cost, sp.Symbol(p))
    lr = sp.Symbol(notation.key_for("lr", None, ()) or r"\eta")
    return latex(ordered_sum(sp.Symbol(p), ordered_product(-1, lr, g)))
