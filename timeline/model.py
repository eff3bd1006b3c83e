"""The data model: a :class:`Timeline` of :class:`Event` objects and eras.

All classes are frozen: a loaded timeline is a value, safe to share between
exporters and threads.  Construction is cheap and does no checking; the rules
that span fields or events live in :mod:`timeline.validation`, which
:func:`timeline.load` applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from .dates import Date

__all__ = ["Era", "Event", "Location", "Media", "Source", "Timeline"]


#: Shared by every event without ``extra``: one object instead of a million.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not value:
        return _EMPTY
    if isinstance(value, MappingProxyType):
        return value
    return MappingProxyType(dict(value))


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else tuple(value)


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return value if isinstance(value, tuple) else tuple(value)


@attrs.frozen
class Location:
    """Where an event happened: a name, and coordinates when known."""

    name: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@attrs.frozen
class Media:
    """A picture, video or page illustrating an event (its URL, caption and credit)."""

    url: str
    caption: str | None = None
    credit: str | None = None


@attrs.frozen
class Source:
    """Where a fact comes from. At least a title or a URL is given."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: Date | None = None


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
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    group: str | None = None
    location: Location | None = None
    media: Media | None = None
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources)
    related: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    extra: Mapping[str, Any] = attrs.field(default=_EMPTY, converter=_frozen_mapping, hash=False)
    #: Rank among the events that start on the same calendar day (as
    #: written): lower first, before the time of day is looked at.
    order: int = 0

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


def _order(event: Event) -> tuple[int | str, ...]:
    """:meth:`Event.sort_key`, inlined for dates without a time (most of them)."""
    start = event.start
    if start.hour is None:
        return (start.year, start.month or 0, start.day or 0, event.order, 0, 0, event.id)
    return event.sort_key()


def _sorted_events(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=_order))


def _sorted_eras(eras: Iterable[Era]) -> tuple[Era, ...]:
    return tuple(sorted(eras, key=lambda era: (era.start.sort_key(), era.title)))


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

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def get(self, event_id: str) -> Event:
        """The event with this id (``KeyError`` if there is none)."""
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(event_id)

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
        out are dropped from ``related``.
        """
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
