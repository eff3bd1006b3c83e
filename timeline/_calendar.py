"""Calendar facts both the date layer and the English wording need.

Month names, years before 1 written the way people write them, and UTC
offsets in words live here, below :mod:`timeline.dates`, so that the parser's
messages ("February 1961 has 28 days") and :mod:`timeline.display` share one
spelling without the date layer importing the presentation layer above it.
Internal: the public names are :func:`timeline.human_date` and
:func:`timeline.human_span`.
"""

from __future__ import annotations

__all__ = ["MONTH_NAMES", "format_offset", "human_year"]

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def human_year(year: int) -> str:
    """An astronomical year as people write it: 0 is "1 BCE", -43 is "44 BCE"."""
    return str(year) if year > 0 else f"{1 - year} BCE"


def format_offset(minutes: int) -> str:
    """A UTC offset in minutes as "UTC+9", "UTC+8:30", "UTC-5" or "UTC"."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}:{mins:02d}" if mins else f"UTC{sign}{hours}"
