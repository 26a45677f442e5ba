"""A guard against reference-counting bugs of PySide6 6.12 on Python 3.11.

Measured here (PySide6-Essentials 6.12.0, CPython 3.11.7): every call of a *static*
Qt function that returns void -- ``QApplication.processEvents()``,
``QCoreApplication.sendPostedEvents()``, ``QTest.qWait()``, ``QApplication.beep()``
-- takes one reference from ``None`` without having given it one. ``None`` starts
with about 5,000 references in a Qt program, so after about 5,000 such calls (a
pytest-qt ``waitUntil`` loop of a minute, or a busy-wait over a long import) CPython
aborts with "Fatal Python error: none_dealloc: deallocating None". Instance methods
(``QEventLoop().processEvents()``) are not affected, nor is Python 3.12+, where
``None`` is immortal. ``SignalInstance.emit()`` loses a reference to ``True`` the
same way (covered by the same extra references), and the window emits from Python
on every edit and every imported file.

:func:`protect_none` gives ``None``, ``True`` and ``False`` a large stock of extra
references once, so that the leaks can never bring them to zero. They are static
objects that are never freed, so the extra count changes nothing else.
"""

from __future__ import annotations

import ctypes
import platform
import sys

EXTRA_REFS = 1 << 40


def protect_none() -> bool:
    """Raise the reference counts of None, True and False far above what the leaks can
    use up; idempotent. Returns whether anything was changed."""
    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return False
    changed = False
    for obj in (None, True, False):
        if sys.getrefcount(obj) < EXTRA_REFS // 2:
            # ob_refcnt is the first field of every object in CPython.
            ctypes.c_ssize_t.from_address(id(obj)).value += EXTRA_REFS
            changed = True
    return changed
