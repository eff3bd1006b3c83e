"""PDF: the SVG picture on A4 or Letter pages, with the sources as numbered notes (extra ``[pictures]``).

The drawing is the ``svg`` exporter's (:func:`.svg.draw`), drawn as wide
as the page's printable width at 1 px = 0.75 pt (so 13 px labels print at
about 10 pt) and cut into pages between rows of labels, with the time axis
repeated at the foot of every page.  Each event with sources gets a number,
shown after its date in the picture (``[3]``); the notes after the picture
list the sources under those numbers, with their URLs printed and linked.

fpdf2 (pure Python) writes the file: text stays text, set in subsets of
the Noto fonts the layout was measured with (Noto Sans, and Noto Sans CJK
KR for what Noto Sans lacks, such as Hangul), embedded so every viewer
shows the same.  The metadata dates are the timeline's
:func:`timeline.data_timestamp`, never the clock, and the document ID is a
hash of the content, so the same input gives the same bytes.  The only
actions in the file are URI links, to URLs :func:`timeline.safe_url`
accepts.  ``docs/exporters/pdf.md`` explains the choices and their figures.
"""

from __future__ import annotations

import datetime
import gc
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

import timeline
from timeline import (
    Event,
    ExportContext,
    ExportError,
    Option,
    Report,
    Timeline,
    data_timestamp,
    human_date,
    human_span,
    message,
    safe_url,
    translated,
)

from .svg import SvgExporter, _chosen_lanes, _lane_names, draw

if TYPE_CHECKING:  # pragma: no cover
    from xml.etree.ElementTree import Element

    from fpdf import FPDF

EXTRA = 'pip install "timeline-events[pictures]"'
_NOTO = "/usr/share/fonts/truetype/noto/"
_CJK = "/usr/share/fonts/opentype/noto/"
#: The fonts embedded (Debian's fonts-noto-core and fonts-noto-cjk): (family, style) -> file.
FONT_FILES: dict[tuple[str, str], str] = {
    ("noto", ""): _NOTO + "NotoSans-Regular.ttf",
    ("noto", "B"): _NOTO + "NotoSans-Bold.ttf",
    ("notocjk", ""): _CJK + "NotoSansCJK-Regular.ttc",
    ("notocjk", "B"): _CJK + "NotoSansCJK-Bold.ttc",
}
#: Noto Sans CJK KR in Debian's collections (JP, KR, SC, TC, HK, then the Mono ones), the face the SVG names first.
CJK_FACE = 1
#: Landscape pages, in points.
PAPERS = {"a4": (841.89, 595.28), "letter": (792.0, 612.0)}
MARGIN = 36.0  # half an inch
PX = 0.75  # points per SVG pixel, CSS's ratio
FOOT = 14.0  # the page number's line, in points
_AXIS_ROOM = 40.0  # pixels kept at a page's foot for the repeated axis
_ASCENT, _DESCENT = 1.069, 0.293
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_NUMBER = re.compile(r"-?[0-9.]+")
_PATH = re.compile(r"([MmVvHhLlZz])([^MmVvHhLlZz]*)")
_SVG = "{http://www.w3.org/2000/svg}"


def _need_fpdf() -> type[FPDF]:
    try:
        from fpdf import FPDF
    except ImportError:
        raise ExportError(f"pdf: writing PDF needs fpdf2, an optional extra: {EXTRA}") from None
    missing = [path for path in dict.fromkeys(FONT_FILES.values()) if not Path(path).exists()]
    if missing:
        raise ExportError(f"pdf: the fonts the PDF embeds are missing: {', '.join(missing)} "
                          "(apt-get install fonts-noto-core fonts-noto-cjk)")
    return FPDF


