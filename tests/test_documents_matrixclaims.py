"""Vectorized claims proved in matrix form (every width and batch size), and the explicit instances as fallback."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.documents.matrixclaims import normal

from .test_documents_verify import NOTATION, network, run_claims

n, m, k = sp.symbols("n m k", integer=True, positive=True)
A, B, C = (sp.MatrixSymbol(s, n, m) for s in "ABC")
W = sp.MatrixSymbol("W", k, n)


@pytest.mark.parametrize("left, right", [
    (sp.HadamardProduct(2 * A, B), 2 * sp.HadamardProduct(B, A)),  # scalars out, factors unordered
    (sp.HadamardProduct(sp.HadamardProduct(A, B), C), sp.HadamardProduct(A, sp.HadamardProduct(C, B))),
    ((W * A).T, A.T * W.T),
    (W * (A + B), W * A + W * B),
    (sp.HadamardProduct(A, sp.OneMatrix(n, m)), A),
    ((W * sp.HadamardProduct(A, B)).T, sp.HadamardProduct(B.T, A.T) * W.T),
])
def test_normal_forms_of_equal_expressions_are_equal(left, right):
    assert normal(left) == normal(right)


@pytest.mark.parametrize("left, right", [(W * A, W * B), (sp.HadamardProduct(A, B), A + B), (2 * A, A), (A.T * W.T, W * A)],
                         ids=["other symbol", "other operation", "other scalar", "not transposed"])
def test_normal_forms_of_different_expressions_differ(left, right):
    assert normal(left) != normal(right)


NET = network([2, 3, 2], ["sigmoid", "tanh"], "half_sse", 2)
MATRICES = NOTATION + "'A^{[l]}' = \"A[l]\"\n'b^{[l]}' = \"b[l]\"\n"


@pytest.mark.parametrize("latex", [
    r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}",
    r"db^{[l]} = \frac{1}{m} np.sum(dZ^{[l]}, axis=1, keepdims=True)",
    r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}",
    r"z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}",
    r"\frac{\partial L}{\partial W^{[1]}} = \frac{1}{m} dZ^{[1]} X^{T}",
])
def test_a_right_vectorized_claim_is_proved_in_matrix_form_and_agrees_with_the_explicit_instances(tmp_path, latex,
                                                                                                  monkeypatch):
    fast = run_claims(tmp_path, NET, 'derivatives = "example"', [(latex, "identity")], MATRICES).results[0]
    monkeypatch.setattr("symbp.documents.matrixclaims.matrix_outcome", lambda link: None)
    slow = run_claims(tmp_path, NET, 'derivatives = "example"', [(latex, "identity")], MATRICES).results[0]
    assert slow.verdict == "correct" and "matrix form" not in slow.reason, slow.reason
    assert fast.verdict == "correct" and "in matrix form, for every width and batch size" in fast.reason, fast.reason


@pytest.mark.parametrize("latex, words", [
    (r"dW^{[l]} = dZ^{[l]} A^{[l-1]T}", "1/m"),  # 1/m missing: the explicit instances refute and diagnose it
    (r"dZ^{[2]} = dA^{[2]} \odot a^{[2]} \odot (1 - a^{[2]})", "differ"),  # sigmoid's derivative, but layer 2 is tanh
    (r"dA^{[0]} = W^{[1]} dZ^{[1]}", "transpose"),
])
def test_a_wrong_claim_is_left_to_the_explicit_instances(tmp_path, latex, words):
    result = run_claims(tmp_path, NET, 'derivatives = "example"', [(latex, "identity")], MATRICES).results[0]
    assert result.verdict == "wrong" and "matrix form" not in result.reason
    assert words in (result.diagnosis or "") + result.reason, (result.reason, result.diagnosis)


def test_what_the_matrix_form_cannot_show_is_left_to_the_explicit_instances(tmp_path):
    softmax = network([2, 3, 2], ["sigmoid", "softmax"], "cross_entropy", 2)
    right, = run_claims(tmp_path, NET, 'derivatives = "example"', [(r"dA^{[2]} = \hat{y} - y", "identity")]).results
    # right, but the matrix form writes dA^{[2]} as (a - y) applied entry by entry: no proof there, one explicitly
    assert right.verdict == "correct" and "matrix form" not in right.reason, right.reason
    jacobian, = run_claims(tmp_path, softmax, 'derivatives = "example"',
                           [(r"dZ^{[2]} = dA^{[2]} \odot g'^{[2]}", "identity")], notation=NOTATION + "\"g'^{[l]}\" = \"g'[l]\"\n").results
    assert "matrix form" not in jacobian.reason and "Jacobian" in jacobian.reason, jacobian.reason
