"""A ``timeline`` exporter writing a Mermaid ``timeline`` diagram.

GitHub, GitLab, many wikis and documentation sites draw a diagram from a
Markdown code block marked ``mermaid``::

    timeline
        title Russia and North Korea, 1945–2024
        section Soviet patronage (1945 – December 1991)
            26 June 1945 : UN Charter signed in San Francisco
            25 June 1950 – 27 July 1953 : Korean War
        section Nuclear tests and UN sanctions (October 2006 – January 2022)
            3 September 2017, 03#58;30#58;01 (UTC) : North Korea's sixth and largest nuclear test

Each distinct date (as :func:`timeline.human_span` words it, so precision
and qualifiers show) becomes a time period, and the events on it become its
entries; eras can become Mermaid sections.  Every piece of text from the
data goes through :func:`mermaid_text`, which writes the characters Mermaid
treats as syntax as its ``#code;`` entities, so no title can end an entry,
start a comment, change the configuration or close the Markdown fence.  The
README explains each choice.

Only the public ``timeline`` API is used, so this module is a fair model for
a third-party plugin.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import timeline
from timeline import Date, Era, Event, Option, Timeline

__version__ = "1.0.0"

#: The plugin API this module is written against (1.1: ``write`` takes a
#: context and reports what it kept); timeline skips it, with a warning, if
#: it cannot offer that.
TIMELINE_PLUGIN_API = "1.1"

__all__ = ["MAX_TEXT_SIZE", "MermaidExporter", "diagram_lines", "era_of", "mermaid_text"]

#: Mermaid refuses to draw a diagram longer than this many characters (its
#: default ``maxTextSize``) and shows an error box instead.
MAX_TEXT_SIZE = 50_000

#: Characters written as Mermaid entities, and why:
#: ``:`` separates a period from its entries; ``#`` starts a comment; ``;`` ended
#: a statement in Mermaid 10; ``%`` starts a comment or a ``%%{init}%%``
#: directive (found anywhere in the text); ``<``/``>`` would let ``<br>`` break
#: a line or look like HTML; a backtick could close a Markdown fence; and
#: ``ﬂ``/``¶`` are the markers Mermaid itself uses while decoding entities.
ESCAPED = frozenset(":#;%<>`\ufb02\xb6")

_NO_TEXT = "(untitled)"

#: Event fields a diagram has no room for, reported as left out.
_LEFT_OUT = ("description", "sources", "media", "location")


def mermaid_text(text: str) -> str:
    """``text`` as a Mermaid label that shows exactly as written, on one line.

    Control characters are dropped, runs of whitespace (line breaks
    included) become one space, lone surrogates become U+FFFD, and every
    character in :data:`ESCAPED` becomes ``#<code point>;``.
    """
    kept = "".join(char for char in text if char.isspace() or unicodedata.category(char) != "Cc")
    out: list[str] = []
    for char in " ".join(kept.split()):
        if char in ESCAPED:
            out.append(f"#{ord(char)};")
        elif "\ud800" <= char <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def _label(text: str | None) -> str:
    return mermaid_text(text or "") or _NO_TEXT


def _span(start: Date, end: Date | None, ongoing: bool) -> str:
    return mermaid_text(timeline.human_span(start, end, ongoing=ongoing))


def era_of(event: Event, eras: Sequence[Era]) -> Era | None:
    """The era an event starts in; the latest-starting one when eras overlap."""
    day = event.start.first_day()
    found: Era | None = None
    for era in eras:
        if era.start.first_day() > day:
            break  # eras are sorted by start
        if era.ongoing or day <= (era.end or era.start).last_day():
            found = era
    return found


def _section(era: Era | None) -> str:
    if era is None:
        return "Other events"
    return f"{_label(era.title)} ({_span(era.start, era.end, era.ongoing)})"


def diagram_lines(story: Timeline, *, sections: bool = True, report: timeline.Report | None = None) -> Iterator[str]:
    """The diagram, one line at a time (without line ends).

    Events sharing a period (the same wording of their dates) become entries
    of one period line; with ``sections``, a ``section`` line starts each run
    of events inside one era.  Events before the first era need no section;
    ones after an era that fall in none go under "Other events".  Each event
    written, and each field left out, goes into ``report`` if one is given.
    """
    report = report if report is not None else timeline.Report()
    yield "timeline"
    title = mermaid_text(story.title)
    if title:
        yield f"    title {title}"
    use_sections = sections and bool(story.eras)
    indent = " " * (8 if use_sections else 4)
    current: str | None = None  # the section label now open, if any
    period: str | None = None
    entries: list[str] = []
    for event in timeline.iter_events(story):
        if use_sections:
            era = era_of(event, story.eras)
            label = _section(era)
            if (era is not None or current is not None) and label != current:
                if entries:
                    yield f"{indent}{period} : {' : '.join(entries)}"
                    entries = []
                yield f"    section {label}"
                current, period = label, None
        when = _span(event.start, event.end, event.ongoing)
        if when != period and entries:
            yield f"{indent}{period} : {' : '.join(entries)}"
            entries = []
        period = when
        entries.append(_label(event.title))
        report.wrote(event)
        for field in _LEFT_OUT:
            if getattr(event, field):
                report.approximated(event, field, "left out: a Mermaid timeline has room for short labels only")
    if entries:
        yield f"{indent}{period} : {' : '.join(entries)}"


class MermaidExporter:
    """A Mermaid ``timeline`` diagram, optionally as a Markdown code block."""

    name = "mermaid"
    extensions = (".mmd", ".mermaid")
    media_type = "text/plain; charset=utf-8"
    description = "A Mermaid timeline diagram (GitHub and many wikis draw ```mermaid blocks)"
    options = (
        Option("fence", "Wrap the diagram in a ```mermaid code block, ready to paste into Markdown",
               type="bool", default=False),
        Option("sections", "Group events by era as Mermaid sections", type="bool", default=True),
    )

    def write(
        self,
        story: Timeline,
        stream: IO[bytes],
        options: Mapping[str, Any],
        *,
        context: timeline.ExportContext | None = None,
    ) -> None:
        # Without a context (a host older than plugin API 1.1, or a direct call), report into a throw-away Report.
        report = context.report if context is not None else timeline.Report()
        fence = bool(options.get("fence", False))
        size = 0
        if fence:
            stream.write(b"```mermaid\n")
        for line in diagram_lines(story, sections=bool(options.get("sections", True)), report=report):
            size += len(line) + 1
            stream.write(line.encode("utf-8") + b"\n")
        if fence:
            stream.write(b"```\n")
        if size > MAX_TEXT_SIZE:
            # Not about one event, and the user's to fix: a PluginWarning (see the plugin docs,
            # howto/errors.md "Warnings and reports"); what the diagram leaves out is in the report.
            warnings.warn(
                f"the diagram is {size:,} characters long; Mermaid draws at most {MAX_TEXT_SIZE:,} by default "
                f"(its maxTextSize setting), so narrow it down with --tag, --group, --since or --until",
                timeline.PluginWarning,
                stacklevel=2,
            )


@timeline.hookimpl
def timeline_exporters() -> list[MermaidExporter]:
    return [MermaidExporter()]
