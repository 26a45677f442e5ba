"""The extractor against the dev corpus truth and the five real seed reports.

Every born-digital report of ``tests/data/corpus/dev`` must come out cell for cell as its
truth file says; the seeds' expected values were written here by reading them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS, SEEDS_DIR

from core.extract import extract_file

DEV = DEV_CORPUS
SEEDS = SEEDS_DIR


def _dev_cases(kinds: set[str]) -> list[tuple[str, Path, dict]]:
    cases = []
    for truth_path in sorted(DEV.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth["source"].get("render") in kinds:
            cases.append((truth_path.name[:12], DEV / truth["source"]["file"], truth))
    return cases


def _same(key: str, want: object, got: object) -> bool:
    if want is None or isinstance(want, str):
        return got == want
    return isinstance(got, int | float) and abs(float(got) - float(want)) <= 0.01


@pytest.mark.parametrize(
    ("doc_id", "path", "truth"),
    _dev_cases({"docx", "html", "txt", "pdf-word", "pdf-direct"}),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_dev_report_matches_truth(doc_id: str, path: Path, truth: dict) -> None:
    report = extract_file(path)
    got = report.values()
    wrong = {k: (v, got.get(k)) for k, v in truth["cells"].items() if not _same(k, v, got.get(k))}
    assert not wrong, f"{doc_id}: {len(wrong)} cells wrong, e.g. {list(wrong.items())[:5]}"
    t = truth["report"]
    assert (report.format, report.year, report.published) == (t["format"], t["year"],
                                                              t["published"])
    assert report.agency == t["agency"]
    assert report.sections == truth["sections"]


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(prefix + "_*.txt"))


def _row(report, table_row: str) -> list:
    return [v for k, v in report.values().items() if k.startswith(table_row + ".")]


def test_seed_000_one_cell_per_line_2019_with_procurement_in_wan_yuan() -> None:
    r = extract_file(_seed("000"))
    assert (r.format, r.year, r.published) == ("2019", 2020, "2021-01-20")
    assert r.agency == "重庆市大渡口区科学技术局"
    assert all(r.sections.values())
    assert r.values()["t2.procurement.count"] == 21
    assert r.values()["t2.procurement.amount"] == pytest.approx(172700.0)
    assert _row(r, "t3.new") == [0] * 7
    assert not r.notes


def test_seed_001_tab_separated_2021_without_a_date() -> None:
    r = extract_file(_seed("001"))
    assert (r.format, r.year, r.published) == ("2021", 2021, None)
    assert r.agency == "科学技术和工业信息化局"
    assert all(r.sections.values())
    assert all(v == 0 for v in r.values().values())
    assert r.tables_found == {"t2": True, "t3": True, "t4": True}


def test_seed_002_web_page_2019_misses_section_six() -> None:
    r = extract_file(_seed("002"))
    assert (r.format, r.year, r.published) == ("2019", 2020, "2021-01-26")
    assert r.agency == "常德市科学技术局"
    assert [r.sections[f"s{i}"] for i in range(1, 7)] == [True] * 5 + [False]
    assert _row(r, "t2.license") == [1, 0, 72]
    assert _row(r, "t2.other_services") == [7, 0, 574]
    assert r.values()["t2.procurement.amount"] == pytest.approx(43075.05)


def test_seed_003_fills_only_the_total_column() -> None:
    r = extract_file(_seed("003"))
    assert (r.format, r.year, r.published) == ("2019", 2020, "2021-01-31")
    assert r.agency == "湛江经济技术开发区经济贸易和科技局"
    assert [r.sections[f"s{i}"] for i in range(1, 7)] == [True] * 4 + [False, False]
    assert _row(r, "t2.rules") == [0, 0, 2]
    assert _row(r, "t2.normative") == [1, 1, 16]
    for row in ("t3.new", "t3.r3_1", "t3.r3_6", "t3.r3_7", "t3.carried_out"):
        assert _row(r, row) == [None] * 6 + [0]


def test_seed_004_tabs_total_column_only_and_closing_date() -> None:
    r = extract_file(_seed("004"))
    assert (r.format, r.year, r.published) == ("2019", 2019, "2020-03-03")
    assert r.agency == "重庆市大渡口区经济和信息化委员会"
    assert [r.sections[f"s{i}"] for i in range(1, 7)] == [True] * 5 + [False]
    assert _row(r, "t2.license") == [4, 1, 1]
    assert _row(r, "t2.other_services") == [0, 8, 0]
    assert _row(r, "t2.penalty") == [2, 0, 0]
    assert r.values()["t2.procurement.count"] == 33
    assert r.values()["t2.procurement.amount"] == pytest.approx(589484.0)
    for row in ("t3.new", "t3.r3_3_1", "t3.r3_6", "t3.r3_7"):
        assert _row(r, row) == [None] * 6 + [0]
