r"""Vectorized claims checked against the matrix-form gradients, for every width and batch size.

A claim about whole matrices (``dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}``,
``\delta^{[l]} = \frac{dC}{dA^{[l]}} \odot g'^{[l]}``, ``Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}``)
is first read in :class:`MatrixEnv`: every quantity becomes the matrix
expression of symbolic shape that :func:`symbp.matrixform.matrix_gradient` uses
(``W^{[l]}``, ``A^{[l]}``, the named adjoints ``dZ^{[l]}`` with their scalar
factors, ``g'`` as SymPy's derivative of the activation's formula applied entry
by entry). :func:`prove` then expands the named adjoints and forward
definitions of the matrix program, latest first, and compares the two sides
in a normal form (sums of scalar multiples of products; Hadamard products
unordered, scalars pulled out, transposes pushed onto symbols). Equal normal
forms are an exact proof for every width and batch size, hence for the
claim's network.

Only proofs come from here. A claim that names entries, numbers, examples,
a softmax layer or anything else this environment does not model, or whose
normal forms stay different, is left to the explicit instances of
:mod:`.links` (which decide wrong claims and diagnose them).
Non-goals: refutation, diagnosis.
"""

from __future__ import annotations

import itertools
from functools import cached_property, lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..matrixcalc import reverse_matrix
from ..matrixform import ElementwiseMap, elementwise, matrix_form
from ..rules import Z as RULE_Z
from .functions import ELEMENTWISE
from .latex import Atom, Call, Deriv, LatexParseError

__all__ = ["NotMatrixForm", "MatrixEnv", "prove", "matrix_outcome", "MAX_EXPANSIONS"]

#: Definitions expanded at most, one symbol at a time, before the claim is left to the explicit instances.
MAX_EXPANSIONS = 12


class NotMatrixForm(Exception):
    """The claim uses something the matrix form does not model (the explicit instances decide it)."""


class OutOfRange(NotMatrixForm):
    """A quantity of a layer the network does not have (the instance is skipped, as the explicit path does)."""


@lru_cache(maxsize=16)
def _program(spec):
    """The matrix form of ``spec`` and its reverse-mode gradients, the input's (dA^{[0]}) included."""
    mf = matrix_form(spec)
    return mf, reverse_matrix(mf.forward, mf.cost, [*mf.parameters().values(), mf.X])


class _Cost:
    """The cost, only meaningful as the numerator of a gradient."""


COST = _Cost()


