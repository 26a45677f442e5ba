"""The test data is inside the repository, complete, and the only place tests read it from."""

from __future__ import annotations

import json
import re

from datapaths import (
    BLANK_TEMPLATE,
    DEV_CORPUS,
    REAL_DIR,
    REPO_ROOT,
    REPORT_JSON_SPEC,
    RULES_SPEC,
    SEEDS_DIR,
    SPEC_DIR,
    TEMPLATES_JSON,
)

# A path that leaves the checkout for the reference material once kept beside it
# (spelt in two pieces so that this file does not match itself).
_BESIDE = "sh" + "ared"
OUTSIDE = re.compile(rf"""\.\./{_BESIDE}|/{_BESIDE}/|["']{_BESIDE}["']""")


def test_dev_corpus_is_complete() -> None:
    truths = sorted(DEV_CORPUS.glob("*.truth.json"))
    assert len(truths) == 36
    for truth in truths:
        source = json.loads(truth.read_text(encoding="utf-8"))["source"]
        assert (DEV_CORPUS / source["file"]).is_file(), source["file"]
    assert (DEV_CORPUS.parent / "README.md").is_file()


def test_seeds_real_reports_and_blank_template_are_present() -> None:
    assert len(list(SEEDS_DIR.glob("*.txt"))) == 5
    assert len(list(REAL_DIR.glob("*.pdf"))) == 3
    assert BLANK_TEMPLATE.is_file()
    assert (REAL_DIR / "SOURCES.md").is_file()


def test_spec_is_in_docs() -> None:
    for path in (TEMPLATES_JSON, REPORT_JSON_SPEC, RULES_SPEC):
        assert path.parent == SPEC_DIR and path.stat().st_size > 1000, path


def test_program_labels_are_the_spec_labels() -> None:
    """One program copy of templates.json (wherever the program keeps it), equal to the spec."""
    spec = json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))
    not_program = ("docs", "tests", "build", "dist")  # build/, dist/: packaging output
    program = [d for d in REPO_ROOT.iterdir()
               if d.is_dir() and not d.name.startswith(".") and d.name not in not_program
               and not d.name.endswith(".egg-info")]
    copies = [p for d in program for p in d.rglob("templates.json")]
    assert len(copies) == 1, copies
    assert json.loads(copies[0].read_text(encoding="utf-8")) == spec


def test_no_test_or_benchmark_reads_outside_the_repository() -> None:
    offenders = []
    for folder in ("tests", "benchmarks"):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if OUTSIDE.search(line):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert offenders == []
