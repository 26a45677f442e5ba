"""What the office sends out after the review, and the register it rests on.

    python main.py agencies [--format text|json]
    python main.py agencies merge A B          # B becomes part of A
    python main.py agencies split NAME         # NAME leaves its agency
    python main.py agencies set-level A 部门|政府本级|自动
    python main.py agencies set-area A AREA
    python main.py agencies expect A 是|否
    python main.py agencies import UNITS.xlsx|csv
    python main.py agencies undo
    python main.py agencies history
    python main.py notice ID... --docx OUT.docx [--pdf OUT.pdf] [--deadline YYYY-MM-DD]
                              [--office NAME] [--date YYYY-MM-DD]
    python main.py circular --year N --docx OUT.docx [--pdf OUT.pdf] [--agency TEXT]
                            [--status 未审|审查中|已审] [--scope TEXT] [--office NAME]
    python main.py combine --year N [ID...] --xlsx OUT.xlsx [--docx OUT.docx]
                           [--format 2019|2021] [--without-errors]

Each takes ``--db PATH``. The work is done in core (core.register …); this module only
parses and prints.
"""

from __future__ import annotations

import argparse
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from cli.commands import add_command, db_option, reporting_errors  # noqa: TID251 (cli)
from core.paths import resolve_db_path
from core.store import open_store

AUTO_LEVEL = "自动"


# --- agencies --------------------------------------------------------------------------------


def cmd_agencies(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.register import Register, how_text

    action = args.action or "list"
    with open_store(resolve_db_path(args.db), readonly=None if action == "list" else False,
                    create=action != "list") as store:
        reg = Register(store)
        if action == "list":
            agencies = reg.agencies()
            if args.format == "json":
                json.dump([a.to_json() for a in agencies], out, ensure_ascii=False, indent=1)
                out.write("\n")
                return 0
            for a in agencies:
                years = "、".join(str(y) for y in a.years) or "无报告"
                flags = [a.level + ("（人工设定）" if a.level_set else ""),
                         a.area or "地区未填", "应报送" if a.expected else "未列入名单"]
                out.write(f"#{a.id} {a.name}  {' · '.join(flags)}  年度：{years}\n")
                for n in a.names:
                    ny = "、".join(str(y) for y in n.years) or "—"
                    out.write(f"    名称「{n.name}」（{how_text(n.how)}；年度 {ny}）\n")
            out.write(f"共 {len(agencies)} 个机关\n")
            return 0
        if action == "history":
            for c in reg.changes():
                out.write(f"#{c.id} {c.at} {c.summary}{'（已撤销）' if c.undone else ''}\n")
            return 0
        if action == "undo":
            text = reg.undo()
            out.write((text or "没有可撤销的机关名录修改") + "\n")
            return 0
        argv = args.args
        need = {"merge": 2, "split": 1, "set-level": 2, "set-area": 2, "expect": 2, "import": 1}
        if len(argv) != need[action]:
            print(f"错误：agencies {action} 需要 {need[action]} 个参数", file=err)
            return 2
        if action == "merge":
            text = reg.merge(argv[0], argv[1])
        elif action == "split":
            text = reg.split(argv[0])
        elif action == "set-level":
            text = reg.set_level(argv[0], None if argv[1] == AUTO_LEVEL else argv[1])
        elif action == "set-area":
            text = reg.set_area(argv[0], argv[1])
        elif action == "expect":
            if argv[1] not in ("是", "否"):
                print("错误：是否应报送只能填「是」或「否」", file=err)
                return 2
            text = reg.set_expected(argv[0], argv[1] == "是")
        else:
            from core.overview import load_units

            text = f"应报单位名单已导入机关名录：{reg.import_units(load_units(argv[0]))} 个单位"
        out.write(text + "\n")
    return 0


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what}「{text}」不是有效日期，请写成 2025-03-31 的形式") from None


def _pdf_of(docx: Path, pdf: str | None, title: str, err: io.TextIOBase) -> Path | None:
    """The PDF next to the DOCX when asked; a missing LibreOffice leaves the DOCX alone."""
    if not pdf:
        return None
    from core.office_pdf import docx_to_pdf

    return docx_to_pdf(docx, pdf, title=title)


