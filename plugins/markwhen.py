"""Reads a documented subset of markwhen (``.mw``), as ``@markwhen/parser`` 1.2.0 reads it.

The subset, field by field, is in docs/readers/markwhen.md.  The rule is
that a line means to us what it means to markwhen's parser, or it is
refused with its line number and the construct named: nothing outside the
subset silently becomes text.  A few lines *look* like events but are
description text to markwhen itself (``2024-06-19T10:00: …``,
``2024-01 - 2024-03: …``); they are kept as description, as markwhen
keeps them, and reported (plugin API 1.1) so the author can fix them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import timeline
from timeline import Document, ReadError, decode_text

__all__ = ["MarkwhenReader"]

_ISO_DAY = r"\d{4}-\d{2}-\d{2}"
#: One end of a range, as the subset takes it: a year, a month, a day, or a
#: day with a 24-hour time written HH:MM after a space (markwhen's form).
_END = rf"(?:{_ISO_DAY}(?:[ \t]+\d{{2}}:\d{{2}})?|\d{{4}}-\d{{2}}|\d{{4}})"
_DATE_RANGE = re.compile(
    rf"(?P<a>{_END})(?:[ \t]*/[ \t]*(?:(?P<now>now)|(?P<b>{_END})))?"
)
_UTC = re.compile(rf"{_ISO_DAY}T\d{{2}}:\d{{2}}:\d{{2}}Z")
_YEARS = re.compile(r"(?P<a>\d{4})(?:[ \t]*-[ \t]*|[ \t]+to[ \t]+)(?P<b>\d{4})")
#: The date part of a line, and where it ends: the first ':' that is not
#: inside a time (10:30) ends it.
_PREFIX = re.compile(r"[ \t]*(?P<date>(?:[^:\n]|:(?=\d{2}))*?)[ \t]*:(?!\d{2})")
_HEADING = re.compile(r"[ \t]*(?P<hashes>#{1,6})[ \t]+(?P<title>.*)")
_COMMENT = re.compile(r"[ \t]*//")
_PROPERTY = re.compile(r"[ \t]*(?P<key>[\w.-]+):(?:[ \t]|$)", re.ASCII)
_TAG_COLOUR = re.compile(r"[ \t]*#(?P<tag>\w+):[ \t]*(?P<colour>\S+)[ \t]*", re.ASCII)
_HEADER = re.compile(r"(?P<key>[A-Za-z_][\w-]*):(?:[ \t]+(?P<value>.*?))?[ \t]*", re.ASCII)
#: A tag, as markwhen finds it: '#' after a space or the line start, then
#: ASCII letters, digits and '_' (not digits alone: '#12' is text).
_TAG = re.compile(r"(?:^|(?<=\s))#(?!\d+(?:\s|$))(?P<tag>\w+)(?P<after>.?)", re.ASCII)
_STRIP_TAG = re.compile(r"(?:^|\s)#(?!\d+(?:\s|$))(\w+)", re.ASCII)
_LEGACY_GROUP = re.compile(r"[ \t]*(?:(?:group|section)(?:[ \t]+.*)?|endGroup|endSection)[ \t]*")

#: Words that can make up a date to markwhen (month names, units, relative
#: and recurrence words, era suffixes): a date part made only of these,
#: digits and punctuation is one markwhen's parser may read as a date.
_DATE_WORDS = frozenset(
    {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "january",
        "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
        "am", "pm", "t", "z", "w", "bce", "bc", "ad", "ce", "now", "to", "til", "until", "by", "before", "after",
        "plus", "every", "other", "for", "times", "x", "ms", "s", "sec", "secs", "second", "seconds", "min",
        "mins", "minute", "minutes", "h", "hour", "hours", "d", "day", "days", "week", "weeks", "work",
        "business", "month", "months", "y", "year", "years", "start", "end",
    }
)
_MONTH_START = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)

_HEADER_KEYS = {"title": "title", "timezone": "timezone", "tz": "timezone", "description": "description"}
_YAML_SPECIAL = tuple("\"'[]{}|>&*!%@`")


class MarkwhenReader:
    name = "markwhen"
    extensions = (".mw",)
    description = "markwhen: a documented subset of @markwhen/parser 1.2.0 (dates, ranges, tags, # groups)"

    def read(self, data: bytes, source: str, *, context: Any = None) -> Document:
        text = decode_text(data)
        parser = _Parser(text.split("\n"), context)
        content = parser.run()
        return Document(content, locate=parser.locate)


class _Event:
    def __init__(self, line: int, title: str, start: str, end: str | None, tags: list[str], group: str | None) -> None:
        self.line = line
        self.title = title
        self.start = start
        self.end = end
        self.tags = tags
        self.group = group
        self.id: str | None = None
        self.id_line = line
        self.description: list[str] = []
        self.description_line: int | None = None
        self.notes: list[tuple[int, str]] = []


class _Parser:
    def __init__(self, lines: list[str], context: Any) -> None:
        self.lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        self.context = context
        self.header: dict[str, str] = {}
        self.header_lines: dict[str, int] = {}
        self.events: list[_Event] = []
        self.sections: list[tuple[int, str]] = []  # (level, title) of the open headings
        self.group_line: dict[str, int] = {}

    # --- problems -------------------------------------------------------------

    def fail(self, number: int, message: str) -> ReadError:
        return ReadError(message, line=number)

    def fail_event(self, number: int, title: str, field: str, message: str) -> ReadError:
        """A problem in the event on line ``number``, named by its title (it has no id yet)."""
        label = _quote(re.sub(r"(?:^|\s)#\S+", "", title).strip() or "(untitled)")
        return ReadError(f"event {label}, field {field!r}: {message}", line=number)

    # --- the document -----------------------------------------------------------

    def run(self) -> dict[str, Any]:
        index = self.read_header()
        current: _Event | None = None
        in_properties = False
        while index < len(self.lines):
            number = index + 1
            line = self.lines[index]
            index += 1
            stripped = line.strip()
            heading = _HEADING.fullmatch(line)
            if heading:
                self.open_section(number, len(heading.group("hashes")), heading.group("title"))
                current, in_properties = None, False
                continue
            event = self.event_line(number, line)
            if event is not None:
                self.events.append(event)
                current, in_properties = event, True
                continue
            if _COMMENT.match(line):
                in_properties = False  # markwhen: a comment ends the properties, and is left out of the text
                continue
            if not stripped:
                in_properties = False
                if current is not None and current.description:
                    current.description.append("")
                continue
            if current is None:
                raise self.fail(number, self.outside_event(stripped))
            looks_like_date = self.text_that_looks_like_an_event(number, line)
            if in_properties and not looks_like_date:
                prop = _PROPERTY.match(line)
                if prop and not line.lstrip().startswith("-"):
                    self.property(number, current, prop.group("key"), line[prop.end():].strip())
                    continue
            in_properties = False
            if looks_like_date:
                current.notes.append((number, looks_like_date))
            self.description_line(number, current, line)
        return self.content()

    def read_header(self) -> int:
        """Read header lines up to the first event or heading; return the index of that line."""
        for index, line in enumerate(self.lines):
            number = index + 1
            stripped = line.strip()
            if _HEADING.fullmatch(line) or self.is_event_start(line):
                return index
            if not stripped or _COMMENT.match(line):
                continue
            colour = _TAG_COLOUR.fullmatch(line)
            if colour:
                continue  # tag colours: read and checked; the data format has no colour to keep them in
            if stripped == "---":
                raise self.fail(number, "header: '---' front matter is outside the markwhen subset "
                                        "(write the header lines without it)")
            if self.text_that_looks_like_an_event(number, line):
                raise self.fail(number, f"header: {_quote(stripped)} looks like an event, but markwhen's parser "
                                        "does not read it as one (it would become part of the header); "
                                        "see docs/readers/markwhen.md for the dates it takes")
            header = _HEADER.fullmatch(stripped)
            if header is None:
                raise self.fail(number, f"header: {_quote(stripped)} is not a header line; expected 'title: …', "
                                        "'timezone: …', 'description: …' or '#tag: colour' before the first event")
            key = header.group("key")
            if key not in _HEADER_KEYS:
                raise self.fail(number, f"header: key {key!r} is outside the markwhen subset "
                                        "(known: title, timezone, description, #tag: colour)")
            value = header.group("value") or ""
            if not value:
                raise self.fail(number, f"header: {key!r} has no value")
            if value.startswith(_YAML_SPECIAL) or " #" in value or ": " in value or value.endswith(":"):
                raise self.fail(number, f"header: the value of {key!r} uses YAML syntax (quotes, '#', ': ', "
                                        "flow or block markers) outside the markwhen subset; write plain text")
            field = _HEADER_KEYS[key]
            if field in self.header:
                raise self.fail(number, f"header: {field!r} is given twice (first at line {self.header_lines[field]})")
            self.header[field] = value
            self.header_lines[field] = number
        return len(self.lines)

    def outside_event(self, stripped: str) -> str:
        if _LEGACY_GROUP.fullmatch(stripped):
            return (f"{_quote(stripped)}: 'group … endGroup' blocks are outside the markwhen subset "
                    "(markwhen 1.2 reads these lines as text); use '#' headings for groups")
        if _PROPERTY.match(stripped) and self.sections:
            return (f"{_quote(stripped)}: heading properties are outside the markwhen subset")
        return (f"{_quote(stripped)} is text outside any event (markwhen ignores it); "
                "put it under an event, or make it a '// comment'")

    def open_section(self, number: int, level: int, raw_title: str) -> None:
        title = raw_title.strip()
        if not title:
            raise self.fail(number, "a heading needs a title (markwhen would make an untitled group)")
        if _STRIP_TAG.search(title):
            raise self.fail(number, f"heading {_quote(title)}: tags on headings are outside the markwhen subset "
                                    "(tag the events instead)")
        if " / " in title:
            raise self.fail(number, f"heading {_quote(title)}: ' / ' separates nested groups in the group name, "
                                    "so a heading cannot contain it")
        while self.sections and self.sections[-1][0] >= level:
            self.sections.pop()
        self.sections.append((level, title))
        self.group_line.setdefault(" / ".join(title for _, title in self.sections), number)

    def group(self) -> str | None:
        return " / ".join(title for _, title in self.sections) or None

    # --- event lines --------------------------------------------------------------

    def is_event_start(self, line: str) -> bool:
        prefix = _PREFIX.match(line)
        return bool(prefix and _dates(prefix.group("date")) is not None) or bool(
            prefix and _looks_like_markwhen_date(prefix.group("date"))
            and _markwhen_text_reason(prefix.group("date")) is None
        )

    def event_line(self, number: int, line: str) -> _Event | None:
        prefix = _PREFIX.match(line)
        if prefix is None:
            return None
        date = prefix.group("date")
        dates = _dates(date)
        if dates is None:
            if _looks_like_markwhen_date(date) and _markwhen_text_reason(date) is None:
                raise self.fail_event(number, line[prefix.end():], "start",
                                      f"{_quote(date.strip())}: {_unsupported_date(date)}")
            return None
        start, end = dates
        rest = line[prefix.end():].strip()
        self.check_title(number, rest)
        tags: list[str] = []
        title = self.take_tags(number, rest, tags, rest).strip()
        return _Event(number, title, start, end, tags, self.group())

    def check_title(self, number: int, title: str) -> None:
        checks = (
            (r"(?:\W|^)!\w", "'!name' in a title sets the event's id in markwhen; write the id as 'id: name' "
                             "on the next line"),
            (r"(?:\W|^)\.(?:start|end)\b", "'.start' and '.end' are relative-date references to markwhen "
                                            "(it drops them from the title)"),
            (r"!\[[^\]]*\]\([^)]*\)", "images are outside the markwhen subset"),
            (r"\[[^\]]+\]\((?:location|map)\)", "a location link, [place](location), is outside the markwhen subset"),
        )
        for pattern, message in checks:
            if re.search(pattern, title):
                raise self.fail_event(number, title, "title", message)

    def take_tags(self, number: int, text: str, tags: list[str], title: str) -> str:
        for match in _TAG.finditer(text):
            after = match.group("after")
            if after and not after.isspace():
                raise self.fail_event(
                    number, title, "tags",
                    f"tag '#{match.group('tag')}{after}…': a markwhen tag is ASCII letters, digits and '_', "
                    f"ended by a space; markwhen would read the tag '{match.group('tag')}' and leave {after!r} "
                    "in the text",
                )
            if match.group("tag") not in tags:
                tags.append(match.group("tag"))
        return _STRIP_TAG.sub("", text)

    def text_that_looks_like_an_event(self, number: int, line: str) -> str | None:
        """Why ``line`` looks like an event but is description text to markwhen, or None."""
        prefix = _PREFIX.match(line)
        if prefix is None:
            return None
        return _markwhen_text_reason(prefix.group("date"))

    def property(self, number: int, event: _Event, key: str, value: str) -> None:
        if key != "id":
            raise self.fail_event(
                number, event.title, key,
                f"event property {key!r} is outside the markwhen subset (only 'id' is read); markwhen reads "
                "'key: value' lines right after an event line as properties: leave a blank line before "
                "description text that starts with 'word:'",
            )
        if event.id is not None:
            raise self.fail_event(number, event.title, "id", f"the event at line {event.line} has 'id' twice")
        if value.startswith(_YAML_SPECIAL) or " #" in value:
            raise self.fail(number, "the id uses YAML syntax outside the markwhen subset; write it plain")
        event.id = value
        event.id_line = number

    def description_line(self, number: int, event: _Event, line: str) -> None:
        if _LEGACY_GROUP.fullmatch(line.strip()):
            raise self.fail(number, self.outside_event(line.strip()))
        if re.search(r"\[[^\]]+\]\((?:location|map)\)", line):
            raise self.fail_event(number, event.title, "description",
                                  "a location link, [place](location), is outside the markwhen subset")
        if re.search(r"!\[[^\]]*\]\([^)]*\)", line):
            raise self.fail_event(number, event.title, "description", "images are outside the markwhen subset")
        text = self.take_tags(number, line, event.tags, event.title).rstrip()
        if event.description_line is None:
            event.description_line = number
        event.description.append(text)

    # --- the result ---------------------------------------------------------------

    def content(self) -> dict[str, Any]:
        content: dict[str, Any] = dict(self.header)
        used = {event.id for event in self.events if event.id is not None}
        events = []
        for event in self.events:
            if event.id is None:
                event.id = _unique(_slug(event.title), used)
            item: dict[str, Any] = {"id": event.id, "title": event.title, "start": event.start}
            if event.end is not None:
                item["end"] = event.end
            if event.tags:
                item["tags"] = list(event.tags)
            if event.group is not None:
                item["group"] = event.group
            while event.description and not event.description[-1].strip():
                event.description.pop()
            if event.description:
                item["description"] = "\n".join(event.description)
            events.append(item)
            if self.context is not None:
                for number, reason in event.notes:
                    self.context.report.approximated(
                        event.id, "description",
                        f"line {number} looks like an event but markwhen's parser reads it as description text "
                        f"({reason}); kept as text",
                    )
        content["events"] = events
        self.ids = [event.id for event in self.events]
        return content

    def locate(self, path: Sequence[str | int]) -> int | None:
        if not path:
            return None
        if path[0] in self.header_lines and len(path) == 1:
            return self.header_lines[str(path[0])]
        if path[0] != "events" or len(path) < 2 or not isinstance(path[1], int):
            return None
        if not 0 <= path[1] < len(self.events):
            return None
        event = self.events[path[1]]
        field = path[2] if len(path) > 2 else None
        if field == "id":
            return event.id_line
        if field == "description" and event.description_line is not None:
            return event.description_line
        return event.line


def _dates(text: str) -> tuple[str, str | None] | None:
    """The EDTF start and end (None, or '..') of a date part in the subset, or None."""
    if _UTC.fullmatch(text):
        return text, None
    years = _YEARS.fullmatch(text)
    if years:
        return years.group("a"), years.group("b")
    match = _DATE_RANGE.fullmatch(text)
    if match is None:
        return None
    start = _edtf(match.group("a"))
    if match.group("now"):
        return start, ".."
    if match.group("b"):
        return start, _edtf(match.group("b"))
    return start, None


def _edtf(text: str) -> str:
    """markwhen's ``2024-06-19 10:30`` as EDTF ``2024-06-19T10:30``."""
    parts = text.split()
    return f"{parts[0]}T{parts[1]}" if len(parts) == 2 else text


