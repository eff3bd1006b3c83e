"""What an export kept: the context a plugin is given, and the report it fills in (plugin API 1.1).

A 1.1 exporter or reader may accept a keyword-only ``context`` argument::

    def write(self, timeline, stream, options, *, context=None):
        report = context.report if context is not None else timeline_pkg.Report()
        for event in timeline.events:
            if cannot_hold(event):
                report.skipped(event, "the format cannot hold years before 1")
                continue
            ...
            report.wrote(event)

The host passes ``context`` only to a ``write``/``read`` whose signature
accepts it (a parameter called ``context``, or ``**kwargs``), so a 1.0
plugin keeps working untouched.  The host turns the :class:`Report` an
exporter filled in into a frozen :class:`ExportReport`, which the CLI
summarises ("wrote 22 of 23 events"), prints with ``--report`` and checks
with ``--strict``.

An exporter that writes titles and descriptions takes them from
``context.translated(item)``: the translation into the export's locale
where the data has one, else the original, and the report counts the
originals shown ("12 of 57 events had no ru title; shown in the original").
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from ._translations import TranslatedText

__all__ = [
    "ExportContext",
    "ExportReport",
    "ReadContext",
    "ReadReport",
    "Report",
    "ReportEntry",
    "accepts_context",
]


def _event_id(event: object) -> str:
    """An event's id: an :class:`~timeline.Event` or its id as a string."""
    if isinstance(event, str):
        return event
    found = getattr(event, "id", None)
    if not isinstance(found, str):
        raise TypeError(f"report an event (or its id), not {type(event).__name__}")
    return found


@attrs.frozen
class ReportEntry:
    """One event the output does not hold as the data has it.

    ``field`` is the field that was approximated (``"start"``, ``"end"``,
    ``"location"``, ...), or ``None`` for a skipped event; ``reason`` says
    why it was skipped, or how it was approximated, in words for the user.
    """

    event: str
    reason: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"event": self.event}
        if self.field is not None:
            out["field"] = self.field
        out["reason"] = self.reason
        return out


class Report:
    """Filled in by an exporter (or reader) as it works: what it wrote, skipped and approximated.

    Each method takes the :class:`~timeline.Event` or its id.  Call
    :meth:`wrote` once for every event the output holds, :meth:`skipped`
    for every event it leaves out, and :meth:`approximated` for each field
    it could not write as the data has it (an event may be written *and*
    approximated).  An exporter that calls none of them is taken not to
    report, and the host claims no count it does not know.
    """

    __slots__ = ("_approximated", "_skipped", "_texts", "_wrote")

    def __init__(self) -> None:
        self._wrote: list[str] = []
        self._skipped: list[ReportEntry] = []
        # grouped by (field, how), so a report on a big timeline costs one reference per event
        self._approximated: dict[tuple[str, str], list[str]] = {}
        # (kind, field) -> {id: translation used}; an item asked about twice counts once
        self._texts: dict[tuple[str, str], dict[str, bool]] = {}

    def wrote(self, event: object) -> None:
        """The output holds ``event``."""
        self._wrote.append(_event_id(event))

    def skipped(self, event: object, reason: str) -> None:
        """``event`` is left out of the output, because of ``reason`` (one phrase, for the user)."""
        self._skipped.append(ReportEntry(_event_id(event), str(reason)))

    def approximated(self, event: object, field: str, how: str) -> None:
        """``field`` of ``event`` is written only approximately; ``how`` says what was lost."""
        self._approximated.setdefault((str(field), str(how)), []).append(_event_id(event))

    def translation(self, item: object, field: str, found: bool) -> None:
        """Whether ``field`` (``"title"``, ``"description"``) of ``item`` was written from a translation.

        ``item`` is an :class:`~timeline.Event`, :class:`~timeline.Era` or
        :class:`~timeline.Timeline`.  :meth:`ExportContext.translated`
        calls this; an exporter that looks translations up itself can too.
        """
        kind, key = _item_key(item)
        self._texts.setdefault((kind, str(field)), {})[key] = bool(found)

    @property
    def used(self) -> bool:
        """Whether anything was reported."""
        return bool(self._wrote or self._skipped or self._approximated)

    def result(self, *, format: str, events: int, reported: bool | None = None,
               notes: tuple[str, ...] = (), locale: str = "en") -> ExportReport:
        """The frozen :class:`ExportReport` of what was reported so far."""
        untranslated = tuple(
            (kind, field, len(found), tuple(key for key, used in found.items() if not used))
            for (kind, field), found in sorted(
                self._texts.items(), key=lambda group: (_GROUP_ORDER.get(group[0], (3, 2)), group[0]))
        )
        return ExportReport(
            format=format,
            events=events,
            reported=self.used or events == 0 if reported is None else reported,
            wrote=tuple(self._wrote),
            skipped=tuple(self._skipped),
            approximated_by=tuple((field, how, tuple(ids)) for (field, how), ids in self._approximated.items()),
            notes=notes,
            locale=locale,
            untranslated_by=tuple(group for group in untranslated if group[3]),
        )


