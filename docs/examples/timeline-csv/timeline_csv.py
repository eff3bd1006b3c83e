"""A ``timeline`` exporter writing CSV in the column layout of TimelineJS's spreadsheet template.

Knight Lab's TimelineJS reads a timeline from a published Google Sheet whose
first row names 18 columns (``COLUMNS``).  This exporter writes the same
columns, so the rows can be imported into, or pasted over, a copy of that
template.  Every decision (dates, escaping, formula protection) is explained
in this package's README; in short:

* a date fills only the columns it knows: a month-precision date leaves
  ``Day`` empty instead of inventing the 1st;
* qualifiers, BCE, zones and "ongoing" are spelled out in ``Display Date``,
  because the date columns cannot carry them;
* ``Headline``, ``Text``, captions and credits are HTML, as TimelineJS treats
  them, built only from escaped text and :func:`timeline.markdown_to_html`;
* no cell from the data can start a spreadsheet formula.

Only the public ``timeline`` API is used, so this module is a fair model for
a third-party plugin.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any
from urllib.parse import urlsplit

import timeline
from timeline import Date, Era, Event, Option, Source, Timeline

__version__ = "1.0.0"

#: The plugin API this module is written against; timeline skips it, with a
#: warning, if it ever offers an incompatible one.
TIMELINE_PLUGIN_API = "1.0"

__all__ = ["COLUMNS", "CsvExporter", "date_cells", "neutralise_formula", "tl_year"]

#: The template's header row, in its order (TimelineJS 3.9, src/template/my-own-timeline.csv).
COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)

#: First characters that make Excel, LibreOffice Calc or Google Sheets read a
#: cell as a formula (or that some of them strip before looking again).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


# --- cells -------------------------------------------------------------------


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula.

    Spreadsheets take a leading apostrophe as "this is text" and hide it;
    programs that read the CSV directly see it, which is the lesser harm.
    """
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


# HTML reads "&" as the start of a character reference only before a letter,
# a digit or "#", and "<" as markup only before a letter, "/", "!" or "?";
# anywhere else both are literal.  Escaping just those keeps "Trade & aid"
# readable in the spreadsheet.
_HTML_SPECIAL = re.compile(r"&(?=[0-9A-Za-z#])|<(?=[A-Za-z/!?])")
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;"}


def _html(text: str) -> str:
    """Plain text for a column TimelineJS inserts as HTML (Headline, captions, credits)."""
    return _HTML_SPECIAL.sub(lambda match: _HTML_ESCAPES[match.group()], text)


def _html_twice(text: str) -> str:
    """Plain text for Display Date and Group, which TimelineJS strips to text and then inserts as HTML."""
    return _html(_html(text))


def _media_url(url: str) -> str:
    """The URL if it is http(s) and safe; anything else is dropped (TimelineJS would embed it)."""
    target = timeline.safe_url(url)
    if target is None or urlsplit(target).scheme.lower() not in ("http", "https"):
        return ""
    return target


def _link(label: str, url: str | None) -> str:
    target = timeline.safe_url(url)
    if target is None:
        return _html(label)
    return f'<a href="{html.escape(target, quote=True)}">{_html(label)}</a>'


def _source(source: Source) -> str:
    parts = [_link(source.title or source.url or "source", source.url)]
    if source.publisher:
        parts.append(_html(source.publisher))
    if source.date is not None:
        parts.append(_html(timeline.human_date(source.date)))
    return "<li>" + ", ".join(parts) + "</li>"


def _text(description: str, sources: Sequence[Source] = ()) -> str:
    """The Text column: the description as safe HTML, then the sources as a list."""
    body = timeline.markdown_to_html(description).strip() if description else ""
    if sources:
        body += "<p>Sources:</p><ul>" + "".join(_source(source) for source in sources) + "</ul>"
    return body


# --- dates -------------------------------------------------------------------


def tl_year(year: int) -> int:
    """An astronomical year as TimelineJS counts (no year 0): 0 is -1 (1 BCE), -43 is -44 (44 BCE)."""
    return year if year > 0 else year - 1


def _clock(date: Date) -> str:
    text = f"{date.hour:02d}:{date.minute or 0:02d}"
    if date.second is not None:
        text += f":{date.second:02d}"
    return text


def date_cells(date: Date | None) -> tuple[str, str, str, str]:
    """Year, Month, Day and Time cells: as much as the date knows, nothing invented."""
    if date is None:
        return ("", "", "", "")
    month = "" if date.month is None else str(date.month)
    day = "" if date.day is None else str(date.day)
    clock = "" if date.hour is None else _clock(date)
    return (str(tl_year(date.year)), month, day, clock)


def _instant(date: Date) -> tuple[int, ...]:
    """Where TimelineJS places a date: missing parts count as the start of the period."""
    return (
        tl_year(date.year),
        date.month or 1,
        date.day or 1,
        date.hour or 0,
        date.minute or 0,
        date.second or 0,
    )


