"""Report facts from the prose: title, agency, year covered, publication date, sections."""

from __future__ import annotations

import datetime as dt
import re

from core.document import Document
from core.extract.tables import Blocks, heading_of
from core.extract.values import norm

_TITLE = re.compile(r"信息公开(?:工作)?(?:年度)?报告|信息公开工作年报|政务公开.{0,4}年度报告")
_CHROME = re.compile(r"首页|当前位置|字号|打印|关闭|来源[:：]|浏览|扫一扫|分享|无障碍|网站")
_NOT_TITLE = ("根据", "按照", "本报告", "现将", "依据")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_PERIOD = re.compile(r"统计期限为?((?:19|20)\d{2})年\s*1\s*月\s*1\s*日")
_ISO_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LABELLED_DATE = re.compile(r"(?:发布|公开|成文|生成|印发)?(?:日期|时间)\s*[:：]?\s*" + _ISO_DATE)
_INFO_LINE = re.compile(_ISO_DATE + r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*"
                        r"(?:来源|作者|浏览|点击|信息来源|发布机构)")
_CN_DATE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE_HAN = re.compile(r"^\s*([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月"
                          r"([一二三四五六七八九十]{1,3})日\s*$")
_BARE_DATE = re.compile(r"^\s*[\[【(（]?\s*" + _ISO_DATE
                        + r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?\s*$")
_AGENCY_SUFFIX = re.compile(r"(关于)?((?:19|20)\d{2})\s*年.*$")
_GOVERNMENT = re.compile(r"(人民政府|政府办公室|政府办公厅|人民政府办公室|人民政府办公厅)$")
# Used on every report: compiled with the module (a one-file command imports it while
# the file is read), not at the first report.
_SPACES = re.compile(r"\s+")
_LEADING_TAG = re.compile(r"^[\[【(（].*?[\]】)）]")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}年度?")
_DISCLOSURE = re.compile(r"政府信息公开|信息公开")


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


_HAN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def _han_int(s: str) -> int:
    """二〇二四 → 2024, 十二 → 12, 三十一 → 31."""
    if "十" not in s:
        return int("".join(str(_HAN_DIGIT[ch]) for ch in s))
    tens, _, ones = s.partition("十")
    return (_HAN_DIGIT[tens] if tens else 1) * 10 + (_HAN_DIGIT[ones] if ones else 0)


def _clean_title(t: str) -> str:
    """Cut what a web page appends after the title (" -凯发app平台", "_某某网")."""
    m = _TITLE.search(t)
    return t[: m.end()] if m else t


def _title_like(t: str) -> bool:
    return len(t) <= 80 and not t.startswith(_NOT_TITLE) and not any(c in t for c in ">|»")


def _starts_midway(title_line: str) -> bool:
    """A title line that only ends a title: "年政府信息公开…", "2024年政府信息公开…"."""
    if title_line.startswith(("年", "度", "关于")):
        return True
    agency = find_agency(title_line)
    return agency is None or len(agency) < 2


def find_title(doc: Document) -> str | None:
    """The report title, its wrapped lines joined (titles wrap anywhere in PDFs).

    The title is the earliest run of up to four title-like lines that reads as a
    report title; an agency line printed above a title that starts with the year is
    joined too.
    """
    head = [_SPACES.sub("", r.text) for r in doc.rows[:60]]
    usable = [_title_like(t) and not t.endswith(("。", "；", ";")) and not _CHROME.search(t)
              for t in head]
    for i in range(1, len(head)):
        # The wrapped tail of a breadcrumb or navigation line ("息公开年报") is chrome too.
        if usable[i] and not usable[i - 1] and (len(head[i]) <= 6 or head[i].endswith("年报")) \
                and (_CHROME.search(head[i - 1]) or any(c in head[i - 1] for c in ">|»")):
            usable[i] = False
    for i, t in enumerate(head):
        if not usable[i]:
            continue
        joined = ""
        for k in range(i, min(i + 4, len(head))):
            if not usable[k]:
                break
            joined += head[k]
            if len(joined) > 80:
                break
            if not _TITLE.search(joined):
                continue
            if k == i and _TITLE.search(t):
                prev = head[i - 1] if i else ""
                # "淮安市人民政府" above "2024年政府信息公开工作年度报告": the agency line.
                if _starts_midway(t) and prev and _title_like(prev) and len(prev) <= 40 \
                        and not prev.endswith(("。", ":", "：")) \
                        and not re.search(r"\d{4}-\d", prev):
                    return _clean_title(prev + t)
            return _clean_title(joined)
    # Document properties often hold a placeholder ("Word Document"): only a real title.
    title = _SPACES.sub("", doc.meta.get("title") or "")
    return _clean_title(title) if _TITLE.search(title) else None


