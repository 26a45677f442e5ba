"""Every subcommand of ``main.py``: its name, the module that defines it, its one-line help.

Start-up is most of a CLI call (a ``list`` does 60 ms of work after 0.3 s of imports), so
a run imports only the module of the command it runs; ``main.py --help`` imports none.
To add a command: add a line here, and in its module a ``register(subparsers)`` that
adds the module's commands with :func:`add_command` and imports nothing heavy at module
level (the store, the extractor, Qt, OCR: inside the command functions).
benchmarks/startup.py checks the import budget of each command.
"""

from __future__ import annotations

import argparse
import os

# typing.TYPE_CHECKING without importing typing: the commands that only read load it nowhere
# else, and it costs ~2 ms of their start-up (benchmarks/startup.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

# name → (module with register(subparsers), help shown by main.py --help)
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("cli.main",
                "提取每份报告的内容和表二、表三、表四，按报告数据格式输出（JSON 或 CSV）"),
    "check": ("cli.main", "审查每份报告，列出发现的问题（错误 / 提示）；有错误时退出码为 1"),
    "import": ("cli.store_commands", "将报告文件或文件夹导入审查数据库"),
    "list": ("cli.store_commands", "列出审查数据库中的报告"),
    "show": ("cli.store_commands", "显示一份已导入报告的各表数据和审查发现"),
    "correct": ("cli.store_commands",
                "更正一个单元格的数值（留有记录，可撤销），并列出因此变化的审查发现"),
    "undo": ("cli.store_commands", "撤销报告最近一次更正"),
    "history": ("cli.store_commands", "列出一份报告的更正记录"),
    "search": ("cli.store_commands", "按机关名称、文字或数字查找报告"),
    "status": ("cli.store_commands", "设置报告的审查状态（未审 / 审查中 / 已审）"),
    "verdict": ("cli.store_commands", "确认或排除一项审查发现（重新审查报告时保留）"),
    "export": ("cli.store_commands",
               "导出全部报告：JSON Lines、每表一个 CSV 文件，或一个 Excel 工作簿"),
    "checklist": ("cli.checklist_commands", "将报告的审查表（或多份报告的汇总表）输出为 PDF"),
    "settings": ("cli.checklist_commands",
                 "本机关的设置：审查机关名称、依据文件范围、不通过即不合格的检查项"),
    "overview": ("cli.checklist_commands",
                 "各单位各年度的报送情况：未报送 / 逾期 / 有不通过项 / 正常"),
    "agencies": ("cli.office_commands",
                 "机关名录：列出、合并、拆分、设置层级、设置地区、设定是否应报、导入、撤销、"
                 "修改记录"),
    "notice": ("cli.office_commands", "按机关为报告生成整改通知（DOCX，可另存 PDF）"),
    "circular": ("cli.office_commands", "生成某一年度报告情况的通报草稿（DOCX，可另存 PDF）"),
    "combine": ("cli.office_commands",
                "将某一年度各报告的表二、表三、表四相加，生成汇总表（XLSX 和/或 DOCX）"),
    "gui": ("cli.main", "打开窗口并导入给出的文件；加 --screenshot PNG 时：导入临时数据库，"
                        "保存窗口截图后退出"),
}


