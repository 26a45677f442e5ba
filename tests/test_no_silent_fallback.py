"""A checker that cannot load is an error, never "no findings" (a clean-looking report).

``sys.modules[name] = None`` is how Python itself marks a module that must not import:
``import core.checker`` then raises ImportError, as a broken module under core/checks would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from datapaths import SEEDS_DIR

from core.extract import extract_file
from core.pipeline import analyse
from core.store import default_checker, open_store

SEED0 = SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"


def test_the_store_does_not_store_an_unchecked_report(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    report = extract_file(SEED0)
    monkeypatch.setitem(sys.modules, "core.checker", None)
    with pytest.raises(ImportError):
        default_checker(report, None)  # the store's checker: no "[]" for a missing checker
    monkeypatch.undo()
    with open_store(tmp_path / "reviews.sqlite") as store:
        monkeypatch.setitem(sys.modules, "core.checker", None)
        with pytest.raises(ImportError):
            store.add_report(report, SEED0.read_bytes(), SEED0)
        monkeypatch.undo()
        assert store.count_reports() == 0


def test_analyse_does_not_call_an_unchecked_report_clean(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setitem(sys.modules, "core.checker", None)
    with pytest.raises(ImportError):
        analyse(SEED0)
