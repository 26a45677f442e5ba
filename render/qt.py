"""The Qt application the papers are laid out in, and the one Chinese font choice.

:func:`ensure_app` is the only place that creates a QApplication for rendering: the
window's when it runs, else a new one, offscreen when there is no display. A
QApplication rather than a QGuiApplication, so that a window or a test opened later in
the same process finds the kind of application it needs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from core.display import has_display
from core.resources import cjk_font_families

_app: QApplication | None = None  # the application this module created, kept alive


def ensure_app() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    global _app
    app = QApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QApplication([sys.argv[0] if sys.argv else "nianbao"])
    family = cjk_family()
    if family:
        font = _app.font()
        font.setFamily(family)
        _app.setFont(font)
    return _app


def pick_cjk_family(available: Iterable[str]) -> str | None:
    """The first of the program's Chinese fonts (resources/fonts.json, in order of
    preference) that is among ``available``, else None."""
    have = set(available)
    return next((f for f in cjk_font_families() if f in have), None)


def cjk_family() -> str | None:
    """The Chinese font family: the first of the program's fonts installed, else any
    family that can write Simplified Chinese."""
    families = QFontDatabase.families()
    family = pick_cjk_family(families)
    if family:
        return family
    for f in families:
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f):
            return f
    return None


def print_font(point_size: float = 9.5) -> QFont:
    """The printout's font: the CJK family, without the 'locl' OpenType feature.

    With 'locl' on, Noto Sans CJK draws digits next to Latin letters ("C01", "SHA-256")
    with substituted glyphs that Qt's PDF writer leaves out of the ToUnicode map, so the
    PDF's text reads "(cid:71)" instead of "0". The SC family's default glyphs are the
    Simplified Chinese forms already, so nothing visible changes.
    """
    family = cjk_family()
    font = QFont(family) if family else QFont()
    font.setPointSizeF(point_size)
    font.setFeature(QFont.Tag("locl"), 0)
    return font
