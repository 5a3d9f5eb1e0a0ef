"""The hand-derived rules: one table of activations and one table of costs.

Each record keeps a forward expression and its hand-derived derivative side by
side (Nielsen's ``QuadraticCost.fn`` / ``.delta`` idea). The derivatives here are
the "hand" side of symbp: they are written out by a person, never computed with
SymPy's ``diff``, so that :mod:`symbp.check` can test them against the automatic
side. Rule expressions use the placeholder symbols :data:`Z` (pre-activation),
:data:`A` (the activation's output), :data:`Y` (target) and :data:`N` (number of
output units).

Users add rules with :func:`register_activation` and :func:`register_cost`
(or in a network's TOML file); :class:`RuleSet` layers file-local rules over
the global tables without changing them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import sympy as sp

from .errors import ExpressionSyntaxError, SpecError, UnknownRuleError
from .exprparse import parse_expression
from .functions import define_function, leaky_relu, relu, sigmoid

__all__ = [
    "Z",
    "A",
    "Y",
    "N",
    "SLOPE",
    "Elementwise",
    "Softmax",
    "Cost",
    "RuleSet",
    "ACTIVATIONS",
    "COSTS",
    "DEFAULT_RULES",
    "register_activation",
    "register_cost",
    "activation",
    "cost",
]

Z = sp.Symbol("z", real=True)
A = sp.Symbol("a", real=True)
Y = sp.Symbol("y", real=True)
N = sp.Symbol("n", positive=True, integer=True)
SLOPE = sp.Symbol("s", positive=True)


@dataclass(frozen=True)
class Elementwise:
    """An activation applied unit by unit: ``a = forward(z)``.

    ``derivative`` is the hand-derived da/dz, in :data:`Z` and :data:`A`.
    ``parameters`` maps parameter symbols (e.g. the leaky-ReLU slope) to the
    name of the network option that sets them and its default.
    """

    name: str
    forward: sp.Expr
    derivative: sp.Expr
    source: str = ""
    parameters: tuple[tuple[sp.Symbol, str, sp.Expr], ...] = ()

    kind = "elementwise"

    def apply(self, z: Sequence[sp.Expr], options: Mapping[str, sp.Expr] = MappingProxyType({})) -> list[sp.Expr]:
        """Forward pass of one column: ``[forward(z_j) for j]``."""
        subs = self._parameter_values(options)
        return [self.forward.xreplace({Z: zj, **subs}) for zj in z]

    def hand_derivative(self, z: sp.Expr, a: sp.Expr, options: Mapping[str, sp.Expr] = MappingProxyType({})) -> sp.Expr:
        """The hand-derived da/dz at one unit (``a`` is that unit's output)."""
        return self.derivative.xreplace({Z: z, A: a, **self._parameter_values(options)})

    def _parameter_values(self, options: Mapping[str, sp.Expr]) -> dict[sp.Symbol, sp.Expr]:
        return {sym: options.get(option, default) for sym, option, default in self.parameters}


@dataclass(frozen=True)
class Softmax:
    """The column-wise softmax: ``a_j = exp(z_j) / sum_k exp(z_k)``.

    Its hand-derived derivative is the Jacobian ``diag(a) - a a^T``; ``derivative_text``
    is how a report writes it (one formula for every width, where an elementwise
    rule prints its ``derivative``).

    Examples
    --------
    >>> ACTIVATIONS["softmax"].derivative_text
    'diag(a) - a a^T'
    """

    name: str = "softmax"
    source: str = "softmax Jacobian, da_i/dz_j = a_i (delta_ij - a_j)"
    parameters: tuple = ()
    derivative_text: str = "diag(a) - a a^T"

    kind = "vector"

    def apply(self, z: Sequence[sp.Expr], options: Mapping[str, sp.Expr] = MappingProxyType({})) -> list[sp.Expr]:
        """Forward pass of one column; the denominator is one shared expression."""
        total = sp.Add(*[sp.exp(zj) for zj in z])
        return [sp.exp(zj) / total for zj in z]

    def hand_jacobian(self, a: Sequence[sp.Expr]) -> sp.Matrix:
        """The hand-derived Jacobian da/dz = diag(a) - a a^T (symmetric)."""
        col = sp.Matrix(a)
        return sp.diag(*a) - col * col.T


@dataclass(frozen=True)
class Cost:
    """A per-example loss ``sum_j loss(a_j, y_j)``; the cost is its mean over the batch.

    ``derivative`` is the hand-derived d loss / d a_j. ``output_activations``
    lists the output activations the cost is meant for (``None``: any).
    ``probability_targets`` says the targets are probabilities in [0, 1] (the
    checks then sample them there); ``distribution_targets`` that the targets of
    one example are a distribution over the outputs, summing to 1 (one-hot
    labels), which ``dC/dz = a - y`` needs.
    """

    name: str
    loss: sp.Expr
    derivative: sp.Expr
    source: str = ""
    output_activations: frozenset[str] | None = None
    reason: str = ""
    probability_targets: bool = False
    distribution_targets: bool = False

    def per_unit(self, a: sp.Expr, y: sp.Expr, n: int) -> sp.Expr:
        """The loss term of one output unit."""
        return self.loss.xreplace({A: a, Y: y, N: sp.Integer(n)})

    def hand_gradient(self, a: sp.Expr, y: sp.Expr, n: int) -> sp.Expr:
        """The hand-derived d loss / d a at one output unit."""
        return self.derivative.xreplace({A: a, Y: y, N: sp.Integer(n)})


Activation = Elementwise | Softmax

# ----- Activations: forward | hand-derived derivative | source -----
ACTIVATIONS: dict[str, Activation] = {
    "linear": Elementwise("linear", Z, sp.S.One, "identity: a = z"),
    "sigmoid": Elementwise("sigmoid", sigmoid(Z), A * (1 - A), "Nielsen ch. 2, sigma' = sigma (1 - sigma)"),
    "tanh": Elementwise("tanh", sp.tanh(Z), 1 - A**2, "tanh' = 1 - tanh^2"),
    "relu": Elementwise("relu", relu(Z), sp.Heaviside(Z, 0), "relu' = step(z), 0 at z = 0"),
    "leaky_relu": Elementwise(
        "leaky_relu",
        leaky_relu(Z, SLOPE),
        SLOPE + (1 - SLOPE) * sp.Heaviside(Z, 0),
        "leaky relu' = 1 for z > 0, slope otherwise",
        ((SLOPE, "leaky_relu_slope", sp.Rational(1, 100)),),
    ),
    "softmax": Softmax(),
}

#: The names of the built-in activations; a user-defined one cannot take them.
BUILTIN_ACTIVATIONS = frozenset(ACTIVATIONS)

# ----- Costs: per-unit loss | hand-derived d loss / d a | source -----
COSTS: dict[str, Cost] = {
    "half_sse": Cost("half_sse", (A - Y) ** 2 / 2, A - Y, "Nielsen's quadratic cost, dC/da = a - y"),
    "sse": Cost("sse", (Y - A) ** 2, 2 * (A - Y), "sum of squared errors, dC/da = 2 (a - y)"),
    "mse": Cost("mse", (Y - A) ** 2 / N, 2 * (A - Y) / N, "mean over outputs too (PyTorch MSELoss)"),
    "mae": Cost("mae", sp.Abs(Y - A), sp.sign(A - Y), "dC/da = sign(a - y), undefined at a = y"),
    "binary_cross_entropy": Cost(
        "binary_cross_entropy",
        -(Y * sp.log(A) + (1 - Y) * sp.log(1 - A)),
        (A - Y) / (A * (1 - A)),
        "dC/da = (a - y) / (a (1 - a))",
        frozenset({"sigmoid"}),
        "it needs each output in (0, 1) as an independent probability; "
        "with a softmax output use cross_entropy",
        probability_targets=True,
    ),
    "cross_entropy": Cost(
        "cross_entropy",
        -Y * sp.log(A),
        -Y / A,
        "categorical cross-entropy, dC/da = -y / a",
        frozenset({"softmax"}),
        "it is the categorical cross-entropy of a probability distribution over the outputs; "
        "with independent sigmoid outputs use binary_cross_entropy",
        probability_targets=True,
        distribution_targets=True,
    ),
}


@dataclass(frozen=True)
class RuleSet:
    """Activation and cost tables: file-local rules layered over the global ones.

    Examples
    --------
    >>> rules = RuleSet()
    >>> rules.activation("sigmoid").derivative
    a*(1 - a)
    """

    local_activations: Mapping[str, Activation] = field(default_factory=dict)
    local_costs: Mapping[str, Cost] = field(default_factory=dict)

    def activation(self, name: str) -> Activation:
        """The activation rule called ``name``."""
        return _lookup("activation", name, self.local_activations, ACTIVATIONS)

    def cost(self, name: str) -> Cost:
        """The cost rule called ``name``."""
        return _lookup("cost", name, self.local_costs, COSTS)

    def cost_names(self) -> list[str]:
        """Every cost name this rule set knows."""
        return sorted({*COSTS, *self.local_costs})

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.local_activations)), tuple(sorted(self.local_costs))))


