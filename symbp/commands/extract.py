"""``symbp extract``: find the math of a document and write a claims-file scaffold."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..documents.scaffold import scaffold, symbols_of
from ..documents.extract import equations, extract_math, is_equation
from ..documents.notation import BUILTIN
from ..errors import SymbpError
from ..textfiles import read_text, write_text


def add_parser(sub) -> None:
    """Register ``symbp extract``."""
    p = sub.add_parser(
        "extract",
        help="find every piece of math in a document and scaffold a claims file for symbp verify",
        description=(
            "Find the math of DOCUMENT (Markdown, LaTeX or plain text: $...$, $$...$$, \\(...\\), \\[...\\], "
            "\\begin{align}..., bare display lines) and write a claims file with one claim per equation, its line "
            "number, and a guessed kind. Fill in [context] and [notation], confirm the kinds, then run symbp verify."
        ),
    )
    p.add_argument("document", metavar="DOCUMENT", help="the document to read")
    p.add_argument("-o", "--output", metavar="CLAIMS_TOML", help="where to write the claims file (default: print it)")
    p.add_argument("--network", metavar="NETWORK_TOML", help="the network file to name in [context]: a path from -o's folder, or from the "
                   "current folder (then rewritten from -o's folder)")
    p.add_argument("--all", action="store_true", help="also make claims of math without '=' (single symbols...)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Extract and write the scaffold."""
    path = Path(args.document)
    text = read_text(path, lenient=True)
    unclosed: list[tuple[int, str]] = []
    items = extract_math(text, unclosed)
    for line, opening in unclosed:
        print(f"symbp extract: note: {path}, line {line}: {opening} is never closed; the math after it is not read",
              file=sys.stderr)
    if not items:
        raise SymbpError(f"{path}: no math found (looked for $...$, $$...$$, \\(...\\), \\[...\\], \\begin{{align}} and "
                         f"bare LaTeX lines with '=')")
    claims = [row for item in items for row in equations(item) if args.all or is_equation(row.latex)]
    symbols: list[str] = []
    unread: list[str] = []  # said once the scaffold is written (bad input stops with one line before)
    for item in items:
        found, error = symbols_of(item.latex)
        if error is not None:
            unread.append(f"symbp extract: note: {path}, line {item.line}: the math cannot be read whole ({error}); "
                          f"[notation] lists the symbols found in its parts")
        symbols += [s for s in found if s not in symbols and s.rstrip("'") not in BUILTIN]
    document, network = path.name, args.network
    if args.output:  # the claims file names both from its own folder, where symbp verify reads them
        folder = Path(args.output).resolve().parent
        document = _from(folder, path)
        if network and not (folder / network).is_file() and Path(network).is_file():
            network = _from(folder, Path(network))
    output = scaffold(document, claims, symbols, network=network)
    if args.output:
        write_text(args.output, output, "-o")
        print(f"symbp extract: {len(items)} pieces of math in {path} ({len(claims)} claims, {len(symbols)} symbols); "
              f"wrote {args.output}")
    else:
        print(output, end="")
    for note in unread:
        print(note, file=sys.stderr)
    return 0


def _from(folder: Path, path: Path) -> str:
    """``path`` written relative to ``folder`` (with forward slashes), or absolute when no relative path exists.

    >>> _from(Path("/work/out"), Path("/work/docs/notes.md"))
    '../docs/notes.md'
    """
    target = path.resolve()
    try:
        return Path(os.path.relpath(target, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()
