"""The record classes of the model: :class:`Event`, :class:`Era`, :class:`Location`, :class:`Media`,
:class:`Source` and :class:`Translation`.

:class:`Relation` too: a link between events, with its label.

Split from :mod:`timeline.model` so that :mod:`timeline.validation` can
check them without importing :class:`~timeline.Timeline`, whose editing
methods call :func:`timeline.validate`: the two modules no longer import
each other.  :mod:`timeline.model` re-exports them and is where they say
they live (``__module__``), so reprs, pickles and documentation are as
before.  All classes are frozen, and construction checks only the types of
the fields (see :mod:`timeline.model`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .dates import Date
from .errors import wrong_type

__all__ = ["Era", "Event", "Location", "Media", "Relation", "Source", "Translation"]


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


#: Shared by every record without translations.
_NO_TRANSLATIONS: Mapping[str, Translation] = MappingProxyType({})


def _translations(value: Mapping[str, Translation] | None) -> Mapping[str, Translation]:
    """A read-only mapping of language tag to :class:`Translation`, in the order of the tags."""
    if value is _NO_TRANSLATIONS or value is None:
        return _NO_TRANSLATIONS
    if not isinstance(value, Mapping):
        raise wrong_type("translations", "a mapping of language tags to Translation", value,
                         "e.g. translations={'ru': Translation(title='...')}")
    if not value:
        return _NO_TRANSLATIONS
    for tag, item in value.items():
        if not isinstance(tag, str):
            raise wrong_type("each key of translations", "a language tag (a str) such as 'ru'", tag)
        if not isinstance(item, Translation):
            raise wrong_type(f"translations[{tag!r}]", "a Translation", item,
                             "e.g. Translation(title='...')" if isinstance(item, (str, Mapping)) else None)
    return MappingProxyType({tag: value[tag] for tag in sorted(value)})


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


def _labels(value: Mapping[str, str] | None) -> Mapping[str, str]:
    if value is _EMPTY or value is None:
        return _EMPTY
    if not isinstance(value, Mapping):
        raise wrong_type("Event relation_labels", "a mapping of related id to label", value)
    return MappingProxyType(dict(value)) if value else _EMPTY


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
class Relation:
    """A link between two events: the other event's ``id`` and what the link is.

    ``label`` is as written in the data ("cites", "part of", or any short
    text), ``None`` for a plain link.  ``incoming`` is true for a link the
    other event makes to this one (derived by
    :meth:`Timeline.relations_of <timeline.Timeline.relations_of>`); its
    ``label`` is then the other event's, and :meth:`phrase` says it the
    other way round ("Cited by").
    """

    id: str
    label: str | None = None
    incoming: bool = False

    def __attrs_post_init__(self) -> None:
        _check_texts("Relation", (("id", self.id, False), ("label", self.label, True)))
        if not isinstance(self.incoming, bool):
            raise wrong_type("Relation incoming", "True or False", self.incoming)

    @property
    def reads(self) -> str | None:
        """The label in this relation's direction, in English, or ``None`` when only "Related" can be said.

        Outgoing: the label as written.  Incoming: the inverse of a known
        label ("cites" gives "cited by"); a free label has no inverse.
        """
        from ._relations import inverse_label

        if self.label is None or not self.incoming:
            return self.label
        return inverse_label(self.label)

    @property
    def kind(self) -> str | None:
        """The known label this relation reads as, lowercase ("cites", "cited by", "part of", ...).

        ``None`` for a free label, or no label.
        """
        from ._relations import RELATION_LABELS, canonical_label

        reads = self.reads
        if reads is None:
            return None
        known = canonical_label(reads)
        return known if known in RELATION_LABELS else None

    def phrase(self, locale: str = "en") -> str:
        """How an output names this link, capitalised: "Cites", "Cited by", "Related", or a free label as written.

        Known labels and "Related" come from the catalogues (``locale``);
        a free label is the data's own text and is not translated.
        """
        from .locales import message

        reads = self.reads
        if reads is None:
            return message("relation", "Related", locale)
        known = self.kind
        if known is not None:
            return message("relation", known[:1].upper() + known[1:], locale)
        return reads[:1].upper() + reads[1:]


@attrs.frozen
class Translation:
    """The title and description of an event, era or timeline in another language.

    Either may be ``None``: what a translation leaves out is shown in the
    original.  The language is the key it is stored under in
    ``translations`` (a tag such as ``"ru"`` or ``"pt-BR"``).
    """

    title: str | None = None
    description: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_texts("Translation", (("title", self.title, True), ("description", self.description, True)))


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
    #: The labels of some of the ``related`` links, by related id ("cites",
    #: "part of", ...): ``related`` stays the list of ids, in order.
    relation_labels: Mapping[str, str] = attrs.field(default=_EMPTY, converter=_labels, hash=False)
    #: The title and description in other languages, by language tag
    #: (``"ru"``, ``"ko"``); read them with :func:`timeline.translated`.
    translations: Mapping[str, Translation] = attrs.field(
        default=_NO_TRANSLATIONS, converter=_translations, hash=False
    )

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

    @property
    def relations(self) -> tuple[Relation, ...]:
        """The ``related`` links with their labels, in the order written (outgoing only).

        :meth:`Timeline.relations_of <timeline.Timeline.relations_of>` adds
        the links other events make to this one.
        """
        labels = self.relation_labels
        return tuple(Relation(other, labels.get(other)) for other in self.related)

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
    #: The title and description in other languages (see :class:`Event`).
    translations: Mapping[str, Translation] = attrs.field(
        default=_NO_TRANSLATIONS, converter=_translations, hash=False
    )

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


# The public home of these classes (a name in ``timeline.__all__`` and in
# ``timeline.model``), kept as their module so that pickles and reprs do not
# name this internal one.
for _cls in (Location, Media, Source, Relation, Translation, Event, Era):
    _cls.__module__ = "timeline.model"
del _cls
