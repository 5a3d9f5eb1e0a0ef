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
from symbp.cases import possible
from symbp.proof import _by_cases, prove_zero

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
    assert not _by_cases(difference).zero
    assert prove_zero(difference).status == "refuted"


def test_a_wrong_nested_identity_is_refuted_without_folding_it():
    wrong = sp.diff(huber(a - y), a) - sp.Max(-1, sp.Min(1, a - y)) + w * sp.Min(1, sp.Max(z, 0)) / 1000
    started = time.perf_counter()
    assert prove_zero(wrong).status == "refuted"
    assert time.perf_counter() - started < 10  # it took 75 s through SymPy's piecewise_fold


def test_an_identity_at_every_point_stays_proved_exactly():
    assert not prove_zero(sp.diff(sp.Abs(z), z) - sp.sign(z)).away_from_kinks  # SymPy's |z|' is sign(z)
    assert not prove_zero(sp.Max(z, 0) - z * H(z, 0)).away_from_kinks


@pytest.mark.parametrize("sides, expected", [
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
def test_a_case_is_skipped_only_when_it_cannot_occur(sides, expected):
    assert possible(sides) is expected


# ----- A witness inside the case that fails -----
LOGS = frozenset({a, y})  # check_rules samples a cost's a and y in (0, 1), as a log's arguments need


def test_a_rule_wrong_only_beyond_a_kink_out_of_the_sampled_range_is_refuted():
    """Before, probes of a, y in (0, 1) never reached |a - y| > 1, where the rule is wrong: 'unproven'."""
    verdict = prove_zero(sp.diff(huber(a - y), a) - sp.Min(1, a - y), positive=LOGS)
    assert verdict.status == "refuted", verdict
    assert verdict.point[a] > 0 and verdict.point[y] > 0  # positive symbols stay positive
    assert abs(verdict.point[a] - verdict.point[y]) > 1  # inside the failing case, off its kink
    assert "where" in verdict.method and "1" in verdict.method


def test_the_right_rule_stays_proved_with_the_same_sampling():
    verdict = prove_zero(sp.diff(huber(a - y), a) - sp.Max(-1, sp.Min(1, a - y)), positive=LOGS)
    assert verdict.proved and verdict.away_from_kinks


def test_a_witness_must_give_a_real_value():
    """Where a - y > 1 with a, y > 0, a > 1 and log(1 - a) is not real: no refutation from there."""
    difference = sp.Piecewise((sp.log(1 - a), a - y - 1 > 0), (0, True))
    assert prove_zero(difference, positive=LOGS).status == "unproven"


def test_check_refutes_a_wrong_huber_cost_rule():
    from symbp.check import check_rules
    from symbp.spec import parse_toml

    spec = parse_toml(
        'widths = [2, 2, 1]\nactivations = ["sigmoid", "linear"]\ncost = "huber_wrong"\nbatch = 1\n'
        '[custom_costs.huber_wrong]\nloss = "min(abs(a - y), 1)^2 / 2 + max(abs(a - y) - 1, 0)"\n'
        'derivative = "min(a - y, 1)"\n'
    )
    [rule] = [r for r in check_rules(spec) if r.kind == "cost"]
    assert rule.verdict.status == "refuted", rule.verdict


def test_a_case_far_out_is_reached_through_its_interval():
    """A clip at 100 written with the derivative of a relu is wrong only for z > 100: past every random range."""
    verdict = prove_zero(sp.diff(sp.Min(sp.Max(z, 0), 100), z) - H(z, 0))
    assert verdict.status == "refuted" and verdict.point[z] > 100, verdict


# ----- Review of the witness search (cases.point_in, proof._witness) -----
def test_a_kink_at_an_irrational_point_gets_a_rational_witness():
    """_into_interval took sp.Rational(1 + pi): TypeError out of prove_zero (exit 3 from symbp check)."""
    verdict = prove_zero(sp.diff(sp.Min(z, sp.pi), z) - 1)
    assert verdict.status == "refuted" and verdict.point[z] > sp.pi


def test_a_true_identity_far_past_a_kink_is_not_refuted_by_lost_digits():
    """log(1 + e^z) = z + log(1 + e^-z) everywhere; times e^z at z = 401, a 50-digit evaluation keeps no digit."""
    identity = sp.log(1 + sp.exp(z)) - z - sp.log(1 + sp.exp(-z))
    assert prove_zero(H(z - 400) * sp.exp(z) * identity).status != "refuted"


@pytest.mark.parametrize("name, difference, positive", [
    ("y - a > 20 with a, y > 0", sp.diff(sp.Max(a - y, -20), a) - 1, LOGS),  # a = 1/2 leaves no room: move y
    ("z > 100 with a kink in w", (sp.diff(sp.Min(z, 100), z) - 1) + sp.Abs(w) - w * sp.sign(w), frozenset()),
])
def test_a_witness_far_out_is_found_whichever_variable_has_room(name, difference, positive):
    assert prove_zero(difference, positive=positive).status == "refuted"
