"""Regenerate derivations/*/derivation.tex and derivation.md from each network.toml.

Usage: python scripts/regenerate_derivations.py [--check]

Each folder is derived in the notation of its seed document. With --check,
nothing is written and the exit status is 1 when a committed derivation
differs from what symbp generates now (tests/test_derivation.py runs the same
comparison).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = ROOT / "derivations"

#: Folder -> (notation, weight to follow or None for the defaults).
TABLE: dict[str, tuple[str, str | None]] = {
    "000-ng-vectorized": ("ng", None),
    "001-nielsen-quadratic": ("nielsen", None),
    "002-linear-activation-batch": ("ng", None),
    "003-padhai-442": ("padhai", None),  # follows w_212 = W2[0][1] and w_131 = W1[2][0], as the document does
}


def render(folder: str) -> dict[str, str]:
    """The generated files of one folder: file name -> text."""
    from symbp.derivation import derive

    notation, weight = TABLE[folder]
    derivation = derive(DERIVATIONS / folder / "network.toml", notation=notation, weight=weight)
    return {"derivation.tex": derivation.tex(), "derivation.md": derivation.markdown()}


def stale() -> list[Path]:
    """Committed derivation files that differ from what is generated now."""
    out = []
    for folder in TABLE:
        for name, text in render(folder).items():
            path = DERIVATIONS / folder / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit status 1 if any)")
    args = parser.parse_args(argv)
    if args.check:
        paths = stale()
        for path in paths:
            print(f"stale: {path.relative_to(ROOT)}")
        return 1 if paths else 0
    for folder in TABLE:
        for name, text in render(folder).items():
            path = DERIVATIONS / folder / name
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
