"""The main window's size and layout: fitted to the screen it opens on, remembered per user.

A first start (or a saved size larger than the screen, say from a bigger monitor) gets a
window that fits the screen's available area, with the panes shared in proportion; the
inspector's own arrangement (window, docks, splitters, the source's zoom) is saved on close
and restored on the next start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from gui.main_window import MainWindow

PREFERRED_SIZE = QSize(1500, 920)
GEOMETRY_KEY, STATE_KEY = "window/geometry", "window/state"
MAIN_SPLIT_KEY, CENTER_SPLIT_KEY = "window/mainSplit", "window/centerSplit"
SOURCE_ZOOM_KEY = "source/zoom"  # 0: fit the page's width, else the zoom factor


def screen_room(window: MainWindow) -> QRect:
    """The available area (without panels and task bars) of the screen the window is on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def fit_to_screen(window: MainWindow) -> None:
    """Never larger than the screen's available area, and on it."""
    room = screen_room(window)
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = min(window.width(), room.width() - extra_w)
    height = min(window.height(), room.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    pos = window.pos()
    x = min(max(pos.x(), room.left()), room.right() - width - extra_w + 1)
    y = min(max(pos.y(), room.top()), room.bottom() - height - extra_h + 1)
    if (x, y) != (pos.x(), pos.y()):
        window.move(x, y)


def first_size(window: MainWindow) -> QSize:
    """The size of a window opened for the first time: the preferred one, or the screen."""
    room = screen_room(window)
    # The frame (title bar, borders) is not known before the first show: leave it room.
    return QSize(min(PREFERRED_SIZE.width(), room.width() - 16),
                 min(PREFERRED_SIZE.height(), room.height() - 40))


NARROW = 1200  # below this width the source starts folded away (its handle brings it back)


def share_panes(window: MainWindow, width: int | None = None, height: int | None = None
                ) -> None:
    """Panes in proportion to the window: the list about a seventh, the source a little
    over a quarter, the tables and findings the rest, the findings somewhat more than half
    of that height. A narrow window keeps the tables and findings whole and folds the
    source away."""
    width = width or window.width()
    height = height or window.height()
    listing = max(170, min(300, int(width * 0.14)))
    source = 0 if width < NARROW else max(260, int(width * 0.27))
    window.main_split.setSizes([listing, max(420, width - listing - source), source])
    window.center_split.setSizes([int(height * 0.42), int(height * 0.58)])


def restore(window: MainWindow, settings: QSettings) -> None:
    """The user's saved arrangement, or the first one; always within the screen."""
    window.resize(first_size(window))
    share_panes(window)
    restored = set()
    for key, fn in ((GEOMETRY_KEY, window.restoreGeometry), (STATE_KEY, window.restoreState),
                    (MAIN_SPLIT_KEY, window.main_split.restoreState),
                    (CENTER_SPLIT_KEY, window.center_split.restoreState)):
        value = settings.value(key)
        if isinstance(value, QByteArray | bytes) and value and fn(QByteArray(value)):
            restored.add(key)
    # Without a saved arrangement the panes are shared again at the first show, when the
    # window has the size it will really have.
    window.panes_pending = MAIN_SPLIT_KEY not in restored
    window.layout_size = window.size()
    fit_to_screen(window)
    zoom = settings.value(SOURCE_ZOOM_KEY)
    try:
        factor = float(zoom) if zoom is not None else 0.0
    except (TypeError, ValueError):
        factor = 0.0
    pdf = window.source.pdf_view
    if factor > 0:
        pdf.fit_mode = False
        pdf.set_zoom(factor)


def save(window: MainWindow, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
    settings.setValue(MAIN_SPLIT_KEY, window.main_split.saveState())
    settings.setValue(CENTER_SPLIT_KEY, window.center_split.saveState())
    pdf = window.source.pdf_view
    settings.setValue(SOURCE_ZOOM_KEY, 0.0 if pdf.fit_mode else pdf.zoom())
    settings.sync()
