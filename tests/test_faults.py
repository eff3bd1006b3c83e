"""Faults while exporting, through the real command in a subprocess.

A failing exporter, a full disk and ``kill -9`` must all leave the previous
``-o`` file as it was and no temporary file behind; standard input and a
reader that goes away (``| head -1``) must end without a traceback.

Test plugins reach the subprocess the way real ones do: through the
``timeline`` entry-point group of an installed distribution.  The fixture
writes a minimal ``.dist-info`` (metadata and entry points) into a folder on
``PYTHONPATH``, which is all ``importlib.metadata`` needs to find it.

A full disk is simulated with ``RLIMIT_FSIZE`` (writes past the limit fail
with ``EFBIG``, once ``SIGXFSZ`` is ignored) and, for standard output, with
``/dev/full`` (every write fails with ``ENOSPC``): the same ``OSError`` path
a real full disk takes, without needing root to mount a tiny file system.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import timeline
from timeline import atomic

pytestmark = pytest.mark.slow  # real processes, signals and resource limits

TESTS = Path(__file__).parent
KEEP = b"the previous export\n"
HANG_GUARD = 120

KIT = '''
"""Exporters that misbehave on purpose, for tests/test_faults.py."""
import time
from pathlib import Path

import timeline
from timeline import Option
from plugin_kit import LinesPlugin

lines = LinesPlugin()


class SlowExporter:
    """Writes half the events, says so through a marker file, then stalls."""

    name = "slow"
    extensions = (".slow",)
    media_type = "text/plain"
    description = "half the ids, then a long pause"
    options = (Option("marker", "file to create once half is written", default=""),)

    def write(self, data, stream, options):
        events = list(data.events)
        half = len(events) // 2
        for event in events[:half]:
            stream.write(f"{event.id}\\n".encode())
        stream.flush()
        Path(options["marker"]).write_text("half-way")
        time.sleep(60)
        for event in events[half:]:
            stream.write(f"{event.id}\\n".encode())


class SlowPlugin:
    @timeline.hookimpl
    def timeline_exporters(self):
        return [SlowExporter()]


slow = SlowPlugin()
'''


@pytest.fixture(scope="module")
def kit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose ``timeline`` sees the test plugins as an installed package."""
    site = tmp_path_factory.mktemp("fault-kit")
    (site / "timeline_fault_kit.py").write_text(KIT, encoding="utf-8")
    info = site / "timeline_fault_kit-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: timeline-fault-kit\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[timeline]\nlines = timeline_fault_kit:lines\nslow = timeline_fault_kit:slow\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("TIMELINE_PLUGINS", "SOURCE_DATE_EPOCH", "TIMELINE_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), str(TESTS), os.environ.get("PYTHONPATH")]))
    return env


@pytest.fixture(scope="module")
def big_timeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five thousand events: output far larger than a pipe's buffer."""
    path = tmp_path_factory.mktemp("big") / "big.json"
    events = [
        {"id": f"e{i:05d}", "title": f"Event {i} — переговоры", "start": f"{1900 + i % 120}-{1 + i % 12:02d}"}
        for i in range(5000)
    ]
    path.write_text(json.dumps({"title": "Big", "events": events}), encoding="utf-8")
    return path


def run(args: list[str], env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD,
        **kwargs,
    )


def only_the_target_is_left(folder: Path, name: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == [name], "a temporary file was left behind"


SAMPLE = str(timeline.sample_path())


# --- an exporter that fails -----------------------------------------------------


def test_exporter_raising_half_way_keeps_the_previous_file(kit_env, tmp_path):
    out = tmp_path / "story.lines"
    out.write_bytes(KEEP)
    result = run(["export", SAMPLE, "-f", "lines", "-O", "fail_after=5", "-o", str(out)], env=kit_env)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        "timeline: error: the 'lines' exporter from plugin 'lines' (package timeline-fault-kit) failed: "
        "RuntimeError: boom half-way\n"
    )
    assert out.read_bytes() == KEEP
    only_the_target_is_left(tmp_path, "story.lines")


def test_exporter_raising_leaves_no_new_file(kit_env, tmp_path):
    out = tmp_path / "new.lines"
    result = run(["export", SAMPLE, "-f", "lines", "-O", "fail_after=0", "-o", str(out)], env=kit_env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_exporter_raising_on_standard_output_exits_1(kit_env):
    """Streamed output cannot be taken back: the status and the message say it is incomplete."""
    result = run(["export", SAMPLE, "-f", "lines", "-O", "fail_after=3"], env=kit_env)
    assert result.returncode == 1
    assert result.stdout == "".join(f"{e.id}\n" for e in list(timeline.sample())[:3])
    assert "plugin 'lines' (package timeline-fault-kit)" in result.stderr and "Traceback" not in result.stderr


def test_working_plugin_writes_the_file(kit_env, tmp_path):
    """The same plugin without the fault: the failure above is the plugin's, not the setup's."""
    out = tmp_path / "story.lines"
    out.write_bytes(KEEP)
    result = run(["export", SAMPLE, "-o", str(out)], env=kit_env)
    assert result.returncode == 0, result.stderr
    assert out.read_text().splitlines() == [e.id for e in timeline.sample()]
    only_the_target_is_left(tmp_path, "story.lines")


# --- a full disk ------------------------------------------------------------------


def _small_file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


@pytest.mark.parametrize("fmt", ["json", "markdown", "ical", "timelinejs"])
def test_full_disk_keeps_the_previous_file(tmp_path, fmt):
    out = tmp_path / f"story.{fmt}"
    out.write_bytes(KEEP)
    env = {**os.environ, "TIMELINE_PLUGINS": "", "PYTHONDONTWRITEBYTECODE": "1"}
    result = run(["export", SAMPLE, "-f", fmt, "-o", str(out)], env=env, preexec_fn=_small_file_size_limit)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"timeline: error: cannot write {str(out)!r}: File too large\n"
    assert out.read_bytes() == KEEP
    only_the_target_is_left(tmp_path, out.name)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_device_on_standard_output():
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "timeline", "export", SAMPLE, "-f", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=HANG_GUARD,
        )
    assert result.returncode == 1
    assert result.stderr == "timeline: error: cannot write standard output: No space left on device\n"


