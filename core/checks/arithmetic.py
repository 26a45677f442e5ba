"""The sums of tables 三 and 四 (C10–C13).

- ``t3.balance``: per column, 一 + 二 = 三(七)总计 + 四 (the header's 勾稽关系 note).
- ``t3.outcome_sum``: per column, 三(七)总计 = the outcome rows (一)…(六).
- ``t3.row_sum``: per row, 总计 = 自然人 + the five 法人或其他组织 columns.
- ``t4.row_sum``: per row, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

Blank cells and "/"-style marks count as 0 (rules.md A5: "empty cells count as 0"), so
a blank 总计 under filled parts fails as it would on paper; the blanks themselves are
``cell.blank`` (structure). A sum with a text operand ("若干") or a row that fills only
its 总计 (the breakdown left blank, a layout of its own, see ``cell.blank``) is never
failed: such sums are gathered into one ``uncertain`` warning per rule. Every evaluated
sum is kept as an :class:`Equation` so that the checker can tell which single cell explains several
failures (``Finding.cause``).
"""

from __future__ import annotations

from core.checks.common import (
    ERROR,
    FAIL,
    UNCERTAIN,
    WARNING,
    Context,
    Equation,
    finding,
    fmt_num,
    is_number,
    row_label,
)
from core.model import BLANK, NA, Finding
from core.template import T3_LABELS, T4_COLUMNS, T4_LABELS, table_identities

T4_PARTS = T4_COLUMNS[:-1]
T4_ROW_NAMES = {"review": "行政复议", "direct": "行政诉讼·未经复议直接起诉",
                "after_review": "行政诉讼·复议后起诉"}

CHECKS = {"t3.balance": "C10", "t3.row_sum": "C11", "t3.outcome_sum": "C12", "t4.row_sum": "C13"}


def run(ctx: Context) -> list[Finding]:
    if ctx.fmt is None:
        return []
    out: list[Finding] = []
    pending: dict[str, list[Equation]] = {}
    # The sums are the format's, defined once (core.template.table_identities), the same
    # ones the second PDF reader checks its reading against.
    for rule, left, right in table_identities(ctx.fmt.name, ctx.merged_other):
        if not ctx.table_present(rule[:2]):
            continue
        where = left[0].split(".")
        if rule.endswith("row_sum"):
            _eq(ctx, rule, left, right, out, pending, row=where[1])
        else:
            _eq(ctx, rule, left, right, out, pending, col=where[2])
    for rule, eqs in pending.items():
        out.append(_uncertain(ctx, rule, eqs))
    return out


def _eq(ctx: Context, rule: str, left: list[str], right: list[str], out: list[Finding],
        pending: dict[str, list[Equation]], row: str = "", col: str = "") -> None:
    lv = [_operand(ctx, k) for k in left]
    rv = [_operand(ctx, k) for k in right]
    if None in lv or None in rv or (rule.endswith("row_sum") and _total_only(ctx, left, right)):
        eq = Equation(rule, left, right, UNCERTAIN)
        pending.setdefault(rule, []).append(eq)
        ctx.equations.append(eq)
        return
    diff = sum(lv) - sum(rv)  # type: ignore[arg-type]
    if abs(diff) < 1e-9:
        ctx.equations.append(Equation(rule, left, right, "pass"))
        return
    message = _message(rule, lv, rv, diff, row, col)
    if len(left) == 1 and ctx.num(left[0]) is None:  # a blank total: say so, not "0"
        message = message.replace(f"总计（{fmt_num(lv[0])}）", "总计（空白，按 0 计）", 1)
    # Cells in the order an inspector reads them: the parts, then the total.
    cells = left + right if rule == "t3.balance" else right + left
    f = finding(rule, ERROR, message, check=CHECKS[rule], cells=cells,
                left={k: ctx.value(k) for k in left}, right={k: ctx.value(k) for k in right},
                difference=diff, table=rule[:2])
    out.append(f)
    ctx.equations.append(Equation(rule, left, right, FAIL, diff, f))


def _operand(ctx: Context, key: str) -> int | float | None:
    """A cell's value in a sum: its number, 0 for a blank or "/" (A5), else None."""
    n = ctx.num(key)
    if n is None and ctx.kind(key) in (BLANK, NA):
        return 0
    return n


def _total_only(ctx: Context, left: list[str], right: list[str]) -> bool:
    """A row that prints only its 总计 (every part blank): the parts were not broken down."""
    return ctx.num(left[0]) not in (None, 0) and all(ctx.kind(k) in (BLANK, NA) for k in right)


def _plus(values: list) -> str:
    s = fmt_num(sum(values))
    return s if len(values) != 2 else f"{fmt_num(values[0])}+{fmt_num(values[1])}={s}"


def _message(rule: str, lv: list, rv: list, diff: float, row: str, col: str) -> str:
    d = fmt_num(abs(diff))
    if rule == "t3.balance":
        return (f"表三「{T3_LABELS[col]}」列：一+二（{_plus(lv)}）≠ 三（七）总计+四"
                f"（{_plus(rv)}），相差 {d}。")
    if rule == "t3.outcome_sum":
        return (f"表三「{T3_LABELS[col]}」列：三（七）总计（{fmt_num(lv[0])}）≠ "
                f"（一）至（六）各项办理结果之和（{fmt_num(sum(rv))}），相差 {d}。")
    if rule == "t3.row_sum":
        return (f"表三「{row_label(row)}」行：总计（{fmt_num(lv[0])}）≠ "
                f"自然人+法人或其他组织五列之和（{fmt_num(sum(rv))}），相差 {d}。")
    parts = "+".join(T4_LABELS[c] for c in T4_PARTS)
    return (f"表四「{T4_ROW_NAMES[row]}」：总计（{fmt_num(lv[0])}）≠ {parts}"
            f"（{'+'.join(fmt_num(v) for v in rv)}={fmt_num(sum(rv))}），相差 {d}。")


_WHAT = {
    "t3.balance": "「一+二 = 三（七）总计+四」",
    "t3.outcome_sum": "「三（七）总计 = （一）至（六）各项之和」",
    "t3.row_sum": "「总计 = 自然人+法人或其他组织各列」",
    "t4.row_sum": "「总计 = 结果维持+结果纠正+其他结果+尚未审结」",
}


def _uncertain(ctx: Context, rule: str, eqs: list[Equation]) -> Finding:
    seen: dict[str, None] = {}
    for eq in eqs:
        for k in eq.left + eq.right:
            if not is_number(ctx.kind(k)):
                seen[k] = None
    cells = list(seen)
    unit = "行" if rule.endswith("row_sum") else "列"
    if rule.startswith("t4"):
        where = "、".join(f"「{T4_ROW_NAMES[e.left[0].split('.')[1]]}」" for e in eqs)
    elif unit == "行":
        where = "、".join(f"「{row_label(e.left[0].split('.')[1])}」" for e in eqs[:5])
    else:
        where = "、".join(f"「{T3_LABELS[e.left[0].split('.')[2]]}」" for e in eqs[:7])
    more = " 等" if len(eqs) > 7 or (unit == "行" and len(eqs) > 5) else ""
    table = "表四" if rule.startswith("t4") else "表三"
    message = (f"{table}有 {len(eqs)} {unit}的{_WHAT[rule]}无法核对：{where}{more}"
               f"含非数字单元格或只填了「总计」（共 {len(cells)} 个单元格）。"
               "请补填分项数字后复核。")
    return finding(rule, WARNING, message, check=CHECKS[rule], cells=cells,
                   status=UNCERTAIN, table=rule[:2], subject="uncertain")
