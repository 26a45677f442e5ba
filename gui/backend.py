"""The window's view of the review database. No Qt here.

:class:`StoreBackend` wraps :class:`core.store.ReportStore` with the few calls the
window makes, in the shapes its models want (a :class:`ReportSummary` per list
line, a :class:`Verdict` per judged finding). All calls run on the GUI thread:
SQLite connections belong to the thread that opened them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.filenames import path_from_storage
from core.model import Finding, Report, Value

if TYPE_CHECKING:
    from core.store import ReportStore

from core.values import kind_of_value
from core.vocabulary import CONFIRMED, DISMISSED, IN_REVIEW, REVIEWED
from core.vocabulary import NOT_REVIEWED as UNREVIEWED

__all__ = ["StoreBackend", "ReportSummary", "Verdict", "kind_of_value", "is_error",
           "CONFIRMED", "DISMISSED", "UNREVIEWED", "IN_REVIEW", "REVIEWED"]


def is_error(f: Finding) -> bool:
    """An error that counts: severity error and failed (not merely uncertain)."""
    return f.severity == "error" and f.status == "fail"


@dataclass(slots=True)
class ReportSummary:
    """One line of the report list (fields in the order of
    :data:`core.store.ReportStore.LIST_ROW_COLUMNS`)."""

    id: int
    file: str
    kind: str
    agency: str | None
    year: int | None
    format: str | None
    status: str = UNREVIEWED  # 未审 | 审查中 | 已审
    reviewer: str | None = None
    errors: int = 0
    warnings: int = 0
    published: str | None = None
    revision: int = 1
    imported_at: str = ""
    # Checklist lines 不通过 / 待核实, by the line rule (core.line_results): what the list shows.
    failed: int = 0
    pending: int = 0

    @property
    def reviewed(self) -> bool:
        return self.status == REVIEWED

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> ReportSummary:
        return cls(int(r["id"]), r["file_name"], r["kind"], r["agency"], r["year"], r["format"],
                   r["status"], r["reviewer"], int(r["n_errors"]), int(r["n_warnings"]),
                   r.get("published"), int(r.get("revision") or 1), r.get("imported_at") or "",
                   int(r.get("n_failed") or 0), int(r.get("n_pending") or 0))


@dataclass
class Verdict:
    """An inspector's word on one finding, kept by the finding's fingerprint."""

    fingerprint: str
    verdict: str  # confirmed | dismissed
    reason: str = ""
    user: str = ""


@dataclass
class AddResult:
    report_id: int
    created: bool  # False: the same file was already in the database


class StoreBackend:
    """The review database as the window uses it.

    Made with a path, the database is opened on first use (:meth:`connect`), so the
    window can show before sqlite_utils is even imported.
    """

    def __init__(self, store: ReportStore | None = None, *,
                 path: str | os.PathLike[str] | None = None) -> None:
        if store is None and path is None:
            raise ValueError("a store or a path is needed")
        self._store = store
        self._path = Path(path) if path is not None else None
        self._reports: dict[int, Report] = {}
        self._originals: dict[int, dict[str, Value]] = {}
        self._sources: dict[int, str] = {}
        # Copies of stored files for the source view: private (mode 0700, a random name)
        # and removed on close or at exit, never a shared folder left in /tmp.
        self._copies: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, lazy: bool = False) -> StoreBackend:
        """The database at ``path``: opened now (raising its StoreError), or on first use."""
        backend = cls(path=path)
        if not lazy:
            backend.connect()
        return backend

    def connect(self) -> ReportStore:
        """Open the database if it is not open yet; raises core.store.StoreError."""
        if self._store is None:
            from core.store import open_store

            assert self._path is not None
            self._store = open_store(self._path)
        return self._store

    def switch(self, path: str | os.PathLike[str]) -> None:
        """Use the database at ``path`` from now on (created if new).

        The new database is opened first: when that fails (its StoreError propagates),
        the current one stays open and in use."""
        from core.store import open_store

        store = open_store(Path(path))
        if self._store is not None:
            self._store.close()
        self._store, self._path = store, Path(path)
        self._reports.clear()
        self._originals.clear()
        self._sources.clear()

    @property
    def store(self) -> ReportStore:
        return self._store if self._store is not None else self.connect()

    @property
    def connected(self) -> bool:
        return self._store is not None

    @property
    def path(self) -> Path | None:
        return self._store.path if self._store is not None else self._path

    # --- importing -----------------------------------------------------------------------
    def known_sha256(self) -> set[str]:
        """The SHA-256 of every stored file: those are not parsed again on import."""
        return self.store.known_sha256()

    def find_sha256(self, sha256: str) -> int | None:
        return self.store.find_sha256(sha256)

    def add_report(self, report: Report, path: str | os.PathLike[str],
                   content: bytes | None = None, sha256: str | None = None) -> AddResult:
        """Store ``report`` read from ``path``, with the bytes it was read from
        (``content`` and their ``sha256`` from the import pipeline; else the file is
        read again and must not have changed)."""
        p = Path(path)
        if content is None:
            content = p.read_bytes()
        res = self.store.add_report(report, content, p.resolve(), sha256=sha256)
        if res.created:
            self._reports.clear()  # the agency's next report may have been re-checked
        return AddResult(res.report_id, res.created)

    # --- reading -------------------------------------------------------------------------
    def summaries(self, *, before_id: int | None = None, limit: int | None = None,
                  order: str | None = None, descending: bool = False) -> list[ReportSummary]:
        """The reports' list lines (see :meth:`core.store.ReportStore.list_rows`): one
        lean query, one object per row."""
        return [ReportSummary(*row) for row in self.store.list_rows(
            before_id=before_id, limit=limit, order=order, descending=descending)]

    def summary(self, report_id: int) -> ReportSummary:
        return ReportSummary.from_row(self.store.get_report(report_id))

    def report(self, report_id: int) -> Report:
        """The report as it stands (corrections applied), with its current findings."""
        r = self._reports.get(report_id)
        if r is None:
            r = self._reports[report_id] = self.store.effective_report(report_id)
        return r

    def original_values(self, report_id: int) -> dict[str, Value]:
        """The values the extractor read, for the cells that were ever corrected.

        (A cell missing here still has its extracted value.) Taken from the history:
        the first correction of a cell says what it was before.
        """
        o = self._originals.get(report_id)
        if o is None:
            o = {}
            for h in self.store.history(report_id):
                o.setdefault(h["key"], h["before"])
            self._originals[report_id] = o
        return dict(o)

    def source_file(self, report_id: int) -> str:
        """A path to the report's file as imported: the original if unchanged, else a copy
        of the bytes kept in the database."""
        cached = self._sources.get(report_id)
        if cached and Path(cached).exists():
            return cached
        row = self.store.get_report(report_id)
        orig = path_from_storage(row.get("original_path"))  # bytes: not UTF-8
        path: str | None = None
        if orig and Path(orig).is_file():
            try:
                if _sha256_file(Path(orig)) == row["sha256"]:
                    path = orig
            except OSError:
                path = None
        if path is None:
            if self._copies is None:
                self._copies = tempfile.TemporaryDirectory(prefix="nianbao-sources-")
            folder = Path(self._copies.name)
            suffix = Path(row["file_name"]).suffix or ""
            copy = folder / f"{row['sha256'][:24]}{suffix}"
            if not copy.exists():
                copy.write_bytes(self.store.file_content(report_id))
            path = str(copy)
        self._sources[report_id] = path
        return path

    def history(self, report_id: int) -> list[dict[str, Any]]:
        return self.store.history(report_id)

    # --- correcting ----------------------------------------------------------------------
    def correct_cell(self, report_id: int, key: str, value: Value, *, user: str = "",
                     reason: str = "") -> tuple[int | None, list[Finding]]:
        """Record a correction: (its id, or None when the cell already had that value;
        the findings after it)."""
        res = self.store.correct(report_id, key, value, reviewer=user or None,
                                 reason=reason or None)
        return res.correction_id, self._after_change(report_id)

    def undo_correction(self, report_id: int, correction_id: int, *,
                        user: str = "") -> list[Finding]:
        """Undo exactly correction ``correction_id`` (a new row; corrections made since,
        in the command line too, stay). Raises :class:`core.store.UndoConflict` when the
        cell was corrected again since."""
        self.store.undo(report_id, correction_id=correction_id, reviewer=user or None)
        return self._after_change(report_id)

    def _after_change(self, report_id: int) -> list[Finding]:
        # Clear them all: the agency's next report is re-checked too (cross-year rules).
        self._reports.clear()
        self._originals.pop(report_id, None)
        return self.report(report_id).findings

    # --- reviewing -----------------------------------------------------------------------
    def verdicts(self, report_id: int) -> dict[str, Verdict]:
        return {sf.finding.fingerprint: Verdict(sf.finding.fingerprint, sf.verdict,
                                                sf.reason or "", sf.reviewer or "")
                for sf in self.store.findings(report_id) if sf.verdict}

    def set_verdict(self, report_id: int, fingerprint: str, verdict: str | None, *,
                    reason: str = "", user: str = "") -> None:
        self.store.set_verdict(report_id, fingerprint, verdict, reason=reason or None,
                               reviewer=user or None)

    def mark_reviewed(self, report_id: int, reviewer: str | None) -> None:
        """已审 with the reviewer's name; None takes the mark back (审查中)."""
        if reviewer is None:
            self.store.set_status(report_id, IN_REVIEW)
        else:
            self.store.set_status(report_id, REVIEWED, reviewer=reviewer)

    def search(self, text: str) -> set[int]:
        """Ids of the reports whose agency, title or text contain every word of ``text``."""
        return {h.report_id for h in self.store.search(text, limit=100000)}

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._copies is not None:
            self._sources.clear()
            self._copies.cleanup()
            self._copies = None


def _sha256_file(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
