"""The one way a file becomes a report: find the files, read each in the sandbox, check it.

``extract`` and ``check`` on the command line use :func:`each_report`. The import —
``import`` and ``checklist FILE…`` on the command line (:func:`iter_import`), the
window's drops (gui/workers.py) and the fuzz harness — goes through :func:`read_files`:
each file's bytes are read once and hashed once in this process, files already stored
are skipped, the others are parsed in :mod:`core.sandbox` workers with a time and a
memory limit (a hung, bloated or crashed worker is replaced and named, the batch goes
on), and one :class:`FileEvent` (started / done / failed / skipped) is yielded per step.
The same bytes and hash then go to the database (:func:`store_file`).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Container, Iterable, Iterator
from functools import cache
from pathlib import Path

from core.errors import InternalError, ReportError

# typing.TYPE_CHECKING without importing typing. Before a one-file command forks its
# reading child this module imports only what that needs: the data model, the data
# classes and hashlib are imported meanwhile, while the child reads (see _isolated).
TYPE_CHECKING = False
if TYPE_CHECKING:  # the store pulls in sqlite-utils; extract and check never need it
    import threading
    from concurrent.futures import Future

    from core.document import Document
    from core.model import Report
    from core.pipeline_events import FileEvent as FileEvent
    from core.pipeline_events import ImportEvent as ImportEvent
    from core.sandbox import SandboxPool
    from core.store import ImportResult, ReportStore

REPORT_SUFFIXES = frozenset(
    {".pdf", ".docx", ".doc", ".html", ".htm", ".shtml", ".txt", ".mht", ".xhtml"})
# Scans and photos of report pages (read by OCR; see core.readers._IMAGE_MAGIC).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".webp"})


@cache
def _page_name() -> re.Pattern[str]:
    """A page image's name: a stem, then a page number (报告_1, 报告-p3, 扫描0001, 第2页 …).
    Compiled for the first image (0.4 ms a report file never needs)."""
    return re.compile(
        r"^(?P<stem>.*?)[\s_\-.()（）]*(?:第|p|page|pg)?[\s_\-.]*(?P<page>\d{1,4})\s*页?[)）]?$",
        re.IGNORECASE)


# A larger number in an image's name is a year or a camera's counter (年报2023.png,
# IMG_4512.jpg), not a page of a report.
MAX_PAGE_NUMBER = 500


class PageImages(type(Path())):  # type: ignore[misc]  # PosixPath or WindowsPath
    """Image files that are the pages of one report, in page order, read as one scanned
    PDF joined in memory (:func:`core.readers.page_images.join_page_images`). The path
    itself names no file on disk: it is the report's display name, 「报告（3 页图片）.pdf」
    in the pages' folder."""

    pages: tuple[Path, ...]


def page_images(pages: Iterable[Path]) -> PageImages:
    """The set of ``pages`` (already in page order) as one file of the import."""
    pages = tuple(pages)
    match = _page_name().match(pages[0].stem)
    stem = (match.group("stem") if match else "") or pages[0].parent.name or "图片"
    unit = PageImages(pages[0].parent / f"{stem}（{len(pages)} 页图片）.pdf")
    unit.pages = pages
    return unit


