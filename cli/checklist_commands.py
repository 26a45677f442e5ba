"""The checklist PDF and the batch overview on the command line.

    python main.py checklist ID|FILE... --pdf OUT.pdf [--summary] [--db DB]
    python main.py overview [--units FILE] [--year N] [--db DB]

``checklist`` writes one compliance checklist (审查表) per report into one PDF, or with
``--summary`` the batch summary (one row per report, one column per check, with the
charts). IDs are reports in the database (``--db``, else the default one); FILEs are
imported first, into ``--db`` when given, else into a temporary database that is thrown
away afterwards. The PDF is made with Qt (``gui.printing``), imported only when the
command runs: ``core`` stays free of Qt.

``overview`` prints which units reported for which year: 未报送 / 逾期 / 有错误 / 正常,
against the units list of ``--units`` (xlsx or csv) or the agencies seen in the database.
"""

from __future__ import annotations

import argparse
import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from core.errors import ReportError
from core.filenames import display_name
from core.paths import resolve_db_path
from core.pipeline import expand_paths, iter_import
from core.store import ReportStore, open_store


def _targets(items: list[str]) -> tuple[list[int], list[str], list[str]]:
    """(report ids, file or folder paths, arguments that are neither)."""
    ids, files, bad = [], [], []
    for item in items:
        if Path(item).exists():
            files.append(item)
        elif item.isdigit():
            ids.append(int(item))
        else:
            bad.append(item)
    return ids, files, bad


def _import(store: ReportStore, files: list[str], err: io.TextIOBase) -> tuple[list[int], int]:
    """Import the files; (their report ids in order, number that failed)."""
    ids: list[int] = []
    failed = 0
    for ev in iter_import(store, files):
        if ev.outcome == "failed":
            failed += 1
            print(f"error: {display_name(ev.path)}: {ev.reason}", file=err)
        elif ev.report_id is not None and ev.report_id not in ids:
            ids.append(ev.report_id)
    return ids, failed


def cmd_checklist(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    ids, files, bad = _targets(args.items)
    for item in bad:
        print(f"error: {item}: no such file, and not a report number", file=err)
    if bad:
        return 2
    if ids and files and not args.db:
        print("error: report numbers and files together need --db (the files are imported "
              "into that database, where the numbers are looked up)", file=err)
        return 2
    review_date = date.fromisoformat(args.date) if args.date else None
    tmp = None
    if files and not args.db:
        tmp = tempfile.TemporaryDirectory(prefix="nianbao-checklist-")
        db_path = Path(tmp.name) / "reviews.sqlite"
    else:
        db_path = resolve_db_path(args.db)
    failed = 0
    try:
        store = open_store(db_path, readonly=False if files else None, create=bool(files))
        try:
            for rid in ids:
                store.get_report(rid)  # NotFound, with its message, before any work
            if files:
                imported, failed = _import(store, [str(p) for p in expand_paths(files)], err)
                ids += [i for i in imported if i not in ids]
            if not ids:
                print("error: no report to put in the checklist", file=err)
                return 2
            try:
                from gui.printing import export_checklists  # noqa: TID251 (moves to render/)
            except ImportError as e:
                print(f"error: making the PDF needs PySide6 ({e})", file=err)
                return 2
            pages = export_checklists(store, ids, args.pdf, summary=args.summary,
                                      reviewer=args.reviewer, review_date=review_date,
                                      charts=not args.no_charts)
        finally:
            store.close()
    finally:
        if tmp is not None:
            tmp.cleanup()
    what = "summary of" if args.summary else "checklists of"
    print(f"{what} {len(ids)} report(s) → {args.pdf} ({pages} pages)", file=out)
    return 1 if failed else 0


def cmd_overview(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.overview import format_overview, load_units, overview_from_store

    units = load_units(args.units) if args.units else None
    years = [args.year] if args.year is not None else None
    with open_store(resolve_db_path(args.db), readonly=None, create=False) as store:
        ov = overview_from_store(store, units, years)
    if not ov.years:
        print("no reports in the database" if years is None else "no year to show", file=out)
        return 0
    out.write(format_overview(ov))
    return 0


def register(subparsers: Any) -> None:
    """Add ``checklist`` and ``overview`` to ``cli.main``'s parser."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="PATH",
                    help="review database file (default: in the user's data folder, "
                         "or $NIANBAO_DATA_DIR)")
    p = subparsers.add_parser(
        "checklist", parents=[db],
        help="write the compliance checklist (审查表) of reports, or their summary, as PDF")
    p.add_argument("items", nargs="+", metavar="ID|FILE",
                   help="report numbers in the database, or report files/folders to import")
    p.add_argument("--pdf", required=True, metavar="OUT.pdf", help="the PDF to write")
    p.add_argument("--summary", action="store_true",
                   help="one summary table (a row per report, a column per check) with charts")
    p.add_argument("--reviewer", help="审查人 printed on the checklist (default: the one "
                                      "recorded for the report)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="审查日期 (default: today)")
    p.add_argument("--no-charts", action="store_true", help="leave the charts out of --summary")
    p.set_defaults(func=_run(cmd_checklist))
    p = subparsers.add_parser(
        "overview", parents=[db],
        help="which units reported for which year: 未报送 / 逾期 / 有错误 / 正常")
    p.add_argument("--units", metavar="FILE",
                   help="the units that must report (.xlsx or .csv: name, optional level, "
                        "region); default: the agencies seen in the database")
    p.add_argument("--year", type=int, help="only this year")
    p.set_defaults(func=_run(cmd_overview))


def _run(func: Any) -> Any:
    """Store errors (locked, not found …), a bad units list or date, an unwritable PDF:
    one clear line and exit code 2."""

    def run(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
        try:
            return func(args, out, err)
        except (ReportError, ValueError) as e:
            print(f"error: {e}", file=err)
            return 2
        except OSError as e:
            print(f"error: {getattr(args, 'pdf', '')}: cannot write ({e})", file=err)
            return 2

    return run
