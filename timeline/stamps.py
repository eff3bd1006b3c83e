"""Timestamps and identifiers that never depend on when or where we run.

Formats often want "now" (iCalendar's DTSTAMP) or a unique id (a UID).  Using
the wall clock or a random UUID would make every export different, so these
helpers derive both from the data instead.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import TYPE_CHECKING

from .dates import Date

if TYPE_CHECKING:  # pragma: no cover
    from .model import Timeline

__all__ = ["UID_NAMESPACE", "data_timestamp", "event_uid", "event_uid_text", "export_date", "source_date_epoch"]

#: Namespace of the UUIDs :func:`event_uid` makes. Never change it: calendar
#: clients match re-imported events by UID.
UID_NAMESPACE = uuid.UUID("6f0c8a52-3b1e-5d6a-9a27-3c1f0e9d4b11")

_EPOCH = Date(1970, 1, 1, 0, 0, 0, offset=0)


def _from_epoch_seconds(seconds: int) -> Date:
    t = time.gmtime(seconds)
    return Date(t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, offset=0)


def source_date_epoch() -> Date | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) as a UTC date, if set and valid."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw.isdigit():
        return None
    return _from_epoch_seconds(int(raw))


def data_timestamp(timeline: Timeline) -> Date:
    """When the data was last revised, for formats that want a timestamp.

    The timeline's ``updated``; else ``SOURCE_DATE_EPOCH``; else the latest
    date any event mentions; else 1970-01-01.  Never the wall clock, so the
    same data gives the same bytes.
    """
    if timeline.updated is not None:
        return timeline.updated
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    latest: Date | None = None
    for event in timeline.events:
        for date in (event.start, event.end):
            if date is not None and (latest is None or date.last_day() > latest.last_day()):
                latest = date
    return latest if latest is not None else _EPOCH


def export_date() -> Date:
    """Today, for options that explicitly ask for "now": ``SOURCE_DATE_EPOCH`` if set, else the clock."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else _from_epoch_seconds(int(time.time()))


def event_uid(timeline_id: str, event_id: str) -> uuid.UUID:
    """A UUID for an event that is the same on every export and machine."""
    return uuid.uuid5(UID_NAMESPACE, f"{timeline_id}/{event_id}")


_NAMESPACE_BYTES = UID_NAMESPACE.bytes


def event_uid_text(timeline_id: str, event_id: str) -> str:
    """``str(event_uid(timeline_id, event_id))``, several times cheaper.

    Exporters writing a UID per event on large timelines want the text, not a
    :class:`uuid.UUID` (building one costs more than the hashing).  This is
    RFC 4122's name-based SHA-1 UUID spelled out: the first 16 octets of
    SHA-1(namespace + name), with the version (5) and variant (10) bits set.
    """
    import hashlib  # here, not at the top: a few ms to import, and only iCalendar export needs it

    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{timeline_id}/{event_id}".encode(),
                                        usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
