"""The rules that span fields or events, in one place.

:func:`timeline.load` applies them to what it reads; call :func:`validate`
yourself on a timeline built in code.  Type and syntax errors are caught
earlier, while reading (:mod:`timeline.schema`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from .dates import Date
from .errors import InvalidTimelineError
from .model import Era, Event, Timeline
from .problems import Problem
from .suggest import did_you_mean

__all__ = ["find_problems", "validate"]

#: Where an event was read from: (file, line), either may be unknown.
Locator = Callable[[Event, str], tuple[str | None, int | None]]


def _no_location(event: Event, field: str) -> tuple[str | None, int | None]:
    return None, None


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _ends_before_start(start: Date, end: Date) -> bool:
    if start.has_time and end.has_time and start.offset is not None and end.offset is not None:
        return end.utc_fields() < start.utc_fields()
    return end.last_day() < start.first_day()


def _span_problem(start: Date, end: Date | None) -> str | None:
    if end is not None and _ends_before_start(start, end):
        return f"ends ({end.isoformat()}) before it starts ({start.isoformat()})"
    return None


def _event_problems(event: Event) -> Iterable[tuple[str, str]]:
    message = _span_problem(event.start, event.end)
    if message:
        yield "end", message
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

    first_seen: dict[str, Event] = {}
    for event in events:
        earlier = first_seen.get(event.id)
        if earlier is not None:
            file, line = locate(earlier, "id")
            where = f" ({file}:{line})" if file and line else f" ({file})" if file else ""
            report(event, "id", f"duplicate id: {event.id!r} is already used{where}")
        else:
            first_seen[event.id] = event
        for field, message in _event_problems(event):
            report(event, field, message)
    known = first_seen.keys()
    excused = set(also_known)
    for event in events:
        for i, other in enumerate(event.related):
            if other not in known and other != event.id and other not in excused:
                report(event, f"related[{i}]", f"no event has the id {other!r}{did_you_mean(other, known)}")
    for era in eras:
        era_problem = _span_problem(era.start, era.end)
        if era_problem:
            problems.append(Problem(era_problem, event=f"era {era.title!r}", field="end"))
    return problems


def validate(timeline: Timeline) -> Timeline:
    """Return ``timeline`` unchanged, or raise :class:`InvalidTimelineError` listing every problem."""
    problems = find_problems(timeline.events, timeline.eras)
    if problems:
        raise InvalidTimelineError(problems)
    return timeline
