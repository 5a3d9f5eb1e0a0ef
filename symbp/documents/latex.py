r"""The normalising layer in front of latex2sympy2: tokens, atoms, skeletons.

Tutorial LaTeX is ambiguous in ways latex2sympy2 1.9.1 gets wrong (it reads
``w^{[2]}_{jk}`` as ``w_{jk}**2``, ``\sigma'(z)`` as a product, drops the
``T`` of ``W^T``, takes ``\log`` as base 10). So before latex2sympy2 sees an
expression, this module

* cuts it into tokens (with their offsets in the source, for error messages);
* reads every *atom* -- a symbol with its layer superscripts, indices and
  primes (``w^{[2]}_{jk}``, ``\hat{y}_1``, ``g^{'[l]}``, ``dZ_l``) -- and gives
  it a canonical name (superscript before subscript, braces normalised);
* turns the constructs latex2sympy2 cannot read into *pieces* parsed on their
  own: derivative fractions (``\partial``, ``d``, ``\mathrm{d}``, ``\nabla_a``),
  function calls, transposes (``^T``, ``^{T}``, ``^{[l]T}``), Hadamard
  products (``\odot``, ``\otimes``, ``\circ``), ``np.sum(..., axis=k)``,
  matrices and bracketed rows of numbers, norms, printed decimals (kept with
  their precision);
* leaves a *skeleton*: the arithmetic (sums, products, fractions, powers,
  ``\sum``) over placeholder symbols, which latex2sympy2 parses.

Nothing here evaluates anything. Non-goals: semantics (what a symbol means is
decided by the caller, see :mod:`.reader` and :mod:`.verify`).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from .constructs import Constructs
from .elide import ELLIPSES, elide_sums, ElisionError
from .pieces import Atom, Call, Deriv, ElidedMatrix, Group, Literal, MatrixLit, Node, Norm, NpSum, Transpose
from .tokens import (BUILTIN_FUNCTIONS, DECORATIONS, FUNCTION_BASES, FUNCTION_WORDS, GREEK, HADAMARD, MAX_DEPTH,
                     PLACEHOLDER, RELATIONS, TIMES, LatexParseError, Side, Tok, _group, _text, canonical_atom,
                     classify_superscript, depths, placeholder, split_chains, split_top, tokenize, unwrap)

__all__ = ["LatexParseError", "Tok", "tokenize", "Atom", "Literal", "Call", "Deriv", "Transpose", "NpSum", "Norm",
           "MatrixLit", "ElidedMatrix", "Group", "Node", "Side", "split_chains", "unwrap", "Normaliser",
           "canonical_atom", "placeholder", "PLACEHOLDER"]


@dataclass
class Normaliser(Constructs):
    r"""Turns token runs into :class:`Node` skeletons and fills the piece table.

    ``functions`` are canonical atom names to read as functions when followed
    by ``(`` (besides ``\sigma``, ``g``, ``f``, words like ``\text{softmax}``,
    any primed atom, and any atom called with several arguments). ``names``
    are canonical names of symbols the caller knows: a superscript that would
    be a power (``w^{3}_{12}``, ``z^{2,(1)}_{1}``) stays part of a known name,
    and a known ``\nabla_{x}`` is that symbol, not an operator on what follows.
    With ``symbol`` every superscript is part of the name (the text is one
    symbol, a notation key). With ``numpy`` the text is NumPy-flavoured
    (``np.dot``, ``A.T``) and ``*`` is NumPy's elementwise product.
    """

    source: str
    functions: frozenset[str] = frozenset()
    pieces: dict[int, object] = field(default_factory=dict)
    depth: int = 0
    names: Container[str] = frozenset()
    symbol: bool = False
    numpy: bool = False

    def add(self, piece) -> str:
        k = len(self.pieces)
        self.pieces[k] = piece
        return placeholder(k)

    def fail(self, message: str, tok: Tok | None) -> LatexParseError:
        return LatexParseError(message, self.source, None if tok is None else tok.pos)

    # ----- Expressions -----
    def node(self, tokens: list[Tok]) -> Node:
        """Normalise one expression (no relations) into a skeleton node."""
        if not tokens:
            raise self.fail("an empty expression", None)
        if self.depth > MAX_DEPTH:
            raise self.fail(f"expression nested more than {MAX_DEPTH} levels deep", tokens[0])
        self.depth += 1
        try:
            return self._node(tokens)
        finally:
            self.depth -= 1

    def _node(self, tokens: list[Tok]) -> Node:
        tokens = self._elide_sums(tokens)
        chunks: list[tuple[int, int]] = []
        parts: list[str] = []
        i = 0
        while i < len(tokens):
            start = sum(len(p) for p in parts)
            text, i = self.item(tokens, i)
            chunks.append((start, tokens[min(i, len(tokens)) - 1].pos))
            parts.append(text)
        span = (tokens[0].pos, tokens[-1].pos + len(tokens[-1].text))
        return Node(" ".join(parts).strip(), span, tuple(chunks))

    def _elide_sums(self, tokens: list[Tok]) -> list[Tok]:
        r"""``first + \dots + last`` at the top level of ``tokens``, rewritten as a ``\sum`` (see :mod:`.elide`)."""
        top = [k for k, _, depth in depths(tokens) if depth == 0]
        spans = []
        for k in top:
            if tokens[k].text in ELLIPSES and 0 < k < len(tokens) - 1 and tokens[k - 1].text == "+" and \
                    tokens[k + 1].text == "+":
                before = [j for j in top if j < k - 1 and tokens[j].text in ("+", "-", "=")]
                after = [j for j in top if j > k + 1 and tokens[j].text in ("+", "-", "=")]
                first = (before[-1] + 1) if before else 0
                last = (after[0] - 1) if after else len(tokens) - 1
                if first > k - 2 or last < k + 2:
                    raise self.fail("an ellipsis without a first or last term", tokens[k])
                spans.append((first, k - 2, k + 2, last))
        if not spans:
            return tokens
        base = tokens[0].pos
        text = self.source[base : tokens[-1].pos + len(tokens[-1].text)]
        rel = [(tokens[a].pos - base, tokens[b].pos + len(tokens[b].text) - base,
                tokens[c].pos - base, tokens[d].pos + len(tokens[d].text) - base) for a, b, c, d in spans]
        try:
            new = elide_sums(text, rel)
        except ElisionError as exc:
            raise self.fail(f"elided terms: {exc}", tokens[spans[0][0]]) from None
        return [Tok(t.kind, t.text, base + min(t.pos, len(text) - 1), t.space) for t in tokenize(new)]

    def item(self, toks: list[Tok], i: int) -> tuple[str, int]:
        t = toks[i]
        x = t.text
        if x in ("+", "-", "/"):
            return x, i + 1
        if x == "*" and self.numpy:
            return r" \mod ", i + 1  # NumPy's * is elementwise
        if x == "*" or x in TIMES:
            return r" \cdot ", i + 1
        if x in HADAMARD:
            return r" \mod ", i + 1
        if x == r"\div":
            return "/", i + 1
        if x in ELLIPSES or (x == "." and i + 1 < len(toks) and toks[i + 1].text == "."):
            raise self.fail(f"elided terms ({x!r}): an expression with '...' cannot be checked", t)
        if x == r"\partial":
            raise self.fail(r"'\partial' outside a fraction \frac{\partial ...}{\partial ...}", t)
        if x in RELATIONS or x in ("<", ">", r"\le", r"\ge", r"\leq", r"\geq", r"\neq", r"\in", r"\to", r"\mapsto"):
            raise self.fail(f"a relation {x!r} inside an expression", t)
        text, i = self.operand(toks, i)
        return self.postfix(toks, i, text)

    def postfix(self, toks: list[Tok], i: int, text: str) -> tuple[str, int]:
        """Superscripts after an operand: a transpose wraps it (also NumPy's ``A.T``), anything else is a power."""
        while i < len(toks) and (toks[i].text in ("^", "_", "'") or _dot_t(toks, i)):
            if _dot_t(toks, i):
                text = self.add(Transpose(self._sub(text, toks, i), (toks[i].pos, toks[i + 1].pos + 1)))
                i += 2
                continue
            op = toks[i].text
            if op == "'":
                raise self.fail("a prime after an expression that is not a function call", toks[i])
            content, after = _group(toks, i + 1)
            if op == "_":
                if _text(content) in ("t", "t+1", "{t}", "{t+1}"):
                    i = after  # (w)_{t+1}: the time step of an update rule; the claim's kind says old or new
                    continue
                if not content:
                    i = after
                    continue
                raise self.fail(f"a subscript on an expression: {_text(content)!r}", toks[i])
            if not content:
                i = after
                continue
            name, transpose, primes = classify_superscript(_text(content), "")
            if transpose and not name and not primes:
                text = self.add(Transpose(self._sub(text, toks, i), (toks[i].pos, toks[after - 1].pos + 1)))
            else:
                text = f"{self.group_of(text)}^{{{self.node(content).skeleton}}}"
            i = after
        return text, i

    def group_of(self, skeleton: str) -> str:
        """``skeleton`` as one operand: itself if it already is a single placeholder, else a group piece."""
        if PLACEHOLDER.fullmatch(skeleton.strip()) or re.fullmatch(r"\s*\d+\s*", skeleton):
            return skeleton
        return self.add(Group(Node(skeleton, (0, 0)), (0, 0)))

    def _sub(self, skeleton: str, toks, i) -> Node:
        return Node(skeleton, (toks[max(i - 1, 0)].pos, toks[i].pos), ())

    def operand(self, toks: list[Tok], i: int) -> tuple[str, int]:
        t = toks[i]
        x = t.text
        if t.kind == "num":
            return self.number(toks, i)
        if x in ("(", "[") or (x == r"\left" and i + 1 < len(toks) and toks[i + 1].text in ("(", "[", r"\{", ".")):
            return self.bracket(toks, i)
        if x == "{":
            inner, after = _group(toks, i)
            return self.add(Group(self.node(inner), (t.pos, toks[after - 1].pos + 1))), after
        if x in ("|",) or (x == r"\left" and i + 1 < len(toks) and toks[i + 1].text in ("|", r"\|")):
            return self.bars(toks, i)
        if x == r"\|":
            return self.bars(toks, i)
        if x in (r"\frac", r"\dfrac", r"\tfrac"):
            return self.fraction(toks, i)
        if x == r"\sqrt":
            inner, after = _group(toks, i + 1)
            return rf"\sqrt{{{self.group_of(self.node(inner).skeleton)}}}", after
        if x in (r"\sum", r"\prod"):
            return self.big_operator(toks, i)
        if x == r"\begin":
            return self.matrix(toks, i)
        if x == r"\nabla" and i + 1 < len(toks) and toks[i + 1].text == "_":
            wrt, after = _group(toks, i + 2)
            atom, end, transpose = self.atom(toks, i)
            if atom.name in self.names or not self._operand_follows(toks, end):  # a gradient named on its own
                text = self.add(atom)
                return (self.add(Transpose(Node(text, atom.span), atom.span)) if transpose else text), end
            operand, after2 = self.operand(toks, after)
            num = Node(operand, (toks[after].pos, toks[after2 - 1].pos + 1))
            return self.add(Deriv(num, self.node(wrt), (t.pos, toks[after2 - 1].pos + 1))), after2
        if x in BUILTIN_FUNCTIONS:
            return self.builtin_call(toks, i, BUILTIN_FUNCTIONS[x])
        if t.kind == "letter" and x == "e" and i + 1 < len(toks) and toks[i + 1].text == "^":
            exponent, after = _group(toks, i + 2)
            node = self.node(exponent)
            exp = Atom("exp", "exp", span=(t.pos, t.pos + 1))
            return self.add(Call(exp, (node,), 0, (t.pos, toks[after - 1].pos + 1))), after
        word = self.word(toks, i)
        if word:
            return word
        atom, after, transpose = self.atom(toks, i)
        if atom is None:
            raise self.fail(f"unexpected {x!r}", t)
        text = self.add(atom)
        if after < len(toks) and self.is_call(atom, toks, after):
            text, after = self.call(toks, after, atom)
        elif self._elided_arguments(toks, after):  # C_{0}(\dots): the quantity with its arguments left out
            after = self._elided_arguments(toks, after)
        if transpose:
            text = self.add(Transpose(Node(text, atom.span), atom.span))
        return text, after

    def _elided_arguments(self, toks: list[Tok], i: int) -> int | None:
        r"""The index after ``(\dots)`` (an argument list left out) starting at ``i``, else None."""
        if i >= len(toks) or not (toks[i].text == "(" or (toks[i].text == r"\left" and i + 1 < len(toks)
                                                           and toks[i + 1].text == "(")):
            return None
        inner, after = self._inside(toks, i)
        dots = all(t.text == "." for t in inner) and len(inner) >= 2
        return after if inner and (dots or (len(inner) == 1 and inner[0].text in ELLIPSES)) else None

    @staticmethod
    def _operand_follows(toks: list[Tok], i: int) -> bool:
        """Does an operand start at ``i`` (not the end, an operator, a relation or a closing bracket)?"""
        if i >= len(toks):
            return False
        x = toks[i].text
        return not (x in ("+", "-", "/", "*", ")", "]", "}", r"\right", ",", "&", r"\\", "=", r"\div")
                    or x in HADAMARD or x in TIMES or x in RELATIONS)

    # ----- Atoms -----
    def atom(self, toks: list[Tok], i: int):
        t = toks[i]
        start = t.pos
        if t.text == r"\nabla" and i + 1 < len(toks) and toks[i + 1].text == "_":
            return self._scripts(toks, i + 1, r"\nabla", start)  # \nabla_{A}: the gradient with respect to A
        if t.text == r"\mathbf" and i + 3 < len(toks) and toks[i + 2].kind == "num" and toks[i + 3].text == "}":
            return self._scripts(toks, i + 4, rf"\mathbf{{{toks[i + 2].text}}}", start)  # the vector of ones
        if t.kind == "letter":
            base, i = t.text, i + 1
            if (base == "d" and i < len(toks) and toks[i].kind == "letter" and not toks[i].space
                    and not (i + 1 < len(toks) and toks[i + 1].kind == "letter" and not toks[i + 1].space)):
                base, i = "d" + toks[i].text, i + 1
            if i < len(toks) and toks[i].kind == "num" and not toks[i].space and "." not in toks[i].text:
                sub = toks[i].text
                return self._scripts(toks, i + 1, base, start, implicit_sub=sub)
        elif t.text in GREEK:
            base, i = t.text, i + 1
            if base == r"\Delta" and i < len(toks) and toks[i].kind == "letter":
                inner, after, transpose = self._scripts(toks, i + 1, toks[i].text, toks[i].pos)
                name = rf"\Delta {inner.name}"
                return Atom(name, name, span=(start, inner.span[1])), after, transpose
        elif t.text in DECORATIONS:
            inner, i = _group(toks, i + 1)
            content = _text(inner)
            if t.text in (r"\text", r"\operatorname", r"\mathrm", r"\textrm") and content.strip() in FUNCTION_WORDS:
                base = FUNCTION_WORDS[content.strip()]
            elif t.text in (r"\text", r"\textrm"):
                base = rf"\text{{{content.strip()}}}"
            else:
                base = f"{t.text}{{{content}}}"
        else:
            return None, i, False
        return self._scripts(toks, i, base, start)

    def _scripts(self, toks, i, base, start, implicit_sub=""):
        sup, sub, primes, transpose = "", implicit_sub, 0, False
        while i < len(toks):
            x = toks[i].text
            if x == "'":
                primes, i = primes + 1, i + 1
            elif x == "_":
                content, after = _group(toks, i + 1)
                text = _text(content)
                sub = f"{sub},{text}" if sub and text else (sub or text)
                i = after
            elif x == "^":
                content, after = _group(toks, i + 1)
                name, tr, extra = classify_superscript(_text(content), base)
                if not (name or tr or extra):
                    if not content:
                        i = after
                        continue
                    if not (self.symbol or self._known(toks, i, base, start, sup, sub, primes)):
                        break  # a power: left to the skeleton
                    name = _text(content)  # part of a known name (w^{3}_{12}), or of a notation key
                if name:
                    sup = f"{sup}{name}" if sup else name
                primes += extra
                transpose = transpose or tr
                i = after
            else:
                break
        end = toks[i - 1].pos + len(toks[i - 1].text)
        return Atom(canonical_atom(base, sup, sub, primes), base, sup, sub, primes, (start, end)), i, transpose

    def _known(self, toks, i, base, start, sup, sub, primes) -> bool:
        """Is the superscript at ``i`` part of a known name (the name read with it is in ``names``)?"""
        if not self.names or sup:
            return False
        content, after = _group(toks, i + 1)
        reader = Normaliser(self.source, self.functions, names=self.names, symbol=True)
        atom, _, _ = reader._scripts(toks, after, base, start, implicit_sub=sub)
        name = canonical_atom(base, _text(content), atom.sub, primes + atom.primes)
        return name in self.names

    def is_call(self, atom: Atom, toks: list[Tok], i: int) -> bool:
        opens = toks[i].text == "(" or (toks[i].text == r"\left" and i + 1 < len(toks) and toks[i + 1].text == "(")
        if not opens:
            return False
        if (atom.base in FUNCTION_BASES or atom.base in FUNCTION_WORDS or atom.primes or atom.name in self.functions
                or atom.base in self.functions):
            return True
        inner, _ = self._inside(toks, i)
        return len(split_top(inner, (",",))) > 1


def _dot_t(toks: list[Tok], i: int) -> bool:
    """Is ``.T`` (NumPy's transpose, written without spaces) at ``i``?"""
    return (i + 1 < len(toks) and toks[i].text == "." and toks[i + 1].text == "T" and not toks[i].space
            and not toks[i + 1].space and not (i + 2 < len(toks) and toks[i + 2].kind in ("letter", "num")
                                               and not toks[i + 2].space))
