"""Dates, spans and durations in every supported locale (issue 15): the library's exact output, as tables.

The strings are what CLDR (through Babel, pinned in the lock) and our catalogues give; CLDR's own spacing
is kept, so the tables spell out U+202F (narrow no-break space, before "г."), U+00A0 and U+2009 (thin
space, around CLDR's dashes).  A change of Babel version that changes CLDR data shows up here first.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from hypothesis import given, settings

import timeline
from tests.strategies import dates, spans
from timeline.dates import Date, Precision, parse_span
from timeline.locales import (
    SUPPORTED_LOCALES,
    display_width,
    human_date,
    human_duration,
    human_span,
    localized_as_of,
    localized_date,
    localized_span,
    message,
    plural_message,
    resolve_locale,
)

N, NB, TH = "\u202f", "\xa0", "\u2009"
CATALOGUES = Path(timeline.__file__).parent / "_l10n"

DATES_INPUTS = [
    '2024',
    '2024-06',
    '2024-06-19',
    '2024-06-19T03:00+09:00',
    '2024-06-19T15:00:15Z',
    '2016-06-01T12:00+08:30',
    '2024-06-19T03:00',
    '1961~',
    '1961-07?',
    '1961-07-06%',
    '-0043',
    '-0043-03-15',
    '0000',
    'Y12345',
    'Y-169999',
]
DATES = {
    "de": [
        '2024',
        'Juni 2024',
        '19. Juni 2024',
        '19. Juni 2024, 03:00 (GMT+9)',
        '19. Juni 2024, 15:00:15 (GMT)',
        '1. Juni 2016, 12:00 (GMT+8:30)',
        '19. Juni 2024, 03:00',
        'ca. 1961',
        'Juli 1961?',
        'ca. 6. Juli 1961?',
        '44 v. Chr.',
        '15. März 44 v. Chr.',
        '1 v. Chr.',
        '12345',
        '170000 v. Chr.',
    ],
    "en": [
        '2024',
        'June 2024',
        '19 June 2024',
        '19 June 2024, 03:00 (UTC+9)',
        '19 June 2024, 15:00:15 (UTC)',
        '1 June 2016, 12:00 (UTC+8:30)',
        '19 June 2024, 03:00',
        'c. 1961',
        'July 1961?',
        'c. 6 July 1961?',
        '44 BCE',
        '15 March 44 BCE',
        '1 BCE',
        '12345',
        '170000 BCE',
    ],
    "fr": [
        '2024',
        'juin 2024',
        '19 juin 2024',
        '19 juin 2024, 03:00 (UTC+9)',
        '19 juin 2024, 15:00:15 (UTC)',
        '1 juin 2016, 12:00 (UTC+8:30)',
        '19 juin 2024, 03:00',
        'vers 1961',
        f'juillet 1961{N}?',
        f'vers 6 juillet 1961{N}?',
        '44 av. J.-C.',
        '15 mars 44 av. J.-C.',
        '1 av. J.-C.',
        '12345',
        '170000 av. J.-C.',
    ],
    "ja": [
        '2024年',
        '2024年6月',
        '2024年6月19日',
        '2024年6月19日 3:00（GMT+9）',
        '2024年6月19日 15:00:15（GMT）',
        '2016年6月1日 12:00（GMT+8:30）',
        '2024年6月19日 3:00',
        '1961年頃',
        '1961年7月？',
        '1961年7月6日頃？',
        '紀元前44年',
        '紀元前44年3月15日',
        '紀元前1年',
        '12345年',
        '紀元前170000年',
    ],
    "ko": [
        '2024년',
        '2024년 6월',
        '2024년 6월 19일',
        '2024년 6월 19일 오전 3:00(GMT+9)',
        '2024년 6월 19일 오후 3:00:15(GMT)',
        '2016년 6월 1일 오후 12:00(GMT+8:30)',
        '2024년 6월 19일 오전 3:00',
        '1961년경',
        '1961년 7월?',
        '1961년 7월 6일경?',
        'BC 44년',
        'BC 44년 3월 15일',
        'BC 1년',
        '12345년',
        'BC 170000년',
    ],
    "ru": [
        '2024',
        f'июнь 2024{N}г.',
        f'19 июня 2024{N}г.',
        f'19 июня 2024{N}г., 03:00 (GMT+9)',
        f'19 июня 2024{N}г., 15:00:15 (GMT)',
        f'1 июня 2016{N}г., 12:00 (GMT+8:30)',
        f'19 июня 2024{N}г., 03:00',
        'прибл. 1961',
        f'июль 1961{N}г.?',
        f'прибл. 6 июля 1961{N}г.?',
        f'44{N}г. до н. э.',
        f'15 марта 44{N}г. до н. э.',
        f'1{N}г. до н. э.',
        '12345',
        f'170000{N}г. до н. э.',
    ],
    "uk": [
        '2024',
        f'червень 2024{N}р.',
        f'19 червня 2024{N}р.',
        f'19 червня 2024{N}р., 03:00 (GMT+9)',
        f'19 червня 2024{N}р., 15:00:15 (GMT)',
        f'1 червня 2016{N}р., 12:00 (GMT+8:30)',
        f'19 червня 2024{N}р., 03:00',
        'прибл. 1961',
        f'липень 1961{N}р.?',
        f'прибл. 6 липня 1961{N}р.?',
        '44 до н. е.',
        f'15 березня 44{N}р. до н. е.',
        '1 до н. е.',
        '12345',
        '170000 до н. е.',
    ],
    "zh": [
        '2024年',
        '2024年6月',
        '2024年6月19日',
        '2024年6月19日 03:00（GMT+9）',
        '2024年6月19日 15:00:15（GMT）',
        '2016年6月1日 12:00（GMT+8:30）',
        '2024年6月19日 03:00',
        '约1961年',
        '1961年7月？',
        '约1961年7月6日？',
        '公元前44年',
        '公元前44年3月15日',
        '公元前1年',
        '12345年',
        '公元前170000年',
    ],
}
SPANS_INPUTS = [
    '2024-06-19/2024-06-20',
    '2024-06/2024-07',
    '1950/1953',
    '2024-06-30/2024-07-02',
    '2023-12-30/2024-01-02',
    '1950-06/1953-07',
    '2022-02-24/..',
    '2024-06-19T03:00+09:00/2024-06-19T05:00+09:00',
    '2024-06-19T11:00+09:00/2024-06-19T13:30+09:00',
    '1950~/1953?',
    '-0049/-0043',
]
SPANS = {
    "de": [
        '19.–20. Juni 2024',
        'Juni–Juli 2024',
        '1950–1953',
        f'30. Juni{TH}–{TH}2. Juli 2024',
        f'30. Dezember 2023{TH}–{TH}2. Januar 2024',
        f'Juni 1950{TH}–{TH}Juli 1953',
        f'24. Februar 2022{TH}–{TH}heute',
        '19. Juni 2024, 03:00–05:00 Uhr (GMT+9)',
        '19. Juni 2024, 11:00–13:30 Uhr (GMT+9)',
        f'ca. 1950{TH}–{TH}1953?',
        f'50 v. Chr.{TH}–{TH}44 v. Chr.',
    ],
    "en": [
        '19–20 June 2024',
        'June–July 2024',
        '1950–1953',
        '30 June – 2 July 2024',
        '30 December 2023 – 2 January 2024',
        'June 1950 – July 1953',
        '24 February 2022 – ongoing',
        '19 June 2024, 03:00–05:00 (UTC+9)',
        '19 June 2024, 11:00–13:30 (UTC+9)',
        'c. 1950 – 1953?',
        '50 BCE – 44 BCE',
    ],
    "fr": [
        '19–20 juin 2024',
        f'juin{TH}–{TH}juillet 2024',
        '1950–1953',
        f'30 juin{TH}–{TH}2 juillet 2024',
        f'30 décembre 2023{TH}–{TH}2 janvier 2024',
        f'juin 1950{TH}–{TH}juillet 1953',
        f'24 février 2022{TH}–{TH}en cours',
        f'19 juin 2024, 03:00{TH}–{TH}05:00 (UTC+9)',
        f'19 juin 2024, 11:00{TH}–{TH}13:30 (UTC+9)',
        f'vers 1950{TH}–{TH}1953{N}?',
        f'50 av. J.-C.{TH}–{TH}44 av. J.-C.',
    ],
    "ja": [
        '2024年6月19日～20日',
        '2024年6月～7月',
        '1950年～1953年',
        '2024年6月30日～7月2日',
        '2023年12月30日～2024年1月2日',
        '1950年6月～1953年7月',
        '2022年2月24日～現在',
        '2024年6月19日 3時00分～5時00分（GMT+9）',
        '2024年6月19日 11時00分～13時30分（GMT+9）',
        '1950年頃～1953年？',
        '紀元前50年～紀元前44年',
    ],
    "ko": [
        '2024년 6월 19일~20일',
        '2024년 6월~7월',
        '1950년 ~ 1953년',
        '2024년 6월 30일~7월 2일',
        '2023년 12월 30일~2024년 1월 2일',
        '1950년 6월~1953년 7월',
        '2022년 2월 24일 ~ 현재',
        '2024년 6월 19일 오전 3:00~5:00(GMT+9)',
        '2024년 6월 19일 오전 11:00 ~ 오후 1:30(GMT+9)',
        '1950년경 ~ 1953년?',
        'BC 50년 ~ BC 44년',
    ],
    "ru": [
        f'19—20 июня 2024{N}г.',
        f'июнь{NB}— июль 2024{N}г.',
        '1950—1953',
        f'30 июня — 2 июля 2024{N}г.',
        f'30 декабря 2023{N}г. — 2 января 2024{N}г.',
        f'июнь 1950{N}г. — июль 1953{N}г.',
        f'24 февраля 2022{N}г. — настоящее время',
        f'19 июня 2024{N}г., 03:00—05:00 (GMT+9)',
        f'19 июня 2024{N}г., 11:00—13:30 (GMT+9)',
        'прибл. 1950 — 1953?',
        f'50{N}г. до н. э. — 44{N}г. до н. э.',
    ],
    "uk": [
        f'19–20 червня 2024{N}р.',
        f'червень{NB}— липень 2024{N}р.',
        '1950–1953',
        f'30 червня{NB}— 2 липня 2024{N}р.',
        f'30 грудня 2023{NB}— 2 січня 2024{N}рр.',
        f'червень 1950{NB}— липень 1953{N}рр.',
        f'24 лютого 2022{N}р. – донині',
        f'19 червня 2024{N}р., 03:00–05:00 (GMT+9)',
        f'19 червня 2024{N}р., 11:00–13:30 (GMT+9)',
        'прибл. 1950 – 1953?',
        '50 до н. е. – 44 до н. е.',
    ],
    "zh": [
        f'2024年6月19日{TH}–{TH}20日',
        '2024年6月 – 7月',
        '1950–1953年',
        f'2024年6月30日{TH}–{TH}7月2日',
        f'2023年12月30日{TH}–{TH}2024年1月2日',
        '1950年6月 – 1953年7月',
        '2022年2月24日 – 至今',
        '2024年6月19日 03:00–05:00（GMT+9）',
        '2024年6月19日 11:00–13:30（GMT+9）',
        '约1950年 – 1953年？',
        '公元前50年 – 公元前44年',
    ],
}
DURATIONS_INPUTS = [
    ('1950', '1953'),
    ('1950-06', '1953-07'),
    ('2022-02-24', '2024-12-04'),
    ('2024-06-19T03:00+09:00', '2024-06-19T05:30Z'),
    ('1961-07', '1961-07'),
    ('-0043-03-15', '0014-08-19'),
]
DURATIONS = {
    "de": [
        '3 Jahre',
        '3 Jahre 1 Monat',
        '2 Jahre 9 Monate 10 Tage',
        '11 Stunden 30 Minuten',
        'weniger als ein Monat',
        '57 Jahre 5 Monate 4 Tage',
    ],
    "en": [
        '3 years',
        '3 years 1 month',
        '2 years 9 months 10 days',
        '11 hours 30 minutes',
        'less than a month',
        '57 years 5 months 4 days',
    ],
    "fr": [
        '3 ans',
        '3 ans 1 mois',
        '2 ans 9 mois 10 jours',
        '11 heures 30 minutes',
        'moins d’un mois',
        '57 ans 5 mois 4 jours',
    ],
    "ja": [
        '3 年',
        '3 年 1 か月',
        '2 年 9 か月 10 日',
        '11 時間 30 分',
        '1か月未満',
        '57 年 5 か月 4 日',
    ],
    "ko": [
        '3년',
        '3년 1개월',
        '2년 9개월 10일',
        '11시간 30분',
        '1개월 미만',
        '57년 5개월 4일',
    ],
    "ru": [
        '3 года',
        '3 года 1 месяц',
        '2 года 9 месяцев 10 дней',
        '11 часов 30 минут',
        'меньше месяца',
        '57 лет 5 месяцев 4 дня',
    ],
    "uk": [
        '3 роки',
        '3 роки 1 місяць',
        '2 роки 9 місяців 10 днів',
        '11 годин 30 хвилин',
        'менше місяця',
        '57 років 5 місяців 4 дні',
    ],
    "zh": [
        '3年',
        '3年1个月',
        '2年9个月10天',
        '11小时30分钟',
        '不到1个月',
        '57年5个月4天',
    ],
}


def _span(text: str, locale: str) -> str:
    start, end, ongoing = parse_span(text)
    return localized_span(start, end, ongoing=ongoing, locale=locale)


def _duration(pair: tuple[str, str], locale: str) -> str:
    return human_duration(Date.parse(pair[0]), Date.parse(pair[1]), locale=locale)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_dates_at_every_precision(locale: str) -> None:
    assert [localized_date(Date.parse(text), locale) for text in DATES_INPUTS] == DATES[locale]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_spans(locale: str) -> None:
    assert [_span(text, locale) for text in SPANS_INPUTS] == SPANS[locale]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_durations(locale: str) -> None:
    assert [_duration(pair, locale) for pair in DURATIONS_INPUTS] == DURATIONS[locale]


def test_the_tables_cover_every_locale() -> None:
    assert set(DATES) == set(SPANS) == set(DURATIONS) == set(SUPPORTED_LOCALES)
    assert {"en", "ru", "uk", "ko", "ja", "zh", "de", "fr"} <= set(SUPPORTED_LOCALES)


@pytest.mark.parametrize(
    ("text", "locale", "shown"),
    [
        ("2024-06-19", "ru", f"19 июня 2024{N}г."),
        ("2024-06", "ru", f"июнь 2024{N}г."),  # the standalone month, not the genitive "июня"
        ("2024-06-19", "ko", "2024년 6월 19일"),
        ("2024-06", "ko", "2024년 6월"),
        ("2024", "ko", "2024년"),
        ("2024-06", "uk", f"червень 2024{N}р."),
        ("2024-06-19", "de", "19. Juni 2024"),
    ],
)
def test_the_issue_anchors(text: str, locale: str, shown: str) -> None:
    assert human_date(Date.parse(text), locale=locale) == shown


def test_a_day_range_keeps_the_full_month_name() -> None:
    """CLDR has day intervals with abbreviated months only; the month is widened as UTS #35 says."""
    assert _span("2000-06-19/2000-06-20", "ru") == f"19—20 июня 2000{N}г."
    assert _span("2000-06-19/2000-06-20", "zh") == f"2000年6月19日{TH}–{TH}20日"  # not "六月"


