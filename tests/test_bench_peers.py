"""The benchmark's "same gradients" guarantee: every peer in scripts/peers.py agrees with symbp.

The oracle is symbp's per-element symbolic autodiff (``Network.numeric_gradients``),
independent of every peer. PyTorch and JAX are optional: their cases skip with
what to install.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from symbp.compile import lambdify

from symbp import Network

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


peers = _load("peers")

# (widths, batch m, seed): one hidden layer, two hidden layers (BP2 twice), a batch of one.
CASES = [((3, 4, 2), 3, 0), ((2, 3, 3, 3), 2, 1), ((4, 5, 3), 1, 2)]
IMPLS = [*peers.PEERS, "symbp"]


def _network(widths, m) -> Network:
    return Network(list(widths), ["sigmoid"] * (len(widths) - 2) + ["softmax"], "cross_entropy", batch=m)


def _impl(name: str, dtype: str):
    """A function (params, X, Y) -> gradients for peer ``name``, or skip with what to install."""
    if name == "symbp":
        return lambda widths, m: lambdify(_network(widths, m), dtype=dtype)
    try:
        peer = peers.make_peer(name)
    except peers.PeerUnavailable as exc:
        pytest.skip(str(exc))
    return lambda widths, m: peer.gradients


@pytest.mark.parametrize("widths, m, seed", CASES)
@pytest.mark.parametrize("name", IMPLS)
def test_float64_gradients_equal_symbolic_autodiff(name, widths, m, seed):
    params, X, Y = peers.problem(widths, m, "float64", seed)
    expected = _network(widths, m).numeric_gradients(params, X, Y)
    got = _impl(name, "float64")(widths, m)(params, X, Y)
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        assert got[key].shape == value.shape, key
        np.testing.assert_allclose(got[key], value, rtol=1e-12, atol=1e-14, err_msg=f"{name}: {key}")


@pytest.mark.parametrize("name", IMPLS)
def test_float32_gradients_stay_float32_and_close(name):
    widths, m, seed = CASES[0]
    params, X, Y = peers.problem(widths, m, "float32", seed)
    as64 = {k: v.astype(np.float64) for k, v in params.items()}
    expected = _network(widths, m).numeric_gradients(as64, X.astype(np.float64), Y.astype(np.float64))
    got = _impl(name, "float32")(widths, m)(params, X, Y)
    for key, value in expected.items():
        assert np.asarray(got[key]).dtype == np.float32, f"{name}: {key} is {np.asarray(got[key]).dtype}"
        np.testing.assert_allclose(got[key], value, rtol=1e-5, atol=1e-6, err_msg=f"{name}: {key}")


def test_peers_agree_on_a_benchmark_sized_batch():
    """Loop and vectorized NumPy on the benchmark's small net with m = 50 (no symbolic oracle at this size)."""
    params, X, Y = peers.problem((784, 30, 10), 50)
    vectorized, loop = peers.numpy_backprop(params, X, Y), peers.per_example_backprop(params, X, Y)
    assert max(float(np.abs(vectorized[k] - loop[k]).max()) for k in params) < 1e-14


def test_matmul_flops_counts_each_product():
    bench = _load("bench_numeric")
    # [2, 3, 1], m = 5: forward W1 A0 (3x2) and W2 A1 (1x3); backward dW2, dW1 and W2^T dZ2 only.
    assert bench.matmul_flops((2, 3, 1), 5) == 2 * 5 * (6 + 3) + 2 * 5 * (6 + 3) + 2 * 5 * 3


def test_benchmark_runs_and_prints_the_tables(capsys, monkeypatch):
    pytest.importorskip("threadpoolctl", reason="the benchmark pins threads with threadpoolctl: pip install threadpoolctl")
    monkeypatch.setenv("XLA_FLAGS", os.environ.get("XLA_FLAGS", ""))  # main() sets it; restored after the test
    bench = _load("bench_numeric")
    status = bench.main(
        ["--nets", "4,3,2", "--m", "2", "--dtypes", "float64", "--impls", "numpy,loop", "--rounds", "2", "--target-ms", "0.2"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "| [4, 3, 2] | float64 | 2 |" in out
    assert "NumPy matmul peak" in out and "load average" in out


def test_head_to_head_tells_a_win_from_a_tie():
    bench = _load("bench_numeric")
    faster = bench.head_to_head([0.97, 0.98, 0.96, 0.97, 0.98] * 4, [1.0] * 20)
    assert faster[0] == pytest.approx(0.97) and bench.verdict(*faster[1:]) == "faster"
    mixed = bench.head_to_head([0.98, 1.02, 0.99, 1.01, 1.0] * 4, [1.0] * 20)
    assert bench.verdict(*mixed[1:]) == "a tie within the noise"
    assert bench.verdict(1.009, 1.015) == "slower"


def test_the_benchmark_keeps_itself_on_one_core_and_gives_the_cores_back(capsys, monkeypatch):
    """XLA's thread pool ignored its flags: JAX ran on both cores while its CPU time was compared."""
    pytest.importorskip("threadpoolctl", reason="the benchmark pins threads with threadpoolctl: pip install threadpoolctl")
    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("CPU affinity is Linux's")
    monkeypatch.setenv("XLA_FLAGS", os.environ.get("XLA_FLAGS", ""))
    bench = _load("bench_numeric")
    before = os.sched_getaffinity(0)
    seen = []
    real = bench.bench_case
    monkeypatch.setattr(bench, "bench_case", lambda *a, **k: (seen.append(os.sched_getaffinity(0)), real(*a, **k))[1])
    assert bench.main(["--nets", "4,3,2", "--m", "2", "--dtypes", "float64", "--impls", "numpy", "--rounds", "1",
                       "--target-ms", "0.1"]) == 0
    assert seen and len(seen[0]) == 1 and seen[0] <= before
    assert os.sched_getaffinity(0) == before
    assert "CPU affinity" in capsys.readouterr().out
