"""Running an exporter: options checked, failures named, files written atomically."""

from __future__ import annotations

import errno
import io
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from .errors import ExportError, TimelineError
from .model import Timeline
from .options import resolve_options
from .problems import shorten
from .registry import Registry, default_registry

__all__ = ["export", "plugin_origin", "run_exporter"]


def plugin_origin(exporter: Any, registry: Registry | None = None) -> str:
    """Who provides ``exporter``: ``plugin 'x' (package y)``, or its module when the registry does not know it."""
    if registry is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # broken plugins were reported when they were loaded
            infos = registry.plugins()
        for info in infos:
            if exporter.name in info.exporters:
                package = f", package {info.package}" if info.package else ""
                return f"plugin {info.name!r}{package}"
    return f"module {type(exporter).__module__}"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


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
) -> None:
    """Call ``exporter.write``; anything but a :class:`TimelineError` becomes an :class:`ExportError`.

    The message names the format and the plugin (and package) it comes
    from, so a user knows whom to tell; a failed write (a full disk) names
    ``where`` the output was going.
    """
    try:
        exporter.write(timeline, stream, options)
    except (TimelineError, BrokenPipeError, KeyboardInterrupt):
        raise
    except OSError as exc:
        raise ExportError(
            f"cannot write {where or f'{exporter.name} output'}: {exc.strerror or exc}"
        ) from exc
    except Exception as exc:
        origin = plugin_origin(exporter, registry)
        raise ExportError(f"the {exporter.name!r} exporter ({origin}) failed: {_first_line(exc)}") from exc


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
    declared options, checked before anything is written.
    """
    registry = registry or default_registry()
    if format is None:
        if dest is None or not isinstance(dest, (str, os.PathLike)):
            raise TypeError("export() needs a format unless dest is a path with a known extension")
        exporter = registry.exporter_for_path(dest)
    else:
        exporter = registry.exporter(format)
    resolved = resolve_options(tuple(exporter.options), options, exporter=exporter.name)
    if dest is None:
        buffer = io.BytesIO()
        run_exporter(exporter, timeline, buffer, resolved, registry=registry)
        return buffer.getvalue()
    if isinstance(dest, (str, os.PathLike)):
        from .atomic import atomic_output

        shown = repr(shorten(os.fspath(dest)))
        try:
            with atomic_output(dest) as stream:
                run_exporter(exporter, timeline, stream, resolved, registry=registry, where=shown)
        except OSError as exc:
            raise ExportError(f"cannot write {shown}: {_write_failure(exc, dest)}") from exc
        return None
    name = getattr(dest, "name", None)
    where = "standard output" if name == "<stdout>" else repr(name) if isinstance(name, str) else None
    run_exporter(exporter, timeline, dest, resolved, registry=registry, where=where)
    return None
