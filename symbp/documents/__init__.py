"""Verify real documents: find their math, read their LaTeX, check every claim.

Modules, one job each:

* :mod:`.extract`: find the math in Markdown, LaTeX or plain text, with 1-based line numbers;
* :mod:`.reader`: LaTeX to SymPy (latex2sympy2 behind a normalising layer), :func:`~.reader.parse_latex`;
* :mod:`.claims`: the claims-file format (TOML), its validation and the scaffold ``symbp extract`` writes;
* :mod:`.verify`: check each claim against symbp's autodiff and the worked example's numbers;
* :mod:`.diagnose`: the catalogue of common mistakes tried on every wrong claim;
* :mod:`.report`: the table, ``--json`` and ``--markdown`` outputs.

Non-goals: rendering documents, guessing what an undefined symbol means.
"""
