"""The warning the built-in exporters give for ongoing events that nothing dates "as of"."""

from __future__ import annotations

import warnings

import timeline


def warn_undated(format_name: str, ids: list[str], *, stacklevel: int) -> None:
    """One warning for every ongoing item shown without an "as of" date (no ``updated``, no SOURCE_DATE_EPOCH)."""
    count = len(ids)
    shown = ", ".join(ids[:3]) + (", ..." if count > 3 else "")
    warnings.warn(
        f"{format_name}: {count} ongoing item{'s' if count != 1 else ''} shown as \"ongoing\" with no "
        f"\"as of\" date ({shown}); set the timeline's `updated` (or SOURCE_DATE_EPOCH) to date "
        f"{'them' if count != 1 else 'it'}",
        timeline.PluginWarning,
        stacklevel=stacklevel + 1,
    )
