"""JSON in and out: the canonical, lossless form of the data format.

Exporting any timeline to JSON, reading that back and exporting again gives
the same bytes: keys in the documented order, dates in canonical EDTF, empty
fields left out, ``extra`` with sorted keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

import attrs

import timeline
from timeline import Date, Document, Event, ExportContext, Option, ReadError, Source, Timeline, decode_text, iter_events

from ._numbers import is_too_long_integer, long_integer_line, long_integer_message


class JsonReader:
    name = "json"
    extensions = (".json",)
    description = "JSON (the canonical form written by --format json)"

    def read(self, data: bytes, source: str, *, context: Any = None) -> Document:
        text = decode_text(data)
        duplicated: list[bool] = []
        try:
            content = json.loads(text, object_pairs_hook=_dict_noting_duplicates(duplicated))
        except json.JSONDecodeError as exc:
            raise ReadError(f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
        except RecursionError:
            raise ReadError("invalid JSON: nested too deeply") from None
        except ValueError as exc:
            if not is_too_long_integer(exc):
                raise
            raise ReadError(long_integer_message(), line=long_integer_line(text, "json")) from None
        if duplicated:
            raise _duplicate_key_error(text)
        shape = timelinejs_shape(content)
        if shape is not None:
            raise ReadError(
                f"this is TimelineJS JSON ({shape}), not the timeline data format: "
                "read it with -I timelinejs (input_format='timelinejs' in Python)",
                line=1,
            )
        return Document(content)


def timelinejs_shape(content: Any) -> str | None:
    """What makes parsed JSON look like a TimelineJS document, or ``None``.

    Cheap: only the title and the first few events are looked at.  Neither
    shape is valid in the data format (``title`` is text there, and events
    have ``start``, not ``start_date``), so no valid timeline is refused.
    """
    if not isinstance(content, dict):
        return None
    title = content.get("title")
    if isinstance(title, dict) and "text" in title:
        return "a title slide with 'text'"
    events = content.get("events")
    if isinstance(events, list):
        for event in events[:10]:
            if isinstance(event, dict) and isinstance(event.get("start_date"), dict) and "start" not in event:
                return "events with 'start_date' objects"
    return None


def _dict_noting_duplicates(duplicated: list[bool]) -> Any:
    """An ``object_pairs_hook`` that builds the dict and notes, cheaply, that a key came twice.

    Finding where is left to :func:`_duplicate_key_error`, which only runs
    when there is something to find (measured in docs/performance.md).
    """

    def build(pairs: list[tuple[str, Any]], dict: type[dict[str, Any]] = dict, len: Any = len) -> dict[str, Any]:
        built = dict(pairs)
        if len(built) != len(pairs):
            duplicated.append(True)
        return built

    return build


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]')


def _duplicate_key_error(text: str) -> ReadError:
    """A ReadError naming the first key written twice in one object, with both lines."""
    objects: list[dict[str, int] | None] = []  # per open bracket: keys seen so far (None for arrays)
    previous, previous_at = "", 0
    for match in _JSON_TOKEN.finditer(text):
        piece = match.group()
        if piece == "{" or piece == "[":
            objects.append({} if piece == "{" else None)
        elif piece == "}" or piece == "]":
            if objects:
                objects.pop()
        elif piece == ":" and objects and objects[-1] is not None and previous.startswith('"'):
            keys = objects[-1]
            key = json.loads(previous)
            line = text.count("\n", 0, previous_at) + 1
            if key in keys:
                return ReadError(
                    f"invalid JSON: duplicate key {key!r} (first at line {keys[key]}): "
                    "JSON readers keep only the last value",
                    line=line,
                )
            keys[key] = line
        previous, previous_at = piece, match.start()
    return ReadError("invalid JSON: a key is given twice in one object; JSON readers keep only the last value")


def date_text(date: Date, zone: str | None) -> str:
    """Canonical EDTF for ``date`` as it will be read back where ``zone`` applies.

    A local time resolved in ``zone`` is written without an offset (the zone
    is written beside it); one resolved in any other zone keeps its offset,
    so reading it back gives the same instant.
    """
    if date.zone is not None and date.zone != zone:
        return attrs.evolve(date, zone=None).isoformat()
    return date.isoformat()


def _source(source: Source, zone: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("title", "publisher", "url"):
        value = getattr(source, key)
        if value is not None:
            out[key] = value
    if source.date is not None:
        out["date"] = date_text(source.date, zone)
    return out


def translations_data(translations: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``translations`` as plain data: each tag's ``title`` and ``description``, what is given of them."""
    out: dict[str, dict[str, str]] = {}
    for tag, item in translations.items():
        data: dict[str, str] = {}
        if item.title is not None:
            data["title"] = item.title
        if item.description is not None:
            data["description"] = item.description
        out[tag] = data
    return out


