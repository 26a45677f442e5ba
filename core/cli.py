"""The command line: everything the GUI does, headless.

    python main.py extract FILE... [--format json|csv]
    python main.py check FILE...
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from core.contract import to_contract
from core.errors import ReportError
from core.model import Report
from core.template import all_keys

REPORT_SUFFIXES = {".pdf", ".docx", ".doc", ".html", ".htm", ".shtml", ".txt", ".mht", ".xhtml"}


def _expand(paths: list[str]) -> Iterator[Path]:
    """Files as given; folders walked recursively for files of report kinds."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file()
                              and f.suffix.lower() in REPORT_SUFFIXES)
        else:
            yield p


def analyse(path: Path, run_checks: bool = True) -> Report:
    """Read, extract and check one file."""
    from core.extract import extract_file
    from core.sandbox import page_done

    # In a sandbox worker each page read by OCR earns more time (page_done): a long scan
    # is slow, not stuck. Elsewhere page_done does nothing.
    report = extract_file(path, page_done)
    if run_checks:
        try:
            from core.checker import check
        except ImportError:  # the checker module is optional while it is being built
            return report
        report.findings = check(report)
    return report


def _each_report(paths: list[str], err: io.TextIOBase, jobs: int | None = None
                 ) -> Iterator[Report | None]:
    """Reports in the order given (None for a file that failed, with its reason on
    ``err``). Each file is read in a worker process with a time and a memory limit
    (:mod:`core.sandbox`), several files in ``jobs`` workers (default: both cores)."""
    from core.sandbox import SandboxPool

    files = list(_expand(paths))
    exists = [f.exists() for f in files]
    todo = [f for f, ok in zip(files, exists, strict=True) if ok]
    jobs = jobs or min(2, os.cpu_count() or 1)
    pool = SandboxPool(workers=min(jobs, len(todo))) if len(todo) > 1 else None
    # One file: run_isolated forks this process (5-30 ms) where a pool would start a
    # second interpreter that imports everything again (0.15-0.25 s).
    results = pool.map_outcomes(analyse, todo) if pool else ((f, _isolated(f)) for f in todo)
    complete = False
    try:
        for path, ok in zip(files, exists, strict=True):
            result = next(results)[1] if ok else ReportError("no such file")
            if isinstance(result, ReportError):
                msg = str(result)
                if msg.startswith(path.name + ": "):
                    msg = msg[len(path.name) + 2:]
                print(f"error: {path}: {msg}", file=err)
                yield None
            else:
                yield result
        complete = True
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=not complete)


def _isolated(path: Path) -> Report | ReportError:
    from core.sandbox import run_isolated

    try:
        return run_isolated(analyse, path)
    except ReportError as e:
        return e


def cmd_extract(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    failed = 0
    rows: list[dict] = []
    files = list(_expand(args.files))
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
        from core import cli_store  # the review database's subcommands: import, list, show …

        cli_store.register(sub)
        from core import cli_checklist  # checklist PDF, batch overview (Qt only when run)
        cli_checklist.register(sub)
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
    """The window, or its screenshot: the only command that needs Qt, loaded only here."""
    from gui.screenshot import cli as gui_cli

    return gui_cli(args.files, args.screenshot, args.view, args.db)


def main(argv: list[str] | None = None, out: io.TextIOBase | None = None,
         err: io.TextIOBase | None = None) -> int:
    out = out or sys.stdout  # type: ignore[assignment]
    err = err or sys.stderr  # type: ignore[assignment]
    argv = sys.argv[1:] if argv is None else argv
    fast = bool(argv) and argv[0] in READ_ONLY_COMMANDS
    args = build_parser(with_store=not fast).parse_args(argv)
    try:
        return args.func(args, out, err)
    except BrokenPipeError:
        return 0