# Marks that close a phrase: a help line is not begun with one.
_NO_LINE_START = frozenset("，。、；：）」』》？！,.;:)")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width: left to itself it imports shutil
    (and with it bz2, lzma, zlib) for that, in every run, help or not. Its usage line
    starts with 用法：, as every line the inspector reads is Chinese."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
        except (ValueError, OSError):
            columns = 80
        kwargs.setdefault("width", max(columns - 2, 20))
        super().__init__(prog, **kwargs)

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Help text wrapped by the columns it takes: a Chinese character takes two
        (argparse counts one, and its lines would run past the terminal's edge); English
        words and options stay whole, and no line starts with a closing mark such as ，。）."""
        import re

        from core.textwidth import display_width  # here: only help is wrapped

        lines: list[str] = []
        line, used = "", 0
        for token in re.findall(r"[!-~]+|\s+|.", text.strip()):
            if token.isspace():
                token = " "
            cols = display_width(token)
            if used + cols > width and line.strip() and token not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, used = "", 0
                if token == " ":
                    continue
            line += token
            used += cols
        if line.strip():
            lines.append(line.rstrip())
        return lines

    def _format_action(self, action: argparse.Action) -> str:
        """argparse lines the help up by counting characters: after an invocation with
        Chinese in it ({未审,审查中,已审}) the gap shrinks by the extra columns they take,
        or the help moves to the next line when the gap would close."""
        from core.textwidth import display_width

        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        extra = display_width(invocation) - len(invocation)
        first, newline, rest = text.partition("\n")
        head = first.lstrip()
        after = head[len(invocation):]
        if not extra or not head.startswith(invocation) or not after.strip():
            return text
        indent = first[:len(first) - len(head)]
        gap = len(after) - len(after.lstrip())
        if gap - extra >= 2:
            first = indent + invocation + " " * (gap - extra) + after.lstrip()
        else:
            help_position = len(indent) + len(invocation) + gap
            first = indent + invocation + "\n" + " " * help_position + after.lstrip()
        return first + newline + rest

    def format_help(self) -> str:
        """argparse ends each section title with an ASCII colon: 参数： and 选项： take the
        full-width one (a title is the one unindented line that starts in Chinese)."""
        import re

        return re.sub(r"(?m)^([^\s\x00-\x7f][^\n]*):$", "\\1：", super().format_help())


# argparse's own refusals (as Python 3.11 words them) as the inspector reads them; a message
# not listed keeps its text after the Chinese prefix. The first pattern that matches wins.
USAGE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"one of the arguments (.*) is required", "须给出以下选项之一：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"argument command: invalid choice: (.*?) \(choose from (.*)\)",
     "没有命令 {0}（可选：{1}）"),
    (r"argument (.+?): invalid choice: (.*?) \(choose from (.*)\)",
     "{0} 的取值 {1} 无效（可选：{2}）"),
    (r"argument (.+?): invalid int value: (.*)", "{0} 须为整数，而不是 {1}"),
    (r"argument (.+?): invalid (\S+) value: (.*)", "{0} 的取值 {2} 无效"),
    (r"argument (.+?): expected one argument", "{0} 后须跟一个值"),
    (r"argument (.+?): expected at least one argument", "{0} 后须至少跟一个值"),
    (r"argument (.+?): expected (\d+) arguments", "{0} 后须跟 {1} 个值"),
    (r"argument (.+?): not allowed with argument (.*)", "{0} 不能与 {1} 同时使用"),
    (r"argument (.+?): ignored explicit argument (.*)", "{0} 不接受取值 {1}"),
    (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 有歧义，可能是：{1}"),
    (r"argument (.+?): (.*)", "{0}：{1}"),  # a type's own message (already Chinese)
)

# Argument names argparse puts in its messages that are not what the inspector typed.
ARGUMENT_NAMES = {"command": "命令"}


def usage_error_zh(message: str) -> str:
    """argparse's English ``message`` in Chinese (see :data:`USAGE_ERRORS`)."""
    import re

    for pattern, text in USAGE_ERRORS:
        m = re.fullmatch(pattern, message, re.DOTALL)
        if m:
            parts = [ARGUMENT_NAMES.get(g, g) for g in m.groups()]
            return text.format(*parts)
    return message


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser in Chinese: section titles 参数 / 选项, ``-h`` 显示本帮助并退出, and
    a mistyped command line answered with the usage and one 错误： line (exit code 2).
    Subparsers are of this class too (argparse makes them of the main parser's class)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        # The parents' arguments go into sections found by title: ours are renamed first.
        parents = kwargs.pop("parents", [])
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_help = add_help
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出")
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str) -> NoReturn:
        import sys

        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{usage_error_zh(message)}\n")


def add_command(subparsers: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """The subparser of ``name``, with its help (and description) from :data:`COMMANDS`."""
    kwargs.setdefault("formatter_class", HelpFormatter)
    kwargs.setdefault("description", COMMANDS[name][1])
    return subparsers.add_parser(name, help=COMMANDS[name][1], **kwargs)


def db_option() -> argparse.ArgumentParser:
    """The ``--db`` option every database command takes (a parent parser)."""
    db = ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="PATH",
                    help="审查数据库文件（默认：用户数据文件夹中的数据库，"
                         "或环境变量 NIANBAO_DATA_DIR 所指文件夹中的）")
    return db


# The store's English refusals that reach the CLI as ValueError, as the inspector reads them.
VALUE_ERRORS = {"dismissing a finding needs a reason": "排除审查发现须填写理由（--reason）"}


def reporting_errors(func: Any) -> Any:
    """A subcommand whose expected failures (store, register, bad values or lists, a file
    that cannot be written) end in one clear Chinese line and exit code 2, never a
    traceback. A closed pipe (output piped into ``head``) is left to cli.main."""

    def run(args: argparse.Namespace, out: Any, err: Any) -> int:
        from core.errors import ReportError, zh_message

        try:
            return int(func(args, out, err))
        except ReportError as e:
            print(f"错误：{zh_message(e)}", file=err)
        except ValueError as e:
            print(f"错误：{VALUE_ERRORS.get(str(e), str(e))}", file=err)
        except BrokenPipeError:
            raise
        except OSError as e:
            print(f"错误：无法写入文件（{e}）", file=err)
        return 2

    return run

