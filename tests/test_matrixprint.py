"""Plain text of the matrix-form derivation (symbp.matrixprint): golden strings."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.matrixexpr import ElementwiseMap
from symbp.matrixprint import format_matrix_derivation, text
from symbp.network import Network
from symbp.spec import NetworkSpec

from .conftest import DERIVATIONS

n, m = sp.symbols("n_2 m", integer=True, positive=True)
dZ, A = sp.MatrixSymbol("dZ^{[2]}", n, m), sp.MatrixSymbol("A^{[1]}", n, m)
a, y = sp.symbols("a y", real=True)


@pytest.mark.parametrize(
    "expr, expected",
    [
        (dZ * A.T / m, "(1/m) dZ^{[2]} A^{[1]T}"),
        (dZ * sp.OneMatrix(m, 1) / m, "(1/m) dZ^{[2]} 1_m"),
        (sp.OneMatrix(1, n) * dZ, "1_{n_2}^T dZ^{[2]}"),
        (sp.HadamardProduct(dZ, A), "dZ^{[2]} ⊙ A^{[1]}"),
        (sp.MatrixSymbol("X", n, m).T, "X^T"),
        (ElementwiseMap(sp.Lambda((a, y), -y / a), A, dZ), "[-dZ^{[2]}/A^{[1]}]"),
        (ElementwiseMap(sp.Lambda(a, sp.Piecewise((1, a > 0), (0, True))), A), "[(1 if A^{[1]} > 0 else 0)]"),
    ],
)
def test_text(expr, expected):
    assert text(expr) == expected


def test_derivation_of_the_benchmark_network():
    out = format_matrix_derivation(NetworkSpec((784, 30, 10), ("sigmoid", "softmax"), "cross_entropy"))
    lines = [" ".join(line.split()) for line in out.splitlines()]
    for expected in [
        "Z^{[1]} = W^{[1]} X + b^{[1]} 1_m^T n_1 x m",
        "A^{[1]} = [sigmoid(Z^{[1]})] n_1 x m",
        "s^{[2]} = 1_{n_2}^T E^{[2]} 1 x m",
        "C = (1/m) 1_{n_2}^T [-Y*log(A^{[2]})] 1_m 1 x 1",
        "dA^{[2]} = [-Y/A^{[2]}] n_2 x m = cost cross_entropy (dl/da)",
        "dZ^{[2]} = dE^{[2]} ⊙ E^{[2]} n_2 x m = V1s",
        "dW^{[2]} = (1/m) dZ^{[2]} A^{[1]T} n_2 x n_1 = V2",
        "db^{[2]} = (1/m) dZ^{[2]} 1_m n_2 x 1 = V3",
        "dA^{[1]} = W^{[2]T} dZ^{[2]} n_1 x m = V4",
        "dZ^{[1]} = dA^{[1]} ⊙ [exp(-Z^{[1]})/(1 + exp(-Z^{[1]}))**2] n_1 x m = V1",
        "dW^{[1]} = (1/m) dZ^{[1]} X^T n_1 x n_0 = V2",
        "equations: 9/9 derived assignments proved to be the hand-derived ones",
    ]:
        assert expected in lines, expected
    assert "n_0 = 784, n_1 = 30, n_2 = 10" in out


@pytest.mark.parametrize("toml", sorted(DERIVATIONS.glob("*/network.toml")), ids=lambda p: p.parent.name)
def test_every_shipped_network_prints_with_every_equation_proved(toml):
    out = format_matrix_derivation(Network.from_toml(toml).spec)
    assert "Backward pass" in out and ": refuted" not in out and ": mismatch" not in out
    counts = [line for line in out.splitlines() if line.strip().startswith("equations:")][0].split()[1]
    proved, total = counts.split("/")
    assert proved == total
