"""Literal text as inline Markdown: :func:`escape_markdown` and the escaping the renderers share.

Public through ``timeline.escape_markdown`` (and ``timeline.markup``);
:func:`escape_text` and :func:`protect_line` serve ``timeline._markdown``.
The regular expressions are compiled on first use, not at import.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["escape_markdown", "escape_text", "protect_line"]

# Characters that are syntax wherever they appear (or too close to it to be
# worth reasoning about).  The rest of ASCII punctuation is only syntax in a
# few places, handled one by one in escape_text, so ordinary prose ("10:30,
# Room 4.") stays readable.
_ALWAYS_ESCAPE = frozenset("\\`*[]<|~")

# The characters CommonMark (markdown-it's mdTrim) strips from the ends of a
# paragraph, a heading or a table cell.  At the edge of a line they are
# written as character references so they survive.  U+000B has no valid
# character reference (it would decode to U+FFFD) and is left alone.
_TRIMMED_WS = frozenset(
    "\t\n\f\r \xa0\u1680\u202f\u205f\u3000\u2028\u2029" + "".join(chr(code) for code in range(0x2000, 0x200B))
)


#: Where escape_markdown may have to change a character at the start of the
#: text: the block markers of _escape_line_start, digits (an ordered list
#: marker) and whitespace CommonMark would strip.
_RISKY_START = _TRIMMED_WS | frozenset(">-+:=0123456789")


class _Patterns(NamedTuple):
    may_change: re.Pattern[str]
    may_need_escape: re.Pattern[str]
    entity_start: re.Pattern[str]
    ws_run: re.Pattern[str]
    breaking_ws: re.Pattern[str]
    control: re.Pattern[str]
    autolink_trigger: re.Pattern[str]
    ordered_marker: re.Pattern[str]
    delimiter_row: re.Pattern[str]
    setext_equals: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """The escaping patterns, compiled once, on first use."""
    return _Patterns(
        # Every character escape_markdown may escape, collapse or replace anywhere
        # in the text (all C0 and C1 controls, a superset of the line breaks and
        # controls below; U+2028 and U+2029 are looked for separately, as a range
        # beyond U+00FF would make this pattern slow to compile).
        may_change=re.compile(r"[\x00-\x1f\x7f-\x9f\\`*\[\]<|~_&#!]"),
        may_need_escape=re.compile(r"[\\`*\[\]<|~_&#!]"),
        # What may follow an "&" that could start a character reference, now or
        # once more text is appended: "&amp;", "&#38;", a trailing "&" or "&am".
        entity_start=re.compile(r"#?[A-Za-z0-9]*(?:;|\Z)"),
        # Whitespace runs that contain a line break or a tab: escape_markdown turns
        # each into a single space (Python's notion of line boundaries, plus tab).
        ws_run=re.compile(r"\s+"),
        breaking_ws=re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]"),
        # Control characters left once whitespace is collapsed (NUL, ESC, DEL, C1
        # controls but U+0085): written as U+FFFD, so no terminal escape or
        # invisible control reaches the output.
        control=re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"),
        # What GFM's autolink extension (cmark-gfm, GitHub) turns into a link in
        # plain text: "://" after a scheme, and "www.".  A backslash escape of the
        # ":" or of the "." stops it (checked with cmark-gfm); escaping a later
        # character does not (cmark-gfm then links the URL with the backslash in it).
        autolink_trigger=re.compile(r":(?=//)|(?<=[wW]{3})\."),
        ordered_marker=re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|\Z))"),
        delimiter_row=re.compile(r"[-:| \t]*"),
        setext_equals=re.compile(r"=+[ \t]*"),
    )


def escape_text(text: str, *, pipes: bool = True, open_end: bool = False) -> str:
    """Backslash-escape the characters of *text* that inline Markdown would read as syntax.

    ``pipes=False`` leaves ``|`` alone for table cells, whose pipes the caller
    escapes all at once.  ``open_end=True`` means unknown text may follow, so
    a final ``!`` is escaped too (``!`` followed by ``[`` starts an image).
    Line-start syntax is handled separately by :func:`protect_line`.
    """
    last = len(text) - 1
    patterns = _patterns()
    entity_start = patterns.entity_start

    def escape(match: re.Match[str]) -> str:
        char, index = match.group(), match.start()
        if char in _ALWAYS_ESCAPE:
            keep = char == "|" and not pipes
        elif char == "_":
            # An underscore between two letters or digits can neither open nor
            # close emphasis (snake_case stays as typed).
            keep = 0 < index < last and text[index - 1].isalnum() and text[index + 1].isalnum()
        elif char == "&":
            keep = entity_start.match(text, index + 1) is None
        elif char == "#":
            # "#" only matters as a heading marker or closing sequence, and
            # neither is followed by a letter or digit ("#tag", "issue #5").
            keep = index < last and text[index + 1].isalnum()
        else:  # "!"
            keep = not (open_end and index == last)
        return char if keep else "\\" + char

    return patterns.may_need_escape.sub(escape, text)


def _char_refs(text: str) -> str:
    """Write every character of *text* as a numeric character reference."""
    return "".join(f"&#x{ord(char):X};" for char in text)


def _escape_line_start(line: str) -> str:
    """Escape what would make *line* start a block (list, quote, setext underline, table row)."""
    patterns = _patterns()
    first = line[0]
    rest = line[1:2]
    if (
        first == ">"
        or (first in "-+" and rest in ("", " ", "\t"))
        or (first in "-:" and patterns.delimiter_row.fullmatch(line))
        or (first == "=" and patterns.setext_equals.fullmatch(line))
    ):
        return "\\" + line
    marker = patterns.ordered_marker.match(line)
    if marker is not None:
        return line[: marker.end()] + "\\" + line[marker.end() :]
    return line


def protect_line(line: str) -> str:
    """Make one line of inline Markdown mean the same wherever a block may start.

    Whitespace that CommonMark would strip from the ends is written as
    character references (this also keeps leading spaces from turning the
    line into indented code), and a line that starts like a list item,
    quote, setext underline or table delimiter row gets that start escaped.
    """
    start, end = 0, len(line)
    while start < end and line[start] in _TRIMMED_WS:
        start += 1
    while end > start and line[end - 1] in _TRIMMED_WS:
        end -= 1
    core = line[start:end]
    if start == 0 and core:
        core = _escape_line_start(core)
    return _char_refs(line[:start]) + core + _char_refs(line[end:])


def escape_markdown(text: str) -> str:
    """Return *text* as Markdown that renders as exactly that text, in any inline context.

    Use it for a title in a heading, a table cell, a list item or link text:
    nothing the user typed can become markup, HTML or structure.  Whitespace
    runs containing a line break or a tab collapse to one space (inline
    contexts are one line); every other control character (NUL, ESC, DEL,
    the C1 controls) becomes U+FFFD, as a CommonMark parser makes NUL.
    Characters that could be syntax there are backslash-escaped; whitespace
    at either end is written as character references so that it is not
    stripped or read as indentation.  A ``|`` is escaped as ``\\|``, which
    is also right inside a GFM table cell.  The ``:`` of ``://`` and the
    ``.`` of ``www.`` are escaped so that GFM does not make bare URLs into
    links (``https\\://example.org``, ``www\\.example.org``); an e-mail
    address cannot be kept from GFM's autolinking by any escape, so
    ``a@b.example`` still becomes a ``mailto:`` link on GitHub.
    """
    patterns = _patterns()
    if (
        patterns.may_change.search(text) is None
        and "\u2028" not in text
        and "\u2029" not in text
        and (not text or (text[0] not in _RISKY_START and text[-1] not in _TRIMMED_WS))
        and (("." not in text and ":" not in text) or patterns.autolink_trigger.search(text) is None)
    ):
        return text  # nothing to escape, collapse or protect: what _escape_markdown would return
    return _escape_markdown(text)


def _escape_markdown(text: str) -> str:
    """:func:`escape_markdown` without its shortcut for text that needs no change."""
    patterns = _patterns()
    breaking_ws = patterns.breaking_ws

    def collapse_run(match: re.Match[str]) -> str:
        """Turn a whitespace run into one space if it contains a line break or tab."""
        run = match.group()
        return " " if breaking_ws.search(run) else run

    collapsed = patterns.control.sub("\ufffd", patterns.ws_run.sub(collapse_run, text))
    escaped = escape_text(collapsed, open_end=True)
    if ":" in escaped or "." in escaped:
        escaped = patterns.autolink_trigger.sub(r"\\\g<0>", escaped)
    return protect_line(escaped)
