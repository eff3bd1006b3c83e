"""Every built-in exporter and reader passes the kit plugin authors use (timeline.testing)."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import spans

import timeline
from timeline import Timeline
from timeline.testing import (
    HOSTILE_STRINGS,
    ExporterConformance,
    ReaderConformance,
    corpus,
    large_timeline,
    unchecked_corpus,
)


class TestJsonExporter(ExporterConformance):
    format_name = "json"
    option_sets = ({"indent": 0},)

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        parsed = json.loads(data)
        assert [e["id"] for e in parsed.get("events", [])] == [e.id for e in timeline.events]
        assert [e["title"] for e in parsed.get("events", [])] == [e.title for e in timeline.events]


class TestMarkdownExporter(ExporterConformance):
    format_name = "markdown"
    option_sets = ({"toc": True, "sources": False},)


class TestIcalExporter(ExporterConformance):
    format_name = "ical"

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        text = data.decode("utf-8")
        lines = text.split("\r\n")
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "bare CR or LF in iCalendar"
        assert lines.count("BEGIN:VCALENDAR") == 1 and lines.count("END:VCALENDAR") == 1
        assert all(len(line.encode()) <= 75 for line in lines), "an unfolded line longer than 75 octets"


class TestTimelineJsExporter(ExporterConformance):
    format_name = "timelinejs"

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        parsed = json.loads(data)
        assert len(parsed.get("events", [])) == len(timeline.events)
        # TimelineJS renders these fields as HTML; the others are plain text or URLs.
        for text in _strings(parsed, ("headline", "text", "caption", "credit")):
            assert not _UNSAFE_ATTRIBUTE.search(text), f"unsafe link in {text[:80]!r}"
            assert "<script" not in text.lower(), f"script element in {text[:80]!r}"
        for url in _strings(parsed, ("url", "link", "thumbnail")):
            assert not url.lower().lstrip().startswith("javascript:"), f"unsafe URL {url[:80]!r}"


_UNSAFE_ATTRIBUTE = re.compile(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _strings(value: object, keys: tuple[str, ...], key: str = "") -> list[str]:
    """Every string in parsed JSON held under one of ``keys``."""
    if isinstance(value, str):
        return [value] if key in keys else []
    if isinstance(value, dict):
        return [s for name, item in value.items() for s in _strings(item, keys, name)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, keys, key)]
    return []


class _Tags(HTMLParser):
    """Collects what a browser would treat as structure: elements, event handlers, link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers.extend(name for name, _ in attrs if name.startswith("on"))
        self.urls.extend(value or "" for name, value in attrs if name in ("href", "src", "action", "formaction"))


def _parse_html(data: bytes) -> _Tags:
    parser = _Tags()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


class TestTimelineJsPageExporter(ExporterConformance):
    format_name = "timelinejs-html"
    large_size = 2_000

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        page = _parse_html(data)
        baseline = _parse_html(self.export_bytes(corpus()["one-event"]))
        assert page.tags.count("script") == baseline.tags.count("script"), "data text became a <script>"
        assert {"img", "iframe", "object", "textarea"}.isdisjoint(page.tags), "data text became HTML elements"
        assert page.handlers == [], f"event handler attributes from data: {page.handlers}"
        assert not any(url.lower().lstrip().startswith("javascript:") for url in page.urls)


class TestJsonReader(ReaderConformance):
    format_name = "json"
    samples = (b'{"id": "t", "title": "T", "events": [{"id": "a", "title": "A", "start": "2024"}]}',)


class TestYamlReader(ReaderConformance):
    format_name = "yaml"
    samples = (b"id: t\ntitle: T\nevents:\n  - id: a\n    title: A\n    start: '2024-06-19'\n",)
    garbage = (b"!!python/object/apply:os.system ['echo pwned']", b"a: &x [*x]", b"\t- tab")


class TestTomlReader(ReaderConformance):
    format_name = "toml"
    samples = (b'id = "t"\ntitle = "T"\n[[events]]\nid = "a"\ntitle = "A"\nstart = "2024"\n',)


# --- the kit itself -------------------------------------------------------------


def test_corpus_is_valid_and_covers_what_it_promises():
    cases = corpus()
    for tl in cases.values():
        assert timeline.validate(tl) is tl
    assert len(cases["empty"]) == 0 and len(cases["one-event"]) == 1
    dates = [d for e in cases["everything"] for d in (e.start, e.end) if d is not None]
    assert {d.precision for d in dates} == set(timeline.Precision)
    assert any(d.year <= 0 for d in dates) and any(d.year > 9999 for d in dates)
    assert any(d.approximate for d in dates) and any(d.uncertain for d in dates)
    assert any(e.ongoing for e in cases["everything"]) and cases["everything"].eras
    titles = "".join(e.title for e in cases["everything"])
    assert re.search("[가-힣]", titles) and re.search("[а-я]", titles) and "👩‍👩‍👧" in titles
    assert all(any(text in e.title for e in cases["hostile"]) for text in HOSTILE_STRINGS)
    assert len(large_timeline()) == 10_000 and large_timeline() is large_timeline()


def test_unchecked_corpus_fails_validation():
    for tl in unchecked_corpus().values():
        with pytest.raises(timeline.InvalidTimelineError):
            timeline.validate(tl)


def test_importing_timeline_does_not_import_the_kit():
    import subprocess
    import sys

    code = "import sys, timeline; timeline.sample(); print('timeline.testing' in sys.modules, 'pytest' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- random timelines: every built-in exporter writes them or refuses with a TimelineError -------

_BUILTIN_EXPORTERS = ("ical", "json", "markdown", "timelinejs", "timelinejs-html")
_texts = st.text(st.characters(codec="utf-8"), max_size=40)


@st.composite
def _timelines(draw: st.DrawFn) -> Timeline:
    events = []
    for index in range(draw(st.integers(min_value=0, max_value=4))):
        start, end, ongoing = draw(spans())
        events.append(
            timeline.Event(
                id=f"e{index}",
                title=draw(_texts),
                start=start,
                end=end,
                ongoing=ongoing,
                description=draw(_texts),
                tags=tuple(draw(st.lists(_texts, max_size=2))),
                group=draw(st.none() | _texts),
                sources=(timeline.Source(title=draw(_texts) or "untitled"),),
            )
        )
    return Timeline(id="random", title=draw(_texts) or "untitled", events=events, description=draw(_texts))


@pytest.mark.parametrize("name", _BUILTIN_EXPORTERS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tl=_timelines())
def test_random_timelines_export_or_fail_cleanly(name, tl):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. ical reports events it cannot hold
        try:
            first = timeline.export(tl, name)
        except timeline.TimelineError as exc:
            crash = exc.__cause__  # export() wraps an exporter's crash in an ExportError
            assert crash is None or isinstance(crash, timeline.TimelineError), f"{name} crashed: {exc}"
            return
        assert timeline.export(tl, name) == first
