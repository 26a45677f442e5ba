"""core.sandbox: tasks in worker processes with a time and a memory limit.

The tasks below are real misbehaving code run in real worker processes: a sleep past
the limit, an allocation past it, a segfault, a bug, a child process left running.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import CancelledError
from pathlib import Path

import pytest

from core.errors import (
    CorruptFile,
    FileTimeout,
    FileTooLarge,
    InternalError,
    ReportError,
    WorkerCrashed,
)
from core.sandbox import SandboxPool, request_time, run_isolated
from core.sandbox_task import start_isolated

REPO = Path(__file__).resolve().parent.parent
LINUX = sys.platform.startswith("linux")

# --- tasks (module level: workers import them by name) ---------------------------------


def double(x: int) -> int:
    return 2 * x


def sleep_then(x: float) -> float:
    time.sleep(x)
    return x


def allocate(mib: int) -> int:
    # One request past the limit fails at once; growing block by block would also write
    # every page, which under load can outlast the short time limit of the test below.
    return len(bytearray(mib << 20))


def segfault(_: object) -> None:
    ctypes.string_at(0)


def buggy(key: str) -> None:
    {}[key]


def damaged(name: str) -> None:
    raise CorruptFile(f"{name}: damaged PDF", "PDF 文件已损坏")


def slow_but_steady(steps: int) -> int:
    for _ in range(steps):
        request_time(1.0)
        time.sleep(0.4)
    return steps


def leave_a_child(pid_file: str) -> None:
    child = subprocess.Popen(["sleep", "300"], start_new_session=True)
    Path(pid_file).write_text(f"{os.getpid()} {child.pid}")
    time.sleep(300)


def write_pid_and_sleep(pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(300)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state != b"Z"
    except OSError:
        return False


def _wait_gone(pid: int, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


# --- the pool -------------------------------------------------------------------------------


def test_results_come_back_in_order_and_as_completed() -> None:
    with SandboxPool(workers=2, timeout=10, warm=()) as pool:
        assert list(pool.map_outcomes(double, range(12))) == [(i, 2 * i) for i in range(12)]
        done = list(pool.outcomes(sleep_then, [0.6, 0.0, 0.0], ordered=False))
        assert [index for index, _, _ in done][-1] == 0  # the slow one comes last
        assert sorted(r for _, _, r in done) == [0.0, 0.0, 0.6]


@pytest.mark.skipif(not LINUX, reason="RLIMIT_AS and /proc")
def test_every_kind_of_failure_is_a_clear_error_and_the_batch_goes_on() -> None:
    tasks = [(double, 1), (sleep_then, 30), (double, 2), (allocate, 2000), (double, 3),
             (segfault, None), (double, 4), (buggy, "x"), (damaged, "a.pdf"), (double, 5)]
    start = time.monotonic()
    with SandboxPool(workers=2, timeout=1.5, memory=1 << 30, warm=()) as pool:
        futures = [pool.submit(fn, arg) for fn, arg in tasks]
        outcomes = []
        for f in futures:
            try:
                outcomes.append(f.result(timeout=60))
            except ReportError as e:
                outcomes.append(e)
        replaced = pool.replaced
    assert time.monotonic() - start < 20
    assert [outcomes[i] for i in (0, 2, 4, 6, 9)] == [2, 4, 6, 8, 10]

    timeout = outcomes[1]
    assert isinstance(timeout, FileTimeout)
    assert str(timeout) == "processing timed out after 1.5 s"
    assert timeout.message_zh == "文件处理超时（超过 1.5 秒）"

    memory = outcomes[3]
    assert isinstance(memory, FileTooLarge)
    assert "1 GiB" in str(memory) and "内存超过上限" in memory.message_zh

    crash = outcomes[5]
    assert isinstance(crash, WorkerCrashed)
    assert "SIGSEGV" in str(crash) and "崩溃" in crash.message_zh

    bug = outcomes[7]
    assert isinstance(bug, InternalError)
    assert "KeyError" in str(bug) and "KeyError" in bug.detail and "buggy" in bug.detail

    own = outcomes[8]  # the file's own error passes through unchanged
    assert isinstance(own, CorruptFile) and own.message_zh == "PDF 文件已损坏"
    assert replaced >= 2  # the timed-out and the crashed workers were replaced


def test_a_task_may_ask_for_more_time_up_to_the_cap() -> None:
    with SandboxPool(workers=1, timeout=1, max_timeout=30, warm=()) as pool:
        assert pool.submit(slow_but_steady, 6).result() == 6  # 2.4 s with a 1 s limit
    with SandboxPool(workers=1, timeout=1, max_timeout=1.5, warm=()) as pool, \
            pytest.raises(FileTimeout, match="after 1.5 s"):
        pool.submit(slow_but_steady, 10).result()


@pytest.mark.skipif(not LINUX, reason="/proc")
def test_a_timed_out_worker_is_killed_with_the_processes_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    with SandboxPool(workers=1, timeout=1.5, warm=()) as pool:
        with pytest.raises(FileTimeout):
            pool.submit(leave_a_child, str(pid_file)).result()
        worker, child = map(int, pid_file.read_text().split())
        assert _wait_gone(worker) and _wait_gone(child)
        assert pool.submit(double, 21).result() == 42


def test_shutdown_with_cancel_stops_running_and_queued_tasks() -> None:
    pool = SandboxPool(workers=1, timeout=60, warm=())
    running = pool.submit(sleep_then, 60)
    queued = pool.submit(double, 1)
    while not running.running():
        time.sleep(0.02)
    start = time.monotonic()
    pool.shutdown(wait=True, cancel_futures=True)
    assert time.monotonic() - start < 10
    assert queued.cancelled()
    with pytest.raises(CancelledError):
        running.result(timeout=1)


@pytest.mark.skipif(not LINUX, reason="RLIMIT_AS")
def test_a_task_too_large_for_the_worker_is_too_large_and_the_pool_goes_on() -> None:
    """The import pipeline sends a file's bytes to the worker: bytes that do not fit in its
    memory give FileTooLarge (the pool used to re-send them to fresh workers forever)."""
    with SandboxPool(workers=1, timeout=60, memory=160 << 20, warm=()) as pool:
        with pytest.raises(FileTooLarge):
            pool.submit(len, b"x" * (100 << 20)).result(timeout=120)
        assert pool.submit(len, b"abc").result(timeout=120) == 3


def test_cancelling_a_running_task_stops_its_worker_and_the_pool_goes_on(
        tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    with SandboxPool(workers=1, timeout=60, warm=()) as pool:
        running = pool.submit(write_pid_and_sleep, str(pid_file))
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.02)  # synchronised on the file the task writes, not on time
        pool.cancel(running)
        with pytest.raises(CancelledError):
            running.result(timeout=30)
        assert _wait_gone(int(pid_file.read_text()), 10)
        assert pool.submit(double, 21).result(timeout=120) == 42


@pytest.mark.skipif(not LINUX, reason="/proc")
def test_workers_exit_when_the_program_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "from core.sandbox import SandboxPool\n"
        "import test_sandbox\n"
        "if __name__ == '__main__':\n"
        "    pool = SandboxPool(workers=1, warm=())\n"
        "    pool.submit(test_sandbox.write_pid_and_sleep, sys.argv[3]).result()\n")
    parent = subprocess.Popen([sys.executable, "-c", script, str(REPO), str(REPO / "tests"),
                               str(pid_file)])
    try:
        end = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < end and parent.poll() is None
            time.sleep(0.05)
        worker = int(pid_file.read_text())
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert _wait_gone(worker)
    finally:
        if parent.poll() is None:
            parent.kill()


# --- one task, forked ------------------------------------------------------------------------


def test_run_isolated_returns_the_result_or_raises_the_error() -> None:
    assert run_isolated(double, 21) == 42
    with pytest.raises(CorruptFile, match="damaged PDF"):
        run_isolated(damaged, "b.pdf")
    with pytest.raises(InternalError, match="KeyError"):
        run_isolated(buggy, "y")


@pytest.mark.skipif(not LINUX, reason="RLIMIT_AS")
def test_run_isolated_enforces_both_limits_and_survives_a_crash() -> None:
    start = time.monotonic()
    with pytest.raises(FileTimeout, match="after 1 s"):
        run_isolated(sleep_then, 30, timeout=1)
    assert time.monotonic() - start < 5
    with pytest.raises(FileTooLarge):
        run_isolated(allocate, 2000, memory=1 << 30)
    with pytest.raises(WorkerCrashed, match="SIGSEGV"):
        run_isolated(segfault, None)
    assert run_isolated(double, 1) == 2


def text_once_written(path: str) -> str:
    """The text of ``path`` once it exists (the test that starts this writes it)."""
    deadline = time.monotonic() + 60
    while not Path(path).exists():
        assert time.monotonic() < deadline, "the file was never written"
        time.sleep(0.01)
    return Path(path).read_text()


def has_marker(_: object) -> bool:
    return hasattr(sys, "_sandbox_test_marker")


def test_start_isolated_returns_while_the_task_runs(tmp_path: Path) -> None:
    # The task ends only when this process has written the file after the start.
    flag = tmp_path / "flag"
    result = start_isolated(text_once_written, str(flag), timeout=90)
    flag.write_text("written after the start")
    assert result() == "written after the start"
    with pytest.raises(CorruptFile):
        start_isolated(damaged, "c.pdf")()


@pytest.mark.skipif(not LINUX, reason="fork is used on Linux only")
def test_run_isolated_forks_a_single_threaded_process_and_spawns_otherwise() -> None:
    # A forked child shares what the caller set up; a spawned worker starts afresh.
    script = (
        "import sys, threading, time; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "from core.sandbox import run_isolated\n"
        "import test_sandbox\n"
        "if __name__ == '__main__':\n"
        "    sys._sandbox_test_marker = 1\n"
        "    forked = run_isolated(test_sandbox.has_marker, None)\n"
        "    threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
        "    spawned = run_isolated(test_sandbox.has_marker, None)\n"
        "    print(forked, spawned)\n")
    p = subprocess.run([sys.executable, "-c", script, str(REPO), str(REPO / "tests")],
                       capture_output=True, text=True, timeout=120)
    assert p.stdout.split() == ["True", "False"], p.stderr
