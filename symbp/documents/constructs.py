r"""The constructs of the normalising layer: calls, numbers, groups, fractions, sums, matrices.

:class:`Constructs` is the half of :class:`~.latex.Normaliser` that reads one
construct at a time and turns it into a placeholder for a piece (a function
call, ``np.sum``, a printed decimal with its precision, a derivative
fraction, a matrix or an elided matrix) or into skeleton text (a plain
fraction, ``\sum``, absolute values); an Iverson bracket ``[z > 0]`` and a
``cases`` environment keep their comparisons as pieces. Non-goals: atoms and
operators (in :mod:`.latex`), meanings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .elide import ELLIPSES, ElisionError, elided_matrix
from .pieces import (Atom, Call, Cases, Condition, Deriv, ElidedMatrix, Elision, Group, Iverson, Literal, MatrixLit,
                     Node, Norm, NpPower, NpSum)
from .tokens import (CASE_WORDS, COMPARISONS, FUNCTION_WORDS, MATRIX_ENVS, OTHERWISE, Tok, _group, _matching, _text,
                     depths, differential, split_top, tokenize, unwrap)

__all__ = ["Constructs", "NUMPY", "NumpyFunction"]


@dataclass(frozen=True)
class NumpyFunction:
    r"""What a NumPy function is: its ``kind`` and the details that kind needs.

    ``kind`` is ``"reduction"`` (``np.sum``: an array and options), ``"product"`` (two arrays; ``operator`` is the
    skeleton's operator, ``\cdot`` the matrix product, ``\mod`` the elementwise one), ``"power"`` (entry by entry; a
    fixed ``exponent`` when only the base is written) or ``"function"`` (entry by entry, the function of that name).
    ``arity`` is the number of arguments (a reduction's options are not counted).
    """

    kind: str
    arity: int = 1
    operator: str = ""
    exponent: str = ""


#: The NumPy functions a document may write -> what they are.
NUMPY = {"sum": NumpyFunction("reduction"), "dot": NumpyFunction("product", 2, r" \cdot "),
         "matmul": NumpyFunction("product", 2, r" \cdot "), "multiply": NumpyFunction("product", 2, r" \mod "),
         "power": NumpyFunction("power", 2), "square": NumpyFunction("power", 1, exponent="2"),
         "tanh": NumpyFunction("function"), "exp": NumpyFunction("function"), "log": NumpyFunction("function")}


class Constructs:
    """Readers of single constructs; mixed into :class:`~.latex.Normaliser` (which provides ``node``, ``add``...)."""

    def call(self, toks: list[Tok], i: int, function: Atom, primes: int = 0) -> tuple[str, int]:
        """``function(args)`` starting at the ``(`` at ``i``; a prime after the ``)`` (or ``primes`` met
        before the ``(``) differentiates."""
        inner, after = self._inside(toks, i)
        args = [self._elided(a) or self.node(a) for a in self._split_args(inner)]
        while after < len(toks) and toks[after].text == "'":
            primes, after = primes + 1, after + 1
        span = (function.span[0], toks[after - 1].pos + 1)
        return self.add(Call(function, tuple(args), primes, span)), after

    def _elided(self, arg: list[Tok]) -> Node | None:
        """An argument that starts with an ellipsis (nested applications left out), as an :class:`Elision`."""
        if not (arg[0].text in ELLIPSES or (len(arg) > 1 and arg[0].text == "." and arg[1].text == ".")):
            return None
        span = (arg[0].pos, arg[-1].pos + len(arg[-1].text))
        return Node(self.add(Elision(span)), span)

    def _split_args(self, inner: list[Tok]) -> list[list[Tok]]:
        return [a for a in split_top(inner, (",",)) if a]

    def builtin_call(self, toks, i, name):
        atom = Atom(name, name, span=(toks[i].pos, toks[i].pos + len(toks[i].text)))
        j = i + 1
        primes = 0
        while j < len(toks) and toks[j].text == "'":  # \tanh'(z): the derivative, as \sigma'(z)
            primes, j = primes + 1, j + 1
        power = None
        if j < len(toks) and toks[j].text == "^":  # \tanh^2 z is (\tanh z)^2; \tanh^{-1} z is the inverse
            exponent, j = _group(toks, j + 1)
            power = _text(exponent).replace(" ", "")
            if not re.fullmatch(r"[1-9]\d?", power):
                raise self.fail(f"a power {power!r} of {toks[i].text} (only a whole power such as "
                                f"{toks[i].text}^{{2}} z is read)", toks[i + 1])
        if j >= len(toks):
            raise self.fail(f"{toks[i].text} without an argument", toks[i])
        if toks[j].text == "(" or (toks[j].text == r"\left" and j + 1 < len(toks) and toks[j + 1].text == "("):
            text, after = self.call(toks, j, atom, primes)
        else:
            operand, after = self.operand(toks, j)
            node = Node(operand, (toks[j].pos, toks[after - 1].pos + 1))
            text = self.add(Call(atom, (node,), primes, (toks[i].pos, toks[after - 1].pos + 1)))
        return (text if power is None else f"\\left({text}\\right)^{{{power}}}"), after

    def word(self, toks: list[Tok], i: int):
        """Multi-letter words: ``np.sum(...)``, ``log(...)``, ``sigmoid(...)``."""
        j = i
        while j < len(toks) and toks[j].kind == "letter" and (j == i or not toks[j].space):
            j += 1
        word = "".join(t.text for t in toks[i:j])
        if word == "np" and j + 1 < len(toks) and toks[j].text == ".":
            k = j + 1
            while k < len(toks) and toks[k].kind == "letter" and not toks[k].space:
                k += 1
            name = "".join(t.text for t in toks[j + 1 : k])
            if name not in NUMPY or k >= len(toks) or toks[k].text != "(":
                raise self.fail(f"unsupported NumPy function np.{name} (read: "
                                f"{', '.join('np.' + n for n in NUMPY)}, and A.T)", toks[i])
            return self.np_call(name, toks, k, toks[i].pos)
        if word in FUNCTION_WORDS and j < len(toks) and toks[j].text in ("(", r"\left"):
            name = FUNCTION_WORDS[word]  # ReLU, ln: the function's canonical name
            atom = Atom(name, name, span=(toks[i].pos, toks[j - 1].pos + 1))
            return self.call(toks, j, atom)
        return None

    def np_call(self, name, toks, i, start):
        """``np.name(...)`` with its ``(`` at ``i``, read as what :data:`NUMPY` says it is."""
        entry = NUMPY[name]
        if entry.kind == "reduction":
            return self.np_sum(toks, i, start)
        inner, after = self._inside(toks, i)
        args = self._split_args(inner)
        span = (start, toks[after - 1].pos + 1)
        if len(args) != entry.arity:
            raise self.fail(f"np.{name} takes {entry.arity} argument{'s' if entry.arity > 1 else ''}, got {len(args)}",
                            toks[i])
        nodes = [self.node(a) for a in args]
        read = {"product": self._np_product, "power": self._np_power, "function": self._np_function}[entry.kind]
        return self.add(read(name, entry, nodes, span, (start, toks[i].pos))), after

    # The pieces of each kind of NumPy function: from its name, its entry, its arguments read, its span and the span
    # of "np.name".
    def _np_product(self, name, entry: NumpyFunction, nodes, span, head):
        a, b = (self.group_of(n.skeleton) for n in nodes)
        return Group(Node(f"{a}{entry.operator}{b}", span), span)

    @staticmethod
    def _np_power(name, entry: NumpyFunction, nodes, span, head):
        return NpPower(nodes[0], Node(entry.exponent, span) if entry.exponent else nodes[1], span)

    @staticmethod
    def _np_function(name, entry: NumpyFunction, nodes, span, head):
        function = Atom(FUNCTION_WORDS[name], FUNCTION_WORDS[name], span=head)
        return Call(function, tuple(nodes), 0, span)

    def np_sum(self, toks, i, start):
        inner, after = self._inside(toks, i)
        close = after - 1
        args = self._split_args(inner)
        if not args:
            raise self.fail("np.sum() without an argument", toks[i])
        options = " ".join(_text(a) for a in args[1:])
        options = re.sub(r"\\text(bf|rm)?\{([^}]*)\}", r"\2", options).replace(" ", "")
        axis_match = re.search(r"axis=(-?\d+)", options)
        keep = re.search(r"keepdims=(True|False)", options)
        unknown = re.sub(r"axis=-?\d+|keepdims=(True|False)|,", "", options)
        if unknown:
            raise self.fail(f"np.sum option {unknown!r} not understood (axis=k, keepdims=True|False)", toks[i])
        piece = NpSum(self.node(args[0]), int(axis_match.group(1)) if axis_match else None,
                      bool(keep and keep.group(1) == "True"), (start, toks[close].pos + 1))
        return self.add(piece), close + 1

    # ----- Numbers, groups, fractions -----
    def number(self, toks, i):
        t = toks[i]
        text = t.text
        if i + 3 < len(toks) and toks[i + 1].text == r"\times" and toks[i + 2].text == "10" and toks[i + 3].text == "^":
            exponent_toks, after = _group(toks, i + 4)
            exponent = _text(exponent_toks)
            if not re.fullmatch(r"[+-]?\d+", exponent):
                raise self.fail(f"exponent {exponent!r} of a number in scientific notation", toks[i + 3])
            e = int(exponent)
            mantissa = Fraction(text)
            decimals = (len(text.split(".")[1]) if "." in text else 0) - e
            value = mantissa * Fraction(10) ** e
            return self.add(Literal(f"{text} \\times 10^{{{e}}}", value, decimals, (t.pos, toks[after - 1].pos + 1))), after
        if "." in text:
            if text.endswith("."):
                raise self.fail(f"number {text!r}", t)
            return self.add(Literal(text, Fraction(text), len(text.split(".")[1]), (t.pos, t.pos + len(text)))), i + 1
        return text, i + 1

    def bracket(self, toks, i):
        left = toks[i].text == r"\left"
        opener = toks[i + 1].text if left else toks[i].text
        inner, after = self._inside(toks, i)
        if opener == "[" and inner and self._is_number_row(inner):
            rows = [[]]
            for t in inner:
                if t.text == r"\\":
                    rows.append([])
                elif t.text not in ("&", ","):
                    rows[-1].append(t)
            entries = tuple(tuple(self.node(g) for g in self._numbers(row)) for row in rows if row)
            return self.add(MatrixLit(entries, (toks[i].pos, toks[after - 1].pos + 1))), after
        if not inner:
            raise self.fail("empty brackets", toks[i])
        span = (toks[i].pos, toks[after - 1].pos + 1)
        if opener == "[" and self._comparison_at(inner) is not None:  # an Iverson bracket, [z > 0]
            return self.add(Iverson(self.condition(inner), span)), after
        return self.add(Group(self.node(inner), span)), after

    @staticmethod
    def _comparison_at(tokens) -> int | None:
        """Index of the one top-level comparison in ``tokens``, or None."""
        found = [k for k, t, depth in depths(tokens) if depth == 0 and t.text in COMPARISONS]
        return found[0] if len(found) == 1 else None

    def condition(self, tokens) -> Condition:
        """``lhs op rhs``: a comparison of two expressions."""
        k = self._comparison_at(tokens)
        if k is None or k == 0 or k == len(tokens) - 1:
            raise self.fail("a condition must compare two expressions, like z > 0", tokens[0] if tokens else None)
        return Condition(self.node(tokens[:k]), COMPARISONS[tokens[k].text], self.node(tokens[k + 1 :]))

    def cases(self, body, span, tok) -> str:
        r"""``\begin{cases}``: each row a value and its condition (``\text{if}`` ... or ``\text{otherwise}``)."""
        rows = []
        for row in split_top(body, (r"\\",)):
            if not row:
                continue
            cells = split_top(row, ("&",))
            if len(cells) != 2 or not cells[0]:
                raise self.fail("a case needs a value and a condition separated by '&'", tok)
            words = _text(cells[1])
            words = re.sub(r"\\(text|mathrm|textrm|operatorname)\{([^{}]*)\}", r"\2", words).strip(" ,;:")
            if words in OTHERWISE:
                rows.append((self.node(cells[0]), None))
                continue
            condition = list(cells[1])
            while condition and (condition[0].text in (",", ":") or (
                    condition[0].text in (r"\text", r"\mathrm", r"\textrm", r"\operatorname")
                    and _text(_group(condition, 1)[0]).strip(" ,") in CASE_WORDS)):
                condition = condition[1:] if condition[0].text in (",", ":") else condition[_group(condition, 1)[1]:]
            rows.append((self.node(cells[0]), self.condition(condition)))
        if not rows or any(c is None for _, c in rows[:-1]):
            raise self.fail("only the last case may hold 'otherwise'", tok)
        return self.add(Cases(tuple(rows), span))

    def _inside(self, toks, i):
        """The tokens inside the group opened at ``i`` (``(``, ``[``, ``\\left(``...) and the index after it."""
        close = _matching(toks, i)
        if toks[i].text == r"\left":
            end = close - 1 if toks[close - 1].text == r"\right" else close
            return toks[i + 2 : end], close + 1
        return toks[i + 1 : close], close + 1

    def _is_number_row(self, inner):
        return all(t.kind == "num" or t.text in ("-", "+", "&", ",", r"\\") for t in inner) and any(
            t.kind == "num" for t in inner
        )

    def _numbers(self, row):
        groups, current = [], []
        for t in row:
            if t.kind == "num" and current and current[-1].kind == "num":
                groups.append(current)
                current = []
            current.append(t)
            if t.kind == "num":
                groups.append(current)
                current = []
        return groups

    def bars(self, toks, i):
        left = toks[i].text == r"\left"
        bar = toks[i + 1].text if left else toks[i].text
        j = i + 2 if left else i + 1
        depth = 0
        for k in range(j, len(toks)):
            x = toks[k].text
            if x in ("{", "(", "[") or (x == r"\left" and k + 1 < len(toks) and toks[k + 1].text not in ("|", r"\|")):
                depth += 1
            elif x in ("}", ")", "]") or (x == r"\right" and k + 1 < len(toks) and toks[k + 1].text not in ("|", r"\|")):
                depth -= 1
            elif depth == 0 and x == bar and (not left or toks[k - 1].text == r"\right"):
                inner = toks[j : k - 1] if left else toks[j:k]
                node = self.node(inner)
                if bar == r"\|":
                    return self.add(Norm(node, (toks[i].pos, toks[k].pos + 2))), k + 1
                return rf"\left|{node.skeleton}\right|", k + 1
        raise self.fail(f"unbalanced {bar!r}", toks[i])

    def fraction(self, toks, i):
        num, j = _group(toks, i + 1)
        den, after = _group(toks, j)
        dn, dd = differential(num), differential(den)
        span = (toks[i].pos, toks[after - 1].pos + 1)
        if dn is not None and dd is not None:
            num_rest, den_rest = dn, dd
            if not den_rest:
                raise self.fail("a derivative with nothing after the 'd' of its denominator", toks[i])
            if not num_rest:  # \frac{\partial}{\partial x} [operand]
                if after >= len(toks):
                    raise self.fail("a derivative operator with nothing to act on", toks[i])
                text, end = self.operand(toks, after)
                operand = Node(text, (toks[after].pos, toks[end - 1].pos + 1))
                return self.add(Deriv(operand, self.node(den_rest), (span[0], toks[end - 1].pos + 1))), end
            return self.add(Deriv(self.node(num_rest), self.node(den_rest), span)), after
        top, bottom = self.node(num), self.node(den)
        return rf"\frac{{{self.group_of(top.skeleton)}}}{{{self.group_of(bottom.skeleton)}}}", after

    def big_operator(self, toks, i):
        name = toks[i].text
        j = i + 1
        lower = upper = None
        while j < len(toks) and toks[j].text in ("_", "^"):
            content, after = _group(toks, j + 1)
            if toks[j].text == "_":
                lower = content
            else:
                upper = content
            j = after
        if not lower:
            raise self.fail(f"{name} without an index", toks[i])
        eq = next((k for k, t in enumerate(lower) if t.text == "="), None)
        index = lower[:eq] if eq is not None else lower
        start = self.node(lower[eq + 1 :]).skeleton if eq is not None else "1"
        atom, end, _ = self.atom(index, 0) if index else (None, 0, False)
        if atom is None or end != len(index):
            raise self.fail(f"{name} index {_text(index)!r} is not a symbol", toks[i])
        stop = self.node(upper).skeleton if upper else self.add(Atom(r"\infty_{unbounded}", r"\infty"))
        return rf"{name}_{{{self.add(atom)}={start}}}^{{{stop}}}", j

    def elided(self, rows, span, tok) -> str:
        """A matrix written with ``\\dots``: its template entry and index ranges, as one piece."""
        texts = [[self.source[c[0].pos : c[-1].pos + len(c[-1].text)] if c else "" for c in row] for row in rows]
        try:
            pattern = elided_matrix(texts, span[0])
        except ElisionError as exc:
            raise self.fail(f"elided matrix entries: {exc}", tok) from None

        def sub(text: str) -> Node:
            saved, self.source = self.source, text
            try:
                return self.node(unwrap(tokenize(text), text))
            finally:
                self.source = saved

        template = sub(pattern.template)
        axes = [None if a is None else (a[0], sub(a[1]), sub(a[2])) for a in (pattern.rows, pattern.cols)]
        return self.add(ElidedMatrix(template, axes[0], axes[1], span))

    def matrix(self, toks, i):
        env_toks, j = _group(toks, i + 1)
        env = _text(env_toks)
        if env not in MATRIX_ENVS and env != "cases":
            raise self.fail(f"environment {env!r} inside an expression", toks[i])
        if env == "array" and j < len(toks) and toks[j].text == "{":
            _, j = _group(toks, j)
        depth, k = 0, j
        while k < len(toks):
            if toks[k].text == r"\begin":
                depth += 1
            elif toks[k].text == r"\end":
                if depth == 0:
                    break
                depth -= 1
            k += 1
        else:
            raise self.fail(rf"\begin{{{env}}} without \end{{{env}}}", toks[i])
        body = toks[j:k]
        _, after = _group(toks, k + 1)
        if env == "cases":
            return self.cases(body, (toks[i].pos, toks[after - 1].pos + 1), toks[i]), after
        if after < len(toks) and toks[after].text == "_":  # a size annotation: \end{bmatrix}_{n \times m}
            _, after = _group(toks, after + 1)
        rows = [split_top(row, ("&",)) for row in split_top(body, (r"\\",))]
        rows = [r for r in rows if any(cell for cell in r)]
        if not rows:
            raise self.fail("an empty matrix", toks[i])
        if len({len(r) for r in rows}) != 1:
            raise self.fail("matrix rows of different lengths", toks[i])
        span = (toks[i].pos, toks[after - 1].pos + 1)
        if any(len(cell) == 1 and (cell[0].text in ELLIPSES or cell[0].text == ".") for row in rows for cell in row):
            return self.elided(rows, span, toks[i]), after
        entries = []
        for row in rows:
            for cell in row:
                if not cell:
                    raise self.fail("an empty matrix entry", toks[i])
            entries.append(tuple(self.node(cell) for cell in row))
        return self.add(MatrixLit(tuple(entries), (toks[i].pos, toks[after - 1].pos + 1))), after

