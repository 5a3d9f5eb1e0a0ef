"""Checks of the matrix-form derivation, three ways, returned as data.

:func:`check_matrix` takes the gradients that :mod:`symbp.matrixcalc` derives
by reverse mode over matrix expressions of symbolic shape, and checks

1. **shapes**, for symbolic sizes: every assignment's expression has the shape
   of its target (dW^{[l]} that of W^{[l]}, dZ^{[l]} that of Z^{[l]}, ...);
2. **equations**: each derived assignment is an instance of the vectorized
   backprop equation of :mod:`symbp.backprop` (V1, V2, V3, V4), found by
   structural unification (the equation's matrix symbols bound to the derived
   quantities, sizes bound consistently, ``X = X (.) 1`` allowed), and the
   elementwise factors are proved equal to the hand-derived rules
   (g'(z) against the activation table, dA^{[L]} against the cost table). A
   softmax layer goes through its Jacobian (V1s), which the hand side defines
   entry by entry: it is compared exactly on explicit columns of 2 and 3 units;
3. **instances**: on concrete widths and batch sizes, every entry of every
   dW^{[l]} and db^{[l]} equals the per-element autodiff gradient of the core
   (:meth:`symbp.Network.gradient_program`), as an exact identity
   (:func:`symbp.proof.prove_zero`).

This is checker code: the only module that sees both the matrix engine and
the hand side. Non-goals: deriving (matrixcalc), printing (matrixprint).
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from dataclasses import dataclass, field

import sympy as sp

from .backprop import EQUATIONS
from .matrixcalc import MatrixGradient, _split
from .functions import unfold
from .matrixexpr import ElementwiseMap, evaluate
from .matrixform import MatrixForm, explicit_forward, matrix_gradient
from .network import Network
from .proof import PROVED, Verdict, prove_zero
from .rules import A as A_SYM, N as N_SYM, Y as Y_SYM, Z as Z_SYM
from .spec import NetworkSpec

__all__ = ["ShapeCheck", "EquationCheck", "InstanceCheck", "MatrixReport", "check_matrix", "unify", "default_instances"]

MISMATCH = "mismatch"
EXPANDED = "identical after expansion (sympy.expand), as functions of the forward values z and a"


@dataclass(frozen=True)
class ShapeCheck:
    """The shape of one assignment's expression against its target's."""

    target: str
    expected: tuple
    actual: tuple

    @property
    def ok(self) -> bool:
        """Shapes equal for every value of the size symbols."""
        return all(sp.simplify(a - b) == 0 for a, b in zip(self.expected, self.actual))


@dataclass(frozen=True)
class EquationCheck:
    """A derived assignment against a hand-derived equation (``status``: proved, refuted, unproven, mismatch)."""

    layer: int
    target: str
    equation: str
    status: str
    method: str
    bindings: dict = field(default_factory=dict)
    away_from_kinks: bool = False  # proved only wherever no step's argument is 0 (see proof.Verdict)


@dataclass(frozen=True)
class InstanceCheck:
    """Every entry of one parameter's gradient, matrix form against the core's autodiff, on one instance."""

    widths: tuple
    batch: int
    parameter: str
    entries: int
    status: str
    method: str
    away_from_kinks: bool = False  # proved only wherever no step's argument is 0 (see proof.Verdict)


@dataclass
class MatrixReport:
    """Everything :func:`check_matrix` found; ``ok`` when every check passed."""

    spec: NetworkSpec
    gradient: MatrixGradient
    shapes: list[ShapeCheck] = field(default_factory=list)
    equations: list[EquationCheck] = field(default_factory=list)
    instances: list[InstanceCheck] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Shapes consistent, every equation proved, every instance proved."""
        return (
            all(s.ok for s in self.shapes)
            and bool(self.equations)
            and all(e.status == PROVED for e in self.equations)
            and all(i.status == PROVED for i in self.instances)
        )

    @property
    def away_from_kinks(self) -> bool:
        """True when an equation or instance was proved only wherever no step's argument is 0."""
        return any(c.away_from_kinks for c in [*self.equations, *self.instances])

    def equation_of(self, target: str) -> EquationCheck | None:
        """The equation check of the assignment to ``target`` (e.g. ``"dW^{[2]}"``), if any."""
        return next((e for e in self.equations if e.target == target), None)

    def summary(self) -> str:
        """A few lines: what was checked and how it came out."""
        bad_shapes = [s for s in self.shapes if not s.ok]
        lines = [f"shapes: {len(self.shapes) - len(bad_shapes)}/{len(self.shapes)} consistent for symbolic sizes"]
        lines += [f"  {s.target}: expected {s.expected}, got {s.actual}" for s in bad_shapes]
        proved = sum(e.status == PROVED for e in self.equations)
        lines.append(f"equations: {proved}/{len(self.equations)} derived assignments proved to be the hand-derived ones"
                     f"{_kinks(self.equations)}")
        lines += [f"  {e.target} vs {e.equation}: {e.status} ({e.method})" for e in self.equations if e.status != PROVED]
        if self.instances:
            cases = sorted({(i.widths, i.batch) for i in self.instances})
            entries = sum(i.entries for i in self.instances)
            good = sum(i.entries for i in self.instances if i.status == PROVED)
            shown = ", ".join(f"{list(w)} m={b}" for w, b in cases)
            lines.append(f"instances: {good}/{entries} entries of dZ, dW, db equal to the per-element autodiff, exactly"
                         f"{_kinks(self.instances)} ({shown})")
            lines += [f"  {list(i.widths)} m={i.batch} {i.parameter}: {i.status} ({i.method})" for i in self.instances if i.status != PROVED]
        return "\n".join(lines)


