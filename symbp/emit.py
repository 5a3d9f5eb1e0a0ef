"""Printing lowered statements as NumPy code that works in place.

:class:`KernelPrinter` is SymPy's :class:`~sympy.printing.numpy.NumPyPrinter`
with the stable kernels of :mod:`symbp.numerics` (``sigmoid``,
``log_sigmoid``), ``np.maximum`` for ReLU, and ``np.`` as the module prefix.
:class:`Emitter` turns each :class:`~symbp.lowering.Stmt` into a few NumPy
calls: a fused elementwise formula becomes a sequence of ufunc calls with
``out=`` into one buffer, and an array that no later statement reads is
overwritten instead of allocating a new one (``A1 = sigmoid(Z1, out=Z1)``).
Every statement is preceded by a comment with the matrix equation it computes.

Non-goals: deciding what to compute (:mod:`symbp.lowering`), running the code
(:mod:`symbp.compile`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from .functions import ActivationFunction, sigmoid
from .lowering import Plan, Stmt
from .rewrites import log_sigmoid
from .matrixform import M as BATCH
from .matrixprint import text

__all__ = ["KernelPrinter", "Emitter", "UFUNCS"]

#: SymPy function -> (NumPy ufunc or numerics kernel taking ``out=``).
UFUNCS = {
    sp.exp: "np.exp",
    sp.log: "np.log",
    sp.tanh: "np.tanh",
    sp.Abs: "np.abs",
    sp.sign: "np.sign",
    sp.sqrt: "np.sqrt",
    sigmoid: "sigmoid",
    log_sigmoid: "log_sigmoid",
    sp.erf: "erf",
}
_BINARY = {"+": "np.add", "-": "np.subtract", "*": "np.multiply", "/": "np.divide"}


class KernelPrinter(NumPyPrinter):
    """NumPy printer with symbp's kernels and ``np.`` as the module name.

    Examples
    --------
    >>> from symbp.functions import relu
    >>> z = sp.Symbol("Z1", real=True)
    >>> KernelPrinter().doprint(sigmoid(z) + relu(z))
    'np.maximum(Z1, 0.0) + sigmoid(Z1)'
    """

    def doprint(self, expr, assign_to=None):
        while self._user_activation(expr):  # a whole formula needs no parentheses
            expr = expr.explicit()
        # Emitter.statement folds a statement's numbers before taking it apart; a user activation printed as its
        # formula (functions._numpycode) brings new ones, folded here
        return super().doprint(fold_numbers(expr), assign_to)

    def parenthesize(self, item, level, strict=False):
        if isinstance(item, sp.Rational) and not item.is_Integer and item > 0:
            return self._print(item)  # printed as a float literal (0.5), which needs no parentheses
        return super().parenthesize(item, level, strict)

    def _user_activation(self, expr) -> bool:
        return isinstance(expr, ActivationFunction) and not hasattr(self, f"_print_{type(expr).__name__}")

    def _print(self, expr, **kwargs):
        # constants such as sqrt(2) or pi as Python floats: NumPy's np.sqrt(2) is a float64 scalar, which
        # would turn a float32 array into float64 (a Python float adapts to the array's dtype)
        if (isinstance(expr, sp.Expr) and expr.is_number and expr.is_real and not expr.is_Rational
                and not expr.is_Float):
            return super()._print(sp.Float(expr.evalf(17), 17), **kwargs)
        return super()._print(expr, **kwargs)

    def _module_format(self, fqn, register=True):
        name = super()._module_format(fqn, register)
        return "np." + name[len("numpy.") :] if name.startswith("numpy.") else name

    def _print_erf(self, expr):
        return f"erf({self._print(expr.args[0])})"  # symbp.numerics.erf: NumPy has none

    def _print_Heaviside(self, expr):
        # NumPy's own step keeps the array's dtype (NumPyPrinter's np.select of 0.0 and 1.0 makes float64)
        h0 = expr.args[1] if len(expr.args) > 1 else sp.S.Half
        return f"np.heaviside({self._print(expr.args[0])}, {self._print(sp.Float(h0))})"

    def _print_Max(self, expr):
        return self._nested("np.maximum", expr.args)

    def _print_Min(self, expr):
        return self._nested("np.minimum", expr.args)

    def _nested(self, ufunc, args):
        text = self._print(args[0])
        for arg in args[1:]:
            text = f"{ufunc}({text}, {self._print(arg)})"
        return text

    def _print_sigmoid(self, expr):
        return f"sigmoid({self._print(expr.args[0])})"

    def _print_log_sigmoid(self, expr):
        return f"log_sigmoid({self._print(expr.args[0])})"

    def _print_relu(self, expr):
        return f"np.maximum({self._print(expr.args[0])}, 0.0)"

    def _print_leaky_relu(self, expr):
        z, slope = expr.args
        factor = self.parenthesize(slope, 50)
        return f"np.maximum({self._print(z)}, {factor}*{self.parenthesize(z, 50)})"  # 0 < slope < 1

    def _print_Pow(self, expr, rational=False):
        if expr.exp == -1:
            return f"1/{self.parenthesize(expr.base, 50)}"
        return super()._print_Pow(expr, rational)

    def _print_Rational(self, expr):
        return repr(float(expr))  # the shortest literal that reads back as the same double

    _print_Float = _print_Rational

    def _print_Integer(self, expr):
        return f"{int(expr)}.0"


class Emitter:
    """Lines of NumPy code for a :class:`~symbol.lowering.Plan`, with in-place reuse of dead arrays."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.printer = KernelPrinter()
        self.lines: list[str] = []
        self.temps = 0
        self.buffer = {name: name for name in plan.inputs}  # name -> the array object it shares
        self.owned: set[str] = set()
        reads_after: list[set[str]] = []
        later = set(plan.outputs)
        for stmt in reversed(plan.statements):
            reads_after.append(set(later))
            later |= _reads(stmt)
        self.reads_after = reads_after[::-1]

    # ----- helpers -----
    def emit(self, line: str) -> None:
        self.lines.append(line)

    def p(self, expr) -> str:
        return self.printer.doprint(expr)

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def shape(self, expr) -> tuple:
        rows, cols = 1, 1
        for s in expr.free_symbols:
            if s.name in self.plan.shapes:
                r, c = self.plan.shapes[s.name]
                rows, cols = (r if r != 1 else rows), (c if c != 1 else cols)
        return rows, cols

    def reusable(self, name: str, index: int, shape: tuple) -> bool:
        buffer = self.buffer.get(name)
        if buffer not in self.owned or self.plan.shapes.get(name) != shape:
            return False
        sharing = [n for n, b in self.buffer.items() if b == buffer]
        return not any(n in self.reads_after[index] for n in sharing)

    def bind(self, name: str, buffer_of: str | None) -> None:
        if buffer_of is None:
            self.buffer[name] = name
            self.owned.add(name)
        else:
            self.buffer[name] = self.buffer[buffer_of]

    # ----- statements -----
    def statement(self, index: int, stmt: Stmt) -> None:
        for target, expr in stmt.comment:
            self.emit(f"# {text(target)} = {text(expr)}")
        if stmt.comment and stmt.kind in ("map", "reduce", "total") and _differs(stmt):
            what = "summing" if stmt.kind != "map" else "computed as"
            self.emit(f"#   {what} {sp.sstr(_normalize(stmt.expr))}")
        if isinstance(stmt.expr, sp.Expr) and not isinstance(stmt.expr, sp.MatrixExpr):
            stmt = dataclasses.replace(stmt, expr=fold_numbers(stmt.expr))  # the comment above stays exact
        expr = _normalize(stmt.expr) if isinstance(stmt.expr, sp.Expr) else sp.S.Zero
        self.remaining = Counter(n for n in sp.preorder_traversal(expr) if isinstance(n, sp.Symbol))
        getattr(self, f"_{stmt.kind}")(index, stmt)

    def _outer(self, stmt: Stmt, product: sp.MatMul, left: str, right: str) -> str:
        """The outer product ``left right`` of one example's columns: broadcast, or by np.einsum
        (:func:`~symbp.lowering.einsum_outer`)."""
        factor = product.args[1]
        column = self._product(factor.arg) if isinstance(factor, sp.Transpose) else ""
        if not (stmt.einsum and left.isidentifier() and column.isidentifier()):  # names only: X[:, 0], not A - Y[:, 0]
            return f"np.multiply({left}, {right})"
        self.emit("#   for m = 1: the outer product by np.einsum, one loop over its entries (lowering.einsum_outer)")
        return f"np.einsum('i,j->ij', {left}[:, 0], {column}[:, 0])"

    def _linear(self, index, stmt):
        terms = stmt.expr.args if isinstance(stmt.expr, sp.MatAdd) else (stmt.expr,)
        products = [t for t in terms if not _is_broadcast(t)]
        broadcasts = [t for t in terms if _is_broadcast(t)]
        first = products[0]
        value = self._product(first)
        pair = isinstance(first, sp.MatMul) and len(first.args) == 2
        left, right = (self._product(f) for f in first.args) if pair else (None, None)
        if pair and first.args[0].shape[1] == BATCH:
            # a sum over the batch: for one example it is an outer product
            value = f"{value} if m > 1 else {self._outer(stmt, first, left, right)}"
        if stmt.pad:  # lowering.padding: a row count OpenBLAS handles faster, the extra rows dropped
            rows, padded, least = stmt.pad
            self.emit(f"#   for m >= {least}: {left} padded to {padded} rows (OpenBLAS multiplies whole blocks of rows faster)")
            value = f"(pad_rows({left}, {padded}) @ {right})[:{rows}] if m >= {least} else {value}"
        self.emit(f"{stmt.target} = {value}")
        for t in products[1:]:
            self.emit(f"{stmt.target} += {self._product(t)}")
        for t in broadcasts:
            self.emit(f"{stmt.target} += {self._product(_broadcast(t))}")
        self.bind(stmt.target, None)

    def _product(self, expr) -> str:
        factors = expr.args if isinstance(expr, sp.MatMul) else (expr,)
        parts = []
        for f in factors:
            if isinstance(f, sp.Transpose):
                parts.append(f"{_name(f.arg)}.T")
            elif isinstance(f, sp.MatrixSymbol):
                parts.append(_name(f))
            else:
                raise NotImplementedError(f"cannot print the product factor {f}")
        return " @ ".join(parts)

    def _max(self, index, stmt):
        self.emit(f"{stmt.target} = np.maximum.reduce({self.value(stmt.expr, index, root=True)}, {stmt.axis}, keepdims=True)")
        self.bind(stmt.target, None)

    def _fill(self, index, stmt):
        shape = ", ".join(str(size) if size.is_Integer else self.p(size) for size in stmt.shape)
        value = "" if stmt.expr == 0 else f", {self.p(stmt.expr)}"
        self.emit(f"{stmt.target} = np.{'zeros' if stmt.expr == 0 else 'full'}(({shape}){value}, dtype=DTYPE)")
        self.bind(stmt.target, None)

    def _reduce(self, index, stmt):
        value = self.value(stmt.expr, index, root=True)
        total = f"np.add.reduce({value}, {stmt.axis}, keepdims=True)"
        if stmt.axis == 1 and value.isidentifier():
            # a sum over the batch: for one example it is a copy, which costs a fifth of the reduction's call
            self.emit(f"{stmt.target} = {total} if m > 1 else {value}.copy()")
        else:
            self.emit(f"{stmt.target} = {total}")
        self.bind(stmt.target, None)

    def _total(self, index, stmt):
        self.emit(f"{stmt.target} = float(np.add.reduce({self.value(stmt.expr, index, root=True)}, None))")
        self.bind(stmt.target, None)

    def _scale(self, index, stmt):
        if stmt.expr == 1 / BATCH:  # the mean over the batch: nothing to do for one example
            self.emit("if m > 1:")
            self.emit(f"    {stmt.target} *= 1/m")
        else:
            self.emit(f"{stmt.target} *= {self.p(stmt.expr)}")

    def _map(self, index, stmt):
        expr = _normalize(stmt.expr)
        if stmt.shape == (1, 1) or not any(s.name in self.plan.shapes and s.name in self.buffer for s in expr.free_symbols):
            self.emit(f"{stmt.target} = {self.p(expr)}")  # scalars: plain Python arithmetic
            self.bind(stmt.target, None)
            return
        if isinstance(expr, sp.Symbol):
            self.emit(f"{stmt.target} = {expr.name}")
            self.bind(stmt.target, expr.name)
            return
        result = self.compute(expr, index, stmt.target, root=True)
        if result != stmt.target:
            self.emit(f"{stmt.target} = {result}")
            self.bind(stmt.target, result)

    # ----- elementwise formulas, in place -----
    def value(self, expr, index, root=False) -> str:
        """A name or literal holding ``expr`` (computed into a temporary if needed)."""
        expr = _normalize(expr)
        if isinstance(expr, sp.Symbol) or expr.is_Number:
            self.consume(expr)
            return self.p(expr)
        return self.compute(expr, index, self.temp(), root=root)

    def consume(self, operand) -> None:
        if isinstance(operand, sp.Symbol) and operand in self.remaining:
            self.remaining[operand] -= 1

    def last_use(self, operand, index, shape) -> bool:
        """``operand`` is an array no one reads after this use, so its buffer may take the result."""
        return (
            isinstance(operand, sp.Symbol)
            and self.remaining.get(operand) == 1
            and self.reusable(operand.name, index, shape)
        )

    def compute(self, expr, index, dest, root) -> str:
        """Emit ``expr`` into a buffer, named ``dest`` if a new one is made; returns the buffer's name."""
        shape = self.shape(expr)
        if expr.func in UFUNCS and len(expr.args) == 1:
            arg = expr.args[0]
            if isinstance(arg, sp.Symbol):
                reuse = self.last_use(arg, index, shape)
                self.consume(arg)
                self.emit(f"{dest} = {UFUNCS[expr.func]}({arg.name}{f', out={arg.name}' if reuse else ''})")
                self.bind(dest, arg.name if reuse else None)
                return dest
            inner = self.compute(arg, index, dest, root=root)
            self.emit(f"{UFUNCS[expr.func]}({inner}, out={inner})")
            return inner
        if isinstance(expr, (sp.Add, sp.Mul)):
            return self._accumulate(expr, index, dest, root, shape)
        if isinstance(expr, sp.Pow) and expr.exp == -1:
            self.emit(f"{dest} = np.divide(1.0, {self.value(expr.base, index)})")
        elif isinstance(expr, sp.Pow) and expr.exp == 2:
            self.emit(f"{dest} = np.square({self.value(expr.base, index)})")
        elif isinstance(expr, sp.Piecewise) and len(expr.args) == 2 and expr.args[1][1] == sp.true:
            (v1, cond), (v2, _) = expr.args
            for leaf in cond.free_symbols:
                self.consume(leaf)
            where = f"np.where({self.p(cond)}, {self.value(v1, index)}, {self.value(v2, index)})"
            if v1.is_number and v2.is_number:  # two Python numbers would make a float64 array
                where += ".astype(DTYPE, copy=False)"
            self.emit(f"{dest} = {where}")
        else:
            expr = expr.args[0] if expr.func == sp.Function("_plain") else expr
            for leaf in [n for n in sp.preorder_traversal(expr) if isinstance(n, sp.Symbol)]:
                self.consume(leaf)
            self.emit(f"{dest} = {self.p(expr)}")
        self.bind(dest, None)
        return dest

    def _accumulate(self, expr, index, dest, root, shape) -> str:
        """Sums and products: one buffer, the other operands combined into it in place."""
        add = isinstance(expr, sp.Add)
        ops = [_signed(t) if add else _inverted(t) for t in expr.args]  # (operator, operand)
        plain = [i for i, (_, t) in enumerate(ops) if isinstance(t, sp.Symbol) or t.is_Number]
        full = [i for i, (_, t) in enumerate(ops) if t.free_symbols and self.shape(t) == shape]
        if not full:
            return self.compute(sp.Function("_plain")(expr), index, dest, root)  # scalars only
        positive = [i for i in full if ops[i][0] in "+*"]
        reuse = [i for i in positive if i in plain and self.last_use(ops[i][1], index, shape)]
        ranked = [i for i in positive if i not in plain] + [i for i in full if i not in plain] + positive + full
        if reuse:  # a dead operand's buffer becomes the result
            first, buf = reuse[0], ops[reuse[0]][1].name
            self.consume(ops[first][1])
            done = {first}
        elif ranked[0] not in plain:  # a composite operand's buffer becomes the result
            first = ranked[0]
            buf = self.compute(ops[first][1], index, dest, root=root)
            if ops[first][0] in "-/":
                self.emit(f"{'np.negative' if add else 'np.reciprocal'}({buf}, out={buf})")
            done = {first}
        else:  # the first operation makes the result from a plain operand and another one
            first = ranked[0]
            second = next((k for k in plain if k != first), next(k for k in range(len(ops)) if k != first))
            buf = self._first(ops[first], ops[second], add, index, dest, shape)
            done = {first, second}
        for k in [i for i in plain if i not in done] + [i for i in range(len(ops)) if i not in plain and i not in done]:
            op, operand = ops[k]
            self.emit(f"{_BINARY[op]}({buf}, {self.value(operand, index)}, out={buf})")
        if root and buf != dest:
            self.emit(f"{dest} = {buf}")
            self.bind(dest, buf)
            return dest
        return buf

    def _first(self, first, second, add, index, dest, shape) -> str:
        """The operation that makes the accumulator from two operands, into a dead one if possible."""
        (op_i, a), (op_j, b) = first, second
        out = a.name if self.last_use(a, index, shape) else None
        x, y = self.value(a, index), self.value(b, index)
        if out is None and not (isinstance(b, sp.Symbol) or b.is_Number) and self.shape(b) == shape:
            out = y  # a temporary of this formula
        if op_i in "+*":
            call = f"{_BINARY[op_j]}({x}, {y}"
        elif op_j in "+*":  # -a + b is b - a; 1/a * b is b / a
            call = f"{_BINARY[op_i]}({y}, {x}"
        else:
            self.emit(f"{dest} = {_BINARY['+' if add else '*']}({x}, {y})")
            self.bind(dest, None)
            self.emit(f"{'np.negative' if add else 'np.reciprocal'}({dest}, out={dest})")
            return dest
        if out is not None:
            self.emit(f"{call}, out={out})")
            return out
        self.emit(f"{dest} = {call})")
        self.bind(dest, None)
        return dest


