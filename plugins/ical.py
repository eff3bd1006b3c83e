"""iCalendar (RFC 5545): a calendar file to import, or a feed to subscribe to.

Mapping decisions are documented in ``docs/exporters/ical.md``.  The writer
is our own rather than the ``icalendar`` package: it builds each VEVENT as
UTF-8 and writes it at once, more than ten times faster than ``icalendar``
on large timelines (see ``docs/performance.md``); ``icalendar``, ``vobject``
and ``ical`` stay the judges of its output in the tests.

Everything the data says goes through two gates: escaping (TEXT escaping per
RFC 5545 3.3.11, control characters dropped, line breaks normalised:
:func:`text_value`, or ``_escaped`` for events) and folding (75-octet lines
that never split a UTF-8 character or an escape: ``_folded``, which
:func:`fold` wraps for escaped text, and which the tests check against a
fold of their own), so no title or description can end a property or a
component early.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
import warnings
from collections.abc import Callable, Mapping
from typing import IO, Any
from urllib.parse import quote

import attrs

import timeline
from timeline import (
    Date,
    Event,
    ExportContext,
    Option,
    Precision,
    Report,
    Source,
    Timeline,
    TranslatedText,
    data_timestamp,
    event_uid_text,
    human_date,
    human_span,
    iter_events,
    markdown_to_text,
    message,
    safe_url,
    translated,
)
from timeline import (
    as_of as timeline_as_of,
)
from timeline import source_date_epoch as timeline_source_date_epoch

from ._ongoing import warn_undated

__all__ = ["IcalExporter", "fold", "one_line", "text_value"]

CRLF = b"\r\n"
_FOLD_AT = 75  # octets per physical line, CRLF not counted (RFC 5545 3.1)

# --- TEXT values ---------------------------------------------------------------
#
# Values are escaped in two steps so that folding is a regular-expression pass
# and never has to count backslashes.  First each escape is written with a
# *mark* (U+0001) in place of its backslash: ``\x01,`` for ``\,``.  The fold
# pattern never cuts just after a mark, so never inside an escape.  Then, on
# the folded bytes, every mark becomes a backslash.  Marks cannot collide with
# data: control characters in the data are dropped first.
#
# The common case works on UTF-8 bytes, where replacing and scanning are
# several times faster than on non-ASCII ``str``; text with characters that
# need more than an escape (controls, odd line breaks) goes through a table.

_MARK = "\x01"

#: Characters that end a line in Python's ``str.splitlines`` (and so in some
#: parsers); they all become a line break inside a value.
_LINE_BREAKS = "\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _build_tables() -> tuple[dict[int, str | None], dict[int, str | None]]:
    table: dict[int, str | None] = {}
    # Control characters are not allowed in TEXT (RFC 5545 3.3.11 and 3.1:
    # CONTROL = %x00-08 / %x0A-1F / %x7F); C1 controls are dropped as well.
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[code] = None
    del table[0x09]  # HTAB is allowed
    # Lone surrogates cannot be written as UTF-8.
    for code in range(0xD800, 0xE000):
        table[code] = "\ufffd"
    for char in "\\;,":
        table[ord(char)] = _MARK + char
    multi = dict(table)
    single = dict(table)
    for char in _LINE_BREAKS:
        multi[ord(char)] = _MARK + "n"
        single[ord(char)] = " "
    return multi, single


_MULTI_LINE, _ONE_LINE = _build_tables()
#: Characters the table handles and plain replacing does not (all but backslash,
#: semicolon, comma and LF).  Lone surrogates are left to :func:`_encode`.
_RARE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u2028\u2029]")
#: Octets of the UTF-8 of every such character: the single-octet controls and
#: the lead octets of C1 controls (C2) and of U+2028/U+2029 (E2).  Absent
#: octets prove the text plain cheaply; present ones send it to ``_RARE``.
_RARE_OCTETS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0xC2, 0xE2])
_SURROGATE = re.compile("[\ud800-\udfff]")


def _encode(text: str) -> bytes:
    """UTF-8, with U+FFFD for lone surrogates (which UTF-8 cannot hold)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def _escaped(text: str, multiline: bool = True) -> bytes:
    """``text`` as a TEXT value in UTF-8, with marks for the escapes' backslashes (see above)."""
    data = _encode(text)
    if len(data.translate(None, _RARE_OCTETS)) != len(data) and _RARE.search(text) is not None:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _encode(text.translate(_MULTI_LINE if multiline else _ONE_LINE))
    if b"\\" in data:
        data = data.replace(b"\\", b"\x01\\")
    if b";" in data:
        data = data.replace(b";", b"\x01;")
    if b"," in data:
        data = data.replace(b",", b"\x01,")
    if b"\n" in data:
        data = data.replace(b"\n", b"\x01n" if multiline else b" ")
    return data


