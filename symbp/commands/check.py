"""``symbp check``: prove a network's autodiff gradients equal to the backprop equations."""

from __future__ import annotations

import argparse
import json

from ..check import FORMS
from ..network import Network


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
    report = net.check(engine=args.engine, forms=forms)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"symbp check {args.network}")
        print(report.summary())
    return 0 if report.ok else 1