def _sorted_mapping(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _sorted_mapping(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_mapping(item) for item in value]
    return value


def _event_zone(event: Event, default_zone: str | None) -> str | None:
    """The zone to write: the event's own, or the one its times were resolved in."""
    if event.timezone is not None:
        return event.timezone
    for date in (event.start, event.end):
        if date is not None and date.zone is not None and date.zone != default_zone:
            return date.zone
    return None


def event_to_data(event: Event, default_zone: str | None = None) -> dict[str, Any]:
    """An event as plain data in the documented field order."""
    own_zone = _event_zone(event, default_zone)
    zone = own_zone or default_zone
    out: dict[str, Any] = {"id": event.id, "title": event.title, "start": date_text(event.start, zone)}
    if event.ongoing:
        out["end"] = ".."
    elif event.end is not None:
        out["end"] = date_text(event.end, zone)
    if own_zone is not None:
        out["timezone"] = own_zone
    if event.order:
        out["order"] = event.order
    if event.description:
        out["description"] = event.description
    if event.translations:
        out["translations"] = translations_data(event.translations)
    if event.tags:
        out["tags"] = list(event.tags)
    if event.group is not None:
        out["group"] = event.group
    if event.location is not None:
        loc = event.location
        out["location"] = {k: v for k, v in (("name", loc.name), ("lat", loc.lat), ("lon", loc.lon)) if v is not None}
    if event.media is not None:
        media = event.media
        out["media"] = {
            k: v for k, v in (("url", media.url), ("caption", media.caption), ("credit", media.credit)) if v is not None
        }
    if event.sources:
        out["sources"] = [_source(s, zone) for s in event.sources]
    if event.related:
        labels = event.relation_labels
        out["related"] = (
            [other if labels.get(other) is None else {"id": other, "label": labels[other]} for other in event.related]
            if labels
            else list(event.related)
        )
    if event.extra:
        out["extra"] = _sorted_mapping(event.extra)
    return out


_encode_scalar = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_encode_text = json.encoder.encode_basestring  # what the encoder above uses for text


def indented_json(value: Any, pad: str, depth: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=len(pad))``, as if nested ``depth`` levels deep.

    The same text, faster: with ``indent`` the standard library falls back
    to its pure-Python encoder for everything, while this only walks the
    containers in Python and leaves each string and number to the C encoder.
    """
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        if not value:
            return "{}"
        inner = "\n" + pad * (depth + 1)
        deeper = depth + 1
        items = [
            inner + _encode_text(str(key)) + ": " + indented_json(item, pad, deeper) for key, item in value.items()
        ]
        return "{" + ",".join(items) + "\n" + pad * depth + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + pad * (depth + 1)
        deeper = depth + 1
        return "[" + ",".join([inner + indented_json(item, pad, deeper) for item in value]) + "\n" + pad * depth + "]"
    return _encode_scalar(value)


#: What ``json`` writes raw with ``ensure_ascii=False`` but must not reach a
#: terminal or an editor unescaped: DEL and the C1 controls (C0 controls are
#: always written as escapes).  They can only occur inside JSON strings,
#: where ``\u0080`` means the same character, so escaping keeps the output
#: lossless.  Loading refuses them; a timeline built in code may hold them.
_RAW_CONTROL_RE = re.compile("[\x7f-\x9f]")


def _control_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str) -> str:
    """JSON text with DEL and the C1 controls written as ``\\u007f`` to ``\\u009f``."""
    if _RAW_CONTROL_RE.search(text) is None:
        return text
    return _RAW_CONTROL_RE.sub(_control_escape, text)


class JsonExporter:
    name = "json"
    extensions = (".json",)
    media_type = "application/json"
    description = "The timeline as canonical JSON, lossless: read it back with timeline itself"
    options = (
        Option(
            "indent",
            "Spaces per indentation level; 0 writes one event per line",
            type="int",
            default=2,
            minimum=0,
            maximum=8,
        ),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else None
        indent: int = options.get("indent", 2)
        if indent:
            pad, sep, nl = " " * indent, ": ", "\n"

            def dump(value: Any, depth: int) -> str:
                return indented_json(value, pad, depth)

        else:

            def dump(value: Any, depth: int) -> str:
                return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

            pad, sep, nl = "", ":", "\n"
        head: dict[str, Any] = {"id": timeline.id, "title": timeline.title}
        if timeline.description:
            head["description"] = timeline.description
        if timeline.translations:
            head["translations"] = translations_data(timeline.translations)
        if timeline.timezone is not None:
            head["timezone"] = timeline.timezone
        if timeline.updated is not None:
            head["updated"] = date_text(timeline.updated, timeline.timezone)
        parts = [f"{pad}{json.dumps(k)}{sep}{dump(v, 1)}" for k, v in head.items()]
        if timeline.eras:
            eras = []
            for era in timeline.eras:
                data: dict[str, Any] = {"title": era.title, "start": date_text(era.start, timeline.timezone)}
                if era.ongoing:
                    data["end"] = ".."
                elif era.end is not None:
                    data["end"] = date_text(era.end, timeline.timezone)
                if era.description:
                    data["description"] = era.description
                if era.translations:
                    data["translations"] = translations_data(era.translations)
                eras.append(data)
            parts.append(f'{pad}"eras"{sep}{dump(eras, 1)}')
        write = stream.write
        head_text = "{" + nl + ("," + nl).join(parts) + "," + nl + f'{pad}"events"{sep}['
        write(escape_controls(head_text).encode("utf-8"))
        zone = timeline.timezone
        first = True
        for event in iter_events(timeline):
            chunk = escape_controls(dump(event_to_data(event, zone), 2))
            write(((nl if first else "," + nl) + pad * 2 + chunk).encode("utf-8"))
            first = False
            if report is not None:
                report.wrote(event)  # lossless: everything is kept
        write(((nl + pad if not first else "") + "]" + nl + "}" + "\n").encode("utf-8"))


@timeline.hookimpl
def timeline_readers() -> list[JsonReader]:
    return [JsonReader()]


@timeline.hookimpl
def timeline_exporters() -> list[JsonExporter]:
    return [JsonExporter()]
