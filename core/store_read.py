"""The review database opened for reading: plain ``sqlite3``, no sqlite-utils, no data classes.

``list``, ``search`` and ``history`` do a few ms of work after the start-up of Python: they
open the database with :func:`open_reader` and read it through :class:`ReportReader`,
which loads neither sqlite-utils (it imports numpy) nor :mod:`core.model` (dataclasses,
which imports inspect) nor the store's write code. :class:`core.store.ReportStore` is a
ReportReader that also imports, corrects and checks; :func:`core.store.open_store` checks
a file with the same :func:`examine` before it opens it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from core.migrations import MIGRATION_SET, SCHEMA_VERSION, migrations
from core.store_errors import (
    NotFound,
    StoreCorrupt,
    StoreForeign,
    StoreNeedsUpgrade,
    StoreReadOnly,
    StoreTooNew,
    classify_error,
)

# typing.TYPE_CHECKING without importing typing: the commands that only read load it nowhere
# else, and it costs ~2 ms of their start-up (benchmarks/startup.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from sqlite_utils import Database  # loaded only to write (see ReadOnlyDatabase)

DEFAULT_BUSY_TIMEOUT_MS = 5000
# Above this size open_store skips the full quick_check unless asked (see open_store).
VERIFY_MAX_BYTES = 64 * 1024 * 1024
# Stored after each document's text so that every character of it starts a trigram:
# a one- or two-character word is then found through the trigram index by prefix
# (see search).
TEXT_END = "\n\n"
# A one-character word that starts more trigrams than this is looked for by a scan of
# the texts instead: it is common, so the newest reports hold it and the scan stops soon.
MAX_PREFIX_TERMS = 400


class SearchHit:
    """A report found by :meth:`ReportReader.search`. The classes of this module are plain
    ones: a dataclass or NamedTuple costs ~1 ms to define, a tenth of ``list``'s work."""

    __slots__ = ("report_id", "agency", "year", "file_name", "snippet")

    def __init__(self, report_id: int, agency: str | None, year: int | None, file_name: str,
                 snippet: str) -> None:
        self.report_id = report_id
        self.agency = agency
        self.year = year
        self.file_name = file_name
        self.snippet = snippet

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchHit) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"SearchHit{self._fields()!r}"

    def _fields(self) -> tuple[Any, ...]:
        return (self.report_id, self.agency, self.year, self.file_name, self.snippet)


# --- opening -----------------------------------------------------------------------------


class Examined:
    """What :func:`examine` found out about a database file before opening it."""

    __slots__ = ("exists", "writable", "pending", "connection")

    def __init__(self, exists: bool, writable: bool, pending: bool,
                 connection: sqlite3.Connection | None = None) -> None:
        self.exists = exists
        self.writable = writable  # the file and its folder (WAL makes -wal/-shm files)
        self.pending = pending  # made by an older version: migrations to apply first
        # The read-only connection that looked at the file, kept for reading when only
        # reading was asked (a second one would parse the schema again: ~1 ms).
        self.connection = connection


def examine(p: Path, *, readonly: bool | None, busy_timeout_ms: int, verify: bool | None,
            create: bool) -> Examined:
    """Refuse what cannot be opened as asked (see :func:`core.store.open_store`, whose
    arguments these are), changing nothing; create the folder of a new database."""
    if p.exists() and not p.is_file():
        # A folder, a named pipe, a device: SQLite would block on a pipe or fail obscurely.
        raise StoreCorrupt(f"{p}: not a database file (a folder, pipe or device)",
                           "审查数据库路径不是普通文件（是文件夹、管道或设备），无法使用")
    exists = p.exists() and p.stat().st_size > 0
    if not exists and (not create or readonly is True):
        raise _no_database(p)
    if exists:
        if verify is None:  # reading only, nothing can be damaged further: no need
            verify = readonly is not True and p.stat().st_size <= VERIFY_MAX_BYTES
        conn = _connect_read_only(p, busy_timeout_ms)
        try:
            probe = _probe(conn, p, verify)
            _refuse_unusable(probe, p)
        except BaseException:
            conn.close()
            raise
        pending = len(probe.applied) < len(migrations.names())
        keep = readonly is True and not pending
        if not keep:
            conn.close()
        return Examined(True, _writable(p) and _writable(p.parent), pending,
                        conn if keep else None)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreReadOnly(f"{p.parent}: cannot create the database folder ({e})",
                            "无法创建审查数据库所在的文件夹") from e
    return Examined(False, _writable(p.parent), True)


def _no_database(p: Path) -> NotFound:
    return NotFound(f"{p}: no database yet (nothing has been imported)",
                    "审查数据库尚不存在（还没有导入任何报告）")


