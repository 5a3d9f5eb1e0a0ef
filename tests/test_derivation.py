"""Derivation documents: every step proved, wrong steps refused, numbers right, committed files fresh."""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symbp import Network
from symbp.cli import main
from symbp.derivation import Derivation, Row, derive
from symbp.derivation_check import DerivationError, StepChecker
from symbp.derivation_numbers import rounded
from symbp.rules import RuleSet, make_activation
from symbp.printing import plain
from symbp.spec import Example, NetworkSpec
from symbp.symbols import COST

ROOT = Path(__file__).resolve().parents[1]
D = sp.Derivative


@cache
def regenerate():
    spec = importlib.util.spec_from_file_location("regenerate_derivations", ROOT / "scripts" / "regenerate_derivations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def committed(folder: str) -> tuple[Derivation, Network]:
    """The derivation the regeneration script writes for ``folder`` (same notation and weight)."""
    notation, weight = regenerate().TABLE[folder]
    network = Network.from_toml(ROOT / "derivations" / folder / "network.toml")
    return derive(network, notation=notation, weight=weight), network


def padhai() -> Derivation:
    return committed("003-padhai-442")[0]


@pytest.mark.parametrize("folder", ["000-ng-vectorized", "001-nielsen-quadratic", "002-linear-activation-batch",
                                    "003-padhai-442"])
def test_committed_derivations_are_not_stale(folder):
    d, _ = committed(folder)
    for name, text in {"derivation.tex": d.tex(), "derivation.md": d.markdown()}.items():
        path = ROOT / "derivations" / folder / name
        assert path.exists(), f"{path} is missing: run python scripts/regenerate_derivations.py"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: run python scripts/regenerate_derivations.py"
        )


def test_every_link_says_how_it_was_established():
    rows = list(padhai().rows())
    assert len(rows) > 40
    assert all(link.how for row in rows for link in row.links)
    hows = " ".join(link.how for row in rows for link in row.links)
    assert "rational-function identity" in hows and "symbp check" in hows


# ----- The checker refuses what is wrong -----
def seed_003_spec() -> NetworkSpec:
    return Network.from_toml(ROOT / "derivations" / "003-padhai-442" / "network.toml").spec


def test_the_chain_rule_of_seed_003_without_the_softmax_cross_term_is_refused():
    ck = StepChecker(seed_003_spec())
    s = ck.symbols
    w, z1 = s.W[2][0, 1], s.Z[2][0, 0]
    y1, y2 = s.A[2]
    full = (D(COST, y1) * D(y1, z1) + D(COST, y2) * D(y2, z1)) * D(z1, w)
    assert ck.prove(D(COST, w), full)
    with pytest.raises(DerivationError, match="not proved .refuted"):
        ck.prove(D(COST, w), D(COST, y1) * D(y1, z1) * D(z1, w), step="seed 003, one path only")


def test_a_wrong_hand_rule_stops_the_derivation_and_nothing_is_written(tmp_path):
    bad = make_activation("badsig", "1/(1 + exp(-z))", "a*(1 + a)")  # the right derivative is a*(1 - a)
    spec = NetworkSpec((2, 2, 1), ("badsig", "sigmoid"), "half_sse", rules=RuleSet({"badsig": bad}))
    with pytest.raises(DerivationError, match="not proved"):
        derive(Network.from_spec(spec))
    network = tmp_path / "network.toml"
    network.write_text(
        'widths = [2, 2, 1]\nactivations = ["badsig", "sigmoid"]\ncost = "half_sse"\n'
        '[custom_activations.badsig]\nforward = "1/(1 + exp(-z))"\nderivative = "a*(1 + a)"\n'
    )
    out = tmp_path / "d.md"
    assert main(["derive", str(network), "-o", str(out)]) == 1
    assert not out.exists()


# ----- Numbers of the worked example -----
def numeric_gradients(spec: NetworkSpec) -> dict[str, np.ndarray]:
    ex = spec.example
    params = {k: np.array(v.tolist(), dtype=float) for k, v in ex.params.items()}
    return Network.from_spec(spec).numeric_gradients(params, np.array(ex.X.tolist(), float), np.array(ex.Y.tolist(), float))


def final_number(row) -> float:
    return float(row.links[-1].expr)


