"""Writes a timeline as TOML in the data format: the ``toml`` exporter.

Written by hand: the standard library reads TOML but does not write it,
and the layout is simple enough not to need a dependency (``tomli-w``
would not give it: it writes ``[[events.sources]]`` tables, which end the
event, so ``related`` and ``extra`` could no longer follow ``sources`` in
the documented order).  The layout:

- header keys, then ``[[eras]]`` and ``[[events]]`` tables, one per era
  and event, keys in the documented order;
- ``location`` and ``media`` as inline tables, ``sources`` as an array of
  inline tables (one per line), ``extra`` as an inline table (nested
  mappings as nested inline tables);
- dates as quoted EDTF strings (``start = "1961-07-06"``), never TOML
  dates, which cannot hold a year, a month, a qualifier or ``..``;
- strings as basic strings with escapes (``\\n``, ``\\u0085``); text with
  line breaks at the top of a table (descriptions) as a multi-line basic
  string (``\"\"\"``).

TOML has no null: a ``null`` in ``extra`` is left out, and reported as an
approximation of the event's ``extra`` naming where it was.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import IO, Any

from timeline import Option, Timeline, iter_events

from ._writing import era_items, event_items, header_items

__all__ = ["TomlExporter", "toml_string"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: Escaped in every string: controls (TOML allows only tab raw), DEL, C1
#: controls, the Unicode line and paragraph separators and the byte-order mark.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
#: The same in multi-line strings, where line feeds and tabs stay as they are.
_ESCAPE_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
#: In a multi-line string, a quote followed by another, or last, is escaped: no run of three can close it early.
_QUOTE_RUN = re.compile(r'"(?="|$)')


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string on one line."""
    return '"' + _ESCAPE.sub(_escape, text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _multiline(text: str) -> str:
    """``text`` as a multi-line basic string; the break after the opening quotes is not part of it."""
    body = _QUOTE_RUN.sub('\\\\"', text.replace("\\", "\\\\"))
    return '"""\n' + _ESCAPE_MULTILINE.sub(_escape, body) + '"""'


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


#: Called with the dotted place of a null inside ``extra`` that TOML cannot hold.
Dropped = Callable[[str], None]


def _inline(value: Any, place: str, dropped: Dropped) -> str | None:
    """A value on one line, or ``None`` for a null (reported through ``dropped``)."""
    if value is None:
        dropped(place)
        return None
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        items = []
        for key, item in value.items():
            written = _inline(item, f"{place}.{key}", dropped)
            if written is not None:
                items.append(f"{_key(str(key))} = {written}")
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        written_items = [_inline(item, f"{place}[{index}]", dropped) for index, item in enumerate(value)]
        return "[" + ", ".join(w for w in written_items if w is not None) + "]"
    raise TypeError(f"cannot write {type(value).__name__} in TOML")  # pragma: no cover - plain data only


def _table(data: Mapping[str, Any], dropped: Dropped) -> list[str]:
    """The ``key = value`` lines of one table."""
    lines = []
    for key, value in data.items():
        if isinstance(value, str) and "\n" in value:
            lines.append(f"{_key(key)} = {_multiline(value)}")
        elif key == "sources" and value:
            lines.append(f"{_key(key)} = [")
            lines += [f"  {_inline(source, key, dropped)}," for source in value]
            lines.append("]")
        else:
            written = _inline(value, key, dropped)
            if written is not None:
                lines.append(f"{_key(key)} = {written}")
    return lines


def _text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


class TomlExporter:
    name = "toml"
    extensions = (".toml",)
    media_type = "application/toml"
    description = "The timeline as TOML in the data format, for people to edit (TOML has no null)"
    options: tuple[Option, ...] = ()

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: Any = None
    ) -> None:
        report = context.report if context is not None else None

        def nowhere(place: str) -> None:  # header and eras hold no extra, so no null
            raise AssertionError(place)  # pragma: no cover

        out = _table(header_items(timeline), nowhere)
        if not timeline.events:
            out.append("events = []")
        for era in era_items(timeline):
            out += ["", "[[eras]]", *_table(era, nowhere)]
        stream.write(_text(out))
        zone = timeline.timezone
        for event in iter_events(timeline):
            places: list[str] = []
            lines = ["", "[[events]]", *_table(event_items(event, zone), places.append)]
            stream.write(_text(lines))
            if report is not None:
                report.wrote(event)
                for place in places:
                    report.approximated(event, "extra", f"TOML has no null: {place} is left out")
