"""Web pages laid out the way real published reports are, built from a set of cell values.

Each helper writes one habit of real pages that generated reports did not have:

* ``blank_zeros``: every zero printed as an empty cell (2019-era pages), optionally the
  whole 总计 column of the outcome rows left empty while (七)总计 is filled;
* ``t4_word``: table 四 as Word saves it: a 3-row head (rowspan=2 cells, head text split
  by ``<br/>`` and padded ``<p>&nbsp;</p>``), one 15-cell data row whose blanks are bare
  ``<td>&nbsp;</td>`` / ``<td></td>``;
* ``t3_split_head``: a CMS head that gives 自然人 and 商业企业 two grid columns each
  (a blank cell under 自然人) while each data row holds one value per applicant column,
  its 总计 cell stretched to the head's width (read by grid position, 自然人 would take
  商业企业's values);
* ``t2_shifted``: a Word table 二 whose head merges 本年新公开数量 across two columns
  while the data rows merge 上一年项目数量 instead;
* ``typos``: row labels printed with a slip ({row id: printed label});
* a page header with the publication line, ``<meta name="PubDate">`` and a link whose
  file name carries another date.

Files are written by the tests themselves; nothing is read from outside the repository.
"""

from __future__ import annotations

import html as htmllib
from dataclasses import dataclass, field

from core.template import T3_COLUMNS, T4_COLUMNS, T4_ROWS, get_format

ORG_HEADS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def t3_rows(fmt: str) -> list[str]:
    return [r for r, _ in get_format(fmt).t3_rows]


def consistent_cells(fmt: str, t3: dict[str, list[int]] | None = None,
                     t4: list[int] | None = None, t2: dict[str, object] | None = None
                     ) -> dict[str, object]:
    """Every cell of the format, zero unless given, with the sums of 三 and 四 made to hold.

    ``t3`` gives the six applicant columns of some leaf rows and of 一/二; (七)总计, 四 and the
    总计 column follow. ``t4`` gives the four parts of each of the three rows in order."""
    f = get_format(fmt)
    cells: dict[str, object] = dict.fromkeys(f.cell_keys(), 0)
    for k in cells:
        if k.startswith("t2.") and k.endswith(".amount"):
            cells[k] = 0.0
    cells.update(t2 or {})
    rows = t3_rows(fmt)
    leaves = [r for r in rows if r.startswith("r3_") and r != "r3_7"]
    given = dict(t3 or {})
    parts = T3_COLUMNS[:-1]
    for r in rows:
        if r in given:
            for c, v in zip(parts, given[r], strict=True):
                cells[f"t3.{r}.{c}"] = v
    for c in parts:
        cells[f"t3.r3_7.{c}"] = sum(cells[f"t3.{r}.{c}"] for r in leaves)  # type: ignore[misc]
        out = cells[f"t3.new.{c}"] + cells[f"t3.carried_in.{c}"] - cells[f"t3.r3_7.{c}"]  # type: ignore[operator]
        cells[f"t3.carried_out.{c}"] = max(out, 0)
        if out < 0:
            cells[f"t3.new.{c}"] -= out  # type: ignore[operator]
    for r in rows:
        cells[f"t3.{r}.total"] = sum(cells[f"t3.{r}.{c}"] for c in parts)  # type: ignore[misc]
    four = list(t4 or [0] * 12)
    for i, r in enumerate(T4_ROWS):
        vals = four[4 * i: 4 * i + 4]
        for c, v in zip(T4_COLUMNS[:-1], vals, strict=True):
            cells[f"t4.{r}.{c}"] = v
        cells[f"t4.{r}.total"] = sum(vals)
    return cells


