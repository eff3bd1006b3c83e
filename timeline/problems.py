"""One problem found in a timeline's data, located as precisely as we can."""

from __future__ import annotations

import attrs

__all__ = ["Problem"]


@attrs.frozen
class Problem:
    """What is wrong, and where: file, line, event and field.

    ``str(problem)`` reads like a compiler message, e.g.
    ``events/x.yaml:12: event 'treaty-1961', field 'start': '2024-02-30' is
    not a valid date: February 2024 has 29 days``.
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
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        parts = []
        if self.event:
            parts.append(self.event)
        if self.field:
            parts.append(f"field {self.field!r}")
        context = ", ".join(parts)
        text = f"{where}{context}: {self.message}" if context else f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text