# --- English is unchanged ------------------------------------------------------


@given(dates())
def test_english_through_any_english_tag_is_human_date(date: Date) -> None:
    assert human_date(date, locale="en") == human_date(date)
    assert localized_date(date, "en-GB") == human_date(date)


@given(spans())
def test_english_spans_are_human_span(span: tuple[Date, Date | None, bool]) -> None:
    start, end, ongoing = span
    assert human_span(start, end, ongoing=ongoing, locale="en_US.UTF-8") == human_span(start, end, ongoing=ongoing)


# --- every locale, any date ----------------------------------------------------


@settings(max_examples=60)
@given(dates())
def test_every_locale_writes_any_date_with_its_qualifiers(date: Date) -> None:
    for locale in SUPPORTED_LOCALES:
        text = localized_date(date, locale)
        assert text and "{" not in text
        assert ("?" in text or "？" in text) == date.uncertain
        year = str(1 - date.year if date.year < 1 else date.year)
        assert year in text


@settings(max_examples=60)
@given(spans())
def test_every_locale_writes_any_span(span: tuple[Date, Date | None, bool]) -> None:
    start, end, ongoing = span
    for locale in SUPPORTED_LOCALES:
        text = localized_span(start, end, ongoing=ongoing, locale=locale)
        assert localized_date(start, locale).split(" ")[0] in text or start.has_time or end is not None