def test_worked_example_numbers_agree_with_the_numeric_gradients():
    spec = seed_003_spec()
    grads = numeric_gradients(spec)  # an independent route: the compiled autodiff program in floats
    s = StepChecker(spec).symbols
    results = {}
    for row in padhai().rows():
        if isinstance(row.lhs, sp.Derivative) and row.lhs.expr == COST and row.links[-1].expr.is_Number:
            results[row.lhs.variables[0]] = final_number(row)
    w212, w131 = s.W[2][0, 1], s.W[1][2, 0]
    assert results[w212] == pytest.approx(grads["W2"][0, 1], rel=5e-4)
    assert results[w131] == pytest.approx(grads["W1"][2, 0], rel=5e-4)
    # the document's own (wrong) values: -0.029 for w212 and -6.4e-3 for w131
    assert abs(results[w212] - (-0.029)) > 0.05 and results[w131] > 0


def test_update_of_the_worked_example():
    updates = [row for row in padhai().rows() if row.links[0].relation == r"\leftarrow" and row.links[-1].expr.is_Number]
    values = sorted(float(row.links[-1].expr) for row in updates)
    assert values == pytest.approx([-0.3032, 0.9304], abs=1e-4)  # w131 = -0.3 - 1*0.003159; w212 = 0.8 + 0.1304


@pytest.mark.parametrize("value, relation, text", [
    (sp.Rational(29, 10), "=", "2.9"),
    (sp.Integer(2), "=", "2"),
    (1 / (1 + sp.exp(-sp.Rational(29, 10))), r"\approx", "0.9478"),
    (sp.Rational(1, 3), r"\approx", "0.3333"),
    (sp.S.Zero, "=", "0"),
])
def test_rounding_says_whether_the_decimal_is_exact(value, relation, text):
    r, number = rounded(value)
    assert r == relation
    assert sp.latex(number).rstrip("0").rstrip(".") == text or str(number) == text


# ----- Options, notations, Jupyter -----
def test_weight_option_and_notation_choose_what_is_followed():
    d = derive(Network([2, 3, 2], ["tanh", "softmax"], "cross_entropy"), notation="nielsen", weight="W1[0][1]")
    md = d.markdown()
    assert "The weight W1[0][1], $w^{2}_{12}$" in md  # Nielsen numbers the first weight layer 2
    assert "The weight W2[0][1]" in md  # the default output weight
    with pytest.raises(Exception, match="rows 0..2, columns 0..1"):
        derive(Network([2, 3, 2], ["tanh", "softmax"], "cross_entropy"), weight="W1[3][0]")


def test_jupyter_representations():
    d = derive(Network([1, 1], ["sigmoid"], "half_sse"))
    assert d._repr_markdown_() == d.markdown()
    latex = d._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}") and latex.count("$$") % 2 == 0
    assert "Hidden layers" in d.markdown() and "no hidden layer" in d.markdown()


def test_cli_writes_the_format_of_the_extension(tmp_path, capsys):
    network = ROOT / "derivations" / "001-nielsen-quadratic" / "network.toml"
    out = tmp_path / "d.tex"
    assert main(["derive", str(network), "--notation", "nielsen", "-o", str(out)]) == 0
    assert out.read_text().startswith("\\documentclass")
    assert main(["derive", str(network), "-o", str(tmp_path / "d.pdf")]) == 2
    assert "pass --format tex or --format md" in capsys.readouterr().err
    assert main(["derive", str(network), "--weight", "W9[0][0]"]) == 2
    assert "the network has layers 1..2" in capsys.readouterr().err


# ----- Every rule of the tables goes through (a softmax hidden layer included) -----
NETWORKS = [
    ([2, 2, 2, 2], ["tanh", "softmax", "softmax"], "sse", 1),  # z_j of a softmax hidden layer feeds every a_i
    ([2, 3, 2], ["leaky_relu", "softmax"], "cross_entropy", 2),
    ([2, 2, 2], ["relu", "linear"], "mae", 1),
    ([3, 1], ["sigmoid"], "binary_cross_entropy", 2),
]


