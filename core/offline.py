"""Nothing leaves the machine: switch off what libraries we use would send home.

onnxruntime (the OCR engine's runtime) sends usage events to Microsoft on Linux and keeps
a device id and an event queue under ``~/.cache/Microsoft/DeveloperTools`` unless
``ORT_DISABLE_TELEMETRY`` is set when its library loads; its
``disable_telemetry_events()`` after the import comes too late. :func:`no_telemetry`
is called where onnxruntime is imported (core.readers.ocr) and at the start of every
sandbox worker, before anything could import it.
"""

from __future__ import annotations

import os

# Environment variables the libraries honour, set before they load.
TELEMETRY_OFF = {
    "ORT_DISABLE_TELEMETRY": "1",
}


def no_telemetry() -> None:
    """Set the variables that keep libraries from phoning home (this process and children)."""
    os.environ.update(TELEMETRY_OFF)
