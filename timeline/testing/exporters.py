"""The exporter conformance suite: what every exporter owes its users, as pytest tests.

Subclass :class:`ExporterConformance` in a test module, name the format, and
pytest runs every check below against it::

    class TestCsvExporter(ExporterConformance):
        format_name = "csv"
"""

from __future__ import annotations

import contextlib
import io
import locale
import os
import re
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import attrs
import pytest

from ..errors import OptionError, TimelineError
from ..hookspecs import hookimpl
from ..model import Timeline
from ..options import Option, resolve_options
from ..protocols import FORMAT_NAME_PATTERN, OPTION_NAME_PATTERN
from ..registry import Registry
from ..reporting import ExportContext, ExportReport, Report, accepts_context
from ._declarations import check_format_declarations
from .corpus import corpus, large_timeline, unchecked_corpus

__all__ = ["MEDIA_TYPE_PATTERN", "ExporterConformance"]

_WORD = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
#: A media type as RFC 6838 and RFC 9110 write it: ``type/subtype`` and ``; name=value`` parameters.
MEDIA_TYPE_PATTERN = rf"{_WORD}/{_WORD}(?:\s*;\s*{_WORD}=(?:{_WORD}|\"[^\"\\]*\"))*"

_CASES = tuple(corpus())
_UNCHECKED = tuple(unchecked_corpus())
#: Zones and locales that differ from any test machine's: output must not change under them.
_ODD_ZONES = ("Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu")
_ODD_LOCALES = ("tr_TR.UTF-8", "de_DE.UTF-8", "ar_EG.UTF-8", "ja_JP.UTF-8", "C.UTF-8")

_exporters: dict[type, Any] = {}


class _NotBytes(AssertionError):
    """The exporter wrote something other than bytes."""