class PdfExporter:
    name = "pdf"
    extensions = (".pdf",)
    media_type = "application/pdf"
    description = "The SVG picture on A4 or Letter pages, with the sources as numbered notes (needs [pictures])"
    options = (
        *(option for option in SvgExporter.options if option.name != "width"),
        Option("paper", "Paper size, landscape: a4 (842x595 pt) or letter (792x612 pt)", choices=("a4", "letter"),
               default="a4"),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else Report()
        locale = context.locale if context is not None else "en"
        fpdf_class = _need_fpdf()
        collecting = gc.isenabled()
        gc.disable()
        try:
            stream.write(_write(fpdf_class, timeline, options, report, locale))
        finally:
            if collecting:
                gc.enable()


def note_numbers(tl: Timeline, options: Mapping[str, Any]) -> dict[str, int]:
    """1, 2, ... for the drawn events with sources, in the timeline's order."""
    names = _lane_names(tl.events)
    chosen = _chosen_lanes(str(options.get("lanes", "")), names)
    numbers: dict[str, int] = {}
    for event in tl.events:
        if event.sources and (chosen is None or event.group in chosen):
            numbers[event.id] = len(numbers) + 1
    return numbers


# --- the drawing, read back -------------------------------------------------------


class _Line(NamedTuple):
    """One line of text: baseline at ``y``, in SVG pixels."""

    x: float
    y: float
    text: str
    size: float
    bold: bool
    colour: str
    anchor: str


class _Shape(NamedTuple):
    """An element of the drawing with its vertical extent; ``lines`` for text, ``node`` for shapes."""

    top: float
    bottom: float
    node: Element | None
    style: dict[str, str]
    lines: tuple[_Line, ...]
    href: str | None
    solid: bool  # may not be cut between pages


def _css(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        props = dict(part.split(":", 1) for part in body.split(";") if ":" in part)
        rules[selector.strip()] = {key.strip(): value.strip() for key, value in props.items()}
    return rules


def _style(node: Element, rules: Mapping[str, Mapping[str, str]], base: Mapping[str, str]) -> dict[str, str]:
    style = dict(base)
    for key in ("fill", "stroke", "stroke-width", "fill-opacity", "stroke-dasharray", "text-anchor"):
        if key in node.attrib:
            style[key] = node.attrib[key]
    for cls in node.get("class", "").split():
        style.update(rules.get("." + cls, {}))
    return style


def _floats(text: str) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text)]


def _size(style: Mapping[str, str]) -> float:
    return float(style.get("font-size", "16px").removesuffix("px"))


def _text_lines(node: Element, style: dict[str, str], rules: Mapping[str, Mapping[str, str]]) -> list[_Line]:
    anchor = style.get("text-anchor", "start")
    lines = []
    spans = node.findall(_SVG + "tspan")
    for part, part_style in ([(node, style)] if not spans else [(s, _style(s, rules, style)) for s in spans]):
        size = _size(part_style)
        lines.append(_Line(float(part.get("x", "0")), float(part.get("y", "0")), part.text or "", size,
                           part_style.get("font-weight") == "700", part_style.get("fill", "#000000"), anchor))
    return lines