# --- durations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        ("1950-06-25", "1953-07-27", Precision.YEAR, "3 years"),
        ("1950-06-25", "1953-07-27", Precision.MONTH, "3 years 1 month"),
        ("1950-06-25", "1953-07-27", Precision.DAY, "3 years 1 month 2 days"),
        ("2024-01-31", "2024-03-01", None, "1 month 1 day"),  # calendar months, as pendulum counts them
        ("2024-06-01", "2024-06-20", None, "19 days"),  # never weeks
        ("2024-06-19T02:22+09:00", "2024-06-20T01:05+09:00", None, "22 hours 43 minutes"),
        ("2024-06-19T02:22:10+09:00", "2024-06-19T02:22:50+09:00", None, "less than a minute"),
        ("2024-06-19T23:00-05:00", "2024-06-20T15:00+09:00", None, "2 hours"),  # 04:00Z to 06:00Z, in UTC
        ("1961", "1961-07-06", None, "less than a year"),
        ("Y-170000", "2024", None, "172024 years"),  # beyond pendulum's years: arithmetic
        ("-9999-01-01", "-9990-03-01", None, "9 years 2 months"),  # moved by 400-year cycles
    ],
)
def test_duration_is_no_finer_than_its_precision(start: str, end: str, precision: Precision | None,
                                                 shown: str) -> None:
    assert human_duration(Date.parse(start), Date.parse(end), precision) == shown


