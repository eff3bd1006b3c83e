"""The hooks a ``timeline`` plugin can implement.

A plugin is a module (or object) registered under the ``timeline`` entry-point
group; it marks its functions with :data:`hookimpl`::

    # pyproject.toml
    [project.entry-points.timeline]
    csv = "timeline_csv"

    # timeline_csv.py
    import timeline

    @timeline.hookimpl
    def timeline_exporters():
        return [CsvExporter()]

Built-in formats are plugins of exactly this kind.  Each hook is called once
per plugin, lazily, the first time a command needs formats; a plugin whose
hook raises is reported and skipped, and the others keep working.

The hooks are part of the versioned plugin API (:mod:`timeline.pluginapi`):
a hook is only removed in a major release, after at least one minor release
in which its spec carries ``warn_on_impl=deprecated_hook(...)``, so every
plugin still implementing it gets a warning naming the plugin::

    @hookspec(warn_on_impl=deprecated_hook("timeline_old", since="1.1", removal="2.0", instead="timeline_new"))
    def timeline_old(): ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from .protocols import Exporter, Reader

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec", "timeline_exporters", "timeline_readers"]

#: The pluggy project name, which is also the entry-point group plugins use.
PROJECT_NAME = "timeline"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Decorator marking a plugin's hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def timeline_exporters() -> Sequence[Exporter]:  # type: ignore[empty-body]
    """Output formats this plugin provides.

    Return a sequence of objects following :class:`timeline.Exporter`: each
    has a ``name`` (the ``--format`` value), ``extensions``, ``media_type``,
    a one-line ``description``, declared ``options`` and a
    ``write(timeline, stream, options)`` method that writes bytes.
    Called once per run; keep it cheap (import heavy libraries in ``write``).
    """


@hookspec
def timeline_readers() -> Sequence[Reader]:  # type: ignore[empty-body]
    """Input formats this plugin can read.

    Return a sequence of objects following :class:`timeline.Reader`: each has
    a ``name``, the file ``extensions`` it claims, a ``description`` and a
    ``read(data, source)`` method turning a file's bytes into a
    :class:`timeline.Document` of plain data (mappings, lists, strings,
    numbers) in the data format of ``docs/data-format.md``.
    """
