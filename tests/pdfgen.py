"""Real PDF files for tests, made from HTML by Qt (QTextDocument + QPdfWriter).

``make_pdf(html, out)`` lays the HTML out on A4 pages (long tables break across pages,
``<thead>`` rows repeat) with a CJK font, so the PDF carries a real text layer with
embedded font subsets and ToUnicode maps, like a Word or WPS export.

``make_pdf(html, out, fake_bold=True)`` runs Qt in a child process whose fontconfig sees
only regular faces, so Qt has to synthesise bold the way WPS/Word-era writers do: each
bold glyph is drawn twice, half a point apart.

``make_raw_pdf(content, out)`` writes a one-page PDF by hand from a content stream, and
``make_encrypted_pdf(out, user_password=...)`` an RC4-encrypted one (standard security
handler, revision 2), since no PDF writer here can encrypt.

Latin letters and digits are set in DejaVu Sans: Qt writes no usable ToUnicode entries
for the proportional digits of Noto Sans CJK (they come out as control characters).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"


def make_pdf(html: str, out: Path, *, fake_bold: bool = False, point_size: float = 10.5,
             landscape: bool = False) -> Path:
    """Write ``html`` as an A4 PDF (portrait, or ``landscape``) to ``out`` and return ``out``."""
    out = Path(out)
    if fake_bold:
        _run_without_bold_faces(html, out, point_size)
    else:
        _make_pdf_here(html, out, point_size, landscape)
    return out


def _make_pdf_here(html: str, out: Path, point_size: float, landscape: bool = False) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import (
        QFont,
        QFontDatabase,
        QGuiApplication,
        QPageLayout,
        QPageSize,
        QPdfWriter,
        QTextDocument,
    )

    if QGuiApplication.instance() is None:
        # A QApplication (not a bare QGuiApplication): tests of the window may run later in
        # the same session, and Qt allows one application whose widgets need QApplication.
        # Kept on the module so the application outlives this call (Qt needs one alive).
        from PySide6.QtWidgets import QApplication

        globals()["_APP"] = QApplication([])
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    cjk = CJK_FAMILY if CJK_FAMILY in chinese else (chinese[0] if chinese else None)
    if cjk is None:
        raise RuntimeError("no Chinese font for Qt: install fonts-noto-cjk (scripts/setup.sh "
                           "does); without one every Chinese glyph is lost")

    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    if landscape:
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    writer.setResolution(72)  # layout units = PDF points
    font = QFont()
    font.setFamilies([LATIN_FAMILY, cjk])
    font.setPointSizeF(point_size)
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setHtml(html)
    # With a page size set, print_() keeps our layout and adds no page numbers.
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer  # the file is finished when the writer goes away
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"Qt wrote no PDF to {out}")


def _run_without_bold_faces(html: str, out: Path, point_size: float) -> None:
    """Run _make_pdf_here in a child process whose fontconfig sees only regular faces
    (fontconfig is read once per process, so this cannot be done in the test process)."""
    regular = [_font_file(f"{LATIN_FAMILY}:style=Book"), _font_file(f"{CJK_FAMILY}:style=Regular")]
    with tempfile.TemporaryDirectory(prefix="pdfgen-fonts-") as tmp:
        fonts = Path(tmp, "fonts")
        fonts.mkdir()
        for i, path in enumerate(regular):
            (fonts / f"{i}{Path(path).suffix}").symlink_to(path)
        conf = Path(tmp, "fonts.conf")
        conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                        f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp}/cache</cachedir>"
                        "</fontconfig>\n", encoding="utf-8")
        source = Path(tmp, "page.html")
        source.write_text(html, encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
        code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
                "import pdfgen; pdfgen._make_pdf_here(Path(sys.argv[2]).read_text('utf-8'), "
                "Path(sys.argv[3]), float(sys.argv[4]))")
        done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent),
                               str(source), str(out), str(point_size)],
                              env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"fake-bold PDF generation failed:\n{done.stderr[-2000:]}")


def _font_file(pattern: str) -> str:
    done = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                          text=True, timeout=30)
    path = done.stdout.strip()
    if done.returncode != 0 or not path or not Path(path).exists():
        raise RuntimeError(f"fc-match found no font file for {pattern!r}")
    return path


# ---------------------------------------------------------------------------
# Hand-made PDFs (optionally RC4-encrypted, standard security handler revision 2)
# ---------------------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def make_raw_pdf(content: str, out: Path, *, rotate: int = 0,
                 user_password: str | None = None, owner_password: str = "owner") -> Path:
    """A one-page A4 PDF whose page content stream is ``content`` (PDF operators; font
    /F1 is Helvetica), written by hand so a test controls every operator: text render
    modes, ruling lines, exact positions, /Rotate.

    With ``user_password`` set (even to ""), the file is RC4-40 encrypted: a non-empty
    one is needed to open it, an empty one only "protects" the permissions.
    """
    file_id = hashlib.md5(content.encode("latin-1") + str(user_password).encode()).digest()
    encrypt = b""
    key = b""
    if user_password is not None:
        permissions = -44  # print/copy forbidden: what such files usually say
        user_pad = (user_password.encode("latin-1") + _PAD)[:32]
        owner_pad = (owner_password.encode("latin-1") + _PAD)[:32]
        owner_value = _rc4(hashlib.md5(owner_pad).digest()[:5], user_pad)  # Algorithm 3.3
        key = hashlib.md5(user_pad + owner_value + permissions.to_bytes(4, "little", signed=True)
                          + file_id).digest()[:5]  # Algorithm 3.2
        user_value = _rc4(key, _PAD)  # Algorithm 3.4
        encrypt = (b"<< /Filter /Standard /V 1 /R 2 /O <" + owner_value.hex().encode()
                   + b"> /U <" + user_value.hex().encode() + b"> /P "
                   + str(permissions).encode() + b" >>")

    stream = content.encode("latin-1")
    if key:
        salt = (4).to_bytes(3, "little") + (0).to_bytes(2, "little")  # object 4, generation 0
        stream = _rc4(hashlib.md5(key + salt).digest()[:10], stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate "
        + str(rotate).encode() + b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:
        objects.append(encrypt)
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{num} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        body += f"{offset:010d} 00000 n \n".encode()
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if encrypt:
        trailer += f" /Encrypt {len(objects)} 0 R"
    body += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    out = Path(out)
    out.write_bytes(bytes(body))
    return out


def make_encrypted_pdf(out: Path, *, user_password: str = "secret",
                       text: str = "Secret report") -> Path:
    """A one-page RC4-encrypted PDF showing ``text`` (ASCII) in Helvetica."""
    return make_raw_pdf(f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET", out,
                        user_password=user_password)
