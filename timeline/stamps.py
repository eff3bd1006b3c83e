"""Timestamps and identifiers that never depend on when an export runs.

Formats often want "now" (iCalendar's DTSTAMP) or a unique id (a UID).  Using
the wall clock or a random UUID would make every export different, so these
helpers derive both from the data instead: a timestamp from the timeline's
``updated``, else from ``SOURCE_DATE_EPOCH`` (the reproducible-builds
variable, set by whoever wants to pin it), else the fixed :data:`EPOCH`; a
UID from the timeline's and the event's ids.  No helper here reads the
clock, including the deprecated :func:`export_date`, which once returned
today's date and now gives ``SOURCE_DATE_EPOCH`` or :data:`EPOCH`.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import TYPE_CHECKING

from .dates import Date

if TYPE_CHECKING:  # pragma: no cover
    from .model import Timeline

__all__ = [
    "EPOCH",
    "UID_NAMESPACE",
    "as_of",
    "data_timestamp",
    "event_uid",
    "event_uid_text",
    "export_date",
    "source_date_epoch",
]

#: Namespace of the UUIDs :func:`event_uid_text` makes. Never change it: calendar
#: clients match re-imported events by UID.
UID_NAMESPACE = uuid.UUID("6f0c8a52-3b1e-5d6a-9a27-3c1f0e9d4b11")

#: The fixed timestamp used when the data says nothing about when it was
#: last true: 1970-01-01T00:00:00Z (documented; never the clock).
EPOCH = Date(1970, 1, 1, 0, 0, 0, offset=0)


def _from_epoch_seconds(seconds: int) -> Date:
    """The UTC date and time ``seconds`` after 1970-01-01T00:00:00Z (converted, not the clock)."""
    t = time.gmtime(seconds)
    return Date(t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, offset=0)


def source_date_epoch() -> Date | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) as a UTC date, if set and valid."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw.isdigit():
        return None
    return _from_epoch_seconds(int(raw))


def as_of(timeline: Timeline) -> Date | None:
    """When the data was last known true: ``updated``, else ``SOURCE_DATE_EPOCH``, else None.

    Dates in the events never stand in: one planned for 2044 does not make
    the rest of the data true "as of 2044".  Never the wall clock.
    """
    if timeline.updated is not None:
        return timeline.updated
    return source_date_epoch()


def data_timestamp(timeline: Timeline) -> Date:
    """When the data was last revised, for formats that want a timestamp.

    The timeline's ``updated``; else ``SOURCE_DATE_EPOCH``; else the fixed
    :data:`EPOCH`, 1970-01-01T00:00:00Z.  Never the wall clock and never a
    date taken from the events, so the same data gives the same bytes.
    """
    known = as_of(timeline)
    return known if known is not None else EPOCH


def export_date() -> Date:
    """Deprecated (removal in 2.0): ``SOURCE_DATE_EPOCH``, else the fixed :data:`EPOCH`; never the clock.

    It used to return today's date, which made output depend on the clock;
    it no longer reads the clock.  Use :func:`source_date_epoch` (None when
    unset) or :func:`as_of`.
    """
    import warnings

    from .errors import PluginDeprecationWarning

    warnings.warn(
        "timeline.export_date() is deprecated and will be removed in 2.0: it no longer reads the clock "
        "(it gives SOURCE_DATE_EPOCH or 1970-01-01); use timeline.source_date_epoch() or timeline.as_of(timeline)",
        PluginDeprecationWarning,
        stacklevel=2,
    )
    known = source_date_epoch()
    return known if known is not None else EPOCH


def event_uid(timeline_id: str, event_id: str) -> uuid.UUID:
    """Deprecated (plugin API 1.1, removal in 2.0): ``uuid.UUID(event_uid_text(timeline_id, event_id))``.

    Two public names gave one value; :func:`event_uid_text` stays, and is
    what every format writes.  The UUID itself never changes.
    """
    import warnings

    from .errors import PluginDeprecationWarning

    warnings.warn(
        "timeline.event_uid() is deprecated since plugin API 1.1 and will be removed in 2.0: use "
        "timeline.event_uid_text(timeline_id, event_id), the same UUID as text "
        "(uuid.UUID(timeline.event_uid_text(...)) where a uuid.UUID object is needed)",
        PluginDeprecationWarning,
        stacklevel=2,
    )
    return uuid.uuid5(UID_NAMESPACE, f"{timeline_id}/{event_id}")


_NAMESPACE_BYTES = UID_NAMESPACE.bytes


def event_uid_text(timeline_id: str, event_id: str) -> str:
    """A UUID for an event, as text, that is the same on every export and machine.

    The name-based (version 5) UUID of ``"{timeline_id}/{event_id}"`` in
    :data:`UID_NAMESPACE`, spelt out without building a :class:`uuid.UUID`
    (which costs more than the hashing, on large timelines): the first 16
    octets of SHA-1(namespace + name), with the version (5) and variant (10)
    bits set, as RFC 4122 defines it.
    """
    import hashlib  # here, not at the top: a few ms to import, and only iCalendar export needs it

    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{timeline_id}/{event_id}".encode(),
                                        usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