def text_value(text: str, *, multiline: bool = True) -> str:
    """``text`` as an escaped RFC 5545 TEXT value.

    CR LF and lone CR count as one line break; every line break (including
    U+2028, U+2029, NEL, VT, FF) becomes ``\\n``, or a space when
    ``multiline`` is false.  Other control characters except tab are
    dropped; backslash, semicolon and comma are escaped.
    """
    return _escaped(text, multiline).replace(b"\x01", b"\\").decode("utf-8")


def one_line(text: str) -> str:
    """An escaped TEXT value on one line: line breaks become spaces."""
    return text_value(text, multiline=False)


# The pieces a long content line is cut into: as many octets as fit, ending
# neither before a UTF-8 continuation byte nor just after a mark.
_FIRST_PIECE = re.compile(rb"(?s).{1,75}(?<!\x01)(?![\x80-\xbf])")
_NEXT_PIECE = re.compile(rb"(?s).{1,74}(?<!\x01)(?![\x80-\xbf])")  # continuations start with a space


def _folded(line: bytes) -> bytes:
    """A marked content line folded at 75 octets, with its CRLF.

    A piece always exists: a character is at most 4 octets and a mark is
    always followed by the one ASCII character it escapes.
    """
    if len(line) <= _FOLD_AT:
        return line + CRLF
    first = _FIRST_PIECE.match(line)
    assert first is not None
    return b"\r\n ".join([first.group(), *_NEXT_PIECE.findall(line, first.end())]) + CRLF


def _unmarked(data: bytes) -> bytes:
    """Folded content lines with the marks turned into the backslashes they stand for."""
    return data.replace(b"\x01", b"\\")


_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)


def fold(line: str) -> bytes:
    """An escaped content line as UTF-8, folded at 75 octets, with its CRLF.

    A fold never falls inside a UTF-8 sequence, and never between a
    backslash and the character it escapes (so readers that unfold
    carelessly still see ``\\n``, not a stray backslash).  The line is read
    as escapes make it: each backslash starts a two-character escape.  It is
    an escaped line (what :func:`text_value` gives, after a name), so it
    holds no control character but tab: a U+0001 would be read as the mark
    ``_folded`` uses for an escape's backslash.  This is ``_folded`` with
    each escape's backslash written as a mark and back again.
    """
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return data + CRLF
    if b"\\" in data:
        data = _ESCAPE.sub(b"\x01\\1", data)
    return _unmarked(_folded(data))


# --- dates ---------------------------------------------------------------------

_MIN_YEAR, _MAX_YEAR = 1, 9999
_PRECISION_WORDS = {
    Precision.YEAR: "year",
    Precision.MONTH: "month",
    Precision.DAY: "day",
    Precision.MINUTE: "minute",
    Precision.SECOND: "second",
}

Day = tuple[int, int, int]

#: How a date known only to the year or month is written (one string each: reports share them).
_WIDENED = {
    precision: f"known only to the {word}: written as all-day dates covering the whole {word}"
    for precision, word in _PRECISION_WORDS.items()
}


class _OutOfRange(Exception):
    """A date iCalendar cannot hold (before year 1 or after 9999)."""


