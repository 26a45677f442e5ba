"""What a checklist line cites as its basis: national documents by default, a province's only
when the office chose that province.

The national sources (``docs/spec/rules.md`` §1, §3) are the 《政府信息公开条例》 and the
two national format documents; a line with no national source says 「工作惯例」. A
local standard or circular binds only the reports of its province, so it is printed only
under that province's profile (settings, or ``--basis-profile`` on the command line).
"""

from __future__ import annotations

from collections.abc import Mapping

REG = "《中华人民共和国政府信息公开条例》"
REG_SHORT = "《条例》"
F60 = "国办公开办函〔2019〕60号"
F30 = "国办公开办函〔2021〕30号"
FEE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
PRACTICE = "工作惯例"
FORMAT_DOCS = {"2019": f"年度报告格式（试行）（{F60}）", "2021": f"年度报告格式（{F30}）"}
FORMAT_EITHER = f"年度报告格式（{F60}、{F30}）"

# The profiles an office can choose: the key is what settings and the CLI take.
NATIONAL = "全国"
SICHUAN = "四川"
GUANGDONG = "广东"
PROFILES: dict[str, str] = {
    NATIONAL: "全国通用（只引用国家规定）",
    SICHUAN: "四川省（另引DB51/T 2660—2019）",
    GUANGDONG: "广东省（另引粤办函〔2010〕249号）",
}
DEFAULT_PROFILE = NATIONAL

_DB51 = "四川省地方标准DB51/T 2660—2019《政府信息公开工作年度报告编制发布规范》"
_GD10 = "广东省人民政府办公厅粤办函〔2010〕249号通报"

# Local sources by profile and check id (rules.md: S-SC, S-GD10).
LOCAL: dict[str, dict[str, str]] = {
    SICHUAN: {
        "C01": f"{_DB51}§2.1（统计时间段为上一年度1月1日至12月31日）",
        "C20": f"{_DB51}§2.1（统计时间段为上一年度1月1日至12月31日）",
    },
    GUANGDONG: {
        "C19": f"{_GD10}（前后数据不一致属「数据失准」）",
        "C30": f"{_GD10}（前后数据不一致属「数据失准」）",
        "C21": f"{_GD10}（未按时发布）",
    },
}


def format_doc(fmt: str | None) -> str:
    """The national format document of a report's format (both when it is not known)."""
    return FORMAT_DOCS.get(fmt or "", FORMAT_EITHER)


def profile_key(name: str | None) -> str:
    """The profile for a name typed in settings or on the CLI ("四川", "四川省", "") ;
    ValueError with the choices for an unknown one."""
    text = (name or "").strip().removesuffix("省")
    if not text or text in ("全国", "国家", "national"):
        return NATIONAL
    if text in PROFILES:
        return text
    raise ValueError(f"未知的依据范围「{name}」，可选：{'、'.join(PROFILES)}")


def compose(national: str, check_id: str, profile: str = DEFAULT_PROFILE, *,
            fmt: str | None = None, local: Mapping[str, Mapping[str, str]] = LOCAL) -> str:
    """The basis a line prints: the national text (``{格式}`` → the report's format
    document), else 「工作惯例」; the province's own source added under its profile."""
    text = national.replace("{格式}", format_doc(fmt)) if national else PRACTICE
    extra = local.get(profile, {}).get(check_id)
    return f"{text}；{extra}" if extra else text