@pytest.mark.parametrize("widths, activations, cost, batch", NETWORKS, ids=["-".join(n[1]) + "-" + n[2] for n in NETWORKS])
def test_derivation_of_every_rule(widths, activations, cost, batch):
    d = derive(Network(widths, activations, cost, batch=batch), notation="ng")
    rows = list(d.rows())
    assert any(row.tag == "BP1" for row in rows) and any(row.tag == "BP4" for row in rows)
    assert d.tex().count("\\begin{align*}") == d.markdown().count("\\begin{aligned}")


# ----- Round trip: every displayed side read back by symbp's LaTeX reader (issue 4) -----
FOLDERS = sorted(regenerate().TABLE)


def reader():
    return pytest.importorskip("symbp.documents.reader", reason="symbp's LaTeX reader (issue 4) is not installed")


def printed_atoms(expr: sp.Basic, names) -> set:
    """The symbols and matrix symbols of ``expr`` that are printed (not inside an object ``names`` prints as a number)."""
    out, stack = set(), [sp.sympify(expr)]
    while stack:
        e = stack.pop()
        if e in names:
            continue
        if isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            out.add(e)
        elif isinstance(e, sp.Lambda):  # a bound variable (f applied entry by entry) is no symbol of the side
            stack.append(e.expr.xreplace({v: sp.S.One for v in e.variables}))
        else:
            stack.extend(e.args)
    return out


def reading_table(d: Derivation, expr: sp.Basic, names) -> dict[str, sp.Basic]:
    """What the reader is told: the printed LaTeX of each symbol and matrix symbol of the side -> that object.

    A matrix symbol of the generic equations (backprop.EQUATIONS) is named by its printed LaTeX, which may be an
    expression (``g'^{[l]}(Z^{[l]})``, ``\\nabla_{a}\\mathcal{L}``, PadhAI's error ``\\frac{\\partial L}{\\partial a_{13}}``):
    the reader reads such a key and gives its object wherever that reading occurs.
    """
    table: dict[str, sp.Basic] = {}
    for atom in printed_atoms(expr, names):
        tex = d.latex(atom)
        assert table.setdefault(tex, atom) == atom, f"{atom} and {table[tex]} both print as {tex}"
    return table


def same(got, want) -> bool:
    """Exact equality of what was read and what was printed (scalars proved, matrix expressions simplified)."""
    from symbp.proof import prove_zero

    if got == want:
        return True
    if isinstance(want, sp.MatrixBase) or isinstance(got, sp.MatrixBase):
        return sp.Matrix(got).shape == sp.Matrix(want).shape and all(
            same(a, b) for a, b in zip(sp.Matrix(got), sp.Matrix(want)))
    if isinstance(want, sp.MatrixExpr) or isinstance(got, sp.MatrixExpr):
        return got.shape == want.shape and (got - want).doit() == sp.ZeroMatrix(*want.shape)
    difference = got - want
    return sp.expand(difference) == 0 or prove_zero(difference).proved


def numbers_of(value) -> list:
    return list(value) if isinstance(value, sp.MatrixBase) else [value]


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_displayed_side_reads_back_equal(folder):
    """Every side of every displayed row, matrix equations included, parses back equal to the printed object.

    Numbers printed in place of symbols (a worked example) and rounded decimals are compared with the row's
    exact final value at the printed precision; everything else must be exactly equal.
    """
    checked, matrices = reads_back(committed(folder)[0])
    assert checked > 80
    assert matrices >= 8  # the forward pass and the backprop equations in matrix form are among them


def reads_back(d: Derivation) -> tuple[int, int]:
    """Read every displayed side of ``d`` back (see above); how many sides, and how many of them matrices."""
    from symbp.backprop import EQUATIONS
    from symbp.printing import plain

    rd = reader()
    checked, matrices, rows = 0, 0, list(d.rows())
    for row in rows:
        if row.tag in EQUATIONS and isinstance(row.lhs, sp.MatrixSymbol):  # the generic equations, as in backprop
            assert row.lhs == EQUATIONS[row.tag].lhs and row.links[0].expr == EQUATIONS[row.tag].rhs
        for expr, link in [(row.lhs, None), *[(link.expr, link) for link in row.links]]:
            names = link.names if link is not None else {}
            tex = d.latex(expr, names)
            got = rd.parse_latex(tex, reading_table(d, expr, names))
            final = row.links[-1].expr
            if names or (link is not None and link.relation == r"\approx"):
                # a number, or numbers put in for symbols: at the 4 significant digits printed
                exact = [sp.N(v, 30) for v in numbers_of(final)]
                read = [sp.N(v, 30) for v in numbers_of(got)]
                assert len(read) == len(exact) and all(abs(a - b) <= 5e-3 * max(1, abs(b)) for a, b in zip(read, exact)), (
                    f"{tex} read back as {got}, shown {final}")
            else:
                assert same(got, plain(expr)), f"{tex} read back as {got}, printed from {plain(expr)}"
            matrices += isinstance(got, (sp.MatrixBase, sp.MatrixExpr))
            checked += 1
    assert checked == sum(1 + len(row.links) for row in rows)
    return checked, matrices


