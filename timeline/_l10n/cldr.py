"""Dates and spans in a language other than English, from CLDR through Babel.

Babel formats ``datetime`` values, which hold years 1 to 9999 only.  Other
years are composed from the same CLDR data: the pattern of the skeleton
with an era (``GyMMMMd``) applied to a stand-in date in range with the same
month, day and leap year, with the year field written as the era's year
(``1 - year`` before the common era) and the era field as CLDR's era name.

CLDR has interval patterns for abbreviated months only (``yMMMd``); as
UTS #35 says for a skeleton that is not in the data, and as ICU does, the
closest one is used with its month fields widened to the requested width,
so "19–20 июня 2024 г." keeps the full month name.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import DateTimeFormat, match_skeleton, parse_pattern

from ..dates import Date, Precision, is_leap_year
from . import translations

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

__all__ = ["fallback_interval", "localized_date", "localized_span"]

_SKELETONS = {Precision.YEAR: "y", Precision.MONTH: "yMMMM", Precision.DAY: "yMMMMd"}
_QUOTED = re.compile(r"('(?:[^']|'')*')")
_ABBREVIATED_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def _widen(pattern: str, skeleton: str, wide: bool = True) -> str:
    """Month fields of ``pattern`` made as wide as the skeleton asks (MMM to MMMM), outside quoted text.

    ``wide`` is False where the locale's own pattern for the skeleton has no
    wide month ("y年M月d日"): its abbreviated month is then already the form
    a date uses, and widening would give "六月".
    """
    if "MMMM" not in skeleton or not wide:
        return pattern
    parts = _QUOTED.split(pattern)
    return "".join(p if p.startswith("'") else _ABBREVIATED_MONTH.sub(r"\1\1\1\1", p) for p in parts)


@functools.cache
def _pattern(code: str, skeleton: str) -> str:
    skeletons = _locale(code).datetime_skeletons
    if skeleton in skeletons:
        return str(skeletons[skeleton])
    best = match_skeleton(skeleton, skeletons)
    assert best is not None, skeleton
    return _widen(str(skeletons[best]), skeleton)


@functools.cache
def _interval(code: str, skeleton: str, greatest: str) -> tuple[str, str] | None:
    """The two halves of CLDR's interval pattern, or None where CLDR has none for this difference."""
    formats = _locale(code).interval_formats
    known = [key for key in formats if isinstance(key, str) and key]
    best = skeleton if skeleton in formats else match_skeleton(skeleton, known)
    if best is None or greatest not in formats[best]:
        return None
    first, second = formats[best][greatest]
    quoted = _QUOTED.split(_pattern(code, skeleton))
    wide = any(field in part for part in quoted if not part.startswith("'") for field in ("MMMM", "LLLL"))
    return _widen(first, skeleton, wide), _widen(second, skeleton, wide)


def fallback_interval(code: str) -> str:
    """CLDR's pattern for two things that share nothing, e.g. "{0} – {1}"."""
    return str(_locale(code).interval_formats[None])


class _Fields(DateTimeFormat):
    """Babel's field formatter, with the year and era given for years it cannot hold."""

    def __init__(self, value: datetime.datetime, code: str, year: int | None) -> None:
        super().__init__(value, _locale(code))
        self._year = year

    def __getitem__(self, name: str) -> Any:
        if self._year is not None:
            if name[0] == "y":
                return str(1 - self._year if self._year < 1 else self._year)
            if name[0] == "G":
                width = {4: "wide", 5: "narrow"}.get(len(name), "abbreviated")
                return self.locale.eras[width][0 if self._year < 1 else 1]
        return super().__getitem__(name)


def _apply(pattern: str, date: Date, code: str) -> str:
    year = date.year
    composed = not 1 <= year <= 9999
    stand_in = year if not composed else (2000 if is_leap_year(year) else 2001)
    value = datetime.datetime(
        stand_in, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0
    )
    return str(parse_pattern(pattern) % _Fields(value, code, year if composed else None))


def _calendar(date: Date, code: str) -> str:
    skeleton = _SKELETONS[min(date.precision, Precision.DAY)]
    if date.year < 1:
        skeleton = "G" + skeleton
    return _apply(_pattern(code, skeleton), date, code)


