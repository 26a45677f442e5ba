"""The two official formats, loaded from ``core/data/templates.json`` (a copy of the spec).

Gives the ordered cell keys of each format, their labels, and the table each belongs
to. Everything that needs to know "which cells does a 2021 report have" asks here.
"""

from __future__ import annotations

import json
import pkgutil
from dataclasses import dataclass
from functools import cache

FORMATS = ("2019", "2021")
T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other", "total")
T4_ROWS = ("review", "direct", "after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")


@dataclass(frozen=True)
class T2Group:
    label: str  # 第二十条第(一)项
    rows: tuple[tuple[str, str], ...]  # (row id, label)
    columns: tuple[tuple[str, str], ...]  # (column id, label)


@dataclass(frozen=True)
class Format:
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
        """A readable Chinese label for a cell key, e.g. 表三 (一)予以公开 / 自然人."""
        table, row, col = key.split(".")
        if table == "t2":
            for g in self.t2_groups:
                rows, cols = dict(g.rows), dict(g.columns)
                if row in rows and col in cols:
                    return f"表二 {rows[row]} / {cols[col]}"
        if table == "t3":
            rows = dict(self.t3_rows)
            return f"表三 {rows.get(row, row).split('/')[-1]} / {T3_LABELS.get(col, col)}"
        if table == "t4":
            rows = dict(self.t4_rows)
            return f"表四 {rows.get(row, row)} / {T4_LABELS.get(col, col)}"
        return key


T3_LABELS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构",
             "social": "社会公益组织", "legal": "法律服务机构", "other": "其他", "total": "总计"}
T4_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
             "pending": "尚未审结", "total": "总计"}


@cache
def _raw() -> dict:
    # pkgutil rather than importlib.resources, which imports tempfile, shutil, random …
    # (4 ms of every start-up) for what is one read of a package file.
    data = pkgutil.get_data("core.data", "templates.json")
    if data is None:
        raise FileNotFoundError("core/data/templates.json")
    return json.loads(data.decode("utf-8"))


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


def all_keys(name: str) -> list[str]:
    return get_format(name).cell_keys()
