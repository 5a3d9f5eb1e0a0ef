"""Extraction reads relations, rows and lists with the reader's tokens (:mod:`symbp.documents.tokens`).

Each case here is one where the extractor once scanned the text by hand and so disagreed with the reader.
"""

from __future__ import annotations

import pytest

from symbp.documents.extract import MathItem, equations, extract_math, is_equation
from symbp.documents.reader import read
from symbp.documents.tokens import RELATIONS


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_every_relation_the_reader_splits_at_makes_an_equation(relation):
    text = f"a {relation} b"
    assert len(read(text).chains[0]) == 2  # the reader's oracle: two sides
    assert is_equation(text)


@pytest.mark.parametrize("text, expected", [
    (r"a <= b", False),               # code's comparisons are not statements
    (r"a != b", False),
    (r"a \= b", False),               # an accent command, not an equals sign
    (r"\sum_{i=1}^{n} x_i", True),    # an "=" anywhere counts, as before
    (r"a \equivb", False),            # an unknown command, not \equiv
    ("a % = b", False),               # what follows % is a LaTeX comment
    ("z = \\sigma(x) \\", True),      # a trailing backslash (a Markdown line break) does not hide the "="
])
def test_is_equation(text, expected):
    assert is_equation(text) is expected


def _rows(latex: str) -> list[str]:
    return [e.latex for item in extract_math(latex) for e in equations(item)]


def test_a_row_that_starts_with_gets_continues_the_equation_above():
    latex = "\\begin{align}\nw &= v \\\\\n  &\\gets u\n\\end{align}\n"
    assert _rows(latex) == ["w &= v \\\\\n  &\\gets u"]


def test_a_row_break_inside_parentheses_does_not_cut_the_equation():
    """The reader (split_chains) keeps a parenthesised expression broken over rows together; so does extraction."""
    latex = "\\begin{align}\nC &= \\frac{1}{2}\\Big( (a_1 - y_1)^2 \\\\\n &\\qquad + (a_2 - y_2)^2 \\Big)\n\\end{align}\n"
    (row,) = _rows(latex)
    assert row.startswith("C &=") and row.endswith("\\Big)")


def test_a_row_break_inside_a_comment_does_not_cut():
    latex = "\\begin{align}\na &= b % old: \\\\ c = d\n\\\\ e &= f\n\\end{align}\n"
    assert _rows(latex) == ["a &= b % old: \\\\ c = d", "e &= f"]


def test_a_tie_after_the_comma_of_a_list_is_not_part_of_the_next_equation():
    item = MathItem(1, 1, r"w_{11} = 0.15,~w_{12} = 0.20", "$$", True, 1)
    assert [(e.column, e.latex) for e in equations(item)] == [(1, "w_{11} = 0.15"), (16, "w_{12} = 0.20")]


@pytest.mark.parametrize("latex, parts", [
    (r"a = 1 \, b = 2", ["a = 1", "b = 2"]),      # a thin space separates equations, as before
    (r"a = 1 \; b = 2", [r"a = 1 \; b = 2"]),     # a medium space alone does not
    (r"a = 1, \quad b = f(x, y)", ["a = 1", "b = f(x, y)"]),  # a comma inside a call is no separator
    (r"a = 1, b", ["a = 1, b"]),                  # every part must be an equation
])
def test_lists_of_equations(latex, parts):
    assert [e.latex for e in equations(MathItem(1, 1, latex, "$$", True, 1))] == parts