def _kinks(checks) -> str:
    """What a summary line adds when some of ``checks`` hold only away from the kinks of a rule."""
    return ", wherever no step's argument is 0 (a kink of a rule)" if any(c.away_from_kinks for c in checks) else ""


# ----- Structural unification: is the derived expression an instance of the equation? -----
def unify(template, expr, bindings: dict | None = None) -> dict | None:
    """Bindings of ``template``'s symbols that turn it into ``expr``, or None.

    Matrix symbols and size symbols of the template are the variables (a matrix
    symbol's shape is unified too); ``X (.) G`` also matches ``X`` with ``G`` the
    ones matrix.

    Examples
    --------
    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> P, Q = sp.MatrixSymbol("P", n, m), sp.MatrixSymbol("Q", n, m)
    >>> k = sp.Symbol("k", integer=True, positive=True)
    >>> W, V = sp.MatrixSymbol("W", 3, k), sp.MatrixSymbol("V", 3, k)
    >>> unify(P * Q.T / m, W * V.T / k) == {P: W, Q: V, n: 3, m: k}
    True
    >>> unify(P * Q.T / m, W * V.T / 2) is None
    True
    """
    bindings = {} if bindings is None else bindings
    if isinstance(template, sp.MatrixSymbol):
        if not hasattr(expr, "shape"):
            return None
        bindings = _unify_all(template.shape, expr.shape, bindings)
        if bindings is None:
            return None
    if isinstance(template, (sp.MatrixSymbol, sp.Symbol)):
        if template in bindings:
            return bindings if bindings[template] == expr else None
        return {**bindings, template: expr}
    if isinstance(template, sp.HadamardProduct) and not isinstance(expr, sp.HadamardProduct) and len(template.args) == 2:
        for i in (0, 1):
            b = unify(template.args[i], expr, bindings)
            b = None if b is None else unify(template.args[1 - i], sp.OneMatrix(*expr.shape), b)
            if b is not None:
                return b
        return None
    if not template.args or not getattr(expr, "args", None):
        return bindings if template == expr else None
    if type(template) is not type(expr) or len(template.args) != len(expr.args):
        return None
    orders = itertools.permutations(expr.args) if isinstance(template, (sp.MatAdd, sp.HadamardProduct)) else [expr.args]
    for args in orders:
        b = _unify_all(template.args, args, bindings)
        if b is not None:
            return b
    return None


def _unify_all(templates, exprs, bindings):
    for t, e in zip(templates, exprs):
        bindings = unify(t, e, bindings)
        if bindings is None:
            return None
    return bindings


def _show(bindings: dict) -> dict:
    return {sp.sstr(k): sp.sstr(v) for k, v in bindings.items()}


# ----- The checks -----
def _shape_checks(mf: MatrixForm, mg: MatrixGradient) -> list[ShapeCheck]:
    checks = [ShapeCheck(t.name, t.shape, e.shape) for t, e in (*mf.forward, *mg.adjoint)]
    for quantity, adjoint in mg.adjoints.items():
        checks.append(ShapeCheck(f"{adjoint.name} vs {quantity.name}", quantity.shape, adjoint.shape))
    return checks


