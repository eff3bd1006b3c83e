"""The plugin API's version, and how plugins learn that part of it is going away.

``PLUGIN_API_VERSION`` is ``MAJOR.MINOR``.  A minor release only adds to the
API (a new helper, a new optional hook, a new optional exporter attribute);
anything that could break a working plugin waits for the next major release
and is announced first: a deprecated hook keeps working for at least one minor
release while every plugin implementing it gets a
:class:`~timeline.PluginDeprecationWarning` naming the plugin.

Plugin API 1.1 added the optional keyword-only ``context`` argument of an
exporter's ``write`` and a reader's ``read`` (:class:`~timeline.ExportContext`,
:class:`~timeline.ReadContext`): the host passes it only to a method that
accepts it, so a 1.0 plugin loads and works unchanged.

A plugin states the API it was written against with an optional module (or
plugin object) attribute::

    TIMELINE_PLUGIN_API = "1.1"

It loads when the major versions are equal and ours is at least as new; any
other value is reported like a plugin that failed to import, so the user
learns which plugin to update instead of seeing it crash later.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .errors import PluginDeprecationWarning

__all__ = ["PLUGIN_API_VERSION", "api_problem", "deprecated_hook", "parse_api_version"]

#: The version of the plugin API this ``timeline`` provides.
PLUGIN_API_VERSION = "1.1"

_VERSION_RE = re.compile(r"([0-9]+)\.([0-9]+)")


def parse_api_version(text: str) -> tuple[int, int]:
    """``"1.2"`` -> ``(1, 2)``; ``ValueError`` for anything else."""
    match = _VERSION_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"plugin API version must be written MAJOR.MINOR, e.g. {PLUGIN_API_VERSION!r}, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def api_problem(declared: object, provided: str = PLUGIN_API_VERSION) -> str | None:
    """Why a plugin declaring ``TIMELINE_PLUGIN_API = declared`` cannot load, or ``None`` if it can.

    ``None`` (nothing declared) is accepted: declaring is recommended, not required.
    """
    if declared is None:
        return None
    if not isinstance(declared, str):
        return f"declares TIMELINE_PLUGIN_API = {declared!r}, which is not a string like {provided!r}"
    try:
        major, minor = parse_api_version(declared)
    except ValueError as exc:
        return f"declares an invalid TIMELINE_PLUGIN_API: {exc}"
    have_major, have_minor = parse_api_version(provided)
    if major == have_major and minor <= have_minor:
        return None
    from ._version import __version__

    advice = (
        "upgrade timeline-events"
        if (major, minor) > (have_major, have_minor)
        else "install a release of the plugin made for this plugin API"
    )
    return (
        f"needs plugin API {declared.strip()}, but timeline {__version__} provides plugin API {provided}; {advice}"
    )


def deprecated_hook(name: str, *, since: str, removal: str, instead: str | None = None) -> PluginDeprecationWarning:
    """The warning to pass as ``@hookspec(warn_on_impl=...)`` when a hook is deprecated.

    Every plugin implementing the hook then gets a warning naming it, e.g.
    ``plugin 'x' (package timeline-x) implements timeline_foo, deprecated
    since plugin API 1.1 and removed in 2.0: implement timeline_bar instead``.
    """
    from .errors import PluginDeprecationWarning

    advice = f": implement {instead} instead" if instead else ""
    return PluginDeprecationWarning(
        f"implements {name}, deprecated since plugin API {since} and removed in {removal}{advice}"
    )
