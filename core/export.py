"""Exports of the review database: JSON (a list or JSON Lines), CSV per table, an Excel book.

Every export walks the reports one by one and writes each before reading the next, so its
memory does not grow with the database (benchmarks/export_bench.py: peak RSS at 2,000
reports against 200). Cell locations are not decoded: no export writes them.

CSV and Excel are for people (an inspector opens them in WPS or Excel): the statutory
tables in their official layout, one file (or sheet) per table and per format, 2019 and
2021 apart, with the labels of :mod:`core.template` as headers, never internal keys.
Amounts are given as the report printed them (e.g. 7730.28 with the unit 万元) beside
the value in yuan that the JSON contract uses.

Text that a spreadsheet program would run as a formula (a file named ``=1+2.txt``, a
corrected value ``=WEBSERVICE(…)``) is neutralised: :mod:`core.spreadsheet_safety` for
CSV; in Excel every text is stored as a string cell, never a formula.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from core.spreadsheet_safety import neutralise_row
from core.template import FORMATS, T3_COLUMNS, T4_COLUMNS, get_format
from core.vocabulary import (
    FINDING_STATUS_NAMES,
    LABELS,
    SEVERITY_NAMES,
    UNREVIEWED_FINDING,
    VERDICT_STATES,
)

if TYPE_CHECKING:
    from core.store import ReportStore, StoredCell

# Characters XML 1.0 cannot hold (openpyxl refuses them): control characters of a name.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

KIND_NAMES = {"pdf": "PDF", "scanned-pdf": "扫描件", "docx": "Word", "doc": "Word(doc)",
              "html": "网页", "txt": "文本"}
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}

# Columns that say which report a line belongs to, first in every table file.
REPORT_KEY_HEADERS = ["编号", "机关", "年度", "文件名"]
REPORTS_HEADERS = ["编号", "文件名", "类型", "机关", "年度", "格式", "发布日期", "版本",
                   "审查状态", "审查人", "错误", "提示", "备注"]
FINDINGS_HEADERS = ["编号", "机关", "年度", "文件名", "规则", LABELS["severity"], "情形",
                    "涉及单元格", "说明", LABELS["verdict"], LABELS["dismiss_reason"], "指纹"]
AMOUNT_SUFFIX = ".amount"
YUAN_PER_WAN = 10000


# --- the tables in their official layout -------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    key: str | None = None  # the cell key whose value goes here
    part: str = "value"  # value | printed | unit | yuan (amounts)


@dataclass(frozen=True)
class TableLayout:
    """One statutory table of one format: its header and, per report, its lines."""

    name: str  # 表二（2021年格式）
    headers: list[str]
    lines: list[tuple[str | None, list[Column]]]  # (row label or None, value columns)


def _amount_columns(key: str, label: str) -> list[Column]:
    return [Column(f"{label}（按报告所印）", key, "printed"),
            Column(f"{label}（单位）", key, "unit"), Column(f"{label}（折合元）", key, "yuan")]


def layouts(fmt_name: str) -> list[TableLayout]:
    """表二 as one line per report (its rows have different columns); 表三 and 表四 as
    printed: one line per row of the table, the table's columns beside it."""
    fmt = get_format(fmt_name)
    t2: list[Column] = []
    for g in fmt.t2_groups:
        for rid, rlabel in g.rows:
            for cid, clabel in g.columns:
                key = f"t2.{rid}.{cid}"
                label = f"{g.label} {rlabel}：{clabel}"
                t2 += _amount_columns(key, label) if key.endswith(AMOUNT_SUFFIX) \
                    else [Column(label, key)]
    suffix = f"（{fmt_name}年格式）"
    tables = [TableLayout("表二" + suffix, REPORT_KEY_HEADERS + [c.header for c in t2],
                          [(None, t2)])]
    from core.template import T3_LABELS, T4_LABELS

    t3_heads = [T3_LABELS[c] for c in T3_COLUMNS]
    tables.append(TableLayout(
        "表三" + suffix, [*REPORT_KEY_HEADERS, "项目", *t3_heads],
        [(label, [Column(h, f"t3.{rid}.{c}") for c, h in zip(T3_COLUMNS, t3_heads,
                                                             strict=True)])
         for rid, label in fmt.t3_rows]))
    t4_heads = [T4_LABELS[c] for c in T4_COLUMNS]
    tables.append(TableLayout(
        "表四" + suffix, [*REPORT_KEY_HEADERS, "项目", *t4_heads],
        [(label, [Column(h, f"t4.{rid}.{c}") for c, h in zip(T4_COLUMNS, t4_heads,
                                                             strict=True)])
         for rid, label in fmt.t4_rows]))
    return tables


