"""A diagnosis must be evidence, not chance: adversarial claims that the catalogue explained wrongly.

Each case was reproduced on the tutorial-style claims of a review (random wrong numbers, planted mistakes) and
given a confident diagnosis that was not true; each test fails before the fix it names and passes after. Numbers
of ONE_UNIT (w = 0.5, b = 0, x = 2, y = 1, sigmoid, (a - y)^2 / 2, learning rate 0.1), by hand: a = 0.731059,
dL/db = (a - y) a (1 - a) = -0.052877, dL/dw = 2 dL/db = -0.105754, the update 0.5 + 0.0105754 = 0.510575.
"""

from __future__ import annotations

import pytest

from symbp.documents.examples import ONE_UNIT, verify_claims

from .test_documents_diagnose import SQUARE as SQUARE_LAYER

DW = r"\frac{\partial L}{\partial w}"


@pytest.mark.parametrize("claims", [
    # the same derivative printed right, then wrong: any wrong number was "a value carried" (a bare number fits any)
    ((DW + " = -0.106", "numeric"), (DW + " = -0.0555", "numeric")),
    # ... and, with the sign commit on top, "two mistakes together: a value carried ...; and a wrong sign"
    ((DW + " = -0.106", "numeric"), (DW + " = 0.123", "numeric")),
    # an earlier line printed wrong (0.212 for -0.0529), put in place of the learning rate 0.1 (an input of the
    # example), made 0.5 - 0.212 (-0.05) = 0.5106: "0.1 is used where line 1 gives ... = 0.212"
    ((r"\frac{\partial L}{\partial b} = 0.212", "numeric"), ("w = 0.5 - 0.1 \\cdot (-0.05) = 0.505", "update")),
], ids=["bare-number", "bare-number-and-sign", "learning-rate-from-a-wrong-line"])
def test_a_carried_value_is_not_claimed_without_evidence(claims):
    *_, last = verify_claims(*claims)
    assert last.verdict == "wrong", last.reason
    assert "carried" not in str(last.diagnosis) and "two mistakes" not in str(last.diagnosis), last.diagnosis


def test_a_carried_value_inside_arithmetic_from_a_line_printed_right_is_still_named():
    earlier, update = verify_claims((DW + " = -0.106", "numeric"), ("w = 0.5 - 0.1 \\cdot (-0.0555) = 0.50555", "update"))
    assert earlier.verdict == "correct" and update.verdict == "wrong", (earlier.reason, update.reason)
    assert update.diagnosis.startswith("a value carried from an earlier line differs from the one computed there: "
                                       "0.0555 is used where line 1 gives"), update.diagnosis


@pytest.mark.parametrize("printed, diagnosed", [
    ("-0.2", False),  # one significant digit: 2 dL/dw = -0.2115 falls in -0.25 .. -0.15 by chance as much as not
    ("-0.212", True),  # three: the factor 2 is evidence
])
def test_a_number_with_one_significant_digit_supports_no_diagnosis(printed, diagnosed):
    [result] = verify_claims((f"{DW} = {printed}", "numeric"))
    assert result.verdict == "wrong", result.reason
    assert (result.diagnosis is not None and "a factor 2 too many" in result.diagnosis) == diagnosed, result.diagnosis


@pytest.mark.parametrize("claim, diagnosis", [
    # y is in the true side, (y-hat - y) y-hat (1 - y-hat) x, but no factor of it: this was "a factor y is missing"
    (r"(\hat{y} - y) \hat{y} (1 - \hat{y}) x / y", "an extra division by y: without it the document's expression is"),
    (r"(\hat{y} - y) \hat{y} (1 - \hat{y})", "a factor x is missing: with it the document's expression is"),
    (r"(\hat{y} - y) \hat{y} (1 - \hat{y}) x^{2}", "an extra factor x: without it the document's expression is"),
])
def test_a_stray_factor_is_called_missing_only_when_the_true_side_has_it(claim, diagnosis):
    [result] = verify_claims((f"{DW} = {claim}", "derivative"))
    assert result.verdict == "wrong" and result.diagnosis.startswith(diagnosis), result.diagnosis


# widths 1-2-2, relu then sigmoid, batch 2: db2 does not depend on layer 1, so "layer 1's relu' left out" leaves it
# as it is; the claim, a row where db2 is a column, matched it, as a row of printed numbers may stand for a column
ROW = """widths = [1, 2, 2]
activations = ["relu", "sigmoid"]
cost = "half_sse"
batch = 2
"""
ROW_NOTATION = {"db^{[l]}": "db[l]", "dZ^{[l]}": "dZ[l]"}


