"""Errors about the user's files or environment, each with a message fit to show.

Findings are data, not exceptions; these are for files that cannot be read at all.
``message_zh`` is shown in the GUI, ``str(err)`` (English) on the CLI.
"""

from __future__ import annotations


class ReportError(Exception):
    """A problem with the input file or the environment, not a bug."""

    message_zh: str = "无法读取该文件"

    def __init__(self, message: str, message_zh: str | None = None) -> None:
        super().__init__(message)
        if message_zh is not None:
            self.message_zh = message_zh


class UnsupportedFile(ReportError):
    """The file is of a kind we cannot read (by content, not by extension)."""

    message_zh = "不支持的文件类型"


class CorruptFile(ReportError):
    """The file is damaged, truncated, empty or encrypted."""

    message_zh = "文件已损坏或无法打开"


class ScannedDocument(ReportError):
    """A PDF without a usable text layer: it needs OCR."""

    message_zh = "这是扫描版 PDF（没有文字层），需要文字识别（OCR）"


class NotAReport(ReportError):
    """The file was read, but it holds no 政府信息公开工作年度报告 tables or text."""

    message_zh = "该文件不是政府信息公开工作年度报告"


class MissingTool(ReportError):
    """An external program needed for this file kind is not installed."""

    message_zh = "缺少处理该文件所需的程序"


# --- raised by core.sandbox, which reads each file in a worker process with limits ---


class FileTimeout(ReportError):
    """Reading the file took longer than the time limit; the worker was stopped."""

    message_zh = "文件处理超时"

    def __init__(self, message: str = "processing timed out",
                 message_zh: str | None = None, *, seconds: float | None = None) -> None:
        if seconds is not None:
            message = f"processing timed out after {seconds:g} s"
            message_zh = f"文件处理超时（超过 {seconds:g} 秒）"
        super().__init__(message, message_zh)


class FileTooLarge(ReportError):
    """Reading the file needed more memory than the limit; the worker was stopped."""

    message_zh = "文件处理所需内存超过上限"

    def __init__(self, message: str = "processing needs more memory than the limit",
                 message_zh: str | None = None, *, limit: int | None = None) -> None:
        if limit is not None:
            size = f"{limit / 2**30:g} GiB" if limit >= 2**30 else f"{limit // 2**20} MiB"
            message = f"processing needs more memory than the limit ({size})"
            message_zh = f"文件处理所需内存超过上限（{size}），文件可能已损坏或是恶意构造的"
        super().__init__(message, message_zh)


class WorkerCrashed(ReportError):
    """The worker process reading the file died (a crash in a C library, or killed)."""

    message_zh = "读取该文件时处理程序崩溃，文件可能已损坏"


class InternalError(ReportError):
    """An unexpected exception (a bug in the program) while reading one file.

    ``detail`` holds the worker's traceback for the log; the batch goes on.
    """

    message_zh = "读取该文件时程序内部出错（请报告此问题）"
    detail: str = ""


class LimitExceeded(ReportError):
    """The file asks for more work than any annual report needs (pages, frames, pixels,
    bytes, rows): refused before the work starts. The message names the limit."""

    message_zh = "文件超出处理上限，不是一份正常的年度报告"


def zh_message(e: ReportError) -> str:
    """The Chinese message of an error: its own when it was given one, else the class's
    with the English detail in brackets."""
    own = e.message_zh
    if own != type(e).message_zh:
        return own
    return f"{own}（{e}）"
