"""Reading and writing the text files symbp takes and makes, with one-line errors.

Every file symbp reads (network files, notation tables, claims files, documents)
is UTF-8 text, and every file it writes is too. A file that cannot be read or
written, or that is not UTF-8, is bad input: a :class:`~symbp.errors.SpecError`
that names the file and what is wrong, which the command line prints as one
line with exit status 2.

Non-goals: parsing (each format has its own module).
"""

from __future__ import annotations

from pathlib import Path

from .errors import SpecError

__all__ = ["read_text", "write_text"]


def read_text(path: str | Path, what: str = "file", *, lenient: bool = False) -> str:
    """The text of ``path``, read as UTF-8 (a byte-order mark at the start, as some Windows editors write, is dropped).

    ``what`` names the kind of file in the error ("a network file", "a claims
    file"); with ``lenient`` a byte that is not UTF-8 becomes U+FFFD instead of
    an error (for documents, whose prose does not need to be read exactly).

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "net.toml")
    >>> _ = open(path, "wb").write(b"widths = [1, 1]\\n# \\xff")
    >>> read_text(path, "a network file")
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: ...net.toml: not UTF-8 text (byte 18, line 2); a network file is text in UTF-8
    >>> read_text(path, lenient=True)[-1]
    '\\ufffd'
    >>> _ = open(path, "wb").write(b"\\xef\\xbb\\xbfwidths = [1, 1]\\n")
    >>> read_text(path)
    'widths = [1, 1]\\n'
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig", errors="replace" if lenient else "strict")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SpecError(f"{path}: not UTF-8 text (byte {exc.start}, line {line}); {what} is text in UTF-8") from None


def write_text(path: str | Path, text: str, option: str = "") -> None:
    """Write ``text`` to ``path`` as UTF-8; ``option`` (e.g. ``"-o"``) prefixes the error.

    Examples
    --------
    >>> write_text("/no/such/folder/out.md", "x", "-o")
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: -o /no/such/folder/out.md: cannot write: No such file or directory
    """
    path = Path(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        prefix = f"{option} " if option else ""
        raise SpecError(f"{prefix}{path}: cannot write: {exc.strerror or exc}") from None
