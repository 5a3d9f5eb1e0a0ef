"""Verify real documents: find their math, read their LaTeX, check every claim.

Reading (LaTeX to SymPy):

* :mod:`.extract`: the math of a Markdown, LaTeX or plain-text document, with 1-based line numbers;
* :mod:`.reader`: :func:`~.reader.parse_latex` and :func:`~.reader.parse_equation`, latex2sympy2 behind
  the normalising layer of :mod:`.tokens`, :mod:`.latex`, :mod:`.constructs`, :mod:`.elide` and
  :mod:`.pieces`; :mod:`.defaults` (meanings without a document), :mod:`.limits` (time limits).

Claims (what a document asserts):

* :mod:`.claims`: the claims-file format (TOML) and its validation; :mod:`.scaffold` writes a first one;
* :mod:`.notation`: the document's symbols to symbp's quantities.

Checking:

* :mod:`.verify`: claim by claim, instance by instance; :mod:`.links` walks a chain link by link,
  :mod:`.sides` holds the sides it compares, :mod:`.compare` compares two expressions (identities, proved
  exactly) and :mod:`.printed` an expression or arithmetic with printed numbers, with the numbers the
  document printed earlier from :mod:`.earlier`; :mod:`.matrixclaims` proves claims about whole
  matrices against the matrix-form gradients (:func:`symbp.matrixform.matrix_gradient`), for every
  width and batch size; :mod:`.context`, :mod:`.quantities`, :mod:`.values` and :mod:`.variants` hold the
  network and its derivatives (symbp's autodiff), the quantities a claim names, and its numbers;
  :mod:`.env` gives a side its meaning and :mod:`.algebra` does its arithmetic; :mod:`.functions` is the table of functions a document can name;
  :mod:`.numbers` handles printed precision; :mod:`.kinks` accepts a document's own value of a
  derivative at a kink of its worked example (relu'(0) = 1), a convention; :mod:`.examples` is a
  one-unit network to try claims on;
* :mod:`.mistakes`: the one-table catalogue of common mistakes, which :mod:`.diagnose` tries on a wrong
  link (single mistakes, then pairs); :mod:`.printing` shows true values in the
  document's notation; :mod:`.report` prints the table, ``--json`` and ``--markdown``.

Non-goals: rendering documents, guessing what an undefined symbol means.
"""