def find_agency(title: str | None) -> str | None:
    if not title:
        return None
    t = _LEADING_TAG.sub("", title)
    # "2023年度某某局政府信息公开工作年度报告": the year comes first.
    lead = _LEADING_YEAR.match(t)
    if lead:
        rest = _DISCLOSURE.split(t[lead.end():])[0]
        return rest.strip(" ：:-—") or None
    m = _AGENCY_SUFFIX.search(t)
    agency = t[: m.start()] if m else _DISCLOSURE.split(t)[0]
    agency = agency.strip(" ：:-—")
    return agency or None


def find_year(doc: Document, title: str | None) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    text = norm(doc.text()[:6000])
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1))
    # Last resort: the year the overview opens with ("2023年,区文旅局…").
    m = re.search(r"一、总体情况\D{0,20}((?:19|20)\d{2})年", text)
    return int(m.group(1)) if m else None


def find_published(doc: Document) -> str | None:
    return find_publication(doc)[0]


# Where the publication date was read, in the words the report shows the inspector.
SOURCE_META = "网页元数据（PubDate）"
SOURCE_PAGE_LINE = "网页发布时间行"
SOURCE_LABELLED = "标注的日期"
SOURCE_INFO_LINE = "网页信息行"
SOURCE_UNDER_TITLE = "标题下的日期"
SOURCE_SIGNATURE = "落款日期"
_PUBLISH_LINE = re.compile(r"(?:发布|公开|发稿|上线)(?:日期|时间)\s*[:：]?\s*" + _ISO_DATE
                           + r"|(?:^|\s)时间\s*[:：]\s*" + _ISO_DATE)
# Dates inside links and file names (t20250313_…, /art/2025/3/13/…) are never the page's.
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:s?html?|pdf|docx?|wps|jsp|aspx?)\b", re.I)


def _unlinked(text: str) -> str:
    return _URLISH.sub(" ", text)


def find_publication(doc: Document) -> tuple[str | None, str]:
    """The publication date and where it was read (``SOURCE_*``), or (None, "").

    The page's own publication line or ``<meta>`` come first; dates in links and file
    names are ignored; then other labelled dates, the site's info line, a date under
    the title, and the date under the signature."""
    raw = doc.meta.get("published_raw") or doc.meta.get("published")
    if raw:
        m = re.search(_ISO_DATE, raw)
        if m and (d := _date(*m.groups())):
            return d, SOURCE_META
    head = [_unlinked(r.text) for r in doc.rows[:40]]
    for text in head:
        m = _PUBLISH_LINE.search(text)
        if m:
            groups = m.groups()
            d = _date(*groups[:3]) if groups[0] else _date(*groups[3:])
            if d:
                return d, SOURCE_PAGE_LINE
    for text in head:
        m = _LABELLED_DATE.search(text)
        if m and (d := _date(*m.groups())):
            return d, SOURCE_LABELLED
    for text in head:
        m = _INFO_LINE.search(text)
        if m and (d := _date(*m.groups())):
            return d, SOURCE_INFO_LINE
    for text in head[:12]:
        m = _BARE_DATE.match(text)
        if m and (d := _date(*m.groups())):
            return d, SOURCE_UNDER_TITLE
    # A closing date under the signature, near the end of the body.
    tail = doc.rows[-15:]
    for r in reversed(tail):
        text = r.text.strip()
        m = _CN_DATE.match(text)
        if m and (d := _date(*m.groups())):
            return d, SOURCE_SIGNATURE
        m = _CN_DATE_HAN.match(text)
        if m:
            try:
                return dt.date(_han_int(m.group(1)), _han_int(m.group(2)),
                               _han_int(m.group(3))).isoformat(), SOURCE_SIGNATURE
            except ValueError:
                continue
    for r in doc.rows[-40:]:
        m = _LABELLED_DATE.search(_unlinked(r.text))
        if m and (d := _date(*m.groups())):
            return d, SOURCE_LABELLED
    return None, ""


