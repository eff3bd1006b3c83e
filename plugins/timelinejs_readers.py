"""Reading TimelineJS 3 back in: its JSON configuration and its Google Sheets template as CSV.

Two readers live here: ``timelinejs`` reads the JSON object that
``new TL.Timeline(element, data)`` takes (our own ``timelinejs`` export, the
examples shipped with TimelineJS, hand-written files), and
``timelinejs-sheet`` reads the CSV download of a sheet made from Knight
Lab's template (and what ``docs/examples/timeline-csv`` writes).  Every
mapping decision is explained in ``docs/readers/timelinejs.md`` and
``docs/readers/timelinejs-sheet.md``; in short:

* TimelineJS text is HTML.  Nothing of it is passed through as markup:
  :class:`_HtmlToText` (the standard library's ``html.parser``) keeps the
  text, turns links with safe URLs into Markdown links in descriptions and
  drops the content of ``<script>`` and ``<style>``;
* TimelineJS counts year -N as N BCE; the data format counts
  astronomically, so -N becomes -(N-1) and year 0 is refused;
* a date is as precise as the parts given; a time needs a zone, which a
  ``display_date`` written by our exporters ("... (UTC+9)") or the
  ``timezone`` reader option gives;
* a ``display_date`` that is exactly what ``timeline`` would write for the
  dates read is recognised (and gives back qualifiers and "ongoing");
  any other wording is kept in ``extra.display_date``.

Only the public ``timeline`` API is used.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import timeline
from timeline import Date, Document, Option, PluginWarning, ReadContext, ReadError, escape_markdown, human_span

# --- text: TimelineJS's HTML to plain text or Markdown ------------------------------------

#: Elements whose content a browser (or TimelineJS's DOMPurify) never shows as text.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                     "head", "title", "textarea", "select"})
#: Elements that start a new paragraph of Markdown.
_BLOCKS = frozenset({"p", "div", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
                     "article", "header", "footer", "aside", "nav", "table", "tr", "hr", "pre", "figure",
                     "figcaption", "dl", "dt", "dd", "address", "main", "cite"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "source", "track"})
_SPACE_RE = re.compile(r"\s+")
_LINK_SCHEMES = ("http", "https", "mailto")


def _link_target(href: str | None) -> str | None:
    """An http, https or mailto URL as a Markdown link destination may hold it, else None."""
    target = timeline.safe_url(href)
    if target is None or urlsplit(target).scheme.lower() not in _LINK_SCHEMES:
        return None
    return re.sub(r"[\s()<>\\]", lambda m: f"%{ord(m.group()):02X}", target)


class _HtmlToText(HTMLParser):
    """Collects the text of an HTML fragment as paragraphs of pieces: text, or (label, link target)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str | tuple[str, str | None]]] = [[]]
        self.list_item: list[bool] = [False]
        self.hidden = 0
        self.dropped: set[str] = set()
        self.link: tuple[str | None, list[str]] | None = None

    def _new_block(self, item: bool = False) -> None:
        self._close_link()
        if self.blocks[-1]:
            self.blocks.append([])
            self.list_item.append(item)
        else:
            self.list_item[-1] = item or self.list_item[-1]

    def _close_link(self) -> None:
        if self.link is not None:
            href, parts = self.link
            self.link = None
            self.blocks[-1].append(("".join(parts), href))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.hidden += 1
            self.dropped.add(f"<{tag}>")
            return
        if self.hidden:
            return
        if tag == "li":
            self._new_block(item=True)
        elif tag in _BLOCKS:
            self._new_block()
        elif tag == "a":
            self._close_link()
            self.link = (dict(attrs).get("href"), [])
        elif tag == "img":
            self.dropped.add("<img>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.dropped.add(f"<{tag}>")
        elif not self.hidden:
            self.handle_starttag(tag, attrs)
            if tag == "a":
                self._close_link()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if self.hidden:
            return
        if tag == "a":
            self._close_link()
        elif tag in _BLOCKS or tag == "li":
            self._new_block()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.link is not None:
            self.link[1].append(data)
        else:
            self.blocks[-1].append(data)

    def finish(self) -> None:
        self.close()
        self._close_link()


def _parse_html(value: str) -> _HtmlToText:
    parser = _HtmlToText()
    parser.feed(value)
    parser.finish()
    return parser


def html_to_text(value: str) -> str:
    """What TimelineJS shows of an HTML fragment, as one line of plain text."""
    if "<" not in value and "&" not in value:
        return _SPACE_RE.sub(" ", value).strip()
    parser = _parse_html(value)
    blocks = ["".join(piece if isinstance(piece, str) else piece[0] for piece in block) for block in parser.blocks]
    return _SPACE_RE.sub(" ", " ".join(blocks)).strip()


def shown_text(value: str) -> str:
    """``display_date`` and ``group``: TimelineJS strips markup, then inserts the result as HTML."""
    return html_to_text(html_to_text(value))


def _escaped_run(text: str) -> str:
    """A run of text as Markdown, keeping one space at either end if there was whitespace."""
    core = text.strip()
    if not core:
        return " " if text else ""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + escape_markdown(core) + trail


def html_to_markdown(value: str) -> tuple[str, set[str]]:
    """TimelineJS's ``text.text`` as our Markdown, and the elements left out (``<script>``, ``<img>``)."""
    parser = _parse_html(value)
    paragraphs = []
    for block, item in zip(parser.blocks, parser.list_item, strict=True):
        out: list[str] = []
        run: list[str] = []
        for piece in block:
            if isinstance(piece, str):
                run.append(piece)
                continue
            label, href = piece
            target = _link_target(href)
            label = _SPACE_RE.sub(" ", label).strip()
            if target is None:
                run.append(label)
                continue
            out.append(_escaped_run(_SPACE_RE.sub(" ", "".join(run))))
            run = []
            out.append(f"[{escape_markdown(label or target)}]({target})")
        out.append(_escaped_run(_SPACE_RE.sub(" ", "".join(run))))
        line = "".join(out).strip()
        if line:
            paragraphs.append(("- " if item else "") + line)
    return "\n\n".join(paragraphs), parser.dropped


# --- dates -----------------------------------------------------------------------------------


class _Bad(Exception):
    """A value this reader cannot take; becomes a ReadError naming the event and field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


_INTEGER_RE = re.compile(r"-?\d+")
_DATE_PARTS = ("year", "month", "day", "hour", "minute", "second", "millisecond")
_LIMITS = {"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59), "second": (0, 59),
           "millisecond": (0, 999)}


def _integer(value: object, field: str, *, sheet: bool = False) -> int | None:
    """A TimelineJS date part: an integer, or text of one (TimelineJS accepts both); empty is absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(field, f"{json.dumps(value)} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Bad(field, f"{value!r} is not a whole number")
    if isinstance(value, str):
        # TimelineJS's sheet reader drops spaces and commas ("1,815"); its JSON wants -?\d+ exactly.
        text = re.sub(r"[\s,]+", "", value) if sheet else value
        if text == "":
            return None
        if _INTEGER_RE.fullmatch(text) and len(text) <= 20:
            return int(text)
        raise _Bad(field, f"{_shorten(value)!r} is not a whole number")
    raise _Bad(field, f"expected a whole number, got {_kind(value)}")


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return "null" if value is None else type(value).__name__


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _astronomical(year: int, field: str) -> int:
    """TimelineJS's year (no year 0; -N is N BCE) as an astronomical year (-N becomes -(N-1))."""
    if year == 0:
        raise _Bad(field, "year 0 does not exist in TimelineJS's counting: -1 is 1 BCE, 1 is 1 CE")
    return year + 1 if year < 0 else year


class _Parts:
    """The parts of one TimelineJS date, checked, with what was dropped."""

    def __init__(self, values: Mapping[str, int | None], field: str,
                 part_field: Callable[[str], str] | None = None) -> None:
        for name, value in values.items():
            if value is not None and name in _LIMITS:
                low, high = _LIMITS[name]
                if not low <= value <= high:
                    where = part_field(name) if part_field is not None else f"{field}.{name}"
                    raise _Bad(where, f"{name} {value} is out of range ({low}–{high})")
        year = values.get("year")
        if year is None:
            raise _Bad(field, "a date needs a year")
        self.year = _astronomical(year, field)
        self.month, self.day = values.get("month"), values.get("day")
        self.hour, self.minute, self.second = values.get("hour"), values.get("minute"), values.get("second")
        self.millisecond = values.get("millisecond")
        if self.day is not None and self.month is None:
            raise _Bad(field, "a day needs a month")
        if self.hour is None and (self.minute is not None or self.second is not None):
            raise _Bad(field, "minutes or seconds need an hour")
        if self.hour is not None and self.day is None:
            raise _Bad(field, "a time of day needs a year, month and day")

    @property
    def has_time(self) -> bool:
        return self.hour is not None

    def date(self, offset: int | None = None, approximate: bool = False, uncertain: bool = False) -> Date:
        minute = self.minute if self.minute is not None else (0 if self.hour is not None else None)
        return Date(self.year, self.month, self.day, self.hour, minute, self.second,
                    offset if self.hour is not None else None,
                    approximate=approximate and self.hour is None, uncertain=uncertain and self.hour is None)


_OFFSET_RE = re.compile(r"\(UTC(?:([+-])(\d{1,2})(?::(\d{2}))?)?\)")
_QUALIFIERS = ((False, False), (True, False), (False, True), (True, True))


def _offsets(display: str) -> list[int]:
    """The UTC offsets our exporters write into a display date, in order, in minutes."""
    found = []
    for sign, hours, minutes in _OFFSET_RE.findall(display):
        value = int(hours or 0) * 60 + int(minutes or 0)
        found.append(-value if sign == "-" else value)
    return found


def _span_text(start: Date, end: Date | None, ongoing: bool) -> str | None:
    try:
        return human_span(start, end, ongoing=ongoing)
    except Exception:  # a date the calendar refuses (30 February): the loader says so
        return None


class _Dates:
    """An item's start, end and display date, resolved into data-format values."""

    def __init__(self, start: _Parts | None, end: _Parts | None, display: str, zone: str | None,
                 given_offsets: Sequence[int | None] = ()) -> None:
        self.display = display
        self.start_text: str | None = None
        self.end_text: str | None = None
        self.display_kept = bool(display)
        self.needs_zone: str | None = None
        if start is None:
            return
        offsets: list[int | None] = (list(given_offsets) if any(o is not None for o in given_offsets)
                                     else list(_offsets(display)))
        start_offset = offsets[0] if offsets else None
        end_offset = offsets[-1] if offsets else None
        timed = start.has_time or (end is not None and end.has_time)
        if timed and not offsets and zone is None:
            self.needs_zone = "start" if start.has_time else "end"
        # Our exporters' own wording gives back qualifiers and "ongoing".
        if display:
            for s_approx, s_uncertain in _QUALIFIERS:
                first = start.date(start_offset, s_approx, s_uncertain)
                choices: list[tuple[Date | None, bool]] = [(None, False), (None, True)]
                if end is not None:
                    choices = [(end.date(end_offset, a, u), False) for a, u in _QUALIFIERS] + choices
                for last, ongoing in choices:
                    if _span_text(first, last, ongoing) == display:
                        self.start_text = first.isoformat()
                        self.end_text = ".." if ongoing else (last.isoformat() if last is not None else None)
                        self.display_kept = False
                        return
        self.start_text = start.date(start_offset).isoformat()
        if end is not None:
            self.end_text = end.date(end_offset).isoformat()
        if display and not end and _span_text(start.date(start_offset), None, False) == display:
            self.display_kept = False


# --- ids ---------------------------------------------------------------------------------------

_ID_RE = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?")


def _slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-._")


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:6]


class _Ids:
    """Event ids: the given unique_id when it is a valid id, else a slug; stable, never repeated."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, given: str | None, title: str, *fingerprint: str) -> tuple[str, str | None]:
        """The id, and how it was made when it is not ``given`` as it is (for the report)."""
        if given is not None and _ID_RE.fullmatch(given) and given not in self.used:
            self.used.add(given)
            return given, None
        base = _slug(given) if given else ""
        how = f"unique_id {_shorten(given)!r} is not a valid id" if given else None
        if given and given in self.used:
            how = f"unique_id {_shorten(given)!r} is used twice"
        base = base or _slug(title)
        candidate = base
        if not base:  # nothing Latin to make a slug of (Hangul, Cyrillic): a hash of the content
            base = "event"
            candidate = f"event-{_short_hash(given or '', title, *fingerprint)}"
        if candidate in self.used:
            candidate = f"{base}-{_short_hash(given or '', title, *fingerprint)}"
        number = 2
        while candidate in self.used:
            candidate = f"{base}-{_short_hash(given or '', title, *fingerprint)}-{number}"
            number += 1
        self.used.add(candidate)
        if how is not None:
            how += f": the event is called {candidate!r}"
        return candidate, how


# --- what both readers build -------------------------------------------------------------------


class _Problems:
    """Problems with values, collected so the first can be raised with a count of the rest."""

    def __init__(self) -> None:
        self.found: list[tuple[int | None, str]] = []

    def add(self, line: int | None, who: str, bad: _Bad) -> None:
        self.found.append((line, f"{who}, field {bad.field!r}: {bad.message}"))

    def raise_first(self) -> None:
        if not self.found:
            return
        line, message = self.found[0]
        more = len(self.found) - 1
        if more:
            lines = sorted({ln for ln, _ in self.found[1:] if ln is not None})
            where = (": lines " + ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")) if lines else ""
            message += f"; and {more} more problem{'s' if more > 1 else ''} in this file{where}"
        raise ReadError(message, line=line)


def _media(cells: Sequence[str], item: dict[str, Any], extra: dict[str, Any],
           report: Callable[[str, str], None]) -> None:
    """Media (url, caption, credit, thumbnail, alt, link) into ``media``, and ``extra`` for what has no place."""
    url, caption, credit, thumbnail, alt, link = cells
    url = url.strip()
    caption_text, credit_text = html_to_text(caption), html_to_text(credit)
    if url:
        target = timeline.safe_url(url)
        if target is not None and urlsplit(target).scheme.lower() in ("http", "https"):
            media = {"url": target}
            if caption_text:
                media["caption"] = caption_text
            if credit_text:
                media["credit"] = credit_text
            item["media"] = media
        elif url.startswith("<"):
            quoted, _ = html_to_markdown(url)
            if quoted:
                item["description"] = (item.get("description", "") + "\n\n" + quoted).strip()
                report("media", "an embed code, not a URL: its text is added to the description")
            else:
                report("media", "an embed code, not a URL, with no text: left out")
        else:
            report("media", f"{_shorten(url)!r} is not an http(s) URL: left out")
    elif caption_text or credit_text:
        report("media", "a caption or credit without a media URL: left out")
    thumbnail_url = timeline.safe_url(thumbnail.strip()) if thumbnail.strip() else None
    if thumbnail_url and urlsplit(thumbnail_url).scheme.lower() in ("http", "https") and "media" in item:
        extra["media_thumbnail"] = thumbnail_url
    alt_text = html_to_text(alt)
    if alt_text and alt_text != caption_text and "media" in item:
        extra["media_alt"] = alt_text
    link_url = timeline.safe_url(link.strip()) if link.strip() else None
    if link_url and "media" in item:
        extra["media_link"] = link_url


def _description(value: str, report: Callable[[str, str], None], field: str = "description") -> str:
    text, dropped = html_to_markdown(value)
    if dropped:
        report(field, "left out " + ", ".join(sorted(dropped)) + ", which TimelineJS's HTML held")
    return text


def _check_zone(zone: str | None) -> str | None:
    if zone is None or zone == "":
        return None
    try:
        Date(2000, 1, 1, 0, 0).in_zone(zone)
    except timeline.DateError:
        raise timeline.OptionError(f"reader option 'timezone': {zone!r} is not an IANA zone name "
                                   "such as Asia/Seoul or Europe/Moscow") from None
    return zone


def _zone_problem(which: str) -> str:
    return (f"a time of day without a zone in the {which}: TimelineJS dates have none, so give the zone of "
            "the file's times with the reader option timezone, e.g. -R timezone=Asia/Seoul")


def _options(context: ReadContext | None) -> Mapping[str, object]:
    return context.options if context is not None else {}


# --- TimelineJS JSON ---------------------------------------------------------------------------

_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _json_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The line where each value of a JSON document starts, by its path."""
    lines: dict[tuple[str | int, ...], int] = {}
    stack: list[list[Any]] = []  # per container: [kind, key or index, expecting key]
    line, last = 1, 0
    for match in _JSON_TOKEN_RE.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        piece = match.group()
        path = tuple(frame[1] for frame in stack)
        if piece in ("}", "]"):
            if stack:
                stack.pop()
            continue
        if piece == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
            elif stack:
                stack[-1][2] = True
            continue
        if piece == ":":
            continue
        if stack and stack[-1][0] == "{" and stack[-1][2]:
            try:
                stack[-1][1] = json.loads(piece)
            except ValueError:
                stack[-1][1] = piece
            stack[-1][2] = False
            continue
        lines.setdefault(path, line)
        if piece == "{":
            stack.append(["{", None, True])
        elif piece == "[":
            stack.append(["[", 0, False])
    return lines


class _JsonLocator:
    """Lines for paths into the data built from a TimelineJS JSON file (computed on first use)."""

    FIELDS: Mapping[str, tuple[str, ...]] = {
        "id": ("unique_id",), "title": ("text", "headline"), "description": ("text", "text"),
        "start": ("start_date",), "end": ("end_date",), "group": ("group",), "media": ("media",),
        "extra": ("display_date",),
    }

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[tuple[str | int, ...], int] | None = None
        self.sources: dict[tuple[str, int], tuple[str | int, ...]] = {}

    def line(self, path: Sequence[str | int]) -> int | None:
        if self.lines is None:
            self.lines = _json_lines(self.text)
        full = tuple(path)
        while full:
            if full in self.lines:
                return self.lines[full]
            full = full[:-1]
        return self.lines.get((), 1)

    def __call__(self, path: Sequence[str | int]) -> int | None:
        if not path:
            return 1
        if path[0] in ("title", "description") and len(path) == 1:
            return self.line(("title", "text", "headline" if path[0] == "title" else "text"))
        if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
            origin = self.sources.get((path[0], path[1]))
            if origin is not None:
                rest = self.FIELDS.get(str(path[2]), ()) if len(path) > 2 else ()
                return self.line(origin + rest)
        return self.line(tuple(path))


def _text_of(value: object, field: str) -> str:
    """A TimelineJS text field: a string; numbers are taken as their text, as JavaScript would."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    raise _Bad(field, f"expected text, got {_kind(value)}")


def _object(value: object, field: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _Bad(field, f"expected an object, got {_kind(value)}")
    return value


def _json_date(value: object, field: str) -> _Parts | None:
    if value is None:
        return None
    parts = _object(value, field)
    if not parts:
        return None
    values = {name: _integer(parts.get(name), f"{field}.{name}") for name in _DATE_PARTS}
    if values["year"] is None:
        raise _Bad(field, "a date needs a year (TimelineJS refuses a date object without one)")
    return _Parts(values, field)


class TimelineJsReader:
    """TimelineJS 3's JSON configuration, as ``new TL.Timeline(element, data)`` takes it."""

    name = "timelinejs"
    extensions: tuple[str, ...] = ()
    description = "TimelineJS 3 JSON (our timelinejs export, Knight Lab's examples); choose it with -I timelinejs"
    options = (
        Option("timezone", "IANA zone of times of day that the file gives without an offset (e.g. Asia/Seoul)"),
    )

    def read(self, data: bytes, source: str, *, context: ReadContext | None = None) -> Document:
        report = context.report if context is not None else timeline.Report()
        zone = _check_zone(_as_text(_options(context).get("timezone")))
        text = timeline.decode_text(data)
        try:
            root = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReadError(f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
        except RecursionError:
            raise ReadError("invalid JSON: nested too deeply") from None
        except ValueError as exc:  # a number too long to convert
            raise ReadError(f"invalid JSON: {exc}") from None
        if not isinstance(root, Mapping):
            raise ReadError(f"a TimelineJS file is a JSON object with 'events', not {_kind(root)}", line=1)
        locator = _JsonLocator(text)
        problems = _Problems()
        content: dict[str, Any] = {}
        if zone is not None:
            content["timezone"] = zone
        title = root.get("title")
        if title is not None:
            try:
                self._title(_object(title, "title"), content, report)
            except _Bad as bad:
                problems.add(locator.line(("title",)), "the title slide", bad)
        events: list[dict[str, Any]] = []
        eras: list[dict[str, Any]] = []
        ids = _Ids()
        for key, out in (("events", events), ("eras", eras)):
            items = root.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                problems.add(locator.line((key,)), "the timeline", _Bad(key, f"expected a list, got {_kind(items)}"))
                continue
            for index, item in enumerate(items):
                label = f"{key[:-1]} #{index + 1}"
                try:
                    built = self._item(_object(item, key), key == "events", ids, zone, report, label)
                except _Bad as bad:
                    problems.add(locator.line((key, index, *bad.field.split("."))), label, bad)
                    continue
                locator.sources[(key, len(out))] = (key, index)
                out.append(built)
        problems.raise_first()
        if eras:
            content["eras"] = eras
        content["events"] = events
        return Document(content, locator)

    @staticmethod
    def _title(slide: Mapping[str, Any], content: dict[str, Any], report: timeline.Report) -> None:
        text = _object(slide.get("text"), "text")
        headline = html_to_text(_text_of(text.get("headline"), "text.headline"))
        if headline:
            content["title"] = headline

        def note(field: str, how: str) -> None:
            report.approximated("title slide", field, how)

        body = _description(_text_of(text.get("text"), "text.text"), note)
        if body:
            content["description"] = body
        for field in ("media", "background", "start_date"):
            if slide.get(field):
                note(field, f"the title slide's {field.replace('_', ' ')} has no place in the data format: left out")

    def _item(self, item: Mapping[str, Any], is_event: bool, ids: _Ids, zone: str | None,
              report: timeline.Report, label: str) -> dict[str, Any]:
        text = _object(item.get("text"), "text")
        headline = html_to_text(_text_of(text.get("headline"), "text.headline"))
        start = _json_date(item.get("start_date"), "start_date")
        if start is None:
            raise _Bad("start_date", "missing: TimelineJS needs a start_date with a year on every slide")
        end = _json_date(item.get("end_date"), "end_date")
        display = shown_text(_text_of(item.get("display_date"), "display_date"))
        dates = _Dates(start, end, display, zone)
        if dates.needs_zone:
            raise _Bad(f"{dates.needs_zone}_date", _zone_problem(f"{dates.needs_zone}_date"))
        notes: list[tuple[str, str]] = []
        out: dict[str, Any] = {}
        if is_event:
            given = item.get("unique_id")
            given_text = None if given is None or given == "" else _text_of(given, "unique_id")
            event_id, how = ids.claim(given_text, headline, dates.start_text or "", dates.end_text or "")
            out["id"] = event_id
            if how:
                notes.append(("id", how))
        if headline:
            out["title"] = headline
        out["start"] = dates.start_text
        if dates.end_text is not None:
            out["end"] = dates.end_text
        body = _description(_text_of(text.get("text"), "text.text"), lambda f, h: notes.append((f, h)))
        if body:
            out["description"] = body
        extra: dict[str, Any] = {}
        if is_event:
            group = shown_text(_text_of(item.get("group"), "group"))
            if group:
                out["group"] = group
            media = _object(item.get("media"), "media")
            if media:
                cells = [_text_of(media.get(k), f"media.{k}")
                         for k in ("url", "caption", "credit", "thumbnail", "alt", "link")]
                _media(cells, out, extra, lambda f, h: notes.append((f, h)))
        elif item.get("media"):
            notes.append(("media", "an era's media has no place in the data format: left out"))
        if dates.display_kept and is_event:
            extra["display_date"] = dates.display
        if extra:
            out["extra"] = extra
        if item.get("background"):
            notes.append(("background", "TimelineJS's slide background has no place in the data format: left out"))
        for name in ("start_date", "end_date"):
            parts = item.get(name)
            if isinstance(parts, Mapping) and parts.get("millisecond") not in (None, "", 0, "0"):
                notes.append((name[:-5], "milliseconds left out: the data format keeps whole seconds"))
        who = out.get("id") or out.get("title") or label
        for field, how in notes:
            report.approximated(str(who), field, how)
        return out


def _as_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


# --- TimelineJS sheet (CSV) ----------------------------------------------------------------

#: The template's 18 columns (TimelineJS 3.9, src/template/my-own-timeline.csv).
TEMPLATE_COLUMNS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
    "Background",
)
#: Columns TimelineJS's sheet parser also reads (ConfigFactory.js): the v1 dates, the old name of
#: Group, and the image description.
EXTRA_COLUMNS = ("Start Date", "End Date", "Tag", "Alt Text")
KNOWN_COLUMNS = {name.lower(): name for name in (*TEMPLATE_COLUMNS, *EXTRA_COLUMNS)}
#: Cells the timeline-csv exporter fills from text, and protects with a leading apostrophe.
TEXT_COLUMNS = frozenset({"Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
                          "Media Thumbnail", "Type", "Group", "Background", "Tag", "Alt Text"})
#: The column a date part comes from (hours, minutes and seconds are all in Time).
_PART_COLUMNS = {"year": "Year", "month": "Month", "day": "Day"}
#: What a spreadsheet would read as the start of a formula, after which a writer adds "'".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_TIME_RE = re.compile(r"^\s*(\d{1,2})(?:(\d{2})|([:.])(\d{1,2})(?:[:.](\d{1,2})(?:[.,](\d+))?)?)?\s*"
                      r"(?:([AaPp])\.?\s*[Mm]\.?)?\s*$")
