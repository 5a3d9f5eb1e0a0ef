"""``symbp verify``: check every claim of a claims file against symbp's autodiff and the example's numbers."""

from __future__ import annotations

import argparse

from ..documents.report import to_json, to_markdown, to_table
from ..documents.verify import SECONDS_PER_CLAIM, verify_file


def add_parser(sub) -> None:
    """Register ``symbp verify``."""
    p = sub.add_parser(
        "verify",
        help="check every equation and number of a document (a claims file) and explain the wrong ones",
        description=(
            "Check each claim of CLAIMS_TOML: identities and derivatives against symbp's exact autodiff on the "
            "network of [context], numbers at the worked example at the precision printed, chains link by link; "
            "for a wrong claim, name the common mistake that reproduces it. Verdicts: correct, wrong, rounding "
            "(right only up to the document's rounding of its own intermediate values), unchecked (with the "
            "reason). Exit status: 0 every verdict as expected, 1 a wrong claim (or a verdict differing from a "
            "claim's expect), 2 bad input."
        ),
    )
    p.add_argument("claims", metavar="CLAIMS_TOML", help="the claims file (see symbp/documents/claims.py)")
    p.add_argument("--document", metavar="PATH", help="the document, or the folder holding it "
                   "(default: beside the claims file)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the results as JSON")
    out.add_argument("--markdown", action="store_true", help="print the results as a Markdown table")
    p.add_argument("--time-limit", type=_seconds, default=SECONDS_PER_CLAIM, metavar="SECONDS",
                   help=f"time limit per claim (default {SECONDS_PER_CLAIM:g}); beyond it: unchecked (time limit)")
    p.set_defaults(run=run)


def _seconds(text: str) -> float:
    """A time limit: a positive, finite number of seconds (argparse reports the error)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def run(args: argparse.Namespace) -> int:
    """Verify and print."""
    report = verify_file(args.claims, args.document, seconds=args.time_limit)
    if args.json:
        print(to_json(report))
    elif args.markdown:
        print(to_markdown(report), end="")
    else:
        print(to_table(report))
    return 1 if report.surprises else 0
