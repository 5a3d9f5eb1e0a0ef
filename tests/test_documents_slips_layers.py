"""Slips in writing a claim's indices and layout (symbp.documents.mistakes): each is named only when it is checked.

A layer index slip (l for the output layer L, or the reverse), an equation of the output layer written for every
layer, a component on one side and the whole vector on the other, the examples of a batch stacked in one column:
each diagnosis holds only when the link, with the slip undone, holds at every instance of the claim. The network:
2 inputs, 3 then 2 sigmoid units (so a^l - y is undefined at l = 1), the quadratic cost, one example.
"""

from __future__ import annotations

import pytest

from symbp.documents.examples import verify_claims

NETWORK = """widths = [2, 3, 2]
activations = ["sigmoid", "sigmoid"]
cost = "half_sse"
batch = 1
"""
NOTATION = {
    "a^{l}_{j}": "A[l][j]", "a^{l}": "A[l]", "z^{l}_{j}": "Z[l][j]", "z^{l}": "Z[l]", "w^{l}_{jk}": "W[l][j,k]",
    "w^{l}": "W[l]", r"\delta^{l}_{j}": "delta[l][j]", r"\delta^{l}": "delta[l]", "y": "Y", "y_{j}": "Y[j]",
    "C": "C", r"\sigma": "sigmoid",
}
DC = r"\frac{\partial C}{\partial "


def check(claim: str, kind: str = "identity", network: str = NETWORK, notation=NOTATION):
    [result] = verify_claims((claim, kind), network=network, notation=notation)
    assert result.verdict == "wrong", result.reason
    return result.diagnosis


@pytest.mark.parametrize("claim, words", [
    # seed 001, line 219: delta^L_j for delta^l_j (or z^L_j for z^l_j)
    (r"\delta^{L}_{j} = " + DC + "z^{l}_{j}}", (r"left side at layer l (\delta^{l}_{j} for \delta^{L}_{j})",
                                               r"right side at the output layer L (z^{L}_{j} for z^{l}_{j})")),
    # seed 001, line 300: the left side at layer l, the right side at L
    (r"a^{l-1}_{k} \delta^{l}_{j} = " + DC + "w^{L}_{jk}}", (r"w^{l}_{jk} for w^{L}_{jk}",
                                                            r"a^{L-1}_{k} for a^{l-1}_{k} and \delta^{L}_{j}")),
])
def test_a_layer_index_slip_is_diagnosed_when_the_link_holds_at_every_layer_with_it_undone(claim, words):
    diagnosis = check(claim, "derivative")
    assert diagnosis is not None and diagnosis.startswith("a layer index slip: the link mixes the output layer L "
                                                          "and layer l; it holds at every l"), diagnosis
    assert all(w in diagnosis for w in words), diagnosis


@pytest.mark.parametrize("widths", ["[2, 3, 2]", "[2, 2, 2]"])  # a^l - y undefined at l = 1, or defined and wrong
def test_the_output_layers_equation_written_for_every_layer_is_diagnosed(widths):
    # seed 001, line 264: BP1 with l for L
    diagnosis = check(r"\delta^{l} = (a^{l} - y) \odot \sigma'(z^{l})", network=NETWORK.replace("[2, 3, 2]", widths))
    assert diagnosis == "an equation of the output layer written for every layer l: it holds at l = L (layer 2), " \
                        "not at l = 1", diagnosis


def test_a_component_equated_to_the_whole_vector_is_diagnosed():
    # seed 001, line 255: BP2 for the vector, with the subscript j on the left only
    diagnosis = check(r"\delta^{l}_{j} = (w^{l+1})^{T} \delta^{l+1} \odot \sigma'(z^{l})")
    assert diagnosis == ("a component on one side, the whole vector on the other: the right side (3 x 1) lacks the "
                         "index j, and its entry j is the left side at every j"), diagnosis


BATCH = NETWORK.replace("batch = 1", "batch = 2")
BATCH_NOTATION = {"A_{l}": "A[l]", "A_{l}^{(i)}": "A[l][:,i]", "Z_{l}^{(i)}": "Z[l][:,i]"}


def test_the_examples_stacked_in_one_column_are_diagnosed():
    # seed 002, line 78: the examples' columns stacked vertically where the batch puts them side by side
    diagnosis = check(r"A_{l} = \begin{bmatrix} A_{l}^{(1)} \\ A_{l}^{(2)} \end{bmatrix}", network=BATCH,
                      notation=BATCH_NOTATION)
    assert diagnosis is not None and diagnosis.startswith("the examples stacked in one column (6 x 1) where a batch "
                                                          "puts them side by side, one column each (3 x 2)"), diagnosis


