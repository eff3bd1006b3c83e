"""The SVG exporter: what the picture holds, how it is laid out, and that it is safe to open.

Chromium's own measurement of the text is in tests/test_svg_browser.py;
here every check reads the output with a strict XML parser and measures
text with the exporter's font metrics (tests/svg_helpers.py).
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timeline.plugins import svg as svg_plugin

import timeline
from tests.svg_helpers import SVG_NS, label_texts, overlaps, parse, squeeze, text_boxes, view_box
from timeline import Date, Event, Source, Timeline
from timeline.testing import HOSTILE_STRINGS, corpus, large_timeline

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _svg(tl: Timeline, **options: object) -> tuple[bytes, timeline.ExportReport]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.PluginWarning)
        return timeline.export_with_report(tl, "svg", options=options)


def _check_layout(data: bytes) -> None:
    root = parse(data)
    width, height = view_box(root)
    boxes = text_boxes(root)
    assert overlaps(boxes) == []
    for left, top, right, bottom, text in boxes:
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, text


def _tags(root, name: str) -> list:
    return list(root.iter(f"{SVG_NS}{name}"))


# --- the sample ------------------------------------------------------------------


def test_sample_fits_1600_pixels_with_every_event_labelled_once():
    story = timeline.sample()
    data, report = _svg(story)
    root = parse(data)
    assert view_box(root)[0] == 1600
    labels = label_texts(root)
    assert sorted(labels) == sorted(event.id for event in story.events)
    for event in story.events:
        assert "".join(map(squeeze, labels[event.id])) == squeeze(event.title), event.id
    assert list(report.wrote) == [event.id for event in story.events]
    assert not report.skipped
    _check_layout(data)


def test_sample_has_title_desc_lanes_eras_and_one_axis_break():
    story = timeline.sample()
    root = parse(_svg(story)[0])
    assert root.find(f"{SVG_NS}title").text == story.title
    desc = root.find(f"{SVG_NS}desc").text
    assert "57 events" in desc and "26 June 1945" in desc and "4 December 2024" in desc
    texts = ["".join(t.itertext()) for t in _tags(root, "text")]
    groups = {event.group for event in story.events}
    assert groups <= set(texts), "every group is a labelled lane"
    assert {era.title for era in story.eras} <= set(texts)
    assert len([r for r in _tags(root, "rect") if r.get("class") == "brk"]) == 1, "1961 to 1990 is shortened"
    assert "ongoing: drawn to 23 November 2026" in texts, "the legend dates the open end"
    unbroken = parse(_svg(story, axis_breaks=False)[0])
    assert [r for r in _tags(unbroken, "rect") if r.get("class") == "brk"] == []


def _script(name: str):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_pictures_in_the_docs_are_up_to_date():
    """docs/pictures/ holds what the exporter draws today (the README's is the sample's)."""
    pictures = _script("gen_svg_pictures").pictures()
    assert "sample.svg" in pictures
    for name, data in pictures.items():
        assert (ROOT / "docs" / "pictures" / name).read_bytes() == data, (
            f"docs/pictures/{name} is stale: run .venv/bin/python scripts/gen_svg_pictures.py"
        )
    assert "![" in README.read_text(encoding="utf-8") and "docs/pictures/sample.svg" in README.read_text(
        encoding="utf-8")


# --- what each kind of date looks like --------------------------------------------


def _event(id: str, when: str, title: str = "", **fields: object) -> Event:
    start, end, ongoing = timeline.parse_span(when)
    return Event(id=id, title=title or id, start=start, end=end, ongoing=ongoing, **fields)  # type: ignore[arg-type]


def _marks(data: bytes) -> dict[str, str]:
    """The legend phrases the picture shows."""
    root = parse(data)
    return {"".join(t.itertext()) for t in _tags(root, "text") if t.get("class") == "lg"}


def test_each_style_is_in_the_legend_only_when_used():
    day = Timeline(id="t", title="T", events=[_event("a", "2024-06-19"), _event("b", "2024-06-25")])
    assert _marks(_svg(day)[0]) == {"a day or a moment"}
    mixed = Timeline(id="t", title="T", updated=Date(2024, 12, 1), events=[
        _event("a", "2024-06-19"), _event("b", "2024-06-20/2024-06-30"), _event("c", "2024-07"),
        _event("d", "2024-08-01~"), _event("e", "2024-09-01/.."),
    ])
    assert _marks(_svg(mixed)[0]) == {
        "a day or a moment", "a span of days or times", "known only to the month or year: the whole period",
        "approximate or uncertain (dashed)", "ongoing: drawn to 1 December 2024",
    }


def test_month_precision_is_drawn_as_the_whole_month():
    tl = Timeline(id="t", title="T", events=[_event("m", "2024-02"), _event("d", "2024-01-01"),
                                               _event("z", "2024-03-31")])
    root = parse(_svg(tl, axis_breaks=False)[0])
    rects = [r for r in _tags(root, "rect") if r.get("fill-opacity") == "0.25" and r.get("width") != "20"]
    assert len(rects) == 1
    # from noon on 1 January to noon on 31 March is 90 days, padded by 1% each side, over 1,544 pixels
    assert abs(float(rects[0].get("width")) - 29 * 1544 / (90 * 1.02)) < 1


def test_ticks_say_bce_and_skip_year_zero():
    tl = Timeline(id="t", title="T", events=[_event("a", "-0009"), _event("b", "0010")])
    root = parse(_svg(tl)[0])
    ticks = ["".join(t.itertext()) for t in _tags(root, "text") if t.get("class") == "tick"]
    assert "1 BCE" in ticks or "2 BCE" in ticks
    assert "0" not in ticks and "0 BCE" not in ticks
    assert all(re.fullmatch(r"\d+( BCE)?", tick) for tick in ticks), ticks


@pytest.mark.parametrize(("when", "pattern"), [
    ("Y-49999/2000", r"\d+ BCE|\d+"),  # millennia
    ("2024-06-19T02:00Z/2024-06-19T02:40Z", r"\d\d:\d\d|\d+ \w+ 2024"),  # minutes
    ("2024-06-01/2024-06-20", r"\d+ June 2024"),  # days
    ("2020-01/2024-06", r"\d{4}|\w+ \d{4}"),  # years and months
])
def test_ticks_suit_the_span(when, pattern):
    tl = Timeline(id="t", title="T", events=[_event("a", when)])
    root = parse(_svg(tl)[0])
    ticks = ["".join(t.itertext()) for t in _tags(root, "text") if t.get("class") == "tick"]
    assert len(ticks) >= 3, ticks
    assert all(re.fullmatch(pattern, tick) for tick in ticks), ticks


# --- layout ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(corpus()))
def test_corpus_pictures_are_safe_and_laid_out(name):
    data, report = _svg(corpus()[name])
    _check_layout(data)
    assert len(report.wrote) == len(corpus()[name].events)


def test_long_titles_wrap_over_lines_and_are_never_cut():
    title = "A very long title " * 12 + "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    tl = Timeline(id="t", title=title, events=[_event("a", "2024-06-19", title), _event("b", "2024-06-19", title)])
    data, _ = _svg(tl, width=480)
    labels = label_texts(parse(data))
    assert len(labels["a"]) > 5
    assert "".join(map(squeeze, labels["a"])) == squeeze(title)
    _check_layout(data)


def test_label_budget_most_sources_first_then_columns_in_turn():
    events = [
        _event(f"e{i:04d}", f"{1900 + i % 100}-01-0{1 + i % 9}",
               sources=tuple(Source(title=f"s{k}") for k in range(i % 4)))
        for i in range(2000)
    ]
    tl = Timeline(id="t", title="T", events=events)
    data, report = _svg(tl, labels=40, axis_breaks=False)
    root = parse(data)
    labelled = set(label_texts(root))
    assert len(labelled) == 40
    assert all(len(e.sources) == 3 for e in tl.events if e.id in labelled), "most sources first"
    # 1,544 pixels from 1899 to 2000: the 40 labels come from all seven 230-pixel columns, earliest first
    years = sorted(e.start.year for e in tl.events if e.id in labelled)
    assert years[0] < 1905 and years[-1] > 1985
    assert len(report.wrote) == 2000
    shown = [ids for field, how, ids in report.approximated_by if field == "title"]
    assert len(shown) == 1 and len(shown[0]) == 1960
    headers = ["".join(t.itertext()) for t in _tags(root, "text") if t.get("class") == "lh"]
    assert headers == ["Ungrouped · 1,960 more as marks"]
    assert "events without a label: ticks, taller where there are more" in _marks(data)
    _check_layout(data)


def test_label_budget_rule_step_by_step():
    from timeline.plugins.svg import _labelled

    tl = Timeline(id="t", title="T", events=[
        _event("a-early", "1900-01-01"), _event("b-early", "1900-01-02"), _event("c-late", "1999-01-01"),
        _event("d-sourced", "1950-01-01", sources=(Source(title="s"),)), _event("e-late", "1999-01-02"),
    ])
    items = [svg_plugin._item(event, 0, None) for event in tl.events]

    def x_of(day: float) -> float:  # 1900 at 0 and 1999 at 1000 pixels: five columns
        return (day - items[0].start) / (items[2].start - items[0].start) * 1000

    assert _labelled(items, 5, x_of) == {e.id for e in tl.events}
    assert _labelled(items, 1, x_of) == {"d-sourced"}
    assert _labelled(items, 3, x_of) == {"d-sourced", "a-early", "c-late"}
    assert _labelled(items, 4, x_of) == {"d-sourced", "a-early", "c-late", "b-early"}


def test_many_events_become_a_density_strip():
    tl = large_timeline(svg_plugin.DENSITY_ABOVE + 1)
    data, report = _svg(tl)
    root = parse(data)
    assert len(label_texts(root)) == 300
    assert "events without a label: the darker, the more events" in _marks(data)
    assert not [p for p in _tags(root, "path") if p.get("class") == "mk"]
    assert len(report.wrote) == len(tl.events)
    _check_layout(data)


# --- options ---------------------------------------------------------------------------


def test_lanes_option_keeps_the_chosen_groups_and_reports_the_rest():
    story = timeline.sample()
    data, report = _svg(story, lanes="Treaties, Economy")
    root = parse(data)
    chosen = {e.id for e in story.events if e.group in ("Treaties", "Economy")}
    assert set(label_texts(root)) == chosen
    assert {entry.event for entry in report.skipped} == {e.id for e in story.events} - chosen
    with pytest.raises(timeline.OptionError, match=r"no group called 'Nope'.*Diplomacy"):
        _svg(story, lanes="Nope")


def test_ungrouped_events_have_their_own_lane_chosen_with_a_dash():
    tl = Timeline(id="t", title="T", events=[_event("a", "2024-06-19", group="G"), _event("b", "2024-06-20")])
    root = parse(_svg(tl, lanes="-")[0])
    assert set(label_texts(root)) == {"b"}


def test_links_go_to_the_first_safe_source_only():
    tl = Timeline(id="t", title="T", events=[
        _event("a", "2024-06-19", sources=(Source(url="https://example.org/a b?x=<1>"), Source(url="https://x.org"))),
        _event("b", "2024-06-20", sources=(Source(url="javascript:alert(1)"),)),
        _event("c", "2024-06-21", sources=(Source(url=" JaVa\tScRiPt:alert(1)"),)),
    ])
    root = parse(_svg(tl)[0])
    links = {a.find(f"{SVG_NS}text").get("data-event"): a.get("href") for a in _tags(root, "a")}
    assert links == {"a": "https://example.org/a%20b?x=%3C1%3E"}
    assert _tags(parse(_svg(tl, links=False)[0]), "a") == []


def test_dark_theme_and_width():
    data, _ = _svg(timeline.sample(), theme="dark", width=2400)
    root = parse(data)
    assert view_box(root)[0] == 2400
    assert "fill:#111418" in root.find(f"{SVG_NS}style").text
    _check_layout(data)


def test_locale_writes_dates_and_lang(monkeypatch):
    pytest.importorskip("babel")
    data, _ = timeline.export_with_report(timeline.sample(), "svg", locale="ko")
    root = parse(data)
    assert root.get("lang") == "ko"
    assert "1945년" in data.decode()
    _check_layout(data)


def test_locale_draws_the_datas_translated_titles_and_a_translated_legend():
    pytest.importorskip("babel")
    story = timeline.sample()
    data, report = timeline.export_with_report(story, "svg", locale="ru")
    text = data.decode()
    assert f"<title id=\"svg-title\">{story.translations['ru'].title}</title>" in text
    labels = label_texts(parse(data))
    assert set(labels) == {event.id for event in story.events}  # all labelled at the default width
    for event in story.events:  # in the Russian title, wrapped over lines
        assert all(line and line in event.translations["ru"].title for line in labels[event.id]), event.id
    assert "день или момент" in text and "a day or a moment" not in text
    assert report.untranslated_by == ()  # every title has a Russian translation; descriptions are not drawn
    _check_layout(data)


def test_titles_without_a_translation_are_counted_and_drawn_in_the_original():
    pytest.importorskip("babel")
    story = Timeline(id="t", title="Original", events=[
        Event(id="a", title="Only English", start=Date(2000)),
        Event(id="b", title="Also English", start=Date(2001),
              translations={"ru": timeline.Translation(title="По-русски")}),
    ])
    data, report = timeline.export_with_report(story, "svg", locale="ru")
    text = data.decode()
    assert "Only English" in text and "По-русски" in text and "Also English" not in text
    assert any(kind == "event" and field == "title" and missing == ("a",)
               for kind, field, _count, missing in report.untranslated_by), report.untranslated_by


def test_cli_picks_svg_from_the_file_name(tmp_path):
    out = tmp_path / "story.svg"
    from timeline.cli import cli

    result = CliRunner().invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    parse(out.read_bytes())


# --- safety ----------------------------------------------------------------------------


def test_hostile_text_stays_text():
    events = [
        _event(f"h{i}", f"2024-06-{1 + i % 28:02d}", text or "x", group=text or None,
               sources=(Source(url=text),))
        for i, text in enumerate(HOSTILE_STRINGS)
    ]
    tl = Timeline(id="t", title="<script>alert(1)</script>]]>", events=events,
                  eras=[timeline.Era(title="</text><script>x</script>", start=Date(2024, 6))])
    data, _ = _svg(tl)
    root = parse(data)
    assert b"<script" not in data
    labels = label_texts(root)
    for event in tl.events:
        assert "".join(map(squeeze, labels[event.id])) == squeeze(svg_plugin.clean(event.title))
    _check_layout(data)


_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=60) | st.text(min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(_text, min_size=1, max_size=6), group=st.none() | _text)
def test_any_text_gives_well_formed_svg(titles, group):
    events = [_event(f"e{i}", f"2024-06-{1 + i:02d}", title, group=group) for i, title in enumerate(titles)]
    tl = Timeline(id="t", title=titles[0], events=events)
    data, _ = _svg(tl)
    root = parse(data)
    labels = label_texts(root)
    for event in events:
        assert "".join(map(squeeze, labels[event.id])) == squeeze(svg_plugin.clean(event.title))
    assert overlaps(text_boxes(root)) == []


# --- fonts -----------------------------------------------------------------------------


def test_font_metrics_table_matches_the_fonts():
    """plugins/_svg_metrics.py is what scripts/gen_svg_metrics.py reads from Debian's Noto fonts."""
    from tests.test_svg_browser import fonts_missing

    reason = fonts_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert _script("gen_svg_metrics").render() == (ROOT / "plugins" / "_svg_metrics.py").read_text(encoding="utf-8")


def test_measuring_uses_the_table_then_the_stated_approximation():
    from timeline.plugins._svg_text import measure

    assert measure("i", 1000) == 258  # Noto Sans Regular
    assert measure("W", 1000) == 930
    assert measure("한", 1000) == 920  # Noto Sans CJK KR's Hangul
    assert measure("\U0001F600", 1000) == 1000  # wide, in no table
    assert measure("\u0301", 1000) == 0  # a combining mark
    assert measure("\U00010400", 1000) == 600  # anything else: 0.6 em
