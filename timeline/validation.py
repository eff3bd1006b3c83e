"""The rules that span fields or events, in one place.

:func:`timeline.load` applies them to what it reads; call :func:`validate`
yourself on a timeline built in code.  Type and syntax errors are caught
earlier, while reading (:mod:`timeline.schema`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .dates import Date
from .errors import InvalidTimelineError
from .model import Era, Event, Timeline
from .problems import Problem
from .suggest import did_you_mean
from .text import MULTILINE_CONTROL_RE, control_problem

__all__ = [
    "MAX_EXTRA_DEPTH",
    "MAX_EXTRA_VALUES",
    "MAX_ORDER",
    "MIN_ORDER",
    "era_span_problem",
    "extra_problem",
    "find_problems",
    "is_plain_data",
    "order_problem",
    "text_problems",
    "validate",
]

#: Where an event was read from: (file, line), either may be unknown.
Locator = Callable[[Event, str], tuple[str | None, int | None]]


def _no_location(event: Event, field: str) -> tuple[str | None, int | None]:
    return None, None


#: The common shape (http(s), a plain ASCII host, printable rest), accepted
#: without ``urlsplit``: a big timeline checks one URL per source.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?")


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


def _event_problems(event: Event) -> Iterable[tuple[str, str]]:
    message = _span_problem(event.start, event.end)
    if message:
        yield "end", message
    if event.order:
        order_message = order_problem(event.order)
        if order_message:
            yield "order", order_message
    if event.media is not None and not is_web_url(event.media.url):
        yield "media.url", f"{event.media.url!r} is not an http(s) URL"
    for i, source in enumerate(event.sources):
        if source.url is not None and not is_web_url(source.url):
            yield f"sources[{i}].url", f"{source.url!r} is not an http(s) URL"
    if event.location is not None:
        lat, lon = event.location.lat, event.location.lon
        if (lat is None) != (lon is None):
            yield "location", "give both 'lat' and 'lon', or neither"
        if lat is not None and not -90 <= lat <= 90:
            yield "location.lat", f"{lat} is not a latitude between -90 and 90"
        if lon is not None and not -180 <= lon <= 180:
            yield "location.lon", f"{lon} is not a longitude between -180 and 180"
    if event.id in event.related:
        yield "related", "an event cannot be related to itself"


def find_problems(
    events: Iterable[Event],
    eras: Iterable[Era] = (),
    *,
    locate: Locator = _no_location,
    also_known: Iterable[str] = (),
) -> list[Problem]:
    """Every rule broken by ``events`` and ``eras``, in input order.

    ``also_known`` lists ids of events that exist but were left out (because
    they had problems of their own): links to them are not reported.
    """
    events = list(events)
    problems: list[Problem] = []

    def report(event: Event, field: str, message: str) -> None:
        file, line = locate(event, field)
        problems.append(Problem(message, file=file, line=line, event=f"event {event.id!r}", field=field))

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
    known = first_seen.keys()
    for event in events:
        for i, other in enumerate(event.related):
            if other not in known and other != event.id and other not in excused:
                report(event, f"related[{i}]", f"no event has the id {other!r}{did_you_mean(other, known)}")
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
    if event.location is not None:
        yield "location.name", event.location.name, False
    if event.media is not None:
        for key in ("url", "caption", "credit"):
            yield f"media.{key}", getattr(event.media, key), False
    for i, source in enumerate(event.sources):
        for key in ("title", "publisher", "url"):
            yield f"sources[{i}].{key}", getattr(source, key), False


def text_problems(timeline: Timeline) -> list[Problem]:
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


def validate(timeline: Timeline) -> Timeline:
    """Return ``timeline`` unchanged, or raise :class:`InvalidTimelineError` listing every problem."""
    problems = find_problems(timeline.events, timeline.eras)
    problems.extend(text_problems(timeline))
    for event in timeline.events:
        found = extra_problem(event.extra)
        if found is not None:
            path, message = found
            field = "extra" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            problems.append(Problem(message, event=f"event {event.id!r}", field=field))
    if problems:
        raise InvalidTimelineError(problems)
    return timeline
