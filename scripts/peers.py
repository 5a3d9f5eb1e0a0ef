"""Peer implementations of one gradient, for the benchmark and its "same gradients" tests.

Every peer computes the gradient of the same cost: a fully connected network
with sigmoid hidden layers, a softmax output layer and the categorical
cross-entropy averaged over the batch, examples as columns (``Z = W A + b``;
``W{l}`` is n_l x n_(l-1), ``b{l}`` is n_l x 1, ``X`` is n0 x m, ``Y`` is
nL x m), as the ``[..., "sigmoid", "softmax"]`` + ``cross_entropy`` networks of
symbp. The peers are:

- ``numpy``: hand-written vectorized backprop (the benchmark's unit);
- ``loop``: the per-example loop of Nielsen's ``network.py``, column by column;
- ``torch``: PyTorch CPU autograd, eager mode;
- ``jax``: ``jax.jit(jax.grad(cost))`` on the CPU.

Each peer is a :class:`Peer`: ``prepare`` turns NumPy inputs into the peer's own
arrays once (outside the timed region), ``run`` evaluates the gradient on them
(and waits for the result), ``to_numpy`` turns the result back into a dict of
NumPy arrays to compare. PyTorch and JAX are optional: their factories raise
:class:`PeerUnavailable` with what to install.

Non-goals: other activations or costs, training, timing (see bench_numeric.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Peer",
    "PeerUnavailable",
    "PEERS",
    "problem",
    "numpy_backprop",
    "per_example_backprop",
    "make_peer",
]

Arrays = dict[str, np.ndarray]


class PeerUnavailable(RuntimeError):
    """An optional peer's package is not installed (the message says what to install)."""


@dataclass(frozen=True)
class Peer:
    """One implementation of the gradient, ready to time.

    ``prepare(params, X, Y)`` returns the peer's native arguments (a tuple);
    ``run(*args)`` evaluates the gradient and returns when the result is ready;
    ``to_numpy(result)`` gives ``{"W1": ..., "b1": ..., ...}`` as NumPy arrays.
    """

    name: str
    label: str
    prepare: Callable[[Arrays, np.ndarray, np.ndarray], tuple]
    run: Callable[..., object]
    to_numpy: Callable[[object], Arrays]

    def gradients(self, params: Arrays, X: np.ndarray, Y: np.ndarray) -> Arrays:
        """Prepare, run and convert in one call (for checks, not for timing)."""
        return self.to_numpy(self.run(*self.prepare(params, X, Y)))


def problem(widths: Sequence[int], m: int, dtype: str = "float64", seed: int = 0) -> tuple[Arrays, np.ndarray, np.ndarray]:
    """Random parameters (scaled by 1/sqrt(fan-in)), inputs in [0, 1) and one-hot targets.

    >>> params, X, Y = problem([4, 3, 2], 5)
    >>> params["W1"].shape, params["b2"].shape, X.shape, Y.sum(axis=0).tolist()
    ((3, 4), (2, 1), (4, 5), [1.0, 1.0, 1.0, 1.0, 1.0])
    """
    rng = np.random.default_rng(seed)
    params: Arrays = {}
    for l in range(1, len(widths)):
        params[f"W{l}"] = (rng.standard_normal((widths[l], widths[l - 1])) / np.sqrt(widths[l - 1])).astype(dtype)
        params[f"b{l}"] = rng.standard_normal((widths[l], 1)).astype(dtype)
    X = rng.random((widths[0], m)).astype(dtype)
    Y = np.zeros((widths[-1], m), dtype=dtype)
    Y[rng.integers(0, widths[-1], m), np.arange(m)] = 1
    return params, X, Y


def _depth(params: Mapping[str, np.ndarray]) -> int:
    return len(params) // 2


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # The textbook form (Nielsen, Ng): exp(-z) overflows, with a warning, only for z < -709 in float64
    # (-88 in float32), where the result, 0, is still right; the benchmark's inputs stay far from that.
    return 1.0 / (1.0 + np.exp(-z))


