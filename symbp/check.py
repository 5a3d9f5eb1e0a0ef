"""The exact check: automatic gradients against the hand-derived equations.

This is the only module that sees both sides. For a network it

1. checks each rule used (activation, cost) on its own: the hand-derived
   derivative against SymPy's derivative of the forward formula;
2. derives dC/dw and dC/db for every parameter with an engine of
   :mod:`symbp.autodiff`, and builds the hand-derived gradients with
   :mod:`symbp.backprop` (per example, and vectorized);
3. proves them equal layer by layer. At the output layer it proves that the
   adjoint of every ``z^{[L](i)}_j`` equals ``delta^{[L](i)}_j / m`` as an identity
   in that layer's ``z`` and the targets (``a`` replaced by its activation of
   ``z``); then, naming each proved-equal pair by one symbol, the same for layer
   L-1 in terms of layer L's deltas, and so on down; finally
   ``dC/dw = sum_i delta a / m`` for every weight and bias. Each step is an exact
   identity proved by :func:`symbp.proof.prove_zero`; substituting equals for
   equals makes the chain a proof for every parameter.

A mismatch is reported with the symbolic difference and a point where it is not
zero; a parameter whose gradient differs is confirmed numerically at a seeded
random point (50-digit arithmetic) and the two values are reported.
"""

from __future__ import annotations

import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field

import sympy as sp

from . import autodiff
from .backprop import hand_gradients
from .build import build
from .symbols import network_symbols
from .program import Program, compile_program
from .functions import unfold
from .printing import terminal_text
from .proof import PROVED, REFUTED, UNPROVEN, Verdict, prove_zero, sample_point
from .rules import A, Y, Z
from .spec import NetworkSpec

__all__ = ["Report", "RuleCheck", "DeltaCheck", "ParameterCheck", "check", "check_rules", "FORMS"]

FORMS = {"per_example": "per example (BP1-BP4)", "vectorized": "vectorized (dZ, dW, db, dA)"}


@dataclass(frozen=True)
class RuleCheck:
    """A hand-derived rule against SymPy's derivative of its forward formula.

    ``hand_text`` is the hand rule as the report writes it (the rule table's text for a softmax Jacobian).
    """

    kind: str
    name: str
    hand: sp.Expr
    automatic: sp.Expr
    verdict: Verdict
    hand_text: str


@dataclass(frozen=True)
class DeltaCheck:
    """adjoint(z^{[l](i)}_j) = delta^{[l](i)}_j / m for one unit, in one form."""

    form: str
    layer: int
    unit: int
    example: int
    verdict: Verdict


@dataclass(frozen=True)
class ParameterCheck:
    """One parameter's gradient: automatic against hand-derived, in one form."""

    form: str
    name: str
    symbol: sp.Symbol
    layer: int
    status: str
    reason: str
    automatic_value: sp.Expr | None = None
    hand_value: sp.Expr | None = None


