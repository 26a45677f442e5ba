"""One task under the sandbox's limits: the part of :mod:`core.sandbox` that runs the task.

What a worker process does with a task (its memory limit, the call, the message it
sends back, :func:`request_time` and :func:`page_done` for code running in it), and
:func:`run_isolated`, which runs one task in a forked child of this process with the
same limits and errors (one file on the command line; :func:`start_isolated` returns
at once and lets this process work on another core while the child does).

The pool of worker processes, :class:`core.sandbox.SandboxPool`, is built on this
module; a one-file command imports only this one: no ``concurrent.futures``,
``logging`` or ``multiprocessing`` (~5 ms of start-up that a fork never uses).
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import pickle
import sys
import time
from collections.abc import Callable

from core.errors import (
    FileTimeout,
    FileTooLarge,
    InternalError,
    LimitExceeded,
    ReportError,
    WorkerCrashed,
)

# typing.TYPE_CHECKING without importing typing (~2 ms), which a one-file command's
# parent would otherwise load before it forks the reading child.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_TIMEOUT = 60.0
# Time granted after each page read by OCR (page_done): a scanned page takes 2-4 s on an
# idle laptop, 13 s measured on a loaded two-core machine.
PAGE_SECONDS = 60.0
# OCR time one file may take in all (core.readers.budgets.MAX_OCR_PAGES pages at 13 s
# is 780 s): past it the next page_done refuses the file with the reason.
OCR_TIME_BUDGET = 900.0
# Time a task may earn by request_time(), in all: sixteen times the time limit (960 s
# by default), just past the OCR budget, which then says why before the kill would.
MAX_TIMEOUT_FACTOR = 16
DEFAULT_MEMORY = 3 << 30
# Memory set aside in a worker, freed to report a MemoryError.
_RESERVE = 1 << 20
_MEMORY_WORDS = ("bad_alloc", "bad allocation", "cannot allocate memory", "out of memory",
                 "memory allocation failed", "failed to allocate")

_task_conn: Any = None  # the worker's pipe while a task runs: request_time() writes to it
_task_started = 0.0  # time.monotonic() when the current task began


def request_time(seconds: float) -> None:
    """Ask for at least ``seconds`` more before the current task times out.

    For slow but steady work (OCR asks before each page). Outside a sandbox worker it
    does nothing. The pool caps the total at its ``max_timeout``.
    """
    conn = _task_conn
    if conn is not None:
        with contextlib.suppress(OSError, ValueError):
            conn.send(("time", float(seconds)))


def page_done(done: int, total: int) -> None:
    """A ``progress(done, total)`` callback for OCR: each page gets PAGE_SECONDS more.

    Pass it as ``read_document(path, page_done)``; outside a sandbox it does nothing.
    In a sandbox, a file whose OCR has run past :data:`OCR_TIME_BUDGET` is refused here
    with :class:`LimitExceeded` naming the budget.
    """
    if _task_conn is None:
        return
    spent = time.monotonic() - _task_started
    if done < total and spent > OCR_TIME_BUDGET:
        raise LimitExceeded(
            f"OCR has taken {spent:.0f} s after {done} of {total} pages, over the budget "
            f"of {OCR_TIME_BUDGET:g} s for one file",
            f"文字识别已用 {spent:.0f} 秒（完成 {done} / {total} 页），"
            f"超过每个文件的时间上限 {OCR_TIME_BUDGET:g} 秒")
    request_time(PAGE_SECONDS)


def _is_memory_error(exc: BaseException) -> bool:
    """MemoryError, or a C library's way of saying the same (std::bad_alloc, ENOMEM …)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, OSError) and exc.errno == 12:  # ENOMEM
            return True
        text = str(exc).lower()
        if any(w in text for w in _MEMORY_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return False


def _limit_memory(memory: int | None) -> None:
    if memory:
        try:
            import resource
        except ImportError:  # Windows: no rlimits (a Job object would be needed)
            pass
        else:
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
            with contextlib.suppress(ValueError, OSError):  # macOS does not enforce it
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if sys.platform.startswith("linux"):
        # glibc reserves 64 MiB of address space per malloc arena, up to 8 per core:
        # onnxruntime's threads would spend the limit on reservations, not memory.
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX


def _call(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict,
          memory: int | None) -> tuple | None:
    """Run one task: the message for the parent, or None when memory ran out."""
    global _task_conn, _task_started
    try:
        _task_conn = conn
        _task_started = time.monotonic()
        return ("done", True, fn(*args, **kwargs))
    except MemoryError:
        return None
    except ReportError as e:
        return None if memory and _is_memory_error(e) else ("done", False, e)
    except Exception as e:  # noqa: BLE001 - a bug on one file must not stop the batch
        if memory and _is_memory_error(e):
            return None
        return ("done", False, _internal(e, _traceback()))
    finally:
        _task_conn = None


def _answer(conn: Any, message: tuple | None) -> bool:
    """Send the task's message; False when the worker is out of memory and must go."""
    if message is not None:
        try:
            conn.send(message)
            return True
        except MemoryError:
            pass
        except Exception as e:  # noqa: BLE001 - an unpicklable result is a bug
            conn.send(("done", False, _internal(e, _traceback(),
                                                "while sending the result back")))
            return True
    return False


def _traceback() -> str:
    """The traceback of the exception being handled (traceback imported on a bug only)."""
    import traceback

    return traceback.format_exc()


def _internal(exc: BaseException, detail: str, what: str = "while reading") -> InternalError:
    err = InternalError(f"internal error {what} ({type(exc).__name__}: {exc})")
    err.detail = detail
    return err


def run_isolated(fn: Callable[..., Any], /, *args: Any, timeout: float = DEFAULT_TIMEOUT,
                 memory: int | None = DEFAULT_MEMORY, max_timeout: float | None = None,
                 **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` once, with the pool's limits and errors, at little cost.

    For one file on the command line: starting a ``spawn`` worker costs 0.15-0.25 s (a
    second interpreter that imports everything again), a fork of this process about
    5 ms. So on Linux, in a process without other threads, native ones included (where
    fork is safe), the task runs in a forked child; elsewhere in a one-worker
    :class:`core.sandbox.SandboxPool`.
    Returns the result or raises the :class:`ReportError` it ended with.
    """
    return start_isolated(fn, *args, timeout=timeout, memory=memory,
                          max_timeout=max_timeout, **kwargs)()


def start_isolated(fn: Callable[..., Any], /, *args: Any, timeout: float = DEFAULT_TIMEOUT,
                   memory: int | None = DEFAULT_MEMORY, max_timeout: float | None = None,
                   **kwargs: Any) -> Callable[[], Any]:
    """:func:`run_isolated` without waiting: the task starts, and the function returned
    (to be called once) waits for its result or raises its error. Meanwhile this process
    may do other work, on another core; the task's time limit runs from its start."""
    if not _single_threaded():
        from core.sandbox import SandboxPool

        pool = SandboxPool(1, timeout, memory, max_timeout=max_timeout, warm=())
        try:
            future = pool.submit(fn, *args, **kwargs)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise

        def result_from_pool() -> Any:
            with pool:
                return future.result()

        return result_from_pool
    # What _limit_memory imports, loaded here before the fork (ctypes: ~1.5 ms): the
    # child, and every later one, shares it.
    import ctypes  # noqa: F401
    import resource  # noqa: F401

    read_fd, write_fd = os.pipe()
    # What this process holds is left out of the child's garbage collections (the
    # modules' objects, mostly: the child would walk them in every full collection; as
    # the gc module's documentation advises before a fork). This process goes on as
    # before.
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: never return from here
        code = 0
        try:
            faulthandler.disable()  # a crash is reported by the parent, as for a worker
            os.close(read_fd)
            conn = _PipeEnd(write_fd)
            _limit_memory(memory)
            reserve = bytearray(_RESERVE)
            message = _call(conn, fn, args, kwargs, memory)
            if not _answer(conn, message):
                del message, reserve
                conn.send(("memory",))
            conn.close()
        except BaseException:  # noqa: BLE001 - the parent reports the exit code
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    started = time.monotonic()

    def result() -> Any:
        return _child_result(pid, _PipeEnd(read_fd), started, timeout, max_timeout, memory)

    return result


def _child_result(pid: int, conn: _PipeEnd, started: float, timeout: float,
                  max_timeout: float | None, memory: int | None) -> Any:
    """Wait for the forked child ``pid`` (extending its time limit as it asks), reap it,
    and return its result or raise its error."""
    deadline = started + timeout
    cap = started + (max_timeout or MAX_TIMEOUT_FACTOR * timeout)
    outcome: tuple | None = None
    try:
        while outcome is None:
            left = deadline - time.monotonic()
            if left <= 0 or not conn.poll(left):
                if left <= 0:
                    import signal  # here: only a timeout needs it

                    for p in [pid, *_descendants(pid)]:
                        with contextlib.suppress(OSError):
                            os.kill(p, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    raise FileTimeout(seconds=max(timeout, round(deadline - started, 1)))
                continue
            try:
                msg = conn.recv()
            except EOFError:
                break
            if msg[0] == "time":
                deadline = min(cap, max(deadline, time.monotonic() + msg[1]))
            else:
                outcome = msg
    finally:
        conn.close()
    _, status = os.waitpid(pid, 0)
    if outcome is None:
        raise _crashed(os.waitstatus_to_exitcode(status))
    if outcome[0] == "memory":
        raise FileTooLarge(limit=memory)
    if outcome[1]:
        return outcome[2]
    raise outcome[2]


class _PipeEnd:
    """One end of an ``os.pipe()`` carrying pickled messages, each after its length: the
    forked child's channel to its parent. The messages and calls are those of a
    ``multiprocessing`` Connection, whose import (~8 ms, socket included) every one-file
    command would otherwise pay."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, obj: Any) -> None:
        data = pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)  # fails before anything is sent
        for part in (len(data).to_bytes(8, "big"), data):
            view = memoryview(part)
            while view:
                view = view[os.write(self.fd, view):]

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end of the pipe) is there within ``timeout`` s."""
        import math
        import select  # here: the parent polls after the fork, while the child works

        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        return bool(poller.poll(max(0, math.ceil(timeout * 1000))))

    def recv(self) -> Any:
        size = int.from_bytes(self._read(8), "big")
        return pickle.loads(self._read(size))

    def _read(self, size: int) -> bytes:
        chunks: list[bytes] = []
        while size:
            chunk = os.read(self.fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        os.close(self.fd)


def can_fork() -> bool:
    """Whether :func:`run_isolated` runs its task in a forked child here (not in a
    spawned worker, which costs a new interpreter)."""
    return _single_threaded()


def _single_threaded() -> bool:
    """True on Linux when this process runs one thread only, native threads included (Qt,
    onnxruntime and BLAS start their own): only then is fork() safe."""
    # A thread started by threading shows in /proc too; asking the module first is only
    # quicker, and a program that never imported it started none that way.
    threading = sys.modules.get("threading")
    if not sys.platform.startswith("linux") or (
            threading is not None and threading.active_count() != 1):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _crashed(code: int | None) -> WorkerCrashed:
    """The error for a worker that died with exit code ``code`` (negative: a signal)."""
    if code is not None and code < 0:
        try:
            import signal  # here: only a crash needs it

            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
    else:
        how = f"exit code {code}"
    why = " (killed: out of memory?)" if code == -9 else ""
    return WorkerCrashed(
        f"the reading process crashed ({how}){why}; the file is probably damaged",
        "读取该文件时处理程序崩溃，文件可能已损坏或是恶意构造的")


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, their children and so on (Linux /proc)."""
    if not os.path.isdir("/proc"):
        return []
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1:
            parents.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found
