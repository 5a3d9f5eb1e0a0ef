r"""Building a claim's sides under a context: what each symbol, product and derivative means.

:class:`ClaimEnv` is the environment :class:`~.reader.Builder` asks while it
walks a parsed side. Symbols become the network's quantities (explicit
matrices of its symbols, or entries) through the notation; derivatives are
symbp's autodiff with the denominator held independent; printed decimals
become symbols whose precision is remembered. Products, sums and the rest of
the arithmetic, with their shape checks, are :class:`~.algebra.Algebra`'s.
A derivative of a matrix by a matrix written as a factor of a product is a
chain-rule factor, a :class:`Jacobian`: it is contracted over its numerator's
entries with the factor beside it that has the numerator's shape (dC/dZ . dZ/dW
is dC/dW; a diagonal Jacobian such as dA/dZ of an elementwise activation makes
that contraction the elementwise product). Anywhere else a Jacobian of two
matrices is its entrywise matrix when diagonal, and otherwise a 4-index tensor
that stays unchecked. An argument that starts with an ellipsis (nested
applications left out) is an :class:`Elided` value: only what its
surroundings force on its shape is known (``W g(\dots)`` has W's rows).
Two hooks serve the diagnosis: ``variant`` (derivatives computed with a common
mistake built into the network) and ``mutation`` (one change to the claim as
written: a transpose toggled, two factors swapped, another sum axis).
Non-goals: verdicts (:mod:`.verify`).
"""

from __future__ import annotations

import sympy as sp

from .algebra import Algebra, Elided, Jacobian, NotFinite, ShapeMismatch, scalar, shape
from .context import Context, QuantityError
from .defaults import cases, iverson
from .functions import COLUMN, ELEMENTWISE
from .latex import Atom, Call, Deriv, LatexParseError, Literal
from .notation import Notation, NotationError
from .numbers import Printed
from .quantities import EXAMPLE_COLUMN, NoSuchLayer
from .values import DIGITS

#: The most significant digits a printed number may have: beyond that, 40-digit values cannot tell its last
#: digit right from wrong.
CHECKED_DIGITS = DIGITS - 5

__all__ = ["ClaimEnv", "UnknownSymbol", "ShapeMismatch", "NotFinite", "Jacobian", "Elided", "shape"]


class UnknownSymbol(NotationError):
    """A symbol without a meaning; the message asks for a notation entry."""


def _key_primes(resolved) -> int:
    return resolved.key.count("'")


