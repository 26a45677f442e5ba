"""LibreOffice headless, the one way the program runs it: the .doc reader converts a
.doc to DOCX with it, the office's papers go from DOCX to PDF with it.

Each run uses the private profile folder the caller gives it (a running desktop
LibreOffice or a parallel conversion would otherwise take the job over or lock the
profile), in its own process group so that a hung conversion is killed whole.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

from core.errors import MissingTool

# Places LibreOffice installs itself when it is not on PATH (Windows, macOS).
_KNOWN_LOCATIONS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

# One conversion at a time per process.
_lock = threading.Lock()


def find_soffice(search_path: str | None = None) -> str | None:
    """The LibreOffice executable, looked up in ``search_path`` (default: $PATH)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name, path=search_path)
        if found:
            return found
    if search_path is None:
        for candidate in _KNOWN_LOCATIONS:
            if os.path.isfile(candidate):
                return candidate
    return None


def convert(exe: str, src: Path, out_dir: Path, to: str, profile: Path,
            timeout: float) -> tuple[int, str]:
    """Run ``soffice --convert-to TO`` on ``src`` into ``out_dir``: (exit code, stderr).

    Raises :class:`MissingTool` when LibreOffice cannot be started and
    :class:`subprocess.TimeoutExpired` (after killing it) when it takes longer than
    ``timeout``; the callers say what that means for their file.
    """
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--nodefault", "--nologo", "--convert-to", to,
           "--outdir", str(out_dir), str(src)]
    posix = os.name == "posix"
    with _lock:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, start_new_session=posix)
        except OSError as e:
            raise MissingTool(f"cannot start LibreOffice ({exe}): {e}",
                              "无法启动 LibreOffice") from e
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc, posix)
            raise
    return proc.returncode, err.decode("utf-8", "replace").strip()[:300]


def _kill(proc: subprocess.Popen, posix: bool) -> None:
    # soffice is a launcher that starts soffice.bin: kill the whole group it leads.
    try:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass
    proc.communicate()
