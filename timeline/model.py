"""The data model: a :class:`Timeline` of :class:`Event` objects and eras.

All classes are frozen: a loaded timeline is a value, safe to share between
exporters and threads.  Construction is cheap: it checks only the types of
the fields (an :class:`~timeline.ArgumentTypeError` names a wrong one), with
``type(x) is T`` tests that a million-event load does not notice.  The rules
that span fields or events live in :mod:`timeline.validation`, which
:func:`timeline.load` applies, and which the editing methods of
:class:`Timeline` (``with_events``, ``replacing``, ``without``) apply too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from .dates import Date
from .errors import EventNotFoundError, wrong_type

__all__ = ["Era", "Event", "Location", "Media", "Source", "Timeline"]


#: Shared by every event without ``extra``: one object instead of a million.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    # Identity and exact-type tests first: isinstance against the Mapping ABC
    # costs more than the rest of building an event.
    if value is _EMPTY or value is None:
        return _EMPTY
    kind = type(value)
    if kind is dict:
        return MappingProxyType(dict(value)) if value else _EMPTY
    if kind is MappingProxyType:
        return value if value else _EMPTY
    if not isinstance(value, Mapping):
        raise wrong_type("Event extra", "a mapping (dict) of plain data", value)
    return MappingProxyType(dict(value)) if value else _EMPTY


def _strings(value: Iterable[str], field: str) -> tuple[str, ...]:
    """A tuple-of-text field: a tuple is kept as it is (the loader's case), a list copied."""
    if type(value) is tuple:
        return value
    if type(value) is list:
        items = tuple(value)
    elif isinstance(value, str) or not isinstance(value, Iterable):
        hint = f"for one, write {field}=[{value!r}]" if isinstance(value, str) else None
        raise wrong_type(f"Event {field}", "a list or tuple of str", value, hint)
    else:
        items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise wrong_type(f"each of Event {field}", "a str", item)
    return items


def _tags(value: Iterable[str]) -> tuple[str, ...]:
    return value if type(value) is tuple else _strings(value, "tags")


def _related(value: Iterable[str]) -> tuple[str, ...]:
    return value if type(value) is tuple else _strings(value, "related")


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    if type(value) is tuple:
        return value
    if type(value) is list:
        return tuple(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise wrong_type("Event sources", "a list or tuple of Source", value)
    return tuple(value)


@attrs.frozen
class Location:
    """Where an event happened: a name, and coordinates when known."""

    name: str | None = None
    lat: float | None = None
    lon: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.name is not None and not isinstance(self.name, str):
            raise wrong_type("Location name", "a str or None", self.name)
        for field, value in (("lat", self.lat), ("lon", self.lon)):
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
                raise wrong_type(f"Location {field}", "a number (degrees) or None", value)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@attrs.frozen
class Media:
    """A picture, video or page illustrating an event (its URL, caption and credit)."""

    url: str
    caption: str | None = None
    credit: str | None = None

    def __attrs_post_init__(self) -> None:
        if (
            type(self.url) is not str
            or (self.caption is not None and type(self.caption) is not str)
            or (self.credit is not None and type(self.credit) is not str)
        ):
            _check_texts("Media", (("url", self.url, False), ("caption", self.caption, True),
                                   ("credit", self.credit, True)))


@attrs.frozen
class Source:
    """Where a fact comes from. At least a title or a URL is given."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: Date | None = None

    def __attrs_post_init__(self) -> None:
        if (
            (self.title is not None and type(self.title) is not str)
            or (self.publisher is not None and type(self.publisher) is not str)
            or (self.url is not None and type(self.url) is not str)
            or (self.date is not None and type(self.date) is not Date)
        ):
            if self.date is not None and not isinstance(self.date, Date):
                raise wrong_type("Source date", "a Date or None", self.date, _parse_hint(self.date))
            _check_texts("Source", (("title", self.title, True), ("publisher", self.publisher, True),
                                    ("url", self.url, True)))


@attrs.frozen
class Event:
    """One dated happening.

    ``end`` is ``None`` for a point in time, and also for an event that is
    still going on, which has ``ongoing=True`` (written ``end: ..`` in data).
    ``timezone`` is the event's own zone as written; local times in ``start``
    and ``end`` are already resolved against it (or the timeline's zone) by
    the loader, so exporters read offsets straight from the dates.
    """

    id: str
    title: str
    start: Date
    end: Date | None = None
    ongoing: bool = False
    timezone: str | None = None
    description: str = ""
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tags)
    group: str | None = None
    location: Location | None = None
    media: Media | None = None
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources)
    related: tuple[str, ...] = attrs.field(default=(), converter=_related)
    extra: Mapping[str, Any] = attrs.field(default=_EMPTY, converter=_frozen_mapping, hash=False)
    #: Rank among the events that start on the same calendar day (as
    #: written): lower first, before the time of day is looked at.
    order: int = 0

    def __attrs_post_init__(self) -> None:
        # One expression of identity tests: the common case costs well under
        # a microsecond; anything unusual (a subclass, a wrong type) is sorted
        # out by _check_event.
        end = self.end
        if (
            type(self.id) is not str
            or type(self.title) is not str
            or type(self.start) is not Date
            or (end is not None and type(end) is not Date)
            or type(self.ongoing) is not bool
            or type(self.description) is not str
            or (self.timezone is not None and type(self.timezone) is not str)
            or (self.group is not None and type(self.group) is not str)
            or (self.location is not None and type(self.location) is not Location)
            or (self.media is not None and type(self.media) is not Media)
        ):
            _check_event(self)
        for source in self.sources:
            if type(source) is not Source:
                _check_event(self)

    def sort_key(self) -> tuple[int | str, ...]:
        """Chronological order, the same on every machine.

        (year, month or 0, day or 0) of the start as written, then
        ``order``, then the time of day (a date without a time first, times
        by instant), then ``id``.
        """
        year, month, day, timed, seconds = self.start.sort_key()
        return (year, month, day, self.order, timed, seconds, self.id)


@attrs.frozen
class Era:
    """A titled period shown behind events (a war, a presidency, a policy era)."""

    title: str
    start: Date
    end: Date | None = None
    ongoing: bool = False
    description: str = ""

    def __attrs_post_init__(self) -> None:
        _check_texts("Era", (("title", self.title, False), ("description", self.description, False)))
        _check_span("Era", self.start, self.end, self.ongoing)


def _parse_hint(value: Any) -> str:
    return f"build dates with Date.parse({value if isinstance(value, str) else '2024-06-19'!r})"


def _check_texts(owner: str, fields: Iterable[tuple[str, Any, bool]]) -> None:
    for field, value, optional in fields:
        if not isinstance(value, str) and not (optional and value is None):
            raise wrong_type(f"{owner} {field}", "a str or None" if optional else "a str", value)


def _check_span(owner: str, start: Any, end: Any, ongoing: Any) -> None:
    if not isinstance(start, Date):
        raise wrong_type(f"{owner} start", "a Date", start, _parse_hint(start))
    if end is not None and not isinstance(end, Date):
        raise wrong_type(f"{owner} end", "a Date or None", end, _parse_hint(end))
    if not isinstance(ongoing, bool):
        raise wrong_type(f"{owner} ongoing", "True or False", ongoing)


def _check_event(event: Event) -> None:
    """Raise for the first field of the wrong type; subclasses of the right types pass."""
    _check_texts("Event", (("id", event.id, False), ("title", event.title, False)))
    _check_span("Event", event.start, event.end, event.ongoing)
    _check_texts("Event", (("description", event.description, False), ("timezone", event.timezone, True),
                           ("group", event.group, True)))
    for field, value, kind in (("location", event.location, Location), ("media", event.media, Media)):
        if value is not None and not isinstance(value, kind):
            raise wrong_type(f"Event {field}", f"a {kind.__name__} or None", value)
    for source in event.sources:
        if not isinstance(source, Source):
            raise wrong_type("each of Event sources", "a Source", source)


def _order(event: Event) -> tuple[int | str, ...]:
    """:meth:`Event.sort_key`, inlined for dates without a time (most of them)."""
    start = event.start
    if start.hour is None:
        return (start.year, start.month or 0, start.day or 0, event.order, 0, 0, event.id)
    return event.sort_key()


def _sorted_events(events: Iterable[Event]) -> tuple[Event, ...]:
    try:
        return tuple(sorted(events, key=_order))
    except (AttributeError, TypeError):
        _check_items("events", events, Event)
        raise


def _sorted_eras(eras: Iterable[Era]) -> tuple[Era, ...]:
    try:
        return tuple(sorted(eras, key=lambda era: (era.start.sort_key(), era.title)))
    except (AttributeError, TypeError):
        _check_items("eras", eras, Era)
        raise


def _check_items(field: str, items: Any, kind: type) -> None:
    """Raise if ``items`` is not an iterable of ``kind`` (called once sorting has failed)."""
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
        raise wrong_type(f"Timeline {field}", f"a list or tuple of {kind.__name__}", items)
    for item in items:
        if not isinstance(item, kind):
            raise wrong_type(f"each of Timeline {field}", f"an {kind.__name__}", item)


@attrs.frozen
class Timeline:
    """A story's events, kept in chronological order, with its eras.

    ``updated`` says when the data was last revised; exporters use it wherever
    a format wants a timestamp, so the same data always gives the same bytes.
    Iterating a timeline yields its events in order.
    """

    id: str
    title: str
    events: tuple[Event, ...] = attrs.field(default=(), converter=_sorted_events)
    eras: tuple[Era, ...] = attrs.field(default=(), converter=_sorted_eras)
    timezone: str | None = None
    description: str = ""
    updated: Date | None = None

    def __attrs_post_init__(self) -> None:
        _check_texts("Timeline", (("id", self.id, False), ("title", self.title, False),
                                  ("timezone", self.timezone, True), ("description", self.description, False)))
        if self.updated is not None and not isinstance(self.updated, Date):
            raise wrong_type("Timeline updated", "a Date or None", self.updated, _parse_hint(self.updated))

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def get(self, event_id: str) -> Event:
        """The event with this id.

        Raises :class:`~timeline.EventNotFoundError` (a ``KeyError``) naming
        the id and the ids most like it if there is none.
        """
        if not isinstance(event_id, str):
            raise wrong_type("Timeline.get(event_id)", "a str", event_id)
        for event in self.events:
            if event.id == event_id:
                return event
        raise EventNotFoundError(event_id, (event.id for event in self.events), timeline_id=self.id)

    # --- editing: each returns a new, validated timeline --------------------

    def with_events(self, *events: Event) -> Timeline:
        """A copy with ``events`` added, in their place in the order, validated.

        Raises :class:`~timeline.InvalidTimelineError` listing every problem of
        the result (an id already used, a ``related`` id no event has, ...).
        """
        for event in events:
            if not isinstance(event, Event):
                raise wrong_type("Timeline.with_events(*events): each event", "an Event", event)
        return self._validated(attrs.evolve(self, events=self.events + events))

    def replacing(self, *events: Event) -> Timeline:
        """A copy where each of ``events`` replaces the event with its id, validated.

        Raises :class:`~timeline.EventNotFoundError` if no event has one of the
        ids (add new events with :meth:`with_events`), and
        :class:`~timeline.InvalidTimelineError` if the result has problems.
        """
        new: dict[str, Event] = {}
        for event in events:
            if not isinstance(event, Event):
                raise wrong_type("Timeline.replacing(*events): each event", "an Event", event)
            new[event.id] = event
        known = {event.id for event in self.events}
        for event_id in new:
            if event_id not in known:
                raise EventNotFoundError(event_id, known, timeline_id=self.id)
        # A duplicated id (only in a timeline built in code) is replaced once; validate reports the rest.
        kept = [new.pop(event.id) if event.id in new else event for event in self.events]
        return self._validated(attrs.evolve(self, events=kept))

    def without(self, *event_ids: str) -> Timeline:
        """A copy without the events with these ids, validated.

        Links to them are dropped from the ``related`` of the events that
        stay.  Raises :class:`~timeline.EventNotFoundError` if no event has
        one of the ids.
        """
        gone: set[str] = set()
        for event_id in event_ids:
            if not isinstance(event_id, str):
                hint = "pass ids, e.g. without(event.id)" if isinstance(event_id, Event) else None
                raise wrong_type("Timeline.without(*event_ids): each id", "a str", event_id, hint)
            gone.add(event_id)
        known = {event.id for event in self.events}
        for event_id in gone:
            if event_id not in known:
                raise EventNotFoundError(event_id, known, timeline_id=self.id)
        kept = [
            event if gone.isdisjoint(event.related)
            else attrs.evolve(event, related=tuple(r for r in event.related if r not in gone))
            for event in self.events
            if event.id not in gone
        ]
        return self._validated(attrs.evolve(self, events=kept))

    def _validated(self, changed: Timeline) -> Timeline:
        from .validation import validate

        return validate(changed)

    def filter(
        self,
        *,
        tags: Sequence[str] = (),
        groups: Sequence[str] = (),
        since: Date | None = None,
        until: Date | None = None,
    ) -> Timeline:
        """A timeline of the events matching every criterion given.

        ``tags`` keeps events with any of the tags, ``groups`` events in any of
        the groups.  ``since``/``until`` keep the events and the eras whose
        span overlaps the period from the start of ``since`` to the end of
        ``until``, each date covering what it names: ``since=2022`` keeps
        everything from 1 January 2022, ``until=2024-06-19`` the whole of that
        day.  Dates are compared on the timeline's clock (its ``timezone``,
        or UTC): a time without an offset is read there.  A ``since`` after
        ``until`` is a ``ValueError``.  Links to events that were filtered
        out are dropped from ``related``.  A single str for ``tags`` or
        ``groups`` is refused (:class:`~timeline.ArgumentTypeError`): write
        ``tags=["treaty"]``.
        """
        for name, value in (("tags", tags), ("groups", groups)):
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                hint = f"for one, write {name}=[{value!r}]" if isinstance(value, str) else None
                raise wrong_type(f"Timeline.filter({name}=...)", "a list of str", value, hint)
        for name, date in (("since", since), ("until", until)):
            if date is not None and not isinstance(date, Date):
                raise wrong_type(f"Timeline.filter({name}=...)", "a Date or None", date,
                                 f"write {name}=Date.parse({date!r})" if isinstance(date, str) else None)
        wanted_tags = set(tags)
        wanted_groups = set(groups)
        window = None
        if since is not None or until is not None:
            from .window import Window, reversed_window

            if since is not None and until is not None:
                reason = reversed_window(since, until, self.timezone)
                if reason is not None:
                    raise ValueError(reason)
            window = Window(since, until, self.timezone)
        kept: list[Event] = []
        for event in self.events:
            if wanted_tags and wanted_tags.isdisjoint(event.tags):
                continue
            if wanted_groups and event.group not in wanted_groups:
                continue
            if window is not None and not window.overlaps(event.start, event.end, event.ongoing):
                continue
            kept.append(event)
        eras = self.eras
        if window is not None:
            eras = tuple(era for era in eras if window.overlaps(era.start, era.end, era.ongoing))
        if len(kept) == len(self.events) and len(eras) == len(self.eras):
            return self
        ids = {event.id for event in kept}
        pruned = [
            e if all(r in ids for r in e.related) else attrs.evolve(e, related=tuple(r for r in e.related if r in ids))
            for e in kept
        ]
        return attrs.evolve(self, events=pruned, eras=eras)
