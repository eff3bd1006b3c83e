"""timeline: dated events with their sources, published as web stories,
calendars and documents.

Everything public is importable from here.  Names are loaded on first use,
so ``import timeline`` (and ``timeline --help``) stays instant::

    import timeline

    story = timeline.sample()
    print(timeline.export(story, "markdown").decode())
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .atomic import atomic_output
    from .dates import Date, Precision, parse_span
    from .display import human_date, human_span
    from .encoding import decode_text
    from .errors import (
        ArgumentTypeError,
        DateError,
        EventNotFoundError,
        ExportError,
        InvalidTimelineError,
        OptionError,
        PluginError,
        ReadError,
        TimelineError,
        UnknownFormatError,
        UsageError,
    )
    from .exporting import export, export_with_report
    from .hookspecs import hookimpl
    from .loading import load, load_bytes, sample, sample_path
    from .markup import escape_markdown, markdown_to_html, markdown_to_markdown, markdown_to_text, safe_url
    from .model import Era, Event, Location, Media, Source, Timeline
    from .options import Option
    from .pluginapi import PLUGIN_API_VERSION
    from .problems import Problem
    from .progress import iter_events
    from .protocols import Document, Exporter, Reader
    from .registry import PluginDeprecationWarning, PluginWarning, Registry
    from .reporting import ExportContext, ExportReport, ReadContext, Report, ReportEntry
    from .stamps import as_of, data_timestamp, event_uid, event_uid_text, export_date, source_date_epoch
    from .validation import validate

# name -> module that defines it
_EXPORTS = {
    "ArgumentTypeError": "errors",
    "Date": "dates",
    "DateError": "errors",
    "Document": "protocols",
    "Era": "model",
    "Event": "model",
    "EventNotFoundError": "errors",
    "ExportContext": "reporting",
    "ExportError": "errors",
    "ExportReport": "reporting",
    "Exporter": "protocols",
    "InvalidTimelineError": "errors",
    "Location": "model",
    "Media": "model",
    "Option": "options",
    "OptionError": "errors",
    "PLUGIN_API_VERSION": "pluginapi",
    "PluginDeprecationWarning": "registry",
    "PluginError": "errors",
    "PluginWarning": "registry",
    "Precision": "dates",
    "Problem": "problems",
    "ReadContext": "reporting",
    "ReadError": "errors",
    "Reader": "protocols",
    "Registry": "registry",
    "Report": "reporting",
    "ReportEntry": "reporting",
    "Source": "model",
    "Timeline": "model",
    "TimelineError": "errors",
    "UnknownFormatError": "errors",
    "UsageError": "errors",
    "atomic_output": "atomic",
    "decode_text": "encoding",
    "as_of": "stamps",
    "data_timestamp": "stamps",
    "escape_markdown": "markup",
    "event_uid": "stamps",
    "event_uid_text": "stamps",
    "export": "exporting",
    "export_with_report": "exporting",
    "export_date": "stamps",
    "source_date_epoch": "stamps",
    "hookimpl": "hookspecs",
    "human_date": "display",
    "human_span": "display",
    "iter_events": "progress",
    "load": "loading",
    "load_bytes": "loading",
    "markdown_to_html": "markup",
    "markdown_to_markdown": "markup",
    "markdown_to_text": "markup",
    "parse_span": "dates",
    "safe_url": "markup",
    "sample": "loading",
    "sample_path": "loading",
    "validate": "validation",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
