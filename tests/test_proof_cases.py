"""prove_zero on functions with kinks: max and min nested in each other or in |u|, split case by case.

Before, ``min(max(z, 0), 1)``'s derivative against ``step(z) step(1 - z)`` and a Huber loss's against its
clip were 'unproven' (SymPy's fold of the nested max and min into one Piecewise left a branch at every kink,
and took most of a minute), and ``max(z, 0) (H(z) - H(z, 0))`` (derive on a network with max(z, 0) at the
output) was unproven because rewriting max as a Piecewise rewrote the step H(z) = 1/2 at 0 too.
"""

from __future__ import annotations

import time

import pytest
import sympy as sp

from symbp.functions import define_function
from symbp.proof import _possible, _zero_by_cases, prove_zero

z, a, y, w, v, y2 = sp.symbols("z a y w v y2", real=True)
H = sp.Heaviside


def huber(u):
    """The Huber loss of a residual u, written with min, max and |u| as a network file can."""
    return sp.Min(sp.Abs(u), 1) ** 2 / 2 + sp.Max(sp.Abs(u) - 1, 0)


#: differences that vanish wherever no kink's argument is 0 (and may not at a kink)
AWAY_FROM_KINKS = [
    ("clip", sp.diff(sp.Min(sp.Max(z, 0), 1), z) - H(z, 0) * H(1 - z, 0)),
    ("huber", sp.diff(huber(a - y), a) - sp.Max(-1, sp.Min(1, a - y))),
    ("two huber units", w * (sp.diff(huber(a - y), a) - sp.Max(-1, sp.Min(1, a - y)))  # each split on its own
     + v * (sp.diff(huber(z - y2), z) - sp.Max(-1, sp.Min(1, z - y2)))),
    ("max output", (define_function("pc_maxz", lambda u: sp.Max(u, 0))(z) - y) * w * (H(z) - H(z, 0))),
]

#: differences that are not zero on some interval: never proved
WRONG = [
    ("clip without its top", sp.diff(sp.Min(sp.Max(z, 0), 1), z) - H(z, 0)),
    ("huber without its bottom", sp.diff(huber(a - y), a) - sp.Min(1, a - y)),
    ("abs as identity", sp.Abs(z) - z),
]


@pytest.mark.parametrize("name, difference", AWAY_FROM_KINKS, ids=[c[0] for c in AWAY_FROM_KINKS])
def test_a_kinked_identity_is_proved_away_from_its_kinks(name, difference):
    started = time.perf_counter()
    verdict = prove_zero(difference)
    assert verdict.proved and verdict.away_from_kinks, verdict
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("name, difference", WRONG, ids=[c[0] for c in WRONG])
def test_a_wrong_kinked_identity_is_not_proved(name, difference):
    assert not _zero_by_cases(difference)
    assert prove_zero(difference).status == "refuted"


def test_a_wrong_nested_identity_is_refuted_without_folding_it():
    wrong = sp.diff(huber(a - y), a) - sp.Max(-1, sp.Min(1, a - y)) + w * sp.Min(1, sp.Max(z, 0)) / 1000
    started = time.perf_counter()
    assert prove_zero(wrong).status == "refuted"
    assert time.perf_counter() - started < 10  # it took 75 s through SymPy's piecewise_fold


def test_an_identity_at_every_point_stays_proved_exactly():
    assert not prove_zero(sp.diff(sp.Abs(z), z) - sp.sign(z)).away_from_kinks  # SymPy's |z|' is sign(z)
    assert not prove_zero(sp.Max(z, 0) - z * H(z, 0)).away_from_kinks


@pytest.mark.parametrize("sides, possible", [
    (((z, 1), (1 - z, 1)), True),  # 0 < z < 1
    (((z, -1), (z - 1, 1)), False),  # z < 0 and z > 1
    (((a - y, 1), (a - y - 1, -1)), True),  # one linear form of two variables
    (((a - y, -1), (a - y - 1, 1)), False),
    (((a - y, -1), (z - 1, 1)), True),  # separate variables: each family on its own
    (((a - y, -1), (a - y - 1, 1), (z, 1)), False),
    (((z**2 - 1, 1), (z, 1)), True),  # not linear: solveset
    (((z**2 + 1, -1),), False),
    (((a * y, 1), (a, -1)), True),  # several variables, not one linear form: assumed possible
])
def test_a_case_is_skipped_only_when_it_cannot_occur(sides, possible):
    assert _possible(sides) is possible
