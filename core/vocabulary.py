"""The words a person reads, one vocabulary for the window, the command line and the papers.

Internal keys (what the checker, the store and the JSON contract keep) map to the Chinese
the inspector reads. Plain constants and lookups only: what a line's result *is* is
decided in :mod:`core.line_results`, not here.
"""

from __future__ import annotations

# --- severities of a finding (contract: "error" | "warning") -----------------------------
ERROR, WARNING = "error", "warning"
SEVERITY_NAMES: dict[str, str] = {ERROR: "错误", WARNING: "提示"}

# --- a finding's own status (contract: "fail" | "uncertain") -----------------------------
FAILS, UNCERTAIN = "fail", "uncertain"
FINDING_STATUS_NAMES: dict[str, str] = {FAILS: "不符", UNCERTAIN: "存疑"}

# --- the inspector's verdict on a finding (store: "confirmed" | "dismissed") -------------
CONFIRMED, DISMISSED = "confirmed", "dismissed"
VERDICTS = (CONFIRMED, DISMISSED)
# What the inspector does (a button, a CLI word) …
VERDICT_ACTIONS: dict[str, str] = {CONFIRMED: "确认", DISMISSED: "排除"}
# … and the state the finding is then in (a column, a printed tag).
VERDICT_STATES: dict[str, str] = {CONFIRMED: "已确认", DISMISSED: "已排除"}
UNREVIEWED_FINDING = "未审查"  # a finding nobody has confirmed or dismissed yet
# Words accepted for a verdict on the command line and in files (Chinese or the key).
VERDICT_WORDS: dict[str, str] = {
    CONFIRMED: CONFIRMED, DISMISSED: DISMISSED,
    "确认": CONFIRMED, "已确认": CONFIRMED, "排除": DISMISSED, "已排除": DISMISSED,
}

# --- a checklist line's result -----------------------------------------------------------
PASS, FAIL, PENDING, UNKNOWN, NOT_APPLICABLE = "通过", "不通过", "待核实", "无法判断", "不适用"
LINE_RESULTS = (PASS, FAIL, PENDING, UNKNOWN, NOT_APPLICABLE)
# One character per result for the batch summary's grid (all in Noto Sans CJK).
LINE_RESULT_SYMBOLS: dict[str, str] = {PASS: "✓", FAIL: "×", PENDING: "!", UNKNOWN: "?",
                                       NOT_APPLICABLE: "—"}
# Text and background colours, the same on screen and on paper.
LINE_RESULT_COLOURS: dict[str, str] = {PASS: "#1b5e20", FAIL: "#b71c1c", PENDING: "#9a4d00",
                                       UNKNOWN: "#5f5f5f", NOT_APPLICABLE: "#666666"}
LINE_RESULT_BACKGROUNDS: dict[str, str] = {PASS: "#ffffff", FAIL: "#fde7e7", PENDING: "#ffe9c7",
                                           UNKNOWN: "#eeeeee", NOT_APPLICABLE: "#f6f6f6"}

# --- the report's conclusion (审查结论) ---------------------------------------------------
QUALIFIED, NEEDS_RECTIFICATION, UNQUALIFIED = "合格", "需整改", "不合格"
CONCLUSIONS = (QUALIFIED, NEEDS_RECTIFICATION, UNQUALIFIED)
CONCLUSION_COLOURS: dict[str, str] = {QUALIFIED: "#1b5e20", NEEDS_RECTIFICATION: "#9a4d00",
                                      UNQUALIFIED: "#b71c1c"}

# --- a report's review status (store column ``status``) ----------------------------------
NOT_REVIEWED, IN_REVIEW, REVIEWED = "未审", "审查中", "已审"
REVIEW_STATUSES = (NOT_REVIEWED, IN_REVIEW, REVIEWED)

# --- labels ------------------------------------------------------------------------------
LABELS: dict[str, str] = {
    "severity": "级别", "verdict": "核实情况", "line_result": "检查结果",
    "conclusion": "审查结论", "proposed_conclusion": "建议结论", "note": "审查意见",
    "reviewer": "审查人", "checker": "复核人", "office": "审查机关", "date": "日期",
    "seal": "盖章", "basis": "依据", "dismiss_reason": "排除理由",
    "override_reason": "改定结论的理由", "practice": "工作惯例",
}


def severity_name(severity: str) -> str:
    """错误 / 提示 for a finding's severity (an unknown key is shown as it is)."""
    return SEVERITY_NAMES.get(severity, severity)


def verdict_state(verdict: str | None) -> str:
    """已确认 / 已排除 / 未审查 for a finding's verdict."""
    return VERDICT_STATES.get(verdict or "", UNREVIEWED_FINDING)


def verdict_key(word: str) -> str | None:
    """The stored key of a verdict written as 确认/排除/已确认/已排除 or the key; None if
    the word is none of them."""
    return VERDICT_WORDS.get(word.strip())
