"""The batch overview: which units have reported for which year, and how.

Against a list of the units that must report (the list the 政务公开办 keeps, imported
from xlsx or csv by :func:`load_units`, or built from the reports seen by
:func:`units_from_reports`), :func:`build_overview` gives for each unit and year one of

- 未报送: no report of that unit for that year in the database;
- 逾期: published after the deadline (the checker's ``publication.late``, not dismissed);
- 有不通过项: a checklist line 不通过 (:mod:`core.line_results`: an error not dismissed, a
  finding confirmed);
- 正常: none of these.

A late report with errors is both (``Entry.flags``); its status is the first that
applies in the order above. Reports whose agency matches no unit are listed apart
(``Overview.extra``): a misspelt name, or a unit missing from the list. Pure Python.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.textwidth import display_width

NOT_SUBMITTED, LATE, ERRORS, OK = "未报送", "逾期", "有不通过项", "正常"
STATUSES = (NOT_SUBMITTED, LATE, ERRORS, OK)
DATE_UNKNOWN = "发布日期不明"

NAME_HEADERS = ("单位名称", "机关名称", "部门名称", "单位", "机关", "部门", "名称", "unit", "name",
                "agency")
LEVEL_HEADERS = ("层级", "级别", "类别", "类型", "level")
REGION_HEADERS = ("所属地区", "行政区划", "地区", "区域", "region", "area")
_PUNCT = re.compile(r"[\s\u3000·•.,，、。:：;；\"'“”‘’《》〈〉<>()（）\[\]【】〔〕-]+")
MIN_SUFFIX = 4  # characters a name must have to be matched as the tail of another
# A units list holds the units of one government: hundreds, a few thousand at most. The
# list is read in a sandbox worker with these limits (see load_units).
MAX_UNITS_ROWS = 50_000
MAX_UNITS_COLUMNS = 20
MAX_UNITS_BYTES = 20 * 2**20
UNITS_TIMEOUT = 60.0
UNITS_MEMORY = 1 << 30


class UnitsError(ValueError):
    """The units list cannot be read; the message says why (in Chinese)."""


@dataclass(frozen=True)
class Unit:
    """A unit that must publish an annual report."""

    name: str
    level: str = ""  # e.g. 市直部门, 县(区)政府
    region: str = ""


def normalise(name: str | None) -> str:
    """A name for matching: NFKC, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name or ""))


# --- reading the units list --------------------------------------------------------------


def load_units(path: str | Path) -> list[Unit]:
    """The units of an .xlsx (first sheet) or .csv/.txt file, in file order, each once.

    Columns: unit name, then optionally level and region. A header row is recognised
    by its names (单位名称/名称/机关…, 层级/级别…, 地区/区域…) and may sit anywhere in
    the columns; a leading 序号 column is skipped. Without a header the columns are taken
    in that order. CSV may be UTF-8 (with or without BOM) or GB18030/GBK.

    The file is read in a sandbox worker (:mod:`core.sandbox`) with a time and a memory
    limit, and at most :data:`MAX_UNITS_ROWS` rows: a small workbook can unpack to
    millions of rows (a 2 MB file of 3 million reached 1.9 GB in this process).
    """
    from core.errors import ReportError
    from core.sandbox import run_isolated

    try:
        units, problem = run_isolated(_load_units_here, str(path), timeout=UNITS_TIMEOUT,
                                      memory=UNITS_MEMORY)
    except ReportError as e:  # too slow, too much memory, a crash in a C library
        raise UnitsError(f"无法读取应报单位名单 {Path(path).name}：{e.message_zh}") from e
    if problem is not None:
        raise UnitsError(problem)
    return units


def _load_units_here(path: str) -> tuple[list[Unit], str | None]:
    """load_units in this process: (units, None) or ([], the reason in Chinese)."""
    try:
        return _read_units(path), None
    except UnitsError as e:
        return [], str(e)


def _read_units(path: str | Path) -> list[Unit]:
    p = Path(path)
    if not p.is_file():
        raise UnitsError(f"找不到应报单位名单文件：{p}")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(p)
    else:
        raise UnitsError(f"不支持的名单格式「{p.suffix}」：请使用 .xlsx 或 .csv 文件")
    units = _units_from_rows(rows)
    if not units:
        raise UnitsError(f"名单文件中没有读到任何单位名称：{p.name}")
    return units


