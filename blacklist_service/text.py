"""Which text the service accepts: what both databases can store.

PostgreSQL refuses a NUL character in text, and a lone surrogate (JSON ``"\\ud800"``) cannot be encoded as
UTF-8 for either database. Other control characters have no place in names, numbers or notes either. Tab
and line breaks are ordinary text (a browser sends a textarea's lines as CR LF).

The API checks every argument it reads (``resources.blueprint.ArgumentsParser``), the citizen pages every
form field they use: such text gets a 422 with the code ``text.control_character`` or ``text.encoding``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode Cc, except tab, LF and CR
_EITHER = re.compile(f"{_SURROGATE.pattern}|{_CONTROL.pattern}")  # one pass over good text (most of it)


def is_unicode(value: str) -> bool:
    """False for text with a lone surrogate, which UTF-8 cannot encode."""
    return _SURROGATE.search(value) is None


def text_problem(value: str) -> tuple[str, str] | None:
    """``(code, message)`` if no column can hold ``value``, else None."""
    if _EITHER.search(value) is None:
        return None
    if not is_unicode(value):
        return "text.encoding", "the text is not valid Unicode (a lone surrogate such as \\ud800)"
    if _CONTROL.search(value):
        return "text.control_character", "the text contains a control character (only tab and line breaks)"
    return None


def strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string in loaded JSON or form data (mapping keys too), with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(key, path)
            yield from strings(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from strings(item, (*path, str(n)))


def printable(value: str) -> str:
    """``value`` without the characters :func:`text_problem` refuses (for names we keep, e.g. of files)."""
    return _CONTROL.sub("", _SURROGATE.sub("", value))