def test_an_ongoing_duration_says_as_of_when() -> None:
    start, as_of = Date.parse("2022-02-24"), Date.parse("2024-12-04")
    assert human_duration(start, as_of, ongoing=True) == "for 2 years 9 months 10 days, as of 4 December 2024"
    assert human_duration(start, as_of, Precision.MONTH, "ru", ongoing=True) == (
        f"уже 2 года 10 месяцев (на 4 декабря 2024{N}г.)"  # February to December
    )
    assert human_duration(start, as_of, Precision.MONTH, "ko", ongoing=True) == "2년 10개월 경과 (2024년 12월 4일 기준)"
    assert localized_as_of(as_of, "de") == "Stand: 4. Dezember 2024"


def test_a_duration_refuses_an_end_before_its_start_and_wrong_types() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        human_duration(Date.parse("1953"), Date.parse("1950"))
    with pytest.raises(timeline.ArgumentTypeError):
        human_duration("1950", Date.parse("1953"))  # type: ignore[arg-type]
    with pytest.raises(timeline.ArgumentTypeError):
        human_duration(Date.parse("1950"), Date.parse("1953"), 3)  # type: ignore[arg-type]


@given(spans())
def test_durations_never_mention_weeks_or_seconds(span: tuple[Date, Date | None, bool]) -> None:
    start, end, _ = span
    if end is None or end.sort_key()[:3] < start.sort_key()[:3]:
        return
    try:
        text = human_duration(start, end)
    except ValueError:
        return  # times whose UTC order differs from their written days
    assert "week" not in text and "second" not in text
    precision = min(start.precision, end.precision)
    if precision is Precision.YEAR:
        assert "month" not in text
    if precision <= Precision.MONTH:
        assert "day" not in text
    if precision <= Precision.DAY:
        assert "hour" not in text and "minute" not in text


