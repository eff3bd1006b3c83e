"""Writing a file so that a failure never clobbers what was there.

The output is written to a file with no name yet, flushed to disk, given a
name beside the target and renamed over it in one step.  On Linux the
nameless file is an ``O_TMPFILE``: if the process dies on the way (an
exception, a full disk, even ``kill -9``), the kernel discards it and
nothing is left behind.  Elsewhere, or on a file system without
``O_TMPFILE``, the temporary file has a name from the start:
``.NAME.PID-RANDOM.tmp``; the next write to the same target removes such
files whose process no longer exists.  The short window between naming the
finished file and the rename is covered the same way.  A name too long to
leave room for the rest is cut short and ends in a hash of the whole name
(``.NAME-START~HASH.PID-RANDOM.tmp``), so every name the file system allows
can be written.

Only regular files are replaced.  The path is followed through symbolic
links (chains of them, and a dangling one: its target is created), and the
file at the end is replaced, so the links stay links.  What is not a
regular file is written in place, as a stream, because renaming over it
would destroy it: a device (``/dev/null``), a FIFO, and the open file
descriptors of ``/dev/fd/N``, ``/dev/stdout`` and ``/proc/self/fd/N``
(which is what a shell's ``>(command)`` passes).  Those writes cannot be
taken back if the block fails.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

__all__ = ["atomic_output"]

_PROC_FD = "/proc/self/fd"
#: ``/proc/<pid>/fd`` (``/dev/fd`` and ``/proc/self/fd`` resolve to it) and a thread's own.
_FD_FOLDER = re.compile(r"/proc/(?P<pid>\d+)(?:/task/\d+)?/fd")
#: Symbolic links followed before giving up, as the kernel does (``MAXSYMLINKS``).
_MAX_LINKS = 40
#: Room kept in a temporary name for ``.`` + ``.PID-RANDOM.tmp`` (a pid of up to 10 digits).
_SUFFIX_ROOM = 1 + 1 + 10 + 1 + 8 + 4
_HASH_CHARS = 16


class Target(NamedTuple):
    """Where a write to a path really goes.

    ``kind`` is ``"file"`` (a regular file, or nothing yet: replaced
    atomically), ``"stream"`` (a device, FIFO or socket: written in place)
    or ``"fd"`` (``/proc/<pid>/fd/N``: ``fd`` is N, ``own`` whether the pid
    is this process).
    """

    kind: str
    path: str
    fd: int = -1
    own: bool = False


def resolve_target(path: str | os.PathLike[str]) -> Target:
    """Follow ``path`` through symbolic links to what a write would really change.

    Raises ``OSError`` for a loop of links, or when the path is a folder.
    """
    current = os.fspath(path)
    for _ in range(_MAX_LINKS + 1):
        parent, name = os.path.split(current)
        folder = os.path.realpath(parent or ".")
        found = _FD_FOLDER.fullmatch(folder)
        if found and name.isdigit():
            return Target("fd", current, int(name), int(found.group("pid")) == os.getpid())
        try:
            info = os.lstat(current)
        except (FileNotFoundError, NotADirectoryError):
            return Target("file", current)  # nothing there yet (creating it will say if the folder is missing)
        if stat.S_ISLNK(info.st_mode):
            current = os.path.join(parent, os.readlink(current))
            continue
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), current)
        return Target("file" if stat.S_ISREG(info.st_mode) else "stream", current)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), os.fspath(path))


def _name_max(directory: Path) -> int:
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _stem(directory: Path, name: str) -> str:
    """``.NAME.``, with NAME cut short (ending in a hash of the whole name) when the result would be too long."""
    room = _name_max(directory) - _SUFFIX_ROOM
    encoded = os.fsencode(name)
    if len(encoded) <= room:
        return f".{name}."
    import hashlib

    digest = hashlib.sha256(encoded).hexdigest()[:_HASH_CHARS]
    keep = max(room - _HASH_CHARS - 1, 0)
    start = name[:keep]
    while len(os.fsencode(start)) > keep:  # a character can take up to four bytes
        start = start[:-1]
    return f".{start}~{digest}."


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or not a pid we can ask about: leave its file alone
    return True


def _remove_stale(directory: Path, stem: str) -> None:
    """Delete temporary files named ``STEM.PID-RANDOM.tmp`` left by processes that no longer exist."""
    pattern = re.compile(re.escape(stem) + r"(\d+)-[A-Za-z0-9_]+\.tmp")
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
    """A nameless file in ``directory`` (Linux ``O_TMPFILE``), or ``None`` where there is none.

    Its mode is 0o666 less the umask, applied by the kernel (no one can
    open a file without a name, so it need not start private).
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir(_PROC_FD):
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY | os.O_CLOEXEC, 0o666)
    except OSError:
        return None  # the file system does not support it; a named file will do


