"""Cell values: validity of every number (C14) and plausibility of the 2021 fee amount (C16).

- ``cell.invalid`` (error, C14): a count that is negative or fractional, an amount that is
  negative, or text in a number cell ("若干"). 本年增/减 (``t2.*.change``) may be negative.
- ``t2.fee_implausible`` (warning, C16): the 2021 第二十条第(八)项 收费金额 is so large that
  it looks like 元 written in the 万元 column.
"""

from __future__ import annotations

from core.checks.common import (
    AMOUNT_KEYS,
    ERROR,
    TABLE_SHORT,
    WARNING,
    Context,
    finding,
    fmt_num,
    is_government,
)
from core.model import NUMBER, TEXT, Finding

# Above these yuan amounts a 行政事业性收费 total is implausible (元 printed in the 万元 column).
FEE_LIMIT_DEPARTMENT = 1e8  # 1亿元 (printed 10000 in the 万元 column)
FEE_LIMIT_GOVERNMENT = 1e10  # 100亿元


def run(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for t in ("t2", "t3", "t4"):
        if not ctx.table_present(t):
            continue
        for key in ctx.table_keys(t):
            if ctx.kind(key) not in (TEXT, NUMBER):
                continue
            problem = _problem(ctx, key)
            if problem:
                raw = ctx.report.cells[key].raw or fmt_num(ctx.value(key))
                out.append(finding(
                    "cell.invalid", ERROR, f"{ctx.label(key)}填写为「{raw}」，{problem}。",
                    check="C14", cells=[key], table=t,
                    right={key: ctx.value(key)}))
    out += _fee(ctx)
    return out


def _problem(ctx: Context, key: str) -> str | None:
    kind = ctx.kind(key)
    if kind == TEXT:
        return "不是数字；统计表单元格应填写具体数字"
    if kind != NUMBER:
        return None
    v = ctx.value(key)
    amount = key in AMOUNT_KEYS
    if v < 0 and not key.endswith(".change"):  # type: ignore[operator]
        return "为负数；" + ("金额" if amount else "件数、数量") + "不能小于 0"
    if not amount and isinstance(v, float) and not v.is_integer():
        return "不是整数；件数、数量只能是非负整数"
    return None


def _fee(ctx: Context) -> list[Finding]:
    key = "t2.fees.amount"
    if ctx.report.format != "2021" or not ctx.table_present("t2"):
        return []
    v = ctx.num(key)
    if v is None or v <= 0:
        return []
    gov = is_government(ctx.report)
    limit = FEE_LIMIT_GOVERNMENT if gov else FEE_LIMIT_DEPARTMENT
    if v < limit:
        return []
    wan = v / 10000
    return [finding(
        "t2.fee_implausible", WARNING,
        f"{TABLE_SHORT['t2']}第二十条第（八）项「行政事业性收费·本年收费金额（单位：万元）」为 "
        f"{fmt_num(wan)} 万元（即 {fmt_num(v)} 元），数额异常大，"
        "疑似把以「元」计的金额填入了以「万元」"
        "为单位的栏目，请核对。注意：此项为行政事业性收费，不是第六部分的政府信息公开信息处理费。",
        check="C16", cells=[key], table="t2",
        right={key: v})]
