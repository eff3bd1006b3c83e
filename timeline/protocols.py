"""What an exporter and a reader look like to ``timeline``.

These are structural types: a plugin's classes need not inherit from them,
only have the same attributes.  Inheriting is harmless and lets a type
checker catch a missing method.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from .model import Timeline
    from .options import Option

__all__ = ["FORMAT_NAME_PATTERN", "OPTION_NAME_PATTERN", "Document", "Exporter", "Path", "Reader"]

#: What an exporter's or reader's ``name`` looks like: lowercase letters and
#: digits, words joined by single hyphens (``markdown``, ``timelinejs-html``).
#: It is typed on command lines and used in entry points, so nothing fancier.
FORMAT_NAME_PATTERN = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
#: What an :class:`~timeline.Option` name looks like (``refresh_hours``).
OPTION_NAME_PATTERN = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"

#: A location inside a document: keys and list indexes from its root,
#: e.g. ``("events", 3, "start")``.
Path = tuple["str | int", ...]


@runtime_checkable
class Exporter(Protocol):
    """Writes a timeline in one output format."""

    # The attributes are read-only properties here so that a plain class attribute satisfies them
    # (``extensions = (".md",)`` is a ``tuple[str]``, which a settable ``Sequence[str]`` would refuse).

    @property
    def name(self) -> str:
        """The ``--format`` value, lowercase, e.g. ``"markdown"``."""
        ...

    @property
    def extensions(self) -> Sequence[str]:
        """File extensions that select this format from ``-o``, e.g. ``(".md",)``."""
        ...

    @property
    def media_type(self) -> str:
        """The media type of the output, e.g. ``"text/markdown; charset=utf-8"``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``timeline formats``."""
        ...

    @property
    def options(self) -> Sequence[Option]:
        """Settings the exporter accepts (may be empty)."""
        ...

    def write(self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any]) -> None:
        """Write ``timeline`` to the binary ``stream``.

        ``options`` holds every declared option, checked and with defaults
        filled in.  Write as you go rather than building the whole output in
        memory; raise a :class:`timeline.TimelineError` subclass for problems
        the user can fix.
        """


@attrs.frozen
class Document:
    """A parsed file: its plain data, and a way to find the line of a value.

    ``locate`` is called only when something is wrong, so a reader can make
    it lazy (re-parse with positions on demand) and keep the happy path fast.
    """

    content: Any
    locate: Callable[[Path], int | None] | None = None

    def line_of(self, path: Path) -> int | None:
        """The 1-based line where ``path`` is written, or ``None`` if unknown."""
        if self.locate is None:
            return None
        try:
            return self.locate(path)
        except Exception:  # a locator is a convenience: never let it hide the real problem
            return None


@runtime_checkable
class Reader(Protocol):
    """Reads one input format into plain data."""

    @property
    def name(self) -> str:
        """The ``--input-format`` value, e.g. ``"yaml"``."""
        ...

    @property
    def extensions(self) -> Sequence[str]:
        """Extensions it claims, e.g. ``(".yaml", ".yml")``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``timeline formats``."""
        ...

    def read(self, data: bytes, source: str) -> Document:
        """Parse ``data`` (the file's bytes; ``source`` names it in messages).

        Raise :class:`timeline.ReadError` with a line number where the parser
        gives one.
        """
