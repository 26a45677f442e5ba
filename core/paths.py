"""Where the program keeps its files: the user's data folder, or one named by the environment.

The review database lives in ``platformdirs.user_data_dir("nianbao-shenchatai")``
unless ``NIANBAO_DATA_DIR`` names another folder (tests set it so they never touch
the real one) or the caller passes a path (``--db PATH`` on the command line, the
database setting in the GUI).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "nianbao-shenchatai"
ENV_DATA_DIR = "NIANBAO_DATA_DIR"
DB_FILE_NAME = "reviews.sqlite"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder for the program's data: ``$NIANBAO_DATA_DIR`` if set, else the user's."""
    env = os.environ if environ is None else environ
    override = env.get(ENV_DATA_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # only without --db: it imports tempfile, random, hashlib …

    # appauthor=False: no vendor folder level on Windows (…\AppData\Local\nianbao-shenchatai).
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """The review database used when no ``--db`` is given."""
    return data_dir(environ) / DB_FILE_NAME


def resolve_db_path(option: str | os.PathLike[str] | None,
                    environ: Mapping[str, str] | None = None) -> Path:
    """The database path for an explicit option (``--db``), else the default one."""
    if option:
        return Path(option).expanduser()
    return default_db_path(environ)