#: Report groups in a fixed order: the timeline's texts, the eras', the events'; titles before descriptions.
_GROUP_ORDER = {
    (kind, field): (i, j)
    for i, kind in enumerate(("timeline", "era", "event"))
    for j, field in enumerate(("title", "description"))
}


def _item_key(item: object) -> tuple[str, str]:
    """("event", its id), ("era", its title) or ("timeline", its id)."""
    from ._records import Era, Event

    if isinstance(item, Event):
        return "event", item.id
    if isinstance(item, Era):
        return "era", item.title
    found = getattr(item, "id", None)
    if not isinstance(found, str) or not hasattr(item, "events"):
        raise TypeError(f"report on an Event, Era or Timeline, not {type(item).__name__}")
    return "timeline", found


@attrs.frozen
class ExportContext:
    """What the host tells an exporter besides the options (plugin API 1.1).

    ``report`` is where the exporter says what it wrote, skipped and
    approximated; ``locale`` is the language and conventions to write
    dates and labels in (``"en"`` until the CLI grows ``--locale``).
    It is separate from the options, so no option name can clash with it.
    """

    report: Report = attrs.field(factory=Report)
    locale: str = "en"

    def translated(self, item: object) -> TranslatedText:
        """The title and description of ``item`` (an event, era or timeline) in :attr:`locale`.

        The item's translation where the data has one, the original
        otherwise (:func:`timeline.translated`); each original shown in
        place of a missing translation is counted in :attr:`report`.  In
        English, the language the data is taken to be written in, a
        missing translation is not counted.
        """
        from ._translations import translated

        text = translated(item, self.locale)
        if self.locale != "en":
            report = self.report
            report.translation(item, "title", text.title_translated)
            if text.description or text.description_translated:
                report.translation(item, "description", text.description_translated)
        return text


@attrs.frozen
class ReadContext:
    """What the host tells a reader besides the bytes (plugin API 1.1).

    ``options`` holds the reader's settings: every option the reader
    declares (``options = (timeline.Option(...), ...)`` on the reader),
    checked, with defaults filled in (``-R NAME=VALUE`` on the command line,
    ``reader_options=`` in :func:`timeline.load`).  ``report`` is where the
    reader says which events it skipped or approximated (``report.wrote``
    is not needed from a reader).
    """

    report: Report = attrs.field(factory=Report)
    options: Mapping[str, object] = attrs.field(factory=dict)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _shown(ids: list[str], limit: int = 3) -> str:
    more = len(ids) - limit
    return ", ".join(ids[:limit]) + (f" and {more} more" if more > 0 else "")


