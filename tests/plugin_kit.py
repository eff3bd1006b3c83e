"""Tiny plugins used by the tests (not shipped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import timeline
from timeline import Option, Timeline


class LinesExporter:
    """Writes one line per event: its id. Optionally fails half-way."""

    name = "lines"
    extensions = (".lines",)
    media_type = "text/plain"
    description = "event ids, one per line"
    options = (
        Option("fail_after", "raise after this many events", type="int", default=-1),
        Option("prefix", "text before each id", default=""),
    )

    def write(self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any]) -> None:
        for index, event in enumerate(timeline.events):
            if index == options["fail_after"]:
                raise RuntimeError("boom half-way")
            stream.write(f"{options['prefix']}{event.id}\n".encode())


class LinesPlugin:
    @timeline.hookimpl
    def timeline_exporters(self) -> list[Any]:
        return [LinesExporter()]


class RaisingPlugin:
    @timeline.hookimpl
    def timeline_exporters(self) -> list[Any]:
        raise ValueError("the plugin is broken")


class ClashingPlugin:
    """Tries to take the built-in 'json' name."""

    @timeline.hookimpl
    def timeline_exporters(self) -> list[Any]:
        exporter = LinesExporter()
        exporter.name = "json"
        return [exporter]
