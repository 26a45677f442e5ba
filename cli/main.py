"""The command line: everything the GUI does, headless.

    python main.py extract FILE... [--format json|csv]
    python main.py check FILE...
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator

from core.contract import to_contract
from core.errors import ReportError
from core.filenames import display_name
from core.model import Report
from core.template import all_keys


def _each_report(paths: list[str], err: io.TextIOBase, jobs: int | None = None
                 ) -> Iterator[Report | None]:
    """Reports in the order given; None for a file that failed, with its reason on ``err``."""
    from core.pipeline import each_report

    for path, result in each_report(paths, jobs):
        if isinstance(result, ReportError):
            print(f"error: {display_name(path)}: {result}", file=err)
            yield None
        else:
            yield result


def cmd_extract(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    failed = 0
    rows: list[dict] = []
    from core.pipeline import expand_paths

    files = expand_paths(args.files)
    for report in _each_report([str(f) for f in files], err, args.jobs):
        if report is None:
            failed += 1
            continue
        doc = to_contract(report, details=args.details)
        if args.format == "json":
            if len(files) == 1:
                json.dump(doc, out, ensure_ascii=False, indent=1)
            else:
                json.dump(doc, out, ensure_ascii=False)
            out.write("\n")
        else:
            rows.append(doc)
    if args.format == "csv" and rows:
        keys = list(dict.fromkeys(all_keys("2019") + all_keys("2021")))
        extra = sorted({k for d in rows for k in d["cells"] if k not in keys})
        w = csv.writer(out)
        head = ["file", "agency", "year", "format", "published", "errors", "warnings"]
        w.writerow(head + keys + extra)
        for d in rows:
            r = d["report"]
            errors = sum(f["severity"] == "error" for f in d["findings"])
            warnings = len(d["findings"]) - errors
            w.writerow([d["source"]["file"], r["agency"], r["year"], r["format"], r["published"],
                        errors, warnings] + ["" if d["cells"].get(k) is None else d["cells"][k]
                                             for k in keys + extra])
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.report_text import format_findings

    color = args.color == "always" or (args.color == "auto" and out.isatty())
    failed = 0
    any_error = False
    for report in _each_report(args.files, err, args.jobs):
        if report is None:
            failed += 1
            continue
        out.write(format_findings(report, color=color))
        any_error |= any(f.severity == "error" and f.status == "fail" for f in report.findings)
    if failed:
        return 2
    return 1 if any_error else 0


READ_ONLY_COMMANDS = ("extract", "check")


def build_parser(with_store: bool = True) -> argparse.ArgumentParser:
    """The argument parser; ``with_store=False`` leaves out the database subcommands,
    whose imports (sqlite-utils pulls in numpy) cost a quarter of a second."""
    p = argparse.ArgumentParser(
        prog="main.py",
        description="年报审查台: read and check 政府信息公开工作年度报告 (annual reports). "
                    "Without arguments, main.py starts the desktop program.")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print each report as the report JSON contract")
    e.add_argument("files", nargs="+", help="report files or folders (PDF, DOCX, DOC, HTML, TXT)")
    e.add_argument("--format", choices=["json", "csv"], default="json",
                   help="json: one document per file (JSON Lines for several); csv: one row each")
    e.add_argument("--no-details", dest="details", action="store_false",
                   help="leave out per-cell source locations, raw text and confidence")
    e.add_argument("--jobs", type=int, default=None,
                   help="worker processes for several files (default: both cores)")
    e.set_defaults(func=cmd_extract)
    c = sub.add_parser("check", help="print what is wrong with each report; exit 1 on errors")
    c.add_argument("files", nargs="+", help="report files or folders")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    c.add_argument("--jobs", type=int, default=None, help="worker processes (default: 2)")
    c.set_defaults(func=cmd_check)
    if with_store:
        from cli import store_commands  # the review database's subcommands: import, list …

        store_commands.register(sub)
        from cli import checklist_commands  # checklist PDF, batch overview (Qt only when run)

        checklist_commands.register(sub)
        from cli import office_commands  # register of agencies, notices, circular, combine

        office_commands.register(sub)
    g = sub.add_parser(
        "gui", help="open the window with FILES imported; with --screenshot PNG: import them "
                    "into a temporary database, save a picture of the window and exit")
    g.add_argument("files", nargs="*", help="report files or folders to import")
    g.add_argument("--screenshot", metavar="PNG",
                   help="render the window offscreen, save it as PNG and exit")
    g.add_argument("--view", choices=("review", "charts", "overview"), default="review",
                   help="with --screenshot: the tab to show (default: review)")
    g.add_argument("--db", metavar="PATH",
                   help="review database for the window (default: the one chosen in the "
                        "window, else the user's data folder)")
    g.set_defaults(func=cmd_gui)
    return p


def cmd_gui(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    """``gui`` belongs to the window: main.py hands it to :mod:`gui` before this runs."""
    print("error: the gui subcommand runs through main.py (python main.py gui …)", file=err)
    return 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; read-only commands skip the database subcommands' imports."""
    fast = bool(argv) and argv[0] in READ_ONLY_COMMANDS
    return build_parser(with_store=not fast).parse_args(argv)


def run(args: argparse.Namespace, out: io.TextIOBase | None = None,
        err: io.TextIOBase | None = None) -> int:
    out = out or sys.stdout  # type: ignore[assignment]
    err = err or sys.stderr  # type: ignore[assignment]
    try:
        return args.func(args, out, err)
    except BrokenPipeError:
        return 0


def main(argv: list[str] | None = None, out: io.TextIOBase | None = None,
         err: io.TextIOBase | None = None) -> int:
    return run(parse_args(sys.argv[1:] if argv is None else argv), out, err)