class _BytesOnly(io.BytesIO):
    """A stream that fails loudly when given anything but bytes, and notices being closed."""

    closed_by_writer = False

    def write(self, data: Any) -> int:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise _NotBytes(
                f"write() gave the stream a {type(data).__name__}, not bytes: encode text first "
                f"(e.g. text.encode('utf-8')); got {data!r:.80}"
            )
        return super().write(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def close(self) -> None:
        # The caller owns the stream (it may be standard output); keep the data readable and remember.
        self.closed_by_writer = True


def _is_text(media_type: str) -> bool:
    lowered = media_type.lower()
    essence = lowered.split(";", 1)[0].strip()
    return (
        essence.startswith("text/")
        or "charset=" in lowered
        or essence in ("application/json", "application/xml")
        or essence.endswith(("+json", "+xml"))
    )


@contextlib.contextmanager
def _odd_environment(zone: str, locale_name: str | None) -> Iterator[None]:
    """Run the block with another ``TZ`` (applied with ``time.tzset``) and locale, then restore them."""
    saved_tz = os.environ.get("TZ")
    saved_locale = locale.setlocale(locale.LC_ALL)
    os.environ["TZ"] = zone
    if hasattr(time, "tzset"):
        time.tzset()
    if locale_name is not None:
        locale.setlocale(locale.LC_ALL, locale_name)
    try:
        yield
    finally:
        if saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved_tz
        if hasattr(time, "tzset"):
            time.tzset()
        locale.setlocale(locale.LC_ALL, saved_locale)


def _available_locale() -> str | None:
    saved = locale.setlocale(locale.LC_ALL)
    try:
        for name in _ODD_LOCALES:
            try:
                locale.setlocale(locale.LC_ALL, name)
            except locale.Error:
                continue
            return name
        return None
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def _reordered(tl: Timeline) -> Timeline:
    """An equal timeline built from its parts in reverse order (events, eras, keys of ``extra``)."""
    events = [
        attrs.evolve(event, extra=dict(reversed(list(event.extra.items())))) for event in reversed(tl.events)
    ]
    return attrs.evolve(tl, events=events, eras=list(reversed(tl.eras)))


class _Wrapper:
    """A plugin object offering one exporter, to put an instance into a private registry."""

    def __init__(self, exporter: Any) -> None:
        self.exporter = exporter

    @hookimpl
    def timeline_exporters(self) -> list[Any]:
        return [self.exporter]


def check_declared_options(declared: Any) -> None:
    """Fail unless ``declared`` is a sequence of well-formed :class:`~timeline.Option` (exporters and readers)."""
    assert not isinstance(declared, (str, bytes)), "options must be a sequence of timeline.Option"
    options = tuple(declared)
    for option in options:
        assert isinstance(option, Option), f"{option!r} is not a timeline.Option"
    names = [option.name for option in options]
    assert len(set(names)) == len(names), f"option names repeat: {names}"
    for option in options:
        assert re.fullmatch(OPTION_NAME_PATTERN, option.name), (
            f"option name {option.name!r} must be lowercase words joined by '_'"
        )
        assert option.help.strip() and "\n" not in option.help, f"option {option.name!r} needs one line of help"
        for label, value in [("default", option.default), *(("choice", c) for c in option.choices)]:
            if value is None and label == "default":
                continue  # no default: the exporter sees None
            try:
                assert option.convert(value) == value
            except (OptionError, AssertionError):
                pytest.fail(f"the {label} {value!r} of option {option.name!r} fails the option's own checks")
    assert isinstance(resolve_options(options, {}, exporter="x"), dict)


class ExporterConformance:
    """Base class of an exporter's conformance tests; subclass it as ``TestSomething``.

    Set ``format_name`` to look the exporter up among the installed plugins
    (which also proves the entry point works), or ``exporter`` to test an
    instance directly.  Optional settings:

    ``option_sets``
        Extra option combinations (mappings) to run the whole small corpus with.
    ``large_size``
        Events in the large timeline, exported once with default options.
    ``may_refuse``
        Corpus cases the format cannot represent (``"bce"``, ...): for these the
        exporter may raise a :class:`timeline.TimelineError` instead of writing.

    Override :meth:`check_output` to add checks of your own format on every
    output the suite produces; before each call the suite sets
    ``self.current_options`` (the options given, as a dict) and
    ``self.current_report`` (the :class:`timeline.ExportReport` of that run).
    The class name does not start with ``Test``, so pytest collects only
    your subclass.

    An exporter that accepts a ``context`` (plugin API 1.1) is given one, and
    what it reports is checked against the timeline on every run: each event
    id it names exists, no event is both written and skipped or written twice,
    and, once it reports at all, every event is either written or skipped.
    """

    format_name: ClassVar[str | None] = None
    exporter: ClassVar[Any] = None
    option_sets: ClassVar[Sequence[Mapping[str, Any]]] = ()
    large_size: ClassVar[int] = 10_000
    may_refuse: ClassVar[Sequence[str]] = ()
    #: The options and report of the export :meth:`check_output` is looking at.
    current_options: Mapping[str, Any] = {}
    current_report: ExportReport | None = None

    # -- helpers a subclass may use in its own tests -----------------------
    def get_exporter(self) -> Any:
        """The exporter under test: ``exporter`` if set, else the installed one named ``format_name``."""
        cls = type(self)
        if cls.exporter is not None:
            return cls.exporter
        if cls not in _exporters:
            _exporters[cls] = self._installed()
        return _exporters[cls]

    def _installed(self) -> Any:
        name = type(self).format_name
        if not name:
            pytest.fail(f"{type(self).__name__}: set format_name (an installed format) or exporter (an instance)")
        registry = Registry()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = registry.exporters()
            infos = registry.plugins()
        if name not in found:
            errors = "; ".join(f"{i.name} ({i.package}): {i.error}" for i in infos if i.error) or "none"
            pytest.fail(
                f"no installed exporter is called {name!r} (installed: {', '.join(found)}); "
                f"plugins that failed to load: {errors}. Is the plugin installed (pip install -e .) "
                "and its entry point in the 'timeline' group?"
            )
        return found[name]

    def registry(self) -> Registry:
        """A registry in which the exporter under test is found by name, as ``timeline.export`` needs."""
        if type(self).exporter is None:
            return Registry()
        registry = Registry(entry_points=False)
        registry.register(_Wrapper(self.get_exporter()), name="under-test")
        return registry

    def export_bytes(self, tl: Timeline, **options: Any) -> bytes:
        """Run the exporter's ``write`` on ``tl`` (options checked and completed) and return the bytes.

        Anything but a :class:`timeline.TimelineError` escaping ``write`` fails
        the test with a message naming the timeline.
        """
        return self.export_with_report(tl, **options)[0]

    def export_with_report(self, tl: Timeline, **options: Any) -> tuple[bytes, ExportReport]:
        """Like :meth:`export_bytes`, with the :class:`timeline.ExportReport` of the run.

        The report says ``reported=False`` for an exporter that does not
        accept a ``context`` or reports nothing in it.
        """
        exporter = self.get_exporter()
        resolved = resolve_options(tuple(exporter.options), options, exporter=exporter.name)
        stream = _BytesOnly()
        with_context = accepts_context(exporter.write)
        report = Report()
        try:
            if with_context:
                exporter.write(tl, stream, resolved, context=ExportContext(report=report))
            else:
                exporter.write(tl, stream, resolved)
        except (TimelineError, _NotBytes):
            raise
        except Exception as exc:
            pytest.fail(
                f"exporter {exporter.name!r} raised {type(exc).__name__}: {exc} on timeline {tl.id!r} "
                f"with options {options!r}; raise a timeline.TimelineError subclass "
                "(ExportError for problems the user can fix) instead"
            )
        assert not stream.closed_by_writer, (
            f"exporter {exporter.name!r} closed the stream it was given; the caller owns it "
            "(detach an io.TextIOWrapper before returning)"
        )
        result = report.result(
            format=exporter.name, events=len(tl), reported=with_context and (report.used or len(tl) == 0)
        )
        return stream.getvalue(), result

    def check_report(self, timeline: Timeline, report: ExportReport) -> None:
        """What an exporter reports must fit the timeline it was given (see the class docstring)."""
        name = self.get_exporter().name
        if not report.reported:
            return
        ids = {event.id for event in timeline.events}
        named = [*report.wrote, *(e.event for e in report.skipped), *(e.event for e in report.approximated)]
        unknown = sorted(set(named) - ids)
        assert not unknown, f"exporter {name!r} reports events the timeline {timeline.id!r} lacks: {unknown[:5]}"
        wrote = set(report.wrote)
        assert len(wrote) == len(report.wrote), f"exporter {name!r} reports writing an event twice"
        skipped = [entry.event for entry in report.skipped]
        assert len(set(skipped)) == len(skipped), f"exporter {name!r} reports skipping an event twice"
        both = sorted(wrote & set(skipped))
        assert not both, f"exporter {name!r} reports events as both written and skipped: {both[:5]}"
        missing = sorted(ids - wrote - set(skipped))
        assert not missing, (
            f"exporter {name!r} reports what it kept but neither wrote nor skipped {len(missing)} "
            f"of {len(ids)} events of {timeline.id!r}: {missing[:5]}; call context.report.wrote(event) "
            "or .skipped(event, reason) for each"
        )
        for entry in (*report.skipped, *report.approximated):
            assert isinstance(entry.reason, str) and entry.reason.strip(), (
                f"exporter {name!r} gives no reason for {entry.event!r}"
            )

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        """Override to check ``data`` in your own format (parse it back, compare with ``timeline``)."""

    def _run(self, case: str, tl: Timeline, **options: Any) -> bytes | None:
        """Export ``tl``; ``None`` when the exporter refused a case it declared in ``may_refuse``."""
        try:
            data, report = self.export_with_report(tl, **options)
        except TimelineError as exc:
            if case in self.may_refuse:
                assert str(exc).strip(), f"a refusal of {case!r} needs a message for the user"
                return None
            pytest.fail(
                f"exporter {self.get_exporter().name!r} refused the valid timeline {case!r} "
                f"({type(exc).__name__}: {exc}); if the format cannot represent it, "
                f"list {case!r} in may_refuse"
            )
        assert isinstance(data, bytes)
        if len(tl):
            assert data, f"exporter {self.get_exporter().name!r} wrote nothing for {case!r} ({len(tl)} events)"
        if _is_text(self.get_exporter().media_type):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                pytest.fail(f"text output for {case!r} is not valid UTF-8: {exc}")
        self.check_report(tl, report)
        self.current_options = dict(options)
        self.current_report = report
        self.check_output(tl, data)
        return data

    # -- declared attributes -----------------------------------------------
    def test_declared_attributes(self) -> None:
        exporter = self.get_exporter()
        name = exporter.name
        assert isinstance(name, str) and re.fullmatch(FORMAT_NAME_PATTERN, name), (
            f"name {name!r} must be lowercase letters and digits, words joined by '-' ({FORMAT_NAME_PATTERN})"
        )
        if type(self).exporter is None:
            assert name == type(self).format_name
        extensions = exporter.extensions
        assert not isinstance(extensions, str), "extensions must be a sequence of strings, not one string"
        for ext in extensions:
            assert isinstance(ext, str) and re.fullmatch(r"(?:\.[a-z0-9][a-z0-9_+-]*)+", ext), (
                f"extension {ext!r} must start with '.' and be lowercase, e.g. '.csv' or '.timeline.json'"
            )
        assert len(set(extensions)) == len(tuple(extensions)), f"extensions repeat: {extensions!r}"
        media_type = exporter.media_type
        assert isinstance(media_type, str) and re.fullmatch(MEDIA_TYPE_PATTERN, media_type), (
            f"media_type {media_type!r} is not a media type such as 'text/csv; charset=utf-8'"
        )
        description = exporter.description
        assert isinstance(description, str) and description.strip() == description and description, (
            "description must be non-empty text without surrounding spaces"
        )
        assert "\n" not in description and "\r" not in description, "description must be one line"
        assert callable(getattr(exporter, "write", None)), "an exporter needs a write(timeline, stream, options)"

    def test_options_are_valid(self) -> None:
        check_declared_options(self.get_exporter().options)

    def test_format_declarations_match(self) -> None:
        """The plugin's ``timeline.formats`` entry points list exactly the formats it provides (if it has any)."""
        if type(self).exporter is not None:
            pytest.skip("exporter given as an instance: there are no installed entry points to check")
        check_format_declarations("exporter", self.get_exporter().name)

    # -- behaviour on the corpus -------------------------------------------
    @pytest.mark.parametrize("case", _CASES)
    def test_writes_bytes(self, case: str) -> None:
        self._run(case, corpus()[case])

    @pytest.mark.parametrize("case", _CASES)
    def test_deterministic(self, case: str) -> None:
        tl = corpus()[case]
        first = self._run(case, tl)
        if first is not None:
            report = self.current_report
            assert self._run(case, tl) == first, f"two exports of {case!r} differ"
            assert self.current_report == report, f"two exports of {case!r} report different things"

    @pytest.mark.parametrize("case", ["everything", "hostile", "eras", "sources-media-locations", "ties"])
    def test_independent_of_input_order(self, case: str) -> None:
        tl = corpus()[case]
        other = _reordered(tl)
        assert other == tl
        first = self._run(case, tl)
        if first is not None:
            assert self._run(case, other) == first, (
                f"an equal timeline built in another order gives other bytes for {case!r}: "
                "sort what the model does not (e.g. keys of extra)"
            )

    @pytest.mark.parametrize("case", _UNCHECKED)
    def test_only_timeline_errors(self, case: str) -> None:
        """Timelines that skip validation may be refused, with a TimelineError, but never crash the exporter."""
        with contextlib.suppress(TimelineError):
            self.export_bytes(unchecked_corpus()[case])

    def test_independent_of_tz_and_locale(self) -> None:
        tl = corpus()["everything"]
        expected = self._run("everything", tl)
        odd_locale = _available_locale()
        for zone in _ODD_ZONES:
            with _odd_environment(zone, odd_locale):
                got = self._run("everything", tl)
            assert got == expected, f"output changes with TZ={zone} / locale {odd_locale}"

    def test_large_timeline(self) -> None:
        tl = large_timeline(self.large_size)
        self._run(f"large-{self.large_size}", tl)

    # -- options -------------------------------------------------------------
    def _option_values(self) -> list[tuple[str, Any]]:
        values: list[tuple[str, Any]] = []
        for option in self.get_exporter().options:
            candidates: list[Any] = list(option.choices)
            if option.type == "bool":
                candidates += [True, False]
            elif option.type in ("int", "float"):
                candidates += [bound for bound in (option.minimum, option.maximum) if bound is not None]
            if option.default is not None:
                candidates.append(option.default)
            for value in dict.fromkeys(candidates):
                if option.type == "int" and isinstance(value, float):
                    if not value.is_integer():
                        continue
                    value = int(value)
                values.append((option.name, value))
        return values

    def test_declared_option_values(self) -> None:
        tl = corpus()["everything"]
        for name, value in self._option_values():
            first = self._run("everything", tl, **{name: value})
            assert first == self._run("everything", tl, **{name: value}), (
                f"two exports with {name}={value!r} differ"
            )

    @pytest.mark.parametrize("case", _CASES)
    def test_option_sets(self, case: str) -> None:
        for options in self.option_sets:
            first = self._run(case, corpus()[case], **options)
            assert first == self._run(case, corpus()[case], **options), f"two exports with {options!r} differ"

    def test_unknown_option_rejected(self) -> None:
        from ..exporting import export

        tl = corpus()["one-event"]
        name = self.get_exporter().name
        with pytest.raises(OptionError):
            export(tl, name, registry=self.registry(), no_such_option_xyz="1")

    def test_badly_typed_options_rejected(self) -> None:
        wrong = {"int": "many", "float": "lots", "bool": "perhaps"}
        for option in self.get_exporter().options:
            if option.type in wrong:
                with pytest.raises(OptionError):
                    resolve_options((option,), {option.name: wrong[option.type]}, exporter="x")

    def test_found_by_name_through_export(self) -> None:
        """``timeline.export`` with the format's name writes what ``write`` writes."""
        from ..exporting import export

        tl = corpus()["one-event"]
        direct = self._run("one-event", tl)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            via_export = export(tl, self.get_exporter().name, registry=self.registry())
        assert via_export == direct
