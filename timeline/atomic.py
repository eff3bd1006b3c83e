"""Writing a file so that a failure never clobbers what was there.

The output is written to a file with no name yet, flushed to disk, given a
name beside the target and renamed over it in one step.  On Linux the
nameless file is an ``O_TMPFILE``: if the process dies on the way (an
exception, a full disk, even ``kill -9``), the kernel discards it and
nothing is left behind.  Elsewhere, or on a file system without
``O_TMPFILE``, the temporary file has a name from the start:
``.NAME.PID-RANDOM.tmp``; the next write to the same target removes such
files whose process no longer exists.  The short window between naming the
finished file and the rename is covered the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_output"]

_PROC_FD = "/proc/self/fd"


def _prefix(name: str) -> str:
    return f".{name}.{os.getpid()}-"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or not a pid we can ask about: leave its file alone
    return True


def _remove_stale(directory: Path, name: str) -> None:
    """Delete temporary files for ``name`` left by processes that no longer exist."""
    pattern = re.compile(re.escape(f".{name}.") + r"(\d+)-[A-Za-z0-9_]+\.tmp")
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found and int(found.group(1)) != os.getpid() and not _process_exists(int(found.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _anonymous_file(directory: Path) -> int | None:
    """A nameless file in ``directory`` (Linux ``O_TMPFILE``), or ``None`` where there is none."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir(_PROC_FD):
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError:
        return None  # the file system does not support it; a named file will do


def _give_name(fd: int, directory: Path, name: str) -> str:
    """Link the nameless file ``fd`` into ``directory`` under a temporary name; return the path."""
    base = f"{_prefix(name)}{os.urandom(4).hex()}.tmp"
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        # A directory fd makes os.link use linkat(), which can follow the /proc link to the file.
        os.link(f"{_PROC_FD}/{fd}", base, dst_dir_fd=dir_fd, follow_symlinks=True)
    finally:
        os.close(dir_fd)
    return str(directory / base)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable, where the platform allows opening a folder."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open ``path`` for writing bytes; it appears only if the block succeeds."""
    target = Path(path)
    directory = target.parent
    _remove_stale(directory, target.name)
    named: str | None = None
    fd = _anonymous_file(directory)
    if fd is None:
        import tempfile  # only where there is no O_TMPFILE; it costs a few ms to import

        fd, named = tempfile.mkstemp(prefix=_prefix(target.name), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fchmod(fd, _mode_for(target))
            os.fsync(fd)
            if named is None:
                named = _give_name(fd, directory, target.name)
        os.replace(named, target)
    except BaseException:
        if named is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(named)
        raise
    _fsync_directory(directory)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual umask-based mode."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
