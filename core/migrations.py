"""The review database's schema, as an ordered list of sqlite-utils migrations.

A migration is never edited once released: a database made by an older version of
the program is upgraded in place by applying the ones it lacks, and
``tests/fixtures/db/schema_v<N>.sqlite`` keeps a database of each earlier schema so
the upgrade stays tested. ``PRAGMA user_version`` mirrors the schema version so
that a newer database can be recognised (and refused) without reading any table.
"""

from __future__ import annotations

from collections.abc import Callable

# typing.TYPE_CHECKING without importing typing: the commands that only read load it nowhere
# else, and it costs ~2 ms of their start-up (benchmarks/startup.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from sqlite_utils import Database, Migrations

MIGRATION_SET = "nianbao-shenchatai"


class _Step:
    """One migration. A plain class: a dataclass or NamedTuple costs ~1 ms to define,
    paid by every command that reads the database (only these names are needed there)."""

    __slots__ = ("name", "fn", "transactional")

    def __init__(self, name: str, fn: Callable[[Database], None], transactional: bool) -> None:
        self.name = name
        self.fn = fn
        self.transactional = transactional


class LazyMigrations:
    """sqlite-utils' ``Migrations``, built when the database is upgraded, not at import.

    Importing sqlite-utils costs about a quarter of a second (it loads numpy and looks
    for pandas); reading the database (``list``, ``show`` …) only needs the migrations'
    names, which this keeps. Used as sqlite-utils' decorator: ``@migrations()``.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[_Step] = []
        self._built: Migrations | None = None

    def __call__(self, *, name: str | None = None, transactional: bool = True
                 ) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
        def inner(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            self._migrations.append(_Step(name or fn.__name__, fn, transactional))
            self._built = None
            return fn

        return inner

    def names(self) -> list[str]:
        return [m.name for m in self._migrations]

    def _sqlite_utils(self) -> Migrations:
        if self._built is None:
            from sqlite_utils import Migrations

            built = Migrations(self.name)
            for m in self._migrations:
                built(name=m.name, transactional=m.transactional)(m.fn)
            self._built = built
        return self._built

    def pending(self, db: Database) -> list[Any]:
        return self._sqlite_utils().pending(db)

    def apply(self, db: Database) -> None:
        self._sqlite_utils().apply(db)


migrations = LazyMigrations(MIGRATION_SET)

# JSON columns hold text written by json.dumps: cell values keep int / float / str /
# null apart (0 vs 0.0 vs "/" vs blank), which a REAL or TEXT column would blur.
_V1 = """
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
    file_name TEXT NOT NULL,
    original_path TEXT,
    kind TEXT NOT NULL,
    agency TEXT,
    year INTEGER,
    format TEXT,
    published TEXT,
    title TEXT,
    pages INTEGER,
    imported_at TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT '未审' CHECK (status IN ('未审', '审查中', '已审')),
    reviewer TEXT,
    sections TEXT NOT NULL DEFAULT '{}',
    tables_found TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '[]',
    is_government INTEGER NOT NULL DEFAULT 0,
    merged_other_row INTEGER NOT NULL DEFAULT 0,
    n_cells INTEGER NOT NULL DEFAULT 0,
    n_errors INTEGER NOT NULL DEFAULT 0,
    n_warnings INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cells (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    ord INTEGER NOT NULL,
    value TEXT NOT NULL,
    raw TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    loc TEXT,
    confidence REAL NOT NULL DEFAULT 1.0,
    PRIMARY KEY (report_id, key)
) WITHOUT ROWID;
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    at TEXT NOT NULL,
    reviewer TEXT,
    reason TEXT,
    undoes INTEGER REFERENCES corrections(id),
    FOREIGN KEY (report_id, key) REFERENCES cells(report_id, key) ON DELETE CASCADE
);
CREATE INDEX corrections_cell ON corrections(report_id, key, id);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    cells TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX findings_report ON findings(report_id, ord);
CREATE TABLE verdicts (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed')),
    reason TEXT,
    reviewer TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (report_id, fingerprint)
);
CREATE TABLE documents (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    agency TEXT,
    title TEXT,
    text TEXT NOT NULL,
    section_text TEXT NOT NULL DEFAULT '{}'
);
"""


@migrations()
def m001_initial(db: Database) -> None:
    """Reports, their files, cells, corrections, findings, verdicts and searchable text."""
    # executescript keeps to the migration's transaction (sqlite-utils >= 4.2).
    db.executescript(_V1)
    # The default FTS5 tokenizer finds nothing inside Chinese text; trigram does
    # (queries of three characters or more; the store falls back to LIKE below that).
    db.table("documents").enable_fts(["agency", "title", "text"], tokenize="trigram",
                               create_triggers=True)
    db.execute("PRAGMA user_version = 1")


@migrations()
def m002_report_note_and_agency_index(db: Database) -> None:
    """An inspector's free note on a report; an index for revisions and agency filters.

    Every import looks up the agency's reports (next revision number, previous year's
    report for the cross-year checks): without the index that is a full scan.
    """
    db.execute("ALTER TABLE reports ADD COLUMN note TEXT")
    db.execute("CREATE INDEX reports_agency_year ON reports(agency, year)")
    db.execute("PRAGMA user_version = 2")


@migrations()
def m003_text_end_for_two_character_search(db: Database) -> None:
    """End each stored text with a newline so every character of it starts a trigram.

    A two-character word is then found through the trigram index by prefix instead of
    a scan of every text (the store strips the newline when it reads the text back).
    The FTS triggers re-index each row.
    """
    db.execute("UPDATE documents SET text = text || char(10)")
    db.execute("PRAGMA user_version = 3")


@migrations()
def m004_text_end_for_one_character_search(db: Database) -> None:
    """A second newline at the end of each stored text: with one, the last character
    did not start a trigram, so a one-character word found only there was missed once
    the store stopped scanning every text for one-character words.
    """
    db.execute("UPDATE documents SET text = text || char(10)")
    db.execute("PRAGMA user_version = 4")


@migrations()
def m005_conclusion_opinion_line_counts_settings(db: Database) -> None:
    """The review's outcome and the office's settings.

    - ``conclusion`` 合格/需整改/不合格 when the inspector set one (NULL: the one proposed
      from the lines stands), with the reason, who and when; who and when for the
      opinion (``note``) and for marking the report 已审;
    - ``n_failed`` / ``n_pending``: how many checklist lines are 不通过 / 待核实, kept on
      the row like ``n_errors`` so the report list, charts and overview need no join;
      filled here from the stored findings and verdicts;
    - ``settings``: the office's name, the basis profile and the lines that make a
      report 不合格, shared by the window and the command line.
    """
    for column in ("conclusion TEXT CHECK (conclusion IN ('合格', '需整改', '不合格'))",
                   "conclusion_reason TEXT", "conclusion_by TEXT", "conclusion_at TEXT",
                   "note_by TEXT", "note_at TEXT", "reviewed_at TEXT",
                   "n_failed INTEGER NOT NULL DEFAULT 0", "n_pending INTEGER NOT NULL DEFAULT 0"):
        db.execute(f"ALTER TABLE reports ADD COLUMN {column}")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # Counted with the rule every view uses (imported here: the rule, not a copy of it).
    from core.store import line_counts_of

    for (report_id,) in db.execute("SELECT id FROM reports").fetchall():
        failed, pending = line_counts_of(db.conn, report_id)
        db.execute("UPDATE reports SET n_failed = ?, n_pending = ? WHERE id = ?",
                   [failed, pending, report_id])
    db.execute("PRAGMA user_version = 5")


_V6 = """
CREATE TABLE IF NOT EXISTS agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT CHECK (level IS NULL OR level IN ('部门', '政府本级')),
    area TEXT NOT NULL DEFAULT '',
    expected INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER REFERENCES agencies(id)
);
CREATE TABLE IF NOT EXISTS agency_names (
    name TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    how TEXT NOT NULL DEFAULT 'report'
);
CREATE INDEX IF NOT EXISTS agency_names_agency ON agency_names(agency_id);
CREATE INDEX IF NOT EXISTS agency_names_key ON agency_names(key);
CREATE TABLE IF NOT EXISTS agency_changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL,
    undoes INTEGER REFERENCES agency_changes(id)
);
"""


@migrations()
def m006_register_of_agencies(db: Database) -> None:
    """The register of agencies (core/register.py): each agency once with its names,
    level, area and whether it must report; the reports already stored are registered.

    Numbered 6 after issue 11's v5; it reads and writes none of v5's tables, so it
    upgrades a v4 database as well as a v5 one.
    """
    from core.register import register_existing_reports

    db.executescript(_V6)
    register_existing_reports(db.conn)
    db.execute("PRAGMA user_version = 6")


@migrations()
def m007_reading_notes(db: Database) -> None:
    """What the extractor says about how it read a report (issue 17): why it chose the
    level (政府本级 / 部门), where the publication date was read, and per cell why its
    confidence is lowered and which PDF reader produced it (JSON: note, reader,
    readings). Numbered 7 after the register of agencies (6) and the conclusions (5);
    it touches no table of theirs."""
    db.execute("ALTER TABLE reports ADD COLUMN level_basis TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE reports ADD COLUMN published_source TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE cells ADD COLUMN detail TEXT")
    db.execute("PRAGMA user_version = 7")


# The schema version this program writes (the last migration's number).
SCHEMA_VERSION = 7
