"""Kill a child process at an exact moment: in the middle of a write to the database.

With ``NIANBAO_TEST_STOP_HALF_STORED=1`` in its environment a process stops itself
(SIGSTOP) inside the transaction of each report and each correction it writes (the test
hook in core/store.py). :func:`stop_at` lets a child run through its first writes and
returns while it is stopped in the k-th; the test then kills it there (SIGKILL works on a
stopped process) or lets it go on (SIGCONT). The kill tests thus synchronise on the
store's own progress, not on sleeps, and land where they mean to on a loaded machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

HOOK_ENV = {"NIANBAO_TEST_STOP_HALF_STORED": "1"}


def stop_at(proc: subprocess.Popen[bytes], k: int, timeout: float = 300) -> bool:
    """Let ``proc`` through its first ``k - 1`` half-stored stops; True when it is stopped
    in the k-th write, False when it exited before (its ``returncode`` is then set).

    ``timeout`` only bounds a child that hangs; it does not time anything."""
    deadline = time.monotonic() + timeout
    stops = 0
    while True:
        pid, status = os.waitpid(proc.pid, os.WUNTRACED | os.WNOHANG)
        if pid == 0:  # still running
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"no write within {timeout} s: the child hangs")
            time.sleep(0.005)
            continue
        if not os.WIFSTOPPED(status):  # reaped here, so Popen must be told how it ended
            proc.returncode = os.waitstatus_to_exitcode(status)
            return False
        stops += 1
        if stops == k:
            return True
        os.kill(proc.pid, signal.SIGCONT)


def kill(proc: subprocess.Popen[bytes], *, let_go: bool = False) -> None:
    """Kill a child stopped by :func:`stop_at`: in its write, or (``let_go``) just after
    letting it go on, which lands in the commit, between two writes or in the next file."""
    if let_go:
        os.kill(proc.pid, signal.SIGCONT)
    proc.kill()
    proc.wait(timeout=60)
