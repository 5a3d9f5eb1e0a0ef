"""Derivation documents: checked steps, rendered as LaTeX or Markdown.

A :class:`Derivation` is a title and a list of blocks: headings, paragraphs
(prose with inline math) and displays. A display holds :class:`Row` objects,
``lhs = e1 = e2 ...``; each link carries how it was established (the proof
method of :mod:`symbp.derivation_check`, or "definition"). Rows hold SymPy
objects, never LaTeX strings: the text comes from
:class:`~symbp.printing.BackpropLatexPrinter` with the notation's names, at
render time. :func:`derive` builds the document of a network (see
:mod:`symbp.derivation_sections`); every row was proved before it was added.

Renderers: :meth:`Derivation.tex` (a standalone article for pdflatex),
:meth:`Derivation.markdown` (``$$...$$`` displays with ``aligned``, for KaTeX
and MathJax); in Jupyter, ``_repr_markdown_`` and ``_repr_latex_``. Long rows
break one link per line; a long sum breaks between its terms.
Non-goals: proving (see :mod:`symbp.derivation_check`), choosing the steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import sympy as sp

from sympy.printing.precedence import PRECEDENCE

from .printing import BackpropLatexPrinter

__all__ = ["Link", "Row", "Display", "Text", "Math", "Shape", "Heading", "Derivation", "derive"]

#: Rows wider than this (in estimated printed characters) break one link per line.
LINE_WIDTH = 62


@dataclass(frozen=True)
class Link:
    """``relation expr`` after the left side or the previous link; ``how`` says why it holds.

    ``names`` are printer names for this link only: the numbers of a worked
    example, printed in place of the symbols of the (checked) expression.
    """

    relation: str
    expr: sp.Basic
    how: str
    names: Mapping[sp.Basic, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One displayed line of equalities: ``lhs = links[0].expr = links[1].expr ...``; ``tag`` labels it (``BP1``)."""

    lhs: sp.Basic
    links: tuple[Link, ...]
    tag: str = ""

    def expressions(self) -> list[sp.Basic]:
        """The left side and every linked expression, in order."""
        return [self.lhs, *(link.expr for link in self.links)]


@dataclass(frozen=True)
class Display:
    """Rows shown together, aligned at their first relation."""

    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Math:
    """Inline math already printed (scaffolding such as a shape), not a checked equation."""

    tex: str


@dataclass(frozen=True)
class Shape:
    """Inline ``A, B \\in \\mathbb{R}^{r \\times c}`` for matrix symbols of one shape."""

    symbols: tuple[sp.MatrixSymbol, ...]


