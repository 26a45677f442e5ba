"""core.readers.pdfium_lib declares by hand the PDFium functions the reader calls: each
declaration and constant must agree with pypdfium2's generated bindings for the library
installed, and the reader must get from it what pypdfium2 gives."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2_raw as generated
import pytest
from datapaths import REAL_DIR

from core.readers import pdfium_lib

REPO = Path(pdfium_lib.__file__).resolve().parents[2]  # core/readers/pdfium_lib.py


def _shape(t: object) -> tuple:
    """What a C type is at the call: a pointer (of any kind), or a value of some size and
    ctypes type code."""
    if t is None:
        return ("void",)
    if t in (ctypes.c_void_p, ctypes.c_char_p) or isinstance(t, type) and issubclass(
            t, ctypes._Pointer):
        return ("pointer",)
    if isinstance(t, type) and issubclass(t, ctypes.Structure):
        return ("struct", t.__name__.strip("_").replace("struct_", ""))
    return ("value", ctypes.sizeof(t), getattr(t, "_type_", None))  # type: ignore[arg-type]


@pytest.mark.parametrize("name, restype, argtypes", pdfium_lib.SIGNATURES,
                         ids=[s[0] for s in pdfium_lib.SIGNATURES])
def test_each_declaration_agrees_with_pypdfium2(name, restype, argtypes):
    theirs = getattr(generated, name)
    assert _shape(restype) == _shape(theirs.restype)
    assert len(argtypes) == len(theirs.argtypes)
    for ours, their in zip(argtypes, theirs.argtypes, strict=True):
        assert _shape(ours) == _shape(their), name


def test_structures_and_constants_agree_with_pypdfium2():
    for ours, theirs in ((pdfium_lib.FS_RECTF, generated.FS_RECTF),
                         (pdfium_lib.FS_MATRIX, generated.FS_MATRIX),
                         (pdfium_lib.FS_SIZEF, generated.FS_SIZEF)):
        assert [(n, _shape(t)) for n, t in ours._fields_] == \
               [(n, _shape(t)) for n, t in theirs._fields_]
    config = pdfium_lib.FPDF_LIBRARY_CONFIG._fields_
    their_config = generated.FPDF_LIBRARY_CONFIG._fields_[:len(config)]
    assert [(n, _shape(t)) for n, t in config] == [(n, _shape(t)) for n, t in their_config]
    for name in dir(pdfium_lib):
        if name.startswith("FPDF_") and isinstance(getattr(pdfium_lib, name), int):
            assert getattr(pdfium_lib, name) == getattr(generated, name), name


def test_the_library_is_the_one_pypdfium2_loads():
    ours = pdfium_lib.library_path()
    assert ours.is_file()
    assert ours.resolve() == Path(generated.bindings._libs["pdfium"]._name).resolve()


def test_metadata_and_text_match_pypdfium2():
    data = sorted(REAL_DIR.glob("*.pdf"))[0].read_bytes()
    ours = pdfium_lib.open_document(data)
    theirs = pdfium.PdfDocument(data)
    try:
        assert pdfium_lib.FPDF_GetPageCount(ours) == len(theirs)
        for key in ("Creator", "Producer", "Title"):
            assert pdfium_lib.metadata(ours, key) == theirs.get_metadata_value(key)
        page = pdfium_lib.FPDF_LoadPage(ours, 0)
        textpage = pdfium_lib.FPDFText_LoadPage(page)
        text = pdfium_lib.page_text(textpage)
        pdfium_lib.FPDFText_ClosePage(textpage)
        pdfium_lib.FPDF_ClosePage(page)
        their_page = theirs[0]
        their_text = their_page.get_textpage().get_text_range()
        assert text == their_text
        assert "信息公开" in text
    finally:
        pdfium_lib.FPDF_CloseDocument(ours)
        theirs.close()


def test_a_damaged_or_encrypted_file_gives_pdfiums_error_code():
    with pytest.raises(pdfium_lib.PdfiumError) as caught:
        pdfium_lib.open_document(b"%PDF-1.4\n this is not a PDF body")
    assert caught.value.code == 3  # FPDF_ERR_FORMAT


def test_reading_a_report_does_not_import_pypdfium2():
    """The point of the module: the text reader loads PDFium without pypdfium2."""
    pdf = sorted(REAL_DIR.glob("*.pdf"))[0]
    code = ("import sys; from pathlib import Path; from core.readers import read_document; "
            f"doc = read_document(Path({str(pdf)!r})); "
            "assert doc.rows; print('pypdfium2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert out.stdout.strip() == "False"
