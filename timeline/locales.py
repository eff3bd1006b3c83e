"""Dates, spans and durations in other languages, and the locale names that choose them.

Nothing here reads ``LANG``, ``LC_ALL`` or ``TZ``: the language is always
an argument, so output depends only on the data and the options.  Dates in
English come from :mod:`timeline.display` and need nothing more; other
languages take their month names, patterns, intervals and eras from CLDR
through Babel (the ``timeline-events[locales]`` extra), and our own wording
(approximate, ongoing, "as of", report labels) from the catalogues in
``timeline/_l10n``.  Durations use pendulum.  Babel and pendulum are
imported only when something is written with them.  See ``docs/locales.md``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from ._tags import _HINTS, language_tag, language_tag_problem
from .errors import UnknownLocaleError, UsageError, wrong_type

if TYPE_CHECKING:  # pragma: no cover
    from types import ModuleType

    from .dates import Date, Precision

__all__ = [
    "SUPPORTED_LOCALES",
    "display_width",
    "human_duration",
    "language_tag",
    "language_tag_problem",
    "localized_as_of",
    "localized_date",
    "localized_span",
    "message",
    "plural_message",
    "resolve_locale",
]

#: The locale codes dates and wording can be written in.
SUPPORTED_LOCALES = ("de", "en", "fr", "ja", "ko", "ru", "uk", "zh")

_EXTRA = "timeline-events[locales]"
_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")
#: Chinese written in Traditional characters: we have Simplified only, and will not pass one off as the other.
_TRADITIONAL = {"hant", "tw", "hk", "mo"}



#: Tags already resolved: exporters ask for every date they write.
_RESOLVED: dict[str, str] = {}


def resolve_locale(tag: str) -> str:
    """The supported locale code for a BCP 47 or POSIX tag: ``ru_RU.UTF-8``, ``ru-RU`` and ``RU`` give ``ru``.

    A region or script falls back to the language, except Traditional
    Chinese (``zh-TW``, ``zh-Hant``, ``zh-HK``), which is refused rather
    than shown in Simplified characters.  ``C`` and ``POSIX`` are English.
    Anything else is an :class:`~timeline.UnknownLocaleError` listing the
    supported codes, with a suggestion where one is likely meant.
    """
    if not isinstance(tag, str):
        raise wrong_type("resolve_locale(tag)", "a locale tag (a str) such as 'ru' or 'ko-KR'", tag)
    known = _RESOLVED.get(tag)
    if known is not None:
        return known
    code = _resolve(tag)
    if len(_RESOLVED) < 1024:  # tags come from options; a bounded table, whatever a caller passes
        _RESOLVED[tag] = code
    return code


def _resolve(tag: str) -> str:
    text = tag.strip().split(".", 1)[0].split("@", 1)[0]  # POSIX: language_TERRITORY.codeset@modifier
    if text in ("C", "POSIX"):
        return "en"
    if not _TAG.fullmatch(text):
        raise UnknownLocaleError(tag, SUPPORTED_LOCALES)
    language, *rest = text.replace("_", "-").lower().split("-")
    if language == "zh" and _TRADITIONAL & set(rest):
        raise UnknownLocaleError(
            tag, SUPPORTED_LOCALES, reason="Traditional Chinese is not supported yet ('zh' is Simplified Chinese)"
        )
    if language in SUPPORTED_LOCALES:
        return language
    raise UnknownLocaleError(tag, SUPPORTED_LOCALES, suggestion=_suggest(language))


def _suggest(language: str) -> str | None:
    if language in _HINTS:
        return _HINTS[language]
    from .suggest import closest

    return closest(language, SUPPORTED_LOCALES)


def _cldr(code: str) -> ModuleType:
    try:
        from ._l10n import cldr
    except ImportError as error:
        if (error.name or "").split(".")[0] != "babel":
            raise
        raise UsageError(
            f"dates in locale {code!r} need Babel (Unicode CLDR data), which is not installed: "
            f"pip install '{_EXTRA}'"
        ) from None
    return cldr


def human_date(date: Date, *, locale: str = "en") -> str:
    """One date, e.g. "6 July 1961", "c. 1961?" or "19 June 2024, 03:00 (UTC+9)".

    ``locale`` (``"ru"``, ``"ko-KR"``, ...) chooses another language:
    "19 июня 2024 г.", "2024년 6월", "1961년경".  English needs no library.
    """
    return localized_date(date, locale)


def human_span(start: Date, end: Date | None = None, *, ongoing: bool = False, locale: str = "en") -> str:
    """A span, as compact as the two ends allow without hiding a qualifier.

    "June–July 1950" and "6–9 July 1961" share what both ends have in
    common; in other locales CLDR's interval patterns ("19—20 июня 2024 г.").
    """
    return localized_span(start, end, ongoing=ongoing, locale=locale)


def localized_date(date: Date, locale: str = "en") -> str:
    """:func:`human_date` in a locale: "19 июня 2024 г.", "2024년 6월", "1961년경"."""
    from . import display

    code = resolve_locale(locale)
    if code == "en":
        return display.human_date(date)
    text: str = _cldr(code).localized_date(date, code)
    return text


def localized_span(start: Date, end: Date | None = None, *, ongoing: bool = False, locale: str = "en") -> str:
    """:func:`human_span` in a locale, with CLDR's interval patterns: "19—20 июня 2024 г."."""
    from . import display

    code = resolve_locale(locale)
    if code == "en":
        return display.human_span(start, end, ongoing=ongoing)
    text: str = _cldr(code).localized_span(start, end, ongoing, code)
    return text


