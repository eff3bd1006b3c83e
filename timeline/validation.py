"""The rules that span fields or events, in one place.

:func:`timeline.load` applies them to what it reads; call :func:`validate`
yourself on a timeline built in code.  Type and syntax errors are caught
earlier, while reading (:mod:`timeline._builder`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import attrs

from ._records import Era, Event, Location, Media, Source, Translation
from ._relations import label_problem
from .dates import Date
from .errors import InvalidTimelineError
from .problems import Problem
from .rules import check_zone, id_problem, local_time_problem, source_problem, text_problem, type_name
from .suggest import did_you_mean
from .text import MULTILINE_CONTROL_RE, control_problem

__all__ = [
    "MAX_EXTRA_DEPTH",
    "MAX_EXTRA_VALUES",
    "MAX_ORDER",
    "MIN_ORDER",
    "PartialEvent",
    "era_span_problem",
    "extra_problem",
    "find_problems",
    "is_plain_data",
    "order_problem",
    "text_problems",
    "validate",
]

class TimelineFields(Protocol):
    """What the rules read of a :class:`~timeline.Timeline`.

    A protocol rather than the class: ``Timeline``'s editing methods call
    :func:`validate`, so importing ``timeline.model`` here would make the two
    modules import each other (``tests/test_layers.py`` allows no cycle).
    """

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def timezone(self) -> str | None: ...

    @property
    def updated(self) -> Date | None: ...

    @property
    def events(self) -> tuple[Event, ...]: ...

    @property
    def eras(self) -> tuple[Era, ...]: ...


_Checked = TypeVar("_Checked", bound=TimelineFields)


@attrs.frozen(eq=False)
class PartialEvent:
    """What could be read of an event that failed to build.

    The careful builder reports an event's own problems and leaves it out;
    the fields it could read still go through the rules here, so one run
    reports every problem.  A field that could not be read is ``None`` (in
    ``sources`` and ``related``, the unreadable items are ``None``, so the
    others keep their places); ``lat_lon_read`` is false when a coordinate
    was written but could not be read, so the pair rule stays quiet.
    """

    label: str
    id: str | None = None
    start: Date | None = None
    end: Date | None = None
    location: Location | None = None
    media: Media | None = None
    sources: tuple[Source | None, ...] = ()
    related: tuple[str | None, ...] = ()
    lat_lon_read: bool = True


#: Where an event was read from: (file, line), either may be unknown.
Locator = Callable[[Any, str], tuple[str | None, int | None]]


def _no_location(event: Any, field: str) -> tuple[str | None, int | None]:
    return None, None


#: The common shape (http(s), a plain ASCII host, printable rest), accepted
#: without ``urlsplit``: a big timeline checks one URL per source.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a link outputs can offer: not an absolute http(s) URL."""
    return None if is_web_url(url) else f"{url!r} is not an http(s) URL"


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    if _PLAIN_WEB_URL.fullmatch(url):
        return True
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


#: How deep ``extra`` may nest.  Plain data for plugins never needs more, and
#: a limit keeps every consumer (exporters, ``json``) clear of recursion limits.
MAX_EXTRA_DEPTH = 64
#: How many values one event's ``extra`` may hold, counting each use of a YAML
#: alias again: a few lines of aliases can otherwise stand for billions of values.
MAX_EXTRA_VALUES = 100_000


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, _dt.date):
        return "a date (quote it to keep it as text)"
    return type(value).__name__


_SCALARS = (bool,)
#: Python writes no integer of more than 4,300 decimal digits (its default
#: ``sys.get_int_max_str_digits()``); 14,000 bits stay below that (4,215 digits).
#: Hexadecimal or octal input (TOML, YAML) can hold bigger ones, which every
#: exporter writing the number would then fail on.
MAX_INT_BITS = 14_000
_extra_control = MULTILINE_CONTROL_RE.search

#: The range of an event's ``order``: plenty for ranking one day's events,
#: and small enough for every format (TOML, JavaScript) to hold exactly.
MIN_ORDER = -1000
MAX_ORDER = 1000


def order_problem(value: Any) -> str | None:
    """Why ``value`` cannot be an event's ``order``, or ``None``."""
    if type(value) is int and MIN_ORDER <= value <= MAX_ORDER:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value} is not between {MIN_ORDER} and {MAX_ORDER}"
    return f"expected a whole number between {MIN_ORDER} and {MAX_ORDER}, got {_kind(value)}"


