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
    from typing import Any

# name → (module with register(subparsers), help shown by main.py --help)
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("cli.main", "print each report as the report JSON contract"),
    "check": ("cli.main", "print what is wrong with each report; exit 1 on errors"),
    "import": ("cli.store_commands",
               "import report files and folders into the review database"),
    "list": ("cli.store_commands", "list the reports in the review database"),
    "show": ("cli.store_commands", "show a stored report's cells and findings"),
    "correct": ("cli.store_commands",
                "correct a cell's value (recorded, undoable); prints changed findings"),
    "undo": ("cli.store_commands", "undo the report's last correction"),
    "history": ("cli.store_commands", "list a report's corrections"),
    "search": ("cli.store_commands", "find reports by agency, phrase or figure"),
    "status": ("cli.store_commands", "set a report's review status"),
    "verdict": ("cli.store_commands",
                "confirm or dismiss a finding (kept when the report is re-checked)"),
    "export": ("cli.store_commands",
               "export every report: JSON Lines, CSV per table, or an Excel workbook"),
    "checklist": ("cli.checklist_commands",
                  "write the compliance checklist (审查表) of reports, or their summary, "
                  "as PDF"),
    "settings": ("cli.checklist_commands",
                 "the office's settings: name (审查机关), basis profile, lines that make 不合格"),
    "overview": ("cli.checklist_commands",
                 "which units reported for which year: 未报送 / 逾期 / 有不通过项 / 正常"),
    "agencies": ("cli.office_commands",
                 "the register of agencies: list, merge, split, set-level, set-area, expect, "
                 "import, undo, history"),
    "notice": ("cli.office_commands",
               "rectification notice (整改通知) per agency for reports, as DOCX (and PDF)"),
    "circular": ("cli.office_commands",
                 "the circular (通报) on a year's reports, as a DOCX draft (and PDF)"),
    "combine": ("cli.office_commands",
                "tables 二, 三 and 四 summed over a year's reports (XLSX and/or DOCX)"),
    "gui": ("cli.main", "open the window with FILES imported; with --screenshot PNG: import "
                        "them into a temporary database, save a picture of the window and "
                        "exit"),
}


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width: left to itself it imports shutil
    (and with it bz2, lzma, zlib) for that, in every run, help or not."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
        except (ValueError, OSError):
            columns = 80
        kwargs.setdefault("width", max(columns - 2, 20))
        super().__init__(prog, **kwargs)


def add_command(subparsers: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """The subparser of ``name``, with its help from :data:`COMMANDS`."""
    kwargs.setdefault("formatter_class", HelpFormatter)
    return subparsers.add_parser(name, help=COMMANDS[name][1], **kwargs)


def db_option() -> argparse.ArgumentParser:
    """The ``--db`` option every database command takes (a parent parser)."""
    db = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    db.add_argument("--db", metavar="PATH",
                    help="review database file (default: in the user's data folder, "
                         "or $NIANBAO_DATA_DIR)")
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

