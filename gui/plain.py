"""Names and values from reports are text, never markup.

A QLabel, a tooltip or a chart title in Qt's default AutoText mode renders anything that
looks like HTML: a file named ``<font color=green size=7>已审通过 ✔<br><img src=x>.txt``
would show a fake green verdict. Labels that show such text are set to PlainText; where a
label or tooltip is rich by design (a bold heading, colours), the values in it go through
:func:`escaped`; plain text for a widget that guesses (a tooltip, a QMessageBox) goes
through :func:`as_written`.
"""

from __future__ import annotations

import html
from typing import Any


def escaped(value: Any) -> str:
    """``value`` as text to put inside rich text: shown as written, never interpreted."""
    return html.escape("" if value is None else str(value), quote=True)


def as_written(text: str) -> str:
    """``text`` (several lines) for a tooltip or message box, shown as written: Qt guesses
    their format from the text, so plain text that looks like HTML is escaped in rich
    text."""
    return "<qt>" + "<br/>".join(escaped(line) for line in text.split("\n")) + "</qt>"
