"""Values written to a spreadsheet are data, never formulas.

A file named ``=1+2.txt`` or a corrected value ``=WEBSERVICE("http://…")`` written as-is
into an XLSX (openpyxl stores a string starting with "=" as a formula) or a CSV (Excel,
WPS and LibreOffice evaluate a cell starting with = + - @, and a tab or CR before them)
would run when the inspector opens the export. :func:`neutralise` prefixes such text
with an apostrophe, as OWASP's CSV-injection advice says: a CSV cell then reads as text
in every spreadsheet program (the apostrophe stays visible, which tells the reader the
value was not a formula). In an XLSX the same prefix keeps openpyxl from writing a
formula; a writer that sets the cell's type to string itself may skip it. Numbers, and
text that is plainly a signed number or a dash mark, stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

# What a spreadsheet program takes as the start of a formula (or of a DDE payload).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Text that starts like a formula but is only a signed number or a dash mark ("-", "—"):
# nothing to evaluate, and an apostrophe would show in a CSV.
_HARMLESS = re.compile(r"[-+]?\d+(?:[.,]\d+)*%?|[-－—–―─]+")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would evaluate ``text`` typed into a cell."""
    stripped = text.lstrip(" ")
    return stripped.startswith(FORMULA_STARTS) and not _HARMLESS.fullmatch(stripped.strip())


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell: formula-like text gets a leading apostrophe,
    anything else (numbers, None, ordinary text) is returned unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def neutralise_row(row: list[Any]) -> list[Any]:
    """Every value of a row, neutralised (for csv.writer.writerow and worksheet.append)."""
    return [neutralise(v) for v in row]
