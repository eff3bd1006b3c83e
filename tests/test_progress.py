"""Progress lines: on a terminal while big files load and export, never on a pipe.

The subprocess tests give the command a real pseudo-terminal as standard
error, the way a person at a terminal runs it, and a pipe, the way a script
does; only the first may see a progress line.
"""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

import timeline
import timeline.loading
from benchmarks import generate
from timeline.progress import Progress, iter_events, progress_reporting, reporter


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_redraws_in_place_and_ends_with_a_newline() -> None:
    stream = FakeTerminal()
    line = Progress(stream, "loading x.json", None)
    line.note("reading x.json (12 MB)")
    line.update(4096, 10_000)
    line.close()
    text = stream.getvalue()
    assert text.startswith("\rloading x.json: reading x.json (12 MB)\x1b[K")
    assert "\rloading x.json [############" in text and "4,096/10,000" in text
    assert text.endswith("\n") and text.count("\n") == 1


def test_a_line_never_drawn_leaves_nothing_behind() -> None:
    stream = FakeTerminal()
    Progress(stream, "x", 10).close()
    assert stream.getvalue() == ""


def test_reporter_only_inside_a_terminal_context() -> None:
    assert reporter("loading") is None
    with progress_reporting("exporting", stream=io.StringIO()):  # not a terminal
        assert reporter("loading") is None
    with progress_reporting("exporting", stream=FakeTerminal()):
        found = reporter("loading")
        assert found is not None and found.label == "loading"


def test_loading_shows_progress_for_big_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline.loading, "THRESHOLD", 300)
    small = generate.write(tmp_path / "small.json", 100)
    big = generate.write(tmp_path / "big.json", 700)
    stream = FakeTerminal()
    with progress_reporting("loading", stream=stream):
        timeline.load(small)
    assert stream.getvalue() == ""
    seen: list[tuple[int, int]] = []
    with progress_reporting("loading", stream=stream):
        loaded = timeline.load(big, progress=lambda done, total: seen.append((done, total)))
    assert len(loaded) == 700
    text = stream.getvalue()
    assert "loading big.json [" in text and "700/700" in text and text.endswith("\n")
    assert seen[-1] == (700, 700)


def test_the_api_is_silent_even_at_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline.loading, "THRESHOLD", 10)
    fake = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", fake)
    timeline.load(generate.write(tmp_path / "a.json", 50))
    assert fake.getvalue() == ""


def test_export_walk_reports_only_in_a_terminal_context() -> None:
    tl = timeline.Timeline(id="t", title="T", events=[])
    stream = FakeTerminal()
    with progress_reporting("exporting", stream=stream):
        assert list(iter_events(tl)) == []
    assert stream.getvalue() == ""


# --- end to end, with a real terminal ------------------------------------------

# The command line as installed, with the thresholds lowered so a small file
# counts as big (the real ones are 20,000 events and 8 MB).
_RUN = (
    "import sys, timeline.loading as loading, timeline.progress as progress; "
    "loading.THRESHOLD = progress.THRESHOLD = 300; loading.BIG_FILE = 1000; "
    "from timeline.cli import main; main(sys.argv[1:])"
)


def _run(args: list[str], *, terminal: bool) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (or a pipe); return status, stdout, stderr."""
    command = [sys.executable, "-c", _RUN, *args]
    if not terminal:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, text=True)
        os.close(follower)
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 120)
            if not ready:
                break
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closes when the child exits
                break
            if not data:
                break
            chunks.append(data)
        stdout = proc.stdout.read() if proc.stdout else ""
        status = proc.wait(timeout=120)
    finally:
        os.close(leader)
    return status, stdout, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate.write(tmp_path_factory.mktemp("big") / "big.json", 800)


def test_check_shows_loading_progress_on_a_terminal(big_file: Path) -> None:
    status, stdout, stderr = _run(["check", str(big_file)], terminal=True)
    assert status == 0, stderr
    assert "800 events" in stdout
    assert "loading: reading big.json" in stderr
    assert "loading big.json [" in stderr and "800/800" in stderr


def test_check_is_silent_on_a_pipe(big_file: Path) -> None:
    status, stdout, stderr = _run(["check", str(big_file)], terminal=False)
    assert status == 0
    assert "800 events" in stdout
    assert stderr == ""


def test_export_shows_both_lines_on_a_terminal_and_none_on_a_pipe(big_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ics"
    status, _, stderr = _run(["export", str(big_file), "-o", str(out)], terminal=True)
    assert status == 0, stderr
    assert "loading big.json [" in stderr and "exporting ical [" in stderr
    piped = tmp_path / "piped.ics"
    status, _, stderr = _run(["export", str(big_file), "-o", str(piped)], terminal=False)
    assert status == 0
    assert stderr.strip() == f"timeline: wrote 800 events to {piped}"
    assert piped.read_bytes() == out.read_bytes()
