"""Subcommands of the ``symbp`` tool, one module each (see :mod:`symbp.cli`)."""
