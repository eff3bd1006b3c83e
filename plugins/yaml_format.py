"""Reads timelines written in YAML (``.yaml``, ``.yml``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import timeline
from timeline import Document, ReadError, decode_text


class YamlReader:
    name = "yaml"
    extensions = (".yaml", ".yml")
    description = "YAML 1.1 (PyYAML, safe loading: no tags, no code)"

    def read(self, data: bytes, source: str) -> Document:
        import yaml

        text = decode_text(data)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            content = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
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
            self._root = yaml.compose(self._text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