def read_drawing(svg: str) -> tuple[float, float, list[_Shape], tuple[float, float] | None, str]:
    """Width, height, the shapes in drawing order, the axis' extent and the background colour."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)  # noqa: S314 - our own drawing, every text from the data escaped
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    rules: dict[str, dict[str, str]] = {}
    for node in root.iter(_SVG + "style"):
        rules.update(_css(node.text or ""))
    text_base = rules.get("text", {})
    shapes: list[_Shape] = []
    background = rules.get(".bg", {}).get("fill", "#ffffff")
    axis: tuple[float, float] | None = None

    def visit(node: Element, href: str | None) -> None:
        nonlocal axis
        tag = node.tag.removeprefix(_SVG)
        if tag == "a":
            for child in node:
                visit(child, node.get("href"))
            return
        if tag == "text":
            style = _style(node, rules, text_base)
            lines = _text_lines(node, style, rules)
            top = min(line.y - _ASCENT * line.size for line in lines)
            bottom = max(line.y + _DESCENT * line.size for line in lines)
            if "lbl" in node.get("class", "").split():
                top -= 13  # keep the mark above a label on its page
            shapes.append(_Shape(top, bottom, node, style, tuple(lines), href, True))
            return
        style = _style(node, rules, {})
        cls = node.get("class", "")
        if tag == "rect":
            if node.get("width") == "100%":
                return
            y, h = float(node.get("y", "0")), float(node.get("height", "0"))
            solid = not (cls in ("era1", "era2", "brk") and h > 20)
            shapes.append(_Shape(y, y + h, node, style, (), href, solid))
        elif tag == "line":
            y1, y2 = float(node.get("y1", "0")), float(node.get("y2", "0"))
            if cls == "axis" and y1 == y2 and axis is None:
                axis = (y1, y1)
            shapes.append(_Shape(min(y1, y2), max(y1, y2), node, style, (), href, cls != "grid"))
        elif tag == "circle":
            cy, r = float(node.get("cy", "0")), float(node.get("r", "0"))
            shapes.append(_Shape(cy - r, cy + r, node, style, (), href, True))
        elif tag in ("polyline", "polygon", "path"):
            ys = _floats(node.get("points", ""))[1::2] if tag != "path" else _path_ys(node.get("d", ""))
            shapes.append(_Shape(min(ys), max(ys), node, style, (), href, True))

    for child in root:
        visit(child, None)
    if axis is not None:
        axis_y = axis[0]
        members = [s for s in shapes if _in_axis(s, axis_y)]
        axis = (axis_y - 8, max(s.bottom for s in members))
    return width, height, shapes, axis, background


def _in_axis(shape: _Shape, axis_y: float) -> bool:
    """The axis line, its ticks and labels, and the zigzags of axis breaks."""
    if shape.node is None:
        return False
    cls = shape.node.get("class", "")
    return cls in ("axis", "tick", "zig", "bg") and axis_y - 8 <= shape.top and shape.bottom <= axis_y + 30


def _path_ys(d: str) -> list[float]:
    return [y for points in _subpaths(d) for _x, y in points[0]]


def _subpaths(d: str) -> list[tuple[list[tuple[float, float]], bool]]:
    """The subpaths of a path using M, L, H, V (absolute or relative) and Z: (points, closed)."""
    paths: list[tuple[list[tuple[float, float]], bool]] = []
    x = y = 0.0
    for command, args in _PATH.findall(d):
        values = _floats(args)
        if command in "Mm":
            x, y = (values[0], values[1]) if command == "M" else (x + values[0], y + values[1])
            paths.append(([(x, y)], False))
            continue
        if command in "Zz":
            paths[-1] = (paths[-1][0], True)
            continue
        if command == "H":
            x = values[0]
        elif command == "h":
            x += values[0]
        elif command == "V":
            y = values[0]
        elif command == "v":
            y += values[0]
        elif command == "L":
            x, y = values[0], values[1]
        else:
            x, y = x + values[0], y + values[1]
        paths[-1][0].append((x, y))
    return paths


# --- pages ------------------------------------------------------------------------


def cut_points(shapes: Sequence[_Shape], height: float, room: float, axis: tuple[float, float] | None
               ) -> list[tuple[float, float, bool]]:
    """Slices ``(top, bottom, repeat_axis)`` of a drawing ``height`` tall, each at most ``room`` tall.

    A slice ends in the middle of the widest gap-free place below which no
    text, mark or legend item is cut: the lowest gap between solid shapes
    that fits; a slice without the axis keeps ``_AXIS_ROOM`` for a copy of it.
    """
    spans = sorted((s.top, s.bottom) for s in shapes if s.solid)
    if axis is not None:
        spans.append(axis)
        spans.sort()
    merged: list[list[float]] = []
    for top, bottom in spans:
        if merged and top < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], bottom)
        else:
            merged.append([top, bottom])
    slices = []
    start = 0.0
    while height - start > room:
        limit = start + room - _AXIS_ROOM
        cut = limit
        for index, (_top, bottom) in enumerate(merged):
            following = merged[index + 1][0] if index + 1 < len(merged) else height
            if start < bottom <= limit and following > bottom:
                cut = min(limit, (bottom + following) / 2)
        if cut <= start + 1:
            cut = limit
        slices.append((start, cut, axis is not None and cut < axis[0]))
        start = cut
    slices.append((start, height, False))
    return slices


# --- writing ----------------------------------------------------------------------


class _Fonts:
    """Which embedded font draws each character: Noto Sans where it has the glyph, else Noto Sans CJK KR.

    A character neither has (emoji, Arabic, Hebrew, Thai, ...) is left
    blank, keeping its room, and listed in :attr:`missing`.
    """

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.added: set[tuple[str, str]] = set()
        self.widths: dict[tuple[str, bool], float] = {}
        self.families: dict[str, str] = {}
        self.missing: set[str] = set()
        self.latin = set(self._font("noto", "").cmap)
        self.cjk: set[int] | None = None

    def _font(self, family: str, style: str) -> Any:
        """fpdf2's font object for ``family`` and ``style``, registered on first use (not yet on a page)."""
        if (family, style) not in self.added:
            self.pdf.add_font(family, style, FONT_FILES[(family, style)],
                              collection_font_number=CJK_FACE if family == "notocjk" else 0)
            self.added.add((family, style))
        return self.pdf.fonts[family + style]

    def family(self, char: str) -> str:
        """``noto``, ``notocjk``, or ``""`` when neither font has ``char``."""
        found = self.families.get(char)
        if found is None:
            code = ord(char)
            if code in self.latin or char.isspace():
                found = "noto"
            else:
                if self.cjk is None:
                    self.cjk = set(self._font("notocjk", "").cmap)
                found = "notocjk" if code in self.cjk else ""
            self.families[char] = found
        return found

    def runs(self, text: str) -> Iterator[tuple[str, str]]:
        start = 0
        for index in range(1, len(text) + 1):
            if index == len(text) or self.family(text[index]) != self.family(text[start]):
                yield self.family(text[start]), text[start:index]
                start = index

    def use(self, family: str, bold: bool, size: float, underline: bool = False) -> None:
        style = "B" if bold else ""
        self._font(family, style)
        self.pdf.set_font(family, style + ("U" if underline else ""), size)

    def reset(self) -> None:
        """Make fpdf2 select the font again (a restored graphics state forgot it)."""
        self.use("noto", False, 0.5)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """The advance of ``text``, in points: the embedded fonts' widths, as fpdf2 sets them."""
        return sum(self.char_width(char, bold) for char in text) * size / 1000

    def char_width(self, char: str, bold: bool) -> float:
        """The advance of ``char`` in thousandths of an em (a missing one: Noto Sans's default)."""
        key = (char, bold)
        found = self.widths.get(key)
        if found is None:
            widths = self._font(self.family(char) or "noto", "B" if bold else "").cw  # the default if missing
            found = self.widths[key] = float(widths[ord(char)])
        return found

    def draw(self, x: float, y: float, text: str, size: float, bold: bool = False, underline: bool = False) -> float:
        """Set ``text`` with its baseline at ``y``; the width it took."""
        start = x
        for family, run in self.runs(text):
            if family:
                self.use(family, bold, size, underline)
                self.pdf.text(x, y, run)
            else:
                self.missing.update(run)
            x += self.width(run, size, bold)
        return x - start


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _link_target(url: str) -> str:
    return quote(url, safe=_URL_SAFE)


