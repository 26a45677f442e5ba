"""The command line: everything the GUI does, headless.

    python main.py extract FILE... [--format json|csv]
    python main.py check FILE...
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence

from cli.commands import COMMANDS, ArgumentParser, add_command

# typing.TYPE_CHECKING without importing typing: the commands that only read load it nowhere
# else, and it costs ~2 ms of their start-up (benchmarks/startup.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from core.model import Report


def _each_report(paths: Sequence[str | os.PathLike[str]], err: io.TextIOBase,
                 jobs: int | None = None, warm: Sequence[str] = ()
                 ) -> Iterator[Report | None]:
    """Reports in the order given; None for a file that failed, with its reason on ``err``.
    ``warm``: the modules the command uses on them (see core.pipeline.each_report)."""
    from core.errors import ReportError
    from core.filenames import display_name
    from core.pipeline import each_report

    for path, result in each_report(paths, jobs, warm=warm):
        if isinstance(result, ReportError):
            print(f"错误：{display_name(path)}：{result.message_zh}（{result}）", file=err)
            yield None
        else:
            yield result


def cmd_extract(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from core.pipeline import expand_paths

    failed = 0
    rows: list[dict] = []

    files = expand_paths(args.files)
    # What the output needs is imported while a single file is read (each_report).
    warm = ("core.contract", "json") if args.format == "json" else (
        "core.contract", "csv", "core.template")
    for report in _each_report(files, err, args.jobs, warm):
        if report is None:
            failed += 1
            continue
        from core.contract import to_contract

        doc = to_contract(report, details=args.details)
        if args.format == "json":
            import json

            # One write: json.dump writes each of its ~2,000 pieces on its own (8 ms into
            # an unbuffered pipe for a real report, 2.6 ms in one piece).
            if len(files) == 1:
                out.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
            else:
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        else:
            rows.append(doc)
    if args.format == "csv" and rows:
        import csv

        from core.template import all_keys

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
    color = args.color == "always" or (args.color == "auto" and out.isatty())
    failed = 0
    any_error = False
    for report in _each_report(args.files, err, args.jobs, ("core.report_text",)):
        if report is None:
            failed += 1
            continue
        from core.report_text import format_findings

        out.write(format_findings(report, color=color))
        any_error |= any(f.severity == "error" and f.status == "fail" for f in report.findings)
    if failed:
        return 2
    return 1 if any_error else 0


def register(subparsers: Any) -> None:
    """Add ``extract``, ``check`` and ``gui`` (see :mod:`cli.commands`)."""
    e = add_command(subparsers, "extract")
    e.add_argument("files", nargs="+", help="报告文件或文件夹（PDF、DOCX、DOC、HTML、TXT）")
    e.add_argument("--format", choices=["json", "csv"], default="json",
                   help="json：每个文件一份 JSON（多个文件时每行一份）；csv：每份报告一行")
    e.add_argument("--no-details", dest="details", action="store_false",
                   help="不输出各单元格的原文位置、原文和可信度")
    e.add_argument("--jobs", type=int, default=None,
                   help="多个文件时同时处理的进程数（默认：全部处理器核心）")
    e.set_defaults(func=cmd_extract)
    c = add_command(subparsers, "check")
    c.add_argument("files", nargs="+", help="报告文件或文件夹")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="彩色显示：auto 在终端中彩色，always 总是，never 从不（默认：auto）")
    c.add_argument("--jobs", type=int, default=None, help="同时处理的进程数（默认：2）")
    c.set_defaults(func=cmd_check)
    g = add_command(subparsers, "gui")
    g.add_argument("files", nargs="*", help="要导入的报告文件或文件夹")
    g.add_argument("--screenshot", metavar="PNG",
                   help="不显示窗口，将窗口画面保存为 PNG 图片后退出")
    g.add_argument("--view", choices=("review", "charts", "overview"), default="review",
                   help="与 --screenshot 同用：要显示的页面，review 审查、charts 图表、"
                        "overview 总览（默认：review）")
    g.add_argument("--size", metavar="WxH", type=_window_size, default=None,
                   help="与 --screenshot 同用：窗口尺寸（像素），例如 1366x768")
    g.add_argument("--db", metavar="PATH",
                   help="窗口使用的审查数据库（默认：窗口中选定的数据库，"
                        "未选定时用用户数据文件夹中的）")
    g.set_defaults(func=cmd_gui)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with the commands of ``command``'s module only, fully (the
    others' modules, and what those import, are not loaded; see :mod:`cli.commands`).
    ``command=None`` (``--help``, a mistyped command) imports no command module and
    lists every command by name and help."""
    p = ArgumentParser(
        prog="main.py",
        description="年报审查台：读取并审查政府信息公开工作年度报告。"
                    "不带参数运行 main.py 时打开桌面程序。")
    module = COMMANDS[command][0] if command in COMMANDS else None
    # The usage line (of an error such as an unknown option) names every command,
    # whichever are registered.
    sub = p.add_subparsers(dest="command", required=True, help="要执行的命令（各命令的用法："
                           "main.py 命令 --help）",
                           metavar="{" + ",".join(COMMANDS) + "}" if module else None)
    if module:
        # Only its own parsers: each other one would cost ~0.15 ms (argparse looks up a
        # translation of its headings on disk each time), 3 ms in all on every run.
        importlib.import_module(module).register(sub)
    else:
        for name in COMMANDS:
            add_command(sub, name)  # listed only; parsing it needs its own module
    return p


def _window_size(text: str) -> tuple[int, int]:
    """``1366x768`` → (1366, 768), for ``gui --size``."""
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"窗口尺寸应写作 宽x高，例如 1366x768：{text}") from None
    if not (320 <= w <= 10000 and 240 <= h <= 10000):
        raise argparse.ArgumentTypeError(f"窗口尺寸超出范围：{text}")
    return w, h


def cmd_gui(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    """``gui`` belongs to the window: main.py hands it to :mod:`gui` before this runs."""
    print("错误：gui 子命令须通过 main.py 运行（python main.py gui …）", file=err)
    return 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; only the module of the command given is imported."""
    return build_parser(argv[0] if argv else None).parse_args(argv)


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
