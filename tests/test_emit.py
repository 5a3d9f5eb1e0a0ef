"""NumPy printing of lowered statements (symbp.emit): kernels, and in-place code that is safe."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from symbp.compile import module_source
from symbp.emit import KernelPrinter
from symbp.functions import define_function, leaky_relu, relu, sigmoid
from symbp.network import Network

from .cases import architectures

z = sp.Symbol("Z1", real=True)


@pytest.mark.parametrize(
    "expr, expected",
    [
        (sigmoid(z), "sigmoid(Z1)"),
        (relu(z), "np.maximum(Z1, 0.0)"),
        (leaky_relu(z, sp.Rational(1, 5)), "np.maximum(Z1, 0.2*Z1)"),
        (sp.exp(z) / z, "np.exp(Z1)/Z1"),
        (define_function("softsign_demo", lambda u: u / (1 + sp.Abs(u)))(z), "Z1/(abs(Z1) + 1.0)"),
    ],
)
def test_kernel_printer(expr, expected):
    assert KernelPrinter().doprint(expr).replace("np.abs", "abs") == expected


@pytest.mark.parametrize("widths, activations, cost, m", architectures(), ids=lambda v: str(v))
def test_generated_code_never_writes_into_its_arguments(widths, activations, cost, m):
    source = module_source(Network(widths, activations, cost))
    arguments = {"X", "Y", *(f"{p}{l}" for l in range(1, len(widths)) for p in "Wb")}
    written = set(re.findall(r"out=(\w+)", source)) | set(re.findall(r"^\s*(\w+) [-+*/]=", source, re.M))
    assert not written & arguments


def test_sigma_prime_is_computed_in_place_from_the_stored_activation():
    source = module_source(Network([784, 256, 256, 10], ["sigmoid", "sigmoid", "softmax"], "cross_entropy"))
    body = source[source.index("def gradients"):]
    assert "A1 = sigmoid(Z1, out=Z1)" in body
    assert "np.subtract(1.0, A1, out=A1)" in body  # A1's last use: no new array
    assert "dW1 = dZ1 @ X.T if m > 1 else np.einsum('i,j->ij', dZ1[:, 0], X[:, 0])" in body


def test_a_large_outer_product_for_one_example_is_written_by_einsum_with_the_same_numbers():
    """dW1 of a 784-256 layer for m = 1: broadcasting ran its loop per row (127 us), np.einsum once (87 us)."""
    import numpy as np

    from symbp.compile import lambdify

    net = Network([784, 256, 256, 10], ["sigmoid", "sigmoid", "softmax"], "cross_entropy")
    body = module_source(net)[module_source(net).index("def gradients"):]
    assert "dW2 = dZ2 @ A1.T if m > 1 else np.einsum('i,j->ij', dZ2[:, 0], A1[:, 0])" in body
    assert "dW3 = dZ3 @ A2.T if m > 1 else np.multiply(dZ3, A2.T)" in body  # 2,560 entries: broadcasting
    rng = np.random.default_rng(0)
    for dtype in ("float64", "float32"):
        grad = lambdify(net, dtype=dtype)
        shapes = {"W1": (256, 784), "b1": (256, 1), "W2": (256, 256), "b2": (256, 1), "W3": (10, 256), "b3": (10, 1)}
        params = {k: rng.standard_normal(shape).astype(dtype) for k, shape in shapes.items()}
        X, Y = rng.standard_normal((784, 1)).astype(dtype), np.eye(10, 1, dtype=dtype)
        got = grad(params, X, Y)
        dZ1 = got["b1"]  # for one example, db1 is dZ1 itself
        assert got["W1"].dtype == dtype and got["W1"].flags.c_contiguous
        assert np.array_equal(got["W1"], np.multiply(dZ1, X.T))  # one product per entry: the same numbers


def test_thin_products_are_printed_padded_for_large_batches():
    source = module_source(Network([784, 30, 10], ["sigmoid", "softmax"], "cross_entropy"))
    body = source[source.index("def gradients"):]
    assert "Z1 = (pad_rows(W1, 32) @ X)[:30] if m >= 84 else W1 @ X\n" in body
    assert "dW1 = (pad_rows(dZ1, 32) @ X.T)[:30] if m >= 84 else dZ1 @ X.T if m > 1 else np.multiply(dZ1, X.T)\n" in body
    assert "#   for m >= 84: W1 padded to 32 rows" in body  # the choice is said where it is made
    assert body.count("pad_rows(") == 2 and "def pad_rows(a, rows):" in source  # copied into the standalone module


def test_one_example_skips_the_mean_and_copies_instead_of_summing():
    import numpy as np

    from symbp.compile import lambdify

    net = Network([5, 3, 2], ["sigmoid", "softmax"], "cross_entropy")
    body = module_source(net)[module_source(net).index("def gradients"):]
    assert "if m > 1:\n        dZ2 *= 1/m\n" in body
    assert "db1 = np.add.reduce(dZ1, 1, keepdims=True) if m > 1 else dZ1.copy()\n" in body
    rng = np.random.default_rng(3)
    params = {"W1": rng.standard_normal((3, 5)), "b1": rng.standard_normal((3, 1)),
              "W2": rng.standard_normal((2, 3)), "b2": rng.standard_normal((2, 1))}
    X, Y = rng.standard_normal((5, 1)), np.array([[1.0], [0.0]])
    grads = lambdify(net)(params, X, Y)
    exact = net.numeric_gradients(params, X, Y)  # the per-element autodiff, evaluated
    for name in params:
        np.testing.assert_allclose(grads[name], exact[name], rtol=1e-12, atol=1e-15)
    arrays = list(grads.values())  # no result shares memory with another (each may be updated in place)
    assert not any(np.shares_memory(a, b) for i, a in enumerate(arrays) for b in arrays[i + 1:])


# ----- From a review: a user activation whose formula is a sum or product, inside a larger formula -----
_elu = define_function("elu_emit_demo", lambda u: sp.Max(u, 0) + sp.Min(0, sp.exp(u) - 1))
_swish = define_function("swish_emit_demo", lambda u: u * sigmoid(u))
_y = sp.Symbol("Y", real=True)


@pytest.mark.parametrize(
    "expr",
    [_y - _elu(z), sp.cosh(_y - _elu(z)), 2 * _elu(z) ** 2, sp.cosh(_swish(z) ** 2), sp.cosh(_y / _swish(z))],
    ids=["minus-sum", "cosh-minus-sum", "square-of-sum", "square-of-product", "over-product"],
)
def test_a_user_activation_prints_as_one_operand(expr):
    """``Y - elu(Z1)`` printed ``Y - np.maximum(0.0, Z1) + np.minimum(...)``: the sign of the second term was lost."""
    import numpy as np

    from symbp import numerics

    code = KernelPrinter().doprint(expr)
    namespace = {"np": np, **numerics.KERNELS}
    for value in (-0.7, 1.3):
        exec(f"result = {code}", namespace, scope := {"Z1": np.array([value]), "Y": np.array([0.25])})  # our printed code
        exact = float(expr.subs({z: value, _y: 0.25}).evalf(30))
        assert float(scope["result"][0]) == pytest.approx(exact, rel=1e-12), code


def test_numeric_factors_are_one_constant_in_the_generated_code():
    import symbp

    symbp.register_activation("gelu_emit_demo", "z*(1+erf(z/sqrt(2)))/2",
                              "(1+erf(z/sqrt(2)))/2 + z*exp(-z**2/2)/sqrt(2*pi)")
    source = symbp.lambdify(symbp.Network([3, 4, 2], ["gelu_emit_demo", "sigmoid"], "half_sse")).source
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))
    assert "0.7071067811865476*Z1" in code and "0.3989422804014327" in code  # sqrt(2)/2 and 1/sqrt(2 pi)
    assert not re.search(r"\bt\d+ = [0-9.]+$", code, re.M)  # no temporary holding a bare constant
    assert "(0.5)" not in code and "1.4142135623730951" not in code