def printed_amount(cell: StoredCell, fmt_name: str) -> tuple[Any, str]:
    """(the amount in the unit the report printed it in, that unit): the stored value
    is in yuan; the unit is read from the cell's printed text ("7730.28" beside the
    extracted 77302800.0 is 万元), else the format's (2021 fees are printed in 万元)."""
    from core.extract.values import parse_cell

    value = cell.value
    unit = "万元" if fmt_name == "2021" and cell.key == "t2.fees.amount" else "元"
    parsed = parse_cell(cell.raw) if cell.raw else None
    if parsed is not None and parsed.unit in ("万元", "元"):
        unit = parsed.unit
    elif (parsed is not None and isinstance(parsed.value, int | float) and parsed.value
          and isinstance(cell.extracted, int | float)):
        wan = abs(cell.extracted - parsed.value * YUAN_PER_WAN) <= 0.01 * abs(cell.extracted)
        unit = "万元" if wan else "元"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value, unit
    shown = value / YUAN_PER_WAN if unit == "万元" else value
    shown = round(float(shown), 6)
    return (int(shown) if shown.is_integer() else shown), unit


def _part(cell: StoredCell | None, column: Column, fmt_name: str) -> Any:
    if cell is None:
        return None
    if column.part == "value":
        return cell.value
    if column.part == "yuan":
        return cell.value
    shown, unit = printed_amount(cell, fmt_name)
    return shown if column.part == "printed" else unit


# --- walking the database ----------------------------------------------------------------


@dataclass
class ExportRow:
    """One report as the exports need it."""

    info: dict[str, Any]  # the reports row
    cells: dict[str, StoredCell]


def each_report(store: ReportStore) -> Iterator[ExportRow]:
    """Every complete report, oldest first, one at a time (cells without locations)."""
    for info in reversed(store.list_reports()):
        cells = {c.key: c for c in store.cells(info["id"], locations=False)}
        yield ExportRow(info, cells)


def report_line(info: dict[str, Any]) -> list[Any]:
    return [info["id"], info["file_name"], KIND_NAMES.get(info["kind"], info["kind"]),
            info["agency"], info["year"], info["format"], info["published"], info["revision"],
            info["status"], info["reviewer"], info["n_errors"], info["n_warnings"],
            info.get("note")]


def table_lines(table: TableLayout, row: ExportRow) -> Iterator[list[Any]]:
    info = row.info
    who = [info["id"], info["agency"], info["year"], info["file_name"]]
    fmt_name = info["format"]
    for label, columns in table.lines:
        values = [_part(row.cells.get(c.key or ""), c, fmt_name) for c in columns]
        yield who + ([label] if label is not None else []) + values


def finding_lines(store: ReportStore) -> Iterator[list[Any]]:
    from core.checks.common import cell_label

    for f in store.iter_findings():
        cells = "、".join(cell_label(k, f["format"]) for k in json.loads(f["cells"]))
        yield [f["report_id"], f["agency"], f["year"], f["file_name"], f["rule"],
               SEVERITY_NAMES.get(f["severity"], f["severity"]),
               FINDING_STATUS_NAMES.get(f["status"], f["status"]), cells, f["message"],
               VERDICT_STATES.get(f["verdict"] or "", UNREVIEWED_FINDING), f["verdict_reason"],
               f["fingerprint"]]


# --- JSON ----------------------------------------------------------------------------------