def _xlsx_rows(p: Path) -> list[list[str]]:
    try:
        from openpyxl import load_workbook
    except ImportError as e:  # pragma: no cover - openpyxl is a dependency
        raise UnitsError("读取 .xlsx 名单需要 openpyxl") from e
    _check_unpacked_size(p)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook
        raise UnitsError(f"无法读取 Excel 文件 {p.name}:{e}") from e
    try:
        ws = wb.worksheets[0]
        rows: list[list[str]] = []
        # max_row given: without it openpyxl reads the whole sheet first to find its size.
        for row in ws.iter_rows(values_only=True, max_row=MAX_UNITS_ROWS + 1,
                                max_col=MAX_UNITS_COLUMNS):
            if len(rows) >= MAX_UNITS_ROWS:
                raise _too_many_rows(p)
            rows.append(["" if v is None else str(v).strip() for v in row])
        return rows
    finally:
        wb.close()


def _check_unpacked_size(p: Path) -> None:
    """Refuse a workbook whose sheets unpack to more than MAX_UNITS_BYTES, from the zip's
    directory alone: openpyxl reads a whole sheet to find its size before the first row
    (35 s for a 500 KB file of 3 million rows)."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as z:
            size = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as e:
        raise UnitsError(f"无法读取 Excel 文件 {p.name}：文件已损坏（{e}）") from e
    if size > MAX_UNITS_BYTES:
        raise UnitsError(f"名单文件 {p.name} 解压后有 {size / 2**20:,.1f} MB，超过 "
                         f"{MAX_UNITS_BYTES // 2**20} MB 的上限，不像是应报单位名单")


def _too_many_rows(p: Path) -> UnitsError:
    return UnitsError(f"名单文件 {p.name} 超过 {MAX_UNITS_ROWS:,} 行的上限，"
                      "不像是应报单位名单（请只保留单位名称等列）")


def _csv_rows(p: Path) -> list[list[str]]:
    size = p.stat().st_size
    if size > MAX_UNITS_BYTES:
        raise UnitsError(f"名单文件 {p.name} 有 {size / 2**20:,.1f} MB，超过 "
                         f"{MAX_UNITS_BYTES // 2**20} MB 的上限，不像是应报单位名单")
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UnitsError(f"无法识别文件编码：{p.name}")
    sample = text[:4096]
    delim = "\t" if sample.count("\t") > sample.count(",") else ","
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(text), delimiter=delim):
        if len(rows) >= MAX_UNITS_ROWS:
            raise _too_many_rows(p)
        rows.append([c.strip() for c in row[:MAX_UNITS_COLUMNS]])
    return rows


def _find(header: list[str], names: Sequence[str]) -> int | None:
    low = [h.strip().lower() for h in header]
    for n in names:
        for i, h in enumerate(low):
            if h == n.lower():
                return i
    for n in names:
        for i, h in enumerate(low):
            if n.lower() in h and len(h) <= 12:
                return i
    return None


def _units_from_rows(rows: list[list[str]]) -> list[Unit]:
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return []
    name_i, start = 0, 0
    level_i: int | None = 1
    region_i: int | None = 2
    for k, row in enumerate(rows[:5]):  # a title line may come before the header
        i = _find(row, NAME_HEADERS)
        if i is not None and not _looks_numeric(row[i]):
            name_i, level_i, region_i = i, _find(row, LEVEL_HEADERS), _find(row, REGION_HEADERS)
            start = k + 1
            break
    else:
        # No header: skip a serial-number column.
        firsts = [r[0] for r in rows if r]
        if firsts and sum(_looks_numeric(c) for c in firsts) > len(firsts) / 2:
            name_i, level_i, region_i = 1, 2, 3
    seen: set[str] = set()
    out = []
    for row in rows[start:]:
        name = _cell(row, name_i)
        key = normalise(name)
        if not key or key in seen or _looks_numeric(name):
            continue
        seen.add(key)
        out.append(Unit(name, _cell(row, level_i), _cell(row, region_i)))
    return out


def _cell(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def _looks_numeric(s: str) -> bool:
    return bool(re.fullmatch(r"\s*\d+(\.0)?\s*", s or ""))


def units_from_reports(rows: Iterable[dict[str, Any]]) -> list[Unit]:
    """The units seen in the reports (one per agency name), sorted by name."""
    names: dict[str, str] = {}
    for r in rows:
        agency = r.get("agency")
        if agency:
            names.setdefault(normalise(agency), agency)
    return [Unit(n) for n in sorted(names.values())]


# --- matching and building ---------------------------------------------------------------


class UnitIndex:
    """Finds the unit a report's agency name belongs to."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self.units = list(units)
        self.exact = {normalise(u.name): u for u in self.units}

    def match(self, agency: str | None) -> Unit | None:
        """The unit named exactly so, else the one unit whose name ends the agency's (or
        the other way round: a list with the city prefix, a report without it)."""
        a = normalise(agency)
        if not a:
            return None
        if a in self.exact:
            return self.exact[a]
        found = [u for k, u in self.exact.items()
                 if min(len(k), len(a)) >= MIN_SUFFIX and (a.endswith(k) or k.endswith(a))]
        if len(found) == 1:
            return found[0]
        if found:  # the longest name that ends the agency's, if only one is that long
            tails = [u for u in found if a.endswith(normalise(u.name))]
            if tails:
                longest = max(len(normalise(u.name)) for u in tails)
                best = [u for u in tails if len(normalise(u.name)) == longest]
                if len(best) == 1:
                    return best[0]
        return None