def _temporary_name(stem: str) -> str:
    return f"{stem}{os.getpid()}-{os.urandom(4).hex()}.tmp"


def _named_file(directory: Path, stem: str, mode: int) -> tuple[int, str]:
    """A new file ``STEM.PID-RANDOM.tmp`` in ``directory``, opened for writing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    while True:
        named = str(directory / _temporary_name(stem))
        try:
            return os.open(named, flags, mode), named
        except FileExistsError:
            continue


def _give_name(fd: int, directory: Path, stem: str) -> str:
    """Link the nameless file ``fd`` into ``directory`` under a temporary name; return the path."""
    base = _temporary_name(stem)
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


def _existing_mode(target: Path) -> int | None:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open ``path`` for writing bytes; a regular file appears (or changes) only if the block succeeds.

    Symbolic links are followed and the file they lead to is replaced.  A
    device, a FIFO or an open file descriptor (``/dev/stdout``,
    ``/dev/fd/N``) is written in place instead, and is never replaced.
    """
    target = resolve_target(path)
    if target.kind == "file":
        with _replacing(Path(target.path)) as stream:
            yield stream
        return
    with _in_place(target) as stream:
        yield stream


@contextlib.contextmanager
def _in_place(target: Target) -> Iterator[IO[bytes]]:
    """Write into a device, a FIFO or an open file descriptor, as a shell's ``>`` would."""
    if target.kind == "fd" and target.own:
        fd = os.dup(target.fd)  # shares the shell's offset and append mode, as writing to it directly would
    else:
        fd = os.open(target.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        if stat.S_ISREG(os.fstat(fd).st_mode):  # another process's fd of a plain file
            os.ftruncate(fd, 0)
    with os.fdopen(fd, "wb") as stream:
        yield stream
        stream.flush()


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[IO[bytes]]:
    directory = target.parent
    if not directory.is_dir():
        problem = errno.ENOTDIR if directory.exists() else errno.ENOENT
        raise OSError(problem, os.strerror(problem), str(directory))
    stem = _stem(directory, target.name)
    _remove_stale(directory, stem)
    # A new file gets the usual mode: the kernel applies the umask to 0o666 (and any default
    # ACL), with no need to read the umask (which would mean changing it).  A replaced file
    # keeps its mode, set once the data is written; until then a named temporary file is
    # private.
    named: str | None = None
    fd = _anonymous_file(directory)
    if fd is None:
        fd, named = _named_file(directory, stem, 0o600 if _existing_mode(target) is not None else 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            existing = _existing_mode(target)
            if existing is not None:
                os.fchmod(fd, existing)
            os.fsync(fd)
            if named is None:
                named = _give_name(fd, directory, stem)
        _refuse_unless_regular(target)
        os.replace(named, target)
    except BaseException:
        if named is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(named)
        raise
    _fsync_directory(directory)


def _refuse_unless_regular(target: Path) -> None:
    """Never rename over something that became a device, FIFO, link or folder while we wrote."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise FileExistsError(errno.EEXIST, "is no longer a regular file; not replacing it", str(target))
