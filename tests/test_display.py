"""English wording of dates and spans (timeline.display)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import dates, spans
from timeline.dates import Date, Precision, parse_span
from timeline.display import MONTH_NAMES, format_offset, human_date, human_span, human_year

P = Precision
DASH = "\u2013"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1961", "1961"),
        ("1961-07", "July 1961"),
        ("1961-07-06", "6 July 1961"),
        ("2024-06-19T03:00+09:00", "19 June 2024, 03:00 (UTC+9)"),
        ("2024-06-19T03:00:15+09:00", "19 June 2024, 03:00:15 (UTC+9)"),
        ("2024-06-19T03:00:00Z", "19 June 2024, 03:00:00 (UTC)"),
        ("2016-06-01T12:00+08:30", "1 June 2016, 12:00 (UTC+8:30)"),
        ("2024-06-19T03:00", "19 June 2024, 03:00"),
        ("1961~", "c. 1961"),
        ("1961?", "1961?"),
        ("1961%", "c. 1961?"),
        ("1961-07-06~", "c. 6 July 1961"),
        ("-0043", "44 BCE"),
        ("-0043-03-15", "15 March 44 BCE"),
        ("0000", "1 BCE"),
        ("0001", "1"),
        ("Y170000", "170000"),
        ("Y-169999", "170000 BCE"),
    ],
)
def test_human_date_examples(text: str, shown: str) -> None:
    assert human_date(Date.parse(text)) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(540, "UTC+9"), (510, "UTC+8:30"), (0, "UTC"), (-300, "UTC-5"), (-570, "UTC-9:30"), (345, "UTC+5:45")],
)
def test_format_offset(minutes: int, shown: str) -> None:
    assert format_offset(minutes) == shown


def test_human_date_follows_the_zone_resolved_offset() -> None:
    date = Date.parse("2016-06-01T12:00").in_zone("Asia/Pyongyang")
    assert human_date(date) == "1 June 2016, 12:00 (UTC+8:30)"


@pytest.mark.parametrize(
    ("span", "shown"),
    [
        ("2022-02-24/..", f"24 February 2022 {DASH} ongoing"),
        ("1950-06/1950-07", f"June{DASH}July 1950"),
        ("1950/1953", f"1950{DASH}1953"),
        ("1961-07-06/1961-07-09", f"6{DASH}9 July 1961"),
        ("1961-06-30/1961-07-02", f"30 June {DASH} 2 July 1961"),
        ("1950-06/1953-07", f"June 1950 {DASH} July 1953"),
        ("2024-06-19T03:00+09:00/2024-06-19T05:00+09:00", f"19 June 2024, 03:00{DASH}05:00 (UTC+9)"),
        ("1950~/1953?", f"c. 1950 {DASH} 1953?"),
        ("1950-06~/1950-07", f"c. June 1950 {DASH} July 1950"),
        ("1961-07-06/1961-07-06", "6 July 1961"),
        ("1961/1961", "1961"),
        ("1961-06-30/1962-07-02", f"30 June 1961 {DASH} 2 July 1962"),
        ("1961/1961-07", f"1961 {DASH} July 1961"),
        ("-0049/-0043", f"50 BCE {DASH} 44 BCE"),
        ("-0043-01/-0043-03", f"January{DASH}March 44 BCE"),
        (
            "2024-06-19T03:00+09:00/2024-06-19T05:00+08:00",
            f"19 June 2024, 03:00 (UTC+9) {DASH} 19 June 2024, 05:00 (UTC+8)",
        ),
        (
            "2024-06-19T23:00+09:00/2024-06-20T01:00+09:00",
            f"19 June 2024, 23:00 (UTC+9) {DASH} 20 June 2024, 01:00 (UTC+9)",
        ),
        ("2024-06-19T03:00:00Z/2024-06-19T03:00:15Z", f"19 June 2024, 03:00:00{DASH}03:00:15 (UTC)"),
        ("2024-06-19/2024-06-19T05:00Z", f"19 June 2024 {DASH} 19 June 2024, 05:00 (UTC)"),
    ],
)
def test_human_span_examples(span: str, shown: str) -> None:
    start, end, ongoing = parse_span(span)
    assert human_span(start, end, ongoing=ongoing) == shown


def test_human_span_same_day_zoned_times() -> None:
    start = Date.parse("2024-06-19T03:00").in_zone("Asia/Seoul")
    end = Date.parse("2024-06-19T05:00").in_zone("Asia/Seoul")
    assert human_span(start, end) == f"19 June 2024, 03:00{DASH}05:00 (UTC+9)"


def test_human_span_of_a_single_date() -> None:
    assert human_span(Date(1961, 7)) == "July 1961"


def test_human_span_refuses_an_end_on_an_ongoing_span() -> None:
    with pytest.raises(ValueError):
        human_span(Date(1961), Date(1962), ongoing=True)


def test_human_year() -> None:
    assert [human_year(y) for y in (1961, 1, 0, -43, -170000)] == ["1961", "1", "1 BCE", "44 BCE", "170001 BCE"]


# --- properties ----------------------------------------------------------------


def numbers(text: str) -> list[str]:
    return re.findall(r"[0-9]+", text)


def expected_year_text(date: Date) -> str:
    return str(date.year) if date.year > 0 else str(1 - date.year)


@given(dates(precisions=[P.YEAR]))
def test_a_year_shows_only_its_year(date: Date) -> None:
    text = human_date(date)
    assert numbers(text) == [expected_year_text(date)]
    assert not any(month in text for month in MONTH_NAMES)
    assert "," not in text  # no thousands separators


@given(dates(precisions=[P.MONTH]))
def test_a_month_shows_no_day(date: Date) -> None:
    assert date.month is not None
    text = human_date(date)
    assert numbers(text) == [expected_year_text(date)]
    assert MONTH_NAMES[date.month - 1] in text


@given(dates(precisions=[P.DAY]))
def test_a_day_shows_no_time(date: Date) -> None:
    text = human_date(date)
    assert numbers(text) == [str(date.day), expected_year_text(date)]
    assert ":" not in text


@given(dates(precisions=[P.MINUTE]))
def test_a_minute_shows_no_seconds(date: Date) -> None:
    text = human_date(date)
    assert re.search(r"\b[0-9]{2}:[0-9]{2}\b", text)
    assert not re.search(r"[0-9]{2}:[0-9]{2}:[0-9]{2}", text)
    assert ("UTC" in text) == (date.offset is not None)


@given(dates(precisions=[P.SECOND]))
def test_a_second_shows_seconds(date: Date) -> None:
    assert f"{date.hour:02d}:{date.minute:02d}:{date.second:02d}" in human_date(date)


@given(dates())
def test_qualifiers_are_always_visible(date: Date) -> None:
    text = human_date(date)
    assert text.startswith("c. ") == date.approximate
    assert text.endswith("?") == date.uncertain


@given(
    st.integers(min_value=-9999, max_value=9999),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
)
def test_months_in_one_year_share_the_year(year: int, first: int, last: int) -> None:
    if first == last:
        return
    shown = human_span(Date(year, first), Date(year, last))
    assert shown == f"{MONTH_NAMES[first - 1]}{DASH}{MONTH_NAMES[last - 1]} {human_year(year)}"


@given(spans())
def test_span_display_shows_both_ends_qualifiers(span: tuple[Date, Date | None, bool]) -> None:
    start, end, ongoing = span
    text = human_span(start, end, ongoing=ongoing)
    if ongoing:
        assert text.endswith(f"{DASH} ongoing")
    if end is None or human_date(start) == human_date(end):
        return
    assert DASH in text
    qualified = start.approximate or start.uncertain or end.approximate or end.uncertain
    if qualified:
        assert text == f"{human_date(start)} {DASH} {human_date(end)}"
    if start.uncertain and not ongoing:
        assert f"? {DASH} " in text
    if end.uncertain:
        assert text.endswith("?")


@given(spans())
def test_span_display_never_invents_detail(span: tuple[Date, Date | None, bool]) -> None:
    start, end, ongoing = span
    text = human_span(start, end, ongoing=ongoing)
    finest = max(start.precision, end.precision if end else start.precision)
    if finest <= P.MONTH:
        assert ":" not in text
        allowed = {expected_year_text(start)} | ({expected_year_text(end)} if end else set())
        assert set(numbers(text)) <= allowed
    if finest <= P.DAY:
        assert ":" not in text
