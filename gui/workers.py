"""All background work of the window. The only module that uses QThreadPool/QRunnable.

An import is :func:`core.pipeline.read_files`, the same pipeline the command line uses:
an :class:`ImportJob` (a QRunnable on the window's thread pool) runs it and re-emits
each of its events as a queued signal on the GUI thread, where the report is saved.
Files are parsed in a :class:`core.sandbox.SandboxPool` of two worker *processes*
(pdfplumber holds the GIL for seconds and pdfium is not thread-safe, so threads would
freeze the window) with a time and a memory limit per file; a worker that hangs, runs
out of memory or crashes is replaced and its file reported failed, and the batch goes
on. Reading a document's rows for the source view (DOCX, HTML, TXT, DOC) is light and
runs on a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.pipeline import STARTED, expand_paths, read_files
from core.sandbox import SandboxPool

PROCESS_WORKERS = 2


class ImportSignals(QObject):
    # Paths travel as Python objects: a str or list signal goes through QString, which
    # drops the undecodable bytes of a non-UTF-8 (GBK) name: the row and file are lost.
    started = Signal(object)  # list of the files found (str), after folders are expanded
    fileStarted = Signal(object)  # str
    fileDone = Signal(object)  # core.pipeline.FileEvent: done, failed or skipped
    progress = Signal(int, int)  # done, total
    finished = Signal(bool)  # True when cancelled


class ImportJob(QRunnable):
    """Run the import pipeline on a thread; report each event as a signal.

    Create it on the GUI thread (its ``signals`` live there, so every emit from the
    pool thread arrives queued) and start it with :meth:`Workers.start_import`.
    ``known``: the SHA-256 of the files already stored (they are not parsed again).
    """

    def __init__(self, paths: Iterable[str], pool: Callable[[], SandboxPool],
                 known: Iterable[str] = ()) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.paths = list(paths)
        self.known = frozenset(known)
        self._pool = pool
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
            files = expand_paths(self.paths)
            s.started.emit([str(f) for f in files])
            total = len(files)
            s.progress.emit(0, total)
            n = 0
            for ev in read_files(files, self._pool(), known=self.known, cancel=self._cancel):
                if ev.kind == STARTED:
                    s.fileStarted.emit(str(ev.path))
                    continue
                s.fileDone.emit(ev)
                n += 1
                s.progress.emit(n, total)
        finally:
            self.done = True
            s.finished.emit(self._cancel.is_set())


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
            self.signals.done.emit(self.token, None, f"无法显示原文（{type(e).__name__}）")
        else:
            self.signals.done.emit(self.token, doc, "")


class _Preload(QRunnable):
    """Import the readers of text kinds on a thread, before the first source is shown."""

    def run(self) -> None:
        import contextlib
        import importlib

        for name in ("core.readers.docx", "core.readers.html", "core.readers.txt"):
            # A reader whose library is missing fails later, on its file, with its reason.
            with contextlib.suppress(ImportError):
                importlib.import_module(name)


class Workers:
    """The window's thread pool and sandbox pool, started lazily, stopped on close."""

    def __init__(self, process_workers: int = PROCESS_WORKERS,
                 pool: SandboxPool | None = None) -> None:
        self.threads = QThreadPool()
        self.threads.setMaxThreadCount(4)
        self._owns_pool = pool is None
        self._process_workers = process_workers
        self._pool = pool
        self._pool_lock = threading.Lock()
        self._jobs: list[QRunnable] = []  # referenced until finished (git-cola's RunTask)

    def pool(self) -> SandboxPool:
        """The worker processes that parse dropped files (started on first use)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = SandboxPool(self._process_workers)
            return self._pool

    def start_import(self, job: ImportJob) -> ImportJob:
        self._jobs.append(job)
        job.signals.finished.connect(lambda _c, j=job: self._forget(j))
        self.threads.start(job)
        return job

    def new_import(self, paths: Iterable[str], known: Iterable[str] = ()) -> ImportJob:
        return ImportJob(paths, self.pool, known)

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
        self.pool().start()
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
        if self._owns_pool and self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)  # kills the workers now
