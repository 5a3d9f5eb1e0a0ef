"""Index letters without a value: recognised by their type (UnboundIndex), not by their message."""

from __future__ import annotations

import pytest

from symbp.documents.quantities import UnboundIndex
from symbp.documents.values import QuantityError
from symbp.documents.examples import verify_claims

from .test_documents_verify import NIELSEN_NET, NIELSEN_NOTATION

SUM_K = r"\sum_{k} w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)"


def test_an_unbound_index_is_a_quantity_error_of_its_own_type():
    assert issubclass(UnboundIndex, QuantityError)  # every handler of QuantityError still catches it
    assert not isinstance(QuantityError("a_{j}: index 'j' has no value"), UnboundIndex)  # words alone are not enough


@pytest.mark.parametrize("latex, reason", [
    # the third side uses k free, which the second sums: link 2 is unchecked, link 1 holds
    (rf"\delta^l_j = {SUM_K} = w^{{l+1}}_{{kj}}",
     r"unchecked: index k is summed on side 2 (\sum_{k}) but free on side 3: is the sum over the wrong index?"),
    # summed on side 1, free on side 3: sides that are not neighbours clash too (it said "index 'k' has no value")
    (rf"{SUM_K} = \delta^l_j = w^{{l+1}}_{{kj}}",
     r"unchecked: index k is summed on side 1 (\sum_{k}) but free on side 3: is the sum over the wrong index?"),
])
def test_a_chain_with_an_unchecked_link_explains_an_index_without_a_value(latex, reason):
    [result] = verify_claims((latex, "identity"), network=NIELSEN_NET, notation=NIELSEN_NOTATION)
    assert (result.verdict, result.reason) == ("unchecked", reason)


def test_a_layer_the_network_lacks_is_a_quantity_error_of_its_own_type():
    from symbp.documents.quantities import NoSuchLayer

    assert issubclass(NoSuchLayer, QuantityError)
    # Nielsen's l runs over the document's layers 1..3, and b^1 (the input layer's bias) does not exist:
    # that instance is skipped, recognised by the error's type (the words "does not have" were matched before)
    [general] = verify_claims((r"\frac{\partial C}{\partial b^l_j} = \delta^l_j", "identity"),
                              network=NIELSEN_NET, notation=NIELSEN_NOTATION)
    assert general.verdict == "correct", general.reason
    [alone] = verify_claims((r"\frac{\partial C}{\partial b^1_1} = \delta^1_1", "identity"),
                            network=NIELSEN_NET, notation=NIELSEN_NOTATION)
    assert (alone.verdict, "does not have" in alone.reason) == ("unchecked", True)


@pytest.mark.parametrize("latex, said", [
    # neighbours first: sides 2 and 3 clash as before, though sides 1 and 3 do too
    (r"\sum_{k} w_{jk} x_{k} = \sum_{k} w_{jk} x_{k} = w_{jk} x_{k}",
     r"index k is summed on side 2 (\sum_{k}) but free on side 3: is the sum over the wrong index?"),
    # then sides further apart, either way round
    (r"w_{jk} x_{k} = a_{j} = \sum_{k} w_{jk} x_{k}",
     r"index k is summed on side 3 (\sum_{k}) but free on side 1: is the sum over the wrong index?"),
    (r"\sum_{k} w_{jk} x_{k} = a_{j} = \sum_{k} w_{jk} x_{k}", None),
])
def test_an_index_clash_is_found_between_any_two_sides(latex, said):
    from symbp.documents.indices import index_clash
    from symbp.documents.notation import Notation
    from symbp.documents.reader import read

    n = Notation({"a_{j}": "A[1][j]", "w_{jk}": "W[1][j,k]", "x_{k}": "X[k]"})
    assert index_clash(read(latex, (), n), n) == said
