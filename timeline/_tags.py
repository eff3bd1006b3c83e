"""Language tags of the data format (the keys of ``translations``): which are well formed, and their canonical case.

Kept apart from :mod:`timeline.locales` so that loading and checking data
(which validates these tags) never imports the wording layer.
"""

from __future__ import annotations

import re

#: Codes people reach for that are not the language's (a country's, or ISO 639-2), for "did you mean".
_HINTS = {
    "kr": "ko", "kp": "ko", "kor": "ko", "jp": "ja", "jpn": "ja", "cn": "zh", "chi": "zh", "zho": "zh",
    "ua": "uk", "ukr": "uk", "rus": "ru", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr",
    "us": "en", "gb": "en", "eng": "en",
}


#: A language tag of the data format: a language, optionally a script and a region (``zh-Hant``, ``pt-BR``).
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?")
_TAG_HELP = ("a language tag is a language's ISO 639 code ('ru', 'ko'), optionally with a script or region "
             "('zh-Hant', 'pt-BR')")


def language_tag(tag: str) -> str | None:
    """``tag`` in its canonical case (``ZH-hant`` gives ``zh-Hant``), or ``None`` if it is not a language tag here.

    The data format's tags (the keys of ``translations``) are a subset of
    BCP 47: a language's two- or three-letter ISO 639 code, then optionally
    a four-letter script and a two-letter or three-digit region.  Codes
    people write for a language that are not its code (a country's, such
    as ``kr`` or ``jp``, or ISO 639-2's ``rus``) are refused too.
    """
    match = _LANGUAGE_TAG.fullmatch(tag) if isinstance(tag, str) else None
    if match is None:
        return None
    language, script, region = match.groups()
    if language.lower() in _HINTS:
        return None
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def language_tag_problem(tag: object) -> tuple[str, str] | None:
    """Why ``tag`` cannot be a key of ``translations``, and a hint; ``None`` if it can (in any case)."""
    if isinstance(tag, str) and language_tag(tag) is not None:
        return None
    if isinstance(tag, bool):  # YAML 1.1 reads an unquoted no (Norwegian) as false
        return "expected a language tag, got true/false", "quote it: 'no'"
    if not isinstance(tag, str):
        return f"expected a language tag, got {type(tag).__name__}", _TAG_HELP
    language = tag.replace("_", "-").split("-", 1)[0].lower()
    if language in _HINTS:
        return f"{tag!r} is not a language's code", f"did you mean {_HINTS[language]!r}?"
    if "_" in tag:
        fixed = tag.replace("_", "-")
        if language_tag(fixed) is not None:
            return f"{tag!r} is not a language tag", f"write {language_tag(fixed)!r}: BCP 47 joins with '-'"
    return f"{tag!r} is not a language tag", _TAG_HELP
