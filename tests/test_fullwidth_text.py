"""Full-width punctuation in every text a person reads (house rule, issue 16).

Chinese text uses ，：；（）: a half-width , : ; ( or ) right next to a Chinese character is
wrong. The outputs are rendered for real from the three real reports (the CLI's human
output, the checklist as HTML and JSON, the notice, circular and combined tables read back
from their DOCX/XLSX, the check catalogue, the CLI's errors for bad input) and searched.

The rule and its narrow allowances: tests/fullwidth.py.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from docx import Document
from fullwidth import half_width_hits
from office_db import HONGZE_2023, build, copy_of, run

from core import catalogue
from core.checklist_html import checklist_html, summary_html
from core.checklist_paper import checklist_paper, summary_paper
from core.store import open_store


def test_the_search_finds_what_the_issue_saw_and_spares_numbers() -> None:
    assert half_width_hits("审查发现:2 个错误,5 个警告") == ["审查发现:2 个错误,5 个警告"]
    assert half_width_hits("数据库:") and half_width_hits("(一)予以公开")
    assert half_width_hits("应报单位 2 个(按名单)")
    clean = ("审查发现：2 个错误，5 个提示；表四「行政复议·总计」（10+1+0+0 ≠ 12）"
             "国办公开办函〔2021〕30号 2024-01-31 huaian-city-gov-2024.pdf (PDF, 5 pages) "
             "正文称「2024年,区政府办受理申请17件」，即……")
    assert half_width_hits(clean) == []
    assert half_width_hits("文件(&F)  审查数据库 (*.sqlite *.db);;所有文件 (*)") == []


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("fullwidth"))


@pytest.fixture
def db(real_db: Path, tmp_path: Path) -> Path:
    return copy_of(real_db, tmp_path)


def _ids(db: Path) -> list[int]:
    with open_store(db) as s:
        return sorted(r["id"] for r in s.list_reports())


def _ok(*argv: str) -> str:
    code, out, err = run(*argv)
    assert code in (0, 1), err
    return out + err


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        parts += [p.text for p in [*section.header.paragraphs, *section.footer.paragraphs]]
    return "\n".join(parts)


def _html_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def test_cli_human_output(db: Path) -> None:
    texts = [_ok("list", "--db", str(db)), _ok("overview", "--db", str(db)),
             _ok("agencies", "list", "--db", str(db)), _ok("settings", "--db", str(db)),
             _ok("check", str(HONGZE_2023))]
    for rid in _ids(db):
        texts.append(_ok("show", str(rid), "--db", str(db)))
        texts.append(_ok("history", str(rid), "--db", str(db)))
        texts.append(json.dumps(json.loads(_ok("checklist", str(rid), "--format", "json",
                                                "--db", str(db))), ensure_ascii=False))
    assert half_width_hits("\n".join(texts)) == []


def test_checklist_and_summary_pages(db: Path) -> None:
    with open_store(db) as s:
        ids = _ids(db)
        pages = [checklist_html(checklist_paper(s, rid, profile=profile))
                 for rid in ids for profile in ("全国", "四川", "广东")]
        pages.append(summary_html(summary_paper(s, ids)))
    assert half_width_hits("\n".join(map(_html_text, pages))) == []


def test_notice_circular_and_combined_tables(db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ids = [str(i) for i in _ids(db)]
    notice, circular = tmp_path / "notice.docx", tmp_path / "circular.docx"
    combined, combined_xlsx = tmp_path / "combined.docx", tmp_path / "combined.xlsx"
    texts = [_ok("notice", *ids, "--db", str(db), "--docx", str(notice)),
             _ok("circular", "--year", "2024", "--db", str(db), "--docx", str(circular)),
             _ok("combine", "--year", "2024", "--db", str(db), "--docx", str(combined),
                 "--xlsx", str(combined_xlsx))]
    texts += [_docx_text(p) for p in (notice, circular, combined)]
    book = load_workbook(combined_xlsx, read_only=True)
    texts += [str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
              for v in row if isinstance(v, str)]
    assert half_width_hits("\n".join(texts)) == []


def test_catalogue_labels_and_bases() -> None:
    texts: list[str] = list(catalogue.GROUP_SHORT.values())
    for check in [*catalogue.CHECKS, catalogue.OTHER]:
        texts += [check.group, check.label, check.national_basis]
        texts += [check.basis(profile, fmt) for profile in ("全国", "四川", "广东")
                  for fmt in ("2019", "2021")]
    texts += [c.note for c in catalogue.CONDITIONS.values() if isinstance(c.note, str)]
    assert half_width_hits("\n".join(texts)) == []


def test_cli_errors_for_bad_input(db: Path, tmp_path: Path) -> None:
    not_a_report = tmp_path / "通知.txt"
    not_a_report.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    binary = tmp_path / "坏文件.pdf"
    binary.write_bytes(b"\x00\x01\x02 not a pdf")
    units = tmp_path / "名单.xlsx"
    units.write_text("单位名称,层级\n", encoding="utf-8")
    d = ("--db", str(db))
    texts = []
    for argv in (("show", "99", *d), ("correct", "1", "不存在的格", "5", *d),
                 ("correct", "1", "表三「一、本年新收·总计」", "很多", *d),
                 ("verdict", "1", "zzzz", "确认", *d), ("undo", "1", *d),
                 ("import", str(not_a_report), str(binary), str(tmp_path / "没有.pdf"), *d),
                 ("check", str(binary)), ("check", str(not_a_report)),
                 ("overview", "--units", str(units), *d),
                 ("overview", "--units", str(tmp_path / "没有.csv"), *d),
                 ("checklist", "99", "--pdf", str(tmp_path / "x.pdf"), *d),
                 ("notice", "99", "--docx", str(tmp_path / "n.docx"), *d),
                 ("circular", "--year", "1800", "--docx", str(tmp_path / "c.docx"), *d),
                 ("combine", "--year", "1800", "--docx", str(tmp_path / "c.docx"), *d)):
        code, out, err = run(*argv)
        assert code != 0 or argv[0] == "undo", (argv, out, err)
        assert err.strip() or out.strip(), argv
        texts.append(out + err)
    assert half_width_hits("\n".join(texts)) == []
