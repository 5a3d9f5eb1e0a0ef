"""Training: the SGD loop, the data sets, and ``symbp train``.

The loop is tested on tiny synthetic problems with no optional package; the
digits data set and the command need the ``train`` extra and skip without it.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from symbp import Network, datasets
from symbp.cli import main
from symbp.errors import SpecError
from symbp.train import SGDConfig, accuracy, initial_parameters, network_functions, sgd

NETWORK_TOML = """
widths = [{widths}]
activations = [{activations}]
cost = "cross_entropy"
batch = 1
"""


def _toml(tmp_path, widths=(64, 32, 10)):
    path = tmp_path / "network.toml"
    activations = ", ".join(['"sigmoid"'] * (len(widths) - 2) + ['"softmax"'])
    path.write_text(NETWORK_TOML.format(widths=", ".join(map(str, widths)), activations=activations))
    return path


def _linear_grad(p, X, Y):
    """Gradient of the half squared error of one linear layer, mean over the batch (closed form)."""
    d = (p["W1"] @ X + p["b1"] - Y) / X.shape[1]
    return {"W1": d @ X.T, "b1": d.sum(axis=1, keepdims=True)}


# ----- The loop, no optional package -----
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"epochs": 0}, "epochs must be a whole number >= 1, got 0"),
        ({"batch_size": 2.5}, "batch size must be a whole number >= 1, got 2.5"),
        ({"learning_rate": -1.0}, "learning rate must be a positive number, got -1.0"),
        ({"learning_rate": float("nan")}, "learning rate must be a positive number, got nan"),
        ({"dtype": "float16"}, "dtype must be 'float64' or 'float32', got 'float16'"),
    ],
)
def test_config_rejects_bad_values(kwargs, message):
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SGDConfig(**kwargs)


def test_sgd_visits_every_example_once_per_epoch_in_seeded_batches():
    seen = []

    def grad(p, X, Y):
        seen.append(X[0].astype(int).tolist())
        return {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}

    X = np.arange(10.0).reshape(1, 10)
    params = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}
    sgd(grad, params, X, X, SGDConfig(epochs=2, batch_size=4, seed=3))
    assert [len(b) for b in seen] == [4, 4, 2, 4, 4, 2]  # the last batch of an epoch is the remainder
    assert sorted(sum(seen[:3], [])) == list(range(10)) and sorted(sum(seen[3:], [])) == list(range(10))
    assert seen[:3] != seen[3:]  # reshuffled each epoch
    first = list(seen)
    seen.clear()
    sgd(grad, params, X, X, SGDConfig(epochs=2, batch_size=4, seed=3))
    assert seen == first  # the seed fixes the order


def test_sgd_converges_on_a_linear_fit_and_leaves_the_input_parameters_alone():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 40))
    W, b = np.array([[1.0, -2.0, 0.5]]), np.array([[0.25]])
    start = {"W1": np.zeros((1, 3)), "b1": np.zeros((1, 1))}
    cost = lambda p: {"cost": float(((p["W1"] @ X + p["b1"] - (W @ X + b)) ** 2).mean() / 2)}
    params, history = sgd(_linear_grad, start, X, W @ X + b, SGDConfig(epochs=60, batch_size=8, learning_rate=0.2), measure=cost)
    np.testing.assert_allclose(params["W1"], W, atol=1e-6)
    np.testing.assert_allclose(params["b1"], b, atol=1e-6)
    assert not start["W1"].any()
    assert [r.epoch for r in history.records] == list(range(61))
    assert history.series("cost")[-1] < 1e-12 < history.series("cost")[0]


def test_sgd_rejects_mismatched_examples():
    with pytest.raises(SpecError, match="X has 3 examples .* but Y has 2"):
        sgd(_linear_grad, {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}, np.zeros((1, 3)), np.zeros((1, 2)))


def test_training_with_symbp_gradients_lowers_the_cost_on_a_synthetic_problem():
    """Three Gaussian blobs in 2-D, a [2, 5, 3] sigmoid/softmax network: symbp's own gradients, no sklearn."""
    rng = np.random.default_rng(1)
    centres = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    labels = np.repeat(np.arange(3), 30)
    X = (centres[labels] + 0.6 * rng.standard_normal((90, 2))).T
    Y = datasets.one_hot(labels, 3)
    net = Network([2, 5, 3], ["sigmoid", "softmax"], "cross_entropy")
    grad, forward, cost = network_functions(net, "float64")
    measure = lambda p: {"cost": cost(p, X, Y), "accuracy": accuracy(forward(p, X), labels)}
    _, history = sgd(grad, initial_parameters([2, 5, 3], seed=0), X, Y, SGDConfig(epochs=15, batch_size=10, learning_rate=1.0), measure=measure)
    costs = history.series("cost")
    assert costs[-1] < 0.5 * costs[0]
    assert sum(b < a for a, b in zip(costs, costs[1:])) >= 10  # mostly downhill, epoch after epoch
    assert history.series("accuracy")[-1] >= 0.9