def _write(fpdf_class: type[FPDF], tl: Timeline, options: Mapping[str, Any], report: Report, locale: str) -> bytes:
    page_w, page_h = PAPERS[str(options.get("paper", "a4"))]
    content_w = page_w - 2 * MARGIN
    width_px = int(content_w / PX)
    numbers = note_numbers(tl, options)
    svg = draw(tl, {**options, "width": width_px}, report, locale, "pdf", notes=numbers)
    width, height, shapes, axis, background = read_drawing(svg)
    scale = content_w / width
    room = (page_h - 2 * MARGIN - FOOT) / scale
    slices = cut_points(shapes, height, room, axis)

    pdf = fpdf_class(orientation="L", unit="pt", format=(page_h, page_w))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(translated(tl, locale).title)
    pdf.set_lang(locale.replace("_", "-"))
    pdf.set_creator("timeline")
    stamp = data_timestamp(tl)
    if stamp.year >= 1:
        pdf.set_creation_date(datetime.datetime(stamp.year, stamp.month or 1, stamp.day or 1, stamp.hour or 0,
                                                stamp.minute or 0, tzinfo=datetime.timezone.utc))
    fonts = _Fonts(pdf)
    theme_text = next((line.colour for s in shapes for line in s.lines), "#1a1a1a")
    muted = next((line.colour for s in shapes for line in s.lines if line.size <= 11), theme_text)
    by_id = {event.id: event for event in tl.events}

    notes = _note_lines(tl, numbers, by_id, fonts, content_w, locale, report, background)
    notes_room = page_h - 2 * MARGIN - FOOT
    note_pages = _paginate(notes, notes_room)
    total = len(slices) + len(note_pages)

    for page, (top, bottom, repeat_axis) in enumerate(slices, start=1):
        _page(pdf, page_w, page_h, background)
        painter = _Painter(pdf, fonts, MARGIN, MARGIN - top * scale, scale, bool(options.get("links", True)))
        # local_context: fpdf2 forgets the colours and widths set inside the clip when its graphics state ends
        with pdf.local_context(), pdf.rect_clip(MARGIN, MARGIN, content_w, (bottom - top) * scale + 0.5):
            for shape in shapes:
                if shape.lines:
                    if top <= shape.lines[0].y < bottom:  # each text on one page only
                        painter.paint(shape)
                elif shape.bottom >= top and shape.top <= bottom:
                    painter.paint(shape)
        fonts.reset()  # the clip's graphics state is gone: set the font again before the next text
        if repeat_axis and axis is not None:
            shift = bottom + 6 - axis[0]
            copy = _Painter(pdf, fonts, MARGIN, MARGIN - top * scale + shift * scale, scale, False)
            for shape in shapes:
                if _in_axis(shape, axis[0] + 8):
                    copy.paint(shape)
        _foot(pdf, fonts, page, total, page_w, page_h, muted)
    for offset, lines in enumerate(note_pages, start=len(slices) + 1):
        _page(pdf, page_w, page_h, background)
        y = MARGIN
        for line in lines:
            y += line.before
            x = MARGIN + line.indent
            pdf.set_text_color(*_rgb(line.colour or theme_text))
            baseline = y + _ASCENT * line.size
            advance = fonts.draw(x, baseline, line.text, line.size, line.bold)
            if line.url is not None:
                pdf.link(x, y, advance, (_ASCENT + _DESCENT) * line.size, _link_target(line.url))
            y += (_ASCENT + _DESCENT) * line.size
        _foot(pdf, fonts, offset, total, page_w, page_h, muted)
    if fonts.missing:
        shown = ", ".join(sorted(fonts.missing)[:10]) + (", ..." if len(fonts.missing) > 10 else "")
        warnings.warn(f"pdf: no embedded font has {len(fonts.missing)} of the characters used ({shown}): left "
                      "blank (Noto Sans and Noto Sans CJK cover Latin, Greek, Cyrillic, Hangul, kana and Han)",
                      timeline.PluginWarning, stacklevel=4)
    data = pdf.output()
    return bytes(data)


