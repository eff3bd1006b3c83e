"""Every built-in exporter and reader passes the kit plugin authors use (timeline.testing)."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import spans

import timeline
from timeline import Timeline
from timeline.testing import (
    GARBAGE,
    HOSTILE_STRINGS,
    ExporterConformance,
    ReaderConformance,
    corpus,
    large_timeline,
    unchecked_corpus,
)


def timeline_precision_day() -> timeline.Precision:
    return timeline.Precision.DAY


class TestJsonExporter(ExporterConformance):
    format_name = "json"
    option_sets = ({"indent": 0},)

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        report = self.current_report
        assert report is not None and report.reported and not report.skipped and not report.approximated
        parsed = json.loads(data)
        assert [e["id"] for e in parsed.get("events", [])] == list(report.wrote)
        assert [e["id"] for e in parsed.get("events", [])] == [e.id for e in timeline.events]
        assert [e["title"] for e in parsed.get("events", [])] == [e.title for e in timeline.events]


class TestYamlExporter(ExporterConformance):
    format_name = "yaml"

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        import yaml

        report = self.current_report
        assert report is not None and report.reported and not report.skipped and not report.approximated
        parsed = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        assert [e["id"] for e in parsed.get("events", [])] == list(report.wrote) == [e.id for e in timeline.events]
        assert [e["title"] for e in parsed.get("events", [])] == [e.title for e in timeline.events]
        assert data.endswith(b"\n") and b"\r" not in data and b"\t" not in data


class TestTomlExporter(ExporterConformance):
    format_name = "toml"

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python 3.10
            import tomli as tomllib

        report = self.current_report
        assert report is not None and report.reported and not report.skipped
        assert {entry.field for entry in report.approximated} <= {"extra"}, "only nulls in extra are lost"
        parsed = tomllib.loads(data.decode("utf-8"))
        assert [e["id"] for e in parsed.get("events", [])] == list(report.wrote) == [e.id for e in timeline.events]
        assert [e["title"] for e in parsed.get("events", [])] == [e.title for e in timeline.events]


class TestMarkdownExporter(ExporterConformance):
    format_name = "markdown"
    option_sets = ({"toc": True, "sources": False},)


class TestIcalExporter(ExporterConformance):
    format_name = "ical"
    option_sets = ({"coarse_dates": "skip"}, {"ongoing": "until_export"})

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        text = data.decode("utf-8")
        lines = text.split("\r\n")
        report = self.current_report
        assert report is not None and report.reported
        assert lines.count("BEGIN:VEVENT") == len(report.wrote), "the report does not count the VEVENTs"
        uids = [line for line in lines if line.startswith("UID:")]
        assert len(uids) == len(report.wrote)
        if self.current_options.get("coarse_dates") == "skip":
            coarse = {e.id for e in timeline.events if e.start.precision < timeline_precision_day()}
            assert coarse <= {entry.event for entry in report.skipped}
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "bare CR or LF in iCalendar"
        assert lines.count("BEGIN:VCALENDAR") == 1 and lines.count("END:VCALENDAR") == 1
        assert all(len(line.encode()) <= 75 for line in lines), "an unfolded line longer than 75 octets"


class TestSvgExporter(ExporterConformance):
    format_name = "svg"
    option_sets = ({"theme": "dark", "width": 480, "links": False, "axis_breaks": False, "labels": 3},)

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        from tests.svg_helpers import label_texts, overlaps, parse, text_boxes

        root = parse(data)
        report = self.current_report
        assert report is not None and report.reported and not report.skipped
        assert sorted(report.wrote) == sorted(e.id for e in timeline.events)
        labelled = set(label_texts(root))
        assert len(labelled) == min(len(timeline.events), self.current_options.get("labels", 300))
        if len(timeline.events) <= 1000:  # the large timeline's 300 labels are checked in tests/test_svg.py
            assert overlaps(text_boxes(root)) == []


class TestTimelineJsExporter(ExporterConformance):
    format_name = "timelinejs"

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        parsed = json.loads(data)
        assert len(parsed.get("events", [])) == len(timeline.events)
        report = self.current_report
        assert report is not None and report.reported
        assert [slide["unique_id"] for slide in parsed.get("events", [])] == list(report.wrote)
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
    _baselines: dict[str, _Tags] = {}  # noqa: RUF012 - a cache shared by the test instances

    def _baseline(self) -> _Tags:
        """The page's own structure, from a timeline with nothing hostile in it."""
        if "one-event" not in self._baselines:
            self._baselines["one-event"] = _parse_html(self.export_bytes(corpus()["one-event"]))
        return self._baselines["one-event"]

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        page = _parse_html(data)
        baseline = self._baseline()
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


