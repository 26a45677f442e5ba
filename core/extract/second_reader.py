"""pdfplumber as the second PDF reader, consulted only where the first reading leaves a doubt.

The fast reader (PDFium, :mod:`core.readers.pdf`) reads every page. When a table of a
text PDF comes out with a doubt — a sum of the format that does not hold (blanks as
0, rules.md A5), a row of the format not found, a cell read with low confidence or
placed by a disagreeing grid — that table's pages are read again by pdfplumber, whose
table finder works from the ruling lines and rectangles and is independent of the
first reader. Its cells are read by the same table code (as a grid, like a web page).

* Its reading is complete and every sum holds, the first's is not — or, with no more
  failing sums (a true defect fails in both), it reads every row the first missed or
  places exactly the figures the first placed with low confidence: it is used, every
  cell of the table marked ``reader = "second"``.
* Both readings agree, or the first holds and the second adds nothing: the first is
  kept, its cells marked ``reader = "first"`` (the second reader confirmed them).
* They disagree and neither settles it: the first is kept, and each cell where they
  differ is marked for the inspector with both readings (``Cell.readings``) and a
  confidence of at most :data:`DISPUTED_CONFIDENCE`.

A report whose first reading is clean never opens pdfplumber (nor imports this module:
the doubts are found by :mod:`core.extract.doubts`). What happened is noted
in ``Report.notes`` ("second reader: …") with the seconds it cost.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from core.document import Document, Location, Row, Token
from core.extract.doubts import DOUBT_CONFIDENCE, doubtful_tables, failing_identities
from core.extract.tables import Blocks, extract_t2, extract_t3, extract_t4, find_blocks
from core.extract.values import is_value_text
from core.model import BLANK, MISSING, NA, TEXT, Cell, Report
from core.template import get_format

DISPUTED_CONFIDENCE = 0.5
# pdfplumber's table finder from ruling lines and rectangle edges, explicitly.
TABLE_SETTINGS = {
    "vertical_strategy": "lines", "horizontal_strategy": "lines",
    "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3,
    "edge_min_length": 3,
}
FIRST, SECOND = "first", "second"
_SERIAL_START = re.compile(
    r"^(?:\d+[.、．]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_DIGIT_LINES = re.compile(r"^[\d０-９.,，．]+(?:\n[\d０-９.,，．]+)+$")


@dataclass
class Outcome:
    """What the second reader did with one table."""

    table: str
    reasons: list[str]
    # replaced | confirmed (same reading) | kept (the first holds, the second not) |
    # disputed | unread (no ruled table of that kind on its pages)
    action: str
    changed: int = 0  # cells whose value the second reading changed (replaced)
    disputed: int = 0  # cells marked for the inspector (disputed)

    def note(self) -> str:
        return (f"second reader: {self.table} {self.action} ({', '.join(self.reasons)}; "
                f"{self.changed} changed, {self.disputed} disputed)")


# ---------------------------------------------------------------- reading with pdfplumber


def _cell_text(text: str | None) -> str:
    """A pdfplumber cell's text: compatibility forms unified (⼀ → 一, as the first reader
    has them), digits wrapped inside a narrow cell ("２６" / "５") joined."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if _DIGIT_LINES.match(text.strip()):
        return re.sub(r"\s+", "", text)
    return text


def _continues(row: Row) -> bool:
    """A row that only carries on the label of the row above (cut by a page break): one
    piece of text, no figure, not starting with a serial number of its own."""
    texts = [t.text for t in row.tokens if t.text.strip()]
    return len(texts) == 1 and not is_value_text(texts[0]) \
        and not _SERIAL_START.match(texts[0].strip())


