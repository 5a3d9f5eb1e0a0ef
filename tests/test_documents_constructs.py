"""NumPy calls are read as what the table :data:`symbp.documents.constructs.NUMPY` says they are."""

from __future__ import annotations

import pytest

from symbp.documents.constructs import NUMPY, NumpyFunction
from symbp.documents.pieces import Call, Group, NpPower, NpSum
from symbp.documents.reader import read
from symbp.documents.tokens import PLACEHOLDER, LatexParseError

PIECE = {"reduction": NpSum, "product": Group, "power": NpPower, "function": Call}


def _piece(latex: str):
    """The piece the right side of ``y = latex`` is (its single placeholder's)."""
    reading = read(f"y = {latex}")
    return reading.pieces[int(PLACEHOLDER.fullmatch(reading.chains[0][1].skeleton.strip()).group(1))]


@pytest.mark.parametrize("name", sorted(NUMPY))
def test_every_numpy_function_reads_as_its_kind(name):
    entry = NUMPY[name]
    args = ", ".join(["A", "B"][: entry.arity]) + (", axis=0" if entry.kind == "reduction" else "")
    assert isinstance(_piece(f"np.{name}({args})"), PIECE[entry.kind])


@pytest.mark.parametrize("name", sorted(n for n, e in NUMPY.items() if e.kind != "reduction"))
def test_a_wrong_number_of_arguments_says_how_many(name):
    entry = NUMPY[name]
    with pytest.raises(LatexParseError, match=f"np.{name} takes {entry.arity} argument"):
        read(f"y = np.{name}({', '.join(['A'] * (entry.arity + 1))})")


@pytest.mark.parametrize("name, entry, check", [
    ("cube", NumpyFunction("power", 1, exponent="3"), lambda p: isinstance(p, NpPower) and p.exponent.skeleton == "3"),
    ("hadamard", NumpyFunction("product", 2, r" \mod "), lambda p: isinstance(p, Group) and r"\mod" in p.node.skeleton),
    ("relu", NumpyFunction("function"), lambda p: isinstance(p, Call) and p.function.name == "relu"),
])
def test_an_entry_added_to_the_table_is_read_without_a_change_to_the_reader(monkeypatch, name, entry, check):
    monkeypatch.setitem(NUMPY, name, entry)
    args = ", ".join(["A", "B"][: entry.arity])
    assert check(_piece(f"np.{name}({args})"))
