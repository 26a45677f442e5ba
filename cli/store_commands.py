"""The review database on the command line: import, list, show, correct, undo, history, export.

    python main.py import PATH... [--db DB] [--jobs N]
    python main.py list [--agency TEXT] [--year N] [--status 未审|审查中|已审] [--has-errors]
    python main.py show ID
    python main.py correct ID CELL VALUE [--reason TEXT] [--reviewer NAME]
    python main.py undo ID
    python main.py history ID
    python main.py search QUERY
    python main.py status ID 未审|审查中|已审 [--reviewer NAME] [--note TEXT]
    python main.py verdict ID FINGERPRINT confirmed|dismissed|clear [--reason TEXT]
    python main.py export [--xlsx FILE | --csv DIR | --json FILE]

Every subcommand takes ``--db PATH`` (default: the user's data folder, see
:mod:`core.paths`). The import itself is :func:`core.pipeline.iter_import`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from core.contract import to_contract
from core.correction_values import parse_correction
from core.errors import ReportError, zh_message
from core.filenames import display_name
from core.model import Finding, Value
from core.paths import resolve_db_path
from core.pipeline import iter_import
from core.store import STATUSES, VERDICTS, ReportStore, open_store
from core.template import all_keys, get_format
from core.vocabulary import CONCLUSIONS, REVIEWED, VERDICT_ACTIONS, verdict_key

# --- values --------------------------------------------------------------------------------


def parse_value(key: str, text: str) -> Value:
    """A value typed by the inspector, as the store keeps it (:mod:`core.correction_values`):
    "" / "空" → blank, "/" "—" "无" stay as the mark, counts are non-negative integers,
    amounts (``*.amount``) yuan as a float ("17.27万元" → 172700.0). Anything else raises
    InvalidValue with the reason in Chinese."""
    t = text.strip()
    if t.lower() in ("null", "none", "blank"):
        return None
    return parse_correction(key, t)


def show_value(v: Value) -> str:
    if v is None:
        return "(空)"
    if isinstance(v, float) and v.is_integer():
        return f"{v:.1f}"
    return str(v)


# --- plain-text tables ---------------------------------------------------------------------


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


def format_table(headers: list[str], rows: list[list[Any]]) -> str:
    """Columns aligned for a terminal, counting CJK characters as two columns."""
    cells = [[("" if v is None else str(v)) for v in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    return "\n".join(lines) + "\n"


def _finding_line(f: Finding, verdict: str | None = None, reason: str | None = None) -> str:
    status = "" if f.status == "fail" else f" ({f.status})"
    tail = ""
    if verdict == "confirmed":
        tail = "  [已确认]"
    elif verdict == "dismissed":
        tail = f"  [已排除: {reason}]"
    return f"[{f.severity}{status}] {f.rule} {f.fingerprint}: {f.message}{tail}"


# --- subcommands ---------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, write: bool) -> ReportStore:
    # A command that only reads never creates the database (nor its folders).
    return open_store(resolve_db_path(args.db), readonly=False if write else None,
                      create=write)


def cmd_import(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    store = _open(args, write=True)
    counts = {"imported": 0, "present": 0, "failed": 0}
    tty = err.isatty()
    try:
        for ev in iter_import(store, args.paths, jobs=args.jobs):
            counts[ev.outcome] += 1
            name = display_name(ev.path.name)
            if ev.outcome == "failed":
                print(f"[{ev.index}/{ev.total}] {name} ✗ {ev.reason}" if tty
                      else f"failed: {display_name(ev.path)}: {ev.reason}", file=err)
            elif tty:
                mark = "✓" if ev.outcome == "imported" else "= already stored"
                rev = f" (revision {ev.revision})" if (ev.revision or 1) > 1 else ""
                print(f"[{ev.index}/{ev.total}] {name} {mark} #{ev.report_id}{rev}", file=err)
    finally:
        store.close()
        # Also when the import stops half-way (a store error, Ctrl+C): what got in is kept
        # and said.
        print(f"imported {counts['imported']}, already stored {counts['present']}, "
              f"failed {counts['failed']}", file=out)
    return 1 if counts["failed"] else 0


def cmd_list(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=False) as store:
        rows = store.list_reports(agency=args.agency, year=args.year, status=args.status,
                                  has_errors=True if args.has_errors else None)
    if not rows:
        print("no reports", file=out)
        return 0
    out.write(format_table(
        ["ID", "机关", "年度", "格式", "版本", "状态", "错误", "警告", "文件"],
        [[r["id"], r["agency"] or "?", r["year"] or "?", r["format"] or "?", r["revision"],
          r["status"], r["n_errors"], r["n_warnings"], r["file_name"]] for r in rows]))
    return 0


def cmd_show(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=False) as store:
        r = store.get_report(args.id)
        cells = store.cells(args.id)
        findings = store.findings(args.id)
    fmt = get_format(r["format"]) if r["format"] in ("2019", "2021") else None
    out.write(f"#{r['id']} {r['file_name']} ({r['kind']}, revision {r['revision']})\n"
              f"机关: {r['agency'] or '?'}  年度: {r['year'] or '?'}  格式: {r['format'] or '?'}"
              f"  发布: {r['published'] or '?'}\n"
              f"状态: {r['status']}  审查人: {r['reviewer'] or '-'}  导入: {r['imported_at']}\n")
    if r.get("note"):
        out.write(f"备注: {r['note']}\n")
    out.write("\n")
    out.write(format_table(
        ["单元格", "名称", "值", "原文", "说明"],
        [[c.key, fmt.label(c.key) if fmt else "", show_value(c.value), c.raw,
          f"更正,原为 {show_value(c.extracted)}" if c.corrected else c.kind] for c in cells]))
    out.write(f"\n{len(findings)} findings\n")
    for sf in findings:
        out.write(_finding_line(sf.finding, sf.verdict, sf.reason) + "\n")
    return 0


def cmd_correct(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    value = parse_value(args.cell, args.value)
    with _open(args, write=True) as store:
        res = store.correct(args.id, args.cell, value, reviewer=args.reviewer, reason=args.reason)
    return _print_correction(res, out)


def cmd_undo(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=True) as store:
        res = store.undo(args.id, reviewer=args.reviewer)
    if res is None:
        print(f"report {args.id}: nothing to undo", file=out)
        return 0
    return _print_correction(res, out)


def _print_correction(res: Any, out: io.TextIOBase) -> int:
    if res.correction_id is None:
        print(f"{res.key} is already {show_value(res.after)}: nothing recorded", file=out)
        return 0
    print(f"#{res.correction_id} {res.key}: {show_value(res.before)} → {show_value(res.after)}",
          file=out)
    if not (res.added or res.removed or res.changed):
        print("findings unchanged", file=out)
    for f in res.removed:
        print("- " + _finding_line(f), file=out)
    for f in res.added:
        print("+ " + _finding_line(f), file=out)
    for _, f in res.changed:
        print("~ " + _finding_line(f), file=out)
    return 0


def cmd_history(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=False) as store:
        rows = store.history(args.id)
    if not rows:
        print(f"report {args.id}: no corrections", file=out)
        return 0
    out.write(format_table(
        ["#", "时间", "单元格", "原值", "新值", "审查人", "理由", ""],
        [[h["id"], h["at"], h["key"], show_value(h["before"]), show_value(h["after"]),
          h["reviewer"] or "", h["reason"] or "",
          f"已撤销 (#{h['undone_by']})" if h["undone_by"] else ""] for h in rows]))
    return 0


def cmd_search(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=False) as store:
        hits = store.search(args.query, limit=args.limit)
    if not hits:
        print("no match", file=out)
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
    print(f"#{args.id} {args.fingerprint}: {args.verdict}", file=out)
    return 0


# --- export --------------------------------------------------------------------------------

REPORT_COLUMNS = ["id", "file_name", "kind", "agency", "year", "format", "published",
                  "revision", "status", "reviewer", "n_errors", "n_warnings"]
FINDING_COLUMNS = ["report_id", "file_name", "agency", "year", "rule", "severity", "status",
                   "cells", "message", "fingerprint", "verdict", "verdict_reason"]


def export_tables(store: ReportStore) -> tuple[list[str], list[list[Any]], list[list[Any]]]:
    """(header, report rows, finding rows): one row per report, one column per cell key."""
    reports = list(reversed(store.list_reports()))
    values = store.effective_values_all()
    keys = list(dict.fromkeys(all_keys("2019") + all_keys("2021")))
    known = set(keys)
    keys += sorted({k for v in values.values() for k in v if k not in known})
    header = REPORT_COLUMNS + keys
    rows = [[r.get(c) for c in REPORT_COLUMNS] + [values.get(r["id"], {}).get(k) for k in keys]
            for r in reports]
    findings = [[f[c] if c != "cells" else ", ".join(json.loads(f[c])) for c in FINDING_COLUMNS]
                for f in store.all_findings()]
    return header, rows, findings


def cmd_export(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    with _open(args, write=False) as store:
        if args.json:
            docs = []
            for r in reversed(store.list_reports()):
                rep = store.effective_report(r["id"])
                doc = to_contract(rep, details=False)
                verdicts = {sf.finding.fingerprint: sf for sf in store.findings(r["id"])}
                for f in doc["findings"]:
                    sf = verdicts.get(f.get("fingerprint"))
                    if sf is not None and sf.verdict:
                        f["verdict"], f["verdict_reason"] = sf.verdict, sf.reason
                doc["review"] = {k: r[k] for k in ("id", "revision", "status", "reviewer")}
                docs.append(doc)
            Path(args.json).write_text(json.dumps(docs, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
            print(f"{len(docs)} reports → {args.json}", file=out)
            return 0
        header, rows, findings = export_tables(store)
    if args.csv:
        folder = Path(args.csv)
        folder.mkdir(parents=True, exist_ok=True)
        # utf-8-sig: Excel opens a CSV with a BOM as UTF-8, otherwise it garbles Chinese.
        for name, head, body in (("reports.csv", header, rows),
                                 ("findings.csv", FINDING_COLUMNS, findings)):
            with (folder / name).open("w", newline="", encoding="utf-8-sig") as fh:
                w = csv.writer(fh)
                w.writerow(head)
                w.writerows(body)
        print(f"{len(rows)} reports, {len(findings)} findings → {folder}", file=out)
        return 0
    try:
        from openpyxl import Workbook
    except ImportError:
        print("error: --xlsx needs the openpyxl package (pip install openpyxl)", file=err)
        return 2
    wb = Workbook(write_only=True)
    for title, head, body in (("reports", header, rows), ("findings", FINDING_COLUMNS,
                                                         findings)):
        ws = wb.create_sheet(title)
        ws.append(head)
        for row in body:
            ws.append(row)
    wb.save(args.xlsx)
    print(f"{len(rows)} reports, {len(findings)} findings → {args.xlsx}", file=out)
    return 0


# --- wiring --------------------------------------------------------------------------------


def _run(func: Any) -> Any:
    """Turn store errors (locked, read-only, too new, not found …) into one clear line."""

    def run(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
        try:
            return func(args, out, err)
        except ReportError as e:
            print(f"错误：{zh_message(e)}", file=err)
            return 2
        except ValueError as e:  # bad status / verdict / reason / value
            print(f"错误：{e}", file=err)
            return 2

    return run


def register(subparsers: Any) -> None:
    """Add the database subcommands to ``cli.main``'s parser."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="PATH",
                    help="review database file (default: in the user's data folder, "
                         "or $NIANBAO_DATA_DIR)")

    def add(name: str, help_: str, func: Any) -> argparse.ArgumentParser:
        p = subparsers.add_parser(name, help=help_, parents=[db])
        p.set_defaults(func=_run(func))
        return p

    p = add("import", "import report files and folders into the review database", cmd_import)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    p.add_argument("--jobs", type=int, default=1,
                   help="parse in N worker processes (writing stays in one)")
    p = add("list", "list the reports in the review database", cmd_list)
    p.add_argument("--agency", help="part of the agency's name")
    p.add_argument("--year", type=int, help="the year covered")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--has-errors", action="store_true", help="only reports with errors")
    p = add("show", "show a stored report's cells and findings", cmd_show)
    p.add_argument("id", type=int)
    p = add("correct", "correct a cell's value (recorded, undoable); prints changed findings",
            cmd_correct)
    p.add_argument("id", type=int)
    p.add_argument("cell", help="cell key, e.g. t3.new.total")
    p.add_argument("value", help='the right value: a number, "/" or "" for blank')
    p.add_argument("--reason")
    p.add_argument("--reviewer")
    p = add("undo", "undo the report's last correction", cmd_undo)
    p.add_argument("id", type=int)
    p.add_argument("--reviewer")
    p = add("history", "list a report's corrections", cmd_history)
    p.add_argument("id", type=int)
    p = add("search", "find reports by agency, phrase or figure", cmd_search)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    p = add("status", "set a report's review status", cmd_status)
    p.add_argument("id", type=int)
    p.add_argument("status", choices=STATUSES)
    p.add_argument("--reviewer")
    p.add_argument("--note", help='审查意见, printed on the checklist ("" clears it)')
    p.add_argument("--conclusion", choices=[*CONCLUSIONS, "建议"],
                   help="审查结论; 建议 takes the inspector's back (the proposed one stands)")
    p.add_argument("--reason", help="why the conclusion differs from the proposed one")
    p.add_argument("--yes", action="store_true",
                   help="mark 已审 without asking, even with errors nobody confirmed or dismissed")
    p = add("verdict", "confirm or dismiss a finding (kept when the report is re-checked)",
            cmd_verdict)
    p.add_argument("id", type=int)
    p.add_argument("fingerprint")
    p.add_argument("verdict", choices=[*VERDICTS, *VERDICT_ACTIONS.values(), "clear"])
    p.add_argument("--reason", help="needed to dismiss")
    p.add_argument("--reviewer")
    p = add("export", "export effective values and findings of every report", cmd_export)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--xlsx", metavar="FILE", help="an Excel workbook: reports + findings sheets")
    g.add_argument("--csv", metavar="DIR", help="reports.csv and findings.csv in DIR")
    g.add_argument("--json", metavar="FILE", help="a JSON list of report contract documents")
