"""Dates as written in timeline data: a fast parser for a subset of EDTF.

The ``edtf`` package would parse these too, but at milliseconds per date it
makes large timelines crawl and its errors do not say what is wrong, so this
module parses the subset itself with one regular expression and explains
every rejection.  See ``docs/dates.md`` for the syntax and the ordering rule.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import TYPE_CHECKING

import attrs

from ._calendar import MONTH_NAMES, format_offset, human_year
from .errors import ArgumentTypeError, DateError, wrong_type

if TYPE_CHECKING:  # pragma: no cover
    from datetime import datetime, tzinfo

__all__ = [
    "Date",
    "Precision",
    "days_in_month",
    "is_leap_year",
    "parse_span",
]


class Precision(enum.IntEnum):
    """How much of a date is known; a larger value is finer."""

    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4
    SECOND = 5


_MAX_OFFSET = 18 * 60
_EXPECTED = "expected EDTF such as 2024-06-19, 2024-06 or 2024"
_YEAR_DIGITS = "the year needs four digits (use -0044 for 45 BCE, Y12345 for years past 9999)"

# The accepted syntax in one pass; values are range-checked afterwards.
# Groups: year, month, day, hour, minute, second, offset, offset sign, offset
# hours, offset minutes, long year, qualifier.
_DATE_RE = re.compile(
    r"(?:(-?[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
    r"(Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?)?)?"
    r"|Y(-?[1-9][0-9]{4,}))"
    r"([~?%])?"
)


def is_leap_year(year: int) -> bool:
    """Proleptic Gregorian leap year; ``year`` is astronomical (0 is 1 BCE)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Length of a month in the proleptic Gregorian calendar."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not between 1 and 12")
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar: pure integer arithmetic, any year
    (astronomical numbering: 0 is 1 BCE).  For placing dates on a scale, as a picture's axis does."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """``(year, month, day)`` that many days after 1970-01-01: the inverse of :func:`days_from_civil`."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


@attrs.frozen(slots=True)
class Date:
    """A calendar date, possibly with a time, known only as far as written.

    Missing fields mean "not known", not "zero": ``Date(1961)`` is the whole
    year.  Build dates with :meth:`parse`; the constructor does no checking,
    to keep parsing a million dates fast.
    """

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset: int | None = None
    zone: str | None = None
    approximate: bool = False
    uncertain: bool = False

    @classmethod
    def parse(cls, text: str) -> Date:
        """Parse EDTF text; :class:`DateError` says what is wrong with it."""
        if not isinstance(text, str):
            raise wrong_type("Date.parse(text)", "a str such as '2024-06-19'", text)
        return _parse(text)

    def __str__(self) -> str:
        """The EDTF text, as :meth:`isoformat` (``repr`` shows the fields)."""
        return self.isoformat()

    # Dates are not ordered by ``<``: is 1961 before or after 1961-07-06?  It
    # covers it.  Sorting needs a key, and the one timelines use is sort_key().
    def __lt__(self, other: object) -> bool:
        return _unordered(self, other, "<")

    def __le__(self, other: object) -> bool:
        return _unordered(self, other, "<=")

    def __gt__(self, other: object) -> bool:
        return _unordered(self, other, ">")

    def __ge__(self, other: object) -> bool:
        return _unordered(self, other, ">=")

    @property
    def precision(self) -> Precision:
        """The finest field that is known."""
        if self.second is not None:
            return Precision.SECOND
        if self.hour is not None:
            return Precision.MINUTE
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def has_time(self) -> bool:
        return self.hour is not None

    @property
    def is_local(self) -> bool:
        """A time with no offset or zone yet: it must go through :meth:`in_zone`."""
        return self.hour is not None and self.offset is None and self.zone is None

    def isoformat(self) -> str:
        """Canonical EDTF, which :meth:`parse` turns back into an equal date.

        A date resolved by :meth:`in_zone` is written as its local time
        without the offset, because the zone is stored next to it.
        """
        year = self.year
        if -9999 <= year <= 9999:
            text = f"-{-year:04d}" if year < 0 else f"{year:04d}"
        else:
            text = f"Y{year}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute or 0:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            if self.offset is not None and self.zone is None:
                text += _offset_text(self.offset)
        if self.approximate and self.uncertain:
            text += "%"
        elif self.approximate:
            text += "~"
        elif self.uncertain:
            text += "?"
        return text

    def in_zone(self, zone: str) -> Date:
        """Resolve a local time in an IANA zone, using the offset in force then.

        The tz database knows historical changes (Pyongyang was UTC+8:30 in
        2016), so the offset depends on the date.  In a repeated hour the
        earlier instant is chosen; a time the clocks skipped is an error.
        """
        if type(zone) is not str and not isinstance(zone, str):
            raise wrong_type("Date.in_zone(zone)", "an IANA zone name (a str) such as 'Asia/Pyongyang'", zone)
        if self.hour is None or self.offset is not None:
            return self
        try:
            offset = _offset_at(
                zone,
                self.year,
                self.month or 1,
                self.day or 1,
                self.hour,
                self.minute or 0,
                self.second or 0,
            )
        except DateError as error:
            raise DateError(self.isoformat(), error.reason) from None
        # The constructor directly: attrs.evolve costs several times more,
        # and a big timeline resolves hundreds of thousands of times.
        return Date(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            offset,
            zone,
            self.approximate,
            self.uncertain,
        )

    def sort_key(self) -> tuple[int, ...]:
        """Chronological key of five ints, the same on every machine.

        (year, month or 0, day or 0, has time, seconds from the written
        day's midnight UTC): a coarse date sorts before the finer dates
        inside it, and times on the same written day sort by instant.
        """
        if self.hour is None:
            return (self.year, self.month or 0, self.day or 0, 0, 0)
        seconds = self.hour * 3600 + (self.minute or 0) * 60 + (self.second or 0)
        return (
            self.year,
            self.month or 0,
            self.day or 0,
            1,
            seconds - (self.offset or 0) * 60,
        )

    def first_day(self) -> tuple[int, int, int]:
        """The first calendar day the date covers, e.g. 1961 gives (1961, 1, 1)."""
        return (self.year, self.month or 1, self.day or 1)

    def last_day(self) -> tuple[int, int, int]:
        """The last calendar day the date covers, e.g. 1961-02 gives (1961, 2, 28)."""
        month = self.month or 12
        day = self.day or days_in_month(self.year, month)
        return (self.year, month, day)

    def utc_fields(self) -> tuple[int, int, int, int, int, int]:
        """Year, month, day, hour, minute, second in UTC, for a time with an offset."""
        if self.hour is None or self.offset is None:
            raise ValueError(f"{self.isoformat()} has no time with a known UTC offset")
        seconds = self.hour * 3600 + (self.minute or 0) * 60 + (self.second or 0) - self.offset * 60
        shift, seconds = divmod(seconds, 86400)
        year, month, day = civil_from_days(days_from_civil(self.year, self.month or 1, self.day or 1) + shift)
        hour, rest = divmod(seconds, 3600)
        minute, second = divmod(rest, 60)
        return (year, month, day, hour, minute, second)


