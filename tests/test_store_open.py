"""Opening the review database: upgrades in place, and refuses what it cannot safely use.

``tests/fixtures/db/schema_v1.sqlite`` was made by this program at schema version 1
(commit 8d96f80): ``open_store`` + ``add_report`` of seeds/000_e5f3c57cfcf76f91.txt, a
dismissed finding, one correction (t3.new.natural 0 → 2) and status 审查中; then
switched to journal_mode=DELETE with 1 KiB pages and VACUUMed to keep it small.
``schema_v3.sqlite`` is that database as schema version 3 opened it (upgraded, then
compacted the same way): its texts end with one newline, not two.
``schema_v4.sqlite`` was made at schema version 4 (commit 2029cef) from
seeds/004_63ccf7678e3c990e.txt: its 章节 error dismissed ("原文另有说明"), its 开头 warning
confirmed, status 审查中 by 王审查, note "旧版本写下的备注"; then compacted the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from datapaths import SEEDS_DIR

from core.extract import extract_file
from core.migrations import SCHEMA_VERSION
from core.store import (
    NotFound,
    StoreCorrupt,
    StoreForeign,
    StoreLocked,
    StoreNeedsUpgrade,
    StoreReadOnly,
    StoreTooNew,
    open_store,
)
from core.store_read import open_reader

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"
V1 = FIXTURES / "schema_v1.sqlite"
V3 = FIXTURES / "schema_v3.sqlite"
V4 = FIXTURES / "schema_v4.sqlite"
SEED0 = SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"


def _state(path: Path) -> tuple[str, int, int]:
    """What "never modified" compares: content hash, mtime and size of the file."""
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_size


def _make_db(path: Path) -> int:
    with open_store(path) as s:
        return s.add_report(extract_file(SEED0), SEED0.read_bytes(), SEED0).report_id


def test_schema_v3_database_gets_the_second_text_end(tmp_path: Path) -> None:
    db = tmp_path / "v3.sqlite"
    shutil.copy2(V3, db)
    stored = sqlite3.connect(V3).execute("SELECT text FROM documents").fetchone()[0]
    assert stored.endswith("\n") and not stored.endswith("\n\n")
    last = stored.rstrip("\n")[-1]
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        [r] = s.list_reports()
        assert s.effective_report(r["id"]).text == extract_file(SEED0).text
        # The text's last character now starts a trigram, so it is found by the index.
        assert r["id"] in {h.report_id for h in s.search(last)}
        assert s.integrity_check() == "ok"


def test_schema_v4_database_gets_line_counts_conclusion_and_settings(tmp_path: Path) -> None:
    fixture_before = _state(V4)
    db = tmp_path / "v4.sqlite"
    shutil.copy2(V4, db)
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        [r] = s.list_reports()
        # Counted by the line rule when upgrading: 开头 confirmed, 空白单元格 and 逾期 errors
        # unreviewed → 3 lines 不通过; the dismissed 章节 error passes its line.
        assert (r["n_failed"], r["n_pending"], r["conclusion"]) == (3, 0, None)
        assert (r["status"], r["reviewer"], r["note"]) == ("审查中", "王审查", "旧版本写下的备注")
        # 逾期 (C21) is one of the default 不合格 lines.
        assert s.proposed_conclusion(r["id"]) == "不合格"
        s.set_conclusion(r["id"], "需整改", reason="逾期两天，已当面说明", reviewer="李复核")
        row = s.get_report(r["id"])
        assert (row["conclusion"], row["conclusion_by"]) == ("需整改", "李复核")
        assert row["conclusion_at"]
        s.set_setting("office", "淮安市政务公开办")
        assert s.settings() == {"office": "淮安市政务公开办"}
        assert s.integrity_check() == "ok"
    assert _state(V4) == fixture_before


def test_schema_v1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    fixture_before = _state(V1)
    db = tmp_path / "old.sqlite"
    shutil.copy2(V1, db)
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        cols = {r[1] for r in s.db.conn.execute("PRAGMA table_info(reports)")}
        assert "note" in cols
        indexes = {r[1] for r in s.db.conn.execute("PRAGMA index_list(reports)")}
        assert "reports_agency_year" in indexes
        # The data made at version 1 is all there.
        [r] = s.list_reports()
        assert (r["agency"], r["year"], r["status"], r["note"]) == (
            "重庆市大渡口区科学技术局", 2020, "审查中", None)
        assert len(s.cells(r["id"])) == 198
        assert s.effective_values(r["id"])["t3.new.natural"] == 2
        [h] = s.history(r["id"])
        assert (h["before"], h["after"], h["reviewer"]) == (0, 2, "张三")
        verdicts = [sf.verdict for sf in s.findings(r["id"]) if sf.verdict]
        assert verdicts == ["dismissed"]
        assert s.file_content(r["id"]) == SEED0.read_bytes()
        assert s.effective_report(r["id"]).text == extract_file(SEED0).text
        assert [h.report_id for h in s.search("大渡口")] == [r["id"]]
        assert [h.report_id for h in s.search("渡口")] == [r["id"]]  # two characters
        # … and the new column works.
        s.set_note(r["id"], "待复核表二")
        assert s.get_report(r["id"])["note"] == "待复核表二"
        assert s.integrity_check() == "ok"
    # Reopening applies nothing more; the fixture itself was only copied.
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
    assert _state(V1) == fixture_before


def test_newer_database_is_refused_unmodified(tmp_path: Path) -> None:
    db = tmp_path / "future.sqlite"
    _make_db(db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('nianbao-shenchatai', 'm099_from_the_future', '2030-01-01')")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = _state(db)
    for readonly in (None, True, False):
        with pytest.raises(StoreTooNew) as e:
            open_store(db, readonly=readonly)
        assert "newer version" in str(e.value)
        assert "更新版本" in e.value.message_zh
    assert _state(db) == before


def test_garbage_file_is_refused_unmodified(tmp_path: Path) -> None:
    db = tmp_path / "garbage.sqlite"
    db.write_bytes(b"this is not a database at all\n" * 500)
    before = _state(db)
    with pytest.raises(StoreCorrupt) as e:
        open_store(db)
    assert e.value.message_zh
    assert _state(db) == before


def test_damaged_database_is_refused_unmodified(tmp_path: Path) -> None:
    db = tmp_path / "damaged.sqlite"
    _make_db(db)
    data = bytearray(db.read_bytes())
    # Overwrite pages in the middle of the file (the header stays valid).
    page = 4096
    data[3 * page: 3 * page + 2 * page] = b"\xa5" * (2 * page)
    db.write_bytes(bytes(data))
    before = _state(db)
    with pytest.raises(StoreCorrupt):
        open_store(db)
    assert _state(db) == before


def test_someone_elses_database_is_refused_unmodified(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    before = _state(db)
    with pytest.raises(StoreForeign):
        open_store(db)
    assert _state(db) == before


def test_read_only_file_opens_for_reading_only(tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite"
    rid = _make_db(db)
    os.chmod(db, 0o444)
    try:
        before = _state(db)
        with pytest.raises(StoreReadOnly) as e:
            open_store(db, readonly=False)
        assert "只读" in e.value.message_zh
        with open_store(db) as s:  # default: read when writing is not possible
            assert s.readonly
            assert [r["id"] for r in s.list_reports()] == [rid]
            assert s.search("大渡口")[0].report_id == rid
            with pytest.raises(StoreReadOnly):
                s.correct(rid, "t3.new.natural", 5)
        assert _state(db) == before
    finally:
        os.chmod(db, 0o644)


def test_read_only_old_database_is_not_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old-ro.sqlite"
    shutil.copy2(V1, db)
    os.chmod(db, 0o444)
    try:
        before = _state(db)
        with pytest.raises(StoreReadOnly) as e:
            open_store(db)
        assert "升级" in e.value.message_zh
        assert _state(db) == before
    finally:
        os.chmod(db, 0o644)


def test_locked_database_gives_a_clear_error_and_stays_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "locked.sqlite"
    rid = _make_db(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        with open_store(db, busy_timeout_ms=200) as s:  # reading still works (WAL)
            assert s.list_reports()[0]["id"] == rid
            with pytest.raises(StoreLocked) as e:
                s.correct(rid, "t3.new.natural", 5)
            assert "占用" in e.value.message_zh
    finally:
        other.execute("ROLLBACK")
        other.close()
    with open_store(db) as s:
        assert s.history(rid) == []
        assert s.effective_values(rid)["t3.new.natural"] == 0


def test_locked_old_database_is_not_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old-locked.sqlite"
    shutil.copy2(V1, db)  # journal_mode=DELETE: an exclusive lock blocks readers too
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        before = _state(db)
        with pytest.raises(StoreLocked):
            open_store(db, busy_timeout_ms=200)
        assert _state(db) == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    db.touch()
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.list_reports() == []


# --- reading without the store (core.store_read, for list, search and history) -------


def test_reader_upgrades_an_old_database_then_reads_it(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    shutil.copy2(V1, db)
    with open_reader(db, upgrade=True) as r:
        assert r.schema_version() == SCHEMA_VERSION
        rows = r.list_table(("agency", "status"))
    with open_store(db) as s:
        assert rows == [(d["agency"], d["status"]) for d in s.list_reports()]
    assert [status for _, status in rows] == ["审查中"]


def test_reader_refuses_what_open_store_refuses_and_changes_nothing(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    shutil.copy2(V1, old)
    before = _state(old)
    with pytest.raises(StoreNeedsUpgrade):  # reading only: an old schema is not upgraded
        open_reader(old)
    os.chmod(old, 0o444)
    try:
        with pytest.raises(StoreNeedsUpgrade) as e:  # asked to, but it cannot be written
            open_reader(old, upgrade=True)
        assert "升级" in e.value.message_zh
    finally:
        os.chmod(old, 0o644)
    assert _state(old) == before
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(StoreForeign):
        open_reader(foreign)
    missing = tmp_path / "nowhere" / "review.sqlite"
    with pytest.raises(NotFound):
        open_reader(missing)
    assert not missing.parent.exists()


def test_list_table_is_the_list_of_reports_narrowed(tmp_path: Path) -> None:
    """Same reports, same order, for every filter: the CLI's list selects only what it
    prints through the filters of list_reports."""
    db = tmp_path / "review.sqlite"
    with open_store(db) as s:
        ids = [s.add_report(extract_file(f), f.read_bytes(), f).report_id
               for f in sorted(SEEDS_DIR.glob("*.txt"))]
        s.set_status(ids[0], "已审")
        s.set_status(ids[1], "审查中")
        agency = s.get_report(ids[2])["agency"]
        year = s.get_report(ids[3])["year"]
    columns = ("id", "agency", "year", "status", "n_errors", "file_name")
    filters: list[dict] = [{}, {"agency": agency[-4:]}, {"year": year}, {"status": "已审"},
                           {"has_errors": True}, {"has_errors": False},
                           {"year": year, "status": "未审", "has_errors": True}]
    with open_reader(db) as r, open_store(db, readonly=True) as s:
        for f in filters:
            assert r.list_table(columns, **f) == [tuple(d[c] for c in columns)
                                                  for d in s.list_reports(**f)], f
        assert len(r.list_table(columns)) == len(ids)
        with pytest.raises(ValueError):
            r.list_table(("id", "sections"))  # not a column of the list

