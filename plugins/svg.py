"""SVG: a picture of the whole timeline, drawn by our own code.

One self-contained file: a time axis, eras as bands, one lane per group,
each event as a point, a bar or a period with its label, a legend, the
title and the date range.  Every drawing rule is explained in
``docs/exporters/svg.md``; the checks that hold the picture to them
(strict XML, no overlapping text in Chromium, ...) are in
``tests/test_svg.py`` and ``tests/test_svg_browser.py``.

Safe to open anywhere: no script, no event handler, no ``foreignObject``,
no reference outside the file but the ``<a href>`` links to each event's
first source (filtered by :func:`timeline.safe_url`), and every piece of
text from the data escaped as XML.
"""

from __future__ import annotations

import bisect
import gc
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import IO, Any, NamedTuple
from urllib.parse import quote

import attrs

import timeline
from timeline import (
    Date,
    Event,
    ExportContext,
    Option,
    OptionError,
    Precision,
    Report,
    Timeline,
    TranslatedText,
    civil_from_days,
    days_from_civil,
    human_date,
    human_span,
    message,
    plural_message,
    safe_url,
    translated,
)
from timeline import as_of as timeline_as_of

from ._ongoing import warn_undated
from ._svg_text import clean, measure, wrap, xml_text

#: Fonts the SVG names, first to last; the layout uses the first two's metrics.
FONT_STACK = (
    "'Noto Sans', 'Noto Sans CJK KR', 'Noto Sans CJK JP', 'Noto Sans CJK SC', "
    "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
)
#: A gap between events longer than this share of the whole span is shortened to an axis break.
BREAK_SHARE = 0.25
#: ... unless what is left would be less than this share of the span.
BREAK_KEEP = 0.1
#: Above this many drawn events, the events without a label are counted in a density strip.
DENSITY_ABOVE = 5_000
#: Colour-blind-safe palette (Okabe and Ito), one colour per lane in turn; shape, not colour, tells styles apart.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00", "#7F7F7F")

_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_MARGIN = 24.0
_TITLE_SIZE = 24.0
_SUB_SIZE = 14.0
_LABEL_SIZE = 13.0
_DATE_SIZE = 11.0
_LANE_SIZE = 14.0
_ERA_SIZE = 12.0
_TICK_SIZE = 11.0
_LEGEND_SIZE = 12.0
_LABEL_WIDTH = 230.0
_ASCENT, _DESCENT = 1.069, 0.293  # Noto Sans hhea ascender and descender, in ems: the height of a text box
_MARK_H = 10.0
_GAP = 8.0
_UNIT = 2.0  # packing grid, in pixels
_BREAK_W = 26.0
_MARK_STRIP = 16.0
_DENSITY_H = 18.0
_DENSITY_BIN = 3.0
_MARK_BIN = 5.0

THEMES: dict[str, dict[str, str]] = {
    "light": {
        "bg": "#ffffff", "text": "#1a1a1a", "muted": "#555555", "grid": "#d9d9d9", "axis": "#333333",
        "era1": "#f3f3f3", "era2": "#e4e4e4", "break": "#fbfbfb", "lane": "#bbbbbb",
    },
    "dark": {
        "bg": "#111418", "text": "#f2f2f2", "muted": "#b8b8b8", "grid": "#3a3f45", "axis": "#d0d0d0",
        "era1": "#1b1f24", "era2": "#262b31", "break": "#15181c", "lane": "#555b62",
    },
}


#: Room for a renderer that rounds each glyph's advance to whole pixels (hinting), as Chromium on Linux does.
WIDTH_ALLOWANCE = 1.03


def _width(text: str, size: float, *, bold: bool = False) -> float:
    """The width a label is given: its measured advance, with the allowance, plus a pixel."""
    return measure(text, size, bold=bold) * WIDTH_ALLOWANCE + 1