@pytest.mark.parametrize("notation", ["ng", "nielsen", "padhai"])
def test_a_path_sum_never_prints_plus_minus(notation):
    # an ordered product led by a negative factor (-y_2/a_2 ...) is a term subtracted, not "+ -"
    net = Network([2, 3, 2, 2], ["tanh", "leaky_relu", "softmax"], "cross_entropy")
    derivation = derive(net, notation=notation)
    for text in (derivation.markdown(), derivation.tex()):
        assert "+ -" not in text


WIDTHS = [
    # (LaTeX, what a reader sees): every symbol of a derivative counts, a matrix is as wide as its widest row
    (r"\frac{\partial L}{\partial \hat{y}_{1}}", "dy1"),
    (r"\partial L \partial w_{212}", "dLdw212"),
    (r"\left[\begin{matrix}0.9478\\0.8022\\0.8909\end{matrix}\right]", "[0.9478]"),
]


@pytest.mark.parametrize("tex, seen", WIDTHS, ids=[seen for _, seen in WIDTHS])
def test_width_counts_what_a_reader_sees(tex, seen):
    # Undercounting (\partial L read as one command) left rows unbroken that ran into the margin: 000 in the
    # padhai notation overflowed by 0.4pt; overcounting a column vector broke short rows of 003 needlessly.
    from symbp.derivation import width

    assert width(tex) == len(seen)


def test_introduction_counts_layers_and_states_the_options_no_formula_shows():
    # The forward pass prints LeakyReLU(z) without its slope, and "1 layers" read wrong.
    spec = NetworkSpec((2, 1), ("leaky_relu",), "half_sse", options={"leaky_relu_slope": sp.Rational(1, 5)})
    intro = derive(spec).markdown().split("\n")[2]
    assert "2 inputs and 1 layer of units (1 leaky_relu with leaky_relu_slope = 1/5)" in intro


def test_numbers_put_in_for_symbols_reproduce_the_value_they_lead_to():
    # tanh(11/2) = 0.99997 shown as 1.0 made "1 - 1.0^2 ~ 6.68e-5": with cancellation the numbers put in
    # get more digits, until the expression at the numbers as printed is within 1 % of its exact value.
    from symbp.printing import plain
    from symbp.spec import Example

    example = Example({"W1": sp.Matrix([[sp.Rational(11, 2)]]), "b1": sp.Matrix([[0]])},
                      X=sp.Matrix([1]), Y=sp.Matrix([0]), learning_rate=sp.Rational(1, 10))
    d = derive(NetworkSpec((1, 1), ("tanh",), "half_sse", example=example))
    assert "0.9999666" in d.markdown()
    checked = 0
    for row in d.rows():
        for link in row.links:
            if not link.names:
                continue
            printed = {x: sp.Rational(re.sub(r"\\left\(|\\right\)| ", "", text).replace(r"\cdot10^{", "e").rstrip("}"))
                       for x, text in link.names.items()}
            got, exact = plain(link.expr).xreplace(printed), row.links[-1].expr
            assert abs(sp.N(got) - exact) <= sp.Rational(1, 100) * abs(exact), (row, link)
            checked += 1
    assert checked >= 3


def test_a_local_derivative_is_shown_in_its_shortest_form():
    # SymPy's factor made tanh' read -(tanh(z) - 1)(tanh(z) + 1); unfactored it is 1 - tanh^2(z).
    md = derive(NetworkSpec((1, 1), ("tanh",), "half_sse")).markdown()
    assert r"&= 1 - \tanh^{2}{\left(z^{[1]}_{1} \right)} = 1 - \left(a^{[1]}_{1}\right)^{2}" in md


