"""All background work of the window. The only module that uses QThreadPool/QRunnable.

Parsing runs in a pool of two worker *processes* (pdfplumber holds the GIL for
seconds and pdfium is not thread-safe, so threads would freeze the window): an
:class:`ImportJob` (a QRunnable on the window's thread pool) submits the files to a
``concurrent.futures.ProcessPoolExecutor`` and turns each finished future into a
queued signal on the GUI thread, where the result is saved. Reading a document's
rows for the source view (DOCX, HTML, TXT, DOC) is light and runs on a thread.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from gui.parse_task import ParseResult, expand_paths, init_worker, parse_file, warm_up

PROCESS_WORKERS = 2
POLL_SECONDS = 0.05


class ProcessPool:
    """A lazily started pool of worker processes (``spawn``: no fork of a Qt process)."""

    def __init__(self, workers: int = PROCESS_WORKERS) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                ctx = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                                     initializer=init_worker,
                                                     initargs=(os.getpid(),))
            return self._executor

    def warm_up(self) -> None:
        """Start the worker processes now, so the first import does not wait for them."""
        ex = self.executor()
        for _ in range(self.workers):
            ex.submit(warm_up)

    def shutdown(self) -> None:
        with self._lock:
            ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=False, cancel_futures=True)


class ImportSignals(QObject):
    # Paths travel as Python objects: a str or list signal goes through QString, which
    # drops the undecodable bytes of a non-UTF-8 (GBK) name: the row and file are lost.
    started = Signal(object)  # list of the files found, after folders are expanded
    fileStarted = Signal(object)  # str
    fileDone = Signal(object)  # ParseResult
    progress = Signal(int, int)  # done, total
    finished = Signal(bool)  # True when cancelled


class ImportJob(QRunnable):
    """Parse files in the process pool; report each result as a signal.

    Create it on the GUI thread (its ``signals`` live there, so every emit from the
    pool thread arrives queued) and start it with :meth:`Workers.start_import`.
    """

    def __init__(self, paths: Iterable[str], executor: Callable[[], Executor],
                 skip_sha256: Iterable[str] = (),
                 parse: Callable[..., ParseResult] = parse_file) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.paths = list(paths)
        self.skip_sha256 = frozenset(skip_sha256)
        self._executor = executor
        self._parse = parse
        self._cancel = threading.Event()
        self.signals = ImportSignals()
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        s = self.signals
        try:
            files = list(expand_paths(self.paths))
            s.started.emit(files)
            total = len(files)
            s.progress.emit(0, total)
            n = 0
            # Files already in the database are recognised by their bytes here (hashlib
            # lets the GIL go) and never sent to a worker.
            todo: list[str] = []
            for f in files:
                if self._cancel.is_set():
                    break
                sha = _sha256(f) if self.skip_sha256 else None
                if sha is not None and sha in self.skip_sha256:
                    s.fileDone.emit(ParseResult(f, present=True, sha256=sha))
                    n += 1
                    s.progress.emit(n, total)
                else:
                    todo.append(f)
            if self._cancel.is_set():
                return
            ex = self._executor()
            order = {f: i for i, f in enumerate(files)}
            futures: dict[Future, str] = {ex.submit(self._parse, f): f for f in todo}
            announced: set[Future] = set()
            pending = set(futures)
            while pending:
                if self._cancel.is_set():
                    for fut in pending:
                        fut.cancel()
                    break
                for fut in pending - announced:
                    if fut.running():
                        announced.add(fut)
                        s.fileStarted.emit(futures[fut])
                finished, pending = wait(pending, timeout=POLL_SECONDS,
                                         return_when=FIRST_COMPLETED)
                for fut in sorted(finished, key=lambda f: order[futures[f]]):
                    s.fileDone.emit(_result(fut, futures[fut]))
                    n += 1
                    s.progress.emit(n, total)
        finally:
            self.done = True
            s.finished.emit(self._cancel.is_set())


def _sha256(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None  # the worker will say why it cannot be read


def _result(fut: Future, path: str) -> ParseResult:
    try:
        return fut.result()
    except CancelledError:
        return ParseResult(path, error_zh="已取消", error="cancelled")
    except Exception as e:  # noqa: BLE001 - a dead worker process must not stop the batch
        return ParseResult(path, error_zh=f"处理进程出错({type(e).__name__})",
                           error=f"{type(e).__name__}: {e}")


class DocumentSignals(QObject):
    done = Signal(object, object, str)  # token, Document or None, error message (Chinese)


class DocumentJob(QRunnable):
    """Read a text-kind document's rows (DOCX, HTML, TXT, DOC) for the source view."""

    def __init__(self, path: str, token: object) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.path = path
        self.token = token
        self.signals = DocumentSignals()

    def run(self) -> None:
        from core.errors import ReportError
        from core.readers import read_document

        try:
            doc = read_document(self.path)
        except ReportError as e:
            self.signals.done.emit(self.token, None, e.message_zh)
        except Exception as e:  # noqa: BLE001 - shown in the source pane, not a crash
            self.signals.done.emit(self.token, None, f"无法显示原文({type(e).__name__})")
        else:
            self.signals.done.emit(self.token, doc, "")


class _Preload(QRunnable):
    """Import the readers of text kinds on a thread, before the first source is shown."""

    def run(self) -> None:
        from gui.parse_task import preload

        preload()


class Workers:
    """The window's thread pool and process pool, started lazily, stopped on close."""

    def __init__(self, process_workers: int = PROCESS_WORKERS,
                 processes: ProcessPool | None = None) -> None:
        self.threads = QThreadPool()
        self.threads.setMaxThreadCount(4)
        self._owns_processes = processes is None
        self.processes = processes or ProcessPool(process_workers)
        self._jobs: list[QRunnable] = []  # referenced until finished (git-cola's RunTask)

    def start_import(self, job: ImportJob) -> ImportJob:
        self._jobs.append(job)
        job.signals.finished.connect(lambda _c, j=job: self._forget(j))
        self.threads.start(job)
        return job

    def new_import(self, paths: Iterable[str], skip_sha256: Iterable[str] = ()) -> ImportJob:
        return ImportJob(paths, self.processes.executor, skip_sha256)

    def load_document(self, path: str, token: object,
                      on_done: Callable[[object, object, str], None]) -> DocumentJob:
        job = DocumentJob(path, token)
        job.signals.done.connect(on_done)
        self._jobs.append(job)
        job.signals.done.connect(lambda *_a, j=job: self._forget(j))
        self.threads.start(job)
        return job

    def preload(self) -> None:
        """Start the worker processes and import the readers here too, in the background."""
        self.processes.warm_up()
        self.threads.start(_Preload())

    def _forget(self, job: QRunnable) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            if isinstance(job, ImportJob):
                job.cancel()

    def shutdown(self, wait_ms: int = 5000) -> None:
        self.cancel_all()
        self.threads.waitForDone(wait_ms)
        if self._owns_processes:
            self.processes.shutdown()
