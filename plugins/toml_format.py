"""Reads timelines written in TOML (``.toml``)."""

from __future__ import annotations

import re
import sys
from typing import Any

import timeline
from timeline import Document, ReadError, decode_text

from ._numbers import is_too_long_integer, long_integer_line, long_integer_message

_LINE = re.compile(r"\(at line (\d+)")


class TomlReader:
    name = "toml"
    extensions = (".toml",)
    description = "TOML 1.0 (events as [[events]] tables)"

    def read(self, data: bytes, source: str, *, context: Any = None) -> Document:
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib

        text = decode_text(data)
        try:
            content = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            found = _LINE.search(message)
            line = int(found.group(1)) if found else None
            reason = _LINE.split(message)[0].strip().rstrip("(").strip()
            raise ReadError(f"invalid TOML: {_name_the_key(reason, text, line)}", line=line) from None
        except RecursionError:
            raise ReadError("invalid TOML: nested too deeply") from None
        except ValueError as exc:
            if not is_too_long_integer(exc):
                raise
            raise ReadError(long_integer_message(), line=long_integer_line(text, "toml")) from None
        return Document(content)


_TABLE_TWICE = re.compile(r"Cannot declare \((.*)\) twice")
_KEY_BEFORE_EQUALS = re.compile(r"\s*([^=#]+?)\s*=")


def _name_the_key(reason: str, text: str, line: int | None) -> str:
    """tomllib's duplicate-key messages, with the key named (it gives only a position)."""
    table = _TABLE_TWICE.fullmatch(reason)
    if table:
        name = ".".join(part.strip().strip("'\"") for part in table.group(1).split(",") if part.strip())
        return f"table [{name}] is declared twice"
    if reason == "Cannot overwrite a value" and line is not None:
        lines = text.splitlines()
        key = _KEY_BEFORE_EQUALS.match(lines[line - 1]) if 0 < line <= len(lines) else None
        if key:
            return f"key {key.group(1)!r} is given a value twice (TOML allows one)"
    return reason


@timeline.hookimpl
def timeline_readers() -> list[TomlReader]:
    return [TomlReader()]


@timeline.hookimpl
def timeline_exporters() -> list[Any]:
    from ._toml_writer import TomlExporter

    return [TomlExporter()]
