"""Reads timelines written in YAML (``.yaml``, ``.yml``)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import timeline
from timeline import Document, ReadError, decode_text

from ._numbers import is_too_long_integer, long_integer_message, yaml_long_integer_line

T = TypeVar("T")
_STACK_LOCK = threading.Lock()


#: PyYAML's C composer recurses once per nesting level in C, below Python's
#: recursion limit, so a deep enough document would crash the interpreter
#: instead of raising.  Depth is therefore bounded before composing: a
#: document that may nest deeper than ``_SAFE_IN_PLACE`` is composed in a
#: thread with a stack sized for it, or, past ``_THREAD_LIMIT``, measured
#: exactly and refused beyond ``MAX_DEPTH`` (a timeline nests a few levels and
#: ``extra`` is limited to 64, but up to ``MAX_DEPTH`` the schema can still say
#: which event and field went wrong).  libyaml's parsing of deep flow
#: collections is quadratic (10,000 levels: 0.5 s; 100,000: 45 s), which is
#: what keeps the limits low.
MAX_DEPTH = 20_000
_SAFE_IN_PLACE = 2_000
_THREAD_LIMIT = 20_000
#: Stack bytes reserved per level in a worker thread (measured: 200-400).
_STACK_PER_LEVEL = 1024
_SHORT_PREFIX = 999  # block depth assumed when no line starts with a longer run of indentation/indicators
_LONG_PREFIX = re.compile(rf"^[ ?:\-]{{{_SHORT_PREFIX + 1},}}", re.MULTILINE)


def _depth_bound(text: str) -> int:
    """A cheap upper bound on the nesting depth of a YAML text.

    Flow collections open with ``[`` or ``{``; block collections nest by
    indentation or by compact indicators (``- - x``) before a line's content.
    """
    flow = text.count("[") + text.count("{")
    block = max((len(m.group()) for m in _LONG_PREFIX.finditer(text)), default=_SHORT_PREFIX)
    return flow + block + 1


def _exact_depth(text: str, yaml: Any) -> int:
    """The nesting depth, from the C parser's event stream (no recursion)."""
    parser = yaml.CSafeLoader(text)
    depth = deepest = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_DEPTH:
                    break  # deep enough to refuse; parsing on can be slow (quadratic in libyaml)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        parser.dispose()
    return deepest


def _run_deep(function: Callable[[], T], text: str, yaml: Any) -> T:
    """Run ``function`` (which composes ``text``) with a stack deep enough for it."""
    if not hasattr(yaml, "CSafeLoader"):
        return function()  # the pure-Python loader raises RecursionError instead of crashing
    bound = _depth_bound(text)
    if bound <= _SAFE_IN_PLACE:
        return function()
    if bound > _THREAD_LIMIT:
        bound = _exact_depth(text, yaml)  # may raise a YAMLError: reported like any syntax error
        if bound > MAX_DEPTH:
            raise ReadError(f"invalid YAML: nested more than {MAX_DEPTH:,} levels deep")
        if bound <= _SAFE_IN_PLACE:
            return function()
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # handed back to the calling thread
            outcome.append((False, exc))

    with _STACK_LOCK:
        previous = threading.stack_size(bound * _STACK_PER_LEVEL + (16 << 20))
        try:
            worker = threading.Thread(target=target, name="yaml-compose")
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value  # type: ignore[no-any-return]


class YamlReader:
    name = "yaml"
    extensions = (".yaml", ".yml")
    description = "YAML 1.1 (PyYAML, safe loading: no tags, no code)"

    def read(self, data: bytes, source: str) -> Document:
        import yaml

        text = decode_text(data)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            content = _run_deep(lambda: yaml.load(text, Loader=loader), text, yaml)  # noqa: S506 - a safe loader
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            raise ReadError(f"invalid YAML: {problem}", line=mark.line + 1 if mark else None) from None
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + 1
            raise ReadError(
                f"invalid YAML: character {exc.character!r} is not allowed ({exc.reason})", line=line
            ) from None
        except yaml.YAMLError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ReadError(f"invalid YAML: {first}") from None
        except RecursionError:
            raise ReadError("invalid YAML: nested too deeply") from None
        except ReadError:
            raise
        except ValueError as exc:  # PyYAML building an unquoted date such as 2024-13-45
            if is_too_long_integer(exc):
                raise ReadError(long_integer_message(), line=_long_integer_line(text, yaml, loader)) from None
            raise ReadError(f"invalid YAML value: {exc} (quote dates: start: '2024-06-19')") from None
        return Document(content, locate=_Locator(text))


def _long_integer_line(text: str, yaml: Any, loader: Any) -> int | None:
    try:
        node = _run_deep(lambda: yaml.compose(text, Loader=loader), text, yaml)
    except Exception:  # the text was composed once already; be safe all the same
        return None
    return yaml_long_integer_line(node)


class _Locator:
    """Finds the line of a value by composing the YAML node tree, once, on demand."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None

    def __call__(self, path: Sequence[str | int]) -> int | None:
        import yaml

        if self._root is None:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            self._root = _run_deep(lambda: yaml.compose(self._text, Loader=loader), self._text, yaml)
        node = self._root
        for part in path:
            node = _child(node, part)
            if node is None:
                return None
        return int(node.start_mark.line) + 1


def _child(node: Any, part: str | int) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


@timeline.hookimpl
def timeline_readers() -> list[YamlReader]:
    return [YamlReader()]
