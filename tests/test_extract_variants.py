"""Dev-corpus reports re-laid out in ways the corpus does not have, read cell for cell.

``tests/variants`` renders each report's truth as a web page, Word file, text dump or
PDF with other table layouts (header merges spread differently, merges lost or
repeated, group labels on rows of their own, table 四 transposed, tables split by a
page break), other printing of labels and figures (full-width digits, thousands
separators, "—" for 0, vertical heads, wrapped labels, no serial numbers) and other
writers (Qt, LibreOffice). Every cell must come out as the layout shows it. Each
variant runs on two reports, the reports rotating so that both formats, a report that
fills only the 总计 column and one without table 四 all occur.

``cd tests && python -m variants`` runs every variant over the whole dev corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from variants import BY_NAME, VARIANTS, Variant, build_many, wrong_cells

# 2021 and 2019 formats, blank cells (only 总计 filled), no table 四 and no section 五.
REPORTS = ("028_2de1cd7f", "027_c19402df", "018_73dcc78e", "025_19c57c45", "017_5028cec6",
           "023_2b16b40c", "011_6da4f7b7", "012_219d5b29")
CASES = [(v, REPORTS[(2 * i + k) % len(REPORTS)]) for i, v in enumerate(VARIANTS)
         for k in (0, 1)]
# Pairs that need a particular report: vertical heads of table 四 with no section 五
# after it.
CASES += [(BY_NAME["txt-lines-vertical"], "023_2b16b40c")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    # All files at once: the Word files to export share one LibreOffice run.
    out = tmp_path_factory.mktemp("variants")
    return {f"{v.name}-{doc_id}": (path, expected)
            for v, doc_id, path, expected in build_many(CASES, out)}


@pytest.mark.parametrize(("variant", "doc_id"), CASES,
                         ids=[f"{v.name}-{i}" for v, i in CASES])
def test_variant_reads_every_cell(built: dict[str, tuple[Path, dict]], variant: Variant,
                                  doc_id: str) -> None:
    path, expected = built[f"{variant.name}-{doc_id}"]
    wrong = wrong_cells(path, expected)
    assert not wrong, (f"{variant.name} ({variant.why}) of {doc_id}: {len(wrong)} cells "
                       f"wrong (want, got), e.g. {list(wrong.items())[:6]}")
