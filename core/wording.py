"""The wording of the papers the office sends, from editable templates (TOML).

The program's own copies are in ``resources/templates/NAME.toml``. An office adapts
them without touching code: a file of the same name in ``<data folder>/templates/``
(see :mod:`core.paths`) is used instead. ``${name}`` fields are filled by
:func:`fill` (:class:`string.Template`; an unknown field stays as it is written).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from core.errors import ReportError
from core.paths import data_dir


class WordingError(ReportError):
    message_zh = "公文措辞模板有误"


def user_template(name: str) -> Path:
    """Where an office's own copy of template ``name`` goes (it need not exist)."""
    return data_dir() / "templates" / f"{name}.toml"


def load_wording(name: str) -> dict[str, Any]:
    """The template ``name`` (notice, circular …): the office's copy, else the program's."""
    own = user_template(name)
    try:
        if own.is_file():
            return tomllib.loads(own.read_text(encoding="utf-8"))
        text = resources.files("resources").joinpath("templates", f"{name}.toml").read_text(
            encoding="utf-8")
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        where = own if own.is_file() else f"resources/templates/{name}.toml"
        raise WordingError(f"{where}: not a valid UTF-8 TOML file ({e})",
                           f"公文措辞模板 {where} 格式有误：{e}") from e


def fill(template: str, /, **values: Any) -> str:
    """``template`` with its ``${name}`` fields filled in."""
    return Template(template).safe_substitute({k: "" if v is None else str(v)
                                           for k, v in values.items()})