def _end(start: Date, end: Date | None, ongoing: bool, updated: Date) -> Date | None:
    """The end to write: the end itself, or the data's revision date for something still going on.

    None when TimelineJS would place the end before the start (the end is
    written more coarsely, or the event began after the data was revised);
    Display Date still tells the whole span.
    """
    chosen = updated if ongoing else end
    if chosen is None or _instant(chosen) < _instant(start):
        return None
    return chosen


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _next_period(date: Date) -> Date:
    """The start of the year, month or day after the one ``date`` names (its time dropped)."""
    if date.month is None:
        return Date(date.year + 1)
    if date.day is None:
        return Date(date.year + 1, 1) if date.month == 12 else Date(date.year, date.month + 1)
    if date.day < _month_length(date.year, date.month):
        return Date(date.year, date.month, date.day + 1)
    return Date(date.year + 1, 1, 1) if date.month == 12 else Date(date.year, date.month + 1, 1)


def _era_end(era: Era, updated: Date) -> Date:
    """An era's end, strictly after its start: TimelineJS refuses an era without one."""
    end = _end(era.start, era.end, era.ongoing, updated)
    if end is None or _instant(end) <= _instant(era.start):
        end = _next_period(era.end if era.end is not None and not era.ongoing else era.start)
        if _instant(end) <= _instant(era.start):
            end = _next_period(era.start)
    return end


# --- rows ---------------------------------------------------------------------


def _row(
    start: Date | None,
    end: Date | None,
    *,
    display: str = "",
    headline: str = "",
    text: str = "",
    media: tuple[str, str, str] = ("", "", ""),
    kind: str = "",
    group: str = "",
) -> list[str]:
    """One row in COLUMNS order; every cell built from data is formula-neutralised."""
    data_cells = [display, headline, text, media[0], media[1], media[2], "", kind, group, ""]
    return [*date_cells(start), *date_cells(end), *(neutralise_formula(cell) for cell in data_cells)]


def title_row(story: Timeline) -> list[str]:
    """The title slide: Type "title", no date."""
    return _row(None, None, headline=_html(story.title), text=_text(story.description), kind="title")


def event_row(event: Event, updated: Date, *, sources: bool = True) -> list[str]:
    """One event as a slide row."""
    media = ("", "", "")
    if event.media is not None:
        url = _media_url(event.media.url)
        if url:
            media = (url, _html(event.media.credit or ""), _html(event.media.caption or ""))
    group = event.group.strip() if event.group else ""
    return _row(
        event.start,
        _end(event.start, event.end, event.ongoing, updated),
        display=_html_twice(timeline.human_span(event.start, event.end, ongoing=event.ongoing)),
        headline=_html(event.title),
        text=_text(event.description, event.sources if sources else ()),
        media=media,
        group=_html_twice(group),
    )


def era_row(era: Era, updated: Date) -> list[str]:
    """An era: Type "era", both ends given."""
    return _row(
        era.start,
        _era_end(era, updated),
        display=_html_twice(timeline.human_span(era.start, era.end, ongoing=era.ongoing)),
        headline=_html(era.title),
        text=_text(era.description),
        kind="era",
    )


def rows(story: Timeline, options: Mapping[str, Any]) -> Iterator[list[str]]:
    """Every row the options ask for: header, title slide, events, eras."""
    updated = timeline.data_timestamp(story)
    if options.get("header", True):
        yield list(COLUMNS)
    if options.get("title", True):
        yield title_row(story)
    with_sources = bool(options.get("sources", True))
    for event in timeline.iter_events(story):
        yield event_row(event, updated, sources=with_sources)
    if options.get("eras", True):
        for era in story.eras:
            yield era_row(era, updated)


class _Utf8Writer:
    """A text sink for :mod:`csv` that encodes straight into the binary stream."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.encode("utf-8"))


class CsvExporter:
    """Rows for TimelineJS's Google Sheets template."""

    name = "csv"
    extensions = (".csv",)
    media_type = "text/csv; charset=utf-8"
    description = "CSV in the column layout of TimelineJS's Google Sheets template"
    options = (
        Option("header", "Write the template's header row first (off: rows to paste under an existing header)",
               type="bool", default=True),
        Option("title", "Write the title slide row (Type: title)", type="bool", default=True),
        Option("eras", "Write one row per era (Type: era)", type="bool", default=True),
        Option("sources", "List each event's sources at the end of its Text", type="bool", default=True),
        Option("bom", "Start with a UTF-8 byte order mark, so Excel detects the encoding", type="bool",
               default=False),
    )

    def write(self, story: Timeline, stream: IO[bytes], options: Mapping[str, Any]) -> None:
        if options.get("bom", False):
            stream.write("\ufeff".encode())
        # RFC 4180: CRLF between records, quotes only where needed, "" inside quotes.
        writer = csv.writer(_Utf8Writer(stream), dialect="excel", lineterminator="\r\n")
        for row in rows(story, options):
            writer.writerow(row)


@timeline.hookimpl
def timeline_exporters() -> list[CsvExporter]:
    return [CsvExporter()]
