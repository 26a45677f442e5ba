"""Figures the prose states against the tables (C19, C30): ``text.contradicts_table``.

Only phrasings whose meaning is fixed are read, each quoted in the finding:

=================  ===============================================  =====================
claim              e.g.                                             compared with
=================  ===============================================  =====================
none               全年无依申请公开申请 / 未收到政府信息公开申请          一 总计 = 0
new                新收政府信息公开申请N件                             一 总计
received           (共)收到政府信息公开申请N件                         一 总计 (or 一+二)
carried_in         上年结转N件                                        二 总计
carried_out        结转下年度N件                                      四 总计
public             予以公开N件 (in a sentence about 申请)              (一)予以公开 总计
public_partial     予以公开及部分公开N件                               (一)+(二) 总计
review             (因政府信息公开被申请)行政复议N件                    表四 行政复议 总计
litigation         (被提起)行政诉讼N件                                表四 两类行政诉讼 总计之和
no_review …        未发生(因政府信息公开引起的)行政复议(、行政诉讼)       = 0
accepted           受理…申请N件                                       一 总计 (or 一+二)
normative, rules   制发(行政)规范性文件N件 / 规章N件                   表二 本年制发(新制作)
=================  ===============================================  =====================

A figure about table 三 may cover part of a row: it holds when it equals one applicant
column, the five 法人或其他组织 columns together, or (for 予以公开) (一) with (二).

Severity: error for the unambiguous claims. The 复议/诉讼 ones are errors only when the
sentence is about 政府信息公开 and not about cases the agency decides as 复议机关; the
application counts only when they are not figures for a whole region or system
(全市, 各部门). A warning otherwise, and always for 受理 (status ``uncertain``: its
count is often defined differently from 新收, and a peer project had to switch its
check off for that) and for document counts, which may include other kinds of
documents. 受理 and 办结/答复 counts never raise an error.
"""

from __future__ import annotations

import re

from core.checks.common import (
    ERROR,
    FAIL,
    UNCERTAIN,
    WARNING,
    Context,
    finding,
    fmt_num,
)
from core.model import Finding

_SPLIT = re.compile(r"[。；;！？!?]")
_SPACE = re.compile(r"\s+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９，：（）", "0123456789,:()")
NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"
APP = r"(?:政府信息公开|依申请公开|信息公开)?(?:的)?申请"
AMOUNT = r"(?:共|合计|总计|共计|累计)?(?:为|达)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("none", re.compile(
        r"(?:无|没有|未(?:收到|接到|发生))(?:任何|新的)?(?:依申请公开|政府信息公开)(?:的)?申请"
        r"(?=$|[,，、件事情])")),
    ("new", re.compile(rf"新收(?:到)?(?:各类)?{APP}(?:数量)?{AMOUNT}{NUM}件")),
    ("received", re.compile(rf"(?<!新)(?:收到|接到|接收)(?:各类|了)?{APP}{AMOUNT}{NUM}件")),
    ("accepted", re.compile(rf"受理(?:各类|了)?{APP}{AMOUNT}{NUM}件")),
    ("carried_in", re.compile(
        rf"上(?:一)?年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?{AMOUNT}{NUM}件")),
    ("carried_out", re.compile(
        rf"结转(?:至|到)?下(?:一)?年(?:度)?(?:继续)?(?:办理)?(?:的)?(?:申请)?{AMOUNT}{NUM}件")),
    ("public_partial", re.compile(rf"予以公开(?:和|及|与|、|或|以及)部分公开{AMOUNT}{NUM}件")),
    ("public", re.compile(rf"予以公开{AMOUNT}{NUM}件")),
    ("both", re.compile(
        rf"行政复议(?:和|及|与|、|或|以及)(?:被提起)?行政诉讼(?:案件)?{AMOUNT}{NUM}(?:件|起|宗)")),
    ("review", re.compile(rf"行政复议(?:申请|案件)?{AMOUNT}{NUM}(?:件|起|宗)")),
    ("litigation", re.compile(rf"行政诉讼(?:案件)?{AMOUNT}{NUM}(?:件|起|宗)")),
    ("no_review", re.compile(
        r"(?:未|没有|无)(?:发生|出现|收到|接到|产生|被)?(?P<mid>[^,，；：:0-9]{0,20}?)行政复议"
        r"(?P<both>(?:和|及|与|、|或|以及)(?:被提起)?行政诉讼)?(?!纠|撤|决定|机关|败|\d)")),
    ("no_litigation", re.compile(
        r"(?:未|没有|无)(?:发生|出现|产生|被)?(?P<mid>[^,，；：:0-9]{0,20}?)行政诉讼(?!纠|败|\d)")),
    ("normative", re.compile(
        rf"(?:制发|印发|出台|制定|新增)(?:了)?(?:行政)?规范性文件{AMOUNT}{NUM}件")),
    ("rules", re.compile(
        rf"(?:制发|制定|出台|新增公开|新增|公布)(?:了)?(?:[\u4e00-\u9fff]{{0,4}}政府)?规章{AMOUNT}{NUM}件")),
]

