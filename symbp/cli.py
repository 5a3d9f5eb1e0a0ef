"""The ``symbp`` command-line tool.

Each subcommand lives in its own module under :mod:`symbp.commands` with two
functions: ``add_parser(subparsers)`` and ``run(args) -> int``; modules found
there are registered automatically, in the order of :data:`COMMAND_ORDER` and
then alphabetically. This module only dispatches, and turns every :class:`~symbp.errors.SymbpError` into a one-line
message and exit status 2 (bad input); a check that finds a mismatch exits 1; anything else raised is a
bug in symbp, reported in one line with exit status 3 (``SYMBP_TRACEBACK=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from .errors import SymbpError

__all__ = ["main", "build_parser"]

COMMAND_ORDER = ("check", "derive", "codegen", "train", "extract", "verify")


def command_modules() -> list[str]:
    """Names of the subcommand modules in :mod:`symbp.commands`, in display order."""
    from . import commands

    found = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
    return [n for n in COMMAND_ORDER if n in found] + sorted(found - set(COMMAND_ORDER))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand.

    Parsing binds ``run`` to the chosen command module's ``run(args)``, with that
    command's defaults filled in.

    Examples
    --------
    >>> args = build_parser().parse_args(["check", "net.toml", "--form", "vectorized"])
    >>> args.command, args.network, args.form, args.engine
    ('check', 'net.toml', 'vectorized', 'reverse')
    >>> args.run.__module__
    'symbp.commands.check'
    """
    parser = argparse.ArgumentParser(
        prog="symbp",
        description="Derive and verify neural-network backpropagation symbolically.",
        epilog="Run 'symbp COMMAND --help' for the options of one command.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"symbp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in command_modules():
        importlib.import_module(f"symbp.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    ``argv`` defaults to ``sys.argv[1:]``. The status is 0 when the command
    succeeds, 1 when a check finds a mismatch, 2 on bad input (a one-line
    message on standard error, no traceback).

    Examples
    --------
    >>> import contextlib, pathlib, sys, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "network.toml"
    >>> _ = path.write_text('widths = [1, 1]\\nactivations = ["sigmoid"]\\ncost = "half_sse"\\n')
    >>> main(["check", str(path)])
    symbp check ...network.toml
    network: widths [1, 1], activations sigmoid, cost half_sse, batch m = 1 (2 parameters)
    ...
    OK: all 2 gradients equal the hand-derived equations, proved exactly.
    how: ...
    0

    A misspelt activation is bad input: one line on standard error, status 2.

    >>> _ = path.write_text('widths = [1, 1]\\nactivations = ["sigmod"]\\ncost = "half_sse"\\n')
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     main(["check", str(path)])
    symbp check: error: ...network.toml: line 2: unknown activation 'sigmod'; valid: leaky_relu, linear, ...
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except SymbpError as exc:
        message = " ".join(str(exc).split("\n")[0].split())
        print(f"symbp {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover - interactive
        print("symbp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (piped into head): stop quietly, before the catch-all below
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug of symbp's, not bad input: one line, not a traceback
        if os.environ.get("SYMBP_TRACEBACK"):
            raise
        message = " ".join(str(exc).split())[:300]
        print(f"symbp {args.command}: internal error: {type(exc).__name__}: {message} (a bug in symbp; please "
              f"report it; SYMBP_TRACEBACK=1 shows where)", file=sys.stderr)
        return 3


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. captured output)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
