"""``symbp check``: prove a network's autodiff gradients equal to the backprop equations."""

from __future__ import annotations

import argparse
import json
import sys

from ..check import FORMS
from ..network import Network

#: Parameters x examples x 3^(depth - 2) above which the reference engine (SymPy's diff of the whole cost) takes
#: more than seconds. Measured: [4, 4, 2] m = 1 (30) 4 s, [2, 3, 2] m = 3 (51) 5 s, [3, 3, 3, 2] m = 1 (96) 5 s;
#: [8, 8, 4] m = 2 (216) and [1, 1, 1, 1, 1] m = 3 (216) over 100 s.
REFERENCE_QUICK = 100


def add_parser(sub) -> None:
    """Register ``symbp check``."""
    p = sub.add_parser(
        "check",
        help="prove the autodiff gradients equal to the hand-derived backprop equations",
        description=(
            "Build the network of NETWORK_TOML, derive dC/dw and dC/db for every parameter by automatic "
            "(symbolic) differentiation, and prove each equal, exactly, to the gradient the backprop "
            "equations give. Exit status: 0 all proved, 1 a mismatch or an unproved gradient, 2 bad input."
        ),
    )
    p.add_argument("network", metavar="NETWORK_TOML", help="a network.toml file (widths, activations, cost, batch)")
    p.add_argument(
        "--engine",
        choices=("reverse", "both"),
        default="reverse",
        help="autodiff engine: reverse mode (default), or both engines proved to agree (small networks)",
    )
    p.add_argument(
        "--form",
        choices=(*FORMS, "all"),
        default="all",
        help="which hand-derived form to check: per_example (BP1-BP4), vectorized, or all (default)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the check and print the report."""
    net = Network.from_toml(args.network)
    forms = tuple(FORMS) if args.form == "all" else (args.form,)
    note = slow_reference_note(net.spec) if args.engine == "both" else None
    if note:
        print(note, file=sys.stderr, flush=True)
    report = net.check(engine=args.engine, forms=forms)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"symbp check {args.network}")
        print(report.summary())
    return 0 if report.ok else 1


def slow_reference_note(spec) -> str | None:
    """A line warning that ``--engine both`` will be slow on ``spec``, or None for a small network.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> slow_reference_note(NetworkSpec((4, 4, 2), ("sigmoid", "softmax"), "sse")) is None
    True
    >>> slow_reference_note(NetworkSpec((1, 1, 1, 1, 1), ("sigmoid",) * 4, "half_sse", batch=3)) is None
    False
    >>> print(slow_reference_note(NetworkSpec((8, 8, 4), ("sigmoid", "softmax"), "cross_entropy", batch=2)))
    note: --engine both also differentiates the whole cost as one SymPy expression, which grows fast with depth and batch: 108 parameters x 2 examples can take minutes (the reverse engine alone takes seconds)
    """
    size = spec.parameter_count * spec.batch * 3 ** max(spec.depth - 2, 0)
    if size <= REFERENCE_QUICK:
        return None
    return (f"note: --engine both also differentiates the whole cost as one SymPy expression, which grows fast with "
            f"depth and batch: {spec.parameter_count} parameters x {spec.batch} example{'s' if spec.batch > 1 else ''} "
            f"can take minutes (the reverse engine alone takes seconds)")
