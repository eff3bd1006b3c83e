"""Control characters: refused in the data, never written by an output.

A title with ``ESC [ 2 J`` in it clears the terminal of whoever runs
``timeline show``; an OSC 8 sequence makes a hidden hyperlink; a C1 control
(U+0080 to U+009F, e.g. U+009B, a one-character CSI) does the same on some
terminals.  So text in a timeline file may hold no C0 or C1 control
character (U+0000 to U+001F, U+007F, U+0080 to U+009F) other than tab and
line feed, plus carriage return in descriptions and ``extra``, where text
pasted from elsewhere brings CRLF line ends.

Nor may it hold a lone surrogate (U+D800 to U+DFFF on its own), which a
JSON escape such as ``"\\ud800"`` can produce: it is not Unicode text, and
no UTF-8 output can write it.  It is found by the same search.

The loader refuses them (:func:`control_problem`, one precompiled regular
expression search per string); outputs replace any that reach them from
data built in code (:func:`replace_controls`).
"""

from __future__ import annotations

import re

__all__ = [
    "CONTROL_HINT",
    "CONTROL_RE",
    "MULTILINE_CONTROL_RE",
    "SURROGATE_HINT",
    "control_hint",
    "control_problem",
    "replace_controls",
]

# The lone surrogates are a class of their own: in one class with the controls, the pattern takes
# 0.4-0.6 ms longer to compile (at every start), and it matches the same characters.
#: A control character not allowed in one-line text (tab and line feed are).
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\ud800-\udfff]")
#: A control character not allowed in descriptions and ``extra`` (carriage return is, too).
MULTILINE_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\ud800-\udfff]")

_ALLOWED = "tabs and line feeds"
#: What a load problem about a control character suggests.
CONTROL_HINT = f"text may hold {_ALLOWED} but no other control character; remove it"
#: What a load problem about a lone surrogate suggests.
SURROGATE_HINT = (
    "a JSON escape such as \\ud83d must be followed by its pair (\\ude00); remove it or write the character itself"
)


def control_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be loaded (the first control character in it), or ``None``."""
    match = (MULTILINE_CONTROL_RE if multiline else CONTROL_RE).search(text)
    if match is None:
        return None
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"contains a lone surrogate U+{code:04X} at character {match.start() + 1}, which is not Unicode text"
    return f"contains the control character U+{code:04X} at character {match.start() + 1}"


def control_hint(message: str) -> str:
    """The hint for a message of :func:`control_problem`."""
    return SURROGATE_HINT if "lone surrogate" in message else CONTROL_HINT


def replace_controls(text: str) -> str:
    """``text`` with every control character except tab, line feed and carriage return, and every
    lone surrogate, made U+FFFD."""
    return MULTILINE_CONTROL_RE.sub("\ufffd", text)
