"""Text stays text: no control character in or out, no autolink in plain Markdown text.

Loading refuses control characters (C0, DEL, C1; tab and line feed allowed,
carriage return too in descriptions and ``extra``) on both load paths and in
``validate``; every text output keeps them out even for a timeline built in
code.  ``escape_markdown`` is checked against cmark-gfm, GitHub's renderer,
with its autolink extension on.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from click.testing import CliRunner
from cmarkgfm.cmark import Options
from hypothesis import example, given, settings
from hypothesis import strategies as st

import timeline
from timeline import Date, Era, Event, InvalidTimelineError, Location, Media, Source, Timeline
from timeline._builder import ID_PATTERN, check_zone
from timeline.fastpath import FastBuilder
from timeline.markup import escape_markdown, markdown_to_html, markdown_to_markdown, markdown_to_text

# A terminal hyperlink, a window title, colour, a C1 CSI, DEL, NEL, NUL, BEL.
HOSTILE = "\x1b]8;;https://evil.example\x07here\x1b]8;;\x07 \x1b]0;pwned\x07 \x1b[31m \x9b2J \x7f \x85 \x00 \x07"
#: Any control character an output must not write (CR LF pairs are iCalendar's line ends).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")


def _built_in_code(bad: str = HOSTILE) -> Timeline:
    return Timeline(
        id="t",
        title="Title" + bad,
        description="Intro" + bad + "\n\n*more*" + bad,
        eras=[Era(title="Era" + bad, start=Date(2020), end=Date(2021), description="About" + bad)],
        events=[
            Event(
                id="a",
                title="Event" + bad,
                start=Date(2020),
                description="Text" + bad + "\n\n- item" + bad,
                tags=("tag" + bad,),
                group="group" + bad,
                location=Location(name="Place" + bad),
                media=Media(url="https://example.org/" + bad, caption="Caption" + bad, credit="Credit" + bad),
                sources=(Source(title="Source" + bad, publisher="Publisher" + bad, url="https://example.org/s"),),
                extra={"key" + bad: "value" + bad},
            )
        ],
    )


# --------------------------------------------------------------------------
# Loading refuses them, on both paths
# --------------------------------------------------------------------------

FIELDS = [
    ({"title": "T\x1b[2J"}, "title", "U+001B"),
    ({"description": "D\x9b2J"}, "description", "U+009B"),
    ({"tags": ["ok", "t\x07"]}, "tags[1]", "U+0007"),
    ({"tags": "t\x07"}, "tags", "U+0007"),
    ({"group": "g\x7f"}, "group", "U+007F"),
    ({"location": "Pyong\x85yang"}, "location", "U+0085"),
    ({"location": {"name": "P\x00"}}, "location.name", "U+0000"),
    ({"media": "https://example.org/\x1b"}, "media", "U+001B"),
    ({"media": {"url": "https://example.org/a", "caption": "c\x1b"}}, "media.caption", "U+001B"),
    ({"media": {"url": "https://example.org/a", "credit": "c\x90"}}, "media.credit", "U+0090"),
    ({"sources": ["S\x1b"]}, "sources[0]", "U+001B"),
    ({"sources": [{"title": "S\x1b"}]}, "sources[0].title", "U+001B"),
    ({"sources": [{"title": "S", "publisher": "P\x9d"}]}, "sources[0].publisher", "U+009D"),
    ({"sources": [{"url": "https://example.org/\x1b"}]}, "sources[0].url", "U+001B"),
    ({"related": ["b\x1b"]}, "related[0]", "U+001B"),
    ({"extra": {"note": "n\x1b"}}, "extra.note", "U+001B"),
    ({"extra": {"k\x9b": 1}}, "extra.k\x9b", "U+009B"),
    ({"extra": {"deep": [{"x": "\x00"}]}}, "extra.deep[0].x", "U+0000"),
    ({"title": "Line\rbreak"}, "title", "U+000D"),
]


def _load_json(document: dict[str, object]) -> Timeline:
    return timeline.load_bytes(json.dumps(document).encode(), name="t.json", input_format="json")


@pytest.mark.parametrize(("fields", "field", "code"), FIELDS)
def test_loading_refuses_control_characters_in_every_event_text_field(fields, field, code):
    raw = {"id": "a", "title": "A", "start": "2024", **fields}
    with pytest.raises(InvalidTimelineError) as caught:
        _load_json({"events": [raw, {"id": "b", "title": "B", "start": "2024"}]})
    (problem,) = caught.value.problems
    assert (problem.file, problem.event, problem.field) == ("t.json", "event 'a'", field)
    assert f"control character {code}" in problem.message
    # The fast path gives such an event up, so the careful path reports it.
    assert FastBuilder(ID_PATTERN.fullmatch, check_zone).event(raw, None) is None


@pytest.mark.parametrize(
    ("document", "who", "field"),
    [
        ({"title": "T\x1b]0;x\x07", "events": []}, "timeline", "title"),
        ({"description": "D\x9b", "events": []}, "timeline", "description"),
        ({"eras": [{"title": "E\x1b", "start": "2020", "end": ".."}], "events": []}, "era 'E\\x1b'", "title"),
        ({"eras": [{"title": "E", "start": "2020", "end": "..", "description": "\x85"}], "events": []}, "era 'E'",
         "description"),
    ],
)
def test_loading_refuses_control_characters_in_the_header_and_eras(document, who, field):
    with pytest.raises(InvalidTimelineError) as caught:
        _load_json(document)
    (problem,) = caught.value.problems
    assert (problem.event, problem.field) == (who, field)
    assert "control character" in problem.message


def test_yaml_problem_names_file_line_event_and_field(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text('title: T\nevents:\n  - id: a\n    title: "Red \\e[31m"\n    start: "2024"\n')
    with pytest.raises(InvalidTimelineError) as caught:
        timeline.load(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:4: event 'a', field 'title': contains the control character U+001B")


def test_tab_line_feed_and_description_carriage_return_are_text():
    raw = {
        "id": "a",
        "title": "Tab\there",
        "start": "2024",
        "description": "Windows\r\nline ends\tand tabs\n",
        "tags": ["a\tb"],
        "extra": {"note": "x\r\ny"},
    }
    loaded = _load_json({"title": "Two\nlines", "description": "a\r\nb", "events": [raw]})
    (event,) = loaded.events
    assert event.description == raw["description"] and event.title == "Tab\there"
    assert FastBuilder(ID_PATTERN.fullmatch, check_zone).event(raw, None) == event
    assert timeline.validate(loaded) is loaded


def test_validate_refuses_control_characters_in_a_timeline_built_in_code():
    with pytest.raises(InvalidTimelineError) as caught:
        timeline.validate(_built_in_code())
    found = {(p.event, p.field) for p in caught.value.problems if "control character" in p.message}
    era = f"era {'Era' + HOSTILE!r}"
    assert found >= {
        ("timeline", "title"),
        ("timeline", "description"),
        (era, "title"),
        (era, "description"),
        ("event 'a'", "title"),
        ("event 'a'", "description"),
        ("event 'a'", "tags[0]"),
        ("event 'a'", "group"),
        ("event 'a'", "location.name"),
        ("event 'a'", "media.url"),
        ("event 'a'", "media.caption"),
        ("event 'a'", "media.credit"),
        ("event 'a'", "sources[0].title"),
        ("event 'a'", "sources[0].publisher"),
    }
    assert any(field.startswith("extra.") for _, field in found)


# --------------------------------------------------------------------------
# Outputs never write one, even for data built in code
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "json", "ical", "timelinejs", "timelinejs-html", "svg"])
def test_no_output_writes_a_control_character(fmt):
    out = timeline.export(_built_in_code(), fmt)
    assert RAW_CONTROL.findall(out.replace(b"\r\n", b"\n")) == []


def test_markdown_shows_control_characters_as_replacement_characters():
    out = timeline.export(_built_in_code("\x1b[31m\x9b"), "markdown").decode()
    assert "### Event\ufffd\\[31m\ufffd\n" in out
    assert "Text\ufffd\\[31m\ufffd" in out


@pytest.mark.parametrize("indent", [0, 2])
def test_canonical_json_escapes_del_and_c1_and_stays_lossless(indent):
    built = _built_in_code("\x7f\x80\x9b\x9f\x1b")
    out = timeline.export(built, "json", indent=indent)
    assert re.search(rb"[\x7f]|\xc2[\x80-\x9f]", out) is None
    text = out.decode()
    assert "Event\\u007f\\u0080\\u009b\\u009f\\u001b" in text
    data = json.loads(text)
    assert data["events"][0]["title"] == built.events[0].title
    assert data["events"][0]["extra"] == dict(built.events[0].extra)
    assert data["eras"][0]["title"] == built.eras[0].title


def test_show_writes_no_control_character(monkeypatch):
    from timeline import cli

    monkeypatch.setattr(cli, "_load", lambda files, input_format, *rest: _built_in_code())
    result = CliRunner().invoke(cli.cli, ["show"])
    assert result.exit_code == 0, result.output
    assert RAW_CONTROL.findall(result.output.encode()) == []
    assert "Event\ufffd]8;;https://evil.example\ufffdhere" in result.output


@pytest.mark.parametrize("render", [markdown_to_markdown, markdown_to_html, markdown_to_text])
def test_description_renderers_drop_control_characters(render):
    out = render("Intro" + HOSTILE + "\r\n\r\n*more*\x1b[0m\n")
    assert RAW_CONTROL.findall(out.encode()) == []
    assert "\ufffd" in out


def test_escape_markdown_replaces_control_characters():
    assert escape_markdown("a\x1b[31mb\x9bc\x7f") == "a\ufffd\\[31mb\ufffdc\ufffd"
    assert escape_markdown("x\x00y") == "x\ufffdy"
    assert escape_markdown("a\x85b") == "a b"  # NEL is a line break: it collapses like one


# --------------------------------------------------------------------------
# escape_markdown against GitHub's renderer (cmark-gfm, autolinks on)
# --------------------------------------------------------------------------


def gfm(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs.extend(value or "" for name, value in attrs if name == "href")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(markdown: str) -> _Collector:
    collector = _Collector()
    collector.feed(gfm(markdown))
    collector.close()
    return collector


def expected_text(text: str) -> str:
    """What escape_markdown promises: line breaks and tabs collapse to a space, other controls U+FFFD."""
    text = re.sub(r"\s*[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]\s*", " ", text)
    return re.sub("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]", "\ufffd", text)


# cmark-gfm's extended e-mail autolink: looked for after parsing, in the
# merged text, so no escape or character reference can stop it (see
# https://github.com/github/cmark-gfm/issues/278).
EMAIL_LIKE = re.compile(r"[A-Za-z0-9.+_:-]@")

LINKY = [
    "https://example.org/a_b?c=d&e=f#g",
    "http://x.example",
    "HTTPS://EXAMPLE.ORG",
    "ftp://ftp.example.org/pub",
    "www.example.com",
    "WWW.Example.com/x",
    "(www.example.org)",
    "*www.example.org*",
    "_www.example.org_",
    "~www.example.org~",
    "mailto:",
    "xmpp:",
    "://",
    "www.",
    "http:",
    ".",
    ":",
    "/",
    "@",
    " ",
    "\t",
    "\n",
    "a",
    "1",
    "*",
    "_",
    "~",
    "\\",
    "<",
    ">",
    "&amp;",
    "[x](https://example.org)",
    "<https://example.org>",
    "é",
    "\x1b",
    "\x9b",
    "\x00",
]
linky_text = st.one_of(st.text(), st.lists(st.sampled_from(LINKY), max_size=20).map("".join))


@settings(max_examples=400, deadline=None)
@given(linky_text)
@example("see https://example.org now")
@example("www.example.com")
@example("x www.example.com/path_(1)")
@example("ftp://example.org")
@example("http://github.com")
@example("WWW.example.com")
def test_escape_markdown_renders_as_exactly_the_text_on_github(text):
    expected = expected_text(text)
    if EMAIL_LIKE.search(expected):
        return  # the documented exception, checked below
    for markdown in (escape_markdown(text), "# " + escape_markdown(text)):
        result = rendered(markdown)
        assert result.tags in ([], ["p"], ["h1"]), (markdown, gfm(markdown))
        assert "".join(result.text).strip("\n") == expected, (markdown, gfm(markdown))


@pytest.mark.parametrize(
    "text",
    ["https://example.org", "see http://x.example/a now", "www.example.com", "(www.example.com)", "ftp://x.org/f"],
)
def test_bare_urls_and_www_hosts_are_not_links_on_github(text):
    assert "<a" in gfm(text)  # GitHub would link them
    assert "<a" not in gfm(escape_markdown(text))
    assert "".join(rendered(escape_markdown(text)).text).strip("\n") == text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(LINKY + ["a@b.example", "x.y+z@host.example.org"]), max_size=12).map("".join))
@example("write to a@b.example")
def test_email_addresses_still_render_as_exactly_the_text(text):
    """No escape keeps cmark-gfm from linking an e-mail address: the text is still exact, only as a mailto: link."""
    expected = expected_text(text)
    result = rendered(escape_markdown(text))
    assert "".join(result.text).strip("\n") == expected
    assert set(result.tags) <= {"p", "a"}


def test_control_patterns_match_exactly_the_controls_and_lone_surrogates():
    """Every code point: the two patterns refuse what they document, and nothing else."""
    from timeline.text import CONTROL_RE, MULTILINE_CONTROL_RE

    def control(code: int) -> bool:
        return code <= 0x1F or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF

    for code in [*range(0x10000), 0x10000, 0x1F600, 0x10FFFF]:
        char = chr(code)
        assert (CONTROL_RE.search(char) is not None) is (control(code) and char not in "\t\n"), hex(code)
        assert (MULTILINE_CONTROL_RE.search(char) is not None) is (control(code) and char not in "\t\n\r"), hex(code)
    assert CONTROL_RE.search("ok\ud83d").start() == 2