def _overlap_join(label: str, piece: str) -> str:
    """``label`` carried on by ``piece``, the lines a page break printed twice read once
    ("…四类过程" + "程性信" → "…四类过程性信"; a piece already there adds nothing)."""
    have = re.sub(r"\s+", "", label)
    more = re.sub(r"\s+", "", piece)
    if more in have:
        return label
    for k in range(min(len(have), len(more)), 0, -1):
        if have.endswith(more[:k]):
            return label + more[k:]
    return label + more


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _label_index(row: Row) -> int | None:
    labels = [i for i, t in enumerate(row.tokens) if t.text.strip() and not is_value_text(t.text)]
    if labels:
        return labels[-1]
    return 0 if row.tokens and not row.tokens[0].text.strip() else None


def _repeated_heads(rows: list[Row]) -> list[Row]:
    """A table's head repeated at the top of a later page may hold, inside its cells, the
    rest of a label that the page break cut (the cut row printed below the repeated head,
    without a rule of its own): that text goes back to the label above the break."""
    heads: dict[int | None, list[Row]] = {}  # each table's rows before its first figure
    done: set[int | None] = set()
    for row in rows:
        if row.table in done:
            continue
        if any(is_value_text(t.text) for t in row.tokens):
            done.add(row.table)
        else:
            heads.setdefault(row.table, []).append(row)
    out: list[Row] = []
    for i, row in enumerate(rows):
        new_page_table = out and out[-1].table != row.table and out[-1].page != row.page
        if new_page_table:
            want = heads.get(out[-1].table) or []
            extras: list[str] = []
            for k, w in enumerate(want):
                got = rows[i + k] if i + k < len(rows) else None
                if got is None or got.table != row.table or len(got.tokens) != len(w.tokens):
                    break
                fixed = []
                for t, wt in zip(got.tokens, w.tokens, strict=True):
                    have, orig = _compact(t.text), _compact(wt.text)
                    if orig and have != orig and have.startswith(orig):
                        extras.append(have[len(orig):])
                        t = replace(t, text=wt.text)
                    fixed.append(t)
                got.tokens[:] = fixed
            target = next((r for r in reversed(out) if _label_index(r) is not None), None)
            if extras and target is not None:
                j = _label_index(target)
                assert j is not None
                target.tokens[j] = replace(target.tokens[j], text=_overlap_join(
                    target.tokens[j].text, "".join(extras)))
        out.append(row)
    return out


def _join_page_breaks(rows: list[Row]) -> list[Row]:
    """Empty rows dropped; at the top of a page, the rows that carry on a label cut by
    the page break are joined to that label (browsers and Qt split a row's cell text
    over two pages, and draw the cut row's borders again)."""
    out: list[Row] = []
    page_top = False
    for row in rows:
        if not any(t.text.strip() for t in row.tokens):
            continue
        if out and row.page != out[-1].page:
            page_top = True
        # The row the break cut: the last one before this page (a repeated head may
        # stand between them).
        last = next((r for r in reversed(out) if r.page != row.page), out[-1]) if out else None
        i = _label_index(last) if last is not None else None  # (or its empty label cell)
        if page_top and last is not None and (_continues(row) or _printed_again(row, last)):
            piece = next(t.text for t in row.tokens if t.text.strip())
            if i is not None:
                joined = _overlap_join(last.tokens[i].text, piece)
                last.tokens[i] = replace(last.tokens[i], text=joined)
                continue
        if out and _repeats_labels(row, out[-1]):
            continue
        page_top = page_top and not any(is_value_text(t.text) for t in row.tokens)
        out.append(row)
    return out


def _printed_again(row: Row, cut: Row) -> bool:
    """A row without figures at a page top whose one text is part of the label of the row
    the break cut (Qt prints the cut row's first line again)."""
    texts = [_compact(t.text) for t in row.tokens if t.text.strip()]
    label = "".join(_compact(t.text) for t in cut.tokens if t.text.strip()
                    and not is_value_text(t.text))
    return len(texts) == 1 and not is_value_text(texts[0]) and texts[0] in label


def _repeats_labels(row: Row, above: Row) -> bool:
    """A slice of the row above without figures: its labels again, cells empty (Qt rules
    a tall merged cell's rows through its neighbours' cells)."""
    if any(is_value_text(t.text) for t in row.tokens):
        return False
    mine = [(t.x0, _compact(t.text)) for t in row.tokens if t.text.strip()]
    theirs = {(t.x0, _compact(t.text)) for t in above.tokens if t.text.strip()}
    return bool(mine) and all(m in theirs for m in mine)


