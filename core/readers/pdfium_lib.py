"""The PDFium functions the PDF reader calls, bound with ctypes to the PDFium library that
pypdfium2 ships (its package ``pypdfium2_raw``).

Why not ``import pypdfium2``: its import costs ~37 ms on this project's 2-core machine (the
generated bindings declare about a thousand functions, the helpers pull in logging,
argparse, urllib …), more than reading a whole six-page report (~30 ms) and a third of a
one-file ``main.py extract``. Loading the library and declaring the few functions below
costs ~3 ms. tests/test_pdfium_lib.py checks every declaration and constant here against
pypdfium2's generated bindings, so an upgrade that changes one fails there, not in a user's
hands. pypdfium2 itself stays where its helpers earn their import: rendering pages for OCR
and for the window's source view.

The library is one per process: pypdfium2 loading the same file later gets the same
handle (``dlopen`` counts references), and ``FPDF_InitLibraryWithConfig`` returns at once
when the library is already initialised. PDFium is not thread-safe: callers hold
``core.readers.pdf.PDFIUM_LOCK`` around every call.

Handles (documents, pages, text pages, page objects, path segments) are plain ``int``
addresses here (``c_void_p``); a NULL handle comes back as ``None``.
"""

from __future__ import annotations

import ctypes
import sys
from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_uint, c_ulong, c_ushort, c_void_p
from importlib.machinery import PathFinder
from pathlib import Path

# typing.TYPE_CHECKING without importing typing (~2 ms on the reading child's path).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# --- constants (fpdfview.h, fpdf_edit.h, fpdf_text.h) ------------------------------------
FPDF_ERR_PASSWORD = 4
FPDF_ERR_SECURITY = 5
FPDF_PAGEOBJ_TEXT = 1
FPDF_PAGEOBJ_PATH = 2
FPDF_PAGEOBJ_IMAGE = 3
FPDF_PAGEOBJ_FORM = 5
FPDF_FILLMODE_NONE = 0
FPDF_SEGMENT_LINETO = 0
FPDF_SEGMENT_MOVETO = 2
FPDF_TEXTRENDERMODE_INVISIBLE = 3
FPDF_TEXTRENDERMODE_CLIP = 7


class FS_RECTF(ctypes.Structure):  # noqa: N801 - PDFium's name
    _fields_ = (("left", c_float), ("top", c_float), ("right", c_float), ("bottom", c_float))


class FS_MATRIX(ctypes.Structure):  # noqa: N801 - PDFium's name
    _fields_ = tuple((name, c_float) for name in "abcdef")


class FS_SIZEF(ctypes.Structure):  # noqa: N801 - PDFium's name
    _fields_ = (("width", c_float), ("height", c_float))


class FPDF_LIBRARY_CONFIG(ctypes.Structure):  # noqa: N801 - PDFium's name
    """The fields of config version 2: PDFium reads no further for that version."""

    _fields_ = (("version", c_int), ("m_pUserFontPaths", POINTER(POINTER(ctypes.c_char))),
                ("m_pIsolate", c_void_p), ("m_v8EmbedderSlot", c_uint))


def library_path() -> Path:
    """The PDFium library file inside the installed ``pypdfium2_raw`` package, found
    without importing that package (importing it loads the generated bindings)."""
    spec = PathFinder.find_spec("pypdfium2_raw")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypdfium2_raw (the PDFium library of pypdfium2) is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    if sys.platform.startswith(("win32", "cygwin", "msys")):
        name = "pdfium.dll"
    elif sys.platform.startswith(("darwin", "ios")):
        name = "libpdfium.dylib"
    else:
        name = "libpdfium.so"
    return folder / name


_lib = ctypes.CDLL(str(library_path()))


def _bind(name: str, restype: Any, *argtypes: Any) -> Any:
    function = getattr(_lib, name)
    function.restype = restype
    function.argtypes = argtypes
    return function


_P = c_void_p  # any PDFium handle
_BOOL = c_int  # FPDF_BOOL
_PF = POINTER(c_float)
_PD = POINTER(c_double)
_PU = POINTER(c_uint)

