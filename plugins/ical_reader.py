"""Reads iCalendar files (RFC 5545): exports of calendar apps, and our own ``ical`` exports.

Every mapping decision, and every ambiguous case, is documented in
``docs/readers/ical.md``.  Parsing is left to the ``icalendar`` package,
imported inside :meth:`IcalReader.read` only (it costs 50-75 ms to import,
which no other command should pay).  Around it this module:

- checks the file's structure itself (``icalendar`` silently drops a
  component that is never closed), noting where each component begins so
  problems can name a line;
- turns each VEVENT into an event of the data format, releasing the
  component once read, so memory stays close to what ``icalendar`` needs;
- recognises our own exports (their ``PRODID`` and ``X-TIMELINE-*``
  properties) and restores what the exporter could only approximate.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import unicodedata
from array import array
from collections.abc import Mapping
from typing import Any

from timeline import Date, DateError, Document, Option, ReadError, Report, decode_text, parse_span

__all__ = ["IcalReader"]

#: What our own exporter writes as PRODID (the version follows).
OUR_PRODID = "-//timeline developers//timeline-events "
_MAX_DEPTH = 20  # VCALENDAR > VEVENT > VALARM is 3; nothing real comes close
_BOUNDARY = re.compile(r"^(BEGIN|END)[ \t]*:[ \t]*([A-Za-z0-9-]*)[ \t]*\r?$", re.M | re.I)
_PRECISIONS = ("year", "month", "day", "minute", "second")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
#: The data format's fields, and the iCalendar properties they come from (first found wins).
_PROPERTIES: dict[str, tuple[str, ...]] = {
    "id": ("X-TIMELINE-ID", "UID"),
    "title": ("SUMMARY",),
    "start": ("DTSTART", "X-TIMELINE-DATE"),
    "end": ("DTEND", "DURATION", "X-TIMELINE-DATE"),
    "timezone": ("X-TIMELINE-TIMEZONE", "DTSTART"),
    "description": ("DESCRIPTION",),
    "tags": ("CATEGORIES",),
    "location": ("GEO", "LOCATION"),
    "media": ("X-TIMELINE-MEDIA", "ATTACH"),
    "sources": ("X-TIMELINE-SOURCE", "URL"),
    "order": ("X-TIMELINE-ORDER",),
    "group": ("X-TIMELINE-GROUP",),
    "related": ("X-TIMELINE-RELATED", "RELATED-TO"),
}
#: RFC 5545's RELTYPE (PARENT when not given) as a relation's label; SIBLING and others are plain links.
_RELTYPE_LABELS = {"PARENT": "part of", "CHILD": "has part"}
_HEADER_PROPERTIES: dict[str, tuple[str, ...]] = {
    "id": ("X-TIMELINE-ID",),
    "title": ("X-WR-CALNAME", "NAME"),
    "description": ("X-WR-CALDESC",),
    "timezone": ("X-TIMELINE-TIMEZONE", "X-WR-TIMEZONE"),
}
_APPLE_GEO = re.compile(r"^geo:(-?[0-9]+(?:\.[0-9]+)?),(-?[0-9]+(?:\.[0-9]+)?)", re.I)
_UNESCAPE = re.compile(r"\\(.)", re.S)

#: The words our exporter puts after an ongoing event's SUMMARY, in any locale: the last bracketed group.
_ONGOING_SUFFIX = re.compile(r"\s*[(\uff08][^()\uff08\uff09]*[)\uff09]\s*\Z")


def _text(value: Any) -> str:
    """A TEXT property's value: ``icalendar`` unescapes the ones it knows (vText), not the others."""
    if value is None:
        return ""
    if type(value).__name__ == "vText":
        return str(value)
    return _unescape(str(value))


