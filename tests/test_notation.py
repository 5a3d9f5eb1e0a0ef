"""The notation table: each convention's names, distinctness, the generic equations, user TOML notations."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.backprop import EQUATIONS, delta_symbol
from symbp.errors import SpecError
from symbp.notation import GENERIC, NOTATIONS, QUANTITIES, load_notation, notation, parse_notation
from symbp.symbols import COST, network_symbols

# (notation, quantity, layer, j, k, expected LaTeX): the seed documents' own spellings.
NAMES = [
    ("ng", "weight", 2, 1, 2, "w^{[2]}_{12}"),
    ("ng", "weight_matrix", 2, 0, 0, "W^{[2]}"),
    ("ng", "dZ", 1, 0, 0, "dZ^{[1]}"),
    ("nielsen", "weight", 2, 1, 2, "w^{3}_{12}"),  # Nielsen's input layer is layer 1: symbp's W2 is his w^3
    ("nielsen", "delta", 1, 2, 0, r"\delta^{2}_{2}"),
    ("padhai", "weight", 2, 1, 2, "w_{212}"),
    ("padhai", "weight", 1, 3, 1, "w_{131}"),
    ("padhai", "pre_activation", 2, 1, 0, "a_{21}"),
    ("padhai", "activation", 1, 3, 0, "h_{13}"),
    ("padhai", "output", 2, 1, 0, r"\hat{y}_{1}"),
    ("padhai", "weight", 1, 12, 3, "w_{1,12,3}"),  # two-digit indices are separated by commas
]


@pytest.mark.parametrize("name, quantity, l, j, k, expected", NAMES)
def test_scalar_names(name, quantity, l, j, k, expected):
    assert notation(name).scalar(quantity, l, j, k) == expected


def test_code_names_use_symbps_layers_and_zero_based_indices():
    for name in NOTATIONS:
        assert notation(name).code("weight", 2, 1, 2) == "W2[0][1]"


@pytest.mark.parametrize("name", sorted(NOTATIONS))
@pytest.mark.parametrize("widths, batch", [((4, 4, 2), 1), ((3, 4, 2), 2), ((2, 12, 11, 1), 3)])
def test_every_symbol_of_a_network_gets_a_distinct_name(name, widths, batch):
    s = network_symbols(widths, batch)
    names = notation(name).symbol_names(s)
    symbols = [*s.parameter_symbols(), *s.X, *s.Y, COST]
    for l in range(1, len(widths)):
        symbols += [*s.Z[l], *s.A[l]]
        symbols += [delta_symbol("per_example", l, j + 1, i + 1, batch) for j in range(widths[l]) for i in range(batch)]
    printed = [names[x] for x in symbols]
    assert len(set(printed)) == len(printed)


def test_batch_names_carry_the_example_index():
    s = network_symbols((2, 2, 1), 2)
    assert notation("ng").symbol_names(s)[s.A[1][0, 1]] == "a^{[1](2)}_{1}"
    assert notation("nielsen").symbol_names(s)[s.A[1][0, 1]] == "a^{2,(2)}_{1}"
    assert notation("padhai").symbol_names(s)[s.X[1, 0]] == "x^{(1)}_{2}"


@pytest.mark.parametrize("name", sorted(NOTATIONS))
def test_every_matrix_of_the_backprop_equations_has_a_name(name):
    table = notation(name).generic_names()
    for eq in EQUATIONS.values():
        for ms in eq.lhs.atoms(sp.MatrixSymbol) | eq.rhs.atoms(sp.MatrixSymbol):
            assert ms.name in GENERIC, f"{ms.name} of {eq.name} is missing from notation.GENERIC"
            assert table[ms.name]


def test_builtin_notations_define_every_quantity():
    for n in NOTATIONS.values():
        assert set(n.latex) == set(QUANTITIES)


def test_user_notation_from_toml_overrides_a_base(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('base = "padhai"\n[latex]\nweight = "\\\\theta_{<ljk>}"\nlearning_rate = "\\\\lambda"\n')
    n = load_notation(path)
    assert n.name == "mine"
    assert n.scalar("weight", 2, 1, 2) == r"\theta_{212}"
    assert n.scalar("activation", 1, 3) == "h_{13}"  # from the base
    assert n.latex["learning_rate"] == r"\lambda"


def test_overriding_the_activation_renames_the_output_unless_the_base_writes_it_apart():
    # The output layer's activations are activations: an ng-based notation that writes them alpha must
    # not leave a^{[L]} for the output (a PDF mixing alpha and a); padhai's output is y-hat on purpose.
    s = network_symbols((2, 2, 1), 1)
    out, hidden = s.A[2][0, 0], s.A[1][0, 0]
    alpha = parse_notation('[latex]\nactivation = "\\\\alpha^{[<l>]<(i)>}_{<j>}"\nactivation_vector = "\\\\alpha^{[<l>]}"',
                           "alpha.toml")
    names = alpha.symbol_names(s)
    assert (names[hidden], names[out]) == (r"\alpha^{[1]}_{1}", r"\alpha^{[2]}_{1}")
    assert alpha.scalar("output_vector", 2) == r"\alpha^{[2]}"
    own = parse_notation('[latex]\nactivation = "h^{[<l>]<(i)>}_{<j>}"\noutput = "\\\\hat{y}_{<j>}"', "own.toml")
    assert own.symbol_names(s)[out] == r"\hat{y}_{1}"  # an output the user wrote stays theirs
    padhai = parse_notation('base = "padhai"\n[latex]\nactivation = "g^{<(i)>}_{<lj>}"', "p.toml")
    assert padhai.symbol_names(s)[out] == r"\hat{y}_{1}"


BAD = [
    ('colour = "red"', "unknown key 'colour'"),
    ('[latex]\nweigth = "w"', "unknown quantity 'weigth'"),
    ('[latex]\nbias = "b_{<k>}"', "placeholder <k> is not allowed here"),
    ('[latex]\nweight = "w_{<l><jk>"', "unbalanced braces"),
    ('[latex]\nweight = ""', "expected a non-empty string"),
    ('base = "karpathy"', "mine.toml: base: unknown notation 'karpathy'"),
    ("name = [", "TOML syntax error"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m for _, m in BAD])
def test_bad_user_notation_says_what_is_wrong(text, message):
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_notation(text, "mine.toml")


def test_names_that_collide_are_refused():
    n = parse_notation('[latex]\nweight = "w^{<l>}"', "flat.toml")  # no unit indices: every weight of a layer alike
    with pytest.raises(SpecError, match="would both print as 'w\\^\\{1\\}'"):
        n.symbol_names(network_symbols((2, 2, 1), 1))


def test_unknown_notation_lists_the_valid_ones():
    with pytest.raises(SpecError, match="valid: ng, nielsen, padhai"):
        load_notation("karpathy")
    with pytest.raises(SpecError, match="cannot read"):
        load_notation("/nonexistent/notation.toml")
