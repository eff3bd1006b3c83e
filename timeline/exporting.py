"""Running an exporter: options checked, failures named, files written atomically."""

from __future__ import annotations

import errno
import io
import os
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

from .errors import ArgumentTypeError, ExportError, TimelineError, describe_exception, wrong_type
from .model import Timeline
from .options import resolve_options
from .problems import shorten
from .registry import Registry, default_registry
from .reporting import ExportContext, ExportReport, Report, accepts_context

__all__ = ["export", "export_with_report", "plugin_origin", "run_exporter"]


def plugin_origin(exporter: Any, registry: Registry | None = None) -> str:
    """Who provides ``exporter``: ``plugin 'x' (package y)``, or its module when the registry does not know it."""
    if registry is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # broken plugins were reported when they were loaded
            infos = registry.plugins()
        for info in infos:
            if exporter.name in info.exporters:
                return info.describe()
    return f"module {type(exporter).__module__}"


def _write_failure(exc: OSError, dest: str | os.PathLike[str]) -> str:
    """Why ``dest`` could not be written; a missing folder (or a file where one should be) is named."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and exc.filename is not None:
        from .atomic import resolve_target

        try:
            folder = str(Path(resolve_target(dest).path).parent)
        except OSError:
            folder = None
        if os.fsdecode(exc.filename) == folder:
            shown = repr(shorten(folder))
            if exc.errno == errno.ENOENT:
                return f"the folder {shown} does not exist"
            return f"{shown} is not a folder"
    return exc.strerror or str(exc)


def run_exporter(
    exporter: Any,
    timeline: Timeline,
    stream: IO[bytes],
    options: Mapping[str, Any],
    *,
    registry: Registry | None = None,
    where: str | None = None,
    locale: str = "en",
) -> ExportReport:
    """Call ``exporter.write``; anything but a :class:`TimelineError` becomes an :class:`ExportError`.

    The message names the format and the plugin (and package) it comes
    from, so a user knows whom to tell; a failed write (a full disk) names
    ``where`` the output was going.  A ``write`` that accepts a ``context``
    (plugin API 1.1) gets an :class:`~timeline.ExportContext`; the returned
    :class:`~timeline.ExportReport` says what it reported, or that it does not.
    """
    with_context = accepts_context(exporter.write)
    report = Report()
    try:
        if with_context:
            exporter.write(timeline, stream, options, context=ExportContext(report=report, locale=locale))
        else:
            exporter.write(timeline, stream, options)
    except ArgumentTypeError as exc:  # the plugin called the API wrongly: say whose call it was
        origin = plugin_origin(exporter, registry)
        raise ExportError(f"the {exporter.name!r} exporter from {origin} failed: {describe_exception(exc)}") from exc
    except (TimelineError, BrokenPipeError, KeyboardInterrupt):
        raise
    except OSError as exc:
        raise ExportError(
            f"cannot write {where or f'{exporter.name} output'}: {exc.strerror or exc}"
        ) from exc
    except Exception as exc:
        origin = plugin_origin(exporter, registry)
        raise ExportError(f"the {exporter.name!r} exporter from {origin} failed: {describe_exception(exc)}") from exc
    notes = () if with_context else (
        f"the {exporter.name!r} exporter does not accept a context (plugin API 1.0): "
        f"it does not report what it kept and ignores the locale {locale!r}",
    )
    return report.result(format=exporter.name, events=len(timeline), reported=with_context and (
        report.used or len(timeline) == 0), notes=notes, locale=locale)


def _check_export_arguments(timeline: Any, format: Any, dest: Any, registry: Any, options: Any) -> None:
    """Wrong types are the caller's mistake: say so here, before a plugin gets the blame."""
    if not isinstance(timeline, Timeline):
        hint = "load one with timeline.load(path)" if isinstance(timeline, (str, os.PathLike)) else None
        raise wrong_type("export(timeline)", "a timeline.Timeline", timeline, hint)
    if format is not None and not isinstance(format, str):
        raise wrong_type("export(format)", "a format name (str) such as 'markdown'", format)
    if registry is not None and not isinstance(registry, Registry):
        raise wrong_type("export(registry=...)", "a timeline.Registry or None", registry)
    if options is not None and not isinstance(options, Mapping):
        raise wrong_type("export_with_report(options=...)", "a mapping of option names to values", options)
    if dest is None or isinstance(dest, (str, os.PathLike)):
        return
    expected = "None (to get bytes), a path, or a binary stream"
    if isinstance(dest, io.TextIOBase):
        raise wrong_type("export(dest)", expected, dest,
                         "exporters write bytes: pass the stream's binary buffer (sys.stdout.buffer), "
                         "a file opened with 'wb', or io.BytesIO()")
    if isinstance(dest, bytes):
        raise wrong_type("export(dest)", expected, dest, "decode a bytes path with os.fsdecode()")
    if not callable(getattr(dest, "write", None)):
        raise wrong_type("export(dest)", expected, dest)