# ----- expression helpers -----
def _name(symbol) -> str:
    from .lowering import code_name

    return code_name(symbol)


def _is_broadcast(term) -> bool:
    return isinstance(term, sp.MatMul) and any(isinstance(a, sp.OneMatrix) for a in term.args)


def _broadcast(term):
    return next(a for a in term.args if not isinstance(a, sp.OneMatrix))


def _reads(stmt: Stmt) -> set[str]:
    if stmt.kind == "linear":
        return {_name(s) for s in stmt.expr.atoms(sp.MatrixSymbol)}
    if stmt.kind == "scale":
        return {stmt.target}
    if stmt.kind == "fill":
        return set()
    return {s.name for s in stmt.expr.free_symbols}


def _differs(stmt: Stmt) -> bool:
    """Whether the fused formula is worth showing (it is not just the single assignment's own text)."""
    return not isinstance(stmt.expr, sp.Symbol) and (len(stmt.comment) > 1 or stmt.target.startswith("d"))


def _signed(term):
    coeff, rest = term.as_coeff_Mul()
    return ("-", -term) if coeff.is_negative else ("+", term)


def _inverted(factor):
    if isinstance(factor, sp.Pow) and factor.exp.is_negative:
        return "/", factor.base ** (-factor.exp)
    return "*", factor


