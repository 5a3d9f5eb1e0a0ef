"""Every walker over a claim's pieces uses pieces.walk/children, so no field of a piece is skipped."""

from symbp.documents.indices import sum_indices
from symbp.documents.links import side_sort
from symbp.documents.reader import read


def test_a_symbol_in_np_powers_exponent_makes_the_side_symbolic():
    reading = read(r"y = np.power(2, n)")
    assert side_sort(reading.chains[0][1], reading) == "symbolic"


def test_a_sum_inside_np_powers_exponent_is_found():
    assert sum_indices(read(r"y = np.power(2, \sum_{j} a_{j})")) == {"j"}
