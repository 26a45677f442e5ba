"""What a finding is about, in words people read: the rule's name and the place (the first
cell's printed name, a section, a table). The window, the command line and the papers all
take their words from here; the rule ids (``t3.balance`` …) stay internal.
"""

from __future__ import annotations

from core.model import Finding
from core.template import cell_name

RULE_NAMES = {
    "t3.balance": "表三 勾稽关系",
    "t3.outcome_sum": "表三 办理结果合计",
    "t3.row_sum": "表三 行合计",
    "t4.row_sum": "表四 行合计",
    "t3.other_row_merged": "表三 其他处理未分项",
    "t2.fee_implausible": "表二 收费金额存疑",
    "cell.invalid": "数值无效",
    "cell.blank": "单元格空白",
    "cell.low_confidence": "识别置信度低",
    "label.deviates": "栏目名称不符",
    "section.missing": "缺少章节",
    "section.order": "章节顺序",
    "section1.content": "总体情况内容",
    "section5.content": "问题及改进内容",
    "section6.empty": "其他事项为空",
    "section6.fee_statement": "收费情况说明",
    "content.assessment_missing": "缺少年度考核内容",
    "fee.notice_inconsistent": "收费说明与表格不符",
    "table.missing": "缺少表格",
    "table.incomplete": "表格不完整",
    "format.outdated": "格式版本",
    "year.missing": "年度未说明",
    "year.inconsistent": "年度不一致",
    "publication.late": "发布超期",
    "publication.date_missing": "未注明发布日期",
    "publication.date_implausible": "发布日期存疑",
    "preamble.incomplete": "报告开头不完整",
    "text.contradicts_table": "正文与表格不符",
    "crossyear.carry_over": "跨年结转不符",
    "crossyear.in_force": "跨年现行有效件数",
    "crossyear.identical_tables": "与上年表格相同",
    "crossyear.copied_text": "与上年正文雷同",
}
PLACE_NAMES = {
    "s1": "一、总体情况", "s2": "二、主动公开", "s3": "三、依申请公开", "s4": "四、复议诉讼",
    "s5": "五、问题及改进", "s6": "六、其他事项", "t2": "表二", "t3": "表三", "t4": "表四",
    "preamble": "报告开头", "published": "发布日期", "year": "年度", "format": "格式",
    "title": "标题",
}


def rule_name(rule: str) -> str:
    return RULE_NAMES.get(rule, rule)


def cells_text(finding: Finding, fmt: str | None) -> str:
    """Where a finding is, in the printed labels: its first cell (and how many more)."""
    if not finding.cells:
        place = finding.section or finding.table or finding.field
        return PLACE_NAMES.get(place, place) if place else "全文"
    first = cell_name(finding.cells[0], fmt)
    more = len(finding.cells) - 1
    return f"{first} 等 {len(finding.cells)} 格" if more else first