# --- kill -9 and Ctrl-C during an export ------------------------------------------


@pytest.fixture
def stalled_export(kit_env, big_timeline, tmp_path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """An export to ``out/story.slow`` stalled half-way, with a previous file in place."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "story.slow"
    out.write_bytes(KEEP)
    marker = tmp_path / "half-way"
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", "export", str(big_timeline), "-o", str(out), "-O", f"marker={marker}"],
        env=kit_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # a test run started in the background inherits SIGINT ignored, and Python then keeps ignoring it
        preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + HANG_GUARD
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the export never got half-way"
            time.sleep(0.02)
        yield proc, out
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr:
            proc.stderr.close()


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _open_temporaries(pid: int, folder: Path) -> list[str]:
    """What the process has open in ``folder`` (an ``O_TMPFILE`` shows as ``folder/#inode (deleted)``)."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder) + os.sep):
            found.append(target)
    return found


def test_kill_9_half_way_keeps_the_previous_file_and_leaves_nothing(stalled_export):
    proc, out = stalled_export
    if Path(f"/proc/{proc.pid}/fd").is_dir():
        writing = _open_temporaries(proc.pid, out.parent)
        assert writing, "the export is not writing into the output folder"
        assert all(name != str(out) for name in writing), "the export writes the target itself"
        only_the_target_is_left(out.parent, out.name)  # the half-written data has no name
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=HANG_GUARD) == -signal.SIGKILL
    assert out.read_bytes() == KEEP
    only_the_target_is_left(out.parent, out.name)


def test_ctrl_c_half_way_keeps_the_previous_file(stalled_export):
    proc, out = stalled_export
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=HANG_GUARD) == 130
    assert proc.stderr is not None
    assert proc.stderr.read().decode().endswith("timeline: interrupted\n")
    assert out.read_bytes() == KEEP
    only_the_target_is_left(out.parent, out.name)


# --- temporary files where O_TMPFILE is not available --------------------------------


def test_named_temporary_files_of_dead_processes_are_cleaned_up(tmp_path, monkeypatch):
    """Without O_TMPFILE the temporary file has a name; the next write removes ones whose process died."""
    monkeypatch.setattr(atomic, "_anonymous_file", lambda directory: None)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "story.json"
    stale = tmp_path / f".story.json.{dead.pid}-x1y2z3.tmp"
    stale.write_bytes(b"half")
    alive = tmp_path / f".story.json.{os.getppid()}-a1b2c3.tmp"  # a live process's file is left alone
    alive.write_bytes(b"busy")
    unrelated = tmp_path / f".other.json.{dead.pid}-x1y2z3.tmp"
    unrelated.write_bytes(b"not ours")
    timeline.export(timeline.sample(), "json", out)
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "russia-dprk"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, alive.name, unrelated.name])


def test_named_temporary_file_is_removed_when_the_export_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_anonymous_file", lambda directory: None)
    out = tmp_path / "story.json"
    out.write_bytes(KEEP)
    with pytest.raises(RuntimeError), atomic.atomic_output(out) as stream:
        stream.write(b"partial")
        raise RuntimeError("fail")
    assert out.read_bytes() == KEEP
    only_the_target_is_left(tmp_path, out.name)


def test_anonymous_temporary_file_keeps_the_mode_of_the_previous_file(tmp_path):
    out = tmp_path / "story.json"
    out.write_bytes(KEEP)
    out.chmod(0o640)
    with atomic.atomic_output(out) as stream:
        stream.write(b"new")
    assert out.read_bytes() == b"new" and (out.stat().st_mode & 0o777) == 0o640
    only_the_target_is_left(tmp_path, out.name)


# --- standard input and closed pipes -----------------------------------------------


def test_standard_input_gives_the_same_output_as_the_file():
    from_file = run(["export", SAMPLE, "-f", "json"])
    with open(SAMPLE, "rb") as source:
        from_stdin = subprocess.run(
            [sys.executable, "-m", "timeline", "export", "-", "-f", "json"],
            stdin=source,
            capture_output=True,
            timeout=HANG_GUARD,
        )
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout.encode("utf-8")


def test_empty_standard_input_is_a_clean_error():
    result = run(["check", "-"], input="")
    assert result.returncode == 1
    assert result.stderr == (
        "timeline: error: 1 problem found:\n"
        "  <stdin>: the file is empty; expected a mapping with 'title' and 'events'\n"
    )


@pytest.mark.parametrize("fmt", ["json", "markdown", "ical"])
def test_reader_closing_the_pipe_early_ends_quietly(big_timeline, fmt):
    """``timeline export ... | head -1`` in a real shell: exit status 0, nothing on stderr."""
    script = textwrap.dedent(
        f"""
        set -o pipefail
        "{sys.executable}" -m timeline export "{big_timeline}" -f {fmt} | head -1 >/dev/null
        """
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_pipe_closed_by_the_reader_in_python(big_timeline):
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", "export", str(big_timeline), "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n  "id": '
    proc.stdout.close()
    assert proc.wait(timeout=HANG_GUARD) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()
