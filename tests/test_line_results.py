"""The one line-result rule, on a real report's findings: what each finding makes of its
line with and without the inspector's verdict, and the conclusion the lines propose."""

from __future__ import annotations

import pytest
from datapaths import SEEDS_DIR

from core.catalogue import CHECK_BY_ID, CONDITIONS, line_of
from core.checker import check
from core.extract import extract_file
from core.line_results import (
    evaluate,
    finding_result,
    open_line_counts,
    proposed_conclusion,
    proposed_from_failed,
)
from core.model import NUMBER
from core.vocabulary import FAIL, NOT_APPLICABLE, PASS, PENDING, UNKNOWN

LATE_SEED = SEEDS_DIR / "004_63ccf7678e3c990e.txt"  # late, a missing section, blank cells


@pytest.fixture(scope="module")
def report():
    r = extract_file(LATE_SEED)
    # Blanks count as 0 (A5), so this seed's blank breakdown holds every sum; a 总计 of 5
    # over it is the sum that cannot be judged (as an inspector's correction would make it).
    total = r.cells["t3.r3_1.total"]
    total.value, total.raw, total.kind = 5, "5", NUMBER
    r.findings = check(r)
    return r


def _by_rule(report, rule: str):
    return next(f for f in report.findings if f.rule == rule)


def test_each_finding_by_severity_and_verdict(report) -> None:
    late = _by_rule(report, "publication.late")  # an error
    preamble = _by_rule(report, "preamble.incomplete")  # a warning
    blank_sum = _by_rule(report, "t3.row_sum")  # uncertain: a total over blank parts
    assert (late.severity, preamble.severity, blank_sum.status) == ("error", "warning",
                                                                    "uncertain")
    assert finding_result(late, None) == FAIL
    assert finding_result(preamble, None) == PENDING
    assert finding_result(blank_sum, None) == UNKNOWN
    for f in (late, preamble, blank_sum):
        assert finding_result(f, "confirmed") == FAIL
        assert finding_result(f, "dismissed") == PASS


def test_lines_and_the_proposed_conclusion_follow_the_verdicts(report) -> None:
    lines = {ln.id: ln for ln in evaluate(report)}
    assert (lines["C21"].status, lines["C28"].status, lines["C11"].status) == (
        FAIL, PENDING, UNKNOWN)
    assert lines["C08"].status == NOT_APPLICABLE  # a 2019-format report
    assert proposed_conclusion(list(lines.values())) == "不合格"  # C21 late: 不合格 line
    errors = {f.fingerprint: "dismissed" for f in report.findings if f.severity == "error"}
    lines = {ln.id: ln for ln in evaluate(report, verdicts=errors)}
    assert lines["C21"].status == PASS and lines["C28"].status == PENDING
    assert proposed_conclusion(list(lines.values())) == "合格"
    counts = open_line_counts(report.findings, errors)
    assert counts == {FAIL: 0, PENDING: sum(1 for ln in lines.values() if ln.status == PENDING)}


def test_conclusion_from_failed_lines_and_the_offices_choice() -> None:
    assert proposed_from_failed([]) == "合格"
    assert proposed_from_failed(["C13"]) == "需整改"
    assert proposed_from_failed(["C13", "C05"]) == "不合格"
    assert proposed_from_failed(["C13"], unqualifying=["C13"]) == "不合格"
    assert proposed_from_failed(["C05"], unqualifying=[]) == "需整改"


def test_catalogue_applicability_is_data(report) -> None:
    for c in CHECK_BY_ID.values():
        assert all(name in CONDITIONS for name in c.needs), c.id
    assert all(line_of(f).id == f.check for f in report.findings if f.check)


def test_correction_marks_are_the_value_semantics_marks() -> None:
    from core.correction_values import MARKS
    from core.values import NA_MARKS, is_na_mark

    # A correction accepts fewer marks than a document may print, never other ones.
    assert set(MARKS) <= NA_MARKS and all(is_na_mark(m) for m in MARKS.values())
