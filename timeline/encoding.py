"""Turning a file's bytes into text, with messages a person can act on.

Readers call :func:`decode_text` so every input format treats encodings the
same way: UTF-8, with or without a byte-order mark; anything else is refused
with the reason, never guessed.  The checks run in one pass over the bytes
at most, so even a huge file costs no more than decoding it.
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

#: How many leading bytes the UTF-16/32 guess looks at.
_SNIFF = 512


def _wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` when BOM-less bytes look like it, judging by where the NULs are.

    Text in those encodings that is mostly Latin has a NUL beside nearly
    every character; UTF-8 text never has NULs at all.  Only used to explain
    a file already refused, never to decode one.
    """
    head = data[:_SNIFF]
    if len(head) < 4:
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = len(head) // width
        zero_units = 0
        for i in range(units):
            unit = head[i * width : (i + 1) * width]
            # Little- or big-endian: all but one byte of the unit is zero.
            if unit.count(0) == width - 1 and (unit[0] != 0 or unit[-1] != 0):
                zero_units += 1
        if units and zero_units * 10 >= units * 7:
            return name
    return None


def _refuse_empty(text: str) -> str:
    if not text.strip():
        raise ReadError("the file is empty; expected a mapping with 'title' and 'events'")
    return text


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (a leading BOM is dropped); raise :class:`ReadError` otherwise.

    Refused, each with its own message: UTF-16 and UTF-32 (with or without a
    byte-order mark), bytes that are not UTF-8, NUL characters, and a file
    with nothing but white space in it (no timeline can be empty).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    else:
        for bom, name in _BOMS:
            if data.startswith(bom):
                raise ReadError(f"the file is {name} text; save it as UTF-8")
    if b"\0" in data:
        wide = _wide_encoding(data)
        if wide is not None:
            raise ReadError(f"the file looks like {wide} text without a byte-order mark; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
            line=line,
        ) from None
    nul = text.find("\0")
    if nul != -1:
        raise ReadError("the file contains a NUL character; it is not a text file", line=text.count("\n", 0, nul) + 1)
    return _refuse_empty(text)
