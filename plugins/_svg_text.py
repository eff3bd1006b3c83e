"""Text for the SVG exporter: how wide a label is, how it wraps, and how it is escaped.

Widths come from the advance widths of the fonts the SVG names first, Noto
Sans and Noto Sans CJK KR, kept in :mod:`._svg_metrics` (generated from
Debian's font files by ``scripts/gen_svg_metrics.py``), so the layout is the
same on every machine whether or not the fonts are installed.  A character
neither font has is measured by a documented approximation: nothing for a
combining mark or a format character, one em for a wide East Asian
character, and 0.6 em for anything else (``docs/exporters/svg.md``).
Kerning and ligatures are ignored; they only make text narrower in these
fonts' Latin, so a measured label never comes out too short.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

__all__ = ["FALLBACK_EM", "measure", "wrap", "xml_text"]

#: Width of a character no table knows, in thousandths of an em.
FALLBACK_EM = 600
_WIDE_EM = 1000

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates,
# U+FFFE/U+FFFF) and C1 controls: each becomes U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def xml_text(text: str, *, quote: bool = False) -> str:
    """``text`` as XML character data (or an attribute value with ``quote``), whitespace folded to spaces."""
    text = _SPACE.sub(" ", _NOT_XML.sub("\ufffd", text)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;")
    return text


def clean(text: str) -> str:
    """``text`` as it will be drawn: controls replaced, whitespace folded."""
    return _SPACE.sub(" ", _NOT_XML.sub("\ufffd", text)).strip()


@functools.cache
def _table(bold: bool) -> dict[int, int]:
    from . import _svg_metrics as m

    widths: dict[int, int] = {}
    for block in (m.BOLD if bold else m.REGULAR).split(";"):
        start, run = block.split(":")
        first = int(start, 16)
        for offset, width in enumerate(run.split(",")):
            widths[first + offset] = int(width)
    return widths


@functools.cache
def _cjk() -> tuple[list[int], list[tuple[int, int, int]]]:
    from . import _svg_metrics as m

    runs = []
    for run in m.CJK.split(";"):
        span, width = run.split(":")
        first, last = span.split("-")
        runs.append((int(first, 16), int(last, 16), int(width)))
    return [first for first, _last, _width in runs], runs


@functools.lru_cache(maxsize=4096)
def _char_em(char: str, bold: bool) -> int:
    code = ord(char)
    known = _table(bold).get(code)
    if known is not None:
        return known
    starts, runs = _cjk()
    index = bisect.bisect_right(starts, code) - 1
    if index >= 0 and runs[index][1] >= code:
        return runs[index][2]
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE_EM
    return FALLBACK_EM


def measure(text: str, size: float, *, bold: bool = False) -> float:
    """The advance width of ``text`` at ``size`` pixels."""
    return sum(_char_em(char, bold) for char in text) * size / 1000


def _split_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word wider than ``width`` cut into pieces that fit (at least one character each)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and measure(current + char, size, bold=bold) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` (cleaned) broken into lines no wider than ``width``: at spaces, or inside a word too long for a line.

    Text without spaces between words (Chinese, Japanese) breaks between
    any two characters once a line is full.
    """
    lines: list[str] = []
    current = ""
    for word in clean(text).split(" "):
        if not word:
            continue
        words = [word]
        if measure(word, size, bold=bold) > width:
            words = _split_word(word, width, size, bold)
        for index, piece in enumerate(words):
            joined = f"{current} {piece}" if current and index == 0 else current + piece if current else piece
            if current and measure(joined, size, bold=bold) > width:
                lines.append(current)
                current = piece
            else:
                current = joined
    if current:
        lines.append(current)
    return lines or [""]