@dataclass
class Page:
    """One report page: what it says and how its tables are printed."""

    fmt: str
    cells: dict[str, object]
    year: int = 2024
    agency: str = "某某经济开发区管理委员会"
    title: str = ""  # default: agency + year + 政府信息公开工作年度报告
    compiler: str = "本报告由某某经济开发区管理委员会办公室编制"
    overview: str = ""
    info_line: str = ""  # e.g. "发布时间：2025-03-10 09:30　来源：管委会办公室"
    meta_pubdate: str = ""  # <meta name="PubDate" content=…>
    link_date: str = ""  # a link to the attachment, its file name carrying a date
    closing_date: str = ""  # under the signature
    blank_zeros: bool = False
    blank_total_column: bool = False  # 总计 of the outcome rows left empty
    t4_word: bool = False
    t4_empty: bool = False  # table 四 printed with every cell empty
    t3_split_head: bool = False
    t2_shifted: bool = False
    typos: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # cell key → printed text

    # ------------------------------------------------------------ cells
    def text(self, key: str) -> str:
        if key in self.raw:
            return self.raw[key]
        v = self.cells.get(key)
        if self.t4_empty and key.startswith("t4."):
            return ""
        if self.blank_total_column and key.startswith("t3.r3_") and key.endswith(".total") \
                and not key.startswith("t3.r3_7."):
            return ""
        if v in (0, 0.0) and self.blank_zeros:
            return ""
        if isinstance(v, float):
            v = v / 10000 if key == "t2.fees.amount" else v  # the 2021 column is in 万元
            return f"{v:.8f}".rstrip("0").rstrip(".")
        return str(v)

    def expected(self) -> dict[str, object]:
        """What a perfect reader finds: the printed values, None for an empty cell."""
        out: dict[str, object] = {}
        for k in self.cells:
            t = self.text(k)
            out[k] = None if t == "" else self.cells[k]
        return out

    # ------------------------------------------------------------ page
    def __post_init__(self) -> None:
        self.title = self.title or f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def html(self) -> str:
        head = ['<html><head><meta charset="utf-8">', f"<title>{self.title}</title>"]
        if self.meta_pubdate:
            head.append(f'<meta name="PubDate" content="{self.meta_pubdate}">')
        head.append("</head><body>")
        body = [f"<h1>{self.title}</h1>"]
        if self.info_line:
            body.append(f'<div class="info">{self.info_line}</div>')
        if self.link_date:
            body.append(f'<p><a href="/xxgk/{self.link_date}.pdf">附件：年度报告（PDF版）'
                        f"t{self.link_date}.pdf</a></p>")
        y = self.year
        body.append(f"<p>{self.compiler}，依据《中华人民共和国政府信息公开条例》编制。统计期限为"
                    f"{y}年1月1日至{y}年12月31日。</p>")
        body.append("<p>一、总体情况</p>")
        body.append(f"<p>{self.overview or f'{y}年，本区政府信息公开工作稳步推进。'}</p>")
        body.append("<p>二、主动公开政府信息情况</p>")
        body.append(self.t2_html())
        body.append("<p>三、收到和处理政府信息公开申请情况</p>")
        body.append(self.t3_html())
        body.append("<p>四、政府信息公开行政复议、行政诉讼情况</p>")
        body.append(self.t4_html())
        body.append("<p>五、存在的主要问题及改进情况</p><p>问题是宣传不够，改进措施是加强培训。</p>")
        body.append("<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>")
        if self.closing_date:
            body.append(f"<p>{self.closing_date}</p>")
        return "\n".join(head + body + ["</body></html>"])

    def _td(self, text: str, rs: int = 1, cs: int = 1) -> str:
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        return f"<td{attrs}>{htmllib.escape(text)}</td>"

    def _v(self, key: str, cs: int = 1) -> str:
        return self._td(self.text(key), cs=cs)

    # ------------------------------------------------------------ table 二
    def t2_html(self) -> str:
        """Each group under its own head; ``t2_shifted`` adds a grid column that the head
        gives to its second column and the data rows to their first."""
        f = get_format(self.fmt)
        width = max(len(g.columns) for g in f.t2_groups)
        shift = 1 if self.t2_shifted else 0
        rows = []
        for g in f.t2_groups:
            cols = list(g.columns)
            label = g.label.replace("(", "（").replace(")", "）")
            rows.append("<tr>" + self._td(label, cs=width + 1 + shift) + "</tr>")
            spans = [width // len(cols)] * len(cols)
            spans[-1] += width - sum(spans)
            head_spans, data_spans = list(spans), list(spans)
            head_spans[min(1, len(cols) - 1)] += shift
            data_spans[0] += shift
            heads = [self._td(lbl, cs=cs) for (_, lbl), cs in zip(cols, head_spans, strict=True)]
            rows.append("<tr>" + self._td("信息内容") + "".join(heads) + "</tr>")
            for rid, lbl in g.rows:
                tds = [self._v(f"t2.{rid}.{cid}", cs=cs)
                       for (cid, _), cs in zip(cols, data_spans, strict=True)]
                rows.append("<tr>" + self._td(lbl) + "".join(tds) + "</tr>")
        return '<table border="1">' + "".join(rows) + "</table>"

    # ------------------------------------------------------------ table 三
    def t3_html(self) -> str:
        f = get_format(self.fmt)
        corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        rows = []
        if self.t3_split_head:
            # 自然人 and 商业企业 take two grid columns each; each data row has seven cells.
            rows.append("<tr>" + self._td(corner, rs=3, cs=3) + self._td("申请人情况", cs=9)
                        + "</tr>")
            rows.append("<tr>" + self._td("自然人", cs=2) + self._td("法人或其他组织", cs=6)
                        + self._td("总计", rs=2) + "</tr>")
            rows.append("<tr>" + self._td("") + self._td("") + self._td("商业企业", cs=2)
                        + "".join(self._td(h) for h in ORG_HEADS[1:]) + "</tr>")
        else:
            rows.append("<tr>" + self._td(corner, rs=3, cs=3) + self._td("申请人情况", cs=7)
                        + "</tr>")
            rows.append("<tr>" + self._td("自然人", rs=2) + self._td("法人或其他组织", cs=5)
                        + self._td("总计", rs=2) + "</tr>")
            rows.append("<tr>" + "".join(self._td(h) for h in ORG_HEADS) + "</tr>")
        paths = dict(f.t3_rows)
        order = [r for r, _ in f.t3_rows]
        n_results = sum(1 for r in order if r.startswith("r3_"))
        groups_done: set[str] = set()
        for r in order:
            path = paths[r].split("/")
            label = self.typos.get(r, path[-1])
            # Under a split head each row still has one cell per column, the last one
            # stretched to the head's width.
            values = "".join(self._v(f"t3.{r}.{c}", cs=3 if self.t3_split_head
                                     and c == "total" else 1) for c in T3_COLUMNS)
            tds = ""
            if len(path) == 1:
                tds = self._td(label, cs=3)
            else:
                if path[0] not in groups_done:
                    groups_done.add(path[0])
                    tds += self._td(path[0], rs=n_results)
                if len(path) == 2:
                    tds += self._td(label, cs=2)
                else:
                    group = path[1]
                    if group not in groups_done:
                        groups_done.add(group)
                        size = sum(1 for x in order if paths[x].split("/")[1:2] == [group])
                        tds += self._td(group, rs=size)
                    tds += self._td(label)
            rows.append("<tr>" + tds + values + "</tr>")
        return '<table border="1">' + "".join(rows) + "</table>"

    # ------------------------------------------------------------ table 四
    def t4_html(self) -> str:
        keys = [f"t4.{r}.{c}" for r in T4_ROWS for c in T4_COLUMNS]
        if self.t4_word:
            def head(text: str, rs: int = 1, cs: int = 1) -> str:
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") \
                    + (f' colspan="{cs}"' if cs > 1 else "")
                lines = "<br/>".join(htmllib.escape(text[i:i + 2]) for i in range(0, len(text), 2))
                return (f'<td{attrs}><p class="MsoNormal">&nbsp;</p><p class="MsoNormal" '
                        f'align="center"><span>{lines}</span></p><p>&nbsp;</p></td>')
            r0 = head("行政复议", rs=2, cs=5) + head("行政诉讼", cs=10)
            r1 = head("未经复议直接起诉", cs=5) + head("复议后起诉", cs=5)
            r2 = "".join(head(h) for _ in range(3) for h in T4_HEADS)
            data = []
            for i, k in enumerate(keys):
                t = self.text(k)
                if t:
                    data.append(f'<td><p class="MsoNormal" align="center"><span>{t}</span>'
                                '</p></td>')
                else:
                    data.append("<td>&nbsp;</td>" if i % 2 else "<td></td>")
            return ('<table border="1"><tr>' + r0 + "</tr><tr>" + r1 + "</tr><tr>" + r2
                    + "</tr><tr>" + "".join(data) + "</tr></table>")
        r0 = self._td("行政复议", cs=5) + self._td("行政诉讼", cs=10)
        r1 = "".join(self._td(h, rs=2) for h in T4_HEADS) + self._td("未经复议直接起诉", cs=5) \
            + self._td("复议后起诉", cs=5)
        r2 = "".join(self._td(h) for _ in range(2) for h in T4_HEADS)
        data = "".join(self._v(k) for k in keys)
        return ('<table border="1"><tr>' + r0 + "</tr><tr>" + r1 + "</tr><tr>" + r2 + "</tr><tr>"
                + data + "</tr></table>")
