"""Turning a file's bytes into text, with messages a person can act on.

Readers call :func:`decode_text` so every input format treats encodings the
same way: UTF-8, with or without a byte-order mark; anything else is refused
with the reason, never guessed.
"""

from __future__ import annotations

import codecs

from .errors import ReadError

__all__ = ["decode_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (a leading BOM is dropped); raise :class:`ReadError` otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    else:
        for bom, name in _BOMS:
            if data.startswith(bom):
                raise ReadError(f"the file is {name} text; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=line,
        ) from None
    nul = text.find("\0")
    if nul != -1:
        raise ReadError("the file contains a NUL character; it is not a text file", line=text.count("\n", 0, nul) + 1)
    return text