# --- resolve_locale ------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("ru", "ru"), ("ru_RU", "ru"), ("ru-RU", "ru"), ("ru_RU.UTF-8", "ru"), ("RU", "ru"), (" ko-KR ", "ko"),
        ("uk_UA.utf8", "uk"), ("de-CH", "de"), ("de_DE@euro", "de"), ("fr-CA", "fr"), ("en-US", "en"),
        ("C", "en"), ("POSIX", "en"), ("C.UTF-8", "en"), ("zh", "zh"), ("zh-CN", "zh"), ("zh-Hans", "zh"),
        ("zh-Hans-CN", "zh"), ("zh_SG", "zh"), ("ja-JP-u-ca-japanese", "ja"),
    ],
)
def test_resolve_locale_falls_back_to_the_language(tag: str, code: str) -> None:
    assert resolve_locale(tag) == code


@pytest.mark.parametrize(
    ("tag", "suggestion"),
    [("kr", "ko"), ("jp", "ja"), ("cn", "zh"), ("ua", "uk"), ("KR", "ko"), ("kor", "ko"), ("es", None),
     ("rus", "ru"), ("fre", "fr"), ("us", "en"), ("xx-YY", None), ("", None), ("12", None), ("ru RU", None)],
)
def test_an_unknown_locale_lists_the_supported_ones(tag: str, suggestion: str | None) -> None:
    with pytest.raises(timeline.UnknownLocaleError) as caught:
        resolve_locale(tag)
    error = caught.value
    assert isinstance(error, timeline.UsageError) and isinstance(error, timeline.OptionError)
    assert error.exit_code == 2 and error.suggestion == suggestion and error.tag == tag
    assert str(error).endswith("supported locales: de, en, fr, ja, ko, ru, uk, zh")
    assert (f"(did you mean {suggestion!r}?)" in str(error)) == (suggestion is not None)