def _structural(layer: int, name: str, target, expr, expected) -> EquationCheck:
    """``target := expr`` against equation ``name``: an instance of it, with the expected matrices bound."""
    eq = EQUATIONS[name]
    b = unify(eq.lhs, target)
    b = None if b is None else unify(eq.rhs, expr, b)
    bound = {v for k, v in (b or {}).items() if isinstance(k, sp.MatrixSymbol)} - {target}
    if b is None or {v for v in bound if not isinstance(v, sp.OneMatrix)} != set(expected):
        return EquationCheck(layer, target.name, name, MISMATCH, "not an instance of the equation", _show(b or {}))
    return EquationCheck(layer, target.name, name, PROVED, "structurally identical (unification)", _show(b))


def _v1_check(layer, dZ, expr, dA, scalars, hand, forward) -> EquationCheck:
    """dZ = dA (.) g'(Z): the structure by unification, then g' against the hand rule as a scalar identity."""
    eq = EQUATIONS["V1"]
    scale, core = _split(expr)  # c dA (.) f(Z) is dA (.) (c f)(Z): a constant g' (3 for 3z - 1) is such a c
    b = unify(eq.lhs, dZ)
    b = None if b is None else unify(eq.rhs, core, b)
    factors = [v for k, v in (b or {}).items() if isinstance(k, sp.MatrixSymbol) and v not in (dZ, dA)]
    body = _map_body(factors[0], scalars) if len(factors) == 1 and dA in b.values() else None
    derived = None if body is None else scale * body
    if derived is None:
        return EquationCheck(layer, dZ.name, "V1", MISMATCH, "not an instance of V1", _show(b or {}))
    verdict = _with_point_masses(prove_zero(derived - hand), forward, Z_SYM)
    method = f"structurally identical (unification); g'(z) against the activation table: {verdict.method}"
    return EquationCheck(layer, dZ.name, "V1", verdict.status, method, _show(b), verdict.away_from_kinks)


def _equation_checks(mf: MatrixForm, mg: MatrixGradient) -> list[EquationCheck]:
    spec, defs, adj = mf.spec, dict(mg.adjoint), mg.adjoints
    L, out = mf.depth, []
    cost = spec.cost_rule()
    dA_L = adj[mf.A[L]]
    body = _map_body(defs[dA_L], {mf.A[L]: A_SYM, mf.Y: Y_SYM})
    hand = cost.derivative.xreplace({N_SYM: mf.n[L]})
    verdict = _with_point_masses(prove_zero(body - hand), cost.loss, A_SYM) if body is not None else None
    out.append(EquationCheck(
        L, dA_L.name, f"cost {cost.name}", verdict.status if verdict else MISMATCH,
        f"dA^[L] = dl/da entry by entry, against the cost table: {verdict.method}" if verdict else "not an elementwise map of A, Y",
        away_from_kinks=bool(verdict and verdict.away_from_kinks),
    ))
    for l in range(L, 0, -1):
        rule = spec.activation_rule(l)
        dZ, dA = adj[mf.Z[l]], adj[mf.A[l]]
        if rule.kind == "elementwise":
            forward = rule.apply([Z_SYM], spec.options)[0]
            hand = rule.hand_derivative(Z_SYM, forward, spec.options)
            out.append(_v1_check(l, dZ, defs[dZ], dA, {mf.Z[l]: Z_SYM, mf.A[l]: forward}, hand, forward))
        dW, db = adj[mf.W[l]], adj[mf.b[l]]
        out.append(_structural(l, "V2", dW, defs[dW], {dZ, mf.A[l - 1]}))
        out.append(_structural(l, "V3", db, defs[db], {dZ}))
        if l > 1:
            out.append(_structural(l, "V4", adj[mf.A[l - 1]], defs[adj[mf.A[l - 1]]], {mf.W[l], dZ}))
    for l in range(1, L + 1):
        if spec.activation_rule(l).kind == "vector":
            out += [_softmax_check(mf, mg, l, n) for n in (2, 3)]
    return out


def _with_point_masses(verdict: Verdict, formula: sp.Expr, variable: sp.Symbol) -> Verdict:
    """``verdict`` on a derived map, marked away from kinks when SymPy's derivative of ``formula`` has a point mass.

    The matrix calculus took it as 0 (:func:`symbp.functions.derivative`); so does symbp check's proof, and says so.

    Examples
    --------
    >>> v = _with_point_masses(Verdict(PROVED, "identical"), sp.Heaviside(Z_SYM, 0), Z_SYM)
    >>> v.away_from_kinks, v.method
    (True, "identical, with DiracDelta as 0 (a step's derivative away from its kink)")
    """
    if not (verdict.proved and sp.diff(unfold(formula), variable).has(sp.DiracDelta)):
        return verdict
    return dataclasses.replace(verdict, method=f"{verdict.method}, with DiracDelta as 0 (a step's derivative away "
                                               "from its kink)", away_from_kinks=True)


