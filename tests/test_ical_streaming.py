"""The iCalendar exporter streams: bounded memory, output as it goes, progress only on a terminal.

Nothing here is timed (speed is measured by ``benchmarks/ical_bench.py``);
memory is measured with ``tracemalloc``, which counts allocations, not
seconds, so the bounds hold on a busy machine too.
"""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import timeline
from timeline import Date, Event, Location, Source, Timeline
from timeline.progress import THRESHOLD, progress_reporting

_WORDS = ("Пхеньян", "договор", "Москва", "조약", "평양", "정상회담", "sanctions", "railway")


def big_timeline(count: int) -> Timeline:
    """``count`` varied events, each with a ~200-character description."""
    events = []
    for index in range(count):
        description = " ".join(_WORDS[(index + k) % len(_WORDS)] for k in range(28))
        kind = index % 4
        if kind == 0:
            start, end = Date(1900 + index % 120), None
        elif kind == 1:
            start, end = Date(2016, 1 + index % 12, 1 + index % 28, 12, 0).in_zone("Asia/Pyongyang"), None
        else:
            start = Date(1950 + index % 70, 1 + index % 12, 1 + index % 28)
            end = Date(start.year + 1, start.month, start.day) if kind == 3 else None
        events.append(Event(
            id=f"e{index:06d}",
            title=f"Событие {index}, 사건; №{index}",
            start=start,
            end=end,
            description=description,
            tags=("treaty", _WORDS[index % len(_WORDS)]),
            location=Location(name=_WORDS[index % 3], lat=39.0 + index % 10, lon=125.7),
            sources=(Source(title=f"Report {index}", url=f"https://example.org/{index}"),),
        ))
    return Timeline(id="big", title="Big", events=events, updated=Date(2024, 11, 1))


class Sink:
    """A binary stream that keeps nothing: it counts writes and octets."""

    def __init__(self) -> None:
        self.writes = 0
        self.size = 0
        self.largest = 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        self.size += len(data)
        self.largest = max(self.largest, len(data))
        return len(data)


def export_peak(tl: Timeline) -> tuple[int, Sink]:
    """Peak memory allocated while exporting ``tl`` (the loaded model excluded), and the sink."""
    sink = Sink()
    timeline.export(Timeline(id="warm", title="Warm", events=tl.events[:50]), "ical", dest=Sink())
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        timeline.export(tl, "ical", dest=sink)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return peak, sink


def test_memory_does_not_grow_with_the_number_of_events() -> None:
    small, large = big_timeline(1_000), big_timeline(4_000)
    small_peak, small_sink = export_peak(small)
    large_peak, large_sink = export_peak(large)
    # Four times the events, four times the output...
    assert large_sink.size > 3.9 * small_sink.size
    # ...but not more memory: the peak is a few events' worth, far below the output.
    assert large_peak < small_peak * 1.5 + 64 * 1024, (small_peak, large_peak)
    assert large_peak < 128 * 1024 < large_sink.size / 16, (large_peak, large_sink.size)


def test_output_reaches_the_stream_event_by_event() -> None:
    tl = big_timeline(2_000)
    sink = Sink()
    timeline.export(tl, "ical", dest=sink)
    assert sink.writes >= len(tl.events) + 2  # header, one per event, END:VCALENDAR
    assert sink.largest < 4096  # no write holds more than an event or so
    # and what arrived in pieces is exactly the whole calendar
    whole = timeline.export(tl, "ical")
    assert whole is not None and sink.size == len(whole)


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_and_same_output() -> None:
    tl = big_timeline(THRESHOLD + 10)
    shown = Terminal()
    with progress_reporting("exporting ical", shown):
        with_progress = timeline.export(tl, "ical")
    text = shown.getvalue()
    assert "exporting ical" in text
    assert f"{len(tl.events):,}/{len(tl.events):,}" in text
    assert text.endswith("\n")
    assert with_progress == timeline.export(tl, "ical")


def test_no_progress_when_not_a_terminal_or_small() -> None:
    quiet = io.StringIO()
    with progress_reporting("exporting ical", quiet):
        timeline.export(big_timeline(THRESHOLD + 10), "ical")
    assert quiet.getvalue() == ""
    small = Terminal()
    with progress_reporting("exporting ical", small):
        timeline.export(big_timeline(100), "ical")
    assert small.getvalue() == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_cli_shows_progress_on_a_real_terminal_only(tmp_path: Path) -> None:
    import pty  # POSIX only

    source = tmp_path / "big.json"
    timeline.export(big_timeline(THRESHOLD + 500), "json", dest=source, indent=0)
    command = [sys.executable, "-m", "timeline", "export", str(source), "-o", str(tmp_path / "big.ics")]

    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        seen = b""
        while True:
            ready, _, _ = select.select([controller], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed the terminal (EIO on Linux)
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait(timeout=120) == 0
    finally:
        os.close(controller)
    shown = seen.decode("utf-8", "replace")
    total = f"{THRESHOLD + 500:,}"
    assert "exporting ical" in shown and f"{total}/{total}" in shown, shown[-500:]

    piped = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "exporting" not in piped.stderr and "\r" not in piped.stderr
    assert piped.stderr.strip() == f"timeline: wrote {THRESHOLD + 500} events to {tmp_path / 'big.ics'}"
