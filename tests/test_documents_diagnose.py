"""Tests of the catalogue of mistakes (symbp.documents.diagnose, .variants): each row finds its mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbp.documents.examples import verify_claims

# ONE_UNIT: w = 0.5, b = 0, x = 2, y = 1, sigmoid, loss (a - y)^2 / 2; a = sigma(1) = 0.731059, the loss 0.036165.
# Its residual unsquared: (a - y)/2 = -0.134471; |a - y|/2 = (y - a)/2 = 0.134471; dL/da = 1/2, dL/dw = sigma'(1)


@pytest.mark.parametrize("claim, kind, words", [
    (r"L = \frac{1}{2} (\hat{y} - y)", "identity", ("not squared", "(a - y)/2 instead of (a - y)**2/2")),
    (r"L = \frac{1}{2} |\hat{y} - y|", "identity", ("absolute value of the residual", "Abs(a - y)/2")),
    (r"L = -0.134", "numeric", ("not squared", "that gives -0.134471")),
    (r"L = 0.134", "numeric", ("not squared", "(-a + y)/2", "that gives 0.134471")),
    # the gradients that follow from the unsquared cost: dL/da = 1/2, dL/dw = sigma'(z) x / 2
    (r"\frac{\partial L}{\partial \hat{y}} = \frac{1}{2}", "derivative", ("not squared", "that gives 0.5")),
    (r"\frac{\partial L}{\partial w} = \frac{1}{2} \hat{y} (1 - \hat{y}) x", "derivative", ("not squared",)),
    (r"w = w - \eta \frac{\partial L}{\partial w} = w - \frac{\eta}{2} \hat{y} (1 - \hat{y}) x", "update",
     ("not squared",)),
])
def test_a_quadratic_cost_with_its_residual_not_squared_is_diagnosed(claim, kind, words):
    [result] = verify_claims((claim, kind))
    assert result.verdict == "wrong", result.reason  # it had no diagnosis
    assert result.diagnosis is not None and all(w in result.diagnosis for w in words), result.diagnosis


def test_the_squared_residual_and_a_cost_without_a_square_get_no_such_diagnosis():
    right, other = verify_claims((r"L = \frac{1}{2} (\hat{y} - y)^2 = 0.0362", "numeric"),
                                 (r"L = \frac{1}{3} (\hat{y} - y)", "identity"))
    assert right.verdict == "correct" and right.diagnosis is None
    assert other.verdict == "wrong" and other.diagnosis is None  # no slip of the catalogue gives 1/3 (a - y)
    # a gradient's or an update's numbers say nothing of the cost they came from: 0.5 - 0.1 (-0.2) is 0.52, as the
    # update with the unsquared cost (0.519661) happens to be
    [update] = verify_claims((r"w = 0.5 - 0.1 \cdot (-0.2)", "update"))
    assert update.verdict == "wrong" and update.diagnosis is None, update.diagnosis
    cross_entropy = ('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "binary_cross_entropy"\n'
                     "[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n")
    [result] = verify_claims((r"L = -0.313", "numeric"), network=cross_entropy)  # -log(0.731) = 0.313
    assert result.verdict == "wrong" and "not squared" not in str(result.diagnosis), result.diagnosis


# A 2-2 layer whose weight matrix is square, so w_12 and w_21 both exist: dC/dW = delta x^T is
# [[-0.125, -0.25], [0.147592, 0.295184]] at the example (an independent NumPy computation gave these numbers).
SQUARE = """widths = [2, 2]
activations = ["sigmoid"]
cost = "half_sse"

