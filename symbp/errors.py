"""Exceptions raised by symbp.

Every error a user can cause by bad input derives from :class:`SymbpError`; the
command-line tool prints its message on one line and exits with status 2.
Messages say what is wrong, where, and what would be valid.
"""

from __future__ import annotations

__all__ = [
    "SymbpError",
    "SpecError",
    "UnknownRuleError",
    "ExpressionSyntaxError",
    "ShapeError",
]


class SymbpError(Exception):
    """Base class of every user-facing symbp error."""


class SpecError(SymbpError, ValueError):
    """A network specification (Python arguments or a TOML file) is invalid."""


class UnknownRuleError(SpecError):
    """An activation or cost name has no registered rule.

    Examples
    --------
    >>> from symbp.rules import activation
    >>> activation("softplus")
    Traceback (most recent call last):
    ...
    symbp.errors.UnknownRuleError: unknown activation 'softplus'; valid: ...
    """


class ExpressionSyntaxError(SpecError):
    """A user expression (in a TOML rule) is not in the restricted syntax."""


class ShapeError(SymbpError, ValueError):
    """Arrays passed to a numeric function have the wrong shape or dtype."""
