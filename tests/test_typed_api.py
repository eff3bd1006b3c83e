"""Types and names a plugin sees (issue 13 §1): registry look-ups typed as the protocols, ``Option(choices=)``,
the warnings beside the exceptions, ``event_uid`` deprecated, messages in words."""

from __future__ import annotations

import inspect
import io
import typing
import uuid
import warnings
from pathlib import Path

import pytest

import timeline
from timeline import errors, protocols, registry, stamps

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("method", "returns"),
    [
        ("exporter", "Exporter"),
        ("exporter_for_path", "Exporter"),
        ("reader", "Reader"),
        ("reader_for_path", "Reader"),
        ("exporters", "dict[str, Exporter]"),
        ("readers", "dict[str, Reader]"),
    ],
)
def test_registry_lookups_return_the_protocols(method: str, returns: str):
    assert inspect.signature(getattr(timeline.Registry, method)).return_annotation == returns
    hints = typing.get_type_hints(getattr(timeline.Registry, method), {**vars(registry), **vars(protocols)})
    assert "Any" not in repr(hints["return"])


def test_builtin_formats_satisfy_the_protocols():
    reg = timeline.Registry()
    for exporter in reg.exporters().values():
        assert isinstance(exporter, timeline.Exporter)
    for reader in reg.readers().values():
        assert isinstance(reader, timeline.Reader)


def test_a_plain_class_satisfies_the_exporter_protocol():
    """Class attributes (a tuple of extensions) meet the protocol's read-only attributes, and a class missing
    one does not."""

    class Minimal:
        name = "minimal"
        extensions = (".min",)
        media_type = "text/plain"
        description = "x"
        options = ()

        def write(self, timeline: object, stream: io.BytesIO, options: object) -> None:
            stream.write(b"")

    class NoMediaType:
        name = "x"
        extensions = ()
        description = "x"
        options = ()

        def write(self, timeline: object, stream: object, options: object) -> None: ...

    assert isinstance(Minimal(), timeline.Exporter)
    assert not isinstance(NoMediaType(), timeline.Exporter)


@pytest.mark.parametrize(
    ("given", "kept"),
    [((), ()), (None, ()), (["a", "b"], ("a", "b")), (("x",), ("x",)), (range(1, 4), (1, 2, 3))],
)
def test_option_choices_take_any_sequence_or_none(given: typing.Any, kept: tuple[object, ...]):
    option = timeline.Option("level", "Level", choices=given)
    assert option.choices == kept and isinstance(option.choices, tuple)


def test_option_choices_refuse_a_string():
    with pytest.raises(TypeError, match="sequence of values"):
        timeline.Option("mode", "Mode", choices="ab")


def test_option_choices_annotation_is_typed():
    init = inspect.signature(timeline.Option.__init__).parameters["choices"].annotation
    assert "Sequence[object]" in str(init) and "None" in str(init), init


@pytest.mark.parametrize(
    ("kind", "given", "message"),
    [
        ("int", "x", "option 'o' takes an integer, not 'x'"),
        ("float", "x", "option 'o' takes a number, not 'x'"),
        ("bool", "perhaps", "option 'o' takes true or false, not 'perhaps'"),
        ("str", 3, "option 'o' takes text, not 3"),
    ],
)
def test_option_type_messages_are_words(kind: str, given: object, message: str):
    with pytest.raises(timeline.OptionError) as caught:
        timeline.Option("o", "O", type=kind).convert(given)
    assert str(caught.value) == message


def test_warnings_live_with_the_exceptions():
    assert timeline.PluginWarning is errors.PluginWarning is registry.PluginWarning
    assert timeline.PluginDeprecationWarning is errors.PluginDeprecationWarning is registry.PluginDeprecationWarning
    assert timeline.PluginWarning.__module__ == "timeline.errors"
    assert issubclass(timeline.PluginDeprecationWarning, timeline.PluginWarning)
    assert issubclass(timeline.PluginWarning, UserWarning)


def test_only_the_documented_exceptions_derive_from_a_builtin():
    builtin = {
        name: [base.__name__ for base in getattr(timeline, name).__bases__ if base.__module__ == "builtins"]
        for name in errors.__all__
    }
    assert builtin == {
        "ArgumentTypeError": ["TypeError"],
        "DateError": ["ValueError"],
        "EventNotFoundError": ["KeyError"],
        "ExportError": [],
        "InvalidTimelineError": ["ValueError"],
        "OptionError": ["ValueError"],
        "PluginDeprecationWarning": [],
        "PluginError": [],
        "PluginWarning": ["UserWarning"],
        "ReadError": ["ValueError"],
        "TimelineError": ["Exception"],
        "UnknownFormatError": ["LookupError"],
        "UnknownLocaleError": [],  # an OptionError, so a ValueError through it
        "UsageError": [],
    }


def test_no_document_says_every_exception_derives_from_a_builtin():
    pages = [ROOT / "docs" / "design.md", ROOT / "docs" / "python-api.md", ROOT / "docs" / "plugins" / "reference"
             / "errors.md", ROOT / "timeline" / "errors.py"]
    for page in pages:
        text = " ".join(page.read_text(encoding="utf-8").split())
        assert "Each class also derives" not in text and "each class also derives" not in text, page


def test_event_uid_is_deprecated_and_unchanged():
    with pytest.warns(timeline.PluginDeprecationWarning, match=r"event_uid\(\) is deprecated .* removed in 2\.0"):
        uid = timeline.event_uid("russia-dprk", "treaty-1961")
    assert isinstance(uid, uuid.UUID)
    assert uid == uuid.UUID(timeline.event_uid_text("russia-dprk", "treaty-1961"))
    assert str(uid) == "0285bac0-8057-5cc9-af01-173232cc5dee"


def test_event_uid_text_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert timeline.event_uid_text("t", "e") == str(uuid.uuid5(stamps.UID_NAMESPACE, "t/e"))


def test_builtins_use_no_deprecated_helper():
    """Every built-in exporter, run on the sample, warns nothing deprecated (iCalendar writes a UID per event)."""
    story = timeline.sample()
    with warnings.catch_warnings():
        warnings.simplefilter("error", timeline.PluginDeprecationWarning)
        for name in timeline.Registry().exporters():
            timeline.export(story, name)
    for source in (ROOT / "plugins").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "event_uid(" not in text and "export_date(" not in text, source.name