class MatrixEnv:
    """Meanings in the matrix form of ``ctx``'s network at the claim's layers (``bindings``)."""

    def __init__(self, ctx, notation, bindings: dict, defined: dict):
        self.ctx, self.notation, self.bindings, self.defined = ctx, notation, bindings, defined

    @cached_property
    def mf(self):
        """The network's matrix form (built on first use: most scalar claims never need it)."""
        return _program(self.ctx.spec)[0]

    @cached_property
    def mg(self):
        """Its reverse-mode gradients."""
        return _program(self.ctx.spec)[1]

    # ----- Quantities -----
    def atom(self, atom: Atom):
        if atom.name in self.defined or atom.name in self.bindings:
            raise NotMatrixForm(atom.name)
        resolved = self.notation.resolve(atom.name)
        if resolved is None or resolved.index or resolved.example is not None:
            raise NotMatrixForm(atom.name)
        name = resolved.meaning.name
        if name == "m":
            return self.mf.m
        if name == "C":
            return COST
        if name in ("X", "Y"):
            return getattr(self.mf, name)
        if resolved.layer is None:
            raise NotMatrixForm(name)
        layer = resolved.layer.value(self.bindings, self.ctx.depth)
        return self.quantity(name, layer)

    def quantity(self, name: str, layer: int):
        mf, first = self.mf, 0 if name in ("A", "dA") else 1
        if not first <= layer <= self.ctx.depth:
            raise OutOfRange(f"{name} of layer {layer}")
        if name in ("W", "b", "Z", "A"):
            return getattr(mf, name)[layer]
        if name == "g'":
            return self._elementwise(layer, primes=1, arg=mf.Z[layer])
        source = {"dW": mf.W, "db": mf.b, "dZ": mf.Z, "delta": mf.Z, "dA": mf.A}.get(name)
        if source is None:
            raise NotMatrixForm(name)
        scale = self.mf.m if self.ctx.claims_context.derivatives == "example" and name in ("dZ", "delta", "dA") \
            else sp.S.One
        return scale * self.gradient(source[layer])

    def gradient(self, x: sp.MatrixSymbol):
        """dC/dx as the matrix program names it: its adjoint symbol times the adjoint's scalar factor."""
        if x not in self.mg.adjoints:
            raise NotMatrixForm(f"no gradient of {x}")
        symbol = self.mg.adjoints[x]
        return self.mg.coefficients.get(symbol, sp.S.One) * symbol

    def _elementwise(self, layer: int, primes: int, arg):
        rule = self.ctx.spec.activation_rule(layer)
        if rule.kind != "elementwise":
            raise NotMatrixForm("a softmax layer (its derivative is a Jacobian)")
        body = rule.apply([RULE_Z], self.ctx.spec.options)[0]
        return elementwise(sp.Lambda(RULE_Z, sp.diff(body, RULE_Z, primes)), arg)

    # ----- Functions and derivatives -----
    def call(self, call: Call, build_args):
        resolved = self.notation.resolve(call.function.name) or self.notation.resolve(call.function.base)
        primes = call.function.primes + call.primes
        if resolved is None or resolved.meaning.name not in ("g", "g'", *ELEMENTWISE) or len(call.args) != 1:
            raise NotMatrixForm(call.function.name)
        (arg,) = build_args()
        if not isinstance(arg, MatrixExpr):
            raise NotMatrixForm("a function of a scalar")
        if resolved.meaning.name in ("g", "g'"):
            layer = resolved.layer.value(self.bindings, self.ctx.depth)
            if not 1 <= layer <= self.ctx.depth:
                raise OutOfRange(f"g of layer {layer}")
            return self._elementwise(layer, primes + (resolved.meaning.name == "g'"), arg)
        f = ELEMENTWISE[resolved.meaning.name]
        return elementwise(sp.Lambda(RULE_Z, sp.diff(f(RULE_Z), RULE_Z, primes)), arg)

    def derivative(self, piece: Deriv, builder):
        num, den = builder.node(piece.num), builder.node(piece.den)
        if num is not COST or not isinstance(den, sp.MatrixSymbol):
            raise NotMatrixForm("a derivative other than the gradient of the cost")
        return self.gradient(den)

    # ----- Arithmetic (symbolic shapes must agree; a column added to a matrix is broadcast) -----
    def number(self, n):
        return n

    def mul(self, args):
        if any(a is COST for a in args):
            raise NotMatrixForm("the cost as a factor")
        try:
            return sp.MatMul(*args).doit(deep=False) if any(isinstance(a, MatrixExpr) for a in args) else sp.Mul(*args)
        except (sp.ShapeError, TypeError, ValueError) as exc:
            raise NotMatrixForm(str(exc)) from None

    def add(self, args):
        mats = [a for a in args if isinstance(a, MatrixExpr)]
        if not mats or len(mats) != len(args):
            raise NotMatrixForm("a sum of scalars, or of a scalar and a matrix")
        cols = max((a.cols for a in mats), key=lambda c: c != 1)
        broadcast = [a * sp.OneMatrix(1, cols) if a.cols == 1 and cols != 1 else a for a in mats]
        try:
            return sp.MatAdd(*broadcast)
        except (sp.ShapeError, TypeError, ValueError) as exc:
            raise NotMatrixForm(str(exc)) from None

    def pow(self, base, exponent):
        if isinstance(base, MatrixExpr) or isinstance(exponent, MatrixExpr) or base is COST:
            raise NotMatrixForm("a power of a matrix")
        return base**exponent

    def hadamard(self, a, b):
        try:
            return sp.HadamardProduct(a, b)
        except (sp.ShapeError, TypeError, ValueError) as exc:
            raise NotMatrixForm(str(exc)) from None

    def transpose(self, x, piece):
        if not isinstance(x, MatrixExpr):
            raise NotMatrixForm("a transpose of a scalar")
        return x.T

    def npsum(self, x, piece):
        if not isinstance(x, MatrixExpr) or piece.axis not in (0, 1):
            raise NotMatrixForm("np.sum of a scalar, or without an axis")
        return piece.along_axis(x, sp.OneMatrix)

    def np_power(self, x, exponent):
        if not isinstance(x, MatrixExpr) or not (isinstance(exponent, sp.Integer) and 1 <= exponent <= 9):
            raise NotMatrixForm("np.power of a scalar, or to a power other than 1 to 9")
        return sp.HadamardProduct(*[x] * int(exponent)) if exponent > 1 else x

    def _refuse(self, *args, **kwargs):
        raise NotMatrixForm("printed numbers, norms, sums, explicit matrices, cases or elisions")

    # Not modelled in matrix form: the explicit instances read these.
    literal = abs = norm = matrix = elided = sum = function = iverson = cases = elision = _refuse

    # ----- Definitions, latest first -----
    @cached_property
    def order(self) -> dict:
        """Every symbol the matrix program defines -> (position, definition); adjoints after the forward pass."""
        steps = [*self.mf.forward, *self.mg.adjoint]
        return {target: (k, expr) for k, (target, expr) in enumerate(steps)}