def fold_numbers(expr):
    """``expr`` with the numeric factors of every product multiplied out into one number.

    ``sqrt(2)*z/(2*sqrt(pi))`` becomes ``0.398942280401433*z``: one constant in the
    generated code instead of three, and one rounding instead of three. Exact
    rationals stay exact (the printer writes them as floats).

    Examples
    --------
    >>> z = sp.Symbol("z")
    >>> KernelPrinter().doprint(fold_numbers(sp.sqrt(2) * z / (2 * sp.sqrt(sp.pi))))
    '0.3989422804014327*z'
    >>> KernelPrinter().doprint(fold_numbers(z / 2 + sp.erf(sp.sqrt(2) * z / 2)))
    '0.5*z + erf(0.7071067811865476*z)'
    """
    if not isinstance(expr, sp.Basic):
        return expr

    def fold(product):
        numbers = [a for a in product.args if a.is_number]
        rest = [a for a in product.args if not a.is_number]
        c = sp.Mul(*numbers)
        return sp.Mul(c if c.is_Rational else sp.Float(c.evalf(17), 17), *rest)

    return expr.replace(lambda e: isinstance(e, sp.Mul) and any(a.is_number and not a.is_Rational for a in e.args)
                        and not e.is_number, fold)


def _normalize(expr):
    """``-a*(b - 1)`` as ``a*(1 - b)``: the sign goes into a sum instead of a separate negation."""
    if isinstance(expr, sp.Mul):
        coeff, rest = expr.as_coeff_Mul()
        sums = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.Add)]
        if coeff.is_negative and sums:
            others = [f for f in sp.Mul.make_args(rest) if f is not sums[0]]
            factors = [sp.Add(*[-t for t in sums[0].args]), *others]
            return sp.Mul(*([] if coeff == -1 else [-coeff]), *factors, evaluate=False)
    return expr
