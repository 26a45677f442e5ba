"""Legacy Word (.doc) reader: LibreOffice converts the file to DOCX, the DOCX reader reads it.

The binary .doc format is not worth parsing ourselves; LibreOffice headless converts it
faithfully, merged cells included. Each conversion runs with a private LibreOffice
profile (a running desktop LibreOffice or a parallel conversion would otherwise take
the job over or lock the profile), in its own process group so a hung conversion can
be killed whole after the timeout.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from core.document import Document
from core.errors import CorruptFile, MissingTool, UnsupportedFile
from core.readers import docx as docx_reader
from core.soffice import convert, find_soffice

TIMEOUT_SECONDS = 60

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in the OLE directory are UTF-16LE.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")

def read(path: str | Path, data: bytes, *, search_path: str | None = None,
         timeout: float = TIMEOUT_SECONDS) -> Document:
    """Read a legacy .doc file's bytes into a :class:`Document` (kind ``doc``).

    ``search_path`` replaces $PATH when looking for LibreOffice (tests use it to
    simulate a machine without it).
    """
    name = Path(path).name
    _check_ole(data, name)
    exe = find_soffice(search_path)
    if exe is None:
        raise MissingTool(
            "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui) "
            "to read .doc files",
            "读取 .doc 文件需要安装 LibreOffice")
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        out_dir = Path(tmp) / "out"
        out_dir.mkdir()
        # LibreOffice's profile goes in the same private folder, removed with it: a
        # profile per process in /tmp (lo-profile-<pid>) was left behind by every forked
        # child (os._exit skips atexit) and its name was predictable. A fresh profile
        # costs about 0.3 s.
        _convert(exe, src, out_dir, name, timeout, Path(tmp) / "profile")
        converted = out_dir / "input.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise CorruptFile(
                f"{name}: LibreOffice could not convert this .doc file (damaged or "
                "password-protected?)",
                "无法转换该 .doc 文件（文件可能已损坏或有密码保护）")
        doc = docx_reader.read(path, converted.read_bytes())
    doc.kind = "doc"
    return doc


def _check_ole(data: bytes, name: str) -> None:
    """Refuse OLE files that are not Word documents before starting LibreOffice."""
    if not data.startswith(_OLE_MAGIC):
        raise CorruptFile(f"{name}: not a Word .doc file (no OLE header)",
                          "文件不是有效的 .doc 文档")
    if _ENCRYPTED_OOXML in data:
        raise CorruptFile(f"{name}: the document is password-protected; save it without "
                          "a password and try again", "文件有密码保护，请去除密码后再试")
    if _WORD_STREAM not in data:
        raise UnsupportedFile(f"{name}: an Office file that is not a Word document "
                              "(Excel or PowerPoint?)", "这是 Office 文件，但不是 Word 文档")


def _convert(exe: str, src: Path, out_dir: Path, name: str, timeout: float,
             profile: Path) -> None:
    try:
        code, detail = convert(exe, src, out_dir, "docx", profile, timeout)
    except subprocess.TimeoutExpired:
        raise CorruptFile(f"{name}: LibreOffice did not finish converting the .doc file "
                          f"within {timeout:g} s", "转换 .doc 文件超时") from None
    if code != 0:
        raise CorruptFile(f"{name}: LibreOffice failed to convert the .doc file "
                          f"(exit {code}{': ' + detail if detail else ''})",
                          "无法转换该 .doc 文件")