def matrix_outcome(link) -> tuple[str, int] | None:
    r"""(reason, instances) when every link of the chain is proved in matrix form at every instance, else None.

    Only identity, derivative and definition claims whose sides are all symbolic are tried, in a context with
    a network; each instance (layer variables bound) reads every side in :class:`MatrixEnv` and :func:`prove`
    must prove each link. An instance at a layer the network does not have is skipped (unless it is the only
    one). :func:`~.links.check_chain` tries this first and, on None, checks the explicit instances.

    Parameters
    ----------
    link : Link
        The chain, with its claim, context, notation and instances.

    Returns
    -------
    tuple of (str, int) or None
        ``("proved exactly in matrix form, for every width and batch size (...)", proved instances)``; None when
        the chain uses something the matrix form does not model or a link's normal forms stay different
        (the explicit instances then decide, wrong claims included).

    Examples
    --------
    >>> from symbp.documents.examples import verify_claims
    >>> [r] = verify_claims(("dW^{[l]} = dZ^{[l]} A^{[l-1]T}", "identity"),
    ...                     notation={"dW^{[l]}": "dW[l]", "dZ^{[l]}": "dZ[l]", "A^{[l]}": "A[l]"})
    >>> print(r.verdict, "|", r.reason)
    correct | proved exactly in matrix form, for every width and batch size (against symbp's matrix-calculus gradients, definitions expanded)
    """
    from .reader import Builder

    ctx, claim = link.ctx, link.claim
    if ctx.spec is None or claim.kind not in ("identity", "derivative", "definition") or any(
            sort != "symbolic" for sort in link.sorts):
        return None
    proved = 0
    for bindings in link.instances:
        env = MatrixEnv(ctx, link.notation, bindings, link.defined)
        try:
            sides = [Builder(link.reading, env).node(node) for node in link.chain]
            if not all(prove(env, a, b) for a, b in zip(sides, sides[1:])):
                return None
        except OutOfRange:
            if len(link.instances) == 1:
                return None
            continue
        except (NotMatrixForm, LatexParseError, sp.ShapeError, TypeError, ValueError):
            return None
        proved += 1
    if not proved:
        return None
    return ("proved exactly in matrix form, for every width and batch size (against symbp's matrix-calculus "
            "gradients, definitions expanded)"), proved


