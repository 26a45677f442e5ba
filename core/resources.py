"""The one way the program reads what it ships that is not code: the ``resources/`` folder
(templates.json, the font list …), found in a checkout and in an installed copy alike."""

from __future__ import annotations

import json
import pkgutil
from functools import cache
from typing import Any


def resource_text(name: str) -> str:
    """The text of ``resources/NAME`` (UTF-8).

    pkgutil, not importlib.resources: that imports tempfile, shutil, random, zipfile …
    for one read, a few ms of every command's start-up (benchmarks/startup.py)."""
    data = pkgutil.get_data("resources", name)
    if data is None:
        raise FileNotFoundError(f"resources/{name}")
    return data.decode("utf-8")


@cache
def resource_json(name: str) -> Any:
    """``resources/NAME`` parsed as JSON (read once; do not modify what it returns)."""
    return json.loads(resource_text(name))


def cjk_font_families() -> tuple[str, ...]:
    """The Chinese font families the window and the papers use, in order of preference."""
    return tuple(resource_json("fonts.json")["cjk_families"])