class TestIcalReader(ReaderConformance):
    format_name = "ical"
    samples = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
        b"DTSTART;VALUE=DATE:20240619\r\nSUMMARY:A\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@t\r\n"
        b"DTSTART;TZID=Asia/Seoul:20240619T022200\r\nDTEND;TZID=Asia/Seoul:20240619T032200\r\n"
        b"SUMMARY:B\\, with a comma\r\nCATEGORIES:x,y\r\nGEO:39.0;125.7\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTODO\nUID:t\nSUMMARY:T\nEND:VTODO\nEND:VCALENDAR\n",
    )
    garbage = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\n" + b"BEGIN:X\r\n" * 5_000,
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2024\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Nowhere:20240101T000000\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101\r\nGEO:x\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T000000Z\r\nDURATION:-PT1H\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n",
    )


class TestTimelineJsReader(ReaderConformance):
    format_name = "timelinejs"
    samples = (
        b'{"title": {"text": {"headline": "T"}}, "events": [{"unique_id": "a", "start_date": {"year": 2024},'
        b' "text": {"headline": "A", "text": "<p>x <a href=\'https://example.org\'>y</a></p>"}}]}',
        b'{"events": [{"start_date": {"year": "-44", "month": "3", "day": "15"}, "text": {"headline": "Ides"}}],'
        b' "eras": [{"start_date": {"year": -50}, "end_date": {"year": -40}, "text": {"headline": "E"}}]}',
    )
    garbage = (b'{"events": 5}', b'{"events": [{"start_date": {"year": []}}]}', b'{"title": "x", "events": []}',
               b'{"events": [{"start_date": {"year": 0}}]}')


class TestTimelineJsSheetReader(ReaderConformance):
    format_name = "timelinejs-sheet"
    samples = (
        b"Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,"
        b"Media Caption,Media Thumbnail,Type,Group,Background\r\n"
        b",,,,,,,,,Title,<p>Intro</p>,,,,,title,,\r\n"
        b"1961,7,6,,,,,,,Treaty,\"<p>a, b</p>\",,,,,,Treaties,\r\n"
        b"1950,,,,1953,,,,,War,,,,,,era,,\r\n",
        "Year;Headline\r\n-44;Цезарь\r\n".encode("utf-16"),
    )
    garbage = (b"Year,Headline\n", b"Year,Headline\n1961\n", b'Year,Headline\n"1961,A\n', b"Year\nabc\n",
               b"\xff\xfeY\x00")
class TestMarkwhenReader(ReaderConformance):
    format_name = "markwhen"
    samples = (
        b"title: T\ntimezone: UTC\n#a: blue\n\n# G\n2024-06-19/now: A #a\nid: a\nText.\n## H\n2024: B\n",
        (Path(__file__).parent / "markwhen" / "corpus" / "basics.mw").read_bytes(),
    )
    garbage = (b"2024-13-45: x\n", b"# \n", b": x\n", b"2024: x #a-b\n", b"title: T\n" * 1000 + b"\xff",
               b"2024: " + b"#a " * 10_000, b"1" * 100_000 + b":", b"2024: x\n" + b"//" * 100_000)


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

_BUILTIN_EXPORTERS = ("ical", "json", "markdown", "svg", "timelinejs", "timelinejs-html", "toml", "yaml")
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


# --- the kit fails exporters and readers that break their contract ------------------------------

_FAILS = (AssertionError, pytest.fail.Exception)


