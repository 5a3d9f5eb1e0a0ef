"""``symbp derive``: write a network's backpropagation derivation, every step proved first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..derivation import Derivation, derive
from ..derivation_check import DerivationError
from ..errors import SymbpError
from ..network import Network
from ..notation import NOTATIONS
from ..textfiles import write_text

FORMATS = {"tex": Derivation.tex, "md": Derivation.markdown}


def add_parser(sub) -> None:
    """Register ``symbp derive``."""
    p = sub.add_parser(
        "derive",
        help="write the step-by-step backprop derivation of a network (LaTeX or Markdown), every step proved",
        description=(
            "Write the derivation of NETWORK_TOML's backpropagation: the forward pass, the chain rule for one "
            "output weight, every path to a hidden weight and the error recursion, the four backprop equations "
            "with their batch forms and shapes, the gradient-descent update and, when the file has an [example] "
            "table, all of it at those numbers. Each equation is proved with SymPy before it is written; a step "
            "that cannot be proved stops the command (exit status 1) and nothing is written; bad input exits 2."
        ),
    )
    p.add_argument("network", metavar="NETWORK_TOML", help="a network.toml file")
    p.add_argument("--format", choices=sorted(FORMATS), help="tex (a standalone LaTeX article) or md "
                   "(Markdown with $$ displays); default: from the extension of -o, else md")
    p.add_argument("--notation", metavar="NAME|FILE.toml",
                   help=f"{', '.join(NOTATIONS)} (default ng), or a TOML file defining a notation")
    p.add_argument("--weight", metavar="W2[0][1]",
                   help="the weight to follow through the chain rule, in code form (layer, 0-based row and column); "
                        "default: one output weight and one weight of the last hidden layer")
    p.add_argument("--matrix", action="store_true",
                   help="instead: the vectorized equations derived by matrix calculus with symbolic sizes, "
                        "with every shape, checked three ways (plain text; exit status 1 if a check fails; "
                        "--format, --notation and --weight are refused with it)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build, check and write the derivation."""
    if args.matrix:
        given = [f"--{name}" for name in ("format", "weight", "notation") if getattr(args, name) is not None]
        if given:
            verb = "does" if len(given) == 1 else "do"
            raise SymbpError(f"{' and '.join(given)} {verb} not apply to --matrix (its output is plain text, for "
                             f"every weight at once); drop {' and '.join(given)} or --matrix")
    network = Network.from_toml(args.network)
    status = 0
    if args.matrix:
        from ..matrixcheck import check_matrix
        from ..matrixprint import format_matrix_derivation

        report = check_matrix(network.spec)  # shapes, equations, and concrete instances entry by entry
        text = format_matrix_derivation(network.spec, report)
        status = 0 if report.ok else 1
    else:
        fmt = args.format or _format_of(args.output)
        try:
            text = FORMATS[fmt](derive(network, notation=args.notation or "ng", weight=args.weight))
        except DerivationError as exc:  # a step that does not hold: a mismatch, like `symbp check`
            print(f"symbp derive: not written: {' '.join(str(exc).split())}", file=sys.stderr)
            return 1
    if not text.endswith("\n"):
        text += "\n"
    if args.output:
        write_text(args.output, text, "-o")
    else:
        sys.stdout.write(text)
    return status


def _format_of(output: str | None) -> str:
    suffix = Path(output).suffix.lower() if output else ""
    if suffix in (".tex", ".latex"):
        return "tex"
    if suffix in (".md", ".markdown", ""):
        return "md"
    raise SymbpError(f"-o {output}: cannot tell the format from {suffix!r}; pass --format tex or --format md")
