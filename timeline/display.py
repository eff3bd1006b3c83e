"""Dates and spans in plain English, saying no more than the data knows.

The wording is fixed here rather than taken from the locale, so output is
the same on every machine; a month-precision date never gains a day, and a
time without a known offset is shown without one.
"""

from __future__ import annotations

from ._calendar import MONTH_NAMES, format_offset, human_year
from .dates import Date, Precision

__all__ = ["MONTH_NAMES", "format_offset", "human_date", "human_span", "human_year"]

_DASH = "\u2013"  # en dash


def human_date(date: Date) -> str:
    """One date in English, e.g. "6 July 1961", "c. 1961?" or "19 June 2024, 03:00 (UTC+9)".

    The public ``timeline.human_date`` (:mod:`timeline.locales`) adds the
    ``locale`` keyword and comes here for English.
    """
    return _qualify(date, _plain(date))


def human_span(start: Date, end: Date | None = None, *, ongoing: bool = False) -> str:
    """A span in English, as compact as the two ends allow without hiding a qualifier.

    "June–July 1950" and "6–9 July 1961" share what both ends have in
    common; anything else is two full dates joined by a spaced en dash.
    The public ``timeline.human_span`` (:mod:`timeline.locales`) adds ``locale``.
    """
    if ongoing:
        if end is not None:
            raise ValueError("a span that is still going on has no end date")
        return f"{human_date(start)} {_DASH} ongoing"
    if end is None:
        return human_date(start)
    first, last = human_date(start), human_date(end)
    if first == last:
        return first
    return _compact(start, end) or f"{first} {_DASH} {last}"


def _calendar(date: Date) -> str:
    year = human_year(date.year)
    if date.month is None:
        return year
    month = MONTH_NAMES[date.month - 1]
    if date.day is None:
        return f"{month} {year}"
    return f"{date.day} {month} {year}"


def _clock(date: Date) -> str:
    text = f"{date.hour:02d}:{date.minute or 0:02d}"
    if date.second is not None:
        text += f":{date.second:02d}"
    return text


def _zone_note(date: Date) -> str:
    return "" if date.offset is None else f" ({format_offset(date.offset)})"


def _plain(date: Date) -> str:
    """The date without its qualifiers."""
    if date.hour is None:
        return _calendar(date)
    return f"{_calendar(date)}, {_clock(date)}{_zone_note(date)}"


def _qualify(date: Date, text: str) -> str:
    if date.approximate:
        text = f"c. {text}"
    if date.uncertain:
        text = f"{text}?"
    return text


def _compact(start: Date, end: Date) -> str | None:
    """The shared-parts form of a span, or None when there is none."""
    if start.approximate or start.uncertain or end.approximate or end.uncertain:
        return None
    if start.has_time or end.has_time:
        same_day = start.first_day() == end.first_day()
        if start.has_time and end.has_time and same_day and start.offset == end.offset:
            clocks = f"{_clock(start)}{_DASH}{_clock(end)}"
            return f"{_calendar(start)}, {clocks}{_zone_note(start)}"
        return None
    precision = start.precision
    if precision is not end.precision:
        return None
    if precision is Precision.YEAR:
        if start.year > 0 and end.year > 0:
            return f"{start.year}{_DASH}{end.year}"
        return None
    if start.year != end.year:
        return None
    year = human_year(start.year)
    assert start.month is not None and end.month is not None
    first_month, last_month = MONTH_NAMES[start.month - 1], MONTH_NAMES[end.month - 1]
    if precision is Precision.MONTH:
        return f"{first_month}{_DASH}{last_month} {year}"
    if start.month == end.month:
        return f"{start.day}{_DASH}{end.day} {first_month} {year}"
    return f"{start.day} {first_month} {_DASH} {end.day} {last_month} {year}"
