"""Turning a stretch of document rows into logical table rows: label text + value slots.

The layouts differ per file kind, so this is the one place that knows them:

* ``grid``  — DOCX/HTML tables: x is an exact grid column; the value columns are the
  rightmost ``ncols`` columns of the table.
* ``tabs``  — tab-separated text: merged label cells are lost, so the values are the
  fields after the row's last label field, right-aligned.
* ``stream`` — one cell per line: a label line is followed by its values, one per line.
* ``pdf``   — words with page positions: values are placed by their x position, learned
  from the rows that are complete; label lines wrapped above or below a row of numbers
  are attached to the nearest row of numbers.

Values are never placed by counting numbers across rows: a row is anchored on its own
label, and a row that cannot be placed is left for the matcher to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from core.document import Document, Row, Token
from core.extract.values import is_value_text, norm, parse_cell
from core.model import BLANK, NA, TEXT


@dataclass
class LogicalRow:
    """One row of a table as read: its label, its values and where they go."""

    own: str  # the row's own label text, normalised
    values: list[Token]
    cols: list[int | None]  # the column of each value, None where positions decide later
    before: list[str] = field(default_factory=list)  # label lines attached above
    after: list[str] = field(default_factory=list)  # label lines attached below
    source: Row | None = None
    confidence: float = 1.0
    # Header rows (column labels, no values) keep their tokens for position fallbacks.
    header: bool = False
    header_tokens: list[Token] = field(default_factory=list)
    # PDF rows: the whole label as read under each assumption of where a wrapped label
    # sits relative to its numbers ("down": top-aligned cells, the label runs on below
    # the numbers; "up": bottom-aligned; "nearest": centred; "split": centred, labels
    # taller than the row apart at the widest gap between two rows of numbers). The
    # table picks the one under which the most rows find their label.
    blocks: dict[str, str] = field(default_factory=dict)
    # Why the row's values were placed with less than full confidence (Chinese, for the
    # inspector): e.g. the head's grid and the row's grid disagree.
    note: str = ""


def row_mode(doc: Document, row: Row) -> str:
    if row.grid:
        return "tabs" if doc.kind == "txt" else "grid"
    if row.y0 is not None:  # positioned words: a PDF page, or a text dump laid out with spaces
        return "pdf"
    return "stream"


def build_rows(doc: Document, rows: list[Row], ncols: int,
               grid_start: int | None = None) -> list[LogicalRow]:
    """Logical rows of one table (or table group) with ``ncols`` value columns.

    ``grid_start`` is where the value columns begin in a DOCX/HTML grid when they are
    not simply the rightmost ``ncols`` columns (表二 groups share one grid).
    """
    out: list[LogicalRow] = []
    grid_width = _grid_widths(rows)
    pdf_rows: list[Row] = []

    def flush_pdf() -> None:
        if pdf_rows:
            out.extend(_pdf_rows(pdf_rows))
            pdf_rows.clear()

    for row in rows:
        mode = row_mode(doc, row)
        if mode == "pdf":
            pdf_rows.append(row)
            continue
        flush_pdf()
        if mode == "grid":
            out.append(_grid_row(row, ncols, grid_width.get(row.table, 0), grid_start))
        elif mode == "tabs":
            out.append(_tabs_row(row, ncols))
        else:
            tok = row.tokens[0] if len(row.tokens) == 1 else None
            last = out[-1] if out else None
            if tok is not None and is_value_text(tok.text) and last is not None \
                    and last.source is not None and row_mode(doc, last.source) == "stream":
                last.values.append(tok)
                last.cols.append(None)
                continue
            labels, values = _trailing_values(tok) if tok is not None else ([], [])
            if values and (labels or len(values) > 1):
                # A whole table row on one line, cells one space apart (text copied from
                # a PDF viewer, or a table pasted into a page as a paragraph).
                out.append(LogicalRow(norm("".join(t.text for t in labels)), values,
                                      [None] * len(values), source=row))
                continue
            out.append(LogicalRow(norm(row.text), [], [], source=row))
    flush_pdf()
    # Rows without values are labels of the row of values after them: a group label
    # such as (三)不予公开, or the first line of a wrapped label.
    merged: list[LogicalRow] = []
    carry: list[str] = []
    for lr in out:
        if not lr.values and not lr.header:
            if lr.own:
                carry.append(lr.own)
            continue
        if not lr.header:
            lr.before = carry + lr.before
            carry = []
        merged.append(lr)
    for lr in merged:
        if lr.source is not None and row_mode(doc, lr.source) == "stream":
            _place_stream(lr, ncols)
    return merged


_FIELD = re.compile(r"\S+")
_UNIT = re.compile(r"^(?:万元|元|件|个|项|次|条|%)$")


def _trailing_values(tok: Token) -> tuple[list[Token], list[Token]]:
    """A line read as one token split into its label words and the figures that end it:
    "2.重复申请 7 2 0 0 0 0 9" → (["2.重复申请"], [7, 2, 0, 0, 0, 0, 9]). A unit after a
    space stays with its figure ("589484.00 元"). No figures at the end: ([], [])."""
    fields: list[tuple[int, int]] = []
    for m in _FIELD.finditer(tok.text):
        if fields and _UNIT.match(m.group()):
            fields[-1] = (fields[-1][0], m.end())
        else:
            fields.append((m.start(), m.end()))
    if len(fields) < 2:
        return [], []
    k = len(fields)
    while k > 0 and is_value_text(tok.text[fields[k - 1][0]:fields[k - 1][1]]):
        k -= 1
    if k == len(fields):
        return [], []
    span = tok.loc.span

    def piece(i: int, a: int, b: int) -> Token:
        loc = replace(tok.loc, span=(span[0] + a, span[0] + b)) if span else tok.loc
        return Token(tok.text[a:b], float(i), float(i + 1), loc, tok.confidence)

    labels = [piece(i, a, b) for i, (a, b) in enumerate(fields[:k])]
    return labels, [piece(i, a, b) for i, (a, b) in enumerate(fields[k:], start=k)]


def _grid_widths(rows: list[Row]) -> dict[int | None, int]:
    """Each grid table's width: where its rightmost figure ends. A head cell may span
    further than the table (Word-made pages overstate colspans; browsers then draw an
    empty column), and the value columns are counted from the right edge."""
    widths: dict[int | None, int] = {}
    figures: dict[int | None, int] = {}
    for r in rows:
        if r.grid and r.tokens:
            widths[r.table] = max(widths.get(r.table, 0), int(max(t.x1 for t in r.tokens)))
            ends = [int(t.x1) for t in r.tokens if is_value_text(t.text)]
            if ends:
                figures[r.table] = max(figures.get(r.table, 0), *ends)
    return {table: figures.get(table, width) for table, width in widths.items()}


def _grid_row(row: Row, ncols: int, width: int, grid_start: int | None = None) -> LogicalRow:
    start = width - ncols if grid_start is None else grid_start
    # Value cells spanning several grid columns (a 1-column group in a 3-column table).
    span = width - start
    step = span // ncols if span > ncols and span % ncols == 0 else 1
    labels = [t for t in row.tokens if t.x0 < start and t.text]
    cells = [t for t in row.tokens if t.x0 >= start]
    own = norm("".join(t.text for t in labels))
    kinds = [parse_cell(t.text).kind for t in cells]
    if any(k == TEXT and len(norm(t.text)) >= 2 for k, t in zip(kinds, cells, strict=True)) \
            and not any(k not in (TEXT, BLANK) for k in kinds):
        return LogicalRow(own, [], [], source=row, header=True, header_tokens=cells)
    if not cells or (all(k == BLANK for k in kinds) and not own):
        return LogicalRow(own, [], [], source=row)
    cols: list[int | None] = [(int(t.x0) - start) // step for t in cells]
    by_order = _order_cells(row, ncols)
    if by_order is not None and [c for c, _ in by_order] != cols:
        # The head's grid and the row's grid disagree (Word and CMS pages merge other
        # columns in the head than in the rows): the row holds exactly one cell per
        # column of the format, so its cells are the columns in order.
        tail = [t for _, t in by_order]
        own = norm("".join(t.text for t in row.tokens if t.text and t not in tail))
        in_order: list[int | None] = list(range(ncols))
        return LogicalRow(own, tail, in_order, source=row, confidence=0.9, note=GRID_NOTE)
    return LogicalRow(own, cells, cols, source=row)


GRID_NOTE = "表头与数据行的网格不一致（合并单元格不同），按本行单元格的先后顺序对应各栏"


def _order_cells(row: Row, ncols: int) -> list[tuple[int, Token]] | None:
    """The row's value cells in order when it has exactly ``ncols`` of them after its
    labels (blank cells count: a blank is a cell); None otherwise."""
    last_label = -1
    for i, t in enumerate(row.tokens):
        if t.text and parse_cell(t.text).kind == TEXT:
            last_label = i
    tail = row.tokens[last_label + 1:]
    if len(tail) != ncols or not any(t.text for t in tail):
        return None
    return list(enumerate(tail))


def _tabs_row(row: Row, ncols: int) -> LogicalRow:
    toks = row.tokens
    last_label = -1
    for i, t in enumerate(toks):
        if t.text and parse_cell(t.text).kind == TEXT and len(norm(t.text)) >= 2:
            last_label = i
    labels = [t for t in toks[: last_label + 1] if t.text]
    own = norm("".join(t.text for t in labels))
    cells = list(toks[last_label + 1:])
    while cells and not cells[-1].text:
        cells.pop()
    if not cells:
        header = last_label >= 1 and sum(1 for t in toks if t.text) >= 3
        return LogicalRow(own, [], [], source=row, header=header,
                          header_tokens=[t for t in toks if t.text] if header else [])
    if len(cells) > ncols:
        cells = cells[-ncols:]
    offset = ncols - len(cells)
    return LogicalRow(own, cells, [offset + i for i in range(len(cells))], source=row)


def _place_stream(lr: LogicalRow, ncols: int) -> None:
    n = len(lr.values)
    if n == ncols:
        lr.cols = list(range(ncols))
    elif n > ncols:
        lr.values = lr.values[:ncols]
        lr.cols = list(range(ncols))
        lr.confidence = 0.5
    else:
        # Fewer values than columns and nothing tells where they stand: left to the
        # table, which knows whether a lone value is a 总计 (seeds that fill only it).
        lr.cols = [None] * n


def _pdf_rows(rows: list[Row]) -> list[LogicalRow]:
    """Rows of numbers with their labels; label-only lines are gathered around them."""
    value_rows: list[tuple[Row, list[Token], list[Token]]] = []
    split: list[tuple[Row, list[Token], list[Token]]] = []
    for row in rows:
        vals = [t for t in row.tokens if is_value_text(t.text)]
        labs = [t for t in row.tokens if not is_value_text(t.text)]
        # A value token left of every label is a serial number or page furniture, not a cell.
        if vals and labs:
            first_label_x = min(t.x0 for t in labs)
            vals = [t for t in vals if t.x0 > first_label_x]
            labs = [t for t in row.tokens if t not in vals]
        split.append((row, labs, vals))
        if vals:
            value_rows.append((row, labs, vals))
    if not value_rows:
        return [LogicalRow(norm(r.text), [], [], source=r) for r, _, _ in split]
    value_x0 = _value_start(value_rows)
    value_rows = []
    for k, (row, labs, vals) in enumerate(split):
        words = [t for t in vals if t.x1 <= value_x0]
        if words:
            labs = sorted(labs + words, key=lambda t: t.x0)
            vals = [t for t in vals if t not in words]
            split[k] = (row, labs, vals)
        if vals:
            value_rows.append((row, labs, vals))
    heights = [(r.y1 or 0) - (r.y0 or 0) for r, _, _ in value_rows]
    line_h = max(_median(heights) if heights else 10.0, 8.0)

    # Column heads start right of every row label (left-aligned heads may start left of
    # the first figure, which is centred in its cell).
    own_right = [t.x1 for _, labs, _ in value_rows for t in _left_of(labs, value_x0)]
    head_x0 = max(own_right) - 0.5 if own_right else value_x0 - 2
    headers = _header_blocks(split, head_x0)
    corner = _corner_lines(split, headers, value_x0)
    logical: list[LogicalRow] = []
    # Label-only lines between rows of numbers, in reading order.
    gaps: list[list[Row]] = [[]]
    after_header = False
    header_runs = 0
    owners: list[tuple[LogicalRow, list[Token]]] = []
    for row, labs, vals in split:
        if not vals and _in_header(row, headers):
            # A column header (repeated after a page break): its words over the label
            # columns are the corner cell's note, never part of a row's label.
            header_toks = [t for t in row.tokens if t.x0 >= head_x0]
            if header_toks:
                logical.append(LogicalRow("", [], [], source=row, header=True,
                                          header_tokens=header_toks))
            header_runs += not after_header
            after_header = True
            continue
        if vals:
            after_header = False
            own_toks = _left_of(labs, value_x0)
            lr = LogicalRow(norm("".join(t.text for t in own_toks)), vals, [None] * len(vals),
                            source=row)
            logical.append(lr)
            owners.append((lr, own_toks))
            gaps.append([])
            continue
        toks = _left_of(labs, value_x0)
        if toks and after_header and header_runs > 1 and _line_key(toks) in corner:
            continue
        if toks:
            gaps[-1].append(Row(toks, page=row.page, y0=row.y0, y1=row.y1))
            after_header = False
    sources = [lr.source for lr, _ in owners]
    cuts = [_widest_gap(g, sources[k - 1] if k else None, sources[k] if k < len(sources) else None)
            for k, g in enumerate(gaps)]
    for k, (lr, own_toks) in enumerate(owners):
        src = lr.source
        assert src is not None
        own_row = [Row(own_toks, page=src.page, y0=src.y0, y1=src.y1)] if own_toks else []
        up, down = gaps[k], gaps[k + 1]
        near_up = [r for r in up if _closer_to(r, src, owners[k - 1][0].source if k else None)]
        nxt = owners[k + 1][0].source if k + 1 < len(owners) else None
        near_down = [r for r in down if _closer_to(r, src, nxt)]
        lr.before = [norm(r.text) for r in near_up]
        lr.after = [norm(r.text) for r in near_down]
        lr.blocks = {
            "down": _column_text(own_row + _same_cell(down, src, line_h, own_toks)),
            "up": _column_text(_same_cell(up, src, line_h, own_toks, upward=True) + own_row),
            "nearest": _column_text(near_up + own_row + near_down),
            "split": _column_text(up[cuts[k]:] + own_row + down[:cuts[k + 1]]),
        }
    logical.sort(key=lambda lr: (lr.source.page or 0, lr.source.y0 or 0) if lr.source else (0, 0))
    return logical


def _left_of(labs: list[Token], value_x0: float) -> list[Token]:
    """The words of a line that lie in the label columns, left of the values."""
    return [t for t in labs if t.x1 <= value_x0 + 2]


def _value_start(value_rows: list[tuple[Row, list[Token], list[Token]]]) -> float:
    """Where the value columns begin: at the values of the rows of several values (of
    any row where every row has one), marks written in Chinese aside. A "无" alone on
    a line left of them is a piece of a label printed one character per line
    ((四)无法提供), not a blank mark."""
    pool = [t for _, _, vals in value_rows if len(vals) > 1 for t in vals] \
        or [t for _, _, vals in value_rows for t in vals]
    plain = [t for t in pool if not _han_mark(t.text)]
    return min(t.x0 for t in plain or pool)


def _corner_lines(split: list[tuple[Row, list[Token], list[Token]]],
                  headers: list[tuple[int | None, float, float]],
                  value_x0: float) -> set[tuple[tuple[str, int], ...]]:
    """The corner cell's lines as the table's first header prints them.

    A header repeated on a later page prints them again, below its last column head if
    the corner's note is the longer (narrow label columns). The set may also hold the
    first row's label lines above its figures, which are printed once: it is only
    used below a repeated header.
    """
    corner: set[tuple[tuple[str, int], ...]] = set()
    in_first = False
    for row, labs, vals in split:
        if vals:
            break
        in_first = in_first or _in_header(row, headers)
        toks = _left_of(labs, value_x0)
        if in_first and toks:
            corner.add(_line_key(toks))
    return corner


def _han_mark(text: str) -> bool:
    """A blank mark written as a Chinese character (无), which labels also contain."""
    return parse_cell(text).kind == NA and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _header_blocks(split: list[tuple[Row, list[Token], list[Token]]],
                   head_x0: float) -> list[tuple[int | None, float, float]]:
    """The vertical extent (page, top, bottom) of each column header: a run of lines
    without values that have words over the value columns (starting at ``head_x0`` or
    right of it). Lines of the corner cell between them belong to it; a row of values,
    a new page or a line the header already has (the next table's header) ends it."""
    blocks: list[tuple[int | None, float, float]] = []
    lines: set[tuple[tuple[str, int], ...]] = set()
    for row, labs, vals in split:
        if vals:
            lines = set()
            continue
        heads = _line_key([t for t in labs if t.x0 >= head_x0])
        if not heads:
            continue
        top, bottom = row.y0 or 0.0, row.y1 or 0.0
        if lines and heads not in lines and blocks[-1][0] == row.page:
            blocks[-1] = (row.page, blocks[-1][1], bottom)
        else:
            blocks.append((row.page, top, bottom))
            lines = set()
        lines.add(heads)
    return blocks


def _in_header(row: Row, blocks: list[tuple[int | None, float, float]]) -> bool:
    yc = ((row.y0 or 0.0) + (row.y1 or 0.0)) / 2
    return any(page == row.page and top <= yc <= bottom for page, top, bottom in blocks)


def _widest_gap(lines: list[Row], upper: Row | None, lower: Row | None) -> int:
    """How many of the label lines between two rows of numbers belong to the upper row.

    Cells are further apart than the lines inside a cell, so two centred labels taller
    than their rows part at the widest vertical gap between the upper row's numbers,
    the lines and the lower row's numbers. Without a gap wider than the lines' overlap,
    each line goes to the nearer row.
    """
    if upper is None or lower is None:
        return len(lines) if lower is None else 0
    seq = [upper, *lines, lower]
    gaps = [(b.y0 or 0) - (a.y1 or 0) if a.page == b.page else 0.0
            for a, b in zip(seq, seq[1:], strict=False)]
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    if gaps[widest] > 0:
        return widest
    return sum(1 for r in lines if _closer_to(r, upper, lower))


def _closer_to(label: Row, mine: Row, other: Row | None) -> bool:
    """Whether a label line is nearer this row of numbers than the neighbouring one."""
    if other is None:
        return label.page == mine.page
    if label.page != mine.page:
        return False
    if other.page != label.page:
        return True
    yc = ((label.y0 or 0) + (label.y1 or 0)) / 2
    d_mine = abs(((mine.y0 or 0) + (mine.y1 or 0)) / 2 - yc)
    d_other = abs(((other.y0 or 0) + (other.y1 or 0)) / 2 - yc)
    return d_mine <= d_other


def _same_cell(lines: list[Row], mine: Row, line_h: float, own: list[Token],
               upward: bool = False) -> list[Row]:
    """The label lines that can still belong to this row's cell: a run without big gaps.

    A label continued on the next page (top-aligned cells split by a page break) is
    kept; a gap of several empty lines ends the cell. Words printed again after the
    break (Qt repeats the line a page break cut through) are read once.
    """
    out: list[Row] = []
    seq = list(reversed(lines)) if upward else list(lines)
    prev, prev_toks = mine, own
    for r in seq:
        if r.page == prev.page:
            gap = ((r.y0 or 0) - (prev.y1 or 0)) if not upward else ((prev.y0 or 0) - (r.y1 or 0))
            if gap > 2.5 * line_h:
                break
        else:
            toks = [t for t in r.tokens
                    if not any(t.text == p.text and abs(t.x0 - p.x0) < 1 for p in prev_toks)]
            if not toks:
                continue
            if len(toks) < len(r.tokens):
                r = Row(toks, page=r.page, y0=r.y0, y1=r.y1)
        out.append(r)
        prev, prev_toks = r, r.tokens
    return list(reversed(out)) if upward else out


def _line_key(tokens: list[Token]) -> tuple[tuple[str, int], ...]:
    return tuple((t.text, round(t.x0)) for t in tokens)


def _column_text(lines: list[Row]) -> str:
    """Label text read column by column (left label column first, each top to bottom).

    Wrapped labels of two side-by-side label columns ((三)不予公开 | 1.属于国家秘密)
    interleave line by line; reading each column downwards keeps their words whole.
    """
    toks = [t for r in lines for t in r.tokens]
    if not toks:
        return ""
    columns: list[list[Token]] = []
    for t in sorted(toks, key=lambda t: t.x0):
        for col in columns:
            if min(c.x1 for c in col) > t.x0 and max(c.x0 for c in col) < t.x1:
                col.append(t)
                break
        else:
            columns.append([t])
    columns.sort(key=lambda col: min(t.x0 for t in col))
    order = {id(t): i for i, r in enumerate(lines) for t in r.tokens}
    return "".join(norm("".join(t.text for t in sorted(col, key=lambda t: order[id(t)])))
                   for col in columns)


def _median(values: list[float]) -> float:
    """statistics.median, without importing statistics (with fractions and decimal: 2 ms
    of every start-up)."""
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
