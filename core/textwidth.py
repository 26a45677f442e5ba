"""How many columns text takes on a terminal or in a monospaced layout: a CJK or
full-width character (East Asian Width W or F) takes two, any other one."""

from __future__ import annotations

import unicodedata
from functools import cache


@cache
def is_wide(char: str) -> bool:
    """Whether ``char`` takes two columns (cached: the same characters come back often)."""
    return unicodedata.east_asian_width(char) in "WF"


def display_width(text: str) -> int:
    """The columns ``text`` takes."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(is_wide, text))