# Figures for a whole region or system may differ from the agency's own table 三.
_AGGREGATE = re.compile(r"全(?:省|市|州|盟|县|区|旗)|各(?:部门|单位|乡镇|街道|县|区)|系统")
# The agency deciding reviews or cases of others (as 复议机关), not answering them (表四).
_AS_REVIEWER = re.compile(r"(?:办理|审理|受理|复议机关|收到)[^,，。]{0,12}行政(?:复议|诉讼)")
T4_LIT = ["t4.direct.total", "t4.after_review.total"]
WHAT = {
    "none": "本年没有收到政府信息公开申请", "new": "本年新收政府信息公开申请",
    "received": "收到政府信息公开申请", "accepted": "受理政府信息公开申请",
    "carried_in": "上年结转申请", "carried_out": "结转下年度继续办理的申请",
    "public": "予以公开", "public_partial": "予以公开及部分公开",
    "both": "政府信息公开行政复议和行政诉讼",
    "review": "政府信息公开行政复议", "litigation": "政府信息公开行政诉讼",
    "no_review": "未发生政府信息公开行政复议", "no_litigation": "未发生政府信息公开行政诉讼",
    "normative": "制发规范性文件", "rules": "制发规章",
}

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def zh_number(s: str) -> int | None:
    """12, 一百零五, 两, 十二 → int; None when it is not a number."""
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def sentences(ctx: Context) -> list[tuple[str | None, str]]:
    """(section, sentence without white space) of the prose, in order."""
    parts: list[tuple[str | None, str]] = [
        (s, t) for s, t in sorted(ctx.report.section_text.items()) if t and t.strip()]
    if not parts and ctx.report.text:
        parts = [(None, ctx.report.text)]
    out = []
    for sec, body in parts:
        for sent in _SPLIT.split(body.translate(_FULLWIDTH)):
            compact = _SPACE.sub("", sent)
            if compact:
                out.append((sec, compact))
    return out


def run(ctx: Context) -> list[Finding]:
    if ctx.fmt is None:
        return []
    out: list[Finding] = []
    done: set[tuple[str, tuple[str, ...]]] = set()
    for sec, sent in sentences(ctx):
        if len(sent) > 600:
            continue  # a run of table text, not a sentence
        for name, value, cells, start in _claims(ctx, sent):
            key = (name, tuple(cells))
            if key in done:
                continue
            f = _judge(ctx, name, value, cells, sec, sent, start)
            if f is not None:
                done.add(key)
                out.append(f)
    return out


def _claims(ctx: Context, sent: str):
    """(claim, stated value, cells, position) found in one sentence."""
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    fmt2021 = ctx.report.format == "2021"
    for name, pat in PATTERNS:
        for m in pat.finditer(sent):
            if not free(m):
                continue
            if name in ("no_review", "no_litigation"):
                mid = m.group("mid")
                if any(w in mid for w in ("经", "一例", "申请人", "复议")):
                    continue
                taken.append(m.span())
                cells = ["t4.review.total"] if name == "no_review" else list(T4_LIT)
                yield name, 0, cells, m.start()
                if name == "no_review" and m.group("both"):
                    yield "no_litigation", 0, list(T4_LIT), m.start()
                continue
            n = zh_number(m.group("n")) if "n" in pat.groupindex else 0
            if n is None:
                continue
            taken.append(m.span())
            if name == "none" or name in ("new", "received", "accepted"):
                cells = ["t3.new.total"]
            elif name in ("carried_in", "carried_out"):
                cells = [f"t3.{name}.total"]
            elif name in ("public", "public_partial"):
                if "申请" not in sent and name == "public":
                    continue
                cells = ["t3.r3_1.total"]
                if name == "public_partial":
                    cells.append("t3.r3_2.total")
            elif name == "both":
                cells = ["t4.review.total", *T4_LIT]
            elif name == "review":
                cells = ["t4.review.total"]
            elif name == "litigation":
                cells = list(T4_LIT)
            elif name == "normative":
                cells = ["t2.normative.issued" if fmt2021 else "t2.normative.made"]
            else:
                cells = ["t2.rules.issued" if fmt2021 else "t2.rules.made"]
            yield name, n, cells, m.start()