def _unescape(text: str) -> str:
    """RFC 5545 TEXT unescaping, for the properties ``icalendar`` hands over raw (X- properties)."""
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def slug(text: str) -> str:
    """A slug of ``text`` (may be empty): ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_DROP.sub("-", ascii_text).strip("-")[:80].strip("-")


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]  # noqa: S324 - a name, not security


# --- zones ---------------------------------------------------------------------------

_known_zones: dict[str, bool] = {}


def _is_iana(name: str) -> bool:
    """Whether ``name`` is a zone of the tz database (as the loader will resolve it)."""
    found = _known_zones.get(name)
    if found is None:
        try:
            Date(2000, 1, 1, 0, 0).in_zone(name)
            found = True
        except (DateError, ValueError):
            found = False
        _known_zones[name] = found
    return found


_TZID_PREFIX = re.compile(r"^/?(?:[^/]*\.[^/]*/[^/]*/)")  # "/mozilla.org/20050126_1/Asia/Seoul"


def _iana_name(tzid: str, windows: Mapping[str, str], locations: Mapping[str, str]) -> str | None:
    """The IANA zone a TZID stands for, or ``None``."""
    name = tzid.strip().strip('"')
    if name.upper() in ("UTC", "GMT", "Z", "ETC/UTC", "ETC/GMT"):
        return "UTC"
    if _is_iana(name):
        return name
    location = locations.get(name)
    if location and _is_iana(location):
        return location
    if name in windows:
        return windows[name]
    tail = _TZID_PREFIX.sub("", name)
    if tail != name and _is_iana(tail):
        return tail
    return None


def _offset_text(delta: _dt.timedelta | None) -> str:
    minutes = int((delta or _dt.timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _time_text(value: _dt.datetime, precision: str) -> str:
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}"
    return text + f":{value.second:02d}" if precision == "second" else text


def _day_text(day: _dt.date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _starts_period(day: _dt.date, precision: str) -> bool:
    """Whether ``day`` is the first day of a year, month or day (by ``precision``)."""
    return precision == "day" or (day.day == 1 and (precision == "month" or day.month == 1))


def _whole(first: _dt.date, after: _dt.date, precision: str) -> bool:
    """Whether the days ``first`` up to ``after`` (exclusive) are whole periods of ``precision``."""
    return _starts_period(first, precision) and _starts_period(after, precision)


class _Problem(Exception):
    """An event that cannot be read: the field and property at fault, and why."""

    def __init__(self, field: str, prop: str | int | None, message: str) -> None:
        super().__init__(message)
        self.field, self.prop, self.message = field, prop, message


class _Skip(Exception):
    """The event is left out on purpose (reported)."""


# --- the reader ------------------------------------------------------------------------


class IcalReader:
    name = "ical"
    extensions = (".ics", ".ical")
    description = "iCalendar (RFC 5545) files from calendar apps, and this tool's own ical exports"
    options = (
        Option("timezone", "IANA zone for floating times (times written with no zone); "
               "overrides the file's X-WR-TIMEZONE"),
    )

    def read(self, data: bytes, source: str, *, context: Any = None) -> Document:
        report = context.report if context is not None else Report()
        options = context.options if context is not None else {}
        return _Reading(decode_text(data), report, options).run()


class _Reading:
    """One file being read."""

    def __init__(self, text: str, report: Any, options: Mapping[str, object]) -> None:
        self.text = text
        self.report = report
        zone = options.get("timezone")
        self.option_zone = zone if isinstance(zone, str) and zone else None
        #: where each component below a VCALENDAR begins (character offsets), and its name
        self.begins = array("q")
        self.names: list[str] = []
        self.problems: list[tuple[int | None, str]] = []
        self.events: list[dict[str, Any]] = []
        #: for each entry of ``events``: the index of its component in ``begins``
        self.ordinals = array("q")
        self.header: dict[str, Any] = {}
        self.header_at: dict[str, tuple[int, str]] = {}  # field -> (calendar begin offset, property)
        self.by_uid: dict[str, int] = {}
        self.sequences: dict[str, int] = {}
        self.overrides: list[tuple[str, Any, dict[str, Any], int]] = []
        self.repeating: dict[str, tuple[Any, Any]] = {}
        self.floating: list[tuple[int, str]] = []
        self._lines: array[int] | None = None

    # -- positions ---------------------------------------------------------------------

    def line_at(self, offset: int) -> int:
        """The 1-based line of a character offset (newline positions are found once, on demand)."""
        if self._lines is None:
            self._lines = array("q", (m.start() for m in re.finditer("\n", self.text)))
        from bisect import bisect_right

        return bisect_right(self._lines, offset - 1) + 1 if offset > 0 else 1

    def property_line(self, ordinal: int, props: tuple[str, ...]) -> int | None:
        """The line of the first of ``props`` in component ``ordinal`` (or of its BEGIN line)."""
        if not 0 <= ordinal < len(self.begins):
            return None
        begin = self.begins[ordinal]
        end = self.begins[ordinal + 1] if ordinal + 1 < len(self.begins) else len(self.text)
        for prop in props:
            found = re.compile(rf"^{re.escape(prop)}[;:]", re.M | re.I).search(self.text, begin, end)
            if found:
                return self.line_at(found.start())
        return self.line_at(begin)

    def locate(self, path: tuple[str | int, ...]) -> int | None:
        if len(path) >= 2 and path[0] == "events" and isinstance(path[1], int):
            if not 0 <= path[1] < len(self.ordinals):
                return None
            field = path[2] if len(path) > 2 else None
            props = _PROPERTIES.get(str(field), ("UID",)) if field is not None else ()
            if field == "location" and len(path) > 3 and path[3] in ("lat", "lon"):
                props = ("GEO",)
            return self.property_line(self.ordinals[path[1]], props or ("BEGIN",))
        if len(path) == 1 and path[0] in self.header_at:
            begin, prop = self.header_at[str(path[0])]
            found = re.compile(rf"^{re.escape(prop)}[;:]", re.M | re.I).search(self.text, begin)
            return self.line_at(found.start()) if found else self.line_at(begin)
        return None

    # -- structure ----------------------------------------------------------------------

    def check_structure(self) -> None:
        """BEGIN and END in pairs, VCALENDARs at the top; note where each component starts."""
        stack: list[tuple[str, int]] = []
        calendars = 0
        for match in _BOUNDARY.finditer(self.text):
            kind, name = match.group(1).upper(), match.group(2).upper()
            if not name:
                raise ReadError(f"invalid iCalendar: {kind}: without a component name",
                                line=self.line_at(match.start()))
            if kind == "BEGIN":
                if not stack and name != "VCALENDAR":
                    raise ReadError(f"invalid iCalendar: BEGIN:{name} outside a VCALENDAR",
                                    line=self.line_at(match.start()))
                if len(stack) >= _MAX_DEPTH:
                    raise ReadError(f"invalid iCalendar: components nested more than {_MAX_DEPTH} deep",
                                    line=self.line_at(match.start()))
                if len(stack) == 1:
                    self.begins.append(match.start())
                    self.names.append(name)
                elif not stack:
                    calendars += 1
                    self.begins.append(match.start())
                    self.names.append("VCALENDAR")
                stack.append((name, match.start()))
            else:
                if not stack:
                    raise ReadError(f"invalid iCalendar: END:{name} without a BEGIN:{name}",
                                    line=self.line_at(match.start()))
                open_name, opened = stack.pop()
                if open_name != name:
                    raise ReadError(
                        f"invalid iCalendar: END:{name} where END:{open_name} was expected: BEGIN:{open_name} "
                        f"on line {self.line_at(opened)} is not closed",
                        line=self.line_at(match.start()))
        if stack:
            name, opened = stack[-1]
            raise ReadError(f"invalid iCalendar: BEGIN:{name} is never closed (the file may be cut short)",
                            line=self.line_at(opened))
        if not calendars:
            raise ReadError("invalid iCalendar: no BEGIN:VCALENDAR (is this an iCalendar file?)", line=1)

    # -- reading ------------------------------------------------------------------------

    def run(self) -> Document:
        self.check_structure()
        import icalendar  # here: 50-75 ms, paid only by commands that read iCalendar
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        self.windows: Mapping[str, str] = WINDOWS_TO_OLSON
        try:
            calendars = icalendar.Calendar.from_ical(self.text, multiple=True)
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            message = str(exc)
            raise ReadError(f"invalid iCalendar: {self._shorten(message)}", line=self._line_of_quote(message)) from None
        except RecursionError:
            raise ReadError("invalid iCalendar: nested too deeply") from None
        ordinal = 0
        for calendar in calendars:
            ordinal = self.read_calendar(calendar, ordinal)
        calendars.clear()
        self.resolve_repeats()
        self.check_floating()
        if self.problems:
            self.raise_problems()
        self.assign_ids()
        self.resolve_relations()
        content: dict[str, Any] = dict(self.header)
        content["events"] = self.events
        return Document(content, self.locate)

    def _line_of_quote(self, message: str) -> int | None:
        quoted = re.search(r"'([^']{3,})'", message)
        if quoted:
            at = self.text.find(quoted.group(1))
            if at >= 0:
                return self.line_at(at)
        return None

    @staticmethod
    def _shorten(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) < 300 else text[:300] + "..."

    def problem(self, ordinal: int, label: str, field: str, prop: str | int | None, message: str) -> None:
        """``prop`` names the property at fault (or is its line, when already known)."""
        line = prop if isinstance(prop, int) else self.property_line(ordinal, (prop,) if prop else ("BEGIN",))
        self.problems.append((line, f"{label}, field {field!r}: {message}" if field else f"{label}: {message}"))

    def raise_problems(self) -> None:
        (line, first), rest = self.problems[0], self.problems[1:]
        message = first
        if rest:
            shown = "; ".join(f"line {at}: {text}" for at, text in rest[:3])
            more = f"; and {len(rest) - 3} more" if len(rest) > 3 else ""
            message += f"; also {shown}{more}"
        raise ReadError(message, line=line)

    def read_calendar(self, calendar: Any, ordinal: int) -> int:
        begin = self.begins[ordinal]
        ordinal += 1
        prodid = str(calendar.get("PRODID") or "")
        ours = prodid.startswith(OUR_PRODID)
        method = str(calendar.get("METHOD") or "").upper()
        for field, props in _HEADER_PROPERTIES.items():
            if field in self.header:
                continue
            for prop in props:
                if prop.startswith("X-TIMELINE") and not ours:
                    continue
                value = calendar.get(prop)
                if value is not None and _text(value).strip():
                    text = _text(value).strip()
                    if field == "timezone":
                        text = _iana_name(text, self.windows, {}) or text
                    self.header[field] = text
                    self.header_at[field] = (begin, prop)
                    break
        calendar_zone = self.option_zone or self.header.get("timezone")
        locations: dict[str, str] = {}
        subs = calendar.subcomponents
        for index in range(len(subs)):
            component = subs[index]
            subs[index] = None  # released once read
            if ordinal < len(self.names) and self.names[ordinal] != component.name.upper():
                self.begins = array("q")  # out of step with our scan: give up on lines, not on reading
            name = component.name.upper()
            if name == "VTIMEZONE":
                tzid, location = component.get("TZID"), component.get("X-LIC-LOCATION")
                if tzid is not None and location is not None:
                    locations[str(tzid)] = str(location)
            elif name == "VEVENT":
                self.read_event(component, ordinal, ours, method, calendar_zone, locations)
            elif name in ("VTODO", "VJOURNAL", "VFREEBUSY", "VAVAILABILITY"):
                what = {"VTODO": "a to-do", "VJOURNAL": "a journal entry"}.get(name, "not an event")
                label = slug(str(component.get("SUMMARY") or "")) or name.lower()
                self.report.skipped(label, f"{what} ({name}), not an event")
            ordinal += 1
        subs.clear()
        return ordinal

    def read_event(self, component: Any, ordinal: int, ours: bool, method: str, calendar_zone: str | None,
                   locations: Mapping[str, str]) -> None:
        uid = str(component.get("UID") or "")
        summary = _text(component.get("SUMMARY")).strip()
        own_id = _text(component.get("X-TIMELINE-ID")).strip() if ours else ""
        label = own_id or slug(summary) or "event"
        status = str(component.get("STATUS") or "").upper()
        if status == "CANCELLED" or method == "CANCEL":
            why = "STATUS:CANCELLED" if status == "CANCELLED" else "METHOD:CANCEL"
            self.report.skipped(label, f"cancelled ({why})")
            return
        try:
            event = self.convert(component, ordinal, ours, calendar_zone, locations, summary, own_id, label)
        except _Problem as problem:
            self.problem(ordinal, f"event {label!r}", problem.field, problem.prop, problem.message)
            return
        except _Skip:
            return
        event["_uid"] = uid
        event["_label"] = label
        recurrence = component.get("RECURRENCE-ID")
        if recurrence is not None:
            self.overrides.append((uid, getattr(recurrence, "dt", None), event, ordinal))
            return
        sequence = _int(component.get("SEQUENCE"))
        if uid and uid in self.by_uid:
            at = self.by_uid[uid]
            if sequence >= self.sequences.get(uid, 0):  # a later revision of the same event replaces it
                self.report.skipped(self.events[at]["_label"], f"replaced by a later VEVENT with the same UID {uid!r}")
                self.events[at] = event
                self.ordinals[at] = ordinal
                self.sequences[uid] = sequence
            else:
                self.report.skipped(label, f"an older revision of the VEVENT with UID {uid!r}")
            return
        if uid:
            self.by_uid[uid] = len(self.events)
            self.sequences[uid] = sequence
        if component.get("RRULE") is not None or component.get("RDATE") is not None:
            self.repeating[uid] = (component.get("RRULE"), component.get("EXDATE"))
        self.events.append(event)
        self.ordinals.append(ordinal)

    def convert(self, component: Any, ordinal: int, ours: bool, calendar_zone: str | None,
                locations: Mapping[str, str], summary: str, own_id: str, label: str) -> dict[str, Any]:
        errors = {name: message for name, message in component.errors}
        for name, message in errors.items():
            if name is None:  # e.g. a continuation line that does not start with a space
                raise _Problem("", self._line_of_quote(message), "a content line cannot be read (is a long line "
                               f"folded without the leading space?): {self._shorten(message)}")
        report = self.report
        event: dict[str, Any] = {"title": summary}
        if own_id:
            event["id"] = own_id
        precision = str(component.get("X-TIMELINE-PRECISION") or "").strip().lower()
        start_precision, _, end_precision = precision.partition("/")
        if start_precision not in _PRECISIONS:
            start_precision = ""
        end_precision = end_precision if end_precision in _PRECISIONS else start_precision
        own_zone = _text(component.get("X-TIMELINE-TIMEZONE")).strip() if ours else ""
        zone_hint = own_zone or (str(self.header.get("timezone") or "") if ours else "")
        start_prop = component.get("DTSTART")
        if start_prop is None:
            raise _Problem("start", "BEGIN", "the VEVENT has no DTSTART")
        if "DTSTART" in errors:
            raise _Problem("start", "DTSTART", f"DTSTART is not a valid date: {self._shorten(errors['DTSTART'])}")
        start = start_prop.dt
        end_prop = component.get("DTEND")
        end: Any = None
        end_from = "DTEND"
        if "DTEND" in errors:
            raise _Problem("end", "DTEND", f"DTEND is not a valid date: {self._shorten(errors['DTEND'])}")
        if "DURATION" in errors:
            raise _Problem("end", "DURATION", f"DURATION is not valid: {self._shorten(errors['DURATION'])}")
        if end_prop is not None:
            end = end_prop.dt
        elif component.get("DURATION") is not None:
            duration = component.get("DURATION").dt
            end_from = "DURATION"
            if not isinstance(duration, _dt.timedelta):
                raise _Problem("end", "DURATION", "DURATION is not a duration")
            if duration < _dt.timedelta(0):
                written = component.get("DURATION").to_ical().decode()
                raise _Problem("end", "DURATION", f"DURATION {written} is negative")
            end = start + duration
        if component.get("RRULE") is not None and component.get("EXDATE") is not None:
            start, end = self.first_kept(component, start, end, label)
        zone_used: str | None = None
        if isinstance(start, _dt.datetime):
            if end is not None and not isinstance(end, _dt.datetime):
                raise _Problem("end", end_from, f"{end_from} is a date but DTSTART a date-time (they must be alike)")
            word = start_precision if start_precision in ("minute", "second") else (
                "second" if start.second else "minute")
            start_text, zone_used = self.timed(start, start_prop, ordinal, label, "start", word, calendar_zone,
                                               locations, zone_hint)
            end_text = None
            if end is not None:
                if _instant(end, calendar_zone) < _instant(start, calendar_zone):
                    raise _Problem("end", end_from, f"{end_from} ({_shown(end)}) is before DTSTART ({_shown(start)})")
                if _instant(end, calendar_zone) != _instant(start, calendar_zone):
                    end_word = end_precision if end_precision in ("minute", "second") else (
                        "second" if end.second or word == "second" else "minute")
                    end_text, end_zone = self.timed(end, end_prop or start_prop, ordinal, label, "end", end_word,
                                                     calendar_zone, locations, zone_hint)
                    if end_zone != zone_used:  # one zone per event: the end keeps its offset instead
                        end_text = _time_text(end, end_word) + _offset_text(end.utcoffset())
        else:
            if end is None:
                after = start + _dt.timedelta(days=1)
            elif isinstance(end, _dt.datetime):
                raise _Problem("end", end_from, f"{end_from} is a date-time but DTSTART a date (they must be alike)")
            else:
                after = end
            if after < start:
                raise _Problem("end", end_from, f"{end_from} ({_shown(after)}) is before DTSTART ({_shown(start)})")
            if after == start:  # some programs write DTEND = DTSTART for a one-day event
                after = start + _dt.timedelta(days=1)
            if start_precision and start_precision in ("year", "month", "day") and _starts_period(
                    start, start_precision) and _starts_period(after, end_precision):
                first_word, last_word = start_precision, end_precision
            else:
                if start_precision:
                    report.approximated(label, "start", f"X-TIMELINE-PRECISION:{precision} does not fit the dates "
                                        "(edited in a calendar app?): read as days")
                first_word = last_word = "year" if _whole(start, after, "year") else (
                    "month" if _whole(start, after, "month") else "day")
            last = after - _dt.timedelta(days=1)
            start_text = _day_text(start, first_word)
            end_text = _day_text(last, last_word)
            if end_text == start_text:
                end_text = None
        ongoing = False
        if ours:
            restored = self.restore_dates(component, start, zone_hint or zone_used or calendar_zone, label)
            if restored is not None:
                start_text, end_text, ongoing = restored
        event["start"] = start_text
        if ongoing:
            event["end"] = ".."
            # our exporter wrote the title, then " (ongoing)" in its locale ("（継続中）" in Japanese)
            bare = _ONGOING_SUFFIX.sub("", summary)
            if bare.strip():
                event["title"] = bare
        elif end_text is not None:
            event["end"] = end_text
        if ours:
            if own_zone:
                event["timezone"] = own_zone
        elif zone_used is not None and zone_used != "UTC" and zone_used != self.header.get("timezone"):
            event["timezone"] = zone_used
        self.other_fields(component, event, ours, label, errors)
        rrule = component.get("RRULE")
        if rrule is not None or component.get("RDATE") is not None:
            rule = rrule.to_ical().decode("utf-8", "replace") if rrule is not None else "RDATE"
            report.approximated(label, "start", f"repeats ({rule}): only the first occurrence is read")
        return event

    def first_kept(self, component: Any, start: Any, end: Any, label: str) -> tuple[Any, Any]:
        """The first occurrence EXDATE leaves (raises :class:`_Skip` when it leaves none we can find)."""
        excluded = set()
        for exdate in _as_list(component.get("EXDATE")):
            for item in getattr(exdate, "dts", []):
                excluded.add(_day_or_instant(item.dt))
        if _day_or_instant(start) not in excluded:
            return start, end
        from dateutil.rrule import rrulestr  # a dependency of icalendar

        is_day = not isinstance(start, _dt.datetime)
        begin = _dt.datetime(start.year, start.month, start.day) if is_day else start
        try:
            rule = rrulestr(component.get("RRULE").to_ical().decode(), dtstart=begin)
            for count, when in enumerate(rule):
                moved: Any = when.date() if is_day else when
                if _day_or_instant(moved) not in excluded:
                    self.report.approximated(label, "start", "the first occurrence is excluded (EXDATE): the first "
                                             "one left is read")
                    return moved, None if end is None else end + (moved - start)
                if count > 10_000:
                    break
        except (ValueError, TypeError, OverflowError):
            pass
        self.report.skipped(label, "every occurrence is excluded (EXDATE), or none could be found")
        raise _Skip

    def timed(self, value: _dt.datetime, prop: Any, ordinal: int, label: str, field: str, precision: str,
              calendar_zone: str | None, locations: Mapping[str, str], zone_hint: str) -> tuple[str, str | None]:
        """A date-time as the data format writes it, and the IANA zone it is in (``None`` for an offset)."""
        tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
        tzinfo = value.tzinfo
        if tzinfo is None and tzid:
            zone = _iana_name(str(tzid), self.windows, locations)
            if zone is None:
                raise _Problem(field, "DTSTART" if field == "start" else "DTEND",
                               f"unknown TZID {str(tzid)!r}: not an IANA zone, a Windows zone, nor a VTIMEZONE "
                               "in the file")
            return self.local(value, zone), zone
        if tzinfo is None:  # floating: the calendar's zone, else refused (see check_floating)
            if calendar_zone is None:
                if field == "start":  # one mention per event
                    self.floating.append((ordinal, label))
                return _time_text(value, precision), None
            return self.local(value.replace(tzinfo=None), calendar_zone, precision), calendar_zone
        key = getattr(tzinfo, "key", None)
        if tzinfo is _dt.timezone.utc or key == "UTC" or (key is None and value.utcoffset() == _dt.timedelta(0)
                                                            and not tzid):
            if zone_hint and _is_iana(zone_hint):  # our export: the UTC instant, shown in the event's zone again
                return self.from_utc(value, zone_hint, precision), zone_hint
            return _time_text(value, precision) + "Z", "UTC"
        if isinstance(key, str) and _is_iana(key):
            return self.local(value.replace(tzinfo=None), key, precision, value), key
        zone = _iana_name(str(tzid), self.windows, locations) if tzid else None
        if zone is not None:
            return self.local(value.replace(tzinfo=None), zone, precision, value), zone
        self.report.approximated(label, field, f"zone {str(tzid)!r} (a VTIMEZONE without an IANA name) kept as its "
                                 f"UTC offset {_offset_text(value.utcoffset())}")
        return _time_text(value, precision) + _offset_text(value.utcoffset()), None

    def local(self, value: _dt.datetime, zone: str, precision: str = "minute",
              aware: _dt.datetime | None = None) -> str:
        """A local time in ``zone``; with its offset when the zone's rule alone would give another instant."""
        text = _time_text(value, precision)
        if aware is not None and aware.fold:
            from zoneinfo import ZoneInfo

            if value.replace(tzinfo=ZoneInfo(zone)).utcoffset() != aware.utcoffset():
                return text + _offset_text(aware.utcoffset())
        return text

    def from_utc(self, value: _dt.datetime, zone: str, precision: str) -> str:
        from zoneinfo import ZoneInfo

        here = value.astimezone(ZoneInfo(zone))
        text = _time_text(here, precision)
        if here.fold or here.replace(fold=0).utcoffset() != here.utcoffset():
            return text + _offset_text(here.utcoffset())  # the second of a repeated hour: keep the instant
        return text

    def restore_dates(self, component: Any, dtstart: Any, zone: str | None,
                      label: str) -> tuple[str, str | None, bool] | None:
        """Our own X-TIMELINE-DATE, when it still agrees with DTSTART (the file may have been edited)."""
        written = _text(component.get("X-TIMELINE-DATE")).strip()
        if not written:
            return None
        try:
            start, _end, ongoing = parse_span(written)
            if start.has_time and start.offset is None and zone and _is_iana(zone):
                start = start.in_zone(zone)
        except (DateError, ValueError):
            return None
        if isinstance(dtstart, _dt.datetime) and dtstart.tzinfo is not None and start.offset is not None:
            utc = dtstart.astimezone(_dt.timezone.utc)
            same = start.utc_fields()[:5] == (utc.year, utc.month, utc.day, utc.hour, utc.minute)
        elif isinstance(dtstart, _dt.datetime):
            same = False
        else:
            same = start.first_day() == (dtstart.year, dtstart.month, dtstart.day)
        if not same:
            self.report.approximated(label, "start", "X-TIMELINE-DATE no longer matches DTSTART (edited in a "
                                     "calendar app?): DTSTART is read")
            return None
        pieces = written.split("/")
        return pieces[0], (pieces[1] if len(pieces) > 1 and pieces[1] != ".." else None), ongoing

    def other_fields(self, component: Any, event: dict[str, Any], ours: bool, label: str,
                     errors: Mapping[str | None, str]) -> None:
        report = self.report
        description = component.get("DESCRIPTION")
        if description is not None:
            text = str(description).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
            if ours:
                text = _own_description(text, component)
            if text.strip():
                event["description"] = text
        tags: list[str] = []
        categories = component.get("CATEGORIES")
        for item in categories if isinstance(categories, list) else [categories] if categories is not None else []:
            for cat in getattr(item, "cats", []):
                tag = _one_line(str(cat))
                if tag and tag not in tags:
                    tags.append(tag)
        if tags:
            event["tags"] = tags
        location: dict[str, Any] = {}
        place = component.get("LOCATION")
        if place is not None and _one_line(str(place)):
            location["name"] = _one_line(str(place))
        if "GEO" in errors:
            raise _Problem("location", "GEO", f"GEO is not latitude;longitude: {self._shorten(errors['GEO'])}")
        geo = component.get("GEO")
        if geo is not None:
            location["lat"], location["lon"] = float(geo.latitude), float(geo.longitude)
        if "lat" not in location:  # Apple Calendar: the place's coordinates in X-APPLE-STRUCTURED-LOCATION
            apple = _APPLE_GEO.search(str(component.get("X-APPLE-STRUCTURED-LOCATION") or ""))
            if apple:
                location["lat"], location["lon"] = float(apple.group(1)), float(apple.group(2))
        if location:
            event["location"] = location
        sources: list[Any] = []
        media: Any = None
        if ours:
            order = _int(component.get("X-TIMELINE-ORDER"))
            if order:
                event["order"] = order
            group = _text(component.get("X-TIMELINE-GROUP")).strip()
            if group:
                event["group"] = group
            related = [item for item in str(component.get("X-TIMELINE-RELATED") or "").split(",") if item.strip()]
            if related:
                labels: dict[str, Any] = {}
                for raw in _as_list(component.get("X-TIMELINE-RELATION")):
                    item = _json(_text(raw))
                    if isinstance(item, dict) and isinstance(item.get("id"), str) and "label" in item:
                        labels.setdefault(item["id"], item["label"])
                event["related"] = [
                    other if other not in labels else {"id": other, "label": labels[other]}
                    for other in (item.strip() for item in related)
                ]
            for raw in _as_list(component.get("X-TIMELINE-SOURCE")):
                item = _json(_text(raw))
                if isinstance(item, dict) and item:
                    sources.append(item)
            media = _json(_text(component.get("X-TIMELINE-MEDIA"))) or None
        if "related" not in event:
            links = [
                (str(link).strip(), str(getattr(link, "params", {}).get("RELTYPE") or "PARENT").upper())
                for link in _as_list(component.get("RELATED-TO"))
                if str(link).strip()
            ]
            if links:  # UIDs: made into ids once every event has one (resolve_relations)
                event["_related_to"] = links
        if not sources:
            for url in _as_list(component.get("URL")):
                link = str(url).strip()
                if link.lower().startswith(("http://", "https://")):
                    sources.append({"url": link})
                    break
                if link:
                    report.approximated(label, "sources", f"URL {self._shorten(link)!r} is not http(s): not read")
        if sources:
            event["sources"] = sources
        if media is None:
            for attachment in _as_list(component.get("ATTACH")):
                params = getattr(attachment, "params", {})
                link = str(attachment).strip() if not params.get("ENCODING") else ""
                if link.lower().startswith(("http://", "https://")):
                    media = {"url": link}
                    break
                report.approximated(label, "media", "an attachment that is not an http(s) link (ATTACH) is not read")
        if media:
            event["media"] = media
        attendees = _as_list(component.get("ATTENDEE"))
        if attendees:
            report.approximated(label, "attendees", f"{len(attendees)} ATTENDEE{'S' if len(attendees) > 1 else ''} "
                                "not read (the data format has no people)")
        alarms = sum(1 for sub in component.subcomponents if sub.name.upper() == "VALARM")
        if alarms:
            report.approximated(label, "alarms", "reminders (VALARM) are not read")

    # -- whole-file rules ------------------------------------------------------------------

    def resolve_repeats(self) -> None:
        """RECURRENCE-ID overrides: the first occurrence's replaces the master; others are reported."""
        for uid, when, event, ordinal in self.overrides:
            at = self.by_uid.get(uid)
            if at is None:  # an occurrence sent on its own (an invitation): an event of its own
                self.events.append(event)
                self.ordinals.append(ordinal)
                self.by_uid[uid] = len(self.events) - 1
                continue
            master = self.events[at]
            if when is not None and _day_or_instant(when) == _day_or_instant(_parsed_start(master)):
                event = dict(event)
                event["_label"] = master["_label"]
                if "id" in master:
                    event["id"] = master["id"]
                self.events[at] = event
                self.ordinals[at] = ordinal
            else:
                self.report.skipped(event["_label"], "a changed later occurrence of a repeating event "
                                    "(RECURRENCE-ID): only first occurrences are read")

    def check_floating(self) -> None:
        if not self.floating:
            return
        ids = [label for _, label in self.floating]
        shown = ", ".join(repr(i) for i in ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        ordinal = self.floating[0][0]
        self.problems.insert(0, (
            self.property_line(ordinal, ("DTSTART",)),
            f"event{'s' if len(ids) > 1 else ''} {shown}, field 'start': a floating time "
            "(no TZID, no Z) and the calendar names no zone: run with -R timezone=Area/City, "
            "or add X-WR-TIMEZONE to the calendar"))

    def resolve_relations(self) -> None:
        """RELATED-TO: the UID of another event of the file becomes its id; RELTYPE PARENT (the default)
        and CHILD become the labels "part of" and "has part"."""
        ids = {uid: self.events[at]["id"] for uid, at in self.by_uid.items() if at < len(self.events)}
        for event in self.events:
            links = event.pop("_related_to", None)
            if not links:
                continue
            related: list[Any] = []
            seen = {event["id"]}
            for uid, reltype in links:
                other = ids.get(uid)
                if other is None:
                    self.report.approximated(event["id"], "related",
                                             f"RELATED-TO {self._shorten(uid)!r}: no event of the file has that UID")
                    continue
                if other in seen:
                    continue
                seen.add(other)
                label = _RELTYPE_LABELS.get(reltype)
                related.append(other if label is None else {"id": other, "label": label})
            if related:
                event["related"] = related

    def assign_ids(self) -> None:
        """Ids: ours as written; others a slug of SUMMARY, with a hash of the UID where slugs collide."""
        counts: dict[str, int] = {}
        for event in self.events:
            if "id" not in event:
                base = slug(event["title"]) or "event"
                counts[base] = counts.get(base, 0) + 1
        taken = {event["id"] for event in self.events if "id" in event}
        for event in self.events:
            uid = event.pop("_uid")
            event.pop("_label", None)
            if "id" in event:
                continue
            base = slug(event["title"]) or "event"
            if counts[base] == 1 and base not in taken:
                candidate = base
            else:
                candidate = f"{base[:110]}-{_short_hash(uid or event['title'] + event['start'])}"
            number = 2
            unique = candidate
            while unique in taken:
                unique = f"{candidate}-{number}"
                number += 1
            taken.add(unique)
            event["id"] = unique


_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def _one_line(text: str) -> str:
    """A value shown on one line (a place name, a tag): line breaks become spaces."""
    return _LINE_BREAK.sub(" ", text).strip()


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        return None


def _shown(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _instant(value: _dt.datetime, zone: str | None) -> _dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)  # floating ends compare with floating starts
    return value


def _day_or_instant(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(_dt.timezone.utc)
    return value


def _parsed_start(event: Mapping[str, Any]) -> Any:
    text = event["start"]
    try:
        date = Date.parse(text)
    except DateError:
        return None
    if not date.has_time:
        day = date.first_day()
        return _dt.date(*day)
    if date.offset is None:
        zone = event.get("timezone")
        if zone:
            date = date.in_zone(zone)
        else:
            return _dt.datetime(*date.utc_fields())
    return _dt.datetime(*date.utc_fields(), tzinfo=_dt.timezone.utc)


#: The paragraphs our exporter adds, labelled in the export's locale ("Sources:", "Источники:", "출처:").
_SOURCES_PARAGRAPH = re.compile(r"[^\n:]{1,40}:\n")
_MEDIA_PARAGRAPH = re.compile(r"[^\n:]{1,40}: ")


def _own_description(text: str, component: Any) -> str:
    """The description as our exporter wrote it, without the paragraphs it added (when, media, sources)."""
    paragraphs = text.split("\n\n")[1:]
    if paragraphs and component.get("X-TIMELINE-SOURCE") is not None and _SOURCES_PARAGRAPH.match(paragraphs[-1]):
        paragraphs.pop()
    if paragraphs and component.get("X-TIMELINE-MEDIA") is not None and _MEDIA_PARAGRAPH.match(paragraphs[-1]):
        paragraphs.pop()
    return "\n\n".join(paragraphs)