def _map_body(expr, scalars: dict):
    """The scalar formula of an elementwise ``expr`` whose matrices are keys of ``scalars`` (ones: 1), or None."""
    if isinstance(expr, (sp.OneMatrix, sp.ZeroMatrix)):  # a constant map (g' of a step away from its kink: 0)
        return sp.S.One if isinstance(expr, sp.OneMatrix) else sp.S.Zero
    if expr in scalars:
        return scalars[expr]
    if not isinstance(expr, ElementwiseMap) or not set(expr.arguments) <= set(scalars):
        return None
    return expr.body_in([scalars[a] for a in expr.arguments])


def _softmax_check(mf: MatrixForm, mg: MatrixGradient, l: int, units: int) -> EquationCheck:
    """V1s on explicit columns: derived dZ^{[l]} against J^T dA with the hand Jacobian of the rule table."""
    rule, batch = mf.spec.activation_rule(l), 2
    sizes = {mf.n[l]: units, mf.m: batch}
    Zx = sp.ImmutableMatrix(units, batch, lambda i, j: sp.Symbol(f"z_{i + 1}{j + 1}", real=True))
    Gx = sp.ImmutableMatrix(units, batch, lambda i, j: sp.Symbol(f"g_{i + 1}{j + 1}", real=True))
    dA, dZ = mg.adjoints[mf.A[l]], mg.adjoints[mf.Z[l]]
    env = {mf.Z[l]: Zx, dA: Gx}
    for target, expr in mf.forward:  # this layer's softmax block
        if target.name.endswith(f"^{{[{l}]}}") and target != mf.Z[l]:
            env[target] = evaluate(expr, env, sizes)
    names = [t for t, _ in mg.adjoint]
    for target, expr in mg.adjoint[names.index(dA) + 1 : names.index(dZ) + 1]:
        env[target] = evaluate(expr, env, sizes)
    eq = EQUATIONS["V1s"]
    jac = next(s for s in eq.rhs.atoms(sp.MatrixSymbol) if s.shape[0] == s.shape[1])
    col = next(s for s in eq.rhs.atoms(sp.MatrixSymbol) if s != jac)
    residuals = []
    for i in range(batch):
        applied = rule.apply(list(Zx[:, i]), mf.spec.options)
        residuals += [env[mf.A[l]][j, i] - applied[j] for j in range(units)]
        hand = eq.instantiate({jac: rule.hand_jacobian(applied), col: Gx[:, i]})
        residuals += [env[dZ][j, i] - hand[j, 0] for j in range(units)]
    verdicts = [prove_zero(r) for r in residuals]
    worst = next((v for v in verdicts if not v.proved), verdicts[0])
    return EquationCheck(
        l, dZ.name, "V1s", worst.status,
        f"on explicit {units} x {batch} blocks: forward equals the rule's softmax, dZ equals J^T dA column by column "
        f"with the hand Jacobian: {worst.method}",
    )


def default_instances(spec: NetworkSpec) -> list[tuple[tuple[int, ...], int]]:
    """Small concrete (widths, batch) instances of ``spec``'s layers: several widths and batch sizes.

    Only the depth of ``spec`` matters, not its own widths and batch; a network
    of more than three layers gets two instances, to keep the check fast.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> default_instances(NetworkSpec((4, 4, 2), ("sigmoid", "softmax"), "sse", batch=5))
    [((2, 2, 2), 1), ((3, 2, 2), 2), ((2, 3, 2), 3)]
    >>> default_instances(NetworkSpec((4, 4, 4, 4, 2), ("sigmoid",) * 4, "sse"))
    [((2, 2, 2, 2, 2), 1), ((3, 2, 2, 2, 2), 2)]
    """
    L = spec.depth
    out = [((2,) * (L + 1), 1), ((3,) + (2,) * L, 2)]
    if L <= 3:
        out.append(((2,) + (3,) * (L - 1) + (2,), 3))
    return out


