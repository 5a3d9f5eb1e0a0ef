"""Exact rewrites of scalar formulas for numerical evaluation.

Each rewrite replaces an expression by an equal one that is cheaper or cannot
overflow, and is an identity SymPy can check:

* :func:`output_form`: a derivative in ``z`` written in the activation's output
  ``a = g(z)`` (sigma' = a(1 - a), tanh' = 1 - a^2), found by substituting
  ``g(z)`` by ``a`` or, failing that, by solving ``a = g(z)`` for z with SymPy
  (a solved form is used only once :func:`symbp.proof.prove_zero` proves it);
* :func:`stabilize`: ``log(exp(u)) = u`` for a stored exp, ``log(sigmoid(u))``
  and ``log(1 - sigmoid(u))`` as :class:`log_sigmoid`, and SymPy's explicit
  derivative of the sigmoid, ``exp(-u)/(1 + exp(-u))^2``, refolded into
  ``sigmoid(u)(1 - sigmoid(u))`` (and ``1/(1 + exp(-u))`` into ``sigmoid(u)``).

Non-goals: deciding where the rewrites apply (:mod:`symbp.lowering`).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .functions import sigmoid, unfold
from .proof import prove_zero

__all__ = ["log_sigmoid", "output_form", "in_output", "refold_sigmoids", "stabilize", "STABLE_REWRITES"]


class log_sigmoid(sp.Function):
    """``log(sigmoid(u))`` as one node, printed as the stable kernel of :mod:`symbp.numerics`."""

    is_real = True


# ----- g'(z) written in a = g(z) -----
@lru_cache(maxsize=256)
def output_form(derivative: sp.Expr, forward: sp.Expr, z: sp.Symbol, a: sp.Symbol) -> sp.Expr | None:
    """``derivative`` (in z) rewritten in ``a = forward(z)``, or None when SymPy cannot.

    >>> z, a = sp.symbols("z a", real=True)
    >>> output_form(sp.diff(sigmoid(z), z), sigmoid(z), z, a)
    -a*(a - 1)
    >>> output_form(1 - sp.tanh(z)**2, sp.tanh(z), z, a)
    1 - a**2
    """
    direct = derivative.xreplace({forward: a})
    if not direct.has(z):
        return direct
    explicit = unfold(forward)
    if explicit.has(sp.Piecewise, sp.sign, sp.Heaviside, sp.Abs, sp.Max, sp.Min):
        return None  # not one-to-one as a whole (relu, z sign(z)): keep z
    try:
        solutions = sp.solve(sp.Eq(a, explicit), z)
        forms = {sp.factor(sp.simplify(unfold(derivative).xreplace({z: s}))) for s in solutions}
    except (NotImplementedError, ValueError, TypeError):
        return None
    if len(forms) != 1:
        return None
    form = forms.pop()
    if form.has(z) or form.has(sp.log, sp.exp):
        return None
    # solve may return one branch of an inverse that has several: the form must be proved to give g'(z) for
    # every z, or z is kept
    return form if _proved_equal(form.xreplace({a: forward}), derivative) else None


def _proved_equal(left: sp.Expr, right: sp.Expr) -> bool:
    """True only if ``left - right`` is proved zero exactly, at every point (a kink's exception refuses).

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> _proved_equal(3 * (z**3) ** sp.Rational(2, 3), 3 * z**2)  # the principal cube root: wrong for z < 0
    False
    """
    verdict = prove_zero(left - right)
    return verdict.proved and not verdict.away_from_kinks


# ----- Stable rewrites for the cost (table: pattern -> replacement) -----
_u = sp.Wild("u")
STABLE_REWRITES = (
    (sp.log(sigmoid(_u)), log_sigmoid(_u)),
    (sp.log(1 - sigmoid(_u)), log_sigmoid(-_u)),
)


def _refold_sigmoid_derivative(product: sp.Mul) -> sp.Expr:
    """``exp(-u) / (1 + exp(-u))**2`` inside a product (SymPy's derivative of the explicit sigmoid,
    as in a custom activation such as swish) becomes ``sigmoid(u) (1 - sigmoid(u))``: no overflow."""
    factors = list(product.args)
    for f in factors:
        if f.is_Pow and f.exp == -2 and f.base.is_Add and len(f.base.args) == 2 and sp.S.One in f.base.args:
            e = next(a for a in f.base.args if a != 1)
            if isinstance(e, sp.exp) and e in factors:
                rest = list(factors)
                rest.remove(f)
                rest.remove(e)
                u = -e.args[0]
                return sp.Mul(*rest) * sigmoid(u) * (1 - sigmoid(u))
    return product


def _split_log(node: sp.log, exp_of: dict, positive) -> sp.Expr:
    """``log(e^k s^j r)`` as ``k u + j log(s) + log(r)`` for a stored ``e = exp(u)`` and a positive ``s``.

    Exact wherever the left side is defined (``e`` and ``s`` are positive); other
    factors stay inside one logarithm, so nothing is split that could be negative.
    """
    outside, rest = [], []
    for factor in sp.Mul.make_args(node.args[0]):
        base, k = factor.as_base_exp()
        if base in exp_of:
            outside.append(k * exp_of[base])
        elif base in positive or base.is_positive:
            outside.append(k * sp.log(base))
        else:
            rest.append(factor)
    if not outside:
        return node
    return sp.Add(*outside, *([sp.log(sp.Mul(*rest))] if rest else []))


def refold_sigmoids(expr: sp.Expr) -> sp.Expr:
    """``expr`` with SymPy's unfolded sigmoid, and its derivative, written as ``sigmoid`` again.

    Examples
    --------
    >>> t = sp.Symbol("t", real=True)
    >>> refold_sigmoids(sp.exp(-t) / (1 + sp.exp(-t)) ** 2)
    (1 - sigmoid(t))*sigmoid(t)
    """
    return expr.replace(lambda e: e.is_Mul, _refold_sigmoid_derivative).replace(1 / (1 + sp.exp(-_u)), sigmoid(_u))


def stabilize(expr: sp.Expr, exp_of: dict, positive: frozenset = frozenset()) -> sp.Expr:
    """``expr`` rewritten so that it cannot overflow; ``exp_of`` maps a stored ``e = exp(u)`` to ``u``.

    ``positive`` names stored values known to be positive (a column sum of
    exponentials), whose logarithm may be taken apart.

    Examples
    --------
    >>> u, y, e, t = sp.symbols("u y e t", real=True)
    >>> stabilize(-y * sp.log(sigmoid(u)) - (1 - y) * sp.log(1 - sigmoid(u)), {})
    -y*log_sigmoid(u) - (1 - y)*log_sigmoid(-u)
    >>> stabilize(-y * sp.log(e / t), {e: u}, frozenset({t}))
    -y*(u - log(t))
    >>> stabilize(sp.log(y**2 * e), {e: u})  # y may be negative: log(y**2) is not split into 2 log(y)
    u + log(y**2)
    """
    expr = refold_sigmoids(expr)
    if not expr.has(sp.log):
        return expr
    expr = expr.replace(lambda e: isinstance(e, sp.log), lambda e: _split_log(e, exp_of, positive))
    for pattern, replacement in STABLE_REWRITES:
        expr = expr.replace(pattern, replacement)
    return expr


def in_output(expr, formula, z, a):
    """Each largest part of ``expr`` that depends on z alone, rewritten in the stored output a when possible.

    Examples
    --------
    >>> z, a, g = sp.symbols("z a g", real=True)
    >>> in_output(g * sp.diff(sigmoid(z), z), sigmoid(z), z, a)
    -a*g*(a - 1)
    """
    if expr.free_symbols == {z}:
        form = output_form(expr, formula, z, a)
        return expr if form is None else form
    if not expr.has(z) or not expr.args:
        return expr
    if isinstance(expr, sp.Mul):
        rest, dependent = expr.as_independent(z, as_Add=False)
        if dependent.free_symbols == {z} and rest != 1:
            return in_output(rest, formula, z, a) * in_output(dependent, formula, z, a)
    return expr.func(*[in_output(arg, formula, z, a) for arg in expr.args])
