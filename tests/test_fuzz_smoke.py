"""A quick run of the fuzz harness: 60 mutants of real reports, each a report or a clear
error (no traceback, hang or crash). The full run is ``python tests/fuzz/fuzz_readers.py``
(1,000 mutants)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))

from fuzz_readers import FAILURES, run  # noqa: E402


def test_sixty_mutants_give_reports_or_clear_errors(tmp_path: Path) -> None:
    out = io.StringIO()
    results = run(60, seed=20261123, jobs=2, timeout=60, quick=True, keep=tmp_path, out=out)
    assert len(results) == 60
    failures = [r for r in results if r.outcome in {c.__name__ for c in FAILURES}]
    assert not failures, out.getvalue()
    outcomes = {r.outcome for r in results}
    assert "ok" in outcomes and len(outcomes) >= 3  # the mutants do break things
