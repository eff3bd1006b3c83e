"""What ``-o`` (and ``timeline.atomic_output``) does with paths that are not plain new files.

Devices, FIFOs and open file descriptors (``/dev/stdout``, ``/dev/fd/N``, a
shell's ``>(cmd)``) are written in place and stay what they were; symbolic
links are followed and the file they lead to replaced; an input file is
never the output; a missing folder, a name at the file system's limit and a
name past it get clean answers.

The system's own ``/dev/null`` and ``/dev/stdout`` are used only by tests
that also pass against a stand-in in a temporary folder (a device node made
with ``mknod``, a symlink to ``/proc/self/fd/1``): those stand-ins are what
show the old behaviour (replacing them with a regular file) without risking
the machine's.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline import atomic
from timeline.cli import cli

SAMPLE = str(timeline.sample_path())
HANG_GUARD = 60
NAME_MAX = 255


def run(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def run_subprocess(args: list[str], **kw) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, timeout=HANG_GUARD, **kw
    )


@pytest.fixture(scope="module")
def sample_json() -> bytes:
    return timeline.export(timeline.sample(), "json")


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX


# --- FIFOs and devices: written in place, never replaced ------------------------------


@pytest.fixture
def fifo(tmp_path) -> Iterator[tuple[Path, Path, subprocess.Popen[bytes]]]:
    """A FIFO with ``cat`` reading it into a file."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    received = tmp_path / "received"
    with open(received, "wb") as sink:
        reader = subprocess.Popen(["cat", str(path)], stdout=sink)
    try:
        yield path, received, reader
    finally:
        if reader.poll() is None:
            reader.kill()
        reader.wait()


def test_atomic_output_writes_into_a_fifo(fifo):
    path, received, reader = fifo
    with atomic.atomic_output(path) as stream:
        stream.write(b"through the pipe\n")
    assert reader.wait(timeout=HANG_GUARD) == 0, "cat never saw the writer close the FIFO"
    assert received.read_bytes() == b"through the pipe\n"
    assert stat.S_ISFIFO(path.lstat().st_mode), "the FIFO was replaced"


@pytest.fixture
def null_device(tmp_path) -> Path:
    """A device node of our own with the numbers of ``/dev/null`` (needs root, or CAP_MKNOD)."""
    path = tmp_path / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        with open(path, "wb") as probe:
            probe.write(b"")
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def test_atomic_output_writes_into_a_device(null_device):
    before = null_device.lstat()
    with atomic.atomic_output(null_device) as stream:
        stream.write(b"discarded\n")
    after = null_device.lstat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino, "the device node was replaced"
    assert sorted(p.name for p in null_device.parent.iterdir()) == ["null"]


def test_cli_export_onto_a_device_node(null_device):
    result = run("export", SAMPLE, "-f", "json", "-o", str(null_device))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null_device.lstat().st_mode)