def _group_pages(files: list[Path]) -> list[Path]:
    """``files`` with the images whose names differ only by a page number (in one folder)
    replaced, at the place of the first, by one :class:`PageImages` in natural page order.
    A lone image, or images whose page numbers repeat, stay as they are."""
    groups: dict[tuple[str, str], list[tuple[int, Path]]] = {}
    for f in files:
        if f.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        match = _page_name().match(f.stem)
        if match and int(match["page"]) <= MAX_PAGE_NUMBER:
            key = (str(f.parent), match.group("stem").casefold())
            groups.setdefault(key, []).append((int(match.group("page")), f))
    units: dict[Path, PageImages | None] = {}  # first page -> unit; other pages -> None
    for members in groups.values():
        numbers = [n for n, _ in members]
        if len(members) < 2 or len(set(numbers)) < len(numbers):
            continue
        ordered = [f for _, f in sorted(members, key=lambda m: m[0])]
        units.update(dict.fromkeys(ordered))
        units[members[0][1]] = page_images(ordered)
    out: list[Path] = []
    for f in files:
        if f not in units:
            out.append(f)
        elif (unit := units[f]) is not None:
            out.append(unit)
    return out


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders walked recursively for files of report kinds, sorted;
    image files that are the pages of one report (given together, or in one folder)
    joined into one :class:`PageImages`.

    A file named twice (directly or through a folder) is listed once.
    """
    out: list[Path] = []
    seen: set[str] = set()
    # A folder walk takes images only when they are pages of one report, or when the
    # folder holds nothing else: a folder of reports often holds logos, seals and
    # screenshots too, and each of those read by OCR would be a slow, failed "report".
    loose_images_dropped: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if isinstance(raw, PageImages):
            found: list[Path] = [raw]
        elif p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and (
                f.suffix.lower() in REPORT_SUFFIXES or f.suffix.lower() in IMAGE_SUFFIXES))
            if any(f.suffix.lower() in REPORT_SUFFIXES for f in found):
                loose_images_dropped.update(
                    f for f in found if f.suffix.lower() in IMAGE_SUFFIXES)
        else:
            found = [p]
        for f in found:
            key = str(f.resolve()) if f.exists() else str(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return [f for f in _group_pages(out) if f not in loose_images_dropped]


def analyse(path: Path, run_checks: bool = True) -> Report:
    """Read, extract and check one file."""
    from core.checker import check
    from core.extract import extract_file
    from core.sandbox_task import page_done

    # In a sandbox worker each page read by OCR earns more time (page_done): a long scan
    # is slow, not stuck. Elsewhere page_done does nothing.
    report = extract_file(path, page_done)
    if run_checks:
        report.findings = check(report)
    return report


def each_report(paths: Iterable[str | os.PathLike[str]], jobs: int | None = None, *,
                warm: Iterable[str] = ()) -> Iterator[tuple[Path, Report | ReportError]]:
    """(file, report or the reason it failed) in the order given, files read and checked
    in sandbox workers (``jobs`` of them, default both cores) through :func:`read_files`,
    nothing stored. ``warm``: modules the caller will use on the reports, imported while
    a single file is read (the caller imports them too; a second import costs nothing)."""
    files = expand_paths(paths)
    if len(files) == 1:
        # One file: run_isolated forks this process (5-30 ms) where a pool would start a
        # second interpreter that imports everything again (0.15-0.25 s).
        yield files[0], _isolated(files[0], warm)
        return
    from core.sandbox import SandboxPool

    jobs = jobs or min(2, os.cpu_count() or 1)
    pool = SandboxPool(workers=max(1, min(jobs, len(files))))
    try:
        for ev in read_files(files, pool, run_checks=True, ordered=True):
            if ev.kind == DONE and ev.report is not None:
                yield ev.path, ev.report
            elif ev.kind == FAILED:
                yield ev.path, _reason(ev)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _isolated(path: Path, warm: Iterable[str] = ()) -> Report | ReportError:
    """One file read and hashed here, parsed and checked in forked sandboxes."""
    import importlib

    from core.sandbox_task import can_fork, run_isolated, start_isolated

    data = _read_bytes(1, path)
    if not isinstance(data, bytes):
        return _reason(data)
    try:
        if not can_fork():  # one sandbox worker does it all
            return run_isolated(parse_bytes, path.name, data, _sha256(data), True)
        # Two forked children, each with the sandbox's limits: the first reads the file
        # while this process imports the extractor, the checker (and with them the data
        # model), what the caller asks for, and hashes the bytes, on another core; the
        # second, forked with all that loaded, extracts and checks what was read. With
        # one child they would come after the reading: ~25 ms more.
        # What both need (the document's data classes) is imported before the fork,
        # once: the child shares it instead of importing it again. The data model and
        # typing, which only this process needs, load here while the child reads.
        import core.document  # noqa: F401
        reading = start_isolated(read_bytes, path.name, data)
        for name in ("core.extract", "core.checker", *warm):
            importlib.import_module(name)
        sha = _sha256(data)
        doc = reading()
        return run_isolated(report_of_document, path.name, data, sha, doc, True)
    except ReportError as e:
        return _reason(_failed(1, path, e))


def _reason(ev: FileEvent) -> ReportError:
    """The event's error, without the file's name in front (the caller prints it)."""
    error = ev.error or ReportError("unknown error")
    if str(error) == ev.reason:
        return error
    import copy

    stripped = copy.copy(error)  # the same class, message_zh and detail
    stripped.args = (ev.reason,)
    return stripped


# --- the import pipeline ------------------------------------------------------------------

STARTED, DONE, FAILED, SKIPPED = "started", "done", "failed", "skipped"


def __getattr__(name: str) -> object:
    """:class:`FileEvent` and :class:`ImportEvent`, from :mod:`core.pipeline_events`
    when first asked for (``from core.pipeline import FileEvent``)."""
    if name in ("FileEvent", "ImportEvent"):
        from core import pipeline_events

        return getattr(pipeline_events, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
# Files handed to the workers ahead of their results: four per worker (a worker never
# waits for its next file, and in order a slow file does not idle the others) …
AHEAD_PER_WORKER = 4
# … as long as their bytes, held here until their result, stay below this.
AHEAD_BYTES = 256 << 20


def _reason_zh(ev: FileEvent) -> str:
    """Why it failed, in Chinese, without the file's name in front."""
    from core.errors import zh_message
    from core.pipeline_events import without_name

    return without_name(zh_message(ev.error), ev.path) if ev.error else ""


