"""Files that are not annual reports and must not be imported as one.

- A blank template: no agency, no year and not one figure in the tables (the official
  format downloaded and never filled in) reads as a report with 200 blank cells and ten
  errors; it is refused with 「空白模板，不是年度报告」.
- A paper this program printed (checklist, summary, notice): every PDF it writes
  carries :data:`PRODUCER_MARK` as its Creator (``render.pdf``, ``core.office_pdf``) and
  every DOCX it drafts as its author (``core.office_docx``); such a file is refused
  before it is read.
"""

from __future__ import annotations

import re
from io import BytesIO

from core.errors import NotAReport

# typing.TYPE_CHECKING without importing typing: the PDF reader asks this module about its
# own papers, and a one-file command's reading child then needs neither typing nor the
# data model (core.model, imported here only by is_blank_template).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from core.model import Report

PRODUCER_MARK = "年报审查台"
BLANK_TEMPLATE_ZH = "空白模板，不是年度报告"
OWN_PAPER_ZH = "这是年报审查台生成的审查表、汇总表或通知，不是年度报告"


def is_blank_template(report: Report) -> bool:
    """No agency, no year and no figure: the format itself, not a report."""
    from core.model import NUMBER, ZERO

    if report.agency or report.year is not None:
        return False
    return not any(c.kind in (NUMBER, ZERO) or isinstance(c.value, int | float)
                   for c in report.cells.values())


def refuse_blank_template(report: Report) -> None:
    if is_blank_template(report):
        # The Chinese reason leads the message too: the import list and the command line
        # print the message as it is.
        raise NotAReport(f"{report.file}: {BLANK_TEMPLATE_ZH}（a blank template: no agency, "
                         "no year, no figure）", BLANK_TEMPLATE_ZH)


def is_own_paper(creator: str | None) -> bool:
    """Whether a PDF's Creator says this program wrote it."""
    return bool(creator) and creator.strip().startswith(PRODUCER_MARK)  # type: ignore[union-attr]


def refuse_own_paper(creator: str | None, name: str) -> None:
    if is_own_paper(creator):
        raise NotAReport(f"{name}: {OWN_PAPER_ZH}（written by this program）", OWN_PAPER_ZH)


_CREATOR = re.compile(rb"<dc:creator>([^<]*)</dc:creator>")
# docProps/core.xml holds a few properties: far below this.
_MAX_CORE_XML = 1 << 20


def docx_creator(data: bytes) -> str | None:
    """The author recorded in a DOCX's core properties, if it has one."""
    import zipfile  # here: the extractor imports this module for every kind of file

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            if z.getinfo("docProps/core.xml").file_size > _MAX_CORE_XML:
                return None  # a bomb: the DOCX reader's zip checks say so
            core = z.read("docProps/core.xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError,
            NotImplementedError, RuntimeError, EOFError):
        # Damaged, encrypted or an unsupported compression: the reader says what is wrong.
        return None
    m = _CREATOR.search(core)
    return m.group(1).decode("utf-8", "replace") if m else None