DEFAULT_RULES = RuleSet()


def _lookup(kind: str, name: str, local: Mapping, table: Mapping):
    if name in local:
        return local[name]
    if name in table:
        return table[name]
    valid = ", ".join(sorted({*table, *local}))
    error = UnknownRuleError(
        f"unknown {kind} {name!r}; valid: {valid} (register a new one with symbp.register_{kind})"
    )
    error.name = name
    raise error


def activation(name: str) -> Activation:
    """The globally registered activation ``name``.

    Examples
    --------
    >>> activation("tanh").derivative
    1 - a**2
    """
    return DEFAULT_RULES.activation(name)


def cost(name: str) -> Cost:
    """The globally registered cost ``name``.

    Examples
    --------
    >>> cost("half_sse").derivative
    a - y
    """
    return DEFAULT_RULES.cost(name)


# ----- Making rules from user input -----
ExprLike = sp.Expr | str | int | float


def _to_expr(value: ExprLike, allowed: Mapping[str, sp.Symbol], where: str) -> sp.Expr:
    if isinstance(value, str):
        return parse_expression(value, allowed, where=where)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return sp.nsimplify(value, rational=True)
    if isinstance(value, sp.Basic):
        # Symbols the user made themselves (sp.Symbol("z")) are matched by name.
        by_name = {s: allowed[s.name] for s in value.free_symbols if isinstance(s, sp.Symbol) and s.name in allowed}
        expr = value.xreplace(by_name)
        unknown = sorted(str(s) for s in expr.free_symbols if s not in set(allowed.values()))
        if unknown:
            raise ExpressionSyntaxError(
                f"{where}: unknown symbol(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
            )
        return expr
    raise ExpressionSyntaxError(f"{where}: expected a SymPy expression or a string, got {type(value).__name__}")


