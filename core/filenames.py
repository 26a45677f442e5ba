"""File names as a person reads them, and as the system spells them.

On Linux a file name is bytes. A zip made on a Chinese Windows PC and unpacked here
gives names in GBK, not UTF-8; Python then hands them out with the undecodable bytes
as lone surrogates ("\\udcb4\\udcf3…"), which cannot be shown, printed or stored as text
(SQLite, JSON and the PDF papers need valid Unicode). :func:`display_name` decodes such
a name from its bytes (GB18030, a superset of GBK, then the locale's encoding);
:func:`path_for_storage` keeps the original bytes of a path that is not valid UTF-8, so
the file can still be found again.
"""

from __future__ import annotations

import locale
import os

# Tried in this order on the bytes of a name that is not UTF-8: Chinese Windows (GBK /
# GB18030) first, since that is where these reports come from.
FALLBACK_ENCODINGS = ("gb18030",)


def is_valid_text(text: str) -> bool:
    """False when ``text`` holds lone surrogates (undecodable bytes of a file name)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_name(name: str | os.PathLike[str]) -> str:
    """``name`` (a file name or a path) as valid text to show: unchanged when it is, else
    its bytes decoded as GB18030 or in the locale's encoding, else with U+FFFD for the
    bytes nothing decodes."""
    text = os.fspath(name)
    if is_valid_text(text):
        return text
    if os.sep in text:  # each folder on its own: a UTF-8 folder may hold a GBK name
        return os.sep.join(display_name(part) for part in text.split(os.sep))
    raw = os.fsencode(text)
    encodings = [*FALLBACK_ENCODINGS, locale.getpreferredencoding(False)]
    for encoding in encodings:
        try:
            decoded = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if is_valid_text(decoded):
            return decoded
    return raw.decode("utf-8", "replace")


def path_for_storage(path: str | os.PathLike[str]) -> str | bytes:
    """The path as text when it is valid Unicode, else its original bytes (stored as a
    BLOB: the file can still be opened by exactly that name)."""
    text = os.fspath(path)
    return text if is_valid_text(text) else os.fsencode(text)


def path_from_storage(value: str | bytes | None) -> str | None:
    """The path :func:`path_for_storage` kept, as the system's ``str`` for it."""
    if value is None:
        return None
    return os.fsdecode(value) if isinstance(value, bytes) else value
