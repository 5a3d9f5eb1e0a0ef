"""A constant activation (a step: its derivative is 0 away from its kink) in the matrix path.

No gradient reaches the layers below it: dZ = dA ⊙ 0. The matrix check proves V1 for it, and the
compiled and generated code return zero gradients there. Both crashed: lowering read dA ⊙ 0 as a
matrix product (`codegen`: internal error), and the matrix check did not see 0 as a map's body.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import symbp
from symbp.compile import module_source
from symbp.matrixcheck import check_matrix

STEP_NET = """widths = [2, 3, 1]
activations = ["stepz", "sigmoid"]
cost = "half_sse"
batch = 4

[custom_activations.stepz]
forward = "step(z)"
derivative = "0"
"""


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    path = tmp_path_factory.mktemp("step") / "network.toml"
    path.write_text(STEP_NET)
    return symbp.Network.from_toml(path)


def _point(dtype, m=4):
    rng = np.random.default_rng(3)
    params = {"W1": rng.standard_normal((3, 2)), "b1": np.array([[1.0], [-1.0], [0.5]]),  # some units fire
              "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    X, Y = rng.standard_normal((2, m)), rng.standard_normal((1, m))
    return {k: v.astype(dtype) for k, v in params.items()}, X.astype(dtype), Y.astype(dtype)


def test_the_matrix_check_proves_every_equation(net):
    report = check_matrix(net.spec)
    assert report.ok, report.summary() if hasattr(report, "summary") else report


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_compiled_gradients_are_zero_below_the_step_and_match_autodiff(net, dtype):
    params, X, Y = _point(dtype)
    got = symbp.lambdify(net, dtype=dtype)(params, X, Y)
    expected = net.numeric_gradients({k: v.astype("float64") for k, v in params.items()},
                                     X.astype("float64"), Y.astype("float64"))
    assert not got["W1"].any() and not got["b1"].any()
    assert got["W2"].any()
    for key in params:
        assert got[key].shape == params[key].shape and got[key].dtype == np.dtype(dtype)
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-7)


def test_generated_module_runs_for_one_example_and_a_batch(net, tmp_path):
    path = tmp_path / "grads.py"
    path.write_text(module_source(net, "float64"))
    spec = importlib.util.spec_from_file_location("grads", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for m in (1, 4):
        params, X, Y = _point("float64", m)
        grads = module.gradients(params, X, Y)
        assert grads["W1"].shape == (3, 2) and not grads["W1"].any()
        np.testing.assert_allclose(grads["W2"], symbp.lambdify(net)(params, X, Y)["W2"], rtol=1e-12)
