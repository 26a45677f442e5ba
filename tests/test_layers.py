"""The layers import only downward: core < render < cli, gui (main.py dispatches).

Every import of every module is read from its syntax tree (``ast``), those inside
functions and ``importlib.import_module("…")`` calls included, so a lazy import that
crosses a layer is caught too (importing the modules would not see it). The ruff rules
(banned-api in pyproject.toml, render/ruff.toml, cli/ruff.toml, gui/ruff.toml) say the
same for the editor; this test is the proof.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QT = {"PySide6", "shiboken6", "pyqtgraph"}

# What each layer may never import (top-level package names).
FORBIDDEN: dict[str, set[str]] = {
    "core": QT | {"render", "cli", "gui"},
    "render": {"pyqtgraph", "cli", "gui"},  # Qt's paint devices without widgets: allowed
    "cli": QT | {"gui"},
    "gui": {"cli"},
}
# Known crossings, each with the reason it is still there. Keep this empty when you can.
EXCEPTIONS: set[tuple[str, str]] = set()


def imports_of(path: Path, root: Path = REPO) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
        elif isinstance(node, ast.Call) and _is_import_module(node.func) and node.args \
                and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            found.append((node.lineno, node.args[0].value))
    return found


def _is_import_module(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__"))


def crossings(root: Path = REPO) -> list[str]:
    out = []
    for layer, banned in FORBIDDEN.items():
        folder = root / layer
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            for line, module in imports_of(path, root):
                top = module.split(".")[0]
                if top in banned and (rel, module) not in EXCEPTIONS:
                    out.append(f"{rel}:{line} imports {module}")
    return out


def test_every_layer_imports_only_downward() -> None:
    assert crossings() == []


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The walker itself: a lazy import, a relative one and import_module are all found."""
    (tmp_path / "core" / "readers").mkdir(parents=True)
    probe = tmp_path / "core" / "readers" / "probe.py"
    probe.write_text(
        "import importlib\n"
        "def f():\n"
        "    from gui.printing import print_checklist\n"
        "    import PySide6.QtGui\n"
        "    return importlib.import_module('cli.main')\n"
        "from ..model import Report\n", encoding="utf-8")
    found = {m for _, m in imports_of(probe, tmp_path)}
    assert {"gui.printing", "PySide6.QtGui", "cli.main", "core.model"} <= found
    assert crossings(tmp_path) == ["core/readers/probe.py:3 imports gui.printing",
                                   "core/readers/probe.py:4 imports PySide6.QtGui",
                                   "core/readers/probe.py:5 imports cli.main"]


def test_the_grep_of_the_issue_finds_nothing_in_core() -> None:
    """``grep -rn "import gui\\|from gui\\|import cli\\|from cli" core/``, as text."""
    hits = [f"{p.relative_to(REPO)}:{n}"
            for p in sorted((REPO / "core").rglob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if any(w in line for w in ("import gui", "from gui", "import cli", "from cli"))]
    assert hits == []
