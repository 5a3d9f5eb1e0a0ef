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

Functions with kinks (steps, ``|u|``, max, min) are also split case by case on
the sign of each switch (:mod:`symbp.cases`): zero in every case is a proof
away from the kinks.

If none proves it, the expression is evaluated at seeded random points with
50-digit arithmetic: a clearly non-zero value refutes the identity (and the
point is reported), and so does one drawn inside a case the split found not
zero (an identity wrong only where ``|a - y| > 1``); otherwise the result is
``unproven`` and says that the evidence is numeric.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from . import cases
from .cases import sample_point
from .functions import unfold, without_point_masses

__all__ = ["Verdict", "prove_zero", "sample_point"]

PROVED, REFUTED, UNPROVEN = "proved", "refuted", "unproven"


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`prove_zero`.

    ``status`` is ``"proved"``, ``"refuted"`` or ``"unproven"``; ``method`` says how;
    ``residual`` is the simplified non-zero expression (if any); ``point`` and
    ``value`` give a point where the expression is not zero. ``away_from_kinks``
    is True when the proof holds wherever no step's argument is 0 but not at those
    kinks, where the function differentiated has no derivative: the two sides take
    different values there by convention, or a ``DiracDelta`` (a step's derivative,
    0 away from its kink) was taken as 0.
    """

    status: str
    method: str
    residual: sp.Expr = sp.S.Zero
    point: dict = field(default_factory=dict)
    value: sp.Expr | None = None
    away_from_kinks: bool = False

    @property
    def proved(self) -> bool:
        """True when the identity was proved exactly."""
        return self.status == PROVED


def prove_zero(
    expr: sp.Expr,
    *,
    definitions: dict | None = None,
    seed: int = 0,
    probes: int = 6,
    positive: frozenset = frozenset(),
    expand_first: bool = False,
) -> Verdict:
    """Decide whether ``expr`` is identically zero.

    ``definitions`` maps symbols to what they stand for (``a`` to its activation
    of ``z``). The identity is first tried with those symbols free, which, if it
    holds, proves it for every value they could take and so for the defined one;
    only then are the definitions substituted. ``positive`` names symbols to
    sample in (0, 1) instead of (-2, 2) (for example the arguments of a logarithm).
    ``expand_first`` tries full expansion before cancellation: cheaper for large
    sums of products that cancel term by term, wasted work on small fractions.

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
    >>> v = prove_zero(sp.diff(z * sp.sign(z), z) - sp.sign(z))  # 2 z DiracDelta(z): 0 away from z = 0
    >>> v.status, v.away_from_kinks
    ('proved', True)
    """
    expr = sp.sympify(expr, strict=True)  # safe: strict=True converts SymPy objects and numbers, refuses text
    if expr.has(sp.DiracDelta):  # a step's derivative: 0 away from its kink, and the proof says so
        verdict = prove_zero(without_point_masses(expr), definitions=definitions, seed=seed, probes=probes,
                             positive=positive, expand_first=expand_first)
        return replace(verdict, method=f"{verdict.method}, with DiracDelta as 0 (a step's derivative away from "
                                       f"its kink)", away_from_kinks=verdict.proved)
    if expr == 0:
        return Verdict(PROVED, "identical after SymPy's automatic simplification")
    substituted = expr.xreplace(definitions) if definitions else expr
    unfolded = unfold(substituted)
    nested = cases.nested_kinks(unfolded)  # folding nested max, min into one Piecewise takes minutes: first
    split = _by_cases(unfolded) if nested else None  # the case split, then the random points, then the rest
    if split is not None and split.zero:
        return Verdict(PROVED, BY_CASES, away_from_kinks=True)
    point, value = _find_nonzero(substituted, seed=seed, probes=probes, positive=positive) if nested else (None, None)
    if point is not None:
        return Verdict(REFUTED, "non-zero at a point (50-digit evaluation)", _short(substituted), point, value)
    forms = [_rewrite(expr)] + ([_rewrite(substituted)] if substituted != expr else [])
    expanded = "polynomial identity: the difference expands to 0 (sympy.expand)"
    if expand_first and any(_expands_to_zero(form) for form in forms):
        return Verdict(PROVED, expanded)
    if _all_branches_zero(forms[-1]):
        return Verdict(PROVED, "rational-function identity: the numerator cancels to 0 (sympy.cancel)")
    if not expand_first and any(_expands_to_zero(form) for form in forms):
        return Verdict(PROVED, expanded)
    point, value = _find_nonzero(substituted, seed=seed, probes=1, positive=positive)
    if point is not None:
        return Verdict(REFUTED, "non-zero at a point (50-digit evaluation)", _display(forms[-1], substituted), point, value)
    if len(forms) > 1 and _all_branches_zero(forms[0]):
        return Verdict(PROVED, "rational-function identity: the numerator cancels to 0 (sympy.cancel)")
    rewritten = forms[-1]
    if sp.count_ops(rewritten) < 400 and not rewritten.has(sp.Piecewise) and sp.simplify(rewritten) == 0:
        return Verdict(PROVED, "sympy.simplify reduces the difference to 0")
    point, value = _find_nonzero(substituted, seed=seed + 1, probes=probes - 1, positive=positive)
    if point is not None:
        return Verdict(REFUTED, "non-zero at a point (50-digit evaluation)", _display(rewritten, substituted), point, value)
    if any(form.has(sp.Heaviside) and _zero_away_from_kinks(form) for form in forms):
        return Verdict(PROVED, "rational-function identity wherever no step's argument is 0 (sympy.cancel); at a "
                               "kink, where the function has no derivative, the two sides take different values "
                               "by convention", away_from_kinks=True)
    if split is None and unfolded.has(*cases.KINKED):
        split = _by_cases(unfolded)
        if split.zero:
            return Verdict(PROVED, BY_CASES, away_from_kinks=True)
    if split is not None and split.failed:  # the case split names where to look: |a - y| > 1, say
        point, value = _witness(substituted, unfolded, split.failed, seed=seed, positive=positive)
        if point is not None:
            return Verdict(REFUTED, f"non-zero at a point (50-digit evaluation) where {_case_text(split.failed)}",
                           _display(rewritten, substituted), point, value)
    return Verdict(
        UNPROVEN,
        f"not proved symbolically; zero to 40 digits at {probes} seeded random points (numeric evidence only)",
        _display(rewritten, substituted),
    )


#: How :func:`_by_cases` proves.
BY_CASES = ("zero on each side of every kink: a case split on the sign of each step's, sign's, |u|'s, max's and "
            "min's argument, sympy.cancel in each case; not claimed at a kink, where the function has no derivative")


def _by_cases(expr: sp.Expr) -> cases.Split:
    """:func:`symbp.cases.split`, each case free of kinks decided as :func:`prove_zero` does.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> _by_cases(sp.Heaviside(z) * sp.Heaviside(1 - sp.Max(0, z)) - sp.Heaviside(z, 0) * sp.Heaviside(1 - z, 0)).zero
    True
    >>> _by_cases(sp.Abs(z) - z).failed
    ((z, -1),)
    """
    def is_zero(case: sp.Expr) -> bool:
        rewritten = _rewrite(case)
        return _all_branches_zero(rewritten) or _expands_to_zero(rewritten)

    return cases.split(expr, is_zero)


def _witness(expr: sp.Expr, unfolded: sp.Expr, sides: tuple, *, seed: int, positive: frozenset):
    """A point inside the case ``sides``, off every kink of ``unfolded``, where ``expr`` is real and not 0."""
    for k in range(3):
        point = cases.point_in(sides, expr.free_symbols, avoid=cases.switches(unfolded), seed=seed + k,
                               positive=positive)
        if point is None:
            return None, None
        value = _nonzero_at(expr, point, far=True)
        if value is not None:
            return point, value
    return None, None


def _case_text(sides: tuple) -> str:
    """``a - y - 1 > 0`` and ``z < 0``: the case a witness was drawn from, as plain text."""
    return " and ".join(sp.sstr(sp.StrictGreaterThan(u, 0) if sign > 0 else sp.StrictLessThan(u, 0))
                        for u, sign in sides)


def _expands_to_zero(expr: sp.Expr) -> bool:
    if expr.has(sp.Piecewise) or sp.count_ops(expr) > 20000:
        return False
    return sp.expand(expr) == 0


def _display(expr: sp.Expr, original: sp.Expr) -> sp.Expr:
    """A short form of a non-zero difference, for the report: ``original`` where ``expr`` is piecewise.

    Steps, max and min folded into one ``Piecewise`` give a condition per combination of cases,
    far longer than the difference as it was written.
    """
    if expr.has(sp.Piecewise):
        return _short(original)
    if sp.count_ops(expr) > 400:
        return _short(expr)
    try:
        return _short(sp.factor(sp.cancel(sp.together(expr))))
    except (sp.PolynomialError, TypeError, ValueError):  # pragma: no cover - defensive
        return _short(expr)


def _rewrite(expr: sp.Expr) -> sp.Expr:
    """Unfold activation functions and bring steps and signs to one canonical form.

    Each rewrite is an identity that holds at every point (including where a
    step jumps), so proving the result zero proves the original zero.
    """
    expr = unfold(expr)
    if expr.has(sp.Max, sp.Min):  # only these: a Heaviside(u) rewritten too would be a 3-piece Piecewise (1/2 at 0)
        expr = expr.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), lambda e: e.rewrite(sp.Piecewise))
    if expr.has(sp.Piecewise):
        expr = expr.replace(lambda e: isinstance(e, sp.Piecewise), _piecewise_as_step)
    if expr.has(sp.Heaviside, sp.sign, sp.Abs):
        expr = expr.replace(lambda e: isinstance(e, (sp.Heaviside, sp.sign, sp.Abs)), _oriented)
    # Exponentials over a basis first, while tanh inside an exponent is still one term;
    # then tanh in exponential form, and a basis again for the exponentials that brings.
    expr = _exp_basis(expr)
    if expr.has(sp.tanh, sp.sinh, sp.cosh):
        expr = _exp_basis(expr.rewrite([sp.tanh, sp.sinh, sp.cosh], sp.exp))
    if expr.has(sp.Piecewise):
        expr = sp.piecewise_fold(expr.rewrite(sp.Piecewise))
    return _idempotent_steps(expr)


def _idempotent_steps(expr: sp.Expr) -> sp.Expr:
    """A step whose value at its jump is 0 or 1 takes only the values 0 and 1, so its powers are itself.

    ``relu(z)**2``'s derivative ``2 z [z > 0]^2`` against ``2 relu(z) = 2 z [z > 0]`` needs it.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> _idempotent_steps(2 * z * (1 - sp.Heaviside(-z, 1)) ** 2 - 2 * z * (1 - sp.Heaviside(-z, 1)))
    0
    """
    steps = [h for h in expr.atoms(sp.Heaviside) if len(h.args) == 2 and h.args[1] in (0, 1)]
    if not steps or sp.count_ops(expr) > 2000 or expr.has(sp.Piecewise):
        return expr
    expanded = sp.expand(expr)
    return expanded.replace(lambda e: e.is_Pow and e.base in steps and e.exp.is_Integer and e.exp > 0,
                            lambda e: e.base)


def _zero_away_from_kinks(expr: sp.Expr) -> bool:
    """True if ``expr`` is proved zero at every point where no step's argument is 0.

    ``Heaviside(u, h)`` equals ``Heaviside(u, 0)`` wherever ``u != 0``, whatever
    its value ``h`` at the jump; so a difference that vanishes once every step
    takes the value 0 there vanishes everywhere except at those kinks. That is
    where ``max(z, 0)`` has no derivative: SymPy's derivative says 1/2 there, a
    hand rule ``step(z)`` says 0, and both are conventions. A difference that is
    non-zero on an interval is never proved this way.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> _zero_away_from_kinks(sp.Heaviside(z) - sp.Heaviside(z, 0))
    True
    >>> _zero_away_from_kinks(sp.Heaviside(z, 0) - sp.Heaviside(-z, 0))
    False
    """
    relaxed = expr.replace(lambda e: isinstance(e, sp.Heaviside) and len(e.args) == 2 and e.args[1] != 0,
                           lambda e: sp.Heaviside(e.args[0], 0))
    relaxed = _idempotent_steps(relaxed)
    return _all_branches_zero(relaxed) or _expands_to_zero(relaxed)


def _exp_basis(expr: sp.Expr) -> sp.Expr:
    """Write every ``exp(u)`` as a product of powers of ``exp`` of a few independent exponents.

    SymPy merges ``exp(u) exp(v)`` into ``exp(u + v)``, which hides that the two
    sides of an identity use the same exponentials. The exponents are expanded
    into their terms; a basis of them is chosen (exact linear algebra over the
    rationals); each ``exp(u)`` becomes ``prod_b T_b^{c_b}`` with ``T_b`` a fresh
    positive symbol standing for ``exp(basis_b)``. That is an exact identity, so a
    proof about the result is a proof about the original.
    """
    if expr.has(sp.E):  # E and exp(r), r rational, are powers of one positive number: exp(1/2)**2 == E
        e = sp.Dummy("e", positive=True)
        expr = expr.replace(
            lambda a: isinstance(a, sp.exp) and a.args[0].is_Rational, lambda a: e ** a.args[0]
        ).xreplace({sp.E: e})
    exps = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    if len(exps) < 2:
        return expr
    simple = {}
    for e in exps:  # exp(c*s) with s a symbol: T_s^c, no linear algebra needed
        c, s = e.args[0].as_coeff_Mul()
        if not (s.is_Symbol and c.is_Rational):
            break
        simple[e] = (s, c)
    else:
        T = {s: sp.Dummy(f"T_{s}", positive=True) for s, _ in simple.values()}
        return expr.xreplace({e: T[s] ** c for e, (s, c) in simple.items()})
    coords = [sp.expand(e.args[0]).as_coefficients_dict() for e in exps]
    terms = sorted(set().union(*coords), key=sp.default_sort_key)
    if len(terms) > 2000:
        return expr
    rows = [[c.get(t, 0) for t in terms] for c in coords]
    basis: list[int] = []
    for k in range(len(rows)):
        if sp.Matrix([rows[b] for b in basis + [k]]).rank() > len(basis):
            basis.append(k)
    B = sp.Matrix([rows[b] for b in basis]).T  # columns: basis exponents
    T = [sp.Dummy(f"T{k}", positive=True) for k in range(len(basis))]
    replace = {}
    for k, e in enumerate(exps):
        solution, params = B.gauss_jordan_solve(sp.Matrix(rows[k]))
        coefficients = solution.xreplace({p: 0 for p in params})
        replace[e] = sp.Mul(*[t**c for t, c in zip(T, coefficients)])
    return expr.xreplace(replace)


def _piecewise_as_step(pw: sp.Piecewise) -> sp.Expr:
    """``Piecewise((v1, f > 0), (v0, True))`` as ``v0 + (v1 - v0) Heaviside(f, 0)``.

    The same for ``f >= 0`` (Heaviside value 1 at 0), ``f < 0`` and ``f <= 0``
    (the complementary steps). Other piecewise functions are left alone.
    """
    if len(pw.args) != 2 or pw.args[1].cond is not sp.true:
        return pw
    (v1, cond), (v0, _) = pw.args
    if not isinstance(cond, sp.core.relational.Relational):
        return pw
    if any(sp.denom(v).free_symbols for v in (v0, v1)):
        return pw  # a branch value may be undefined where it is not selected
    f = cond.lhs - cond.rhs
    if isinstance(cond, sp.StrictGreaterThan):
        return v0 + (v1 - v0) * sp.Heaviside(f, 0)
    if isinstance(cond, sp.GreaterThan):
        return v0 + (v1 - v0) * sp.Heaviside(f, 1)
    if isinstance(cond, sp.StrictLessThan):
        return v1 + (v0 - v1) * sp.Heaviside(f, 1)
    if isinstance(cond, sp.LessThan):
        return v1 + (v0 - v1) * sp.Heaviside(f, 0)
    return pw


def _oriented(e: sp.Expr) -> sp.Expr:
    """Write sign(u), Heaviside(u, h), |u| with whichever of u, -u sorts first.

    sign(u) = -sign(-u), Heaviside(u, h) = 1 - Heaviside(-u, 1 - h), |u| = |-u|,
    so equal steps written with opposite arguments become the same atom.
    """
    u = e.args[0]
    if sp.default_sort_key(-u) >= sp.default_sort_key(u):
        return e
    if isinstance(e, sp.sign):
        return -sp.sign(-u)
    if isinstance(e, sp.Abs):
        return sp.Abs(-u)
    h0 = e.args[1] if len(e.args) > 1 else sp.S.Half
    return 1 - sp.Heaviside(-u, 1 - h0)


def _all_branches_zero(expr: sp.Expr) -> bool:
    """True if every branch is proved zero: by groups of terms, or as one fraction.

    Terms are grouped by the transcendental atoms they contain (``exp(z_1)``,
    ``sigmoid(z_2)``, ...); when every group cancels to zero on its own, so does
    the sum. A group that does not cancel alone only means the cheap route
    failed: the whole sum is then tried as one fraction (if it is not too large).
    """
    if isinstance(expr, sp.Piecewise):
        return all(_all_branches_zero(branch) for branch, condition in expr.args if _satisfiable(condition))
    if expr.has(sp.Piecewise):
        return False
    try:
        groups: dict[frozenset, list[sp.Expr]] = {}
        for term in sp.Add.make_args(expr):
            groups.setdefault(frozenset(term.atoms(sp.exp, sp.Function)), []).append(term)
        if all(sp.cancel(sp.together(sp.Add(*terms))) == 0 for terms in groups.values()):
            return True
        if len(groups) > 1 and sp.count_ops(expr) <= 3000:
            return sp.cancel(sp.together(expr)) == 0
        return False
    except (sp.PolynomialError, TypeError, ValueError):  # pragma: no cover - defensive
        return False


def _satisfiable(condition) -> bool:
    """False only for a branch condition that no real point meets (``(z > 0) & (z < 0)``); True when unsure.

    Folding steps back into one ``Piecewise`` leaves such branches, whose value need not be zero.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> _satisfiable((z > 0) & (z < 0)), _satisfiable(sp.Eq(z, 0) & (z > 0)), _satisfiable(z > 0)
    (False, False, True)
    """
    if condition in (sp.true, True):
        return True
    symbols = condition.free_symbols
    if len(symbols) != 1:
        return True
    try:
        return condition.as_set() != sp.EmptySet
    except (NotImplementedError, TypeError, ValueError):  # pragma: no cover - conditions SymPy cannot solve
        return True


def _short(expr: sp.Expr) -> sp.Expr:
    return expr if sp.count_ops(expr) < 2000 else sp.Symbol("<large expression>")


def _find_nonzero(expr: sp.Expr, *, seed: int, probes: int, positive: frozenset):
    free = expr.free_symbols
    for k in range(probes):
        point = sample_point(free, seed=seed + k, positive=positive)
        value = _nonzero_at(expr, point)
        if value is not None:
            return point, value
    return None, None


def _nonzero_at(expr: sp.Expr, point: dict, *, far: bool = False) -> sp.Expr | None:
    """``expr``'s value at ``point`` (8 digits) if a 50-digit evaluation shows it clearly not 0; else None.

    ``far``: a witness drawn far out (z = 401) must keep its digits (``strict``: exp(400) cancelling
    leaves none) and be real (a log's argument may be negative there).
    """
    try:
        value = sp.N(expr.xreplace(point), 50, strict=far)
    except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError):
        return None
    if far and not value.is_real:
        return None
    if value.is_number and value.is_finite is not False and abs(value) > sp.Float("1e-40", 50):
        return sp.N(value, 8)
    return None