# ----- Targets that sum to 1: softmax with cross-entropy ends at delta = a - y -----
SUM_TO_ONE = [
    ((2, 3), ("softmax",), "cross_entropy", 1, True),
    ((2, 3, 2), ("tanh", "softmax"), "cross_entropy", 2, True),
    ((2, 2), ("sigmoid",), "binary_cross_entropy", 1, False),
    ((2, 3), ("softmax",), "sse", 1, False),
]


@cache
def derived(widths, activations, cost, batch=1, Y=None) -> Derivation:
    example = None
    if Y is not None:  # a one-layer network's worked example: W1 = [[1, 0], [0, 1], [1, 1]]/2, b1 = 0, x = (1, 2)
        example = Example({"W1": sp.Matrix([[1, 0], [0, 1], [1, 1]]) / 2, "b1": sp.zeros(widths[1], 1)},
                          X=sp.Matrix([1, 2]), Y=sp.Matrix(Y))
    return derive(Network.from_spec(NetworkSpec(widths, activations, cost, batch=batch, example=example)))


def output_row(d: Derivation, tag: str) -> Row:
    return next(row for row in d.rows() if row.tag == tag and not isinstance(row.lhs, sp.MatrixSymbol))


@pytest.mark.parametrize("widths, activations, cost, batch, expected", SUM_TO_ONE,
                         ids=["-".join(n[1]) + "-" + n[2] for n in SUM_TO_ONE])
def test_delta_is_a_minus_y_only_where_the_targets_sum_to_one(widths, activations, cost, batch, expected):
    d = derived(widths, activations, cost, batch)
    assumed = [link for row in d.rows() for link in row.links if "sum to 1" in link.how]
    text = d.markdown()
    if not expected:
        assert not assumed and "sum to 1" not in text
        return
    L, n = len(widths) - 1, widths[-1]
    s = StepChecker(NetworkSpec(widths, activations, cost)).symbols
    a1, y = s.A[L][0, 0], list(s.Y)
    bp1 = output_row(d, "BP1")
    *_, before, factored, last = bp1.links
    assert last.expr == a1 - y[0] and "assuming the targets of an example sum to 1" in last.how
    assert "sum to 1" not in factored.how and "sum to 1" not in before.how  # an identity for any targets
    assert sp.Add(*y) in plain(factored.expr).atoms(sp.Add) and sp.expand(plain(factored.expr) - (a1 * sp.Add(*y) - y[0])) == 0
    # the weight's chain rule ends at (a - y) times its input, and BP1s / V1s at the output at a - y, A - Y
    grad = next(row for row in d.rows() if isinstance(row.lhs, sp.Derivative) and len(row.links) > 2)
    assert sp.expand(plain(grad.links[-1].expr) - (a1 - y[0]) * s.A[L - 1][1, 0]) == 0
    assert len(assumed) == 4 and "y_{1} + y_{2}" in text  # dC/dw, BP1, and BP1s, V1s at the output and "the targets of an example sum to 1" in text
    assert rf"\delta^{{[{L}]}} &= a^{{[{L}]}} - y" in text and rf"dZ^{{[{L}]}} &= A^{{[{L}]}} - Y" in text


def test_a_wrong_use_of_the_targets_sum_is_refused():
    ck = StepChecker(NetworkSpec((2, 3), ("softmax",), "cross_entropy"))
    (a1, a2, a3), (y1, y2, y3) = ck.symbols.A[1], ck.symbols.Y
    factored = a1 * (y1 + y2 + y3) - y1
    assert ck.prove(ck.delta(1, 1), factored)  # for any targets
    assert "sum to 1" in ck.prove(factored, a1 - y1, targets_sum_to_one=True)
    assert "sum to 1" in ck.prove(ck.delta(1, 3), a3 - y3, targets_sum_to_one=True)
    with pytest.raises(DerivationError, match="not proved"):  # it needs the assumption
        ck.prove(factored, a1 - y1)
    for wrong in (a1 - y2, a1 + y1 - 1, a1 * (y1 + y2) - y1, a2 - y1):
        with pytest.raises(DerivationError, match="not proved; assuming the targets"):
            ck.prove(ck.delta(1, 1), wrong, targets_sum_to_one=True, step="a wrong simplification")
    with pytest.raises(DerivationError, match="does not make them a distribution"):
        StepChecker(NetworkSpec((2, 3), ("softmax",), "sse")).prove(ck.delta(1, 1), a1 - y1, targets_sum_to_one=True)