def _instance_checks(mf: MatrixForm, mg: MatrixGradient, widths, batch) -> list[InstanceCheck]:
    """Layer by layer: each derived dZ^{[l]} (from the autodiff's adjoints of layer l+1) and each dW, db.

    The derived quantities are evaluated on explicit matrices of the core's symbols; dZ^{[l+1]} is
    then bound to m times the autodiff's adjoints of z^{[l+1]}, so every comparison is one layer deep
    and, by substitution of proved-equal quantities, the chain covers every gradient.
    """
    spec = dataclasses.replace(mf.spec, widths=tuple(widths), batch=batch, example=None)
    net = Network.from_spec(spec)
    g, s = net.gradient_program(), net.symbols
    a_defs = net.forward.activation_definitions
    zbar = {l: s.Z[l].applyfunc(lambda z: g.adjoints[z]) for l in range(1, mf.depth + 1)}
    atoms = {bar for l in zbar for bar in zbar[l]}
    partial: dict = {}  # the autodiff's adjoints, expanded down to the adjoints of the z's
    for target, expr in g.adjoint.assignments:
        partial[target] = target if target in atoms else expr.xreplace(partial)
    definitions = dict(g.adjoint.assignments)
    env = {mf.X: s.X, mf.Y: s.Y}
    for l in range(1, mf.depth + 1):
        env.update({mf.W[l]: s.W[l], mf.b[l]: s.b[l], mf.Z[l]: s.Z[l], mf.A[l]: s.A[l]})
    sizes = mf.sizes(widths, batch)
    env = explicit_forward(dataclasses.replace(mf, forward=mf.forward[:-1]), env, sizes)
    layer_of = {mg.adjoints[mf.Z[l]]: l for l in range(1, mf.depth + 1)}
    parameters = {mg.adjoints[p]: (name, s.parameters()[name]) for name, p in mf.parameters().items()}
    out = []
    for target, expr in mg.adjoint:
        value = evaluate(expr, env, sizes)
        if target in layer_of:
            l = layer_of[target]
            auto = zbar[l].applyfunc(lambda bar: definitions[bar].xreplace(partial))
            out.append(_entries(widths, batch, code_of(target), value / batch, auto, a_defs))
            value = zbar[l] * batch  # named dZ = m dC/dZ
        elif target in parameters:
            name, matrix = parameters[target]
            auto = matrix.applyfunc(lambda w: g.gradients[w].xreplace(partial))
            out.append(_entries(widths, batch, name, value, auto, a_defs))
        env[target] = value
    return out


def code_of(symbol) -> str:
    """``dZ^{[2]}`` -> ``dZ2``."""
    return symbol.name.replace("^{[", "").replace("]}", "")


def _entries(widths, batch, name, derived, auto, a_defs) -> InstanceCheck:
    verdicts = []
    for d, a in zip(derived, auto):
        difference = d - a
        # As functions of the forward values (z and a independent) first, which implies the identity
        # in the inputs: expanded, the difference cancels to 0.
        if sp.expand(difference) == 0:
            verdicts.append(Verdict(PROVED, EXPANDED))
        else:
            verdicts.append(prove_zero(difference.xreplace(a_defs)))
    worst = next((v for v in verdicts if not v.proved), verdicts[0])
    return InstanceCheck(tuple(widths), batch, name, len(verdicts), worst.status, worst.method,
                         any(v.away_from_kinks for v in verdicts))


def check_matrix(spec: NetworkSpec, instances=None, derived=None) -> MatrixReport:
    """Check the matrix-form gradients of ``spec`` (shapes, equations, concrete instances).

    ``instances`` lists ``(widths, batch)`` pairs to compare entry by entry with
    the per-element autodiff (default: :func:`default_instances`; ``()`` skips).
    ``derived`` replaces the derivation checked, ``(MatrixForm, MatrixGradient)``
    (default: :func:`~symbp.matrixform.matrix_gradient` of ``spec``).

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> report = check_matrix(NetworkSpec((2, 2), ("sigmoid",), "half_sse"), instances=[((2, 2), 2)])
    >>> report.ok, report.equation_of("dW^{[1]}").equation
    (True, 'V2')
    """
    started = time.perf_counter()
    mf, mg = matrix_gradient(spec) if derived is None else derived
    report = MatrixReport(spec, mg, shapes=_shape_checks(mf, mg))
    report.equations = _equation_checks(mf, mg)
    report.seconds["symbolic"] = time.perf_counter() - started
    started = time.perf_counter()
    for widths, batch in default_instances(spec) if instances is None else instances:
        report.instances += _instance_checks(mf, mg, widths, batch)
    report.seconds["instances"] = time.perf_counter() - started
    return report
