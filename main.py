"""年报审查台 launcher: no arguments opens the window, any arguments go to the command line.

python main.py                    # the GUI
python main.py extract 报告.pdf    # the CLI (see: python main.py --help)
"""

from __future__ import annotations

import sys

from core.display import has_display

NO_DISPLAY_MESSAGE = (
    "年报审查台：未找到图形显示，无法打开窗口；请改用命令行，例如 python main.py extract 报告.pdf"
    "（详见 python main.py --help） / no graphical display found, so the window cannot open;"
    " use the command line instead, e.g. python main.py extract report.pdf"
    " (see python main.py --help)"
)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    if len(argv) > 1:
        from cli.main import parse_args
        from cli.main import run as run_command

        args = parse_args(argv[1:])
        if args.command == "gui":  # the window's own subcommand: cli never imports gui
            from gui.screenshot import cli as gui_cli

            return gui_cli(args.files, args.screenshot, args.view, args.db)
        return run_command(args)
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    from gui.app import run as run_window

    return run_window(argv)


if __name__ == "__main__":
    sys.exit(main())
