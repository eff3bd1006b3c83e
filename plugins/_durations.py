"""How long an event or era lasted, in words, for the exporters that show it (Markdown, TimelineJS)."""

from __future__ import annotations

from timeline import Date, human_duration


def span_duration(start: Date, end: Date | None, ongoing: bool, as_of: Date | None, locale: str) -> str | None:
    """"3 years 1 month 2 days", or "for 2 years 9 months, as of 4 December 2024" for an ongoing span.

    None when there is nothing to count: a single date, an ongoing span the
    data does not date "as of" (or dates before its start), or an end that
    comes before the start once both are reduced to the coarser precision.
    pendulum, which does the counting, is imported only here, on the first
    duration written.
    """
    if ongoing:
        if as_of is None:
            return None
        end, written = as_of, True
    elif end is None:
        return None
    else:
        written = False
    try:
        return human_duration(start, end, locale=locale, ongoing=written)
    except ValueError:  # the end (or the "as of" date) is before the start
        return None
