"""The application context: what the window needs, built once and passed explicitly.

No module-level singletons: ``gui.app`` builds one :class:`AppContext` (database,
settings, workers) and hands it to the window; tests build theirs on a temporary
database and settings file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings

from gui.backend import StoreBackend
from gui.workers import Workers

REVIEWER_KEY = "review/reviewer"
DATABASE_KEY = "database/path"
RECENT_KEY = "files/recent"
MAX_RECENT = 10


@dataclass
class AppContext:
    backend: StoreBackend
    settings: QSettings
    workers: Workers
    _temp_dir: str | None = field(default=None, repr=False)

    @classmethod
    def create(cls, db_path: str | os.PathLike[str] | None = None,
               settings: QSettings | None = None, *, lazy: bool = False) -> AppContext:
        """The user's context: the database ``db_path``, else the one chosen in the window
        (settings), else the default of ``core.paths``.

        ``lazy``: open the database on first use (the window shows first).
        """
        from core.paths import resolve_db_path

        settings = settings if settings is not None else QSettings()
        chosen = db_path or str(settings.value(DATABASE_KEY, "") or "") or None
        backend = StoreBackend.open(resolve_db_path(chosen), lazy=lazy)
        return cls(backend, settings, Workers())

    @classmethod
    def temporary(cls, *, lazy: bool = False) -> AppContext:
        """A throwaway database and settings file (screenshots, tests); removed on close."""
        tmp = tempfile.mkdtemp(prefix="nianbao-")
        backend = StoreBackend.open(Path(tmp) / "reviews.sqlite", lazy=lazy)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        return cls(backend, settings, Workers(), tmp)

    # --- settings ------------------------------------------------------------------------
    def reviewer(self) -> str:
        return str(self.settings.value(REVIEWER_KEY, "") or "")

    def set_reviewer(self, name: str) -> None:
        self.settings.setValue(REVIEWER_KEY, name.strip())

    def remember_database(self, path: str | os.PathLike[str] | None) -> None:
        """The database the next start opens (None: the default one)."""
        self.settings.setValue(DATABASE_KEY, str(path) if path else "")

    def recent_files(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):  # the INI format reads a one-entry list back as a string
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent(self, paths: list[str]) -> None:
        recent = self.recent_files()
        for p in reversed(paths):
            if p in recent:
                recent.remove(p)
            recent.insert(0, p)
        self.settings.setValue(RECENT_KEY, recent[:MAX_RECENT])

    def close(self) -> None:
        self.workers.shutdown()
        self.settings.sync()
        self.backend.close()
        if self._temp_dir:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None
