"""``timeline preview``: the TimelineJS page, written to a temporary file and opened.

The page is the one ``timeline export -o story.html`` writes (the
``timelinejs-html`` format, or another with ``--format``), so what you
preview is what you publish.  It is left in the temporary directory for
the browser to read; nothing else cleans it up, and nothing needs to.
``--watch`` serves it instead, and writes nothing (``timeline/_live.py``).
"""

from __future__ import annotations

import os
import tempfile
import warnings
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .exporting import export_with_report
from .model import Timeline
from .options import resolve_options
from .registry import Registry, default_registry

__all__ = ["PAGE_FORMAT", "check_options", "open_in_browser", "open_url", "write_page"]

#: The exporter that writes the page.
PAGE_FORMAT = "timelinejs-html"


def check_options(
    options: Mapping[str, Any], registry: Registry | None = None, *, format: str = PAGE_FORMAT
) -> dict[str, Any]:
    """The options of the page's exporter, checked (``OptionError`` for a bad one) and completed."""
    exporter = (registry or default_registry()).exporter(format)
    return resolve_options(tuple(exporter.options), options, exporter=exporter.name)


def write_page(
    timeline: Timeline,
    options: Mapping[str, Any] | None = None,
    *,
    directory: str | os.PathLike[str] | None = None,
    registry: Registry | None = None,
    locale: str = "en",
    format: str = PAGE_FORMAT,
) -> Path:
    """Write the page for ``timeline`` to a new temporary file and return its path.

    The file is named with the first extension of ``format``'s exporter
    (``.html`` for the TimelineJS page).  ``locale`` is the language of the
    dates (and of TimelineJS's labels unless ``language`` is an option).
    """
    exporter = (registry or default_registry()).exporter(format)
    suffix = exporter.extensions[0] if exporter.extensions else ""
    fd, name = tempfile.mkstemp(prefix=f"timeline-{timeline.id}-", suffix=suffix, dir=directory)
    os.close(fd)
    path = Path(name)
    try:
        _, report = export_with_report(timeline, exporter.name, path, registry=registry,
                                       options=dict(options or {}), locale=locale)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if report.skipped:  # as timeline.export() says it
        warnings.warn(
            f"{report.format}: skipped {len(report.skipped)} of {report.events} events: {report.skipped_text()}",
            UserWarning,
            stacklevel=2,
        )
    return path


def open_in_browser(path: Path) -> bool:
    """Open ``path`` in the default web browser; False when there is none to open it."""
    return open_url(path.resolve().as_uri())


def open_url(url: str) -> bool:
    """Open ``url`` in the default web browser; False when there is none to open it."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    try:
        return bool(browser.open(url))
    except (webbrowser.Error, OSError):
        return False
