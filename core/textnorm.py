"""Characters that look like Chinese but are not the ideographs a reader searches for.

Some PDF writers (Qt, some Word and WPS fonts) map the glyphs of common characters to
look-alike radicals: 人民 comes out as 人⺠, 首页 as 首⻚. The Kangxi radicals
(U+2F00–U+2FDF) have compatibility mappings that NFKC undoes; most of the CJK
Radicals Supplement (U+2E80–U+2EFF) have none, so they are mapped here.
"""

from __future__ import annotations

import unicodedata

RADICAL_SUPPLEMENT = {
    "⺟": "母", "⺠": "民", "⻄": "西", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻋": "车",
    "⻓": "长", "⻔": "门", "⻘": "青", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻟": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤",
    "⻨": "麦", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟",
}


def unify_radical(ch: str) -> str:
    """The ideograph a look-alike radical stands for; any other character unchanged."""
    code = ord(ch) if len(ch) == 1 else 0
    if 0x2E80 <= code < 0x2F00:
        return RADICAL_SUPPLEMENT.get(ch, ch)
    if 0x2F00 <= code < 0x2FE0:
        return unicodedata.normalize("NFKC", ch)
    return ch