# (name, result, arguments): also read by tests/test_pdfium_lib.py.
SIGNATURES: tuple[tuple[str, Any, tuple[Any, ...]], ...] = (
    ("FPDF_InitLibraryWithConfig", None, (POINTER(FPDF_LIBRARY_CONFIG),)),
    ("FPDF_LoadMemDocument64", _P, (c_void_p, ctypes.c_size_t, c_char_p)),
    ("FPDF_GetLastError", c_ulong, ()),
    ("FPDF_GetPageCount", c_int, (_P,)),
    ("FPDF_CloseDocument", None, (_P,)),
    ("FPDF_GetMetaText", c_ulong, (_P, c_char_p, c_void_p, c_ulong)),
    ("FPDF_GetPageSizeByIndexF", _BOOL, (_P, c_int, POINTER(FS_SIZEF))),
    ("FPDF_LoadPage", _P, (_P, c_int)),
    ("FPDF_ClosePage", None, (_P,)),
    ("FPDF_GetPageWidthF", c_float, (_P,)),
    ("FPDF_GetPageHeightF", c_float, (_P,)),
    ("FPDFPage_GetRotation", c_int, (_P,)),
    ("FPDFPage_GetCropBox", _BOOL, (_P, _PF, _PF, _PF, _PF)),
    ("FPDFPage_GetMediaBox", _BOOL, (_P, _PF, _PF, _PF, _PF)),
    ("FPDFText_LoadPage", _P, (_P,)),
    ("FPDFText_ClosePage", None, (_P,)),
    ("FPDFText_CountChars", c_int, (_P,)),
    ("FPDFText_GetText", c_int, (_P, c_int, c_int, POINTER(c_ushort))),
    ("FPDFText_GetUnicode", c_uint, (_P, c_int)),
    ("FPDFText_HasUnicodeMapError", c_int, (_P, c_int)),
    ("FPDFText_IsGenerated", c_int, (_P, c_int)),
    ("FPDFText_GetLooseCharBox", _BOOL, (_P, c_int, POINTER(FS_RECTF))),
    ("FPDFText_GetCharBox", _BOOL, (_P, c_int, _PD, _PD, _PD, _PD)),
    ("FPDFText_GetFontSize", c_double, (_P, c_int)),
    ("FPDFText_GetMatrix", _BOOL, (_P, c_int, POINTER(FS_MATRIX))),
    ("FPDFText_GetTextObject", _P, (_P, c_int)),
    ("FPDFPage_CountObjects", c_int, (_P,)),
    ("FPDFPage_GetObject", _P, (_P, c_int)),
    ("FPDFPageObj_GetType", c_int, (_P,)),
    ("FPDFPageObj_GetBounds", _BOOL, (_P, _PF, _PF, _PF, _PF)),
    ("FPDFPageObj_GetMatrix", _BOOL, (_P, POINTER(FS_MATRIX))),
    ("FPDFPageObj_GetFillColor", _BOOL, (_P, _PU, _PU, _PU, _PU)),
    ("FPDFPageObj_GetStrokeColor", _BOOL, (_P, _PU, _PU, _PU, _PU)),
    ("FPDFTextObj_GetTextRenderMode", c_int, (_P,)),
    ("FPDFFormObj_CountObjects", c_int, (_P,)),
    ("FPDFFormObj_GetObject", _P, (_P, c_ulong)),
    ("FPDFPath_GetDrawMode", _BOOL, (_P, POINTER(c_int), POINTER(_BOOL))),
    ("FPDFPath_CountSegments", c_int, (_P,)),
    ("FPDFPath_GetPathSegment", _P, (_P, c_int)),
    ("FPDFPathSegment_GetPoint", _BOOL, (_P, _PF, _PF)),
    ("FPDFPathSegment_GetType", c_int, (_P,)),
    ("FPDFPathSegment_GetClose", _BOOL, (_P,)),
)

_f = {name: _bind(name, restype, *argtypes) for name, restype, argtypes in SIGNATURES}

