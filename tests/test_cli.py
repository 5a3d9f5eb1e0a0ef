"""The command line: output, exit codes, and one-line errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from symbp.cli import main

from .conftest import DERIVATIONS

NET = 'widths = [3, 2, 2]\nactivations = ["tanh", "softmax"]\ncost = "cross_entropy"\nbatch = 2\n'


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symbp.cli", *args], capture_output=True, text=True, timeout=300)


def test_check_prints_a_summary_and_exits_0(tmp_path, capsys):
    path = tmp_path / "network.toml"
    path.write_text(NET)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OK: all 14 gradients equal the hand-derived equations, proved exactly." in out
    assert "how:" in out


def test_check_json(tmp_path, capsys):
    path = tmp_path / "network.toml"
    path.write_text(NET)
    assert main(["check", str(path), "--json", "--form", "vectorized"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and {p["form"] for p in data["parameters"]} == {"vectorized"}


def test_a_wrong_custom_derivative_exits_1(tmp_path, capsys):
    path = tmp_path / "network.toml"
    path.write_text(
        NET.replace('"tanh"', '"mytanh"')
        + '[custom_activations.mytanh]\nforward = "tanh(z)"\nderivative = "1 - a"\n'
    )
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "MISMATCH" in out and "refuted" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("widths = [3, 0, 2]\nactivations = [\"tanh\", \"softmax\"]\ncost = \"sse\"\n", "every width must be"),
        ("widths = [3, 2, 2]\nactivations = [\"tanh\", \"softmx\"]\ncost = \"sse\"\n", "line 2: unknown activation 'softmx'; valid:"),
        ("widths = [3, 2, 2]\nactivations = [\"tanh\", \"softmax\"]\ncost = \"hinge\"\n", "line 3: unknown cost 'hinge'; valid:"),
        ("widths = [3, 2, 2\nactivations = [\"tanh\", \"softmax\"]\n", "TOML syntax error"),
        ("widths = [3, 2, 2]\nactivations = [\"tanh\", \"softmax\"]\ncost = \"binary_cross_entropy\"\n",
         "does not support a softmax output layer"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path, text, message):
    path = tmp_path / "network.toml"
    path.write_text(text)
    result = run("check", str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("symbp check: error: ")


def test_missing_file_is_exit_2(tmp_path):
    result = run("check", str(tmp_path / "nope.toml"))
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_help_reads_well():
    result = run("--help")
    assert result.returncode == 0
    assert "check" in result.stdout and "Derive and verify" in result.stdout
    sub = run("check", "--help")
    assert "Exit status: 0 all proved, 1 a mismatch" in " ".join(sub.stdout.split())


@pytest.mark.parametrize("folder", sorted(p.name for p in DERIVATIONS.iterdir() if (p / "network.toml").exists()))
def test_shipped_worked_networks_check(folder, capsys):
    assert main(["check", str(DERIVATIONS / folder / "network.toml")]) == 0
    assert "OK: all" in capsys.readouterr().out


def test_an_internal_error_is_one_line_with_exit_3_not_a_traceback(tmp_path, capsys, monkeypatch):
    import symbp.commands.check as check_command

    def broken(args):
        raise RuntimeError("something symbp did not expect")

    monkeypatch.setattr(check_command, "run", broken)
    monkeypatch.delenv("SYMBP_TRACEBACK", raising=False)
    path = tmp_path / "net.toml"
    path.write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n')
    assert main(["check", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: something symbp did not expect" in err


@pytest.mark.parametrize("extra, named", [(["--weight", "W2[0][0]"], "--weight does not apply"),
                                         (["--format", "tex", "--notation", "padhai"], "--format and --notation do not apply"),
                                         (["--notation", "ng"], "--notation does not apply")])  # the default, given
def test_derive_matrix_refuses_the_options_it_would_ignore(capsys, extra, named):
    assert main(["derive", str(DERIVATIONS / "003-padhai-442" / "network.toml"), "--matrix", *extra]) == 2
    err = capsys.readouterr().err
    assert named in err and err.count("\n") == 1


def test_a_network_file_saved_with_a_byte_order_mark_is_read(tmp_path, capsys):
    path = tmp_path / "net.toml"  # Notepad's "UTF-8 with BOM"
    path.write_bytes(b"\xef\xbb\xbfwidths = [2, 1]\r\nactivations = [\"sigmoid\"]\r\ncost = \"half_sse\"\r\n")
    assert main(["check", str(path)]) == 0
    assert "OK: all 3 gradients" in capsys.readouterr().out


def test_output_piped_into_head_ends_quietly():
    # `symbp verify ... | head -2` printed "internal error: BrokenPipeError" (the handler for it came
    # after the catch-all and was never reached)
    claims = DERIVATIONS.parent / "tests" / "data" / "claims_example.toml"
    proc = subprocess.Popen([sys.executable, "-m", "symbp.cli", "verify", str(claims)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("example_doc.md: 18 claims")
    proc.stdout.close()  # as head does after its lines
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert err == "" and proc.returncode == 0
