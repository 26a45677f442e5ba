"""Findings as text for a terminal: grouped by severity, coloured on a TTY."""

from __future__ import annotations

from core.model import Report

_RED, _YELLOW, _DIM, _RESET, _BOLD = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m", "\x1b[1m"


def format_findings(report: Report, color: bool = False) -> str:
    def c(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    head = (f"{report.agency or '?'} {report.year or '?'}年 ({report.format or '?'}格式)"
            f" — {report.file}")
    lines = [c(_BOLD, head)]
    errors = [f for f in report.findings if f.severity == "error"]
    warnings = [f for f in report.findings if f.severity != "error"]
    if not report.findings:
        lines.append("  未发现问题 (no findings)")
    for title, group, code in (("错误", errors, _RED), ("提示", warnings, _YELLOW)):
        if not group:
            continue
        lines.append(c(code, f"  {title} {len(group)} 项"))
        for f in group:
            status = "" if f.status == "fail" else f" [{f.status}]"
            lines.append(f"    {c(code, f.rule)}{status} {f.message}")
            if f.cells:
                lines.append(c(_DIM, "      " + ", ".join(f.cells[:8])
                               + (" …" if len(f.cells) > 8 else "")))
    return "\n".join(lines) + "\n\n"
