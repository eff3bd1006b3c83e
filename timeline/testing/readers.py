"""The reader conformance suite: a reader turns any bytes into a Document or a ReadError.

Subclass :class:`ReaderConformance`, name the reader and give a few valid
files in its format::

    class TestIniReader(ReaderConformance):
        format_name = "ini"
        samples = [b"[timeline]\\nid = demo\\n..."]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import pytest

from ..errors import ReadError, TimelineError
from ..hookspecs import hookimpl
from ..model import Timeline
from ..protocols import FORMAT_NAME_PATTERN, Document
from ..registry import Registry
from ._declarations import check_format_declarations

__all__ = ["GARBAGE", "ReaderConformance"]

#: Inputs no reader should choke on: each must give a Document or a ReadError.
GARBAGE: tuple[bytes, ...] = (
    b"",
    b"\x00",
    b"\xff\xfe\x00\x00garbage",
    b"\xef\xbb\xbf",
    b"\xc3\x28 invalid UTF-8 \xa0\xa1",
    "UTF-16 text".encode("utf-16"),
    b"[" * 5_000,
    b"{" * 5_000,
    b"- " * 5_000,
    b"a = " * 10_000,
    b"\n" * 10_000,
    b"null",
    b"42",
    b'"just a string"',
    b"[]",
    b"title: [unclosed",
    b"id: x\ntitle: y\nevents: [{start: 2024-13-45}]\n",
    bytes(range(256)),
    b"x" * 1_000_000,
)


def _cuts(data: bytes) -> list[bytes]:
    """Truncations of ``data`` at a few points (files cut short by a failed download)."""
    if not data:
        return []
    points = sorted({1, len(data) // 3, len(data) // 2, len(data) - 1})
    return [data[:point] for point in points if 0 < point < len(data)]


class _Wrapper:
    """A plugin object offering one reader, to put an instance into a registry."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader

    @hookimpl
    def timeline_readers(self) -> list[Any]:
        return [self.reader]


class ReaderConformance:
    """Base class of a reader's conformance tests; subclass it as ``TestSomething``.

    ``format_name`` looks the reader up among installed plugins; ``reader``
    tests an instance instead.  ``samples`` are valid files in the format
    (each must load into a timeline); ``garbage`` adds inputs of your own to
    :data:`GARBAGE`.
    """

    format_name: ClassVar[str | None] = None
    reader: ClassVar[Any] = None
    samples: ClassVar[Sequence[bytes]] = ()
    garbage: ClassVar[Sequence[bytes]] = ()

    def get_reader(self) -> Any:
        """The reader under test."""
        cls = type(self)
        if cls.reader is not None:
            return cls.reader
        if not cls.format_name:
            pytest.fail(f"{cls.__name__}: set format_name (an installed reader) or reader (an instance)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = Registry().readers()
        if cls.format_name not in found:
            pytest.fail(f"no installed reader is called {cls.format_name!r} (installed: {', '.join(found)})")
        return found[cls.format_name]

    def registry(self) -> Registry:
        """A registry in which the loader finds the reader under test by its name."""
        if type(self).reader is None:
            return Registry()
        registry = Registry(entry_points=False)
        registry.register(_Wrapper(type(self).reader), name="under-test")
        return registry

    def read(self, data: bytes, source: str = "test-input") -> Document | None:
        """Read ``data``; ``None`` for a ReadError; any other exception fails the test."""
        reader = self.get_reader()
        try:
            document = reader.read(data, source)
        except ReadError as exc:
            assert str(exc).strip(), "a ReadError needs a message for the user"
            assert exc.line is None or (isinstance(exc.line, int) and exc.line >= 1), (
                f"ReadError.line must be a 1-based line number or None, not {exc.line!r}"
            )
            return None
        except Exception as exc:
            pytest.fail(
                f"reader {reader.name!r} raised {type(exc).__name__}: {str(exc)[:200]} on {data[:40]!r}...; "
                "raise timeline.ReadError for input it cannot parse"
            )
        assert isinstance(document, Document), f"read() must return a timeline.Document, not {type(document)}"
        return document

    def test_declared_attributes(self) -> None:
        reader = self.get_reader()
        assert isinstance(reader.name, str) and re.fullmatch(FORMAT_NAME_PATTERN, reader.name)
        assert not isinstance(reader.extensions, str)
        for ext in reader.extensions:
            assert isinstance(ext, str) and ext.startswith(".") and ext == ext.lower(), f"bad extension {ext!r}"
        assert isinstance(reader.description, str) and reader.description.strip()
        assert "\n" not in reader.description, "description must be one line"

    def test_samples_load(self) -> None:
        from ..loading import load_bytes

        if not self.samples:
            pytest.skip("no samples given: set samples = [b'...'] to valid files in the format")
        for sample in self.samples:
            document = self.read(sample)
            assert document is not None, f"a sample failed to read: {sample[:60]!r}"
            again = self.read(sample)
            assert again is not None and again.content == document.content, "reading twice gives other data"
            tl = load_bytes(sample, name="sample", input_format=self.get_reader().name, registry=self.registry())
            assert isinstance(tl, Timeline)

    def test_format_declarations_match(self) -> None:
        """The plugin's ``timeline.formats`` entry points list exactly the formats it provides (if it has any)."""
        if type(self).reader is not None:
            pytest.skip("reader given as an instance: there are no installed entry points to check")
        check_format_declarations("reader", self.get_reader().name)

    def test_options_are_valid(self) -> None:
        """Declared reader options (plugin API 1.1) are well formed, and ``read`` accepts the context holding them."""
        from ..reporting import accepts_context
        from .exporters import check_declared_options

        reader = self.get_reader()
        declared = getattr(reader, "options", None)
        if declared is None:
            return  # optional for readers: none declared
        check_declared_options(declared)
        if tuple(declared):
            assert accepts_context(reader.read), (
                "a reader declaring options must accept a keyword-only context: read(data, source, *, context=None)"
            )

    @pytest.mark.parametrize("index", range(len(GARBAGE)))
    def test_garbage_gives_read_error(self, index: int) -> None:
        self.read(GARBAGE[index])

    def test_own_garbage_and_truncated_samples(self) -> None:
        from ..loading import load_bytes

        for data in [*self.garbage, *(cut for sample in self.samples for cut in _cuts(sample))]:
            self.read(data)
            try:
                load_bytes(data, name="cut", input_format=self.get_reader().name, registry=self.registry())
            except TimelineError:
                pass