def _wrap(text: str, limit: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` in lines each of whose :func:`_width` is at most ``limit``."""
    return wrap(text, (limit - 1) / WIDTH_ALLOWANCE, size, bold=bold)


def _n(value: float) -> str:
    """A coordinate, rounded to a hundredth, with no trailing zeros (the same text on every machine)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- time to position ------------------------------------------------------------


def _instant(date: Date, *, end: bool) -> float:
    """Where a date starts (or, with ``end``, stops) on the axis, in days since 1970 (UTC when the offset is known)."""
    if date.hour is not None:
        if date.offset is not None:
            y, mo, d, h, mi, s = date.utc_fields()
        else:
            y, mo, d = date.year, date.month or 1, date.day or 1
            h, mi, s = date.hour, date.minute or 0, date.second or 0
        return days_from_civil(y, mo, d) + (h * 3600 + mi * 60 + s) / 86400
    if date.day is not None:
        return float(days_from_civil(date.year, date.month or 1, date.day) + end)
    if date.month is not None:
        if not end:
            return float(days_from_civil(date.year, date.month, 1))
        following = (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)
        return float(days_from_civil(*following, 1))
    return float(days_from_civil(date.year + end, 1, 1))


# --- what is drawn ---------------------------------------------------------------


class _Item(NamedTuple):
    event: Event
    start: float
    stop: float
    kind: str  # point, span or period
    vague: bool  # approximate or uncertain
    ongoing: bool
    lane: int


def _item(event: Event, lane: int, as_of: Date | None) -> _Item:
    start = _instant(event.start, end=False)
    vague = event.start.approximate or event.start.uncertain
    coarse = event.start.precision < Precision.DAY
    if event.ongoing:
        stop = _instant(as_of, end=True) if as_of is not None else _instant(event.start, end=True)
        stop = max(stop, _instant(event.start, end=True))
        kind = "period" if coarse else "span"
    elif event.end is not None:
        stop = max(_instant(event.end, end=True), start)
        vague = vague or event.end.approximate or event.end.uncertain
        coarse = coarse or event.end.precision < Precision.DAY
        kind = "period" if coarse else "span"
    elif coarse:
        stop = _instant(event.start, end=True)
        kind = "period"
    else:
        if event.start.hour is None:
            start += 0.5  # a day's point sits at its noon
        stop = start
        kind = "point"
    return _Item(event, start, stop, kind, vague, event.ongoing, lane)


@attrs.frozen
class _Axis:
    """A piecewise-linear map from days to x: kept stretches side by side, each break ``_BREAK_W`` wide."""

    segments: tuple[tuple[float, float, float], ...]  # (first day, last day, x of first day)
    scale: float  # pixels per day
    breaks: tuple[tuple[float, float, float], ...]  # (last kept day before, first kept day after, x of the break)

    def x(self, day: float) -> float:
        starts = [s[0] for s in self.segments]
        index = max(0, bisect.bisect_right(starts, day) - 1)
        first, last, x0 = self.segments[index]
        if day <= last or index == len(self.segments) - 1:
            return x0 + (day - first) * self.scale
        # inside the break after segment ``index``
        nxt_first = self.segments[index + 1][0]
        share = (day - last) / (nxt_first - last)
        return x0 + (last - first) * self.scale + share * _BREAK_W

    def xs(self) -> Callable[[float], float]:
        """A fast x() for many calls."""
        starts = [s[0] for s in self.segments]
        segments = self.segments
        scale = self.scale
        count = len(segments)

        def x(day: float) -> float:
            index = bisect.bisect_right(starts, day) - 1
            if index < 0:
                index = 0
            first, last, x0 = segments[index]
            if day <= last or index == count - 1:
                return x0 + (day - first) * scale
            share = (day - last) / (segments[index + 1][0] - last)
            return x0 + (last - first) * scale + share * _BREAK_W

        return x


def _axis(spans: Sequence[tuple[float, float]], marks: Sequence[float], left: float, right: float,
          breaks: bool) -> _Axis:
    """The axis for events occupying ``spans`` (and era ends at ``marks``), drawn from ``left`` to ``right``."""
    points = sorted([*spans, *((m, m) for m in marks)])
    low = min(p[0] for p in points)
    high = max(p[1] for p in points)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.01
    low, high = low - pad, high + pad
    total = high - low
    kept: list[list[float]] = [[low, low]]
    for first, last in points:
        if breaks and first - kept[-1][1] > BREAK_SHARE * total:
            kept[-1][1] += pad
            kept.append([first - pad, last])
        else:
            kept[-1][1] = max(kept[-1][1], last)
    kept[-1][1] = high
    busy = sum(b - a for a, b in kept) - 2 * pad * len(kept)
    if len(kept) > 1 and busy < BREAK_KEEP * total:  # nearly all gap: breaks would draw padding
        kept = [[low, high]]
    length = sum(b - a for a, b in kept)
    width = right - left - _BREAK_W * (len(kept) - 1)
    scale = width / length
    segments = []
    x = left
    for a, b in kept:
        segments.append((a, b, x))
        x += (b - a) * scale + _BREAK_W
    gaps = tuple((kept[i][1], kept[i + 1][0], segments[i][2] + (kept[i][1] - kept[i][0]) * scale)
                 for i in range(len(kept) - 1))
    return _Axis(tuple(segments), scale, gaps)


# --- ticks -----------------------------------------------------------------------


def _year_steps() -> Iterator[int]:
    power = 1
    while power <= 10**10:
        for factor in (1, 2, 5):
            yield factor * power
        power *= 10


_SUB_YEAR = (  # (unit, step): months, days, hours, minutes
    ("month", 6), ("month", 3), ("month", 1), ("day", 15), ("day", 5), ("day", 2), ("day", 1),
    ("hour", 12), ("hour", 6), ("hour", 3), ("hour", 1), ("minute", 30), ("minute", 15), ("minute", 5),
    ("minute", 1),
)
_STEP_DAYS = {"year": 365.2425, "month": 30.44, "day": 1.0, "hour": 1 / 24, "minute": 1 / 1440}


def _ticks_in(unit: str, step: int, first: float, last: float) -> list[tuple[float, Date]]:
    """Tick days and dates of one unit and step between two days."""
    out: list[tuple[float, Date]] = []
    y0 = civil_from_days(math.floor(first))[0]
    y1 = civil_from_days(math.floor(last))[0] + 1
    if unit == "year":
        # ticks sit on years whose written number is a multiple of the step; there is no year 0
        years = [k * step for k in range(max(1, math.ceil(y0 / step)), y1 // step + 1)]
        bce = [1 - k * step for k in range(max(1, math.ceil((1 - y1) / step)), (1 - y0) // step + 1)]
        for year in sorted(bce + years):
            day = float(days_from_civil(year, 1, 1))
            if first <= day <= last:
                out.append((day, Date(year)))
        return out
    if unit == "month":
        for year in range(y0, y1 + 1):
            for month in range(1, 13, step):
                day = float(days_from_civil(year, month, 1))
                if first <= day <= last:
                    out.append((day, Date(year, month)))
        return out
    start = math.floor(first)
    for whole in range(start, math.floor(last) + 1):
        y, m, d = civil_from_days(whole)
        if unit == "day":
            if (d - 1) % step == 0 and d <= 31 - step // 2 and first <= whole <= last:
                out.append((float(whole), Date(y, m, d)))
            continue
        per_day = 24 if unit == "hour" else 1440
        for k in range(0, per_day, step):
            day = whole + k / per_day
            if first <= day <= last:
                hour, minute = (k, 0) if unit == "hour" else divmod(k, 60)
                out.append((day, Date(y, m, d, hour, minute, offset=0)))
    return out


def _tick_label(unit: str, date: Date, locale: str) -> str:
    if unit in ("hour", "minute"):
        assert date.hour is not None
        clock = f"{date.hour:02d}:{date.minute or 0:02d}"
        return clock if (date.hour, date.minute) != (0, 0) else human_date(Date(date.year, date.month, date.day),
                                                                            locale=locale)
    return human_date(date, locale=locale)


def _ticks(axis: _Axis, locale: str, width: float) -> list[tuple[float, str]]:
    """Ticks with labels, the finest step whose labels do not collide."""
    candidates = [(unit, step) for unit, step in reversed(_SUB_YEAR)]
    candidates += [("year", step) for step in _year_steps()]
    for unit, step in candidates:
        spacing = step * _STEP_DAYS[unit] * axis.scale
        if spacing < 36:
            continue
        if unit in ("hour", "minute", "day") and spacing * 0 > 0:
            continue
        ticks: list[tuple[float, str]] = []
        for first, last, _x in axis.segments:
            expected = (last - first) / (step * _STEP_DAYS[unit])
            if expected > 400:
                break
            ticks.extend((axis.x(day), _tick_label(unit, date, locale)) for day, date in _ticks_in(unit, step, first,
                                                                                                   last))
        else:
            if _fits(ticks, width):
                return ticks
    return []


def _fits(ticks: list[tuple[float, str]], width: float) -> bool:
    previous_right = -math.inf
    for x, label in ticks:
        half = _width(label, _TICK_SIZE) / 2
        if x - half < previous_right + 10:
            return False
        previous_right = x + half
    return len(ticks) >= 2 or width < 200


# --- labels and packing ----------------------------------------------------------


@attrs.frozen
class _Label:
    title: tuple[str, ...]
    date: tuple[str, ...]
    width: float
    height: float


def _label(title: str, date: str) -> _Label:
    lines = tuple(wrap(title, _LABEL_WIDTH, _LABEL_SIZE))
    dates = tuple(wrap(date, _LABEL_WIDTH, _DATE_SIZE))
    width = max([_width(line, _LABEL_SIZE) for line in lines] + [_width(line, _DATE_SIZE) for line in dates])
    height = len(lines) * (_ASCENT + _DESCENT) * _LABEL_SIZE + len(dates) * (_ASCENT + _DESCENT) * _DATE_SIZE
    return _Label(lines, dates, width, height)


class _Skyline:
    """Rows of ``_UNIT`` pixels, each remembering how far right it is taken; boxes come in order of their left edge."""

    def __init__(self) -> None:
        self.ends: list[float] = []

    def place(self, left: float, right: float, height: float) -> int:
        """The first row where a box ``height`` tall fits at ``left``; the box then takes those rows up to ``right``."""
        units = max(1, math.ceil(height / _UNIT))
        ends = self.ends
        row = 0
        while True:
            clash = -1
            for r in range(row, min(row + units, len(ends))):
                if ends[r] + _GAP > left:
                    clash = r
            if clash < 0:
                break
            row = clash + 1
        while len(ends) < row + units:
            ends.append(-math.inf)
        for r in range(row, row + units):
            ends[r] = right
        return row

    @property
    def height(self) -> float:
        return len(self.ends) * _UNIT


def _labelled(items: Sequence[_Item], budget: int, x_of: Callable[[float], float]) -> set[str]:
    """Which events get a label when not all can, by a stated rule (``docs/exporters/svg.md``).

    Most sources first; among events with as many sources, the picture is
    cut into columns ``_LABEL_WIDTH`` pixels wide and the columns take turns,
    each giving its earliest event not yet chosen, so the labels spread over
    the whole span instead of piling up at its start.  ``items`` come in the
    timeline's order (by start; on the same start, as the data orders them,
    then by id), which breaks the remaining ties.
    """
    if len(items) <= budget:
        return {item.event.id for item in items}
    turns: dict[tuple[int, int], int] = {}
    keyed = []
    for index, item in enumerate(items):
        sources = len(item.event.sources)
        column = int(x_of(item.start) // _LABEL_WIDTH)
        turn = turns.get((sources, column), 0)
        turns[(sources, column)] = turn + 1
        keyed.append((-sources, turn, index))
    keyed.sort()
    return {items[index].event.id for _sources, _turn, index in keyed[:budget]}


# --- the exporter ----------------------------------------------------------------


class _Svg:
    """Collects the elements of the picture as text, in drawing order."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def text(self, x: float, y: float, content: str, cls: str, anchor: str = "start") -> None:
        extra = "" if anchor == "start" else f' text-anchor="{anchor}"'
        self.add(f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}"{extra}>{xml_text(content)}</text>')


def _lane_names(events: Sequence[Event]) -> list[str | None]:
    """Lanes in order of their first event; ungrouped events last, in a lane of their own."""
    seen: dict[str | None, None] = {}
    for event in events:
        if event.group is not None:
            seen.setdefault(event.group, None)
    names: list[str | None] = list(seen)
    if any(event.group is None for event in events):
        names.append(None)
    return names


def _chosen_lanes(option: str, names: list[str | None]) -> set[str | None] | None:
    if not option.strip():
        return None
    wanted = {part.strip() for part in option.split(",") if part.strip()}
    known = {name for name in names if name is not None}
    unknown = sorted(wanted - known - {"-"})
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise OptionError(f"option 'lanes': no group called {', '.join(map(repr, unknown))} (the groups: {listed}; "
                          f"'-' is the lane of ungrouped events)")
    chosen: set[str | None] = {name for name in wanted if name != "-"}
    if "-" in wanted:
        chosen.add(None)
    return chosen


class SvgExporter:
    name = "svg"
    extensions = (".svg",)
    media_type = "image/svg+xml"
    description = "A picture of the timeline (SVG): axis, eras, lanes by group, labelled events, legend"
    options = (
        Option("width", "Width of the picture in pixels", type="int", default=1600, minimum=480, maximum=20000),
        Option("theme", "Colours: light or dark (both readable in greyscale)", choices=("light", "dark"),
               default="light"),
        Option("lanes", "Only these groups, comma-separated ('-' for ungrouped events); empty for all", default=""),
        Option("links", "Link each labelled event to its first source", type="bool", default=True),
        Option("axis_breaks", "Shorten long stretches without events to an axis break", type="bool", default=True),
        Option("labels", "Label at most this many events; the rest are drawn as marks", type="int", default=300,
               minimum=0, maximum=5000),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else Report()
        locale = context.locale if context is not None else "en"
        # Drawing makes a few small objects per event and no cycles; with a big timeline loaded,
        # the collector's full passes over it would take as long as the drawing itself.
        collecting = gc.isenabled()
        gc.disable()
        try:
            text = draw(timeline, options, report, locale)
        finally:
            if collecting:
                gc.enable()
        stream.write(text.encode("utf-8"))


def _title_counter(report: Report, locale: str) -> Callable[[Any], TranslatedText]:
    """Look titles up in ``locale`` and tell ``report`` which are shown in the original."""

    def texts(item: Any) -> TranslatedText:
        shown = translated(item, locale)
        if locale != "en":
            report.translation(item, "title", shown.title_translated)
        return shown

    return texts


def draw(tl: Timeline, options: Mapping[str, Any], report: Report, locale: str = "en",
         format_name: str = "svg", min_height: int = 0,
         texts: Callable[[Any], TranslatedText] | None = None, notes: Mapping[str, int] | None = None) -> str:
    """The SVG document for ``tl``, at least ``min_height`` tall (``format_name`` is the exporter's, for warnings).

    ``texts`` gives the title to show of the timeline, an era or an event;
    by default the data's translation into ``locale`` where it has one, each
    title shown in the original counted in ``report`` (descriptions are not
    drawn, so they are not looked up).  ``notes`` maps event ids to note
    numbers: a labelled event's date line then ends with its number, ``[3]``
    (the PDF's numbered sources).
    """
    if texts is None:
        texts = _title_counter(report, locale)
    width = float(options.get("width", 1600))
    theme = THEMES[options.get("theme", "light")]
    with_links = bool(options.get("links", True))
    budget = int(options.get("labels", 300))
    names = _lane_names(tl.events)
    chosen = _chosen_lanes(str(options.get("lanes", "")), names)
    if chosen is not None:
        names = [name for name in names if name in chosen]
    lane_of = {name: index for index, name in enumerate(names)}
    as_of = timeline_as_of(tl)
    events: list[Event] = []
    for event in tl.events:
        if event.group in lane_of:
            events.append(event)
        else:
            report.skipped(event, "its group is not among the chosen lanes")
    undated = [e.id for e in events if e.ongoing] + [era.title for era in tl.eras if era.ongoing]
    if as_of is None and undated:
        warn_undated(format_name, undated, stacklevel=4)
    items = [_item(event, lane_of[event.group], as_of) for event in events]

    left, right = _MARGIN, width - _MARGIN
    era_spans = []
    for era in tl.eras:
        a = _instant(era.start, end=False)
        if era.ongoing:
            b = _instant(as_of, end=True) if as_of is not None else a
            b = max(b, _instant(era.start, end=True))
        elif era.end is not None:
            b = _instant(era.end, end=True)
        else:
            b = _instant(era.start, end=True)
        era_spans.append((era, a, max(a, b)))
    spans = [(item.start, item.stop) for item in items]
    era_marks = [p for _era, a, b in era_spans for p in (a, b)]
    svg = _Svg()
    body = _Svg()
    y = _MARGIN
    # title and date range
    shown_title = texts(tl).title
    title_lines = _wrap(shown_title, width - 2 * _MARGIN, _TITLE_SIZE, bold=True)
    for line in title_lines:
        y += _ASCENT * _TITLE_SIZE
        body.text(left, y, line, "title")
        y += _DESCENT * _TITLE_SIZE
    summary = _summary(tl, events, locale)
    for line in _wrap(summary, width - 2 * _MARGIN, _SUB_SIZE):
        y += _ASCENT * _SUB_SIZE + 2
        body.text(left, y, line, "sub")
        y += _DESCENT * _SUB_SIZE
    y += 14
    if not spans and not era_marks:
        return _document(shown_title, width, max(y + _MARGIN, min_height), theme, body, summary, locale)

    axis = _axis(spans or [(m, m) for m in era_marks], era_marks, left + 4, right - 4,
                 bool(options.get("axis_breaks", True)))
    x_of = axis.xs()
    plot_top = y
    used: set[str] = set()

    # era labels, packed above the lanes
    era_sky = _Skyline()
    era_rows = []
    for index, (era, a, b) in enumerate(era_spans):
        xa, xb = x_of(a), x_of(b)
        lines = _wrap(texts(era).title, max(_LABEL_WIDTH, xb - xa - 8), _ERA_SIZE, bold=True)
        w = max(_width(line, _ERA_SIZE, bold=True) for line in lines)
        h = len(lines) * (_ASCENT + _DESCENT) * _ERA_SIZE
        lx = min(max(xa + 4, left), right - w)
        era_rows.append((index, era, xa, xb, lines, lx, w, h))
    era_rows.sort(key=lambda row: (row[5], row[0]))
    era_boxes = []
    for index, era, xa, xb, lines, lx, w, h in era_rows:
        row = era_sky.place(lx, lx + w, h)
        era_boxes.append((index, era, xa, xb, lines, lx, row))
    era_head = era_sky.height + (6 if era_rows else 0)
    y += era_head
    lanes_top = y

    # which events get a label
    labelled_ids = _labelled(items, budget, x_of)
    dense = len(items) > DENSITY_ABOVE
    unlabelled_count = len(items) - len(labelled_ids)

    lane_blocks = []
    by_lane: list[list[_Item]] = [[] for _name in names]
    for item in items:
        by_lane[item.lane].append(item)
    for index, name in enumerate(names):
        lane_items = by_lane[index]
        header = name if name is not None else message("label", "Ungrouped", locale)
        marks = [item for item in lane_items if item.event.id not in labelled_ids]
        if marks:
            header = f"{header} · " + plural_message(
                "svg", "{count} more as a mark", "{count} more as marks", len(marks), locale
            ).format(count=_count(len(marks), locale))
        header_lines = _wrap(header, width - 2 * _MARGIN, _LANE_SIZE, bold=True)
        top = y
        y += len(header_lines) * (_ASCENT + _DESCENT) * _LANE_SIZE + 4
        strip_top = y
        if marks:
            y += _DENSITY_H if dense else _MARK_STRIP
        sky = _Skyline()
        placed = []
        boxes = []
        for item in lane_items:
            if item.event.id not in labelled_ids:
                continue
            event = item.event
            date_text = human_span(event.start, event.end, ongoing=event.ongoing, locale=locale)
            if notes and event.id in notes:
                date_text = f"{date_text} [{notes[event.id]}]"
            label = _label(texts(event).title, date_text)
            x0 = x_of(item.start)
            x1 = max(x_of(item.stop), x0)
            if item.kind == "point":
                x0, x1 = x0 - _MARK_H / 2, x0 + _MARK_H / 2
            elif x1 - x0 < 3:
                mid = (x0 + x1) / 2
                x0, x1 = mid - 1.5, mid + 1.5
            if item.ongoing:
                x1 += 8
            lx = min(max(x0, left), right - label.width)
            box_left = min(x0, lx)
            box_right = max(x1, lx + label.width)
            boxes.append((box_left, event.id, item, label, x0, x1, lx, box_right))
        boxes.sort(key=lambda b: (b[0], b[1]))
        for box_left, _id, item, label, x0, x1, lx, box_right in boxes:
            row = sky.place(box_left, box_right, _MARK_H + 3 + label.height)
            placed.append((item, label, x0, x1, lx, row))
        y += sky.height + 10
        lane_blocks.append((index, name, header_lines, top, strip_top, marks, placed, y))
        y += 4
    lanes_bottom = y
    axis_y = y + 6
    y = axis_y

    # eras: bands behind everything
    for index, era, xa, xb, _lines, _lx, _row in sorted(era_boxes, key=lambda b: b[0]):
        fill = "era1" if index % 2 == 0 else "era2"
        svg.add(f'<rect x="{_n(xa)}" y="{_n(plot_top)}" width="{_n(max(xb - xa, 1))}" '
                f'height="{_n(axis_y - plot_top)}" class="{fill}"/>')
        used.add("era")
        if era.ongoing:
            used.add("ongoing")
    # axis breaks: a pale band across the lanes, and a zigzag on the axis
    for _last, _first, bx in axis.breaks:
        svg.add(f'<rect x="{_n(bx)}" y="{_n(plot_top)}" width="{_n(_BREAK_W)}" height="{_n(axis_y - plot_top)}" '
                f'class="brk"/>')
        used.add("break")
    # grid lines at ticks
    ticks = _ticks(axis, locale, width)
    for tx, _label_text in ticks:
        svg.add(f'<line x1="{_n(tx)}" y1="{_n(lanes_top)}" x2="{_n(tx)}" y2="{_n(axis_y)}" class="grid"/>')
    # era titles
    for _index, _era, _xa, _xb, lines, lx, row in era_boxes:
        ty = plot_top + row * _UNIT
        svg.add(_multiline(lx, ty, lines, _ERA_SIZE, "era"))
    # lanes
    for index, name, header_lines, top, strip_top, marks, placed, bottom in lane_blocks:
        colour = PALETTE[index % len(PALETTE)]
        if index:
            svg.add(f'<line x1="{_n(left)}" y1="{_n(top - 2)}" x2="{_n(right)}" y2="{_n(top - 2)}" class="lane"/>')
        svg.add(_multiline(left, top + 2, header_lines, _LANE_SIZE, "lh"))
        if marks:
            if dense:
                svg.add(_density(marks, x_of, strip_top, colour, locale))
                used.add("density")
                for item in marks:
                    report.approximated(item.event, "title", "counted in a density strip, not drawn one by one")
            else:
                svg.add(_mark_strip(marks, x_of, strip_top, colour))
                used.add("marks")
                for item in marks:
                    report.approximated(item.event, "title", f"drawn as a mark without a label (at most "
                                        f"{budget} labels)")
        group_parts = []
        base = strip_top + ((_DENSITY_H if dense else _MARK_STRIP) if marks else 0)
        for item, label, x0, x1, lx, row in placed:
            top_y = base + row * _UNIT
            group_parts.append(_mark(item, x0, x1, top_y, colour, used))
            group_parts.append(_event_label(item.event, label, lx, top_y + _MARK_H + 3, with_links))
        svg.add("".join(group_parts))
        del name, bottom
    for item in items:
        report.wrote(item.event)
        if item.ongoing:
            if as_of is None:
                report.approximated(item.event, "end", "ongoing, with no date it is known to be ongoing at: "
                                    "drawn to the end of its start")
            elif _instant(as_of, end=True) < _instant(item.event.start, end=True):
                report.approximated(item.event, "end", "ongoing, starting after the data's last update")

    # the axis
    svg.add(f'<line x1="{_n(left)}" y1="{_n(axis_y)}" x2="{_n(right)}" y2="{_n(axis_y)}" class="axis"/>')
    for tx, label_text in ticks:
        svg.add(f'<line x1="{_n(tx)}" y1="{_n(axis_y)}" x2="{_n(tx)}" y2="{_n(axis_y + 5)}" class="axis"/>')
        half = _width(label_text, _TICK_SIZE) / 2
        cx = min(max(tx, left + half), right - half)
        svg.text(cx, axis_y + 8 + _ASCENT * _TICK_SIZE, label_text, "tick", "middle")
    for _last, _first, bx in axis.breaks:
        zig = " ".join(f"{_n(bx + dx)},{_n(axis_y + dy)}" for dx, dy in ((4, -6), (10, 6), (16, -6), (22, 6)))
        svg.add(f'<rect x="{_n(bx + 1)}" y="{_n(axis_y - 7)}" width="{_n(_BREAK_W - 2)}" height="14" class="bg"/>')
        svg.add(f'<polyline points="{zig}" class="zig"/>')
    y = axis_y + 8 + (_ASCENT + _DESCENT) * _TICK_SIZE + 18
    if any(item.vague for item in items):
        used.add("vague")
    y = _legend(svg, used, left, right, y, as_of, locale)
    body.parts.extend(svg.parts)
    del lanes_bottom, unlabelled_count
    return _document(shown_title, width, max(y + _MARGIN, min_height), theme, body, summary, locale)


def _count(number: int, locale: str) -> str:
    return f"{number:,}" if locale == "en" else str(number)


def _summary(tl: Timeline, events: Sequence[Event], locale: str) -> str:
    count = len(events)
    if not count:
        return plural_message("summary", "{count} event", "{count} events", 0, locale).format(count=0)
    text = plural_message("summary", "{count} event", "{count} events", count, locale).format(
        count=_count(count, locale))
    first = events[0].start
    last = max(events, key=lambda e: (e.end or e.start).sort_key())
    last_date = last.end or last.start
    span = human_span(first, last_date, locale=locale) if last_date != first else human_date(first, locale=locale)
    parts = [f"{text}, {span}"]
    if tl.updated is not None:
        updated = human_date(tl.updated, locale=locale)
        parts.append(message("summary", "Last updated {date}", locale).format(date=updated))
    return " · ".join(parts)


def _multiline(x: float, top: float, lines: Sequence[str], size: float, cls: str) -> str:
    """One ``<text>`` with a ``<tspan>`` per line, its box starting at ``top``."""
    step = (_ASCENT + _DESCENT) * size
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + _ASCENT * size + i * step)}">{xml_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{cls}">{spans}</text>'


def _event_label(event: Event, label: _Label, x: float, top: float, with_links: bool) -> str:
    title_step = (_ASCENT + _DESCENT) * _LABEL_SIZE
    date_step = (_ASCENT + _DESCENT) * _DATE_SIZE
    spans = []
    for i, line in enumerate(label.title):
        spans.append(f'<tspan x="{_n(x)}" y="{_n(top + _ASCENT * _LABEL_SIZE + i * title_step)}">'
                     f"{xml_text(line)}</tspan>")
    date_top = top + len(label.title) * title_step
    for i, line in enumerate(label.date):
        spans.append(f'<tspan x="{_n(x)}" y="{_n(date_top + _ASCENT * _DATE_SIZE + i * date_step)}" class="d">'
                     f"{xml_text(line)}</tspan>")
    text = f'<text class="lbl" data-event="{xml_text(event.id, quote=True)}">{"".join(spans)}</text>'
    url = _link(event) if with_links else None
    if url is not None:
        return f'<a href="{xml_text(url, quote=True)}">{text}</a>'
    return text


def _link(event: Event) -> str | None:
    for source in event.sources[:1]:
        target = safe_url(source.url)
        if target is not None:
            return quote(target, safe=_URL_SAFE)
    return None


def _mark(item: _Item, x0: float, x1: float, top: float, colour: str, used: set[str]) -> str:
    dash = ' stroke-dasharray="3 2"' if item.vague else ""
    mid = top + _MARK_H / 2
    if item.kind == "point":
        used.add("point")
        fill = "none" if item.vague else colour
        return (f'<circle cx="{_n((x0 + x1) / 2)}" cy="{_n(mid)}" r="{_n(_MARK_H / 2 - 1)}" fill="{fill}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>')
    right = x1 - 8 if item.ongoing else x1
    parts = []
    if item.kind == "period":
        used.add("period")
        parts.append(f'<rect x="{_n(x0)}" y="{_n(top + 1)}" width="{_n(max(right - x0, 1))}" '
                     f'height="{_n(_MARK_H - 2)}" fill="{colour}" fill-opacity="0.25" stroke="{colour}" '
                     f'stroke-width="1.5"{dash}/>')
    else:
        used.add("span")
        fill = 'fill="none"' if item.vague else f'fill="{colour}"'
        parts.append(f'<rect x="{_n(x0)}" y="{_n(top + 2)}" width="{_n(max(right - x0, 1))}" '
                     f'height="{_n(_MARK_H - 4)}" {fill} stroke="{colour}" stroke-width="1.5"{dash}/>')
    if item.ongoing:
        used.add("ongoing")
        tip = f"{_n(right)},{_n(top)} {_n(right + 8)},{_n(mid)} {_n(right)},{_n(top + _MARK_H)}"
        parts.append(f'<polygon points="{tip}" fill="{colour}"/>')
    return "".join(parts)


def _bins(items: Sequence[_Item], x_of: Callable[[float], float], size: float) -> dict[int, int]:
    bins: dict[int, int] = {}
    for item in items:
        key = int(x_of(item.start) // size)
        bins[key] = bins.get(key, 0) + 1
    return bins


def _mark_strip(items: Sequence[_Item], x_of: Callable[[float], float], top: float, colour: str) -> str:
    """Each unlabelled event as a tick; a column holding more is taller (1, 2-3, 4-9, 10 or more)."""
    parts = []
    for key, count in sorted(_bins(items, x_of, _MARK_BIN).items()):
        level = 1 if count == 1 else 2 if count < 4 else 3 if count < 10 else 4
        height = 3 * level
        x = key * _MARK_BIN + _MARK_BIN / 2
        parts.append(f"M{_n(x)} {_n(top + _MARK_STRIP - 2)}v-{_n(height)}")
    return f'<path d="{"".join(parts)}" stroke="{colour}" stroke-width="2" fill="none" class="mk"/>'


def _density(items: Sequence[_Item], x_of: Callable[[float], float], top: float, colour: str, locale: str) -> str:
    """Events counted in columns ``_DENSITY_BIN`` pixels wide; the fuller a column, the more opaque."""
    bins = _bins(items, x_of, _DENSITY_BIN)
    most = max(bins.values())
    steps: dict[int, list[str]] = {}
    for key, count in sorted(bins.items()):
        level = min(5, 1 + int(5 * math.log1p(count) / math.log1p(most))) if most > 1 else 5
        steps.setdefault(level, []).append(
            f"M{_n(key * _DENSITY_BIN)} {_n(top)}h{_n(_DENSITY_BIN)}v{_n(_DENSITY_H - 4)}h-{_n(_DENSITY_BIN)}z")
    return "".join(
        f'<path d="{"".join(paths)}" fill="{colour}" fill-opacity="{level / 5:.1f}"/>'
        for level, paths in sorted(steps.items())
    )


_LEGEND = (
    ("point", "a day or a moment"),
    ("span", "a span of days or times"),
    ("period", "known only to the month or year: the whole period"),
    ("vague", "approximate or uncertain (dashed)"),
    ("ongoing", "ongoing: drawn to {date}"),
    ("era", "eras: shaded bands"),
    ("break", "axis break: a long stretch without events, shortened"),
    ("marks", "events without a label: ticks, taller where there are more"),
    ("density", "events without a label: the darker, the more events"),
)


def _legend(svg: _Svg, used: set[str], left: float, right: float, y: float, as_of: Date | None,
            locale: str) -> float:
    """The legend, one swatch and phrase for each style the picture uses; returns the bottom."""
    x = left
    row_h = (_ASCENT + _DESCENT) * _LEGEND_SIZE + 6
    y0 = y
    colour = "#7F7F7F"
    for key, text in _LEGEND:
        if key not in used:
            continue
        if key == "ongoing":
            when = human_date(as_of, locale=locale) if as_of is not None else message("svg", "the end of its start",
                                                                                       locale)
            phrase = message("svg", text, locale).format(date=when)
        else:
            phrase = message("svg", text, locale)
        phrase = clean(phrase)
        w = 28 + _width(phrase, _LEGEND_SIZE) + 18
        if x + w > right and x > left:
            x = left
            y += row_h
        mid = y + row_h / 2 - 3
        svg.add(_swatch(key, x, mid, colour))
        svg.text(x + 28, mid - (_ASCENT + _DESCENT) * _LEGEND_SIZE / 2 + _ASCENT * _LEGEND_SIZE, phrase, "lg")
        x += w
    del y0
    return y + row_h


def _swatch(key: str, x: float, mid: float, colour: str) -> str:
    top = mid - _MARK_H / 2
    if key == "point":
        return f'<circle cx="{_n(x + 10)}" cy="{_n(mid)}" r="4" fill="{colour}" stroke="{colour}" stroke-width="2"/>'
    if key == "span":
        return f'<rect x="{_n(x)}" y="{_n(top + 2)}" width="20" height="6" fill="{colour}"/>'
    if key == "period":
        return (f'<rect x="{_n(x)}" y="{_n(top + 1)}" width="20" height="8" fill="{colour}" fill-opacity="0.25" '
                f'stroke="{colour}" stroke-width="1.5"/>')
    if key == "vague":
        return (f'<rect x="{_n(x)}" y="{_n(top + 2)}" width="20" height="6" fill="none" stroke="{colour}" '
                f'stroke-width="1.5" stroke-dasharray="3 2"/>')
    if key == "ongoing":
        return (f'<rect x="{_n(x)}" y="{_n(top + 2)}" width="12" height="6" fill="{colour}"/>'
                f'<polygon points="{_n(x + 12)},{_n(top)} {_n(x + 20)},{_n(mid)} {_n(x + 12)},{_n(top + _MARK_H)}" '
                f'fill="{colour}"/>')
    if key == "era":
        return f'<rect x="{_n(x)}" y="{_n(top - 2)}" width="20" height="14" class="era2"/>'
    if key == "break":
        zig = " ".join(f"{_n(x + dx)},{_n(mid + dy)}" for dx, dy in ((1, -5), (7, 5), (13, -5), (19, 5)))
        return f'<polyline points="{zig}" class="zig"/>'
    if key == "marks":
        ticks = "".join(f"M{_n(x + dx)} {_n(mid + 5)}v-{h}" for dx, h in ((4, 4), (10, 8), (16, 10)))
        return f'<path d="{ticks}" stroke="{colour}" stroke-width="2"/>'
    return (f'<rect x="{_n(x)}" y="{_n(top)}" width="7" height="10" fill="{colour}" fill-opacity="0.2"/>'
            f'<rect x="{_n(x + 7)}" y="{_n(top)}" width="7" height="10" fill="{colour}" fill-opacity="0.6"/>'
            f'<rect x="{_n(x + 14)}" y="{_n(top)}" width="7" height="10" fill="{colour}"/>')


def _document(title: str, width: float, height: float, theme: Mapping[str, str], body: _Svg, summary: str,
              locale: str) -> str:
    height = math.ceil(height)
    style = (
        f"text{{fill:{theme['text']}}}"
        ".title{font-size:24px;font-weight:700}"
        f".sub{{font-size:14px;fill:{theme['muted']}}}"
        ".lbl{font-size:13px}"
        f".d{{font-size:11px;fill:{theme['muted']}}}"
        ".lh{font-size:14px;font-weight:700}"
        f".era{{font-size:12px;font-weight:700;fill:{theme['muted']}}}"
        f".tick{{font-size:11px;fill:{theme['muted']}}}"
        ".lg{font-size:12px}"
        f".era1{{fill:{theme['era1']}}}.era2{{fill:{theme['era2']}}}"
        f".brk{{fill:{theme['break']}}}.bg{{fill:{theme['bg']}}}"
        f".grid{{stroke:{theme['grid']};stroke-width:1}}"
        f".lane{{stroke:{theme['lane']};stroke-width:1}}"
        f".axis{{stroke:{theme['axis']};stroke-width:1.5}}"
        f".zig{{fill:none;stroke:{theme['axis']};stroke-width:1.5}}"
        "a text{text-decoration:underline}"
    )
    lang = xml_text(locale.replace("_", "-"), quote=True)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{height}" '
        f'viewBox="0 0 {_n(width)} {height}" role="img" aria-labelledby="svg-title svg-desc" lang="{lang}" '
        f'font-family="{FONT_STACK}">\n'
        f'<title id="svg-title">{xml_text(title)}</title>\n'
        f'<desc id="svg-desc">{xml_text(summary)}</desc>\n'
        f"<style>{style}</style>\n"
        f'<rect width="100%" height="100%" class="bg"/>\n'
    )
    return head + "\n".join(body.parts) + "\n</svg>\n"


@timeline.hookimpl
def timeline_exporters() -> list[SvgExporter]:
    return [SvgExporter()]