def is_plain_data(value: Any) -> bool:
    """Whether ``value`` is plain JSON data within the limits of ``extra`` (see :func:`extra_problem`).

    The quick yes/no that well-formed input takes; iterative, so deep or
    aliased input costs bounded time and never hits the recursion limit.
    """
    stack: list[tuple[int, Any]] = [(0, value)]
    pop, push = stack.pop, stack.append
    seen = 0
    while stack:
        depth, item = pop()
        seen += 1
        if seen > MAX_EXTRA_VALUES or depth > MAX_EXTRA_DEPTH:
            return False
        kind = type(item)
        if kind is str:
            if _extra_control(item):
                return False
            continue
        if item is None or kind in _SCALARS:
            continue
        if kind is int:
            if item.bit_length() > MAX_INT_BITS:
                return False
            continue
        if kind is float:
            if not math.isfinite(item):
                return False
        elif kind is dict or kind is list or isinstance(item, (Mapping, list, tuple)):
            depth += 1
            if isinstance(item, Mapping):
                for key, child in item.items():
                    if type(key) is not str or _extra_control(key):
                        return False
                    push((depth, child))
            else:
                for child in item:
                    push((depth, child))
        else:
            return False
    return True


def extra_problem(extra: Mapping[str, Any]) -> tuple[tuple[str | int, ...], str] | None:
    """The first value of ``extra`` that is not plain JSON data: (path inside ``extra``, message).

    Plain data is text, finite numbers, true/false, null, lists and mappings
    with text keys, within :data:`MAX_EXTRA_DEPTH` and :data:`MAX_EXTRA_VALUES`.
    The walk is iterative and stops at the first problem, so hostile input
    (deep nesting, alias bombs) costs bounded time and no recursion.
    """
    if is_plain_data(extra):
        return None
    allowed = "extra takes text, numbers, true/false, null, lists and mappings"
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), extra)]
    seen = 0
    while stack:
        path, value = stack.pop()
        seen += 1
        if seen > MAX_EXTRA_VALUES:
            return (), f"holds more than {MAX_EXTRA_VALUES:,} values (counting each use of a YAML alias)"
        if len(path) > MAX_EXTRA_DEPTH:
            return path[:1], f"is nested more than {MAX_EXTRA_DEPTH} levels deep"
        if isinstance(value, str):
            message = control_problem(value, multiline=True)
            if message is not None:
                return path, message
            continue
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int):
            if value.bit_length() > MAX_INT_BITS:
                return path, (
                    f"holds a number of about {int(value.bit_length() * 0.30103):,} digits; numbers in extra "
                    f"may have at most {int(MAX_INT_BITS * 0.30103):,} (quote it to keep it as text)"
                )
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                shown = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
                return path, f"holds {shown}, which JSON cannot represent; numbers in extra must be finite"
            continue
        if isinstance(value, Mapping):
            items = list(value.items())
            for key, _ in items:
                if not isinstance(key, str):
                    return path + (str(key),), f"has a key that is {_kind(key)}, not text; quote the key"
                message = control_problem(key, multiline=True)
                if message is not None:
                    return path + (key,), f"has a key that {message}"
            stack.extend((path + (key,), item) for key, item in reversed(items))
        elif isinstance(value, (list, tuple)):
            stack.extend((path + (i,), item) for i, item in reversed(list(enumerate(value))))
        else:
            return path, f"holds {_kind(value)}; {allowed}"
    return None


def _ends_before_start(start: Date, end: Date) -> bool:
    if start.has_time and end.has_time and start.offset is not None and end.offset is not None:
        return end.utc_fields() < start.utc_fields()
    return end.last_day() < start.first_day()


def _span_problem(start: Date, end: Date | None) -> str | None:
    if end is not None and _ends_before_start(start, end):
        return f"ends ({end.isoformat()}) before it starts ({start.isoformat()})"
    return None


def interval_problem(start: Date, end: Date | None) -> str | None:
    """Why an interval written in ``start`` (``"1953/1950"``) is the wrong way round, or ``None``."""
    message = _span_problem(start, end)
    return None if message is None else f"the interval {message}"


def era_span_problem(start: Date, end: Date | None) -> str | None:
    """Why an era's ``end`` is wrong (it ends before it starts), or ``None``."""
    return _span_problem(start, end)


