"""The charts tab: how the agencies compare and how one agency moves year to year (pyqtgraph).

Four charts, each following the report list's filter (:meth:`ChartsTab.set_filter`):

- ``applicants``: 本年新收申请 by applicant type, one stacked bar per agency;
- ``outcomes``: the outcome breakdown (予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他)
  summed over the filtered reports;
- ``years``: one agency's figures across the years it reported (an agency picker above);
- ``findings``: errors and warnings per agency.

Hovering a bar or a year shows its figures; clicking an agency's bar emits
:attr:`ChartsTab.reportActivated` with the report id. Each chart exports to PNG
(:meth:`ChartsTab.export_png`); :func:`render_summary_charts` renders them headless for the
batch summary PDF. Data comes from :mod:`core.series`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers ImageExporter)
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import series
from core.series import Bars, Lines, ReportFilter
from gui.plain import escaped
from render.qt import cjk_family

# Printable charts: white background, black axes and text.
pg.setConfigOptions(background="w", foreground="k", antialias=True)

CHARTS = {"applicants": "申请人类型", "outcomes": "办理结果", "years": "历年对比",
          "findings": "发现问题"}
# Okabe–Ito: told apart by colour-blind readers and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
FINDING_COLOURS = ("#C62828", "#F0B400")
MAX_LABEL = 16  # characters of an agency's name on an axis
TITLE_PX = 50
SUMMARY_SCALE = 2.0  # summary charts: laid out at half their pixel width, drawn twice as fine
EMPTY_TEXT = "没有符合筛选条件的报告"


def _family() -> str:
    return cjk_family() or QApplication.font().family()


def _font(size: float = 9.0) -> QFont:
    f = QFont(_family())
    f.setPointSizeF(size)
    return f


def _elide(text: str, n: int = MAX_LABEL) -> str:
    """At most ``n`` characters of an agency's name; a trailing " 2023" is kept whole."""
    head, _, year = text.rpartition(" ")
    if head and year.isdigit() and len(year) == 4:
        return _elide(head, n) + " " + year
    return text if len(text) <= n else text[: n - 1] + "…"


def _num(v: float | None) -> str:
    if v is None:
        return "空白"
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"


def _html(text: str, size: str = "11pt", bold: bool = False) -> str:
    weight = "bold" if bold else "normal"
    return (f"<span style=\"font-family: '{_family()}'; font-size: {size}; "
            f"font-weight: {weight}; color: #000;\">{escaped(text)}</span>")


def _count_ticks(axis: pg.AxisItem, top: float) -> None:
    """Whole-number ticks for small counts: "0.5 件" means nothing."""
    if top < 8:
        axis.setTickSpacing(1, 1)
    else:
        axis.setTickSpacing()  # pyqtgraph's own spacing again


