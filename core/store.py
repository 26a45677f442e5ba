"""The review database: every imported report, its cells, corrections, findings and text.

All SQL of the program lives here and in :mod:`core.store_read` (the queries that only
read), the register of agencies' in core/register.py, on an injected
:class:`sqlite_utils.Database`.
:func:`open_store` opens (or creates) the database file safely; :class:`ReportStore`
is what the CLI and the GUI use.

Rules the store keeps:

- An extracted value is never overwritten. A correction is a new row in
  ``corrections``; the effective value of a cell is its latest correction, else the
  extracted value. Undo is one more correction restoring the value before.
- Findings are recomputed from the effective values after an import and after each
  correction, in the same transaction. The inspector's verdict on a finding
  (confirmed / dismissed) is kept per fingerprint in ``verdicts`` and so survives
  re-checks.
- Each import and each correction is one transaction: a process killed half-way
  leaves the database as it was before.
- A database this program cannot safely use (newer schema, corrupt, someone else's,
  read-only, locked) is refused with a :class:`StoreError` and never modified.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.document import Location
from core.filenames import display_name, path_for_storage
from core.migrations import migrations
from core.model import Cell, Finding, Report, Value

# The errors and the reading half live apart, for the commands that only read; they are
# also the store's own names (``from core.store import NotFound, open_store`` …).
from core.store_errors import (  # noqa: F401 - re-exported
    NotFound,
    ReviewClosed,
    StoreCorrupt,
    StoreError,
    StoreForeign,
    StoreLocked,
    StoreNeedsUpgrade,
    StoreReadOnly,
    StoreTooNew,
    UndoConflict,
    classify_error,
)
from core.store_read import (  # noqa: F401 - re-exported
    DEFAULT_BUSY_TIMEOUT_MS,
    TEXT_END,
    VERIFY_MAX_BYTES,
    ReadOnlyDatabase,
    ReportReader,
    SearchHit,
    connect_for_reading,
    examine,
)
from core.values import kind_of_value, same_value
from core.vocabulary import REVIEW_STATUSES, VERDICTS  # noqa: F401 - VERDICTS re-exported

STATUSES = REVIEW_STATUSES
UNREVIEWED, IN_REVIEW, REVIEWED = STATUSES
_FINDING_FIELDS = {f.name for f in dataclasses.fields(Finding)}

if TYPE_CHECKING:  # loaded only to write (see ReadOnlyDatabase)
    from sqlite_utils import Database

Checker = Callable[[Report, "Report | None"], list[Finding]]
Clock = Callable[[], datetime]


# --- plain data the store hands out ------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    report_id: int
    created: bool  # False: the same file (same sha256) was already in the database
    revision: int


@dataclass
class StoredCell:
    key: str
    value: Value  # the effective value
    extracted: Value
    raw: str
    kind: str  # the extractor's kind (blank, na, number, …) of the extracted value
    loc: Location | None
    confidence: float
    corrected: bool
    # How the extractor read it (Cell.note, Cell.reader, Cell.readings), {} when plainly.
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredFinding:
    finding: Finding
    verdict: str | None = None  # confirmed | dismissed | None
    reason: str | None = None
    reviewer: str | None = None


@dataclass
class CorrectionResult:
    correction_id: int | None  # None: the value was already that, nothing was recorded
    key: str
    before: Value
    after: Value
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    changed: list[tuple[Finding, Finding]] = field(default_factory=list)  # (old, new)


# --- helpers -----------------------------------------------------------------------------


# TEST HOOK, for the kill tests only (tests/test_crash_safety.py, tests/test_store_kill.py).
# With NIANBAO_TEST_STOP_HALF_STORED=1 in its environment the process stops itself
# (SIGSTOP) each time a report or a correction is half written, inside its transaction;
# the test sees the stop (waitpid WUNTRACED) and kills the process at exactly that moment
# or lets it go on (SIGCONT), instead of guessing the moment with sleeps. Read once here;
# off, it costs one test of this constant per write.
_TEST_HOOK_STOP_HALF_STORED = (os.environ.get("NIANBAO_TEST_STOP_HALF_STORED") == "1"
                               and hasattr(signal, "SIGSTOP"))


def _test_hook_half_stored() -> None:
    """TEST HOOK: stop here until the kill test sends SIGKILL or SIGCONT."""
    os.kill(os.getpid(), signal.SIGSTOP)


def default_checker(report: Report, previous: Report | None) -> list[Finding]:
    """The project's checker. An ImportError in it is raised, never taken for "no
    findings": a checker that cannot load must not make every report look clean."""
    from core.checker import check

    return check(report, previous=previous)


