"""The data model: a :class:`Timeline` of :class:`Event` objects and eras.

All classes are frozen: a loaded timeline is a value, safe to share between
exporters and threads.  Construction is cheap: it checks only the types of
the fields (an :class:`~timeline.ArgumentTypeError` names a wrong one), with
``type(x) is T`` tests that a million-event load does not notice.  The rules
that span fields or events live in :mod:`timeline.validation`, which
:func:`timeline.load` applies, and which the editing methods of
:class:`Timeline` (``with_events``, ``replacing``, ``without``) apply too.
The record classes are defined in ``timeline._records`` (validation checks
them without importing this module, so the two do not import each other)
and re-exported here, where their ``__module__`` says they live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ._records import (
    _NO_TRANSLATIONS,
    Era,
    Event,
    Location,
    Media,
    Relation,
    Source,
    Translation,
    _check_texts,
    _parse_hint,
    _translations,
)
from .dates import Date
from .errors import EventNotFoundError, wrong_type

__all__ = ["Era", "Event", "Location", "Media", "Relation", "Source", "Timeline", "Translation"]


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


def _pruned(event: Event, keep: Callable[[str], bool]) -> Event:
    """``event`` with only the links to ids ``keep`` accepts, in ``related`` and ``relation_labels``."""
    related = tuple(other for other in event.related if keep(other))
    labels = {other: label for other, label in event.relation_labels.items() if other in related}
    return attrs.evolve(event, related=related, relation_labels=labels)


def _both_ways(event: Event, incoming: Iterable[Relation], ids: set[str] | frozenset[str]) -> tuple[Relation, ...]:
    """``event``'s own relations then ``incoming``, merged as :meth:`Timeline.relations_of` says."""
    out: list[Relation] = []
    where: dict[str, int] = {}
    for relation in event.relations:
        if relation.id in ids and relation.id not in where and relation.id != event.id:
            where[relation.id] = len(out)
            out.append(relation)
    for relation in incoming:
        if relation.id == event.id:
            continue
        place = where.get(relation.id)
        if place is None:
            where[relation.id] = len(out)
            out.append(relation)
        elif out[place].label is None and not out[place].incoming and relation.reads is not None:
            out[place] = relation
    return tuple(out)


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
    #: The title and description in other languages (see :class:`Event`).
    translations: Mapping[str, Translation] = attrs.field(
        default=_NO_TRANSLATIONS, converter=_translations, hash=False
    )

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

    # --- relations, both ways --------------------------------------------------

    def relations(self) -> dict[str, tuple[Relation, ...]]:
        """Every event's relations both ways, by event id; events without any are left out.

        One pass over the timeline: an exporter that shows relations calls
        this once rather than :meth:`relations_of` for each event.
        """
        incoming: dict[str, list[Relation]] = {}
        for event in self.events:
            if not event.related:
                continue
            for relation in event.relations:
                incoming.setdefault(relation.id, []).append(Relation(event.id, relation.label, incoming=True))
        found: dict[str, tuple[Relation, ...]] = {}
        if not incoming:
            return found
        ids = {event.id for event in self.events}
        for event in self.events:
            if event.related or event.id in incoming:
                both = _both_ways(event, incoming.get(event.id, ()), ids)
                if both:
                    found[event.id] = both
        return found

    def relations_of(self, event: Event | str) -> tuple[Relation, ...]:
        """The relations of ``event`` (an :class:`Event` or its id) both ways.

        First the links it makes (``event.relations``, in the order written),
        then the links other events make to it (``incoming=True``, in the
        timeline's order), each other event once: an incoming link from an
        event this one already links to is left out, unless this one's link
        has no label and the incoming one has a known label, which then takes
        its place ("Cited by" says more than "Related").  Links to events not
        in the timeline are left out, so a filtered timeline has no dangling
        relation.  Raises :class:`~timeline.EventNotFoundError` for an id no
        event has.
        """
        if isinstance(event, Event):
            event_id = event.id
        elif isinstance(event, str):
            event_id = event
        else:
            raise wrong_type("Timeline.relations_of(event)", "an Event or an event id", event)
        found = self.get(event_id)
        ids = {other.id for other in self.events}
        incoming = [
            Relation(other.id, other.relation_labels.get(event_id), incoming=True)
            for other in self.events
            if event_id in other.related
        ]
        return _both_ways(found, incoming, ids)

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

        Links to them are dropped from the ``related`` (and
        ``relation_labels``) of the events that stay.  Raises
        :class:`~timeline.EventNotFoundError` if no event has one of the ids.
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
            event if gone.isdisjoint(event.related) else _pruned(event, lambda other: other not in gone)
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
        out are dropped from ``related`` and ``relation_labels``.  A single str for ``tags`` or
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
        pruned = [e if all(r in ids for r in e.related) else _pruned(e, ids.__contains__) for e in kept]
        return attrs.evolve(self, events=pruned, eras=eras)
