"""Reads timelines written in YAML (``.yaml``, ``.yml``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import timeline
from timeline import Document, ReadError, decode_text

#: libyaml, as bundled with PyYAML 6.0.4 and newer, refuses a document nested
#: 1,000 levels deep with a marked error, before its composer (which recurses
#: in C) can overflow the stack: the C loader needs no guard of ours.
LIBYAML_MAX_DEPTH = 999
#: PyYAML's pure-Python loader (used where PyYAML was built without libyaml)
#: composes recursively and raises RecursionError after a few hundred levels
#: (measured: about 500 at Python's default limit).  Its parser is iterative,
#: so depth is counted from the parser's events first and refused past this,
#: with the line where the limit was crossed.  A timeline nests a few levels
#: and ``extra`` at most 64, so the schema still names event and field there.
PURE_MAX_DEPTH = 200
_SHORT_PREFIX = PURE_MAX_DEPTH  # block depth assumed when no line starts with a longer run of indentation/indicators
_LONG_PREFIX = re.compile(rf"^[ ?:\-]{{{_SHORT_PREFIX + 1},}}", re.MULTILINE)
_LIBYAML_DEPTH_PROBLEM = "exceeded maximum nesting depth"


def _depth_bound(text: str) -> int:
    """A cheap upper bound on the nesting depth of a YAML text.

    Flow collections open with ``[`` or ``{``; block collections nest by
    indentation or by compact indicators (``- - x``) before a line's content.
    """
    flow = text.count("[") + text.count("{")
    block = max((len(m.group()) for m in _LONG_PREFIX.finditer(text)), default=_SHORT_PREFIX)
    return flow + block + 1


def _refuse_deep_for_pure_loader(text: str, yaml: Any) -> None:
    """Refuse, with its line, a text nested deeper than the pure-Python composer can recurse."""
    if _depth_bound(text) <= PURE_MAX_DEPTH:
        return
    parser = yaml.SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > PURE_MAX_DEPTH:
                    raise ReadError(
                        f"invalid YAML: nested more than {PURE_MAX_DEPTH} levels deep",
                        line=event.start_mark.line + 1,
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        parser.dispose()


def _load_with(yaml: Any, text: str, function: Callable[[Any], Any]) -> Any:
    """Call ``function(loader_class)`` with the C loader, or the guarded pure-Python one."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        _refuse_deep_for_pure_loader(text, yaml)
        loader = yaml.SafeLoader
    return function(loader)


class YamlReader:
    name = "yaml"
    extensions = (".yaml", ".yml")
    description = "YAML 1.1 (PyYAML, safe loading: no tags, no code)"

    def read(self, data: bytes, source: str) -> Document:
        import yaml

        text = decode_text(data)
        try:
            content = _load_with(yaml, text, lambda loader: yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            if problem == _LIBYAML_DEPTH_PROBLEM:
                problem = f"nested more than {LIBYAML_MAX_DEPTH} levels deep"
            raise ReadError(f"invalid YAML: {problem}", line=mark.line + 1 if mark else None) from None
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + 1
            raise ReadError(
                f"invalid YAML: character {exc.character!r} is not allowed ({exc.reason})", line=line
            ) from None
        except yaml.YAMLError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ReadError(f"invalid YAML: {first}") from None
        except ReadError:
            raise
        except ValueError as exc:  # PyYAML building an unquoted date such as 2024-13-45
            raise ReadError(f"invalid YAML value: {exc} (quote dates: start: '2024-06-19')") from None
        return Document(content, locate=_Locator(text))


class _Locator:
    """Finds the line of a value by composing the YAML node tree, once, on demand."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None

    def __call__(self, path: Sequence[str | int]) -> int | None:
        import yaml

        if self._root is None:
            self._root = _load_with(yaml, self._text, lambda loader: yaml.compose(self._text, Loader=loader))
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
