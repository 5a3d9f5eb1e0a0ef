"""``symbp codegen``: write a standalone NumPy module with the network's forward pass, cost and gradients."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..compile import DTYPES, module_source
from ..errors import SymbpError
from ..network import Network
from ..textfiles import write_text


def add_parser(sub) -> None:
    """Register ``symbp codegen``."""
    p = sub.add_parser(
        "codegen",
        help="write a standalone NumPy module with forward, cost and gradients",
        description=(
            "Derive the gradients of the network in NETWORK_TOML in matrix form and write them as a readable "
            "Python module that needs only NumPy: forward(params, X), cost(params, X, Y) and "
            "gradients(params, X, Y) -> {'W1': ..., 'b1': ...}, with X of shape (n_0, m) and Y (n_L, m) for any m, "
            "named as in the equations (dZ2, dW2, ...)."
        ),
    )
    p.add_argument("network", metavar="NETWORK_TOML", help="a network.toml file (widths, activations, cost)")
    p.add_argument("-o", "--output", metavar="FILE", default="-", help="the module to write (default: standard output)")
    p.add_argument("--dtype", choices=DTYPES, default="float64", help="the dtype the functions accept (default float64)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Generate the module and write it."""
    net = Network.from_toml(args.network)
    source = module_source(net, args.dtype)
    if args.output == "-":
        sys.stdout.write(source)
        return 0
    path = Path(args.output)
    if path.suffix != ".py":
        raise SymbpError(f"-o {path}: the output must be a Python file ending in .py")
    write_text(path, source, "-o")
    print(f"wrote {path}: forward, cost and gradients of {list(net.spec.widths)} ({args.dtype})", file=sys.stderr)
    return 0
