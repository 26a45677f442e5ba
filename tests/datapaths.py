"""Where tests, benchmarks and the fuzz harness find their data: inside the repository.

The project was given reference material: the JSON contract, the rules and the official
template labels (copied to ``docs/spec/``, for people and tests; the program's own copy of
the labels is the one it loads at run time), five seed reports, the dev corpus (36
generated reports with their truth files), three real published reports and the blank
template (copied byte for byte to ``tests/data/``). A fresh clone therefore tests with
nothing beside it; a missing file is a failure, never a skip.

Tests import it as ``from datapaths import DEV_CORPUS`` (pytest puts ``tests/`` on the
path); scripts outside ``tests/`` first add ``tests/`` to ``sys.path``.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

SPEC_DIR = REPO_ROOT / "docs" / "spec"
TEMPLATES_JSON = SPEC_DIR / "templates.json"  # the official labels, both formats
REPORT_JSON_SPEC = SPEC_DIR / "report-json.md"  # the JSON contract
RULES_SPEC = SPEC_DIR / "rules.md"  # the law and format behind the checks

DATA_DIR = REPO_ROOT / "tests" / "data"
SEEDS_DIR = DATA_DIR / "seeds"  # five text dumps of real-looking reports
CORPUS_DIR = DATA_DIR / "corpus"
DEV_CORPUS = CORPUS_DIR / "dev"  # ID.EXT with its truth in ID.truth.json
REAL_DIR = CORPUS_DIR / "real"  # three real published PDFs and the blank template
BLANK_TEMPLATE = REAL_DIR / "template-blank.docx"  # not a report: the empty 2021 form

