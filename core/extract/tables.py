"""Finding the three statutory tables and filling every cell of the format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.document import Document, Row, Token
from core.extract import patterns as P
from core.extract.matching import align
from core.extract.rows import LogicalRow, build_rows
from core.extract.values import norm, parse_cell, to_yuan
from core.model import BLANK, MISSING, NA, TEXT, Cell
from core.template import T3_COLUMNS, T4_COLUMNS, T4_ROWS, Format, get_format

AMOUNT_KEYS = {"t2.procurement.amount", "t2.fees.amount"}
T3_ROW_ORDER = ["new", "carried_in", "r3_1", "r3_2", *[f"r3_3_{i}" for i in range(1, 9)],
                *[f"r3_4_{i}" for i in range(1, 4)], *[f"r3_5_{i}" for i in range(1, 6)],
                "r3_6", "r3_6_1", "r3_6_2", "r3_6_3", "r3_7", "carried_out"]
# Rows of table 四 when no later section heading ends it: its 15 figures and a header
# printed one character per line (结\n果\n维\n持 …) in a one-cell-per-line dump.
T4_MAX_ROWS = 90
# (六)其他处理 as a label also sits on the first of its sub-rows: prefer the sub-row.
T3_WEIGHTS = {"r3_6": 0.45}

_SECTION_HEADINGS = {
    "s1": re.compile(r"^[一1][、.,]?.{0,6}(总体情况|概述|基本情况)|^总体情况"),
    "s2": re.compile(r"^[二2][、.,]?.{0,6}主动公开"),
    "s3": re.compile(r"^[三3][、.,]?.{0,8}(收到和处理|收到及处理|依申请)"),
    "s4": re.compile(r"^[四4][、.,]?.{0,12}(行政复议|行政诉讼)"),
    "s5": re.compile(r"^[五5][、.,]?.{0,14}(问题|改进|不足)"),
    "s6": re.compile(r"^[六6][、.,]?.{0,6}其他"),
}


def heading_of(text: str) -> str | None:
    """The section id a heading line starts, or None."""
    t = norm(text)
    if len(t) > 40:
        return None
    for sid, pat in _SECTION_HEADINGS.items():
        if pat.search(t):
            return sid
    return None


@dataclass
class Blocks:
    """Row index ranges [start, end) of each table in ``doc.rows``."""

    t2: tuple[int, int] | None = None
    t3: tuple[int, int] | None = None
    t4: tuple[int, int] | None = None
    headings: dict[str, int] = field(default_factory=dict)


def find_blocks(doc: Document) -> Blocks:
    rows = doc.rows
    texts = [norm(r.text) for r in rows]
    b = Blocks()
    for i, r in enumerate(rows):
        if r.grid and len([t for t in r.tokens if t.text]) > 1:
            continue
        sid = heading_of(r.text)
        if sid and sid not in b.headings:
            b.headings[sid] = i
    n = len(rows)
    t3_start = next((i for i, t in enumerate(texts)
                     if "申请人情况" in t or "勾稽关系" in t or "本年新收" in t), None)
    s3 = b.headings.get("s3")
    if t3_start is None:
        t3_start = s3
    elif s3 is not None and s3 < t3_start and "申请人情况" not in texts[t3_start] \
            and "勾稽关系" not in texts[t3_start]:
        # Found at row 一: the head says neither word on one line (a one-row head, its
        # corner note wrapped mid-word). The table starts below the heading, head included:
        # a head repeated on a later page is recognised by the first one.
        t3_start = s3 + 1
    t2_start = next((i for i, t in enumerate(texts) if P.T2_GROUP.search(t)
                     and (t3_start is None or i < t3_start)), None)
    if t2_start is not None:
        b.t2 = (t2_start, t3_start if t3_start is not None else min(n, t2_start + 60))
    if t3_start is not None:
        end = b.headings.get("s4")
        if end is None or end <= t3_start:
            end = next((i for i in range(t3_start + 1, n) if "行政复议" in texts[i]
                        and not P.COMPILED_T3["carried_out"].search(texts[i])), n)
        # The 三 heading may precede the table by prose: start at the table itself.
        b.t3 = (t3_start, end)
        t4_start = end
    else:
        t4_start = b.headings.get("s4")  # type: ignore[assignment]  # None: no 四 heading
    if t4_start is not None and t4_start < n:
        # The table ends at the next section heading: 五, or 六 where 五 is missing.
        later = [i for i in b.headings.values() if i > t4_start]
        # Without one, a stretch long enough for its header printed one character per line.
        t4_end = min(later) if later else min(n, t4_start + T4_MAX_ROWS)
        if any("复议" in texts[i] or "诉讼" in texts[i] for i in range(t4_start, t4_end)):
            b.t4 = (t4_start, t4_end)
    return b


def detect_format(doc: Document, blocks: Blocks) -> str | None:
    """2019 or 2021, from the words of the tables themselves."""
    lo = blocks.t2[0] if blocks.t2 else (blocks.t3[0] if blocks.t3 else 0)
    hi = blocks.t4[1] if blocks.t4 else (blocks.t3[1] if blocks.t3 else len(doc.rows))
    text = "".join(norm(r.text) for r in doc.rows[lo:hi])
    new = sum(text.count(w) for w in P.FORMAT_2021_WORDS)
    old = sum(text.count(w) for w in P.FORMAT_2019_WORDS)
    if new == old == 0:
        return None
    return "2021" if new > old else "2019"


def _is_stream(lr: LogicalRow) -> bool:
    return lr.source is not None and not lr.source.grid and lr.source.y0 is None


def place_columns(rows: list[LogicalRow], ncols: int, has_total: bool) -> None:
    """Give every value a column: by position where the layout has positions."""
    spans: list[list[float]] = [[] for _ in range(ncols)]
    for lr in rows:
        if lr.header or not lr.values or _is_stream(lr):
            continue
        if all(c is None for c in lr.cols) and len(lr.values) == ncols:
            lr.cols = list(range(ncols))
        positioned = lr.source is not None and lr.source.y0 is not None
        if positioned and all(c is not None for c in lr.cols):
            for tok, col in zip(lr.values, lr.cols, strict=True):
                if col is not None and 0 <= col < ncols:
                    spans[col].append(tok.x0)
                    spans[col].append(tok.x1)
    intervals = [(min(s), max(s)) if s else None for s in spans]
    if not all(intervals):
        header = _header_intervals(rows, ncols)
        if header:
            intervals = [iv or h for iv, h in zip(intervals, header, strict=True)]
    for lr in rows:
        if lr.header or not lr.values or all(c is not None for c in lr.cols):
            continue
        if len(lr.values) > ncols:
            lr.values = lr.values[-ncols:]
            lr.cols = [None] * ncols
        known = all(intervals) and not _is_stream(lr)
        if known:
            lr.cols = [_nearest(tok, intervals) for tok in lr.values]  # type: ignore[arg-type]
            if len(set(lr.cols)) < len(lr.cols):
                lr.confidence = min(lr.confidence, 0.5)
        elif len(lr.values) == 1 and has_total:
            # Only the 总计 column is filled (real reports do this): a lone value is the total.
            lr.cols = [ncols - 1]
            lr.confidence = min(lr.confidence, 0.8)
        else:
            offset = ncols - len(lr.values) if has_total else 0
            lr.cols = [offset + i for i in range(len(lr.values))]
            lr.confidence = min(lr.confidence, 0.5)


def _header_intervals(rows: list[LogicalRow], ncols: int) -> list[tuple[float, float]] | None:
    toks: list[Token] = [t for lr in rows if lr.header for t in lr.header_tokens
                         if t.text and lr.source is not None and lr.source.y0 is not None]
    if not toks:
        return None
    toks.sort(key=lambda t: t.x0)
    clusters: list[list[float]] = []
    for t in toks:
        if clusters and t.x0 <= clusters[-1][1] + 0.5:
            clusters[-1][1] = max(clusters[-1][1], t.x1)
        else:
            clusters.append([t.x0, t.x1])
    if len(clusters) != ncols:
        return None
    return [(c[0], c[1]) for c in clusters]


def _nearest(tok: Token, intervals: list[tuple[float, float]]) -> int:
    best, best_score = 0, None
    for i, (a, b) in enumerate(intervals):
        overlap = min(b, tok.x1) - max(a, tok.x0)
        dist = abs((a + b) / 2 - tok.xc)
        score = (-overlap, dist) if overlap > 0 else (0.0, dist)
        if best_score is None or score < best_score:
            best, best_score = i, score
    return best


def _cell(key: str, tok: Token | None, lr: LogicalRow | None, wan: bool = False) -> Cell:
    if tok is None:
        return Cell(key, None, "", "blank" if lr is not None else MISSING,
                    lr.source.tokens[0].loc if lr is not None and lr.source and lr.source.tokens
                    else None, lr.confidence if lr is not None else 0.0)
    p = parse_cell(tok.text)
    value = p.value
    if key in AMOUNT_KEYS:
        value = to_yuan(p, wan) if p.kind not in (TEXT, NA) and value is not None else value
    elif isinstance(value, float) and value.is_integer() and "." not in tok.text:
        value = int(value)
    if p.kind == NA:
        value = None
    conf = tok.confidence * (lr.confidence if lr is not None else 1.0)
    return Cell(key, value, tok.text, p.kind, tok.loc, conf, note=lr.note if lr else "")


def _fill(cells: dict[str, Cell], prefix: str, lr: LogicalRow, columns: tuple[str, ...],
          wan: bool = False) -> None:
    by_col: dict[int, Token] = {}
    for tok, col in zip(lr.values, lr.cols, strict=True):
        if col is not None and 0 <= col < len(columns) and col not in by_col:
            by_col[col] = tok
    for i, c in enumerate(columns):
        key = f"{prefix}.{c}"
        cells[key] = _cell(key, by_col.get(i), lr, wan)


@dataclass
class TableResult:
    """One statutory table as extracted: its cells, and the rows of the format not found."""

    cells: dict[str, Cell] = field(default_factory=dict)
    found: bool = False
    missing_rows: list[str] = field(default_factory=list)
    merged_other_row: bool = False


def extract_t3(doc: Document, rows: list[Row], fmt: Format) -> TableResult:
    res = TableResult()
    lrs = build_rows(doc, rows, len(T3_COLUMNS))
    place_columns(lrs, len(T3_COLUMNS), has_total=True)
    template = [(r, P.COMPILED_T3[r], T3_WEIGHTS.get(r, 1.0)) for r in T3_ROW_ORDER]
    matched = align(lrs, template)
    if len(matched) < 3:
        return res
    res.found = True
    sub_rows = [r for r in ("r3_6_1", "r3_6_2", "r3_6_3") if r in matched]
    if fmt.name == "2021" and "r3_6" in matched and not sub_rows:
        res.merged_other_row = True
    elif "r3_6" in matched and fmt.name == "2021":
        del matched["r3_6"]
    for row_id, _label in fmt.t3_rows:
        lr = matched.get(row_id)
        if lr is None:
            for c in T3_COLUMNS:
                key = f"t3.{row_id}.{c}"
                res.cells[key] = Cell(key, None, "", MISSING, None, 0.0)
            if not (res.merged_other_row and row_id.startswith("r3_6_")):
                res.missing_rows.append(f"t3.{row_id}")
            continue
        _fill(res.cells, f"t3.{row_id}", lr, T3_COLUMNS)
    if res.merged_other_row:
        _fill(res.cells, "t3.r3_6", matched["r3_6"], T3_COLUMNS)
    return res


def extract_t4(doc: Document, rows: list[Row]) -> TableResult:
    res = TableResult()
    keys = [f"t4.{r}.{c}" for r in T4_ROWS for c in T4_COLUMNS]
    lrs = build_rows(doc, rows, 15)
    value_rows = [lr for lr in lrs if lr.values and not lr.header]
    # Whether the table is transposed (one row per 复议/诉讼 kind, five columns each) is
    # read with five value columns: read as fifteen, a grid row's labels would count as
    # values, and so would the empty field a merged label cell leaves in a tab-separated row.
    lrs5 = build_rows(doc, rows, 5)
    labelled = [lr for lr in lrs5 if lr.values and not lr.header
                and any(p.search(lr.own) for p in P.COMPILED_T4.values())]
    if len(labelled) >= 2 and all(len(lr.values) <= 5 for lr in labelled):
        place_columns(lrs5, 5, has_total=True)
        template = [(r, P.COMPILED_T4[r], 1.0) for r in T4_ROWS]
        matched = align(lrs5, template)
        for r in T4_ROWS:
            if r in matched:
                _fill(res.cells, f"t4.{r}", matched[r], T4_COLUMNS)
            else:
                res.missing_rows.append(f"t4.{r}")
        res.found = bool(matched)
    elif value_rows:
        place_columns(lrs, 15, has_total=False)
        best = max(value_rows, key=lambda lr: len(lr.values))
        cols = tuple(f"{r}.{c}" for r in T4_ROWS for c in T4_COLUMNS)
        _fill(res.cells, "t4", best, cols)
        res.found = True
    elif _printed_empty_t4(lrs):
        # The table is printed, head and all, but no cell holds anything: not absent.
        for k in keys:
            res.cells[k] = Cell(k, None, "", BLANK, None, 1.0)
        res.found = True
    for k in keys:
        res.cells.setdefault(k, Cell(k, None, "", MISSING, None, 0.0))
    return res


def _printed_empty_t4(lrs: list[LogicalRow]) -> bool:
    """Table 四's column heads are printed (结果维持 … 尚未审结) though no row holds a value."""
    text = "".join(lr.own + "".join(norm(t.text) for t in lr.header_tokens) for lr in lrs)
    return all(w in text for w in ("维持", "纠正", "尚未审结"))


