"""Whether this process can show a window: one answer for the launcher, the window's
screenshot command and the printing code. Qt-free and cheap (checked before Qt loads:
Qt aborts the process when its platform plugin finds no display)."""

from __future__ import annotations

import os
import sys

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def has_display() -> bool:
    """False on Linux and other X11/Wayland systems when nothing can show a window
    (no display variable set, nor a Qt platform such as ``offscreen`` chosen)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(name) for name in DISPLAY_VARIABLES)