def read_tables(source: Path | bytes, pages: list[int]) -> Document:
    """The ruled tables on ``pages`` (1-based) as grid rows, one grid table per table found.

    A cell merged across columns spans them (pdfplumber gives None to the columns it
    covers); a cell merged down leaves the rows below without a token there, as in a
    web page's grid."""
    import pdfplumber

    doc = Document(kind="pdf", rows=[], pages=None)
    n = 0
    # The file's bytes where the caller has them (a sandbox worker gets bytes and a name).
    with pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else str(source)) as pdf:
        doc.pages = len(pdf.pages)
        for number in pages:
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1].dedupe_chars()
            for found in page.find_tables(TABLE_SETTINGS):
                width = max((len(r.cells) for r in found.rows), default=0)
                if width < 2:
                    continue
                texts = found.extract()
                for r_index, (row, words) in enumerate(zip(found.rows, texts, strict=False)):
                    tokens: list[Token] = []
                    for c, (bbox, text) in enumerate(zip(row.cells, words, strict=False)):
                        if bbox is None:
                            continue
                        end = c + 1
                        while end < len(row.cells) and row.cells[end] is None:
                            end += 1
                        x0, top, x1, bottom = (float(v) for v in bbox)
                        loc = Location(page=number, bbox=(x0, top, x1, bottom), table=n,
                                       row=r_index, col=c)
                        tokens.append(Token(_cell_text(text), float(c), float(end), loc))
                    if tokens:
                        doc.rows.append(Row(tokens, page=number, grid=True, table=n))
                n += 1
    rows = [r for r in doc.rows if any(t.text.strip() for t in r.tokens)]
    doc.rows = _join_page_breaks(_repeated_heads(rows))
    return doc


def _table_pages(doc: Document, span: tuple[int, int] | None) -> list[int]:
    if span is None:
        return []
    return sorted({r.page for r in doc.rows[span[0]:span[1]] if r.page is not None})


# Words the table's own grid must hold before its reading counts (its column heads).
_TABLE_WORDS = {"t2": ("第二十条",), "t3": ("自然人", "总计"), "t4": ("维持", "尚未审结")}


def _second_cells(grid: Document, report: Report, table: str) -> dict[str, Cell] | None:
    fmt = get_format(report.format or "2021")
    text = "".join(_compact(r.text) for r in grid.rows)
    if not all(w in text for w in _TABLE_WORDS[table]):
        return None  # the ruled tables on these pages are not this one
    blocks = find_blocks(grid)
    rows = grid.rows
    if table == "t3":
        span = blocks.t3 or (0, len(rows))
        res = extract_t3(grid, rows[span[0]:span[1]], fmt)
    elif table == "t4":
        span = blocks.t4 or (0, len(rows))
        res = extract_t4(grid, rows[span[0]:span[1]])
    else:
        span = blocks.t2 or (0, len(rows))
        res = extract_t2(grid, rows[span[0]:span[1]], fmt)
    if not res.found:
        return None
    if table == "t3" and res.merged_other_row != report.merged_other_row:
        return None  # read as another layout of (六): not comparable
    return res.cells


def _complete(cells: dict[str, Cell], report: Report, table: str) -> bool:
    keys = [k for k in report.cells if k.startswith(table + ".")]
    if report.merged_other_row and table == "t3":
        keys = [k for k in keys if not k.startswith("t3.r3_6_")]
    return all(k in cells and cells[k].kind not in (MISSING, TEXT) for k in keys)


def _same(a: Cell, b: Cell | None) -> bool:
    return b is not None and a.value == b.value and (a.value is not None or
                                                       (a.kind in (BLANK, NA)) ==
                                                       (b.kind in (BLANK, NA)))


