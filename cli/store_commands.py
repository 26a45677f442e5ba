"""The review database on the command line: import, list, show, correct, undo, history, export.

    python main.py import PATH... [--db DB] [--jobs N]
    python main.py list [--agency TEXT] [--year N] [--status 未审|审查中|已审] [--has-errors]
    python main.py show ID
    python main.py correct ID CELL VALUE [--reason TEXT] [--reviewer NAME]
    python main.py undo ID
    python main.py history ID
    python main.py search QUERY
    python main.py status ID 未审|审查中|已审 [--reviewer NAME] [--note TEXT]
                       [--conclusion 合格|需整改|不合格|建议 [--reason TEXT]] [--yes]
    python main.py verdict ID FINGERPRINT confirmed|dismissed|clear [--reason TEXT]
    python main.py export [--xlsx FILE | --csv DIR | --json FILE]

Every subcommand takes ``--db PATH`` (default: the user's data folder, see
:mod:`core.paths`). The import itself is :func:`core.pipeline.iter_import`.
"""

from __future__ import annotations

import argparse
import io
import sys
from functools import cache
from itertools import repeat

from cli.commands import add_command, db_option, reporting_errors  # noqa: TID251 (cli)
from core.paths import resolve_db_path
from core.textwidth import display_width
from core.vocabulary import (
    CONCLUSIONS,
    FINDING_STATUS_NAMES,
    REVIEW_STATUSES,
    REVIEWED,
    VERDICT_ACTIONS,
    VERDICT_STATES,
    VERDICTS,
    severity_name,
    verdict_key,
)

# The store, the pipeline, the template's labels (core.template, core.rule_names) and
# the parsing of corrections are imported by the commands that use them. ``list``,
# ``search`` and ``history`` only read: they open a core.store_read.ReportReader, and
# load neither the store nor core.model (its dataclasses import inspect: ~7 ms).

# typing.TYPE_CHECKING without importing typing: the commands that only read load it nowhere
# else, and it costs ~2 ms of their start-up (benchmarks/startup.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from core.model import Finding, Value
    from core.store import ReportStore
    from core.store_read import ReportReader

# --- values --------------------------------------------------------------------------------


def parse_value(key: str, text: str) -> Value:
    """A value typed by the inspector, as the store keeps it (:mod:`core.correction_values`):
    "" / "空" → blank, "/" "—" "无" stay as the mark, counts are non-negative integers,
    amounts (``*.amount``) yuan as a float ("17.27万元" → 172700.0). Anything else raises
    InvalidValue with the reason in Chinese."""
    from core.correction_values import parse_correction

    t = text.strip()
    if t.lower() in ("null", "none", "blank"):
        return None
    return parse_correction(key, t)


def show_value(v: Value) -> str:
    if v is None:
        return "（空白）"
    if isinstance(v, float) and v.is_integer():
        return f"{v:.1f}"
    return str(v)


# --- plain-text tables ---------------------------------------------------------------------


# Terminal columns of a value, cached: a list of 2,000 reports repeats its values.
_width = cache(display_width)


def format_table(headers: list[str], rows: list[list[Any]]) -> str:
    """Columns aligned for a terminal, counting CJK characters as two columns.

    Column by column, the loops in C where it can (``map``, ``str.ljust``): ``list`` of
    2,000 reports is 18,000 cells, formatted in ~6 ms."""
    padded, rules = [], []
    columns = zip(*rows, strict=True) if rows else [()] * len(headers)
    for head, col in zip(headers, columns, strict=True):
        values = list(map(str, col)) if None not in col else \
            ["" if v is None else str(v) for v in col]
        head_width = _width(head)
        if "".join(values).isascii():  # IDs, years, counts, most file names
            w = max(head_width, *map(len, values)) if values else head_width
            cells = list(map(str.ljust, values, repeat(w)))
        else:
            widths = list(map(_width, values))
            w = max(head_width, *widths)
            cells = [s + " " * (w - n) for s, n in zip(values, widths, strict=True)]
        padded.append([head + " " * (w - head_width), *cells])
        rules.append("-" * w)
    lines = list(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))
    lines.insert(1, "  ".join(rules))
    return "\n".join(lines) + "\n"


