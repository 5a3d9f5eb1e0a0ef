"""Real renderers: the .tex derivations compile with pdflatex, the .md ones render with KaTeX.

Both run over the committed derivations (tests/test_derivation.py proves them
fresh). Without pdflatex, or without Node and the KaTeX package, the tests skip
and say what to install.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symbp import Network
from symbp.derivation import derive

ROOT = Path(__file__).resolve().parents[1]
TEX = sorted((ROOT / "derivations").glob("*/derivation.tex"))
MD = sorted((ROOT / "derivations").glob("*/derivation.md"))


def require_pdflatex() -> str:
    path = shutil.which("pdflatex")
    if path is None:
        pytest.skip("pdflatex not found: apt-get install -y texlive-latex-base texlive-latex-recommended")
    return path


def require_katex() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found: apt-get install -y nodejs npm, then npm ci at the repository root")
    if not (ROOT / "node_modules" / "katex").is_dir():
        pytest.skip("the KaTeX package is not installed: run npm ci at the repository root")
    return node


def compile_tex(tex: str, directory: Path) -> str:
    """Run pdflatex on ``tex``; return the log (the test fails on a non-zero exit)."""
    source = directory / "d.tex"
    source.write_text(tex, encoding="utf-8")
    result = subprocess.run(
        [require_pdflatex(), "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", source.name],
        cwd=directory, capture_output=True, text=True, timeout=120,
    )
    log = (directory / "d.log").read_text(encoding="latin-1")
    assert result.returncode == 0, "pdflatex failed:\n" + "\n".join(l for l in log.splitlines() if l.startswith("!"))
    return log


def test_derivations_exist():
    assert len(TEX) == 4 and len(MD) == 4


@pytest.mark.parametrize("path", TEX, ids=[p.parent.name for p in TEX])
def test_tex_compiles_without_errors_or_undefined_commands(path, tmp_path):
    log = compile_tex(path.read_text(encoding="utf-8"), tmp_path)
    assert "Undefined control sequence" not in log
    assert not [l for l in log.splitlines() if l.startswith("!")]
    assert "Overfull \\hbox" not in log, "a line runs into the margin"
    assert (tmp_path / "d.pdf").stat().st_size > 10_000


def test_tex_of_a_user_notation_compiles(tmp_path):
    notation = tmp_path / "mine.toml"
    notation.write_text('base = "nielsen"\n[latex]\nweight = "\\\\theta^{<l>}_{<jk>}"\nlearning_rate = "\\\\lambda"\n')
    d = derive(Network([2, 3, 2], ["relu", "softmax"], "cross_entropy", batch=2), notation=str(notation))
    log = compile_tex(d.tex(), tmp_path)
    assert "Undefined control sequence" not in log


# KaTeX: every $$...$$ display and every $...$ inline piece, rendered with throwOnError.
KATEX_SCRIPT = r"""
const katex = require(process.argv[1]);
const fs = require("fs");
const results = [];
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  const displays = [...text.matchAll(/\$\$([\s\S]*?)\$\$/g)].map(m => [m[1], true]);
  const rest = text.replace(/\$\$[\s\S]*?\$\$/g, "");
  const inline = [...rest.matchAll(/(?<!\\)\$([^$\n]+?)\$/g)].map(m => [m[1], false]);
  const errors = [];
  for (const [tex, displayMode] of [...displays, ...inline]) {
    try { katex.renderToString(tex, {displayMode, throwOnError: true, strict: "error"}); }
    catch (e) { errors.push(String(e.message).slice(0, 300)); }
  }
  results.push({file, displays: displays.length, inline: inline.length, errors});
}
console.log(JSON.stringify(results));
"""


def render_katex(paths: list[Path]) -> list[dict]:
    node = require_katex()
    result = subprocess.run(
        [node, "-e", KATEX_SCRIPT, str(ROOT / "node_modules" / "katex"), *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_markdown_renders_with_katex():
    for result in render_katex(MD):
        assert result["displays"] > 10, result["file"]
        assert result["errors"] == [], result["file"]


def test_katex_check_catches_a_broken_display(tmp_path):
    broken = tmp_path / "broken.md"
    broken.write_text("$$\n\\begin{aligned}\n\\frac{1}{2 &= \\undefinedmacro\n\\end{aligned}\n$$\n")
    (result,) = render_katex([broken])
    assert len(result["errors"]) == 1


@pytest.mark.parametrize("path", MD, ids=[p.parent.name for p in MD])
def test_markdown_uses_double_dollar_displays(path):
    text = path.read_text(encoding="utf-8")
    assert "\\[" not in text and "\\begin{align*}" not in text
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", text, flags=re.S | re.M)
    assert blocks and all(b.startswith("\\begin{aligned}") and b.endswith("\\end{aligned}") for b in blocks)


def test_tex_of_a_one_layer_network_with_a_long_cost_name_stays_in_the_margins(tmp_path):
    # "binary\_cross\_entropy" was one unbreakable word in the introduction: 21pt into the margin.
    d = derive(Network([2, 1], ["sigmoid"], "binary_cross_entropy"))
    log = compile_tex(d.tex(), tmp_path)
    assert "Overfull \\hbox" not in log


def test_a_softmax_cross_entropy_derivation_compiles_and_renders(tmp_path):
    # none of the committed derivations has the targets-sum step (delta = a - y) and its prose
    d = derive(Network([2, 3, 3], ["tanh", "softmax"], "cross_entropy", batch=2))
    assert "sum to 1" in d.markdown()
    log = compile_tex(d.tex(), tmp_path)
    assert "Undefined control sequence" not in log and "Overfull \\hbox" not in log
    page = tmp_path / "d.md"
    page.write_text(d.markdown(), encoding="utf-8")
    (result,) = render_katex([page])
    assert result["displays"] > 10 and result["errors"] == []
