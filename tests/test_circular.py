"""The circular (通报) read back with python-docx; the indicators across agencies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from office_db import build, copy_of, run

from core.indicators import MIN_BASE, TOO_SMALL, Rate, compute, indicator_values
from core.store import open_store

HONGZE = "淮安市洪泽区人民政府"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("circular"))


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    return copy_of(built, tmp_path)


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _listed(db: Path, year: int) -> list[dict[str, str]]:
    """``main.py list --year`` as rows of its printed columns."""
    code, out, err = run("list", "--year", str(year), "--db", str(db))
    assert code == 0, err
    lines = out.splitlines()
    head = lines[0].split()
    return [dict(zip(head, ln.split(), strict=False)) for ln in lines[2:] if ln.strip()]


def _count(text: str, what: str) -> int:
    return int(re.search(f"{what} (\\d+)", text).group(1))  # type: ignore[union-attr]


def test_the_2023_circular_counts_match_the_list(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    code, said, err = run("circular", "--year", "2023", "--docx", str(out), "--db", str(db),
                          "--office", "淮安市政务公开办公室", "--date", "2025-05-06")
    assert code == 0, err
    text = _text(out)
    listed = _listed(db, 2023)
    assert _count(text, "收到年度报告") == len(listed) == 1
    assert _count(text, "其中已完成审查") == sum(r["状态"] == "已审" for r in listed) == 0
    # 需整改: the report has errors (list's 错误 column), nobody has set a conclusion.
    with_errors = sum(int(r["错误"]) > 0 for r in listed)
    assert _count(text, "需整改") == with_errors == 1
    assert _count(text, "合格") == 0
    assert _count(text, "发布日期不明") == 1  # no date printed in the PDF
    # Not published per the register: the city has a 2024 report but none for 2023.
    assert "未报送年度报告的单位：淮安市人民政府。" in text
    assert HONGZE in text and "表四" in text and "需整改*" in text
    assert "公开率" in text and "2025年5月6日" in text
    assert "收到报告 1 份" in said


def test_reviewed_and_concluded_reports_are_counted_so(db: Path, tmp_path: Path) -> None:
    with open_store(db) as s:
        ids = {r["agency"]: r["id"] for r in s.list_reports(year=2024)}
        s.set_status(ids[HONGZE], "已审", reviewer="王审查")
        s.set_conclusion(ids["淮安市人民政府"], "不合格", reason="正文与统计表多处不一致",
                         reviewer="王审查")
    out = tmp_path / "c.docx"
    code, _, err = run("circular", "--year", "2024", "--docx", str(out), "--db", str(db))
    assert code == 0, err
    text = _text(out)
    listed = _listed(db, 2024)
    assert _count(text, "收到年度报告") == len(listed) == 2
    assert _count(text, "其中已完成审查") == sum(r["状态"] == "已审" for r in listed) == 1
    assert _count(text, "不合格") == 1 and "不合格*" not in text
    assert "应报送单位均已报送年度报告。" in text
    code, _, err = run("circular", "--year", "2019", "--docx", str(out), "--db", str(db))
    assert code == 2 and "没有符合条件的2019年度报告" in err


def test_indicators_rank_compare_and_refuse_a_small_base(db: Path) -> None:
    with open_store(db) as s:
        ind = compute(s, 2024)
        rows = {r.agency: r for r in ind.rows}
        hz, city = rows[HONGZE], rows["淮安市人民政府"]
        values = s.effective_values(hz.report_id)
        opened = values["t3.r3_1.total"] + values["t3.r3_2.total"]
        assert hz.values["open_rate"].rate == pytest.approx(opened / values["t3.r3_7.total"])
        # 复议 审结 1+… < 10: shown as too small, not ranked.
        assert hz.values["correction_rate"].too_small
        assert "correction_rate" not in hz.rank and city.rank["correction_rate"] == 1
        assert hz.values["correction_rate"].text().startswith(TOO_SMALL)
        # Ranked by rate, highest first.
        assert [r.agency for r in ind.ranked("open_rate")] == sorted(
            rows, key=lambda a: -rows[a].values["open_rate"].rate)
        # Year over year through the register (洪泽区人民政府 2023 is the same agency).
        before = indicator_values(s.effective_values(
            next(r["id"] for r in s.list_reports(year=2023))))
        assert hz.change("open_rate") == pytest.approx(
            (hz.values["open_rate"].rate - before["open_rate"].rate) * 100)
        assert city.change("open_rate") is None and city.change_text("open_rate") == "—"
        # The area: numerators and denominators summed.
        area = ind.area["open_rate"]
        assert area.numerator == sum(r.values["open_rate"].numerator for r in ind.rows)
    assert Rate(3, MIN_BASE - 1).too_small and not Rate(3, MIN_BASE).too_small
    assert Rate(None, 5).text() == "数据不全"