class _Good:
    name = "good"
    extensions = (".good",)
    media_type = "text/plain; charset=utf-8"
    description = "Event ids"
    options = (timeline.Option("upper", "Capitals", type="bool", default=False),)

    def write(self, tl, stream, options):
        for event in tl.events:
            stream.write((event.id.upper() if options["upper"] else event.id).encode() + b"\n")


def _kit(exporter):
    class Kit(ExporterConformance):
        pass

    Kit.exporter = exporter
    return Kit()


def _variant(**changes):
    exporter = _Good()
    for name, value in changes.items():
        setattr(exporter, name, value)
    return exporter


def test_the_kit_passes_a_good_exporter():
    kit = _kit(_Good())
    kit.test_declared_attributes()
    kit.test_options_are_valid()
    for case in corpus():
        kit.test_writes_bytes(case)
        kit.test_deterministic(case)
    kit.test_independent_of_tz_and_locale()
    kit.test_declared_option_values()
    kit.test_unknown_option_rejected()
    kit.test_found_by_name_through_export()


@pytest.mark.parametrize(
    ("changes", "test"),
    [
        ({"name": "Good"}, "test_declared_attributes"),
        ({"name": "good_one"}, "test_declared_attributes"),
        ({"extensions": ".good"}, "test_declared_attributes"),
        ({"extensions": ("good",)}, "test_declared_attributes"),
        ({"media_type": "plain text"}, "test_declared_attributes"),
        ({"description": "two\nlines"}, "test_declared_attributes"),
        ({"options": (timeline.Option("n", "a number", type="int", default="x"),)}, "test_options_are_valid"),
        ({"options": (timeline.Option("Bad-Name", "h"),)}, "test_options_are_valid"),
        ({"options": ("not an option",)}, "test_options_are_valid"),
    ],
)
def test_the_kit_fails_bad_declarations(changes, test):
    with pytest.raises(_FAILS):
        getattr(_kit(_variant(**changes)), test)()


class _WritesText(_Good):
    def write(self, tl, stream, options):
        stream.write("text, not bytes")


class _Crashes(_Good):
    def write(self, tl, stream, options):
        raise KeyError("oops")


class _ClosesStream(_Good):
    def write(self, tl, stream, options):
        super().write(tl, stream, options)
        stream.close()


class _Counter(_Good):
    calls = 0

    def write(self, tl, stream, options):
        type(self).calls += 1
        stream.write(f"run {type(self).calls}\n".encode())


class _Latin1(_Good):
    def write(self, tl, stream, options):
        stream.write(tl.title.encode("latin-1", "replace") + b"\xe9\n")


class _LocalTime(_Good):
    def write(self, tl, stream, options):
        import time

        stream.write(time.strftime("%z", time.localtime(0)).encode())


class _Silent(_Good):
    def write(self, tl, stream, options):
        pass


class _Refuses(_Good):
    def write(self, tl, stream, options):
        raise timeline.ExportError("cannot do that")


@pytest.mark.parametrize(
    ("exporter", "test", "args"),
    [
        (_WritesText(), "test_writes_bytes", ("one-event",)),
        (_Crashes(), "test_writes_bytes", ("one-event",)),
        (_Crashes(), "test_only_timeline_errors", ("unsafe-urls",)),
        (_ClosesStream(), "test_writes_bytes", ("one-event",)),
        (_Counter(), "test_deterministic", ("one-event",)),
        (_Latin1(), "test_writes_bytes", ("scripts",)),
        (_LocalTime(), "test_independent_of_tz_and_locale", ()),
        (_Silent(), "test_writes_bytes", ("one-event",)),
        (_Refuses(), "test_writes_bytes", ("bce",)),
    ],
)
def test_the_kit_fails_bad_behaviour(exporter, test, args):
    with pytest.raises(_FAILS):
        getattr(_kit(exporter), test)(*args)


