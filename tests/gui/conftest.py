"""Fixtures for the review desk: a real SQLite database in tmp_path, real corpus files.

One pool of worker processes is shared by the whole session (starting two ``spawn``
processes costs about a second); everything else is per test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from core.sandbox import SandboxPool  # noqa: E402
from gui.app import configure_app  # noqa: E402
from gui.backend import StoreBackend  # noqa: E402
from gui.context import AppContext  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.pyside_fix import protect_none  # noqa: E402
from gui.workers import Workers  # noqa: E402

protect_none()

from desk_helpers import DOCX_T3, HTML, PDF_T4  # noqa: E402


@pytest.fixture(scope="session")
def process_pool() -> Iterator[SandboxPool]:
    pool = SandboxPool(2)
    pool.start()
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def ctx(qapp, tmp_path: Path, process_pool: SandboxPool) -> Iterator[AppContext]:
    configure_app(qapp)
    backend = StoreBackend.open(tmp_path / "reviews.sqlite")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext(backend, settings, Workers(pool=process_pool))
    yield context
    context.close()


@pytest.fixture(autouse=True)
def empty_clipboard(qapp) -> Iterator[None]:
    """Leave the clipboard empty: mime data a test put there would otherwise be freed by
    Qt's exit handlers after Python has gone, which crashes the test run at exit."""
    yield
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()


@pytest.fixture
def window(ctx: AppContext, qtbot) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1500, 920)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Copies of real corpus files, plus two bad ones (an empty file, a PNG named .pdf)."""
    d = tmp_path / "in"
    d.mkdir()
    out = {}
    for name, src in (("pdf", PDF_T4), ("docx", DOCX_T3), ("html", HTML)):
        out[name] = Path(shutil.copy(src, d / src.name))
    out["empty"] = d / "空文件.pdf"
    out["empty"].write_bytes(b"")
    png = d / "图片改名.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64))
    out["png"] = png
    return out


