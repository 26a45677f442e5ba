"""The one way a file becomes a report: find the files, read each in the sandbox, check it.

``extract`` and ``check`` on the command line use :func:`each_report`; ``import``,
``checklist FILE…`` and the window use :func:`iter_import`, which also stores each
report. Both read files in :mod:`core.sandbox` workers with a time and a memory limit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ReportError
from core.model import Report

if TYPE_CHECKING:  # the store pulls in sqlite-utils; extract and check never need it
    from core.store import ReportStore

REPORT_SUFFIXES = frozenset(
    {".pdf", ".docx", ".doc", ".html", ".htm", ".shtml", ".txt", ".mht", ".xhtml"})


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders walked recursively for files of report kinds."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*")
                          if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES)
        else:
            out.append(p)
    return out


def analyse(path: Path, run_checks: bool = True) -> Report:
    """Read, extract and check one file."""
    from core.checker import check
    from core.extract import extract_file
    from core.sandbox import page_done

    # In a sandbox worker each page read by OCR earns more time (page_done): a long scan
    # is slow, not stuck. Elsewhere page_done does nothing.
    report = extract_file(path, page_done)
    if run_checks:
        report.findings = check(report)
    return report


def each_report(paths: Iterable[str | os.PathLike[str]], jobs: int | None = None
                ) -> Iterator[tuple[Path, Report | ReportError]]:
    """(file, report or the reason it failed) in the order given, files read and checked
    in sandbox workers (``jobs`` of them, default both cores), nothing stored."""
    from core.sandbox import SandboxPool

    files = expand_paths(paths)
    todo = [f for f in files if f.exists()]
    jobs = jobs or min(2, os.cpu_count() or 1)
    pool = SandboxPool(workers=min(jobs, len(todo))) if len(todo) > 1 else None
    # One file: run_isolated forks this process (5-30 ms) where a pool would start a
    # second interpreter that imports everything again (0.15-0.25 s).
    results = pool.map_outcomes(analyse, todo) if pool else ((f, _isolated(f)) for f in todo)
    complete = False
    try:
        for path in files:
            result: Report | ReportError = (next(results)[1] if path.exists()
                                            else ReportError("no such file"))
            if isinstance(result, ReportError):
                msg = str(result)
                if msg.startswith(path.name + ": "):
                    result = ReportError(msg[len(path.name) + 2:])
            yield path, result
        complete = True
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=not complete)


def _isolated(path: Path) -> Report | ReportError:
    from core.sandbox import run_isolated

    try:
        return run_isolated(analyse, path)
    except ReportError as e:
        return e


# --- the import pipeline ------------------------------------------------------------------


@dataclass(frozen=True)
class ImportEvent:
    """One file done: ``outcome`` is "imported", "present" (same bytes already stored) or
    "failed" (``reason`` says why; the other files still go in)."""

    index: int  # 1-based
    total: int
    path: Path
    outcome: str
    report_id: int | None = None
    revision: int | None = None
    reason: str | None = None


def parse_file(path: str) -> tuple[Report | None, str | None]:
    """Read and extract one file: (report, None) or (None, reason). Runs in a worker.

    The store runs the checker itself (with the agency's previous report), so it is
    not run here.
    """
    try:
        return analyse(Path(path), run_checks=False), None
    except ReportError as e:
        reason = str(e)
        name = Path(path).name + ": "
        return None, reason[len(name):] if reason.startswith(name) else reason
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a batch
        return None, f"internal error while reading ({type(e).__name__}: {e})"


def _not_a_file(path: Path) -> str:
    """Why ``path`` cannot be imported: missing, or a folder, pipe or device."""
    from core.readers.budgets import check_regular_file

    try:
        check_regular_file(path)
    except ReportError as e:
        reason = str(e)
        for prefix in (f"{path}: ", f"{path.name}: "):
            reason = reason.removeprefix(prefix)
        return reason
    return "no such file"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_import(store: ReportStore, paths: Iterable[str | os.PathLike[str]], *,
                jobs: int = 1) -> Iterator[ImportEvent]:
    """Import files and folders, yielding one event per file as it is done.

    Files whose bytes are already stored are skipped before parsing. Files are parsed
    in ``jobs`` worker processes with a time and a memory limit each (:mod:`core.sandbox`);
    writing stays in this process
    (SQLite has one writer), one transaction per report. A :class:`StoreError` (locked,
    read-only database) stops the import: it would fail for every file.
    """
    files = expand_paths(paths)
    total = len(files)
    todo: list[tuple[int, Path]] = []
    for i, f in enumerate(files, 1):
        if not f.is_file():
            yield ImportEvent(i, total, f, "failed", reason=_not_a_file(f))
            continue
        try:
            rid = store.find_sha256(_sha256(f))
        except OSError as e:
            yield ImportEvent(i, total, f, "failed", reason=f"cannot read ({e.strerror})")
            continue
        if rid is not None:
            yield ImportEvent(i, total, f, "present", report_id=rid,
                              revision=store.get_report(rid)["revision"])
        else:
            todo.append((i, f))
    if not todo:
        return
    from core.sandbox import SandboxPool

    # Even with one job, files are parsed in a worker with a time and a memory limit
    # (core.sandbox): a hostile file gets a reason, the batch goes on.
    with SandboxPool(workers=max(1, min(jobs, len(todo)))) as pool:
        parsed = ((None, str(result)) if isinstance(result, ReportError) else result
                  for _, result in pool.map_outcomes(parse_file, [str(f) for _, f in todo]))
        yield from _store_parsed(store, todo, parsed, total)


def _store_parsed(store: ReportStore, todo: list[tuple[int, Path]],
                  parsed: Iterable[tuple[Report | None, str | None]],
                  total: int) -> Iterator[ImportEvent]:
    from core.store import StoreError

    for (i, f), (report, reason) in zip(todo, parsed, strict=True):
        if report is None:
            yield ImportEvent(i, total, f, "failed", reason=reason)
            continue
        try:
            content = f.read_bytes()
        except OSError as e:
            yield ImportEvent(i, total, f, "failed", reason=f"cannot read ({e.strerror})")
            continue
        if hashlib.sha256(content).hexdigest() != report.sha256:
            yield ImportEvent(i, total, f, "failed", reason="the file changed while importing")
            continue
        try:
            result = store.add_report(report, content, f.resolve())
        except StoreError:
            raise
        except Exception as e:  # noqa: BLE001 - e.g. a checker bug on one file
            yield ImportEvent(i, total, f, "failed",
                              reason=f"internal error while storing ({type(e).__name__}: {e})")
            continue
        yield ImportEvent(i, total, f, "imported" if result.created else "present",
                          report_id=result.report_id, revision=result.revision)