def _event_problems(event: Event | PartialEvent) -> Iterable[tuple[str, str]]:
    """The rules on one event's readable fields that the reading of each field cannot apply."""
    if isinstance(event.start, Date) and (event.end is None or isinstance(event.end, Date)):
        message = _span_problem(event.start, event.end)
        if message:
            yield "end", message
    if isinstance(event.media, Media) and isinstance(event.media.url, str):
        message = url_problem(event.media.url)
        if message:
            yield "media.url", message
    for i, source in enumerate(event.sources):
        if isinstance(source, Source) and isinstance(source.url, str):
            message = url_problem(source.url)
            if message:
                yield f"sources[{i}].url", message
    if isinstance(event.location, Location):
        lat, lon = event.location.lat, event.location.lon
        if (lat is None) != (lon is None) and (not isinstance(event, PartialEvent) or event.lat_lon_read):
            yield "location", "give both 'lat' and 'lon', or neither"
        if _is_number(lat) and not -90 <= lat <= 90:  # type: ignore[operator]
            yield "location.lat", f"{lat} is not a latitude between -90 and 90"
        if _is_number(lon) and not -180 <= lon <= 180:  # type: ignore[operator]
            yield "location.lon", f"{lon} is not a longitude between -180 and 180"
    seen: dict[str, int] = {}
    for i, other in enumerate(event.related):
        if not isinstance(other, str):
            continue
        if other == event.id:
            yield f"related[{i}]", "an event cannot be related to itself"
        elif other in seen:
            yield f"related[{i}]", f"{other!r} is already listed, as related[{seen[other]}]"
        else:
            seen[other] = i


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def find_problems(
    events: Iterable[Event],
    eras: Iterable[Era] = (),
    *,
    locate: Locator = _no_location,
    also_known: Iterable[str] = (),
    partial: Iterable[PartialEvent] = (),
) -> list[Problem]:
    """Every rule broken by ``events`` and ``eras``, in input order.

    ``also_known`` lists ids of events that exist but were left out (because
    they had problems of their own): links to them are not reported.
    ``partial`` holds what could be read of those events: their readable
    fields go through the same rules (a bad URL, a link to no event), so
    their problems are not held back until the others are fixed.
    """
    events = list(events)
    problems: list[Problem] = []

    def report(event: Event | PartialEvent, field: str, message: str) -> None:
        file, line = locate(event, field)
        who = event.label if isinstance(event, PartialEvent) else f"event {event.id!r}"
        problems.append(Problem(message, file=file, line=line, event=who, field=field))

    excused = set(also_known)
    first_seen: dict[str, Event] = {}
    for event in events:
        earlier = first_seen.get(event.id)
        if earlier is not None:
            file, line = locate(earlier, "id")
            where = f" ({file}:{line})" if file and line else f" ({file})" if file else ""
            report(event, "id", f"duplicate id: {event.id!r} is already used{where}")
        else:
            first_seen[event.id] = event
            if event.id in excused:
                # The other event was left out for problems of its own; the clash is a mistake too.
                report(event, "id", f"duplicate id: {event.id!r} is also used by an event with other problems")
        for field, message in _event_problems(event):
            report(event, field, message)
    partial = list(partial)
    for left_out in partial:
        for field, message in _event_problems(left_out):
            report(left_out, field, message)
    known = first_seen.keys()
    everything: list[Event | PartialEvent] = [*events, *partial]
    for linking in everything:
        for i, other in enumerate(linking.related):
            if isinstance(other, str) and other not in known and other != linking.id and other not in excused:
                report(linking, f"related[{i}]", f"no event has the id {other!r}{did_you_mean(other, known)}")
    for era in eras:
        era_problem = _span_problem(era.start, era.end)
        if era_problem:
            problems.append(Problem(era_problem, event=f"era {era.title!r}", field="end"))
    return problems


def _event_texts(event: Event) -> Iterable[tuple[str, str | None, bool]]:
    """(field, value, multiline) for every text field of ``event`` (``extra`` aside)."""
    yield "id", event.id, False
    yield "title", event.title, False
    yield "description", event.description, True
    yield "timezone", event.timezone, False
    yield "group", event.group, False
    for i, tag in enumerate(event.tags):
        yield f"tags[{i}]", tag, False
    for i, other in enumerate(event.related):
        yield f"related[{i}]", other, False
        label = event.relation_labels.get(other) if isinstance(event.relation_labels, Mapping) else None
        if label is not None:
            yield f"related[{i}].label", label, False
    if event.location is not None:
        yield "location.name", event.location.name, False
    if event.media is not None:
        for key in ("url", "caption", "credit"):
            yield f"media.{key}", getattr(event.media, key), False
    for i, source in enumerate(event.sources):
        for key in ("title", "publisher", "url"):
            yield f"sources[{i}].{key}", getattr(source, key), False


