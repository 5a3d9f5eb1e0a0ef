"""Functions with kinks, case by case: the sign of each switch picks each kink's formula.

A step, ``sign``, ``|u|``, a two-argument ``max``/``min`` and a two-piece ``Piecewise`` each take
one formula where their *switch* ``u`` is positive and another where it is negative.
:func:`split` follows those signs, innermost switch first, down to cases free of kinks and
hands each to a decision it is given (:mod:`symbp.proof` passes its exact one); a case that
cannot occur is skipped only when that is proved (:func:`possible`). A case that is not zero
is returned, and :func:`point_in` finds a point inside it, where the expression can then be
evaluated: the witness that refutes an identity wrong only where, say, ``|a - y| > 1``.

Nothing here says anything about the points where a switch is 0 (the kinks themselves).
Non-goals: deciding a kink-free expression (:mod:`symbp.proof`), point masses
(:func:`symbp.functions.without_point_masses`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

__all__ = ["KINKED", "CASE_DEPTH", "Split", "split", "nested_kinks", "possible", "point_in", "sample_point",
           "switches"]

#: Functions whose value is decided by the sign of one argument (a Piecewise: two pieces, one condition).
KINKED = (sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min, sp.Piecewise)
#: Most switches a case split follows (2**CASE_DEPTH cases at most).
CASE_DEPTH = 6

#: A case: the signs taken so far, as ``(u, sign)`` pairs meaning ``sign * u > 0``.
Sides = tuple


@dataclass(frozen=True)
class Split:
    """The outcome of :func:`split`: ``zero`` when every case was decided zero; else ``failed``, the first
    case whose kink-free form was not (None when the split could not be completed, so no case is known)."""

    zero: bool
    failed: Sides | None = None


def split(expr: sp.Expr, is_zero: Callable[[sp.Expr], bool]) -> Split:
    """Split ``expr`` on the signs of its kinks' switches; ``is_zero`` decides each kink-free case.

    An innermost switch (no kink inside it) is chosen; in each case ``u > 0``, ``u < 0`` that can
    occur (with the cases taken above it), every kink whose switch is a constant multiple of ``u`` is
    replaced by its formula there, and the rest is split again. Terms whose kinks share no variable
    with the others' (one output unit's and another's) are first tried on their own.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> split(sp.Heaviside(z) * sp.Heaviside(1 - sp.Max(0, z)) - sp.Heaviside(z, 0) * sp.Heaviside(1 - z, 0),
    ...       lambda e: sp.expand(e) == 0)
    Split(zero=True, failed=None)
    >>> split(sp.Abs(z) - z, lambda e: sp.expand(e) == 0)
    Split(zero=False, failed=((z, -1),))
    """
    parts = _families(sp.Add.make_args(expr), lambda term: set().union(*(k.free_symbols for k in term.atoms(*KINKED))))
    if len(parts) > 1 and all(_split(sp.Add(*part), (), is_zero).zero for part in parts):
        return Split(True)
    return _split(expr, (), is_zero)


def _split(expr: sp.Expr, sides: Sides, is_zero) -> Split:
    kinks = sorted(expr.atoms(*KINKED), key=sp.default_sort_key)
    if not kinks:
        return Split(True) if is_zero(expr) else Split(False, sides)
    inner = [u for u in map(_switch, kinks) if u is not None and not u.has(*KINKED) and u.is_extended_real]
    if not inner or len(sides) >= CASE_DEPTH:
        return Split(False)
    u = inner[0]
    for sign in (1, -1):
        case = (*sides, (u, sign))
        if not possible(case):
            continue
        values = {k: v for k in kinks if (v := _on_side(k, u, sign)) is not None}
        outcome = _split(expr.xreplace(values), case, is_zero)
        if not outcome.zero:
            return outcome
    return Split(True)


def nested_kinks(expr: sp.Expr) -> bool:
    """True if a kink's argument has a kink in it (``min(max(z, 0), 1)``, ``min(|a - y|, 1)``).

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> nested_kinks(sp.Min(sp.Max(z, 0), 1)), nested_kinks(sp.Max(z, 0) * sp.Heaviside(z))
    (True, False)
    """
    return any(arg.has(*KINKED) for kink in expr.atoms(*KINKED) for arg in kink.args)


def switches(expr: sp.Expr) -> list[sp.Expr]:
    """The switch of every kink in ``expr`` (those of nested kinks contain kinks themselves).

    Examples
    --------
    >>> a, y = sp.symbols("a y", real=True)
    >>> switches(sp.Min(sp.Abs(a - y), 1))
    [a - y, 1 - Abs(a - y)]
    """
    found = (_switch(k) for k in sorted(expr.atoms(*KINKED), key=sp.default_sort_key))
    return [u for u in found if u is not None]


def _families(items, symbols_of) -> list[list]:
    """``items`` in groups that share no symbol (``symbols_of(item)``) with another group.

    Examples
    --------
    >>> x, y = sp.symbols("x y")
    >>> _families([x, y, x * 2, sp.S.One], lambda e: e.free_symbols)
    [[y], [x, 2*x], [1]]
    """
    groups: list[tuple[set, list]] = []
    for item in items:
        symbols, members = set(symbols_of(item)), [item]
        for group in [g for g in groups if g[0] & symbols]:
            groups.remove(group)
            symbols, members = symbols | group[0], group[1] + members
        groups.append((symbols, members))
    return [members for _, members in groups]


def _switch(kink: sp.Expr) -> sp.Expr | None:
    """The argument whose sign decides ``kink``'s formula, or None (three pieces, three arguments)."""
    if isinstance(kink, (sp.Heaviside, sp.sign, sp.Abs)):
        return kink.args[0]
    if isinstance(kink, (sp.Max, sp.Min)) and len(kink.args) == 2:
        return kink.args[0] - kink.args[1]
    if isinstance(kink, sp.Piecewise) and len(kink.args) == 2 and kink.args[1].cond is sp.true:
        cond = kink.args[0].cond
        if isinstance(cond, (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)):
            return cond.gts - cond.lts  # positive where the first piece is taken
    return None