FPDF_LoadMemDocument64 = _f["FPDF_LoadMemDocument64"]
FPDF_GetLastError = _f["FPDF_GetLastError"]
FPDF_GetPageCount = _f["FPDF_GetPageCount"]
FPDF_CloseDocument = _f["FPDF_CloseDocument"]
FPDF_GetMetaText = _f["FPDF_GetMetaText"]
FPDF_GetPageSizeByIndexF = _f["FPDF_GetPageSizeByIndexF"]
FPDF_LoadPage = _f["FPDF_LoadPage"]
FPDF_ClosePage = _f["FPDF_ClosePage"]
FPDF_GetPageWidthF = _f["FPDF_GetPageWidthF"]
FPDF_GetPageHeightF = _f["FPDF_GetPageHeightF"]
FPDFPage_GetRotation = _f["FPDFPage_GetRotation"]
FPDFPage_GetCropBox = _f["FPDFPage_GetCropBox"]
FPDFPage_GetMediaBox = _f["FPDFPage_GetMediaBox"]
FPDFText_LoadPage = _f["FPDFText_LoadPage"]
FPDFText_ClosePage = _f["FPDFText_ClosePage"]
FPDFText_CountChars = _f["FPDFText_CountChars"]
FPDFText_GetText = _f["FPDFText_GetText"]
FPDFText_GetUnicode = _f["FPDFText_GetUnicode"]
FPDFText_HasUnicodeMapError = _f["FPDFText_HasUnicodeMapError"]
FPDFText_IsGenerated = _f["FPDFText_IsGenerated"]
FPDFText_GetLooseCharBox = _f["FPDFText_GetLooseCharBox"]
FPDFText_GetCharBox = _f["FPDFText_GetCharBox"]
FPDFText_GetFontSize = _f["FPDFText_GetFontSize"]
FPDFText_GetMatrix = _f["FPDFText_GetMatrix"]
FPDFText_GetTextObject = _f["FPDFText_GetTextObject"]
FPDFPage_CountObjects = _f["FPDFPage_CountObjects"]
FPDFPage_GetObject = _f["FPDFPage_GetObject"]
FPDFPageObj_GetType = _f["FPDFPageObj_GetType"]
FPDFPageObj_GetBounds = _f["FPDFPageObj_GetBounds"]
FPDFPageObj_GetMatrix = _f["FPDFPageObj_GetMatrix"]
FPDFPageObj_GetFillColor = _f["FPDFPageObj_GetFillColor"]
FPDFPageObj_GetStrokeColor = _f["FPDFPageObj_GetStrokeColor"]
FPDFTextObj_GetTextRenderMode = _f["FPDFTextObj_GetTextRenderMode"]
FPDFFormObj_CountObjects = _f["FPDFFormObj_CountObjects"]
FPDFFormObj_GetObject = _f["FPDFFormObj_GetObject"]
FPDFPath_GetDrawMode = _f["FPDFPath_GetDrawMode"]
FPDFPath_CountSegments = _f["FPDFPath_CountSegments"]
FPDFPath_GetPathSegment = _f["FPDFPath_GetPathSegment"]
FPDFPathSegment_GetPoint = _f["FPDFPathSegment_GetPoint"]
FPDFPathSegment_GetType = _f["FPDFPathSegment_GetType"]
FPDFPathSegment_GetClose = _f["FPDFPathSegment_GetClose"]

# Version 2 of the config, as pypdfium2 passes it (FPDF_InitLibrary is to be deprecated).
_config = FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=None, m_pIsolate=None,
                              m_v8EmbedderSlot=0)
_f["FPDF_InitLibraryWithConfig"](ctypes.byref(_config))


class PdfiumError(Exception):
    """A document PDFium cannot open; ``code`` is PDFium's FPDF_ERR_* value."""

    def __init__(self, code: int) -> None:
        super().__init__(_ERRORS.get(code, f"error {code}"))
        self.code = code


_ERRORS = {1: "unknown error", 2: "file access error", 3: "data format error",
           4: "incorrect password", 5: "unsupported security scheme",
           6: "page not found or content error"}


def open_document(data: bytes) -> int:
    """A document handle for the PDF in ``data``, which must stay alive (referenced by
    the caller) until :func:`FPDF_CloseDocument`. Raises :class:`PdfiumError`."""
    doc = FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        raise PdfiumError(FPDF_GetLastError())
    return doc


def metadata(doc: int, key: str) -> str:
    """The value of ``key`` (e.g. "Creator") in the document's information dictionary,
    "" when it has none."""
    tag = key.encode("ascii")
    size = FPDF_GetMetaText(doc, tag, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    FPDF_GetMetaText(doc, tag, buffer, size)
    return buffer.raw[:size - 2].decode("utf-16-le", "replace")


def page_text(textpage: int) -> str:
    """All text of a text page, in PDFium's reading order (generated spaces and line
    breaks included)."""
    count = FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    buffer = (c_ushort * (count + 1))()
    written = FPDFText_GetText(textpage, 0, count, buffer)
    return bytes(buffer)[:max(0, written - 1) * 2].decode("utf-16-le", "ignore")
