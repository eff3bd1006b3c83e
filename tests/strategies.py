"""Hypothesis strategies for dates and spans, shared by the test modules.

``dates()`` builds :class:`Date` values exactly as :meth:`Date.parse` would
return them (no zone; offsets only where the text had one), so a test can
round-trip them through ``isoformat()``.
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from timeline.dates import Date, Precision, days_in_month

__all__ = ["date_texts", "dates", "offsets", "spans"]

ALL_PRECISIONS = tuple(Precision)

#: Offsets the parser accepts, in minutes east of UTC (within ±18:00).
offsets = st.integers(min_value=-18 * 60, max_value=18 * 60)

# Real offsets are mostly whole or half hours; bias towards them.
_likely_offsets = st.one_of(
    st.sampled_from([0, 60, -300, 330, 345, 510, 540, 570, -570, 840, -720, 1080, -1080]),
    offsets,
)


@st.composite
def dates(
    draw: st.DrawFn,
    precisions: Iterable[Precision] = ALL_PRECISIONS,
    with_qualifiers: bool = True,
    bce: bool = True,
    *,
    long_years: bool = True,
    local_times: bool = True,
) -> Date:
    """Valid dates at the given precisions.

    ``bce`` allows years before 1 CE (year 0 and below); ``long_years`` allows
    year-only dates beyond four digits (``Y170000``); ``local_times`` allows
    times without an offset, which a loader must resolve with ``in_zone``.
    """
    precision = draw(st.sampled_from(sorted(set(precisions))))
    low = -9999 if bce else 1
    year_range = st.integers(min_value=low, max_value=9999)
    if precision is Precision.YEAR and long_years:
        far = st.integers(min_value=10_000, max_value=10**9)
        far_years = st.one_of(far, far.map(lambda y: -y)) if bce else far
        year = draw(st.one_of(year_range, far_years))
    else:
        year = draw(year_range)
    approximate, uncertain = draw(_qualifiers(with_qualifiers))
    if precision is Precision.YEAR:
        return Date(year, approximate=approximate, uncertain=uncertain)
    month = draw(st.integers(min_value=1, max_value=12))
    if precision is Precision.MONTH:
        return Date(year, month, approximate=approximate, uncertain=uncertain)
    day = draw(st.integers(min_value=1, max_value=days_in_month(year, month)))
    if precision is Precision.DAY:
        return Date(year, month, day, approximate=approximate, uncertain=uncertain)
    hour = draw(st.integers(min_value=0, max_value=23))
    minute = draw(st.integers(min_value=0, max_value=59))
    second = draw(st.integers(min_value=0, max_value=59)) if precision is Precision.SECOND else None
    offset = draw(st.one_of(st.none(), _likely_offsets) if local_times else _likely_offsets)
    return Date(year, month, day, hour, minute, second, offset)


def _qualifiers(allowed: bool) -> st.SearchStrategy[tuple[bool, bool]]:
    """(approximate, uncertain); unqualified dates are drawn half the time."""
    if not allowed:
        return st.just((False, False))
    return st.sampled_from([(False, False), (False, False), (True, False), (False, True), (True, True)])


@st.composite
def spans(
    draw: st.DrawFn,
    precisions: Iterable[Precision] = ALL_PRECISIONS,
    with_qualifiers: bool = True,
    bce: bool = True,
) -> tuple[Date, Date | None, bool]:
    """``(start, end, ongoing)`` as :func:`parse_span` returns them.

    Ends never sort before starts.  About a fifth are ongoing and a fifth are
    single dates (end None).
    """
    precisions = tuple(precisions)
    start = draw(dates(precisions, with_qualifiers, bce, local_times=False))
    shape = draw(st.sampled_from(["span", "span", "span", "ongoing", "single"]))
    if shape == "ongoing":
        return start, None, True
    if shape == "single":
        return start, None, False
    end = draw(dates(precisions, with_qualifiers, bce, local_times=False))
    if end.sort_key() < start.sort_key():
        start, end = end, start
    return start, end, False


@st.composite
def date_texts(draw: st.DrawFn, precisions: Iterable[Precision] = ALL_PRECISIONS) -> tuple[str, Date]:
    """Valid date strings in any accepted spelling, with the date they mean.

    Besides the canonical form this varies what the syntax allows: surrounding
    whitespace and the ``±hh``, ``±hhmm``, ``+00:00`` and ``Z`` offset forms.
    """
    date = draw(dates(precisions))
    text = date.isoformat()
    if date.offset is not None:
        base = text[: -1 if text.endswith("Z") else -6]
        sign = "-" if date.offset < 0 else "+"
        hours, minutes = divmod(abs(date.offset), 60)
        spellings = [f"{sign}{hours:02d}:{minutes:02d}", f"{sign}{hours:02d}{minutes:02d}"]
        if minutes == 0:
            spellings.append(f"{sign}{hours:02d}")
        if date.offset == 0:
            spellings += ["Z", "-00:00"]
        text = base + draw(st.sampled_from(spellings))
    space = st.sampled_from(["", " ", "  ", "\t", "\n"])
    return draw(space) + text + draw(space), date
