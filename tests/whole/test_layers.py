"""The house: evidence → answers → output → command line, and imports only downward.

A lower layer that imports a higher one (or a library of a higher one: the answers never print,
so they need neither rich nor typer) fails here, naming the file and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "crpscli"
# Each layer, and what it may import besides itself and the layers below it.
LAYERS = ["evidence", "answers", "output", "cli"]
FORBIDDEN_LIBRARIES = {"evidence": {"rich", "typer"}, "answers": {"rich", "typer", "yaml"}, "output": {"typer"}}


def layer_of(module: str) -> str:
    """The layer of a module path within crpscli ("evidence.cache" -> evidence; cli, edge -> cli)."""
    head = module.split(".")[0]
    return head if head in LAYERS[:3] else "cli"


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in a file, relative imports resolved."""
    package = list(path.relative_to(root).parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.append((node.lineno, node.module or ""))
                continue
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = ".".join(["crpscli", *base, *([node.module] if node.module else [])])
            if node.module is None:  # from . import x, y: each name is a module or a name of the package
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return found


def violations(path: Path, root: Path = PACKAGE) -> list[str]:
    """Every import of this file that goes up a layer, as "file:line: layer imports module"."""
    where = path.relative_to(root)
    layer = layer_of(".".join(where.with_suffix("").parts))
    allowed = LAYERS[: LAYERS.index(layer) + 1]
    found = []
    for line, imported in imports_of(path, root):
        top = imported.split(".")[0]
        if top in FORBIDDEN_LIBRARIES.get(layer, set()):
            found.append(f"{where}:{line}: {layer} imports {imported}")
        if top != "crpscli" or imported in ("crpscli",):
            continue
        inner = imported.removeprefix("crpscli.")
        if inner in ("DATA_DATE", "__version__"):  # the package's own constants, below every layer
            continue
        if layer_of(inner) not in allowed:
            found.append(f"{where}:{line}: {layer} imports {imported}")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_only_downward(path):
    assert violations(path) == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The walk itself: an evidence module importing the output layer, or rich, is reported."""
    (tmp_path / "evidence").mkdir()
    bad = tmp_path / "evidence" / "bad.py"
    bad.write_text("from ..output.formats import Format\nimport rich\nfrom . import base\n", encoding="utf-8")
    assert violations(bad, tmp_path) == [
        "evidence/bad.py:1: evidence imports crpscli.output.formats",
        "evidence/bad.py:2: evidence imports rich",
    ]


def test_every_module_belongs_to_a_layer():
    rooms = {p.relative_to(PACKAGE).parts[0] for p in MODULES}
    assert rooms == {"__init__.py", "__main__.py", "cli.py", "edge.py", "evidence", "answers", "output"}