_V1_ISO_RE = re.compile(r"^\s*([+-]?\d+)(?:-(\d{1,2}))?(?:-(\d{1,2}))?"
                        r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$")
_V1_US_RE = re.compile(r"^\s*(\d{1,2})/(?:(\d{1,2})/)?(-?\d+)(?:\s+(.+))?\s*$")


def _time(value: str, field: str) -> dict[str, int | None]:
    """A Time cell as TimelineJS's parseTime reads it: "14:30", "2:22 AM", "1430", "14:30:05"."""
    match = _TIME_RE.match(value)
    if match is None:
        raise _Bad(field, f"{_shorten(value)!r} is not a time (write it like 14:30 or 2:22 PM)")
    hour_s, packed, _, minute_s, second_s, fraction, period = match.groups()
    hour = int(hour_s)
    minute = int(packed or minute_s) if (packed or minute_s) else None
    second = int(second_s) if second_s else None
    if period:
        if not 1 <= hour <= 12:
            raise _Bad(field, f"{_shorten(value)!r}: hour {hour} with AM/PM")
        hour = hour % 12 + (12 if period.lower() == "p" else 0)
    millisecond = int(fraction[:3].ljust(3, "0")) if fraction else None
    return {"hour": hour, "minute": minute, "second": second, "millisecond": millisecond}


def _v1_date(value: str, field: str) -> tuple[dict[str, int | None], int | None]:
    """A v1 ``Start Date``/``End Date`` cell: ISO 8601 (with a time and offset), a year, M/D/YYYY or M/YYYY."""
    match = _V1_ISO_RE.match(value)
    offset = None
    if match:
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        parts: dict[str, int | None] = {
            "year": int(year), "month": int(month) if month else None, "day": int(day) if day else None,
            "hour": int(hour) if hour else None, "minute": int(minute) if minute else None,
            "second": int(second) if second else None,
            "millisecond": int(fraction[:3].ljust(3, "0")) if fraction else None,
        }
        if zone:
            if zone == "Z":
                offset = 0
            else:
                digits = zone[1:].replace(":", "")
                offset = int(digits[:2]) * 60 + int(digits[2:4] or 0)
                offset = -offset if zone[0] == "-" else offset
        return parts, offset
    match = _V1_US_RE.match(value)
    if match:
        first, second_s, year, clock = match.groups()
        parts = {"year": int(year), "month": int(first), "day": int(second_s) if second_s else None}
        if clock:
            parts.update(_time(clock, field))
        return parts, None
    raise _Bad(field, f"{_shorten(value)!r} is not a date TimelineJS reads (write 1961-07-06, 7/6/1961 or 1961)")


def _decode(data: bytes, encoding: str | None) -> str:
    """The file's text: UTF-16 or UTF-8 by their byte order mark, else UTF-8 or the ``encoding`` option."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(f"not valid UTF-16 although it starts with a UTF-16 byte order mark: {exc.reason}") \
                from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
        encoding = "utf-8"
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ReadError("holds NUL bytes: not a text file (UTF-16 without a byte order mark?)", line=line)
    name = encoding or "utf-8"
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "" if encoding else "; if Excel saved it in a legacy encoding, name it, e.g. -R encoding=cp1251"
        raise ReadError(f"not valid {name}: byte 0x{data[exc.start]:02x} cannot be decoded{hint}", line=line) \
            from None


def _check_encoding(value: object) -> str | None:
    if value is None or value == "":
        return None
    try:
        info = codecs.lookup(str(value))
    except LookupError:
        raise timeline.OptionError(f"reader option 'encoding': {value!r} is not an encoding Python knows "
                                   "(e.g. cp1251, cp949, euc-kr, koi8-r)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise timeline.OptionError(f"reader option 'encoding': {value!r} is not a text encoding")
    return info.name


def _records(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    """(line, cells) for every record, and the delimiter: whichever of , ; tab names most template columns."""
    first = text.split("\n", 1)[0]
    best, best_count = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        count = sum(1 for cell in header if cell.strip().lower() in KNOWN_COLUMNS)
        if count > best_count:
            best, best_count = delimiter, count
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best, strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(f"invalid CSV: {exc}", line=line) from None
    return records, best


def _cell_text(row: Mapping[str, str], name: str) -> str:
    value = row.get(name, "")
    if name in TEXT_COLUMNS and value.startswith("'") and value[1:2] and value[1:2] in _FORMULA_START:
        return value[1:]  # the apostrophe a writer puts before what a spreadsheet would run as a formula
    return value


class TimelineJsSheetReader:
    """The CSV download of a sheet made from TimelineJS's Google Sheets template."""

    name = "timelinejs-sheet"
    extensions = (".csv",)
    description = "TimelineJS's Google Sheets template as CSV (Google's download, Excel's, or timeline-csv's)"
    options = (
        Option("timezone", "IANA zone of the sheet's Time and End Time cells (e.g. Asia/Seoul)"),
        Option("encoding", "Encoding of a file without a byte order mark that is not UTF-8 (e.g. cp1251, cp949)"),
    )

    def read(self, data: bytes, source: str, *, context: ReadContext | None = None) -> Document:
        report = context.report if context is not None else timeline.Report()
        options = _options(context)
        zone = _check_zone(_as_text(options.get("timezone")))
        text = _decode(data, _check_encoding(options.get("encoding")))
        if not text.strip():
            raise ReadError("the file is empty: a TimelineJS sheet starts with its header row")
        records, _ = _records(text)
        header_line, header = records[0]
        names: list[str | None] = []
        unknown: list[str] = []
        seen: dict[str, int] = {}
        for position, cell in enumerate(header):
            label = cell.strip().lstrip("\ufeff")
            known = KNOWN_COLUMNS.get(label.lower())
            if known is None:
                names.append(None)
                if label:
                    unknown.append(label)
                continue
            if known in seen:
                raise ReadError(f"the column {known!r} is named twice in the header row "
                                f"(columns {seen[known] + 1} and {position + 1})", line=header_line)
            seen[known] = position
            names.append(known)
        if unknown:
            warnings.warn(f"{source}: columns that TimelineJS does not read are ignored: "
                          + ", ".join(repr(_shorten(u, 40)) for u in unknown[:8])
                          + (", ..." if len(unknown) > 8 else ""), PluginWarning, stacklevel=2)
        if not seen:
            warnings.warn(f"{source}: the first row names none of TimelineJS's columns "
                          f"(Year, Headline, ...): no events read", PluginWarning, stacklevel=2)
        v1 = "Start Date" in seen or "End Date" in seen
        lines: dict[tuple[str, int], int] = {}
        content: dict[str, Any] = {}
        if zone is not None:
            content["timezone"] = zone
        events: list[dict[str, Any]] = []
        eras: list[dict[str, Any]] = []
        ids = _Ids()
        problems = _Problems()
        title_line: int | None = None
        width = len(header)
        for line, cells in records[1:]:
            if not any(cell.strip() for cell in cells):
                continue  # a blank row
            if len(cells) < width:
                raise ReadError(f"this row has {len(cells)} cells where the header row has {width}: "
                                "a cell or a delimiter is missing", line=line)
            if any(cell.strip() for cell in cells[width:]):
                raise ReadError(f"this row has {len(cells)} cells where the header row has {width}, "
                                "and the extra ones are not empty", line=line)
            row = {name: cells[i] for i, name in enumerate(names) if name is not None}
            if not any(value.strip() for value in row.values()):
                report.skipped(f"line {line}", "only columns TimelineJS does not read are filled in")
                continue
            kind = _cell_text(row, "Type").strip()
            try:
                if kind.lower() == "title":
                    if title_line is not None:
                        raise _Bad("Type", f"a second title row: the title row is line {title_line}")
                    title_line = line
                    self._title(row, content, report)
                    continue
                if kind.lower() not in ("", "era", "event"):
                    raise _Bad("Type", f"{_shorten(kind)!r} is not a row type: leave it empty for an event, "
                                       "or write title or era")
                is_event = kind.lower() != "era"
                built = self._row(row, is_event, v1, ids, zone, report, line)
            except _Bad as bad:
                headline = html_to_text(_cell_text(row, "Headline"))
                who = f"the row with headline {_shorten(headline)!r}" if headline else "a row without a headline"
                problems.add(line, who, bad)
                continue
            target = events if is_event else eras
            lines[("events" if is_event else "eras", len(target))] = line
            target.append(built)
        problems.raise_first()
        if eras:
            content["eras"] = eras
        content["events"] = events

        def locate(path: Sequence[str | int]) -> int | None:
            if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
                return lines.get((path[0], path[1]))
            if path and path[0] in ("title", "description"):
                return title_line
            return header_line

        return Document(content, locate)

    @staticmethod
    def _title(row: Mapping[str, str], content: dict[str, Any], report: timeline.Report) -> None:
        headline = html_to_text(_cell_text(row, "Headline"))
        if headline:
            content["title"] = headline

        def note(field: str, how: str) -> None:
            report.approximated("title slide", field, how)

        body = _description(_cell_text(row, "Text"), note)
        if body:
            content["description"] = body
        for column in ("Media", "Background", "Year"):
            if _cell_text(row, column).strip():
                note(column, f"the title row's {column} has no place in the data format: left out")

    def _row(self, row: Mapping[str, str], is_event: bool, v1: bool, ids: _Ids, zone: str | None,
             report: timeline.Report, line: int) -> dict[str, Any]:
        headline = html_to_text(_cell_text(row, "Headline"))
        start, end, offsets = self._dates(row, v1)
        display = shown_text(_cell_text(row, "Display Date"))
        dates = _Dates(start, end, display, zone, offsets)
        if dates.needs_zone:
            column = ("Start Date" if dates.needs_zone == "start" else "End Date") if v1 else (
                "Time" if dates.needs_zone == "start" else "End Time")
            raise _Bad(column, _zone_problem(column))
        notes: list[tuple[str, str]] = []
        out: dict[str, Any] = {}
        if is_event:
            event_id, _ = ids.claim(None, headline, dates.start_text or "", dates.end_text or "",
                                    _cell_text(row, "Text"))
            out["id"] = event_id
        if headline:
            out["title"] = headline
        if dates.start_text is not None:
            out["start"] = dates.start_text
        if dates.end_text is not None:
            out["end"] = dates.end_text
        body = _description(_cell_text(row, "Text"), lambda f, h: notes.append((f, h)))
        if body:
            out["description"] = body
        extra: dict[str, Any] = {}
        if is_event:
            group = shown_text(_cell_text(row, "Group")) or shown_text(_cell_text(row, "Tag"))
            if group:
                out["group"] = group
            cells = [_cell_text(row, c) for c in ("Media", "Media Caption", "Media Credit", "Media Thumbnail",
                                                  "Alt Text")]
            _media([*cells, ""], out, extra, lambda f, h: notes.append((f, h)))
            if dates.display_kept:
                extra["display_date"] = dates.display
        elif _cell_text(row, "Media").strip():
            notes.append(("Media", "an era's media has no place in the data format: left out"))
        if extra:
            out["extra"] = extra
        if _cell_text(row, "Background").strip():
            notes.append(("Background", "TimelineJS's slide background has no place in the data format: left out"))
        for part, which in ((start, "start"), (end, "end")):
            if part is not None and part.millisecond:
                notes.append((which, "fractions of a second left out: the data format keeps whole seconds"))
        who = out.get("id") or out.get("title") or f"line {line}"
        for field, how in notes:
            report.approximated(str(who), field, how)
        return out

    @staticmethod
    def _dates(row: Mapping[str, str], v1: bool) -> tuple[_Parts | None, _Parts | None, list[int | None]]:
        if v1:
            found: list[_Parts | None] = []
            offsets: list[int | None] = []
            for column in ("Start Date", "End Date"):
                value = row.get(column, "").strip()
                if not value:
                    found.append(None)
                    offsets.append(None)
                    continue
                parts, offset = _v1_date(value, column)
                found.append(_Parts(parts, column, lambda _, c=column: c))  # type: ignore[misc]
                offsets.append(offset)
            if found[0] is None and found[1] is not None:
                raise _Bad("Start Date", "an End Date without a Start Date")
            return found[0], found[1], offsets
        result: list[_Parts | None] = []
        for prefix in ("", "End "):
            values: dict[str, int | None] = {}
            for part in ("Year", "Month", "Day"):
                column = prefix + part
                values[part.lower()] = _integer(row.get(column, ""), column, sheet=True)
            clock = row.get(prefix + "Time", "").strip()
            if clock:
                if values["year"] is None:
                    raise _Bad(prefix + "Time", f"a time without a date: {prefix}Year is empty")
                values.update(_time(clock, prefix + "Time"))
            if values["year"] is None:
                if values["month"] is not None or values["day"] is not None:
                    raise _Bad(prefix + "Year", f"{prefix}Month or {prefix}Day without a {prefix}Year")
                result.append(None)
                continue
            result.append(_Parts(values, prefix + "Year",
                                 lambda part, p=prefix: p + _PART_COLUMNS.get(part, "Time")))  # type: ignore[misc]
        if result[0] is None and result[1] is not None:
            raise _Bad("Year", "an End Year without a Year: TimelineJS needs a start")
        if result[0] is None:
            raise _Bad("Year", "empty: TimelineJS needs at least a year on every slide")
        return result[0], result[1], []


@timeline.hookimpl
def timeline_readers() -> list[Any]:
    return [TimelineJsReader(), TimelineJsSheetReader()]

