"""The careful builder: plain data (what a reader returns) into model objects.

Internal.  This is where the data format's field names and types are enforced.  It
never stops at the first mistake: every problem is collected with the file,
line, event and field it concerns, so one run of ``timeline check`` shows
them all.  Rules that span several fields or events (end before start,
dangling ``related`` ids, ...) live in :mod:`timeline.validation`; the field
lists themselves in :mod:`timeline._schema`.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._relations import RELATION_KEYS, label_problem
from ._schema import (
    ERA_FIELDS,
    EVENT_FIELDS,
    LOCATION_FIELDS,
    MEDIA_FIELDS,
    SOURCE_FIELDS,
    TIMELINE_FIELDS,
    TRANSLATION_FIELDS,
)
from ._tags import language_tag, language_tag_problem
from .dates import Date, parse_span
from .errors import DateError
from .fastpath import FastBuilder
from .model import Era, Event, Location, Media, Source, Translation
from .problems import Problem
from .protocols import Document, Path
from .rules import (
    ID_HELP,
    ID_PATTERN,
    LOCAL_TIME_HINT,
    check_zone,
    id_problem,
    local_time_problem,
    slugify,
    source_problem,
    text_problem,
)
from .rules import type_name as _type_name
from .suggest import did_you_mean
from .text import control_hint, control_problem
from .validation import PartialEvent, era_span_problem, extra_problem, interval_problem, order_problem

__all__ = [
    "ERA_FIELDS",
    "EVENT_FIELDS",
    "ID_PATTERN",
    "TIMELINE_FIELDS",
    "FileContents",
    "build_file",
    "check_zone",
    "slugify",
]


_ID_HELP = ID_HELP


@attrs.frozen
class FileContents:
    """What one file contributed: header fields, events, eras and problems."""

    source: str
    header: dict[str, Any]
    events: list[Event]
    eras: list[Era]
    #: Where each event of ``events`` stands in the document's ``events``
    #: list (same order); an array of ints, small even for a million events.
    indexes: array[int]
    problems: list[Problem]
    #: Ids of events that had problems and were left out, so links to them
    #: are not reported a second time as dangling.
    failed_ids: list[str] = attrs.field(factory=list)
    #: What could be read of the events left out, and where each stands in
    #: the document's ``events`` list: their readable fields are checked too.
    partials: list[PartialEvent] = attrs.field(factory=list)
    partial_indexes: list[int] = attrs.field(factory=list)


class _Context:
    """Collects problems for one file, locating each on demand."""

    def __init__(self, document: Document, source: str) -> None:
        self.document = document
        self.source = source
        self.problems: list[Problem] = []

    def line(self, path: Path) -> int | None:
        # The exact value may have no position (a missing key): walk up.
        while path:
            line = self.document.line_of(path)
            if line is not None:
                return line
            path = path[:-1]
        return None

    def add(self, path: Path, message: str, *, owner: str | None, field: str | None, hint: str | None = None) -> None:
        self.problems.append(
            Problem(message, file=self.source, line=self.line(path), event=owner, field=field, hint=hint)
        )


def _field_label(parts: tuple[str | int, ...]) -> str:
    label = ""
    for part in parts:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
    return label


class _Builder:
    """Converts the values of one mapping (an event, an era, the header)."""

    def __init__(self, ctx: _Context, base: Path, owner: str | None) -> None:
        self.ctx = ctx
        self.base = base
        self.owner = owner
        self.ok = True
        #: Set when the zone itself is wrong: a local time then cannot be
        #: resolved, but that is the zone's mistake, already reported.
        self.zone_failed = False

    def problem(self, rel: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        self.ok = False
        self.ctx.add(self.base + rel, message, owner=self.owner, field=_field_label(rel), hint=hint)

    def unknown_keys(
        self, mapping: Mapping[Any, Any], known: tuple[str, ...], prefix: tuple[str | int, ...] = ()
    ) -> None:
        for key in mapping:
            if key not in known:
                name = str(key)
                hint = did_you_mean(name, known).strip(" ()") or None
                self.problem(
                    prefix + (name,), f"unknown field {name!r}", hint=hint or f"known fields: {', '.join(known)}"
                )

    def text(
        self, value: Any, rel: tuple[str | int, ...], *, required: bool = False, multiline: bool = False
    ) -> str | None:
        found = text_problem(value, required=required, multiline=multiline)
        if found is not None:
            self.problem(rel, found[0], hint=found[1])
            return None
        return value  # type: ignore[no-any-return]

    def clean(self, value: str, rel: tuple[str | int, ...], *, multiline: bool = False) -> str | None:
        """``value``, or ``None`` after reporting the control character it holds."""
        message = control_problem(value, multiline=multiline)
        if message is None:
            return value
        self.problem(rel, message, hint=control_hint(message))
        return None

    def texts(self, value: Any, rel: tuple[str | int, ...]) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            if not value.strip():
                self.problem(rel, "expected non-empty text, got blank text")
                return ()
            checked = self.clean(value, rel)
            return () if checked is None else (checked,)
        if not isinstance(value, list):
            self.problem(rel, f"expected a list of text, got {_type_name(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                if self.clean(item, rel + (i,)) is not None:
                    out.append(item)
            else:
                self.problem(rel + (i,), f"expected non-empty text, got {_type_name(item)}")
        return tuple(out)

    def number(self, value: Any, rel: tuple[str | int, ...]) -> float | None:
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        self.problem(rel, f"expected a number, got {_type_name(value)}")
        return None

    def date_text(self, value: Any, rel: tuple[str | int, ...]) -> str | None:
        """The EDTF text of a date value (bare YAML/TOML dates and years accepted)."""
        if isinstance(value, str):
            return value
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None and not value.microsecond:  # with a fraction, parsing refuses it
                return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
            return value.isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:04d}" if value >= 0 else f"-{-value:04d}"
        self.problem(rel, f'expected a date such as "2024-06-19", got {_type_name(value)}')
        return None

    def date(self, value: Any, rel: tuple[str | int, ...], zone: str | None) -> Date | None:
        text = self.date_text(value, rel)
        if text is None:
            return None
        try:
            date = Date.parse(text)
        except DateError as exc:
            self.problem(rel, str(exc))
            return None
        return self.localise(date, rel, zone)

    def localise(self, date: Date, rel: tuple[str | int, ...], zone: str | None) -> Date | None:
        local = local_time_problem(date)
        if local is None:
            return date
        if zone is None:
            if not self.zone_failed:
                self.problem(rel, local, hint=LOCAL_TIME_HINT)
            return None
        try:
            return date.in_zone(zone)
        except DateError as exc:
            self.problem(rel, str(exc))
            return None

    def span(self, raw: Mapping[str, Any], zone: str | None) -> tuple[Date | None, Date | None, bool]:
        start_raw, end_raw = raw.get("start"), raw.get("end")
        if start_raw is None:
            self.problem(("start",), "is required")
            return None, self.lone_end(end_raw, zone), False
        start_text = self.date_text(start_raw, ("start",))
        if start_text is None:
            return None, self.lone_end(end_raw, zone), False
        try:
            parsed, end, ongoing = parse_span(start_text)
        except DateError as exc:
            self.problem(("start",), str(exc))
            return None, None if "/" in start_text else self.lone_end(end_raw, zone), False
        start = self.localise(parsed, ("start",), zone)
        if "/" in start_text:
            if end_raw is not None:
                self.problem(("end",), "given twice: 'start' is already an interval")
            elif end is not None:
                end = self.localise(end, ("start",), zone)
                if start is not None and end is not None:
                    reversed_interval = interval_problem(start, end)
                    if reversed_interval is not None:  # the mistake is in 'start', where the interval is written
                        self.problem(("start",), reversed_interval)
                        return None, None, False
            return start, end, ongoing
        if end_raw is None:
            return start, None, False
        if isinstance(end_raw, str) and end_raw.strip() == "..":
            return start, None, True
        return start, self.date(end_raw, ("end",), zone), False

    def lone_end(self, end_raw: Any, zone: str | None) -> Date | None:
        """``end`` read on its own when ``start`` could not be: its mistakes are reported too."""
        if end_raw is None or (isinstance(end_raw, str) and end_raw.strip() == ".."):
            return None
        return self.date(end_raw, ("end",), zone)

    def zone(self, value: Any, rel: tuple[str | int, ...]) -> str | None:
        name = self.text(value, rel)
        if name is None:
            return None
        reason = check_zone(name)
        if reason is not None:
            self.problem(rel, reason, hint="use an IANA name such as Asia/Pyongyang or Europe/Moscow")
            return None
        return name

    def mapping(self, value: Any, rel: tuple[str | int, ...]) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.problem(rel, f"expected a mapping, got {_type_name(value)}")
        return None


def _owner_label(raw: Mapping[str, Any], index: int) -> str:
    event_id = raw.get("id")
    if isinstance(event_id, str) and event_id:
        return f"event {event_id!r}"
    return f"event #{index + 1}"


def _build_event(
    ctx: _Context, raw: Any, index: int, default_zone: str | None, partial: list[PartialEvent] | None = None
) -> Event | None:
    """The careful path: every field checked, every problem recorded.

    An event with problems is left out (``None``); what could be read of it
    is appended to ``partial``, for the rules of :mod:`timeline.validation`.
    """
    base: Path = ("events", index)
    if not isinstance(raw, Mapping):
        ctx.add(
            base, f"expected a mapping of event fields, got {_type_name(raw)}", owner=f"event #{index + 1}", field=None
        )
        return None
    b = _Builder(ctx, base, _owner_label(raw, index))
    b.unknown_keys(raw, EVENT_FIELDS)
    event_id = b.text(raw.get("id"), ("id",), required=True)
    if event_id is not None:
        bad_id = id_problem(event_id)
        if bad_id is not None:
            b.problem(("id",), bad_id[0], hint=bad_id[1])
    title = b.text(raw.get("title"), ("title",), required=True)
    own_zone = b.zone(raw.get("timezone"), ("timezone",))
    if raw.get("timezone") is not None and own_zone is None:
        zone = None
        # The zone is wrong; local times cannot be resolved, but that is the same mistake.
        b.ok = False
        b.zone_failed = True
    else:
        zone = own_zone or default_zone
    start, end, ongoing = b.span(raw, zone)
    order = raw.get("order")
    if order is None:
        order = 0
    else:
        order_message = order_problem(order)
        if order_message:
            b.problem(("order",), order_message, hint="a lower order comes first among events on the same day")
    description = b.text(raw.get("description"), ("description",), multiline=True) or ""
    translations = _build_translations(b, raw.get("translations"))
    tags = b.texts(raw.get("tags"), ("tags",))
    group = b.text(raw.get("group"), ("group",))
    related, relation_labels = _build_related(b, raw.get("related"))
    location = _build_location(b, raw.get("location"))
    media = _build_media(b, raw.get("media"))
    placed_sources = _build_sources(b, raw.get("sources"), zone)
    sources = tuple(source for source in placed_sources if source is not None)
    extra_raw = raw.get("extra")
    extra: Mapping[str, Any] = {}
    if extra_raw is not None:
        checked = b.mapping(extra_raw, ("extra",))
        if checked is not None:
            bad = extra_problem(checked)
            if bad is not None:
                b.problem(("extra",) + bad[0], bad[1])
            else:
                extra = checked
    if not b.ok or start is None or event_id is None or title is None:
        if partial is not None:
            partial.append(_partial(raw, b.owner or "", start, end, location, media, placed_sources))
        return None
    return Event(
        id=event_id,
        title=title,
        start=start,
        end=end,
        ongoing=ongoing,
        timezone=own_zone,
        description=description,
        tags=tags,
        group=group,
        location=location,
        media=media,
        sources=sources,
        related=related,
        extra=extra,
        order=order,
        relation_labels=relation_labels,
        translations=translations,
    )


def _build_related(b: _Builder, raw: Any) -> tuple[tuple[str, ...], dict[str, str]]:
    """``related``: ids, each written plain or as a mapping with ``id`` and ``label``."""
    if not isinstance(raw, list) or all(isinstance(item, str) for item in raw):
        return b.texts(raw, ("related",)), {}
    ids: list[str] = []
    labels: dict[str, str] = {}
    for i, item in enumerate(raw):
        if isinstance(item, str):
            ids.extend(b.texts(item, ("related", i)))
        elif isinstance(item, Mapping):
            b.unknown_keys(item, RELATION_KEYS, ("related", i))
            other = b.text(item.get("id"), ("related", i, "id"), required=True)
            label = _relation_label(b, item.get("label"), ("related", i, "label"))
            if other is not None:
                ids.append(other)
                if label is not None and other not in labels:
                    labels[other] = label
        else:
            b.problem(
                ("related", i),
                f"expected an event id or a mapping with 'id' and 'label', got {_type_name(item)}",
                hint='write the id, or {id: other-event, label: cites}',
            )
    return tuple(ids), labels


def _relation_label(b: _Builder, value: Any, rel: tuple[str | int, ...]) -> str | None:
    if value is None:
        return None
    label = b.text(value, rel, required=True)
    if label is None:
        return None
    message = label_problem(label)
    if message is not None:
        b.problem(rel, message, hint="a label is a few words such as 'cites' or 'part of'")
        return None
    return label


def _build_translations(b: _Builder, raw: Any) -> dict[str, Translation]:
    """``translations``: language tags (canonical case) to a title and description, each checked."""
    if raw is None:
        return {}
    mapping = b.mapping(raw, ("translations",))
    if mapping is None:
        return {}
    out: dict[str, Translation] = {}
    written: dict[str, str] = {}
    for key, value in mapping.items():
        rel: tuple[str | int, ...] = ("translations", str(key))
        bad_tag = language_tag_problem(key)
        if bad_tag is not None:
            b.problem(rel, bad_tag[0], hint=bad_tag[1])
            continue
        tag = language_tag(key) or key
        if tag in written:
            b.problem(rel, f"the language {tag!r} is given twice ({written[tag]!r} and {key!r})",
                      hint="keep one translation per language")
            continue
        written[tag] = key
        if not isinstance(value, Mapping):
            hint = "write the translated title as {title: ...}" if isinstance(value, str) else None
            b.problem(rel, f"expected a mapping with 'title' and/or 'description', got {_type_name(value)}", hint)
            continue
        b.unknown_keys(value, TRANSLATION_FIELDS, rel)
        texts: dict[str, str | None] = {}
        for field in TRANSLATION_FIELDS:
            item = value.get(field)
            if item is not None and isinstance(item, str) and not item.strip():
                b.problem(rel + (field,), "must not be empty", hint="leave the field out to show the original")
                continue
            texts[field] = b.text(item, rel + (field,), multiline=field == "description")
        if all(value.get(field) is None for field in TRANSLATION_FIELDS) and value.keys() <= set(TRANSLATION_FIELDS):
            b.problem(rel, "a translation needs a title or a description")
            continue
        out[tag] = Translation(title=texts.get("title"), description=texts.get("description"))
    return out


def _partial(
    raw: Mapping[str, Any],
    label: str,
    start: Date | None,
    end: Date | None,
    location: Location | None,
    media: Media | None,
    sources: tuple[Source | None, ...],
) -> PartialEvent:
    """The readable fields of an event left out: each already passed its own checks."""
    raw_id = raw.get("id")
    related_raw = raw.get("related")
    related: tuple[str | None, ...] = ()
    if isinstance(related_raw, str):
        related = (related_raw if related_raw.strip() and control_problem(related_raw) is None else None,)
    elif isinstance(related_raw, list):
        related = tuple(
            item if isinstance(item, str) and item.strip() and control_problem(item) is None else None
            for item in (item.get("id") if isinstance(item, Mapping) else item for item in related_raw)
        )
    lat_lon_read = True
    location_raw = raw.get("location")
    if location is not None and isinstance(location_raw, Mapping):
        lat_lon_read = (location_raw.get("lat") is None or location.lat is not None) and (
            location_raw.get("lon") is None or location.lon is not None
        )
    return PartialEvent(
        label=label,
        id=raw_id if isinstance(raw_id, str) else None,
        start=start,
        end=end,
        location=location,
        media=media if media is not None and control_problem(media.url) is None else None,
        sources=sources,
        related=related,
        lat_lon_read=lat_lon_read,
    )


def _build_location(b: _Builder, raw: Any) -> Location | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        name = b.clean(raw, ("location",))
        return None if name is None else Location(name=name)
    mapping = b.mapping(raw, ("location",))
    if mapping is None:
        return None
    b.unknown_keys(mapping, LOCATION_FIELDS, ("location",))
    return Location(
        name=b.text(mapping.get("name"), ("location", "name")),
        lat=b.number(mapping.get("lat"), ("location", "lat")),
        lon=b.number(mapping.get("lon"), ("location", "lon")),
    )


def _build_media(b: _Builder, raw: Any) -> Media | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        url = b.clean(raw, ("media",))
        return None if url is None else Media(url=url)
    mapping = b.mapping(raw, ("media",))
    if mapping is None:
        return None
    b.unknown_keys(mapping, MEDIA_FIELDS, ("media",))
    url = b.text(mapping.get("url"), ("media", "url"), required=True)
    caption = b.text(mapping.get("caption"), ("media", "caption"))
    credit = b.text(mapping.get("credit"), ("media", "credit"))
    return Media(url=url, caption=caption, credit=credit) if url is not None else None


def _build_sources(b: _Builder, raw: Any, zone: str | None) -> tuple[Source | None, ...]:
    """The sources, in their places: ``None`` for one that could not be read."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        b.problem(("sources",), f"expected a list of sources, got {_type_name(raw)}")
        return ()
    sources: list[Source | None] = []
    for i, item in enumerate(raw):
        rel: tuple[str | int, ...] = ("sources", i)
        if isinstance(item, str):
            needs = source_problem(item, None)
            if needs is not None:
                b.problem(rel, needs)
                sources.append(None)
            else:
                sources.append(Source(title=item) if b.clean(item, rel) is not None else None)
            continue
        mapping = b.mapping(item, rel)
        if mapping is None:
            sources.append(None)
            continue
        b.unknown_keys(mapping, SOURCE_FIELDS, rel)
        title = b.text(mapping.get("title"), rel + ("title",))
        url = b.text(mapping.get("url"), rel + ("url",))
        needs = source_problem(mapping.get("title"), mapping.get("url"))
        if needs is not None:  # null or blank both (a title of the wrong type is reported as that)
            b.problem(rel, needs)
        date_raw = mapping.get("date")
        date = b.date(date_raw, rel + ("date",), zone) if date_raw is not None else None
        publisher = b.text(mapping.get("publisher"), rel + ("publisher",))
        # a source that says nothing is not checked further (a blank url is that one mistake)
        sources.append(None if needs else Source(title=title, publisher=publisher, url=url, date=date))
    return tuple(sources)