class Chart(pg.PlotWidget):
    """A plot with a title, Chinese axis labels, a hover box and a click signal."""

    hovered = Signal(str)
    barClicked = Signal(int)  # report id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hover_text = ""
        self.title_text = ""
        self.subtitle = ""
        self.report_ids: list[int] = []
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setStyle(tickFont=_font(9))
            axis.enableAutoSIPrefix(False)  # before setLabel: never "k件"
        self._tip = pg.TextItem("", anchor=(0, 1), color="k",
                                fill=pg.mkBrush(255, 255, 225, 235), border=pg.mkPen("#888888"))
        self._tip.setFont(_font(9))
        self._tip.setZValue(1000)
        self._tip.hide()
        self._empty = pg.TextItem(EMPTY_TEXT, anchor=(0.5, 0.5), color="#666666")
        self._empty.setFont(_font(12))
        self._empty.hide()
        self.scene().sigMouseMoved.connect(self._on_move)
        self.scene().sigMouseClicked.connect(self._on_click)

    # --- drawing -----------------------------------------------------------------------
    def _reset(self, title: str, subtitle: str = "") -> None:
        self.title_text, self.subtitle = title, subtitle
        item = self.getPlotItem()
        item.clear()
        if item.legend is not None:
            item.legend.scene() and item.legend.scene().removeItem(item.legend)
            item.legend = None
        head = _html(title, "12pt", bold=True)
        if subtitle:
            head += "<br/>" + _html(subtitle, "9pt")
        item.setTitle(head)
        # pyqtgraph gives the title a fixed 30 px row: too low for a title and a subtitle.
        h = TITLE_PX if subtitle else TITLE_PX - 16
        item.titleLabel.setMaximumHeight(h)
        item.layout.setRowFixedHeight(0, h)
        item.addItem(self._tip, ignoreBounds=True)
        item.addItem(self._empty, ignoreBounds=True)
        self._tip.hide()
        self._empty.hide()
        self.hover_text = ""

    def _show_empty(self) -> None:
        item = self.getPlotItem()
        item.getAxis("left").setTicks(None)
        item.getAxis("bottom").setTicks(None)
        item.setXRange(0, 1, padding=0)
        item.setYRange(0, 1, padding=0)
        self._empty.setPos(0.5, 0.5)
        self._empty.show()

    def _legend(self, offset: tuple[int, int] = (-10, 10)) -> pg.LegendItem:
        """A legend in a corner: (-10, 10) top right, (-10, -10) bottom right."""
        legend = self.getPlotItem().addLegend(offset=offset, labelTextSize="9pt",
                                              brush=pg.mkBrush(255, 255, 255, 220),
                                              pen=pg.mkPen("#aaaaaa"))
        # pyqtgraph keeps the legend at screen size whatever the scale: an exported image
        # drawn finer than the screen would get a tiny legend in the wrong place.
        legend.setFlag(legend.GraphicsItemFlag.ItemIgnoresTransformations, False)
        return legend

    # --- hover and click ---------------------------------------------------------------
    def describe_at(self, x: float, y: float) -> str | None:
        """The figures under the point (view coordinates), or None."""
        return None

    def index_at(self, x: float, y: float) -> int | None:
        """The bar (report) under the point, or None."""
        return None

    def hover_at(self, x: float, y: float) -> str:
        """Show the hover box for a point in view coordinates; return its text."""
        text = self.describe_at(x, y) or ""
        self.hover_text = text
        if text:
            self._tip.setText(text)
            self._tip.setPos(x, y)
            self._tip.show()
        else:
            self._tip.hide()
        self.setToolTip(text)
        self.hovered.emit(text)
        return text

    def _on_move(self, pos: QPointF) -> None:
        vb = self.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            self._tip.hide()
            self.hover_text = ""
            return
        p = vb.mapSceneToView(pos)
        self.hover_at(p.x(), p.y())

    def _on_click(self, event: Any) -> None:
        vb = self.getPlotItem().vb
        if event.button() != Qt.MouseButton.LeftButton:
            return
        p = vb.mapSceneToView(event.scenePos())
        i = self.index_at(p.x(), p.y())
        if i is not None and 0 <= i < len(self.report_ids):
            self.barClicked.emit(self.report_ids[i])

    def natural_height(self, width: int) -> int:
        """A height that fits the data when exported at ``width``."""
        return int(width * 0.58)


