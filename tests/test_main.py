"""main.py: without a display the GUI path explains itself in one line instead of crashing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _env_without_display() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="always has a display")
def test_no_display_one_line_exit_2(repo_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=repo_root,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "main.py extract" in lines[0]
    assert result.stdout == ""


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="always has a display")
def test_no_display_does_not_import_qt(repo_root: Path) -> None:
    probe = (
        "import sys, main\n"
        "rc = main.main(['main.py'])\n"
        "print(rc, sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=repo_root,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "2 []", result.stdout + result.stderr


def test_arguments_go_to_the_cli(repo_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--help"],
        cwd=repo_root,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "extract" in result.stdout
