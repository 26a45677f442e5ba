"""A dev-corpus report's truth as a document outline: prose blocks and table grids.

The truth JSON gives every cell of a report; this module lays those cells out as the
three statutory tables in one of several realistic ways (how the two-level headers are
merged, how the label columns are spread, how labels and numbers are printed), and
returns the cell values a perfect reader must find in that layout (a zero printed as
"—" is a blank cell, not a 0). :mod:`variants.render` turns the outline into a file.

Labels are the official text of ``docs/spec/templates.json`` with only the variations
real reports show: full- or half-width brackets, "1、" for "1.", spaces and line breaks
inside a label, 法规 for 行政法规, serial numbers left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from datapaths import DEV_CORPUS, TEMPLATES_JSON

DEV = DEV_CORPUS
SPEC = json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))

T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other", "total")
ORG_HEADS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_ROWS = ("review", "direct", "after_review")
T4_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
AMOUNTS = ("t2.fees.amount", "t2.procurement.amount")
SECTION_TITLES = SPEC["formats"]["2019"]["sections"]


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Report:
    """What the truth file says a report holds."""

    doc_id: str
    fmt: str  # "2019" | "2021"
    title: str
    agency: str
    year: int
    published: str | None
    sections: dict[str, bool]
    cells: dict[str, object]


def load_report(doc_id: str) -> Report:
    truth = json.loads((DEV / f"{doc_id}.truth.json").read_text(encoding="utf-8"))
    r = truth["report"]
    return Report(doc_id, r["format"], r["title"], r["agency"], r["year"], r["published"],
                  truth["sections"], truth["cells"])


def dev_ids() -> list[str]:
    return sorted(p.name[:12] for p in DEV.glob("*.truth.json"))


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class Labels:
    """How row and column labels are printed."""

    full_brackets: bool = True  # （一） rather than (一)
    serials: bool = True  # 一、 (一) 1. kept
    enum_sep: str = "."  # "1." | "1、" | "1．"
    law_short: bool = False  # 其他法律法规禁止公开
    spaced: bool = False  # a space after the serial and inside long labels
    wrap: int = 0  # break labels longer than this many characters into lines
    vertical_heads: bool = False  # narrow column heads printed one character per line


@dataclass(frozen=True)
class Values:
    """How cell values are printed."""

    zero: str = "0"  # a zero count: "0", or "-", "—", "/" (then the cell reads as blank)
    blank: str = ""  # a cell the truth leaves blank: "", "/", "—"
    fullwidth: bool = False  # １２３
    thousands: bool = False  # 1,234
    amount: str = "yuan"  # 2019 procurement: "wan" 17.27万元 | "yuan" 43075.05元 | "bare"


@dataclass(frozen=True)
class Tables:
    """How the three tables are built."""

    t3_labels: str = "merged"  # merged | once | repeated | rows (see _t3_label_cells)
    t3_head: str = "official"  # official | total_top | two_rows | one_row | split
    t4: str = "official"  # official | transposed
    t2: str = "one_table"  # one_table | per_group
    t2_merged: bool = True  # a group's value cells span the free columns (else blank cells)
    split_t3_before: str | None = None  # row id that starts a second table, header repeated


@dataclass(frozen=True)
class Style:
    labels: Labels = field(default_factory=Labels)
    values: Values = field(default_factory=Values)
    tables: Tables = field(default_factory=Tables)


# ---------------------------------------------------------------- outline


@dataclass
class Cell:
    """One origin cell of a table grid (HTML-like: spans, covered slots absent)."""

    text: str
    rs: int = 1
    cs: int = 1
    head: bool = False
    value: bool = False


@dataclass
class Grid:
    rows: list[list[Cell]]
    head_rows: int = 0  # how many leading rows are column headers
    width: int = 0
    name: str = ""  # t2 | t3 | t4

    def matrix(self) -> list[list[Cell | None]]:
        """Every grid slot: the origin cell at its top-left slot, None where covered."""
        grid: list[list[Cell | None]] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            out: list[Cell | None] = []
            col = 0
            for cell in row:
                while (r, col) in taken:
                    out.append(None)
                    col += 1
                out.append(cell)
                for dr in range(cell.rs):
                    for dc in range(cell.cs):
                        taken.add((r + dr, col + dc))
                out.extend([None] * (cell.cs - 1))
                col += cell.cs
            while (r, col) in taken or col < self.width:
                out.append(None)
                col += 1
            grid.append(out[: self.width])
        return grid


@dataclass
class Outline:
    """A document as blocks: ("title"|"info"|"heading"|"p"|"sign"|"date", text),
    ("table", Grid) and ("break", "") for a page break between split tables."""

    blocks: list[tuple[str, object]]
    expected: dict[str, object]
    report: Report


# ---------------------------------------------------------------- printing


_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})
_FULL_DIGITS = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")
_SERIAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")


def label(text: str, st: Labels, wrap: bool = True) -> str:
    """An official label (half-width brackets in the spec) as this report prints it."""
    t = text
    if st.law_short:
        t = t.replace("其他法律行政法规", "其他法律法规")
    if not st.serials:
        t = _SERIAL.sub("", t)
    t = re.sub(r"^(\d+)\.", lambda m: m.group(1) + st.enum_sep, t)
    if st.spaced:
        t = re.sub(r"^(\d+[.、．]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)",
                   r"\1 ", t)
    if st.full_brackets:
        t = t.translate(_HALF_TO_FULL)
    if wrap and st.wrap and len(t) > st.wrap:
        t = "\n".join(t[i:i + st.wrap] for i in range(0, len(t), st.wrap))
    return t


def head(text: str, st: Labels) -> str:
    """A column head; narrow ones may be printed one character per line."""
    t = label(text, st, wrap=False)
    if st.vertical_heads and len(t) <= 6:
        return "\n".join(t)
    return t


def value(key: str, v: object, fmt: str, st: Values) -> tuple[str, object]:
    """The printed text of a cell and the value a reader must find in it."""
    if v is None:
        return st.blank, None
    if isinstance(v, str):
        return v, v
    if key in AMOUNTS:
        return _amount(key, float(v), fmt, st)
    if v == 0 and st.zero != "0":
        return st.zero, None
    text = f"{v:,}" if st.thousands and abs(v) >= 1000 else str(v)
    return (text.translate(_FULL_DIGITS) if st.fullwidth else text), v


def _amount(key: str, yuan: float, fmt: str, st: Values) -> tuple[str, object]:
    if yuan == 0:
        return ("0", 0.0) if st.zero == "0" else (st.zero, None)
    if key == "t2.fees.amount" or st.amount == "wan":
        # The 2021 fee column is headed 万元: a bare number there is in 万元.
        text = f"{yuan / 10000:.4f}".rstrip("0").rstrip(".")
        return (text if key == "t2.fees.amount" else text + "万元"), yuan
    if st.amount == "bare":
        return f"{yuan:.2f}", yuan
    text = f"{yuan:,.2f}" if st.thousands else f"{yuan:.2f}"
    return text + "元", yuan


# ---------------------------------------------------------------- tables


def _t3_rows(fmt: str) -> list[tuple[str, list[str]]]:
    rows = dict(SPEC["formats"]["2019"]["t3"]["rows"])
    if fmt == "2021":
        extra = SPEC["formats"]["2021"]["t3"]["rows_replacing_r3_6"]
        items = []
        for k, v in rows.items():
            items.extend(extra.items() if k == "r3_6" else [(k, v)])
        rows = dict(items)
    return [(k, v.split("/")) for k, v in rows.items()]


def t3_grid(rep: Report, st: Style, expected: dict) -> list[Grid]:
    """Table 三 (one grid, or two when it is split with its header repeated)."""
    lab, tab = st.labels, st.tables
    rows = _t3_rows(rep.fmt)
    nlab = 1 if tab.t3_labels == "rows" else 3
    head_rows = _t3_head(tab.t3_head, nlab, lab)
    body: list[list[Cell]] = []
    starts: list[int] = []  # body row index where each statutory row starts
    results = [k for k, p in rows if len(p) > 1]
    groups: dict[str, list[str]] = {}
    for k, p in rows:
        if len(p) == 3:
            groups.setdefault(p[1], []).append(k)
    for k, parts in rows:
        starts.append(len(body))
        vals = []
        for c in T3_COLUMNS:
            text, want = value(f"t3.{k}.{c}", rep.cells[f"t3.{k}.{c}"], rep.fmt, st.values)
            expected[f"t3.{k}.{c}"] = want
            vals.append(Cell(text, value=True))
        if tab.t3_labels == "rows":
            if k == results[0]:
                body.append(_label_row(parts[0], lab))
            if len(parts) == 3 and groups[parts[1]][0] == k:
                body.append(_label_row(parts[1], lab))
            body.append([Cell(label(parts[-1], lab))] + vals)
            continue
        body.append(_t3_label_cells(k, parts, results, groups, tab.t3_labels, lab) + vals)
    width = nlab + 7
    split = tab.split_t3_before
    if split is None:
        return [Grid(head_rows + body, len(head_rows), width, "t3")]
    at = starts[[k for k, _ in rows].index(split)]
    first, second = body[:at], body[at:]
    _cut_rowspans(first, second)
    return [Grid(head_rows + first, len(head_rows), width, "t3"),
            Grid(_t3_head(tab.t3_head, nlab, lab) + second, len(head_rows), width, "t3")]


def _label_row(text: str, lab: Labels) -> list[Cell]:
    return [Cell(label(text, lab))] + [Cell("", value=True) for _ in T3_COLUMNS]


def _t3_label_cells(k: str, parts: list[str], results: list[str],
                    groups: dict[str, list[str]], how: str, lab: Labels) -> list[Cell]:
    """The three label cells of a row of table 三.

    merged: 三、本年度办理结果 and each (三)… group are cells spanning their rows;
    once: merges lost (a page exported without them), each label in its first row only;
    repeated: merges undone by filling every row with the label (spreadsheet exports).
    """
    if len(parts) == 1:
        return [Cell(label(parts[0], lab), cs=3)] if how == "merged" else \
            [Cell(label(parts[0], lab)), Cell(""), Cell("")]
    top = label(parts[0], lab)
    first_result = k == results[0]
    cells: list[Cell] = []
    if how == "merged":
        if first_result:
            cells.append(Cell(top, rs=len(results)))
    else:
        cells.append(Cell(top if first_result or how == "repeated" else ""))
    if len(parts) == 2:
        leaf = label(parts[1], lab)
        return cells + ([Cell(leaf, cs=2)] if how == "merged" else [Cell(leaf), Cell("")])
    members = groups[parts[1]]
    group = label(parts[1], lab)
    if how == "merged":
        if members[0] == k:
            cells.append(Cell(group, rs=len(members)))
    else:
        cells.append(Cell(group if members[0] == k or how == "repeated" else ""))
    return cells + [Cell(label(parts[2], lab))]


def _cut_rowspans(first: list[list[Cell]], second: list[list[Cell]]) -> None:
    """Split merged label cells at a table break, as Word does: the label is printed
    again in the second table, spanning what is left of its rows."""
    carried: list[Cell] = []
    for r, row in enumerate(first):
        for cell in row:
            if cell.rs > 1 and r + cell.rs > len(first):
                left = r + cell.rs - len(first)
                cell.rs = len(first) - r
                carried.append(Cell(cell.text, rs=left, cs=cell.cs))
    if carried and second:
        second[0][:0] = carried


def _t3_head(how: str, nlab: int, lab: Labels) -> list[list[Cell]]:
    h = [head(t, lab) for t in ("自然人", *ORG_HEADS, "总计")]
    corner = Cell(CORNER if nlab > 1 else "", head=True)
    org = Cell("法人或其他组织", cs=5, head=True)
    subs = [Cell(t, head=True) for t in h[1:6]]
    if how == "one_row":
        return [[Cell(CORNER, cs=nlab, head=True)] + [Cell(t, head=True) for t in h]]
    if how == "two_rows":
        return [[replace(corner, rs=2, cs=nlab), Cell(h[0], rs=2, head=True), org,
                 Cell(h[6], rs=2, head=True)], subs]
    if how == "total_top":
        return [[replace(corner, rs=3, cs=nlab), Cell("申请人情况", cs=6, head=True),
                 Cell(h[6], rs=3, head=True)],
                [Cell(h[0], rs=2, head=True), org], subs]
    if how == "split":
        # Merges lost: each head in the first slot it covered, the other slots empty.
        pad = [Cell("", head=True) for _ in range(nlab - 1)]
        empty = [Cell("", head=True) for _ in range(nlab)]
        return [[replace(corner)] + pad + [Cell("申请人情况", head=True)]
                + [Cell("", head=True) for _ in range(6)],
                empty + [Cell(h[0], head=True), Cell("法人或其他组织", head=True)]
                + [Cell("", head=True) for _ in range(4)] + [Cell(h[6], head=True)],
                empty + [Cell("", head=True)] + subs + [Cell("", head=True)]]
    return [[replace(corner, rs=3, cs=nlab), Cell("申请人情况", cs=7, head=True)],
            [Cell(h[0], rs=2, head=True), org, Cell(h[6], rs=2, head=True)], subs]


def t4_grid(rep: Report, st: Style, expected: dict) -> Grid:
    lab = st.labels
    vals: dict[str, list[Cell]] = {}
    for r in T4_ROWS:
        vals[r] = []
        for c in ("upheld", "corrected", "other", "pending", "total"):
            text, want = value(f"t4.{r}.{c}", rep.cells[f"t4.{r}.{c}"], rep.fmt, st.values)
            expected[f"t4.{r}.{c}"] = want
            vals[r].append(Cell(text, value=True))
    heads = [head(t, lab) for t in T4_HEADS]
    if st.tables.t4 == "transposed":
        return Grid([[Cell("", cs=2, head=True)] + [Cell(t, head=True) for t in heads],
                     [Cell("行政复议", cs=2)] + vals["review"],
                     [Cell("行政诉讼", rs=2), Cell(label("未经复议直接起诉", lab))]
                     + vals["direct"],
                     [Cell(label("复议后起诉", lab))] + vals["after_review"]], 1, 7, "t4")
    return Grid([[Cell("行政复议", cs=5, head=True), Cell("行政诉讼", cs=10, head=True)],
                 [Cell(t, rs=2, head=True) for t in heads]
                 + [Cell("未经复议直接起诉", cs=5, head=True), Cell("复议后起诉", cs=5, head=True)],
                 [Cell(t, head=True) for t in heads * 2],
                 vals["review"] + vals["direct"] + vals["after_review"]], 3, 15, "t4")


def t2_grids(rep: Report, st: Style, expected: dict) -> list[tuple[str, Grid]]:
    """Table 二: one 4-column grid with a row per group label, or one grid per group
    with its label as a paragraph above it."""
    lab = st.labels
    out: list[tuple[str, Grid]] = []
    rows: list[list[Cell]] = []
    groups = SPEC["formats"][rep.fmt]["t2"]["groups"]
    for g in groups:
        glabel = label(g["label"], lab, wrap=False)
        cols = list(g["columns"].items())
        free = 3 - len(cols)
        merged = st.tables.t2_merged
        spans = [1] * (len(cols) - 1) + [1 + free if merged else 1]
        pad = [] if merged else [Cell("", value=True) for _ in range(free)]
        part = [[Cell("信息内容", head=True)]
                + [Cell(label(t, lab, wrap=False), cs=s, head=True)
                   for (_, t), s in zip(cols, spans, strict=True)]
                + [Cell("", head=True) for _ in pad]]
        for rid, rlabel in g["rows"].items():
            cells = [Cell(label(rlabel, lab))]
            for (cid, _), s in zip(cols, spans, strict=True):
                key = f"t2.{rid}.{cid}"
                text, want = value(key, rep.cells[key], rep.fmt, st.values)
                expected[key] = want
                cells.append(Cell(text, cs=s, value=True))
            part.append(cells + pad)
        if st.tables.t2 == "per_group":
            out.append((glabel, Grid(part, 1, 4, "t2")))
        else:
            rows += [[Cell(glabel, cs=4)]] + part
    return out or [("", Grid(rows, 0, 4, "t2"))]


# ---------------------------------------------------------------- the whole document


def _table_present(rep: Report, prefix: str) -> bool:
    return any(v is not None for k, v in rep.cells.items() if k.startswith(prefix))


_PROSE = {
    "s1": "{year}年，本单位认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
          "不公开为例外，依托门户网站、政务新媒体等载体，全方位推进政府信息公开工作。",
    "s5": "本单位政府信息公开工作仍存在信息更新不够及时、政策解读形式较为单一等问题。"
          "下一步，将加强业务培训，完善审核机制，不断提升公开质量。",
    "s6": "本年度未收取信息处理费。无其他需要报告的事项。",
}


def outline(rep: Report, st: Style) -> Outline:
    """The report as blocks in reading order, and the cell values to expect."""
    expected: dict[str, object] = {k: None for k in rep.cells}
    blocks: list[tuple[str, object]] = [("title", rep.title)]
    if rep.published:
        blocks.append(("info", rep.published))
    blocks.append(("p", f"根据《中华人民共和国政府信息公开条例》要求，编制本报告。报告所列数据的"
                        f"统计期限为{rep.year}年1月1日至{rep.year}年12月31日。"))
    for sid, title in SECTION_TITLES.items():
        if not rep.sections.get(sid):
            continue
        blocks.append(("heading", title.translate(_HALF_TO_FULL)))
        if sid in _PROSE:
            blocks.append(("p", _PROSE[sid].format(year=rep.year)))
        elif sid == "s2" and _table_present(rep, "t2."):
            for glabel, grid in t2_grids(rep, st, expected):
                if glabel:
                    blocks.append(("p", glabel))
                blocks.append(("table", grid))
        elif sid == "s3" and _table_present(rep, "t3."):
            grids = t3_grid(rep, st, expected)
            for i, grid in enumerate(grids):
                if i:
                    blocks.append(("break", ""))
                blocks.append(("table", grid))
        elif sid == "s4" and _table_present(rep, "t4."):
            blocks.append(("table", t4_grid(rep, st, expected)))
    blocks.append(("sign", rep.agency))
    if rep.published:
        blocks.append(("date", rep.published))
    return Outline(blocks, expected, rep)
