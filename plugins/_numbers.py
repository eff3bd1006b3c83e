"""Integers too long for Python to read, reported for people (used by the built-in readers).

Python refuses to turn a decimal number of more than
``sys.get_int_max_str_digits()`` digits (4,300 by default) into an ``int``,
with advice meant for programmers (``sys.set_int_max_str_digits``).  The
readers catch that refusal and say instead which number, and on which line.
"""

from __future__ import annotations

import re
import sys

__all__ = ["digit_limit", "is_too_long_integer", "long_integer_line", "long_integer_message"]


def digit_limit() -> int:
    """The most decimal digits an integer may have (0: no limit)."""
    get = getattr(sys, "get_int_max_str_digits", None)
    return int(get()) if get is not None else 0


def is_too_long_integer(exc: BaseException) -> bool:
    """Whether ``exc`` is Python's refusal of an over-long decimal integer."""
    return isinstance(exc, ValueError) and "integer string conversion" in str(exc)


def long_integer_message() -> str:
    limit = digit_limit()
    return (f"a number with more than {limit:,} digits, which timeline does not read; "
            f"quote it to keep it as text")


def long_integer_line(text: str, syntax: str) -> int | None:
    """The line of the first over-long integer outside strings and comments, for ``syntax`` "json" or "toml"."""
    more = max(digit_limit(), 1)  # the first digit, then at least this many more
    if syntax == "json":
        pattern = r'"(?:[^"\\]|\\.)*"|(-?\d{' + str(more + 1) + ",})"
    else:  # TOML: multi-line and literal strings, comments; digits may be separated by underscores
        pattern = (r'"""[\s\S]*?"""|' r"'''[\s\S]*?'''|" r'"(?:[^"\\\n]|\\.)*"|' r"'[^'\n]*'|#[^\n]*|"
                   r"([+-]?\d(?:_?\d){" + str(more) + ",})")
    for match in re.finditer(pattern, text):
        if match.group(1) is not None:
            return text.count("\n", 0, match.start(1)) + 1
    return None