def test_cli_export_onto_a_link_to_standard_output(tmp_path, sample_json):
    """What ``/dev/stdout`` is on Linux: a link to ``/proc/self/fd/1``; the output reaches the real stdout."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    with open(tmp_path / "captured", "wb") as captured:
        result = subprocess.run(
            [sys.executable, "-m", "timeline", "export", SAMPLE, "-f", "json", "-o", str(link)],
            stdout=captured,
            stderr=subprocess.PIPE,
            timeout=HANG_GUARD,
        )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "captured").read_bytes() == sample_json
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


@pytest.mark.slow
def test_cli_export_into_a_fifo(fifo, sample_json):
    path, received, reader = fifo
    result = run_subprocess(["export", SAMPLE, "-f", "json", "-o", str(path)])
    assert result.returncode == 0, result.stderr
    assert reader.wait(timeout=HANG_GUARD) == 0
    assert received.read_bytes() == sample_json
    assert stat.S_ISFIFO(path.lstat().st_mode)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
def test_cli_export_to_dev_stdout(sample_json):
    kind = os.lstat("/dev/stdout").st_mode
    result = run_subprocess(["export", SAMPLE, "-f", "json", "-o", "/dev/stdout"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == sample_json
    assert os.lstat("/dev/stdout").st_mode == kind


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_cli_export_to_dev_null_leaves_it_a_device():
    result = run_subprocess(["export", SAMPLE, "-f", "json", "-o", "/dev/null"])
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert os.lstat("/dev/null").st_rdev == os.makedev(1, 3)


@pytest.mark.slow
def test_cli_export_into_a_process_substitution(tmp_path, sample_json):
    """``-o >(cat > out)``: bash passes ``/dev/fd/63``, a pipe with no name to rename over."""
    out = tmp_path / "out.json"
    script = (
        f'"{sys.executable}" -m timeline export "{SAMPLE}" -f json -o >(cat > "{out}"); '
        "status=$?; wait $!; exit $status"
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    assert "wrote 57 events to /dev/fd/" in result.stderr
    assert out.read_bytes() == sample_json


# --- symbolic links: followed, and kept -------------------------------------------------


def test_export_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path, sample_json):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    timeline.export(timeline.sample(), "json", link)
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert real.read_bytes() == sample_json
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_export_through_a_chain_of_symlinks(tmp_path, sample_json):
    (tmp_path / "site").mkdir()
    real = tmp_path / "site" / "story.json"
    real.write_bytes(b"old")
    real.chmod(0o640)
    (tmp_path / "one.json").symlink_to("site/story.json")
    (tmp_path / "two.json").symlink_to(tmp_path / "one.json")
    result = run("export", SAMPLE, "-f", "json", "-o", str(tmp_path / "two.json"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "one.json").is_symlink() and (tmp_path / "two.json").is_symlink()
    assert real.read_bytes() == sample_json and (real.stat().st_mode & 0o777) == 0o640


def test_export_through_a_dangling_symlink_creates_its_target(tmp_path, sample_json):
    (tmp_path / "site").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to("site/new.json")
    timeline.export(timeline.sample(), "json", link)
    assert link.is_symlink() and (tmp_path / "site" / "new.json").read_bytes() == sample_json


def test_loop_of_symlinks_is_a_clean_error(tmp_path):
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    result = run("export", SAMPLE, "-f", "json", "-o", str(tmp_path / "a.json"))
    assert result.exit_code == 1
    loop = str(tmp_path / "a.json")
    assert result.stderr == f"timeline: error: cannot write {loop!r}: Too many levels of symbolic links\n"


# --- an input as the output: refused before anything is read ------------------------------


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "data" / "story.json"
    path.parent.mkdir()
    path.write_bytes(timeline.export(timeline.sample(), "json"))
    return path


@pytest.mark.parametrize(
    "spelling",
    ["same", "dot-dot", "symlink", "hard-link"],
)
def test_output_naming_an_input_is_a_usage_error(story, spelling):
    before = story.read_bytes()
    if spelling == "same":
        output = str(story)
    elif spelling == "dot-dot":
        output = str(story.parent / ".." / "data" / "." / "story.json")
    elif spelling == "symlink":
        output = str(story.parent.parent / "alias.json")
        os.symlink(story, output)
    else:
        output = str(story.parent.parent / "other-name.json")
        os.link(story, output)
    result = run("export", str(story), "-f", "json", "-O", "indent=0", "-o", output)
    assert result.exit_code == 2, result.stderr
    assert f"-o {output!r} is one of the input files" in result.stderr
    assert story.read_bytes() == before


def test_output_inside_an_input_folder_is_refused(story):
    before = story.read_bytes()
    result = run("export", str(story.parent), "-f", "json", "-O", "indent=0", "-o", str(story))
    assert result.exit_code == 2 and "is one of the input files" in result.stderr
    assert story.read_bytes() == before


def test_output_replacing_the_default_input_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("timeline.json").write_bytes(timeline.export(timeline.sample(), "json"))
    before = Path("timeline.json").read_bytes()
    result = run("export", "-f", "json", "-O", "indent=0", "-o", "timeline.json")
    assert result.exit_code == 2 and "'timeline.json' is one of the input files" in result.stderr
    assert Path("timeline.json").read_bytes() == before


def test_other_outputs_beside_the_input_are_fine(story):
    result = run("export", str(story), "-o", str(story.with_name("copy.json")))
    assert result.exit_code == 0, result.stderr


# --- missing folders ----------------------------------------------------------------------


def test_missing_output_folder_is_named_before_reading(tmp_path):
    out = tmp_path / "nope" / "deeper" / "story.json"
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: X\nevents: [{id: a, title: A, start: '2024-13'}]\n")
    result = run("export", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"timeline: error: cannot write {str(out)!r}: the folder {str(out.parent)!r} does not exist\n"
    )


def test_missing_folder_behind_a_symlink_is_named(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to("gone/out.json")
    with pytest.raises(timeline.ExportError, match=r"the folder '.*gone' does not exist"):
        timeline.export(timeline.sample(), "json", link)


def test_file_in_place_of_a_folder(tmp_path):
    (tmp_path / "plain").write_text("x")
    result = run("export", SAMPLE, "-o", str(tmp_path / "plain" / "story.json"))
    assert result.exit_code == 1
    assert f"{str(tmp_path / 'plain')!r} is not a folder" in result.stderr


# --- long names ---------------------------------------------------------------------------


def _longest_name(folder: Path, character: str = "a") -> str:
    """A name of exactly the file system's maximum length in bytes, ending in ``.json``."""
    limit = _name_max(folder) - len(".json")
    width = len(character.encode())
    return character * (limit // width) + "a" * (limit % width) + ".json"


@pytest.mark.parametrize("character", ["a", "é", "語"])
@pytest.mark.parametrize("temporary", ["anonymous", "named"])
def test_name_of_the_maximum_length_can_be_written(tmp_path, monkeypatch, sample_json, character, temporary):
    if temporary == "named":
        monkeypatch.setattr(atomic, "_anonymous_file", lambda directory: None)
    name = _longest_name(tmp_path, character)
    assert len(os.fsencode(name)) == _name_max(tmp_path)
    out = tmp_path / name
    out.write_bytes(b"old")
    timeline.export(timeline.sample(), "json", out)
    assert out.read_bytes() == sample_json
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_stale_temporary_files_of_long_names_are_cleaned_up(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_anonymous_file", lambda directory: None)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    name = _longest_name(tmp_path)
    stem = atomic._stem(tmp_path, name)
    assert len(os.fsencode(stem)) < len(os.fsencode(name))
    stale = tmp_path / f"{stem}{dead.pid}-x1y2z3.tmp"
    stale.write_bytes(b"half")
    timeline.export(timeline.sample(), "json", tmp_path / name)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_name_too_long_for_the_file_system_is_a_clean_error(tmp_path):
    out = tmp_path / ("a" * (_name_max(tmp_path) + 1) + ".json")
    result = run("export", SAMPLE, "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.endswith(": File name too long\n") and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_input_path_too_long_is_a_clean_error():
    path = "a" * 5000 + ".yaml"
    result = run("export", path, "-f", "json")
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr
    assert "cannot be read: File name too long" in result.stderr
    assert "characters left out" in result.stderr and len(result.stderr) < 1000


def test_output_path_too_long_is_a_clean_error_with_the_path_shortened():
    path = "/tmp/" + "a/" * 2500 + "story.json"
    result = run("export", SAMPLE, "-o", path)
    assert result.exit_code == 1, result.stderr
    assert "File name too long" in result.stderr and "internal error" not in result.stderr
    assert "characters left out" in result.stderr and len(result.stderr) < 1000


# --- modes, without touching the umask --------------------------------------------------------


@pytest.mark.parametrize("temporary", ["anonymous", "named"])
def test_new_files_get_the_umask_mode_without_changing_the_umask(tmp_path, monkeypatch, temporary):
    """Reading the umask means setting it, a race with every other thread: the kernel applies it instead."""
    if temporary == "named":
        monkeypatch.setattr(atomic, "_anonymous_file", lambda directory: None)
    previous = os.umask(0o027)
    try:

        def no_umask(mask: int) -> int:
            raise AssertionError("atomic_output changed the process umask")

        monkeypatch.setattr(os, "umask", no_umask)
        out = tmp_path / "new.json"
        with atomic.atomic_output(out) as stream:
            stream.write(b"new")
        monkeypatch.undo()
    finally:
        os.umask(previous)
    assert out.read_bytes() == b"new" and (out.stat().st_mode & 0o777) == 0o640


def test_named_temporary_file_of_a_replaced_file_keeps_its_mode(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_anonymous_file", lambda directory: None)
    out = tmp_path / "story.json"
    out.write_bytes(b"old")
    out.chmod(0o604)
    seen: list[int] = []
    with atomic.atomic_output(out) as stream:
        seen.extend(p.stat().st_mode & 0o777 for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
        stream.write(b"new")
    assert seen == [0o600], "the temporary file was readable by others while it was written"
    assert (out.stat().st_mode & 0o777) == 0o604


# --- resolve_target ---------------------------------------------------------------------------


def test_resolve_target_kinds(tmp_path):
    assert atomic.resolve_target(tmp_path / "new.json") == atomic.Target("file", str(tmp_path / "new.json"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert atomic.resolve_target(fifo).kind == "stream"
    read_end, write_end = os.pipe()
    try:
        found = atomic.resolve_target(f"/proc/self/fd/{write_end}")
        assert (found.kind, found.fd, found.own) == ("fd", write_end, True)
        if os.path.isdir("/dev/fd"):
            assert atomic.resolve_target(f"/dev/fd/{write_end}").fd == write_end
    finally:
        os.close(read_end)
        os.close(write_end)
    with pytest.raises(IsADirectoryError):
        atomic.resolve_target(tmp_path)


def test_writing_into_an_open_descriptor_shares_its_position(tmp_path):
    """``-o /dev/stdout`` with stdout appended to a file appends, as the shell promised."""
    log = tmp_path / "log"
    log.write_bytes(b"before\n")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        with atomic.atomic_output(f"/proc/self/fd/{fd}") as stream:
            stream.write(b"export\n")
    finally:
        os.close(fd)
    assert log.read_bytes() == b"before\nexport\n"


def test_errno_of_a_missing_folder_is_kept_for_library_callers(tmp_path):
    with pytest.raises(FileNotFoundError) as caught, atomic.atomic_output(tmp_path / "gone" / "x.json"):
        pass  # pragma: no cover
    assert caught.value.errno == errno.ENOENT and caught.value.filename == str(tmp_path / "gone")