def prove(env: MatrixEnv, lhs, rhs) -> bool:
    r"""True when ``lhs`` and ``rhs`` have the same normal form after expanding definitions (latest first).

    While the normal forms (:func:`normal`) differ, the symbol defined last in the matrix program (adjoints
    after the forward pass) is replaced by its definition, at most :data:`MAX_EXPANSIONS` times.

    Parameters
    ----------
    env : MatrixEnv
        The network's matrix form and its reverse-mode gradients.
    lhs, rhs : sympy.MatrixExpr
        The two sides, of symbolic shapes.

    Returns
    -------
    bool
        True: equal for every width and batch size (an exact proof). False: different shapes, not matrix
        expressions, or no proof found (which does not refute the link).

    Examples
    --------
    dC/dW = dC/dZ X^T in matrix form; twice that is not proved:

    >>> from symbp.documents.examples import one_unit
    >>> env = MatrixEnv(*one_unit(), {}, {})
    >>> dW, dZ, X = env.quantity("dW", 1), env.quantity("dZ", 1), env.quantity("A", 0)
    >>> dW.shape
    (n_1, n_0)
    >>> prove(env, dW, dZ * X.T), prove(env, dW, 2 * dZ * X.T), prove(env, dW, dZ)
    (True, False, False)
    """
    if not (isinstance(lhs, MatrixExpr) and isinstance(rhs, MatrixExpr)) or lhs.shape != rhs.shape:
        return False
    for _ in range(MAX_EXPANSIONS + 1):
        if _same(normal(lhs), normal(rhs)):
            return True
        present = [s for s in (lhs.free_symbols | rhs.free_symbols) if s in env.order]
        if not present:
            return False
        latest = max(present, key=lambda s: env.order[s][0])
        definition = {latest: env.order[latest][1]}
        lhs, rhs = lhs.xreplace(definition), rhs.xreplace(definition)
    return False


# ----- Normal form: {monomial: coefficient}, a monomial a tuple of factors of a matrix product -----
def normal(e) -> dict:
    """``e`` as a sum of scalar multiples of products (see the module docstring).

    Examples
    --------
    >>> n, m = sp.symbols("n m", positive=True)
    >>> A, B = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", n, m)
    >>> normal(sp.HadamardProduct(2 * A, B)) == normal(2 * sp.HadamardProduct(B, A))
    True
    """
    if isinstance(e, sp.ZeroMatrix):
        return {}
    if isinstance(e, sp.MatAdd):
        return _add(*[normal(a) for a in e.args])
    if isinstance(e, sp.MatMul):
        scalar = sp.Mul(*[a for a in e.args if not isinstance(a, MatrixExpr)])
        terms = {(): scalar}
        for a in e.args:
            if isinstance(a, MatrixExpr):
                terms = _product(terms, normal(a))
        return terms
    if isinstance(e, sp.HadamardProduct):
        terms = None
        for a in e.args:
            terms = normal(a) if terms is None else _hadamard(terms, normal(a), e.shape)
        return terms
    if isinstance(e, sp.Transpose):
        return {_transpose(k): c for k, c in normal(e.arg).items()}
    if isinstance(e, (sp.MatrixSymbol, sp.OneMatrix, sp.Identity, ElementwiseMap)):
        return {(e,): sp.S.One}
    raise NotMatrixForm(f"{type(e).__name__} in a matrix claim")


def _add(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        for k, c in part.items():
            out[k] = out.get(k, 0) + c
    return out


def _product(a: dict, b: dict) -> dict:
    return _add(*[{ka + kb: ca * cb} for (ka, ca), (kb, cb) in itertools.product(a.items(), b.items())])


def _hadamard(a: dict, b: dict, shape) -> dict:
    def members(k: tuple) -> tuple:  # (A (.) B) (.) C = A (.) B (.) C
        return k[0][1] if len(k) == 1 and isinstance(k[0], tuple) else (k,)

    out = []
    for (ka, ca), (kb, cb) in itertools.product(a.items(), b.items()):
        factors = [k for k in members(ka) + members(kb) if k != (sp.OneMatrix(*shape),)]  # X (.) 1 = X
        key = factors[0] if len(factors) == 1 else (("hadamard", tuple(sorted(factors, key=sp.default_sort_key))),)
        out.append({key: ca * cb})
    return _add(*out)


def _transpose(monomial: tuple) -> tuple:
    out = []
    for f in reversed(monomial):
        if isinstance(f, tuple):  # a Hadamard product: (A (.) B)^T = A^T (.) B^T
            out.append(("hadamard", tuple(sorted((_transpose(k) for k in f[1]), key=sp.default_sort_key))))
        else:
            out.append(f.T)
    return tuple(out)


def _same(a: dict, b: dict) -> bool:
    keys = set(a) | set(b)
    return all(sp.simplify(a.get(k, 0) - b.get(k, 0)) == 0 for k in keys)
