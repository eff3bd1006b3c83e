"""Reads timelines written in TOML (``.toml``)."""

from __future__ import annotations

import re
import sys

import timeline
from timeline import Document, ReadError, decode_text

from ._numbers import is_too_long_integer, long_integer_line, long_integer_message

_LINE = re.compile(r"\(at line (\d+)")


class TomlReader:
    name = "toml"
    extensions = (".toml",)
    description = "TOML 1.0 (events as [[events]] tables)"

    def read(self, data: bytes, source: str) -> Document:
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
            reason = _LINE.split(message)[0].strip().rstrip("(").strip()
            raise ReadError(f"invalid TOML: {reason}", line=int(found.group(1)) if found else None) from None
        except RecursionError:
            raise ReadError("invalid TOML: nested too deeply") from None
        except ValueError as exc:
            if not is_too_long_integer(exc):
                raise
            raise ReadError(long_integer_message(), line=long_integer_line(text, "toml")) from None
        return Document(content)


@timeline.hookimpl
def timeline_readers() -> list[TomlReader]:
    return [TomlReader()]