def test_a_wrong_simplification_stops_the_derivation(monkeypatch):
    from symbp import derivation_targets

    right = derivation_targets.sum_to_one
    y1, y2 = sp.symbols("y_{1} y_{2}", real=True)

    def wrong(ctx, expr):  # a - y_2 where a - y_1 is right
        found = right(ctx, expr)
        return found and (found[0], found[1].xreplace({y1: y2}))

    monkeypatch.setattr(derivation_targets, "sum_to_one", wrong)
    with pytest.raises(DerivationError, match="not proved; assuming the targets of an example sum to 1"):
        derive(Network([2, 3], ["softmax"], "cross_entropy"))


def torch_output_error(Y) -> tuple[float, float]:
    """dL/dz_1 by PyTorch's autograd at the example of :func:`derived`, and a_1 - y_1 there (exact, then float)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the independent oracle: pip install torch")
    W = torch.tensor([[1, 0], [0, 1], [1, 1]], dtype=torch.float64) / 2
    z = (W @ torch.tensor([1.0, 2.0], dtype=torch.float64)).requires_grad_()
    loss = -(torch.tensor(Y, dtype=torch.float64) * torch.log_softmax(z, 0)).sum()
    loss.backward()
    ck = StepChecker(NetworkSpec((2, 3), ("softmax",), "cross_entropy"))
    point = ck.point({"W1": sp.Matrix([[1, 0], [0, 1], [1, 1]]) / 2, "b1": sp.zeros(3, 1)}, sp.Matrix([1, 2]),
                     sp.Matrix(Y))
    return float(z.grad[0]), float((ck.symbols.A[1][0, 0] - ck.symbols.Y[0, 0]).xreplace(point))


def test_the_step_is_taken_at_a_worked_example_only_when_its_targets_sum_to_one():
    one_hot, doubled = (0, 1, 0), (1, 1, 0)
    d = derived((2, 3), ("softmax",), "cross_entropy", 1, one_hot)
    assert "sum to 1" in output_row(d, "BP1").links[-1].how
    autograd, shown = torch_output_error(one_hot)
    assert shown == pytest.approx(autograd, rel=1e-12)
    d = derived((2, 3), ("softmax",), "cross_entropy", 1, doubled)
    assert not [link for row in d.rows() for link in row.links if "sum to 1" in link.how]
    assert "do not all sum to 1 (per example: 2)" in d.markdown()
    autograd, shown = torch_output_error(doubled)
    assert abs(shown - autograd) > 0.1  # a - y would have been wrong here


def test_a_softmax_cross_entropy_derivation_reads_back():
    checked, matrices = reads_back(derived((2, 3, 2), ("tanh", "softmax"), "cross_entropy", 2))
    assert checked > 80 and matrices >= 8


def test_an_incomplete_worked_example_is_named_not_silently_dropped():
    # the README's network file gives W1, b1 and X only: derive printed no numbers and did not say why
    example = Example({"W1": sp.Matrix([[sp.Rational(1, 2), -1]]), "b1": sp.Matrix([[0]])}, X=sp.Matrix([2, 1]),
                      Y=None, learning_rate=sp.Integer(1))
    text = derive(Network.from_spec(NetworkSpec((2, 1, 1), ("sigmoid", "sigmoid"), "half_sse", example=example))).markdown()
    assert "Worked example" not in text
    assert "[example] table lacks W2, b2, Y" in " ".join(text.split())
    complete = Example({**example.params, "W2": sp.Matrix([[1]]), "b2": sp.Matrix([[0]])}, X=example.X,
                       Y=sp.Matrix([1]), learning_rate=sp.Integer(1))
    text = derive(Network.from_spec(NetworkSpec((2, 1, 1), ("sigmoid", "sigmoid"), "half_sse", example=complete))).markdown()
    assert "Worked example" in text and "lacks" not in text
