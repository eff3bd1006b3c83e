"""Which events and eras overlap a period: the rule behind ``--since``/``--until``.

Everything is compared on one clock, the timeline's: its ``timezone``, or
UTC if it has none.  A date covers a stretch of that clock, as much as it
is known:

- a date without a time covers its calendar days there (``2024`` is all of
  2024, ``2024-06-19`` the whole day), whatever the event's own zone;
- a time covers its minute (or its second, when seconds are written): a
  time with an offset is first converted to the timeline's zone, a time
  without one (a bound typed on the command line) is read in it.

An event or era is kept when its span, from the start of its ``start`` to
the end of its ``end`` (or of its ``start`` when it has no end; forever when
it is ongoing), overlaps the window from the start of ``since`` to the end
of ``until``.  Positions are whole seconds of wall-clock time counted from
1970-01-01 00:00 on that clock, so every comparison is between integers.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .dates import Date, civil_from_days, days_from_civil

if TYPE_CHECKING:  # pragma: no cover
    from datetime import tzinfo

__all__ = ["Window", "reversed_window"]

_DAY = 86400
#: Beyond any date: the open side of a window or of an ongoing span.
_FOREVER = float("inf")
#: 400 Gregorian years, in days: the calendar repeats after this.
_CYCLE_DAYS = 146097


def _zone_info(name: str | None) -> tzinfo | None:
    if name is None:
        return None
    from .dates import _zone

    return _zone(name)


@functools.lru_cache(maxsize=4096)
def _local_offset(zone: str, utc_seconds: int) -> int:
    """Seconds east of UTC on ``zone``'s clocks at an instant (0 for an unknown zone)."""
    from datetime import datetime, timedelta, timezone

    tz = _zone_info(zone)
    if tz is None:
        return 0
    days, rest = divmod(utc_seconds, _DAY)
    # datetime holds years 1 to 9999; the calendar repeats every 400 years,
    # and the tz database has only local mean time before 1900 anyway.
    low, high = -719162 + _CYCLE_DAYS, 2932896 - _CYCLE_DAYS  # about the years 400 and 9600
    if days < low:
        days += -((days - low) // _CYCLE_DAYS) * _CYCLE_DAYS
    elif days > high:
        days -= -(-(days - high) // _CYCLE_DAYS) * _CYCLE_DAYS
    instant = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=days, seconds=rest)
    delta = instant.astimezone(tz).utcoffset()
    return 0 if delta is None else int(delta.total_seconds())


class Window:
    """The period from ``since`` to ``until`` (either may be open) on one timeline's clock."""

    def __init__(self, since: Date | None, until: Date | None, zone: str | None) -> None:
        self.zone = zone
        self.low: float = -_FOREVER if since is None else self.first(since)
        self.high: float = _FOREVER if until is None else self.after(until)
        # For dates without a time (most of them), the same tests on calendar
        # days: a date's days start on or after ``high`` once its first day
        # is on or after the day ``high`` rounds up to, and reach past
        # ``low`` once its last day is on or after the day ``low`` falls in.
        self._first_out = None if until is None else civil_from_days(-(-int(self.high) // _DAY))
        self._last_in = None if since is None else civil_from_days(int(self.low) // _DAY)

    @property
    def is_empty(self) -> bool:
        return self.low >= self.high

    def _time(self, date: Date) -> int:
        """Where a time stands on the clock (its first second)."""
        wall = (
            days_from_civil(date.year, date.month or 1, date.day or 1) * _DAY
            + (date.hour or 0) * 3600
            + (date.minute or 0) * 60
            + (date.second or 0)
        )
        if date.offset is None or (date.zone is not None and date.zone == self.zone):
            return wall  # already a wall-clock time in the timeline's zone
        utc = wall - date.offset * 60
        return utc if self.zone is None else utc + _local_offset(self.zone, utc)

    def first(self, date: Date) -> int:
        """The first second the date covers."""
        if date.hour is None:
            return days_from_civil(date.year, date.month or 1, date.day or 1) * _DAY
        return self._time(date)

    def after(self, date: Date) -> int:
        """The first second after the date."""
        if date.hour is None:
            year, month, day = date.last_day()
            return (days_from_civil(year, month, day) + 1) * _DAY
        return self._time(date) + (1 if date.second is not None else 60)

    def overlaps(self, start: Date, end: Date | None, ongoing: bool) -> bool:
        """True if the span from ``start`` to ``end`` (or on, if ``ongoing``) overlaps the window."""
        if self._first_out is not None:
            if start.hour is None:
                if start.first_day() >= self._first_out:
                    return False
            elif self._time(start) >= self.high:
                return False
        if self._last_in is None or ongoing:
            return True
        last = end or start
        if last.hour is None:
            return last.last_day() >= self._last_in
        return self.after(last) > self.low


def reversed_window(since: Date, until: Date, zone: str | None) -> str | None:
    """Why no date can be in both ``since`` and ``until``'s range, or ``None``."""
    if Window(since, until, zone).is_empty:
        return f"the period is empty: since {since.isoformat()} is after until {until.isoformat()}"
    return None
