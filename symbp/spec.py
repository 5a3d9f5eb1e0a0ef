"""Network specifications: widths, activations, cost and batch size, validated.

:class:`NetworkSpec` is an immutable record; :func:`load_toml` reads one from a
``network.toml`` file, with errors that name the file, the line and the valid
choices. An optional ``[example]`` table carries the numbers of a worked example
(weights, biases, inputs, targets, learning rate), kept exact as rationals.
No calculus happens here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from .errors import SpecError
from .exprparse import exact_number
from .rules import DEFAULT_RULES, RuleSet, make_activation, make_cost
from .textfiles import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["NetworkSpec", "Example", "load_toml", "parse_toml"]

OPTION_KEYS = {"leaky_relu_slope"}
TOP_KEYS = {
    "widths",
    "activations",
    "cost",
    "batch",
    "title",
    "source",
    "notes",
    "example",
    "custom_activations",
    "custom_costs",
    *OPTION_KEYS,
}


@dataclass(frozen=True)
class Example:
    """Exact numbers of a worked example: parameters, inputs, targets, learning rate.

    ``params`` maps ``"W1"``, ``"b1"``, ... to SymPy matrices; ``X`` is n0 x m and
    ``Y`` is nL x m; ``learning_rate`` may be ``None``.
    """

    params: Mapping[str, sp.Matrix]
    X: sp.Matrix | None = None
    Y: sp.Matrix | None = None
    learning_rate: sp.Rational | None = None

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.params)), self.learning_rate))


@dataclass(frozen=True)
class NetworkSpec:
    """A fully connected feed-forward network, validated on construction.

    Parameters
    ----------
    widths
        ``[n0, n1, ..., nL]``: input width, then the width of each layer.
    activations
        One activation name per layer (``len(widths) - 1`` of them).
    cost
        The per-example loss name; the cost is its mean over the batch.
    batch
        The number m of examples (the columns of X).
    options
        Rule parameters, e.g. ``{"leaky_relu_slope": Rational(1, 100)}``.

    Examples
    --------
    >>> NetworkSpec((4, 4, 2), ("sigmoid", "softmax"), "sse").depth
    2
    >>> NetworkSpec((4, 0, 2), ("sigmoid", "softmax"), "sse")
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: widths: every width must be a whole number >= 1, got 0 at position 1
    """

    widths: tuple[int, ...]
    activations: tuple[str, ...]
    cost: str
    batch: int = 1
    options: Mapping[str, sp.Expr] = field(default_factory=dict)
    rules: RuleSet = field(default=DEFAULT_RULES, repr=False)
    example: Example | None = None
    title: str = ""
    #: The rule records themselves, resolved once: a spec keeps the rules it was
    #: validated with, and two specs are equal only if their rules are.
    resolved: tuple = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "widths", _check_widths(self.widths))
        object.__setattr__(self, "activations", _check_activations(self.activations, self.widths, self.rules))
        _check_cost(self.cost, self.activations[-1], self.rules)
        object.__setattr__(self, "batch", _check_int("batch", self.batch))
        object.__setattr__(self, "options", _check_options(dict(self.options), self.activations))
        if self.example is not None:
            _check_example(self.example, self.widths, self.batch)
        rules = (tuple(self.rules.activation(name) for name in self.activations), self.rules.cost(self.cost))
        object.__setattr__(self, "resolved", rules)
        # Pin them as local rules: dataclasses.replace(spec, ...) builds a new spec from these fields, and
        # must not pick up a rule registered anew under the same name since (register_activation(...,
        # overwrite=True)), or the copy would compute another function than the one this spec was checked with.
        pinned = RuleSet({**self.rules.local_activations, **dict(zip(self.activations, rules[0]))},
                         {**self.rules.local_costs, self.cost: rules[1]})
        object.__setattr__(self, "rules", pinned)

    @property
    def depth(self) -> int:
        """The number L of layers with weights."""
        return len(self.widths) - 1

    @property
    def parameter_count(self) -> int:
        """The number of weights and biases."""
        return sum(self.widths[l] * (self.widths[l - 1] + 1) for l in range(1, len(self.widths)))

    def activation_rule(self, layer: int):
        """The activation rule of ``layer`` (1-based)."""
        return self.resolved[0][layer - 1]

    def cost_rule(self):
        """The cost rule."""
        return self.resolved[1]

    @property
    def targets_sum_to_one(self) -> bool:
        """True when each example's targets are a distribution over the outputs (they sum to 1).

        The cost's rule says so (``distribution_targets``: cross-entropy, whose output is a softmax, a
        distribution too); ``dC/dz = a - y`` holds only then.

        Examples
        --------
        >>> NetworkSpec((2, 3), ("softmax",), "cross_entropy").targets_sum_to_one
        True
        >>> NetworkSpec((2, 3), ("softmax",), "sse").targets_sum_to_one
        False
        """
        return self.cost_rule().distribution_targets

    def __hash__(self) -> int:
        return hash((self.widths, self.cost, self.batch, tuple(sorted(self.options.items())), self.resolved))


# ----- Validation -----
def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SpecError(f"{name}: must be a whole number >= 1, got {value!r}")
    return value


def _check_widths(widths: object) -> tuple[int, ...]:
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise SpecError(f"widths: expected a list of whole numbers like [4, 4, 2], got {widths!r}")
    if len(widths) < 2:
        raise SpecError(f"widths: need at least an input width and one layer, like [2, 1]; got {list(widths)!r}")
    for position, width in enumerate(widths):
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise SpecError(f"widths: every width must be a whole number >= 1, got {width!r} at position {position}")
    return tuple(widths)


def _check_activations(activations: object, widths: tuple[int, ...], rules: RuleSet) -> tuple[str, ...]:
    if isinstance(activations, str):
        activations = [activations]
    if not isinstance(activations, Sequence):
        raise SpecError(f"activations: expected a list of names, got {activations!r}")
    layers = len(widths) - 1
    if len(activations) != layers:
        raise SpecError(
            f"activations: widths {list(widths)} has {layers} layer(s), so {layers} activation(s) are needed; "
            f"got {len(activations)}: {list(activations)!r}"
        )
    for layer, name in enumerate(activations, start=1):
        if not isinstance(name, str):
            raise SpecError(f"activations: layer {layer}: expected a name, got {name!r}")
        rule = rules.activation(name)
        if rule.kind == "vector" and widths[layer] < 2:
            raise SpecError(
                f"activations: layer {layer}: {name} over a single unit is the constant 1; give it width >= 2"
            )
    return tuple(activations)


def _check_cost(cost: object, output_activation: str, rules: RuleSet) -> None:
    if not isinstance(cost, str):
        raise SpecError(f"cost: expected a name, got {cost!r}")
    rule = rules.cost(cost)
    allowed = rule.output_activations
    if allowed is not None and output_activation not in allowed:
        supported = [
            name for name in rules.cost_names()
            if rules.cost(name).output_activations is None or output_activation in rules.cost(name).output_activations
        ]
        raise SpecError(
            f"cost: {cost} does not support a {output_activation} output layer ({rule.reason}); "
            f"it needs {' or '.join(sorted(allowed))}; costs for a {output_activation} output: {', '.join(supported)}"
        )


def _check_options(options: dict, activations: tuple[str, ...]) -> dict[str, sp.Expr]:
    checked: dict[str, sp.Expr] = {}
    for key, value in options.items():
        if key not in OPTION_KEYS:
            raise SpecError(f"unknown option {key!r}; valid options: {', '.join(sorted(OPTION_KEYS))}")
        if key == "leaky_relu_slope":
            if "leaky_relu" not in activations:
                raise SpecError("leaky_relu_slope: given, but no layer uses leaky_relu")
            try:
                slope = exact_number(value) if not isinstance(value, sp.Basic) else value
            except (TypeError, ValueError):
                raise SpecError(f"leaky_relu_slope: expected a number, got {value!r}") from None
            if slope.is_number and not (0 < slope < 1):
                raise SpecError(f"leaky_relu_slope: must lie strictly between 0 and 1, got {value!r}")
            checked[key] = slope
    return checked


def _check_example(example: Example, widths: tuple[int, ...], batch: int) -> None:
    for l in range(1, len(widths)):
        for name, shape in ((f"W{l}", (widths[l], widths[l - 1])), (f"b{l}", (widths[l], 1))):
            if name in example.params and example.params[name].shape != shape:
                raise SpecError(f"example.{name}: expected shape {shape}, got {example.params[name].shape}")
    for name, rows in (("X", widths[0]), ("Y", widths[-1])):
        matrix = getattr(example, name)
        if matrix is not None and matrix.shape != (rows, batch):
            raise SpecError(f"example.{name}: expected shape ({rows}, {batch}) (units x batch), got {matrix.shape}")


# ----- TOML -----
def load_toml(path: str | Path) -> NetworkSpec:
    r"""Read and validate a ``network.toml`` file.

    Errors name the file and, where it can be found, the line. The numbers of
    an ``[example]`` are read exactly (``0.1`` is 1/10).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "network.toml"
    >>> _ = path.write_text('widths = [2, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
    ...                     '[example]\nW1 = [[0.5, -1]]\nb1 = [0]\nX = [2, 1]\nY = [1]\nlearning_rate = 0.1\n')
    >>> spec = load_toml(path)
    >>> spec.widths, spec.activations, spec.cost, spec.batch
    ((2, 1), ('sigmoid',), 'half_sse', 1)
    >>> spec.example.params["W1"], spec.example.learning_rate
    (Matrix([[1/2, -1]]), 1/10)
    >>> _ = path.write_text('widths = [2, 1]\nactivations = ["sigmoid"]\ncost = "half_see"\n')
    >>> load_toml(path)
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: ...network.toml: line 3: unknown cost 'half_see'; valid: binary_cross_entropy, ...
    """
    path = Path(path)
    return parse_toml(read_text(path, "a network file"), str(path))


def parse_toml(text: str, where: str = "<string>") -> NetworkSpec:
    """Parse the text of a ``network.toml`` file.

    Examples
    --------
    >>> parse_toml('widths = [4, 4, 2]\\nactivations = ["sigmoid", "softmax"]\\ncost = "sse"').widths
    (4, 4, 2)
    >>> parse_toml('widths = [4, 4, 2]\\ncost = sse\\n')
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: <string>: line 2: TOML syntax error: Invalid value (column 8)
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        if match:
            raise SpecError(f"{where}: line {match[1]}: TOML syntax error: {detail} (column {match[2]})") from None
        raise SpecError(f"{where}: TOML syntax error: {detail}") from None

    def at(key: str) -> str:
        line = _line_of(text, key)
        return f"{where}: line {line}" if line else where

    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise SpecError(f"{at(unknown[0])}: unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(TOP_KEYS))}")
    for key in ("widths", "activations", "cost"):
        if key not in data:
            raise SpecError(f"{where}: missing key {key!r} (a network needs widths, activations and cost)")

    try:
        rules = _custom_rules(data, at)
        options = {key: data[key] for key in OPTION_KEYS if key in data}
        spec_args = dict(
            widths=data["widths"],
            activations=data["activations"],
            cost=data["cost"],
            batch=data.get("batch", 1),
            options=options,
            rules=rules,
            title=str(data.get("title", "")),
        )
        spec = NetworkSpec(**spec_args)
        if "example" in data:
            spec = NetworkSpec(**spec_args, example=_example(data["example"], spec, at))
    except SpecError as exc:
        message = str(exc)
        if isinstance(getattr(exc, "name", None), str):
            line = _line_of_value(text, exc.name)
            raise SpecError(f"{where}: line {line}: {message}" if line else f"{where}: {message}") from None
        key = message.split(":", 1)[0].split(".", 1)[0].strip()
        if message.startswith(where):
            raise
        if key in TOP_KEYS:
            raise SpecError(f"{at(key)}: {message}") from None
        raise SpecError(f"{where}: {message}") from None
    return spec


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _line_of_value(text: str, value: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if f'"{value}"' in line or f"'{value}'" in line:
            return number
    return None


def _custom_rules(data: Mapping, at) -> RuleSet:
    activations, costs = {}, {}
    for name, table in _tables(data, "custom_activations", at).items():
        key = f"custom_activations.{name}"
        _require(table, {"forward", "derivative"}, {"latex", "source"}, key)
        activations[name] = _located(at(key), make_activation,
            name, table["forward"], table["derivative"], latex=table.get("latex"),
            source=table.get("source", "defined in the network file"),
        )
    for name, table in _tables(data, "custom_costs", at).items():
        key = f"custom_costs.{name}"
        _require(table, {"loss", "derivative"}, {"source", "output_activations", "probability_targets"}, key)
        costs[name] = _located(at(key), make_cost,
            name, table["loss"], table["derivative"], output_activations=table.get("output_activations"),
            source=table.get("source", "defined in the network file"),
            probability_targets=table.get("probability_targets", False),
        )
    return RuleSet(activations, costs) if activations or costs else DEFAULT_RULES


def _located(where: str, make, *args, **kwargs):
    """Call a rule maker, prefixing any error with the file and line of its table."""
    try:
        return make(*args, **kwargs)
    except SpecError as exc:
        raise SpecError(f"{where}: {exc}") from None


def _tables(data: Mapping, key: str, at) -> Mapping[str, Mapping]:
    tables = data.get(key, {})
    if not isinstance(tables, Mapping) or not all(isinstance(t, Mapping) for t in tables.values()):
        raise SpecError(f"{at(key)}: [{key}.NAME] must be tables, like [{key}.swish]")
    return tables


def _require(table: Mapping, required: set[str], optional: set[str], where: str) -> None:
    missing = sorted(required - set(table))
    if missing:
        raise SpecError(f"{where}: missing key {missing[0]!r} (needs {', '.join(sorted(required))})")
    extra = sorted(set(table) - required - optional)
    if extra:
        raise SpecError(f"{where}: unknown key {extra[0]!r}; valid: {', '.join(sorted(required | optional))}")


def _example(table: object, spec: NetworkSpec, at) -> Example:
    if not isinstance(table, Mapping):
        raise SpecError("example: must be a table, like [example]")
    valid = {f"{p}{l}" for l in range(1, spec.depth + 1) for p in "Wb"} | {"X", "Y", "learning_rate"}
    unknown = sorted(set(table) - valid)
    if unknown:
        raise SpecError(f"example: unknown key {unknown[0]!r}; valid: {', '.join(sorted(valid))}")
    params = {name: _matrix(table[name], f"example.{name}") for name in sorted(valid - {"X", "Y", "learning_rate"}) if name in table}
    lr = table.get("learning_rate")
    if lr is not None and (isinstance(lr, bool) or not isinstance(lr, (int, float))):
        raise SpecError(f"example.learning_rate: expected a number, got {lr!r}")
    return Example(
        params=params,
        X=_matrix(table["X"], "example.X") if "X" in table else None,
        Y=_matrix(table["Y"], "example.Y") if "Y" in table else None,
        learning_rate=exact_number(lr) if lr is not None else None,
    )


def _matrix(value: object, where: str) -> sp.Matrix:
    """A list of rows (or a flat list, read as a column) as an exact SymPy matrix."""
    if not isinstance(value, list) or not value:
        raise SpecError(f"{where}: expected a list of numbers or a list of rows, got {value!r}")
    rows = value if all(isinstance(row, list) for row in value) else [[v] for v in value]
    if len({len(row) for row in rows}) != 1:
        raise SpecError(f"{where}: rows have different lengths")
    try:
        return sp.Matrix([[exact_number(v) for v in row] for row in rows])
    except (TypeError, ValueError):
        raise SpecError(f"{where}: every entry must be a number") from None