def export(
    timeline: Timeline,
    format: str | None = None,
    dest: str | os.PathLike[str] | IO[bytes] | None = None,
    *,
    registry: Registry | None = None,
    **options: Any,
) -> bytes | None:
    """Write ``timeline`` in ``format``; return the bytes when ``dest`` is ``None``.

    ``dest`` may be a path (written atomically: a failed export leaves an
    existing file untouched) or a binary stream.  ``format`` defaults to the
    one claiming the path's extension.  ``options`` are the exporter's
    declared options, checked before anything is written.  Events the
    exporter reports skipping are named in a :class:`UserWarning`; use
    :func:`export_with_report` for the whole report, and to write in
    another language (``locale=``: here every keyword after ``registry``
    is an exporter option, and a plugin may declare one called ``locale``).
    """
    data, report = export_with_report(timeline, format, dest, registry=registry, options=options)
    if report.skipped:
        warnings.warn(
            f"{report.format}: skipped {len(report.skipped)} of {report.events} events: {report.skipped_text()}",
            UserWarning,
            stacklevel=2,
        )
    return data


def export_with_report(
    timeline: Timeline,
    format: str | None = None,
    dest: str | os.PathLike[str] | IO[bytes] | None = None,
    *,
    registry: Registry | None = None,
    options: Mapping[str, Any] | None = None,
    locale: str = "en",
    check: Callable[[ExportReport], None] | None = None,
) -> tuple[bytes | None, ExportReport]:
    """Like :func:`export`, and also say what the output kept: ``(bytes or None, report)``.

    ``options`` is a mapping here, so no option name can clash with the
    keywords.  ``locale`` (``"ru"``, ``"ko-KR"``; see :func:`resolve_locale`)
    is the language of dates and wording, handed to the exporter in its
    :class:`~timeline.ExportContext`; it is never an exporter option.
    ``check``, if given, sees the report before a path ``dest``
    is replaced; if it raises, the earlier file stays untouched (the CLI's
    ``--strict``).
    """
    _check_export_arguments(timeline, format, dest, registry, options)
    from .locales import resolve_locale

    locale = resolve_locale(locale)  # an unknown one fails here, even for an exporter that ignores it
    registry = registry or default_registry()
    if format is None:
        if dest is None or not isinstance(dest, (str, os.PathLike)):
            raise ArgumentTypeError("export() needs a format unless dest is a path with a known extension")
        exporter = registry.exporter_for_path(dest)
    else:
        exporter = registry.exporter(format)
    resolved = resolve_options(tuple(exporter.options), dict(options or {}), exporter=exporter.name)
    if dest is None:
        buffer = io.BytesIO()
        report = run_exporter(exporter, timeline, buffer, resolved, registry=registry, locale=locale)
        if check is not None:
            check(report)
        return buffer.getvalue(), report
    if isinstance(dest, (str, os.PathLike)):
        from .atomic import atomic_output

        shown = repr(shorten(os.fspath(dest)))
        try:
            with atomic_output(dest) as stream:
                report = run_exporter(exporter, timeline, stream, resolved, registry=registry,
                                      where=shown, locale=locale)
                if check is not None:
                    check(report)
        except OSError as exc:
            raise ExportError(f"cannot write {shown}: {_write_failure(exc, dest)}") from exc
        return None, report
    name = getattr(dest, "name", None)
    where = "standard output" if name == "<stdout>" else repr(name) if isinstance(name, str) else None
    report = run_exporter(exporter, timeline, dest, resolved, registry=registry, where=where, locale=locale)
    if check is not None:
        check(report)
    return None, report
