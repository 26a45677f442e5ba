"""What every check module shares: the context, cell access and the finding factory.

A check never trusts ``Cell.kind`` alone: a corrected cell gets a new value, so the
kind is read from the value first (a number is a number, a string is a mark or
text), and only a ``None`` value falls back on the kind the extractor recorded
(blank, "/" mark, or row not found).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from core.model import MISSING, NUMBER, ZERO, Finding, Report, Value
from core.template import (  # noqa: F401 - re-exported for the check modules
    T3_LABELS,
    T3_SHORT_ROWS,
    T4_LABELS,
    T4_SHORT_ROWS,
    Format,
    cell_name,
    get_format,
    row_name,
)
from core.values import kind_of_cell as kind_of

ERROR = "error"
WARNING = "warning"
FAIL = "fail"
UNCERTAIN = "uncertain"


AMOUNT_KEYS = frozenset({"t2.procurement.amount", "t2.fees.amount"})
TABLE_NAMES = {"t2": "表二（主动公开政府信息情况）", "t3": "表三（收到和处理政府信息公开申请情况）",
               "t4": "表四（政府信息公开行政复议、行政诉讼情况）"}
TABLE_SHORT = {"t2": "表二", "t3": "表三", "t4": "表四"}
SECTION_NAMES = {
    "s1": "一、总体情况", "s2": "二、主动公开政府信息情况",
    "s3": "三、收到和处理政府信息公开申请情况",
    "s4": "四、政府信息公开行政复议、行政诉讼情况", "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}


def is_number(kind: str) -> bool:
    return kind in (NUMBER, ZERO)


def fmt_num(v: Value) -> str:
    """A number as an inspector writes it: 5, 4.5, 172700."""
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.4f}".rstrip("0").rstrip(".")
    if v is None:
        return "空白"
    return str(v)


def fingerprint(rule: str, cells: list[str], section: str | None, table: str | None,
                field_: str | None, subject: str = "") -> str:
    """Stable id of a finding: rule, cells, place; never values, so it survives a correction."""
    key = "|".join([rule, ",".join(sorted(cells)), section or "", table or "", field_ or "",
                    subject])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def finding(rule: str, severity: str, message: str, *, check: str, basis: str = "",
            cells: list[str] | None = None, status: str = FAIL,
            left: dict[str, Value] | None = None, right: dict[str, Value] | None = None,
            difference: float | None = None, section: str | None = None,
            table: str | None = None, field: str | None = None, quote: str | None = None,
            subject: str = "") -> Finding:
    cells = list(cells or [])
    if isinstance(difference, float) and difference.is_integer():
        difference = int(difference)
    return Finding(rule=rule, severity=severity, message=message, cells=cells, status=status,
                   left=dict(left or {}), right=dict(right or {}), difference=difference,
                   basis=basis, check=check, section=section, table=table, field=field,
                   quote=quote,
                   fingerprint=fingerprint(rule, cells, section, table, field, subject))


@dataclass
class Equation:
    """One evaluated sum rule: the cells on each side and whether it held.

    ``status`` is "pass", "fail" or "uncertain"; ``difference`` is left minus right.
    The cause analysis uses every equation, passing ones included.
    """

    rule: str
    left: list[str]
    right: list[str]
    status: str
    difference: float = 0.0
    finding: Finding | None = None


@dataclass
class Context:
    """One report as the checks read it (with the agency's previous report, for the
    checks across years): each cell's kind and number worked out once, and the sums
    checked so far (for their causes)."""

    report: Report
    previous: Report | None
    deadlines: object
    fmt: Format | None = None
    equations: list[Equation] = field(default_factory=list)
    _kinds: dict[str, str] = field(default_factory=dict)
    _nums: dict[str, int | float] = field(default_factory=dict)
    _keys: dict[str, list[str]] = field(default_factory=dict)
    _merged: bool | None = None

    def __post_init__(self) -> None:
        name = self.report.format
        self.fmt = get_format(name) if name in ("2019", "2021") else None
        # One pass over the cells: every check then reads plain dicts (the 5 ms budget).
        for key, cell in self.report.cells.items():
            kind = self._kinds[key] = kind_of(cell)
            if kind in (NUMBER, ZERO):
                self._nums[key] = cell.value  # type: ignore[assignment]

    # --- cells -------------------------------------------------------------------------
    def kind(self, key: str) -> str:
        return self._kinds.get(key, MISSING)

    def value(self, key: str) -> Value:
        c = self.report.cells.get(key)
        return None if c is None else c.value

    def num(self, key: str) -> int | float | None:
        """The numeric value of a cell, or None when it holds no number."""
        return self._nums.get(key)

    @property
    def merged_other(self) -> bool:
        """A 2021 report printing (六)其他处理 as one row (values under t3.r3_6.*)."""
        if self._merged is None:
            self._merged = self._is_merged()
        return self._merged

    def _is_merged(self) -> bool:
        if self.report.format != "2021":
            return False
        if self.report.merged_other_row:
            return True
        # Tolerate a report that carries t3.r3_6 values without the flag.
        return any(f"t3.r3_6.{c}" in self._nums for c in T3_LABELS) and not any(
            f"t3.r3_6_{i}.{c}" in self._nums for i in (1, 2, 3) for c in T3_LABELS)

    def t3_rows(self) -> list[str]:
        """The rows of table 三 the sums run over, (六) as the report prints it."""
        if self.fmt is None:
            return []
        rows = [r for r, _ in self.fmt.t3_rows]
        if self.merged_other:
            i = rows.index("r3_6_1")
            rows[i : i + 3] = ["r3_6"]
        return rows

    def table_keys(self, table: str) -> list[str]:
        """The cells of one table the format asks for (2021 merged (六): t3.r3_6.* instead)."""
        keys = self._keys.get(table)
        if keys is None:
            if self.fmt is None:
                keys = []
            elif table == "t3":
                keys = [f"t3.{r}.{c}" for r in self.t3_rows() for c in T3_LABELS]
            else:
                keys = [k for k in self.fmt.cell_keys() if k.startswith(table + ".")]
            self._keys[table] = keys
        return keys

    def table_present(self, table: str) -> bool:
        found = self.report.tables_found
        if table in found:
            return bool(found[table])
        keys = self.table_keys(table)
        return bool(keys) and any(self.kind(k) != MISSING for k in keys)

    # --- labels ------------------------------------------------------------------------
    def label(self, key: str) -> str:
        return cell_label(key, self.report.format)


# One name per cell, defined in core/template.py; the checks' old names for it.
cell_label = cell_name
row_label = row_name


def number_text(v: float) -> str:
    return fmt_num(int(v) if float(v).is_integer() else v)


_GOV_SUFFIXES = ("人民政府", "人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅",
                 "政府办", "区政府", "县政府", "市政府", "省政府", "旗政府")


def is_government(report: Report) -> bool:
    """A people's government's own report (due 3月31日), not one of its departments' (1月31日).

    Taken from ``report.is_government`` or from the agency name: 人民政府, or its
    办公室/办公厅 publishing the government's report. "XX市人民政府国有资产监督管理委员会"
    is a department: the name must end with the government or its office.
    """
    if report.level in ("部门", "政府本级"):  # set for sure (the register of agencies)
        return report.level == "政府本级"
    if report.is_government:
        return True
    names = ["".join((report.agency or "").split())]
    if not names[0]:
        title = "".join((report.title or "").split())
        cut = min((i for i in (title.find("20"), title.find("关于")) if i > 0), default=-1)
        names.append(title[:cut] if cut > 0 else "")
        # A title printed over two lines: "淮安市人民政府" above "2024年政府信息公开工作年度报告".
        lines = [ln.strip() for ln in (report.text or "").splitlines()[:6] if ln.strip()]
        names += ["".join(ln.split()) for ln in lines[:2] if len(ln) <= 30]
    return any(n.endswith(_GOV_SUFFIXES) for n in names if n)
