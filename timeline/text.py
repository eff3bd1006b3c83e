"""Control characters: refused in the data, never written by an output.

A title with ``ESC [ 2 J`` in it clears the terminal of whoever runs
``timeline show``; an OSC 8 sequence makes a hidden hyperlink; a C1 control
(U+0080 to U+009F, e.g. U+009B, a one-character CSI) does the same on some
terminals.  So text in a timeline file may hold no C0 or C1 control
character (U+0000 to U+001F, U+007F, U+0080 to U+009F) other than tab and
line feed, plus carriage return in descriptions and ``extra``, where text
pasted from elsewhere brings CRLF line ends.

The loader refuses them (:func:`control_problem`, one precompiled regular
expression search per string); outputs replace any that reach them from
data built in code (:func:`replace_controls`).
"""

from __future__ import annotations

import re

__all__ = ["CONTROL_RE", "MULTILINE_CONTROL_RE", "control_problem", "replace_controls"]

#: A control character not allowed in one-line text (tab and line feed are).
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A control character not allowed in descriptions and ``extra`` (carriage return is, too).
MULTILINE_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_ALLOWED = "tabs and line feeds"
#: What a load problem about a control character suggests.
CONTROL_HINT = f"text may hold {_ALLOWED} but no other control character; remove it"


def control_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be loaded (the first control character in it), or ``None``."""
    match = (MULTILINE_CONTROL_RE if multiline else CONTROL_RE).search(text)
    if match is None:
        return None
    return f"contains the control character U+{ord(match.group()):04X} at character {match.start() + 1}"


def replace_controls(text: str) -> str:
    """``text`` with every control character except tab, line feed and carriage return made U+FFFD."""
    return MULTILINE_CONTROL_RE.sub("\ufffd", text)
