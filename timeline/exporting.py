"""Running an exporter: options checked, failures named, files written atomically."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import IO, Any

from .atomic import atomic_output
from .errors import ExportError, TimelineError
from .model import Timeline
from .options import resolve_options
from .registry import Registry, default_registry

__all__ = ["export", "run_exporter"]


def run_exporter(exporter: Any, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any]) -> None:
    """Call ``exporter.write``; anything but a :class:`TimelineError` becomes an :class:`ExportError`."""
    try:
        exporter.write(timeline, stream, options)
    except (TimelineError, BrokenPipeError, KeyboardInterrupt):
        raise
    except OSError as exc:
        raise ExportError(f"could not write {exporter.name} output: {exc.strerror or exc}") from exc
    except Exception as exc:
        origin = type(exporter).__module__
        raise ExportError(
            f"the {exporter.name!r} exporter (from {origin}) failed: {type(exc).__name__}: {exc}"
        ) from exc


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
        run_exporter(exporter, timeline, buffer, resolved)
        return buffer.getvalue()
    if isinstance(dest, (str, os.PathLike)):
        try:
            with atomic_output(dest) as stream:
                run_exporter(exporter, timeline, stream, resolved)
        except OSError as exc:
            raise ExportError(f"cannot write {os.fspath(dest)!r}: {exc.strerror or exc}") from exc
        return None
    run_exporter(exporter, timeline, dest, resolved)
    return None