def contract_documents(store: ReportStore) -> Iterator[dict[str, Any]]:
    """Each report as its JSON contract document, with the verdicts and its review."""
    from core.contract import to_contract

    for r in reversed(store.list_reports()):
        rep = store.effective_report(r["id"], with_findings=False, locations=False)
        stored = store.findings(r["id"])
        rep.findings = [sf.finding for sf in stored]
        doc = to_contract(rep, details=False)
        verdicts = {sf.finding.fingerprint: sf for sf in stored}
        for f in doc["findings"]:
            sf = verdicts.get(f.get("fingerprint"))
            if sf is not None and sf.verdict:
                f["verdict"], f["verdict_reason"] = sf.verdict, sf.reason
        doc["review"] = {k: r[k] for k in ("id", "revision", "status", "reviewer", "note")}
        doc["review"]["conclusion"] = r.get("conclusion") or store.proposed_conclusion(r["id"])
        yield doc


def write_json(store: ReportStore, fh: IO[str], *, lines: bool = False) -> int:
    """A JSON list of the contract documents (``lines``: JSON Lines), streamed."""
    n = 0
    if not lines:
        fh.write("[")
    for doc in contract_documents(store):
        if lines:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
        else:
            fh.write(("\n" if n == 0 else ",\n") + json.dumps(doc, ensure_ascii=False, indent=1))
        n += 1
    if not lines:
        fh.write("\n]\n")
    return n


# --- CSV -----------------------------------------------------------------------------------


def write_csv(store: ReportStore, folder: Path) -> tuple[int, int, list[Path]]:
    """报告.csv, 问题.csv and one file per table and format (e.g. 表三（2021年格式）.csv);
    utf-8 with a BOM, which Excel needs to read Chinese. (reports, findings, files)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {name: layouts(name) for name in FORMATS}
    paths: list[Path] = []
    with ExitStack() as stack:

        def open_csv(name: str, headers: list[str]) -> Callable[[list[Any]], Any]:
            path = folder / f"{name}.csv"
            paths.append(path)
            fh = stack.enter_context(path.open("w", newline="", encoding="utf-8-sig"))
            writer = csv.writer(fh)
            writer.writerow(headers)
            return lambda row: writer.writerow(neutralise_row(row))

        reports = open_csv("报告", REPORTS_HEADERS)
        writers = {(fmt, t.name): open_csv(t.name, t.headers)
                   for fmt, ts in tables.items() for t in ts}
        n, m = _write_rows(store, tables, reports, writers,
                           lambda: open_csv("问题", FINDINGS_HEADERS))
    return n, m, paths


def _write_rows(store: ReportStore, tables: dict[str, list[Any]],
                reports: Callable[[list[Any]], Any],
                writers: dict[tuple[str, str], Callable[[list[Any]], Any]],
                findings_sink: Callable[[], Callable[[list[Any]], Any]]) -> tuple[int, int]:
    """Stream every report's line and its tables' lines, then the findings' lines, into
    the sinks of one export (CSV files or Excel sheets). (reports, findings)."""
    n = 0
    for row in each_report(store):
        reports(report_line(row.info))
        n += 1
        for t in tables.get(row.info["format"], ()):
            for line in table_lines(t, row):
                writers[(row.info["format"], t.name)](line)
    findings = findings_sink()
    m = 0
    for line in finding_lines(store):
        findings(line)
        m += 1
    return n, m


# --- Excel ---------------------------------------------------------------------------------


def write_xlsx(store: ReportStore, path: Path) -> tuple[int, int]:
    """One workbook: 报告, 问题, and a sheet per table and format, written row by row
    (openpyxl's write-only mode keeps nothing in memory). (reports, findings)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)

    def sheet(title: str, headers: list[str]) -> Callable[[list[Any]], None]:
        ws = wb.create_sheet(title)

        def append(values: list[Any]) -> None:
            cells = []
            for v in values:
                if isinstance(v, str):
                    # A string cell, never a formula, whatever it starts with.
                    c = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("", v) or None)
                    if c.value is not None:
                        c.data_type = "s"
                    cells.append(c)
                else:
                    cells.append(v)
            ws.append(cells)

        append(headers)
        return append

    tables = {name: layouts(name) for name in FORMATS}
    reports = sheet("报告", REPORTS_HEADERS)
    findings = sheet("问题", FINDINGS_HEADERS)
    writers = {(fmt, t.name): sheet(t.name, t.headers) for fmt, ts in tables.items() for t in ts}
    n, m = _write_rows(store, tables, reports, writers, lambda: findings)
    wb.save(path)
    return n, m
