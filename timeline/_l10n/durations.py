"""How long a span lasted, in words: pendulum's calendar arithmetic and unit words.

pendulum's ``Interval`` counts whole years, then months, then days between
two instants the way a calendar does (31 January to 1 March is one month
and one day), and its locale data, generated from CLDR, has the unit words
with their plural forms.  Its own ``in_words`` would add weeks and seconds
and cannot leave out what the precision does not know, so the units are
chosen here and worded with the same data.  English joins them with spaces
as ``in_words`` does ("2 years 9 months"); other languages with CLDR's list
pattern for units where Babel has it in full ("2年9个月10天"), else spaces.

pendulum holds years 1 to 9999.  The Gregorian calendar repeats every 400
years, so a span outside that range is moved by a multiple of 400 years
into it, which changes no length.  A span too long to fit (over 9,600
years) is counted in years and months by arithmetic, without days.
"""

from __future__ import annotations

import functools
from typing import Literal

import pendulum

from ..dates import Date, Precision
from . import translations

__all__ = ["duration_words"]

#: Year, month, day, hour, minute.
_Anchor = tuple[int, int, int, int, int]
_ListStyle = Literal["unit", "unit-short", "unit-narrow"]
_LESS_THAN = {"year": "less than a year", "month": "less than a month", "day": "less than a day",
              "minute": "less than a minute"}


def _anchor(date: Date, precision: Precision, utc: bool) -> _Anchor:
    """Where the date starts, to the precision the duration is counted in."""
    if precision >= Precision.MINUTE:
        if utc:
            year, month, day, hour, minute, _ = date.utc_fields()
            return (year, month, day, hour, minute)
        return (date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0)
    if precision is Precision.DAY:
        return (date.year, date.month or 1, date.day or 1, 0, 0)
    if precision is Precision.MONTH:
        return (date.year, date.month or 1, 1, 0, 0)
    return (date.year, 1, 1, 0, 0)


def _units(precision: Precision) -> tuple[str, ...]:
    if precision is Precision.YEAR:
        return ("year",)
    if precision is Precision.MONTH:
        return ("year", "month")
    if precision is Precision.DAY:
        return ("year", "month", "day")
    return ("year", "month", "day", "hour", "minute")


def _counts(first: _Anchor, last: _Anchor) -> dict[str, int]:
    low, high = min(first[0], last[0]), max(first[0], last[0])
    shift = 0
    if low < 1:
        shift = (1 - low + 399) // 400 * 400
    elif high > 9999:
        shift = -((high - 9999 + 399) // 400 * 400)
    if low + shift >= 1 and high + shift <= 9999:
        # naive: the anchors are already UTC (or both local), and naive ones count the same, twice as fast
        start = pendulum.naive(first[0] + shift, first[1], first[2], first[3], first[4])
        end = pendulum.naive(last[0] + shift, last[1], last[2], last[3], last[4])
        interval = pendulum.interval(start, end)
        return {
            "year": interval.years,
            "month": interval.months,
            "day": interval.weeks * 7 + interval.remaining_days,
            "hour": interval.hours,
            "minute": interval.minutes,
        }
    months = (last[0] - first[0]) * 12 + last[1] - first[1] - (last[2:] < first[2:])
    return {"year": months // 12, "month": months % 12, "day": 0, "hour": 0, "minute": 0}


def duration_words(start: Date, end: Date, precision: Precision, code: str, about: bool = False) -> str:
    """"3 years", "2 years 9 months 10 days", "4 hours 30 minutes", in a resolved locale code.

    ``about`` puts the catalogue's "about {duration}" around a count (not
    around "less than a month", which is already no exact figure).
    """
    return _duration_words(start, end, precision, code, about)


@functools.lru_cache(maxsize=4096)
def _duration_words(start: Date, end: Date, precision: Precision, code: str, about: bool) -> str:
    utc = precision >= Precision.MINUTE and start.offset is not None and end.offset is not None
    first, last = _anchor(start, precision, utc), _anchor(end, precision, utc)
    if last < first:
        raise ValueError(f"the span ends ({end}) before it starts ({start})")
    counts = _counts(first, last)
    units = _units(precision)
    locale = pendulum.locale(code)
    words = [
        str(locale.translation(f"units.{unit}.{locale.plural(counts[unit])}")).format(counts[unit])
        for unit in units
        if counts[unit]
    ]
    if not words:
        return translations(code).pgettext("duration", _LESS_THAN[units[-1]])
    text = " ".join(words)  # as pendulum's in_words joins them
    if code != "en":
        style = _unit_list_style(code)
        if style is not None:
            from babel.lists import format_list

            text = str(format_list(words, style=style, locale=code))
    if about:
        text = translations(code).pgettext("duration", "about {duration}").format(duration=text)
    return text


@functools.cache
def _unit_list_style(code: str) -> _ListStyle | None:
    """The widest of CLDR's list patterns for units that the locale's data has in full, if any.

    Babel gives a style's patterns as the locale defines them, without what
    CLDR inherits, so a partial one would fail; the words are then joined
    with spaces like pendulum's.
    """
    from babel import Locale

    patterns = Locale.parse(code).list_patterns
    styles: tuple[_ListStyle, ...] = ("unit", "unit-short", "unit-narrow")
    for style in styles:
        if style in patterns and all(key in patterns[style] for key in ("start", "middle", "end", "2")):
            return style
    return None
