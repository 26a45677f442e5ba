"""core/ must stay importable without Qt: the CLI runs on servers with no display."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Runs in a fresh interpreter so nothing the test session imported (pytest-qt loads PySide6)
# can hide an import. walk_packages finds every module, so new ones are covered as they appear.
PROBE = """
import importlib, json, pkgutil, sys
import core

def fail(name):
    raise ImportError(f"cannot import {name}")

names = ["core"]
for info in pkgutil.walk_packages(core.__path__, "core.", onerror=fail):
    importlib.import_module(info.name)
    names.append(info.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph"))
print(json.dumps({"modules": names, "qt": qt}))
"""


def test_core_imports_no_qt(repo_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert "core.readers" in report["modules"]
    assert report["qt"] == [], f"core pulled in Qt: {report['qt']}"