def text_problems(timeline: TimelineFields) -> list[Problem]:
    """A problem for each text field of ``timeline`` that holds a control character (see :mod:`timeline.text`).

    Loading refuses them as it reads; this is the same rule for a timeline built in code.
    """
    problems: list[Problem] = []

    def check(owner: str, field: str, value: str | None, multiline: bool) -> None:
        if isinstance(value, str):
            message = control_problem(value, multiline=multiline)
            if message is not None:
                problems.append(Problem(message, event=owner, field=field))

    for key, multiline in (("id", False), ("title", False), ("description", True), ("timezone", False)):
        check("timeline", key, getattr(timeline, key), multiline)
    for era in timeline.eras:
        check(f"era {era.title!r}", "title", era.title, False)
        check(f"era {era.title!r}", "description", era.description, True)
    for event in timeline.events:
        for field, value, multiline in _event_texts(event):
            check(f"event {event.id!r}", field, value, multiline)
    return problems


#: What validate suggests for a time of day that is not an instant yet.
_LOCAL_TIME_HINT = "resolve it with Date.in_zone(zone), or give the date an offset"


def _date_problem(value: Any, *, required: bool = False) -> tuple[str, str | None] | None:
    """Why ``value`` cannot be a date of a timeline built in code."""
    if value is None:
        return ("is required", None) if required else None
    if not isinstance(value, Date):
        return f"expected a Date, got {type_name(value)}", "build dates with Date.parse"
    local = local_time_problem(value)
    if local is not None:
        return local, _LOCAL_TIME_HINT
    return None


def _zone_problem(value: Any) -> tuple[str, str | None] | None:
    found = text_problem(value)
    if found is not None or value is None:
        return found
    reason = check_zone(value)
    return None if reason is None else (reason, "use an IANA name such as Asia/Pyongyang or Europe/Moscow")


def _number_problem(value: Any) -> tuple[str, str | None] | None:
    if value is None or _is_number(value):
        return None
    return f"expected a number, got {type_name(value)}", None


def _event_form(event: Event) -> Iterable[tuple[str, tuple[str, str | None] | None]]:
    """(field, problem or None) for each value of ``event``: the rules reading a file applies."""
    yield "id", id_problem(event.id)
    yield "title", text_problem(event.title, required=True)
    yield "start", _date_problem(event.start, required=True)
    yield "end", _date_problem(event.end)
    if not isinstance(event.ongoing, bool):
        yield "end", (f"ongoing must be true or false, got {type_name(event.ongoing)}", None)
    elif event.ongoing and event.end is not None:
        yield "end", ("an ongoing event has no end date", "give end=None with ongoing=True, or ongoing=False")
    yield "timezone", _zone_problem(event.timezone)
    message = order_problem(event.order)
    yield "order", None if message is None else (message, None)
    yield "description", text_problem(event.description, multiline=True, nullable=False)
    for i, tag in enumerate(event.tags):
        yield f"tags[{i}]", text_problem(tag, required=True)
    yield "group", text_problem(event.group)
    for i, other in enumerate(event.related):
        yield f"related[{i}]", text_problem(other, required=True)
    yield from _label_form(event)
    location = event.location
    if location is not None:
        if not isinstance(location, Location):
            yield "location", (f"expected a Location, got {type_name(location)}", None)
        else:
            yield "location.name", text_problem(location.name)
            yield "location.lat", _number_problem(location.lat)
            yield "location.lon", _number_problem(location.lon)
    media = event.media
    if media is not None:
        if not isinstance(media, Media):
            yield "media", (f"expected a Media, got {type_name(media)}", None)
        else:
            yield "media.url", text_problem(media.url, required=True)
            yield "media.caption", text_problem(media.caption)
            yield "media.credit", text_problem(media.credit)
    for i, source in enumerate(event.sources):
        where = f"sources[{i}]"
        if not isinstance(source, Source):
            yield where, (f"expected a Source, got {type_name(source)}", None)
            continue
        for key in ("title", "publisher", "url"):
            yield f"{where}.{key}", text_problem(getattr(source, key))
        needs = source_problem(source.title, source.url)
        yield where, None if needs is None else (needs, None)
        yield f"{where}.date", _date_problem(source.date)
    if not isinstance(event.extra, Mapping):
        yield "extra", (f"expected a mapping, got {type_name(event.extra)}", None)
    else:
        found = extra_problem(event.extra)
        if found is not None:
            path, message = found
            field = "extra" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            yield field, (message, None)
    yield from translation_form(event.translations)


