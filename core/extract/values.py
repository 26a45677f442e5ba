"""Reading one printed cell: normalising label text and parsing numbers and amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.model import BLANK, NA, NUMBER, TEXT, ZERO
from core.values import NA_MARKS

_FULLWIDTH = str.maketrans({
    "（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "．": ".", "、": "、",
    "０": "0", "１": "1", "２": "2", "３": "3", "４": "4", "５": "5", "６": "6", "７": "7",
    "８": "8", "９": "9", "－": "-", "／": "/", "　": " ", "\xa0": " ", "＋": "+",
    "【": "[", "】": "]", "〔": "(", "〕": ")",
})
_SPACE = re.compile(r"\s+")
_DIGITS_APART = re.compile(r"\d\s+\d")


def norm(text: str) -> str:
    """Label text for matching: half-width brackets and digits, no white space at all."""
    return _SPACE.sub("", text.translate(_FULLWIDTH))


# Longest number read as a number (digits and point): larger counts and amounts in yuan
# do not occur, and floats keep only about 15 significant digits.
MAX_DIGITS = 16
_NUMBER = re.compile(
    r"^(?P<sign>[-−+]?)\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>万元|元|件|个|项|次|条|%)?$"
)


@dataclass(frozen=True)
class Parsed:
    """What a printed cell holds (see :func:`parse_cell`)."""

    value: int | float | str | None
    kind: str
    unit: str | None = None


def parse_cell(text: str) -> Parsed:
    """What a printed cell holds: a number (with its unit), a zero, a blank, a mark or text."""
    t = text.translate(_FULLWIDTH).strip()
    # Spaces inside a short cell go ("17.27 万元", "- 5"), except between two digits:
    # "0 0 1" is a row of three figures on one line, not the number 1.
    if len(t) < 40:
        t = _SPACE.sub(lambda m: " " if _DIGITS_APART.match(t, m.start() - 1) else "", t)
    if not t:
        return Parsed(None, BLANK)
    if t in NA_MARKS or set(t) <= set("/-—―─–"):
        return Parsed(None, NA)
    m = _NUMBER.match(t)
    if not m:
        return Parsed(t, TEXT)
    raw = m.group("num").replace(",", "")
    if len(raw) > MAX_DIGITS:  # not a figure anyone prints: int() refuses 4300+ digits,
        return Parsed(t, TEXT)  # float() makes 400 digits inf; the checker flags text
    sign = -1 if m.group("sign") in ("-", "−") else 1
    if "." in raw:
        number: int | float = sign * float(raw)
    else:
        number = sign * int(raw)
    unit = m.group("unit")
    return Parsed(number, ZERO if number == 0 else NUMBER, unit)


def is_value_text(text: str) -> bool:
    """Whether a token reads as a cell value (number or blank mark), not as a label."""
    p = parse_cell(text)
    return p.kind in (NUMBER, ZERO, NA)


def to_yuan(p: Parsed, column_in_wan: bool) -> float | None:
    """An amount in yuan: "17.27万元" → 172700.0; a bare number under a 万元 header ×10000."""
    if not isinstance(p.value, int | float):
        return None
    if p.unit == "万元" or (p.unit != "元" and column_in_wan):
        return round(float(p.value) * 10000, 4)
    return float(p.value)
