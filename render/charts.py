"""The batch summary's charts, drawn with QPainter into PNG images (no widget, no display).

The figures come from :mod:`core.series`, the same as the window's chart tab: applicants
by agency, the outcome breakdown, the checklist results by agency (不通过 / 待核实 lines,
by the line rule) and, when one agency has several years, its figures across years.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from core import series
from core.vocabulary import FAIL, LINE_RESULT_COLOURS
from render.qt import cjk_family, ensure_app

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
RESULT_COLOURS = (LINE_RESULT_COLOURS[FAIL], "#F0A020")  # 不通过, 待核实
WIDTH = 1200  # px; printed 470 px wide (two charts side by side on landscape A4)
MAX_BARS = 14  # more agencies than this: the rest are summed as 其他
LABEL_CHARS = 14


def _font(px: float, bold: bool = False) -> QFont:
    family = cjk_family()
    font = QFont(family) if family else QFont()
    font.setPixelSize(int(px))
    font.setBold(bold)
    return font


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def _elide(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _png_uri(image: QImage) -> str:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.12 takes the format as str here (its stub says bytes; bytes are refused).
    image.save(buf, "PNG")  # type: ignore[call-overload]
    buf.close()
    return "data:image/png;base64," + base64.b64encode(bytes(data.data())).decode("ascii")


def _canvas(height: int) -> tuple[QImage, QPainter]:
    image = QImage(WIDTH, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return image, painter


def _legend(p: QPainter, names: Sequence[str], colours: Sequence[str], y: float) -> None:
    p.setFont(_font(22))
    fm = QFontMetricsF(p.font())
    x = 20.0
    for i, name in enumerate(names):
        p.fillRect(QRectF(x, y, 22, 22), QColor(colours[i % len(colours)]))
        p.setPen(QColor("#333333"))
        p.drawText(QPointF(x + 30, y + 19), name)
        x += 30 + fm.horizontalAdvance(name) + 28


def bars_image(labels: Sequence[str], stacks: Sequence[tuple[str, Sequence[float]]],
               colours: Sequence[str], unit: str) -> QImage:
    """Horizontal stacked bars, one per label, the total written at the end."""
    labels = list(labels)
    stacks = [(n, list(v)) for n, v in stacks]
    if len(labels) > MAX_BARS:  # the largest first: sum the tail into one bar
        keep = MAX_BARS - 1
        labels = labels[:keep] + [f"其他 {len(labels) - keep} 份"]
        stacks = [(n, [*v[:keep], sum(v[keep:])]) for n, v in stacks]
    row, top, left = 44, 60, 330
    height = top + row * max(1, len(labels)) + 30
    image, p = _canvas(height)
    _legend(p, [n for n, _ in stacks], colours, 16)
    totals = [sum(v[i] for _, v in stacks) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    span = WIDTH - left - 110
    p.setFont(_font(22))
    for i, label in enumerate(labels):
        y = top + i * row
        p.setPen(QColor("#222222"))
        p.drawText(QRectF(10, y, left - 20, row - 8),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                   _elide(label))
        x = float(left)
        for k, (_, values) in enumerate(stacks):
            w = span * values[i] / peak
            if w > 0:
                p.fillRect(QRectF(x, y + 6, w, row - 18), QColor(colours[k % len(colours)]))
            x += w
        p.setPen(QColor("#444444"))
        p.drawText(QPointF(x + 8, y + row / 2 + 4), f"{_num(totals[i])} {unit}")
    p.setPen(QPen(QColor("#888888"), 2))
    p.drawLine(QPointF(left, top - 4), QPointF(left, top + row * len(labels)))
    p.end()
    return image


def lines_image(lines: series.Lines) -> QImage:
    """One agency's figures across years: a line per series, the values at the points."""
    height, top, bottom, left, right = 520, 70, 60, 90, 40
    image, p = _canvas(height)
    names = [n for n, _ in lines.series]
    _legend(p, names, PALETTE, 16)
    values = [v for _, vs in lines.series for v in vs if v is not None]
    peak = max(values, default=0) or 1
    years = lines.years
    n = max(1, len(years) - 1)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def at(i: int, v: float) -> QPointF:
        return QPointF(left + plot_w * (i / n if len(years) > 1 else 0.5),
                       top + plot_h * (1 - v / peak))

    p.setPen(QPen(QColor("#888888"), 2))
    p.drawLine(QPointF(left, top + plot_h), QPointF(WIDTH - right, top + plot_h))
    p.setFont(_font(22))
    for i, y in enumerate(years):
        pt = at(i, 0)
        p.setPen(QColor("#333333"))
        p.drawText(QRectF(pt.x() - 60, top + plot_h + 8, 120, 30),
                   int(Qt.AlignmentFlag.AlignCenter), f"{y}年")
    for k, (_, vs) in enumerate(lines.series):
        colour = QColor(PALETTE[k % len(PALETTE)])
        p.setPen(QPen(colour, 4))
        pts = [(i, v) for i, v in enumerate(vs) if v is not None]
        for (i0, v0), (i1, v1) in zip(pts, pts[1:], strict=False):
            p.drawLine(at(i0, v0), at(i1, v1))
        for i, v in pts:
            p.setBrush(colour)
            p.drawEllipse(at(i, v), 6, 6)
            p.drawText(at(i, v) + QPointF(8, -8), _num(v))
    p.end()
    return image


def summary_charts(store: Any, report_ids: list[int]) -> list[tuple[str, str]]:
    """[(caption, PNG data URI), …] for the batch summary of ``report_ids``."""
    ensure_app()
    flt = series.ReportFilter.of(ids=report_ids)
    out: list[tuple[str, str]] = []
    bars = series.applicants_by_agency(store, flt)
    out.append(("各机关本年新收申请（按申请人类型）",
                _png_uri(bars_image(bars.labels, bars.series, PALETTE, bars.unit))))
    breakdown = series.outcome_breakdown(store, flt)
    out.append(("办理结果构成",
                _png_uri(bars_image([n for n, _ in breakdown],
                                    [("件数", [v for _, v in breakdown])], PALETTE[:1], "件"))))
    results = series.findings_by_agency(store, flt)
    out.append(("各机关检查结果（不通过、待核实项数）",
                _png_uri(bars_image(results.labels, results.series, RESULT_COLOURS,
                                    results.unit))))
    most = series.agencies(store, flt)
    if most and most[0][1] >= 2:
        lines = series.agency_across_years(store, most[0][0])
        out.append((f"{most[0][0]}历年数据", _png_uri(lines_image(lines))))
    return out