def make_activation(
    name: str,
    forward: ExprLike,
    derivative: ExprLike,
    *,
    latex: str | None = None,
    source: str = "user-defined",
) -> Elementwise:
    """Build (without registering) an elementwise activation rule.

    ``forward`` is an expression in ``z``; ``derivative`` (your hand-derived
    da/dz) may use ``z`` and ``a``. Both may be SymPy expressions or strings in
    the restricted syntax of :mod:`symbp.exprparse`.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise SpecError(f"activation name {name!r} must be an identifier (letters, digits, _)")
    if name in BUILTIN_ACTIVATIONS:
        raise SpecError(f"activation name {name!r} is a built-in activation; choose another name")
    where = f"activation {name!r}"
    explicit = _to_expr(forward, {"z": Z}, f"{where} forward")
    hand = _to_expr(derivative, {"z": Z, "a": A}, f"{where} derivative")
    try:
        fn = define_function(name, lambda z: explicit.xreplace({Z: z}), latex=latex)
    except ValueError as exc:
        raise SpecError(f"{where}: {exc}") from None
    return Elementwise(name, fn(Z), hand, source)


def make_cost(
    name: str,
    loss: ExprLike,
    derivative: ExprLike,
    *,
    output_activations: Sequence[str] | None = None,
    source: str = "user-defined",
    probability_targets: bool = False,
) -> Cost:
    """Build (without registering) a cost rule.

    ``loss`` is the per-unit loss in ``a``, ``y`` and ``n`` (the number of output
    units); the per-example loss is its sum over the output units and the cost
    the mean over the batch. ``derivative`` is your hand-derived d loss / d a.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise SpecError(f"cost name {name!r} must be an identifier (letters, digits, _)")
    allowed = {"a": A, "y": Y, "n": N}
    where = f"cost {name!r}"
    if output_activations is not None and (
        isinstance(output_activations, str)
        or not isinstance(output_activations, (list, tuple, set, frozenset))
        or not all(isinstance(a, str) for a in output_activations)
    ):
        raise SpecError(f"{where}: output_activations must be a list of activation names, got {output_activations!r}")
    outputs = frozenset(output_activations) if output_activations is not None else None
    if not isinstance(probability_targets, bool):
        raise SpecError(f"{where}: probability_targets must be true or false, got {probability_targets!r}")
    return Cost(
        name,
        _to_expr(loss, allowed, f"{where} loss"),
        _to_expr(derivative, allowed, f"{where} derivative"),
        source,
        outputs,
        probability_targets=probability_targets,
    )


def register_activation(
    name: str,
    forward: ExprLike,
    derivative: ExprLike,
    *,
    latex: str | None = None,
    source: str = "user-defined",
    overwrite: bool = False,
) -> Elementwise:
    """Register an elementwise activation with its hand-derived derivative.

    Examples
    --------
    >>> import symbp
    >>> rule = symbp.register_activation(
    ...     "swish", "z * sigmoid(z)", "sigmoid(z) * (1 + z * (1 - sigmoid(z)))", overwrite=True)
    >>> rule.forward
    swish(z)
    """
    if name in ACTIVATIONS and not overwrite:
        raise SpecError(f"activation {name!r} is already registered; pass overwrite=True to replace it")
    rule = make_activation(name, forward, derivative, latex=latex, source=source)
    ACTIVATIONS[name] = rule
    return rule


def register_cost(
    name: str,
    loss: ExprLike,
    derivative: ExprLike,
    *,
    output_activations: Sequence[str] | None = None,
    source: str = "user-defined",
    probability_targets: bool = False,
    overwrite: bool = False,
) -> Cost:
    """Register a cost (a per-unit loss) with its hand-derived derivative.

    Examples
    --------
    >>> import symbp
    >>> rule = symbp.register_cost("quartic", "(a - y)**4", "4*(a - y)**3", overwrite=True)
    >>> rule.derivative
    4*(a - y)**3
    """
    if name in COSTS and not overwrite:
        raise SpecError(f"cost {name!r} is already registered; pass overwrite=True to replace it")
    rule = make_cost(
        name, loss, derivative, output_activations=output_activations, source=source,
        probability_targets=probability_targets,
    )
    COSTS[name] = rule
    return rule

