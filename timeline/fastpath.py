"""Building well-formed events quickly, and sharing their repeated values.

Large timelines are almost all well-formed, and the careful builder in
:mod:`timeline._builder` spends most of its time preparing for problems that
are not there.  :class:`FastBuilder` checks the types as it goes and gives up
(returns ``None``) at the first thing it does not expect; the careful path
then builds the same event, or reports exactly what is wrong.  Giving up is
always safe, so this module may be as narrow as it likes; what it accepts it
must build exactly as the careful path would.

It also makes a big timeline smaller: equal dates, tag lists, places, zone
names and publishers read from different events become one shared object
instead of a million equal copies.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from ._schema import EVENT_FIELDS, LOCATION_FIELDS, MEDIA_FIELDS, SOURCE_FIELDS, TRANSLATION_FIELDS
from ._tags import language_tag
from .dates import Date, parse_span
from .errors import DateError
from .model import Event, Location, Media, Source, Translation
from .text import CONTROL_RE, MULTILINE_CONTROL_RE
from .validation import MAX_ORDER, MIN_ORDER, interval_problem, is_plain_data

__all__ = ["FastBuilder"]

_EVENT_KEYS = frozenset(EVENT_FIELDS)
_TRANSLATION_KEYS = frozenset(TRANSLATION_FIELDS)
_SOURCE_KEYS = frozenset(SOURCE_FIELDS)
_LOCATION_KEYS = frozenset(LOCATION_FIELDS)
_MEDIA_KEYS = frozenset(MEDIA_FIELDS)
#: One search per string: a control character sends the event the careful way.
_control = CONTROL_RE.search
_control_multiline = MULTILINE_CONTROL_RE.search

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Pool(Generic[K, V]):
    """Equal values shared, up to a size (so odd data cannot make it grow forever)."""

    def __init__(self, limit: int) -> None:
        self._items: dict[K, V] = {}
        self._limit = limit

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def share(self, key: K, value: V) -> V:
        found = self._items.get(key)
        if found is not None:
            return found
        if len(self._items) < self._limit:
            self._items[key] = value
        return value


def _texts(value: Any) -> tuple[str, ...] | None:
    """A list of non-blank strings (or one string) as a tuple; ``None`` if anything else."""
    if value is None:
        return ()
    if type(value) is str:
        return (value,) if value.strip() else None
    if type(value) is not list:
        return None
    for item in value:
        if type(item) is not str or not item.strip():
            return None
    return tuple(value)


def _clean(texts: tuple[str, ...]) -> bool:
    """Whether no text of ``texts`` holds a control character."""
    return not any(map(_control, texts))


def _translations(raw: Any) -> dict[str, Translation] | None:
    """``translations`` written in canonical form, each text clean; ``None`` for anything else."""
    if raw is None:
        return {}
    if type(raw) is not dict:
        return None
    out: dict[str, Translation] = {}
    for tag, item in raw.items():
        if type(tag) is not str or language_tag(tag) != tag or type(item) is not dict or not item:
            return None  # a tag in another case is made canonical by the careful path
        if not item.keys() <= _TRANSLATION_KEYS:
            return None
        title, description = item.get("title"), item.get("description")
        if title is None and description is None:
            return None
        if title is not None and (type(title) is not str or not title.strip() or _control(title)):
            return None
        if description is not None and (
            type(description) is not str or not description.strip() or _control_multiline(description)
        ):
            return None
        out[tag] = Translation(title=title, description=description)
    return out


def _number(value: Any) -> float | bool | None:
    """``lat``/``lon`` as the careful path stores them; ``False`` for anything unusual."""
    if value is None:
        return None
    kind = type(value)
    if kind is float:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return float(value)
    return False


class FastBuilder:
    """Builds the well-formed events of one load; see the module's docstring."""

    def __init__(self, id_match: Callable[[str], object], zone_problem: Callable[[str], str | None]) -> None:
        self._id_match = id_match
        self._zone_problem = zone_problem
        self._dates: _Pool[str, Date] = _Pool(200_000)
        self._strings: _Pool[str, str] = _Pool(50_000)
        self._tags: _Pool[tuple[str, ...], tuple[str, ...]] = _Pool(50_000)
        self._places: _Pool[tuple[Any, ...], Location] = _Pool(50_000)
        self._zones: dict[str, bool] = {}

    def _zone_ok(self, name: str) -> bool:
        ok = self._zones.get(name)
        if ok is None:
            ok = self._zones[name] = self._zone_problem(name) is None
        return ok

    @staticmethod
    def _resolve(date: Date, zone: str | None) -> Date | None:
        """A local time resolved in ``zone``; ``None`` if it cannot be."""
        if not date.is_local:
            return date
        if zone is None:
            return None
        try:
            return date.in_zone(zone)
        except DateError:
            return None

    def _date(self, value: Any, zone: str | None) -> Date | None:
        if type(value) is not str:
            return None
        date = self._dates.get(value)
        if date is None:
            try:
                date = Date.parse(value)
            except DateError:
                return None
            if date.hour is None:  # times seldom repeat: not worth keeping
                date = self._dates.share(value, date)
        return self._resolve(date, zone) if date.hour is not None else date

    def _span(self, start_raw: Any, end_raw: Any, zone: str | None) -> tuple[Date, Date | None, bool] | None:
        if type(start_raw) is not str:
            return None
        if "/" in start_raw:
            if end_raw is not None:
                return None
            try:
                first, last, ongoing = parse_span(start_raw)
            except DateError:
                return None
            start = self._resolve(first, zone)
            end = None if last is None else self._resolve(last, zone)
            if start is None or (last is not None and end is None):
                return None
            if end is not None and interval_problem(start, end) is not None:
                return None  # the careful path reports it on 'start'
            return start, end, ongoing
        start = self._date(start_raw, zone)
        if start is None:
            return None
        if end_raw is None:
            return start, None, False
        if end_raw == "..":
            return start, None, True
        end = self._date(end_raw, zone)
        return None if end is None else (start, end, False)

    def _location(self, raw: Any) -> Location | bool | None:
        if raw is None:
            return None
        if type(raw) is str:
            key: tuple[Any, ...] = (raw,)
            found = self._places.get(key)
            if found is not None:
                return found
            if _control(raw):
                return False
            return self._places.share(key, Location(name=raw))
        if type(raw) is not dict or not raw.keys() <= _LOCATION_KEYS:
            return False
        name = raw.get("name")
        lat, lon = _number(raw.get("lat")), _number(raw.get("lon"))
        if lat is False or lon is False or (name is not None and type(name) is not str):
            return False
        key = (name, lat, lon)
        found = self._places.get(key)
        if found is not None:
            return found
        if name is not None and _control(name):
            return False
        return self._places.share(key, Location(name=name, lat=lat, lon=lon))

    def _sources(self, raw: Any, zone: str | None) -> tuple[Source, ...] | None:
        if raw is None:
            return ()
        if type(raw) is not list:
            return None
        sources: list[Source] = []
        share = self._strings.share
        for item in raw:
            if type(item) is str:
                if _control(item) or not item.strip():
                    return None
                sources.append(Source(title=item))
                continue
            if type(item) is not dict or not item.keys() <= _SOURCE_KEYS:
                return None
            get = item.get
            title, publisher, url, date_raw = get("title"), get("publisher"), get("url"), get("date")
            if title is None:
                if type(url) is not str or _control(url) or not url.strip():
                    return None
            elif (type(title) is not str or _control(title)) or (
                url is not None and (type(url) is not str or _control(url))
            ):
                return None
            elif not title.strip() and (url is None or not url.strip()):
                return None  # a source needs a title or a url: the careful path says so
            if publisher is not None:
                if type(publisher) is not str:
                    return None
                shared = self._strings.get(publisher)
                if shared is None:
                    if _control(publisher):
                        return None
                    shared = share(publisher, publisher)
                publisher = shared
            date = None
            if date_raw is not None:
                date = self._date(date_raw, zone)
                if date is None:
                    return None
            sources.append(Source(title=title, publisher=publisher, url=url, date=date))
        return tuple(sources)

    def event(self, raw: Any, default_zone: str | None) -> Event | None:
        """The event ``raw`` describes, or ``None`` to send it down the careful path."""
        if type(raw) is not dict or not raw.keys() <= _EVENT_KEYS:
            return None
        get = raw.get
        event_id, title = get("id"), get("title")
        if type(event_id) is not str or type(title) is not str or not title.strip() or not self._id_match(event_id):
            return None
        if _control(title):
            return None
        zone = get("timezone")
        if zone is not None:
            if type(zone) is not str or not self._zone_ok(zone):
                return None
            zone = self._strings.share(zone, zone)
        span = self._span(get("start"), get("end"), zone or default_zone)
        if span is None:
            return None
        description = get("description")
        if description is None:
            description = ""
        elif type(description) is not str or _control_multiline(description):
            return None
        group = get("group")
        if group is not None:
            if type(group) is not str:
                return None
            shared = self._strings.get(group)
            if shared is None:
                if _control(group):
                    return None
                shared = self._strings.share(group, group)
            group = shared
        tags, related = _texts(get("tags")), _texts(get("related"))
        if tags is None or related is None or (related and not _clean(related)):
            return None
        if tags:
            shared_tags = self._tags.get(tags)
            if shared_tags is None:
                if not _clean(tags):
                    return None
                shared_tags = self._tags.share(tags, tags)
            tags = shared_tags
        location = self._location(get("location"))
        sources = self._sources(get("sources"), zone or default_zone)
        if location is False or sources is None:
            return None
        media = None
        media_raw = get("media")
        if media_raw is not None:
            media = self._media(media_raw)
            if media is None:
                return None
        extra = get("extra")
        if extra is not None and (type(extra) is not dict or not is_plain_data(extra)):
            return None
        order = get("order")
        if order is None:
            order = 0
        elif type(order) is not int or not MIN_ORDER <= order <= MAX_ORDER:
            return None
        translations = _translations(get("translations"))
        if translations is None:
            return None
        return Event(
            id=event_id,
            title=title,
            start=span[0],
            end=span[1],
            ongoing=span[2],
            timezone=zone,
            description=description,
            tags=tags,
            group=group,
            location=location,  # type: ignore[arg-type]
            media=media,
            sources=sources,
            related=related,
            extra=extra,
            order=order,
            translations=translations,
        )

    @staticmethod
    def _media(raw: Any) -> Media | None:
        if type(raw) is str:
            return None if _control(raw) else Media(url=raw)
        if type(raw) is not dict or not raw.keys() <= _MEDIA_KEYS:
            return None
        url, caption, credit = raw.get("url"), raw.get("caption"), raw.get("credit")
        if type(url) is not str or not url.strip():
            return None
        if (caption is not None and type(caption) is not str) or (credit is not None and type(credit) is not str):
            return None
        if _control(url) or (caption is not None and _control(caption)) or (credit is not None and _control(credit)):
            return None
        return Media(url=url, caption=caption, credit=credit)