def _day(day: Day) -> str:
    year, month, dom = day
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _OutOfRange
    return f"{year:04d}{month:02d}{dom:02d}"


def _next_day(day: Day) -> Day:
    year, month, dom = day
    if dom < 28:
        return (year, month, dom + 1)
    if month == 12 and dom == 31:
        return (year + 1, 1, 1)  # year 10000 is refused when written
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _OutOfRange
    following = _dt.date(year, month, dom) + _dt.timedelta(days=1)
    return (following.year, following.month, following.day)


def _utc(date: Date) -> tuple[str, tuple[int, ...]]:
    """A UTC DATE-TIME value and its sort key, for a time with a known offset."""
    fields = date.utc_fields()
    year, month, dom, hour, minute, second = fields
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _OutOfRange
    return f"{year:04d}{month:02d}{dom:02d}T{hour:02d}{minute:02d}{second:02d}Z", fields


def _stamp(date: Date) -> str:
    """DTSTAMP: a UTC DATE-TIME, clamped into the years iCalendar can hold."""
    if date.has_time and date.offset is not None:
        year, month, dom, hour, minute, second = date.utc_fields()
    else:
        (year, month, dom), hour, minute, second = date.first_day(), date.hour or 0, date.minute or 0, date.second or 0
    if year < _MIN_YEAR:
        return "00010101T000000Z"
    if year > _MAX_YEAR:
        return "99991231T235959Z"
    return f"{year:04d}{month:02d}{dom:02d}T{hour:02d}{minute:02d}{second:02d}Z"


def _timed(date: Date) -> bool:
    """A time with a known UTC offset (local times the loader never resolved are treated as days)."""
    return date.hour is not None and date.offset is not None


# --- the exporter ----------------------------------------------------------------

_URL_SAFE = ":/?#[]@!$&'()*+=%~"


_PLAIN_URI = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def _uri(target: str) -> str:
    """A URL :func:`safe_url` accepted, as a URI value."""
    if _PLAIN_URI.fullmatch(target):  # the usual case: nothing to encode
        return target
    # (a lone surrogate, possible from a JSON escape, cannot be encoded: U+FFFD instead)
    return quote(_SURROGATE.sub("\ufffd", target), safe=_URL_SAFE + ",;")


def _geo_number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _source_text(source: Source, url: str | None, locale: str = "en") -> str:
    """A source in words, with ``url``, its :func:`safe_url`."""
    parts = [p for p in (source.title, source.publisher) if p]
    if source.date is not None:
        parts.append(human_date(source.date, locale=locale))
    text = ", ".join(parts)
    if url is not None:
        text = f"{text}: {url}" if text else url
    return text


# Tags and places repeat from event to event: their lines are remembered (a
# bounded cache, so memory does not grow with the number of events).


@functools.lru_cache(maxsize=4096)
def _categories_line(tags: tuple[str, ...]) -> bytes:
    """CATEGORIES, folded and marked; empty when no tag has text."""
    # stripped as text, after escaping: the Unicode spaces a line break or control may leave
    categories = [c for c in (_escaped(tag, False).decode("utf-8").strip() for tag in tags) if c]
    return _folded(b"CATEGORIES:" + ",".join(categories).encode("utf-8")) if categories else b""


@functools.lru_cache(maxsize=4096)
def _location_line(name: str) -> bytes:
    """LOCATION, folded and marked."""
    return _folded(b"LOCATION:" + _escaped(name, False))


class _Skip(Exception):
    """The event is left out on purpose (an option asked for it)."""