def _looks_like_markwhen_date(text: str) -> bool:
    """Whether markwhen's parser may read ``text`` (what comes before ':') as a date.

    Deliberately generous: a line refused here that markwhen would read as
    text only costs the author a rewording; one let through that markwhen
    reads as an event would silently become text.
    """
    stripped = text.strip()
    if not stripped:
        return True  # ': title' is an event 'now' to markwhen
    if len(stripped) > 120:
        return False
    if not (stripped[0].isdigit() or stripped[0] in "!.+-" or _MONTH_START.match(stripped)
            or re.match(r"(?:now|by|before|after|every)\b", stripped, re.IGNORECASE)):
        return False
    words = re.findall(r"(?<![!\w])[A-Za-z]+", stripped)
    return all(word.lower() in _DATE_WORDS for word in words)


_ISO_ANY = r"\d{4}(?:-\d{2}(?:-\d{2}(?:T[\d:.]+Z?|[ \t]+\d{1,2}:\d{2})?)?)?"
_TEXT_RANGE = re.compile(rf"(?P<a>{_ISO_ANY})(?:[ \t]*[-–][ \t]*|[ \t]+to[ \t]+)(?P<b>{_ISO_ANY})")
_TEXT_T = re.compile(rf"{_ISO_DAY}T\d{{2}}(?::\d{{2}}(?::\d{{2}})?)?(?:[+-]\d{{2}}(?::?\d{{2}})?)?")


