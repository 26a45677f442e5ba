"""Read files in worker processes with a time limit and a memory limit.

A hostile or broken file must not freeze or crash the program: a PDF that makes the
parser loop, a zip bomb, a segfault in a C library. :class:`SandboxPool` runs each task
(one file's read + extract [+ check]) in a worker process of its own pool:

* a task that runs past ``timeout`` seconds (wall clock) gets :class:`FileTimeout`; its
  worker is killed with everything it started (LibreOffice for a .doc) and replaced;
* a worker's address space is capped at ``memory`` bytes (``RLIMIT_AS``, Linux and other
  POSIX systems that enforce it); running out gives :class:`FileTooLarge` and a fresh
  worker;
* a worker that dies (segfault, abort, killed from outside) gives :class:`WorkerCrashed`
  for the file it was reading; an unexpected exception (a bug) gives
  :class:`InternalError` with the worker's traceback in ``detail``;
* the other files of the batch go on in the other and the replacement workers.

The pool is a :class:`concurrent.futures.Executor`: ``submit(fn, *args)`` returns a
:class:`Future` whose ``result()`` is what ``fn`` returned or raises a
:class:`ReportError` (the file's own, or one of the four above). ``fn`` must be a
module-level function (it is pickled by name: workers use the ``spawn`` start method,
safe in a process with threads, Qt included). :meth:`SandboxPool.outcomes` runs a
function over many items and yields ``(index, item, result or ReportError)``, in order
or as completed; :meth:`SandboxPool.cancel` stops one task (a running one with its worker)
and :meth:`SandboxPool.start` starts the workers before the first task. Unlike
:class:`concurrent.futures.ProcessPoolExecutor`, which breaks for good when one worker
dies, this pool replaces dead workers and keeps going.

Workers are started lazily, import the readers before they take their first file (so
start-up time never counts against a file's limit), take one task at a time and are
recycled after ``max_tasks`` tasks. A worker exits by itself when the program that
started it dies (even by SIGKILL). Code running in a worker can ask for more time with
:func:`request_time`; :func:`page_done` is the OCR progress callback that does it per
page (a long scan is slow, not stuck; a page that hangs still times out).

The task's own side (its limits, the call, the messages, :func:`request_time`) lives in
:mod:`core.sandbox_task` with :func:`run_isolated`, one task in a forked child of this
process: a one-file command imports that module only, not the pool (which needs
``concurrent.futures``, ``logging`` and ``multiprocessing``).

Measured defaults: the OCR of a scanned page (rapidocr + onnxruntime) peaks at 0.9-1.0
GB resident and 1.55 GB of address space with glibc's malloc arenas capped at two per
worker (1.93 GB uncapped, so workers cap them); 3 GiB of address space leaves room for
large pages. Text PDFs, DOCX and HTML peak far below 0.5 GB.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import importlib
import os
import pickle
import signal
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Executor, Future
from dataclasses import dataclass, field
from typing import Any

from core.errors import FileTimeout, FileTooLarge, InternalError, ReportError, WorkerCrashed
from core.offline import no_telemetry

# The task's side (limits, call, messages) and the one-file fork, re-exported here: code
# that uses the pool names them from this module.
from core.sandbox_task import (  # noqa: F401 - re-exported
    _RESERVE,
    DEFAULT_MEMORY,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT_FACTOR,
    _answer,
    _call,
    _crashed,
    _descendants,
    _internal,
    _limit_memory,
    page_done,
    request_time,
    run_isolated,
)

# A worker is replaced after this many files: bounds what leaks in C libraries can pile up.
MAX_TASKS = 200
# Modules a worker imports before it reports ready (errors are ignored: optional parts).
WARM_MODULES = ("core.pipeline", "core.extract", "core.readers.pdf", "core.readers.docx",
                "core.readers.html", "core.readers.txt", "core.checker")
# Time for a new worker to start and import the readers (a loaded laptop is slow).
START_TIMEOUT = 120.0
# Consecutive workers that die before they are ready: the environment is broken.
MAX_START_FAILURES = 3


# --------------------------------------------------------------------------- worker side


def _watch_parent(parent: int) -> None:
    """Exit when the process that started this worker is gone (killed or crashed)."""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="sandbox-parent-watch", daemon=True).start()


def _worker(conn: Any, memory: int | None, warm: tuple[str, ...], parent: int) -> None:
    no_telemetry()  # before any warm module or task could load onnxruntime
    _watch_parent(parent)
    _limit_memory(memory)
    for name in warm:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    conn.send(("ready", os.getpid()))
    reserve = bytearray(_RESERVE)
    while True:
        try:
            data = conn.recv_bytes()
            job = pickle.loads(data)
        except (EOFError, OSError):
            return
        except MemoryError:
            # The task itself (a file's bytes) does not fit in the limit: say so, go.
            data = job = None
            del reserve
            with contextlib.suppress(Exception):
                conn.send(("memory",))
            return
        except Exception as e:  # noqa: BLE001 - e.g. the task's module does not import
            conn.send(("done", False, _internal(e, traceback.format_exc(),
                                                "while starting the task")))
            continue
        if job is None:
            return
        fn, args, kwargs = job
        message = _call(conn, fn, args, kwargs, memory)
        job = data = fn = args = kwargs = None
        if _answer(conn, message):
            continue
        # Out of memory: report it with the reserve freed, then let a fresh worker go on.
        del message, reserve
        with contextlib.suppress(Exception):
            conn.send(("memory",))
        return


# --------------------------------------------------------------------------- parent side


@dataclass
class _Task:
    future: Future
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    running: bool = False  # the future is set running (a task put back after a failed send)
    sends: int = 0  # workers that died while this task was sent to them


@dataclass
class _Worker:
    proc: Any  # multiprocessing.Process
    conn: Any  # the parent's end of the duplex pipe
    started: float
    ready: bool = False
    task: _Task | None = None
    task_started: float = 0.0
    deadline: float = 0.0
    done: int = 0  # tasks finished
    children: list[int] = field(default_factory=list)


_pools: weakref.WeakSet[SandboxPool] = weakref.WeakSet()


@atexit.register
def _kill_all_workers() -> None:
    # Before multiprocessing's own exit handler, which would wait for our workers. Wait
    # for the manager threads (they kill the workers at once): one still closing its
    # workers while that handler joins them makes it fail ("process object is closed").
    for pool in list(_pools):
        pool.shutdown(wait=True, cancel_futures=True)


class SandboxPool(Executor):
    """Worker processes with a time limit and a memory limit per task; see the module.

    ``workers``: processes (default: up to two); ``timeout``: seconds of wall clock per
    task; ``memory``: bytes of address space per worker (None: no limit);
    ``max_timeout``: cap on the time a task may reach through :func:`request_time`
    (default thirty times ``timeout``); ``warm``: modules workers import before their first
    task. The pool is safe to use from several threads.
    """

    def __init__(self, workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                 memory: int | None = DEFAULT_MEMORY, *, max_timeout: float | None = None,
                 warm: Iterable[str] = WARM_MODULES, max_tasks: int = MAX_TASKS) -> None:
        self.workers = max(1, workers or min(2, os.cpu_count() or 1))
        self.timeout = float(timeout)
        self.memory = memory
        self.max_timeout = float(max_timeout) if max_timeout else MAX_TIMEOUT_FACTOR * self.timeout
        self.warm = tuple(warm)
        self.max_tasks = max_tasks
        self.replaced = 0  # workers killed or lost and replaced (for tests and figures)
        import multiprocessing  # here: a one-file command's fork never needs it (~8 ms)

        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._queue: collections.deque[_Task] = collections.deque()
        self._pool: list[_Worker] = []
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._thread: threading.Thread | None = None
        self._closing = False
        self._cancel = False
        self._start_failures = 0
        self._wake_pending = False
        self._prestart = False  # start() was called: keep all the workers up
        self._stop: set[Future] = set()  # running tasks to stop (cancel())
        _pools.add(self)

    # -- Executor API

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shut down")
            self._queue.append(_Task(future, fn, args, kwargs))
            self._ensure_thread()
        self._wake()
        return future

    def cancel(self, future: Future) -> None:
        """Cancel one task: a queued one is dropped, a running one is stopped with its
        worker (which is replaced). Its future then raises :class:`CancelledError`."""
        if future.cancel() or future.done():
            return
        with self._lock:
            self._stop.add(future)
        self._wake()

    def start(self) -> None:
        """Start all the workers now, so that the first file does not wait for them
        (the window does this once it is shown)."""
        with self._lock:
            if self._closing:
                return
            self._prestart = True
            self._ensure_thread()
        self._wake()

    def _ensure_thread(self) -> None:  # with self._lock held
        if self._thread is None:
            self._thread = threading.Thread(target=self._manage, name="sandbox-pool",
                                            daemon=True)
            self._thread.start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the workers. ``cancel_futures``: drop queued tasks and kill the running
        ones (their futures raise :class:`CancelledError`); otherwise queued tasks
        finish first when ``wait`` is true."""
        with self._lock:
            self._closing = True
            if cancel_futures:
                self._cancel = True
                while self._queue:
                    _cancel(self._queue.popleft().future)
            thread = self._thread
        self._wake()
        if thread is not None and wait and thread is not threading.current_thread():
            thread.join()
        elif thread is None:
            self._close_pipes()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        # Leaving on an error (Ctrl+C included): do not wait for the running files.
        self.shutdown(wait=True, cancel_futures=exc_type is not None)

    def outcomes(self, fn: Callable[..., Any], items: Iterable[Any], *, ordered: bool = True,
                 ahead: int | None = None) -> Iterator[tuple[int, Any, Any]]:
        """``(index, item, fn(item) or the ReportError it ended with)`` for each item.

        In the order of ``items`` (or as completed with ``ordered=False``). At most
        ``ahead`` items (default: four per worker) are submitted before their results
        are taken, so a long iterable is not read all at once. Leaving the loop early
        cancels what was not started yet.
        """
        ahead = max(1, ahead or 4 * self.workers)
        source = enumerate(items)
        pending: collections.OrderedDict[Future, tuple[int, Any]] = collections.OrderedDict()
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < ahead:
                    try:
                        index, item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    pending[self.submit(fn, item)] = (index, item)
                if not pending:
                    return
                if ordered:
                    future = next(iter(pending))
                else:
                    from concurrent.futures import FIRST_COMPLETED, wait

                    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    future = min(done, key=lambda f: pending[f][0])
                index, item = pending.pop(future)
                yield index, item, _outcome(future)
        finally:
            for future in pending:
                future.cancel()

    def map_outcomes(self, fn: Callable[..., Any], items: Iterable[Any]
                     ) -> Iterator[tuple[Any, Any]]:
        """``(item, fn(item) or its ReportError)`` in the order of ``items``."""
        for _, item, result in self.outcomes(fn, items):
            yield item, result

    # -- the manager thread

    def _wake(self) -> None:
        with self._lock:
            if self._wake_pending:
                return
            self._wake_pending = True
        with contextlib.suppress(OSError, ValueError):
            self._wake_w.send_bytes(b"!")

    def _manage(self) -> None:
        try:
            self._loop()
        except BaseException as e:  # noqa: BLE001 - never leave a caller waiting forever
            self._fail_everything(e)
        finally:
            for w in list(self._pool):
                self._kill(w)
            self._close_pipes()

    def _loop(self) -> None:
        from multiprocessing.connection import wait

        while True:
            with self._lock:
                cancel, closing = self._cancel, self._closing
                queued = len(self._queue)
            busy = [w for w in self._pool if w.task is not None]
            if cancel:
                for w in busy:
                    if w.task is not None:
                        _cancel(w.task.future)
                        w.task = None
                return
            if closing and not queued and not busy:
                for w in self._pool:
                    with contextlib.suppress(OSError, ValueError):
                        w.conn.send(None)
                for w in self._pool:
                    w.proc.join(timeout=2)
                return
            self._start_workers(self.workers if self._prestart else queued + len(busy))
            self._dispatch()

            now = time.monotonic()
            deadlines = [w.deadline for w in self._pool if w.task is not None]
            deadlines += [w.started + START_TIMEOUT for w in self._pool if not w.ready]
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            handles = [self._wake_r] + [w.conn for w in self._pool] \
                + [w.proc.sentinel for w in self._pool]
            ready = set(wait(handles, timeout=wait_for))
            if self._wake_r in ready:
                # Drain, then clear: a submit in between finds the flag set and is seen
                # at the top of the loop; one after it sends a new byte.
                with contextlib.suppress(EOFError, OSError):
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
                with self._lock:
                    self._wake_pending = False
            self._stop_cancelled()
            for w in list(self._pool):
                if w.conn in ready:
                    self._receive(w)
            for w in list(self._pool):
                if w in self._pool and w.proc.sentinel in ready:
                    self._lost(w)
            now = time.monotonic()
            for w in list(self._pool):
                if w.task is not None and now >= w.deadline:
                    self._receive(w)  # an answer may have come in just now
                    if w.task is not None:
                        limit = max(self.timeout, round(w.deadline - w.task_started, 1))
                        task, w.task = w.task, None
                        self._kill(w)  # first: the caller may start over at once
                        task.future.set_exception(FileTimeout(seconds=limit))
                elif not w.ready and now >= w.started + START_TIMEOUT:
                    self._kill(w)
                    self._start_failed(f"did not start within {START_TIMEOUT:g} s")

    def _stop_cancelled(self) -> None:
        with self._lock:
            stop, self._stop = self._stop, set()
        for w in list(self._pool):
            if w.task is not None and w.task.future in stop:
                task, w.task = w.task, None
                self._kill(w)
                _cancel(task.future)

    def _start_workers(self, wanted: int) -> None:
        while len(self._pool) < min(self.workers, wanted):
            parent_end, child_end = self._ctx.Pipe(duplex=True)
            proc = self._ctx.Process(target=_worker, name="sandbox-worker",
                                     args=(child_end, self.memory, self.warm, os.getpid()))
            proc.start()
            child_end.close()
            self._pool.append(_Worker(proc, parent_end, time.monotonic()))

    def _dispatch(self) -> None:
        for w in list(self._pool):
            if not w.ready or w.task is not None:
                continue
            while w.task is None:
                with self._lock:
                    if not self._queue:
                        return
                    task = self._queue.popleft()
                if not task.running:
                    if not task.future.set_running_or_notify_cancel():
                        continue  # cancelled while queued
                    task.running = True
                w.task = task
                w.task_started = time.monotonic()
                w.deadline = w.task_started + self.timeout
                try:
                    w.conn.send((task.fn, task.args, task.kwargs))
                except (OSError, ValueError):
                    # The worker died while taking the task: it may have said why (a task
                    # too large for its memory), else try once more elsewhere.
                    self._receive(w)
                    if task.future.done():
                        break
                    w.task = None
                    task.sends += 1
                    if task.sends >= 2:
                        task.future.set_exception(_crashed(None))
                        continue
                    with self._lock:
                        self._queue.appendleft(task)
                    break
                except Exception as e:  # noqa: BLE001 - e.g. an unpicklable function
                    w.task = None
                    task.future.set_exception(e)
                    continue

    def _receive(self, w: _Worker) -> None:
        """Take every message the worker has sent."""
        while True:
            try:
                if not w.conn.poll():
                    return
                msg = w.conn.recv()
            except (EOFError, OSError):
                return  # it died: the sentinel tells
            except Exception as e:  # noqa: BLE001 - a result that does not unpickle
                self._finish(w, error=InternalError(
                    f"internal error: the result cannot be received ({type(e).__name__}: {e})"))
                continue
            kind = msg[0]
            if kind == "ready":
                w.ready = True
                self._start_failures = 0
            elif kind == "time" and w.task is not None:
                cap = w.task_started + self.max_timeout
                w.deadline = min(cap, max(w.deadline, time.monotonic() + msg[1]))
            elif kind == "done" and w.task is not None:
                if msg[1]:
                    self._finish(w, result=msg[2])
                else:
                    self._finish(w, error=msg[2])
                w.done += 1
                if w.done >= self.max_tasks:
                    with contextlib.suppress(OSError, ValueError):
                        w.conn.send(None)
                    self._retire(w)
                    return
            elif kind == "memory":
                if w.task is not None:
                    self._finish(w, error=FileTooLarge(limit=self.memory))
                self._retire(w)
                return

    def _lost(self, w: _Worker) -> None:
        """The worker process ended: fail its task, forget it (a new one will start)."""
        self._receive(w)
        if w not in self._pool:
            return
        w.proc.join(timeout=5)
        code = w.proc.exitcode
        if not w.ready:
            self._remove(w)
            self._start_failed(f"exit code {code}")
            return
        if w.task is not None:
            self.replaced += 1
            self._finish(w, error=_crashed(code))
        self._remove(w)

    def _start_failed(self, why: str) -> None:
        self._start_failures += 1
        if self._start_failures >= MAX_START_FAILURES:
            raise WorkerCrashed(f"the worker processes cannot start ({why})",
                                "无法启动文件处理进程")

    def _finish(self, w: _Worker, *, result: Any = None, error: BaseException | None = None
                ) -> None:
        task, w.task = w.task, None
        if task is None or task.future.done():
            return
        if error is not None:
            task.future.set_exception(error)
        else:
            task.future.set_result(result)

    def _retire(self, w: _Worker) -> None:
        """A worker that stops by itself (recycled or out of memory)."""
        w.proc.join(timeout=5)
        if w.proc.exitcode is None:
            self._kill(w)
        else:
            self._remove(w)

    def _kill(self, w: _Worker) -> None:
        """Kill the worker and every process it started; forget it."""
        if w.proc.exitcode is None:
            if w.ready and not self._closing:
                self.replaced += 1
            for pid in [w.proc.pid, *_descendants(w.proc.pid)]:
                with contextlib.suppress(OSError):
                    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            w.proc.join(timeout=5)
        self._remove(w)

    def _remove(self, w: _Worker) -> None:
        if w in self._pool:
            self._pool.remove(w)
        with contextlib.suppress(OSError):
            w.conn.close()
        with contextlib.suppress(ValueError, AttributeError):
            w.proc.close()

    def _fail_everything(self, error: BaseException) -> None:
        for w in self._pool:
            if w.task is not None and not w.task.future.done():
                w.task.future.set_exception(error)
        with self._lock:
            self._closing = True
            while self._queue:
                task = self._queue.popleft()
                if task.future.set_running_or_notify_cancel():
                    task.future.set_exception(error)

    def _close_pipes(self) -> None:
        for conn in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                conn.close()


def _cancel(future: Future) -> None:
    """Cancel a queued future; a running one raises CancelledError."""
    if not future.cancel() and not future.done():
        future.set_exception(CancelledError())


def _outcome(future: Future) -> Any:
    """The future's result, or the ReportError it ended with (anything else is raised)."""
    try:
        return future.result()
    except ReportError as e:
        return e


