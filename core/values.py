"""What a cell's value means: the one home of the "not applicable" marks, a value's kind
and value equality. The extractor, the checks, the contract, the store and the window all
ask here.

Kinds (core.model): number, zero, blank (nothing printed), na (a mark such as "/" or
"—": printed, but not a number), text (anything else, e.g. "若干") and missing (the row or
table was not found). A blank is never a zero.
"""

from __future__ import annotations

import math

from core.model import BLANK, MISSING, NA, NUMBER, TEXT, ZERO, Cell, Value

# Marks printed in a cell that mean "nothing here / not applicable" rather than a number
# (the contract maps them to null, kind na).
NA_MARKS = frozenset({"/", "／", "\\", "—", "——", "-", "--", "－", "–", "―", "─", "…", "*",
                      "无"})


def is_na_mark(text: str) -> bool:
    """Whether ``text`` (as printed or typed) is one of the not-applicable marks."""
    return text.strip() in NA_MARKS


def kind_of_value(value: Value) -> str:
    """The kind of a value as stored or typed: what the value is decides, not the
    extractor (a blank is never a zero; a non-finite float or a bool is text)."""
    if value is None:
        return BLANK
    if isinstance(value, bool):
        return TEXT
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return TEXT
        return ZERO if value == 0 else NUMBER
    s = str(value).strip()
    if not s:
        return BLANK
    return NA if s in NA_MARKS else TEXT


def kind_of_cell(cell: Cell | None) -> str:
    """The effective kind of a cell: from its value, or from the extractor when the value
    is None (a printed mark and a cell not found both hold None)."""
    if cell is None:
        return MISSING
    if cell.value is None:
        return cell.kind if cell.kind in (BLANK, NA, MISSING) else BLANK
    return kind_of_value(cell.value)


def is_number_kind(kind: str) -> bool:
    return kind in (NUMBER, ZERO)


def same_value(a: Value, b: Value) -> bool:
    """Whether two cell values are the same entry: equal *and* of the same type.

    3 and 3.0 differ (a count is an integer; 3.0 typed into a count is a different entry,
    which validation judges), True and 1 differ, "3" and 3 differ.
    """
    return type(a) is type(b) and a == b