def parse_bytes(name: str, data: bytes, sha256: str, run_checks: bool = False) -> Report:
    """Extract (and check) one file from its bytes. Runs in a sandbox worker.

    The import leaves ``run_checks`` off: the store runs the checker itself, with the
    agency's previous report.
    """
    from core.checker import check
    from core.extract import extract_file
    from core.sandbox_task import page_done

    report = extract_file(Path(name), page_done, data=data, sha256=sha256)
    if run_checks:
        report.findings = check(report)
    return report


def read_bytes(name: str, data: bytes) -> Document:
    """Read one file (named ``name``) from its bytes. Runs in a sandbox child."""
    from core.readers import read_document
    from core.sandbox_task import page_done

    return read_document(Path(name), page_done, data=data)


def report_of_document(name: str, data: bytes, sha256: str, doc: Document,
                       run_checks: bool = False) -> Report:
    """:func:`parse_bytes` of a document already read by :func:`read_bytes`. Runs in a
    sandbox child."""
    from core.checker import check
    from core.extract import extract_document

    report = extract_document(doc, name, data, sha256)
    if run_checks:
        report.findings = check(report)
    return report


def _read(index: int, path: Path) -> FileEvent | tuple[bytes, str]:
    """The file's bytes and hash, or the event saying why it cannot be read."""
    data = _read_bytes(index, path)
    return (data, _sha256(data)) if isinstance(data, bytes) else data


def _read_bytes(index: int, path: Path) -> FileEvent | bytes:
    """The file's bytes, or the event saying why it cannot be read."""
    from core.readers import read_file_bytes

    if isinstance(path, PageImages):
        from core.readers.page_images import join_page_images

        try:
            return join_page_images(path.pages, path.name)
        except ReportError as e:
            return _failed(index, path, e)
    if not path.exists():
        return _failed(index, path, ReportError("no such file", "文件不存在"))
    if path.is_dir():
        return _failed(index, path, ReportError("is a folder, not a file", "这是文件夹，不是文件"))
    try:
        return read_file_bytes(path)
    except ReportError as e:
        return _failed(index, path, e)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _failed(index: int, path: Path, error: ReportError) -> FileEvent:
    from core.pipeline_events import FileEvent

    return FileEvent(FAILED, index, path, error=error)


def read_files(files: Iterable[str | os.PathLike[str]], pool: SandboxPool | None = None, *,
               known: Container[str] = frozenset(), run_checks: bool = False,
               ordered: bool = False, cancel: threading.Event | None = None,
               poll: float = 0.1) -> Iterator[FileEvent]:
    """Read and parse ``files`` (already expanded, see :func:`expand_paths`; taken lazily)
    in ``pool`` (default: a pool of its own, shut down at the end); yield their events.

    Each file is read and hashed once, here; one whose hash is in ``known`` is skipped.
    The others go to the workers, a few ahead of them (their bytes stay in memory until
    their result). "done" and "failed" come as files finish, or in the order given when
    ``ordered``. When ``cancel`` is set, files not started are dropped and nothing more is
    yielded; leaving the loop early does the same.
    """
    from concurrent.futures import FIRST_COMPLETED, wait  # with the pool: not for one file

    from core.pipeline_events import FileEvent

    own = pool is None
    if pool is None:
        from core.sandbox import SandboxPool

        pool = SandboxPool()
    ahead = AHEAD_PER_WORKER * pool.workers
    source = enumerate((f if isinstance(f, Path) else Path(f) for f in files), 1)
    running: dict[Future[Report], tuple[int, Path, bytes, str, float]] = {}
    announced: set[Future[Report]] = set()
    finished: dict[int, FileEvent] = {}  # ordered: results waiting for an earlier file
    next_index = 1
    exhausted = False

    def ready() -> Iterator[FileEvent]:
        nonlocal next_index
        while next_index in finished:
            yield finished.pop(next_index)
            next_index += 1

    try:
        while True:
            if cancel is not None and cancel.is_set():
                return
            while not exhausted and len(running) + len(finished) < ahead and (
                    not running or sum(len(r[2]) for r in running.values()) < AHEAD_BYTES):
                try:
                    index, path = next(source)
                except StopIteration:
                    exhausted = True
                    break
                read = _read(index, path)
                if isinstance(read, FileEvent):
                    event: FileEvent | None = read
                else:
                    data, sha = read
                    event = FileEvent(SKIPPED, index, path, sha256=sha) if sha in known else None
                    if event is None:
                        future = pool.submit(parse_bytes, path.name, data, sha, run_checks)
                        running[future] = (index, path, data, sha, time.monotonic())
                if event is not None:
                    if ordered:
                        finished[index] = event
                        yield from ready()
                    else:
                        yield event
                if cancel is not None and cancel.is_set():
                    return
            if not running:
                yield from ready()
                if exhausted and not finished:
                    return
                continue
            for future, (index, path, *_rest) in running.items():
                if future not in announced and (future.running() or future.done()):
                    announced.add(future)
                    yield FileEvent(STARTED, index, path)
            done, _ = wait(list(running), timeout=poll, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f][0]):
                index, path, data, sha, t0 = running.pop(future)
                if future not in announced:
                    yield FileEvent(STARTED, index, path)
                announced.discard(future)
                event = _outcome(future, index, path, data, sha, time.monotonic() - t0)
                if ordered:
                    finished[index] = event
                else:
                    yield event
            if ordered:
                yield from ready()
    finally:
        for future in running:
            pool.cancel(future)  # a running file's worker is stopped (and replaced)
        if own:
            pool.shutdown(wait=False, cancel_futures=True)