class IcalExporter:
    name = "ical"
    extensions = (".ics", ".ical")
    media_type = "text/calendar; charset=utf-8"
    description = "An iCalendar file (RFC 5545) to import into or subscribe to from calendar apps"
    options = (
        Option("coarse_dates", "Events known only to the month or year: 'span' shows the whole period as "
               "all-day, 'skip' leaves them out", default="span", choices=("span", "skip")),
        Option("ongoing", "Events still going on: 'marker' marks their start, 'until_export' stretches them "
               "to the export date", default="marker", choices=("marker", "until_export")),
        Option("refresh_hours", "How often subscribers should refresh the feed, in hours (0: do not say)",
               type="int", default=24, minimum=0, maximum=8760),
        Option("sources", "List each event's sources in its description", type="bool", default=True),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else None
        writer = _Writer(timeline, options, context.locale if context is not None else "en",
                         context.translated if context is not None else None)
        write = stream.write
        write(writer.header())
        skipped: list[str] = []
        for event in iter_events(timeline):
            try:
                write(writer.event(event))
            except _OutOfRange:
                skipped.append(event.id)
                if report is not None:
                    report.skipped(event, "iCalendar cannot hold years " + (
                        "before 1" if event.start.year <= 1 else "after 9999"))
            except _Skip:
                if report is not None:
                    report.skipped(event, "known only to the year or month, and -O coarse_dates=skip")
            else:
                if report is not None:
                    report.wrote(event)
                    writer.report_approximations(event, report)
        write(b"END:VCALENDAR\r\n")
        if writer.undated:
            warn_undated("ical", writer.undated, stacklevel=2)
        if skipped and report is None:  # a 1.0 caller: say it here (the host reports it otherwise)
            count = len(skipped)
            shown = ", ".join(skipped[:3]) + (", ..." if count > 3 else "")
            warnings.warn(
                f"ical: skipped {count} event{'s' if count != 1 else ''} with years iCalendar cannot hold "
                f"(before 1 CE or after 9999): {shown}",
                UserWarning,
                stacklevel=2,
            )


class _Writer:
    """Turns one event at a time into the bytes of its VEVENT."""

    def __init__(
        self,
        timeline: Timeline,
        options: Mapping[str, Any],
        locale: str = "en",
        texts: Callable[[Any], TranslatedText] | None = None,
    ) -> None:
        self.timeline = timeline
        #: the language of DESCRIPTION's dates and labels; property values stay as RFC 5545 has them
        self.locale = locale
        #: titles and descriptions in the locale: the data's translation where it has one
        self.texts = texts or (lambda item: translated(item, locale))
        #: the notes after a date ("year known", "approximate") in that language, one lookup per wording
        self.note: Callable[[str], str] = functools.cache(lambda key: message("calendar note", key, locale))
        #: what follows an ongoing event's SUMMARY, " (ongoing)" in the locale (looked up on first use)
        self._ongoing_suffix: bytes | None = None
        self.skip_coarse = options.get("coarse_dates", "span") == "skip"
        self.stretch = options.get("ongoing", "marker") == "until_export"
        self.refresh = int(options.get("refresh_hours", 24))
        self.with_sources = bool(options.get("sources", True))
        self.timeline_id = timeline.id
        self.stamp_line = f"DTSTAMP:{_stamp(data_timestamp(timeline))}\r\n"
        # the last lines of every VEVENT, by the precisions of its start and end
        self._tails = {
            (first, last): "TRANSP:TRANSPARENT\r\nX-TIMELINE-PRECISION:"
            + (word if first == last else f"{word}/{_PRECISION_WORDS[last]}") + "\r\nEND:VEVENT\r\n"
            for first, word in _PRECISION_WORDS.items() for last in _PRECISION_WORDS
        }
        known = timeline_as_of(timeline)
        #: " as of <date>" after "ongoing", or nothing when the data does not say when it was last true
        self.as_of = "" if known is None else " " + message("as of", "as of {date}", locale).format(
            date=human_date(known, locale=locale))
        # the export date for ongoing=until_export: SOURCE_DATE_EPOCH, else the data's `updated`
        stretch_to = timeline_source_date_epoch() or timeline.updated
        self.today: Day | None = None if stretch_to is None else stretch_to.first_day()
        #: ongoing events written without any date saying how long they were known to go on
        self.undated: list[str] = []

    def header(self) -> bytes:
        tl = self.timeline
        shown = self.texts(tl)
        title = one_line(shown.title)
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:-//timeline developers//timeline-events {timeline.__version__}//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"NAME{_language(shown.language, shown.title_translated)}:{title}",
            f"X-WR-CALNAME:{title}",
            f"X-TIMELINE-ID:{tl.id}",  # read back by our reader (plugins/ical_reader.py)
        ]
        if tl.timezone:
            lines.append(f"X-TIMELINE-TIMEZONE:{tl.timezone}")
        if shown.description:
            text = text_value(markdown_to_text(shown.description).strip("\n"))
            language = _language(shown.language, shown.description_translated)
            lines += [f"DESCRIPTION{language}:{text}", f"X-WR-CALDESC:{text}"]
        if self.refresh:
            lines += [f"REFRESH-INTERVAL;VALUE=DURATION:PT{self.refresh}H", f"X-PUBLISHED-TTL:PT{self.refresh}H"]
        return b"".join(fold(line) for line in lines)

    def ongoing_suffix(self) -> bytes:
        """The words after an ongoing event's title, escaped: " (ongoing)", " (продолжается)", "（継続中）"."""
        if self._ongoing_suffix is None:
            template = message("calendar summary", "{title} (ongoing)", self.locale)
            self._ongoing_suffix = _escaped(template.split("{title}", 1)[-1], False)
        return self._ongoing_suffix

    def event(self, event: Event) -> bytes:
        """The VEVENT: text values escaped and folded as UTF-8, then the marks turned into backslashes."""
        start, end, ongoing = event.start, event.end, event.ongoing
        if self.skip_coarse and (start.precision < Precision.DAY
                                 or (end is not None and end.precision < Precision.DAY)):
            raise _Skip
        head = (f"BEGIN:VEVENT\r\nUID:{event_uid_text(self.timeline_id, event.id)}\r\n"
                f"{self.stamp_line}{self._dates(start, end, ongoing)}\r\n")
        shown = self.texts(event)
        summary = (f"SUMMARY{_language(shown.language, shown.title_translated)}:".encode("ascii")
                   + _escaped(shown.title, False))
        urls = [safe_url(source.url) for source in event.sources]
        description = f"DESCRIPTION{_language(shown.language, shown.description_translated)}:".encode("ascii")
        out = [
            head.encode("ascii"),
            _folded(summary + self.ongoing_suffix() if ongoing else summary),
            _folded(description + _escaped(self._description(event, urls, shown.description))),
        ]
        for url in urls:
            if url is not None:  # ASCII once a URI value: anything else is percent-encoded
                out.append(_folded(b"URL:" + _uri(url).encode("ascii")))
                break
        if event.tags:
            out.append(_categories_line(event.tags))
        location = event.location
        tail = self._tails[start.precision, start.precision if end is None else end.precision]
        if location is not None:
            if location.name:
                out.append(_location_line(location.name))
            if location.lat is not None and location.lon is not None:
                tail = f"GEO:{_geo_number(location.lat)};{_geo_number(location.lon)}\r\n" + tail
        if event.related:
            out.append(self._related_lines(event))
        out.append(self._own_lines(event))
        out.append(tail.encode("ascii"))
        return _unmarked(b"".join(out))

    def _related_lines(self, event: Event) -> bytes:
        """RELATED-TO with each related event's UID; RELTYPE says PARENT or CHILD for "part of" and "has part",
        SIBLING for every other link (RFC 5545's default, PARENT, would say the wrong thing)."""
        lines = []
        for relation in event.relations:
            if relation.id == event.id:
                continue
            reltype = _RELTYPES.get(relation.kind or "", "SIBLING")
            uid = event_uid_text(self.timeline_id, relation.id)
            lines.append(f"RELATED-TO;RELTYPE={reltype}:{uid}\r\n")
        return "".join(lines).encode("ascii")

    def _own_lines(self, event: Event) -> bytes:
        """The X-TIMELINE-* properties our reader restores the event from (calendar apps ignore them)."""
        zone = event.timezone or event.start.zone or self.timeline.timezone
        lines = [f"X-TIMELINE-ID:{event.id}\r\nX-TIMELINE-DATE:{_edtf(event, zone)}\r\n".encode("ascii")]
        own = event.timezone or (zone if zone != self.timeline.timezone else None)
        if own:  # the event's own zone, or the one its times were resolved in when not the timeline's
            lines.append(f"X-TIMELINE-TIMEZONE:{own}\r\n".encode("ascii"))
        if event.order:
            lines.append(f"X-TIMELINE-ORDER:{event.order}\r\n".encode("ascii"))
        if event.group is not None:
            lines.append(_folded(b"X-TIMELINE-GROUP:" + _escaped(event.group, False)))
        if event.related:  # ids are slugs: no escaping needed
            lines.append(_folded(b"X-TIMELINE-RELATED:" + ",".join(event.related).encode("ascii")))
            for relation in event.relations:
                if relation.label is not None:
                    lines.append(_json_line(b"X-TIMELINE-RELATION:", {"id": relation.id, "label": relation.label}))
        for source in event.sources:
            lines.append(_json_line(b"X-TIMELINE-SOURCE:", _source_data(source, zone)))
        media = event.media
        if media is not None:
            data = {key: value for key in ("url", "caption", "credit") if (value := getattr(media, key)) is not None}
            lines.append(_json_line(b"X-TIMELINE-MEDIA:", data))
        return b"".join(lines)

    def report_approximations(self, event: Event, report: Report) -> None:
        """Tell ``report`` which fields of a written VEVENT are not as the data has them."""
        start, end, ongoing = event.start, event.end, event.ongoing
        sides = [("start", start)] if end is None or ongoing else [("start", start), ("end", end)]
        for field, date in sides:
            if date.precision < Precision.DAY:
                report.approximated(event, field, _WIDENED[date.precision])
            elif date.hour is not None and date.offset is None:
                report.approximated(event, field, "a local time without a known UTC offset: written as the whole day")
            elif date.hour is not None and (date.offset or date.zone or event.timezone):
                report.approximated(event, field, "written in UTC; the local time and zone are only in the description")
        if ongoing:
            if self.stretch and self.today is not None and self.today >= start.first_day():
                report.approximated(event, "end", "ongoing: the end is placed at the export date")
            else:
                report.approximated(event, "end", "ongoing: written as a marker on its start, with no end")

    def _dates(self, start: Date, end: Date | None, ongoing: bool) -> str:
        """The DTSTART and DTEND lines (raises :class:`_OutOfRange`)."""
        if ongoing and self.stretch and self.today is not None:
            first = start.first_day()
            if self.today >= first:
                return f"DTSTART;VALUE=DATE:{_day(first)}\r\nDTEND;VALUE=DATE:{_day(_next_day(self.today))}"
            end = None  # starts after the export date: show the start marker
        if end is None or ongoing:
            if _timed(start):
                return "DTSTART:" + _utc(start)[0]
            first, last = start.first_day(), start.last_day()
        elif _timed(start) and _timed(end):
            begin, begin_key = _utc(start)
            finish, finish_key = _utc(end)
            if finish_key > begin_key:
                return f"DTSTART:{begin}\r\nDTEND:{finish}"
            # the same instant: an instantaneous event has no DTEND
            return "DTSTART:" + begin
        else:
            first, last = start.first_day(), end.last_day()
            if last < first:  # cannot come from validated data; never write DTEND <= DTSTART
                last = start.last_day()
        return f"DTSTART;VALUE=DATE:{_day(first)}\r\nDTEND;VALUE=DATE:{_day(_next_day(last))}"

    def _when(self, event: Event) -> str:
        start, end, ongoing = event.start, event.end, event.ongoing
        text = human_span(start, end, ongoing=ongoing, locale=self.locale)
        note = self.note
        notes: list[str] = []
        first = start.precision
        if end is None:
            if first < Precision.DAY:
                notes.append(note(f"{_PRECISION_WORDS[first]} known"))
            approximate, uncertain = start.approximate, start.uncertain
        else:
            last = end.precision
            if first < Precision.DAY or last < Precision.DAY:
                if first == last:
                    notes.append(note(f"{_PRECISION_WORDS[first]} known"))
                else:  # say which end is coarse
                    notes += [note(f"{side} {_PRECISION_WORDS[precision]} known")
                              for side, precision in (("start", first), ("end", last)) if precision < Precision.DAY]
            approximate = start.approximate or end.approximate
            uncertain = start.uncertain or end.uncertain
        if approximate:
            notes.append(note("approximate"))
        if uncertain:
            notes.append(note("uncertain"))
        zone = event.timezone or start.zone
        if zone and start.has_time:
            notes.append(note("local time in {zone}").format(zone=zone))
        if ongoing:
            if self.stretch and self.today is not None and self.today >= start.first_day():
                notes.append(note("shown until the export date, {date}").format(
                    date=human_date(Date(*self.today), locale=self.locale)))
            elif self.as_of:
                text += self.as_of
            else:
                self.undated.append(event.id)
        if notes:
            text = note("{when} ({notes})").format(when=text, notes=note(", ").join(notes))
        return text

    def _description(self, event: Event, urls: list[str | None] | None = None, description: str | None = None) -> str:
        """DESCRIPTION as plain text; ``urls`` are the sources' :func:`safe_url` if known already.

        ``description`` is the text to show (a translation), by default the event's own.
        """
        parts = [self._when(event)]
        if description is None:
            description = event.description
        if description:
            body = markdown_to_text(description).strip("\n")
            if body:
                parts.append(body)
        media = event.media
        if media is not None:
            url = safe_url(media.url)
            label = ", ".join(p for p in (media.caption, media.credit) if p)
            if url is not None or label:
                parts.append(f"{message('label', 'Media', self.locale)}: "
                             + (f"{label}: {url}" if label and url else label or url or ""))
        if self.with_sources and event.sources:
            if urls is None:
                urls = [safe_url(source.url) for source in event.sources]
            lines = [_source_text(source, url, self.locale) for source, url in zip(event.sources, urls, strict=True)]
            label = message("label", "Sources", self.locale)
            parts.append(f"{label}:\n" + "\n".join(f"- {line}" for line in lines if line))
        return "\n\n".join(parts)


