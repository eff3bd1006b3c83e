"""Everything ``timeline`` raises on purpose, rooted at :class:`TimelineError`.

Each message is written for the person running the tool, so the CLI prints
``str(error)`` and exits with ``error.exit_code`` instead of a traceback.
Where a builtin is what a caller would naturally catch, the class derives
from it too, so ``except ValueError`` keeps working for a ``DateError``::

    TimelineError
    ├── DateError (ValueError)             a date string that is not a valid date
    ├── InvalidTimelineError (ValueError)  data problems, all of them, in .problems
    ├── ReadError (ValueError)             a reader could not parse a file
    ├── EventNotFoundError (KeyError)      Timeline.get() (or an edit) names an id no event has
    ├── UsageError                         exit status 2: the call itself is wrong
    │   ├── UnknownFormatError (LookupError)
    │   ├── OptionError (ValueError)       an exporter option that is unknown or badly typed
    │   │   └── UnknownLocaleError         a locale tag that names no supported language
    │   └── ArgumentTypeError (TypeError)  a Python call given an argument of the wrong type
    ├── ExportError                        an exporter failed while writing
    └── PluginError                        a plugin could not be loaded or clashes with another

Only ``DateError``, ``InvalidTimelineError``, ``ReadError``,
``UnknownFormatError`` and ``OptionError`` derive from a builtin as well (in
brackets above); ``UsageError``, ``ExportError`` and ``PluginError`` derive
from ``TimelineError`` alone.

The warnings, not exceptions, live here too::

    UserWarning
    └── PluginWarning                      a plugin was skipped, or lost a name clash
        └── PluginDeprecationWarning       a plugin uses a deprecated part of the plugin API
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .problems import Problem

__all__ = [
    "ArgumentTypeError",
    "DateError",
    "EventNotFoundError",
    "ExportError",
    "InvalidTimelineError",
    "OptionError",
    "PluginDeprecationWarning",
    "PluginError",
    "PluginWarning",
    "ReadError",
    "TimelineError",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UsageError",
]


class TimelineError(Exception):
    """Root of every error ``timeline`` raises deliberately."""

    #: Exit status the CLI uses for this error: 1 for bad data, 2 for bad usage.
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DateError(TimelineError, ValueError):
    """A date string that is not a valid date; the message says why."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a valid date: {reason}")
        self.text = text
        self.reason = reason


class ReadError(TimelineError, ValueError):
    """A reader could not parse a file (syntax error, wrong encoding, ...).

    Readers raise it with ``line`` where the parser gives one; the loader adds
    the file name.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class InvalidTimelineError(TimelineError, ValueError):
    """The data has problems; ``problems`` lists every one found in the run."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class EventNotFoundError(TimelineError, KeyError):
    """No event has this id; ``event_id`` is it, ``suggestions`` the ids most like it.

    A :class:`KeyError`, so ``except KeyError`` keeps working, and like one
    ``args[0]`` is the missing id; ``str()`` is a sentence, not the quoted key.
    """

    def __init__(self, event_id: str, known: Iterable[str] = (), *, timeline_id: str | None = None) -> None:
        from .suggest import close_matches

        self.event_id = event_id
        self.suggestions = close_matches(event_id, known) if isinstance(event_id, str) else ()
        where = f" in timeline {timeline_id!r}" if timeline_id else ""
        message = f"no event has the id {event_id!r}{where}"
        if self.suggestions:
            shown = [repr(s) for s in self.suggestions]
            listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
            message += f" (did you mean {listed}?)"
        super().__init__(message)
        self.args = (event_id,)  # what KeyError callers read; pickling rebuilds from it


class UsageError(TimelineError):
    """The call is wrong rather than the data (exit status 2)."""

    exit_code = 2


class UnknownFormatError(UsageError, LookupError):
    """No installed exporter or reader has this name or extension."""


class OptionError(UsageError, ValueError):
    """An exporter option that is unknown, badly typed or out of range."""


class UnknownLocaleError(OptionError):
    """A locale tag that names no supported language; ``tag`` is it, ``supported`` the codes there are.

    ``suggestion`` is the code most likely meant (``kr`` gives ``ko``), or None.
    """

    def __init__(
        self, tag: object, supported: Sequence[str], *, suggestion: str | None = None, reason: str | None = None
    ) -> None:
        self.tag = tag
        self.supported = tuple(supported)
        self.suggestion = suggestion
        message = f"unknown locale {tag!r}"
        if reason:
            message += f": {reason}"
        if suggestion:
            message += f" (did you mean {suggestion!r}?)"
        super().__init__(f"{message}; supported locales: {', '.join(self.supported)}")


class ArgumentTypeError(UsageError, TypeError):
    """A function, method or constructor of the Python API was given an argument of the wrong type.

    The message names the argument and what it should be.  Also raised when
    two :class:`~timeline.Date` objects are compared with ``<``: dates of
    different precisions have no single order, see ``Date.sort_key()``.
    """


class ExportError(TimelineError):
    """An exporter failed while writing; the message names the plugin."""


class PluginError(TimelineError):
    """A plugin could not be loaded, or clashes with another plugin."""


class PluginWarning(UserWarning):
    """A plugin could not be loaded or clashes with another; the rest still works."""


class PluginDeprecationWarning(PluginWarning):
    """A plugin uses a part of the plugin API that is deprecated.

    A :class:`PluginWarning` (shown by default) rather than a
    :class:`DeprecationWarning` (hidden by default), because the person who
    sees it is usually a user who must tell the plugin's author.
    """


def wrong_type(what: str, expected: str, value: object, hint: str | None = None) -> ArgumentTypeError:
    """The :class:`ArgumentTypeError` for ``value`` given as ``what`` where ``expected`` was wanted."""
    got = "None" if value is None else type(value).__name__
    if isinstance(value, (str, bytes)):
        shown = repr(value)
        got += f" {shown[:40] + '...' if len(shown) > 43 else shown}"
    message = f"{what} must be {expected}, not {got}"
    return ArgumentTypeError(f"{message}; {hint}" if hint else message)


def describe_exception(exc: BaseException) -> str:
    """``TypeName: first line of the message``: how a plugin's exception is quoted in a message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