class BarsChart(Chart):
    """Horizontal stacked bars, one per report: agencies read down the left axis."""

    ROW_PX = 22

    def __init__(self, colours: tuple[str, ...] = PALETTE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colours = colours
        self.data: Bars | None = None
        self.getPlotItem().getViewBox().invertY(True)

    def set_data(self, data: Bars, subtitle: str = "") -> None:
        self.data = data
        self.report_ids = list(data.report_ids)
        self._reset(data.title, subtitle)
        item = self.getPlotItem()
        n = len(data.labels)
        left_axis = item.getAxis("left")
        if n == 0:
            self._show_empty()
            return
        self._legend((-10, -10))  # bottom right: the bars are largest first, at the top
        ys = list(range(n))
        left = [0.0] * n
        for k, (name, vals) in enumerate(data.series):
            bar = pg.BarGraphItem(x0=list(left), y=ys, width=vals, height=0.68,
                                  brush=pg.mkBrush(self.colours[k % len(self.colours)]),
                                  pen=pg.mkPen("w", width=0.5), name=name)
            item.addItem(bar)  # named: the legend lists it
            left = [a + b for a, b in zip(left, vals, strict=True)]
        labels = [_elide(s) for s in data.labels]
        left_axis.setTicks([[(i, s) for i, s in enumerate(labels)], []])
        metrics = QFontMetrics(_font(9))
        left_axis.setWidth(min(280, max(metrics.horizontalAdvance(s) for s in labels) + 16))
        bottom = item.getAxis("bottom")
        bottom.setTicks(None)
        item.setLabel("bottom", "数量", units=data.unit,
                      **{"font-family": _family(), "font-size": "10pt"})
        top = max(left) if left else 0
        _count_ticks(bottom, top)
        item.setXRange(0, max(1.0, top) * 1.12, padding=0)
        item.setYRange(-0.6, n - 0.4, padding=0)

    def index_at(self, x: float, y: float) -> int | None:
        if self.data is None or not self.data.labels:
            return None
        i = round(y)
        if not 0 <= i < len(self.data.labels) or abs(y - i) > 0.45:
            return None
        return i if x >= 0 else None  # anywhere on the row: a zero bar has figures too

    def describe_at(self, x: float, y: float) -> str | None:
        i = self.index_at(x, y)
        if i is None or self.data is None:
            return None
        d = self.data
        acc = 0.0
        segment = None
        for name, vals in d.series:
            if acc <= x <= acc + vals[i] and vals[i] > 0:
                segment = (name, vals[i])
            acc += vals[i]
        lines = [d.labels[i]]
        if segment:
            lines.append(f"{segment[0]}:{_num(segment[1])} {d.unit}")
        lines.append(f"合计：{_num(d.totals()[i])} {d.unit}")
        if d.blank and d.blank[i]:
            lines.append("（有空白单元格，按 0 画出）")
        return "\n".join(lines)

    def natural_height(self, width: int) -> int:
        n = len(self.data.labels) if self.data else 0
        return max(int(width * 0.5), self.ROW_PX * n + 170)


class OutcomeChart(Chart):
    """The six outcome groups of table 三, summed: vertical bars with their figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: list[tuple[str, float]] = []
        self.reports = 0

    def set_data(self, data: list[tuple[str, float]], subtitle: str = "",
                 reports: int = 0) -> None:
        self.data = list(data)
        self.reports = reports
        self._reset("办理结果构成（表三「总计」列）", subtitle)
        item = self.getPlotItem()
        if not reports:
            self._show_empty()
            return
        xs = list(range(len(data)))
        vals = [v for _, v in data]
        item.addItem(pg.BarGraphItem(x=xs, height=vals, width=0.62,
                                     brushes=[pg.mkBrush(PALETTE[i % len(PALETTE)]) for i in xs],
                                     pen=pg.mkPen("w", width=0.5)))
        total = sum(vals) or 1.0
        top = max(vals) if vals else 0
        for x, v in zip(xs, vals, strict=True):
            label = pg.TextItem(f"{_num(v)}({v / total:.0%})", anchor=(0.5, 1), color="k")
            label.setFont(_font(9))
            label.setPos(x, v)
            item.addItem(label)
        item.getAxis("bottom").setTicks([[(x, name) for x, (name, _) in enumerate(data)], []])
        item.getAxis("left").setTicks(None)
        _count_ticks(item.getAxis("left"), top)
        item.setLabel("left", "件数", units="件", **{"font-family": _family(), "font-size": "10pt"})
        item.setXRange(-0.6, len(data) - 0.4, padding=0)
        item.setYRange(0, max(1.0, top) * 1.15, padding=0)

    def index_at(self, x: float, y: float) -> int | None:
        i = round(x)
        if not 0 <= i < len(self.data) or abs(x - i) > 0.31:
            return None
        return i if 0 <= y <= max(self.data[i][1], 0) else None

    def describe_at(self, x: float, y: float) -> str | None:
        i = self.index_at(x, y)
        if i is None:
            return None
        name, v = self.data[i]
        total = sum(val for _, val in self.data) or 1.0
        return f"{name}:{_num(v)} 件\n占全部办理结果 {v / total:.1%}"

    def _on_click(self, event: Any) -> None:  # no single report behind a bar
        return


class YearsChart(Chart):
    """One agency's figures across years: one line per figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: Lines | None = None

    def set_data(self, data: Lines | None, subtitle: str = "") -> None:
        self.data = data
        self.report_ids = list(data.report_ids) if data else []
        self._reset(data.title if data else "历年数据", subtitle)
        item = self.getPlotItem()
        if data is None or not data.years:
            self._show_empty()
            return
        legend = self._legend()
        for k, (name, vals) in enumerate(data.series):
            colour = PALETTE[k % len(PALETTE)]
            xs = [y for y, v in zip(data.years, vals, strict=True) if v is not None]
            ys = [v for v in vals if v is not None]
            line = item.plot(xs, ys, pen=pg.mkPen(colour, width=2.2), symbol="o", symbolSize=8,
                             symbolBrush=pg.mkBrush(colour), symbolPen=pg.mkPen("w"), name=name)
            if not xs:
                legend.removeItem(line)
        item.getAxis("bottom").setTicks([[(y, f"{y}年") for y in data.years], []])
        item.getAxis("left").setTicks(None)
        item.setLabel("left", "件数", units=data.unit,
                      **{"font-family": _family(), "font-size": "10pt"})
        item.setLabel("bottom", "报告年度", **{"font-family": _family(), "font-size": "10pt"})
        lo, hi = min(data.years), max(data.years)
        item.setXRange(lo - 0.5, hi + 0.5, padding=0)
        top = max((v for _, vals in data.series for v in vals if v is not None), default=0)
        high = max(5.0, top * 1.15)  # whole-number ticks even when every figure is 0
        item.setYRange(-high * 0.03, high, padding=0)  # points on 0 stay visible

    def index_at(self, x: float, y: float) -> int | None:
        years = self.data.years if self.data is not None else []
        if not years:
            return None
        best = min(range(len(years)), key=lambda i: abs(years[i] - x))
        return best if abs(years[best] - x) <= 0.4 else None

    def describe_at(self, x: float, y: float) -> str | None:
        i = self.index_at(x, y)
        if i is None or self.data is None:
            return None
        lines = [f"{self.data.agency} {self.data.years[i]}年度"]
        lines += [f"{name}:{_num(vals[i])} 件" for name, vals in self.data.series]
        return "\n".join(lines)


# --- the tab ---------------------------------------------------------------------------------


def _store_of(x: Any) -> Any:
    """A core ReportStore from itself or from the GUI's StoreBackend (``.store``)."""
    return getattr(x, "store", x)


class ChartsTab(QWidget):
    """The four charts, following a :class:`core.series.ReportFilter`.

    ``store`` is a :class:`core.store.ReportStore` or the window's ``StoreBackend``.
    :meth:`set_filter` takes the report list's filter; the charts redraw at once when
    the tab is visible, else the next time it is shown.
    """

    reportActivated = Signal(int)  # a bar of one report was clicked

    def __init__(self, store: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = _store_of(store) if store is not None else None
        self.filter = ReportFilter()
        self._dirty = True
        self.charts: dict[str, Chart] = {
            "applicants": BarsChart(),
            "outcomes": OutcomeChart(),
            "years": YearsChart(),
            "findings": BarsChart(FINDING_COLOURS),
        }
        self.agency_box = QComboBox()
        self.agency_box.setMinimumContentsLength(18)
        # activated (a user's choice), not currentIndexChanged: a QComboBox also emits the
        # latter while it is being destroyed, after the charts it would redraw are gone.
        self.agency_box.activated.connect(self._on_agency)
        self.filter_label = QLabel("")
        self.filter_label.setTextFormat(Qt.TextFormat.PlainText)  # an agency's name
        self.filter_label.setStyleSheet("color: #555;")
        self.export_button = QPushButton("导出图片…")
        self.export_button.setToolTip("把当前图表保存为 PNG 图片")
        self.export_button.clicked.connect(self._export_current)

        self.tabs = QTabWidget()
        for name, chart in self.charts.items():
            page = QWidget()
            lay = QVBoxLayout(page)
            lay.setContentsMargins(2, 2, 2, 2)
            if name == "years":
                row = QHBoxLayout()
                row.addWidget(QLabel("机关："))
                row.addWidget(self.agency_box, 1)
                lay.addLayout(row)
            lay.addWidget(chart, 1)
            self.tabs.addTab(page, CHARTS[name])
            chart.barClicked.connect(self.reportActivated)

        from gui.widgets.indicators import IndicatorsView  # 指标 (issue 13)

        self.indicators = IndicatorsView()
        self.tabs.addTab(self.indicators, "指标")

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.filter_label, 1)
        head.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

    # --- data ------------------------------------------------------------------------------
    def set_store(self, store: Any) -> None:
        self.store = _store_of(store)
        self.invalidate()

    def set_filter(self, flt: ReportFilter | None = None, **kwargs: Any) -> None:
        """Follow the report list: a ReportFilter, or its fields (agency, year, status,
        has_errors, unreviewed, ids)."""
        self.filter = flt if flt is not None else ReportFilter.of(**kwargs)
        self.invalidate()

    def invalidate(self) -> None:
        """The data changed: rebuild now when shown, else the next time it is shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        """Override: redraw what changed while the tab was hidden."""
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self, store: Any = None) -> None:
        """Read the database again and redraw every chart."""
        if store is not None:
            self.store = _store_of(store)
        self._dirty = False
        flt = self.filter
        self.filter_label.setText(f"筛选：{flt.describe()}")
        sub = flt.describe()
        if self.store is None:
            for name, chart in self.charts.items():
                chart._reset(CHARTS[name])
                chart._show_empty()
            return
        self.charts["applicants"].set_data(series.applicants_by_agency(self.store, flt), sub)
        reports = series.select_reports(self.store, flt)
        self.charts["outcomes"].set_data(series.outcome_breakdown(self.store, flt), sub,
                                         reports=len(reports))
        self.charts["findings"].set_data(series.findings_by_agency(self.store, flt), sub)
        self._fill_agencies()
        self._draw_years()
        self.indicators.refresh(self.store, flt)

    def _fill_agencies(self) -> None:
        current = self.agency_box.currentData()
        self.agency_box.blockSignals(True)
        self.agency_box.clear()
        for name, n in series.agencies(self.store, self.filter):
            self.agency_box.addItem(f"{name}（{n} 个年度）", name)
        i = self.agency_box.findData(current)
        self.agency_box.setCurrentIndex(i if i >= 0 else 0)
        self.agency_box.blockSignals(False)

    def _on_agency(self, _index: int) -> None:
        self._draw_years()

    def _draw_years(self) -> None:
        agency = self.agency_box.currentData()
        data = None
        if self.store is not None and agency:
            data = series.agency_across_years(self.store, agency, self.filter)
        self.charts["years"].set_data(data)

    def select_agency(self, agency: str) -> bool:
        """Show ``agency`` in the years chart; False when it has no report in the filter."""
        i = self.agency_box.findData(agency)
        if i < 0:
            return False
        self.agency_box.setCurrentIndex(i)
        self._draw_years()
        return True

    def chart(self, name: str) -> Chart:
        return self.charts[name]

    def show_chart(self, name: str) -> None:
        self.tabs.setCurrentIndex(list(self.charts).index(name))

    # --- export ----------------------------------------------------------------------------
    def export_png(self, chart_name: str, path: str | Path, width: int = 1200,
                   height: int | None = None) -> Path:
        """Save one chart ("applicants", "outcomes", "years", "findings") as a PNG of
        ``width`` × ``height`` pixels (height: what the data needs)."""
        if self._dirty:
            self.refresh()
        src = self.charts[chart_name]
        return export_chart(src, path, width, height)

    def _export_current(self) -> None:
        if self.tabs.currentIndex() >= len(self.charts):  # the 指标 table is not a chart
            QMessageBox.information(self, "导出图片", "「指标」是表格，不是图表；"
                                    "可用「公文 ▸ 通报…」把指标写入通报。")
            return
        name = list(self.charts)[self.tabs.currentIndex()]
        path, _ = QFileDialog.getSaveFileName(self, "导出图表", f"{CHARTS[name]}.png",
                                              "PNG 图片 (*.png)")
        if path:
            self.export_png(name, path)


def _copy_chart(src: Chart) -> Chart:
    """A new chart of the same kind with the same data (for offscreen rendering)."""
    if isinstance(src, BarsChart):
        bars = BarsChart(src.colours)
        if src.data is not None:
            bars.set_data(src.data, src.subtitle)
        else:
            bars._reset(src.title_text, src.subtitle)
            bars._show_empty()
        return bars
    if isinstance(src, OutcomeChart):
        outcome = OutcomeChart()
        outcome.set_data(src.data, src.subtitle, reports=src.reports)
        return outcome
    years = YearsChart()
    years.set_data(src.data if isinstance(src, YearsChart) else None, src.subtitle)
    return years


def export_chart(src: Chart, path: str | Path, width: int = 1200,
                 height: int | None = None, scale: float = 1.0) -> Path:
    """Render a chart offscreen and save it as a PNG of ``width`` × ``height`` pixels.

    ``scale`` > 1 lays the chart out ``scale`` times smaller and draws it that much finer:
    text stays legible when the image is printed small (the summary's charts).
    """
    from pyqtgraph.exporters import ImageExporter

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    chart = _copy_chart(src)
    height = height or int(src.natural_height(round(width / scale)) * scale)
    chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    chart.resize(round(width / scale), round(height / scale))
    chart.show()
    QApplication.processEvents()
    try:
        if scale == 1.0:
            exporter = ImageExporter(chart.getPlotItem())
            exporter.parameters()["width"] = width
            exporter.parameters()["height"] = height
            exporter.export(str(out))
        else:
            # ImageExporter scales the scene but not the legend (it ignores transforms):
            # paint the widget on a high-density image instead.
            image = QImage(width, height, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            source = chart.mapToScene(chart.viewport().rect()).boundingRect()
            chart.scene().render(painter, QRectF(0, 0, width, height), source)
            painter.end()
            # PySide6 6.12's stubs want the format as bytes; the binding accepts only str.
            if not image.save(str(out), "PNG"):  # type: ignore[call-overload]
                raise OSError(f"cannot write {out}")
    finally:
        chart.close()
        chart.deleteLater()
    return out