def _page(pdf: FPDF, page_w: float, page_h: float, background: str) -> None:
    pdf.add_page()
    if background.lower() not in ("#fff", "#ffffff"):
        pdf.set_fill_color(*_rgb(background))
        pdf.rect(0, 0, page_w, page_h, style="F")


def _foot(pdf: FPDF, fonts: _Fonts, page: int, total: int, page_w: float, page_h: float, colour: str) -> None:
    text = f"{page} / {total}"
    pdf.set_text_color(*_rgb(colour))
    fonts.draw(page_w / 2 - fonts.width(text, 8) / 2, page_h - MARGIN + 4, text, 8)


class _Painter:
    """Draws shapes of the SVG at ``(x0 + x * scale, y0 + y * scale)``, in points."""

    def __init__(self, pdf: FPDF, fonts: _Fonts, x0: float, y0: float, scale: float, links: bool) -> None:
        self.pdf, self.fonts, self.x0, self.y0, self.scale, self.links = pdf, fonts, x0, y0, scale, links

    def x(self, value: float) -> float:
        return self.x0 + value * self.scale

    def y(self, value: float) -> float:
        return self.y0 + value * self.scale

    def paint(self, shape: _Shape) -> None:
        if shape.lines:
            self._text(shape)
            return
        node = shape.node
        assert node is not None
        style = shape.style
        tag = node.tag.removeprefix(_SVG)
        fill = style.get("fill", "#000000" if tag in ("rect", "circle", "polygon", "path") else "none")
        if tag == "path" and "stroke" in style and "fill" not in node.attrib and "fill" not in style:
            fill = "none"
        stroke = style.get("stroke", "none")
        pdf = self.pdf
        render = ("F" if fill != "none" else "") + ("D" if stroke != "none" else "")
        if not render:
            return
        if fill != "none":
            pdf.set_fill_color(*_rgb(fill))
        if stroke != "none":
            pdf.set_draw_color(*_rgb(stroke))
            pdf.set_line_width(float(style.get("stroke-width", "1")) * self.scale)
        dash = _floats(style.get("stroke-dasharray", ""))
        opacity = float(style.get("fill-opacity", "1"))
        with pdf.local_context(fill_opacity=opacity) if opacity < 1 else _nothing():
            if dash:
                pdf.set_dash_pattern(dash[0] * self.scale, dash[-1] * self.scale)
            self._shape(tag, node, render)
            if dash:
                pdf.set_dash_pattern()

    def _shape(self, tag: str, node: Element, render: str) -> None:
        pdf, s = self.pdf, self.scale
        get = node.get
        if tag == "rect":
            pdf.rect(self.x(float(get("x", "0"))), self.y(float(get("y", "0"))), float(get("width", "0")) * s,
                     float(get("height", "0")) * s, style=render)
        elif tag == "line":
            pdf.line(self.x(float(get("x1", "0"))), self.y(float(get("y1", "0"))), self.x(float(get("x2", "0"))),
                     self.y(float(get("y2", "0"))))
        elif tag == "circle":
            pdf.circle(self.x(float(get("cx", "0"))), self.y(float(get("cy", "0"))), float(get("r", "0")) * s,
                       style=render)
        elif tag in ("polyline", "polygon"):
            values = _floats(get("points", ""))
            points = [(self.x(a), self.y(b)) for a, b in zip(values[::2], values[1::2], strict=True)]
            pdf.polyline(points, polygon=tag == "polygon", style=render)
        else:
            for points, closed in _subpaths(get("d", "")):
                moved = [(self.x(a), self.y(b)) for a, b in points]
                if closed:
                    pdf.polygon(moved, style=render)
                else:
                    pdf.polyline(moved, style="D")

    def _text(self, shape: _Shape) -> None:
        pdf, s = self.pdf, self.scale
        href = safe_url(shape.href) if shape.href is not None and self.links else None
        left = right = None
        for line in shape.lines:
            size = line.size * s
            text_width = self.fonts.width(line.text, size, line.bold)
            x = self.x(line.x) - (text_width / 2 if line.anchor == "middle" else 0)
            pdf.set_text_color(*_rgb(line.colour))
            self.fonts.draw(x, self.y(line.y), line.text, size, line.bold, underline=href is not None)
            left = x if left is None else min(left, x)
            right = x + text_width if right is None else max(right, x + text_width)
        if href is not None and left is not None and right is not None:
            top = self.y(shape.top + 13)
            pdf.link(left, top, right - left, self.y(shape.bottom) - top, _link_target(href))


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_args: object) -> None:
        return None


