"""The TimelineJS mapping and page, without a browser (see test_timelinejs_browser.py for that)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from timeline.plugins import timelinejs as tljs

import timeline
from timeline import Date, Era, Event, Media, OptionError, Source, Timeline, human_span
from timeline.cli import cli
from timeline.registry import default_registry

d = Date.parse


def _tl(*events: Event, eras: tuple[Era, ...] = (), updated: str | None = "2024-11-01", **kw: Any) -> Timeline:
    return Timeline(id="t", title=kw.pop("title", "T"), events=events, eras=eras,
                    updated=d(updated) if updated else None, **kw)


def _data(tl: Timeline) -> dict[str, Any]:
    out = timeline.export(tl, "timelinejs")
    assert out is not None
    return json.loads(out)


def _slide(event: Event, **kw: Any) -> dict[str, Any]:
    return _data(_tl(event, **kw))["events"][0]


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "parts"), [
    ("1961", {"year": 1961}),
    ("1961-07", {"year": 1961, "month": 7}),
    ("1961-07-06", {"year": 1961, "month": 7, "day": 6}),
    ("2024-06-19T03:00+09:00", {"year": 2024, "month": 6, "day": 19, "hour": 3, "minute": 0}),
    ("2024-06-19T03:00:15Z", {"year": 2024, "month": 6, "day": 19, "hour": 3, "minute": 0, "second": 15}),
    ("2024-06-20T00:00Z", {"year": 2024, "month": 6, "day": 20, "hour": 0, "minute": 0}),
    ("1950~", {"year": 1950}),
    ("1950-06?", {"year": 1950, "month": 6}),
    ("0001", {"year": 1}),
    ("0000", {"year": -1}),
    ("-0043-03-15", {"year": -44, "month": 3, "day": 15}),
    ("Y-300000", {"year": -300001}),
])
def test_date_parts_carry_only_known_components(text: str, parts: dict[str, int]) -> None:
    start = d(text)
    slide = _slide(Event(id="e", title="E", start=start))
    assert slide["start_date"] == parts
    assert all(type(v) is int for v in slide["start_date"].values())
    assert slide["display_date"] == human_span(start)


def test_times_are_in_the_events_own_zone() -> None:
    start = d("2024-06-19T03:00").in_zone("Asia/Pyongyang")
    slide = _slide(Event(id="e", title="E", start=start, timezone="Asia/Pyongyang"))
    assert slide["start_date"] == {"year": 2024, "month": 6, "day": 19, "hour": 3, "minute": 0}
    assert slide["display_date"] == "19 June 2024, 03:00 (UTC+9)"


def test_qualifiers_and_spans_use_the_human_wording() -> None:
    assert _slide(Event(id="e", title="E", start=d("1961~")))["display_date"] == "c. 1961"
    assert _slide(Event(id="e", title="E", start=d("1961?")))["display_date"] == "1961?"
    war = _slide(Event(id="e", title="E", start=d("1950-06-25"), end=d("1953-07-27")))
    assert war["end_date"] == {"year": 1953, "month": 7, "day": 27}
    assert war["display_date"] == human_span(d("1950-06-25"), d("1953-07-27"))
    assert _slide(Event(id="e", title="E", start=d("-0043")))["display_date"] == "44 BCE"


def test_ongoing_events_end_at_the_update_date() -> None:
    slide = _slide(Event(id="e", title="E", start=d("2022-02-24"), ongoing=True))
    assert slide["end_date"] == {"year": 2024, "month": 11, "day": 1}
    assert slide["display_date"] == "24 February 2022 – ongoing"
    # Begun after the data was updated: no end rather than one before the start.
    late = _slide(Event(id="e", title="E", start=d("2025-01-01"), ongoing=True))
    assert "end_date" not in late and late["display_date"].endswith("ongoing")


def test_ongoing_without_updated_uses_the_data_timestamp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00Z
    slide = _slide(Event(id="e", title="E", start=d("2022-02-24"), ongoing=True), updated=None)
    assert slide["end_date"] == {"year": 2025, "month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0}


def test_an_end_before_the_start_in_timelinejs_terms_is_left_out() -> None:
    slide = _slide(Event(id="e", title="E", start=d("1961-07"), end=d("1961")))
    assert "end_date" not in slide


def test_eras_always_get_an_end_after_their_start() -> None:
    eras = (
        Era(title="Span", start=d("1950"), end=d("1953")),
        Era(title="Point year", start=d("1961")),
        Era(title="Point day", start=d("1961-12-31")),
        Era(title="Point month", start=d("1961-12")),
        Era(title="Ongoing", start=d("2022-02-24"), ongoing=True),
        Era(title="Future", start=d("2030"), ongoing=True),
    )
    data = _data(_tl(Event(id="e", title="E", start=d("2000")), eras=eras))
    ends = {era["text"]["headline"]: (era["start_date"], era["end_date"]) for era in data["eras"]}
    assert ends["Span"] == ({"year": 1950}, {"year": 1953})
    assert ends["Point year"][1] == {"year": 1962}
    assert ends["Point day"][1] == {"year": 1962, "month": 1, "day": 1}
    assert ends["Point month"][1] == {"year": 1962, "month": 1}
    assert ends["Ongoing"][1] == {"year": 2024, "month": 11, "day": 1}
    assert ends["Future"][1] == {"year": 2031}


def test_cosmological_scale_only_when_needed() -> None:
    assert _data(_tl(Event(id="e", title="E", start=d("1961"))))["scale"] == "human"
    assert _data(_tl(Event(id="e", title="E", start=d("Y-300000"))))["scale"] == "cosmological"


# --- text ------------------------------------------------------------------------------


def test_text_fields_are_escaped_for_where_timelinejs_puts_them() -> None:
    event = Event(
        id="e", title="a<b & c", start=d("2001"), group="x<y & z",
        description="Some *emphasis* and <script>x</script> [bad](javascript:alert(1)) [ok](https://ok.example/)",
        media=Media(url="https://example.org/a b'\"<>.png", caption="c<d", credit="e&f"),
        sources=(Source(title="S<1>", url="https://s.example/?a=1&b=2", publisher="P & Q", date=d("2020-05")),
                 Source(title="Bad", url="javascript:alert(1)"),
                 Source(url="https://bare.example/")),
    )
    slide = _slide(event)
    assert slide["text"]["headline"] == "a&lt;b &amp; c"
    assert slide["group"] == "x&amp;lt;y &amp;amp; z"  # stripped of markup, then inserted as HTML
    text = slide["text"]["text"]
    assert "<em>emphasis</em>" in text and "<script>" not in text and "&lt;script&gt;" in text
    assert "javascript:" not in text.replace("Bad, javascript:alert(1)", "")
    assert '<a href="https://s.example/?a=1&amp;b=2">S&lt;1&gt;</a>, P &amp; Q, May 2020' in text
    assert "Bad, javascript:alert(1)" in text  # an unsafe link becomes text
    assert '<a href="https://bare.example/">https://bare.example/</a>' in text
    assert slide["media"] == {
        "url": "https://example.org/a%20b%27%22%3C%3E.png",
        "caption": "c&lt;d", "alt": "c<d", "title": "c<d", "credit": "e&amp;f",
    }
    assert slide["autolink"] is False
    assert slide["unique_id"] == "e"


def test_media_with_an_unsafe_url_becomes_text() -> None:
    slide = _slide(Event(id="e", title="E", start=d("2001"),
                         media=Media(url="javascript:alert(1)", caption="<b>pic</b>", credit="me")))
    assert "media" not in slide
    assert slide["text"]["text"] == "<p>Media: &lt;b&gt;pic&lt;/b&gt; (me)</p>"


def test_title_slide_and_ids() -> None:
    data = _data(_tl(Event(id="title", title="E", start=d("2001")), title="My <story>", description="**Hi**"))
    assert data["title"] == {"unique_id": tljs.TITLE_SLIDE_ID, "autolink": False,
                             "text": {"headline": "My &lt;story&gt;", "text": "<p><strong>Hi</strong></p>"}}
    assert data["events"][0]["unique_id"] == "title"
    assert list(data) == ["scale", "title", "events", "eras"]


def test_output_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    tl = timeline.sample()
    first = timeline.export(tl, "timelinejs")
    page = timeline.export(tl, "timelinejs-html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    assert timeline.export(tl, "timelinejs") == first
    assert timeline.export(tl, "timelinejs-html") == page
    compact = timeline.export(tl, "timelinejs", indent=0)
    assert compact is not None and compact.count(b"\n") == 1 and json.loads(compact) == json.loads(first or b"")


def test_many_events_warn() -> None:
    events = [Event(id=f"e{i}", title=f"E{i}", start=d("2001")) for i in range(tljs.MANY_EVENTS + 1)]
    with pytest.warns(UserWarning, match="a lot for TimelineJS"):
        timeline.export(_tl(*events), "timelinejs")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        timeline.export(_tl(*events[:tljs.MANY_EVENTS]), "timelinejs")


# --- the page ---------------------------------------------------------------------------


def test_script_json_cannot_break_out() -> None:
    value = {"a": "</script><!-- \u2028\u2029 & <b>", "b": [1, True, None]}
    text = tljs.script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, re.DOTALL)


def test_page_loads_pinned_assets_with_integrity() -> None:
    page = (timeline.export(timeline.sample(), "timelinejs-html") or b"").decode()
    for name, integrity in tljs.ASSET_INTEGRITY.items():
        url = f"https://cdn.knightlab.com/libs/timeline3/{tljs.TIMELINEJS_VERSION}/{name}"
        assert re.search(rf'(href|src)="{re.escape(url)}" integrity="{re.escape(integrity)}" crossorigin="anonymous"',
                         page), name
    assert "latest" not in page
    assert "<title>Russia and North Korea, 1945–2024</title>" in page
    options = json.loads(_scripts(page)[1])
    assert options["script_path"] == tljs.CDN_BASE + "js/"
    assert options["soundcite"] is False and "ga_measurement_id" not in options


def test_page_options_reach_timelinejs() -> None:
    page = (timeline.export(
        timeline.sample(), "timelinejs-html", assets_url="vendor/timelinejs", language="ko", start_at_end=True,
        start_at_slide=3, timenav_position="top", timenav_height=40, hash_bookmark=True, font="none",
    ) or b"").decode()
    assert 'href="vendor/timelinejs/css/timeline.css"' in page and 'src="vendor/timelinejs/js/timeline.js"' in page
    options = json.loads(_scripts(page)[1])
    assert options == {
        "script_path": "vendor/timelinejs/js/", "language": "ko", "start_at_slide": 3, "start_at_end": True,
        "timenav_position": "top", "timenav_height_percentage": 40, "hash_bookmark": True, "font": "",
        "soundcite": False,
    }


@pytest.mark.parametrize("bad", ["javascript:alert(1)", 'https://x/"><script>', "data:text/css,x", "a b"])
def test_page_refuses_unsafe_assets_url(bad: str) -> None:
    with pytest.raises(OptionError):
        timeline.export(timeline.sample(), "timelinejs-html", assets_url=bad)


def test_page_embeds_the_same_data_and_a_noscript_list() -> None:
    tl = _tl(Event(id="e", title="</noscript><script>alert(1)</script>", start=d("2001")), title="<T>")
    page = (timeline.export(tl, "timelinejs-html") or b"").decode()
    assert json.loads(_scripts(page)[0]) == _data(tl)
    noscript = page.split("<noscript>")[1].split("</noscript>")[0]
    assert "<h1>&lt;T&gt;</h1>" in noscript
    assert "<li><strong>2001</strong>: &lt;/noscript&gt;&lt;script&gt;alert(1)&lt;/script&gt;</li>" in noscript
    assert page.count("</noscript>") == 1


def test_formats_are_found_by_name_and_extension() -> None:
    registry = default_registry()
    assert registry.exporter_for_path("story.html").name == "timelinejs-html"
    assert registry.exporter_for_path("story.htm").name == "timelinejs-html"
    assert registry.exporter_for_path("story.timeline.json").name == "timelinejs"
    assert registry.exporter_for_path("story.json").name == "json"


# --- the CLI ---------------------------------------------------------------------------


def test_export_html_from_the_cli(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "story.html"
    result = runner.invoke(cli, ["export", "-o", str(out), "-O", "start_at_end=true"])
    assert result.exit_code == 0, result.output
    assert b"new TL.Timeline" in out.read_bytes()


def test_preview_prints_the_path(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = runner.invoke(cli, ["preview", "--print-path", "-O", "font=none"])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.parent == tmp_path and path.suffix == ".html"
    assert b'"font":""' in path.read_bytes()


def test_preview_without_a_browser_prints_the_path(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    import webbrowser

    def no_browser(*args: Any, **kwargs: Any) -> Any:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = runner.invoke(cli, ["preview"])
    assert result.exit_code == 0, result.output
    assert "no web browser found" in result.stderr
    assert Path(result.stdout.strip()).is_file()


def test_preview_opens_the_browser(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import webbrowser

    opened: list[str] = []

    class Fake:
        def open(self, url: str) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda *a: Fake())
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = runner.invoke(cli, ["preview"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(opened) == 1 and opened[0].startswith("file://") and opened[0].endswith(".html")


def test_preview_checks_options_first(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["preview", "-O", "language=xx", "does-not-exist.yaml"])
    assert result.exit_code != 0
    assert "language" in result.output
