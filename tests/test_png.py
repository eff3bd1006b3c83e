"""The PNG exporter: the SVG picture through resvg, compared pixel by pixel with a kept reference.

The reference, tests/fixtures/pictures/sample-quarter.png, is the sample
at scale 0.25 (small, so that decoding it in pure Python is quick).  A
rendering passes when at most ``TOLERANCE`` of its pixels differ from the
reference by more than ``CHANNEL`` in any channel, which absorbs
anti-aliasing changes between renderer releases and fails on a layout
change (a label moved by a row changes far more).  Regenerate it,
after checking the new picture by eye, with::

    .venv/bin/python scripts/gen_svg_pictures.py --png-reference
"""

from __future__ import annotations

import os
import struct
import sys
import warnings
import zlib
from pathlib import Path

import pytest
from timeline.plugins import png as png_plugin

import timeline
from timeline.testing import ExporterConformance

pytestmark = pytest.mark.slow  # about two minutes of rendering

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "fixtures" / "pictures" / "sample-quarter.png"
TOLERANCE = 0.002  # share of pixels
CHANNEL = 48  # of 255


def _needs_renderer() -> None:
    try:
        import resvg_py  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("resvg-py is missing: .ci/setup installs the [pictures] extra")
        pytest.skip("the [pictures] extra is not installed")
    missing = [path for path in png_plugin.FONT_FILES if not Path(path).exists()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} missing: .ci/setup installs fonts-noto-core and fonts-noto-cjk")
        pytest.skip(f"fonts missing: {missing}")


def decode(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGBA rows of an 8-bit RGBA, non-interlaced PNG (what resvg writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 6, 0), "resvg writes 8-bit RGBA"
    raw = zlib.decompress(idat)
    stride = width * 4
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 4] if x >= 4 else 0
            b = previous[x]
            c = previous[x - 4] if x >= 4 else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def differing_share(first: bytes, second: bytes) -> float:
    w1, h1, rows1 = decode(first)
    w2, h2, rows2 = decode(second)
    assert (w1, h1) == (w2, h2), f"size {w1}x{h1} is not the reference's {w2}x{h2}"
    differing = 0
    for row1, row2 in zip(rows1, rows2, strict=True):
        if row1 == row2:
            continue
        for x in range(0, len(row1), 4):
            if max(abs(row1[x + i] - row2[x + i]) for i in range(4)) > CHANNEL:
                differing += 1
    return differing / (w1 * h1)


def test_sample_matches_the_reference_image():
    _needs_renderer()
    data = timeline.export(timeline.sample(), "png", scale=0.25)
    assert differing_share(data, REFERENCE.read_bytes()) <= TOLERANCE, (
        "the PNG differs from tests/fixtures/pictures/sample-quarter.png: check it by eye, then regenerate with "
        ".venv/bin/python scripts/gen_svg_pictures.py --png-reference"
    )


def _differs(data: bytes) -> bool:
    try:
        return differing_share(data, REFERENCE.read_bytes()) > TOLERANCE
    except AssertionError:  # another size
        return True


def test_the_comparison_catches_a_layout_change():
    """The controls: without the axis break, or with the lanes in another order, the picture fails."""
    _needs_renderer()
    story = timeline.sample()
    assert _differs(timeline.export(story, "png", scale=0.25, axis_breaks=False))
    lanes = "Diplomacy,Treaties,War & Security,Economy,Weapons,Sanctions & UN"
    assert _differs(timeline.export(story, "png", scale=0.25, lanes=lanes, theme="dark"))


def test_scale_and_same_bytes_every_run():
    _needs_renderer()
    story = timeline.sample()
    one = timeline.export(story, "png", width=800)
    two = timeline.export(story, "png", width=800, scale=2.0)
    assert one == timeline.export(story, "png", width=800)
    w1, h1 = struct.unpack(">II", one[16:24])
    w2, h2 = struct.unpack(">II", two[16:24])
    assert w1 == 800 and (w2, h2) == (1600, 2 * h1)


def test_sources_are_reported_as_left_out():
    _needs_renderer()
    story = timeline.sample()
    _data, report = timeline.export_with_report(story, "png", options={"scale": 0.25})
    left_out = {entry.event for entry in report.approximated if entry.field == "sources"}
    assert left_out == {event.id for event in story.events if event.sources}


def test_without_the_extra_the_error_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "resvg_py", None)
    with pytest.raises(timeline.ExportError, match=r'pip install "timeline-events\[pictures\]"'):
        timeline.export(timeline.sample(), "png")


def test_without_the_fonts_it_warns_and_uses_the_systems(monkeypatch):
    _needs_renderer()
    monkeypatch.setattr(png_plugin, "FONT_FILES", ("/nonexistent/NotoSans-Regular.ttf",))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = timeline.export(timeline.sample(), "png", scale=0.25)
    assert data[:4] == b"\x89PNG"
    assert any("system's fonts" in str(w.message) for w in caught)


class TestPngExporter(ExporterConformance):
    format_name = "png"
    large_size = 2_000
    option_sets = ({"scale": 0.25, "theme": "dark"},)

    def check_output(self, timeline_: timeline.Timeline, data: bytes) -> None:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        report = self.current_report
        assert report is not None and report.reported and not report.skipped

    def get_exporter(self):  # type: ignore[no-untyped-def]
        _needs_renderer()
        return super().get_exporter()


def test_social_preset_is_1200_by_630_with_as_many_labels_as_fit():
    _needs_renderer()
    story = timeline.sample()
    data, report = timeline.export_with_report(story, "png", options={"preset": "social"})
    assert struct.unpack(">II", data[16:24]) == (1200, 630)
    marks = [ids for field, how, ids in report.approximated_by if field == "title"]
    assert len(marks) == 1 and 0 < len(marks[0]) < len(story.events), "some labels fit, the rest are marks"
    assert len(report.wrote) == len(story.events)
    # the labelled events are those the SVG's rule picks first: the two with four sources
    labelled = {e.id for e in story.events} - set(marks[0])
    assert {e.id for e in story.events if len(e.sources) == 4} <= labelled


def test_social_preset_shrinks_what_cannot_fit():
    _needs_renderer()
    events = [timeline.Event(id=f"e{i}", title=f"Event {i}", start=timeline.Date(2000 + i), group=f"Lane {i}")
              for i in range(20)]
    tl = timeline.Timeline(id="t", title="Twenty lanes", events=events)
    data = timeline.export(tl, "png", preset="social")
    assert struct.unpack(">II", data[16:24]) == (1200, 630)
