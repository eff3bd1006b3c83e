"""Issue 15: ``--locale`` on the commands, and the locale reaching exporters through their context."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from plugin_kit import PickyExporter

import timeline
from timeline.cli import cli
from timeline.locales import SUPPORTED_LOCALES

CANONICAL = ("json", "yaml", "toml")


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)



@pytest.mark.parametrize("command", [["export", "-f", "json"], ["show"], ["preview", "--print-path"]])
def test_an_unknown_locale_is_a_usage_error_with_a_suggestion(runner, command):
    result = run(runner, *command, str(timeline.sample_path()), "--locale", "kr")
    assert result.exit_code == 2
    assert "unknown locale 'kr' (did you mean 'ko'?); supported locales: de, en, fr, ja, ko, ru, uk, zh" in (
        result.stderr
    )
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["export", "show", "preview"])
def test_help_lists_the_locale_option_in_english(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--locale LOCALE" in text and "de, en, fr, ja, ko, ru, uk, zh" in text


def test_the_locale_reaches_a_1_1_exporter_in_its_context_resolved(runner, plugins, write, tmp_path, minimal_yaml):
    PickyExporter.contexts.clear()
    source = write("t.yaml", minimal_yaml)
    result = run(runner, "export", str(source), "-o", str(tmp_path / "t.picky"), "--locale", "ru_RU.UTF-8")
    assert result.exit_code == 0, result.stderr
    [context] = PickyExporter.contexts
    assert context.locale == "ru"


def test_a_1_0_exporter_keeps_working_and_the_report_says_the_locale_was_ignored(
    runner, plugins, write, tmp_path, minimal_yaml
):
    source = write("t.yaml", minimal_yaml)
    out = tmp_path / "t.lines"
    result = run(runner, "export", str(source), "-o", str(out), "--locale", "ko", "--report")
    assert result.exit_code == 0, result.stderr
    assert out.read_text().split() == ["treaty-1961", "war", "summit"]
    assert "ignores the locale 'ko'" in result.stderr


def test_export_with_report_resolves_the_locale_even_for_an_exporter_that_ignores_it():
    story = timeline.sample()
    with pytest.raises(timeline.UnknownLocaleError, match="did you mean 'ja'"):
        timeline.export_with_report(story, "json", locale="jp")
    _, report = timeline.export_with_report(story, "json", locale="ru-RU")
    assert report.events == len(story)


def test_the_default_is_english_and_never_the_environment(runner, monkeypatch):
    for name in ("LANG", "LC_ALL", "LANGUAGE", "LC_TIME"):
        monkeypatch.setenv(name, "ru_RU.UTF-8")
    sample = str(timeline.sample_path())
    plain = run(runner, "export", sample, "-f", "markdown")
    assert plain.exit_code == 0
    assert plain.stdout_bytes == timeline.export(timeline.sample(), "markdown")
    assert run(runner, "export", sample, "-f", "markdown", "--locale", "en").stdout_bytes == plain.stdout_bytes


@pytest.mark.parametrize("fmt", CANONICAL)
def test_canonical_formats_do_not_change_with_the_locale(runner, fmt):
    sample = str(timeline.sample_path())
    english = run(runner, "export", sample, "-f", fmt).stdout_bytes
    for code in SUPPORTED_LOCALES:
        assert run(runner, "export", sample, "-f", fmt, "--locale", code).stdout_bytes == english, code


def test_show_in_korean_pads_by_display_width(runner):
    result = run(runner, "show", str(timeline.sample_path()), "--locale", "ko")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "2024년 6월 19일" in result.stdout
    rows = [line for line in lines[1:-1] if "  " in line]
    assert rows
    columns = set()  # every title begins in the same terminal column
    for line in rows:
        date, rest = line.split("  ", 1)
        gap = len(rest) - len(rest.lstrip(" "))
        columns.add(timeline.display_width(date) + 2 + gap)
    assert len(columns) == 1, columns
    count = len(timeline.sample().events)
    assert lines[-1] == f"사건 {count}건"


def test_show_in_english_is_unchanged(runner):
    result = run(runner, "show", str(timeline.sample_path()))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{len(timeline.sample().events)} events"
    assert "19 June 2024" in result.stdout


def test_preview_writes_the_page_in_the_locale(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = run(runner, "preview", str(timeline.sample_path()), "--print-path", "--locale", "ru")
    assert result.exit_code == 0, result.stderr
    from pathlib import Path

    page = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert "19 июня 2024\u202fг." in page
    assert _page_options(page)["language"] == "ru"


# --- Markdown -------------------------------------------------------------------------


def _markdown(story: timeline.Timeline, code: str, **options: object) -> str:
    data, _ = timeline.export_with_report(story, "markdown", options=options, locale=code)
    assert data is not None
    return data.decode("utf-8")


def test_markdown_in_english_is_the_same_as_without_a_locale():
    story = timeline.sample()
    for options in ({}, {"toc": True}, {"sources": False, "heading_level": 2}):
        assert _markdown(story, "en", **options).encode() == timeline.export(story, "markdown", **options)
        assert _markdown(story, "en-GB", **options).encode() == timeline.export(story, "markdown", **options)


def test_markdown_in_russian():
    story = timeline.sample()
    text = _markdown(story, "ru", toc=True)
    count = len(story.events)
    assert count == 57  # the sample: the plural form below is the one 57 takes ("многие")
    assert "*57 событий: 26 июня 1945\u202fг. — 4 декабря 2024\u202fг. Обновлено: " in text
    assert "г..\n" not in text and "г.. " not in text  # no second full stop after "г."
    for heading in ("## Содержание\n", "## События\n"):
        assert heading in text
    for label in ("\nТеги: ", "\nСм. также:\n", "\nИсточники:\n", "\n- Связано: [", "\n- Ссылается на: ["):
        assert label in text
    assert "**19 июня 2024\u202fг.**" in text
    for english in ("## Events", "## Contents", "\nTags: ", "\nSources:", "See also", " events", "Last updated"):
        assert english not in text


def test_markdown_in_korean():
    text = _markdown(timeline.sample(), "ko", toc=True)
    assert "*사건 57건, 1945년 6월 26일 ~ 2024년 12월 4일. 최종 수정: " in text
    assert "**2024년 6월 19일**" in text
    for heading in ("## 목차\n", "## 사건\n"):
        assert heading in text
    for label in ("\n태그: ", "\n관련 항목:\n", "\n출처:\n", "\n- 관련: ["):
        assert label in text


@pytest.mark.parametrize(("count", "words"), [(1, "1 событие"), (2, "2 события"), (5, "5 событий"), (21, "21 событие")])
def test_markdown_summary_takes_the_russian_plural_forms(count, words):
    story = timeline.Timeline(id="t", title="T", events=[
        timeline.Event(id=f"e{i}", title=f"E{i}", start=timeline.Date(2000 + i)) for i in range(count)
    ])
    assert f"*{words}: 2000 — " in _markdown(story, "ru")


def test_markdown_eras_media_and_ongoing_in_the_locale():
    story = timeline.Timeline(id="t", title="T", eras=[
        timeline.Era(title="Now", start=timeline.Date(2022, 2, 24), ongoing=True),
    ], events=[
        timeline.Event(id="war", title="War", start=timeline.Date(2022, 2, 24), ongoing=True,
                       media=timeline.Media(url="https://example.org/a.jpg")),
    ])
    text = _markdown(story, "ru")
    assert "## Эпохи\n" in text and "*24 февраля 2022\u202fг. — настоящее время*" in text
    assert "**24 февраля 2022\u202fг. — настоящее время**" in text
    assert "Медиа: [Медиа](<https://example.org/a.jpg>)" in text


# --- TimelineJS -----------------------------------------------------------------------


def _page_options(page: str) -> dict[str, Any]:
    options: dict[str, Any] = json.loads(page.split('id="timeline-options">', 1)[1].split("</script>", 1)[0])
    return options


def _slides(code: str) -> dict[str, dict[str, Any]]:
    data, _ = timeline.export_with_report(timeline.sample(), "timelinejs", locale=code)
    assert data is not None
    return {slide["unique_id"]: slide for slide in json.loads(data)["events"]}


def test_timelinejs_display_dates_in_the_locale():
    english, russian, korean = _slides("en"), _slides("ru"), _slides("ko")
    assert english.keys() == russian.keys() == korean.keys()
    assert [s["display_date"] for s in english.values()].count("19 June 2024") >= 1
    assert "19 июня 2024\u202fг." in [s["display_date"] for s in russian.values()]
    assert "2024년 6월 19일" in [s["display_date"] for s in korean.values()]
    for key, slide in russian.items():  # only the words change: dates TimelineJS places by stay the same
        assert slide["start_date"] == english[key]["start_date"]
        assert slide.get("end_date") == english[key].get("end_date")
    assert any("<p>Источники:</p>" in s["text"]["text"] for s in russian.values())


def test_timelinejs_english_is_unchanged():
    for fmt in ("timelinejs", "timelinejs-html"):
        data, _ = timeline.export_with_report(timeline.sample(), fmt, locale="en")
        assert data == timeline.export(timeline.sample(), fmt)


@pytest.mark.parametrize(("code", "language"), [
    ("en", "en"), ("de", "de"), ("fr", "fr"), ("ja", "ja"), ("ko", "ko"), ("ru", "ru"), ("uk", "uk"), ("zh", "zh-cn"),
])
def test_the_locale_sets_timelinejs_language_unless_it_is_given(code, language):
    story = timeline.sample()
    page, _ = timeline.export_with_report(story, "timelinejs-html", locale=code)
    assert page is not None and _page_options(page.decode())["language"] == language
    page, _ = timeline.export_with_report(story, "timelinejs-html", locale=code, options={"language": "es"})
    assert page is not None and _page_options(page.decode())["language"] == "es"


def test_the_page_without_javascript_lists_localised_dates():
    page, _ = timeline.export_with_report(timeline.sample(), "timelinejs-html", locale="ko")
    assert page is not None
    noscript = page.decode().split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "<strong>2024년 6월 19일</strong>" in noscript


# --- iCalendar ------------------------------------------------------------------------


def _ical(story: timeline.Timeline, code: str) -> str:
    data, _ = timeline.export_with_report(story, "ical", locale=code)
    assert data is not None
    return data.decode("utf-8").replace("\r\n ", "")


def test_ical_descriptions_in_the_locale_and_properties_as_rfc_5545_has_them():
    story = timeline.sample()
    english, russian = _ical(story, "en"), _ical(story, "ru")
    assert english.encode() == timeline.export(story, "ical").replace(b"\r\n ", b"")
    assert "DESCRIPTION:19 июня 2024\u202fг." in russian
    assert "\\n\\nИсточники:\\n- " in russian and "Sources:" not in russian
    # the sample's Russian titles (tests/test_translations.py covers LANGUAGE= itself)
    assert "SUMMARY;LANGUAGE=ru:Путин прибыл в Пхеньян с государственным визитом" in russian

    def properties(text: str) -> list[str]:
        texts = ("DESCRIPTION", "SUMMARY", "NAME", "X-WR-CALNAME")
        return [line for line in text.split("\r\n") if line.split(":")[0].split(";")[0] not in texts]

    assert properties(russian) == properties(english)  # only the words change


def test_ical_ongoing_as_of_in_the_locale():
    story = timeline.Timeline(id="t", title="T", updated=timeline.Date(2024, 12, 4), events=[
        timeline.Event(id="war", title="War", start=timeline.Date(2022, 2, 24), ongoing=True,
                       media=timeline.Media(url="https://example.org/a.jpg", caption="Map")),
    ])
    assert "DESCRIPTION:24 февраля 2022\u202fг. — настоящее время на 4 декабря 2024\u202fг." in _ical(story, "ru")
    assert "Медиа: Map: https://example.org/a.jpg" in _ical(story, "ru")


@pytest.mark.parametrize("code", ["en", "ru", "ko"])
def test_ical_in_any_locale_reads_back_to_the_same_descriptions(code):
    story = timeline.sample()
    data, _ = timeline.export_with_report(story, "ical", locale=code)
    assert data is not None
    back = timeline.load_bytes(data, input_format="ical")
    english = timeline.load_bytes(timeline.export(story, "ical") or b"", input_format="ical")
    # the sample translates some descriptions: those read back translated
    kept = {e.id for e in story.events if not timeline.translated(e, code).description_translated}
    assert len(kept) > 10
    assert [e.description for e in back.events if e.id in kept] == [
        e.description for e in english.events if e.id in kept]
    assert [e.sources for e in back.events] == [e.sources for e in english.events]