# --- the notes --------------------------------------------------------------------


class _NoteLine(NamedTuple):
    text: str
    size: float
    bold: bool
    indent: float
    before: float  # space above, in points
    url: str | None = None
    colour: str | None = None


#: The colour of printed URLs on a light and on a dark page (each 4.5:1 or more against the page).
LINK_COLOURS = ("#0b57a4", "#8ab4f8")


def _dark(colour: str) -> bool:
    red, green, blue = _rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 128


def _note_lines(tl: Timeline, numbers: Mapping[str, int], by_id: Mapping[str, Event], fonts: _Fonts,
                content_w: float, locale: str, report: Report, background: str = "#ffffff") -> list[_NoteLine]:
    link_colour = LINK_COLOURS[_dark(background)]
    if not numbers:
        return []
    lines = [_NoteLine(message("label", "Sources", locale), 16, True, 0, 0)]
    indent = 24.0
    for event_id, number in numbers.items():
        event = by_id[event_id]
        title = translated(event, locale).title  # as in the picture, which counts the originals in the report
        head = f"[{number}] {title} — {human_span(event.start, event.end, ongoing=event.ongoing, locale=locale)}"
        for index, text in enumerate(_wrap(fonts, head, content_w, 10, True)):
            lines.append(_NoteLine(text, 10, True, 0 if index == 0 else indent, 10 if index == 0 else 0))
        for source in event.sources:
            words = [part for part in (source.title, source.publisher) if part]
            if source.date is not None:
                words.append(human_date(source.date, locale=locale))
            target = safe_url(source.url)
            if source.url and target is None:
                report.approximated(event, "sources", "a source's URL is not http, https or mailto: left out")
            if not words and target is None:
                continue
            for index, text in enumerate(_wrap(fonts, ", ".join(words), content_w - indent, 9)):
                lines.append(_NoteLine(text, 9, False, indent, 3 if index == 0 else 0))
            if target is not None:
                for index, text in enumerate(_wrap_chars(fonts, target, content_w - indent, 9)):
                    lines.append(_NoteLine(text, 9, False, indent, 3 if index == 0 and not words else 0,
                                           url=target, colour=link_colour))
    return lines


