"""Anchoring logical rows on the template's rows by their labels, in order.

An alignment (like a diff) between the rows found and the rows of the format: a row
found may match a template row only if its label says so, and the order of the format
is kept. A template row that nothing matches is reported missing, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import cache

from core.extract.rows import LogicalRow
from core.template import get_format

OWN, BEFORE, AFTER = 3.0, 2.0, 1.0
# A label that none of a row's keywords match but that reads almost as the printed one
# (a slip such as 三类内容事务信息 for 三类内部事务信息): less than any keyword match, so
# it never takes a row from a label that says so, and only in the format's order.
FUZZY = 0.8
FUZZY_RATIO = 0.8
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_SERIAL = re.compile(r"^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]+[)）]")


@cache
def official_labels() -> dict[str, str]:
    """Table 三's row ids → the CJK characters of their own printed label (last level)."""
    out: dict[str, str] = {}
    for name in ("2019", "2021"):
        for rid, path in get_format(name).t3_rows:
            out[rid] = _NOT_CJK.sub("", _SERIAL.sub("", path.split("/")[-1]))
    return out


@cache
def _char_counts(label: str) -> dict[str, int]:
    return dict(Counter(label))


@cache
def _cjk(text: str) -> str:
    """The CJK characters of a row's text (asked of each row for every printed label)."""
    return _NOT_CJK.sub("", text)


@cache
def close_label(own: str, row_id: str) -> bool:
    """Whether a row's label is the printed label of ``row_id`` with a slip or two."""
    want = official_labels().get(row_id)
    if not want or len(want) < 4:
        return False
    got = _cjk(own)
    if len(got) < len(want) - 2:
        return False
    # The label ends the row's text (a group label may come first: (三)不予公开5.…).
    # Every match ratio() counts is a character the ending shares with the printed label,
    # so 2·shared / (shortest ending + label) bounds the ratio of every ending tried:
    # most labels compared with a row's text share too few characters to be looked at.
    # (Counted over the characters the two have in common: the others add nothing.)
    tail = got[-(len(want) + 2):]
    counts = _char_counts(want)
    shared = sum(min(tail.count(c), counts[c]) for c in counts.keys() & set(tail))
    if 2 * shared / (2 * len(want) - 2) < FUZZY_RATIO:
        return False
    # One matcher for the printed label (its index built once), each ending tried against
    # it; quick_ratio() is an upper bound of ratio() too. Neither bound changes an answer;
    # together they took the first read of a real PDF from 76 to 47 ms (close_label is
    # cached, but a one-file command is a fresh process: every call is a first one).
    matcher = SequenceMatcher(None, "", want, autojunk=False)
    for n in range(len(want) - 2, len(want) + 3):
        if n > len(got):
            continue
        matcher.set_seq1(got[-n:])
        if matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO:
            return True
    return False


def label_score(lr: LogicalRow, pattern: re.Pattern[str], weight: float = 1.0,
                mode: str | None = None, row_id: str = "") -> float:
    if lr.own and pattern.search(lr.own):
        return OWN * weight
    if mode is not None and lr.blocks:
        block = lr.blocks.get(mode, "")
        if pattern.search(block):
            return BEFORE * weight
        return FUZZY * weight if row_id and block and close_label(block, row_id) else 0.0
    if any(pattern.search(t) for t in lr.before[-2:]):
        return BEFORE * weight
    if any(pattern.search(t) for t in lr.after[:2]):
        return AFTER * weight
    # A label wrapped over several lines: its pieces joined may hold the keyword.
    joined = "".join(lr.before[-2:]) + lr.own + "".join(lr.after[:1])
    if joined and pattern.search(joined):
        return AFTER * weight * 0.9
    if row_id and lr.own and close_label(lr.own, row_id):
        return FUZZY * weight
    return 0.0


def align(rows: list[LogicalRow], template: list[tuple[str, re.Pattern[str], float]]
          ) -> dict[str, LogicalRow]:
    """Best order-keeping assignment of ``rows`` to template row ids.

    PDF rows carry their wrapped labels read four ways (top-aligned, bottom-aligned,
    centred cells, centred cells taller than their rows); the reading under which the
    labels explain the most rows wins.
    """
    best: tuple[float, dict[str, LogicalRow]] | None = None
    modes: list[str | None] = [None]
    if any(lr.blocks for lr in rows):
        modes += ["nearest", "down", "up", "split"]
    # A row's score depends on the reading only through its label under it, which most
    # rows read alike under several: each (row, template row, label) is scored once.
    scores: dict[tuple[int, int, str | None], float] = {}
    for mode in modes:
        total, matched = _align(rows, template, mode, scores)
        if best is None or total > best[0] + 1e-9:
            best = (total, matched)
    assert best is not None
    return best[1]


def _align(rows: list[LogicalRow], template: list[tuple[str, re.Pattern[str], float]],
           mode: str | None, scores: dict[tuple[int, int, str | None], float]
           ) -> tuple[float, dict[str, LogicalRow]]:
    """The best alignment under one reading (``mode``) of the rows' labels; ``scores``
    holds the label scores already known (see :func:`align`)."""
    n, m = len(rows), len(template)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0 skip row, 1 skip template, 2 match
    for i in range(n - 1, -1, -1):
        lr = rows[i]
        # What label_score reads of the mode: the row's label under it, if it has any.
        label = lr.blocks.get(mode, "") if mode is not None and lr.blocks else None
        for j in range(m - 1, -1, -1):
            best, how = score[i + 1][j], 0
            if score[i][j + 1] > best:
                best, how = score[i][j + 1], 1
            if not lr.header:
                s = scores.get((i, j, label))
                if s is None:
                    s = scores[i, j, label] = label_score(
                        lr, template[j][1], template[j][2], mode, template[j][0])
                if s > 0 and s + score[i + 1][j + 1] > best:
                    best, how = s + score[i + 1][j + 1], 2
            score[i][j], move[i][j] = best, how
    out: dict[str, LogicalRow] = {}
    i = j = 0
    while i < n and j < m:
        how = move[i][j]
        if how == 2:
            out[template[j][0]] = rows[i]
            i += 1
            j += 1
        elif how == 1:
            j += 1
        else:
            i += 1
    return score[0][0] if n and m else 0.0, out