def find_sections(doc: Document, blocks: Blocks) -> tuple[dict[str, bool], dict[str, str]]:
    """Which of the six sections are present, and the body text of each."""
    present = {f"s{i}": False for i in range(1, 7)}
    starts: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i, r in enumerate(doc.rows):
        if r.grid and len([t for t in r.tokens if t.text]) > 1:
            continue
        sid = heading_of(r.text)
        if sid and sid not in seen:
            seen.add(sid)
            starts.append((i, sid))
    for _, sid in starts:
        present[sid] = True
    texts: dict[str, str] = {}
    starts.sort()
    for k, (i, sid) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(doc.rows)
        texts[sid] = "\n".join(r.text for r in doc.rows[i + 1:end] if not r.grid)
    return present, texts


def is_government(agency: str | None) -> bool:
    return bool(agency and _GOVERNMENT.search(agency))


_GOV_SUFFIXES = ("人民政府", "人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅",
                 "政府办", "区政府", "县政府", "市政府", "省政府", "旗政府")
# The register of agencies (core/register.py) uses the same two words.
GOVERNMENT = "政府本级"  # a government's own report, due 3月31日
DEPARTMENT = "部门"  # a department's, due 1月31日

# An area's management body that acts as its government (管委会 of a 开发区, 新区, 实验区 …):
# the area's word, then 管理委员会/管委会 (or its office) ending the name.
_AREA = (r"(?:开发区|实验区|新区|示范区|高新区|园区|保税区|试验区|合作区|自贸区|自由贸易区"
         r"|功能区|产业园|旅游区|景区|集聚区)")
_AREA_BODY = re.compile(
    _AREA + r"(?:工作)?(?:管理委员会|管委会|管理局)(?:办公室|办公厅|党政办公室|党政办)?$")
_AREA_NAME = re.compile(_AREA + r"$")
# The body speaking for the whole area: 本区/本实验区/全区政府信息公开工作, or its
# 管委会办公室 compiling the report.
_AREA_VOICE = re.compile(
    r"(?:本|全)(?:实验区|开发区|新区|示范区|高新区|园区|区)(?:的)?政府信息公开工作")
_AREA_COMPILER = re.compile(
    r"(?:管委会|管理委员会)(?:党政)?办公室(?:负责)?(?:编制|编写|汇总|牵头)")


def find_level(agency: str | None, text: str) -> tuple[str, str]:
    """Whether a report is a government's own (政府本级) or a department's, and why.

    人民政府 and its 办公室/办公厅 are government level; so are the management bodies of
    开发区, 新区, 实验区 … (管委会 / 管理委员会), which report for their whole area, and
    a report naming only the area. A department of such a body ("…管委会财政局") is not.
    Where the name says neither, the body decides: "本区政府信息公开工作…" written by a
    管委会办公室."""
    name = _SPACES.sub("", agency or "")
    body = _SPACES.sub("", text[:6000])
    # Without a name from the title, the title's first lines ("淮安市人民政府" above
    # "2024年政府信息公开工作年度报告").
    names = [name] if name else [_SPACES.sub("", ln) for ln in text.splitlines()[:6]
                                 if ln.strip() and len(ln.strip()) <= 30][:2]
    gov = next((n for n in names if n.endswith(_GOV_SUFFIXES)), None)
    if gov:
        return GOVERNMENT, f"机关名称「{gov}」为人民政府或其办公室（厅）"
    voice = _AREA_VOICE.search(body) or _AREA_COMPILER.search(body)
    if name and (_AREA_BODY.search(name) or _AREA_NAME.search(name)):
        why = f"机关名称「{name}」为开发区、新区等区域的管理机构，代表本区域政府编制报告"
        if voice:
            why += f"；正文称「{voice.group(0)}」"
        return GOVERNMENT, why
    # A 管委会 of something else, not a commission of a government (…人民政府国有资产监督
    # 管理委员会 is a department).
    committee = re.search(r"(?:管委会|管理委员会)(?:办公室)?$", name) and "政府" not in name
    if voice and (not name or committee):
        return GOVERNMENT, f"正文称「{voice.group(0)}」，报告由区域管理机构代表本区域编制"
    if name:
        return DEPARTMENT, f"机关名称「{name}」为政府部门或其他机关"
    return DEPARTMENT, "未能确定机关名称，按政府部门对待"