def _gmt(code: str, minutes: int) -> str:
    """CLDR's short localized GMT format ("GMT+9", "UTC+8:30"; "GMT" for zero)."""
    gmt = str(_locale(code).zone_formats["gmt"])
    if minutes == 0:
        return gmt % ""
    hours, mins = divmod(abs(minutes), 60)
    sign = "+" if minutes > 0 else "-"
    return gmt % (f"{sign}{hours}:{mins:02d}" if mins else f"{sign}{hours}")


def _clock(date: Date, code: str) -> str:
    width = "medium" if date.second is not None else "short"
    return _apply(_locale(code).time_formats[width].pattern, date, code)


def _with_zone(time: str, offset: int | None, code: str) -> str:
    if offset is None:
        return time
    return str(_locale(code).zone_formats["fallback"]) % {"0": _gmt(code, offset), "1": time}


def _date_and_time(calendar: str, time: str, code: str) -> str:
    return str(_locale(code).datetime_formats["medium"]).format(time, calendar)


def _plain(date: Date, code: str) -> str:
    if date.hour is None:
        return _calendar(date, code)
    return _date_and_time(_calendar(date, code), _with_zone(_clock(date, code), date.offset, code), code)


def _qualify(date: Date, text: str, code: str) -> str:
    if date.approximate and date.uncertain:
        key, context = "c. {date}?", "approximate and uncertain"
    elif date.approximate:
        key, context = "c. {date}", "approximate"
    elif date.uncertain:
        key, context = "{date}?", "uncertain"
    else:
        return text
    return translations(code).pgettext(context, key).format(date=text)


#: Dates repeat across a timeline (the same day in many sources, the same month or year):
#: each is written once per locale.  Dates are frozen, so they are their own cache keys.
_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=_CACHE_SIZE)
def localized_date(date: Date, code: str) -> str:
    """One date in the language of a resolved locale code other than English."""
    return _qualify(date, _plain(date, code), code)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def localized_span(start: Date, end: Date | None, ongoing: bool, code: str) -> str:
    """A span, sharing what both ends have in common where CLDR has an interval pattern for it."""
    if ongoing:
        if end is not None:
            raise ValueError("a span that is still going on has no end date")
        open_end = translations(code).pgettext("open end", "ongoing")
        return fallback_interval(code).format(localized_date(start, code), open_end)
    if end is None:
        return localized_date(start, code)
    first, last = localized_date(start, code), localized_date(end, code)
    if first == last:
        return first
    return _compact(start, end, code) or fallback_interval(code).format(first, last)


def _halves(halves: Sequence[str], start: Date, end: Date, code: str) -> str:
    return _apply(halves[0], start, code) + _apply(halves[1], end, code)


def _compact(start: Date, end: Date, code: str) -> str | None:
    if start.approximate or start.uncertain or end.approximate or end.uncertain:
        return None
    if not (1 <= start.year <= 9999 and 1 <= end.year <= 9999):
        return None  # composed years: two full dates
    if start.has_time or end.has_time:
        return _compact_times(start, end, code)
    precision = start.precision
    if precision is not end.precision:
        return None
    if start.year != end.year:
        greatest = "y"
    elif precision is Precision.YEAR:
        return None
    elif start.month != end.month:
        greatest = "M"
    else:
        greatest = "d"
    halves = _interval(code, _SKELETONS[precision], greatest)
    return _halves(halves, start, end, code) if halves else None


def _compact_times(start: Date, end: Date, code: str) -> str | None:
    same_day = start.first_day() == end.first_day()
    if not (start.has_time and end.has_time and same_day and start.offset == end.offset):
        return None
    if start.second is not None or end.second is not None:
        times = fallback_interval(code).format(_clock(start, code), _clock(end, code))
    else:
        twelve_hour = "h" in _locale(code).time_formats["short"].pattern
        assert start.hour is not None and end.hour is not None
        if twelve_hour and (start.hour < 12) != (end.hour < 12):
            greatest = "a"
        elif start.hour != end.hour:
            greatest = "h" if twelve_hour else "H"
        else:
            greatest = "m"
        halves = _interval(code, "hm" if twelve_hour else "Hm", greatest)
        if halves is None:
            times = fallback_interval(code).format(_clock(start, code), _clock(end, code))
        else:
            times = _halves(halves, start, end, code)
    return _date_and_time(_calendar(start, code), _with_zone(times, start.offset, code), code)
