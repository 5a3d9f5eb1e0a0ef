"""Compiled NumPy gradients (symbp.compile): lambdify, the per-element path, codegen.

Oracles: the core's per-element symbolic autodiff evaluated at the same numbers
(``Network.numeric_gradients``, independent of the matrix path), PyTorch autograd
when installed, and a generated module imported in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
import sympy as sp

from symbp import Network
from symbp.cli import main
from symbp.compile import lambdify, lambdify_elements, module_source
from symbp.errors import ShapeError, SymbpError

from .cases import architectures

CASES = architectures()


def problem(widths, m, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    params = {f"{p}{l}": rng.standard_normal((widths[l], widths[l - 1] if p == "W" else 1)).astype(dtype) for l in range(1, len(widths)) for p in "Wb"}
    X = rng.standard_normal((widths[0], m)).astype(dtype)
    Y = rng.random((widths[-1], m)).astype(dtype)
    return params, X, Y


def close(got, expected, rtol):
    scale = 1 + max(float(np.abs(v).max()) for v in expected.values())
    return max(float(np.abs(got[k].astype(np.float64) - expected[k]).max()) for k in expected) <= rtol * scale


@pytest.mark.parametrize("widths, activations, cost, m", CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_lambdify_equals_the_per_element_autodiff(widths, activations, cost, m):
    net = Network(widths, activations, cost, batch=m)
    params, X, Y = problem(widths, m)
    inputs = ({k: v.copy() for k, v in params.items()}, X.copy(), Y.copy())
    grad = lambdify(net)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = grad(params, X, Y)
    assert sorted(got) == sorted(params) and all(got[k].shape == params[k].shape for k in params)
    assert close(got, net.numeric_gradients(params, X, Y), 1e-12)
    assert grad.cost(params, X, Y) == pytest.approx(net.numeric_cost(params, X, Y), rel=1e-12, abs=1e-14)
    # the in-place code never writes into its arguments
    assert all(np.array_equal(params[k], inputs[0][k]) for k in params) and np.array_equal(X, inputs[1]) and np.array_equal(Y, inputs[2])


def test_forward_is_the_networks_output():
    widths, m = (3, 4, 2), 3
    net = Network(widths, ["tanh", "softmax"], "cross_entropy", batch=m)
    params, X, _ = problem(widths, m)
    values = {s: v for name, M in net.parameters().items() for s, v in zip(M, params[name].ravel())}
    values.update(zip(net.symbols.X, X.ravel()))
    expected = np.array(net.forward.a(2).xreplace({k: sp.Float(v, 30) for k, v in values.items()}).evalf(), dtype=float)
    assert np.allclose(lambdify(net).forward(params, X), expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("m", [1, 2, 7])
def test_one_function_for_every_batch_size_and_float32(m):
    widths = (4, 5, 3)
    net = Network(widths, ["relu", "softmax"], "cross_entropy")
    params, X, Y = problem(widths, m, seed=m)
    expected = Network(widths, ["relu", "softmax"], "cross_entropy", batch=m).numeric_gradients(params, X, Y)
    assert close(lambdify(net)(params, X, Y), expected, 1e-12)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    got = lambdify(net, dtype="float32")(p32, X.astype(np.float32), Y.astype(np.float32))
    assert all(v.dtype == np.float32 for v in got.values())
    assert close(got, expected, 1e-5)


@pytest.mark.parametrize("widths, activations, cost, m", CASES[::5], ids=[f"{c[1]}-{c[2]}" for c in CASES[::5]])
def test_per_element_path_with_shared_subexpressions_agrees(widths, activations, cost, m):
    net = Network(widths, activations, cost)
    params, X, Y = problem(widths, m + 2, seed=3)
    assert close(lambdify_elements(net)(params, X, Y), lambdify(net)(params, X, Y), 1e-12)


def test_per_element_path_refuses_a_network_too_large_and_points_to_the_matrix_path():
    with pytest.raises(SymbpError, match="lambdify"):
        lambdify_elements(Network([784, 256, 256, 10], ["sigmoid", "sigmoid", "softmax"], "cross_entropy"))


# ----- Padded products (lowering.padding) -----
#: W1 X and dZ1 X^T (30 rows, third size 200) and W2^T dZ2 (30 rows, third size 100) get 2 zero rows for large m
PADDED = ((200, 30, 100, 10), ["sigmoid", "sigmoid", "softmax"], "cross_entropy")


@pytest.mark.parametrize("dtype, least, rtol", [("float64", (328, 656), 1e-12), ("float32", (1311, 2622), 1e-5)])
def test_padded_products_give_the_plain_products_gradients(dtype, least, rtol):
    widths, activations, cost = PADDED
    grad = lambdify(Network(widths, activations, cost), dtype=dtype)
    body = grad.source[grad.source.index("def gradients"):]
    assert body.count(f"if m >= {least[0]} else") == 2 and body.count(f"if m >= {least[1]} else") == 1
    m = least[1] + 44  # every one padded
    params, X, Y = problem(widths, m, dtype=dtype, seed=7)
    got = grad(params, X, Y)
    assert all(got[k].shape == params[k].shape and got[k].dtype == np.dtype(dtype) and got[k].flags.c_contiguous for k in params)
    # Oracle: the mean over the m examples is the weighted mean of the means over pieces of fewer than
    # least[0] examples, each computed without padding
    starts = range(0, m, least[0] - 1)
    pieces = [(min(m, j + least[0] - 1) - j, grad(params, X[:, j : j + least[0] - 1], Y[:, j : j + least[0] - 1])) for j in starts]
    expected = {k: sum(n * g[k].astype(np.float64) for n, g in pieces) / m for k in params}
    assert close(got, expected, rtol)


def test_the_standalone_module_carries_the_padding_kernel():
    widths, activations, cost = PADDED
    namespace: dict = {}
    exec(compile(module_source(Network(widths, activations, cost)), "<generated>", "exec"), namespace)  # our own output
    params, X, Y = problem(widths, 700, seed=8)
    grad = lambdify(Network(widths, activations, cost))
    got, expected = namespace["gradients"](params, X, Y), grad(params, X, Y)
    assert all(np.array_equal(got[k], expected[k]) for k in expected)


# ----- Errors -----
GOOD = problem((3, 4, 2), 5)


def _with(name, value):
    params, X, Y = ({k: v for k, v in GOOD[0].items()}, GOOD[1], GOOD[2])
    if name in ("X", "Y"):
        return (params, value, Y) if name == "X" else (params, X, value)
    if value is None:
        del params[name]
    else:
        params[name] = value
    return params, X, Y


@pytest.mark.parametrize(
    "args, message",
    [
        (_with("W1", np.zeros((3, 4))), r"W1: expected shape \(4, 3\)"),
        (_with("b2", np.zeros((2,))), r"b2: expected shape \(2, 1\)"),
        (_with("W2", np.zeros((2, 4), dtype=np.float32)), "W2: expected dtype float64"),
        (_with("W1", [[0.0] * 3] * 4), r"W1: expected a NumPy array \(np\.ndarray\) of shape"),
        (_with("W1", np.zeros((4, 3)).view(np.matrix)), r"W1: expected a NumPy array .* got matrix"),
        (_with("Y", None), r"Y: expected a NumPy array \(np\.ndarray\) of shape \(2, 5\) .* got NoneType"),
        (_with("b1", None), "params: missing b1"),
        (_with("X", np.zeros((4, 5))), r"X: expected shape \(3, m\)"),
        (_with("Y", np.zeros((2, 4))), r"Y: expected shape \(2, 5\)"),
        (_with("X", np.zeros((3, 0))), "m >= 1"),
    ],
)
def test_bad_arguments_name_the_parameter_and_what_was_expected(args, message):
    grad = lambdify(Network([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy"))
    with pytest.raises(ShapeError, match=message):
        grad(*args)


def test_unknown_dtype():
    with pytest.raises(ShapeError, match="float64, float32"):
        lambdify(Network([2, 1], ["linear"], "sse"), dtype="int8")


# ----- Independent oracle: PyTorch -----
TORCH_CASES = [((4, 5, 3), ["sigmoid", "softmax"], "cross_entropy"), ((3, 4, 1), ["tanh", "sigmoid"], "binary_cross_entropy"), ((3, 4, 2), ["relu", "linear"], "mse")]


@pytest.mark.parametrize("widths, activations, cost", TORCH_CASES)
def test_pytorch_autograd_agrees(widths, activations, cost):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional oracle: pip install torch==2.13.0")
    params, X, Y = problem(widths, 6, seed=11)
    leaves = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z, "softmax": lambda z: torch.softmax(z, dim=0)}
    A = torch.tensor(X)
    for l, name in enumerate(activations, start=1):
        A = act[name](leaves[f"W{l}"] @ A + leaves[f"b{l}"])
    T = torch.tensor(Y)
    loss = {
        "cross_entropy": lambda: -(T * torch.log(A)).sum(),
        "binary_cross_entropy": lambda: -(T * torch.log(A) + (1 - T) * torch.log(1 - A)).sum(),
        "mse": lambda: ((A - T) ** 2).sum() / widths[-1],
    }[cost]() / X.shape[1]
    loss.backward()
    expected = {k: v.grad.numpy() for k, v in leaves.items()}
    assert close(lambdify(Network(widths, activations, cost))(params, X, Y), expected, 1e-12)


# ----- Code generation -----
def test_codegen_module_runs_without_sympy_in_a_fresh_process(tmp_path):
    toml = tmp_path / "net.toml"
    toml.write_text('widths = [4, 5, 3]\nactivations = ["tanh", "softmax"]\ncost = "cross_entropy"\n')
    out = tmp_path / "grads.py"
    assert main(["codegen", str(toml), "-o", str(out)]) == 0
    source = out.read_text()
    assert all(name in source for name in ("dZ2 =", "dW2 =", "db1 =", "def forward(params, X):", "def cost(params, X, Y):"))
    params, X, Y = problem((4, 5, 3), 4, seed=5)
    np.savez(tmp_path / "inputs.npz", X=X, Y=Y, **params)
    script = (
        "import json, sys, numpy as np\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import grads\n"
        f"d = dict(np.load({str(tmp_path / 'inputs.npz')!r}))\n"
        "X, Y = d.pop('X'), d.pop('Y')\n"
        "g = grads.gradients(d, X, Y)\n"
        f"np.savez({str(tmp_path / 'out.npz')!r}, A=grads.forward(d, X), **g)\n"
        "print(json.dumps({'cost': grads.cost(d, X, Y), 'modules': sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'symbp'))}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["modules"] == []
    grad = lambdify(Network([4, 5, 3], ["tanh", "softmax"], "cross_entropy"))
    saved = dict(np.load(tmp_path / "out.npz"))
    expected = grad(params, X, Y)
    assert all(np.array_equal(saved[k], expected[k]) for k in expected)
    assert np.array_equal(saved["A"], grad.forward(params, X))
    assert report["cost"] == grad.cost(params, X, Y)


def test_codegen_bad_output_path_is_a_clean_error(tmp_path, capsys):
    toml = tmp_path / "net.toml"
    toml.write_text('widths = [2, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n')
    assert main(["codegen", str(toml), "-o", str(tmp_path / "grads.txt")]) == 2
    assert "must be a Python file" in capsys.readouterr().err


def test_module_source_is_readable_python():
    source = module_source(Network([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy"))
    compile(source, "<generated>", "exec")
    assert "# dZ^{[1]} = dA^{[1]} ⊙" in source and "import sympy" not in source


def test_a_registered_activation_compiles_and_stays_finite():
    from symbp.rules import RuleSet, make_activation

    swish = make_activation("swish_compile_demo", "z * sigmoid(z)", "sigmoid(z) * (1 + z * (1 - sigmoid(z)))")
    net = Network([3, 4, 2], ["swish_compile_demo", "softmax"], "cross_entropy", rules=RuleSet({"swish_compile_demo": swish}))
    grad = lambdify(net)
    params, X, Y = problem((3, 4, 2), 3, seed=2)
    got = grad(params, X, Y)
    h = 1e-6  # central differences of the compiled cost (a separately lowered function) as the oracle
    for name, value in params.items():
        for index in np.ndindex(value.shape):
            plus, minus = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
            plus[name][index] += h
            minus[name][index] -= h
            assert got[name][index] == pytest.approx((grad.cost(plus, X, Y) - grad.cost(minus, X, Y)) / (2 * h), abs=1e-7)
    params["W1"] *= 1000.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert all(np.isfinite(v).all() for v in grad(params, X, Y).values())


# ----- From a review: user rules with steps, erf and max; float32 kept float32 -----
USER_RULES = [
    ("myabs", "z*sign(z)", "sign(z)"),  # SymPy's derivative brings DiracDelta(z)
    ("myrelu", "z*step(z)", "step(z)"),
    ("gelu_demo", "z*(1+erf(z/sqrt(2)))/2", "(1+erf(z/sqrt(2)))/2 + z*exp(-z**2/2)/sqrt(2*pi)"),
    ("sqmax", "max(z, 0)**2", "2*max(z, 0)"),
    ("sqrelu", "relu(z)**2", "2*relu(z)"),  # needs [z > 0]^2 = [z > 0]
]


@pytest.mark.parametrize("name, forward, derivative", USER_RULES, ids=[r[0] for r in USER_RULES])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_user_rules_with_steps_erf_and_max_check_and_compile(name, forward, derivative, dtype):
    import symbp

    symbp.register_activation(name, forward, derivative)
    net = symbp.Network([2, 3, 2], [name, "sigmoid"], "half_sse", batch=3)
    assert net.check().ok  # proved exactly; the steps' DiracDelta is 0 away from the kink
    rng = np.random.default_rng(5)
    params = {f"{p}{l}": rng.standard_normal((net.spec.widths[l], net.spec.widths[l - 1] if p == "W" else 1))
              for l in (1, 2) for p in "Wb"}
    X, Y = rng.standard_normal((2, 3)), rng.random((2, 3))
    exact = net.numeric_gradients(params, X, Y)
    got = symbp.lambdify(net, dtype)({k: v.astype(dtype) for k, v in params.items()}, X.astype(dtype), Y.astype(dtype))
    for key in exact:
        assert got[key].dtype == np.dtype(dtype), key  # no constant or np.where turned float32 into float64
        np.testing.assert_allclose(got[key], exact[key], rtol=1e-4 if dtype == "float32" else 1e-10, atol=1e-6)


def test_a_relu_output_with_mae_stays_float32():
    import symbp

    net = symbp.Network([1, 4], ["relu"], "mae")
    rng = np.random.default_rng(1)
    params = {"W1": rng.standard_normal((4, 1)).astype("float32"), "b1": rng.standard_normal((4, 1)).astype("float32")}
    got = symbp.lambdify(net, "float32")(params, rng.standard_normal((1, 5)).astype("float32"),
                                         rng.standard_normal((4, 5)).astype("float32"))
    assert {v.dtype for v in got.values()} == {np.dtype("float32")}


# ----- From a review: a network keeps the rules it was built with -----
@pytest.mark.parametrize("compiler", [lambdify, lambdify_elements], ids=["matrix", "elements"])
def test_a_network_compiles_its_own_rule_after_the_name_is_registered_again(compiler):
    import symbp

    X, Y = np.array([[0.5, 2.0]]), np.zeros((1, 2))
    params = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    symbp.register_activation("review_reregistered", "tanh(z)", "1 - a**2", overwrite=True)
    net = Network([1, 1], ["review_reregistered"], "half_sse")
    symbp.register_activation("review_reregistered", "z**3", "3*z**2", overwrite=True)
    # half_sse of tanh: dC/dW = mean(tanh(x) (1 - tanh(x)^2) x); z**3 would give mean(3 x^6)
    expected = np.mean(np.tanh(X) * (1 - np.tanh(X) ** 2) * X)
    assert compiler(net)(params, X, Y)["W1"][0, 0] == pytest.approx(expected, rel=1e-12)


def test_a_cost_applied_to_a_user_activation_whose_formula_is_a_sum():
    """log(cosh(y - elu(z))) was printed as log(cosh(Y - max(0, Z1) + min(0, exp(Z1) - 1))): a wrong cost."""
    from symbp.rules import RuleSet, make_activation, make_cost

    elu = make_activation("elu_compile_demo", "max(z, 0) + min(0, exp(z) - 1)", "step(z) + (1 - step(z))*exp(z)")
    logcosh = make_cost("logcosh_compile_demo", "log(cosh(a - y))", "tanh(a - y)")
    net = Network([2, 3], ["elu_compile_demo"], "logcosh_compile_demo", batch=4,
                  rules=RuleSet({"elu_compile_demo": elu}, {"logcosh_compile_demo": logcosh}))
    params, X, Y = problem((2, 3), 4, seed=1)
    assert lambdify(net).cost(params, X, Y) == pytest.approx(net.numeric_cost(params, X, Y), rel=1e-12)


def test_a_softmax_cost_whose_gradient_reads_the_logits_compiles_without_the_shift():
    """A focal loss on a softmax output: check proved it, but codegen stopped with an internal error
    (NotImplementedError: E^{[2]} is shifted but ['dZ2'] read its argument)."""
    from symbp.rules import RuleSet, make_cost

    focal = make_cost("focal_compile_demo", "-(1 - a)**2*y*log(a)", "2*(1 - a)*y*log(a) - (1 - a)**2*y/a",
                      output_activations=["softmax"])
    net = Network([3, 4, 3], ["tanh", "softmax"], "focal_compile_demo", batch=5,
                  rules=RuleSet(local_costs={"focal_compile_demo": focal}))
    params, X, Y = problem((3, 4, 3), 5, seed=3)
    grad = lambdify(net)
    assert close(grad(params, X, Y), net.numeric_gradients(params, X, Y), 1e-12)
    assert grad.cost(params, X, Y) == pytest.approx(net.numeric_cost(params, X, Y), rel=1e-12)
    assert "E2_max" in lambdify(Network([3, 4, 3], ["tanh", "softmax"], "cross_entropy")).source  # built-ins keep it


def test_the_standalone_module_is_laid_out_as_pep8_asks():
    """From a review: ``class ShapeError`` followed ``SHAPES = ...`` on the next line, and the docstrings of
    the copied kernels ended in a blank line where their examples had been cut."""
    import ast
    import re

    source = module_source(Network([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy"))
    lines = source.splitlines()
    tops = [node.lineno for node in ast.parse(source).body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    assert tops and all(lines[n - 3 : n - 1] == ["", ""] and lines[n - 4] for n in tops)
    assert not re.search(r'\n\s*\n\s*"""\n', source)  # no docstring closes after a blank line
    assert ">>>" not in source


def test_the_standalone_module_names_nothing_of_symbp_it_does_not_carry():
    # check_arrays' docstring pointed at symbp.errors.ShapeError; the module defines its own ShapeError
    source = module_source(Network([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy"))
    assert "class ShapeError(ValueError)" in source and "symbp.errors" not in source