def test_initial_parameters_have_the_network_shapes_and_dtype():
    params = initial_parameters([5, 4, 3, 2], seed=1, dtype="float32")
    assert {k: v.shape for k, v in params.items()} == {"W1": (4, 5), "b1": (4, 1), "W2": (3, 4), "b2": (3, 1), "W3": (2, 3), "b3": (2, 1)}
    assert {v.dtype for v in params.values()} == {np.dtype("float32")}


# ----- Data sets -----
def test_scalings_are_fitted_on_the_training_part_only():
    train, test = np.array([[0.0, 2.0, 4.0], [1.0, 1.0, 1.0]]), np.array([[8.0], [1.0]])
    unit_train, unit_test = datasets.SCALINGS["unit"][0](train, test)
    assert unit_train.max() == 1.0 and unit_test[0, 0] == 2.0
    std_train, std_test = datasets.SCALINGS["standard"][0](train, test)
    np.testing.assert_allclose(std_train[0], [-np.sqrt(1.5), 0.0, np.sqrt(1.5)])
    assert std_train[1].tolist() == [0.0, 0.0, 0.0] and std_test[1, 0] == 0.0  # constant feature stays 0


def test_digits_split_is_stratified_scaled_and_seeded():
    pytest.importorskip("sklearn", reason='the digits data set needs scikit-learn: pip install -e ".[train]"')
    split = datasets.load("digits", test_fraction=0.2, seed=0)
    assert (split.features, split.classes) == (64, 10)
    assert split.X_train.shape[1] + split.X_test.shape[1] == 1797
    assert split.X_test.shape[1] == 360
    assert 0.0 <= split.X_train.min() and split.X_train.max() == 1.0
    np.testing.assert_array_equal(split.Y_test.argmax(axis=0), split.labels_test)
    assert np.bincount(split.labels_test).min() >= 35  # every digit held out in proportion (~36 each)
    again, other = datasets.load("digits", seed=0), datasets.load("digits", seed=1)
    np.testing.assert_array_equal(again.X_test, split.X_test)
    assert not np.array_equal(other.labels_test, split.labels_test)


