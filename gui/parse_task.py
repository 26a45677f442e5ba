"""What an import worker process runs: read, extract and check one file. No Qt here.

This module is imported by the child processes of the import pool (``spawn`` start
method), so it must stay cheap and Qt-free: a child never needs PySide6.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.model import Report

# Same kinds as the command line walks in folders.
REPORT_SUFFIXES = frozenset(
    {".pdf", ".docx", ".doc", ".html", ".htm", ".shtml", ".txt", ".mht", ".xhtml"}
)


@dataclass
class ParseResult:
    """The outcome of one file: a report, or the reason (Chinese, for the window) it failed."""

    path: str
    report: Report | None = None
    error_zh: str | None = None
    error: str | None = None  # English detail, for the log and the tooltip
    seconds: float = 0.0
    present: bool = False  # the same bytes are already in the database: not parsed
    sha256: str | None = None


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files as given; folders walked recursively for report files, sorted; no duplicates."""
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
            )
        else:
            found = [p]
        for f in found:
            key = str(f.resolve()) if f.exists() else str(f)
            if key not in seen:
                seen.add(key)
                yield str(f)


def parse_file(path: str, skip_sha256: frozenset[str] = frozenset()) -> ParseResult:
    """Read and extract ``path``; never raises for a bad file.

    The checks are not run here: the database runs them when it stores the report
    (with the agency's previous report). A file whose SHA-256 is in ``skip_sha256`` is
    already in the database and is not parsed again (``ImportJob`` checks that itself
    before a file reaches a worker; :meth:`MainWindow.import_now` passes the set).
    """
    import hashlib
    import time

    from core.errors import ReportError

    t0 = time.perf_counter()
    p = Path(path)
    try:
        if not p.exists():
            return ParseResult(path, error_zh="文件不存在", error="no such file")
        if p.is_dir():
            return ParseResult(path, error_zh="这是文件夹, 不是文件", error="is a directory")
        from core.readers.budgets import check_regular_file

        check_regular_file(p)  # a named pipe would block, /dev/zero never ends
        if skip_sha256:
            sha = hashlib.sha256(p.read_bytes()).hexdigest()
            if sha in skip_sha256:
                return ParseResult(path, present=True, sha256=sha)
        from core.pipeline import analyse

        report = analyse(p, run_checks=False)
    except ReportError as e:
        return ParseResult(path, error_zh=e.message_zh, error=str(e),
                           seconds=time.perf_counter() - t0)
    except OSError as e:
        return ParseResult(path, error_zh="无法读取文件(没有权限或已被移走)",
                           error=f"{type(e).__name__}: {e}")
    except MemoryError:
        return ParseResult(path, error_zh="文件过大, 内存不足", error="out of memory")
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a batch
        return ParseResult(path, error_zh=f"读取时出现内部错误({type(e).__name__})",
                           error=f"{type(e).__name__}: {e}", seconds=time.perf_counter() - t0)
    return ParseResult(path, report=report, seconds=time.perf_counter() - t0)


def init_worker(parent_pid: int) -> None:
    """Run once in each worker process: exit if the window's process goes away.

    A worker blocked on its task queue would otherwise outlive a window that crashed
    or was killed.
    """
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    preload()


def preload() -> None:
    """Import the readers and the extractor now, so the first file does not wait for them."""
    import contextlib
    import importlib

    for name in ("core.pipeline", "core.extract", "core.readers.pdf", "core.readers.docx",
                 "core.readers.html", "core.readers.txt"):
        # A reader whose library is missing fails later, on its file, with its reason.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def warm_up() -> int:
    """A no-op task: submitting it makes the pool start its worker processes."""
    return os.getpid()