def _now() -> datetime:
    return datetime.now().astimezone()


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _cell_detail(cell: Cell) -> str | None:
    """Cell.note / reader / readings as the cells.detail JSON, None when all are empty."""
    d = {k: v for k, v in (("note", cell.note), ("reader", cell.reader),
                           ("readings", cell.readings)) if v}
    return _dump(d) if d else None


def _loc_from_json(text: str | None) -> Location | None:
    if not text:
        return None
    d = json.loads(text)
    for k in ("bbox", "span"):
        if d.get(k) is not None:
            d[k] = tuple(d[k])
    return Location(**{k: v for k, v in d.items() if k in Location.__dataclass_fields__})


def _finding_from_json(data: str) -> Finding:
    d = json.loads(data)
    return Finding(**{k: v for k, v in d.items() if k in _FINDING_FIELDS})


def line_counts_of(conn: sqlite3.Connection, report_id: int) -> tuple[int, int]:
    """(lines 不通过, lines 待核实) of a report from its stored findings and verdicts, by the
    rule every view uses (:func:`core.line_results.open_line_counts`)."""
    from core.line_results import open_line_counts

    rows = conn.execute(
        "SELECT f.data, v.verdict FROM findings f LEFT JOIN verdicts v"
        " ON v.report_id = f.report_id AND v.fingerprint = f.fingerprint"
        " WHERE f.report_id = ?", [report_id]).fetchall()
    findings = [_finding_from_json(d) for d, _ in rows]
    verdicts = {f.fingerprint: v for f, (_, v) in zip(findings, rows, strict=True) if v}
    c = open_line_counts(findings, verdicts)
    return c["不通过"], c["待核实"]


# --- opening -----------------------------------------------------------------------------


def open_store(path: str | os.PathLike[str], *, readonly: bool | None = None,
               busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, verify: bool | None = None,
               checker: Checker | None = None, clock: Clock | None = None,
               upgrade: bool = False, create: bool = True) -> ReportStore:
    """Open the review database at ``path``, creating it (and its folder) on first use.

    ``readonly``: False needs write access (raises :class:`StoreReadOnly` otherwise),
    True opens for reading only, None (default) writes when it can and falls back to
    reading when the file or its folder is read-only. A database whose schema is
    older is upgraded in place, in one transaction; one that is newer, corrupt,
    someone else's, read-only (when writing is needed) or locked raises a
    :class:`StoreError` and is left untouched. A read-only store is a plain ``sqlite3``
    connection (:class:`ReadOnlyDatabase`): sqlite-utils is loaded only to write.
    ``upgrade`` with ``readonly=True``: a database of an older schema is first upgraded
    (when it can be written), then opened for reading.

    ``verify`` runs ``PRAGMA quick_check`` before anything is written; by default only
    on files up to ``VERIFY_MAX_BYTES`` (it reads every page: ~1.7 ms per MiB, 0.65 s
    for 10,000 reports), and not when opened read-only. Damage found later still raises
    :class:`StoreCorrupt`.

    ``create=False`` (commands that only read), like ``readonly=True``, raises
    :class:`NotFound` for a database that does not exist yet, creating neither it nor
    its folder.
    """
    p = Path(path)
    found = examine(p, readonly=readonly, busy_timeout_ms=busy_timeout_ms, verify=verify,
                    create=create)
    if readonly is None:
        readonly = not found.writable
    if not readonly and not found.writable:
        raise StoreReadOnly(f"{p}: the database (or its folder) is read-only; "
                            "it was not modified")
    if readonly:
        conn = connect_for_reading(p, found, busy_timeout_ms=busy_timeout_ms, upgrade=upgrade)
        return ReportStore(ReadOnlyDatabase(conn), checker=checker, clock=clock, readonly=True,
                           path=p)
    from sqlite_utils import Database

    db = Database(p)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.execute("PRAGMA foreign_keys = ON")
        db.enable_wal()
        # NORMAL is safe in WAL mode against a killed process (a power cut may lose the
        # last transaction, never consistency) and keeps imports fast.
        db.execute("PRAGMA synchronous = NORMAL")
        if migrations.pending(db):
            # Take the write lock first, so two programs opening an old database at once
            # upgrade it once; the whole upgrade is one transaction (savepoints inside).
            db.execute("BEGIN IMMEDIATE")
            try:
                migrations.apply(db)
                db.execute("COMMIT")
            except BaseException:
                db.rollback()
                raise
    except sqlite3.Error as e:
        db.close()
        raise classify_error(e, p) from e
    except BaseException:
        db.close()
        raise
    return ReportStore(db, checker=checker, clock=clock, path=p)