def translation_form(translations: Any) -> Iterable[tuple[str, tuple[str, str | None] | None]]:
    """(field, problem or None) for each value of ``translations``: the rules reading a file applies."""
    from ._tags import language_tag, language_tag_problem

    if not isinstance(translations, Mapping):
        yield "translations", (f"expected a mapping, got {type_name(translations)}", None)
        return
    for tag, item in translations.items():
        where = f"translations.{tag}"
        found = language_tag_problem(tag)
        if found is not None:
            yield where, found
            continue
        canonical = language_tag(tag)
        if canonical != tag:
            yield where, (f"the language tag {tag!r} is written {canonical!r}", "use the canonical case")
        if not isinstance(item, Translation):
            yield where, (f"expected a Translation, got {type_name(item)}", None)
            continue
        if item.title is None and item.description is None:
            yield where, ("a translation needs a title or a description", None)
        for field, multiline in (("title", False), ("description", True)):
            value = getattr(item, field)
            if isinstance(value, str) and not value.strip():
                yield f"{where}.{field}", ("must not be empty", "leave it None to show the original")
            else:
                yield f"{where}.{field}", text_problem(value, multiline=multiline)


def _label_form(event: Event) -> Iterable[tuple[str, tuple[str, str | None] | None]]:
    """The ``relation_labels`` of an event built in code: labels of listed ids, each a valid label."""
    labels = event.relation_labels
    if not isinstance(labels, Mapping):
        yield "relation_labels", (f"expected a mapping, got {type_name(labels)}", None)
        return
    listed = {other for other in event.related if isinstance(other, str)}
    for other in labels:
        if other not in listed:
            yield "relation_labels", (
                f"a label for {other!r}, which is not in related",
                "add the id to related, or remove its label",
            )
    for i, other in enumerate(event.related):
        if not isinstance(other, str) or other not in labels:
            continue
        label = labels[other]
        found = text_problem(label, required=True)
        if found is None:
            message = label_problem(label)
            found = None if message is None else (message, None)
        yield f"related[{i}].label", found


def _form_problems(timeline: TimelineFields) -> Iterable[Problem]:
    """Every value of ``timeline`` that loading a file would refuse (types, ids, text, dates, zones)."""

    def problem(owner: str, field: str, found: tuple[str, str | None] | None) -> Iterable[Problem]:
        if found is not None:
            yield Problem(found[0], event=owner, field=field, hint=found[1])

    yield from problem("timeline", "id", id_problem(timeline.id))
    yield from problem("timeline", "title", text_problem(timeline.title, required=True))
    yield from problem("timeline", "description", text_problem(timeline.description, multiline=True, nullable=False))
    yield from problem("timeline", "timezone", _zone_problem(timeline.timezone))
    yield from problem("timeline", "updated", _date_problem(timeline.updated))
    for field, found in translation_form(getattr(timeline, "translations", {})):
        yield from problem("timeline", field, found)
    for index, era in enumerate(timeline.eras):
        if not isinstance(era, Era):
            yield Problem(f"expected an Era, got {type_name(era)}", event=f"era #{index + 1}")
            continue
        owner = f"era {era.title!r}" if isinstance(era.title, str) and era.title else f"era #{index + 1}"
        yield from problem(owner, "title", text_problem(era.title, required=True))
        yield from problem(owner, "start", _date_problem(era.start, required=True))
        yield from problem(owner, "end", _date_problem(era.end))
        yield from problem(owner, "description", text_problem(era.description, multiline=True, nullable=False))
        for field, found in translation_form(era.translations):
            yield from problem(owner, field, found)
    for index, event in enumerate(timeline.events):
        if not isinstance(event, Event):
            yield Problem(f"expected an Event, got {type_name(event)}", event=f"event #{index + 1}")
            continue
        owner = f"event {event.id!r}" if isinstance(event.id, str) and event.id else f"event #{index + 1}"
        for field, found in _event_form(event):
            yield from problem(owner, field, found)


def validate(timeline: _Checked) -> _Checked:
    """Return ``timeline`` unchanged, or raise :class:`InvalidTimelineError` listing every problem.

    It applies every rule :func:`timeline.load` applies to a file: first the
    rules on each value (ids are slugs, titles non-empty text, text free of
    control characters and lone surrogates, dates valid and, with a time of
    day, resolved to an instant, zones known, sources with a title or a url,
    ``order`` in range, ``extra`` plain data), then, on the values that pass,
    the rules across fields and events (end before start, http(s) URLs,
    coordinates, duplicate ids, links to no event).
    """
    problems = list(_form_problems(timeline))
    # The rules across fields look only at values of the right type, so a
    # value already reported above is not reported again through them.
    events = [e for e in timeline.events if isinstance(e, Event) and isinstance(e.id, str)]
    eras = [
        e
        for e in timeline.eras
        if isinstance(e, Era) and isinstance(e.start, Date) and (e.end is None or isinstance(e.end, Date))
    ]
    problems.extend(find_problems(events, eras))
    if problems:
        raise InvalidTimelineError(problems)
    return timeline
