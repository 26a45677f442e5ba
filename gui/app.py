"""Application start-up: the QApplication, its names, a Chinese font, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import (
    QLibraryInfo,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from gui.pyside_fix import protect_none
from render.qt import pick_cjk_family

APP_NAME = "年报审查台"
# ASCII, so QSettings' file lives under ~/.config/nianbao-shenchatai/ on Linux.
ORGANIZATION_NAME = "nianbao-shenchatai"

# Qt warnings that say nothing to a user: the offscreen platform (screenshots, a session
# without a display) cannot pass size hints to a window manager it does not have.
QUIET_QT_WARNINGS = ("This plugin does not support propagateSizeHints()",)
_previous_handler = None


def _qt_messages(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if any(message.startswith(m) for m in QUIET_QT_WARNINGS):
        return
    if _previous_handler is not None:
        _previous_handler(mode, context, message)
    else:
        print(message, file=sys.stderr)


def quiet_qt_noise() -> None:
    """Drop :data:`QUIET_QT_WARNINGS`; every other Qt message goes where it went before."""
    global _previous_handler
    if _previous_handler is None:
        _previous_handler = qInstallMessageHandler(_qt_messages) or None


def load_qt_translations(app: QApplication) -> bool:
    """Qt's own dialogs (buttons, file dialogs, print preview) in Chinese, from the
    translations shipped with PySide6; nothing is downloaded. True when loaded."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_CN", folder):
        return False
    app.installTranslator(translator)
    app.setProperty("qtTranslator", translator)  # keep it alive with the app
    return True


def qt_application(argv: list[str]) -> QApplication:
    """The running QApplication (a test's, or the one the papers made), else a new one.

    Windows need a QApplication: a bare QCoreApplication or QGuiApplication already
    running in the process cannot host them, and Qt allows only one application.
    """
    app = QApplication.instance()
    if app is None:
        return QApplication(argv)
    if not isinstance(app, QApplication):
        raise RuntimeError(f"年报审查台：已有的 {type(app).__name__} 不能显示窗口"
                           f" / a {type(app).__name__} is running; windows need a QApplication")
    return app


def configure_app(app: QApplication) -> str | None:
    """Set the application's names, Qt's Chinese translations and a CJK app font; return
    the font family chosen, or None."""
    protect_none()
    quiet_qt_noise()
    if app.property("qtTranslator") is None:
        load_qt_translations(app)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION_NAME)
    family = pick_cjk_family(QFontDatabase.families())
    if family is None:
        print(
            "年报审查台：未找到中文字体，汉字可能显示为方框；请安装 fonts-noto-cjk"
            " / no Chinese font found, text may show as boxes; install fonts-noto-cjk",
            file=sys.stderr,
        )
        return None
    font = app.font()
    font.setFamily(family)
    app.setFont(font)
    return family


def run(argv: list[str], files: list[str] | None = None, db_path: str | None = None) -> int:
    """Start the GUI on the user's review database and return the event loop's exit code.

    ``files`` (paths of reports or folders) are imported once the window is up;
    ``db_path`` (``main.py gui --db``) overrides the database chosen in the window.
    """
    protect_none()
    app = qt_application(argv)
    configure_app(app)
    from PySide6.QtCore import QTimer

    from gui.context import AppContext
    from gui.main_window import MainWindow

    # The database opens right after the window shows (MainWindow.load_database), which
    # also says why when it cannot be used.
    ctx = AppContext.create(db_path, lazy=True)
    window = MainWindow(ctx, defer_load=True)
    window.show()
    QTimer.singleShot(200, ctx.workers.preload)
    if files:
        window.databaseReady.connect(lambda: window.start_import(files))
    try:
        return app.exec()
    finally:
        ctx.close()