def test_an_expression_written_as_a_row_for_a_column_is_not_explained_by_a_mistake_that_changes_nothing():
    # dZ is dC/dZ of the batch cost (verify_claims reads derivatives = "batch"): its sum over the batch is db
    [result] = verify_claims((r"db^{[2]} = np.sum(dZ^{[2]}, axis=1)", "identity"), network=ROW, notation=ROW_NOTATION)
    assert result.verdict == "wrong" and "2 x 1" in result.reason and "1 x 2" in result.reason, result.reason
    assert result.diagnosis.startswith("keepdims=True is missing"), result.diagnosis  # was: the relu's left out


# test_documents_diagnose's 2-2 sigmoid layer: dC/dW = delta x^T = [[-0.125, -0.25], [0.147592, 0.295184]] at the
# example; the learning rate 1
SQUARE = SQUARE_LAYER + "learning_rate = 1\n"
SQUARE_NOTATION = {"w_{jk}": "W[1][j,k]", "x_{k}": "X[k]", r"\delta_{j}": "delta[1][j]", "C": "C", r"\eta": "lr"}


@pytest.mark.parametrize("claim", [
    r"w_{12} = w_{12} - \eta \frac{\partial C}{\partial w_{11}}",  # seed 003, line 50, in this network
    r"w_{12} = w_{12} - \eta x_{1} \delta_{1}",
    r"w_{12} = -0.3 - 1 \cdot (-0.125) = -0.175",  # the gradient of w_11 at the example (w_12's is -0.25)
])
def test_an_update_with_another_parameters_gradient_is_diagnosed(claim):
    [result] = verify_claims((claim, "update"), network=SQUARE, notation=SQUARE_NOTATION)
    assert result.verdict == "wrong", result.reason  # it had no diagnosis
    assert result.diagnosis.startswith("the update descends the gradient of another parameter: w_{11}'s, not "
                                       "w_{12}'s"), result.diagnosis


def test_an_update_with_its_own_gradient_or_a_gradient_no_parameter_has_is_not_said_to_use_another():
    right, other = verify_claims((r"w_{12} = w_{12} - \eta x_{2} \delta_{1}", "update"),
                                 (r"w_{12} = w_{12} - \eta x_{2} \delta_{1} x_{1}", "update"),
                                 network=SQUARE, notation=SQUARE_NOTATION)
    assert right.verdict == "correct", right.reason
    assert other.verdict == "wrong" and "another parameter" not in str(other.diagnosis), other.diagnosis


def test_verify_claims_takes_a_notation_key_with_a_prime_inside():
    # the key was written as a TOML multi-line string, which TOML does not allow as a key: a ClaimsError
    [result] = verify_claims((r"g'^{[1]}(z) = \hat{y}(1 - \hat{y})", "identity"),
                             notation={"z": "Z[1][0]", r"\hat{y}": "A[1][0]", "g'^{[l]}": "g'[l]"})
    assert result.verdict == "correct", result.reason


# ----- The value at a kink (kinks.py): conventions, and what they must not excuse -----
@pytest.mark.parametrize("activation, bias, claim, kind, verdict, words", [
    # z = 1 - 1 - 1e-12 is below the kink, not at it: relu' = 0 there, and 1 is no convention
    ("relu", "-1.000000000001", "-1", "numeric", "wrong", "not -1"),
    # a leaky relu at z = 0 (symbp takes its slope, 0.01): 1, or the mean 0.505, is the document's choice
    ("leaky_relu", "-1", "-1", "numeric", "correct", "leaky_relu'(0) = 1, a convention"),
    ("leaky_relu", "-1", "-0.505", "numeric", "correct", "leaky_relu'(0) = 101/200, a convention"),
    # a derivative claim holds for every input, not only at the example's kink
    ("leaky_relu", "-1", r"\hat{y} - y", "derivative", "wrong", "differ"),
])
def test_a_convention_at_a_kink_holds_only_at_the_kink_and_only_for_the_example(activation, bias, claim, kind,
                                                                                verdict, words):
    network = ONE_UNIT.replace('"sigmoid"', f'"{activation}"').replace("b1 = [0]", f"b1 = [{bias}]")
    [result] = verify_claims((r"\frac{\partial L}{\partial b} = " + claim, kind), network=network)
    assert result.verdict == verdict and words in result.reason, result.reason
    assert verdict == "correct" or "convention" not in result.reason, result.reason
