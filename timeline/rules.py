"""Rules on single values, shared by every checker.

The careful builder (:mod:`timeline._builder`), the fast path
(:mod:`timeline.fastpath`) and :func:`timeline.validate` ask the same
functions, so a file that loads and a timeline built in code that
validates obey one rule set.  Each function returns why a value is wrong
(a message, and for some a hint), or ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .dates import Date
from .errors import DateError
from .text import control_hint, control_problem

__all__ = [
    "ID_HELP",
    "ID_PATTERN",
    "LOCAL_TIME_HINT",
    "check_zone",
    "id_problem",
    "local_time_problem",
    "slugify",
    "source_problem",
    "text_problem",
    "type_name",
]

#: Ids are slugs, so they are safe in URLs, file names and anchors.
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?")
ID_HELP = "ids are slugs: lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
#: What loading suggests for a time of day it cannot resolve.
LOCAL_TIME_HINT = "add 'timezone' to the event or the timeline, or write an offset such as +09:00"

#: (message, hint or None)
Found = tuple[str, str | None]


def slugify(text: str) -> str:
    """A valid id made from ``text`` (used for did-you-mean and default ids)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-._")
    return slug[:128].strip("-._") or "timeline"


_zone_cache: dict[str, str | None] = {}


def check_zone(name: str) -> str | None:
    """``None`` if ``name`` is a known IANA zone, else the reason it is not."""
    if name not in _zone_cache:
        try:
            Date(2000, 1, 1, 0, 0).in_zone(name)
            _zone_cache[name] = None
        except DateError as exc:
            _zone_cache[name] = exc.reason
    return _zone_cache[name]


def type_name(value: Any) -> str:
    """How a problem names the type of ``value``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def text_problem(
    value: Any, *, required: bool = False, multiline: bool = False, nullable: bool = True
) -> Found | None:
    """Why ``value`` cannot be a text field.

    ``required`` text must be there and not blank; ``nullable=False`` text
    may be empty but not missing (a description); text never holds a
    control character or a lone surrogate (:func:`timeline.text.control_problem`).
    """
    if value is None:
        if required:
            return "is required", None
        if not nullable:
            return f"expected text, got {type_name(value)}", None
        return None
    if not isinstance(value, str):
        return f"expected text, got {type_name(value)}", "quote the value"
    if required and not value.strip():
        return "must not be empty", None
    message = control_problem(value, multiline=multiline)
    if message is not None:
        return message, control_hint(message)
    return None


def id_problem(value: Any) -> Found | None:
    """Why ``value`` cannot be an id (of an event or a timeline)."""
    found = text_problem(value, required=True)
    if found is not None:
        return found
    if ID_PATTERN.fullmatch(value):
        return None
    return f"{value!r} is not a valid id", f"{ID_HELP}; e.g. {slugify(value)!r}"


def local_time_problem(date: Date) -> str | None:
    """Why ``date`` is not yet an instant: a time of day with neither offset nor zone."""
    if date.is_local:
        return f"{date.isoformat()!r} has a time of day but no zone"
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def source_problem(title: Any, url: Any) -> str | None:
    """Why a source with this title and url says nothing: it needs one of them (not blank)."""
    if _blank(title) and _blank(url):
        return "a source needs a title or a url"
    return None
