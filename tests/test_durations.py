"""How long spans lasted, in every supported locale, and where the exporters show it (issue 15).

The tables hold the library's exact output, read by people who know each
language; the exporter tests check that Markdown and TimelineJS show the
same words (and leave them out with ``-O durations=false``), and that the
iCalendar notes after a date are in the locale and still read back by
three iCalendar parsers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from timeline.plugins._durations import span_duration

import timeline
from tests.ical_helpers import check_octets, parse_ical, parse_icalendar, parse_vobject
from tests.strategies import dates, spans
from timeline import Date, Era, Event, Timeline, human_duration
from timeline.locales import SUPPORTED_LOCALES

N = "\u202f"  # CLDR's narrow no-break space before "г." and "р."

# --- the tables ---------------------------------------------------------------------

#: (start, end): year, month, day and time precision, mixed precision (the coarser wins),
#: approximate and uncertain ends ("about"), less than the unit (no "about"), plural forms.
SPANS = [
    ("1950", "1953"),
    ("1950-06", "1953-07"),
    ("1950-06-25", "1953-07-27"),
    ("2024-06-19T03:00+09:00", "2024-06-20T05:30+09:00"),
    ("1950", "1953-07-27"),
    ("1950~", "1953"),
    ("1950-06", "1953-07?"),
    ("1961-07~", "1961-07"),
    ("2000", "2002"),
    ("2000", "2005"),
    ("2000", "2021"),
    ("2000-01", "2000-03"),
    ("2000-01-01", "2000-01-02"),
    ("2000-01-01", "2000-01-06"),
]
#: (start, the data's "updated"): ongoing, at day, month and approximate year precision.
ONGOING = [("2022-02-24", "2024-12-04"), ("2022-02", "2024-12-04"), ("2022~", "2024-12-04")]

EXPECTED = {
    "de": [
        '3 Jahre',
        '3 Jahre 1 Monat',
        '3 Jahre 1 Monat 2 Tage',
        '1 Tag 2 Stunden 30 Minuten',
        '3 Jahre',
        'etwa 3 Jahre',
        'etwa 3 Jahre 1 Monat',
        'weniger als ein Monat',
        '2 Jahre',
        '5 Jahre',
        '21 Jahre',
        '2 Monate',
        '1 Tag',
        '5 Tage',
        'bisher 2 Jahre 9 Monate 10 Tage (Stand: 4. Dezember 2024)',
        'bisher 2 Jahre 10 Monate (Stand: 4. Dezember 2024)',
        'bisher etwa 2 Jahre (Stand: 4. Dezember 2024)',
    ],
    "en": [
        '3 years',
        '3 years 1 month',
        '3 years 1 month 2 days',
        '1 day 2 hours 30 minutes',
        '3 years',
        'about 3 years',
        'about 3 years 1 month',
        'less than a month',
        '2 years',
        '5 years',
        '21 years',
        '2 months',
        '1 day',
        '5 days',
        'for 2 years 9 months 10 days, as of 4 December 2024',
        'for 2 years 10 months, as of 4 December 2024',
        'for about 2 years, as of 4 December 2024',
    ],
    "fr": [
        '3 ans',
        '3 ans 1 mois',
        '3 ans 1 mois 2 jours',
        '1 jour 2 heures 30 minutes',
        '3 ans',
        'environ 3 ans',
        'environ 3 ans 1 mois',
        'moins d’un mois',
        '2 ans',
        '5 ans',
        '21 ans',
        '2 mois',
        '1 jour',
        '5 jours',
        'depuis 2 ans 9 mois 10 jours (au 4 décembre 2024)',
        'depuis 2 ans 10 mois (au 4 décembre 2024)',
        'depuis environ 2 ans (au 4 décembre 2024)',
    ],
    "ja": [
        '3 年',
        '3 年 1 か月',
        '3 年 1 か月 2 日',
        '1 日 2 時間 30 分',
        '3 年',
        '約3 年',
        '約3 年 1 か月',
        '1か月未満',
        '2 年',
        '5 年',
        '21 年',
        '2 か月',
        '1 日',
        '5 日',
        '2 年 9 か月 10 日継続中（2024年12月4日時点）',
        '2 年 10 か月継続中（2024年12月4日時点）',
        '約2 年継続中（2024年12月4日時点）',
    ],
    "ko": [
        '3년',
        '3년 1개월',
        '3년 1개월 2일',
        '1일 2시간 30분',
        '3년',
        '약 3년',
        '약 3년 1개월',
        '1개월 미만',
        '2년',
        '5년',
        '21년',
        '2개월',
        '1일',
        '5일',
        '2년 9개월 10일 경과 (2024년 12월 4일 기준)',
        '2년 10개월 경과 (2024년 12월 4일 기준)',
        '약 2년 경과 (2024년 12월 4일 기준)',
    ],
    "ru": [
        '3 года',
        '3 года 1 месяц',
        '3 года 1 месяц 2 дня',
        '1 день 2 часа 30 минут',
        '3 года',
        'примерно 3 года',
        'примерно 3 года 1 месяц',
        'меньше месяца',
        '2 года',
        '5 лет',
        '21 год',
        '2 месяца',
        '1 день',
        '5 дней',
        f'уже 2 года 9 месяцев 10 дней (на 4 декабря 2024{N}г.)',
        f'уже 2 года 10 месяцев (на 4 декабря 2024{N}г.)',
        f'уже примерно 2 года (на 4 декабря 2024{N}г.)',
    ],
    "uk": [
        '3 роки',
        '3 роки 1 місяць',
        '3 роки 1 місяць 2 дні',
        '1 день 2 години 30 хвилин',
        '3 роки',
        'приблизно 3 роки',
        'приблизно 3 роки 1 місяць',
        'менше місяця',
        '2 роки',
        '5 років',
        '21 рік',
        '2 місяці',
        '1 день',
        '5 днів',
        f'уже 2 роки 9 місяців 10 днів (станом на 4 грудня 2024{N}р.)',
        f'уже 2 роки 10 місяців (станом на 4 грудня 2024{N}р.)',
        f'уже приблизно 2 роки (станом на 4 грудня 2024{N}р.)',
    ],
    "zh": [
        '3年',
        '3年1个月',
        '3年1个月2天',
        '1天2小时30分钟',
        '3年',
        '约3年',
        '约3年1个月',
        '不到1个月',
        '2年',
        '5年',
        '21年',
        '2个月',
        '1天',
        '5天',
        '已持续2年9个月10天（截至2024年12月4日）',
        '已持续2年10个月（截至2024年12月4日）',
        '已持续约2年（截至2024年12月4日）',
    ],
}


def _durations(locale: str) -> list[str]:
    spans = [human_duration(Date.parse(a), Date.parse(b), locale=locale) for a, b in SPANS]
    ongoing = [human_duration(Date.parse(a), Date.parse(b), locale=locale, ongoing=True) for a, b in ONGOING]
    return spans + ongoing


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_durations_at_every_precision_with_about_and_ongoing(locale: str) -> None:
    assert _durations(locale) == EXPECTED[locale]


def test_the_table_covers_every_locale() -> None:
    assert set(EXPECTED) == set(SUPPORTED_LOCALES)


def test_the_plural_forms_are_the_locales_own() -> None:
    """The anchors of the issue: "2 года 3 месяца", "2년 3개월" (pendulum's in_words gives the same)."""
    start, end = Date.parse("2000-01"), Date.parse("2002-04")
    assert human_duration(start, end, locale="ru") == "2 года 3 месяца"
    assert human_duration(start, end, locale="ko") == "2년 3개월"
    assert human_duration(start, Date.parse("2005-06"), locale="ru") == "5 лет 5 месяцев"
    assert human_duration(start, Date.parse("2001-02"), locale="uk") == "1 рік 1 місяць"


@given(spans(), dates(), st.sampled_from(SUPPORTED_LOCALES))
def test_any_span_gets_words_or_nothing_never_an_error(span: tuple[Date, Date | None, bool], as_of: Date,
                                                       locale: str) -> None:
    """What the exporters call: every span the data format allows, BCE and far future included."""
    start, end, ongoing = span
    text = span_duration(start, end, ongoing, as_of, locale)
    if end is None and not ongoing:
        assert text is None
    if text is not None:
        assert text.strip() == text and text and "\n" not in text
        assert not any(unit in text for unit in ("week", "second", "недел", "секунд", "주", "초"))


# --- Markdown ---------------------------------------------------------------------------


UPDATED = Date(2024, 12, 4)


def _story(updated: Date | None = UPDATED) -> Timeline:
    d = Date.parse
    return Timeline(id="t", title="T", updated=updated, eras=[
        Era(title="War years", start=d("1950-06"), end=d("1953-07")),
        Era(title="Now", start=d("2022-02-24"), ongoing=True),
    ], events=[
        Event(id="war", title="Korean War", start=d("1950-06-25"), end=d("1953-07-27"), group="War"),
        Event(id="talks", title="Talks", start=d("2003-08"), end=d("2008-12~")),
        Event(id="one", title="One day", start=d("1961-07-06")),
        Event(id="now", title="Invasion", start=d("2022-02-24"), ongoing=True),
    ])


def _export(story: Timeline, fmt: str, locale: str = "en", **options: Any) -> str:
    data, _ = timeline.export_with_report(story, fmt, options=options, locale=locale)
    assert data is not None
    return data.decode("utf-8")


def test_markdown_facts_line_says_how_long_each_span_lasted() -> None:
    text = _export(_story(), "markdown")
    assert "**25 June 1950 – 27 July 1953** · 3 years 1 month 2 days · War\n" in text
    assert "**August 2003 – c. December 2008** · about 5 years 4 months\n" in text
    assert "**6 July 1961**\n" in text  # a single date: no duration
    assert "**24 February 2022 – ongoing** · for 2 years 9 months 10 days, as of 4 December 2024\n" in text
    assert "*June 1950 – July 1953 · 3 years 1 month*\n" in text
    assert "*24 February 2022 – ongoing · for 2 years 9 months 10 days, as of 4 December 2024*\n" in text


@pytest.mark.parametrize(("locale", "war", "now"), [
    ("ru", "3 года 1 месяц 2 дня", f"уже 2 года 9 месяцев 10 дней (на 4 декабря 2024{N}г.)"),
    ("ko", "3년 1개월 2일", "2년 9개월 10일 경과 (2024년 12월 4일 기준)"),
])
def test_markdown_durations_in_the_locale(locale: str, war: str, now: str) -> None:
    text = _export(_story(), "markdown", locale)
    assert f" · {war} · War\n" in text
    assert f" · {now}\n" in text


def test_markdown_durations_can_be_turned_off() -> None:
    story = _story()
    off = _export(story, "markdown", durations=False)
    assert "3 years" not in off and "as of 4 December" not in off
    assert "**25 June 1950 – 27 July 1953** · War\n" in off
    on = _export(story, "markdown")
    # every line but the facts and era lines is the same
    assert [ln for ln in off.splitlines() if not ln.startswith(("**", "*"))] == \
        [ln for ln in on.splitlines() if not ln.startswith(("**", "*"))]


def test_an_ongoing_span_without_an_as_of_date_gets_no_duration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733270400")  # the Markdown report depends on the data alone
    text = _export(_story(updated=None), "markdown")
    assert "**24 February 2022 – ongoing**\n" in text
    assert " · 3 years 1 month 2 days · War\n" in text  # closed spans still have theirs


def test_an_ongoing_span_starting_after_the_as_of_date_gets_no_duration() -> None:
    story = Timeline(id="t", title="T", updated=Date(2020), events=[
        Event(id="later", title="Later", start=Date(2022, 2, 24), ongoing=True),
    ])
    assert "**24 February 2022 – ongoing**\n" in _export(story, "markdown")


# --- TimelineJS -------------------------------------------------------------------------


def _slides(fmt: str, locale: str = "en", **options: Any) -> dict[str, dict[str, Any]]:
    text = _export(_story(), fmt, locale, **options)
    if fmt == "timelinejs-html":
        text = text.split('id="timeline-data">', 1)[1].split("</script>", 1)[0]
    return {slide["unique_id"]: slide for slide in json.loads(text)["events"]}


@pytest.mark.parametrize("fmt", ["timelinejs", "timelinejs-html"])
def test_timelinejs_slide_text_starts_with_the_duration(fmt: str) -> None:
    slides = _slides(fmt)
    assert slides["war"]["text"]["text"].startswith("<p><em>3 years 1 month 2 days</em></p>")
    assert slides["now"]["text"]["text"].startswith(
        "<p><em>for 2 years 9 months 10 days, as of 4 December 2024</em></p>")
    assert slides["one"]["text"]["text"] == ""
    korean = _slides(fmt, "ko")
    assert korean["war"]["text"]["text"].startswith("<p><em>3년 1개월 2일</em></p>")
    off = _slides(fmt, durations=False)
    assert off["war"]["text"]["text"] == "" and off["now"]["text"]["text"] == ""
    assert {k: {**s, "text": None} for k, s in off.items()} == {k: {**s, "text": None} for k, s in slides.items()}


# --- iCalendar notes --------------------------------------------------------------------

ICAL_NOTES = {
    "de": [
        '1961? (Jahr bekannt, unsicher)',
        '1995\u2009–\u2009ca. Juli 1996 (Anfangsjahr bekannt, Endmonat bekannt, ungefähr)',
        '19. Juni 2024, 03:00 (Ortszeit Asia/Seoul)',
    ],
    "en": [
        '1961? (year known, uncertain)',
        '1995 – c. July 1996 (start year known, end month known, approximate)',
        '19 June 2024, 03:00 (local time in Asia/Seoul)',
    ],
    "fr": [
        '1961\u202f? (année connue, incertain)',
        '1995\u2009–\u2009vers juillet 1996 (année de début connue, mois de fin connu, approximatif)',
        '19 juin 2024, 03:00 (heure locale, Asia/Seoul)',
    ],
    "ja": [
        '1961年？（年のみ判明、不確か）',
        '1995年～1996年7月頃（開始は年のみ判明、終了は月まで判明、おおよそ）',
        '2024年6月19日 3:00（Asia/Seoulの現地時間）',
    ],
    "ko": [
        '1961년? (연도만 알려짐, 불확실)',
        '1995년 ~ 1996년 7월경 (시작 연도만 알려짐, 종료 월까지 알려짐, 대략적)',
        '2024년 6월 19일 오전 3:00 (Asia/Seoul 현지 시간)',
    ],
    "ru": [
        '1961? (известен год, под сомнением)',
        f'1995 — прибл. июль 1996{N}г. (известен год начала, известен месяц окончания, приблизительно)',
        f'19 июня 2024{N}г., 03:00 (местное время, Asia/Seoul)',
    ],
    "uk": [
        '1961? (відомий рік, під сумнівом)',
        f'1995 – прибл. липень 1996{N}р. (відомий рік початку, відомий місяць завершення, приблизно)',
        f'19 червня 2024{N}р., 03:00 (місцевий час, Asia/Seoul)',
    ],
    "zh": [
        '1961年？（仅知年份，不确定）',
        '1995年 – 约1996年7月（开始仅知年份，结束仅知月份，大致）',
        '2024年6月19日 03:00（Asia/Seoul当地时间）',
    ],
}


def _noted() -> Timeline:
    d = Date.parse
    return Timeline(id="t", title="T", updated=d("2024-12-04"), events=[
        Event(id="a", title="A", start=d("1995"), end=d("1996-07~")),
        Event(id="b", title="B", start=d("2024-06-19T03:00"), timezone="Asia/Seoul"),
        Event(id="c", title="C", start=d("1961?")),
    ])


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_ical_notes_are_in_the_locale_and_read_back_by_three_parsers(locale: str) -> None:
    data, _ = timeline.export_with_report(_noted(), "ical", locale=locale)
    assert data is not None
    check_octets(data)
    expected = sorted(ICAL_NOTES[locale])
    assert sorted(str(e["DESCRIPTION"]) for e in parse_icalendar(data).walk("VEVENT")) == expected
    assert sorted(e.description for e in parse_ical(data).events) == expected
    assert sorted(e.description.value for e in parse_vobject(data).vevent_list) == expected


def test_ical_until_export_note_in_the_locale() -> None:
    story = Timeline(id="t", title="T", updated=Date(2024, 12, 4), events=[
        Event(id="war", title="War", start=Date(2022, 2, 24), ongoing=True),
    ])
    data, _ = timeline.export_with_report(story, "ical", options={"ongoing": "until_export"}, locale="ru")
    assert data is not None
    (event,) = parse_icalendar(data).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == (
        f"24 февраля 2022{N}г. — настоящее время (показано до даты экспорта, 4 декабря 2024{N}г.)"
    )


# --- the TimelineJS page's language and fonts (rendered in Chromium by test_timelinejs_browser.py) -----


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_page_names_its_language_and_fonts_for_cyrillic_and_hangul(locale: str) -> None:
    from timeline.plugins.timelinejs import HTML_LANG

    page = _export(timeline.sample(), "timelinejs-html", locale)
    assert f'<html lang="{HTML_LANG[locale]}">' in page
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert style.count('"Noto Sans", "Noto Sans CJK') == 1  # headings, dates, navigator
    assert style.count('"Noto Serif", "Noto Sans CJK') == 1  # running text (PT Serif in the default set)
    first = {"ja": "JP", "zh": "SC"}.get(locale, "KR")  # the locale's own CJK fonts first; Korean otherwise
    positions = {c: style.index(f'"Noto Sans CJK {c}"') for c in ("KR", "JP", "SC")}
    assert positions[first] == min(positions.values())
    none = _export(timeline.sample(), "timelinejs-html", locale, font="none").split("</style>", 1)[0]
    assert '"Noto Serif"' not in none and none.count('"Noto Sans", "Noto Sans CJK') == 2  # no web fonts: all sans
    other = _export(timeline.sample(), "timelinejs-html", locale, font="playfair").split("</style>", 1)[0]
    assert "Noto" not in other  # another font set keeps its own lists


def test_html_lang_is_a_bcp_47_tag_for_every_locale() -> None:
    from timeline.plugins.timelinejs import HTML_LANG

    assert set(HTML_LANG) == set(SUPPORTED_LOCALES)
    assert HTML_LANG["zh"] == "zh-Hans"  # Simplified, as our zh is
