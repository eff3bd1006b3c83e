"""PNG: the SVG picture rasterised by resvg (the optional extra ``timeline-events[pictures]``).

The drawing is the ``svg`` exporter's, without links (a PNG cannot hold
them: every event's sources are reported as left out).  resvg-py renders
it from a wheel with no system libraries; it is given the Noto font files
the layout was measured with and no system fonts, so the bytes are the same
on any machine that has them (``docs/exporters/png.md``).  Without those
files it warns and uses the system's fonts.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import timeline
from timeline import ExportContext, ExportError, Option, Report, Timeline

from .svg import SvgExporter, draw

#: The font files the picture is drawn with (Debian's fonts-noto-core and fonts-noto-cjk).
FONT_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
EXTRA = 'pip install "timeline-events[pictures]"'


def render_png(svg: str, scale: float) -> bytes:
    """``svg`` as PNG bytes, ``scale`` times its size."""
    try:
        import resvg_py
    except ImportError:
        raise ExportError(f"png: writing PNG needs the resvg renderer, an optional extra: {EXTRA}") from None
    missing = [path for path in FONT_FILES if not Path(path).exists()]
    if missing:
        warnings.warn(
            f"png: {', '.join(missing)} not found: the picture is drawn with the system's fonts, so its bytes "
            "depend on the machine (apt-get install fonts-noto-core fonts-noto-cjk)",
            timeline.PluginWarning,
            stacklevel=3,
        )
        fonts: dict[str, Any] = {}
    else:
        fonts = {"skip_system_fonts": True, "font_files": list(FONT_FILES)}
    try:
        return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=scale, **fonts))
    except ValueError as error:  # pragma: no cover - our SVG is always valid
        raise ExportError(f"png: resvg could not draw the picture: {error}") from None


class PngExporter:
    name = "png"
    extensions = (".png",)
    media_type = "image/png"
    description = "The SVG picture as a PNG image (needs the [pictures] extra)"
    options = (
        *(option for option in SvgExporter.options if option.name != "links"),
        Option("scale", "Pixels per SVG pixel (2 for a sharp picture on high-density screens)", type="float",
               default=1.0, minimum=0.25, maximum=4.0),
        Option("preset", "'social': a 1200x630 card (width and scale ignored; fewer labels until it fits)",
               choices=("", "social"), default=""),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else Report()
        locale = context.locale if context is not None else "en"
        if options.get("preset") == "social":
            svg = _social(timeline, options, report, locale)
            scale = 1.0
        else:
            svg = draw(timeline, {**options, "links": False}, report, locale, "png")
            scale = float(options.get("scale", 1.0))
        stream.write(render_png(svg, scale))
        for event in timeline.events:
            if event.sources:
                report.approximated(event, "sources", "a PNG cannot link: sources left out")


#: The size of a social card (Open Graph's recommended image size).
SOCIAL = (1200, 630)


def _height(svg: str) -> int:
    found = re.search(r'height="([0-9]+)"', svg)
    assert found is not None
    return int(found.group(1))


def _social(tl: Timeline, options: Mapping[str, Any], report: Report, locale: str) -> str:
    """The picture 1,200 pixels wide and 630 tall: as many labels as fit, by the SVG's label rule.

    The label budget is cut by a quarter until the picture fits; when even
    no labels do not fit (many lanes), the picture is drawn without labels
    and resvg shrinks it into the card.
    """
    width, height = SOCIAL
    settings = {**options, "links": False, "width": width}
    budget = min(len(tl.events), int(options.get("labels", 300)))
    while True:
        settings["labels"] = budget
        trial = draw(tl, settings, Report(), locale, "png")
        if _height(trial) <= height or budget == 0:
            break
        budget = budget * 3 // 4
    svg = draw(tl, settings, report, locale, "png", min_height=height)
    drawn = _height(svg)
    if drawn > height:  # shrink the whole drawing into the card, centred
        svg = re.sub(r'height="[0-9]+" viewBox="0 0 ([0-9.]+) [0-9]+"',
                     lambda m: f'height="{height}" viewBox="0 0 {m.group(1)} {drawn}"', svg, count=1)
        svg = svg.replace(f'width="{width}" height="{height}"', f'width="{width}" height="{height}" '
                          'preserveAspectRatio="xMidYMid meet"', 1)
    return svg


@timeline.hookimpl
def timeline_exporters() -> list[PngExporter]:
    return [PngExporter()]
