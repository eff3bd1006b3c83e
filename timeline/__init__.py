"""timeline: dated events with their sources, published as web stories,
calendars and documents.

Everything public is importable from here.  Names are loaded on first use,
so ``import timeline`` (and ``timeline --help``) stays instant::

    import timeline

    story = timeline.sample()
    print(timeline.export(story, "markdown").decode())

Type checkers see every public name through the explicit re-exports
(``from .x import Y as Y``) below, which never run; at run time the module
``__getattr__`` imports a name's module on first use.  ``__all__`` is a
literal list, so it reads the same to people, type checkers and
``tests/test_exported_members.py``, which pins it.

Only ``__all__`` is API.  The submodules are internal, whether or not their
names start with an underscore (new and renamed ones do; see
``timeline/README.md`` and ``docs/design.md``), except the documented paths
``timeline.testing``, ``timeline.plugins``, ``timeline.events``,
``timeline.hookspecs.hookspec`` and ``timeline.pluginapi.deprecated_hook``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__ as __version__

if TYPE_CHECKING:  # pragma: no cover
    from ._escape import (
        escape_markdown as escape_markdown,
    )
    from ._markdown import (
        markdown_to_html as markdown_to_html,
        markdown_to_markdown as markdown_to_markdown,
        markdown_to_text as markdown_to_text,
    )
    from ._translations import (
        TranslatedText as TranslatedText,
        translated as translated,
    )
    from ._urls import (
        safe_url as safe_url,
    )
    from .atomic import (
        atomic_output as atomic_output,
    )
    from .dates import (
        Date as Date,
        Precision as Precision,
        civil_from_days as civil_from_days,
        days_from_civil as days_from_civil,
        parse_span as parse_span,
    )
    from .encoding import (
        decode_text as decode_text,
    )
    from .errors import (
        ArgumentTypeError as ArgumentTypeError,
        DateError as DateError,
        EventNotFoundError as EventNotFoundError,
        ExportError as ExportError,
        InvalidTimelineError as InvalidTimelineError,
        OptionError as OptionError,
        PluginDeprecationWarning as PluginDeprecationWarning,
        PluginError as PluginError,
        PluginWarning as PluginWarning,
        ReadError as ReadError,
        TimelineError as TimelineError,
        UnknownFormatError as UnknownFormatError,
        UnknownLocaleError as UnknownLocaleError,
        UsageError as UsageError,
    )
    from .exporting import (
        export as export,
        export_with_report as export_with_report,
    )
    from .hookspecs import (
        hookimpl as hookimpl,
    )
    from .loading import (
        load as load,
        load_bytes as load_bytes,
        sample as sample,
        sample_path as sample_path,
    )
    from .locales import (
        human_date as human_date,
        human_span as human_span,
        display_width as display_width,
        human_duration as human_duration,
        message as message,
        plural_message as plural_message,
        resolve_locale as resolve_locale,
    )
    from .model import (
        Era as Era,
        Event as Event,
        Location as Location,
        Media as Media,
        Relation as Relation,
        Source as Source,
        Timeline as Timeline,
        Translation as Translation,
    )
    from .options import (
        Option as Option,
    )
    from .pluginapi import (
        PLUGIN_API_VERSION as PLUGIN_API_VERSION,
    )
    from .problems import (
        Problem as Problem,
    )
    from .progress import (
        iter_events as iter_events,
    )
    from .protocols import (
        Document as Document,
        Exporter as Exporter,
        Reader as Reader,
    )
    from .registry import (
        Registry as Registry,
    )
    from .reporting import (
        ExportContext as ExportContext,
        ExportReport as ExportReport,
        ReadContext as ReadContext,
        ReadReport as ReadReport,
        Report as Report,
        ReportEntry as ReportEntry,
    )
    from .stamps import (
        as_of as as_of,
        data_timestamp as data_timestamp,
        event_uid as event_uid,
        event_uid_text as event_uid_text,
        export_date as export_date,
        source_date_epoch as source_date_epoch,
    )
    from .validation import (
        validate as validate,
    )

__all__ = [
    "PLUGIN_API_VERSION",
    "ArgumentTypeError",
    "Date",
    "DateError",
    "Document",
    "Era",
    "Event",
    "EventNotFoundError",
    "ExportContext",
    "ExportError",
    "ExportReport",
    "Exporter",
    "InvalidTimelineError",
    "Location",
    "Media",
    "Option",
    "OptionError",
    "PluginDeprecationWarning",
    "PluginError",
    "PluginWarning",
    "Precision",
    "Problem",
    "ReadContext",
    "ReadError",
    "ReadReport",
    "Reader",
    "Registry",
    "Relation",
    "Report",
    "ReportEntry",
    "Source",
    "Timeline",
    "TimelineError",
    "TranslatedText",
    "Translation",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UsageError",
    "__version__",
    "as_of",
    "atomic_output",
    "civil_from_days",
    "data_timestamp",
    "days_from_civil",
    "decode_text",
    "display_width",
    "escape_markdown",
    "event_uid",
    "event_uid_text",
    "export",
    "export_date",
    "export_with_report",
    "hookimpl",
    "human_date",
    "human_duration",
    "human_span",
    "iter_events",
    "load",
    "load_bytes",
    "markdown_to_html",
    "markdown_to_markdown",
    "markdown_to_text",
    "message",
    "parse_span",
    "plural_message",
    "resolve_locale",
    "safe_url",
    "sample",
    "sample_path",
    "source_date_epoch",
    "translated",
    "validate",
]

# name -> module that defines it (what __getattr__ imports); the test pins it to __all__ and the imports above
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
    "PluginDeprecationWarning": "errors",
    "PluginError": "errors",
    "PluginWarning": "errors",
    "Precision": "dates",
    "Problem": "problems",
    "ReadContext": "reporting",
    "ReadError": "errors",
    "ReadReport": "reporting",
    "Reader": "protocols",
    "Registry": "registry",
    "Relation": "model",
    "Report": "reporting",
    "ReportEntry": "reporting",
    "Source": "model",
    "Timeline": "model",
    "TimelineError": "errors",
    "TranslatedText": "_translations",
    "Translation": "model",
    "UnknownFormatError": "errors",
    "UnknownLocaleError": "errors",
    "UsageError": "errors",
    "as_of": "stamps",
    "atomic_output": "atomic",
    "civil_from_days": "dates",
    "data_timestamp": "stamps",
    "days_from_civil": "dates",
    "decode_text": "encoding",
    "display_width": "locales",
    "escape_markdown": "_escape",
    "event_uid": "stamps",
    "event_uid_text": "stamps",
    "export": "exporting",
    "export_date": "stamps",
    "export_with_report": "exporting",
    "hookimpl": "hookspecs",
    "human_date": "locales",
    "human_duration": "locales",
    "human_span": "locales",
    "iter_events": "progress",
    "load": "loading",
    "load_bytes": "loading",
    "markdown_to_html": "_markdown",
    "markdown_to_markdown": "_markdown",
    "markdown_to_text": "_markdown",
    "message": "locales",
    "parse_span": "dates",
    "plural_message": "locales",
    "resolve_locale": "locales",
    "safe_url": "_urls",
    "sample": "loading",
    "sample_path": "loading",
    "source_date_epoch": "stamps",
    "translated": "_translations",
    "validate": "validation",
}


if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt name is an error rather than Any

    def __getattr__(name: str) -> Any:
        module_name = _EXPORTS.get(name)
        if module_name is None:
            raise AttributeError(f"module 'timeline' has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module_name}", __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