@dataclass
class Report:
    """Everything :func:`check` found. ``ok`` is True when every gradient is proved."""

    spec: NetworkSpec
    engine: str
    rules: list[RuleCheck] = field(default_factory=list)
    deltas: list[DeltaCheck] = field(default_factory=list)
    parameters: list[ParameterCheck] = field(default_factory=list)
    engines_agree: Verdict | None = None
    point: dict = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Every parameter gradient proved equal, in every form checked."""
        return (
            bool(self.parameters)
            and all(p.status == PROVED for p in self.parameters)
            and all(r.verdict.proved for r in self.rules)
            and (self.engines_agree is None or self.engines_agree.proved)
        )

    @property
    def away_from_kinks(self) -> bool:
        """True when a proof holds only wherever no step's argument is 0 (a rule's, an error's, the engines').

        Examples
        --------
        >>> from symbp.rules import RuleSet, make_activation
        >>> kinked = RuleSet({"demo_kink": make_activation("demo_kink", "max(z, 0)", "step(z)")})
        >>> check(NetworkSpec((1, 1), ("demo_kink",), "half_sse", rules=kinked)).away_from_kinks
        True
        >>> check(NetworkSpec((1, 1), ("sigmoid",), "half_sse")).away_from_kinks
        False
        """
        verdicts = [r.verdict for r in self.rules] + [d.verdict for d in self.deltas] + [self.engines_agree]
        return any(v is not None and v.away_from_kinks for v in verdicts)

    def counts(self, form: str | None = None) -> Counter:
        """How many parameter checks have each status."""
        return Counter(p.status for p in self.parameters if form is None or p.form == form)

    def failures(self) -> list[ParameterCheck]:
        """Parameter checks that were not proved."""
        return [p for p in self.parameters if p.status != PROVED]

    @property
    def method(self) -> str:
        """How equality was established, in one paragraph."""
        engine = {
            "reverse": "reverse-mode autodiff over the expression graph (SymPy's derivative at every node)",
            "both": "both autodiff engines (reverse mode, and SymPy's diff of the whole cost), "
            "shown to agree exactly",
        }[self.engine]
        used = sorted({d.verdict.method for d in self.deltas if d.verdict.proved})
        how = "; ".join(used) if used else "no identity was proved"
        sides = f"Automatic side: {engine}. Hand side: the backprop equations built from the rule table. "
        if self.ok:
            return sides + (
                "Equality is exact: layer by layer, each adjoint dC/dz is proved equal to delta/m "
                f"({how}), then each dC/dw = mean of a delta and dC/db = mean of delta by substitution; "
                "no floating point is involved."
            )
        return sides + (
            "Each adjoint dC/dz was compared with delta/m layer by layer; where no exact proof was found, "
            "refuted means non-zero at a point in 50-digit arithmetic (for the first few, the point and the value "
            "of the difference there are shown), "
            "unproven means only numeric agreement was found, which is not a proof."
        )

    def to_dict(self) -> dict:
        """The report as plain data (for JSON)."""
        spec = self.spec

        def verdict(v: Verdict) -> dict:
            out = {"status": v.status, "method": v.method} | ({"away_from_kinks": True} if v.away_from_kinks else {})
            if not v.proved:
                out["difference"] = sp.sstr(v.residual)
                out["point"] = {str(k): str(val) for k, val in v.point.items()}
                out["value"] = None if v.value is None else str(v.value)
            return out

        return {
            "network": {
                "widths": list(spec.widths),
                "activations": list(spec.activations),
                "cost": spec.cost,
                "batch": spec.batch,
                "parameters": spec.parameter_count,
            },
            "ok": self.ok,
            "away_from_kinks": self.away_from_kinks,
            "method": self.method,
            "rules": [{"kind": r.kind, "name": r.name, "hand": r.hand_text, **verdict(r.verdict)} for r in self.rules],
            "parameters": [
                {"name": p.name, "form": p.form, "layer": p.layer, "status": p.status, "reason": p.reason}
                | ({} if p.status == PROVED else {"automatic": str(p.automatic_value), "hand": str(p.hand_value)})
                for p in self.parameters
            ],
            "deltas_not_proved": [
                {"form": d.form, "layer": d.layer, "unit": d.unit, "example": d.example, **verdict(d.verdict)}
                for d in self.deltas
                if not d.verdict.proved
            ],
            "engines_agree": None if self.engines_agree is None else verdict(self.engines_agree),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def summary(self) -> str:
        """A plain-text table of the results."""
        spec = self.spec
        lines = [
            f"network: widths {list(spec.widths)}, activations {', '.join(spec.activations)}, "
            f"cost {spec.cost}, batch m = {spec.batch} ({spec.parameter_count} parameters)",
            "",
            "rules: hand-derived derivative vs SymPy's derivative of the forward formula",
        ]
        hands = [r.hand_text for r in self.rules]
        column = max([28] + [len(h) + 1 for h in hands if len(h) < 60])  # a longer rule goes on a line of its own
        for r, hand in zip(self.rules, hands):
            if len(hand) < 60:
                lines.append(f"  {r.kind:<10} {r.name:<22} {hand:<{column}} {r.verdict.status}")
            else:
                lines += [f"  {r.kind:<10} {r.name:<22} {'(below)':<{column}} {r.verdict.status}", f"      {hand}"]
            if not r.verdict.proved:
                lines += _describe_failure(r.verdict, indent="      ")
        forms = [f for f in FORMS if any(p.form == f for p in self.parameters)]
        lines += ["", ("layer  parameters  " + "  ".join(f"{FORMS[f]:<30}" for f in forms)).rstrip()]
        for l in range(spec.depth, 0, -1):
            cells = []
            for f in forms:
                c = Counter(p.status for p in self.parameters if p.form == f and p.layer == l)
                cells.append(f"{', '.join(f'{n} {s}' for s, n in sorted(c.items())):<30}")
            count = spec.widths[l] * (spec.widths[l - 1] + 1)
            lines.append((f"  {l:<5}{count:>9}    " + "  ".join(cells)).rstrip())
        bad = [d for d in self.deltas if not d.verdict.proved]
        for d in bad[:3]:
            lines.append(f"  delta^[{d.layer}] unit {d.unit}, example {d.example} ({d.form}): {d.verdict.status}")
            lines += _describe_failure(d.verdict, indent="      ")
        failures = self.failures()
        for p in failures[:5]:
            lines.append(f"  {p.name} ({p.form}): {p.status}: {p.reason}")
        if len(failures) > 5:
            lines.append(f"  ... and {len(failures) - 5} more")
        if self.engines_agree is not None:
            lines.append(f"engines agree: {self.engines_agree.status} ({self.engines_agree.method})")
        total = len({p.symbol for p in self.parameters})
        lines.append("")
        if self.ok:
            where = (" wherever no step's argument is 0 (at such a kink the function differentiated has no "
                     "derivative, and the two sides may take different values there by convention)"
                     if self.away_from_kinks else "")
            lines.append(textwrap.fill(f"OK: all {total} gradients equal the hand-derived equations, proved exactly{where}.",
                                       width=100, subsequent_indent="    "))
        else:
            c = self.counts()
            deltas = sum(d.verdict.status == REFUTED for d in self.deltas)
            lines.append(
                f"MISMATCH: {c.get(REFUTED, 0)} gradient checks refuted, {c.get(UNPROVEN, 0)} unproven, "
                f"{c.get(PROVED, 0)} proved" + (f"; {deltas} hand deltas refuted." if deltas else ".")
            )
        lines.append(textwrap.fill("how: " + self.method, width=100, subsequent_indent="     "))
        return "\n".join(lines)


def _describe_failure(v: Verdict, indent: str) -> list[str]:
    out = [f"{indent}difference (automatic - hand): {terminal_text(v.residual)}"]
    if v.point:
        where = ", ".join(f"{terminal_text(k)} = {val}" for k, val in v.point.items())
        out.append(f"{indent}non-zero at {where}: {v.value}")
    else:
        out.append(f"{indent}{v.method}")
    return out


# ----- Rules on their own -----
def check_rules(spec: NetworkSpec) -> list[RuleCheck]:
    """Check every activation and the cost that ``spec`` uses, each on its own.

    Each rule is checked once, however many layers use it: its hand-derived
    derivative (in ``a``, as the equations use it) against SymPy's derivative of
    its forward formula (in ``z``), proved equal by :func:`symbp.proof.prove_zero`.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> for r in check_rules(NetworkSpec((2, 3, 3, 1), ("sigmoid", "sigmoid", "sigmoid"), "half_sse")):
    ...     print(r.kind, r.name, "|", r.hand, "|", r.automatic, "|", r.verdict.status)
    activation sigmoid | a*(1 - a) | exp(-z)/(1 + exp(-z))**2 | proved
    cost half_sse | a - y | a - y | proved
    """
    results = []
    for name in dict.fromkeys(spec.activations):
        rule = spec.activation_rule(spec.activations.index(name) + 1)
        if rule.kind == "vector":
            n = max(spec.widths[l] for l in range(1, spec.depth + 1) if spec.activations[l - 1] == name)
            zs = sp.symbols(f"z_1:{n + 1}", real=True)
            a = rule.apply(zs)
            auto = sp.Matrix(n, n, lambda i, j: sp.diff(a[i], zs[j]))
            hand = rule.hand_jacobian(a)
            verdicts = [prove_zero(auto[i, j] - hand[i, j]) for i in range(n) for j in range(n)]
            worst = next((v for v in verdicts if not v.proved), verdicts[0])
            results.append(RuleCheck("softmax", f"{name} (n = {n})", sp.S.Zero, sp.S.Zero, worst, rule.derivative_text))
            continue
        forward = rule.apply([Z], spec.options)[0]
        auto = sp.diff(unfold(forward), Z)  # the formula's own derivative, point masses and all: the proof says if
        # it took them as 0 (an activation's fdiff, which autodiff uses, leaves them out)
        hand = rule.hand_derivative(Z, forward, spec.options)
        in_a = rule.hand_derivative(Z, A, spec.options)
        results.append(RuleCheck("activation", name, in_a, auto, prove_zero(auto - hand), terminal_text(in_a)))
    cost = spec.cost_rule()
    n = spec.widths[-1]
    auto = sp.diff(cost.per_unit(A, Y, n), A)
    hand = cost.hand_gradient(A, Y, n)
    verdict = prove_zero(auto - hand, positive=frozenset({A, Y}))
    results.append(RuleCheck("cost", cost.name, hand, auto, verdict, terminal_text(hand)))
    return results


# ----- The network -----
def check(
    spec: NetworkSpec,
    *,
    engine: str = "reverse",
    forms: tuple[str, ...] = ("per_example", "vectorized"),
    seed: int = 0,
) -> Report:
    """Prove every autodiff gradient of ``spec`` equal to the hand-derived one.

    Parameters
    ----------
    engine
        ``"reverse"`` (default) or ``"both"``: the reference engine (SymPy's
        diff of the whole cost) is also run and proved to agree with reverse
        mode, parameter by parameter; its cost grows quadratically, so this is
        for small networks.
    forms
        Which hand-derived forms to check: ``"per_example"``, ``"vectorized"``.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> report = check(NetworkSpec((2, 2, 1), ("tanh", "sigmoid"), "half_sse"))
    >>> report.ok, report.counts()
    (True, Counter({'proved': 18}))
    """
    if engine not in ("reverse", "both"):
        raise ValueError(f"engine must be 'reverse' or 'both', got {engine!r}")
    report = Report(spec, engine)
    clock = time.perf_counter()
    report.rules = check_rules(spec)
    report.seconds["rules"] = time.perf_counter() - clock

    clock = time.perf_counter()
    fwd = build(spec)
    s = network_symbols(spec.widths, spec.batch)
    params = s.parameter_symbols()
    auto = autodiff.reverse_gradients(fwd.program, fwd.cost_symbol, params)
    report.seconds["derive"] = time.perf_counter() - clock
    if engine == "both":
        clock = time.perf_counter()
        report.engines_agree = _engines_agree(fwd, auto, params, seed)
        report.seconds["engines"] = time.perf_counter() - clock

    clock = time.perf_counter()
    inlined, inner = _inline_adjoints(auto, s, spec.depth)
    for form in forms:
        hand = hand_gradients(spec, form)
        _check_form(report, spec, s, fwd, auto, inlined, inner, hand, seed)
    report.seconds["check"] = time.perf_counter() - clock
    return report


def _engines_agree(fwd, auto, params, seed) -> Verdict:
    """Prove the reference engine's gradients equal to the reverse-mode ones.

    Both are expanded expressions in the parameters and data; their difference
    goes to :func:`prove_zero` (which writes the exponentials over a basis of
    their exponents, since SymPy merges products of them differently on the two
    sides).
    """
    ref = autodiff.reference_gradients(fwd.program, fwd.cost_symbol, params)
    rev = auto.expanded()
    return _all_proved([prove_zero(ref.gradients[w] - rev[w], seed=seed, expand_first=True) for w in params])


def _all_proved(verdicts: list[Verdict]) -> Verdict:
    for v in verdicts:
        if not v.proved:
            return v
    methods = sorted({v.method for v in verdicts})
    return Verdict(PROVED, "; ".join(methods), away_from_kinks=any(v.away_from_kinks for v in verdicts))


def _inline_adjoints(auto: autodiff.Gradient, s, depth: int):
    """Adjoint definitions with everything but the z-adjoints substituted in.

    Returns the inlined definition of every adjoint symbol, and the map of the
    non-z adjoints (which are substituted away) to theirs.
    """
    boundary = {auto.adjoints[z] for l in range(1, depth + 1) for z in s.Z[l] if z in auto.adjoints}
    inner: dict[sp.Symbol, sp.Expr] = {}
    out: dict[sp.Symbol, sp.Expr] = {}
    for symbol, expr in auto.adjoint.assignments:
        value = expr.xreplace(inner)
        out[symbol] = value
        if symbol not in boundary:
            inner[symbol] = value
    return out, inner


def _check_form(report, spec, s, fwd, auto, inlined, inner, hand, seed) -> None:
    m = spec.batch
    activation_of = fwd.activation_definitions
    positive = frozenset(s.Y) if spec.cost_rule().probability_targets else frozenset()
    to_auto: dict[sp.Symbol, sp.Expr] = {}  # hand delta symbol -> m * (z adjoint symbol)
    layer_ok: dict[int, bool] = {}
    for l in range(spec.depth, 0, -1):
        ok = True
        for i in range(m):
            for j in range(spec.widths[l]):
                z = s.Z[l][j, i]
                bar = auto.adjoints.get(z)
                auto_expr = inlined[bar] if bar is not None else sp.S.Zero
                delta = hand.deltas[l][j, i]
                hand_expr = hand.program.definitions[delta].xreplace(to_auto) / m
                verdict = prove_zero(auto_expr - hand_expr, definitions=activation_of, seed=seed, positive=positive)
                report.deltas.append(DeltaCheck(hand.form, l, j + 1, i + 1, verdict))
                ok = ok and verdict.proved
                to_auto[delta] = m * bar if bar is not None else sp.S.Zero
        layer_ok[l] = ok

    where = s.locate()
    pending = []
    for w in s.parameter_symbols():
        name, r, c = where[w]
        layer = int(name[1:])
        difference = sp.expand(auto.gradients[w].xreplace(inner) - hand.gradients[w].xreplace(to_auto))
        if difference != 0:
            verdict = prove_zero(difference, definitions=activation_of, seed=seed, positive=positive)
        else:
            verdict = Verdict(PROVED, "identical after substituting the proved deltas")
        label = f"{name}[{r}][{c}]"
        upstream_ok = all(layer_ok[k] for k in range(layer, spec.depth + 1))
        if verdict.proved and upstream_ok:
            report.parameters.append(ParameterCheck(hand.form, label, w, layer, PROVED, verdict.method))
        else:
            pending.append((hand.form, label, w, layer, verdict, upstream_ok))
    if pending:
        _confirm_numerically(report, spec, s, fwd, auto, hand, pending, seed)


def _differ(av, hv) -> bool:
    """Two 50-digit values that differ beyond 30 digits (relative to the first, if large)."""
    av, hv = sp.Float(av, 50), sp.Float(hv, 50)
    return bool(abs(av - hv) > sp.Float("1e-30", 50) * max(1, abs(av)))


def _reaching(point: dict, target: dict, s, fwd, inputs, depth: int) -> dict:
    """``point`` with ``target``'s values of its inputs, and each bias moved so that the pre-activations in
    ``target`` take their values there: every z^[l]_j = (W a)_j + b^[l]_j is reached by some b^[l]_j, layer by layer.

    ``target`` is a refuted delta's point (its z, y and weights of the layers above). Exact rationals; each z to
    50 digits.
    """
    import mpmath

    reached = {v: target.get(v, value) for v, value in point.items()}
    zs = [z for l in range(1, depth + 1) for z in s.Z[l] if z in target]
    layers = {z: l for l in range(1, depth + 1) for z in s.Z[l]}
    f = compile_program(fwd.program, inputs, zs, modules="mpmath")
    for l in sorted({layers[z] for z in zs}):
        with mpmath.workdps(50):
            now = f(*[mpmath.mpf(reached[v].p) / reached[v].q for v in inputs])
        for z, value in zip(zs, now):
            if layers[z] == l:
                j = list(s.Z[l]).index(z) // s.Z[l].cols
                bias = s.b[l][j, 0]
                reached[bias] = reached[bias] + sp.Rational(sp.Float(target[z] - sp.Float(value, 50), 50))
    return reached


def _confirm_numerically(report, spec, s, fwd, auto, hand, pending, seed) -> None:
    """Evaluate both sides at one seeded random point (50 digits) for the unproved parameters."""
    import mpmath

    inputs = [*s.parameter_symbols(), *s.X, *s.Y]
    targets = frozenset(s.Y) if spec.cost_rule().probability_targets else frozenset()
    point = sample_point(inputs, seed=seed, positive=targets)
    report.point = point
    wanted = [w for _, _, w, _, _, _ in pending]
    auto_fn = compile_program(auto.program, inputs, [auto.gradients[w] for w in wanted], modules="mpmath")
    hand_prog = Program(fwd.program.assignments + hand.program.assignments)
    hand_fn = compile_program(hand_prog, inputs, [hand.gradients[w] for w in wanted], modules="mpmath")
    with mpmath.workdps(50):
        args = [mpmath.mpf(point[v].p) / point[v].q for v in inputs]  # the rationals to 50 digits
        auto_vals, hand_vals = auto_fn(*args), hand_fn(*args)
    refuted = next((d for d in report.deltas if d.verdict.status == REFUTED and d.verdict.point), None)
    if refuted is not None and all(_differ(av, hv) for av, hv in zip(auto_vals, hand_vals)):
        refuted = None  # every gradient already differs at the seeded point: nothing to look for
    if refuted is not None:  # a delta refuted only far out (past a kink at |a - y| = 20, say): look there too
        reached = _reaching(point, refuted.verdict.point, s, fwd, inputs, spec.depth)
        with mpmath.workdps(50):
            args = [mpmath.mpf(reached[v].p) / reached[v].q for v in inputs]
            there = list(zip(auto_fn(*args), hand_fn(*args)))
    for k, ((form, label, w, layer, verdict, upstream_ok), av, hv) in enumerate(zip(pending, auto_vals, hand_vals)):
        av, hv = sp.Float(av, 50), sp.Float(hv, 50)
        if refuted is not None and not _differ(av, hv) and _differ(*there[k]):
            av, hv = sp.Float(there[k][0], 50), sp.Float(there[k][1], 50)
            reason = (f"gradients differ at a point where the hand delta^[{refuted.layer}] differs: the biases moved so "
                      f"that each z takes its value at the delta's point (50-digit arithmetic)")
            report.parameters.append(ParameterCheck(form, label, w, layer, REFUTED, reason, sp.N(av, 10), sp.N(hv, 10)))
        elif _differ(av, hv):
            reason = "gradients differ at a seeded random point (50-digit arithmetic)"
            if not upstream_ok:
                bad = min(k for k in range(layer, spec.depth + 1) if not all(
                    d.verdict.proved for d in report.deltas if d.form == form and d.layer == k))
                reason += f"; the hand delta^[{bad}] already differs"
            report.parameters.append(ParameterCheck(form, label, w, layer, REFUTED, reason, sp.N(av, 10), sp.N(hv, 10)))
        else:
            upstream = "a delta upstream is not proved"
            if refuted is not None and not upstream_ok:
                upstream = (f"the hand delta^[{refuted.layer}] is refuted, yet this gradient agrees also at a point "
                            f"where that delta differs")
            reason = (verdict.method if not verdict.proved else upstream) + (
                "; the two sides agree at a seeded random point (numeric evidence only)"
            )
            report.parameters.append(ParameterCheck(form, label, w, layer, UNPROVEN, reason, sp.N(av, 10), sp.N(hv, 10)))
