"""The notation table: how each quantity of backpropagation is written.

One :class:`Notation` per convention: ``ng`` (W^{[l]}, A^{[l]}, dZ^{[l]}, as
in seed documents 000 and 002), ``nielsen`` (w^l_{jk}, a^l_j, delta^l, as in
001) and ``padhai`` (w_{lij}, a_{li} for the pre-activation and h_{li} for the
activation, as in 003), plus notations a user defines in a TOML file.

Each entry of a notation maps a quantity (``weight``, ``activation``,
``delta``, ``weight_matrix``, ``dZ``, ``learning_rate``, ...) to a LaTeX
template and a code name template. Templates use placeholders:
``<l>`` layer (as the notation numbers it), ``<j>`` ``<k>`` units (1-based),
``<jk>``, ``<lj>``, ``<ljk>`` joined indices (with commas once an index has two
digits), ``<(i)>`` and ``<,(i)>`` the example, as ``(2)`` or ``,(2)`` (empty for a
single example); code
templates use ``<l>`` as symbp numbers layers and ``<j0>`` ``<k0>`` 0-based.

A notation renames the symbols of :mod:`symbp.symbols` (through
``symbol_names``) and the matrix symbols of :data:`symbp.backprop.EQUATIONS`;
it never rebuilds an expression, so what is printed is what was checked.
Non-goals: making symbols (:mod:`symbp.symbols`), layout (:mod:`symbp.derivation`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import sympy as sp

from .errors import SpecError
from .symbols import COST, NetworkSymbols, index_text
from .textfiles import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["Notation", "NOTATIONS", "QUANTITIES", "GENERIC", "notation", "load_notation", "parse_notation"]

# ----- Quantities: name -> (meaning, placeholders its LaTeX template may use) -----
_UNIT = ("<l>", "<j>", "<lj>", "<(i)>", "<,(i)>")
QUANTITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "weight": ("one weight w^{[l]}_{jk} (to unit j of layer l from unit k of layer l-1)", ("<l>", "<j>", "<k>", "<jk>", "<ljk>")),
    "bias": ("one bias b^{[l]}_j", ("<l>", "<j>", "<lj>")),
    "pre_activation": ("one pre-activation z^{[l]}_j", _UNIT),
    "activation": ("one activation a^{[l]}_j", _UNIT),
    "output": ("one output activation a^{[L]}_j", _UNIT),
    "input": ("one input x_k", ("<k>", "<(i)>", "<,(i)>")),
    "target": ("one target y_j", ("<j>", "<(i)>", "<,(i)>")),
    "delta": ("one error delta^{[l]}_j = dC/dz^{[l]}_j", _UNIT),
    "loss": ("the loss of one example", ()),
    "cost": ("the cost, the mean of the loss over the batch", ()),
    "learning_rate": ("the learning rate", ()),
    "batch_size": ("the number of examples m", ()),
    "weight_matrix": ("W^{[l]}", ("<l>",)),
    "bias_vector": ("b^{[l]}", ("<l>",)),
    "pre_activation_matrix": ("Z^{[l]}, one column per example", ("<l>",)),
    "activation_matrix": ("A^{[l]}, one column per example", ("<l>",)),
    "activation_vector": ("a^{[l]} of one example", ("<l>",)),
    "pre_activation_vector": ("z^{[l]} of one example", ("<l>",)),
    "output_vector": ("a^{[L]} of one example", ("<l>",)),
    "input_vector": ("x, one example", ()),
    "target_vector": ("y, one example", ()),
    "input_matrix": ("X, one column per example", ()),
    "target_matrix": ("Y, one column per example", ()),
    "delta_vector": ("delta^{[l]} of one example", ("<l>",)),
    "grad_a": ("the gradient of one example's loss with respect to the output", ()),
    "gprime": ("g'(z^{[l]}) of one example", ("<l>",)),
    "gprime_matrix": ("g'(Z^{[l]}), one column per example", ("<l>",)),
    "jacobian": ("the Jacobian of a vector activation (softmax) of layer l", ("<l>",)),
    "grad_W": ("the gradient of one example's loss with respect to W^{[l]}", ("<l>",)),
    "grad_b": ("the gradient of one example's loss with respect to b^{[l]}", ("<l>",)),
    "dZ": ("dZ^{[l]}: the errors of all examples, one column each", ("<l>",)),
    "dZ_column": ("column i of dZ^{[l]}", ("<l>",)),
    "dA": ("dA^{[l]}: gradients of each example's loss with respect to A^{[l]}", ("<l>",)),
    "dA_column": ("column i of dA^{[l]}", ("<l>",)),
    "dW": ("dW^{[l]}: the gradient of the cost with respect to W^{[l]}", ("<l>",)),
    "db": ("db^{[l]}: the gradient of the cost with respect to b^{[l]}", ("<l>",)),
    "ones": ("the column of m ones", ()),
}

#: The matrix symbols of :data:`symbp.backprop.EQUATIONS`, by name: (quantity, layer text).
GENERIC: dict[str, tuple[str, str]] = {
    r"\delta^{l}": ("delta_vector", "l"),
    r"\delta^{l+1}": ("delta_vector", "l+1"),
    r"W^{l+1}": ("weight_matrix", "l+1"),
    r"\nabla_a C": ("grad_a", ""),
    r"\sigma'(z^{l})": ("gprime", "l"),
    r"J_{\sigma}(z^{l})": ("jacobian", "l"),
    r"a^{l-1}": ("activation_vector", "l-1"),
    r"\nabla_{b^{l}} C": ("grad_b", "l"),
    r"\nabla_{W^{l}} C": ("grad_W", "l"),
    r"dZ^{[l]}": ("dZ", "l"),
    r"dA^{[l]}": ("dA", "l"),
    r"g'^{[l]}(Z^{[l]})": ("gprime_matrix", "l"),
    r"A^{[l-1]}": ("activation_matrix", "l-1"),
    r"W^{[l]}": ("weight_matrix", "l"),
    r"\mathbf{1}_{m}": ("ones", ""),
    r"dZ^{[l]}_{:,i}": ("dZ_column", "l"),
    r"dA^{[l]}_{:,i}": ("dA_column", "l"),
    r"dW^{[l]}": ("dW", "l"),
    r"db^{[l]}": ("db", "l"),
    r"dA^{[l-1]}": ("dA", "l-1"),
}

_PLACEHOLDER = re.compile(r"<,?\(i\)>|<[a-z0-9]+>")


@dataclass(frozen=True)
class Notation:
    """A way of writing every quantity; see the module docstring for templates.

    Examples
    --------
    >>> ng = notation("ng")
    >>> ng.scalar("weight", l=2, j=1, k=2), ng.code("weight", l=2, j=1, k=2)
    ('w^{[2]}_{12}', 'W2[0][1]')
    >>> notation("padhai").scalar("pre_activation", l=1, j=3)
    'a_{13}'
    >>> notation("nielsen").scalar("activation", l=1, j=2)
    'a^{2}_{2}'
    """

    name: str
    description: str
    latex: Mapping[str, str]
    code_templates: Mapping[str, str] = field(default_factory=dict)
    # Added to symbp's layer number when printing (Nielsen numbers the input layer 1).
    layer_offset: int = 0

    def __post_init__(self) -> None:
        _validate(self)

    def template(self, quantity: str) -> str:
        """The LaTeX template of ``quantity``."""
        return self.latex[quantity]

    def layer(self, l: int | str) -> str:
        """Layer ``l`` (symbp's numbering, or generic text like ``"l+1"``) as this notation writes it."""
        if isinstance(l, int):
            return str(l + self.layer_offset)
        return l

    def scalar(self, quantity: str, l: int | str = "", j: int = 0, k: int = 0, i: int = 0, batch: int = 1) -> str:
        """The LaTeX of one quantity at layer ``l``, units ``j``, ``k`` (1-based), example ``i``."""
        lt = self.layer(l)
        values = {
            "<l>": lt,
            "<j>": str(j),
            "<k>": str(k),
            "<jk>": index_text(j, k),
            "<lj>": index_text(*_ints(lt, j)) if lt.isdigit() else f"{lt}{j}",
            "<ljk>": index_text(*_ints(lt, j, k)) if lt.isdigit() else f"{lt}{index_text(j, k)}",
            "<(i)>": f"({i})" if batch > 1 else "",
            "<,(i)>": f",({i})" if batch > 1 else "",
        }
        text = _PLACEHOLDER.sub(lambda m: values[m.group(0)], self.latex[quantity])
        return re.sub(r"\^\{\}", "", text)

    def code(self, quantity: str, l: int | str = "", j: int = 0, k: int = 0) -> str:
        """The code name of a quantity (symbp's layer numbers, 0-based units)."""
        template = self.code_names.get(quantity, quantity)
        values = {"<l>": str(l), "<j0>": str(j - 1), "<k0>": str(k - 1)}
        return re.sub(r"<[a-z0-9]+>", lambda m: values.get(m.group(0), m.group(0)), template)

    @property
    def code_names(self) -> Mapping[str, str]:
        """Code templates: the notation's own over the shared defaults."""
        return {**_DEFAULT_CODE, **self.code_templates}

    # ----- Renaming whole expressions -----
    def symbol_names(self, symbols: NetworkSymbols, *, cost: str = "cost") -> dict[sp.Symbol, str]:
        """LaTeX for every symbol of a network (for the printer's ``symbol_names``).

        ``cost`` names the quantity the symbol ``C`` stands for: ``"cost"`` (the
        batch mean) or ``"loss"`` (one example's loss).

        Examples
        --------
        >>> from symbp.symbols import network_symbols
        >>> s = network_symbols((4, 4, 2), 1)
        >>> names = notation("padhai").symbol_names(s)
        >>> names[s.W[2][0, 1]], names[s.A[2][0, 0]], names[s.Z[1][2, 0]], names[s.A[1][2, 0]]
        ('w_{212}', '\\\\hat{y}_{1}', 'a_{13}', 'h_{13}')
        """
        from .backprop import delta_symbol

        m, L = symbols.batch, symbols.depth
        names: dict[sp.Symbol, str] = {COST: self.latex[cost]}
        for l in range(1, L + 1):
            W, b = symbols.W[l], symbols.b[l]
            for j in range(W.rows):
                names[b[j, 0]] = self.scalar("bias", l, j + 1)
                for k in range(W.cols):
                    names[W[j, k]] = self.scalar("weight", l, j + 1, k + 1)
                for i in range(m):
                    kw = dict(l=l, j=j + 1, i=i + 1, batch=m)
                    names[symbols.Z[l][j, i]] = self.scalar("pre_activation", **kw)
                    names[symbols.A[l][j, i]] = self.scalar("output" if l == L else "activation", **kw)
                    names[delta_symbol("per_example", l, j + 1, i + 1, m)] = self.scalar("delta", **kw)
        for i in range(m):
            for k in range(symbols.X.rows):
                names[symbols.X[k, i]] = self.scalar("input", k=k + 1, i=i + 1, batch=m)
            for j in range(symbols.Y.rows):
                names[symbols.Y[j, i]] = self.scalar("target", j=j + 1, i=i + 1, batch=m)
        _check_distinct(self, names)
        # The vectorized form's dZ^{[l](i)}_j is the same error delta^{[l](i)}_j.
        for l in range(1, L + 1):
            for j in range(symbols.widths[l]):
                for i in range(m):
                    names[delta_symbol("vectorized", l, j + 1, i + 1, m)] = self.scalar("delta", l, j + 1, i=i + 1, batch=m)
        return names

    def matrix(self, quantity: str, l: int | str = "", rows=None, cols=None) -> sp.MatrixSymbol:
        """A matrix symbol named in this notation (shape symbolic or concrete)."""
        name = self.scalar(quantity, l)
        return sp.MatrixSymbol(name, rows if rows is not None else 1, cols if cols is not None else 1)

    def generic_names(self) -> dict[str, str]:
        """LaTeX for each matrix symbol name of :data:`symbp.backprop.EQUATIONS`."""
        return {name: self.scalar(q, l) for name, (q, l) in GENERIC.items()}


def _ints(*parts) -> list[int]:
    return [int(p) for p in parts]


_DEFAULT_CODE: dict[str, str] = {
    "weight": "W<l>[<j0>][<k0>]", "bias": "b<l>[<j0>]", "pre_activation": "Z<l>[<j0>]", "activation": "A<l>[<j0>]",
    "output": "A<l>[<j0>]", "input": "X[<k0>]", "target": "Y[<j0>]", "delta": "dZ<l>[<j0>]", "loss": "loss",
    "cost": "cost", "learning_rate": "learning_rate", "batch_size": "m", "weight_matrix": "W<l>",
    "bias_vector": "b<l>", "pre_activation_matrix": "Z<l>", "activation_matrix": "A<l>",
    "activation_vector": "a<l>", "pre_activation_vector": "z<l>", "output_vector": "a<l>", "input_vector": "x",
    "target_vector": "y", "input_matrix": "X", "target_matrix": "Y", "delta_vector": "delta<l>",
    "grad_a": "grad_a", "gprime": "gprime<l>", "gprime_matrix": "gprime<l>", "jacobian": "J<l>",
    "grad_W": "nabla_w<l>", "grad_b": "nabla_b<l>", "dZ": "dZ<l>", "dZ_column": "dZ<l>[:, i]", "dA": "dA<l>",
    "dA_column": "dA<l>[:, i]", "dW": "dW<l>", "db": "db<l>", "ones": "ones",
}

# ----- Validation -----
def _validate(n: Notation) -> None:
    where = f"notation {n.name!r}"
    missing = sorted(set(QUANTITIES) - set(n.latex))
    if missing:
        raise SpecError(f"{where}: no LaTeX for {', '.join(missing)}")
    for quantity, template in {**n.latex, **n.code_templates}.items():
        if quantity not in QUANTITIES:
            raise SpecError(f"{where}: unknown quantity {quantity!r}; valid: {', '.join(QUANTITIES)}")
        if not isinstance(template, str) or not template.strip():
            raise SpecError(f"{where}: {quantity}: expected a non-empty string, got {template!r}")
    for quantity, template in n.latex.items():
        allowed = set(QUANTITIES[quantity][1])
        used = set(_PLACEHOLDER.findall(template))
        if used - allowed:
            raise SpecError(
                f"{where}: {quantity}: placeholder {sorted(used - allowed)[0]} is not allowed here; "
                f"allowed: {', '.join(QUANTITIES[quantity][1]) or 'none'}"
            )
        if not _balanced(template):
            raise SpecError(f"{where}: {quantity}: unbalanced braces in {template!r}")
    if not isinstance(n.layer_offset, int) or isinstance(n.layer_offset, bool):
        raise SpecError(f"{where}: layer_offset must be a whole number, got {n.layer_offset!r}")


def _balanced(text: str) -> bool:
    depth = 0
    for position, char in enumerate(text):
        if char in "{}" and position and text[position - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _check_distinct(n: Notation, names: Mapping[sp.Symbol, str]) -> None:
    seen: dict[str, sp.Symbol] = {}
    for symbol, text in names.items():
        other = seen.setdefault(text, symbol)
        if other != symbol:
            raise SpecError(
                f"notation {n.name!r}: {other} and {symbol} would both print as {text!r}; "
                "give the templates the placeholders that tell them apart"
            )


# ----- The notations of the seed documents -----
NOTATIONS: dict[str, Notation] = {}


def _register(n: Notation) -> Notation:
    NOTATIONS[n.name] = n
    return n


_register(Notation(
    "ng",
    "Ng's deep-learning course (seed documents 000 and 002), layers in square brackets, examples as columns",
    {
        "weight": "w^{[<l>]}_{<jk>}", "bias": "b^{[<l>]}_{<j>}",
        "pre_activation": "z^{[<l>]<(i)>}_{<j>}", "activation": "a^{[<l>]<(i)>}_{<j>}",
        "output": "a^{[<l>]<(i)>}_{<j>}", "input": "x^{<(i)>}_{<k>}", "target": "y^{<(i)>}_{<j>}",
        "delta": r"\delta^{[<l>]<(i)>}_{<j>}", "loss": r"\mathcal{L}", "cost": "C",
        "learning_rate": r"\alpha", "batch_size": "m",
        "weight_matrix": "W^{[<l>]}", "bias_vector": "b^{[<l>]}", "pre_activation_matrix": "Z^{[<l>]}",
        "activation_matrix": "A^{[<l>]}", "activation_vector": "a^{[<l>]}", "pre_activation_vector": "z^{[<l>]}",
        "output_vector": "a^{[<l>]}", "input_vector": "x", "target_vector": "y", "input_matrix": "X", "target_matrix": "Y", "delta_vector": r"\delta^{[<l>]}",
        "grad_a": r"\nabla_{a}\mathcal{L}", "gprime": "g'^{[<l>]}(z^{[<l>]})", "gprime_matrix": "g'^{[<l>]}(Z^{[<l>]})",
        "jacobian": "J^{[<l>]}", "grad_W": r"\nabla_{W^{[<l>]}}\mathcal{L}", "grad_b": r"\nabla_{b^{[<l>]}}\mathcal{L}",
        "dZ": "dZ^{[<l>]}", "dZ_column": "dZ^{[<l>](i)}", "dA": "dA^{[<l>]}", "dA_column": "dA^{[<l>](i)}",
        "dW": "dW^{[<l>]}", "db": "db^{[<l>]}", "ones": r"\mathbf{1}_{m}",
    },
))

# Nielsen numbers the input layer 1 (a^1 = x), so symbp's layer l is his l + 1.
_register(Notation(
    "nielsen",
    "Nielsen's book, chapter 2 (seed document 001), where the input layer is layer 1",
    {
        "weight": "w^{<l>}_{<jk>}", "bias": "b^{<l>}_{<j>}",
        "pre_activation": "z^{<l><,(i)>}_{<j>}", "activation": "a^{<l><,(i)>}_{<j>}",
        "output": "a^{<l><,(i)>}_{<j>}", "input": "x^{<(i)>}_{<k>}", "target": "y^{<(i)>}_{<j>}",
        "delta": r"\delta^{<l><,(i)>}_{<j>}", "loss": "C_{x}", "cost": "C",
        "learning_rate": r"\eta", "batch_size": "n",
        "weight_matrix": "w^{<l>}", "bias_vector": "b^{<l>}", "pre_activation_matrix": "Z^{<l>}",
        "activation_matrix": "A^{<l>}", "activation_vector": "a^{<l>}", "pre_activation_vector": "z^{<l>}",
        "output_vector": "a^{<l>}", "input_vector": "x", "target_vector": "y", "input_matrix": "X", "target_matrix": "Y", "delta_vector": r"\delta^{<l>}",
        "grad_a": r"\nabla_{a}C_{x}", "gprime": r"\sigma'(z^{<l>})", "gprime_matrix": r"\sigma'(Z^{<l>})",
        "jacobian": "J^{<l>}", "grad_W": r"\nabla_{w^{<l>}}C_{x}", "grad_b": r"\nabla_{b^{<l>}}C_{x}",
        "dZ": r"\Delta^{<l>}", "dZ_column": r"\Delta^{<l>}_{x}", "dA": r"\nabla_{A^{<l>}}C", "dA_column": r"\nabla_{a^{<l>}}C_{x}",
        "dW": r"\nabla_{w^{<l>}}C", "db": r"\nabla_{b^{<l>}}C", "ones": r"\mathbf{1}_{n}",
    },
    layer_offset=1,
))

# PadhAI: a is the pre-activation and h the activation; the output is y-hat; L the loss.
_register(Notation(
    "padhai",
    "PadhAI's course (seed document 003), where a is the pre-activation and h the activation",
    {
        "weight": "w_{<ljk>}", "bias": "b_{<lj>}",
        "pre_activation": "a^{<(i)>}_{<lj>}", "activation": "h^{<(i)>}_{<lj>}",
        "output": r"\hat{y}^{<(i)>}_{<j>}", "input": "x^{<(i)>}_{<k>}", "target": "y^{<(i)>}_{<j>}",
        "delta": r"\frac{\partial L}{\partial a^{<(i)>}_{<lj>}}", "loss": "L", "cost": r"\mathcal{L}",
        "learning_rate": r"\eta", "batch_size": "m",
        "weight_matrix": "W_{<l>}", "bias_vector": "b_{<l>}", "pre_activation_matrix": "A_{<l>}",
        "activation_matrix": "H_{<l>}", "activation_vector": "h_{<l>}", "pre_activation_vector": "a_{<l>}",
        "output_vector": r"\hat{y}", "input_vector": "x", "target_vector": "y", "input_matrix": "X", "target_matrix": "Y", "delta_vector": r"\nabla_{a_{<l>}}L",
        "grad_a": r"\nabla_{\hat{y}}L", "gprime": "g'(a_{<l>})", "gprime_matrix": "g'(A_{<l>})",
        "jacobian": "J_{<l>}", "grad_W": r"\nabla_{W_{<l>}}L", "grad_b": r"\nabla_{b_{<l>}}L",
        "dZ": r"\nabla_{A_{<l>}}\mathcal{L}", "dZ_column": r"\nabla_{a^{(i)}_{<l>}}L", "dA": r"\nabla_{H_{<l>}}\mathcal{L}",
        "dA_column": r"\nabla_{h^{(i)}_{<l>}}L", "dW": r"\nabla_{W_{<l>}}\mathcal{L}", "db": r"\nabla_{b_{<l>}}\mathcal{L}",
        "ones": r"\mathbf{1}_{m}",
    },
))


def notation(name: str) -> Notation:
    """The built-in notation ``name``.

    Examples
    --------
    >>> notation("ng").latex["learning_rate"]
    '\\\\alpha'
    >>> notation("mine")
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: unknown notation 'mine'; valid: ng, nielsen, padhai, or a .toml file defining one
    """
    if name not in NOTATIONS:
        valid = ", ".join(sorted(NOTATIONS))
        raise SpecError(f"unknown notation {name!r}; valid: {valid}, or a .toml file defining one")
    return NOTATIONS[name]


# ----- User-defined notations -----
def parse_notation(text: str, where: str = "<string>") -> Notation:
    """Read a notation from TOML text.

    Keys: ``name``, ``base`` (a built-in notation whose entries fill the gaps,
    default ``ng``), ``description``, ``layer_offset``, and tables
    ``[latex]`` and ``[code]`` mapping quantities to templates.

    Examples
    --------
    >>> n = parse_notation('name = "mine"\\nbase = "nielsen"\\n[latex]\\nweight = "\\\\\\\\theta^{<l>}_{<jk>}"')
    >>> n.scalar("weight", l=1, j=2, k=3), n.scalar("activation", l=1, j=2)
    ('\\\\theta^{2}_{23}', 'a^{2}_{2}')
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{where}: TOML syntax error: {exc}") from None
    if "notation" in data and isinstance(data["notation"], Mapping) and len(data) == 1:
        data = data["notation"]
    valid = {"name", "base", "description", "layer_offset", "latex", "code"}
    unknown = sorted(set(data) - valid)
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(valid))}")
    try:
        base = notation(str(data.get("base", "ng")))
    except SpecError as exc:
        raise SpecError(f"{where}: base: {exc}") from None
    for table in ("latex", "code"):
        if not isinstance(data.get(table, {}), Mapping):
            raise SpecError(f"{where}: [{table}] must be a table of quantity = template")
    name = data.get("name", Path(where).stem)
    if not isinstance(name, str) or not name:
        raise SpecError(f"{where}: name must be a non-empty string")
    try:
        return Notation(
            name,
            str(data.get("description", f"user-defined, based on {base.name}")),
            MappingProxyType(_overridden(base.latex, data.get("latex", {}))),
            MappingProxyType({**base.code_templates, **data.get("code", {})}),
            data.get("layer_offset", base.layer_offset),
        )
    except SpecError as exc:
        raise SpecError(f"{where}: {exc}") from None


#: A quantity that a base notation writes exactly as another one (ng's output a^{[L]}_j is its activation
#: a^{[l]}_j) follows a user's override of that one, so overriding ``activation`` renames the output too.
#: A base that writes them differently (padhai's output is y-hat) keeps its own.
_FOLLOWS: dict[str, str] = {"output": "activation", "output_vector": "activation_vector"}


def _overridden(base: Mapping[str, str], user: Mapping[str, str]) -> dict[str, str]:
    """``base`` with the user's templates over it, and the quantities of :data:`_FOLLOWS` following theirs.

    Examples
    --------
    >>> ng, padhai = notation("ng").latex, notation("padhai").latex
    >>> _overridden(ng, {"activation": "h^{[<l>]<(i)>}_{<j>}"})["output"]
    'h^{[<l>]<(i)>}_{<j>}'
    >>> print(_overridden(padhai, {"activation": "g_{<lj>}"})["output"])
    \\hat{y}^{<(i)>}_{<j>}
    """
    merged = {**base, **user}
    for quantity, leader in _FOLLOWS.items():
        if leader in user and quantity not in user and base[quantity] == base[leader]:
            merged[quantity] = user[leader]
    return merged


def load_notation(name_or_path: str | Path) -> Notation:
    r"""A built-in notation by name, or a user-defined one from a ``.toml`` file.

    A user-defined notation takes its name from the file unless it sets
    ``name``, and its missing entries from ``base`` (see :func:`parse_notation`).

    Examples
    --------
    >>> print(load_notation("nielsen").scalar("weight", l=1, j=2, k=3))
    w^{2}_{23}
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.toml"
    >>> _ = path.write_text("base = 'nielsen'\n[latex]\nlearning_rate = '\\lambda'\n")
    >>> mine = load_notation(path)
    >>> print(mine.name, mine.latex["learning_rate"], mine.scalar("weight", l=1, j=2, k=3))
    mine \lambda w^{2}_{23}
    >>> load_notation(path.with_name("missing.toml"))
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: ...missing.toml: cannot read: No such file or directory
    """
    text = str(name_or_path)
    if text in NOTATIONS or not text.endswith(".toml"):
        return notation(text)
    return parse_notation(read_text(text, "a notation file"), text)