def _wrap(fonts: _Fonts, text: str, limit: float, size: float, bold: bool = False) -> list[str]:
    """Words into lines at most ``limit`` points wide; a word longer than a line is cut by characters."""
    lines: list[str] = []
    current, used = "", 0.0
    space = fonts.width(" ", size, bold)
    for word in text.split():
        advance = fonts.width(word, size, bold)
        if current and used + space + advance <= limit:
            current, used = f"{current} {word}", used + space + advance
            continue
        if not current and advance <= limit:
            current, used = word, advance
            continue
        if current:
            lines.append(current)
        pieces = _wrap_chars(fonts, word, limit, size, bold)
        lines.extend(pieces[:-1])
        current, used = pieces[-1], fonts.width(pieces[-1], size, bold)
    if current:
        lines.append(current)
    return lines or [""]


def _wrap_chars(fonts: _Fonts, text: str, limit: float, size: float, bold: bool = False) -> list[str]:
    lines, current, used = [], "", 0.0
    for char in text:
        advance = fonts.char_width(char, bold) * size / 1000
        if current and used + advance > limit:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += advance
    return [*lines, current] if current or not lines else lines


def _paginate(lines: Sequence[_NoteLine], room: float) -> list[list[_NoteLine]]:
    """Lines into pages ``room`` points tall; a heading line stays with the line after it."""
    pages: list[list[_NoteLine]] = []
    used = room + 1
    for index, line in enumerate(lines):
        need = line.before + (_ASCENT + _DESCENT) * line.size
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.bold and following is not None:
            need += following.before + (_ASCENT + _DESCENT) * following.size
        if used + need > room:
            pages.append([])
            used = 0.0
            line = line._replace(before=0)
        pages[-1].append(line)
        used += line.before + (_ASCENT + _DESCENT) * line.size
    return pages


@timeline.hookimpl
def timeline_exporters() -> list[PdfExporter]:
    return [PdfExporter()]