def _judge(ctx: Context, name: str, value: int, cells: list[str], sec: str | None,
           sent: str, start: int) -> Finding | None:
    nums = [ctx.num(k) for k in cells]
    if any(v is None for v in nums):
        return None  # the table has no number there: nothing to compare
    table = sum(nums)  # type: ignore[arg-type]
    accepted: set[int | float] = {table}
    if name in ("received", "accepted"):
        carried = ctx.num("t3.carried_in.total")
        if carried is not None:
            accepted.add(table + carried)
    if cells[0].startswith("t3."):
        # A figure may cover part of the row: one applicant column (自然人), the five
        # 法人或其他组织 columns together, or (一)予以公开 with (二)部分公开.
        rows = [k.split(".")[1] for k in cells]
        if name == "public":
            rows.append("r3_2")
        accepted |= _partial_sums(ctx, rows[: len(cells)]) | _partial_sums(ctx, rows)
    if name == "none":
        if table == 0:
            return None
    elif value in accepted:
        return None
    ambiguous = name in ("accepted", "normative", "rules")
    if name in ("new", "received", "none", "carried_in", "carried_out", "public",
                "public_partial"):
        ambiguous = ambiguous or bool(_AGGREGATE.search(sent))
    if name in ("review", "litigation", "both", "no_review", "no_litigation"):
        ambiguous = "信息公开" not in sent or bool(_AS_REVIEWER.search(sent))
    severity = WARNING if ambiguous else ERROR
    status = UNCERTAIN if name == "accepted" else FAIL
    quote = _quote(sent, start)
    where = "、".join(ctx.label(k) for k in cells)
    if name == "none" or name.startswith("no_"):
        stated = f"正文称「{quote}」，即{WHAT[name]}；"
    else:
        stated = f"正文称「{quote}」，即{WHAT[name]} {value} 件；"
    both = "之和" if len(cells) > 1 else ""
    msg = f"{stated}但{where}{both}为 {fmt_num(table)}，文表不一致。"
    if name in ("received", "accepted") and len(accepted) > 1:
        msg = msg[:-1] + f"（加上年结转也只有 {fmt_num(max(accepted))}）。"
    if name == "accepted":
        msg += "「受理」的口径可能与表三「新收」不同，请核实。"
    elif ambiguous:
        msg += "该句口径可能与统计表不同，请核实。"
    zero_table = name == "none" or (value > 0 and table == 0 and cells[0].startswith("t3"))
    return finding(
        "text.contradicts_table", severity, msg, check="C30" if zero_table else "C19",
        cells=cells, status=status, left={"正文": value},
        right={k: ctx.value(k) for k in cells}, difference=value - table, section=sec,
        quote=quote, subject=name)


def _partial_sums(ctx: Context, rows: list[str]) -> set[float]:
    """Sums over ``rows`` of each applicant column and of the 法人或其他组织 columns."""
    out: set[float] = set()
    org = ("commercial", "research", "social", "legal", "other")
    for cols in [(c,) for c in ("natural", *org, "total")] + [org]:
        vals = [ctx.num(f"t3.{r}.{c}") for r in rows for c in cols]
        if all(v is not None for v in vals):
            out.add(sum(vals))  # type: ignore[arg-type]
    return out


def _quote(sent: str, start: int, width: int = 120) -> str:
    if len(sent) <= width:
        return sent
    a = max(0, min(start - 30, len(sent) - width))
    return ("…" if a else "") + sent[a : a + width] + ("…" if a + width < len(sent) else "")
