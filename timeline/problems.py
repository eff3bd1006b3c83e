"""One problem found in a timeline's data, located as precisely as we can."""

from __future__ import annotations

import attrs

__all__ = ["MAX_PART", "Problem", "shorten"]

#: The longest message, event label or hint shown in full.  Messages quote
#: the offending value, and a value can be megabytes long (a 50 MB id); the
#: middle of anything longer is left out, so a report stays readable.
MAX_PART = 400


def shorten(text: str, limit: int = MAX_PART) -> str:
    """``text``, or its start and end around a note of how much is left out."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]}…[{len(text) - 2 * keep:,} characters left out]…{text[-keep:]}"


@attrs.frozen
class Problem:
    """What is wrong, and where: file, line, event and field.

    ``str(problem)`` reads like a compiler message, e.g.
    ``events/x.yaml:12: event 'treaty-1961', field 'start': '2024-02-30' is
    not a valid date: February 2024 has 29 days``.  Each part is shortened
    to :data:`MAX_PART` characters (the attributes keep the full text).
    """

    message: str
    file: str | None = None
    line: int | None = None
    event: str | None = None
    field: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            file = shorten(self.file)
            where = file if self.line is None else f"{file}:{self.line}"
            where += ": "
        parts = []
        if self.event:
            parts.append(shorten(self.event))
        if self.field:
            parts.append(f"field {shorten(self.field)!r}")
        context = ", ".join(parts)
        message = shorten(self.message)
        text = f"{where}{context}: {message}" if context else f"{where}{message}"
        if self.hint:
            text += f" ({shorten(self.hint)})"
        return text