[example]
W1 = [[0.5, -0.3], [0.2, 0.4]]
b1 = [0.1, -0.2]
X = [1, 2]
Y = [1, 0]
"""
SQUARE_NOTATION = {"w_{jk}": "W[1][j,k]", "w": "W[1]", "x_{k}": "X[k]", "x": "X", r"\delta_{j}": "delta[1][j]",
                   r"\delta": "delta[1]", "C": "C"}


@pytest.mark.parametrize("claim, kind, words", [
    (r"\frac{\partial C}{\partial w_{jk}} = x_{j} \delta_{k}", "derivative", ("at j = 1, k = 2",)),
    (r"\frac{\partial C}{\partial w_{12}} = 0.148", "numeric", ("-0.250, not 0.148",)),
    (r"\frac{\partial C}{\partial w} = x \delta^T", "derivative", ()),  # square: the transpose has the same shape
])
def test_a_weight_gradient_with_its_indices_swapped_is_diagnosed(claim, kind, words):
    [result] = verify_claims((claim, kind), network=SQUARE, notation=SQUARE_NOTATION)
    assert result.verdict == "wrong" and all(w in result.reason for w in words), result.reason
    assert result.diagnosis is not None and result.diagnosis.startswith("a weight's indices swapped"), result.diagnosis
    if kind != "derivative" or "_{jk}" in claim:
        assert "the gradient of w_{21}, not of w_{12}" in result.diagnosis, result.diagnosis  # in the document's names


def test_the_weight_gradient_written_the_right_way_round_is_correct():
    entry, matrix, other = verify_claims((r"\frac{\partial C}{\partial w_{jk}} = x_{k} \delta_{j}", "derivative"),
                                         (r"\frac{\partial C}{\partial w} = \delta x^T", "derivative"),
                                         (r"\frac{\partial C}{\partial w_{12}} = 0.5", "numeric"),
                                         network=SQUARE, notation=SQUARE_NOTATION)
    assert entry.verdict == "correct" and matrix.verdict == "correct", (entry.reason, matrix.reason)
    assert other.verdict == "wrong" and "indices swapped" not in str(other.diagnosis), other.diagnosis


PADHAI = Path(__file__).resolve().parents[1] / "derivations" / "003-padhai-442" / "network.toml"
PADHAI_NOTATION = {r"\hat{y}_{j}": "A[2][j]", "a_{lj}": "Z[l][j]", "h_{lj}": "A[l][j]", "x_{j}": "X[j]",
                   "y_{j}": "Y[j]", "w_{ljk}": "W[l][j,k]", "L": "C"}


@pytest.mark.parametrize("claim, words", [
    # seed 003, lines 285 and 374: the softmax derivative with a stray factor (its line 279 had it right)
    (r"\frac{\partial \hat{y}_1}{\partial a_{21}} = \hat{y}_1 * (1 - \hat{y}_1)(-a_{22})", "an extra factor - a_{22}"),
    (r"\frac{\partial \hat{y}_2}{\partial a_{22}} = \hat{y}_2 * (1 - \hat{y}_2) * (-a_{21})", "an extra factor - a_{21}"),
    # the bias gradient written like the weight's, and a weight's gradient without its input
    (r"\frac{\partial L}{\partial b_{2}} = -2(y_1 - \hat{y}_1) \hat{y}_1 \hat{y}_2 h_{12} + 2(y_2 - \hat{y}_2) "
     r"\hat{y}_1 \hat{y}_2 h_{12}", "an extra factor h_{12}"),
    (r"\frac{\partial L}{\partial w_{212}} = -2(y_1 - \hat{y}_1) \hat{y}_1 \hat{y}_2 + 2(y_2 - \hat{y}_2) "
     r"\hat{y}_1 \hat{y}_2", "a factor h_{12} is missing"),
])
def test_a_stray_or_missing_factor_of_one_quantity_is_diagnosed(claim, words):
    notation = {**PADHAI_NOTATION, "b_{2}": "b[2][0]"}
    [result] = verify_claims((claim, "derivative"), network=PADHAI.read_text(encoding="utf-8"), notation=notation)
    assert result.verdict == "wrong", result.reason  # each had no diagnosis
    assert result.diagnosis is not None and result.diagnosis.startswith(words), result.diagnosis


def test_no_stray_factor_is_named_for_numbers_or_for_a_ratio_of_two_quantities():
    numbers, two = verify_claims((r"\frac{\partial L}{\partial w} = 0.5", "derivative"),
                                 (r"\frac{\partial L}{\partial w} = (\hat{y} - y)\hat{y}(1 - \hat{y}) z", "derivative"))
    assert numbers.verdict == "wrong" and "factor" not in str(numbers.diagnosis), numbers.diagnosis
    assert two.verdict == "wrong" and two.diagnosis is None, two.diagnosis  # z / x is no factor of one quantity
