"""年报审查台 launcher: no arguments opens the window, any arguments go to the command line.

python main.py                    # the GUI
python main.py extract 报告.pdf    # the CLI (see: python main.py --help)
"""

from __future__ import annotations

import os
import sys

from core.display import has_display


def python_command() -> str:
    """How to call this Python from the current folder: ``.venv/bin/python`` in a checkout
    set up by ``make``, else the interpreter's full path."""
    exe = sys.executable or "python3"
    try:
        rel = os.path.relpath(exe)
    except ValueError:  # another drive (Windows)
        return exe
    return rel if not rel.startswith("..") else exe


def no_display_message() -> str:
    py = python_command()
    return ("年报审查台：未找到图形显示，无法打开窗口；请改用命令行，例如 "
            f"{py} main.py extract 报告.pdf（全部命令见 {py} main.py --help）")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    if len(argv) > 1:
        from cli.main import parse_args
        from cli.main import run as run_command

        args = parse_args(argv[1:])
        if args.command == "gui":  # the window's own subcommand: cli never imports gui
            from gui.screenshot import cli as gui_cli

            return gui_cli(args.files, args.screenshot, args.view, args.db, args.size)
        return run_command(args)
    if not has_display():
        print(no_display_message(), file=sys.stderr)
        return 2
    from gui.app import run as run_window

    return run_window(argv)


def _before_exit() -> None:
    """A command has finished and the process ends: its objects are frozen, so that the
    interpreter's last garbage collection does not walk all of them (every object of the
    modules loaded: 7 ms of a one-file ``extract``) to free what the system takes back
    anyway. Exit handlers still run and modules are still torn down. Not for the window,
    whose Qt objects are better destroyed in order."""
    import gc

    gc.freeze()


if __name__ == "__main__":
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] != "gui":
        _before_exit()
    sys.exit(code)
