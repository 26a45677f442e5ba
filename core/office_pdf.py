"""DOCX → PDF through LibreOffice headless, and the mark that a PDF is this program's.

Each conversion runs with a private LibreOffice profile made by :mod:`tempfile` and
removed afterwards (a desktop LibreOffice, or another conversion, would otherwise take
the job over or lock the profile). The PDF is then marked as written by this program
(``/Creator`` and ``/Producer`` = :data:`core.not_a_report.PRODUCER_MARK`, as the
checklist PDFs are), so that the importer refuses the program's own papers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import CorruptFile, MissingTool
from core.not_a_report import PRODUCER_MARK
from core.soffice import convert, find_soffice

TIMEOUT_SECONDS = 120


def docx_to_pdf(docx: str | os.PathLike[str], pdf: str | os.PathLike[str], *,
                title: str | None = None, search_path: str | None = None,
                timeout: float = TIMEOUT_SECONDS) -> Path:
    """Convert ``docx`` to ``pdf`` (overwritten) and mark it as this program's."""
    exe = find_soffice(search_path)
    if exe is None:
        raise MissingTool("LibreOffice (soffice) is needed to write PDF; the DOCX was written",
                          "生成 PDF 需要安装 LibreOffice（未找到 soffice）。DOCX 文件已保存，"
                          "可在 WPS 或 Word 中打开后另存为 PDF")
    src, target = Path(docx), Path(pdf)
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        profile = Path(tmp) / "profile"
        out_dir = Path(tmp) / "out"
        out_dir.mkdir()
        work = Path(tmp) / "paper.docx"  # an ASCII name: the output's name follows it
        shutil.copyfile(src, work)
        try:
            code, detail = convert(exe, work, out_dir, "pdf", profile, timeout)
        except MissingTool as e:
            raise MissingTool(str(e), "无法启动 LibreOffice，未能生成 PDF") from e
        except subprocess.TimeoutExpired:
            raise CorruptFile(f"LibreOffice did not finish within {timeout:g} s",
                              "LibreOffice 转换 PDF 超时") from None
        made = out_dir / "paper.pdf"
        if code != 0 or not made.is_file() or made.stat().st_size == 0:
            raise CorruptFile(f"LibreOffice failed to write the PDF (exit {code}"
                              f"{': ' + detail if detail else ''})", "LibreOffice 未能生成 PDF")
        mark_pdf(made, title=title)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), target)
    return target


def mark_pdf(path: str | os.PathLike[str], *, title: str | None = None) -> None:
    """Set ``/Creator`` and ``/Producer`` (and the title) of the PDF at ``path``."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(path))
    meta = {"/Creator": PRODUCER_MARK, "/Producer": PRODUCER_MARK}
    if title:
        meta["/Title"] = title
    writer.add_metadata(meta)
    tmp = Path(path).with_name(Path(path).name + ".marking")
    with open(tmp, "wb") as f:
        writer.write(f)
    os.replace(tmp, path)