def _on_side(kink: sp.Expr, u: sp.Expr, sign: int) -> sp.Expr | None:
    """``kink``'s formula where ``sign * u > 0``, if its switch is a constant multiple of ``u``; else None."""
    w = _switch(kink)
    ratio = sp.cancel(w / u) if w is not None else None
    if ratio is None or not ratio.is_Rational or ratio == 0:
        return None
    positive = (sign > 0) == (ratio > 0)  # the sign of w
    if isinstance(kink, sp.Heaviside):
        return sp.S.One if positive else sp.S.Zero
    if isinstance(kink, sp.sign):
        return sp.S.One if positive else sp.S.NegativeOne
    if isinstance(kink, sp.Abs):
        return w if positive else -w
    if isinstance(kink, sp.Piecewise):
        return kink.args[0].expr if positive else kink.args[1].expr
    larger, smaller = kink.args if positive else reversed(kink.args)
    return larger if isinstance(kink, sp.Max) else smaller


def possible(sides: Sides) -> bool:
    """False only if no real point has ``sign * u > 0`` for every ``(u, sign)``; True when unsure.

    The switches must be functions of one variable, or of one linear form of several (``a - y``).

    Examples
    --------
    >>> a, y = sp.symbols("a y", real=True)
    >>> possible(((a - y, 1), (a - y - 1, -1))), possible(((a - y, -1), (a - y - 1, 1)))
    (True, False)
    """
    families = _families([sign * u for u, sign in sides], lambda u: u.free_symbols)
    if len(families) > 1:  # conditions on separate variables are met together when each family is
        return all(possible(tuple((u, 1) for u in family)) for family in families)
    us = _in_one_variable(families[0])
    free = set().union(*(u.free_symbols for u in us))
    if len(free) != 1:
        return True
    x = free.pop()
    slopes = [u.diff(x) for u in us]
    if all(c.is_Rational and c != 0 for c in slopes):  # u = c x + d > 0: x beyond the root -d/c, on c's side
        roots = [sp.expand(x - u / c) for u, c in zip(us, slopes)]
        below = [r for r, c in zip(roots, slopes) if c < 0]
        above = [r for r, c in zip(roots, slopes) if c > 0]
        return not below or not above or bool(max(above) < min(below))
    try:
        region = sp.Intersection(*[sp.solveset(u > 0, x, sp.S.Reals) for u in us])
    except (NotImplementedError, TypeError, ValueError):  # pragma: no cover - inequalities SymPy cannot solve
        return True
    return region != sp.EmptySet


def _in_one_variable(us: list) -> list:
    """``us`` with one variable of the first written through ``t = us[0]`` (exact when us[0] is linear in it).

    Switches of several variables that are all functions of one linear form (``a - y`` and
    ``a - y - 1``) then become functions of ``t`` alone; others keep several variables.
    """
    first, t = us[0], sp.Dummy("t", real=True)
    if len(set().union(*(u.free_symbols for u in us))) < 2:
        return us
    for x in sorted(first.free_symbols, key=str):
        slope = first.diff(x)
        if slope.is_Rational and slope != 0:  # first = slope * x + rest, rest free of x
            return [sp.expand(u.xreplace({x: (t - sp.expand(first - slope * x)) / slope})) for u in us]
    return us