def _markwhen_text_reason(text: str) -> str | None:
    """Why markwhen's parser reads a date-like ``text`` as description text, or None if it does not."""
    stripped = text.strip()
    if _dates(stripped) is not None:
        return None
    ranged = _TEXT_RANGE.fullmatch(stripped)
    if ranged and "-" in ranged.group("a")[4:] + ranged.group("b")[4:]:
        return "markwhen joins dates with ' - ' or ' to ' only between years; write a range as A/B"
    if _TEXT_T.fullmatch(stripped):
        return ("markwhen takes a 'T' time only as YYYY-MM-DDTHH:MM:SSZ; write a local time as "
                "'2024-06-19 10:00'")
    return None


def _unsupported_date(text: str) -> str:
    """Which construct outside the subset ``text`` (a date markwhen may read) uses."""
    stripped = text.strip()
    lower = stripped.lower()
    if not stripped:
        return "an event needs a date before ':' (markwhen would date it 'now')"
    if "every" in lower.split() or re.search(r"\bx\s*\d", lower):
        return "recurring events are outside the markwhen subset"
    if re.search(r"(?:^|\s)!\w|\.(?:start|end)\b|\b(?:by|before|after|plus)\b", lower) or re.search(
        r"\d\s*(?:ms|s|secs?|seconds?|mins?|minutes?|h|hours?|d|days?|weeks?|w|months?|y|years?)\b", lower
    ):
        return "relative dates (after !id 3 days) are outside the markwhen subset; write the date"
    if "now" in lower.split():
        return "'now' is allowed only as the end of a range (2024-01-05/now)"
    if re.search(r"\b(?:bce|bc|ad|ce)\b", lower):
        return "BCE/AD years are outside the markwhen subset"
    if _MONTH_START.search(stripped):
        return "natural-language dates (March 3 2024) are outside the markwhen subset; write 2024-03-03"
    if re.search(r"\d{4}-?W\d", stripped):
        return "ISO week dates are outside the markwhen subset"
    if re.search(r"\d/\d{1,2}/\d", stripped):
        return "slash dates (1/2/2024) are outside the markwhen subset; write 2024-01-02"
    if re.search(r"T\d{2}:\d{2}:\d{2}\.\d+Z", stripped):
        return "fractions of a second are not supported"
    if re.search(r"\d{1,2}(?::\d{2})?\s*(?:am|pm)\b", lower):
        return "12-hour times are outside the markwhen subset; write HH:MM on the 24-hour clock"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ \t]+\d{1,2}(?::\d{2})?", stripped):
        return "write the time as HH:MM, two digits each (2024-06-19 09:30)"
    if re.fullmatch(r"\d{1,2}(?::\d{2})?", stripped):
        return "a time of day without a date is outside the markwhen subset (markwhen puts it on today or " \
               "on the previous event's day)"
    if re.fullmatch(r"\d{1,3}|\d{5}", stripped):
        return "years are written with four digits in the markwhen subset (0800, not 800)"
    return ("this date is outside the markwhen subset (years, months, days as 2024-06-19, "
            "'2024-06-19 10:30', ranges A/B and A/now)")


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return slug or "event"


def _unique(base: str, used: set[str]) -> str:
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate


@timeline.hookimpl
def timeline_readers() -> list[MarkwhenReader]:
    return [MarkwhenReader()]