def _build_era(ctx: _Context, raw: Any, index: int, zone: str | None) -> Era | None:
    base: Path = ("eras", index)
    owner = f"era #{index + 1}"
    if not isinstance(raw, Mapping):
        ctx.add(base, f"expected a mapping of era fields, got {_type_name(raw)}", owner=owner, field=None)
        return None
    title_raw = raw.get("title")
    if isinstance(title_raw, str) and title_raw:
        owner = f"era {title_raw!r}"
    b = _Builder(ctx, base, owner)
    b.unknown_keys(raw, ERA_FIELDS)
    title = b.text(title_raw, ("title",), required=True)
    start, end, ongoing = b.span(raw, zone)
    if start is not None and end is None and not ongoing and raw.get("end") is None:
        b.problem(("end",), "is required for an era", hint="use '..' for an era that goes on")
    span_problem = era_span_problem(start, end) if start is not None else None
    if span_problem:
        b.problem(("end",), span_problem)
    description = b.text(raw.get("description"), ("description",), multiline=True) or ""
    translations = _build_translations(b, raw.get("translations"))
    if not b.ok or title is None or start is None:
        return None
    return Era(title=title, start=start, end=end, ongoing=ongoing, description=description,
               translations=translations)


#: How many events go by between two calls of ``build_file``'s ``progress``.
PROGRESS_STEP = 4096