# --- the store ---------------------------------------------------------------------------


class ReportStore(ReportReader):
    """Reports, cells, corrections, findings, verdicts and text in one SQLite database.
    What only reads (the list, the search, a report's row and history) is
    :class:`~core.store_read.ReportReader`'s."""

    def __init__(self, db: Database | ReadOnlyDatabase, *, checker: Checker | None = None,
                 clock: Clock | None = None, readonly: bool = False,
                 path: Path | None = None) -> None:
        super().__init__(db, path=path)
        self.readonly = readonly
        self._checker = checker or default_checker
        self._clock = clock or _now

    def __enter__(self) -> ReportStore:
        return self

    # --- plumbing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; SQLite errors become StoreErrors with a message to show.

        It begins IMMEDIATE: the write lock is taken first, waiting up to the busy timeout
        while another program (a second import, a correction) holds it. A DEFERRED
        transaction that reads before it writes cannot wait: when another writer got in
        since its read, SQLite answers BUSY at once and the busy timeout never applies.
        Nested calls become savepoints of the outer transaction.
        """
        db = self.db
        if self.readonly or isinstance(db, ReadOnlyDatabase):
            raise StoreReadOnly(f"{self.path}: opened read-only")
        conn = db.conn
        try:
            if conn.in_transaction:
                with db.atomic():  # a savepoint
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.rollback()
            raise classify_error(e, self.path or "database") from e

    def _stamp(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    # --- importing -----------------------------------------------------------------------
    def find_sha256(self, sha256: str) -> int | None:
        """The report already imported from a file with these bytes, if any."""
        rows = self._rows("SELECT id FROM reports WHERE sha256 = ?", [sha256])
        return int(rows[0][0]) if rows else None

    def known_sha256(self) -> set[str]:
        """The SHA-256 of every completely stored file: an import need not parse them again."""
        return {r[0] for r in self._rows("SELECT sha256 FROM reports WHERE complete = 1")}

    def add_report(self, report: Report, content: bytes,
                   original_path: str | os.PathLike[str] | None = None, *,
                   sha256: str | None = None) -> ImportResult:
        """Store one extracted report with its file's bytes, check it: one transaction.

        The same bytes twice add nothing. A different file of the same agency and year
        becomes the next revision; both stay. Findings in ``report.findings`` are not
        used: the store runs the checker itself with the previous year's report.
        ``sha256``: the hash of ``content`` when the caller computed it already (the
        import pipeline hashes each file once); otherwise it is computed here.
        """
        if sha256 is None:
            import hashlib  # only to write: reading commands start without it

            sha256 = hashlib.sha256(content).hexdigest()
        sha = sha256
        if sha != report.sha256:
            raise ValueError(f"{report.file}: content does not match the report's sha256")
        with self._write():
            row = self._rows("SELECT id, revision FROM reports WHERE sha256 = ?", [sha])
            if row:
                return ImportResult(int(row[0][0]), False, int(row[0][1]))
            c = self.db.conn
            c.execute("INSERT OR IGNORE INTO files (sha256, size, content) VALUES (?, ?, ?)",
                      [sha, len(content), content])
            revision = 1
            if report.agency and report.year is not None:
                revision += self._rows(
                    "SELECT coalesce(max(revision), 0) FROM reports WHERE agency = ? AND year = ?",
                    [report.agency, report.year])[0][0]
            cur = c.execute(
                "INSERT INTO reports (sha256, file_name, original_path, kind, agency, year,"
                " format, published, title, pages, imported_at, revision, sections,"
                " tables_found, notes, is_government, merged_other_row, n_cells, complete,"
                " level_basis, published_source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                [sha, display_name(report.file),
                 None if original_path is None else path_for_storage(original_path),
                 report.kind, report.agency, report.year, report.format, report.published,
                 report.title, report.pages, self._stamp(), revision, _dump(report.sections),
                 _dump(report.tables_found), _dump(report.notes), int(report.is_government),
                 int(report.merged_other_row), len(report.cells), report.level_basis,
                 report.published_source])
            report_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO cells (report_id, key, ord, value, raw, kind, loc, confidence,"
                " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(report_id, key, i, _dump(cell.value), cell.raw, cell.kind,
                  None if cell.loc is None else _dump(cell.loc.to_json()), cell.confidence,
                  _cell_detail(cell))
                 for i, (key, cell) in enumerate(report.cells.items())])
            c.execute("INSERT INTO documents (report_id, agency, title, text, section_text)"
                      " VALUES (?, ?, ?, ?, ?)",
                      [report_id, report.agency, report.title, report.text + TEXT_END,
                       _dump(report.section_text)])
            # A new name joins the register (automatically to its agency when it differs
            # only by a division prefix) before the checks look for the previous report.
            from core.register import ensure_name  # with core.overview: not for reading
            ensure_name(c, report.agency)
            # Nothing is corrected yet: the extracted report is the effective one.
            fresh = dataclasses.replace(report, findings=[])
            self._recheck(report_id, fresh)
            self._recheck_followers(report_id)
            if _TEST_HOOK_STOP_HALF_STORED:
                _test_hook_half_stored()
            # Set last, in the same transaction: a report row is complete or absent.
            c.execute("UPDATE reports SET complete = 1 WHERE id = ?", [report_id])
        return ImportResult(report_id, True, revision)

    def file_content(self, report_id: int) -> bytes:
        rows = self._rows("SELECT f.content FROM files f JOIN reports r ON r.sha256 = f.sha256"
                          " WHERE r.id = ?", [report_id])
        if not rows:
            raise NotFound(f"no report {report_id}")
        return bytes(rows[0][0])

    # --- reading -------------------------------------------------------------------------
    _CELLS_SQL = (
        "SELECT c.key, c.value, c.raw, c.kind, c.loc, c.confidence, c.detail,"
        " (SELECT k.after FROM corrections k WHERE k.report_id = c.report_id AND k.key = c.key"
        "  ORDER BY k.id DESC LIMIT 1) AS corrected"
        " FROM cells c WHERE c.report_id = ? ORDER BY c.ord")

    def cells(self, report_id: int, *, locations: bool = True) -> list[StoredCell]:
        """Every cell in template order, with its effective and extracted value.
        ``locations=False`` leaves ``loc`` None: decoding them was 38 % of an export."""
        out = []
        for key, value, raw, kind, loc, conf, detail, corrected in self._rows(
                self._CELLS_SQL, [report_id]):
            extracted = json.loads(value)
            out.append(StoredCell(
                key=key, value=extracted if corrected is None else json.loads(corrected),
                extracted=extracted, raw=raw, kind=kind,
                loc=_loc_from_json(loc) if locations else None,
                confidence=conf, corrected=corrected is not None,
                detail=json.loads(detail) if detail else {}))
        return out

    def effective_values(self, report_id: int) -> dict[str, Value]:
        return {c.key: c.value for c in self.cells(report_id)}

    def effective_values_all(self) -> dict[int, dict[str, Value]]:
        """Every complete report's effective values in one pass (for exports)."""
        out: dict[int, dict[str, Value]] = {}
        sql = (
            "SELECT c.report_id, c.key, c.value, latest.after FROM cells c"
            " JOIN reports r ON r.id = c.report_id AND r.complete = 1"
            " LEFT JOIN (SELECT report_id, key, after, max(id) FROM corrections"
            "  GROUP BY report_id, key) AS latest"
            " ON latest.report_id = c.report_id AND latest.key = c.key"
            " ORDER BY c.report_id, c.ord")
        for rid, key, value, after in self._rows(sql):
            out.setdefault(rid, {})[key] = json.loads(value if after is None else after)
        return out

    def effective_report(self, report_id: int, *, with_findings: bool = True,
                         locations: bool = True) -> Report:
        """The report as it now stands: extracted cells with the corrections applied.

        The checker runs on this. A corrected cell gets the kind of its new value and
        confidence 1 (a person read it); raw text and location stay the document's.
        """
        from core.register import level_override  # with core.overview: not for reading

        r = self.get_report(report_id)
        doc = self._rows("SELECT text, section_text FROM documents WHERE report_id = ?",
                         [report_id])
        text, section_text = (doc[0][0], json.loads(doc[0][1])) if doc else ("", {})
        text = text.removesuffix(TEXT_END)
        cells: dict[str, Cell] = {}
        for sc in self.cells(report_id, locations=locations):
            if sc.corrected:
                cells[sc.key] = Cell(sc.key, sc.value, sc.raw, kind_of_value(sc.value),
                                     sc.loc, 1.0)
            else:
                cells[sc.key] = Cell(sc.key, sc.value, sc.raw, sc.kind, sc.loc, sc.confidence,
                                     note=sc.detail.get("note", ""),
                                     reader=sc.detail.get("reader", ""),
                                     readings=dict(sc.detail.get("readings") or {}))
        report = Report(
            file=r["file_name"], sha256=r["sha256"], kind=r["kind"], pages=r["pages"],
            format=r["format"], year=r["year"], published=r["published"], title=r["title"],
            agency=r["agency"], sections=json.loads(r["sections"]), cells=cells, text=text,
            section_text=section_text, tables_found=json.loads(r["tables_found"]),
            notes=json.loads(r["notes"]), is_government=bool(r["is_government"]),
            merged_other_row=bool(r["merged_other_row"]),
            level=level_override(self.db.conn, r["agency"]) or "")
        report.level_basis = r.get("level_basis") or ""
        report.published_source = r.get("published_source") or ""
        if with_findings:
            report.findings = [sf.finding for sf in self.findings(report_id)]
        return report

    def findings(self, report_id: int) -> list[StoredFinding]:
        """The current findings, each with the inspector's verdict if one was given."""
        rows = self._rows(
            "SELECT f.data, v.verdict, v.reason, v.reviewer FROM findings f"
            " LEFT JOIN verdicts v ON v.report_id = f.report_id AND v.fingerprint = f.fingerprint"
            " WHERE f.report_id = ? ORDER BY f.ord", [report_id])
        return [StoredFinding(_finding_from_json(d), v, reason, who)
                for d, v, reason, who in rows]

    _ALL_FINDINGS_SQL = (
        "SELECT f.report_id, r.file_name, r.agency, r.year, r.format, f.rule, f.severity,"
        " f.status, f.cells, f.message, f.fingerprint, v.verdict, v.reason AS verdict_reason"
        " FROM findings f JOIN reports r ON r.id = f.report_id AND r.complete = 1"
        " LEFT JOIN verdicts v ON v.report_id = f.report_id AND v.fingerprint = f.fingerprint"
        " ORDER BY f.report_id, f.ord")

    def all_findings(self) -> list[dict[str, Any]]:
        """Every finding of every complete report, flat, for exports."""
        return self._dicts(self._ALL_FINDINGS_SQL)

    def iter_findings(self) -> Iterator[dict[str, Any]]:
        """:meth:`all_findings` one at a time, for exports that write as they read."""
        try:
            cur = self.db.conn.execute(self._ALL_FINDINGS_SQL)
            names = [d[0] for d in cur.description]
            for row in cur:
                yield dict(zip(names, row, strict=True))
        except sqlite3.Error as e:
            raise classify_error(e, self.path or "database") from e

    # --- correcting ----------------------------------------------------------------------
    def correct(self, report_id: int, key: str, value: Value, *, reviewer: str | None = None,
                reason: str | None = None) -> CorrectionResult:
        """Set a cell's effective value, recheck the report: one transaction.

        Returns the findings that appeared, disappeared or changed. Setting the value it
        already has records nothing. A report still 未审 becomes 审查中.
        """
        from core.correction_values import check_value

        value = check_value(key, value)  # InvalidValue (a ValueError): nothing is stored
        with self._write():
            self._refuse_if_reviewed(report_id)
            before = self._effective_value(report_id, key)
            if same_value(before, value):
                return CorrectionResult(None, key, before, value)
            return self._record(report_id, key, before, value, reviewer, reason, None)

    def undo(self, report_id: int, *, correction_id: int | None = None,
             reviewer: str | None = None) -> CorrectionResult | None:
        """Undo a correction by a new correction row (nothing is deleted).

        ``correction_id``: exactly that correction (the window undoes its own, whoever
        corrected the report since). It must still be what the cell shows: a later
        correction of the same cell by someone else is never overwritten
        (:class:`UndoConflict`). Without it: the report's latest correction not yet undone
        (the command line's ``undo``); repeated undos walk back through the history.
        None when there is nothing to undo (or that correction is undone already).
        """
        with self._write():
            self._refuse_if_reviewed(report_id)
            if correction_id is None:
                rows = self._rows(
                    "SELECT c.id, c.key, c.before, c.after FROM corrections c"
                    " WHERE c.report_id = ? AND c.undoes IS NULL"
                    " AND NOT EXISTS (SELECT 1 FROM corrections u WHERE u.undoes = c.id)"
                    " ORDER BY c.id DESC LIMIT 1", [report_id])
                if not rows:
                    return None
            else:
                rows = self._rows(
                    "SELECT c.id, c.key, c.before, c.after FROM corrections c"
                    " WHERE c.report_id = ? AND c.id = ?", [report_id, correction_id])
                if not rows:
                    raise NotFound(f"report {report_id} has no correction #{correction_id}",
                                   f"报告 {report_id} 没有第 {correction_id} 号更正")
                if self._rows("SELECT 1 FROM corrections WHERE undoes = ?", [correction_id]):
                    return None
            target, key = rows[0][0], rows[0][1]
            restore, made = json.loads(rows[0][2]), json.loads(rows[0][3])
            before = self._effective_value(report_id, key)
            if correction_id is not None and not same_value(before, made):
                raise UndoConflict(
                    f"report {report_id}, cell {key}: corrected again since correction "
                    f"#{target}; not undone")
            return self._record(report_id, key, before, restore, reviewer,
                                f"撤销更正 #{target}", target)

    def _refuse_if_reviewed(self, report_id: int) -> None:
        if self.get_report(report_id)["status"] == REVIEWED:
            raise ReviewClosed(
                f"report {report_id} is marked reviewed: reopen it before correcting",
                f"报告 {report_id} 已审查完毕，单元格不可更改；请先取消已审标记（重新打开）再更正")

    def _effective_value(self, report_id: int, key: str) -> Value:
        rows = self._rows(
            "SELECT c.value, (SELECT k.after FROM corrections k WHERE k.report_id = c.report_id"
            " AND k.key = c.key ORDER BY k.id DESC LIMIT 1) FROM cells c"
            " WHERE c.report_id = ? AND c.key = ?", [report_id, key])
        if not rows:
            self.get_report(report_id)  # raises NotFound for a missing report
            raise NotFound(f"report {report_id} has no cell {key!r}",
                           f"报告 {report_id} 没有单元格 {key}")
        value, after = rows[0]
        return json.loads(value if after is None else after)

    def _record(self, report_id: int, key: str, before: Value, after: Value,
                reviewer: str | None, reason: str | None,
                undoes: int | None) -> CorrectionResult:
        old = {sf.finding.fingerprint: sf.finding for sf in self.findings(report_id)}
        cur = self.db.conn.execute(
            "INSERT INTO corrections (report_id, key, before, after, at, reviewer, reason,"
            " undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [report_id, key, _dump(before), _dump(after), self._stamp(), reviewer, reason,
             undoes])
        if _TEST_HOOK_STOP_HALF_STORED:
            _test_hook_half_stored()
        self.db.conn.execute("UPDATE reports SET status = ? WHERE id = ? AND status = ?",
                             [IN_REVIEW, report_id, UNREVIEWED])
        new = {f.fingerprint: f for f in self._recheck(report_id)}
        self._recheck_followers(report_id)
        result = CorrectionResult(int(cur.lastrowid or 0), key, before, after)
        result.added = [f for fp, f in new.items() if fp not in old]
        result.removed = [f for fp, f in old.items() if fp not in new]
        result.changed = [(old[fp], f) for fp, f in new.items()
                          if fp in old and old[fp].to_json() != f.to_json()]
        return result

    # --- checking ------------------------------------------------------------------------
    def previous_of(self, agency: str | None, year: int | None) -> int | None:
        """The same agency's latest report before ``year`` (latest revision), under any
        of the names the register of agencies knows it by."""
        if not agency or year is None:
            return None
        from core.register import sibling_names  # with core.overview: not for reading
        names = sibling_names(self.db.conn, agency)
        rows = self._rows(f"SELECT id FROM reports WHERE agency IN ({_marks(names)})"
                          " AND year < ? ORDER BY year DESC, revision DESC, id DESC LIMIT 1",
                          [*names, year])
        return int(rows[0][0]) if rows else None

    def _recheck(self, report_id: int, report: Report | None = None) -> list[Finding]:
        """Run the checker on the effective report; replace its findings (in a transaction)."""
        if report is None:
            report = self.effective_report(report_id, with_findings=False)
        # The register's level, set by the inspector, decides the deadline over the
        # report's own.
        from core.register import level_override  # with core.overview: not for reading
        report.level = level_override(self.db.conn, report.agency) or report.level
        prev_id = self.previous_of(report.agency, report.year)
        previous = None if prev_id is None else self.effective_report(prev_id,
                                                                      with_findings=False)
        found = self._checker(report, previous)
        c = self.db.conn
        c.execute("DELETE FROM findings WHERE report_id = ?", [report_id])
        c.executemany(
            "INSERT INTO findings (report_id, ord, fingerprint, rule, severity, status, message,"
            " cells, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, i, f.fingerprint, f.rule, f.severity, f.status, f.message,
              _dump(f.cells), _dump(f.to_json())) for i, f in enumerate(found)])
        self._update_counts(report_id)
        return found

    def _recheck_followers(self, report_id: int) -> None:
        """Recheck the agency's next report: its cross-year checks read this one."""
        r = self._rows("SELECT agency, year FROM reports WHERE id = ?", [report_id])[0]
        if not r[0] or r[1] is None:
            return
        from core.register import sibling_names  # with core.overview: not for reading
        names = sibling_names(self.db.conn, r[0])
        rows = self._rows(f"SELECT id FROM reports WHERE agency IN ({_marks(names)})"
                          " AND year > ? AND complete = 1 ORDER BY year, revision DESC LIMIT 1",
                          [*names, r[1]])
        if rows:
            self._recheck(int(rows[0][0]))

    def _update_counts(self, report_id: int) -> None:
        # Counts live on the report row so that listing and --has-errors need no join;
        # a dismissed finding no longer counts.
        self.db.conn.execute(
            "UPDATE reports SET"
            " n_errors = (SELECT count(*) FROM findings f WHERE f.report_id = reports.id"
            "  AND f.severity = 'error' AND f.status = 'fail' AND NOT EXISTS (SELECT 1 FROM"
            "  verdicts v WHERE v.report_id = f.report_id AND v.fingerprint = f.fingerprint"
            "  AND v.verdict = 'dismissed')),"
            " n_warnings = (SELECT count(*) FROM findings f WHERE f.report_id = reports.id"
            "  AND NOT (f.severity = 'error' AND f.status = 'fail') AND NOT EXISTS (SELECT 1"
            "  FROM verdicts v WHERE v.report_id = f.report_id AND v.fingerprint = f.fingerprint"
            "  AND v.verdict = 'dismissed'))"
            " WHERE id = ?", [report_id])
        failed, pending = line_counts_of(self.db.conn, report_id)
        self.db.conn.execute("UPDATE reports SET n_failed = ?, n_pending = ? WHERE id = ?",
                             [failed, pending, report_id])

    def recheck(self, report_id: int) -> list[Finding]:
        """Run the checker again (e.g. after the program was updated): one transaction."""
        with self._write():
            self.get_report(report_id)
            return self._recheck(report_id)

    # --- reviewing -----------------------------------------------------------------------
    def set_status(self, report_id: int, status: str, *, reviewer: str | None = None) -> None:
        """未审 / 审查中 / 已审; 已审 records when (and closes the cells to corrections)."""
        if status not in STATUSES:
            raise ValueError(f"审查状态只能是{'、'.join(STATUSES)}之一")
        with self._write():
            self.get_report(report_id)
            self.db.conn.execute(
                "UPDATE reports SET status = ?, reviewer = coalesce(?, reviewer),"
                " reviewed_at = CASE WHEN ? = ? THEN ? ELSE reviewed_at END WHERE id = ?",
                [status, reviewer, status, REVIEWED, self._stamp(), report_id])

    def set_note(self, report_id: int, note: str | None, *, reviewer: str | None = None) -> None:
        """The inspector's 审查意见 on a report, with who and when (None or "" clears it)."""
        with self._write():
            self.get_report(report_id)
            text = (note or "").strip() or None
            self.db.conn.execute(
                "UPDATE reports SET note = ?, note_by = ?, note_at = ? WHERE id = ?",
                [text, reviewer if text else None, self._stamp() if text else None, report_id])

    def proposed_conclusion(self, report_id: int) -> str:
        """合格 / 需整改 / 不合格 as the lines propose it (the office's 不合格 lines apply)."""
        from core.line_results import failed_line_ids, proposed_from_failed

        stored = self.findings(report_id)
        verdicts = {sf.finding.fingerprint: sf.verdict for sf in stored if sf.verdict}
        return proposed_from_failed(failed_line_ids([sf.finding for sf in stored], verdicts),
                                    self.unqualifying_lines())

    def set_conclusion(self, report_id: int, conclusion: str | None, *,
                       reason: str | None = None, reviewer: str | None = None) -> None:
        """The inspector's 审查结论; None takes it back (the proposed one stands again).

        A conclusion other than the one proposed needs a reason.
        """
        from core.vocabulary import CONCLUSIONS

        if conclusion is not None and conclusion not in CONCLUSIONS:
            raise ValueError(f"审查结论只能是{'、'.join(CONCLUSIONS)}之一")
        reason = (reason or "").strip() or None
        with self._write():
            self.get_report(report_id)
            proposed = self.proposed_conclusion(report_id)
            if conclusion is not None and conclusion != proposed and not reason:
                raise ValueError(f"建议结论为「{proposed}」，改为「{conclusion}」须说明理由")
            self.db.conn.execute(
                "UPDATE reports SET conclusion = ?, conclusion_reason = ?, conclusion_by = ?,"
                " conclusion_at = ? WHERE id = ?",
                [conclusion, reason if conclusion else None, reviewer if conclusion else None,
                 self._stamp() if conclusion else None, report_id])

    # --- the office's settings -----------------------------------------------------------
    def settings(self) -> dict[str, str]:
        """The office's settings: ``office`` (name), ``basis_profile``, ``unqualifying``."""
        return {k: v for k, v in self._rows("SELECT key, value FROM settings")}

    def set_setting(self, key: str, value: str | None) -> None:
        """Set one setting (None or "" removes it)."""
        with self._write():
            if value is None or not str(value).strip():
                self.db.conn.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                self.db.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, str(value).strip()])

    def unqualifying_lines(self) -> tuple[str, ...]:
        """The lines whose 不通过 makes a report 不合格 (the office's, else the default)."""
        from core.catalogue import DEFAULT_UNQUALIFYING

        text = self.settings().get("unqualifying")
        if text is None:
            return DEFAULT_UNQUALIFYING
        # "-" stands for "none": the office counts no line as 不合格.
        return tuple(x for x in text.replace("，", ",").replace(" ", "").split(",")
                     if x and x != "-")

    def set_verdict(self, report_id: int, fingerprint: str, verdict: str | None, *,
                    reason: str | None = None, reviewer: str | None = None) -> None:
        """Confirm or dismiss a finding (None clears it); kept across re-checks."""
        if verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
        if verdict == "dismissed" and not (reason or "").strip():
            raise ValueError("排除一项发现须说明理由（--reason）")
        with self._write():
            self.get_report(report_id)
            c = self.db.conn
            known = c.execute("SELECT 1 FROM findings WHERE report_id = ? AND fingerprint = ?"
                              " UNION SELECT 1 FROM verdicts WHERE report_id = ?"
                              " AND fingerprint = ?",
                              [report_id, fingerprint, report_id, fingerprint]).fetchone()
            if known is None:
                raise NotFound(f"report {report_id} has no finding {fingerprint}",
                               f"报告 {report_id} 没有编号为 {fingerprint} 的发现"
                               "（可用 show 命令查看各项发现的编号）")
            if verdict is None:
                c.execute("DELETE FROM verdicts WHERE report_id = ? AND fingerprint = ?",
                          [report_id, fingerprint])
            else:
                c.execute(
                    "INSERT INTO verdicts (report_id, fingerprint, verdict, reason, reviewer, at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id, fingerprint) DO UPDATE"
                    " SET verdict = excluded.verdict, reason = excluded.reason,"
                    " reviewer = excluded.reviewer, at = excluded.at",
                    [report_id, fingerprint, verdict, reason, reviewer, self._stamp()])
                c.execute("UPDATE reports SET status = ? WHERE id = ? AND status = ?",
                          [IN_REVIEW, report_id, UNREVIEWED])
            self._update_counts(report_id)

def _marks(values: list[Any]) -> str:
    """``?, ?, ?``: one SQL parameter per value."""
    return ", ".join("?" * len(values))
