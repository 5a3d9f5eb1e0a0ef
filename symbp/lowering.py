"""From the derived matrix program to a short list of NumPy-sized statements.

:func:`lower` turns the forward assignments and the reverse-mode adjoints of
:mod:`symbp.matrixcalc` into :class:`Stmt` records that :mod:`symbp.compile`
prints as NumPy: matrix products (``linear``), sums over rows or columns
(``reduce``), column maxima (``max``), elementwise formulas (``map``), the
total of a matrix (``total``), in-place scalings (``scale``) and arrays of one number (``fill``: a
constant activation's output, and the adjoint of its input, 0; its shape is given in numbers and m). Along the way
it does what a careful person does by hand, each step an exact rewrite:

* **fusion**: an elementwise quantity used only elementwise is substituted into
  its users, so ``dA^{[L]}`` never exists as an array, and the scalar formula
  of the fused map is simplified by SymPy (``(a - y)/(a(1 - a)) * a(1 - a)``
  becomes ``a - y``: no division by a vanishing probability);
* **stored outputs**: a derivative in ``z`` is rewritten in the layer's output
  ``a`` when SymPy can solve ``a = g(z)`` for z (sigma' = a(1 - a),
  tanh' = 1 - a^2), so Z^{[l]} is overwritten by A^{[l]} in place;
* **shift**: ``exp`` feeding only degree-0 homogeneous maps and a column sum
  (the softmax) is evaluated as ``exp(z - max z)``; the derived formulas are
  then the reverse mode of the same function with a constant shift, so the
  gradient is unchanged and nothing overflows; ``log(exp(u)) = u`` and
  ``log(sigmoid(u)) = log_sigmoid(u)`` keep the cost finite; when a derived
  formula reads the logits themselves (a focal loss on a softmax: its gradient
  has log a = z - log s), the exp is evaluated unshifted: exact, but it
  overflows past |z| ~ 709 (88 in float32);
* **scaling**: the mean's 1/m is applied once, to the first adjoint that enters
  a matrix product, instead of to every dW^{[l]}.

One decision is about speed alone: a large product whose row count OpenBLAS
handles badly (30 rows: see :func:`padding`) is marked to be computed with its
left factor padded by zero rows, for batches large enough that this pays; the
rows added are dropped from the result, so the numbers are those of the plain
product up to the rounding of a differently blocked sum.

Non-goals: printing (compile), deriving (matrixcalc).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .functions import unfold
from .matrixcalc import MatrixGradient, _split
from .matrixexpr import ElementwiseMap
from .matrixform import M as BATCH
from .matrixform import matrix_gradient
from .rewrites import in_output, stabilize
from .spec import NetworkSpec

__all__ = ["Stmt", "Plan", "lower", "code_name", "element", "padding"]


@dataclass(frozen=True)
class Stmt:
    """One statement: ``target := expr``; see the module docstring for the kinds."""

    kind: str
    target: str
    expr: object
    shape: tuple
    axis: int | None = None
    comment: tuple = ()  # the matrix assignments (target, expression) it computes, fused ones first
    pad: tuple = ()  # linear: (rows, padded rows, least m) when the product's left factor is padded, see padding()
    einsum: bool = False  # linear: for one example, the outer product written by np.einsum, see einsum_outer()


@dataclass(frozen=True)
class Plan:
    """Statements, the arrays they read (name -> symbolic shape) and the outputs."""

    statements: tuple
    shapes: dict
    inputs: tuple
    outputs: tuple
    coefficient: sp.Expr


def code_name(symbol) -> str:
    """``Z^{[2]}`` -> ``Z2``, ``dW^{[1]}`` -> ``dW1``: the names of the equations, as identifiers.

    >>> code_name(sp.MatrixSymbol("dZ^{[12]}", 2, 2)), code_name(sp.MatrixSymbol("X", 2, 2))
    ('dZ12', 'X')
    """
    return re.sub(r"\^\{\[(\d+)\]\}", r"\1", symbol.name)


def element(name: str) -> sp.Symbol:
    """The scalar standing for one entry of array ``name`` in elementwise formulas."""
    return sp.Symbol(name, real=True)


# ----- Classification of matrix expressions -----
def _broadcast_leaf(expr):
    """``1_n s`` or ``b 1_m^T`` -> the row s or column b (numpy broadcasts it), else None."""
    if isinstance(expr, sp.MatMul) and len(expr.args) == 2:
        left, right = expr.args
        if isinstance(left, sp.OneMatrix) and left.shape[1] == 1 and right.shape[0] == 1:
            return right
        if isinstance(right, sp.OneMatrix) and right.shape[0] == 1 and left.shape[1] == 1:
            return left
    return None


def _is_elementwise(expr) -> bool:
    if isinstance(expr, (sp.MatrixSymbol, sp.OneMatrix, sp.ZeroMatrix)):
        return True
    if isinstance(expr, sp.MatMul):
        coeff, rest = _split(expr)
        if rest is not expr:
            return _is_elementwise(rest)
        leaf = _broadcast_leaf(expr)
        return leaf is not None and _is_elementwise(leaf)
    if isinstance(expr, (sp.HadamardProduct, sp.MatAdd, sp.HadamardPower)):
        return all(_is_elementwise(a) for a in expr.args if isinstance(a, MatrixExpr))
    return isinstance(expr, ElementwiseMap)


def _reduction(expr):
    """(coefficient, axis, summand) for ``1^T M``, ``M 1`` or ``1^T M 1`` (axis None), else None."""
    coeff, rest = _split(expr)
    if not isinstance(rest, sp.MatMul):
        return None
    args = list(rest.args)
    left = isinstance(args[0], sp.OneMatrix) and args[0].shape[0] == 1
    right = isinstance(args[-1], sp.OneMatrix) and args[-1].shape[1] == 1
    inner = args[int(left) : len(args) - int(right)]
    if not (left or right) or len(inner) != 1 or not _is_elementwise(inner[0]):
        return None
    return coeff, (None if left and right else 0 if left else 1), inner[0]


# ----- Lowering -----
def lower(spec: NetworkSpec, purpose: str = "gradients", dtype: str = "float64") -> Plan:
    """The statements computing ``purpose``: ``"gradients"``, ``"forward"`` (A^{[L]}) or ``"cost"``.

    ``dtype`` matters only to which products are padded (:func:`padding`).

    >>> from symbp.spec import NetworkSpec
    >>> plan = lower(NetworkSpec((3, 2), ("sigmoid",), "binary_cross_entropy"))
    >>> [(s.kind, s.target, s.expr) for s in plan.statements][2:4]
    [('map', 'dZ1', A1 - Y), ('scale', 'dZ1', 1/m)]
    """
    mf, mg = matrix_gradient(spec)
    try:
        return _lower(mf, mg, purpose, dtype, shift=True)
    except _ShiftUnsafe:  # e.g. a focal loss on a softmax output: exact, but exp(z) may overflow past |z| ~ 709
        return _lower(mf, mg, purpose, dtype, shift=False)


class _ShiftUnsafe(NotImplementedError):
    """A derived formula reads the argument of an exp evaluated as exp(z - max z)."""


def _lower(mf, mg: MatrixGradient, purpose: str, dtype: str, shift: bool) -> Plan:
    forward = list(mf.forward[:-1])
    program = forward + (list(mg.adjoint) if purpose == "gradients" else [])
    if purpose == "cost":
        program.append(mf.forward[-1])
    outputs = {
        "gradients": [mg.adjoints[p] for p in mf.parameters().values()],
        "forward": [mf.A[mf.depth]],
        "cost": [mf.cost],
    }[purpose]
    definitions = dict(program)
    needed = _needed(definitions, outputs)
    program = [(t, e) for t, e in program if t in needed]
    inputs = [s for s in [*mf.parameters().values(), mf.X, mf.Y] if any(e.has(s) for _, e in program)]
    kinds = {t: ("map" if _is_elementwise(e) else "reduce" if _reduction(e) else "linear") for t, e in program}
    fused = _fused(program, kinds, outputs)
    if purpose == "gradients":  # the stored activations: sigma'(z) is then computed from A, not Z
        fused -= {a for a in mf.A[1:] if isinstance(definitions.get(a), ElementwiseMap) and len(definitions[a].arguments) == 1}
    widths = {mf.n[l]: sp.Integer(w) for l, w in enumerate(mf.spec.widths)}
    shapes = {code_name(s): s.shape for s in inputs}
    scalars: dict = {}

    def to_scalar(expr):
        if isinstance(expr, sp.MatrixSymbol):
            if expr in fused:
                if expr not in scalars:
                    scalars[expr] = to_scalar(definitions[expr])
                return scalars[expr]
            return element(code_name(expr))
        if isinstance(expr, (sp.OneMatrix, sp.ZeroMatrix)):
            return sp.S.One if isinstance(expr, sp.OneMatrix) else sp.S.Zero
        if isinstance(expr, sp.MatMul):
            coeff, rest = _split(expr)
            return coeff.xreplace(widths) * to_scalar(rest if rest is not expr else _broadcast_leaf(expr))
        if isinstance(expr, sp.HadamardProduct):
            return sp.Mul(*[to_scalar(a) for a in expr.args])
        if isinstance(expr, sp.MatAdd):
            return sp.Add(*[to_scalar(a) for a in expr.args])
        if isinstance(expr, sp.HadamardPower):
            return to_scalar(expr.args[0]) ** expr.args[1]
        return expr.body_in([to_scalar(a) for a in expr.arguments]).xreplace(widths)

    stored: dict = {}  # element of a stored forward map -> its scalar formula
    exp_of: dict = {}  # element e of a stored exp map -> its argument (after the shift)
    positive: set = set()  # elements of column sums of stored exps
    shifted = _shiftable_exps(forward, kinds) if shift else set()
    coefficient = _uniform_coefficient(mg) if purpose == "gradients" else sp.S.One
    adjoint_names = {code_name(t) for t, _ in mg.adjoint}
    statements: list[Stmt] = []
    scaled: set = set()
    pending: list = []
    for target, expr in program:
        name, kind = code_name(target), kinds[target]
        if target in fused:
            pending.append((target, expr))
            continue
        shapes[name] = target.shape
        comment, pending = (*pending, (target, expr)), []
        if kind == "linear":
            coeff, rest = _split(expr)
            reads = {code_name(s) for s in rest.atoms(sp.MatrixSymbol)} & adjoint_names
            statements += _scale_first(reads, scaled, coefficient, statements, shapes)
            if coeff not in (1, coefficient):
                raise NotImplementedError(f"cannot lower {target.name} := {expr}: unexpected factor {coeff}")
            statements.append(Stmt("linear", name, rest, target.shape, comment=comment, pad=_padded(rest, widths, dtype),
                                   einsum=einsum_outer(target.shape, widths)))
        elif kind == "reduce":
            coeff, axis, summand = _reduction(expr)
            value = _simplify(to_scalar(summand), stored, exp_of, positive)
            if value in exp_of:
                positive.add(element(name))
            reads = {s.name for s in value.free_symbols} & adjoint_names
            if axis is not None:
                statements += _scale_first(reads, scaled, coefficient, statements, shapes)
            if reads & scaled and coeff == coefficient:
                coeff = sp.S.One
            statements += _reduce(name, value, axis, coeff, target.shape, shapes, comment)
        else:
            value = to_scalar(expr)
            if unfold(value).is_number:  # a constant activation (A = 2), or dA ⊙ 0 below one (g' = 0): filled
                size = tuple(sp.Tuple(*target.shape).xreplace(widths))  # the shape's symbols, never text
                statements.append(Stmt("fill", name, unfold(value), size, comment=comment))
                continue
            if target in shifted:
                arg = value.args[0]
                statements.append(Stmt("max", f"{name}_max", arg, (1, target.shape[1]), axis=0, comment=()))
                shapes[f"{name}_max"] = (1, target.shape[1])
                value = sp.exp(arg - element(f"{name}_max"))
            else:
                value = _simplify(value, stored, exp_of, positive)
            reads = {s.name for s in value.free_symbols} & adjoint_names
            statements.append(Stmt("map", name, value, target.shape, comment=comment))
            if target in dict(forward):
                stored[element(name)] = value
                if isinstance(value, sp.exp):
                    exp_of[element(name)] = value.args[0]
        if reads & scaled:
            if reads - scaled:
                raise NotImplementedError(f"{name} mixes scaled and unscaled adjoints {sorted(reads)}")
            scaled.add(name)
    for target in shifted:  # the shift is exact only if no derived formula reads the exp's argument
        argument = {s.name for s in stored[element(code_name(target))].free_symbols}
        late = [s.target for s in statements if s.target in adjoint_names and argument & _read_names(s) - {f"{code_name(target)}_max"}]
        if late:
            raise _ShiftUnsafe(f"{target.name} is shifted but {late} read its argument")
    return Plan(tuple(statements), shapes, tuple(code_name(s) for s in inputs), tuple(code_name(o) for o in outputs), coefficient)


#: Remainders of rows mod 8 that OpenBLAS's x86-64 GEMM kernels (the Haswell ones, which NumPy's wheels
#: pick on AVX2 machines) finish with narrow kernels costing about as much as a whole block of rows.
#: Measured on a 2-core AMD EPYC, one thread, 784 x 1000 right factor: 30 rows take 1600 us in float64
#: and 32 rows 1390 us (710 and 650 us in float32); 27 rows 1460 us, 28 rows 1370 us; 25 or 26 rows
#: gain nothing from 28.
PADDED_REMAINDERS = frozenset({3, 5, 6, 7})
#: Least size (m times the third size) of the operand that is not copied for the padding to pay:
#: 30 x 784 x m pays from m = 84 in float64, from about m = 200 in float32 (its products are twice as fast).
PADDING_MIN = {"float64": 2**16, "float32": 2**18}


#: Entries from which a sum over the batch, for one example an outer product, is written by np.einsum.
EINSUM_OUTER = 50_000


def einsum_outer(shape: tuple, widths: dict) -> bool:
    """True if an outer product of this shape (sizes in ``widths``' symbols, mapped to SymPy Integers) is written by
    np.einsum for one example.

    Broadcasting ``dZ * A.T`` runs NumPy's inner loop once per row; np.einsum writes the whole product
    in one loop, faster from about :data:`EINSUM_OUTER` entries (dW1 of a 784-256 layer, one core:
    127 -> 87 us in float64, 96 -> 60 us in float32), slower below (its set-up: a 30 x 784 product in
    float32 took 2.5 us longer). Both give the same numbers: one product per entry, no sum.

    >>> n1, n0 = sp.symbols("n_1 n_0", integer=True, positive=True)
    >>> einsum_outer((n1, n0), {n1: sp.Integer(256), n0: sp.Integer(784)})
    True
    >>> einsum_outer((n1, n0), {n1: sp.Integer(30), n0: sp.Integer(784)})
    False
    """
    rows, cols = _sizes(shape, widths)
    return bool(rows.is_Integer and cols.is_Integer and rows * cols >= EINSUM_OUTER)


def _sizes(dims, widths: dict) -> tuple:
    """Matrix sizes with the network's widths put in (``widths``: size symbol -> SymPy Integer)."""
    return tuple(sp.sympify(d, strict=True).xreplace(widths) for d in dims)  # safe: sizes (ints, SymPy symbols); strict=True refuses text


def padding(rows: int, other: int, dtype: str = "float64") -> tuple[int, int] | None:
    """(padded rows, least m) for a product with ``rows`` rows, batch size m and ``other`` its third size.

    A product ``L R`` whose result has ``rows`` rows, with m and ``other`` the other
    two sizes (either may be the inner one), is faster with ``L`` padded by zero rows
    to the next multiple of 4 when ``rows % 8`` is in :data:`PADDED_REMAINDERS`,
    provided the operand that is not copied is large: ``other >= 64``, ``m * other >=``
    :data:`PADDING_MIN` and ``m >= 2 rows`` (below that, copying ``L`` costs what the
    padding saves). None when padding never pays.

    >>> padding(30, 784), padding(27, 784), padding(30, 256), padding(30, 784, "float32")
    ((32, 84), (28, 84), (32, 256), (32, 335))
    >>> padding(32, 784), padding(10, 784), padding(26, 784), padding(30, 30)
    (None, None, None, None)
    """
    if rows % 8 not in PADDED_REMAINDERS or other < 64:
        return None
    return rows + (-rows) % 4, max(2 * rows, -(-PADDING_MIN[dtype] // other))


def _padded(expr, widths, dtype) -> tuple:
    """``Stmt.pad`` of a product statement: (rows, padded rows, least m), or () if it is never padded."""
    terms = [t for t in (expr.args if isinstance(expr, sp.MatAdd) else (expr,)) if _broadcast_leaf(t) is None]
    if len(terms) != 1 or not isinstance(terms[0], sp.MatMul) or len(terms[0].args) != 2:
        return ()
    left, right = terms[0].args
    dims = (left.shape[0], left.shape[1], right.shape[1])
    rows, inner, cols = _sizes(dims, widths)
    if not rows.is_Integer or (inner == BATCH) == (cols == BATCH):  # exactly one size is the batch
        return ()
    other = inner if cols == BATCH else cols
    found = padding(int(rows), int(other), dtype) if other.is_Integer else None
    return (int(rows), *found) if found else ()


def _fused(program, kinds, outputs) -> set:
    """Elementwise quantities read only elementwise (never by a product or as a plain summand)."""
    read_as_matrix = set()
    for t, e in program:
        if kinds[t] == "linear":
            read_as_matrix |= e.atoms(sp.MatrixSymbol)
        elif kinds[t] == "reduce" and isinstance(_reduction(e)[2], sp.MatrixSymbol):
            read_as_matrix.add(_reduction(e)[2])
    return {t for t, _ in program if kinds[t] == "map" and t not in read_as_matrix and t not in outputs}


def _read_names(stmt: Stmt) -> set[str]:
    if stmt.kind == "linear":
        return {code_name(s) for s in stmt.expr.atoms(sp.MatrixSymbol)}
    if stmt.kind == "scale":
        return set()
    return {s.name for s in stmt.expr.free_symbols}


def _needed(definitions: dict, outputs) -> set:
    needed, stack = set(), list(outputs)
    while stack:
        s = stack.pop()
        if s in needed or s not in definitions:
            continue
        needed.add(s)
        stack += list(definitions[s].atoms(sp.MatrixSymbol))
    return needed


def _uniform_coefficient(mg: MatrixGradient) -> sp.Expr:
    """The common factor of the named adjoints (1/m for a mean cost)."""
    factors = {mg.coefficients[mg.adjoints[t]] for t, _ in mg.forward if t in mg.adjoints}
    if len(factors) != 1:
        raise NotImplementedError(f"named adjoints with different factors {factors}: cannot fold them into one scaling")
    return factors.pop()


def _scale_first(reads, scaled, coefficient, statements, shapes) -> list[Stmt]:
    """Scale each unscaled adjoint about to enter a product, if nothing has read it yet."""
    out = []
    for name in sorted(reads - scaled):
        if coefficient == 1:
            scaled.add(name)
            continue
        if any(name in _read_names(s) for s in statements):
            raise NotImplementedError(f"{name} was read before its scaling by {coefficient}")
        out.append(Stmt("scale", name, coefficient, shapes[name], comment=()))
        scaled.add(name)
    return out


def _reduce(name, value, axis, coeff, shape, shapes, comment) -> list[Stmt]:
    """Sum over ``axis`` with factors constant along it pulled out of the sum."""
    constant = []
    if axis is not None and isinstance(value, sp.Mul):
        broadcast = [f for f in value.args if f.free_symbols and all(s.name in shapes and shapes[s.name][axis] == 1 for s in f.free_symbols)]
        if broadcast and len(broadcast) < len(value.args):
            constant = broadcast
            value = sp.Mul(*[f for f in value.args if f not in broadcast])
    kind = "reduce" if axis is not None else "total"
    if not constant and coeff == 1:
        return [Stmt(kind, name, value, shape, axis, comment)]
    partial = f"{name}_sum"
    shapes[partial] = shape
    return [Stmt(kind, partial, value, shape, axis, comment), Stmt("map", name, sp.Mul(coeff, *constant, element(partial)), shape)]


def _simplify(value: sp.Expr, stored: dict, exp_of: dict, positive=frozenset()) -> sp.Expr:
    """Stored forward values in place of their formulas, z rewritten in a, stable logs, SymPy's simplification."""
    value = value.xreplace({formula: symbol for symbol, formula in stored.items() if formula.free_symbols})
    for symbol, formula in stored.items():
        z = formula.args[0] if isinstance(formula, sp.Function) and formula.args else None
        if isinstance(z, sp.Symbol) and value.has(z):
            value = in_output(value, formula, z, symbol)
    value = stabilize(value, exp_of, frozenset(positive))
    if value.has(sp.Piecewise):  # keep g * Piecewise(...): printed as a product with a mask
        return value
    return min([value, sp.factor(sp.cancel(value))], key=sp.count_ops)


def _shiftable_exps(forward, kinds) -> set:
    """Stored ``exp`` maps read only by a column sum and by maps homogeneous of degree 0 in them and that sum."""
    out = set()
    for target, expr in forward:
        if not (isinstance(expr, ElementwiseMap) and expr.function.expr == sp.exp(expr.function.variables[0])):
            continue
        sums = [t for t, e in forward if kinds[t] == "reduce" and _reduction(e)[1] == 0 and _reduction(e)[2] == target]
        family = {target, *sums}
        ok = bool(sums)
        for t, e in forward:
            if t in family or not (e.atoms(sp.MatrixSymbol) & family):
                continue
            if not isinstance(e, ElementwiseMap):
                ok = False
                break
            lam = sp.Symbol("lambda", positive=True)
            scaled = {v: lam * v for v, a in zip(e.function.variables, e.arguments) if a.atoms(sp.MatrixSymbol) & family}
            ok = ok and sp.simplify(e.function.expr.xreplace(scaled) - e.function.expr) == 0
        if ok:
            out.add(target)
    return out
