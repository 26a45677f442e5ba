"""The review database on real SQLite files with real reports (dev corpus and seeds).

Import, revisions, corrections with undo and history, effective values, findings
recomputed after a correction with verdicts surviving, full-text search, and one
transaction per import / correction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS, SEEDS_DIR

from core.contract import to_contract
from core.extract import extract_file
from core.migrations import SCHEMA_VERSION
from core.model import Finding, Report
from core.store import IN_REVIEW, NotFound, ReportStore, open_store

DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
SEED0 = SEEDS / "000_e5f3c57cfcf76f91.txt"
# A 2019-format report whose table 三 does not balance (法律服务机构 and 总计 columns:
# 上年结转 1, nothing processed, nothing carried over).
UNBALANCED = DEV / "027_c19402df.docx"
# One file of each kind the readers handle.
BY_KIND = [DEV / "001_10e7db0a.docx", DEV / "002_2a29e4d1.pdf", DEV / "008_b936ac4b.html",
           DEV / "006_a2d54df1.txt", SEED0]


@pytest.fixture
def store(tmp_path: Path) -> ReportStore:
    s = open_store(tmp_path / "review.sqlite")
    yield s
    s.close()


def _add(store: ReportStore, path: Path) -> int:
    report = extract_file(path)
    return store.add_report(report, path.read_bytes(), path).report_id


def _count(store: ReportStore, table: str) -> int:
    return store.db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_new_database_is_wal_with_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "folder" / "review.sqlite"
    with open_store(path) as s:
        assert s.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.schema_version() == SCHEMA_VERSION
    assert path.is_file()


def test_same_file_twice_adds_nothing(store: ReportStore, tmp_path: Path) -> None:
    first = store.add_report(extract_file(SEED0), SEED0.read_bytes(), SEED0)
    counts = {t: _count(store, t) for t in ("reports", "files", "cells", "findings", "documents")}
    # The same bytes under another name are the same file.
    copy = tmp_path / "copy of seed.txt"
    copy.write_bytes(SEED0.read_bytes())
    again = store.add_report(extract_file(copy), copy.read_bytes(), copy)
    assert first.created and not again.created
    assert again.report_id == first.report_id
    assert {t: _count(store, t) for t in counts} == counts
    sha = hashlib.sha256(SEED0.read_bytes()).hexdigest()
    assert store.known_sha256() == {sha}
    assert store.find_sha256(sha) == first.report_id


def test_different_file_same_agency_and_year_is_a_new_revision(store: ReportStore,
                                                              tmp_path: Path) -> None:
    first = store.add_report(extract_file(SEED0), SEED0.read_bytes(), SEED0)
    edited = tmp_path / "seed-republished.txt"
    edited.write_bytes(SEED0.read_bytes() + "\n(2021年2月重新发布)\n".encode())
    second = store.add_report(extract_file(edited), edited.read_bytes(), edited)
    assert second.created and second.report_id != first.report_id
    assert (first.revision, second.revision) == (1, 2)
    listed = store.list_reports(agency="大渡口区科学技术局", year=2020)
    assert sorted(r["revision"] for r in listed) == [1, 2]
    # The files' bytes are kept, each once, whatever happens to the originals.
    assert store.file_content(second.report_id) == edited.read_bytes()
    edited.unlink()
    assert store.file_content(first.report_id) == SEED0.read_bytes()
    assert _count(store, "files") == 2


@pytest.mark.parametrize("path", BY_KIND, ids=lambda p: p.suffix)
def test_effective_report_round_trips_every_field(store: ReportStore, path: Path) -> None:
    report = extract_file(path)
    rid = store.add_report(report, path.read_bytes(), path).report_id
    back = store.effective_report(rid, with_findings=False)
    # Everything the contract prints (cells with kind, raw text, location, confidence;
    # facts, sections, tables, notes) comes back from the database as it went in.
    assert to_contract(back) == to_contract(report)
    assert back.text == report.text and back.section_text == report.section_text
    assert back.is_government == report.is_government


def test_correction_undo_and_history(store: ReportStore) -> None:
    rid = _add(store, SEED0)
    extracted = store.effective_values(rid)
    key = "t3.new.natural"
    assert extracted[key] == 0

    r1 = store.correct(rid, key, 3, reviewer="张三", reason="原文为 3")
    r2 = store.correct(rid, key, 4, reviewer="李四", reason="复核")
    assert (r1.before, r1.after, r2.before, r2.after) == (0, 3, 3, 4)
    assert store.effective_values(rid)[key] == 4
    assert store.get_report(rid)["status"] == IN_REVIEW  # correcting starts the review
    # Setting the value it already has records nothing.
    assert store.correct(rid, key, 4).correction_id is None

    u1 = store.undo(rid, reviewer="张三")
    assert u1 is not None and (u1.before, u1.after) == (4, 3)
    assert store.effective_values(rid)[key] == 3
    u2 = store.undo(rid)
    assert u2 is not None and (u2.before, u2.after) == (3, 0)
    assert store.effective_values(rid) == extracted
    assert store.undo(rid) is None  # nothing left

    history = store.history(rid)
    assert [(h["before"], h["after"]) for h in history] == [(0, 3), (3, 4), (4, 3), (3, 0)]
    assert [h["undoes"] for h in history] == [None, None, r2.correction_id, r1.correction_id]
    assert history[0]["undone_by"] == u2.correction_id
    assert history[0]["reviewer"] == "张三" and history[0]["reason"] == "原文为 3"
    # The extracted value itself was never overwritten.
    stored = store.db.conn.execute("SELECT value FROM cells WHERE report_id = ? AND key = ?",
                                   [rid, key]).fetchone()[0]
    assert stored == "0"


def test_effective_values_keep_types_and_marks(store: ReportStore) -> None:
    rid = _add(store, SEED0)
    store.correct(rid, "t2.procurement.amount", 172700.0)
    store.correct(rid, "t3.new.research", None)
    store.correct(rid, "t3.new.social", "/")
    cells = {c.key: c for c in store.cells(rid)}
    assert cells["t2.procurement.amount"].value == 172700.0
    assert isinstance(cells["t2.procurement.amount"].value, float)
    assert cells["t3.new.research"].value is None and cells["t3.new.research"].corrected
    assert cells["t3.new.social"].value == "/"
    report = store.effective_report(rid)
    assert report.cells["t3.new.research"].kind == "blank"
    assert report.cells["t3.new.social"].kind == "na"
    assert report.cells["t3.new.natural"].value == 0 and not cells["t3.new.natural"].corrected


def test_unknown_report_or_cell(store: ReportStore) -> None:
    rid = _add(store, SEED0)
    with pytest.raises(NotFound):
        store.correct(rid, "t9.nothing.here", 1)
    with pytest.raises(NotFound):
        store.correct(rid + 100, "t3.new.total", 1)
    assert _count(store, "corrections") == 0


def _by_fp(findings: list) -> dict[str, Finding]:
    return {sf.finding.fingerprint: sf.finding for sf in findings}


def test_findings_recomputed_after_correction_and_verdicts_survive(store: ReportStore) -> None:
    rid = _add(store, UNBALANCED)
    findings = store.findings(rid)
    balance = {f.finding.cells[0]: f.finding for f in findings
               if f.finding.rule == "t3.balance"}
    assert set(balance) == {"t3.new.legal", "t3.new.total"}
    legal, total = balance["t3.new.legal"], balance["t3.new.total"]
    assert store.get_report(rid)["n_errors"] >= 2

    store.set_verdict(rid, legal.fingerprint, "confirmed", reviewer="张三")
    other = next(f.finding for f in findings if f.finding.severity == "warning")
    store.set_verdict(rid, other.fingerprint, "dismissed", reason="格式允许", reviewer="张三")

    # 上年结转 of the 法律服务机构 column was misread: 0, not 1.
    res = store.correct(rid, "t3.carried_in.legal", 0, reason="原表为 0")
    assert legal.fingerprint in {f.fingerprint for f in res.removed}
    now = _by_fp(store.findings(rid))
    assert legal.fingerprint not in now and total.fingerprint in now

    # The re-check kept the verdicts; undoing brings the finding back, verdict and all.
    store.undo(rid)
    after = {sf.finding.fingerprint: sf for sf in store.findings(rid)}
    assert after[legal.fingerprint].verdict == "confirmed"
    assert after[other.fingerprint].verdict == "dismissed"
    assert after[other.fingerprint].reason == "格式允许"
    store.recheck(rid)
    assert {sf.finding.fingerprint: sf.verdict for sf in store.findings(rid)}[
        other.fingerprint] == "dismissed"


def test_dismissed_findings_do_not_count(store: ReportStore) -> None:
    rid = _add(store, UNBALANCED)
    errors = [sf.finding for sf in store.findings(rid)
              if sf.finding.severity == "error" and sf.finding.status == "fail"]
    assert store.list_reports(has_errors=True)[0]["id"] == rid
    for f in errors:
        store.set_verdict(rid, f.fingerprint, "dismissed", reason="核实无误")
    assert store.get_report(rid)["n_errors"] == 0
    assert store.list_reports(has_errors=True) == []
    with pytest.raises(ValueError):
        store.set_verdict(rid, errors[0].fingerprint, "dismissed")  # a reason is needed


def test_status_and_filters(store: ReportStore) -> None:
    a, b = _add(store, SEED0), _add(store, UNBALANCED)
    store.set_status(b, "已审", reviewer="王五")
    assert [r["id"] for r in store.list_reports(status="已审")] == [b]
    assert [r["id"] for r in store.list_reports(status="未审")] == [a]
    assert [r["id"] for r in store.list_reports(year=2019)] == [b]
    assert [r["id"] for r in store.list_reports(agency="梓潼县")] == [b]
    assert store.get_report(b)["reviewer"] == "王五"
    with pytest.raises(ValueError):
        store.set_status(a, "done")


def test_full_text_search_in_chinese(store: ReportStore) -> None:
    seed, unbalanced = _add(store, SEED0), _add(store, UNBALANCED)
    _add(store, DEV / "002_2a29e4d1.pdf")
    # A phrase of three or more characters goes through the trigram index.
    hits = store.search("大渡口")
    assert [h.report_id for h in hits] == [seed]
    assert "【大渡口】" in hits[0].snippet
    assert unbalanced in {h.report_id for h in store.search("梓潼县人民政府")}
    assert store.search("这句话不在任何报告里") == []
    # Two characters are below trigram's reach: LIKE finds them all the same.
    two = store.search("复议")
    assert {seed, unbalanced} <= {h.report_id for h in two}
    assert any("【复议】" in h.snippet for h in two)
    assert [h.report_id for h in store.search("梓潼")] == [unbalanced]
    # Several words must all be present.
    assert [h.report_id for h in store.search("大渡口 科学技术局")] == [seed]
    # A figure.
    assert store.search("2020") != []


def test_two_characters_at_the_very_end_of_a_text_or_name(store: ReportStore,
                                                           tmp_path: Path) -> None:
    # The two characters end the document: no trigram follows them.
    path = tmp_path / "ends.txt"
    path.write_bytes(SEED0.read_bytes().rstrip() + "\n丙丁".encode())
    report = extract_file(path)
    assert report.text.endswith("丙丁") and "丙丁" not in report.text[:-2]
    rid = store.add_report(report, path.read_bytes()).report_id
    other = _add(store, UNBALANCED)
    assert [h.report_id for h in store.search("丙丁")] == [rid]
    # The last two characters of an agency's name ("…人民政府").
    assert other in {h.report_id for h in store.search("政府")}
    assert [h.report_id for h in store.search("梓潼 政府")] == [other]
    assert [h.report_id for h in store.search("梓潼 大渡口")] == []
    # One character: LIKE.
    assert {h.report_id for h in store.search("丁")} == {rid}
    assert store.effective_report(rid).text == report.text


def test_fts_index_follows_the_documents(store: ReportStore) -> None:
    rid = _add(store, SEED0)
    n = store.db.conn.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH '\"大渡口\"'").fetchone()
    assert n[0] == 1
    assert rid == store.search("大渡口")[0].report_id


def _failing_checker(report: Report, previous: Report | None) -> list[Finding]:
    raise RuntimeError("checker bug")


def test_an_import_is_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with open_store(path, checker=_failing_checker) as s:
        with pytest.raises(RuntimeError):
            s.add_report(extract_file(SEED0), SEED0.read_bytes(), SEED0)
        # The checker runs after the rows are written: all of them were rolled back.
        for table in ("reports", "files", "cells", "documents", "findings"):
            assert _count(s, table) == 0, table


def test_a_correction_is_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with open_store(path) as s:
        rid = _add(s, SEED0)
        before = [(sf.finding.fingerprint, sf.finding.message) for sf in s.findings(rid)]
    with open_store(path, checker=_failing_checker) as s:
        with pytest.raises(RuntimeError):
            s.correct(rid, "t3.new.natural", 7)
        assert _count(s, "corrections") == 0
        assert s.effective_values(rid)["t3.new.natural"] == 0
        assert [(sf.finding.fingerprint, sf.finding.message) for sf in s.findings(rid)] == before


def test_previous_year_report_is_given_to_the_checker(tmp_path: Path) -> None:
    seen: list[tuple[int | None, int | None]] = []

    def recording_checker(report: Report, previous: Report | None) -> list[Finding]:
        seen.append((report.year, None if previous is None else previous.year))
        return []

    with open_store(tmp_path / "review.sqlite", checker=recording_checker) as s:
        report = extract_file(SEED0)  # 2020
        s.add_report(report, SEED0.read_bytes())
        older = tmp_path / "2019.txt"
        older.write_text(SEED0.read_text(encoding="utf-8").replace("2020", "2019"),
                         encoding="utf-8")
        r2019 = extract_file(older)
        assert (r2019.agency, r2019.year) == (report.agency, 2019)
        s.add_report(r2019, older.read_bytes())
    # Importing 2019 checked it alone, then re-checked 2020 against it.
    assert seen == [(2020, None), (2019, None), (2020, 2019)]


def test_store_is_plain_sqlite_for_other_tools(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with open_store(path) as s:
        _add(s, SEED0)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM reports WHERE complete = 1").fetchone()[0] == 1
    conn.close()
