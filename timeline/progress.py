"""Progress for long loads and exports, shown only to a person at a terminal.

Exporters walk the events with :func:`iter_events` instead of
``timeline.events``; when the CLI runs with a terminal on stderr it installs
a reporter, and the walk moves a progress line.  The loader asks
:func:`reporter` for a line of its own while it builds a big file.  Piped, in
tests or from the Python API nothing is printed and the walk costs one check
per event.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Event, Timeline

__all__ = ["Progress", "iter_events", "progress_reporting", "reporter"]

#: Below this many events nothing is shown: small work is instant anyway.
THRESHOLD = 20_000
_STEP = 4096


class Progress:
    """A one-line counter on a terminal, redrawn at most a few times a second."""

    def __init__(self, stream: IO[str], label: str, total: int | None) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.done = 0
        self._last = 0.0
        self._shown = False

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self._last >= 0.2:
            self._last = now
            self._draw()

    def update(self, done: int, total: int | None = None) -> None:
        """Set the count (and the total, when it becomes known) and redraw if due."""
        if total is not None:
            self.total = total
        self.advance(done - self.done)

    def note(self, text: str) -> None:
        """Show a status in place of the bar, e.g. while a big file is parsed."""
        self._write(f"{self.label}: {text}")

    def _draw(self) -> None:
        if self.total:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 30)
            self._write(f"{self.label} [{bar:<30}] {self.done:,}/{self.total:,}")
        else:
            self._write(f"{self.label} {self.done:,}")

    def _write(self, text: str) -> None:
        # Carriage return, then the text, then "erase to the end of the line".
        self.stream.write(f"\r{text}\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()


_current: ContextVar[tuple[IO[str], str] | None] = ContextVar("timeline_progress", default=None)


@contextlib.contextmanager
def progress_reporting(label: str, stream: IO[str] | None = None) -> Iterator[None]:
    """Show progress for walks inside the block, if ``stream`` is a terminal."""
    target = stream if stream is not None else sys.stderr
    if not getattr(target, "isatty", lambda: False)():
        yield
        return
    token = _current.set((target, label))
    try:
        yield
    finally:
        _current.reset(token)


def reporter(label: str) -> Progress | None:
    """A progress line labelled ``label`` if a terminal is watching, else ``None``.

    Only inside :func:`progress_reporting` with a terminal.  The caller
    decides whether the work is big enough to show, and closes the line.
    """
    setting = _current.get()
    if setting is None:
        return None
    return Progress(setting[0], label, None)


def iter_events(timeline: Timeline) -> Iterator[Event]:
    """The timeline's events in order, moving the progress line if one is shown."""
    events = timeline.events
    setting = _current.get()
    if setting is None or len(events) < THRESHOLD:
        yield from events
        return
    progress = Progress(setting[0], setting[1], len(events))
    try:
        for start in range(0, len(events), _STEP):
            chunk = events[start : start + _STEP]
            yield from chunk
            progress.advance(len(chunk))
    finally:
        progress.close()
