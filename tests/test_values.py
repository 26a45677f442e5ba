"""core.values: the one home of the not-applicable marks, a value's kind and equality."""

from __future__ import annotations

import ast
from pathlib import Path

from core.model import BLANK, MISSING, NA, NUMBER, TEXT, ZERO, Cell
from core.values import NA_MARKS, is_na_mark, kind_of_cell, kind_of_value, same_value

REPO = Path(__file__).resolve().parent.parent


def test_kinds_of_values() -> None:
    assert kind_of_value(None) == BLANK
    assert kind_of_value("  ") == BLANK
    assert kind_of_value(0) == ZERO and kind_of_value(0.0) == ZERO
    assert kind_of_value(3) == NUMBER and kind_of_value(-2.5) == NUMBER
    assert kind_of_value(True) == TEXT  # a bool is not a count
    assert kind_of_value(float("inf")) == TEXT
    assert kind_of_value(" ／ ") == NA and kind_of_value("无") == NA
    assert kind_of_value("若干") == TEXT


def test_kinds_of_cells_keep_what_the_extractor_saw_when_there_is_no_value() -> None:
    assert kind_of_cell(None) == MISSING
    assert kind_of_cell(Cell("t3.new.total", None, "—", NA)) == NA
    assert kind_of_cell(Cell("t3.new.total", None, "", MISSING)) == MISSING
    assert kind_of_cell(Cell("t3.new.total", None, "", NUMBER)) == BLANK
    assert kind_of_cell(Cell("t3.new.total", 5, "5", NUMBER)) == NUMBER


def test_equality_is_value_and_type() -> None:
    assert same_value(3, 3) and same_value("无", "无") and same_value(None, None)
    assert not same_value(3, 3.0)  # a count is an integer: 3.0 is another entry
    assert not same_value(1, True)
    assert not same_value("3", 3)
    assert not same_value(None, "")


def test_marks() -> None:
    assert is_na_mark(" / ") and is_na_mark("——") and not is_na_mark("0")
    assert {"/", "／", "\\", "—", "-", "无", "…", "*"} <= NA_MARKS


def test_the_marks_are_written_down_once() -> None:
    """No other module of the program spells out a set of the marks again."""
    offenders = []
    for folder in ("core", "cli", "gui", "render"):
        for path in sorted((REPO / folder).rglob("*.py")) if (REPO / folder).is_dir() else []:
            if path == REPO / "core" / "values.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Set | ast.Tuple | ast.List):
                    strings = {e.value for e in node.elts
                               if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                    if {"／", "无", "—"} <= strings:
                        offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders
