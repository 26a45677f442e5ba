"""The checklist PDF and the batch overview on the command line.

    python main.py checklist ID|FILE... --pdf OUT.pdf [--summary] [--db DB]
    python main.py checklist ID... --format json [--basis-profile 全国|四川|广东]
    python main.py settings [--office NAME] [--basis-profile P] [--unqualifying C05,C21]
    python main.py overview [--units FILE] [--year N] [--db DB]

``checklist`` writes one compliance checklist (审查表) per report into one PDF, or with
``--summary`` the batch summary (one row per report, one column per check, with the
charts). IDs are reports in the database (``--db``, else the default one); FILEs are
imported first, into ``--db`` when given, else into a temporary database that is thrown
away afterwards. The PDF is made by :mod:`render.papers` (Qt, no window), imported only
when the command runs: ``core`` stays free of Qt. ``--format json`` prints each report's
checklist as data instead.

``overview`` prints which units reported for which year: 未报送 / 逾期 / 有不通过项 / 正常,
against the units list of ``--units`` (xlsx or csv) or the agencies seen in the database.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from cli.commands import add_command, db_option, reporting_errors  # noqa: TID251 (cli)
from core.basis import DEFAULT_PROFILE, PROFILES, profile_key
from core.catalogue import CHECK_BY_ID
from core.checklist_paper import checklist_paper
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
            print(f"错误：{display_name(ev.path)}：{ev.reason}", file=err)
        elif ev.report_id is not None and ev.report_id not in ids:
            ids.append(ev.report_id)
    return ids, failed


def cmd_checklist(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    if args.format == "pdf" and not args.pdf:
        print("错误：请用 --pdf 指定要写入的 PDF 文件，或用 --format json 输出数据", file=err)
        return 2
    if args.basis_profile is not None:
        profile_key(args.basis_profile)  # ValueError with the choices, before any work
    ids, files, bad = _targets(args.items)
    for item in bad:
        print(f"错误：{item}：既不是文件，也不是报告编号", file=err)
    if bad:
        return 2
    if ids and files and not args.db:
        print("错误：同时给出报告编号和文件时须用 --db 指定审查数据库（文件导入该库，"
              "编号也在该库中查找）", file=err)
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
                print("错误：没有可列入审查表的报告", file=err)
                return 2
            sign = {"office": args.office, "reviewer": args.reviewer, "checker": args.checker,
                    "review_date": review_date}
            if args.format == "json":
                for rid in ids:
                    paper = checklist_paper(store, rid, profile=args.basis_profile, **sign)
                    json.dump(paper.to_json(), out, ensure_ascii=False,
                              indent=1 if len(ids) == 1 else None)
                    out.write("\n")
                return 1 if failed else 0
            try:
                from render.papers import export_papers
            except ImportError as e:
                print(f"错误：生成 PDF 需要 PySide6（{e}）", file=err)
                return 2
            pages = export_papers(store, ids, args.pdf, summary=args.summary,
                                  profile=args.basis_profile, charts=not args.no_charts,
                                  **sign)
        finally:
            store.close()
    finally:
        if tmp is not None:
            tmp.cleanup()
    what = "审查汇总表" if args.summary else "审查表"
    print(f"{what}：{len(ids)} 份报告 → {args.pdf}（共 {pages} 页）", file=out)
    return 1 if failed else 0


def cmd_settings(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    """Show or set the office's settings (name, basis profile, the lines that make 不合格)."""
    changes = {"office": args.office, "basis_profile": args.basis_profile,
               "unqualifying": args.unqualifying}
    if args.basis_profile:
        changes["basis_profile"] = profile_key(args.basis_profile)
    if args.unqualifying is not None:
        ids = [x for x in args.unqualifying.replace("，", ",").replace(" ", "").split(",") if x]
        unknown = [x for x in ids if x not in CHECK_BY_ID]
        if unknown:
            print(f"错误：没有检查项 {'、'.join(unknown)}（检查项为 C01 至 C30）", file=err)
            return 2
        changes["unqualifying"] = ",".join(ids) or "-"
    todo = {k: v for k, v in changes.items() if v is not None}
    with open_store(resolve_db_path(args.db), readonly=False if todo else None,
                    create=bool(todo)) as store:
        for key, value in todo.items():
            store.set_setting(key, value)
        settings = store.settings()
        lines = store.unqualifying_lines()
    print(f"审查机关：{settings.get('office') or '（未设置）'}", file=out)
    profile = settings.get("basis_profile", DEFAULT_PROFILE)
    print(f"依据范围：{PROFILES.get(profile, profile)}", file=out)
    print(f"判为不合格的检查项：{'、'.join(lines) or '（无）'}", file=out)
    return 0


