"""What the YAML and TOML writers share with the canonical JSON: the data, in the documented order.

The JSON exporter's :func:`event_to_data` decides what is written and in
which order (empty fields left out, ``extra`` with sorted keys, dates in
canonical EDTF as :func:`date_text` spells them); the other writers of the
project's own formats only spell the same data differently.  Dates come
back as :class:`DateText`, so a writer can quote them whatever they look like.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from timeline import Event, Timeline

from .json_format import date_text, event_to_data, translations_data

__all__ = ["DateText", "era_items", "event_items", "header_items"]


class DateText(str):
    """An EDTF date as text: always written as a quoted string, never as a format's own date."""

    __slots__ = ()


def header_items(tl: Timeline) -> dict[str, Any]:
    """The header fields, in the documented order: ``id, title, description, translations, timezone, updated``."""
    head: dict[str, Any] = {"id": tl.id, "title": tl.title}
    if tl.description:
        head["description"] = tl.description
    if tl.translations:
        head["translations"] = translations_data(tl.translations)
    if tl.timezone is not None:
        head["timezone"] = tl.timezone
    if tl.updated is not None:
        head["updated"] = DateText(date_text(tl.updated, tl.timezone))
    return head


def era_items(tl: Timeline) -> Iterator[dict[str, Any]]:
    """Each era as ``title, start, end, description, translations``."""
    for era in tl.eras:
        data: dict[str, Any] = {"title": era.title, "start": DateText(date_text(era.start, tl.timezone))}
        if era.ongoing:
            data["end"] = DateText("..")
        elif era.end is not None:
            data["end"] = DateText(date_text(era.end, tl.timezone))
        if era.description:
            data["description"] = era.description
        if era.translations:
            data["translations"] = translations_data(era.translations)
        yield data


def event_items(event: Event, zone: str | None) -> dict[str, Any]:
    """An event as the canonical JSON has it, with its dates marked as :class:`DateText`."""
    data = event_to_data(event, zone)
    for key in ("start", "end"):
        if key in data:
            data[key] = DateText(data[key])
    for source in data.get("sources", ()):
        if "date" in source:
            source["date"] = DateText(source["date"])
    return data
