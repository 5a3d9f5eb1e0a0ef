"""The public face of symbp: :class:`Network`.

A ``Network`` holds a validated specification and gives access, lazily and with
caching, to its symbols, forward expressions, cost, autodiff gradients, the
exact check against the hand-derived equations, and numeric evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import sympy as sp

from . import autodiff
from .build import Forward, build
from .check import Report, check
from .errors import ShapeError, SymbpError
from .symbols import NetworkSymbols, network_symbols
from .program import compile_program
from .rules import DEFAULT_RULES, RuleSet
from .spec import Example, NetworkSpec, load_toml

__all__ = ["Network", "PER_ELEMENT_LIMIT"]

#: Largest number of scalar multiply-adds (parameters x batch) the per-element
#: symbolic path accepts; beyond it the matrix path (symbp.lambdify) is the tool.
PER_ELEMENT_LIMIT = 30_000


class Network:
    """A feed-forward network whose backpropagation symbp derives and checks.

    Parameters
    ----------
    widths
        ``[n0, n1, ..., nL]``.
    activations
        One name per layer: ``linear``, ``sigmoid``, ``tanh``, ``relu``,
        ``leaky_relu``, ``softmax`` or a registered one.
    cost
        ``half_sse``, ``sse``, ``mse``, ``mae``, ``binary_cross_entropy``,
        ``cross_entropy`` or a registered one; the cost is the mean over the batch.
    batch
        The number m of examples (columns of X).
    leaky_relu_slope
        The slope of ``leaky_relu`` for z < 0 (default 1/100).

    Examples
    --------
    >>> net = Network(widths=[4, 4, 2], activations=["sigmoid", "softmax"], cost="sse", batch=1)
    >>> net.check().ok
    True
    >>> len(net.gradients())
    30
    """

    def __init__(
        self,
        widths: Sequence[int],
        activations: Sequence[str],
        cost: str,
        batch: int = 1,
        *,
        leaky_relu_slope: float | sp.Expr | None = None,
        rules: RuleSet = DEFAULT_RULES,
        example: Example | None = None,
        title: str = "",
    ) -> None:
        options = {} if leaky_relu_slope is None else {"leaky_relu_slope": leaky_relu_slope}
        widths = tuple(widths) if isinstance(widths, (list, tuple)) else widths
        activations = tuple(activations) if isinstance(activations, (list, tuple)) else activations
        self.spec = NetworkSpec(widths, activations, cost, batch, options, rules, example, title)

    @classmethod
    def from_spec(cls, spec: NetworkSpec) -> Network:
        """Wrap an existing :class:`~symbp.spec.NetworkSpec`."""
        net = cls.__new__(cls)
        net.spec = spec
        return net

    @classmethod
    def from_toml(cls, path: str | Path) -> Network:
        """Read a ``network.toml`` file (see the README for its keys)."""
        return cls.from_spec(load_toml(path))

    def __repr__(self) -> str:
        s = self.spec
        return (
            f"Network(widths={list(s.widths)}, activations={list(s.activations)}, cost={s.cost!r}, batch={s.batch})"
        )

    # ----- Symbols and expressions -----
    @property
    def symbols(self) -> NetworkSymbols:
        """Every symbol of the network (weights, biases, inputs, targets, z, a)."""
        return network_symbols(self.spec.widths, self.spec.batch)

    @property
    def forward(self) -> Forward:
        """The forward pass as a straight-line program (see :mod:`symbp.build`)."""
        self._guard_size()
        return build(self.spec)

    def cost_expression(self) -> sp.Expr:
        """The cost C as one SymPy expression in weights, biases, inputs and targets."""
        return self.forward.cost

    def parameters(self) -> dict[str, sp.ImmutableMatrix]:
        """``{"W1": matrix of symbols, "b1": ..., ...}``."""
        return self.symbols.parameters()

    # ----- Derivatives -----
    def gradient_program(self, engine: str = "reverse") -> autodiff.Gradient:
        """The autodiff result with its intermediate adjoints (engine ``"reverse"`` or ``"reference"``)."""
        return self._gradient(engine)

    def _gradient(self, engine: str) -> autodiff.Gradient:
        if engine not in ("reverse", "reference"):
            raise ValueError(f"engine must be 'reverse' or 'reference', got {engine!r}")
        cache = self.__dict__.setdefault("_gradients", {})
        if engine not in cache:
            fwd = self.forward
            derive = autodiff.reverse_gradients if engine == "reverse" else autodiff.reference_gradients
            cache[engine] = derive(fwd.program, fwd.cost_symbol, self.symbols.parameter_symbols())
        return cache[engine]

    def gradients(self, engine: str = "reverse") -> dict[sp.Symbol, sp.Expr]:
        """Each parameter symbol mapped to dC/d(parameter), an expression in parameters and data."""
        g = self._gradient(engine)
        return g.expanded() if engine == "reverse" else dict(g.gradients)

    def check(self, engine: str = "reverse", forms: Sequence[str] = ("per_example", "vectorized")) -> Report:
        """Prove the autodiff gradients equal to the hand-derived equations (see :mod:`symbp.check`)."""
        self._guard_size()
        return check(self.spec, engine=engine, forms=tuple(forms))

    # ----- Numbers -----
    @cached_property
    def _numeric(self):
        g = self._gradient("reverse")
        s = self.symbols
        inputs = [*s.parameter_symbols(), *s.X, *s.Y]
        grads = compile_program(g.program, inputs, [g.gradients[w] for w in s.parameter_symbols()])
        cost = compile_program(g.primal, inputs, [self.forward.cost_symbol])
        return inputs, grads, cost

    def numeric_gradients(self, params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> dict[str, np.ndarray]:
        """The autodiff gradients evaluated at numbers.

        ``params`` maps ``"W1"``, ``"b1"``, ... to arrays of shape (n_l, n_(l-1))
        and (n_l, 1); ``X`` is (n0, m) and ``Y`` is (nL, m) with m the network's
        batch. Arrays, nested lists or SymPy matrices of real numbers are accepted
        (the network file's own ``spec.example.params``, ``.X``, ``.Y`` included).
        Returns a dict with the same keys and shapes (float64).

        Examples
        --------
        >>> import numpy as np
        >>> net = Network([1, 1], ["linear"], "half_sse")
        >>> g = net.numeric_gradients({"W1": np.array([[2.0]]), "b1": np.array([[0.5]])},
        ...                           np.array([[3.0]]), np.array([[1.0]]))
        >>> g["W1"], g["b1"]
        (array([[16.5]]), array([[5.5]]))
        """
        values = self._flatten(params, X, Y)
        _, grads, _ = self._numeric
        flat = np.asarray(grads(*values), dtype=np.float64)
        out, start = {}, 0
        for name, matrix in self.parameters().items():
            size = matrix.rows * matrix.cols
            out[name] = flat[start : start + size].reshape(matrix.shape)
            start += size
        return out

    def numeric_cost(self, params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> float:
        """The cost C evaluated at numbers (same arguments as :meth:`numeric_gradients`)."""
        values = self._flatten(params, X, Y)
        _, _, cost = self._numeric
        return float(cost(*values)[0])

    def _flatten(self, params, X, Y) -> list[float]:
        expected = {name: m.shape for name, m in self.parameters().items()}
        missing = sorted(set(expected) - set(params))
        extra = sorted(set(params) - set(expected))
        if missing or extra:
            raise ShapeError(
                f"params: expected keys {', '.join(expected)}; "
                + (f"missing {', '.join(missing)}" if missing else f"unexpected {', '.join(extra)}")
            )
        values: list[float] = []
        for name, shape in expected.items():
            values += _as_array(params[name], shape, name).ravel().tolist()
        m = self.spec.batch
        for name, value, rows in (("X", X, self.spec.widths[0]), ("Y", Y, self.spec.widths[-1])):
            values += _as_array(value, (rows, m), name).ravel().tolist()
        return values

    def _guard_size(self) -> None:
        size = self.spec.parameter_count * self.spec.batch
        if size > PER_ELEMENT_LIMIT:
            raise SymbpError(
                f"network too large for the per-element symbolic path: {self.spec.parameter_count} parameters "
                f"x batch {self.spec.batch} = {size} > {PER_ELEMENT_LIMIT}; use the matrix-form path "
                f"(symbp.lambdify(net) or `symbp derive --matrix`), whose size does not grow with the widths"
            )


def _as_array(value, shape: tuple[int, int], name: str) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype == object and all(map(_is_real_number, array.flat)):
        array = array.astype(np.float64)  # SymPy numbers, as in a network file's own [example]
    if array.dtype.kind not in "fiu":
        raise ShapeError(f"{name}: expected a numeric array, got dtype {array.dtype}")
    if array.shape != shape:
        raise ShapeError(f"{name}: expected shape {shape}, got {array.shape}")
    return array.astype(np.float64)


def _is_real_number(x) -> bool:
    """A real number: int, float, NumPy scalar or SymPy number (no bool, None, symbol or complex)."""
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, (int, float, np.integer, np.floating)):
        return True
    return isinstance(x, sp.Expr) and x.is_number and x.is_real is True
