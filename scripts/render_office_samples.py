"""Render the office's papers and windows from the three real reports to PNG for docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_office_samples.py [OUT_DIR]

Imports tests/data/corpus/real/*.pdf into a temporary database, writes the notice for
洪泽区 2023, the 2023 circular and the 2024 combined tables (DOCX → PDF through
LibreOffice), renders their pages with pdfium, and takes offscreen pictures of the
register of agencies and the 指标 page. (The XLSX of the combined tables holds the same
grid as the DOCX; LibreOffice Calc is not needed here.) Writes nothing outside OUT_DIR
(default docs/office).
"""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    import pypdfium2 as pdfium

    from cli.main import main as cli
    from core.circular import write_circular
    from core.combine import gather
    from core.combine_paper import write_docx
    from core.notice import write_notices
    from core.office_pdf import docx_to_pdf
    from core.store import open_store

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "office"
    out.mkdir(parents=True, exist_ok=True)
    real = sorted((ROOT / "tests" / "data" / "corpus" / "real").glob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="nianbao-samples-") as tmp:
        t = Path(tmp)
        db = t / "samples.sqlite"
        code = cli(["import", *map(str, real), "--db", str(db), "--jobs", "1"],
                   io.StringIO(), io.StringIO())  # type: ignore[arg-type]
        assert code == 0
        with open_store(db) as s:
            s.set_setting("office", "淮安市政务公开办公室")
            ids = {(r["agency"], r["year"]): r["id"] for r in s.list_reports()}
            when = date(2025, 5, 6)
            write_notices(s, [ids[("洪泽区人民政府", 2023)]], t / "notice.docx",
                          deadline=date(2025, 5, 31), when=when)
            write_circular(s, 2023, t / "circular.docx", when=when)
            c = gather(s, 2024)
            write_docx(c, t / "combine.docx")
        for name, pages in (("notice", 2), ("circular", 3), ("combine", 2)):
            pdf = docx_to_pdf(t / f"{name}.docx", t / f"{name}.pdf")
            doc = pdfium.PdfDocument(str(pdf))
            for i in range(min(pages, len(doc))):
                doc[i].render(scale=1.4).to_pil().save(out / f"{name}-page{i + 1}.png")
            doc.close()
        _windows(db, out)
    print(f"samples → {out}")
    return 0


def _windows(db: Path, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from core.series import ReportFilter
    from core.store import open_store
    from gui.app import configure_app
    from gui.widgets.agency_register import AgencyRegisterDialog
    from gui.widgets.indicators import IndicatorsView

    app = QApplication.instance() or QApplication([])
    configure_app(app)
    with open_store(db) as s:
        dialog = AgencyRegisterDialog(s)
        dialog.resize(1100, 360)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out / "agencies-window.png"))
        view = IndicatorsView()
        view.refresh(s, ReportFilter(year=2024))
        view.resize(1100, 200)
        view.show()
        app.processEvents()
        view.grab().save(str(out / "indicators-window.png"))


if __name__ == "__main__":
    raise SystemExit(main())
