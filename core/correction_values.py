"""What an inspector may type as a cell's corrected value, read into the value stored.

A count (件数、数量) is a non-negative integer, an amount (``*.amount``) a non-negative
number, 本年增/减 (``t2.*.change``, 2019 format) an integer of either sign; any cell may
be left blank or hold one of the marks 「/」「—」「无」. Full-width digits and thousands
separators are normalised ("１，２３４" → 1234). Anything else is refused with the reason
in Chinese (:class:`InvalidValue`), before anything is stored: the window says it at the
cell, the command line exits non-zero, and the history stays as it was.
"""

from __future__ import annotations

import math
import re
import unicodedata

from core.model import Value

BLANK_WORDS = frozenset({"", "空", "空白"})
# The marks a correction may set, each written as its canonical form: a subset of
# core.values.NA_MARKS (the extractor reads more variants from documents).
MARKS = {"/": "/", "／": "/", "—": "—", "——": "—", "－": "—", "-": "—", "无": "无"}
MARK_NAMES = "「/」「—」「无」"

_INTEGER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)$")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
MAX_DIGITS = 15  # beyond this it is not a figure anyone prints


class InvalidValue(ValueError):
    """A typed value that does not fit the cell; ``str(e)`` is the reason in Chinese."""


def is_amount(key: str) -> bool:
    return key.endswith(".amount")


def may_be_negative(key: str) -> bool:
    return key.endswith(".change")  # 2019 本年增/减


def parse_correction(key: str, text: str | int | float | None, *,
                     amount_in_wan: bool = False) -> Value:
    """The value to store for what was typed into cell ``key``; InvalidValue if it does not fit.

    ``amount_in_wan``: a bare number typed into an amount is in 万元 (the window's 2021
    fee column shows 万元); "万元" / "元" after the number always say which.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise InvalidValue("请填写数字、留空，或填" + MARK_NAMES)
    if isinstance(text, int | float):
        if isinstance(text, float) and not math.isfinite(text):
            raise InvalidValue("请填写数字、留空，或填" + MARK_NAMES)
        return _checked(key, text, number_text(text))
    raw = str(text)
    s = unicodedata.normalize("NFKC", raw).strip()
    s = re.sub(r"\s+", "", s)
    if s in BLANK_WORDS:
        return None
    if s in MARKS or raw.strip() in MARKS:
        return MARKS.get(s) or MARKS[raw.strip()]
    factor = 1
    if is_amount(key):
        if s.endswith("万元"):
            s, factor = s[:-2], 10000
        elif s.endswith("元"):
            s = s[:-1]
        elif amount_in_wan:
            factor = 10000
    elif s.endswith("件") or s.endswith("个") or s.endswith("项"):
        s = s[:-1]
    shown = raw.strip()
    pattern = _NUMBER if is_amount(key) else _INTEGER
    if not pattern.match(s):
        if not is_amount(key) and _NUMBER.match(s):
            raise InvalidValue(f"「{shown}」不是整数：件数、数量应为整数")
        what = ("金额应为非负数（可带「元」或「万元」）" if is_amount(key)
                else "件数、数量应为非负整数")
        raise InvalidValue(f"「{shown}」不是数字：{what}，或留空、填{MARK_NAMES}")
    digits = s.replace(",", "").lstrip("+-")
    if len(digits.replace(".", "")) > MAX_DIGITS:
        raise InvalidValue(f"「{shown}」位数过多，不是可能的统计数字")
    number: int | float
    if is_amount(key):  # amounts are kept in yuan as a float, as the extractor writes them
        number = round(float(s.replace(",", "")) * factor, 4)
    else:
        number = int(s.replace(",", ""))
    return _checked(key, number, shown)


def _checked(key: str, number: int | float, shown: str) -> Value:
    if number < 0 and not may_be_negative(key):
        what = "金额" if is_amount(key) else "件数、数量"
        raise InvalidValue(f"「{shown}」为负数：{what}不能小于 0")
    if not is_amount(key) and isinstance(number, float):
        if not number.is_integer():
            raise InvalidValue(f"「{shown}」不是整数：件数、数量应为整数")
        number = int(number)
    return number


def check_value(key: str, value: Value) -> Value:
    """A value about to be stored as a correction, checked the same way (the store calls
    this whoever corrects): blank, a mark, or a number that fits the cell."""
    return parse_correction(key, value)


def number_text(v: int | float) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
