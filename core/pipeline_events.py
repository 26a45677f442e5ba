"""The events of the import pipeline (:func:`core.pipeline.read_files` and
:func:`core.pipeline.iter_import`): one :class:`FileEvent` per step of a file, one
:class:`ImportEvent` per file imported.

Their own module, imported when a pipeline yields one: a one-file ``extract`` or
``check`` never does, and data classes cost start-up (``dataclasses`` imports
``inspect``). :mod:`core.pipeline` gives both names too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from core.errors import ReportError
    from core.model import Report


@dataclass(frozen=True)
class FileEvent:
    """One step of one file in :func:`core.pipeline.read_files`.

    ``kind``: "started" (a worker took it), "done" (``report`` read, with the file's
    ``content`` and ``sha256`` for the database), "failed" (``error`` says why; the other
    files go on) or "skipped" (its bytes are already stored: ``sha256`` says which).
    """

    kind: str
    index: int  # 1-based, in the order the files were given
    path: Path
    report: Report | None = None
    content: bytes | None = field(default=None, repr=False)
    sha256: str | None = None
    error: ReportError | None = None
    seconds: float = 0.0  # from the file's submission to its result

    @property
    def reason(self) -> str:
        """Why it failed, in English, without the file's name in front."""
        return without_name(str(self.error), self.path) if self.error else ""

    @property
    def reason_zh(self) -> str:
        """Why it failed, for the window."""
        return self.error.message_zh if self.error else ""


def without_name(message: str, path: Path) -> str:
    """``message`` without the file's name in front (the caller prints it)."""
    prefix = path.name + ": "
    return message[len(prefix):] if message.startswith(prefix) else message


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
    reason: str | None = None  # English, for logs
    reason_zh: str | None = None  # what a person reads (the CLI, the window)
