"""Tiny plugins used by the tests (not shipped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, ClassVar

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


class OldPlugin:
    """A plugin written for plugin API 1.0: its ``write`` takes no context, so it reports nothing."""

    TIMELINE_PLUGIN_API = "1.0"

    @timeline.hookimpl
    def timeline_exporters(self) -> list[Any]:
        return [LinesExporter()]


class PickyExporter:
    """A plugin API 1.1 exporter: writes event ids, skips events with an ``ongoing`` end, remembers its context."""

    name = "picky"
    extensions = (".picky",)
    media_type = "text/plain; charset=utf-8"
    description = "event ids of events that have ended"
    options = ()
    contexts: ClassVar[list[Any]] = []

    def write(self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: Any = None) -> None:
        type(self).contexts.append(context)
        for event in timeline.events:
            if event.ongoing:
                context.report.skipped(event, "picky cannot show an event still going on")
                continue
            stream.write(f"{event.id}\n".encode())
            context.report.wrote(event)
            if event.location is not None:
                context.report.approximated(event, "location", "no place for a location")


class PickyPlugin:
    TIMELINE_PLUGIN_API = "1.1"

    @timeline.hookimpl
    def timeline_exporters(self) -> list[Any]:
        return [PickyExporter()]