@attrs.frozen
class ExportReport:
    """What one export kept, as the host returns it (:func:`timeline.export_with_report`).

    ``events`` is how many events the timeline given to the exporter
    held.  ``reported`` is false for an exporter that does not report
    (a 1.0 plugin): then ``wrote``, ``skipped`` and ``approximated`` are
    empty and say nothing.  ``notes`` are the host's remarks, e.g. that
    the exporter ignores the locale.  ``locale`` is the export's locale;
    ``untranslated_by`` groups the texts written in the original because
    the data has no translation into it (only for a locale other than
    ``en``, and only from an exporter that uses
    :meth:`ExportContext.translated` or :meth:`Report.translation`).
    """

    format: str
    events: int
    reported: bool
    wrote: tuple[str, ...] = ()
    skipped: tuple[ReportEntry, ...] = ()
    #: The approximations grouped as ``(field, how, event ids)``, which is compact on big timelines.
    approximated_by: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    notes: tuple[str, ...] = ()
    locale: str = "en"
    #: ``(kind, field, asked, ids)``: of ``asked`` items of ``kind`` ("timeline", "era", "event")
    #: whose ``field`` was written, those with these ids (an era's is its title) had no translation.
    untranslated_by: tuple[tuple[str, str, int, tuple[str, ...]], ...] = ()

    @property
    def approximated(self) -> tuple[ReportEntry, ...]:
        """Every approximated field, one :class:`ReportEntry` each, group by group."""
        return tuple(ReportEntry(event, how, field) for field, how, ids in self.approximated_by for event in ids)

    @property
    def lost(self) -> bool:
        """Whether events were left out of the output."""
        return bool(self.skipped)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, as ``timeline export --report=json`` prints it."""
        return {
            "format": self.format,
            "events": self.events,
            "reported": self.reported,
            "wrote": len(self.wrote) if self.reported else None,
            "skipped": [entry.as_dict() for entry in self.skipped],
            "approximated": [entry.as_dict() for entry in self.approximated],
            "locale": self.locale,
            "untranslated": [
                {"kind": kind, "field": field, "of": asked, "ids": list(ids)}
                for kind, field, asked, ids in self.untranslated_by
            ],
            "notes": list(self.notes),
        }

    def untranslated_text(self) -> list[str]:
        """One sentence per group: ``12 of 57 events had no ru title; shown in the original: a, b, c and 9 more``."""
        lines = []
        for kind, field, asked, ids in self.untranslated_by:
            if kind == "timeline":
                lines.append(f"the timeline had no {self.locale} {field}; shown in the original")
                continue
            quoted = [repr(i) for i in ids] if kind == "era" else list(ids)
            lines.append(f"{len(ids)} of {_plural(asked, kind)} had no {self.locale} {field}; "
                         f"shown in the original: {_shown(quoted)}")
        return lines

    def skipped_text(self) -> str:
        """The skipped events, a few per reason: ``caesar, far (iCalendar cannot hold ...)``."""
        by_reason: dict[str, list[str]] = {}
        for entry in self.skipped:
            by_reason.setdefault(entry.reason, []).append(entry.event)
        return "; ".join(f"{_shown(ids)} ({reason})" for reason, ids in by_reason.items())

    def summary(self, where: str | None = None) -> str:
        """One line: ``wrote 22 of 23 events to story.ics; skipped 1: gojoseon-legend (...)``."""
        to = f" to {where}" if where else ""
        if not self.reported:
            target = where or "the output"
            return f"wrote {target} (the {self.format!r} exporter does not report what it kept)"
        wrote = len(self.wrote)
        if wrote == self.events:
            text = f"wrote {_plural(wrote, 'event')}{to}"
        else:
            text = f"wrote {wrote} of {_plural(self.events, 'event')}{to}"
        if self.skipped:
            text += f"; skipped {len(self.skipped)}: " + self.skipped_text()
        for kind, field, asked, ids in self.untranslated_by:
            if kind == "event" and field == "title":
                text += (f"; {len(ids)} of {asked} event titles had no {self.locale} translation "
                         "(shown in the original)")
        return text

    def text(self) -> str:
        """Every skipped event and approximated field, one per line, for ``--report``."""
        lines = [f"report of the {self.format} export:"]
        if not self.reported:
            lines.append(f"  the {self.format!r} exporter does not report what it kept; nothing is known")
        else:
            lines.append(f"  wrote {len(self.wrote)} of {_plural(self.events, 'event')}")
            lines += _entry_lines(self.skipped, self.approximated)
        lines += [f"  {line}" for line in self.untranslated_text()]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


@attrs.frozen
class ReadReport:
    """What a reader reported about one file (plugin API 1.1): ``timeline check --report``.

    ``reported`` is false for a reader that does not accept a context (a
    1.0 plugin), which cannot say what it left out.  ``options`` are the
    reader options it was given, defaults filled in.
    """

    source: str
    reader: str
    reported: bool
    skipped: tuple[ReportEntry, ...] = ()
    approximated_by: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    options: Mapping[str, object] = attrs.field(factory=dict)
    notes: tuple[str, ...] = ()

    @classmethod
    def from_report(
        cls, report: Report | None, *, source: str, reader: str, options: Mapping[str, object] | None = None
    ) -> ReadReport:
        """The frozen report of a reader's :class:`Report` (``None``: the reader takes no context)."""
        if report is None:
            note = (f"the {reader!r} reader does not accept a context (plugin API 1.0): "
                    "it cannot report what it skipped or approximated")
            return cls(source, reader, False, options=dict(options or {}), notes=(note,))
        result = report.result(format=reader, events=0, reported=True)
        return cls(source, reader, True, result.skipped, result.approximated_by, dict(options or {}))

    @property
    def approximated(self) -> tuple[ReportEntry, ...]:
        """Every approximated field, one :class:`ReportEntry` each."""
        return tuple(ReportEntry(event, how, field) for field, how, ids in self.approximated_by for event in ids)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "reader": self.reader,
            "reported": self.reported,
            "options": dict(self.options),
            "skipped": [entry.as_dict() for entry in self.skipped],
            "approximated": [entry.as_dict() for entry in self.approximated],
            "notes": list(self.notes),
        }

    def text(self) -> str:
        """Every skipped event and approximated field, one per line."""
        lines = [f"report of reading {self.source} (reader {self.reader}):"]
        if self.options:
            shown = ", ".join(f"{name}={_option_text(value)}" for name, value in self.options.items())
            lines.append(f"  options: {shown}")
        if self.reported:
            lines += _entry_lines(self.skipped, self.approximated)
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