class _Reports(_Good):
    """A plugin API 1.1 exporter that reports honestly: skips events whose id starts with 'e'."""

    def write(self, tl, stream, options, *, context=None):
        for event in tl.events:
            if event.id.startswith("e"):
                if context is not None:
                    context.report.skipped(event, "starts with e")
                continue
            stream.write(event.id.encode() + b"\n")
            if context is not None:
                context.report.wrote(event)


class _ReportsAGhost(_Reports):
    def write(self, tl, stream, options, *, context=None):
        super().write(tl, stream, options, context=context)
        context.report.wrote("no-such-event")


class _ReportsBoth(_Reports):
    def write(self, tl, stream, options, *, context=None):
        super().write(tl, stream, options, context=context)
        for event in tl.events:
            if not event.id.startswith("e"):
                context.report.skipped(event, "both")


class _ReportsTooLittle(_Good):
    def write(self, tl, stream, options, **kwargs):  # **kwargs accepts the context too
        super().write(tl, stream, options)
        if tl.events:
            kwargs["context"].report.wrote(tl.events[0])


class _ReportsUnsteadily(_Reports):
    runs = 0

    def write(self, tl, stream, options, *, context=None):
        type(self).runs += 1
        super().write(tl, stream, options, context=context)
        if type(self).runs % 2 and tl.events:
            context.report.approximated(tl.events[0], "title", "sometimes")


def test_the_kit_passes_an_honest_reporting_exporter():
    kit = _kit(_Reports())
    for case in corpus():
        kit.test_writes_bytes(case)
        kit.test_deterministic(case)
    assert kit.current_report is not None and kit.current_report.reported
    kit.test_found_by_name_through_export()


@pytest.mark.parametrize(
    ("exporter", "test", "case"),
    [
        (_ReportsAGhost(), "test_writes_bytes", "one-event"),
        (_ReportsBoth(), "test_writes_bytes", "everything"),
        (_ReportsTooLittle(), "test_writes_bytes", "everything"),
        (_ReportsUnsteadily(), "test_deterministic", "everything"),
    ],
)
def test_the_kit_fails_an_exporter_whose_report_lies(exporter, test, case):
    with pytest.raises(_FAILS):
        getattr(_kit(exporter), test)(case)


def test_check_output_learns_the_options_and_report():
    seen = []

    class Kit(ExporterConformance):
        exporter = _Reports()
        option_sets = ({"upper": True},)

        def check_output(self, tl, data):  # the 1.0 signature still works
            seen.append((dict(self.current_options), len(self.current_report.wrote)))

    Kit().test_option_sets("one-event")
    assert seen == [({"upper": True}, 1)] * 2  # run twice, to compare


def test_may_refuse_lets_a_format_decline_what_it_cannot_represent():
    kit = _kit(_Refuses())
    type(kit).may_refuse = ("bce",)
    kit.test_writes_bytes("bce")
    with pytest.raises(_FAILS):
        kit.test_writes_bytes("one-event")


def test_unordered_extra_is_caught():
    class KeysInOrder(_Good):
        def write(self, tl, stream, options):
            for event in tl.events:
                stream.write(",".join(event.extra).encode() + b"\n")

    with pytest.raises(_FAILS):
        _kit(KeysInOrder()).test_independent_of_input_order("sources-media-locations")


def test_check_output_hook_sees_every_output():
    seen = []

    class Kit(ExporterConformance):
        exporter = _Good()

        def check_output(self, tl, data):
            seen.append(tl.id)

    Kit().test_writes_bytes("hostile")
    Kit().test_large_timeline()
    assert seen == ["hostile", "large-10000"]


class _BadReader:
    name = "bad"
    extensions = (".bad",)
    description = "Crashes on garbage"

    def read(self, data, source):
        return timeline.Document(json.loads(data))


def test_the_reader_kit_fails_a_reader_that_leaks_exceptions():
    class Kit(ReaderConformance):
        reader = _BadReader()
        samples = (b'{"id": "t", "title": "T", "events": []}',)

    Kit().test_declared_attributes()
    Kit().test_samples_load()
    with pytest.raises(_FAILS):
        Kit().test_garbage_gives_read_error(GARBAGE.index(b"\x00"))
