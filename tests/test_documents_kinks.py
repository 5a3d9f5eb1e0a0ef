"""A worked example with a pre-activation exactly at relu's kink: the value of relu'(0) is the document's choice.

The network (2 inputs, 2 relu units, a linear output, quadratic cost) has z_1 = 1 - 1 + 0 = 0 and
z_2 = 0.5 + 0.5 = 1, so y-hat = 2 relu(0) + relu(1) = 1 and, with y = 0, dC/dy-hat = 1. The oracle, by hand:
delta_1 = 2 relu'(0) (0 as symbp takes it, 2 if relu'(0) = 1, 1 if 1/2), delta_2 = 1 relu'(1) = 1, and
dC/dw_11 = delta_1 x_1 = delta_1.
"""

from __future__ import annotations

import pytest

from symbp.documents.verify import verify_file

NETWORK = """widths = [2, 2, 1]
activations = ["relu", "linear"]
cost = "half_sse"

[example]
W1 = [[1, -1], [0.5, 0.5]]
b1 = [0, 0]
W2 = [[2, 1]]
b2 = [0]
X = [1, 1]
Y = [0]
"""

CLAIMS = r"""document = "notes.md"

[context]
network = "network.toml"

[notation]
'z_{1}' = "Z[1][0]"
'\delta_{1}' = "delta[1][0]"
'\delta_{2}' = "delta[1][1]"
'w_{11}' = "W[1][0,0]"
'v_{1}' = "W[2][0,0]"
'\hat{y}' = "A[2][0]"
y = "Y[0]"
C = "C"

[[claim]]
line = 1
latex = 'z_{1} = 0'
kind = "numeric"

[[claim]]
line = 2
latex = '\delta_{1} = 2'
kind = "numeric"

[[claim]]
line = 3
latex = '\delta_{1} = 0'
kind = "numeric"

[[claim]]
line = 4
latex = '\delta_{1} = 1'
kind = "numeric"

[[claim]]
line = 5
latex = '\frac{\partial C}{\partial w_{11}} = v_{1} (\hat{y} - y) \cdot 1 = 2.0'
kind = "numeric"

[[claim]]
line = 6
latex = '\delta_{1} = 3'
kind = "numeric"

[[claim]]
line = 7
latex = '\delta_{2} = 2'
kind = "numeric"

[[claim]]
line = 8
latex = '\delta_{1} = v_{1} (\hat{y} - y)'
kind = "identity"
"""

CONVENTION = "a convention: at the example z_{1} is 0, where relu has no derivative (symbp takes relu'(0) = 0)"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kink")
    (folder / "network.toml").write_text(NETWORK, encoding="utf-8")
    (folder / "claims.toml").write_text(CLAIMS, encoding="utf-8")
    return {r.line: r for r in verify_file(folder / "claims.toml").results}


@pytest.mark.parametrize("line, verdict, reason", [
    (1, "correct", "exactly 0 at the example's numbers (proved)"),
    # relu'(0) = 1: it was "wrong: the exact value at the example is 0, not 2", as if the document had erred
    (2, "correct", f"holds with relu'(0) = 1, {CONVENTION}; exactly 2 at the example's numbers (proved)"),
    (4, "correct", f"holds with relu'(0) = 1/2, {CONVENTION}; exactly 1 at the example's numbers (proved)"),
    # the 1 written for relu'(0) in a formula; the chain's result is judged with it too (not "rounding")
    (5, "correct", f"link 1: holds with relu'(0) = 1, {CONVENTION}; equal at the example's numbers (proved "
                   "exactly); link 2: 2.0 at the example's numbers, which rounds to 2.0"),
])
def test_a_value_taken_at_the_kink_is_a_convention(results, line, verdict, reason):
    assert (results[line].verdict, results[line].reason) == (verdict, reason)
    assert results[line].diagnosis is None


def test_symbps_own_value_at_the_kink_needs_no_word(results):
    assert results[3].verdict == "correct" and "convention" not in results[3].reason, results[3].reason


@pytest.mark.parametrize("line, reason", [
    (6, "the exact value at the example is 0, not 3"),  # no value of relu'(0) gives 3
    (7, "the exact value at the example is 1, not 2"),  # z_2 = 1 is no kink
])
def test_a_value_no_convention_gives_is_still_wrong(results, line, reason):
    assert results[line].verdict == "wrong"
    assert results[line].reason.startswith(reason) and "convention" not in results[line].reason


def test_an_identity_must_hold_for_every_input_not_only_at_the_kink(results):
    assert results[8].verdict == "wrong" and "convention" not in results[8].reason


def test_a_whole_number_equal_only_at_random_points_is_checked_at_the_example(tmp_path):
    # z_1 = 1.5 - 1 = 0.5 > 0 here, so delta_1 = 2 (y-hat - y) = 2 * 2 = 4; at symbp's three seeded random
    # points z_1 < 0 and delta_1 = 0, and '\delta_1 = 0' was "correct (numeric evidence only)"
    (tmp_path / "network.toml").write_text(NETWORK.replace("b1 = [0, 0]", "b1 = [0.5, 0]"), encoding="utf-8")
    header, *claims = CLAIMS.split("[[claim]]")
    (tmp_path / "claims.toml").write_text(header + "[[claim]]" + claims[2], encoding="utf-8")  # line 3 alone
    [result] = verify_file(tmp_path / "claims.toml").results
    assert (result.verdict, result.reason) == (
        "wrong", "the exact value at the example is 4, not 0 (a whole number printed without decimals is compared "
                 "exactly)")


def test_a_whole_number_exact_at_the_example_is_judged_there_not_at_random_points(tmp_path):
    # z_1 = -0.5 - 1 < 0 here, so delta_1 is exactly 0 at the example: a line of a worked example is about the
    # example, and its reason was the random points' "not proved symbolically within 8 s (numeric evidence only)"
    (tmp_path / "network.toml").write_text(NETWORK.replace("b1 = [0, 0]", "b1 = [-0.5, 0]"), encoding="utf-8")
    header, *claims = CLAIMS.split("[[claim]]")
    (tmp_path / "claims.toml").write_text(header + "[[claim]]" + claims[2], encoding="utf-8")  # line 3 alone
    [result] = verify_file(tmp_path / "claims.toml").results
    assert result.verdict == "correct" and not result.numeric_only, result.reason
    assert "random" not in result.reason and "numeric evidence" not in result.reason, result.reason