def build_file(
    document: Document,
    source: str,
    *,
    default_zone: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    consume: bool = False,
    fast: FastBuilder | None = None,
) -> FileContents:
    """Build the model objects of one file, collecting every problem.

    ``default_zone`` resolves local times when the file sets no zone of its
    own (the zone of an earlier file in the same run).  ``progress(done,
    total)`` is called every :data:`PROGRESS_STEP` events and at the end.
    With ``consume=True`` each raw event is dropped from the document as
    soon as it is built, so a big file never holds both forms in full.
    ``fast`` shares a :class:`FastBuilder` (and its shared values) between
    the files of one run.
    """
    ctx = _Context(document, source)
    content = document.content
    header: dict[str, Any] = {}
    events: list[Event] = []
    eras: list[Era] = []
    indexes: array[int] = array("q")
    failed_ids: list[str] = []
    partials: list[PartialEvent] = []
    partial_indexes: list[int] = []
    if not isinstance(content, Mapping):
        what = "empty" if content is None else f"{_type_name(content)}"
        ctx.add((), f"the file is {what}; expected a mapping with 'title' and 'events'", owner=None, field=None)
        return FileContents(source, header, events, eras, indexes, ctx.problems)
    b = _Builder(ctx, (), "timeline")
    b.unknown_keys(content, TIMELINE_FIELDS)
    timeline_id = b.text(content.get("id"), ("id",))
    if timeline_id is not None:
        bad_id = id_problem(timeline_id)
        if bad_id is None:
            header["id"] = timeline_id
        else:
            b.problem(("id",), bad_id[0], hint=bad_id[1])
    for key in ("title", "description"):
        value = b.text(content.get(key), (key,), multiline=key == "description")
        if value is not None:
            header[key] = value
    translations = _build_translations(b, content.get("translations"))
    if translations:
        header["translations"] = translations
    zone = b.zone(content.get("timezone"), ("timezone",))
    if zone is not None:
        header["timezone"] = zone
    zone = zone or default_zone
    if content.get("updated") is not None:
        updated = b.date(content["updated"], ("updated",), zone)
        if updated is not None:
            header["updated"] = updated
    raw_eras = content.get("eras")
    if raw_eras is not None:
        if isinstance(raw_eras, list):
            for i, raw in enumerate(raw_eras):
                era = _build_era(ctx, raw, i, zone)
                if era is not None:
                    eras.append(era)
        else:
            b.problem(("eras",), f"expected a list of eras, got {_type_name(raw_eras)}")
    raw_events = content.get("events")
    if raw_events is None:
        if "events" not in content:
            b.problem(
                ("events",),
                "is missing",
                hint="a timeline file lists its events under 'events'; the list may be empty",
            )
    elif isinstance(raw_events, list):
        _build_events(
            ctx, raw_events, zone, events, indexes, failed_ids, progress, consume, fast, (partials, partial_indexes)
        )
    else:
        b.problem(("events",), f"expected a list of events, got {_type_name(raw_events)}")
    return FileContents(source, header, events, eras, indexes, ctx.problems, failed_ids, partials, partial_indexes)


def _build_events(
    ctx: _Context,
    raw_events: list[Any],
    zone: str | None,
    events: list[Event],
    indexes: array[int],
    failed_ids: list[str],
    progress: Callable[[int, int], None] | None,
    consume: bool,
    fast: FastBuilder | None,
    left_out: tuple[list[PartialEvent], list[int]] | None = None,
) -> None:
    """The loop over a file's events: fast path first, careful path for the rest."""
    quick = (fast or FastBuilder(ID_PATTERN.fullmatch, check_zone)).event
    partials, partial_indexes = left_out if left_out is not None else ([], [])
    total = len(raw_events)
    append, mark = events.append, indexes.append
    for start in range(0, total, PROGRESS_STEP):
        for i in range(start, min(start + PROGRESS_STEP, total)):
            raw = raw_events[i]
            if consume:
                raw_events[i] = None  # the raw dict goes as soon as it is built
            event = quick(raw, zone) or _build_event(ctx, raw, i, zone, partials)
            if event is not None:
                append(event)
                mark(i)
                continue
            if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
                failed_ids.append(raw["id"])
            while len(partial_indexes) < len(partials):
                partial_indexes.append(i)
        if progress is not None:
            progress(min(start + PROGRESS_STEP, total), total)
