"""'Did you mean ...?' for misspelt keys, formats and options."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["close_matches", "closest", "did_you_mean"]

_MAX_FUZZY = 5000


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, if any is close enough to be a typo."""
    options = sorted(set(candidates))
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    if len(options) > _MAX_FUZZY:
        return None  # fuzzy matching a huge list would cost more than the hint is worth
    import difflib  # only when something is misspelt: not worth its import time on every run

    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` or an empty string, ready to append to a message."""
    match = closest(word, candidates)
    return f" (did you mean {match!r}?)" if match else ""


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` candidates most like ``word``, best first (a case-insensitive match alone if there is one)."""
    options = sorted(set(candidates))
    exact = [c for c in options if c.lower() == word.lower()]
    if exact:
        return tuple(exact[:n])
    if len(options) > _MAX_FUZZY:
        return ()
    import difflib

    lowered: dict[str, str] = {}
    for option in options:
        lowered.setdefault(option.lower(), option)
    return tuple(lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6))
