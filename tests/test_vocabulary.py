"""The one vocabulary: every word Chinese, every lookup total over its keys."""

from core import vocabulary as v


def test_words_are_the_house_vocabulary() -> None:
    assert v.severity_name("error") == "错误"
    assert v.severity_name("warning") == "提示"
    assert [v.VERDICT_ACTIONS[k] for k in v.VERDICTS] == ["确认", "排除"]
    assert [v.verdict_state(k) for k in v.VERDICTS] == ["已确认", "已排除"]
    assert v.verdict_state(None) == "未审查"
    assert v.LINE_RESULTS == ("通过", "不通过", "待核实", "无法判断", "不适用")
    assert v.CONCLUSIONS == ("合格", "需整改", "不合格")


def test_every_line_result_has_a_symbol_and_colours() -> None:
    for table in (v.LINE_RESULT_SYMBOLS, v.LINE_RESULT_COLOURS, v.LINE_RESULT_BACKGROUNDS):
        assert set(table) == set(v.LINE_RESULTS)
    assert len(set(v.LINE_RESULT_COLOURS.values())) >= 4  # 待核实 has its own colour


def test_verdict_words_in_chinese_or_key() -> None:
    assert v.verdict_key("排除") == "dismissed"
    assert v.verdict_key("已确认") == "confirmed"
    assert v.verdict_key("dismissed") == "dismissed"
    assert v.verdict_key("驳回") is None