class ClaimEnv(Algebra):
    """Meanings for one claim under one assignment of its variables (``bindings``)."""

    def __init__(self, ctx: Context, notation: Notation, source: str, bindings: dict | None = None,
                 defined: dict | None = None):
        self.ctx = ctx
        self.notation = notation
        self.source = source
        self.bindings = dict(bindings or {})
        self.defined = defined if defined is not None else {}
        self.literals: dict[sp.Symbol, Printed] = {}
        self.variant: str | None = None
        self.mutation: tuple | None = None
        self.products = 0
        self.transposes = 0
        self.sums = 0

    def fail(self, cls, message: str, span=None):
        return cls(message, self.source, span[0] if span else None)

    # ----- Symbols and numbers -----
    def atom(self, atom: Atom):
        if atom.name in self.bindings and atom.name.isalpha():
            return sp.Integer(self.bindings[atom.name] + self.notation.index_base)
        if atom.name in self.defined:
            return self.defined[atom.name](self)
        resolved = self.notation.resolve(atom.name)
        if resolved is None:
            raise self.fail(UnknownSymbol, f"unknown symbol {atom.name} (no meaning in [notation]; add an entry "
                                           f"such as '{atom.name}' = \"...\" or mark it \"free\")", atom.span)
        if resolved.meaning.is_function and resolved.meaning.name != "g'":
            raise self.fail(NotationError, f"{atom.name} is the function {resolved.meaning.text!r}, used without "
                                           f"an argument", atom.span)
        try:
            if resolved.meaning.name == "g'" and resolved.meaning.layer is not None:
                layer = resolved.layer.value(self.bindings, self.ctx.depth)
                self._check_layer(layer, atom)
                return self.ctx.matrix("g'", layer)
            return self.ctx.quantity(resolved, self.bindings, atom.name, self.variant)
        except QuantityError as exc:
            raise type(exc)(str(exc).split(" in '")[0], self.source, atom.span[0]) from None  # an UnboundIndex stays one

    def _check_layer(self, layer: int, atom: Atom):
        if not 1 <= layer <= self.ctx.depth:
            raise NoSuchLayer(f"{atom.name} is of layer {layer}, which the network does not have", self.source,
                              atom.span[0])

    def literal(self, literal: Literal):
        significant = len("".join(c for c in literal.text if c.isdigit()).lstrip("0"))
        if significant > CHECKED_DIGITS:
            raise QuantityError(f"{literal.text[:12]}... has {significant} significant digits; values are computed to "
                                f"{DIGITS} digits, so symbp checks numbers of up to {CHECKED_DIGITS}", self.source,
                                literal.span[0])
        symbol = sp.Symbol(f"@lit{len(self.literals)}", real=True)
        inputs = self.ctx.exact_inputs
        exact = abs(literal.value) in inputs and literal.decimals <= inputs[abs(literal.value)]
        self.literals[symbol] = Printed(literal.value, literal.decimals, literal.text, exact)
        return symbol

    def number(self, n):
        return n

    # ----- Functions -----
    def call(self, call: Call, build_args):
        fn = call.function
        primes = fn.primes + call.primes
        resolved = self.notation.resolve(fn.name)
        if resolved is None and fn.primes:
            resolved = self.notation.resolve(fn.name.replace("'", "", fn.primes))
        if resolved is None:
            resolved = self.notation.resolve(fn.base)
        if resolved is None:
            raise self.fail(UnknownSymbol, f"unknown function {fn.name} (add a notation entry such as "
                                           f"'{fn.name}' = \"sigmoid\" or \"g[l]\")", fn.span)
        meaning = resolved.meaning
        if not meaning.is_function:
            if call.primes or fn.primes:
                raise self.fail(NotationError, f"{fn.name} means {meaning.text!r}, not a function", call.span)
            return self.atom(Atom(fn.name, fn.base, fn.sup, fn.sub, fn.primes, fn.span))  # C(w, b): C itself
        args = build_args()
        if len(args) != 1:
            raise self.fail(NotationError, f"{fn.name} takes one argument, got {len(args)}", call.span)
        arg = args[0]
        name = meaning.name
        if name in ("g", "g'"):
            layer = resolved.layer.value(self.bindings, self.ctx.depth)
            self._check_layer(layer, fn)
            rule = self.ctx.activation(layer)
            if name == "g'":  # the key's own prime is the derivative the meaning already names
                primes = call.primes + 1 + max(fn.primes - resolved.meaning.text.count("'") - _key_primes(resolved), 0)
            if rule.kind == "vector":
                if primes:
                    raise self.fail(NotationError, f"{fn.name}: the derivative of softmax is a Jacobian", call.span)
                return self._softmax(arg, call)
            options = self.ctx.spec.options
            return self._elementwise(lambda x: rule.apply([x], options)[0], arg, primes)
        if name in COLUMN:
            if primes:
                raise self.fail(NotationError, "the derivative of softmax is a Jacobian, not a function", call.span)
            return self._softmax(arg, call)
        if self.mutation == ("argument", id(call)) and primes:
            arg = self._activation_to_preactivation(arg)
        return self._elementwise(ELEMENTWISE[name], arg, primes)

    def _elementwise(self, f, arg, primes: int):
        if isinstance(arg, Elided):
            return arg  # entry by entry: the shape stays
        if primes:
            u = sp.Dummy("u", real=True)
            derivative = sp.diff(f(u), u, primes)
            g = lambda x: derivative.xreplace({u: x})  # noqa: E731
        else:
            g = f
        if isinstance(arg, sp.MatrixBase):
            return arg.applyfunc(g)
        return g(arg)

    def _softmax(self, arg, call):
        if isinstance(arg, Elided):
            return arg
        if not isinstance(arg, sp.MatrixBase):
            raise self.fail(ShapeMismatch, "softmax of a scalar (it acts on a column of values)", call.span)
        columns = []
        for c in range(arg.cols):
            total = sp.Add(*[sp.exp(x) for x in arg[:, c]])
            columns.append([sp.exp(x) / total for x in arg[:, c]])
        return sp.ImmutableMatrix(columns).T

    def _activation_to_preactivation(self, arg):
        """The diagnosis' repair of sigma'(a): the z each activation symbol comes from."""
        if self.ctx.spec is None:
            return arg
        back = {}
        s = self.ctx.symbols
        for l in range(1, self.ctx.depth + 1):
            back.update(zip(s.A[l], s.Z[l]))
        return arg.xreplace(back) if not isinstance(arg, sp.MatrixBase) else arg.applyfunc(lambda x: x.xreplace(back))

    # ----- Derivatives -----
    def derivative(self, piece: Deriv, builder):
        factor = builder.in_product
        num = builder.node(piece.num)
        den = builder.node(piece.den)
        num, den = scalar(num), scalar(den)
        if isinstance(den, sp.MatrixBase):
            if not all(isinstance(v, sp.Symbol) for v in den):
                raise self.fail(NotationError, "a derivative with respect to a matrix expression", piece.span)
            if isinstance(num, sp.MatrixBase):
                return self._matrix_jacobian(num, den, piece, factor)
            return den.applyfunc(lambda v: self._d(num, v, piece))
        if isinstance(num, sp.MatrixBase):
            return num.applyfunc(lambda u: self._d(u, den, piece))
        return self._d(num, den, piece)

    def _matrix_jacobian(self, num, den, piece, factor: bool):
        """d num / d den for two matrices: a :class:`Jacobian` as a factor of a product, else a matrix."""
        diagonal = None
        if num.shape == den.shape and self._diagonal(num, den, piece):
            diagonal = sp.ImmutableMatrix(num.rows, num.cols, lambda r, c: self._d(num[r, c], den[r, c], piece))
        elif num.cols == 1 and den.cols == 1:
            # a column by a column: entry (j, i) is d num_i / d den_j (the denominator layout: dA = dZ/dA dZ)
            return sp.ImmutableMatrix(den.rows, num.rows, lambda j, i: self._d(num[i, 0], den[j, 0], piece))
        jacobian = Jacobian(num, den, lambda u, v: self._d(u, v, piece), diagonal)
        if factor:
            return jacobian
        if diagonal is not None:
            return diagonal
        raise self.fail(NotationError, str(jacobian.tensor_error()), piece.span)

    def _diagonal(self, num, den, piece) -> bool:
        """True when each entry of ``num`` depends on its own entry of ``den`` only."""
        for r in range(num.rows):
            for c in range(num.cols):
                for r2 in range(den.rows):
                    for c2 in range(den.cols):
                        if (r2, c2) != (r, c) and self._d(num[r, c], den[r2, c2], piece) != 0:
                            return False
        return True

    def _d(self, u, v, piece):
        if isinstance(v, sp.Symbol):
            if self.variant:
                return self.ctx.variant_derivative(u, v, self.variant)
            return self.ctx.derivative(u, v)
        free = [s for s in v.free_symbols if s in set(self.ctx.free.values())]
        if len(free) != 1:
            raise self.fail(NotationError, f"a derivative with respect to the expression {v}", piece.span)
        x = free[0]
        dv = self.ctx.derivative(v, x)
        if dv == 0:
            raise self.fail(NotationError, f"a derivative with respect to {v}, which does not vary", piece.span)
        return self.ctx.derivative(u, x) / dv  # d u / d g(x) = (du/dx) / (dg/dx)

    # ----- Functions by name, matrices by their corners, Iverson brackets, cases, sums -----
    def function(self, name: str, args: list, primes: int):
        if name not in ELEMENTWISE:
            raise LatexParseError(f"unknown function {name}", self.source, None)
        return self._elementwise(ELEMENTWISE[name], args[0], primes)

    def elided(self, piece, builder):
        """A matrix written by its corners: the template entry at every index of each axis."""
        def axis(spec):
            if spec is None:
                return None, [None]
            letter, lo, hi = spec
            first, last = builder.node(lo), builder.node(hi)
            if not (getattr(first, "is_Integer", False) and getattr(last, "is_Integer", False)):
                raise NotationError(f"the elided index runs from {first} to {last}; both must be numbers (give the "
                                    f"sizes a meaning, e.g. 'n' = \"n[1]\")", self.source, piece.span[0])
            base = self.notation.index_base
            return letter, list(range(int(first) - base, int(last) - base + 1))

        row_letter, row_codes = axis(piece.rows)
        col_letter, col_codes = axis(piece.cols)
        if len(row_codes) * len(col_codes) > 400:
            raise NotationError("an elided matrix of more than 400 entries", self.source, piece.span[0])
        saved = dict(self.bindings)
        rows = []
        try:
            for r in row_codes:
                row = []
                for c in col_codes:
                    if row_letter:
                        self.bindings[row_letter] = r
                    if col_letter:
                        self.bindings[col_letter] = c
                    row.append(builder.node(piece.template))
                rows.append(row)
        finally:
            self.bindings = saved
        return self.matrix(rows)

    def iverson(self, lhs, op: str, rhs, piece):
        return iverson(scalar(lhs), op, scalar(rhs), lambda message: self.fail(ShapeMismatch, message, piece.span))

    def cases(self, rows, piece):
        rows = [(scalar(v), None if c is None else (scalar(c[0]), c[1], scalar(c[2]))) for v, c in rows]
        return cases(rows, lambda message: self.fail(ShapeMismatch, message, piece.span))

    def sum(self, index: Atom, lo, hi, body):
        var = index.name
        if not var.isalpha() or len(var) != 1:
            raise NotationError(f"sum index {var!r} must be a single letter", self.source, index.span[0])
        if lo is not None and not (lo.is_Integer):
            raise NotationError(f"sum from {lo}: the lower limit must be a number", self.source, index.span[0])
        start = int(lo) - self.notation.index_base if lo is not None else 0
        stop = None
        if hi is not None:
            try:
                hi = hi()
            except (UnknownSymbol, QuantityError):
                hi = None  # an upper limit without a meaning (N): the index runs over its quantity's range
            if hi is not None and getattr(hi, "is_Integer", False):
                stop = int(hi) - self.notation.index_base
        saved = self.bindings.get(var)
        total = []
        code = start
        try:
            while stop is None or code <= stop:
                self.bindings[var] = code
                try:
                    total.append(body())
                except QuantityError:
                    if stop is None and code > start:
                        break
                    raise
                if stop is None and code > 64:
                    raise NotationError(f"sum over {var}: no quantity limits the index", self.source, index.span[0])
                code += 1
        finally:
            if saved is None:
                self.bindings.pop(var, None)
            else:
                self.bindings[var] = saved
        return self.add(total)


__all__ += ["EXAMPLE_COLUMN"]
