"""How each statutory row is recognised by its label, whatever the layout.

Each pattern is searched in the row's label text after :func:`core.extract.values.norm`
(no spaces, half-width brackets). The patterns are the distinctive words of each
label, so wrapped, split or slightly mistyped labels still match (行政止公开 for
行政法规禁止公开, 法规 for 行政法规, "1、" for "1.").
"""

from __future__ import annotations

import re

T3_ROW_PATTERNS: dict[str, str] = {
    "new": r"新收",
    "carried_in": r"上年结转|上年度结转",
    "r3_1": r"予以公开",
    "r3_2": r"部分公开",
    "r3_3_1": r"国家秘密",
    "r3_3_2": r"禁止公开|止公开|其他法律",
    "r3_3_3": r"三安全|一稳定|危及",
    "r3_3_4": r"第三方",
    "r3_3_5": r"内部事务",
    "r3_3_6": r"过程性",
    "r3_3_7": r"执法案卷",
    "r3_3_8": r"查询事项|行政查询",
    "r3_4_1": r"不掌握",
    "r3_4_2": r"另行制作|现成信息",
    "r3_4_3": r"补正后|仍不明确",
    "r3_5_1": r"信访|举报投诉",
    "r3_5_2": r"重复申请",
    "r3_5_3": r"出版物",
    "r3_5_4": r"大量反复|大量、反复",
    "r3_5_5": r"重新出具|已获取|确认或",
    "r3_6_1": r"不补正",
    "r3_6_2": r"缴纳费用|收费通知|未按收费",
    # Its label is just "3.其他": only where nothing but the group label precedes it (a
    # spreadsheet export repeats merged labels on every row: 三、本年度办理结果(六)其他处理3.其他).
    # Or wherever it ends the text with its serial: the end of the row above wrapped
    # onto its line (…政府信息公开申请3.其他).
    "r3_6_3": r"(?:^|其他处理)(?:[3３][\.、．]?)?其他$|[3３][\.、．]其他[。.]?$",
    "r3_6": r"其他处理",
    "r3_7": r"总计|合计",
    "carried_out": r"结转下年度|下年度继续",
}

T4_ROW_PATTERNS: dict[str, str] = {
    "review": r"^行政复议|^复议",
    "direct": r"未经复议|直接起诉",
    "after_review": r"复议后起诉|复议后",
}

T2_ROW_PATTERNS: dict[str, str] = {
    "rules": r"规章",
    "normative": r"规范性文件",
    "license": r"行政许可",
    "other_services": r"其他对外管理服务|对外管理服务",
    "penalty": r"行政处罚",
    "enforcement": r"行政强制",
    "fees": r"行政事业性收费|事业性收费",
    "procurement": r"集中采购|政府采购",
}

# 第二十条第(一)项 and its variants: 第二十条第一项, 第20条第(一)项, (一)项 on its own line.
T2_GROUP = re.compile(r"第(?:二十|20)条第?\(?([一五六八九])\)?项|^\(([一五六八九])\)项$")

FORMAT_2021_WORDS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
                     "本年收费金额", "不补正", "缴纳费用")
FORMAT_2019_WORDS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                     "本年增/减", "采购项目数量", "集中采购", "其他对外管理服务", "采购总金额")

COMPILED_T3 = {k: re.compile(v) for k, v in T3_ROW_PATTERNS.items()}
COMPILED_T4 = {k: re.compile(v) for k, v in T4_ROW_PATTERNS.items()}
COMPILED_T2 = {k: re.compile(v) for k, v in T2_ROW_PATTERNS.items()}