def connect_for_reading(p: Path, found: Examined, *, busy_timeout_ms: int,
                        upgrade: bool) -> sqlite3.Connection:
    """A read-only connection to the database :func:`examine` found at ``p``; with
    ``upgrade``, a database of an older schema is first upgraded (when it can be written)."""
    if not found.exists:
        raise _no_database(p)
    conn, found.connection = found.connection, None
    if conn is None:
        if found.pending and upgrade and found.writable:
            from core.store import open_store  # the upgrade writes: sqlite-utils, migrations

            open_store(p, readonly=False, busy_timeout_ms=busy_timeout_ms,
                       verify=False).close()
        elif found.pending:
            raise StoreNeedsUpgrade(
                f"{p}: made by an older version and must be upgraded, but it is read-only; "
                "it was not modified")
        conn = _connect_read_only(p, busy_timeout_ms)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    except sqlite3.Error as e:
        conn.close()
        raise classify_error(e, p) from e
    return conn


def open_reader(path: str | os.PathLike[str], *,
                busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
                upgrade: bool = False) -> ReportReader:
    """``open_store(path, readonly=True, upgrade=upgrade)``, for commands that only read:
    the same refusals (:class:`~core.store_errors.NotFound` for a database not made
    yet …), a :class:`ReportReader` instead of a whole store."""
    p = Path(path)
    found = examine(p, readonly=True, busy_timeout_ms=busy_timeout_ms, verify=None,
                    create=False)
    conn = connect_for_reading(p, found, busy_timeout_ms=busy_timeout_ms, upgrade=upgrade)
    return ReportReader(ReadOnlyDatabase(conn), path=p)


class _Probe:
    __slots__ = ("user_version", "tables", "applied")

    def __init__(self, user_version: int, tables: set[str], applied: list[str]) -> None:
        self.user_version = user_version
        self.tables = tables
        self.applied = applied  # names of the migrations applied, in order


def _connect_read_only(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """A read-only connection that changes nothing on disk.

    A WAL database needs its -shm file even to be read; on a read-only disk (a CD, a
    write-protected stick) SQLite cannot create it and says "unable to open". Nobody can
    write there either, so the file is opened as immutable instead, unless a -wal file
    holds changes that were never merged back: those would be silently missed."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        return conn
    except sqlite3.Error as e:
        if not isinstance(e, sqlite3.OperationalError) or "unable to open" not in \
                str(e).lower() or os.access(path.parent, os.W_OK):
            raise classify_error(e, path) from e
        first = e
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreReadOnly(
            f"{path}: on a read-only disk with unmerged changes in {wal.name}; copy the "
            f"database and {wal.name} to a writable folder to open it",
            "审查数据库位于只读磁盘且有未合并的日志文件，"
            "请将数据库连同 -wal 文件复制到可写位置后再打开"
        ) from first
    try:
        conn = sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        return conn
    except sqlite3.Error as e:
        raise classify_error(e, path) from e


def _probe(conn: sqlite3.Connection, path: Path, verify: bool) -> _Probe:
    """Look at an existing database through a read-only connection, changing nothing."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        applied: list[str] = []
        if "_sqlite_migrations" in tables:
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET])]
        # quick_check reads every page: a damaged file is refused here, before anything
        # is written to it, rather than failing in the middle of a review.
        if verify:
            check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise StoreCorrupt(f"{path}: the database file is damaged ({check})")
    except sqlite3.Error as e:
        raise classify_error(e, path) from e
    return _Probe(user_version, tables, applied)


def _refuse_unusable(probe: _Probe, path: Path) -> None:
    known = migrations.names()
    unknown = [name for name in probe.applied if name not in known]
    if probe.user_version > SCHEMA_VERSION or unknown:
        raise StoreTooNew(
            f"{path}: made by a newer version of this program (schema version "
            f"{probe.user_version}, this program supports up to {SCHEMA_VERSION}); "
            "it was not modified")
    ours = bool(probe.applied)
    if not ours and probe.tables - {"_sqlite_migrations"}:
        raise StoreForeign(f"{path}: this SQLite file belongs to another program; "
                           "it was not modified")


def _writable(p: Path) -> bool:
    # The mode bits count too: root may write anything, but a file someone made
    # read-only (chmod a-w) means "do not touch", for root as well.
    return os.access(p, os.W_OK) and bool(p.stat().st_mode & 0o222)


