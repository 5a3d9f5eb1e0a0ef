"""``symbp train``: train a network on a real data set with the lambdified gradients.

Mini-batch SGD (:mod:`symbp.train`) on a data set of :mod:`symbp.datasets`
(scikit-learn's digits), with a progress bar on a terminal, one line per epoch
on standard output, and a PNG plot of cost and accuracy per epoch. Needs the
optional ``train`` extra (scikit-learn, matplotlib); without it, exit status 2
and a one-line message saying what to install.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..errors import SpecError
from ..datasets import DATASETS, SCALINGS, load, require_extra
from ..network import Network
from ..train import EpochRecord, SGDConfig, check_fits, network_functions, plot_history, train
from ..textfiles import write_text

DEFAULTS = SGDConfig()


def add_parser(sub) -> None:
    """Register ``symbp train``."""
    p = sub.add_parser(
        "train",
        help="train a network on a real data set (mini-batch SGD with the lambdified gradients)",
        description=(
            "Train the network of NETWORK_TOML by mini-batch stochastic gradient descent, the gradients "
            "being symbp's lambdified matrix-form gradients, on a data set that ships with an installed "
            "package. Prints the cost and accuracy per epoch and draws them in a PNG plot. "
            'Needs the train extra: pip install -e ".[train]". The TOML\'s batch is ignored (any m works).'
        ),
    )
    p.add_argument("network", metavar="NETWORK_TOML", help="a network.toml file; its first and last widths must fit the data")
    p.add_argument("--data", choices=tuple(DATASETS), default="digits", help="data set (default %(default)s)")
    p.add_argument("--epochs", type=int, default=DEFAULTS.epochs, help="passes over the training set (default %(default)s)")
    p.add_argument("--batch-size", type=int, default=DEFAULTS.batch_size, help="examples per SGD step (default %(default)s)")
    p.add_argument("--learning-rate", "--lr", type=float, default=DEFAULTS.learning_rate, help="step size (default %(default)s)")
    p.add_argument("--seed", type=int, default=DEFAULTS.seed, help="seeds the split, the weights and the shuffles (default %(default)s)")
    p.add_argument("--test-fraction", type=float, default=0.2, help="share of examples held out for testing (default %(default)s)")
    p.add_argument(
        "--scaling", choices=tuple(SCALINGS), default="unit",
        help="input scaling, fitted on the training part: " + "; ".join(f"{k}: {v[1]}" for k, v in SCALINGS.items()) + " (default %(default)s)",
    )
    p.add_argument("--dtype", choices=("float64", "float32"), default=DEFAULTS.dtype, help="default %(default)s")
    p.add_argument(
        "--threads", type=int, default=1,
        help="BLAS threads (default %(default)s: on matrices this small, more threads cost more than they give)",
    )
    p.add_argument("--plot", type=Path, metavar="PNG", help="where to write the plot (default training-DATA.png)")
    p.add_argument("--no-plot", action="store_true", help="do not draw the plot (matplotlib is then not needed)")
    p.add_argument("--target", type=float, metavar="PERCENT", help="draw a target test accuracy on the plot, e.g. 95")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the per-epoch measurements as JSON")
    p.set_defaults(run=run)


class Progress:
    """A progress bar on a terminal, redrawn in place below the epoch lines; nothing otherwise."""

    def __init__(self, epochs: int, stream=None, width: int = 30) -> None:
        self.epochs, self.stream, self.width = epochs, stream or sys.stderr, width
        self.enabled = self.stream.isatty()
        self.done, self.epoch, self.last = 0.0, 0, 0.0

    def batch(self, epoch: int, batch: int, batches: int) -> None:
        """After each SGD step: redraw at most ten times a second."""
        self.done, self.epoch = ((epoch - 1) * batches + batch) / (self.epochs * batches), epoch
        if time.monotonic() - self.last >= 0.1:
            self.draw()

    def draw(self) -> None:
        if self.enabled:
            self.last = time.monotonic()
            bar = "#" * round(self.done * self.width)
            self.stream.write(f"\r  [{bar:<{self.width}}] {100 * self.done:3.0f}%  epoch {self.epoch}/{self.epochs} ")
            self.stream.flush()

    def clear(self) -> None:
        """Erase the bar (before a line is printed to the same terminal)."""
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 30) + "\r")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Load the data, build the gradients, train, report, plot."""
    started = time.perf_counter()
    if args.threads < 1:
        raise SpecError(f"--threads must be a whole number >= 1, got {args.threads}")
    config = SGDConfig(args.epochs, args.batch_size, args.learning_rate, args.seed, args.dtype)
    plot = None if args.no_plot else (args.plot or Path(f"training-{args.data}.png"))
    if plot is not None:
        require_extra("matplotlib", "matplotlib", "the training plot (or pass --no-plot)")
    if plot is not None and plot.suffix.lower() != ".png":  # matplotlib would write another file or fail
        raise SpecError(f"--plot {plot}: the plot is a PNG file: give a path ending in .png")
    if args.target is not None and not 0 < args.target <= 100:
        raise SpecError(f"--target must be a percentage above 0 and at most 100, got {args.target}")
    for option, path in (("--plot", plot), ("--json", args.json)):
        if path is not None and Path(path).is_dir():
            raise SpecError(f"{option} {path}: is a folder; give a file path")
        if path is not None and not Path(path).resolve().parent.is_dir():
            raise SpecError(f"{option} {path}: the folder {Path(path).resolve().parent} does not exist")
    net = Network.from_toml(args.network)
    split = load(args.data, test_fraction=args.test_fraction, seed=args.seed, scaling=args.scaling, dtype=args.dtype)
    spec = net.spec
    check_fits(split, spec.widths)  # before any output
    grad, forward, cost = network_functions(net, args.dtype)
    print(f"symbp train {args.network}: {list(spec.widths)} {'/'.join(spec.activations)}, {spec.cost}")
    print(f"  data {split.describe()}; inputs scaled: {args.scaling}")
    print(f"  SGD: {config.epochs} epochs, batch size {config.batch_size}, learning rate {config.learning_rate:g}, "
          f"seed {config.seed}, {config.dtype}, {args.threads} BLAS thread{'s' if args.threads != 1 else ''}")
    print(f"  {'epoch':>5} {'seconds':>8} {'train cost':>11} {'test cost':>10} {'train acc':>10} {'test acc':>9}")
    progress = Progress(config.epochs)

    def report(record: EpochRecord) -> None:
        progress.clear()
        m = record.metrics
        print(f"  {record.epoch:>5} {record.seconds:>8.2f} {m['train_cost']:>11.4f} {m['test_cost']:>10.4f} "
              f"{100 * m['train_accuracy']:>9.1f}% {100 * m['test_accuracy']:>8.1f}%", flush=True)
        if record.epoch < config.epochs:
            progress.draw()

    limits = require_extra("threadpoolctl", "threadpoolctl", "limiting the BLAS threads")
    with limits.threadpool_limits(limits=args.threads):
        _, history = train(split, grad, forward, cost, spec.widths, config, on_batch=progress.batch, on_epoch=report)
    last = history.records[-1]
    print(f"test accuracy {100 * last.metrics['test_accuracy']:.1f}% after {last.epoch} epochs: "
          f"{last.seconds:.1f} s of training, {time.perf_counter() - started:.1f} s with loading the data and "
          "compiling the gradients (Python start-up, imports and the plot not counted)")
    if args.json:
        write_text(args.json, json.dumps(history.to_dict(), indent=1), "--json")
    if plot is not None:
        title = (
            f"{list(spec.widths)} {'/'.join(spec.activations)}, {spec.cost}, on {args.data}: "
            f"{100 * last.metrics['test_accuracy']:.1f}% held-out test accuracy after {last.epoch} epochs "
            f"({last.seconds:.1f} s)\nSGD with symbp's lambdified gradients: batch size {config.batch_size}, "
            f"learning rate {config.learning_rate:g}, inputs scaled: {args.scaling}, seed {config.seed}, {config.dtype}"
        )
        print(f"plot: {plot_history(history, plot, title, None if args.target is None else args.target / 100)}")
    return 0