def sample_point(symbols, *, seed: int = 0, positive: frozenset = frozenset(), scale: int = 1) -> dict:
    """Seeded random rational values for ``symbols``: in (0, scale) for ``positive`` ones, else in [-2 scale, 2 scale].

    Values are hundredths; a symbol is positive when it is in ``positive`` or
    declared ``positive=True``. The same symbols and seed give the same point.

    Examples
    --------
    >>> a, y = sp.symbols("a y", real=True)
    >>> n = sp.Symbol("n", positive=True)
    >>> sample_point({a, y, n})
    {a: -3/100, n: 49/50, y: 3/20}
    >>> sample_point({a, y, n}, positive=frozenset({a}))[a]
    1/2
    >>> sample_point({a, y, n}, seed=1)
    {a: -33/25, n: 73/100, y: 191/100}
    """
    rng = random.Random(seed)
    point = {}
    for s in sorted(symbols, key=str):
        if s in positive or s.is_positive:
            point[s] = sp.Rational(rng.randint(1, 100 * scale - 1), 100)
        else:
            point[s] = sp.Rational(rng.randint(-200 * scale, 200 * scale), 100)
    return point


#: Scales :func:`point_in` widens its search through, and the draws at each.
SCALES, DRAWS = (1, 4, 16), 40


def point_in(sides: Sides, symbols, *, avoid=(), seed: int = 0, positive: frozenset = frozenset()) -> dict | None:
    """A seeded random point of ``symbols`` where every ``sign * u > 0`` and no ``avoid`` switch is 0.

    Drawn as :func:`sample_point` does; where the case is an interval of one variable (every switch
    linear in it once the others are drawn), that variable is put inside the interval, however far
    out (a kink at ``z = 100``); else the ranges are widened by the factors :data:`SCALES` until a
    draw meets the case. None if none does.

    Examples
    --------
    >>> a, y, z = sp.symbols("a y z", real=True)
    >>> p = point_in(((a - y - 1, 1),), {a, y}, positive=frozenset({a, y}))
    >>> p[a] - p[y] > 1
    True
    >>> point_in(((z - 100, 1), (z - 200, -1)), {z})
    {z: 150}
    """
    symbols = sorted(set(symbols) | set().union(*(u.free_symbols for u, _ in sides)), key=str)
    for scale in SCALES:
        for k in range(DRAWS):
            point = sample_point(symbols, seed=seed + 1000 * scale + k, positive=positive, scale=scale)
            if scale == 1:  # every draw: a switch free of the variable moved must hold at the draw
                point = _into_interval(sides, point, positive) or point
            try:
                if all(sign * u.xreplace(point) > 0 for u, sign in sides) and all(
                        sp.N(u.xreplace(point), 30) != 0 for u in avoid):
                    return point
            except TypeError:  # pragma: no cover - a switch that does not evaluate to a real number
                return None
    return None


def _into_interval(sides: Sides, point: dict, positive: frozenset) -> dict | None:
    """``point`` with one variable moved inside the interval where every ``sign * u > 0``, the others kept.

    Only where each switch is linear in that variable (rational slopes) once the others are fixed.
    """
    for x in sorted(set().union(*(u.free_symbols for u, _ in sides)), key=str):
        others = {s: v for s, v in point.items() if s != x}
        lines = [sp.expand(sign * u.xreplace(others)) for u, sign in sides]
        if any(not line.has(x) and not bool(line > 0) for line in lines):
            continue  # a switch free of x must already hold at the draw
        lines = [line for line in lines if line.has(x)]
        slopes = [line.diff(x) for line in lines]
        if not all(c.is_Rational and c != 0 and not (line - c * x).free_symbols for line, c in zip(lines, slopes)):
            continue
        roots = [sp.expand(x - line / c) for line, c in zip(lines, slopes)]  # c x + d > 0: x past the root -d/c
        low = max([r for r, c in zip(roots, slopes) if c > 0], default=None)
        high = min([r for r, c in zip(roots, slopes) if c < 0], default=None)
        if x in positive or x.is_positive:
            low = sp.S.Zero if low is None else sp.Max(low, 0)
        if low is not None and high is not None and low >= high:
            continue  # empty for this variable with the others as drawn (x > 0 and x < y - 20): try the next
        inside = (low + high) / 2 if low is not None and high is not None else (
            low + 1 if low is not None else high - 1)
        return {**others, x: inside if inside.is_Rational else _decimal_inside(inside, low, high)}
    return None


def _decimal_inside(value: sp.Expr, low, high) -> sp.Rational:
    """The shortest decimal rounding of the irrational ``value`` strictly between ``low`` and ``high`` (a kink at pi).

    Examples
    --------
    >>> _decimal_inside(sp.pi + 1, sp.pi, None), _decimal_inside(sp.pi, sp.pi - sp.Rational(1, 10**4), sp.pi + 1)
    (4, 1571/500)
    """
    for digits in range(1, 40):
        r = sp.Rational(str(sp.N(value, digits)))
        if (low is None or r > low) and (high is None or r < high):
            return r
    return sp.Rational(str(sp.N(value, 40)))
