"""The PDF exporter, read back with pypdf, an independent PDF reader.

Pages and their size, the labelled titles as text (once each in the
picture), the numbered notes, the link annotations (URI actions to safe
URLs only, nothing else that acts), the embedded fonts (Hangul in Noto Sans
CJK KR under the Korean locale), and the same bytes on every run.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject
from timeline.plugins import pdf as pdf_plugin

import timeline
from timeline import Date, Event, Source, Timeline
from timeline.testing import ExporterConformance


def _needs_renderer() -> None:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("fpdf2 is missing: .ci/setup installs the [pictures] extra")
        pytest.skip("the [pictures] extra is not installed")
    missing = [path for path in pdf_plugin.FONT_FILES.values() if not Path(path).exists()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} missing: .ci/setup installs fonts-noto-core and fonts-noto-cjk")
        pytest.skip(f"fonts missing: {missing}")


_CACHE: dict[tuple[str, str, str], tuple[bytes, Any]] = {}


def _export(tl: Timeline, locale: str = "en", **options: Any) -> tuple[bytes, Any]:
    _needs_renderer()
    return timeline.export_with_report(tl, "pdf", options=options, locale=locale)


def _sample(locale: str = "en", paper: str = "a4") -> tuple[bytes, Any]:
    key = ("sample", locale, paper)
    if key not in _CACHE:
        _CACHE[key] = _export(timeline.sample(), locale, paper=paper)
    return _CACHE[key]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _pages_text(reader: PdfReader) -> list[str]:
    return [_squeeze(page.extract_text() or "") for page in reader.pages]


def _split(reader: PdfReader, heading: str) -> tuple[list[str], list[str]]:
    """The picture's pages' text and the notes' pages' text (the notes start with ``heading``)."""
    texts = _pages_text(reader)
    first = next(i for i, text in enumerate(texts) if text.startswith(heading))
    return texts[:first], texts[first:]


def _pdftotext(data: bytes, first: int = 1, last: int = 1) -> str:
    """Poppler's reading of pages ``first`` to ``last`` (pypdf reads fpdf2's CJK text with stray NULs)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: .ci/setup installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([tool, "-f", str(first), "-l", str(last), "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True)
    return _squeeze(done.stdout.decode("utf-8"))


def _objects(reader: PdfReader) -> list[Any]:
    """Every object reachable from the trailer, once each."""
    seen: set[tuple[int, int]] = set()
    found: list[Any] = []
    stack: list[Any] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        found.append(item)
        if isinstance(item, DictionaryObject):
            stack.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def _links(reader: PdfReader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            action = annot["/A"]
            assert action["/S"] == "/URI"
            uris.append(str(action["/URI"]))
    return uris


def test_sample_on_a4_landscape_with_every_labelled_title_once():
    data, report = _sample()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    picture, notes = _split(reader, "Sources")
    assert picture and notes
    text = " ".join(picture)
    unlabelled = {entry.event for entry in report.approximated if entry.field == "title"}
    titles = [event.title for event in timeline.sample().events if event.id not in unlabelled]
    assert len(titles) == 57, "at print size the sample's events are all labelled"
    for title in titles:
        inside = sum(other.count(title) for other in titles if other != title)
        assert text.count(title) == 1 + inside, title
    # each page carries its number
    for number, page_text in enumerate(picture + notes, start=1):
        assert page_text.endswith(f"{number} / {len(reader.pages)}")


def test_letter_paper():
    data, _ = _sample(paper="letter")
    reader = PdfReader(io.BytesIO(data))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(792, 612)}


def test_the_notes_list_the_sources_under_the_numbers_shown_in_the_picture():
    data, _ = _sample()
    reader = PdfReader(io.BytesIO(data))
    picture, notes = _split(reader, "Sources")
    story = timeline.sample()
    numbered = [event for event in story.events if event.sources]
    notes_text = " ".join(notes)
    picture_text = " ".join(picture)
    positions = []
    for number, event in enumerate(numbered, start=1):
        marker = f"[{number}] {event.title}"
        assert notes_text.count(marker) == 1, marker
        positions.append(notes_text.index(marker))
        assert picture_text.count(f"[{number}]") == 1, f"[{number}] beside its label"
        for source in event.sources:
            if source.title:
                assert _squeeze(source.title) in notes_text
    assert positions == sorted(positions)
    assert f"[{len(numbered) + 1}]" not in notes_text


def test_links_are_uri_actions_to_safe_urls_only():
    data, _ = _sample()
    reader = PdfReader(io.BytesIO(data))
    uris = _links(reader)
    urls = {timeline.safe_url(s.url) for e in timeline.sample().events for s in e.sources if s.url}
    assert uris and set(uris) <= urls
    hostile = Timeline(id="t", title="Hostile", events=[
        Event(id="a", title="Bad links", start=Date(2024, 1, 1), sources=(
            Source(title="Script", url="javascript:alert(1)"),
            Source(url="JaVa\tScRiPt:alert(2)"),
            Source(title="File", url="file:///etc/passwd"),
            Source(title="Good", url="https://example.org/a b?x=1&y=(2)"),
        )),
    ])
    data, report = _export(hostile)
    reader = PdfReader(io.BytesIO(data))
    # the notes link the good URL; the picture links an event's first source only, here refused
    assert _links(reader) == ["https://example.org/a%20b?x=1&y=(2)"]
    assert b"javascript" not in data.lower() and b"passwd" not in data
    assert {entry.field for entry in report.approximated} == {"sources"}
    notes = " ".join(_split(reader, "Sources")[1])
    assert "Script" in notes and "File" in notes and "https://example.org/a b?x=1&y=(2)" in notes


FORBIDDEN = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/AA",
             "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/RichMedia", "/XFA", "/AcroForm", "/Names"}
# /OpenAction is checked apart: fpdf2 always writes one, the page to open at


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_nothing_in_the_file_acts_but_uri_links(locale):
    data, _ = _sample(locale)
    reader = PdfReader(io.BytesIO(data))
    actions = set()
    for item in _objects(reader):
        if isinstance(item, DictionaryObject):
            assert not FORBIDDEN & set(item.keys()), FORBIDDEN & set(item.keys())
            if "/OpenAction" in item:  # fpdf2's initial view: a destination (page, /FitH), never an action
                view = item["/OpenAction"]
                assert isinstance(view, ArrayObject) and view[1] == "/FitH", view
            if "/S" in item and item.get("/Type") != "/Group":
                actions.add(item["/S"])
            assert item.get("/Subtype") not in (NameObject("/FileAttachment"), NameObject("/Widget"))
    assert actions <= {"/URI"}


def test_korean_renders_hangul_in_an_embedded_font():
    data, _ = _sample("ko")
    reader = PdfReader(io.BytesIO(data))
    first_page = _pdftotext(data)
    assert first_page.startswith("러시아와 북한, 1945~2024 사건 57건"), first_page[:60]
    assert reader.metadata is not None and reader.metadata.title == "러시아와 북한, 1945~2024"
    first_note = next(i for i in range(1, len(reader.pages) + 1) if _pdftotext(data, i, i).startswith("출처"))
    notes = _pdftotext(data, first_note, first_note)
    # the data's Korean titles, as in the picture
    assert notes.startswith("출처 [1] 샌프란시스코에서 유엔헌장 서명 — 1945년 6월 26일"), notes[:80]
    fonts = {}
    for item in _objects(reader):
        if isinstance(item, DictionaryObject) and item.get("/Type") == "/FontDescriptor":
            fonts[str(item["/FontName"])] = any(k in item for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    names = {re.sub(r"^/[A-Z]{6}\+", "", name): embedded for name, embedded in fonts.items()}
    assert names.get("NotoSansCJKKR") is True, names
    assert names.get("NotoSans") is True, names
    assert all(fonts.values()), "every font is embedded"
    english = PdfReader(io.BytesIO(_sample()[0]))
    assert not any("CJK" in str(item.get("/FontName", "")) for item in _objects(english)
                   if isinstance(item, DictionaryObject)), "the CJK font only when a character needs it"


def test_metadata_and_the_same_bytes_on_every_run(monkeypatch):
    data, _ = _sample()
    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata
    assert info is not None and info.title == timeline.sample().title
    assert str(info["/CreationDate"]).startswith("D:20261123000000")  # the sample's `updated`
    assert "/ModDate" not in info
    first, second = reader.trailer["/ID"]
    assert first == second
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    time.tzset()
    try:
        again, _ = _export(timeline.sample())
    finally:
        monkeypatch.undo()
        time.tzset()
    assert again == data


def test_without_a_date_the_creation_date_is_the_fixed_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    tl = Timeline(id="t", title="Title with ) and \\ and (", events=[Event(id="a", title="A", start=Date(2024))])
    data, _ = _export(tl)
    info = PdfReader(io.BytesIO(data)).metadata
    assert info is not None and info.title == tl.title
    assert str(info["/CreationDate"]).startswith("D:19700101000000")
    assert data == _export(tl)[0]


def test_without_the_extra_the_error_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "fpdf", None)
    with pytest.raises(timeline.ExportError, match=r'pip install "timeline-events\[pictures\]"'):
        timeline.export(timeline.sample(), "pdf")


def test_without_the_fonts_the_error_names_the_packages(monkeypatch):
    _needs_renderer()
    monkeypatch.setattr(pdf_plugin, "FONT_FILES", {**pdf_plugin.FONT_FILES, ("noto", ""): "/nonexistent/N.ttf"})
    with pytest.raises(timeline.ExportError, match="fonts-noto-core fonts-noto-cjk"):
        timeline.export(timeline.sample(), "pdf")


def test_cuts_fall_between_rows_of_labels():
    """No text line is cut in two: every label's box lies within one page's slice."""
    _needs_renderer()
    svg = timeline.export(timeline.sample(), "svg", width=1026, links=False)
    assert svg is not None
    _width, height, shapes, axis, _bg = pdf_plugin.read_drawing(svg.decode())
    slices = pdf_plugin.cut_points(shapes, height, 600, axis)
    assert len(slices) > 2 and slices[0][0] == 0 and slices[-1][1] == height
    for (_top, bottom, _r), (top, _b, _r2) in itertools.pairwise(slices):
        assert bottom == top
    for shape in shapes:
        if shape.solid:
            assert any(top <= shape.top and shape.bottom <= bottom for top, bottom, _r in slices), shape[:2]
    assert [repeat for _t, _b, repeat in slices][:-1] == [True] * (len(slices) - 1) or slices[-2][2] is False


@pytest.mark.slow  # about a minute: every option value, large timelines
class TestPdfExporter(ExporterConformance):
    format_name = "pdf"
    large_size = 300
    option_sets = ({"paper": "letter", "theme": "dark", "links": False},)

    def check_output(self, timeline_: timeline.Timeline, data: bytes) -> None:
        assert data[:5] == b"%PDF-"
        PdfReader(io.BytesIO(data))
        report = self.current_report
        assert report is not None and report.reported and not report.skipped

    def get_exporter(self):  # type: ignore[no-untyped-def]
        _needs_renderer()
        return super().get_exporter()


def test_a_note_heading_is_never_left_at_the_foot_of_a_page():
    _needs_renderer()
    head = pdf_plugin._NoteLine("[1] Event", 10, True, 0, 10)
    source = pdf_plugin._NoteLine("A source", 9, False, 24, 3)
    line_h = (pdf_plugin._ASCENT + pdf_plugin._DESCENT)
    # a heading and its source, then room for the next heading but not its source
    room = line_h * 10 + 3 + line_h * 9 + 10 + line_h * 10 + 1
    pages = pdf_plugin._paginate([head, source, head, source, source], room)
    assert [[line.text for line in page] for page in pages] == [
        ["[1] Event", "A source"], ["[1] Event", "A source", "A source"]]
    assert all(not page[-1].bold for page in pages)


def test_characters_no_embedded_font_has_are_left_blank_with_a_warning(caplog):
    tl = Timeline(id="t", title="Odd", events=[
        Event(id="a", title="Launch 🚀 of שלום and Привет 평양", start=Date(2024, 1, 1))])
    expected = r"no embedded font has 5 of the characters used \(ו, ל, ם, ש, 🚀\)"
    with pytest.warns(timeline.PluginWarning, match=expected):
        data, _ = _export(tl)
    assert not caplog.records, "fpdf2's own log line is not shown"
    text = _pdftotext(data)
    assert "Launch" in text and "Привет 평양" in text