@cache
def kind_names() -> dict[str, str]:
    """A cell's kind as ``show`` names it (core.model is loaded by ``show`` anyway)."""
    from core.model import BLANK, MISSING, NA, NUMBER, TEXT, ZERO

    return {NUMBER: "数字", ZERO: "零", BLANK: "空白", NA: "不适用（/）", TEXT: "文字",
            MISSING: "未找到"}


def _finding_line(f: Finding, verdict: str | None = None, reason: str | None = None) -> str:
    """[错误] 表三 勾稽关系：… (编号 ab12…) [已排除：理由] — the 编号 is what ``verdict`` takes."""
    from core.rule_names import rule_name

    status = "" if f.status == "fail" else f"（{FINDING_STATUS_NAMES.get(f.status, f.status)}）"
    tail = ""
    if verdict in VERDICT_STATES:
        tail = f"  [{VERDICT_STATES[verdict]}" + (f"：{reason}" if reason else "") + "]"
    return (f"[{severity_name(f.severity)}{status}] {rule_name(f.rule)}：{f.message}"
            f"（编号 {f.fingerprint}）{tail}")


# --- subcommands ---------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, write: bool) -> ReportStore:
    """The store for writing, or for reading only: a read-only connection of plain
    sqlite3, so that ``list``, ``show`` … never load sqlite-utils (and with it numpy),
    never create a database, and never take a lock (see :func:`core.store.open_store`)."""
    from core.store import open_store

    return open_store(resolve_db_path(args.db), readonly=not write, upgrade=True,
                      create=write)


def _read(args: argparse.Namespace) -> ReportReader:
    """The database for a command that only reads a report's row, the list, the search
    or the history: what :func:`_open` refuses, refused alike, without the store."""
    from core.store_read import open_reader

    return open_reader(resolve_db_path(args.db), upgrade=True)