def consult(source: Path | bytes, doc: Document, report: Report,
            blocks: Blocks | None = None) -> list[Outcome]:
    """Re-read the doubtful tables of a text PDF (its path, or its bytes) with pdfplumber
    and settle what it can. ``report`` is changed in place (cells, notes)."""
    start = time.perf_counter()
    todo, blocks = doubtful_tables(doc, report, blocks)
    if not todo:
        return []
    blocks = blocks or find_blocks(doc)
    outcomes: list[Outcome] = []
    fmt_name = report.format or "2021"
    merged = report.merged_other_row
    # Every page any doubtful table is on, read once (tables share pages).
    wanted = {t: set(_table_pages(doc, getattr(blocks, t))) for t in todo}
    every = sorted(set().union(*wanted.values()))
    try:
        whole = read_tables(source, every) if every else Document(kind="pdf", rows=[])
    except Exception as e:  # noqa: BLE001 — pdfminer raises dozens of kinds on damaged files
        # The second opinion could not be had: the first reading stands, and says so.
        report.notes.append(f"second reader: could not read the file ({type(e).__name__}: "
                            f"{str(e)[:120]})")
        return [Outcome(t, reasons, "unread") for t, reasons in todo.items()]
    for table, reasons in todo.items():
        grid = Document(kind="pdf", rows=[r for r in whole.rows if r.page in wanted[table]],
                        pages=whole.pages)
        second = _second_cells(grid, report, table) if grid.rows else None
        if second is None:
            outcomes.append(Outcome(table, reasons, "unread"))
            continue
        keys = [k for k in report.cells if k.startswith(table + ".")]
        first_whole = _complete(report.cells, report, table)
        second_whole = _complete(second, report, table)
        first_bad = failing_identities(report.cells, fmt_name, merged, table)
        second_bad = failing_identities({**report.cells, **second}, fmt_name, merged, table)
        first_ok = first_whole and not first_bad
        second_ok = second_whole and not second_bad
        differ = [k for k in keys if not _same(report.cells[k], second.get(k))]
        # The second settles it: every sum holds where the first's do not, or it reads
        # every row the first missed with no more failing sums (a true defect of the
        # report fails in both readings).
        # Or the first placed the figures it reads differently with low confidence (by
        # position, without a grid), the ruled grid places them exactly.
        shaky = bool(differ) and all(report.cells[k].confidence < DOUBT_CONFIDENCE
                                     for k in differ if report.cells[k].value is not None)
        settles = (second_ok and not first_ok) or (second_whole and second_bad <= first_bad
                                                    and (not first_whole or shaky))
        if settles:
            for k in keys:
                new = second.get(k, report.cells[k])
                report.cells[k] = replace(new, reader=SECOND, note="")
            report.tables_found[table] = True
            outcomes.append(Outcome(table, reasons, "replaced", changed=len(differ)))
        elif not differ or (first_ok and not second_ok) or not (first_whole and second_whole):
            # The same reading twice; or the first holds and the second does not; or one
            # of them misses rows (it cannot contest the other's figures): the first stays.
            for k in keys:
                if report.cells[k].kind != MISSING:
                    report.cells[k].reader = FIRST
            outcomes.append(Outcome(table, reasons, "confirmed" if not differ else "kept"))
        else:
            disputed = 0
            for k in keys:
                cell = report.cells[k]
                cell.reader = FIRST
                other = second.get(k)
                if k in differ and other is not None and other.kind != MISSING:
                    cell.readings = {FIRST: cell.raw, SECOND: other.raw}
                    cell.confidence = min(cell.confidence, DISPUTED_CONFIDENCE)
                    cell.note = (f"两种读法不一致：第一读法为「{cell.raw or '空白'}」，"
                                 f"第二读法为「{other.raw or '空白'}」，请对照原文核实")
                    disputed += 1
            outcomes.append(Outcome(table, reasons, "disputed", disputed=disputed))
    seconds = time.perf_counter() - start
    report.notes += [o.note() for o in outcomes]
    report.notes.append(f"second reader: {seconds:.2f} s")
    return outcomes