def localized_as_of(date: Date, locale: str = "en") -> str:
    """ "as of 4 December 2024" in a locale, for the date data was last checked."""
    return message("as of", "as of {date}", locale).format(date=localized_date(date, locale))


def human_duration(
    start: Date,
    end_or_as_of: Date,
    precision: Precision | None = None,
    locale: str = "en",
    *,
    ongoing: bool = False,
) -> str:
    """How long a span lasted, in words no finer than its precision.

    ``precision`` defaults to the coarser of the two dates'.  Year
    precision counts years ("3 years"), month precision years and months,
    day precision adds days (never weeks), a time adds hours and minutes.
    The count runs from where the start begins to where the end begins, so
    ``1950/1953`` is "3 years", the middle of what the two years allow.
    A span shorter than its unit is "less than a year" (or month, day,
    minute).  With ``ongoing=True`` the end is the date the data was last
    checked (the timeline's ``updated``): "for 2 years 9 months 10 days, as
    of 4 December 2024".  When an end is approximate or uncertain (``1950~``,
    ``1953?``) the count is "about 3 years": it is still counted from the
    dates as written, and "about" says it is no firmer than they are.
    """
    from .dates import Date, Precision

    for name, value in (("start", start), ("end_or_as_of", end_or_as_of)):
        if not isinstance(value, Date):
            raise wrong_type(f"human_duration({name})", "a Date", value)
    if precision is None:
        precision = min(start.precision, end_or_as_of.precision)
    elif not isinstance(precision, Precision):
        raise wrong_type("human_duration(precision)", "a Precision or None", precision)
    code = resolve_locale(locale)
    from ._l10n.durations import duration_words

    about = start.approximate or start.uncertain or (
        not ongoing and (end_or_as_of.approximate or end_or_as_of.uncertain))
    words = duration_words(start, end_or_as_of, precision, code, about)
    if not ongoing:
        return words
    template = message("duration", "for {duration}, as of {date}", code)
    return template.format(duration=words, date=localized_date(end_or_as_of, code))


def message(context: str, key: str, locale: str = "en") -> str:
    """Our wording for ``key`` (the English text) in ``context``, in a locale; English is the key itself."""
    code = resolve_locale(locale)
    if code == "en":
        return key
    _cldr(code)  # reading a catalogue needs Babel too: say so in the same words
    return _message(context, key, code)


@functools.lru_cache(maxsize=1024)
def _message(context: str, key: str, code: str) -> str:
    from ._l10n import translations

    return translations(code).pgettext(context, key)


def plural_message(context: str, singular: str, plural: str, count: int, locale: str = "en") -> str:
    """The plural form of a catalogue entry that ``count`` takes in the locale, not yet formatted."""
    code = resolve_locale(locale)
    if code == "en":
        return singular if count == 1 else plural
    _cldr(code)
    from ._l10n import translations

    return translations(code).npgettext(context, singular, plural, count)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for each wide East Asian character (Hangul, kana, CJK).

    Combining marks, format characters (zero-width joiners, bidi marks),
    controls and Hangul medial and final jamo take none.  Ambiguous-width
    characters count as one, as terminals do outside East Asian locales.
    """
    width = 0
    for char in text:
        if unicodedata.combining(char) or "\u1160" <= char <= "\u11ff":
            continue
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf", "Cc"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
