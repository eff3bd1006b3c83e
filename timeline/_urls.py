"""Which URLs may become links: the scheme allow-list and :func:`safe_url`.

Public through ``timeline.safe_url`` (and ``timeline.markup``); internal
otherwise.  The regular expressions are compiled on first use, not at
import.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["SAFE_SCHEMES", "safe_url"]

#: The only URL schemes that may end up in an ``href`` or ``src``.  Anything
#: else (``javascript:``, ``data:``, ``vbscript:``, ``file:``, relative and
#: scheme-relative URLs, ...) is either dangerous or means nothing once the
#: description is copied somewhere else.
SAFE_SCHEMES: tuple[str, ...] = ("http", "https", "mailto")

# Browsers (WHATWG URL) drop tabs and newlines anywhere in a URL, and leading or
# trailing C0 controls and spaces, before they look at the scheme: so must we,
# or "java\tscript:" would slip through.  Unicode whitespace at the ends is
# dropped as well, because pasted URLs often carry it.
# C0 controls, space, and every character str.isspace() accepts.
_URL_STRIP = (
    "".join(map(chr, range(0x21)))
    + "\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(map(chr, range(0x2000, 0x200B)))
)


class _Patterns(NamedTuple):
    tab_newline: re.Pattern[str]
    control: re.Pattern[str]
    scheme: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """The URL patterns, compiled once, on first use."""
    return _Patterns(
        tab_newline=re.compile(r"[\t\n\r]"),
        control=re.compile(r"[\x00-\x1f\x7f]"),
        scheme=re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):"),
    )


def safe_url(url: str | None) -> str | None:
    """Return *url* cleaned up if it may be a link target, else ``None``.

    A URL is kept only when its scheme is one of :data:`SAFE_SCHEMES`
    (compared case-insensitively).  Before looking at the scheme, tabs and
    newlines are removed everywhere and control characters and whitespace
    are stripped from both ends, as browsers do, so ``"java\\tscript:"`` or
    ``"\\x00javascript:"`` cannot pass as something harmless.  Any other
    control character left inside makes the URL unsafe.  Character
    references are *not* decoded: ``"javascript&#58;..."`` has no scheme at
    all and is refused like every relative or scheme-relative
    (``//host``) URL.  Never raises, whatever it is given.
    """
    if not isinstance(url, str):
        return None
    patterns = _patterns()
    cleaned = patterns.tab_newline.sub("", url).strip(_URL_STRIP)
    if patterns.control.search(cleaned):
        return None
    match = patterns.scheme.match(cleaned)
    if match is None or match.group(1).lower() not in SAFE_SCHEMES:
        return None
    return cleaned
