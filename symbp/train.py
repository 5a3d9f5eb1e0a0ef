"""Mini-batch stochastic gradient descent with symbp's lambdified gradients.

:func:`sgd` is the training loop: it shuffles the examples each epoch, steps
every parameter by ``-learning_rate * gradient`` on each mini-batch, and calls
back after each batch (a progress bar) and after each epoch (measurements).
:func:`train` wires it to a :class:`~symbp.Network` and a data set split:
gradients from :func:`symbp.compile.lambdify`, measurements of the training
cost and the test accuracy per epoch, in a :class:`History` that
:func:`plot_history` draws as a PNG (matplotlib, Agg backend; the optional
``train`` extra).

Non-goals: momentum, weight decay, learning-rate schedules, early stopping,
GPUs. This is the plain SGD of the textbooks, to show the derived gradients
train a real network.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .errors import SpecError

__all__ = [
    "check_fits",
    "SGDConfig",
    "EpochRecord",
    "History",
    "initial_parameters",
    "network_functions",
    "sgd",
    "accuracy",
    "train",
    "plot_history",
]

Arrays = dict[str, np.ndarray]
GradFn = Callable[[Mapping[str, np.ndarray], np.ndarray, np.ndarray], Mapping[str, np.ndarray]]


@dataclass(frozen=True)
class SGDConfig:
    """Hyperparameters of :func:`sgd`; the defaults train the [64, 32, 10] digits network.

    Examples
    --------
    >>> SGDConfig(batch_size=0)
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: batch size must be a whole number >= 1, got 0
    """

    epochs: int = 30
    batch_size: int = 16
    learning_rate: float = 1.0
    seed: int = 0
    dtype: str = "float64"

    def __post_init__(self) -> None:
        for name, value in (("epochs", self.epochs), ("batch size", self.batch_size)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise SpecError(f"{name} must be a whole number >= 1, got {value!r}")
        if not isinstance(self.seed, (int, np.integer)) or isinstance(self.seed, bool) or not 0 <= self.seed < 2**32:
            # the range of the seeds scikit-learn's split and NumPy's generators both take
            raise SpecError(f"seed must be a whole number from 0 to {2**32 - 1}, got {self.seed!r}")
        if not np.isfinite(self.learning_rate) or self.learning_rate <= 0:
            raise SpecError(f"learning rate must be a positive number, got {self.learning_rate!r}")
        if self.dtype not in ("float64", "float32"):
            raise SpecError(f"dtype must be 'float64' or 'float32', got {self.dtype!r}")


@dataclass(frozen=True)
class EpochRecord:
    """Measurements after one epoch (``seconds`` since training started, measurements included)."""

    epoch: int
    seconds: float
    metrics: Mapping[str, float]


@dataclass
class History:
    """Everything :func:`sgd` measured, epoch by epoch."""

    config: SGDConfig
    records: list[EpochRecord] = field(default_factory=list)

    def series(self, name: str) -> list[float]:
        """One metric over the epochs, in order.

        >>> h = History(SGDConfig(), [EpochRecord(0, 0.0, {"cost": 2.0}), EpochRecord(1, 0.1, {"cost": 1.0})])
        >>> h.series("cost")
        [2.0, 1.0]
        """
        return [record.metrics[name] for record in self.records]

    def to_dict(self) -> dict:
        """A JSON-ready dict: the configuration and every record."""
        return {"config": asdict(self.config), "records": [asdict(r) | {"metrics": dict(r.metrics)} for r in self.records]}


def initial_parameters(widths: Sequence[int], seed: int = 0, dtype: str = "float64") -> Arrays:
    """Weights drawn from N(0, 1/n_(l-1)) (Nielsen's improved initialization), biases zero.

    >>> p = initial_parameters([64, 32, 10])
    >>> p["W1"].shape, p["b1"].shape, p["W2"].shape, float(p["b2"].sum())
    ((32, 64), (32, 1), (10, 32), 0.0)
    """
    rng = np.random.default_rng(seed)
    params: Arrays = {}
    for l in range(1, len(widths)):
        params[f"W{l}"] = (rng.standard_normal((widths[l], widths[l - 1])) / np.sqrt(widths[l - 1])).astype(dtype)
        params[f"b{l}"] = np.zeros((widths[l], 1), dtype=dtype)
    return params


def network_functions(net, dtype: str = "float64") -> tuple[GradFn, Callable, Callable]:
    """``(grad, forward, cost)`` of ``net``, compiled by :func:`symbp.compile.lambdify` for any batch size.

    >>> from symbp import Network
    >>> grad, forward, cost = network_functions(Network([2, 3], ["softmax"], "cross_entropy"))
    >>> params = initial_parameters([2, 3])
    >>> forward(params, np.ones((2, 4))).sum(axis=0).round(12).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    from .compile import lambdify

    grad = lambdify(net, dtype)
    return grad, grad.forward, grad.cost


def accuracy(outputs: np.ndarray, labels: np.ndarray) -> float:
    """The share of columns whose largest output is at the true label.

    >>> accuracy(np.array([[0.9, 0.2], [0.1, 0.8]]), np.array([0, 0]))
    0.5
    """
    return float(np.mean(np.argmax(outputs, axis=0) == np.asarray(labels)))


def sgd(
    grad: GradFn,
    params: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    config: SGDConfig = SGDConfig(),
    *,
    measure: Callable[[Mapping[str, np.ndarray]], Mapping[str, float]] | None = None,
    on_batch: Callable[[int, int, int], None] | None = None,
    on_epoch: Callable[[EpochRecord], None] | None = None,
) -> tuple[Arrays, History]:
    """Train ``params`` by mini-batch stochastic gradient descent.

    Parameters
    ----------
    grad
        ``grad(params, X_batch, Y_batch) -> {"W1": dC/dW1, ...}``, the cost being
        the mean over the batch (as :func:`symbp.compile.lambdify` returns).
    params
        Initial ``{"W1": ..., "b1": ..., ...}``; copied, never changed.
    X, Y
        Training inputs (n0, m) and targets (nL, m), examples as columns.
    config
        Epochs, batch size, learning rate, and the seed of the shuffles.
    measure
        Called with the parameters before training (epoch 0) and after each
        epoch; returns named measurements (e.g. ``{"cost": ..., "test_accuracy": ...}``).
    on_batch, on_epoch
        Progress callbacks: ``on_batch(epoch, batch, batches)`` after each step,
        ``on_epoch(record)`` after each measurement.

    Returns
    -------
    The trained parameters and the :class:`History`.

    Examples
    --------
    Fit ``y = 2 x`` with one linear unit and the half squared error:

    >>> def grad(p, X, Y):
    ...     d = (p["W1"] @ X + p["b1"] - Y) / X.shape[1]
    ...     return {"W1": d @ X.T, "b1": d.sum(axis=1, keepdims=True)}
    >>> X = np.linspace(-1, 1, 8).reshape(1, 8)
    >>> p, h = sgd(grad, {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}, X, 2 * X,
    ...            SGDConfig(epochs=50, batch_size=4, learning_rate=0.5))
    >>> round(float(p["W1"][0, 0]), 3)
    2.0
    """
    if X.shape[1] != Y.shape[1]:
        raise SpecError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}")
    params = {name: np.array(value, dtype=config.dtype) for name, value in params.items()}
    X, Y = np.asarray(X, dtype=config.dtype), np.asarray(Y, dtype=config.dtype)
    rng = np.random.default_rng(config.seed)
    m = X.shape[1]
    batches = -(-m // config.batch_size)
    history = History(config)
    start = time.perf_counter()

    def record(epoch: int) -> None:
        metrics = dict(measure(params)) if measure else {}
        history.records.append(EpochRecord(epoch, time.perf_counter() - start, metrics))
        if on_epoch:
            on_epoch(history.records[-1])

    record(0)
    for epoch in range(1, config.epochs + 1):
        order = rng.permutation(m)
        for batch in range(batches):
            columns = order[batch * config.batch_size : (batch + 1) * config.batch_size]
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught once per epoch, by measure
                gradients = grad(params, X[:, columns], Y[:, columns])
                for name, value in params.items():
                    value -= config.learning_rate * gradients[name]
            if on_batch:
                on_batch(epoch, batch + 1, batches)
        record(epoch)
    return params, history


#: A training cost this many times the initial one means the run diverged (it is stopped, with a reason).
DIVERGED = 1e3


def check_fits(split, widths: Sequence[int]) -> None:
    """Raise :class:`~symbp.errors.SpecError` unless the network's first and last widths fit the data.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> check_fits(SimpleNamespace(name="digits", features=64, classes=10), [64, 32, 9])
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: data set digits has 64 inputs and 10 classes, but the network's widths are [64, 32, 9]: its first width must be 64 and its last 10
    """
    if split.features != widths[0] or split.classes != widths[-1]:
        raise SpecError(
            f"data set {split.name} has {split.features} inputs and {split.classes} classes, but the network's "
            f"widths are {list(widths)}: its first width must be {split.features} and its last {split.classes}"
        )


def train(
    split,
    grad: GradFn,
    forward: Callable[[Mapping[str, np.ndarray], np.ndarray], np.ndarray],
    cost: Callable[[Mapping[str, np.ndarray], np.ndarray, np.ndarray], float],
    widths: Sequence[int],
    config: SGDConfig = SGDConfig(),
    *,
    on_batch: Callable[[int, int, int], None] | None = None,
    on_epoch: Callable[[EpochRecord], None] | None = None,
) -> tuple[Arrays, History]:
    """Train a network of ``widths`` on a :class:`~symbp.datasets.Split`, measuring every epoch.

    ``grad``, ``forward`` (output activations) and ``cost`` are the network's
    numeric functions. The measurements are ``train_cost``, ``test_cost``,
    ``train_accuracy`` and ``test_accuracy`` (shares in [0, 1]); their time is
    included in the record's ``seconds``.

    Examples
    --------
    A softmax layer learns which side of the diagonal a point of a 5 x 5 grid
    lies on (a synthetic data set: numpy only, no extra needed):

    >>> from symbp import Network
    >>> from symbp.datasets import Split, one_hot
    >>> grid = np.array([(u, v) for u in np.linspace(-1, 1, 5) for v in np.linspace(-1, 1, 5) if u != v]).T
    >>> labels = (grid[0] > grid[1]).astype(int)
    >>> split = Split("diagonal", grid[:, ::2], one_hot(labels[::2], 2), labels[::2],
    ...               grid[:, 1::2], one_hot(labels[1::2], 2), labels[1::2])
    >>> grad, forward, cost = network_functions(Network([2, 2], ["softmax"], "cross_entropy"))
    >>> params, history = train(split, grad, forward, cost, [2, 2],
    ...                         SGDConfig(epochs=20, batch_size=5, learning_rate=1.0))
    >>> for r in (history.records[0], history.records[-1]):
    ...     print(r.epoch, round(r.metrics["train_cost"], 3), r.metrics["test_accuracy"])
    0 0.652 0.7
    20 0.063 1.0
    """
    check_fits(split, widths)
    X_train, Y_train = split.X_train.astype(config.dtype), split.Y_train.astype(config.dtype)
    X_test, Y_test = split.X_test.astype(config.dtype), split.Y_test.astype(config.dtype)

    first: list[float] = []

    def measure(params) -> dict[str, float]:
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is stopped below, with a reason
            train_cost = float(cost(params, X_train, Y_train))
            first.append(train_cost)
            finite = np.isfinite(train_cost) and all(np.isfinite(p).all() for p in params.values())
            if not finite or train_cost > DIVERGED * max(first[0], 1e-12):
                raise SpecError(f"training diverged: the training cost went from {first[0]:.4g} to {train_cost:.4g} "
                                f"in {len(first) - 1} epoch(s); lower the learning rate (now {config.learning_rate:g})")
            return {
                "train_cost": train_cost,
                "test_cost": float(cost(params, X_test, Y_test)),
                "train_accuracy": accuracy(forward(params, X_train), split.labels_train),
                "test_accuracy": accuracy(forward(params, X_test), split.labels_test),
            }

    params = initial_parameters(widths, config.seed, config.dtype)
    return sgd(grad, params, X_train, Y_train, config, measure=measure, on_batch=on_batch, on_epoch=on_epoch)


def plot_history(history: History, path: str | Path, title: str, target: float | None = None) -> Path:
    r"""Draw the training and test cost and accuracy per epoch into a PNG file.

    ``target`` (a share, e.g. 0.95) draws a dashed line on the accuracy panel.
    Needs matplotlib (the ``train`` extra); uses the Agg backend, no display.
    Returns ``path``; missing folders are created.

    Examples
    --------
    The drawing is skipped as a doctest: it takes about 0.35 s (0.8 s with the
    import of matplotlib). The output shown was checked by running it; the
    ``symbp train`` test in ``tests/test_train.py`` draws a plot too.

    >>> import pathlib, struct, tempfile
    >>> metrics = lambda cost, acc: {"train_cost": cost, "test_cost": 1.1 * cost,
    ...                              "train_accuracy": acc, "test_accuracy": acc - 0.05}
    >>> history = History(SGDConfig(epochs=2), [EpochRecord(0, 0.0, metrics(2.3, 0.1)),
    ...                   EpochRecord(1, 0.1, metrics(0.9, 0.8)), EpochRecord(2, 0.2, metrics(0.3, 0.95))])
    >>> path = plot_history(history, pathlib.Path(tempfile.mkdtemp()) / "plots" / "toy.png", "toy",
    ...                     target=0.9)  # doctest: +SKIP
    >>> png = path.read_bytes()  # doctest: +SKIP
    >>> path.name, png[:8], struct.unpack(">II", png[16:24])  # doctest: +SKIP
    ('toy.png', b'\x89PNG\r\n\x1a\n', (1200, 504))
    """
    from .datasets import require_extra

    require_extra("matplotlib", "matplotlib", "the training plot")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    epochs = [r.epoch for r in history.records]
    fig = Figure(figsize=(10, 4.2), dpi=120, layout="constrained")
    cost_ax, acc_ax = fig.subplots(1, 2)
    cost_ax.plot(epochs, history.series("train_cost"), "o-", ms=3, label="training set")
    cost_ax.plot(epochs, history.series("test_cost"), "s--", ms=3, label="test set")
    cost_ax.set(yscale="log", xlabel="epoch", ylabel="cost (mean per example, log scale)", title="Cost")
    # Accuracy from epoch 1: at epoch 0 it is chance level, far below the interesting range.
    trained = [r.epoch for r in history.records if r.epoch > 0] or epochs
    skip = len(epochs) - len(trained)
    acc = [100 * a for a in history.series("test_accuracy")[skip:]]
    acc_ax.plot(trained, [100 * a for a in history.series("train_accuracy")[skip:]], "o-", ms=3, label="training set")
    acc_ax.plot(trained, acc, "s-", ms=3, lw=2, label="test set (held out)")
    if target is not None:
        acc_ax.axhline(100 * target, color="gray", ls=":", lw=1, label=f"target {100 * target:g}%")
    low = min(min(acc), 100 * (target or 1))
    acc_ax.set(xlim=cost_ax.get_xlim(), ylim=(max(0, low - 3), 100.5), xlabel="epoch", ylabel="accuracy (%)")
    acc_ax.set_title(f"Accuracy (final test: {acc[-1]:.1f}%)")
    for ax in (cost_ax, acc_ax):
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="small")
    fig.suptitle(title, fontsize="medium")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