class ReadOnlyDatabase:
    """What :class:`ReportReader` uses of a ``sqlite_utils.Database``, for reading only:
    the same queries run on a plain ``sqlite3`` connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()


# --- reading -----------------------------------------------------------------------------


class ReportReader:
    """The queries that only read the database: a report's row, the list of reports, a
    report's corrections, the search. :class:`core.store.ReportStore` adds the rest."""

    def __init__(self, db: Database | ReadOnlyDatabase, *, path: Path | None = None) -> None:
        self.db = db
        self.path = path
        self._vocab = False

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReportReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """The rows of a query as plain tuples (no row factory is ever set)."""
        try:
            return self.db.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise classify_error(e, self.path or "database") from e

    def _dicts(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        try:
            cur = self.db.conn.execute(sql, params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        except sqlite3.Error as e:
            raise classify_error(e, self.path or "database") from e

    def schema_version(self) -> int:
        return int(self._rows("PRAGMA user_version")[0][0])

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: "ok" for a sound database."""
        return "\n".join(str(r[0]) for r in self._rows("PRAGMA integrity_check"))

    def get_report(self, report_id: int) -> dict[str, Any]:
        """The report's row: file, agency, year, status, reviewer, counts …"""
        rows = self._dicts("SELECT * FROM reports WHERE id = ?", [report_id])
        if not rows:
            raise NotFound(f"no report {report_id} in the database",
                           f"数据库中没有编号为 {report_id} 的报告")
        return rows[0]

    def count_reports(self) -> int:
        return int(self._rows("SELECT count(*) FROM reports WHERE complete = 1")[0][0])

    # What list_reports gives of each report: its row without the stored JSON and text.
    REPORT_LIST_COLUMNS = ("id", "file_name", "kind", "agency", "year", "format", "published",
                           "revision", "status", "reviewer", "note", "n_errors", "n_warnings",
                           "n_failed", "n_pending", "conclusion", "imported_at")

    def list_reports(self, *, agency: str | None = None, year: int | None = None,
                     status: str | None = None, has_errors: bool | None = None,
                     limit: int | None = None) -> list[dict[str, Any]]:
        """Reports for a list view, newest first, as dicts of :data:`REPORT_LIST_COLUMNS`.
        ``agency`` matches part of the name."""
        return self._dicts(*self._list_query(self.REPORT_LIST_COLUMNS, agency, year, status,
                                             has_errors, limit))

    def list_table(self, columns: Sequence[str], *, agency: str | None = None,
                   year: int | None = None, status: str | None = None,
                   has_errors: bool | None = None) -> list[tuple[Any, ...]]:
        """The reports of :meth:`list_reports` (same filters, same order) as tuples of
        only ``columns`` (names of :data:`REPORT_LIST_COLUMNS`): ``main.py list`` prints 9
        of the 17 columns, and 2,000 reports read and made into dicts cost ~5 ms."""
        return self._rows(*self._list_query(columns, agency, year, status, has_errors, None))

    def _list_query(self, columns: Sequence[str], agency: str | None, year: int | None,
                    status: str | None, has_errors: bool | None, limit: int | None
                    ) -> tuple[str, list[Any]]:
        """The SQL of the list of reports and its parameters: the filters, one definition."""
        unknown = [c for c in columns if c not in self.REPORT_LIST_COLUMNS]
        if unknown:
            raise ValueError(f"not a column of the list of reports: {', '.join(unknown)}")
        where = ["complete = 1"]
        params: list[Any] = []
        if agency:
            where.append("instr(agency, ?) > 0")
            params.append(agency)
        if year is not None:
            where.append("year = ?")
            params.append(year)
        if status:
            where.append("status = ?")
            params.append(status)
        # "With errors" means with a line 不通过: the rule of the checklist, not a raw count.
        if has_errors is True:
            where.append("n_failed > 0")
        elif has_errors is False:
            where.append("n_failed = 0")
        sql = (f"SELECT {', '.join(columns)} FROM reports"
               f" WHERE {' AND '.join(where)} ORDER BY id DESC")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return sql, params

    # The report list's columns, in this order (gui.backend.ReportSummary's fields).
    LIST_ROW_COLUMNS = ("id", "file_name", "kind", "agency", "year", "format", "status",
                        "reviewer", "n_errors", "n_warnings", "published",
                        "COALESCE(revision, 1)", "COALESCE(imported_at, '')",
                        "COALESCE(n_failed, 0)", "COALESCE(n_pending, 0)")

    # The list's sort orders in SQL: the same order as the window's keys (gui.models.
    # reports._SORT_KEYS), the id last; SQLite's BINARY collation compares UTF-8 bytes,
    # which is Python's code-point order for str.
    LIST_ORDERS = {"agency": "COALESCE(agency, file_name)", "year": "COALESCE(year, 0)",
                   "format": "COALESCE(format, '')", "kind": "kind", "status": "status",
                   "failed": "COALESCE(n_failed, 0)", "pending": "COALESCE(n_pending, 0)"}

    def list_rows(self, *, before_id: int | None = None, limit: int | None = None,
                  order: str | None = None, descending: bool = False
                  ) -> list[tuple[Any, ...]]:
        """Complete reports as tuples of :data:`LIST_ROW_COLUMNS`: what the window's list
        shows, in one lean query (10,000 reports: no dicts). Newest first, ``before_id``
        and ``limit`` paging through them; or with ``order`` (a key of
        :data:`LIST_ORDERS`) the first ``limit`` in that order."""
        where = "complete = 1" + (" AND id < ?" if before_id is not None else "")
        if order is not None:
            way = " DESC" if descending else ""
            by = f"{self.LIST_ORDERS[order]}{way}, id{way}"
        else:
            by = "id DESC"
        sql = (f"SELECT {', '.join(self.LIST_ROW_COLUMNS)} FROM reports WHERE {where}"
               f" ORDER BY {by}" + (f" LIMIT {int(limit)}" if limit is not None else ""))
        return self._rows(sql, [before_id] if before_id is not None else [])

    def history(self, report_id: int) -> list[dict[str, Any]]:
        """Every correction of a report, oldest first; ``undone_by`` names a later undo."""
        import json  # only here: values are stored as JSON (``list`` needs no decoder)

        self.get_report(report_id)
        rows = self._dicts(
            "SELECT c.id, c.key, c.before, c.after, c.at, c.reviewer, c.reason, c.undoes,"
            " (SELECT u.id FROM corrections u WHERE u.undoes = c.id) AS undone_by"
            " FROM corrections c WHERE c.report_id = ? ORDER BY c.id", [report_id])
        for r in rows:
            r["before"] = json.loads(r["before"])
            r["after"] = json.loads(r["after"])
        return rows

    # --- searching -----------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Reports whose agency, title or text contain every word of ``query``.

        Newest first. Words of three characters or more are trigram phrases (FTS5). Trigram
        cannot take a shorter word directly; a two-character word is found through the
        index's terms that start with it (every character of a stored text starts a
        trigram, thanks to ``TEXT_END``), plus agency and title looked at directly; so is a
        one-character word, unless it starts so many trigrams that scanning the text
        (``instr``, newest first, stopping at ``limit``) is quicker. A character found in
        no text costs a lookup of the index's terms, not a scan of every text.
        """
        words = query.split()
        if not words:
            return []
        if all(len(w) >= 3 for w in words):
            rows = self._rows(
                "SELECT r.id, r.agency, r.year, r.file_name,"
                " snippet(documents_fts, 2, '【', '】', '…', 16)"
                " FROM documents_fts JOIN reports r ON r.id = documents_fts.rowid"
                " WHERE documents_fts MATCH ? AND r.complete = 1"
                # Newest first, like the list: ranking (bm25) scores every match, 40 ms
                # for a phrase found in all of 10,000 reports, for little gain here.
                " ORDER BY documents_fts.rowid DESC LIMIT ?",
                [" AND ".join(_phrase(w) for w in words), limit])
            return [SearchHit(*row) for row in rows]
        where: list[str] = []
        params: list[Any] = []
        for w in words:
            terms = [w] if len(w) >= 3 else self._terms_starting(w)
            cond = ["instr(coalesce(r.agency, ''), ?) > 0",
                    "instr(coalesce(r.title, ''), ?) > 0"]
            params += [w, w]
            if len(terms) > MAX_PREFIX_TERMS:
                # A common character: scanning the text newest first meets the LIMIT soon.
                cond.append("instr(d.text, ?) > 0")
                params.append(w)
            elif terms:
                cond.append("r.id IN (SELECT rowid FROM documents_fts"
                            " WHERE documents_fts MATCH ?)")
                params.append(" OR ".join(_phrase(t) for t in terms))
            where.append("(" + " OR ".join(cond) + ")")
        rows = self._rows(
            "SELECT r.id, r.agency, r.year, r.file_name, d.text FROM reports r"
            " JOIN documents d ON d.report_id = r.id"
            f" WHERE r.complete = 1 AND {' AND '.join(where)} ORDER BY r.id DESC LIMIT ?",
            [*params, limit])
        return [SearchHit(rid, agency, year, name, _snippet(text, words[0]))
                for rid, agency, year, name, text in rows]

    def _terms_starting(self, word: str) -> list[str]:
        """The trigrams in the index that start with ``word`` (a range scan of its terms)."""
        if not self._vocab:
            # A TEMP table: nothing is written to the database file (works read-only too).
            self.db.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.documents_vocab"
                                 " USING fts5vocab(main, documents_fts, 'row')")
            self._vocab = True
        w = word.lower()  # the trigram index folds ASCII case
        return [r[0] for r in self._rows(
            "SELECT term FROM temp.documents_vocab WHERE term >= ? AND term < ?",
            [w, w + "\U0010ffff"])]


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _snippet(text: str, word: str, width: int = 16) -> str:
    i = text.find(word)
    if i < 0:
        return text[: 2 * width].replace("\n", " ")
    start, end = max(0, i - width), i + len(word) + width
    return (("…" if start else "") + text[start:i] + "【" + word + "】"
            + text[i + len(word):end] + ("…" if end < len(text) else "")).replace("\n", " ")