def cmd_import(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.filenames import display_name
    from core.pipeline import iter_import

    store = _open(args, write=True)
    counts = {"imported": 0, "present": 0, "failed": 0}
    tty = err.isatty()
    try:
        for ev in iter_import(store, args.paths, jobs=args.jobs):
            counts[ev.outcome] += 1
            name = display_name(ev.path.name)
            if ev.outcome == "failed":
                why = ev.reason_zh or ev.reason
                print(f"[{ev.index}/{ev.total}] {name} ✗ {why}" if tty
                      else f"失败：{display_name(ev.path)}：{why}", file=err)
            elif tty:
                mark = "✓" if ev.outcome == "imported" else "= 已在库中"
                rev = f"（第 {ev.revision} 版）" if (ev.revision or 1) > 1 else ""
                print(f"[{ev.index}/{ev.total}] {name} {mark} #{ev.report_id}{rev}", file=err)
    finally:
        store.close()
        # Also when the import stops half-way (a store error, Ctrl+C): what got in is kept
        # and said.
        print(f"导入完成：新增 {counts['imported']} 份，已在库中 {counts['present']} 份，"
              f"失败 {counts['failed']} 份", file=out)
    return 1 if counts["failed"] else 0


def cmd_list(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _read(args) as reader:
        rows = reader.list_table(
            ("id", "agency", "year", "format", "revision", "status", "n_errors", "n_warnings",
             "file_name"),
            agency=args.agency, year=args.year, status=args.status,
            has_errors=True if args.has_errors else None)
    if not rows:
        print("没有报告", file=out)
        return 0
    out.write(format_table(
        ["ID", "机关", "年度", "格式", "版本", "状态", "错误", "提示", "文件"],
        [[rid, agency or "?", year or "?", fmt or "?", *rest]
         for rid, agency, year, fmt, *rest in rows]))
    return 0


def cmd_show(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.template import cell_name

    with _open(args, write=False) as store:
        r = store.get_report(args.id)
        cells = store.cells(args.id)
        findings = store.findings(args.id)
        store_conclusion = store.proposed_conclusion(args.id)
    fmt = r["format"]
    out.write(f"#{r['id']} {r['file_name']}（{r['kind']}，第 {r['revision']} 版）\n"
              f"机关：{r['agency'] or '?'}  年度：{r['year'] or '?'}  格式：{r['format'] or '?'}"
              f"  发布：{r['published'] or '?'}\n"
              f"状态：{r['status']}  审查人：{r['reviewer'] or '-'}  导入：{r['imported_at']}\n")
    conclusion = r.get("conclusion") or store_conclusion
    how = ("（按检查结果建议）" if not r.get("conclusion")
           else "（审查人确认）" if r["conclusion"] == store_conclusion else "（审查人改定）")
    out.write(f"审查结论：{conclusion}{how}\n")
    if r.get("note"):
        out.write(f"审查意见：{r['note']}\n")
    out.write("\n")
    keys = ["单元格键"] if getattr(args, "keys", False) else []
    out.write(format_table(
        [*keys, "单元格", "值", "原文", "说明"],
        [[*([c.key] if keys else []), cell_name(c.key, fmt), show_value(c.value), c.raw,
          f"更正，原为 {show_value(c.extracted)}" if c.corrected
          else _how_read(c)] for c in cells]))
    out.write(f"\n审查发现 {len(findings)} 项\n")
    for sf in findings:
        out.write(_finding_line(sf.finding, sf.verdict, sf.reason) + "\n")
    return 0


def _how_read(c) -> str:
    """The cell's kind, and how it was read when that is worth saying: which PDF reader,
    both readings where the two readers disagree, why the confidence is lowered."""
    text = kind_names().get(c.kind, c.kind)
    reader = c.detail.get("reader")
    if reader:
        text += "，第二读法（pdfplumber）" if reader == "second" else "，第一读法"
    readings = c.detail.get("readings") or {}
    if readings:
        text += (f"；两种读法：第一「{readings.get('first') or '空白'}」，"
                 f"第二「{readings.get('second') or '空白'}」")
    elif c.detail.get("note"):
        text += f"；{c.detail['note']}"
    return text


def cmd_correct(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.template import cell_key

    with _open(args, write=True) as store:
        fmt = store.get_report(args.id)["format"]
        key = cell_key(args.cell, fmt)
        if key is None:
            print(f"错误：没有名为 {args.cell} 的单元格（show --keys 列出每个单元格的名称和键）",
                  file=err)
            return 2
        value = parse_value(key, args.value)
        res = store.correct(args.id, key, value, reviewer=args.reviewer, reason=args.reason)
    return _print_correction(res, out, fmt)


def cmd_undo(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=True) as store:
        res = store.undo(args.id, correction_id=args.correction, reviewer=args.reviewer)
    if res is None:
        print(f"报告 {args.id}：没有可撤销的更正", file=out)
        return 0
    return _print_correction(res, out)


def _print_correction(res: Any, out: io.TextIOBase, fmt: str | None = None) -> int:
    from core.template import cell_name

    name = cell_name(res.key, fmt)
    if res.correction_id is None:
        print(f"{name} 已是 {show_value(res.after)}，未记录更正", file=out)
        return 0
    print(f"#{res.correction_id} {name}：{show_value(res.before)} → {show_value(res.after)}",
          file=out)
    if not (res.added or res.removed or res.changed):
        print("审查发现没有变化", file=out)
    for f in res.removed:
        print("- " + _finding_line(f), file=out)
    for f in res.added:
        print("+ " + _finding_line(f), file=out)
    for _, f in res.changed:
        print("~ " + _finding_line(f), file=out)
    return 0


def cmd_history(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.template import cell_name

    with _read(args) as reader:
        rows = reader.history(args.id)
    if not rows:
        print(f"报告 {args.id}：没有更正记录", file=out)
        return 0
    out.write(format_table(
        ["#", "时间", "单元格", "原值", "新值", "审查人", "理由", ""],
        [[h["id"], h["at"], cell_name(h["key"]), show_value(h["before"]),
          show_value(h["after"]), h["reviewer"] or "", h["reason"] or "",
          f"已撤销（#{h['undone_by']}）" if h["undone_by"] else ""] for h in rows]))
    return 0


def cmd_search(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _read(args) as reader:
        hits = reader.search(args.query, limit=args.limit)
    if not hits:
        print("没有找到", file=out)
        return 1
    for h in hits:
        print(f"#{h.report_id} {h.agency or '?'} {h.year or '?'} {h.file_name}: {h.snippet}",
              file=out)
    return 0


def cmd_status(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=True) as store:
        row = store.get_report(args.id)
        if args.status == REVIEWED and row["n_errors"]:
            unreviewed = sum(1 for sf in store.findings(args.id) if sf.verdict is None
                             and sf.finding.severity == "error")
            if unreviewed and not args.yes and sys.stdin.isatty():
                answer = input(f"报告 {args.id} 尚有 {unreviewed} 项错误未确认或排除，"
                               "仍标记为已审？[y/N] ")
                if answer.strip().lower() not in ("y", "yes", "是"):
                    print(f"#{args.id}：未标记为已审", file=out)
                    return 1
            elif unreviewed:
                print(f"注意：报告 {args.id} 尚有 {unreviewed} 项错误未确认或排除，"
                      "仍标记为已审。", file=err)
        if args.note is not None:
            store.set_note(args.id, args.note, reviewer=args.reviewer or row["reviewer"])
        if args.conclusion is not None:
            conclusion = None if args.conclusion == "建议" else args.conclusion
            store.set_conclusion(args.id, conclusion, reason=args.reason,
                                 reviewer=args.reviewer or row["reviewer"])
        store.set_status(args.id, args.status, reviewer=args.reviewer)
        row = store.get_report(args.id)
        proposed = store.proposed_conclusion(args.id)
    conclusion = row["conclusion"] or proposed
    how = "（审查人改定）" if row["conclusion"] and row["conclusion"] != proposed else "（建议）"
    print(f"#{args.id}：{args.status}，审查结论：{conclusion}{how}", file=out)
    return 0


def cmd_verdict(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    verdict = None if args.verdict == "clear" else verdict_key(args.verdict)
    with _open(args, write=True) as store:
        store.set_verdict(args.id, args.fingerprint, verdict, reason=args.reason,
                          reviewer=args.reviewer)
    print(f"#{args.id} {args.fingerprint}：{VERDICT_STATES.get(verdict or '', '已撤销意见')}",
          file=out)
    return 0


# --- export --------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    """Written report by report (:mod:`core.export`): memory stays flat as the database
    grows."""
    from pathlib import Path

    from core import export

    with _open(args, write=False) as store:
        if args.json or args.jsonl:
            target = Path(args.json or args.jsonl)
            with target.open("w", encoding="utf-8") as fh:
                n = export.write_json(store, fh, lines=bool(args.jsonl))
            print(f"已导出 {n} 份报告 → {target}", file=out)
            return 0
        if args.csv:
            n, m, _ = export.write_csv(store, Path(args.csv))
            print(f"已导出 {n} 份报告、{m} 项审查发现 → {args.csv}", file=out)
            return 0
        try:
            import openpyxl  # noqa: F401 - only to say clearly that it is missing
        except ImportError:
            print("错误：导出 --xlsx 需要 openpyxl 软件包（pip install openpyxl）", file=err)
            return 2
        n, m = export.write_xlsx(store, Path(args.xlsx))
    print(f"已导出 {n} 份报告、{m} 项审查发现 → {args.xlsx}", file=out)
    return 0


# --- wiring --------------------------------------------------------------------------------






def register(subparsers: Any) -> None:
    """Add the database subcommands to ``cli.main``'s parser (see :mod:`cli.commands`)."""
    db = db_option()

    def add(name: str, func: Any) -> argparse.ArgumentParser:
        p = add_command(subparsers, name, parents=[db])
        p.set_defaults(func=reporting_errors(func))
        return p

    p = add("import", cmd_import)
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或文件夹（含子文件夹）")
    p.add_argument("--jobs", type=int, default=1,
                   help="同时读取报告的进程数（写入数据库始终由一个进程进行）")
    p = add("list", cmd_list)
    p.add_argument("--agency", help="机关名称（可只写一部分）")
    p.add_argument("--year", type=int, help="报告年度")
    p.add_argument("--status", choices=REVIEW_STATUSES, help="只列出此审查状态的报告")
    p.add_argument("--has-errors", action="store_true", help="只列出有错误的报告")
    p = add("show", cmd_show)
    p.add_argument("id", type=int, help="报告编号（见 list）")
    p.add_argument("--keys", action="store_true",
                   help="另列出各单元格的键（correct 除表中名称外也接受键）")
    p = add("correct", cmd_correct)
    p.add_argument("id", type=int, help="报告编号（见 list）")
    p.add_argument("cell", help="单元格：show 显示的名称，例如 "
                                "表三「一、本年新收·总计」，或其键（见 show --keys）")
    p.add_argument("value", help='正确的值：数字、"/"，或 "" 表示空白')
    p.add_argument("--reason", help="更正理由，例如原文页码")
    p.add_argument("--reviewer", help="审查人姓名")
    p = add("undo", cmd_undo)
    p.add_argument("id", type=int, help="报告编号（见 list）")
    p.add_argument("--correction", type=int, metavar="N",
                   help="撤销第 N 号更正（编号见 history）；该单元格此后又被更正时不予撤销")
    p.add_argument("--reviewer", help="审查人姓名")
    p = add("history", cmd_history)
    p.add_argument("id", type=int, help="报告编号（见 list）")
    p = add("search", cmd_search)
    p.add_argument("query", help="要查找的机关名称、文字或数字")
    p.add_argument("--limit", type=int, default=50, help="最多列出的报告数（默认：50）")
    p = add("status", cmd_status)
    p.add_argument("id", type=int, help="报告编号（见 list）")
    p.add_argument("status", choices=REVIEW_STATUSES, help="审查状态")
    p.add_argument("--reviewer", help="审查人姓名")
    p.add_argument("--note", help='审查意见，印在审查表上（"" 表示清除）')
    p.add_argument("--conclusion", choices=[*CONCLUSIONS, "建议"],
                   help="审查结论；建议：撤回审查人改定的结论，恢复按检查结果建议的结论")
    p.add_argument("--reason", help="审查结论与建议结论不同的理由")
    p.add_argument("--yes", action="store_true",
                   help="不询问，直接标记为已审（即使仍有错误未确认或排除）")
    p = add("verdict", cmd_verdict)
    p.add_argument("id", type=int, help="报告编号（见 list）")
    p.add_argument("fingerprint", help="审查发现的编号（见 show）")
    p.add_argument("verdict", choices=[*VERDICTS, *VERDICT_ACTIONS.values(), "clear"],
                   help="确认或排除；clear 撤回已作的确认或排除")
    p.add_argument("--reason", help="理由（排除时必填）")
    p.add_argument("--reviewer", help="审查人姓名")
    p = add("export", cmd_export)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--xlsx", metavar="FILE",
                   help="Excel 工作簿：报告、问题两张工作表，及每张表格每种格式各一张")
    g.add_argument("--csv", metavar="DIR",
                   help="在文件夹 DIR 中写入 报告.csv、问题.csv，及每张表格每种格式各一个文件")
    g.add_argument("--json", metavar="FILE", help="JSON 文件：全部报告（报告数据格式）组成的列表")
    g.add_argument("--jsonl", metavar="FILE",
                   help="JSON Lines 文件：每行一份报告（报告数据格式）")