# ----- The command -----
@pytest.mark.parametrize("missing", ["sklearn", "matplotlib"])
def test_command_without_the_train_extra_exits_2_saying_what_to_install(tmp_path, monkeypatch, capsys, missing):
    for name in list(sys.modules):
        if name == missing or name.startswith(missing + "."):
            monkeypatch.delitem(sys.modules, name)
    for name in (missing, f"{missing}.datasets", f"{missing}.model_selection"):
        monkeypatch.setitem(sys.modules, name, None)  # makes `import missing` raise ImportError
    assert main(["train", str(_toml(tmp_path)), "--epochs", "1", "--plot", str(tmp_path / "p.png")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith('is not installed: pip install -e ".[train]"'), err


def _needs_train_extra():
    pytest.importorskip("sklearn", reason='symbp train needs scikit-learn: pip install -e ".[train]"')
    pytest.importorskip("matplotlib", reason='symbp train needs matplotlib: pip install -e ".[train]"')


def test_command_rejects_a_network_that_does_not_fit_the_data(tmp_path, capsys):
    _needs_train_extra()
    assert main(["train", str(_toml(tmp_path, (64, 32, 9))), "--epochs", "1", "--no-plot"]) == 2
    err = capsys.readouterr().err
    assert "10 classes" in err and "its first width must be 64 and its last 10" in err


def test_command_trains_digits_to_the_target_and_draws_the_plot(tmp_path, capsys):
    """The issue's target network with the default options: >= 95% held-out accuracy (time is not asserted)."""
    _needs_train_extra()
    png, log = tmp_path / "digits.png", tmp_path / "history.json"
    assert main(["train", str(_toml(tmp_path)), "--plot", str(png), "--json", str(log), "--target", "95"]) == 0
    out = capsys.readouterr().out
    assert "test accuracy" in out and f"plot: {png}" in out
    # the total says what it covers: it was "s in all", read as the whole command's wall clock
    assert "s in all" not in out and "(Python start-up, imports and the plot not counted)" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    records = json.loads(log.read_text())["records"]
    assert len(records) == 31  # epoch 0 (before training) and 30 epochs
    assert records[-1]["metrics"]["test_accuracy"] >= 0.95
    assert records[-1]["metrics"]["train_cost"] < 0.2 * records[0]["metrics"]["train_cost"]


def test_a_diverging_run_stops_with_a_reason_instead_of_printing_huge_costs():
    import warnings

    from symbp import Network
    from symbp.datasets import Split, one_hot
    from symbp.errors import SpecError
    from symbp.train import SGDConfig, network_functions, train

    grid = np.array([(u, v) for u in np.linspace(-1, 1, 5) for v in np.linspace(-1, 1, 5) if u != v]).T * 30
    labels = (grid[0] > grid[1]).astype(int)
    split = Split("diagonal", grid[:, ::2], one_hot(labels[::2], 2), labels[::2],
                  grid[:, 1::2], one_hot(labels[1::2], 2), labels[1::2])
    grad, forward, cost = network_functions(Network([2, 2], ["linear"], "mse"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no overflow warnings on the way
        with pytest.raises(SpecError, match="training diverged: the training cost went from .* lower the learning rate"):
            train(split, grad, forward, cost, [2, 2], SGDConfig(epochs=20, batch_size=5, learning_rate=1.0))


# ----- From a review: bad options fail at once, in one line, before any training -----
BAD_OPTIONS = [
    # matplotlib appended .png to a path without it and the command printed the path it did not write
    (["--plot", "{tmp}/curves"], "--plot {tmp}/curves: the plot is a PNG file: give a path ending in .png"),
    (["--plot", "{tmp}/curves.txt"], "--plot {tmp}/curves.txt: the plot is a PNG file: give a path ending in .png"),
    (["--plot", "{tmp}/d.png"], "--plot {tmp}/d.png: is a folder; give a file path"),
    (["--json", "{tmp}/d.png", "--no-plot"], "--json {tmp}/d.png: is a folder; give a file path"),
    (["--seed", "-1", "--no-plot"], "seed must be a whole number from 0 to 4294967295, got -1"),
    (["--seed", "4294967296", "--no-plot"], "seed must be a whole number from 0 to 4294967295, got 4294967296"),
    (["--target", "200", "--no-plot"], "--target must be a percentage above 0 and at most 100, got 200.0"),
    (["--test-fraction", "0.999", "--no-plot"],
     "test fraction 0.999 leaves 1 of the 1797 examples of digits for training: each part needs at least one "
     "example of each of its 10 classes"),
    (["--test-fraction", "0.001", "--no-plot"],
     "test fraction 0.001 leaves 2 of the 1797 examples of digits for testing: each part needs at least one "
     "example of each of its 10 classes"),
]


@pytest.mark.parametrize("options, message", BAD_OPTIONS, ids=[" ".join(o[:2]) for o, _ in BAD_OPTIONS])
def test_command_rejects_bad_options_before_training(tmp_path, capsys, options, message):
    _needs_train_extra()
    (tmp_path / "d.png").mkdir()
    args = [o.format(tmp=tmp_path) for o in options]
    assert main(["train", str(_toml(tmp_path)), "--epochs", "1", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing trained
    assert captured.err.strip().splitlines() == [f"symbp train: error: {message.format(tmp=tmp_path)}"]
    assert not (tmp_path / "curves.png").exists()