@pytest.mark.parametrize("tag", ["zh-TW", "zh-Hant", "zh_HK", "zh-Hant-TW", "zh_MO.UTF-8"])
def test_traditional_chinese_is_refused_rather_than_shown_simplified(tag: str) -> None:
    with pytest.raises(timeline.UnknownLocaleError, match="Traditional Chinese is not supported"):
        resolve_locale(tag)


def test_resolve_locale_wants_a_str() -> None:
    with pytest.raises(timeline.ArgumentTypeError):
        resolve_locale(None)  # type: ignore[arg-type]


def test_human_date_refuses_an_unknown_locale() -> None:
    with pytest.raises(timeline.UnknownLocaleError, match="did you mean 'ko'"):
        human_date(Date.parse("2024"), locale="kr")


def test_without_babel_another_language_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "babel" or m.startswith(("babel.", "timeline._l10n.cldr"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "babel", None)
    import timeline._l10n

    monkeypatch.delattr(timeline._l10n, "cldr", raising=False)
    with pytest.raises(timeline.UsageError, match=r"pip install 'timeline-events\[locales\]'"):
        human_date(Date.parse("2024"), locale="ru")
    with pytest.raises(timeline.UsageError, match="need Babel"):
        message("heading", "Events", "ko")
    assert human_date(Date.parse("2024")) == "2024"
    assert human_duration(Date.parse("1950"), Date.parse("1953")) == "3 years"


# --- catalogues ----------------------------------------------------------------


def _read(path: Path):
    with open(path, "rb") as handle:
        return read_po(handle)


def _keys(catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def _fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w*)}", text))


PO_FILES = sorted(CATALOGUES.glob("*.po"))


def test_there_is_a_catalogue_for_every_other_locale() -> None:
    assert sorted(p.stem for p in PO_FILES) == sorted(code for code in SUPPORTED_LOCALES if code != "en")


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: p.name)
def test_no_catalogue_misses_a_key(path: Path) -> None:
    template = _read(CATALOGUES / "messages.pot")
    catalog = _read(path)
    assert _keys(catalog) == _keys(template)
    for entry in catalog:
        if not entry.id:
            continue
        assert not entry.fuzzy, entry.id
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"{path.name}: {entry.id!r} is not translated"
        for text in strings:
            assert _fields(text) == _fields(ids[-1]), f"{path.name}: {text!r} has other placeholders than {ids}"


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: p.name)
def test_plural_forms_are_cldrs(path: Path) -> None:
    catalog = _read(path)
    assert catalog.plural_forms == get_plural(path.stem).plural_forms
    for entry in catalog:
        if isinstance(entry.id, tuple):
            assert len(entry.string) == catalog.num_plurals


