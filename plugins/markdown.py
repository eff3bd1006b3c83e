"""Markdown: a readable report of the timeline, valid CommonMark and GFM.

Mapping decisions are documented in ``docs/exporters/markdown.md``.  Every
piece of text from the data is escaped for the spot it lands in, so a title
such as ``# x`` or ``<script>`` shows as typed; descriptions keep their own
Markdown, re-rendered so that raw HTML is neutralised and nothing can leak
into the rest of the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, Any
from urllib.parse import quote

import timeline
from timeline import (
    Date,
    Era,
    Event,
    ExportContext,
    Option,
    Source,
    Timeline,
    escape_markdown,
    human_date,
    human_span,
    iter_events,
    markdown_to_markdown,
    message,
    plural_message,
    safe_url,
)

from ._durations import span_duration

_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def link(text: str, url: str | None) -> str:
    """``[text](url)`` with both parts escaped, or just the text for an unsafe URL."""
    label = escape_markdown(text)
    target = safe_url(url)
    if target is None:
        return label
    return f"[{label}](<{quote(target, safe=_URL_SAFE)}>)"


def _sentence(text: str, last: str) -> str:
    """``text`` with a full stop, unless it ends with ``last``, a date that has one ("2024 г.")."""
    return text if last.endswith(".") else text + "."


def _source_line(source: Source, locale: str) -> str:
    title = source.title or source.url or "source"
    parts = [link(title, source.url)]
    if source.publisher:
        parts.append(escape_markdown(source.publisher))
    if source.date is not None:
        parts.append(escape_markdown(human_date(source.date, locale=locale)))
    return ", ".join(parts)


class MarkdownExporter:
    name = "markdown"
    extensions = (".md", ".markdown")
    media_type = "text/markdown; charset=utf-8; variant=GFM"
    description = "A readable Markdown report (CommonMark/GFM): events in order with dates, sources and tags"
    options = (
        Option(
            "heading_level", "Heading level of the document title (1-3)", type="int", default=1, minimum=1, maximum=3
        ),
        Option("toc", "List the events with their dates at the top", type="bool", default=False),
        Option("sources", "Include each event's sources", type="bool", default=True),
        Option("durations", "Say how long each span lasted, e.g. \"3 years 1 month\"", type="bool", default=True),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else None
        locale = context.locale if context is not None else "en"
        level: int = options.get("heading_level", 1)
        write = stream.write

        def block(text: str) -> None:
            write(text.encode("utf-8"))

        h1, h2, h3 = "#" * level, "#" * (level + 1), "#" * (level + 2)
        block(f"{h1} {escape_markdown(timeline.title)}\n\n")
        if timeline.description:
            block(markdown_to_markdown(timeline.description, heading_level=level + 1) + "\n")
        summary = self._summary(timeline, locale)
        if summary:
            block(f"*{summary}*\n\n")
        if options.get("toc", False) and timeline.events:
            block(f"{h2} {message('heading', 'Contents', locale)}\n\n")
            for event in timeline.events:
                date = human_span(event.start, event.end, ongoing=event.ongoing, locale=locale)
                block(f"- {escape_markdown(date)}: {escape_markdown(event.title)}\n")
            block("\n")
        #: the date ongoing spans are counted up to: the data's own (None: they get no duration)
        as_of: Date | None = timeline.updated
        durations = bool(options.get("durations", True))
        if timeline.eras:
            block(f"{h2} {message('heading', 'Eras', locale)}\n\n")
            for era in timeline.eras:
                block(self._era(era, h3, level + 3, locale, durations, as_of))
        if timeline.events:
            block(f"{h2} {message('heading', 'Events', locale)}\n\n")
            titles = {event.id: event.title for event in timeline.events}
            with_sources = bool(options.get("sources", True))
            for event in iter_events(timeline):
                block(self._event(event, h3, level + 3, titles, with_sources, locale, durations, as_of))
                if report is not None:
                    report.wrote(event)
                    location = event.location
                    lat, lon = (location.lat, location.lon) if location is not None else (None, None)
                    if lat is not None and lon is not None and (round(lat, 4) != lat or round(lon, 4) != lon):
                        report.approximated(event, "location", "coordinates rounded to 4 decimal places")

    @staticmethod
    def _summary(timeline: Timeline, locale: str) -> str:
        parts = []
        count = len(timeline.events)
        if count:
            events = plural_message("summary", "{count} event", "{count} events", count, locale).format(count=count)
            first = human_date(timeline.events[0].start, locale=locale)
            last = human_date(timeline.events[-1].start, locale=locale)
            text = message("summary", "{events}, {first} to {last}", locale).format(
                events=events, first=escape_markdown(first), last=escape_markdown(last)
            )
            parts.append(_sentence(text, last))
        if timeline.updated is not None:
            updated = human_date(timeline.updated, locale=locale)
            text = message("summary", "Last updated {date}", locale).format(date=escape_markdown(updated))
            parts.append(_sentence(text, updated))
        return " ".join(parts)

    @staticmethod
    def _era(era: Era, heading: str, inner_level: int, locale: str, durations: bool, as_of: Date | None) -> str:
        span = escape_markdown(human_span(era.start, era.end, ongoing=era.ongoing, locale=locale))
        duration = span_duration(era.start, era.end, era.ongoing, as_of, locale) if durations else None
        if duration is not None:
            span += f" · {escape_markdown(duration)}"
        text = f"{heading} {escape_markdown(era.title)}\n\n*{span}*\n\n"
        if era.description:
            text += markdown_to_markdown(era.description, heading_level=min(inner_level, 6)) + "\n"
        return text

    @staticmethod
    def _event(
        event: Event,
        heading: str,
        inner_level: int,
        titles: Mapping[str, str],
        with_sources: bool,
        locale: str,
        durations: bool = True,
        as_of: Date | None = None,
    ) -> str:
        lines = [f"{heading} {escape_markdown(event.title)}\n\n"]
        span = human_span(event.start, event.end, ongoing=event.ongoing, locale=locale)
        facts = [f"**{escape_markdown(span)}**"]
        duration = span_duration(event.start, event.end, event.ongoing, as_of, locale) if durations else None
        if duration is not None:
            facts.append(escape_markdown(duration))
        if event.location is not None:
            place = event.location.name or ""
            if event.location.has_coordinates:
                coords = f"{event.location.lat:.4f}, {event.location.lon:.4f}"
                place = f"{place} ({coords})" if place else coords
            if place:
                facts.append(escape_markdown(place))
        if event.group:
            facts.append(escape_markdown(event.group))
        lines.append(" · ".join(facts) + "\n\n")
        if event.description:
            lines.append(markdown_to_markdown(event.description, heading_level=min(inner_level, 6)) + "\n")
        if event.media is not None:
            media = event.media
            media_label = message("label", "Media", locale)
            label = media.caption or media_label
            credit = f" ({escape_markdown(media.credit)})" if media.credit else ""
            lines.append(f"{media_label}: {link(label, media.url)}{credit}\n\n")
        if event.tags:
            lines.append(f"{message('label', 'Tags', locale)}: {', '.join(escape_markdown(t) for t in event.tags)}\n\n")
        if event.related:
            related = _names(event.related, titles)
            if related:
                lines.append(f"{message('label', 'See also', locale)}: {related}\n\n")
        if with_sources and event.sources:
            lines.append(f"{message('label', 'Sources', locale)}:\n\n")
            lines.extend(f"- {_source_line(s, locale)}\n" for s in event.sources)
            lines.append("\n")
        return "".join(lines)


def _names(ids: Iterable[str], titles: Mapping[str, str]) -> str:
    return "; ".join(escape_markdown(titles[i]) for i in ids if i in titles)


@timeline.hookimpl
def timeline_exporters() -> list[MarkdownExporter]:
    return [MarkdownExporter()]
