"""Findings as text for a terminal: grouped by severity, coloured on a TTY."""

from __future__ import annotations

from core.model import Report
from core.rule_names import rule_name
from core.template import cell_name
from core.vocabulary import FINDING_STATUS_NAMES, SEVERITY_NAMES

_RED, _YELLOW, _DIM, _RESET, _BOLD = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m", "\x1b[1m"


def format_findings(report: Report, color: bool = False) -> str:
    def c(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    head = (f"{report.agency or '?'} {report.year or '?'}年度（{report.format or '?'}版格式）"
            f"— {report.file}")
    lines = [c(_BOLD, head)]
    errors = [f for f in report.findings if f.severity == "error"]
    warnings = [f for f in report.findings if f.severity != "error"]
    if not report.findings:
        lines.append("  未发现问题")
    for title, group, code in ((SEVERITY_NAMES["error"], errors, _RED),
                               (SEVERITY_NAMES["warning"], warnings, _YELLOW)):
        if not group:
            continue
        lines.append(c(code, f"  {title} {len(group)} 项"))
        for f in group:
            status = "" if f.status == "fail" else \
                f"（{FINDING_STATUS_NAMES.get(f.status, f.status)}）"
            lines.append(f"    {c(code, rule_name(f.rule))}{status} {f.message}")
            if f.cells:
                lines.append(c(_DIM, "      " + "、".join(cell_name(k, report.format)
                                                         for k in f.cells[:8])
                               + (f" 等 {len(f.cells)} 格" if len(f.cells) > 8 else "")))
    return "\n".join(lines) + "\n\n"
