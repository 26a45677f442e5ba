"""Reports for the checker tests, built from the dev corpus truth files.

The truth gives the cells; the prose is not in it. For a .txt or .html report the prose
is read from the file itself (plain text, tags stripped); for the other kinds it is
written from the truth's ``claims`` (the figures the prose states), so that the prose
checks see what the document says.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from datapaths import DEV_CORPUS, REAL_DIR, SEEDS_DIR

from core.contract import report_from_contract
from core.model import Report

DEV = DEV_CORPUS
REAL = REAL_DIR
SEEDS = SEEDS_DIR

_HEAD = re.compile(r"^[ \t\u3000]*([一二三四五六])[ \t\u3000]*、[ \t\u3000]*(\S[^\n]{0,40})$", re.M)
_KEYS = {"一": "总体", "二": "主动公开", "三": "申请", "四": "复议", "五": "问题", "六": "其他"}
_TAGS = re.compile(r"<[^>]+>")
_DROP = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def truth_files() -> list[Path]:
    return sorted(DEV.glob("*.truth.json"))


def html_text(raw: bytes) -> str:
    enc = "gbk" if re.search(rb"charset=[\"']?gbk", raw[:2000], re.I) else "utf-8"
    t = _DROP.sub("", raw.decode(enc, errors="replace"))
    t = html.unescape(_TAGS.sub("\n", t))
    return re.sub(r"\n\s*\n+", "\n", t)


def split_sections(text: str) -> dict[str, str]:
    """s1..s6 → body text, cut at the six numbered headings (first of each, in order)."""
    marks: list[tuple[int, int, str]] = []
    want = 0
    for m in _HEAD.finditer(text):
        i = "一二三四五六".index(m.group(1))
        if i >= want and _KEYS[m.group(1)] in m.group(2) and "本年" not in m.group(2):
            marks.append((m.start(), m.end(), f"s{i + 1}"))
            want = i + 1
    out = {}
    for n, (_, end, sid) in enumerate(marks):
        stop = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        out[sid] = text[end:stop].strip()
    return out


CLAIM_TEXT = {
    ("t3.new.total",): "全年新收政府信息公开申请{v}件",
    ("t3.carried_in.total",): "上年结转{v}件",
    ("t3.r3_1.total",): "其中予以公开{v}件",
    ("t4.review.total",): "全年因政府信息公开被申请行政复议{v}件",
    ("t4.direct.total", "t4.after_review.total"): "因政府信息公开被提起行政诉讼{v}件",
}


def prose_from_claims(doc: dict) -> str:
    parts = []
    for c in doc.get("claims", []):
        tpl = CLAIM_TEXT.get(tuple(c["cells"]))
        if tpl:
            parts.append(tpl.format(v=c["value"]))
    return ",".join(parts) + "。" if parts else ""


def load(path: Path, with_text: bool = True) -> tuple[dict, Report]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    report = report_from_contract(doc)
    if not with_text:
        return doc, report
    src = DEV / doc["source"]["file"]
    text = ""
    if src.suffix == ".txt":
        text = src.read_text(encoding="utf-8", errors="replace")
    elif src.suffix == ".html":
        text = html_text(src.read_bytes())
    if text:
        report.text = text
        report.section_text = split_sections(text)
    else:
        # Only the figures: enough for the prose checks, not for the content checks
        # (which therefore see no section text and judge nothing).
        report.text = prose_from_claims(doc)
    return doc, report


def matches(defect: dict, f) -> bool:
    """The scoring tool's rule (tools/score.py): same rule, a shared cell, same section/table."""
    if f.rule != defect["rule"]:
        return False
    if defect.get("cells") and not set(defect["cells"]) & set(f.cells):
        return False
    doc_level = defect["rule"] in ("section.missing", "table.missing")
    for fld in ("section", "table") if doc_level else ():
        if defect.get(fld) is not None and getattr(f, fld) != defect[fld]:
            return False
    return True
