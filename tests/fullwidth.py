"""The full-width rule as a test helper: a half-width , : ; ( ) next to a Chinese
character is wrong in text a person reads (house rule; issue 16). Used by
tests/test_fullwidth_text.py (CLI and papers) and tests/gui/test_fullwidth_window.py.

Half-width stays where it belongs and is not next to a Chinese character anyway: numbers,
dates, file names, formulas (10+1+0+0), document numbers as officially written
(国办公开办函〔2021〕30号). The allowances below are narrow, each with its reason.
"""

from __future__ import annotations

import re

# CJK ideographs, CJK punctuation (「」〔〕、。) and the full-width forms (，：（）).
_CHINESE = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
_HALF_WIDTH = re.compile(rf"(?<={_CHINESE})[,:;()]|[,:;()](?={_CHINESE})")
# Text quoted from the report itself is printed as the report wrote it, half-width and
# all (正文称「2024年,区政府办……」): the inspector must find it in the report.
_QUOTED_FROM_REPORT = re.compile(r"(?:正文称|写的是|填写为|标题为)「[^」]*」")
# Qt's own syntax, not prose: a menu's keyboard accelerator (文件(&F), as Chinese
# Windows writes it; 文件(F) once Qt drops the &) and a file dialog's filters
# (审查数据库 (*.sqlite *.db);;所有文件 (*)), which Qt parses.
_QT_SYNTAX = re.compile(r"\(&?[A-Z]\)|\(\*[^)]*\)|;;")


def half_width_hits(text: str) -> list[str]:
    """Each half-width , : ; ( ) next to a Chinese character, with 12 characters around."""
    text = _QT_SYNTAX.sub("", _QUOTED_FROM_REPORT.sub("「引文」", text))
    return sorted({text[max(0, m.start() - 12):m.end() + 12].replace("\n", "⏎")
                   for m in _HALF_WIDTH.finditer(text)})
