"""Writes a timeline as YAML in the data format, for people first: the ``yaml`` exporter.

Written by hand rather than with ``yaml.safe_dump``: PyYAML's pure-Python
emitter takes seven seconds for 10,000 events and its C emitter is not
everywhere (and need not give the same bytes), while the layout here is
simple.  What PyYAML is needed for, deciding whether a string may be
written without quotes, is asked of its resolver, the same one the YAML
reader resolves with: a string that would be read as anything but text
(``1961``, ``yes``, ``2024-06-19``, ``~``, ``0x1F``, ``1:20``) is quoted.

The rules, most conservative first:

- Dates are always double-quoted (``start: "1961-07-06"``, ``end: ".."``).
- A string is plain when it starts with a letter, digit or other harmless
  character, has no leading or trailing space, no ``": "`` or ``" #"``,
  does not end with ``:``, holds only printable characters, and YAML 1.1
  resolves it as text.
- Text with line breaks, and descriptions longer than a line, are literal
  block scalars (``|``, or ``|-`` without a final line break) when that
  spelling keeps them exactly (no tabs, no trailing spaces on a line, no
  leading space or break, at most one final break); otherwise, and for any
  other string, double-quoted with escapes (``\\n``, ``\\t``, ``\\u0085``),
  which keep every character.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import IO, Any

from timeline import Option, Timeline, iter_events

from ._writing import DateText, era_items, event_items, header_items

__all__ = ["YamlExporter", "yaml_scalar"]

#: Characters that may not start a plain scalar (YAML indicators), besides space.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`\\")
#: Characters written only as escapes: C0 and C1 controls, DEL, the YAML 1.1
#: line breaks NEL, LS and PS (which a reader would fold), the byte-order
#: mark, surrogates and the non-characters PyYAML's reader refuses.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0", "\\": "\\\\", '"': '\\"'}
_PLAIN_BAD = re.compile(": | #|:$|\\s$|^\\s")
#: A key longer than this is written as an explicit ``? key`` (YAML caps simple keys at 1024 characters).
_LONG_KEY = 1000
#: Descriptions at least this long are written as literal blocks even without line breaks.
_LONG_TEXT = 80

_resolver: Any = None


def _resolves_as_text(text: str) -> bool:
    global _resolver
    import yaml

    if _resolver is None:
        _resolver = yaml.resolver.Resolver()
    return bool(_resolver.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    return f"\\u{ord(char):04x}"


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line, every character kept."""
    return '"' + _ESCAPE.sub(_escape, text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _plain_ok(text: str) -> bool:
    return (
        bool(text)
        and text[0] not in _INDICATORS
        and _ESCAPE.search(text) is None
        and _PLAIN_BAD.search(text) is None
        and _resolves_as_text(text)
    )


def yaml_scalar(value: Any) -> str:
    """One value on one line: ``null``, ``true``, ``42``, ``2.5``, ``plain text`` or ``"quoted"``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 reads 1e+16 as text: 1.0e+16 is a float
            text = text.replace("e", ".0e", 1)
        return text
    text = str(value)
    if isinstance(value, DateText) or not _plain_ok(text):
        return double_quoted(text)
    return text


def _literal_ok(text: str) -> bool:
    """Whether a literal block scalar reads back as exactly ``text``."""
    if not text or text[0] in " \n" or text.endswith("\n\n") or "\t" in text or "\r" in text:
        return False
    if _ESCAPE.search(text.replace("\n", "")) is not None:
        return False
    return " \n" not in text and not text.endswith(" ")


def _value(head: str, value: Any, indent: int, out: list[str], key: Any = None) -> None:
    """``head`` (``key:`` or ``-``) followed by ``value``, nested below it when it is a collection."""
    if isinstance(value, Mapping) and value:
        out.append(head)
        _mapping(value, indent + 2, out)
    elif isinstance(value, (list, tuple)) and value:
        out.append(head)
        _sequence(value, indent + 2, out)
    elif isinstance(value, Mapping):
        out.append(head + " {}")
    elif isinstance(value, (list, tuple)):
        out.append(head + " []")
    elif (
        isinstance(value, str)
        and not isinstance(value, DateText)
        and ("\n" in value or (key == "description" and len(value) >= _LONG_TEXT))
        and _literal_ok(value)
    ):
        pad = " " * (indent + 2)
        body = value[:-1] if value.endswith("\n") else value
        out.append(head + (" |" if value.endswith("\n") else " |-"))
        out.extend(pad + line if line else "" for line in body.split("\n"))
    else:
        out.append(head + " " + yaml_scalar(value))


def _key(key: Any) -> str:
    return yaml_scalar(str(key))


def _mapping(mapping: Mapping[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        written = _key(key)
        if len(written) > _LONG_KEY:
            out.append(f"{pad}? {written}")
            _value(f"{pad}:", value, indent, out, key)
        else:
            _value(f"{pad}{written}:", value, indent, out, key)


def _sequence(items: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, (Mapping, list, tuple)) and item:
            inner: list[str] = []
            if isinstance(item, Mapping):
                _mapping(item, indent + 2, inner)
            else:
                _sequence(item, indent + 2, inner)
            inner[0] = pad + "- " + inner[0][indent + 2 :]
            out.extend(inner)
        else:
            _value(f"{pad}-", item, indent, out)


def _text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


class YamlExporter:
    name = "yaml"
    extensions = (".yaml", ".yml")
    media_type = "application/yaml"
    description = "The timeline as YAML in the data format, for people to edit; lossless"
    options: tuple[Option, ...] = ()

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: Any = None
    ) -> None:
        report = context.report if context is not None else None
        out: list[str] = []
        _mapping(header_items(timeline), 0, out)
        eras = list(era_items(timeline))
        if eras:
            out.append("")
            _value("eras:", eras, 0, out)
        out.append("")
        if not timeline.events:
            out.append("events: []")
            stream.write(_text(out))
            return
        out.append("events:")
        stream.write(_text(out))
        zone = timeline.timezone
        first = True
        for event in iter_events(timeline):
            lines = [] if first else [""]
            _sequence([event_items(event, zone)], 2, lines)
            stream.write(_text(lines))
            first = False
            if report is not None:
                report.wrote(event)  # lossless
