"""What can go wrong with the review database, each error with a message fit to show.

Apart from :mod:`core.store` (which re-exports them) so that a command that only reads
(``list``, ``search`` …, see :mod:`core.store_read`) raises the same errors without
loading the store's write machinery.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.errors import ReportError


class StoreError(ReportError):
    """The review database cannot be used as asked; the message says why."""

    message_zh = "无法使用审查数据库"


class StoreTooNew(StoreError):
    message_zh = ("该审查数据库由更新版本的年报审查台创建，"
                  "请升级本程序后再打开（数据库未作任何修改）")


class StoreCorrupt(StoreError):
    message_zh = "审查数据库文件已损坏或不是数据库文件（未作任何修改）"


class StoreForeign(StoreError):
    message_zh = "该文件是其他程序的数据库，不是年报审查台的审查数据库（未作任何修改）"


class StoreReadOnly(StoreError):
    message_zh = "审查数据库是只读的，无法写入（未作任何修改）"


class StoreNeedsUpgrade(StoreReadOnly):
    """Made by an older version: it must be upgraded (written) before it can be read."""

    message_zh = "审查数据库需要升级，但文件是只读的（未作任何修改）"


class StoreLocked(StoreError):
    message_zh = "审查数据库正被其他程序占用，请稍后再试（未作任何修改）"


class ReviewClosed(StoreError):
    """The report is marked 已审: its cells stay as reviewed until it is reopened."""


class NotFound(StoreError):
    message_zh = "找不到该报告或单元格"


class UndoConflict(StoreError):
    message_zh = "该单元格此后又被更正过（可能在命令行或另一窗口中），为免覆盖，本次撤销未执行"


def classify_error(err: sqlite3.Error, path: Path | str) -> StoreError:
    """The StoreError that says what an error of SQLite means (locked, read-only, damaged …)."""
    msg = str(err).lower()
    if "locked" in msg or "busy" in msg:
        return StoreLocked(f"{path}: the database is in use by another program ({err})")
    if "readonly" in msg or "read-only" in msg or "attempt to write" in msg:
        return StoreReadOnly(f"{path}: the database is read-only ({err})")
    if "unable to open" in msg:
        return StoreReadOnly(f"{path}: the database file cannot be opened ({err})",
                             "无法打开审查数据库文件（路径不可访问或没有权限）")
    if isinstance(err, sqlite3.DatabaseError) and not isinstance(err, sqlite3.OperationalError):
        return StoreCorrupt(f"{path}: the database file is damaged or not a database ({err})")
    if "malformed" in msg or "not a database" in msg:
        return StoreCorrupt(f"{path}: the database file is damaged ({err})")
    return StoreError(f"{path}: {err}")
