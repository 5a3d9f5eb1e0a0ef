"""symbp: derive and verify neural-network backpropagation symbolically.

SymPy builds a network's cost, differentiates it automatically, and proves the
result equal, exactly, to the hand-derived backpropagation equations.

Examples
--------
>>> import symbp
>>> net = symbp.Network(widths=[2, 2, 1], activations=["sigmoid", "sigmoid"], cost="half_sse")
>>> net.check().ok
True
"""

from __future__ import annotations

from .check import Report, check
from .compile import lambdify, lambdify_elements
from .errors import ExpressionSyntaxError, ShapeError, SpecError, SymbpError, UnknownRuleError
from .network import Network
from .rules import register_activation, register_cost
from .matrixcheck import check_matrix
from .matrixprint import format_matrix_derivation
from .spec import NetworkSpec, load_toml

__all__ = [
    "Network",
    "NetworkSpec",
    "Report",
    "check",
    "check_matrix",
    "format_matrix_derivation",
    "lambdify",
    "lambdify_elements",
    "load_toml",
    "register_activation",
    "register_cost",
    "SymbpError",
    "SpecError",
    "UnknownRuleError",
    "ExpressionSyntaxError",
    "ShapeError",
]

__version__ = "0.1.0"
