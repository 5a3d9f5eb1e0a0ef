"""Deciding whether an expression is identically zero, and saying how.

:func:`prove_zero` tries exact methods first and says which one succeeded:

1. the expression is already ``0`` after SymPy's automatic simplification;
2. activation functions unfolded to their explicit formulas, ``tanh``,
   ``Heaviside`` and ``sign`` rewritten (as exponentials or piecewise
   functions), every branch of a piecewise result checked separately, and the
   rest brought to one rational function in its atoms by :func:`sympy.cancel`;
   a zero numerator is a proof (treating ``exp(u)`` and other atoms as independent
   variables only ever loses proofs, never makes a false one);
3. :func:`sympy.simplify`, for small expressions only (it can be slow).

If none proves it, the expression is evaluated at seeded random points with
50-digit arithmetic: a clearly non-zero value refutes the identity (and the
point is reported); otherwise the result is ``unproven`` and says that the
evidence is numeric.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import sympy as sp

from .functions import unfold

__all__ = ["Verdict", "prove_zero", "sample_point"]

PROVED, REFUTED, UNPROVEN = "proved", "refuted", "unproven"


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`prove_zero`.

    ``status`` is ``"proved"``, ``"refuted"`` or ``"unproven"``; ``method`` says how;
    ``residual`` is the simplified non-zero expression (if any); ``point`` and
    ``value`` give a point where the expression is not zero.
    """

    status: str
    method: str
    residual: sp.Expr = sp.S.Zero
    point: dict = field(default_factory=dict)
    value: sp.Expr | None = None

    @property
    def proved(self) -> bool:
        """True when the identity was proved exactly."""
        return self.status == PROVED


def prove_zero(expr: sp.Expr, *, seed: int = 0, probes: int = 6, positive: frozenset = frozenset()) -> Verdict:
    """Decide whether ``expr`` is identically zero.

    ``positive`` names symbols to sample in (0, 1) instead of (-2, 2) (for
    example the arguments of a logarithm).

    Examples
    --------
    >>> import sympy as sp
    >>> from symbp.functions import sigmoid
    >>> z = sp.Symbol("z", real=True)
    >>> prove_zero(sp.diff(sigmoid(z), z) - sigmoid(z) * (1 - sigmoid(z))).status
    'proved'
    >>> v = prove_zero(sp.diff(sigmoid(z), z) - sigmoid(z))
    >>> v.status, v.point
    ('refuted', {z: ...})
    """
    expr = sp.sympify(expr)
    if expr == 0:
        return Verdict(PROVED, "identical after SymPy's automatic simplification")
    rewritten = _rewrite(expr)
    if _all_branches_zero(rewritten):
        return Verdict(PROVED, "rational-function identity: the numerator cancels to 0 (sympy.cancel)")
    if sp.count_ops(rewritten) < 400:
        simplified = sp.simplify(rewritten)
        if simplified == 0:
            return Verdict(PROVED, "sympy.simplify reduces the difference to 0")
    else:
        simplified = rewritten
    point, value = _find_nonzero(expr, seed=seed, probes=probes, positive=positive)
    if point is not None:
        return Verdict(REFUTED, "non-zero at a point (50-digit evaluation)", _short(simplified), point, value)
    return Verdict(
        UNPROVEN,
        f"not proved symbolically; zero to 40 digits at {probes} seeded random points (numeric evidence only)",
        _short(simplified),
    )


def _rewrite(expr: sp.Expr) -> sp.Expr:
    expr = unfold(expr)
    if expr.has(sp.tanh, sp.sinh, sp.cosh):
        expr = expr.rewrite(sp.exp)
    if expr.has(sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min):
        expr = expr.rewrite(sp.Piecewise)
    if expr.has(sp.Piecewise):
        expr = sp.piecewise_fold(expr)
    return expr


def _all_branches_zero(expr: sp.Expr) -> bool:
    if isinstance(expr, sp.Piecewise):
        return all(_all_branches_zero(branch) for branch, _ in expr.args)
    if expr.has(sp.Piecewise):
        return False
    try:
        return sp.cancel(sp.together(expr)) == 0
    except (sp.PolynomialError, TypeError, ValueError):  # pragma: no cover - defensive
        return False


def _short(expr: sp.Expr) -> sp.Expr:
    return expr if sp.count_ops(expr) < 2000 else sp.Symbol("<large expression>")


def sample_point(symbols, *, seed: int = 0, positive: frozenset = frozenset()) -> dict:
    """Seeded random rational values for ``symbols``: in (0, 1) for ``positive`` ones, else in (-2, 2)."""
    rng = random.Random(seed)
    point = {}
    for s in sorted(symbols, key=str):
        if s in positive or s.is_positive:
            point[s] = sp.Rational(rng.randint(1, 99), 100)
        else:
            point[s] = sp.Rational(rng.randint(-200, 200), 100)
    return point


def _find_nonzero(expr: sp.Expr, *, seed: int, probes: int, positive: frozenset):
    free = expr.free_symbols
    for k in range(probes):
        point = sample_point(free, seed=seed + k, positive=positive)
        try:
            value = sp.N(expr.xreplace(point), 50)
        except (TypeError, ValueError, ZeroDivisionError):  # pragma: no cover - defensive
            continue
        if value.is_number and value.is_finite is not False and abs(value) > sp.Float("1e-40", 50):
            return point, sp.N(value, 8)
    return None, None