def _outcome(future: Future[Report], index: int, path: Path, data: bytes, sha: str,
             seconds: float) -> FileEvent:
    from concurrent.futures import CancelledError

    from core.pipeline_events import FileEvent

    try:
        report = future.result()
    except ReportError as e:
        return FileEvent(FAILED, index, path, error=e, seconds=seconds)
    except CancelledError:
        return FileEvent(FAILED, index, path, seconds=seconds,
                         error=ReportError("cancelled", "已取消"))
    except Exception as e:  # noqa: BLE001 - e.g. a task that could not be sent: one file
        return FileEvent(FAILED, index, path, seconds=seconds, error=InternalError(
            f"internal error while reading ({type(e).__name__}: {e})"))
    return FileEvent(DONE, index, path, report=report, content=data, sha256=sha,
                     seconds=seconds)


class _StoredHashes:
    """``sha in known`` asked of the database (complete reports), for :func:`read_files`."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self.store.find_sha256(sha) is not None


def store_file(store: ReportStore, event: FileEvent) -> ImportResult:
    """Store a "done" event's report with the bytes and hash it was read from (one
    transaction; the store runs the checker). Raises :class:`core.store.StoreError` when
    the database cannot be written; anything else raised is a bug on this one file."""
    assert event.report is not None and event.content is not None
    return store.add_report(event.report, event.content, event.path.resolve(),
                            sha256=event.sha256)


def iter_import(store: ReportStore, paths: Iterable[str | os.PathLike[str]], *,
                jobs: int = 1, pool: SandboxPool | None = None) -> Iterator[ImportEvent]:
    """Import files and folders, yielding one event per file, in the order given.

    Files whose bytes are already stored are skipped before parsing. Files are parsed
    in ``jobs`` sandbox workers (:func:`read_files`); writing stays in this process
    (SQLite has one writer), one transaction per report. A :class:`StoreError` (locked,
    read-only database) stops the import: it would fail for every file.
    """
    from core.pipeline_events import ImportEvent
    from core.store import StoreError

    files = expand_paths(paths)
    total = len(files)
    if pool is None:
        from core.sandbox import SandboxPool

        # Even with one job, files are parsed in a worker with a time and a memory limit:
        # a hostile file gets a reason, the batch goes on.
        pool = SandboxPool(workers=max(1, min(jobs, total)))
        own = True
    else:
        own = False
    try:
        for ev in read_files(files, pool, known=_StoredHashes(store), ordered=True):
            if ev.kind == STARTED:
                continue
            if ev.kind == FAILED:
                yield ImportEvent(ev.index, total, ev.path, "failed", reason=ev.reason,
                                  reason_zh=_reason_zh(ev))
            elif ev.kind == SKIPPED:
                rid = store.find_sha256(ev.sha256 or "")
                yield ImportEvent(ev.index, total, ev.path, "present", report_id=rid,
                                  revision=None if rid is None
                                  else store.get_report(rid)["revision"])
            else:
                try:
                    result = store_file(store, ev)
                except StoreError:
                    raise
                except Exception as e:  # noqa: BLE001 - e.g. a checker bug on one file
                    yield ImportEvent(ev.index, total, ev.path, "failed", reason=(
                        f"internal error while storing ({type(e).__name__}: {e})"),
                        reason_zh=f"保存时程序内部出错（{type(e).__name__}：{e}）")
                    continue
                yield ImportEvent(ev.index, total, ev.path,
                                  "imported" if result.created else "present",
                                  report_id=result.report_id, revision=result.revision)
    finally:
        if own:
            pool.shutdown(wait=False, cancel_futures=True)
