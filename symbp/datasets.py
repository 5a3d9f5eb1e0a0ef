"""Real data sets for training, read from an installed package (no download).

A data set is loaded as a :class:`Split`: a training and a held-out test part,
examples as columns (X is features x examples, Y the one-hot targets, classes x
examples), inputs scaled by a rule of :data:`SCALINGS` fitted on the training
part only. :data:`DATASETS` is the one table of data sets; today it holds
scikit-learn's bundled handwritten digits, which need the optional ``train``
extra (``pip install -e ".[train]"``).

Non-goals: downloading data, augmentation, data sets that do not fit in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import SpecError, SymbpError

__all__ = ["Split", "DataSource", "DATASETS", "SCALINGS", "MissingExtraError", "load", "one_hot", "require_extra"]

INSTALL_TRAIN = 'pip install -e ".[train]"'


class MissingExtraError(SymbpError):
    """An optional package of the ``train`` extra is not installed."""


def require_extra(module: str, package: str, purpose: str):
    """Import ``module`` or raise :class:`MissingExtraError` saying how to install it.

    >>> require_extra("numpy", "numpy", "arrays").__name__
    'numpy'
    >>> require_extra("no_such_module_here", "nothing", "a doctest")
    Traceback (most recent call last):
    ...
    symbp.datasets.MissingExtraError: nothing is needed for a doctest but is not installed: pip install -e ".[train]"
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{package} is needed for {purpose} but is not installed: {INSTALL_TRAIN}") from None


@dataclass(frozen=True)
class Split:
    """A data set split into training and test parts, examples as columns.

    ``X_*`` is (features, examples), ``Y_*`` one-hot (classes, examples),
    ``labels_*`` the class index of each example.
    """

    name: str
    X_train: np.ndarray
    Y_train: np.ndarray
    labels_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    labels_test: np.ndarray

    @property
    def features(self) -> int:
        """The number of inputs per example (the network's n0)."""
        return self.X_train.shape[0]

    @property
    def classes(self) -> int:
        """The number of classes (the network's nL)."""
        return self.Y_train.shape[0]

    def describe(self) -> str:
        """One line: sizes of the parts.

        >>> s = Split("toy", np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(3), np.zeros((2, 1)), np.zeros((4, 1)), np.zeros(1))
        >>> s.describe()
        'toy: 3 training and 1 test examples, 2 features, 4 classes'
        """
        return (
            f"{self.name}: {self.X_train.shape[1]} training and {self.X_test.shape[1]} test examples, "
            f"{self.features} features, {self.classes} classes"
        )


def one_hot(labels: np.ndarray, classes: int, dtype: str = "float64") -> np.ndarray:
    """One-hot targets as columns: entry (k, j) is 1 where example j has class k.

    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 1.],
           [0., 0.],
           [1., 0.]])
    """
    Y = np.zeros((classes, len(labels)), dtype=dtype)
    Y[np.asarray(labels, dtype=int), np.arange(len(labels))] = 1
    return Y


def _unit(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    top = float(np.abs(train).max()) or 1.0
    return train / top, test / top


def _standard(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, std = train.mean(axis=1, keepdims=True), train.std(axis=1, keepdims=True)
    std[std == 0] = 1.0  # a constant feature stays 0
    return (train - mean) / std, (test - mean) / std


#: Input scalings, fitted on the training part only: name -> (function, description).
SCALINGS: dict[str, tuple[Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]], str]] = {
    "unit": (_unit, "divide by the largest training value: inputs in [0, 1]"),
    "standard": (_standard, "per feature: subtract the training mean, divide by the training standard deviation"),
    "none": (lambda train, test: (train, test), "raw values"),
}


@dataclass(frozen=True)
class DataSource:
    """A data set in :data:`DATASETS`: ``read()`` returns (features x examples, labels)."""

    name: str
    description: str
    read: Callable[[], tuple[np.ndarray, np.ndarray]]


def _read_digits() -> tuple[np.ndarray, np.ndarray]:
    datasets = require_extra("sklearn.datasets", "scikit-learn", "--data digits")
    digits = datasets.load_digits()
    return digits.data.T.astype(np.float64), digits.target.astype(int)


#: The one table of data sets: name -> source.
DATASETS: dict[str, DataSource] = {
    "digits": DataSource(
        "digits",
        "scikit-learn's bundled handwritten digits: 1,797 images of 8 x 8 pixels (values 0-16), classes 0-9",
        _read_digits,
    ),
}


def load(
    name: str, *, test_fraction: float = 0.2, seed: int = 0, scaling: str = "unit", dtype: str = "float64"
) -> Split:
    """Load data set ``name``, split it (stratified by class) and scale its inputs.

    Parameters
    ----------
    name
        A key of :data:`DATASETS`.
    test_fraction
        The share of examples held out for testing, in (0, 1).
    seed
        Seeds the split.
    scaling
        A key of :data:`SCALINGS`, fitted on the training part.
    dtype
        ``"float64"`` or ``"float32"``.

    Examples
    --------
    >>> load("mnist")
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: unknown data set 'mnist'; valid: digits
    """
    if name not in DATASETS:
        raise SpecError(f"unknown data set {name!r}; valid: {', '.join(DATASETS)}")
    if scaling not in SCALINGS:
        raise SpecError(f"unknown scaling {scaling!r}; valid: {', '.join(SCALINGS)}")
    if not 0 < test_fraction < 1:
        raise SpecError(f"test fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    X, labels = DATASETS[name].read()
    classes = int(labels.max()) + 1
    n_test = math.ceil(test_fraction * len(labels))  # as scikit-learn's train_test_split rounds
    for part, size in (("training", len(labels) - n_test), ("testing", n_test)):
        if size < classes:  # the stratified split would fail inside scikit-learn
            raise SpecError(
                f"test fraction {test_fraction:g} leaves {size} of the {len(labels)} examples of {name} for {part}: "
                f"each part needs at least one example of each of its {classes} classes"
            )
    model_selection = require_extra("sklearn.model_selection", "scikit-learn", f"--data {name}")
    train, test = model_selection.train_test_split(
        np.arange(len(labels)), test_size=test_fraction, random_state=seed, stratify=labels
    )
    X_train, X_test = SCALINGS[scaling][0](X[:, train], X[:, test])
    return Split(
        name,
        np.ascontiguousarray(X_train, dtype=dtype),
        one_hot(labels[train], classes, dtype),
        labels[train],
        np.ascontiguousarray(X_test, dtype=dtype),
        one_hot(labels[test], classes, dtype),
        labels[test],
    )
