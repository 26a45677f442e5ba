"""Printed headings and table labels against the format (C03 order, C04, C06, C07 labels).

All warnings (``label.deviates``, ``section.order``): the text a reader gives is never
perfect, so a label counts as present when its characters appear in order within a
short window (a PDF may interleave a vertical group label or a row of numbers), and a
table's labels are only judged when most of them are found (otherwise the text simply
does not hold that table).
"""

from __future__ import annotations

import re
from functools import cache

from core.checks.common import (
    SECTION_NAMES,
    WARNING,
    Context,
    finding,
)
from core.model import Finding
from core.template import SECTION_IDS, T3_LABELS, get_format

_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_NUMBERING = re.compile(
    r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+\s*[.．、])")
_HEADING = re.compile(
    r"^[ \t\u3000]*([一二三四五六])[ \t\u3000]*[、.．][ \t\u3000]*(\S[^\n]{0,40}?)[ \t]*$", re.M)
# Table 三's row heads: a "heading" holding one is a row of the table (plain substrings).
_T3_ROW_HEADS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度")
_KEYWORDS = {"s1": "总体", "s2": "主动公开", "s3": "申请", "s4": "复议|诉讼", "s5": "问题|改进",
             "s6": "其他|事项"}
# Accepted variants of a label (CJK only), e.g. 法规 for 行政法规 (spec/templates.json).
ALIASES = {"其他法律行政法规禁止公开": ("其他法律法规禁止公开",)}
MIN_FOUND = 0.6


def cjk(text: str) -> str:
    return _NOT_CJK.sub("", text)


def run(ctx: Context) -> list[Finding]:
    text = ctx.report.text or ""
    if len(text) < 200:
        return []
    out = _headings(ctx, text)
    if ctx.fmt is not None:
        flat = cjk(text)
        for table, labels in _table_labels(ctx.report.format).items():
            if ctx.table_present(table):
                out += _labels(ctx, table, labels, flat)
    return out


def _headings(ctx: Context, text: str) -> list[Finding]:
    out = []
    found: dict[str, tuple[int, str]] = {}
    cands: dict[str, list[tuple[int, str]]] = {}
    for m in _HEADING.finditer(text):
        body = m.group(2)
        if any(head in body for head in _T3_ROW_HEADS):
            continue
        s = f"s{'一二三四五六'.index(m.group(1)) + 1}"
        cands.setdefault(s, []).append((m.start(), body.strip()))
    secs = ctx.report.sections or {}
    for s in SECTION_IDS:
        if secs.get(s, True) is False:
            continue
        want = cjk(SECTION_NAMES[s].split("、", 1)[1])
        lines = cands.get(s, [])
        exact = [c for c in lines if cjk(c[1]) == want]
        if exact:
            found[s] = exact[0]
            continue
        near = [c for c in lines if re.search(_KEYWORDS[s], c[1]) and len(cjk(c[1])) <= 30]
        if not near:
            continue
        found[s] = near[0]
        printed = f"{'一二三四五六'[int(s[1]) - 1]}、{near[0][1]}"
        out.append(finding(
            "label.deviates", WARNING,
            f"第{printed[0]}部分标题为「{printed}」，格式规定为「{SECTION_NAMES[s]}」。",
            check="C04", section=s,
            quote=printed, subject="heading"))
    order = [s for s in SECTION_IDS if s in found]
    pos = [found[s][0] for s in order]
    if pos != sorted(pos):
        by_pos = sorted(order, key=lambda s: found[s][0])
        printed = "、".join(SECTION_NAMES[s].split("、")[0] for s in by_pos)
        out.append(finding(
            "section.order", WARNING,
            f"六个部分的顺序与格式不一致（报告中依次为：{printed}）。格式要求依次为一至六。",
            check="C03", field="sections"))
    return out


@cache
def _table_labels(fmt_name: str | None) -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """(printed label, CJK form, cells it names) of tables 二 and 三 for a format."""
    if fmt_name not in ("2019", "2021"):
        return {}
    fmt = get_format(fmt_name)
    t2: dict[str, list[str]] = {}
    for g in fmt.t2_groups:
        for r, rl in g.rows:
            for c, _ in g.columns:
                t2.setdefault(rl, []).append(f"t2.{r}.{c}")
        for c, cl in g.columns:
            for r, _ in g.rows:
                t2.setdefault(cl, []).append(f"t2.{r}.{c}")
    t3 = {}
    for r, path in fmt.t3_rows:
        leaf = _NUMBERING.sub("", path.split("/")[-1])
        t3[leaf] = [f"t3.{r}.{c}" for c in T3_LABELS]
    return {
        "t2": [(lbl, cjk(lbl), tuple(cells)) for lbl, cells in t2.items()],
        "t3": [(lbl, cjk(lbl), tuple(cells)) for lbl, cells in t3.items() if len(cjk(lbl)) >= 4],
    }


def present(label: str, flat: str) -> bool:
    """Whether the label's characters appear in order within a short window of the text."""
    if label in flat or any(a in flat for a in ALIASES.get(label, ())):
        return True
    window = len(label) + max(12, len(label))
    anchor = label[:2]
    i = flat.find(anchor)
    while i >= 0:
        j = i
        end = i + window
        for ch in label:
            j = flat.find(ch, j, end)
            if j < 0:
                break
            j += 1
        else:
            return True
        i = flat.find(anchor, i + 1)
    return False


def _labels(ctx: Context, table: str, labels: list, flat: str) -> list[Finding]:
    missing = [lab for lab in labels if not present(lab[1], flat)]
    if not labels or len(missing) > (1 - MIN_FOUND) * len(labels):
        return []
    name = "表二" if table == "t2" else "表三"
    out = []
    for printed, _, cells in missing:
        if table == "t3" and ctx.merged_other and cells[0].startswith("t3.r3_6_"):
            continue  # reported as t3.other_row_merged
        out.append(finding(
            "label.deviates", WARNING,
            f"{name}中未找到格式规定的栏目「{printed}」（可能被改写、缺字或有错字），请对照格式核对。",
            check="C06" if table == "t2" else "C07", cells=list(cells), table=table,
            subject=printed))
    return out