def cmd_notice(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.notice import write_notices

    deadline = _date(args.deadline, "整改期限")
    when = _date(args.date, "成文日期")
    with open_store(resolve_db_path(args.db), readonly=None, create=False) as store:
        result = write_notices(store, args.ids, args.docx, deadline=deadline,
                               office=args.office, when=when)
    agencies = "、".join(n.agency for n in result.notices)
    print(f"整改通知 {len(result.notices)} 份（{agencies}），问题 {result.problems} 个 → "
          f"{args.docx}", file=out)
    for name in result.without_problems:
        print(f"{name}：没有已确认的问题或未审查的错误，未发通知", file=out)
    pdf = _pdf_of(Path(args.docx), args.pdf, "整改通知", err)
    if pdf is not None:
        print(f"PDF → {pdf}", file=out)
    return 0


def cmd_circular(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.circular import write_circular
    from core.series import ReportFilter

    flt = ReportFilter(agency=args.agency, status=args.status)
    with open_store(resolve_db_path(args.db), readonly=None, create=False) as store:
        c = write_circular(store, args.year, args.docx, flt=flt, scope=args.scope,
                           office=args.office, when=_date(args.date, "成文日期"))
    n = c.counts()
    print(f"{args.year}年度通报 → {args.docx}：收到报告 {n['received']} 份，"
          f"已审 {n['reviewed']} 份；"
          f"合格 {n['qualified']}，需整改 {n['rectify']}，不合格 {n['unqualified']}；"
          f"按时 {n['on_time']}，逾期 {n['late']}，日期不明 {n['unknown']}；"
          f"未报送 {n['missing']} 个单位", file=out)
    pdf = _pdf_of(Path(args.docx), args.pdf, "通报", err)
    if pdf is not None:
        print(f"PDF → {pdf}", file=out)
    return 0


def cmd_combine(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.combine import gather
    from core.combine_paper import write_docx, write_xlsx

    if not args.xlsx and not args.docx:
        print("错误：请用 --xlsx 或 --docx 指定输出文件", file=err)
        return 2
    with open_store(resolve_db_path(args.db), readonly=None, create=False) as store:
        c = gather(store, args.year, args.ids or None, fmt=args.format,
                   include_errors=not args.without_errors)
    if args.xlsx:
        write_xlsx(c, args.xlsx)
    if args.docx:
        write_docx(c, args.docx)
    written = "、".join(x for x in (args.xlsx, args.docx) if x)
    print(f"{args.year}年度汇总（{c.format}年版）：计入 {len(c.included)} 份报告 → {written}",
          file=out)
    for s, why in c.left_out:
        print(f"  未计入 {s.label}：{why}", file=out)
    for s in c.included:
        if s.n_errors:
            print(f"  已计入但有未解决的错误：{s.label}（{s.n_errors} 项）", file=out)
    if c.identity_findings:
        print(f"汇总数据的勾稽关系有 {len(c.identity_findings)} 处不一致：", file=out)
        for f in c.identity_findings:
            print(f"  {f.message}", file=out)
    else:
        print("汇总数据的勾稽关系核对：全部一致", file=out)
    return 0


def register(subparsers: Any) -> None:
    """Add the office's subcommands to ``cli.main``'s parser."""
    db = db_option()
    p = add_command(subparsers, "agencies", parents=[db])
    p.add_argument("action", nargs="?",
                   choices=["list", "merge", "split", "set-level", "set-area", "expect",
                            "import", "undo", "history"],
                   help="操作：list 列出（默认）、merge 合并、split 拆分、set-level 设置层级、"
                        "set-area 设置地区、expect 设定是否应报、import 导入名单、undo 撤销、"
                        "history 修改记录")
    p.add_argument("args", nargs="*",
                   help="操作的对象：merge 甲 乙 | split 名称 | set-level 甲 层级"
                        "（部门、政府本级或自动） | set-area 甲 地区 | expect 甲 是/否 | "
                        "import 文件")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="输出格式：text 文字，json 数据（默认：text）")
    p.set_defaults(func=reporting_errors(cmd_agencies))
    p = add_command(subparsers, "notice", parents=[db])
    p.add_argument("ids", nargs="+", type=int, metavar="ID", help="报告编号")
    p.add_argument("--docx", required=True, metavar="OUT.docx", help="要写入的 DOCX 文件")
    p.add_argument("--pdf", metavar="OUT.pdf", help="另存 PDF 文件（需安装 LibreOffice）")
    p.add_argument("--deadline", metavar="YYYY-MM-DD",
                   help="整改并重新发布的期限（默认：成文日期后按模板规定的天数）")
    p.add_argument("--office", help="落款的机关名称（默认：模板中的）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="成文日期（默认：今天）")
    p.set_defaults(func=reporting_errors(cmd_notice))
    p = add_command(subparsers, "circular", parents=[db])
    p.add_argument("--year", type=int, required=True, help="报告年度")
    p.add_argument("--docx", required=True, metavar="OUT.docx", help="要写入的 DOCX 文件")
    p.add_argument("--pdf", metavar="OUT.pdf", help="另存 PDF 文件（需安装 LibreOffice）")
    p.add_argument("--agency", help="只包括名称含此文字的机关")
    p.add_argument("--status", choices=["未审", "审查中", "已审"],
                   help="只包括此审查状态的报告")
    p.add_argument("--scope", help="标题中的地区名称（默认：机关名录中的）")
    p.add_argument("--office", help="机关名称（默认：设置中的，未设置时用模板中的）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="成文日期（默认：今天）")
    p.set_defaults(func=reporting_errors(cmd_circular))
    p = add_command(subparsers, "combine", parents=[db])
    p.add_argument("ids", nargs="*", type=int, metavar="ID",
                   help="报告编号（默认：每个机关最新的一份报告）")
    p.add_argument("--year", type=int, required=True, help="报告年度")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="要写入的 XLSX 工作簿")
    p.add_argument("--docx", metavar="OUT.docx", help="要写入的 DOCX 文件")
    p.add_argument("--format", choices=["2019", "2021"],
                   help="按哪一版格式汇总：2019 或 2021（默认：多数报告所用的）")
    p.add_argument("--without-errors", action="store_true",
                   help="不汇总有未解决错误的报告（默认：汇总在内，并列出这些报告）")
    p.set_defaults(func=reporting_errors(cmd_combine))


