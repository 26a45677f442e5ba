"""The command line's help and its refusals, as an inspector reads them: Chinese, with the
official labels, argparse's own English (usage:, options:, error: …) included. Real runs
of ``python main.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fullwidth import half_width_hits

from cli.commands import COMMANDS, usage_error_zh

CJK = re.compile(r"[\u4e00-\u9fff]")
# Three English words in a row: a sentence left untranslated ("show this help message").
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")
SECTION_TITLES = ("参数：", "选项：")


def main_py(repo_root: Path, *args: str, columns: int = 200) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(repo_root), COLUMNS=str(columns))
    return subprocess.run([sys.executable, "main.py", *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, timeout=60)


def help_entries(text: str) -> list[tuple[str, str]]:
    """(invocation, description) of each argument and option listed under a section title;
    an entry's description is the text after its invocation and on the deeper-indented
    lines below it."""
    entries: list[list[str]] = []
    in_section = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            in_section = line in SECTION_TITLES
            continue
        if not in_section:
            continue
        indent = len(line) - len(line.lstrip())
        if indent <= 4:  # an argument (2) or a command in the list of commands (4)
            invocation, _, description = line.strip().partition("  ")
            entries.append([invocation, description.strip()])
        else:
            entries[-1][1] += line.strip()
    return [(inv, desc) for inv, desc in entries]


def check_help(result: subprocess.CompletedProcess, name: str) -> None:
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：main.py"), out[:80]
    assert "usage:" not in out and "options:" not in out and "arguments:" not in out
    assert "选项：" in out
    assert "显示本帮助并退出" in out
    usage, _, rest = out.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert CJK.search(description), f"{name}: description {description!r}"
    assert not ENGLISH_PHRASE.search(rest), f"{name}: {ENGLISH_PHRASE.search(rest)}"
    # Choices are what the user types ({未审,审查中,已审}), not prose.
    assert half_width_hits(re.sub(r"\{[^}]*\}", "", rest)) == [], name
    entries = help_entries(out)
    assert ("-h, --help", "显示本帮助并退出") in entries
    for invocation, text in entries:
        assert CJK.search(text), f"{name}: {invocation} has no Chinese help: {text!r}"


def test_main_help_is_chinese_and_lists_every_command(repo_root: Path) -> None:
    result = main_py(repo_root, "--help")
    check_help(result, "main.py")
    assert "参数：" in result.stdout
    listed = [inv for inv, _ in help_entries(result.stdout)]
    assert all(name in listed for name in COMMANDS), listed


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_help_is_chinese(repo_root: Path, command: str) -> None:
    check_help(main_py(repo_root, command, "--help"), command)


def test_help_lines_fit_the_terminal(repo_root: Path) -> None:
    """A Chinese character takes two columns: the help is wrapped by what the terminal
    shows, not by the count of characters."""
    out = main_py(repo_root, "checklist", "--help", columns=80).stdout
    _, _, rest = out.partition("\n\n")
    for line in rest.splitlines():
        shown = sum(2 if CJK.match(c) or "\uff00" <= c <= "\uff60" else 1 for c in line)
        assert shown <= 80, line


def test_missing_files_is_a_chinese_usage_error(repo_root: Path) -> None:
    result = main_py(repo_root, "extract")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("用法：main.py extract")
    assert "错误：缺少参数：files" in result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr


def test_invalid_format_is_a_chinese_usage_error(repo_root: Path) -> None:
    result = main_py(repo_root, "extract", "报告.pdf", "--format", "xml")
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last == "错误：--format 的取值 'xml' 无效（可选：'json', 'csv'）"
    assert "invalid choice" not in result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["extrac", "a.pdf"], "错误：没有命令 'extrac'（可选："),
    (["list", "--frobnicate"], "错误：无法识别的参数：--frobnicate"),
    (["list", "--year", "二〇二三"], "错误：--year 须为整数，而不是 '二〇二三'"),
    (["list", "--agency"], "错误：--agency 后须跟一个值"),
    (["export"], "错误：须给出以下选项之一：--xlsx --csv --json --jsonl"),
    (["gui", "--size", "3x3"], "错误：--size：窗口尺寸超出范围：3x3"),
])
def test_usage_errors_are_chinese(repo_root: Path, args: list[str], expected: str) -> None:
    result = main_py(repo_root, *args)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(expected), result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr


def test_an_unlisted_argparse_message_keeps_its_text() -> None:
    """A message the mapping does not know is shown as argparse wrote it (after 错误：,
    which the parser adds), never dropped."""
    assert usage_error_zh("something new in a later Python") == "something new in a later Python"
    assert usage_error_zh("the following arguments are required: id, cell") == "缺少参数：id, cell"


def test_help_texts_line_up_after_chinese_choices(repo_root: Path) -> None:
    """{未审,审查中,已审} takes more columns than characters: its help still starts in the
    same column as every other argument's."""
    out = main_py(repo_root, "status", "--help").stdout
    starts = set()
    for line in out.partition("\n\n")[2].splitlines():
        description = line.lstrip().partition("  ")[2]
        if line.startswith("  ") and not line.startswith("   ") and description.strip():
            before = line[:len(line) - len(description.lstrip())]
            starts.add(sum(2 if CJK.match(c) else 1 for c in before))
    assert len(starts) == 1, starts