@dataclass
class ReportFacts:
    """What the overview needs of one stored report."""

    report_id: int
    agency: str | None
    year: int | None
    published: str | None = None
    n_errors: int = 0  # checklist lines 不通过 (the line rule, stored as n_failed)
    late_days: int | None = None  # days after the deadline; None when on time or unknown
    date_unknown: bool = False
    revision: int = 1
    file_name: str = ""


@dataclass
class Entry:
    """One unit in one year."""

    unit: Unit
    year: int
    status: str
    flags: list[str] = field(default_factory=list)  # 逾期, 有不通过项 (both may apply)
    report: ReportFacts | None = None

    def text(self) -> str:
        """"逾期·有不通过项", "正常", "未报送"… as the table prints it."""
        if self.status in (NOT_SUBMITTED, OK):
            return self.status
        return "·".join(self.flags)

    def detail(self) -> str:
        """A line for a tooltip: report number, publication date, errors, days late."""
        r = self.report
        if r is None:
            return f"{self.unit.name}：{self.year}年度报告未报送（数据库中没有）"
        parts = [f"#{r.report_id} {r.agency or ''}", f"发布：{r.published or '未找到日期'}"]
        if r.late_days:
            parts.append(f"逾期 {r.late_days} 天")
        if r.n_errors:
            parts.append(f"不通过 {r.n_errors} 项")
        return "，".join(parts)


@dataclass
class Overview:
    units: list[Unit]
    years: list[int]
    entries: dict[tuple[str, int], Entry]
    extra: list[ReportFacts] = field(default_factory=list)  # matching no unit
    from_reports: bool = False  # the units were built from the reports seen

    def entry(self, unit: Unit, year: int) -> Entry:
        return self.entries[(unit.name, year)]

    def counts(self, year: int) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for u in self.units:
            out[self.entry(u, year).status] += 1
        return out

    def with_status(self, status: str, year: int | None = None) -> list[Entry]:
        """Entries whose status (or flags) include ``status``, e.g. every 逾期 report."""
        years = self.years if year is None else [year]
        return [e for y in years for u in self.units
                for e in [self.entry(u, y)] if e.status == status or status in e.flags]

    def missing(self, year: int) -> list[Unit]:
        return [u for u in self.units if self.entry(u, year).status == NOT_SUBMITTED]


def build_overview(units: Sequence[Unit], reports: Iterable[ReportFacts],
                   years: Iterable[int] | None = None) -> Overview:
    """Each unit × year: 未报送 / 逾期 / 有不通过项 / 正常. ``years`` default to the years in
    which some unit of the list reported (every year of the reports when none did). Of
    several reports of one unit and year the latest revision counts."""
    index = UnitIndex(units)
    reports = [r for r in reports if r.year is not None]
    matched = [(r, index.match(r.agency)) for r in reports]
    if years is not None:
        ys = sorted(set(years))
    else:  # the years some listed unit reported for (else every year seen)
        seen = {r.year for r, u in matched if u is not None} or {r.year for r in reports}
        ys = sorted(y for y in seen if y is not None)
    chosen: dict[tuple[str, int], ReportFacts] = {}
    extra: list[ReportFacts] = []
    for r, u in matched:
        if r.year not in ys:
            continue
        if u is None:
            extra.append(r)
            continue
        k = (u.name, r.year)
        old = chosen.get(k)
        if old is None or (r.revision, r.report_id) > (old.revision, old.report_id):
            chosen[k] = r
    entries: dict[tuple[str, int], Entry] = {}
    for u in index.units:
        for y in ys:
            entries[(u.name, y)] = _entry(u, y, chosen.get((u.name, y)))
    return Overview(list(index.units), ys, entries, extra)


