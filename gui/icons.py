"""Small icons drawn at run time (no image files to ship): severity and state marks."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

ERROR_RED = "#d32f2f"
WARNING_AMBER = "#f0a400"
OK_GREEN = "#2e7d32"
INFO_BLUE = "#1f66d1"


def _canvas(size: int) -> tuple[QPixmap, QPainter]:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pm, p


@cache
def severity_icon(severity: str, size: int = 16) -> QIcon:
    """A red disc with "!" for an error, an amber triangle for a warning, green tick for ok."""
    pm, p = _canvas(size)
    s = float(size)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(s * 0.7))
    p.setFont(font)
    if severity == "error":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(ERROR_RED))
        p.drawEllipse(QRectF(1, 1, s - 2, s - 2))
        p.setPen(QColor("white"))
        p.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, "!")
    elif severity == "warning":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(WARNING_AMBER))
        p.drawPolygon(QPolygonF([QPointF(s / 2, 1), QPointF(s - 1, s - 2), QPointF(1, s - 2)]))
        p.setPen(QColor("black"))
        p.drawText(QRectF(0, s * 0.12, s, s * 0.9), Qt.AlignmentFlag.AlignCenter, "!")
    elif severity == "dismissed":
        p.setPen(QPen(QColor("#9e9e9e"), 2))
        p.drawEllipse(QRectF(2, 2, s - 4, s - 4))
        p.drawLine(QPointF(4, s - 4), QPointF(s - 4, 4))
    else:
        p.setPen(QPen(QColor(OK_GREEN), 2.2))
        p.drawPolyline(QPolygonF([QPointF(s * 0.2, s * 0.55), QPointF(s * 0.42, s * 0.78),
                                  QPointF(s * 0.82, s * 0.25)]))
    p.end()
    return QIcon(pm)


@cache
def dot_icon(colour: str, size: int = 12) -> QIcon:
    pm, p = _canvas(size)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(QRectF(2, 2, size - 4, size - 4))
    p.end()
    return QIcon(pm)


@cache
def app_icon() -> QIcon:
    """The window icon: a page with a red check mark."""
    pm, p = _canvas(64)
    p.setPen(QPen(QColor("#37474f"), 3))
    p.setBrush(QColor("white"))
    p.drawRoundedRect(QRectF(10, 4, 44, 56), 4, 4)
    p.setPen(QPen(QColor("#90a4ae"), 3))
    for y in (18, 28, 38):
        p.drawLine(QPointF(18, y), QPointF(46, y))
    p.setPen(QPen(QColor(ERROR_RED), 6))
    p.drawPolyline(QPolygonF([QPointF(20, 44), QPointF(30, 54), QPointF(56, 26)]))
    p.end()
    return QIcon(pm)
