"""The two official formats, loaded from ``resources/templates.json`` (a copy of the spec).

Gives the ordered cell keys of each format, their labels, and the table each belongs
to. Everything that needs to know "which cells does a 2021 report have" asks here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from core.resources import resource_json

FORMATS = ("2019", "2021")
T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other", "total")
T4_ROWS = ("review", "direct", "after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")


@dataclass(frozen=True)
class T2Group:
    """One group of table 二 (an article's item) with its rows and columns."""

    label: str  # 第二十条第(一)项
    rows: tuple[tuple[str, str], ...]  # (row id, label)
    columns: tuple[tuple[str, str], ...]  # (column id, label)


@dataclass(frozen=True)
class Format:
    """One official format (2019 or 2021): its sections and the rows of its tables."""

    name: str  # "2019" | "2021"
    title: str
    sections: dict[str, str]
    t2_groups: tuple[T2Group, ...]
    t3_rows: tuple[tuple[str, str], ...]  # (row id, label path)
    t4_rows: tuple[tuple[str, str], ...]

    def cell_keys(self) -> list[str]:
        keys = [f"t2.{r}.{c}" for g in self.t2_groups for r, _ in g.rows for c, _ in g.columns]
        keys += [f"t3.{r}.{c}" for r, _ in self.t3_rows for c in T3_COLUMNS]
        keys += [f"t4.{r}.{c}" for r, _ in self.t4_rows for c in T4_COLUMNS]
        return keys

    def label(self, key: str) -> str:
        """The cell's name for people (see :func:`cell_name`)."""
        return cell_name(key, self.name)


T3_LABELS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构",
             "social": "社会公益组织", "legal": "法律服务机构", "other": "其他", "total": "总计"}
T4_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
             "pending": "尚未审结", "total": "总计"}
TABLE_SHORT = {"t2": "表二", "t3": "表三", "t4": "表四"}
# Rows named by their printed head alone (the full paths are long or, for (六)其他处理 printed
# as one row in a 2021 report, absent from the format).
T3_SHORT_ROWS = {
    "new": "一、本年新收", "carried_in": "二、上年结转", "r3_1": "（一）予以公开",
    "r3_2": "（二）部分公开", "r3_6": "（六）其他处理", "r3_7": "三（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
T4_SHORT_ROWS = {"review": "行政复议", "direct": "行政诉讼·未经复议直接起诉",
                 "after_review": "行政诉讼·复议后起诉"}
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；",
                             "?": "？", "!": "！"})


def full_width(text: str) -> str:
    """Chinese text with full-width brackets, commas, colons and semicolons."""
    return text.translate(_FULL_WIDTH)


def row_name(row: str) -> str:
    """The printed name of a 表三 row, short: （三）1.属于国家秘密, 一、本年新收 …"""
    if row in T3_SHORT_ROWS:
        return T3_SHORT_ROWS[row]
    path = _t3_paths().get(row)
    if path is None:
        return row
    parts = full_width(path).split("/")[1:]
    if len(parts) == 2:
        head = parts[0].split("）")[0] + "）"
        return head + parts[1]
    return "".join(parts)


def cell_name(key: str, fmt_name: str | None = None) -> str:
    """The one name people read for a cell: 表三「（一）予以公开·自然人」,
    表四「行政复议·结果维持」, 表二「规章·本年制发件数」. Never the key, except for a key
    that is no cell of either format."""
    parts = key.split(".")
    if len(parts) != 3:
        return key
    table, row, col = parts
    if table == "t3":
        return f"表三「{row_name(row)}·{T3_LABELS.get(col, col)}」"
    if table == "t4":
        return f"表四「{T4_SHORT_ROWS.get(row, row)}·{T4_LABELS.get(col, col)}」"
    if table == "t2":
        names = t2_names(key, fmt_name)
        if names is not None:
            return f"表二「{names[0]}·{names[1]}」"
    return key


def t2_names(key: str, fmt_name: str | None = None) -> tuple[str, str] | None:
    """(row, column) of a 表二 cell as printed (either format), or None."""
    parts = key.split(".")
    if len(parts) != 3 or parts[0] != "t2":
        return None
    _, row, col = parts
    names = (fmt_name,) if fmt_name in FORMATS else ()
    for name in (*names, "2021", "2019"):
        for g in get_format(name).t2_groups:
            rows, cols = dict(g.rows), dict(g.columns)
            if row in rows and col in cols:
                return full_width(rows[row]), full_width(cols[col])
    return None


def cell_key(text: str, fmt_name: str | None = None) -> str | None:
    """The cell key for ``text``: a key itself, or a cell's printed name as
    :func:`cell_name` gives it (brackets 「」, spaces and half/full width forgiven)."""
    text = text.strip()
    names = (fmt_name,) if fmt_name in FORMATS else ()
    keys = [k for name in (*names, "2021", "2019") for k in get_format(name).cell_keys()]
    if text in keys or (text.count(".") == 2 and text.startswith("t3.r3_6.")):
        return text
    want = _loose(text)
    return next((k for k in keys if _loose(cell_name(k, fmt_name)) == want), None)


def _loose(name: str) -> str:
    return "".join(full_width(name).replace("「", "").replace("」", "").split())


@cache
def _t3_paths() -> dict[str, str]:
    return {**dict(get_format("2019").t3_rows), **dict(get_format("2021").t3_rows)}


@cache
def _raw() -> dict:
    return resource_json("templates.json")


@cache
def get_format(name: str) -> Format:
    """The official format "2019" or "2021"."""
    formats = _raw()["formats"]
    base = formats["2019"]
    spec = formats[name]
    groups = tuple(
        T2Group(g["label"], tuple(g["rows"].items()), tuple(g["columns"].items()))
        for g in spec["t2"]["groups"]
    )
    t3_rows = list(base["t3"]["rows"].items())
    if name == "2021":
        i = [r for r, _ in t3_rows].index("r3_6")
        t3_rows[i : i + 1] = list(spec["t3"]["rows_replacing_r3_6"].items())
    t4_rows = tuple(base["t4"]["rows"].items())
    return Format(name, spec["name"], dict(base["sections"]), groups, tuple(t3_rows), t4_rows)


def table_identities(name: str, merged_other: bool = False
                     ) -> list[tuple[str, list[str], list[str]]]:
    """The sums the format prints (rules.md A1–A4) as (rule, left keys, right keys).

    ``merged_other``: a 2021 report printing (六)其他处理 as one row (``t3.r3_6.*``)."""
    rows = [r for r, _ in get_format(name).t3_rows]
    if merged_other and "r3_6_1" in rows:
        i = rows.index("r3_6_1")
        rows[i: i + 3] = ["r3_6"]
    leaves = [r for r in rows if r.startswith("r3_") and r != "r3_7"]
    parts = T3_COLUMNS[:-1]
    out = [("t3.row_sum", [f"t3.{r}.total"], [f"t3.{r}.{c}" for c in parts]) for r in rows]
    out += [("t3.outcome_sum", [f"t3.r3_7.{c}"], [f"t3.{r}.{c}" for r in leaves])
            for c in T3_COLUMNS]
    out += [("t3.balance", [f"t3.new.{c}", f"t3.carried_in.{c}"],
             [f"t3.r3_7.{c}", f"t3.carried_out.{c}"]) for c in T3_COLUMNS]
    out += [("t4.row_sum", [f"t4.{r}.total"], [f"t4.{r}.{c}" for c in T4_COLUMNS[:-1]])
            for r in T4_ROWS]
    return out


def all_keys(name: str) -> list[str]:
    return get_format(name).cell_keys()