def test_a_whole_matrix_that_is_the_gradient_of_another_quantity_is_diagnosed():
    # seed 000, line 133: dZ/dW where dZ/dA^{[L-1]} belongs makes dC/dA^{[L-1]} = delta A^{[L-1]T}, which is dC/dW
    diagnosis = check(DC + r"a^{l-1}} = \delta^{l} (a^{l-1})^{T}", "derivative")
    assert diagnosis == ("the gradient of another quantity: the document's side is dC/dw^{1}, the gradient with "
                         "respect to w^{1} (a derivative by w^{1} stands where one by the other side's quantity "
                         "belongs)"), diagnosis
    # as the claim names the matrix, so does the diagnosis
    diagnosis = check(DC + r"a^{l-1}} = \frac{\partial z^{l}}{\partial w^{l}} \delta^{l}", "derivative")
    assert diagnosis is not None and "is dC/dw^{l}, the gradient with respect to w^{l}" in diagnosis, diagnosis


@pytest.mark.parametrize("parameter, words", [("b^{L}_{k}", "b^{L}_{k} does not depend on z^{L}_{k}"),
                                              ("w^{L}_{jk}", "w^{L}_{jk} does not depend on z^{L}_{k}")])
def test_the_chain_rule_taken_through_a_parameter_is_diagnosed(parameter, words):
    # seed 001, lines 279 and 297: dC/dz_j as a sum of dC/db_k db_k/dz_k, each db_k/dz_k 0
    claim = r"\delta^{L}_{j} = \sum_{k} " + DC + parameter + r"} \frac{\partial " + parameter + r"}{\partial z^{L}_{k}}"
    diagnosis = check(claim, "derivative", notation={**NOTATION, "b^{l}_{j}": "b[l][j]"})
    assert diagnosis is not None and diagnosis.startswith("the chain rule taken through a parameter: " + words) and \
        "so d" + parameter + "/dz^{L}_{k} = 0 and the side is 0" in diagnosis, diagnosis


@pytest.mark.parametrize("claim, network, notation", [
    # alike once the letters are one: a^L = a^L says nothing (and a^l = a^L is no equation of the output layer)
    (r"a^{l} = a^{L}", NETWORK, NOTATION),
    (r"a^{l}_{j} = a^{L}_{j}", NETWORK.replace("[2, 3, 2]", "[2, 2, 2]"), NOTATION),
    # wrong at every layer, whatever the letters: delta_j with a stray term, at l and at L
    (r"\delta^{l}_{j} = " + DC + r"z^{l}_{j}} + a^{L}_{1}", NETWORK, NOTATION),
    (r"\delta^{L}_{j} = " + DC + r"z^{l}_{j}} z^{l}_{j}", NETWORK, NOTATION),
    # a component and a vector whose entry j is not the component: BP2 without sigma'(z) (the vector is dC/da^l,
    # but a component equated to a vector is not explained by that), a^l for delta^l
    (r"\delta^{l}_{j} = (w^{l+1})^{T} \delta^{l+1}", NETWORK, NOTATION),
    (r"\delta^{l}_{j} = a^{l}", NETWORK, NOTATION),
    # a matrix of the shape of W that is not the gradient of any quantity: twice dC/dW
    (DC + r"a^{l-1}} = 2 \delta^{l} (a^{l-1})^{T}", NETWORK, NOTATION),
    # a side that is 0 for another reason than a parameter's derivative by z: dz/dw of another unit
    (r"\delta^{L}_{1} = " + DC + r"z^{L}_{1}} \frac{\partial z^{L}_{2}}{\partial w^{L}_{11}}", NETWORK, NOTATION),
    # a column of the right size that is not the examples stacked: Z for A
    (r"A_{l} = \begin{bmatrix} Z_{l}^{(1)} \\ Z_{l}^{(2)} \end{bmatrix}", BATCH, BATCH_NOTATION),
])
def test_no_slip_is_named_for_a_claim_that_undoing_it_does_not_make_hold(claim, network, notation):
    [result] = verify_claims((claim, "identity"), network=network, notation=notation)
    assert result.verdict == "wrong", result.reason
    for words in ("layer index slip", "output layer written", "whole vector", "stacked", "another quantity",
                  "through a parameter"):
        assert words not in str(result.diagnosis), result.diagnosis