def numpy_backprop(params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> Arrays:
    """Hand-written vectorized backprop (equations V1-V4 over the whole batch).

    >>> params, X, Y = problem([4, 3, 2], 5)
    >>> sorted(numpy_backprop(params, X, Y)) == sorted(params)
    True
    """
    L, m = _depth(params), X.shape[1]
    A = [X]
    for l in range(1, L):
        A.append(_sigmoid(params[f"W{l}"] @ A[-1] + params[f"b{l}"]))
    Z = params[f"W{L}"] @ A[-1] + params[f"b{L}"]
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    dZ = (E / E.sum(axis=0, keepdims=True) - Y) / m  # softmax + cross-entropy: (a - y) / m
    grads: Arrays = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = dZ @ A[l - 1].T
        grads[f"b{l}"] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            dZ = (params[f"W{l}"].T @ dZ) * A[l - 1] * (1 - A[l - 1])
    return {name: grads[name] for name in params}


def per_example_backprop(params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> Arrays:
    """Nielsen-style backprop: one example (column) at a time, gradients summed, then averaged.

    >>> params, X, Y = problem([4, 3, 2], 5)
    >>> g, h = per_example_backprop(params, X, Y), numpy_backprop(params, X, Y)
    >>> max(float(abs(g[k] - h[k]).max()) for k in g) < 1e-15
    True
    """
    L, m = _depth(params), X.shape[1]
    nabla = {name: np.zeros_like(value) for name, value in params.items()}
    for j in range(m):
        activation = X[:, j : j + 1]
        activations = [activation]
        for l in range(1, L):  # feedforward, storing every activation
            activation = _sigmoid(params[f"W{l}"] @ activation + params[f"b{l}"])
            activations.append(activation)
        z = params[f"W{L}"] @ activation + params[f"b{L}"]
        e = np.exp(z - z.max())
        delta = e / e.sum() - Y[:, j : j + 1]  # BP1 for softmax + cross-entropy
        for l in range(L, 0, -1):  # backward pass: BP3, BP4, then BP2
            nabla[f"b{l}"] += delta
            nabla[f"W{l}"] += delta @ activations[l - 1].T
            if l > 1:
                a = activations[l - 1]
                delta = (params[f"W{l}"].T @ delta) * a * (1 - a)
    return {name: value / m for name, value in nabla.items()}


def _numpy_peer(name: str, label: str, function) -> Callable[[str], Peer]:
    def factory() -> Peer:
        return Peer(name, label, lambda p, X, Y: (p, X, Y), function, lambda g: g)

    return factory


def _torch_peer() -> Peer:
    try:
        import torch
    except ImportError as exc:
        raise PeerUnavailable("PyTorch is not installed: pip install torch==2.13.0 (the CPU build)") from exc

    def prepare(params, X, Y):
        names = list(params)
        leaves = tuple(torch.from_numpy(np.ascontiguousarray(params[k])).requires_grad_() for k in names)
        return names, leaves, torch.from_numpy(X), torch.from_numpy(Y)

    def run(names, leaves, X, Y):
        L, m = len(leaves) // 2, X.shape[1]
        A = X
        for l in range(L - 1):
            A = torch.sigmoid(torch.addmm(leaves[2 * l + 1], leaves[2 * l], A))
        Z = torch.addmm(leaves[-1], leaves[-2], A)
        C = -(Y * torch.log_softmax(Z, dim=0)).sum() / m
        return names, torch.autograd.grad(C, leaves)

    def to_numpy(result):
        names, grads = result
        return {k: g.numpy() for k, g in zip(names, grads)}

    return Peer("torch", f"PyTorch {torch.__version__} eager", prepare, run, to_numpy)


def _jax_peer() -> Peer:
    try:
        import jax
    except ImportError as exc:
        raise PeerUnavailable("JAX is not installed: pip install jax") from exc
    jax.config.update("jax_enable_x64", True)  # float64 arrays stay float64; float32 stay float32
    import jax.numpy as jnp

    def cost(params, X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = jax.nn.sigmoid(params[f"W{l}"] @ A + params[f"b{l}"])
        Z = params[f"W{L}"] @ A + params[f"b{L}"]
        return -(Y * jax.nn.log_softmax(Z, axis=0)).sum() / X.shape[1]

    grad = jax.jit(jax.grad(cost))

    def prepare(params, X, Y):
        return jax.device_put(({k: jnp.asarray(v) for k, v in params.items()}, jnp.asarray(X), jnp.asarray(Y)))

    def run(params, X, Y):
        return jax.block_until_ready(grad(params, X, Y))

    return Peer("jax", f"JAX {jax.__version__} jit(grad)", prepare, run, lambda g: {k: np.asarray(v) for k, v in g.items()})


#: name -> factory() -> Peer, in the benchmark's column order.
PEERS: dict[str, Callable[[], Peer]] = {
    "numpy": _numpy_peer("numpy", "hand-written NumPy (vectorized)", numpy_backprop),
    "loop": _numpy_peer("loop", "per-example loop (Nielsen)", per_example_backprop),
    "torch": _torch_peer,
    "jax": _jax_peer,
}


def make_peer(name: str) -> Peer:
    """The peer called ``name``; raises :class:`PeerUnavailable` if its package is missing.

    >>> make_peer("numpy").label
    'hand-written NumPy (vectorized)'
    """
    return PEERS[name]()


def limit_threads(threads: int) -> set[int] | None:
    """Keep the process on ``threads`` cores, and ask XLA (JAX) for as many threads; call before JAX is imported.

    XLA's CPU client starts a thread pool of its own, which its flags do not reliably limit (JAX
    ran on both cores of a 2-core machine with them set). The process's CPU affinity does: every
    thread, those running now and those started later, is kept on the first ``threads`` cores
    allowed. NumPy's BLAS and PyTorch are also limited at run time (threadpoolctl,
    ``torch.set_num_threads``). Returns the cores kept, or None where affinity cannot be set.
    """
    flags = os.environ.get("XLA_FLAGS", "")
    if "intra_op_parallelism_threads" not in flags:
        extra = f"--xla_cpu_multi_thread_eigen={'false' if threads == 1 else 'true'} intra_op_parallelism_threads={threads}"
        os.environ["XLA_FLAGS"] = f"{flags} {extra}".strip()
    if not hasattr(os, "sched_setaffinity"):  # pragma: no cover - not Linux
        return None
    cores = set(sorted(os.sched_getaffinity(0))[:threads])
    set_affinity(cores)
    return cores


def set_affinity(cores: set[int]) -> None:
    """Keep every thread of the process on ``cores``: those running now (a BLAS pool) and, by inheritance, later ones."""
    tasks = os.listdir("/proc/self/task") if os.path.isdir("/proc/self/task") else ["0"]
    for task in tasks:
        try:
            os.sched_setaffinity(int(task), cores)
        except OSError:  # pragma: no cover - a thread that ended meanwhile
            pass
