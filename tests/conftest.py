"""Shared test set-up. Qt runs offscreen unless the caller chose a platform."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports Qt: tests must run on machines without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
