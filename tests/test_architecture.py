"""The two sides stay apart: the automatic engines never reach the hand-derived rules, and back.

A static walk of the import statements (module level and inside functions) of
every module in ``symbp/``; a violation names the chain of imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symbp"

AUTOMATIC = {"symbp.autodiff", "symbp.matrixcalc"}  # the engines: chain rule with SymPy's derivatives
HAND = {"symbp.backprop", "symbp.rules"}  # the equations and the table of hand-derived rules


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("symbp")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("symbp"):
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}  # "from . import rules"
    return found


GRAPH = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}
MODULES = set(GRAPH)


def _reachable(start: str) -> dict[str, str]:
    """Every module reachable from ``start``, each mapped to the module that imports it."""
    parent, stack = {start: ""}, [start]
    while stack:
        module = stack.pop()
        for target in GRAPH.get(module, ()):
            if target in MODULES and target not in parent and target != "symbp":
                parent[target] = module
                stack.append(target)
    return parent


def _chain(parent: dict[str, str], end: str) -> str:
    chain = [end]
    while parent[chain[-1]]:
        chain.append(parent[chain[-1]])
    return " <- ".join(chain)


@pytest.mark.parametrize("engine", sorted(AUTOMATIC))
def test_automatic_side_never_reaches_the_hand_side(engine):
    reach = _reachable(engine)
    bad = sorted(set(reach) & HAND)
    assert not bad, [_chain(reach, b) for b in bad]


@pytest.mark.parametrize("hand", sorted(HAND))
def test_hand_side_never_reaches_the_automatic_side(hand):
    reach = _reachable(hand)
    bad = sorted(set(reach) & AUTOMATIC)
    assert not bad, [_chain(reach, b) for b in bad]


def test_the_walk_sees_real_imports():
    # The walk must find known edges, or the tests above would pass vacuously.
    assert "symbp.program" in _reachable("symbp.autodiff")
    assert "symbp.rules" in _reachable("symbp.build")
    assert "symbp.matrixexpr" in _reachable("symbp.matrixcalc")
    assert {"symbp.autodiff", "symbp.backprop"} <= set(_reachable("symbp.check"))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_compiles_without_warnings(path):
    # an invalid escape such as "\d" in a docstring is a DeprecationWarning now and an error later
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_text_is_ever_parsed_as_python(path):
    # sympify of a string runs SymPy's parser (eval underneath): every call converts objects only
    calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in
             ("sympify", "parse_expr", "eval")]
    for call in calls:
        name = getattr(call.func, "attr", getattr(call.func, "id", ""))
        if name == "sympify":
            assert any(k.arg == "strict" and getattr(k.value, "value", None) is True for k in call.keywords), \
                f"{path.name}:{call.lineno}: sympify without strict=True"
        elif name in ("parse_expr", "eval"):
            raise AssertionError(f"{path.name}:{call.lineno}: {name}(...) on text")