@dataclass(frozen=True)
class Text:
    """A paragraph: prose strings, SymPy objects (printed inline), :class:`Math` and :class:`Shape`."""

    parts: tuple[str | sp.Basic | Math | Shape, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str


Block = Heading | Text | Display


@dataclass(frozen=True)
class Derivation:
    """A derivation document; every displayed link was checked before it was added.

    ``settings`` are the printer settings (``symbol_names`` from the notation).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> d = Derivation("Squares", (Display((Row(x**2 - 1, (Link("=", (x - 1) * (x + 1), "cancel"),)),)),))
    >>> print(d.markdown())
    # Squares
    <BLANKLINE>
    $$
    \\begin{aligned}
    x^{2} - 1 &= \\left(x - 1\\right) \\left(x + 1\\right)
    \\end{aligned}
    $$
    <BLANKLINE>
    """

    title: str
    blocks: tuple[Block, ...]
    settings: Mapping[str, object] = field(default_factory=dict)
    notation: str = ""

    def rows(self) -> Iterator[Row]:
        """Every displayed row, in order."""
        for block in self.blocks:
            if isinstance(block, Display):
                yield from block.rows

    def latex(self, expr: sp.Basic, names: Mapping[sp.Basic, str] | None = None) -> str:
        """Print ``expr`` in this derivation's notation (``names``: numbers printed in place of objects)."""
        return BackpropLatexPrinter(self._settings_for(names)).doprint(expr)

    # ----- Renderers -----
    def tex(self) -> str:
        """A standalone LaTeX document (article class, amsmath)."""
        out = [_TEX_PREAMBLE, rf"\title{{{_tex_escape(self.title)}}}", r"\date{}", r"\begin{document}", r"\maketitle", ""]
        for block in self.blocks:
            if isinstance(block, Heading):
                out += [rf"\section*{{{_tex_escape(block.text)}}}", ""]
            elif isinstance(block, Text):
                out += [self._paragraph(block, _tex_escape), ""]
            else:
                out += [r"\begin{align*}", " \\\\\n".join(self._display_lines(block)), r"\end{align*}", ""]
        out.append(r"\end{document}")
        return "\n".join(out) + "\n"

    def markdown(self) -> str:
        """Markdown with ``$...$`` inline math and ``$$`` displays of ``aligned`` blocks."""
        out = [f"# {self.title}", ""]
        for block in self.blocks:
            if isinstance(block, Heading):
                out += [f"## {block.text}", ""]
            elif isinstance(block, Text):
                out += [self._paragraph(block, _md_escape), ""]
            else:
                body = " \\\\\n".join(self._display_lines(block))
                out += ["$$", r"\begin{aligned}", body, r"\end{aligned}", "$$", ""]
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_latex_(self) -> str:
        # Jupyter shows LaTeX through MathJax: the displays only, one aligned block each.
        parts = []
        for block in self.blocks:
            if isinstance(block, Display):
                parts.append("$$\\begin{aligned}\n" + " \\\\\n".join(self._display_lines(block)) + "\n\\end{aligned}$$")
        return "\n".join(parts)

    def _paragraph(self, block: Text, escape) -> str:
        pieces = []
        for part in block.parts:
            if isinstance(part, str):
                pieces.append(escape(part))
            elif isinstance(part, Math):
                pieces.append(f"${part.tex}$")
            elif isinstance(part, Shape):
                rows, cols = (self.latex(n) for n in part.symbols[0].shape)
                pieces.append(f"${', '.join(self.latex(x) for x in part.symbols)} \\in \\mathbb{{R}}^{{{rows} \\times {cols}}}$")
            else:
                pieces.append(f"${self.latex(part)}$")
        return "".join(pieces)

    def _display_lines(self, display: Display) -> list[str]:
        lines: list[str] = []
        for row in display.rows:
            lines += self._row_lines(row)
        return lines

    def _row_lines(self, row: Row) -> list[str]:
        lhs = self.latex(row.lhs)
        rhs = [(link.relation, self.latex(link.expr, link.names), link) for link in row.links]
        tag = rf" \qquad \text{{({row.tag})}}" if row.tag else ""
        one_line = f"{lhs} &" + " ".join(f"{rel} {text}" for rel, text, _ in rhs)
        if width(one_line) <= LINE_WIDTH:
            return [one_line + tag]
        lines = []
        for n, (rel, text, link) in enumerate(rhs):
            head = lhs if n == 0 else ""
            pieces = self._split(link) if width(text) > LINE_WIDTH else [text]
            lines.append(f"{head} &{rel} {pieces[0]}")
            lines += [rf"&\quad {piece}" for piece in pieces[1:]]
        lines[0] += tag
        return lines

    def _split(self, link: Link) -> list[str]:
        """A long sum, or a product with a long sum as a factor, broken between the terms of the sum."""
        printer = BackpropLatexPrinter(self._settings_for(link.names))
        expr = link.expr
        if isinstance(expr, sp.Add):
            return _chunks(printer.terms(expr))
        sums = [f for f in expr.args if isinstance(f, sp.Add)] if isinstance(expr, sp.Mul) else []
        if len(sums) != 1:
            return [printer.doprint(expr)]
        inner = sums[0]
        position = expr.args.index(inner)
        sep = r" \cdot " if printer._settings["mul_symbol"] == "dot" else " "
        before = sep.join(printer.parenthesize(f, PRECEDENCE["Mul"], strict=True) for f in expr.args[:position])
        after = sep.join(printer.parenthesize(f, PRECEDENCE["Mul"], strict=True) for f in expr.args[position + 1 :])
        chunks = _chunks(printer.terms(inner))
        big = "bigg" if r"\frac" in "".join(chunks) else "big"
        chunks[0] = (before + sep if before else "") + rf"\{big}l(" + chunks[0]
        chunks[-1] += rf"\{big}r)" + (sep + after if after else "")
        return chunks

    def _settings_for(self, names) -> dict:
        settings = dict(self.settings)
        if names:
            settings["names"] = {**settings.get("names", {}), **names}
            settings["mul_symbol"] = "dot"
        return settings


def _chunks(terms: Sequence[str]) -> list[str]:
    """Group the printed terms of a sum into lines of at most about :data:`LINE_WIDTH`."""
    chunks: list[str] = []
    for term in terms:
        if chunks and width(chunks[-1] + term) <= LINE_WIDTH - 6:
            chunks[-1] += " " + term
        else:
            chunks.append(term)
    return chunks


# ----- Width estimate: roughly the number of characters a reader sees -----
_MATRIX = re.compile(r"\\begin\{matrix\}(.*?)\\end\{matrix\}", re.S)
_INVISIBLE = re.compile(r"\\(left|right|mathcal|mathbf|operatorname|hat|text|mathrm|quad|qquad)\b")


def width(tex: str) -> float:
    r"""Estimated printed width of ``tex``; a fraction counts as its wider part.

    Examples
    --------
    >>> width(r"\frac{\partial C}{\partial w_{12}}") < width(r"\partial C \partial w_{12}")
    True
    >>> width(r"\partial \hat{y}_{1}"), width(r"\left(a^{[2]}_{1} - y_{1}\right)")
    (3.0, 10.0)
    >>> width(r"\left[\begin{matrix}0.9478\\0.8022\end{matrix}\right]")
    8.0
    """
    while True:
        start = tex.find(r"\frac{")
        if start < 0:
            break
        numerator, after = _group(tex, start + 5)
        denominator, end = _group(tex, after)
        tex = tex[:start] + "x" * int(max(width(numerator), width(denominator))) + tex[end:]
    # A matrix is as wide as its widest row, a row as its cells side by side.
    tex = _MATRIX.sub(lambda m: "x" * int(max(sum(width(cell) + 1 for cell in row.split("&")) - 1
                                              for row in m.group(1).split("\\\\"))), tex)
    tex = _INVISIBLE.sub("", tex)
    # Commands before spaces and braces go: "\partial L" is two symbols, not one command \partialL.
    tex = re.sub(r"\\[a-zA-Z]+", "x", tex)
    return float(len(re.sub(r"[{}_^ &]", "", tex)))


def _group(tex: str, start: int) -> tuple[str, int]:
    """The brace group opening at ``start``: its content and the index after it."""
    depth = 0
    for i in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0:
            return tex[start + 1 : i], i + 1
    return tex[start + 1 :], len(tex)


# ----- Document scaffolding -----
_TEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{lmodern}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}"""

# An underscore may break the line after it: binary_cross_entropy is one word that ran into the margin.
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_\allowbreak{}",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex_escape(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


def _md_escape(text: str) -> str:
    return text.replace("$", r"\$")


def derive(network, *, notation: str = "ng", weight: str | None = None) -> Derivation:
    """The checked derivation of a network's backpropagation.

    ``network`` is a :class:`~symbp.network.Network`, a
    :class:`~symbp.spec.NetworkSpec` or a path to a ``network.toml``;
    ``notation`` a built-in notation name (``ng``, ``nielsen``, ``padhai``), a
    ``.toml`` file or a :class:`~symbp.notation.Notation`; ``weight`` the weight
    to follow through the chain rule, in code form (``"W2[0][1]"``).

    Examples
    --------
    >>> from symbp import Network
    >>> d = derive(Network([2, 2, 1], ["sigmoid", "sigmoid"], "half_sse"), notation="nielsen")
    >>> d.notation, len(list(d.rows())) > 10
    ('nielsen', True)
    """
    from .derivation_sections import build_derivation

    return build_derivation(network, notation=notation, weight=weight)
