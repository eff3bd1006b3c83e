"""Read a Mermaid timeline diagram back, strictly, with the rules of Mermaid's lexer.

Mermaid's grammar (``packages/mermaid/src/diagrams/timeline/parser/timeline.jison``):
``title`` takes the rest of its line, ``section`` runs to a colon or the end
of the line, a period runs to a ``#`` or a colon, and each entry starts at
``": "`` and runs to the next ``": "`` or the end of the line.  Before any of
that, ``#<digits>;`` entities are set aside and shown as the character they
name.  Anything the exporter should never write fails an assertion here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ENTITY = re.compile(r"#(\d+);")
ENTRY = re.compile(r":\s((?:[^:\n]|:(?!\s))+)")


@dataclass
class Diagram:
    title: str | None = None
    # (section or None, period, entries)
    periods: list[tuple[str | None, str, list[str]]] = field(default_factory=list)


def decode(text: str) -> str:
    return ENTITY.sub(lambda match: chr(int(match.group(1))), text).strip()


def read_diagram(source: str) -> Diagram:
    """Parse the exporter's output strictly; anything unexpected fails the test."""
    lines = source.split("\n")
    assert lines[-1] == "", "the output ends with a newline"
    lines = lines[:-1]
    if lines[0] == "```mermaid":
        assert lines[-1] == "```"
        lines = lines[1:-1]
    assert lines[0] == "timeline"
    diagram = Diagram()
    section: str | None = None
    for line in lines[1:]:
        assert "%" not in line and "<" not in line and "`" not in line
        stripped = line.strip()
        if stripped.startswith("title "):
            assert diagram.title is None and not diagram.periods
            diagram.title = decode(stripped[6:])
        elif stripped.startswith("section "):
            assert ":" not in stripped and "#" not in ENTITY.sub("", stripped)
            section = decode(stripped[8:])
        else:
            head = stripped[: stripped.index(" : ")]
            assert "#" not in ENTITY.sub("", head) and ":" not in head, line
            entries = [entry.strip() for entry in ENTRY.findall(stripped[len(head):])]
            assert " : ".join([head, *entries]) == stripped, line
            diagram.periods.append((section, decode(head), [decode(e) for e in entries]))
    return diagram