def test_the_keys_the_wiring_step_needs_are_there() -> None:
    keys = _keys(_read(CATALOGUES / "messages.pot"))
    for label in ("Contents", "Eras", "Events"):
        assert ("heading", label) in keys
    for label in ("Sources", "Tags", "Media", "See also"):
        assert ("label", label) in keys
    assert ("summary", "{count} event") in keys


@pytest.mark.parametrize(
    ("locale", "count", "shown"),
    [("ru", 57, "57 событий"), ("ru", 2, "2 события"), ("ru", 1, "1 событие"), ("ru", 11, "11 событий"),
     ("ru", 22, "22 события"), ("uk", 57, "57 подій"), ("uk", 3, "3 події"), ("ko", 57, "사건 57건"),
     ("ja", 2, "2件の出来事"), ("zh", 1, "1个事件"), ("de", 1, "1 Ereignis"), ("de", 57, "57 Ereignisse"),
     ("fr", 0, "0 événement"), ("fr", 57, "57 événements"), ("en", 1, "1 event"), ("en", 57, "57 events")],
)
def test_the_summary_count_takes_the_locales_plural(locale: str, count: int, shown: str) -> None:
    template = plural_message("summary", "{count} event", "{count} events", count, locale)
    assert template.format(count=count) == shown


def test_labels_in_a_locale() -> None:
    assert message("heading", "Events", "ru") == "События"
    assert message("label", "See also", "ko") == "관련 항목"
    assert message("heading", "Events", "en-US") == "Events"


def test_catalogues_are_ordinary_gettext() -> None:
    from timeline._l10n import translations

    assert isinstance(translations("ru"), gettext.GNUTranslations)
    assert isinstance(translations("en"), gettext.NullTranslations)


# --- display width -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0), ("June 2024", 9), ("2024년 6월", 10), ("2024年6月19日", 13), ("июнь 2024\u202fг.", 12),
        ("e\u0301", 1), ("a\u200db", 2), ("\u1100\u1161\u11a8", 2),  # conjoining jamo: one syllable
        ("ＡＢ", 4), ("｡", 1), ("\t", 0),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


# --- the environment does not matter -------------------------------------------

_EVERYTHING = """
import json
from timeline.dates import Date, parse_span
from timeline.locales import SUPPORTED_LOCALES, human_duration, localized_date, localized_span
from tests.test_locales import DATES_INPUTS, SPANS_INPUTS, DURATIONS_INPUTS
out = {}
for loc in SUPPORTED_LOCALES:
    spans = [parse_span(s) for s in SPANS_INPUTS]
    out[loc] = ([localized_date(Date.parse(d), loc) for d in DATES_INPUTS],
                [localized_span(a, b, ongoing=c, locale=loc) for a, b, c in spans],
                [human_duration(Date.parse(a), Date.parse(b), locale=loc) for a, b in DURATIONS_INPUTS])
print(json.dumps(out, ensure_ascii=True))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "environment",
    [
        {"LANG": "C", "LC_ALL": "C", "TZ": "UTC"},
        {"LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8", "TZ": "Asia/Pyongyang"},
        {"LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "LANGUAGE": "ru", "TZ": "America/St_Johns"},
    ],
    ids=["C", "tr_TR", "de_DE"],
)
def test_every_locale_ignores_lang_lc_all_and_tz(environment: dict[str, str]) -> None:
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", _EVERYTHING], capture_output=True, text=True, cwd=root,
                          env={**os.environ, **environment, "PYTHONPATH": str(root)}, check=True)
    expected = {loc: [DATES[loc], SPANS[loc], DURATIONS[loc]] for loc in SUPPORTED_LOCALES}
    assert json.loads(proc.stdout) == expected
