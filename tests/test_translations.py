"""Translated titles and descriptions (issue 15): the data format, its checks, and ``--locale`` using them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from ical_helpers import parse_ical, parse_icalendar, parse_vobject

import timeline
from timeline import Date, Era, Event, ExportContext, InvalidTimelineError, Timeline, Translation, translated

DATA = textwrap.dedent("""\
    title: Russia and North Korea
    description: A short story.
    translations:
      ru: {title: Россия и КНДР, description: Короткая история.}
      KO: {title: 러시아와 북한}
    eras:
      - title: Korean War
        start: 1950-06-25
        end: 1953-07-27
        translations:
          ru: {title: Корейская война}
      - title: Cold War
        start: 1947
        end: 1991
    events:
      - id: treaty
        title: Comprehensive Strategic Partnership Treaty
        start: 2024-06-19
        description: Signed in **Pyongyang**.
        translations:
          ru:
            title: Договор о всеобъемлющем стратегическом партнёрстве
            description: Подписан в **Пхеньяне**.
          ko: {title: 포괄적 전략적 동반자 관계 조약}
          zh-hant: {title: 全面戰略夥伴關係條約}
      - id: summit
        title: Vladivostok summit
        start: 2019-04-25
        description: The first summit.
        translations:
          ko: {title: 블라디보스토크 정상회담}
      - id: liberation
        title: Liberation of Korea
        start: 1945-08-15
    """)


@pytest.fixture
def story(tmp_path: Path) -> Timeline:
    path = tmp_path / "story.yaml"
    path.write_text(DATA, encoding="utf-8")
    return timeline.load(path)


def _problems(tmp_path: Path, text: str) -> list[timeline.Problem]:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(InvalidTimelineError) as caught:
        timeline.load(path)
    return list(caught.value.problems)


# --- the data format ------------------------------------------------------------------


def test_translations_load_on_the_timeline_events_and_eras(story):
    assert story.translations == {"ko": Translation(title="러시아와 북한"),
                                  "ru": Translation(title="Россия и КНДР", description="Короткая история.")}
    assert list(story.translations) == ["ko", "ru"]  # the tag in canonical case, the tags in order
    treaty = story.get("treaty")
    assert list(treaty.translations) == ["ko", "ru", "zh-Hant"]
    assert treaty.translations["ru"].description == "Подписан в **Пхеньяне**."
    assert treaty.translations["ko"].description is None
    war = next(era for era in story.eras if era.title == "Korean War")
    assert war.translations["ru"].title == "Корейская война"
    assert story.get("liberation").translations == {}


def test_fast_and_careful_paths_agree(story):
    """Events with and without translations build as the code would build them (tests/test_scale.py compares
    the fast and careful paths on every kind of value)."""
    plain = Event(id="liberation", title="Liberation of Korea", start=Date.parse("1945-08-15"))
    assert story.get("liberation") == plain
    built = Event(id="summit", title="Vladivostok summit", start=Date.parse("2019-04-25"),
                  description="The first summit.", translations={"ko": Translation(title="블라디보스토크 정상회담")})
    assert story.get("summit") == built


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_canonical_formats_carry_translations_without_loss(story, fmt):
    data = timeline.export(story, fmt)
    again = timeline.load_bytes(data, input_format=fmt)
    assert again == story
    assert again.get("treaty").translations == story.get("treaty").translations
    assert [era.translations for era in again.eras] == [era.translations for era in story.eras]
    assert timeline.export(again, fmt) == data


def test_canonical_json_writes_translations_after_the_description(story):
    data = json.loads(timeline.export(story, "json"))
    assert list(data)[:4] == ["id", "title", "description", "translations"]
    treaty = next(e for e in data["events"] if e["id"] == "treaty")
    assert list(treaty)[3:5] == ["description", "translations"]
    assert treaty["translations"]["ko"] == {"title": "포괄적 전략적 동반자 관계 조약"}  # no description: none written
    assert data["eras"][1]["translations"] == {"ru": {"title": "Корейская война"}}


def test_yaml_quotes_tags_it_would_read_as_booleans():
    tl = Timeline(id="t", title="T", translations={"no": Translation(title="Tidslinje"),
                                                   "yes": Translation(title="x")})
    data = timeline.export(tl, "yaml")
    assert timeline.load_bytes(data, input_format="yaml").translations == tl.translations


def test_every_mistake_is_reported_with_file_line_owner_and_field(tmp_path):
    problems = _problems(tmp_path, """\
        title: T
        translations:
          kr: {title: x}
          no: {title: y}
        eras:
          - title: Era
            start: 1950
            end: 1953
            translations:
              ru: {}
        events:
          - id: a
            title: A
            start: 2024-06-19
            translations:
              ru: {titel: Договор}
              RU: {title: x}
              ko: {title: ""}
              pt_BR: {title: z}
              en-GB-oed: {title: z}
              de: Titel
              uk: {title: "x", description: "  "}
              ja: {title: "a\\u0007b"}
        """)
    found = {(p.line, p.event, p.field): (p.message, p.hint) for p in problems}
    assert all(p.file and p.file.endswith("bad.yaml") for p in problems)
    assert found[3, "timeline", "translations.kr"] == ("'kr' is not a language's code", "did you mean 'ko'?")
    assert found[3, "timeline", "translations.False"][1] == "quote it: 'no'"  # YAML 1.1 reads no as false
    assert found[10, "era 'Era'", "translations.ru"][0] == "a translation needs a title or a description"
    message, hint = found[16, "event 'a'", "translations.ru.titel"]
    assert message == "unknown field 'titel'" and "title" in hint
    assert found[17, "event 'a'", "translations.RU"][0] == "the language 'ru' is given twice ('ru' and 'RU')"
    assert found[18, "event 'a'", "translations.ko.title"][0] == "must not be empty"
    assert found[19, "event 'a'", "translations.pt_BR"][1] == "write 'pt-BR': BCP 47 joins with '-'"
    assert found[20, "event 'a'", "translations.en-GB-oed"][0] == "'en-GB-oed' is not a language tag"
    assert found[21, "event 'a'", "translations.de"][1] == "write the translated title as {title: ...}"
    assert found[22, "event 'a'", "translations.uk.description"][0] == "must not be empty"
    assert "control character" in found[23, "event 'a'", "translations.ja.title"][0]
    assert len(problems) == 11


def test_check_json_names_the_field(tmp_path, runner):
    path = tmp_path / "bad.yaml"
    path.write_text("title: T\nevents:\n  - {id: a, title: A, start: 2024, translations: {kr: {title: x}}}\n",
                    encoding="utf-8")
    result = runner.invoke(_cli(), ["check", "--json", str(path)])
    assert result.exit_code == 1
    [problem] = json.loads(result.output)["problems"]
    assert (problem["line"], problem["event"], problem["field"]) == (3, "event 'a'", "translations.kr")
    assert problem["hint"] == "did you mean 'ko'?"


def _cli():
    from timeline.cli import cli

    return cli


@pytest.mark.parametrize("tag", ["es", "pt-BR", "zh-Hant", "sr-Latn-RS", "und", "yue", "es-419"])
def test_well_formed_tags_of_any_language_are_accepted(tag, tmp_path):
    """Translated titles are useful in languages whose dates we cannot write yet."""
    path = tmp_path / "t.yaml"
    path.write_text(f"title: T\nevents:\n  - {{id: a, title: A, start: 2024, translations: {{{tag}: {{title: x}}}}}}\n",
                    encoding="utf-8")
    assert list(timeline.load(path).get("a").translations) == [tag]


def test_validate_applies_the_same_rules_to_timelines_built_in_code():
    event = Event(id="a", title="A", start=Date(2024), translations={
        "RU": Translation(title="x"), "kr": Translation(title="y"), "ko": Translation(), "uk": Translation(title=" "),
    })
    with pytest.raises(InvalidTimelineError) as caught:
        timeline.validate(Timeline(id="t", title="T", events=[event]))
    found = {p.field: p.message for p in caught.value.problems}
    assert found == {
        "translations.RU": "the language tag 'RU' is written 'ru'",
        "translations.kr": "'kr' is not a language's code",
        "translations.ko": "a translation needs a title or a description",
        "translations.uk.title": "must not be empty",
    }


def test_construction_checks_types():
    with pytest.raises(timeline.ArgumentTypeError, match="Translation title"):
        Translation(title=3)  # type: ignore[arg-type]
    with pytest.raises(timeline.ArgumentTypeError, match=r"translations\['ru'\]"):
        Event(id="a", title="A", start=Date(2024), translations={"ru": "Заголовок"})  # type: ignore[dict-item]
    with pytest.raises(timeline.ArgumentTypeError, match="translations"):
        Era(title="A", start=Date(2024), end=Date(2025), translations=["ru"])  # type: ignore[arg-type]
    # the mapping is read-only and ordered by tag, whatever was passed
    event = Event(id="a", title="A", start=Date(2024), translations={"ru": Translation("x"), "de": Translation("y")})
    assert list(event.translations) == ["de", "ru"]
    with pytest.raises(TypeError):
        event.translations["en"] = Translation("z")  # type: ignore[index]
    assert hash(event) == hash(Event(id="a", title="A", start=Date(2024)))  # hashable; translations not hashed


# --- which text a locale shows ------------------------------------------------------------


def test_translated_prefers_the_tag_then_the_language_then_a_variant(story):
    treaty = story.get("treaty")
    ru = translated(treaty, "ru")
    assert (ru.title, ru.description, ru.language) == (
        "Договор о всеобъемлющем стратегическом партнёрстве", "Подписан в **Пхеньяне**.", "ru")
    assert ru.title_translated and ru.description_translated
    assert translated(treaty, "ru-RU").language == "ru"  # the language, when the region has none
    assert translated(treaty, "ru_RU.UTF-8").language == "ru"
    ko = translated(treaty, "ko")
    assert (ko.title, ko.description) == ("포괄적 전략적 동반자 관계 조약", "Signed in **Pyongyang**.")
    assert ko.title_translated and not ko.description_translated
    assert translated(treaty, "zh-TW").language == "zh-Hant"  # a variant of the language
    assert translated(treaty, "zh").language is None  # Traditional is never shown for Simplified
    none = translated(story.get("liberation"), "ru")
    assert (none.title, none.language, none.title_translated) == ("Liberation of Korea", None, False)
    event = Event(id="a", title="A", start=Date(2024), translations={"pt-BR": Translation(title="Acordo")})
    assert translated(event, "pt").title == "Acordo"
    assert translated(event, "pt-PT").title == "Acordo"


def test_translated_refuses_what_is_not_a_language_tag(story):
    with pytest.raises(timeline.OptionError, match="not a language tag"):
        translated(story.get("liberation"), "Russian")
    with pytest.raises(timeline.ArgumentTypeError):
        translated(story, 7)  # type: ignore[arg-type]


def test_the_context_counts_what_is_shown_in_the_original(story):
    context = ExportContext(locale="ru")
    for event in story.events:
        context.translated(event)
        context.translated(event)  # asked twice, counted once
    for era in story.eras:
        context.translated(era)
    context.translated(story)
    report = context.report.result(format="x", events=len(story), locale="ru")
    assert report.untranslated_by == (
        ("era", "title", 2, ("Cold War",)),
        ("event", "title", 3, ("liberation", "summit")),
        ("event", "description", 2, ("summit",)),
    )
    assert report.untranslated_text() == [
        "1 of 2 eras had no ru title; shown in the original: 'Cold War'",
        "2 of 3 events had no ru title; shown in the original: liberation, summit",
        "1 of 2 events had no ru description; shown in the original: summit",
    ]


def test_a_plugin_may_report_other_fields(story):
    report = timeline.Report()
    report.translation(story.get("treaty"), "caption", False)
    report.translation(story.get("treaty"), "title", True)
    with pytest.raises(TypeError, match="Event, Era or Timeline"):
        report.translation("treaty", "title", True)
    assert report.result(format="x", events=3, locale="ru").untranslated_by == (("event", "caption", 1, ("treaty",)),)


def test_english_is_not_counted(story):
    context = ExportContext()
    for event in story.events:
        assert context.translated(event).title == event.title
    assert context.report.result(format="x", events=3).untranslated_by == ()


# --- the exporters ------------------------------------------------------------------------


def test_markdown_in_russian_uses_the_translations(story):
    data, report = timeline.export_with_report(story, "markdown", locale="ru", options={"toc": True})
    text = data.decode()
    assert text.startswith("# Россия и КНДР\n\nКороткая история.\n")
    assert "### Договор о всеобъемлющем стратегическом партнёрстве\n" in text
    assert "Подписан в **Пхеньяне**." in text and "Pyongyang" not in text
    assert "### Корейская война\n" in text and "### Cold War\n" in text
    assert ": Договор о всеобъемлющем стратегическом партнёрстве\n" in text  # the contents too
    assert "### Liberation of Korea\n" in text  # no translation: the original
    assert report.locale == "ru"
    assert report.summary("story.md") == (
        "wrote 3 events to story.md; 2 of 3 event titles had no ru translation (shown in the original)")
    assert "  2 of 3 events had no ru title; shown in the original: liberation, summit" in report.text()
    assert report.as_dict()["untranslated"][1] == {"kind": "event", "field": "title", "of": 3,
                                                    "ids": ["liberation", "summit"]}


def test_english_export_is_unchanged_by_translations(story):
    stripped = Timeline(id=story.id, title=story.title, description=story.description, eras=[
        Era(title=e.title, start=e.start, end=e.end) for e in story.eras], events=[
        Event(id=e.id, title=e.title, start=e.start, description=e.description) for e in story.events])
    for fmt in ("markdown", "timelinejs", "timelinejs-html", "ical"):
        assert timeline.export(story, fmt) == timeline.export(stripped, fmt), fmt


def test_timelinejs_slides_in_korean(story):
    data, report = timeline.export_with_report(story, "timelinejs", locale="ko")
    slides = json.loads(data)
    assert slides["title"]["text"]["headline"] == "러시아와 북한"
    treaty = next(s for s in slides["events"] if s["unique_id"] == "treaty")
    assert treaty["text"]["headline"] == "포괄적 전략적 동반자 관계 조약"
    assert "Pyongyang" in treaty["text"]["text"]  # no Korean description: the original
    assert [era["text"]["headline"] for era in slides["eras"]] == ["Cold War", "Korean War"]
    assert report.untranslated_by[0] == ("timeline", "description", 1, ("story",))


def test_timelinejs_page_title_and_noscript_in_russian(story):
    page = timeline.export_with_report(story, "timelinejs-html", locale="ru")[0].decode()
    assert "<title>Россия и КНДР</title>" in page
    assert "<h1>Россия и КНДР</h1>" in page
    assert "Договор о всеобъемлющем стратегическом партнёрстве</li>" in page


def test_ical_marks_translated_text_with_its_language(story):
    data, _ = timeline.export_with_report(story, "ical", locale="ru")
    calendar = parse_icalendar(data)
    assert str(calendar["NAME"]) == "Россия и КНДР" and calendar["NAME"].params["LANGUAGE"] == "ru"
    events = {str(e["X-TIMELINE-ID"]): e for e in calendar.walk("VEVENT")}
    treaty = events["treaty"]
    assert str(treaty["SUMMARY"]) == "Договор о всеобъемлющем стратегическом партнёрстве"
    assert treaty["SUMMARY"].params["LANGUAGE"] == "ru"
    assert treaty["DESCRIPTION"].params["LANGUAGE"] == "ru"
    assert "Подписан в Пхеньяне." in str(treaty["DESCRIPTION"])
    summit = events["summit"]  # no Russian text at all: no LANGUAGE
    assert "LANGUAGE" not in summit["SUMMARY"].params and "LANGUAGE" not in summit["DESCRIPTION"].params
    ko = parse_icalendar(timeline.export_with_report(story, "ical", locale="ko")[0])
    treaty_ko = next(e for e in ko.walk("VEVENT") if str(e["X-TIMELINE-ID"]) == "treaty")
    assert treaty_ko["SUMMARY"].params["LANGUAGE"] == "ko"
    assert "LANGUAGE" not in treaty_ko["DESCRIPTION"].params  # the description is the original's
    # two more independent parsers read the parameter and the text
    other = parse_vobject(data)
    vtreaty = next(e for e in other.vevent_list if e.summary.value.startswith("Договор"))
    assert vtreaty.summary.params["LANGUAGE"] == ["ru"]
    assert any(e.summary == "Договор о всеобъемлющем стратегическом партнёрстве" for e in parse_ical(data).events)


def test_show_prints_translated_titles(story, runner, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(DATA, encoding="utf-8")
    result = runner.invoke(_cli(), ["show", "--locale", "ru", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Россия и КНДР"
    assert lines[-2].endswith("  Договор о всеобъемлющем стратегическом партнёрстве")
    assert lines[1].endswith("  Liberation of Korea")


def test_an_exporter_that_ignores_translations_keeps_working(story):
    class Plain:
        name = "plain-titles"
        extensions = (".txt",)
        description = "titles"
        options = ()

        def write(self, tl, stream, options, *, context=None):
            for event in tl.events:
                stream.write(event.title.encode() + b"\n")
                context.report.wrote(event)

    class Plugin:
        @timeline.hookimpl
        def timeline_exporters(self):
            return [Plain()]

    registry = timeline.Registry()
    registry.register(Plugin(), name="plain")
    data, report = timeline.export_with_report(story, "plain-titles", registry=registry, locale="ru")
    assert data.decode().splitlines()[-1] == "Comprehensive Strategic Partnership Treaty"
    assert report.untranslated_by == ()  # it did not ask, so nothing is claimed


@pytest.mark.parametrize("code", ["ru", "ko"])
def test_the_sample_in_russian_and_korean_reads_in_three_icalendar_parsers(code):
    """Every title and event and era of the sample has a translation; three parsers read what was written."""
    import attrs
    from ical_helpers import check_all

    story = timeline.sample()
    assert all(code in e.translations and e.translations[code].title for e in story.events)
    assert all(code in era.translations for era in story.eras) and code in story.translations
    data, report = timeline.export_with_report(story, "ical", locale=code)
    shown = attrs.evolve(story, events=[
        attrs.evolve(e, title=translated(e, code).title, description=translated(e, code).description)
        for e in story.events])
    check_all(data, shown, ongoing={"ru": " (продолжается)", "ko": " (진행 중)"}[code])
    assert data.decode().count(f"SUMMARY;LANGUAGE={code}:") == len(story.events)
    # only descriptions are left in English, and the report names them
    assert [group[:2] for group in report.untranslated_by] == [("timeline", "description"), ("event", "description")]


@pytest.mark.parametrize("fmt", ["markdown", "timelinejs", "timelinejs-html", "ical"])
def test_translated_text_is_escaped_exactly_as_the_original(fmt):
    """Hostile text in a translation comes out as the same hostile text written as the original would:
    the exporters send both down one escaping path (only iCalendar's LANGUAGE= tells them apart)."""
    import warnings

    import attrs

    from timeline.testing import corpus

    hostile = corpus()["hostile"]

    def moved(item, tr):
        return attrs.evolve(item, title=tr.title, description=tr.description, translations={})

    def translation(item):
        return {"ru": Translation(title=item.title, description=item.description or None)}

    plain = [attrs.evolve(e, title=f"plain {e.id}", description="plain") for e in hostile.events]
    carried = attrs.evolve(
        hostile, title="plain", description="plain",
        translations=translation(hostile),
        events=[attrs.evolve(p, translations=translation(e)) for p, e in zip(plain, hostile.events, strict=True)],
        eras=[attrs.evolve(era, title=f"era {i}", description="plain", translations=translation(era))
              for i, era in enumerate(hostile.eras)],
    )
    timeline.validate(carried)
    baked = attrs.evolve(
        carried, title=hostile.title, description=hostile.description, translations={},
        events=[moved(e, translated(e, "ru")) for e in carried.events],
        eras=[moved(era, translated(era, "ru")) for era in carried.eras],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = timeline.export_with_report(carried, fmt, locale="ru")[0]
        want = timeline.export_with_report(baked, fmt, locale="ru")[0]
    if fmt == "ical":  # the parameter moves the folds: compare unfolded lines
        got = got.replace(b"\r\n ", b"").replace(b";LANGUAGE=ru:", b":")
        want = want.replace(b"\r\n ", b"")
    assert got == want
