"""PNG: the SVG picture rasterised by resvg (the optional extra ``timeline-events[pictures]``).

The drawing is the ``svg`` exporter's, without links (a PNG cannot hold
them: every event's sources are reported as left out).  resvg-py renders
it from a wheel with no system libraries; it is given the Noto font files
the layout was measured with and no system fonts, so the bytes are the same
on any machine that has them (``docs/exporters/png.md``).  Without those
files it warns and uses the system's fonts.
"""

from __future__ import annotations

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
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        report = context.report if context is not None else Report()
        locale = context.locale if context is not None else "en"
        svg = draw(timeline, {**options, "links": False}, report, locale, "png")
        stream.write(render_png(svg, float(options.get("scale", 1.0))))
        for event in timeline.events:
            if event.sources:
                report.approximated(event, "sources", "a PNG cannot link: sources left out")


@timeline.hookimpl
def timeline_exporters() -> list[PngExporter]:
    return [PngExporter()]
