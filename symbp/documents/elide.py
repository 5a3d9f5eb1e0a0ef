r"""Elided terms: ``a_1 + \dots + a_N`` and matrices written by their corners.

Tutorials write sums and matrices by their first and last entries. This module
recovers the pattern: the first and the last term (or the corner entries of a
matrix) must be the same LaTeX except at the characters that carry the running
index (``dW_l^{(1)}`` and ``dW_l^{(N)}``; ``w_{11}``, ``w_{1m}`` and ``w_{n1}``).
A sum becomes ``\sum_{r=1}^{N} (dW_l^{(r)})``; a matrix becomes a template
entry with one index for its rows and one for its columns, and where the index
stops (``N``, ``m``, ``n``) is looked up like any other symbol, so it means the
batch size or a layer's width through the notation. Anything that does not
follow one index pattern is an error that says so. Non-goals: ellipses in
products or nested function calls (``g(w g(\dots))``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Elided", "ELLIPSES", "elide_sums", "elided_matrix", "ElisionError"]

ELLIPSES = {r"\dots", r"\ldots", r"\cdots", r"\vdots", r"\ddots", r"\dotsc", r"\dotsb"}
VARIABLES = "rcpqstuvkefhg"


class ElisionError(ValueError):
    """Elided terms whose first and last do not differ by one running index."""


@dataclass(frozen=True)
class Elided:
    """A matrix given by its corners: ``template`` (LaTeX with the index letters) and each axis' range."""

    template: str
    rows: tuple[str, str, str] | None  # (index letter, first, last) as LaTeX
    cols: tuple[str, str, str] | None
    offset: int


def _free_letter(text: str, taken: str = "") -> str:
    plain = re.sub(r"\\[A-Za-z]+", " ", text)  # letters of commands (\frac) do not count
    for letter in VARIABLES:
        if letter not in taken and letter not in plain:
            return letter
    raise ElisionError("no free letter for the index of elided terms")


def _difference(first: str, last: str) -> list[int]:
    if len(first) != len(last):
        raise ElisionError(f"the first and last terms {first!r} and {last!r} differ in more than one running index")
    return [k for k, (a, b) in enumerate(zip(first, last)) if a != b]


def _pattern(first: str, last: str, letter: str) -> tuple[str, str, str]:
    """(template, first value, last value) of two terms that differ in one running index."""
    positions = _difference(first, last)
    if not positions:
        raise ElisionError(f"the first and last elided terms are the same: {first!r}")
    pairs = {(first[k], last[k]) for k in positions}
    if len(pairs) != 1:
        raise ElisionError(f"the terms {first!r} and {last!r} differ in more than one running index")
    (lo, hi), = pairs
    chars = list(first)
    for k in positions:
        start = k
        while start > 0 and first[start - 1].isalpha():
            start -= 1
        if not chars[k].isalnum() or (start > 0 and first[start - 1] == "\\"):
            raise ElisionError(f"the running index of {first!r} ... {last!r} is not a single symbol")
        chars[k] = letter
    return "".join(chars), lo, hi


def elide_sums(text: str, spans: list[tuple[int, int, int, int]]) -> str:
    r"""Rewrite ``first + \dots + last`` (spans of the two terms in ``text``) as a ``\sum``.

    ``spans`` holds (first start, first end, last start, last end), rightmost last.

    Examples
    --------
    >>> t = r"dW^{(1)} + \dots + dW^{(N)}"
    >>> elide_sums(t, [(0, 8, 19, 27)])
    '\\sum_{r=1}^{N} \\left(dW^{(r)}\\right)'
    """
    for first_start, first_end, last_start, last_end in sorted(spans, reverse=True):
        first, last = text[first_start:first_end].strip(), text[last_start:last_end].strip()
        letter = _free_letter(text)
        template, lo, hi = _pattern(first, last, letter)
        text = text[:first_start] + rf"\sum_{{{letter}={lo}}}^{{{hi}}} \left({template}\right)" + text[last_end:]
    return text


def elided_matrix(cells: list[list[str]], offset: int) -> Elided:
    r"""The pattern of a matrix written with ``\dots``, ``\vdots``, ``\ddots`` (cells as LaTeX text).

    Examples
    --------
    >>> e = elided_matrix([["w_{11}", r"\dots", "w_{1m}"], [r"\vdots", r"\ddots", r"\vdots"],
    ...                    ["w_{n1}", r"\dots", "w_{nm}"]], 0)
    >>> e.template, e.rows, e.cols
    ('w_{rc}', ('r', '1', 'n'), ('c', '1', 'm'))
    """
    def elided(cell: str) -> bool:
        return cell.strip() in ELLIPSES or cell.strip() in (".", "")

    rows = [r for r in cells if not all(elided(c) for c in r)]
    if not rows:
        raise ElisionError("a matrix of ellipses only")
    grid = [[c for c in r if not elided(c)] for r in rows]
    if any(len(r) != len(grid[0]) for r in grid) or len(grid) > 2 or len(grid[0]) > 2:
        raise ElisionError("an elided matrix must be written by its first and last rows and columns")
    text = " ".join(c for r in cells for c in r)
    row_letter = _free_letter(text)
    col_letter = _free_letter(text, row_letter)
    corner = grid[0][0].strip()
    rows_axis = cols_axis = None
    template = corner
    if len(grid[0]) == 2:
        template, lo, hi = _pattern(corner, grid[0][1].strip(), col_letter)
        cols_axis = (col_letter, lo, hi)
    if len(grid) == 2:
        row_template, lo, hi = _pattern(corner, grid[1][0].strip(), row_letter)
        rows_axis = (row_letter, lo, hi)
        merged = list(template)
        for k, (a, b) in enumerate(zip(corner, row_template)):
            if a != b:
                merged[k] = row_letter
        template = "".join(merged)
    if rows_axis is None and cols_axis is None:
        raise ElisionError("elided entries with nothing to repeat")
    return Elided(template, rows_axis, cols_axis, offset)