def extract_t2(doc: Document, rows: list[Row], fmt: Format) -> TableResult:
    res = TableResult()
    groups: list[tuple[str, int]] = []
    for i, r in enumerate(rows):
        m = P.T2_GROUP.search(norm(r.text))
        if m:
            groups.append((m.group(1) or m.group(2), i))
    numeral_of = {g.label: re.search(r"\(([一五六八九])\)", g.label).group(1)  # type: ignore[union-attr]
                  for g in fmt.t2_groups}
    for gi, (numeral, start) in enumerate(groups):
        end = groups[gi + 1][1] if gi + 1 < len(groups) else len(rows)
        group = next((g for g in fmt.t2_groups if numeral_of[g.label] == numeral), None)
        if group is None:
            continue
        ncols = len(group.columns)
        part = rows[start + 1:end]
        label_end = _t2_label_end(part)
        lrs = build_rows(doc, part, ncols, grid_start=label_end)
        place_columns(lrs, ncols, has_total=False)
        header_text = "".join(norm(r.text) for r in part[:3])
        wan = "万元" in header_text or fmt.name == "2021"
        template = [(rid, P.COMPILED_T2[rid], 1.0) for rid, _ in group.rows]
        matched = align(lrs, template)
        for rid, _ in group.rows:
            if rid in matched:
                _fill(res.cells, f"t2.{rid}", matched[rid], tuple(c for c, _ in group.columns), wan)
                res.found = True
            else:
                res.missing_rows.append(f"t2.{rid}")
    for key in fmt.cell_keys():
        if key.startswith("t2."):
            res.cells.setdefault(key, Cell(key, None, "", MISSING, None, 0.0))
    return res


def _t2_label_end(part: list[Row]) -> int | None:
    """For a DOCX/HTML grid, where the label column ends (the 信息内容 cell's right edge)."""
    for r in part:
        if not r.grid:
            continue
        for t in r.tokens:
            if "信息内容" in norm(t.text):
                return int(t.x1)
    return None


def empty_cells(fmt_name: str) -> dict[str, Cell]:
    return {k: Cell(k, None, "", MISSING, None, 0.0) for k in get_format(fmt_name).cell_keys()}