def _entry_lines(skipped: Sequence[ReportEntry], approximated: Sequence[ReportEntry]) -> list[str]:
    """The skipped events and approximated fields of a report, as ``text()`` lists them."""
    lines: list[str] = []
    if skipped:
        lines.append(f"  skipped {len(skipped)}:")
        lines += [f"    {entry.event}: {entry.reason}" for entry in skipped]
    if approximated:
        lines.append(f"  approximated {_plural(len(approximated), 'field')}:")
        lines += [f"    {entry.event} {entry.field}: {entry.reason}" for entry in approximated]
    if not skipped and not approximated:
        lines.append("  nothing skipped or approximated")
    return lines


def _option_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else "(none)" if value is None else str(value)


_accepts: dict[int, tuple[object, bool]] = {}


def accepts_context(method: Callable[..., Any]) -> bool:
    """Whether a plugin's ``write``/``read`` takes ``context=`` (by name, or through ``**kwargs``).

    Looked up once per function (bound methods share their class's function).
    """
    function = getattr(method, "__func__", method)
    cached = _accepts.get(id(function))
    if cached is not None and cached[0] is function:
        return cached[1]
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: assume the 1.0 call
        found = False
    else:
        found = any(
            p.kind is p.VAR_KEYWORD
            or (p.name == "context" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))
            for p in parameters
        )
    _accepts[id(function)] = (function, found)
    return found
