"""Markdown: a readable report of the timeline, valid CommonMark and GFM.

Mapping decisions are documented in ``docs/exporters/markdown.md``.  Every
piece of text from the data is escaped for the spot it lands in, so a title
such as ``# x`` or ``<script>`` shows as typed; descriptions keep their own
Markdown, re-rendered so that raw HTML is neutralised and nothing can leak
into the rest of the document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import IO, Any
from urllib.parse import quote

import timeline
from timeline import (
    Date,
    Era,
    Event,
    ExportContext,
    Option,
    Relation,
    Source,
    Timeline,
    TranslatedText,
    escape_markdown,
    human_date,
    human_span,
    iter_events,
    markdown_to_html,
    markdown_to_markdown,
    message,
    plural_message,
    safe_url,
    translated,
)

from ._durations import span_duration

#: An event's, era's or timeline's title and description in the export's locale.
Texts = Callable[[Any], TranslatedText]

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


#: Text that may hold a heading once rendered (ATX ``#`` or a setext underline); most descriptions do not.
_MAYBE_HEADING = re.compile(r"#|\n[ ]{0,3}(?:=+|-+)[ \t]*(?:\n|$)")
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
#: What GitHub's slugger drops from a heading's text (and markdown-it-py's anchors plugin, and mkdocs' toc).
_NOT_IN_SLUG = re.compile(r"[^\w\- ]")


class Anchors:
    """The anchors GitHub gives headings, in document order: lowercase, punctuation dropped, spaces to
    hyphens, and ``-1``, ``-2``, ... after a slug already taken."""

    def __init__(self) -> None:
        self._taken: dict[str, int] = {}

    def add_title(self, title: str) -> str:
        """The anchor of a heading that shows ``title`` through :func:`timeline.escape_markdown`."""
        if title.isprintable() and title == title.strip():
            return self.add(title)
        # Tabs and line breaks collapse, edge spaces stay (as character references): what renders is the text.
        rendered = markdown_to_html(escape_markdown(title))
        return self.add(html.unescape(_TAG.sub("", rendered)).strip("\n"))

    def add(self, text: str) -> str:
        """The anchor of a heading whose rendered text is ``text``."""
        base = _NOT_IN_SLUG.sub("", text.lower()).replace(" ", "-")
        slug = base
        while slug in self._taken:
            self._taken[base] += 1
            slug = f"{base}-{self._taken[base]}"
        self._taken[slug] = 0
        return slug

    def add_all(self, markdown: str) -> None:
        """The headings inside a rendered description."""
        if not _MAYBE_HEADING.search(markdown):
            return
        for inner in _HTML_HEADING.findall(markdown_to_html(markdown)):
            self.add(html.unescape(_TAG.sub("", inner)))


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
        texts: Texts = context.translated if context is not None else (lambda item: translated(item, "en"))
        level: int = options.get("heading_level", 1)
        write = stream.write

        def block(text: str) -> None:
            write(text.encode("utf-8"))

        h1, h2, h3 = "#" * level, "#" * (level + 1), "#" * (level + 2)
        head = texts(timeline)
        block(f"{h1} {escape_markdown(head.title)}\n\n")
        if head.description:
            block(markdown_to_markdown(head.description, heading_level=level + 1) + "\n")
        summary = self._summary(timeline, locale)
        if summary:
            block(f"*{summary}*\n\n")
        titles = {event.id: texts(event).title for event in timeline.events}
        if options.get("toc", False) and timeline.events:
            block(f"{h2} {message('heading', 'Contents', locale)}\n\n")
            for event in timeline.events:
                date = human_span(event.start, event.end, ongoing=event.ongoing, locale=locale)
                block(f"- {escape_markdown(date)}: {escape_markdown(titles[event.id])}\n")
            block("\n")
        #: the date ongoing spans are counted up to: the data's own (None: they get no duration)
        as_of: Date | None = timeline.updated
        durations = bool(options.get("durations", True))
        if timeline.eras:
            block(f"{h2} {message('heading', 'Eras', locale)}\n\n")
            for era in timeline.eras:
                block(self._era(era, texts(era), h3, level + 3, locale, durations, as_of))
        if timeline.events:
            block(f"{h2} {message('heading', 'Events', locale)}\n\n")
            relations = timeline.relations()
            toc = bool(options.get("toc", False))
            links = self._links(timeline, texts, level, toc, locale) if relations else {}
            with_sources = bool(options.get("sources", True))
            for event in iter_events(timeline):
                related = relations.get(event.id, ())
                block(self._event(event, texts(event), h3, level + 3, related, links, with_sources, locale,
                                  durations, as_of))
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
    def _era(
        era: Era, shown: TranslatedText, heading: str, inner_level: int, locale: str, durations: bool,
        as_of: Date | None,
    ) -> str:
        span = escape_markdown(human_span(era.start, era.end, ongoing=era.ongoing, locale=locale))
        duration = span_duration(era.start, era.end, era.ongoing, as_of, locale) if durations else None
        if duration is not None:
            span += f" · {escape_markdown(duration)}"
        text = f"{heading} {escape_markdown(shown.title)}\n\n*{span}*\n\n"
        if shown.description:
            text += markdown_to_markdown(shown.description, heading_level=min(inner_level, 6)) + "\n"
        return text

    @staticmethod
    def _links(timeline: Timeline, texts: Texts, level: int, toc: bool, locale: str) -> dict[str, tuple[str, str]]:
        """Each event's title as shown and the anchor of its heading, found by going through every heading in order."""
        anchors = Anchors()
        head = texts(timeline)
        anchors.add_title(head.title)
        if head.description:
            anchors.add_all(markdown_to_markdown(head.description, heading_level=level + 1))
        if toc:
            anchors.add(message("heading", "Contents", locale))
        if timeline.eras:
            anchors.add(message("heading", "Eras", locale))
            for era in timeline.eras:
                shown = texts(era)
                anchors.add_title(shown.title)
                if shown.description:
                    anchors.add_all(markdown_to_markdown(shown.description, heading_level=min(level + 3, 6)))
        anchors.add(message("heading", "Events", locale))
        links = {}
        for event in timeline.events:
            shown = texts(event)
            links[event.id] = (shown.title, anchors.add_title(shown.title))
            if shown.description:
                anchors.add_all(markdown_to_markdown(shown.description, heading_level=min(level + 3, 6)))
        return links

    @staticmethod
    def _event(
        event: Event,
        shown: TranslatedText,
        heading: str,
        inner_level: int,
        related: tuple[Relation, ...],
        links: Mapping[str, tuple[str, str]],
        with_sources: bool,
        locale: str,
        durations: bool = True,
        as_of: Date | None = None,
    ) -> str:
        lines = [f"{heading} {escape_markdown(shown.title)}\n\n"]
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
        if shown.description:
            lines.append(markdown_to_markdown(shown.description, heading_level=min(inner_level, 6)) + "\n")
        if event.media is not None:
            media = event.media
            media_label = message("label", "Media", locale)
            label = media.caption or media_label
            credit = f" ({escape_markdown(media.credit)})" if media.credit else ""
            lines.append(f"{media_label}: {link(label, media.url)}{credit}\n\n")
        if event.tags:
            lines.append(f"{message('label', 'Tags', locale)}: {', '.join(escape_markdown(t) for t in event.tags)}\n\n")
        if related:
            # One list item per link: a title may hold any separator.
            lines.append(f"{message('label', 'See also', locale)}:\n\n")
            for relation in related:
                title, anchor = links[relation.id]
                lines.append(f"- {escape_markdown(relation.phrase(locale))}: [{escape_markdown(title)}](#{anchor})\n")
            lines.append("\n")
        if with_sources and event.sources:
            lines.append(f"{message('label', 'Sources', locale)}:\n\n")
            lines.extend(f"- {_source_line(s, locale)}\n" for s in event.sources)
            lines.append("\n")
        return "".join(lines)


@timeline.hookimpl
def timeline_exporters() -> list[MarkdownExporter]:
    return [MarkdownExporter()]