def cmd_overview(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.overview import format_overview, load_units, overview_from_store
    from core.register import Register

    units = load_units(args.units) if args.units else None
    years = [args.year] if args.year is not None else None
    # Without a units list this only reads: it never creates the database.
    with open_store(resolve_db_path(args.db), readonly=None if units is None else False,
                    create=units is not None) as store:
        if units is not None:  # the list becomes part of the register of agencies
            n = Register(store).import_units(units)
            print(f"应报单位名单已导入机关名录：{n} 个单位", file=err)
        ov = overview_from_store(store, None, years)
    if not ov.years:
        print("数据库中没有报告" if years is None else "没有可显示的年度", file=out)
        return 0
    out.write(format_overview(ov))
    return 0


def register(subparsers: Any) -> None:
    """Add ``checklist`` and ``overview`` to ``cli.main``'s parser."""
    db = db_option()
    p = add_command(subparsers, "checklist", parents=[db])
    p.add_argument("items", nargs="+", metavar="ID|FILE",
                   help="数据库中的报告编号，或要导入的报告文件、文件夹")
    p.add_argument("--pdf", metavar="OUT.pdf", help="要写入的 PDF 文件")
    p.add_argument("--format", choices=("pdf", "json"), default="pdf",
                   help="json：以数据形式输出每份报告的审查表（审查结论、审查意见、审查人，"
                        "各检查项的编号、结果、依据、审查发现）")
    p.add_argument("--basis-profile", metavar="全国|四川|广东",
                   help="依据引用哪一级的文件（默认：本机关的设置，未设置时只引用国家规定）")
    p.add_argument("--office", help="印在末尾的审查机关（默认：设置中的名称）")
    p.add_argument("--checker", help="印在末尾的复核人（默认：留空待签）")
    p.add_argument("--summary", action="store_true",
                   help="输出一张汇总表（每份报告一行，每个检查项一列），附图表")
    p.add_argument("--reviewer", help="印在审查表上的审查人（默认：报告记录的审查人）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="审查日期（默认：今天）")
    p.add_argument("--no-charts", action="store_true", help="--summary 汇总表不附图表")
    p.set_defaults(func=reporting_errors(cmd_checklist))
    p = add_command(subparsers, "settings", parents=[db])
    p.add_argument("--office", help='审查机关名称（"" 表示清除）')
    p.add_argument("--basis-profile", metavar="全国|四川|广东",
                   help="另引用本省的文件（默认：全国，只引用国家规定）")
    p.add_argument("--unqualifying", metavar="C05,C07,…",
                   help="不通过即判定报告不合格的检查项（默认：C05,C07,C09,C21）")
    p.set_defaults(func=reporting_errors(cmd_settings))
    p = add_command(subparsers, "overview", parents=[db])
    p.add_argument("--units", metavar="FILE",
                   help="应报单位名单（.xlsx 或 .csv：名称，可另列层级、地区）；"
                        "默认：数据库中出现过的机关")
    p.add_argument("--year", type=int, help="只显示此年度")
    p.set_defaults(func=reporting_errors(cmd_overview))