def _language(tag: str | None, used: bool) -> str:
    """``;LANGUAGE=ru`` (RFC 5545 §3.2.10) for text written from a translation, else nothing."""
    return f";LANGUAGE={tag}" if used and tag else ""


def _date_text(date: Date, zone: str | None) -> str:
    """EDTF for ``date``: a local time resolved in ``zone`` without its offset, any other with it."""
    if date.zone is not None and date.zone != zone:
        return attrs.evolve(date, zone=None).isoformat()
    return date.isoformat()


def _edtf(event: Event, zone: str | None) -> str:
    """The event's dates as the data has them (X-TIMELINE-DATE): ``start``, ``start/end`` or ``start/..``."""
    text = _date_text(event.start, zone)
    if event.ongoing:
        return text + "/.."
    if event.end is not None:
        return f"{text}/{_date_text(event.end, zone)}"
    return text


#: The RFC 5545 RELTYPE of a known label: the related event is this one's parent, or its child.
_RELTYPES = {"part of": "PARENT", "has part": "CHILD"}


def _source_data(source: Source, zone: str | None) -> dict[str, str]:
    out = {key: value for key in ("title", "publisher", "url") if (value := getattr(source, key)) is not None}
    if source.date is not None:
        out["date"] = _date_text(source.date, zone)
    return out


def _json_line(name: bytes, data: Mapping[str, str]) -> bytes:
    """An X- property whose TEXT value is JSON (ASCII, so nothing but escaping to do), folded and marked."""
    return _folded(name + _escaped(json.dumps(data, ensure_ascii=True, separators=(",", ":")), False))


@timeline.hookimpl
def timeline_exporters() -> list[IcalExporter]:
    return [IcalExporter()]


@timeline.hookimpl
def timeline_readers() -> list[Any]:
    from .ical_reader import IcalReader  # no icalendar import until a file is read

    return [IcalReader()]