def _unordered(date: Date, other: object, op: str) -> bool:
    if not isinstance(other, Date):
        return NotImplemented  # type: ignore[no-any-return]
    raise ArgumentTypeError(
        f"Date objects cannot be compared with {op} (here {date.isoformat()} and {other.isoformat()}):"
        " a date covers a period at its precision, so dates have no single order;"
        " use date.sort_key() for the order timelines sort by (coarse before fine),"
        " or date.first_day() / date.last_day() for the calendar days it covers"
    )


def _offset_text(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> Date:
    """The parser behind :meth:`Date.parse`, cached because dates repeat.

    Only range checks happen here; when one fails, :func:`_diagnose` works
    out the reason, so the common path stays short.
    """
    stripped = text.strip()
    match = _DATE_RE.fullmatch(stripped)
    if match is None:
        raise DateError(text, _diagnose(stripped))
    year_s, month_s, day_s, hour_s, minute_s, second_s, offset_s, sign, offset_h, offset_m, long_s, mark = (
        match.groups()
    )
    month = day = hour = minute = second = offset = None
    if long_s is not None:
        year = int(long_s)
    else:
        year = int(year_s)
        ok = year != 0 or year_s[0] != "-"
        if month_s is not None:
            month = int(month_s)
            ok = ok and 1 <= month <= 12
            if day_s is not None:
                day = int(day_s)
                ok = ok and day >= 1 and (day <= 28 or day <= days_in_month(year, month))
                if hour_s is not None:
                    hour, minute = int(hour_s), int(minute_s)
                    ok = ok and mark is None and hour <= 23 and minute <= 59
                    if second_s is not None:
                        second = int(second_s)
                        ok = ok and second <= 59
                    if sign is not None:
                        offset_minutes = 0 if offset_m is None else int(offset_m)
                        offset = int(offset_h) * 60 + offset_minutes
                        ok = ok and offset_minutes <= 59 and offset <= _MAX_OFFSET
                        offset = -offset if sign == "-" else offset
                    elif offset_s is not None:
                        offset = 0
        if not ok:
            raise DateError(text, _diagnose(stripped))
    approximate = mark == "~" or mark == "%"
    uncertain = mark == "?" or mark == "%"
    return Date(year, month, day, hour, minute, second, offset, None, approximate, uncertain)


# --- explaining rejections (slow path, only for bad input) -------------------

# Compiled on first use (``re`` caches them): only bad input needs these, so
# importing the module stays cheap.
_LOOSE = (
    r"(-?)([0-9]+)(?:-([0-9]+)(?:-([0-9]+))?)?"
    r"(?:([Tt ])([0-9]+)(?::([0-9]+)(?::([0-9]+)([.,][0-9]*)?)?)?(.*))?"
)
_OFFSET = r"[+-]([0-9]{2})(?::?([0-9]{2}))?"
_NUMERIC_SLASHES = r"[0-9]{1,4}/[0-9]{1,2}/[0-9]{1,4}"
_UNSPECIFIED = r"-?[0-9Xx]{4}(?:-[0-9Xx]{2}){0,2}[~?%]?"
_QUALIFIERS = "~?%"


def _diagnose(text: str) -> str:
    """Why ``text`` (already stripped) is not a date we accept."""
    if not text:
        return f"the text is empty; {_EXPECTED}"
    if any(ch in text for ch in "\u2010\u2011\u2012\u2013\u2014\u2212"):
        return "use the plain hyphen-minus '-' between parts, not a typographic dash"
    if "/" in text:
        if re.fullmatch(_NUMERIC_SLASHES, text):
            return "write the date as year-month-day with '-', e.g. 2024-06-19"
        return "'/' joins the two ends of a span; a single date is expected here"
    if "X" in text.upper() and re.fullmatch(_UNSPECIFIED, text):
        return "unspecified digits (X) are not supported; write an approximate date instead, e.g. 1965~"
    core = text.rstrip(_QUALIFIERS)
    marks = text[len(core) :]
    if len(marks) > 1:
        return "use a single qualifier at the end: ~ (approximate), ? (uncertain) or % (both)"
    if any(ch in core for ch in _QUALIFIERS):
        return "a qualifier (~ ? %) goes only at the end, and applies to the whole date"
    if core[:1] in ("Y", "y"):
        return _diagnose_long_year(core)
    match = re.fullmatch(_LOOSE, core, re.DOTALL)
    if match is None:
        return _EXPECTED
    return _diagnose_parts(match, marks) or _EXPECTED


def _diagnose_long_year(core: str) -> str:
    if core[0] == "y":
        return "write the long-year prefix as a capital Y, e.g. Y12345"
    body = core[1:]
    digits = body[1:] if body.startswith("-") else body
    if not digits.isdigit() or not digits.isascii():
        if re.fullmatch(r"-?[0-9]+-.*", body, re.DOTALL):
            return "a Y-year stands alone: it cannot have a month, day or time"
        return "after Y comes a year of five or more digits, e.g. Y12345 or Y-12345"
    if len(digits) > 1 and digits[0] == "0":
        return "write a Y-year without leading zeros, e.g. Y12345"
    year = int(body)
    four = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"the Y prefix is only for years beyond four digits; write {four}"


def _diagnose_parts(match: re.Match[str], marks: str) -> str | None:
    """The first specific problem in a date-shaped string, if any."""
    sign, year_s, month_s, day_s, sep, hour_s, minute_s, second_s, frac, offset_s = match.groups()
    if len(year_s) != 4:
        return _YEAR_DIGITS
    year = -int(year_s) if sign else int(year_s)
    if sign and year == 0:
        return "there is no year -0000; 1 BCE is written 0000"
    if month_s is not None:
        if len(month_s) != 2:
            return "the month needs two digits, e.g. 2024-06"
        month = int(month_s)
        if not 1 <= month <= 12:
            reason = f"month {month} is not between 1 and 12"
            if 21 <= month <= 41:
                reason += " (EDTF seasons are not supported)"
            return reason
        if day_s is not None:
            if len(day_s) != 2:
                return "the day needs two digits, e.g. 2024-06-09"
            day = int(day_s)
            length = days_in_month(year, month)
            if day == 0:
                return "there is no day 0; days start at 01"
            if day > length:
                month_name = MONTH_NAMES[month - 1]
                return f"{month_name} {human_year(year)} has {length} days"
    if sep is not None:
        return _diagnose_time(day_s, sep, hour_s, minute_s, second_s, frac, offset_s, marks)
    return None


def _diagnose_time(
    day_s: str | None,
    sep: str,
    hour_s: str,
    minute_s: str | None,
    second_s: str | None,
    frac: str | None,
    offset_s: str | None,
    marks: str,
) -> str | None:
    if day_s is None:
        return "a time needs a full date before it, e.g. 2024-06-19T03:00"
    if sep == " ":
        return "join the date and time with T, e.g. 2024-06-19T03:00"
    if sep == "t":
        return "write the time separator as a capital T, e.g. 2024-06-19T03:00"
    if minute_s is None:
        return "a time needs hours and minutes, e.g. T03:00"
    if len(hour_s) != 2 or len(minute_s) != 2 or (second_s and len(second_s) != 2):
        return "hours, minutes and seconds need two digits each, e.g. T03:00 or T03:00:15"
    hour, minute = int(hour_s), int(minute_s)
    if hour > 23:
        reason = f"hour {hour} is not between 0 and 23"
        return reason + (" (write 00:00 of the next day)" if hour == 24 else "")
    if minute > 59:
        return f"minute {minute} is not between 0 and 59"
    if second_s is not None and int(second_s) > 59:
        reason = f"second {int(second_s)} is not between 0 and 59"
        return reason + (" (leap seconds are not supported)" if second_s == "60" else "")
    if frac is not None:
        return "fractions of a second are not supported"
    offset_reason = _diagnose_offset(offset_s) if offset_s else None
    if offset_reason:
        return offset_reason
    if marks:
        return "a qualifier (~ ? %) applies only to a date without a time"
    return None


def _diagnose_offset(text: str) -> str | None:
    if text == "Z":
        return None
    if text == "z":
        return "write UTC as a capital Z"
    match = re.fullmatch(_OFFSET, text)
    if match is None:
        return "a UTC offset is written Z, +hh:mm, +hhmm or +hh, e.g. +09:00"
    hours, minutes = int(match[1]), int(match[2] or "0")
    if minutes > 59:
        return f"UTC offset {text} has more than 59 minutes"
    if hours * 60 + minutes > _MAX_OFFSET:
        return f"UTC offset {text} is out of range"
    return None


# --- spans -------------------------------------------------------------------


def parse_span(text: str) -> tuple[Date, Date | None, bool]:
    """``start/end``, ``start/..`` (ongoing) or a single date.

    Returns (start, end, ongoing); end is None for a single date and for an
    ongoing span.  EDTF's open or unknown ends other than ``..`` are refused,
    since a timeline has to draw the span somewhere.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_span() needs a str, not {type(text).__name__}")
    if "/" not in text:
        return Date.parse(text), None, False
    parts = text.strip().split("/")
    if len(parts) != 2:
        raise DateError(text, "a span has exactly one '/', between its start and end")
    left, right = parts[0].strip(), parts[1].strip()
    if left in ("", ".."):
        raise DateError(
            text,
            "a span needs a known start; '..' is allowed only as the end,"
            " for a span that is still going on (e.g. 2022-02-24/..)",
        )
    start = _span_side(text, left, "start")
    if right == "..":
        return start, None, True
    if right == "":
        raise DateError(
            text,
            f"the end is missing; write {left}/.. if it is still going on, or just {left} for a single date",
        )
    return start, _span_side(text, right, "end"), False


def _span_side(text: str, side: str, name: str) -> Date:
    try:
        return Date.parse(side)
    except DateError as error:
        raise DateError(text, f"the {name} {side!r}: {error.reason}") from None


# --- time zones ----------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> tzinfo | None:
    """The tz database entry for ``name``, or None if there is none.

    The standard library's ``zoneinfo``, over the tz database (the system's,
    or the ``tzdata`` package where there is none): cheap to import, which
    every export of data with local times pays.
    """
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # KeyError: ZoneInfoNotFoundError
        return None


@functools.lru_cache(maxsize=8192)
def _offset_at(zone: str, year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
    """Minutes east of UTC in ``zone`` at a local time (the earlier one if repeated)."""
    from datetime import datetime, timezone

    tz = _zone(zone)
    if tz is None:
        raise DateError(zone, f"unknown time zone {zone!r}")
    # datetime stops at year 1; the calendar repeats every 400 years and the
    # tz database has nothing but local mean time that early, so shift.
    safe_year = year if year >= 1 else (year % 400 or 400)
    local = datetime(safe_year, month, day, hour, minute, second)
    earlier = local.replace(tzinfo=tz)  # fold=0: in a repeated hour, the first time the clocks showed it
    try:
        # A time the clocks skipped does not survive the trip through UTC.
        skipped = earlier.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) != local
    except OverflowError:  # the first or last day datetime can hold: no transitions there
        skipped = False
    if skipped:
        raise DateError(zone, _gap_reason(tz, zone, local, year))
    delta = earlier.utcoffset()
    assert delta is not None
    # Offsets before about 1900 (local mean time) have seconds; round them.
    return (int(delta.total_seconds()) + 30) // 60


def _gap_reason(tz: tzinfo, zone: str, local: datetime, year: int) -> str:
    def minutes(fold: int) -> int:
        delta = local.replace(tzinfo=tz, fold=fold).utcoffset()
        return 0 if delta is None else int(delta.total_seconds()) // 60

    when = f"{local.hour:02d}:{local.minute:02d} on {local.day} {MONTH_NAMES[local.month - 1]} {human_year(year)}"
    return (
        f"{when} did not exist in {zone}: the clocks jumped from "
        f"{format_offset(minutes(0))} to {format_offset(minutes(1))}"
    )
