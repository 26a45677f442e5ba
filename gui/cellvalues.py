"""How a cell value is shown in the tables and read back from what the inspector types.

No Qt here. A blank, a zero and a "/" stay three different things on screen and in
the data: blank is ``None`` (kind blank), zero is ``0``, "/" is kept as the mark.
"""

from __future__ import annotations

from core.correction_values import InvalidValue, parse_correction
from core.model import BLANK, MISSING, NA, Cell, Value

__all__ = ["InvalidValue", "display_text", "edit_text", "in_wan", "parse_input"]

BLANK_TEXT = "空白"
MISSING_TEXT = "未找到"
# The 2021 format prints fees in 万元; the data keeps yuan (see the report JSON contract).
WAN_KEYS_2021 = frozenset({"t2.fees.amount"})


def in_wan(key: str, fmt: str | None) -> bool:
    return fmt == "2021" and key in WAN_KEYS_2021


def number_text(v: float | int, max_decimals: int = 4) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    return f"{v:.{max_decimals}f}".rstrip("0").rstrip(".")


def display_text(cell: Cell | None, fmt: str | None) -> str:
    """The text a table shows for ``cell``."""
    if cell is None:
        return MISSING_TEXT
    v = cell.value
    if v is None:
        if cell.kind == NA:
            return (cell.raw or "/").strip() or "/"
        if cell.kind == MISSING:
            return MISSING_TEXT
        return BLANK_TEXT
    if isinstance(v, int | float) and not isinstance(v, bool):
        if in_wan(cell.key, fmt):
            return number_text(v / 10000)
        return number_text(v)
    return str(v)


def edit_text(cell: Cell | None, fmt: str | None) -> str:
    """The text an editor starts from: like :func:`display_text`, but blank is empty."""
    if cell is None or (cell.value is None and cell.kind in (BLANK, MISSING)):
        return ""
    return display_text(cell, fmt)


def parse_input(text: str, key: str = "", fmt: str | None = None) -> Value:
    """The value for what was typed: "" → None (blank), "/" → "/", "1,234" → 1234; a bare
    number in the 2021 fee column is 万元. Raises :class:`InvalidValue` (the reason in
    Chinese) for anything that does not fit the cell (:mod:`core.correction_values`)."""
    return parse_correction(key, text or "", amount_in_wan=in_wan(key, fmt))
