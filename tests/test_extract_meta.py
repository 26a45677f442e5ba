"""Report facts from the prose, on documents built in the test."""

from __future__ import annotations

from core.document import Document, Location, Row, Token
from core.extract import meta
from core.extract.tables import find_blocks


def doc_of(*lines: str) -> Document:
    return Document("txt", [Row([Token(t, 0, 1, Location(line=i + 1))])
                            for i, t in enumerate(lines)])


def test_title_wrapped_mid_word_is_joined_and_web_suffix_cut() -> None:
    d = doc_of("某某市教育局关于2024年度政府信息公", "开工作年度报告", "一、总体情况")
    assert meta.find_title(d) == "某某市教育局关于2024年度政府信息公开工作年度报告"
    d = doc_of("某区统计局2022年政府信息公开工作年度报告 -某某网", "正文")
    assert meta.find_title(d) == "某区统计局2022年政府信息公开工作年度报告"


def test_breadcrumb_is_not_the_title() -> None:
    d = doc_of("您当前的位置: 首页>政务公开>政府信息公开年报",
               "某县司法局2021年政府信息公开工作年度报告")
    assert meta.find_title(d) == "某县司法局2021年政府信息公开工作年度报告"


def test_agency_with_guanyu_and_with_the_year_first() -> None:
    assert meta.find_agency("某市医保局关于2023年度政府信息公开工作年度报告") == "某市医保局"
    assert meta.find_agency("2023年度某市医保局政府信息公开工作年度报告") == "某市医保局"
    assert meta.find_agency("某县人民政府2020年政府信息公开工作年度报告") == "某县人民政府"
    assert meta.is_government("某县人民政府")
    assert not meta.is_government("某县人民政府办公室信访局")


def test_year_from_title_then_statistics_period() -> None:
    d = doc_of("政府信息公开工作年度报告",
               "本报告所列数据的统计期限为2022年1月1日至2022年12月31日。")
    assert meta.find_year(d, meta.find_title(d)) == 2022


def test_publication_date_in_every_form_seen() -> None:
    assert meta.find_published(doc_of("标题", "发布日期:2021-01-31 09:06:09")) == "2021-01-31"
    assert meta.find_published(doc_of("标题", "日期: 2021-01-20")) == "2021-01-20"
    assert meta.find_published(doc_of("标题", "2025-01-16 18:30 来源:某局")) == "2025-01-16"
    assert meta.find_published(doc_of("标题", "[2024-02-01]")) == "2024-02-01"
    assert meta.find_published(doc_of("标题", "正文", "某某局", "2020年3月3日")) == "2020-03-03"
    assert meta.find_published(doc_of("标题", "正文", "某某局", "二〇二四年一月三十一日")) \
        == "2024-01-31"
    # The statistics period is not a publication date.
    assert meta.find_published(doc_of("标题", "统计期限为2023年1月1日至2023年12月31日。",
                                      "正文")) is None


def test_sections_found_by_their_key_words_not_by_table_rows() -> None:
    d = doc_of("一、总体情况", "正文", "二、主动公开政府信息情况",
               "三、收到和处理政府信息公开申请情况",
               "一、本年新收政府信息公开申请数量", "三、本年度办理结果", "四、结转下年度继续办理",
               "五、存在的主要问题及改进情况", "正文")
    present, texts = meta.find_sections(d, find_blocks(d))
    assert present == {"s1": True, "s2": True, "s3": True, "s4": False, "s5": True, "s6": False}
    assert texts["s1"] == "正文"


def test_agency_on_the_line_above_a_year_first_title_line() -> None:
    d = doc_of("淮安市人民政府", "2024年政府信息公开工作年度报告", "一、总体情况")
    assert meta.find_title(d) == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert meta.find_agency(meta.find_title(d)) == "淮安市人民政府"


def test_title_broken_after_the_year_digits() -> None:
    d = doc_of("首页>政务公开", "宜昌市巫溪县规划和自然资源局2023", "年政府信息公开工作年度报告",
               "2024-01-29 18:30来源:宜昌市巫溪县规划和自然资源局")
    assert meta.find_title(d) == "宜昌市巫溪县规划和自然资源局2023年政府信息公开工作年度报告"
    assert meta.find_agency(meta.find_title(d)) == "宜昌市巫溪县规划和自然资源局"
    assert meta.find_published(d) == "2024-01-29"