def _entry(u: Unit, y: int, r: ReportFacts | None) -> Entry:
    if r is None:
        return Entry(u, y, NOT_SUBMITTED, [], None)
    flags = []
    if r.late_days:
        flags.append(LATE)
    if r.n_errors:
        flags.append(ERRORS)
    status = flags[0] if flags else OK
    if r.date_unknown:
        flags.append(DATE_UNKNOWN)
    return Entry(u, y, status, flags, r)


# --- from the database -------------------------------------------------------------------


def report_facts(store: Any, years: Iterable[int] | None = None) -> list[ReportFacts]:
    """Every stored report (of ``years``) with its lateness from its current findings."""
    wanted = None if years is None else set(years)
    out = []
    for row in store.list_reports():
        if wanted is not None and row["year"] not in wanted:
            continue
        late: int | None = None
        unknown = False
        for sf in store.findings(row["id"]):
            f = sf.finding
            if sf.verdict == "dismissed":
                continue
            if f.rule == "publication.late":
                late = int(f.difference or 1)
            elif f.rule == "publication.date_missing":
                unknown = True
        out.append(ReportFacts(row["id"], row["agency"], row["year"], row["published"],
                               int(row["n_failed"]), late, unknown, int(row["revision"]),
                               row["file_name"]))
    return out


def overview_from_store(store: Any, units: Sequence[Unit] | None = None,
                        years: Iterable[int] | None = None) -> Overview:
    """The overview of the database against the register of agencies (core.register).

    The agencies expected to report are the units; when none is marked expected, every
    agency seen in any year (one that reported before but not this year is exactly who
    must show as 未报送). Each report counts for its agency under whichever of the
    agency's names it printed. ``units`` (a list not imported into the register) is
    matched by name as before.
    """
    years = None if years is None else list(years)
    facts = report_facts(store, years)
    if units is not None:
        return build_overview(units, facts, years)
    from core.register import Register

    agencies = Register(store).agencies()
    expected = [a for a in agencies if a.expected]
    display = {n.name: a.name for a in agencies for n in a.names}
    for f in facts:
        f.agency = display.get(f.agency or "", f.agency)
    ov = build_overview([a.unit() for a in (expected or agencies)], facts, years)
    ov.from_reports = not expected
    return ov


# --- as text -----------------------------------------------------------------------------


def format_overview(ov: Overview) -> str:
    """The overview as a terminal table, with the counts per year and the reports apart."""
    head = ["应报单位", *([] if not any(u.level for u in ov.units) else ["层级"]),
            *[f"{y}年度" for y in ov.years]]
    body = []
    for u in ov.units:
        row = [u.name] + ([u.level] if len(head) - len(ov.years) == 2 else [])
        row += [ov.entry(u, y).text() for y in ov.years]
        body.append(row)
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body])
              for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths,
                                                                     strict=True)).rstrip()

    out = [line(head), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in body]
    out.append("")
    source = "按已导入报告中的机关" if ov.from_reports else "按应报单位名单"
    out.append(f"应报单位 {len(ov.units)} 个（{source}）")
    for y in ov.years:
        c = ov.counts(y)
        late_err = sum(1 for u in ov.units if {LATE, ERRORS} <= set(ov.entry(u, y).flags))
        extra = f"（其中逾期且有不通过项 {late_err}）" if late_err else ""
        out.append(f"{y}年度：已报送 {len(ov.units) - c[NOT_SUBMITTED]}，"
                   f"未报送 {c[NOT_SUBMITTED]}，逾期 {c[LATE]}，"
                   f"有不通过项 {c[ERRORS]}{extra}，正常 {c[OK]}")
    for y in ov.years:
        miss = ov.missing(y)
        if miss:
            out.append(f"{y}年度未报送：" + "、".join(u.name for u in miss))
    if ov.extra:
        out.append(f"名单外的报告 {len(ov.extra)} 份（机关名称与名单中任何单位都对不上）：")
        for r in ov.extra:
            agency = r.agency or "（未识别机关）"
            out.append(f"  #{r.report_id} {agency} {r.year}年度 {r.file_name}")
    return "\n".join(out) + "\n"
