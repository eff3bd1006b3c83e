"""Which text to show in a language: a record's translation, or its original.

Internal; :func:`translated` and :class:`TranslatedText` are public as
``timeline.translated`` and ``timeline.TranslatedText``, and
:meth:`timeline.ExportContext.translated` uses them with the export's
locale.  ``docs/locales.md`` describes the fallbacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._records import Translation
from ._tags import language_tag
from .errors import OptionError, wrong_type

__all__ = ["TranslatedText", "find_translation", "translated"]

#: Script and region subtags that mean Traditional Chinese (kept apart from Simplified).
_TRADITIONAL = frozenset({"Hant", "TW", "HK", "MO"})


@attrs.frozen
class TranslatedText:
    """The title and description of an event, era or timeline as a locale shows them.

    ``language`` is the tag of the translation used (``"ru"``), or ``None``
    when there was none for the locale.  A translation may give only a
    title: ``title_translated`` and ``description_translated`` say, field
    by field, whether the text is the translation's or the original's
    (an empty original description stays empty and counts as translated
    only when the translation gives one).
    """

    title: str
    description: str
    language: str | None = None
    title_translated: bool = False
    description_translated: bool = False


_looked_up: dict[str, str] = {}


def _lookup_tag(locale: str) -> str:
    """``locale`` as a tag of the data format (``ru_RU.UTF-8`` gives ``ru-RU``)."""
    known = _looked_up.get(locale) if type(locale) is str else None
    if known is not None:
        return known
    if not isinstance(locale, str):
        raise wrong_type("translated(locale)", "a locale tag (a str) such as 'ru'", locale)
    text = locale.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-")
    tag = language_tag(text)
    if tag is None:
        raise OptionError(f"{locale!r} is not a language tag (such as 'ru', 'ko' or 'pt-BR')")
    if len(_looked_up) < 256:
        _looked_up[locale] = tag
    return tag


def _traditional(tag: str) -> bool:
    return tag.startswith("zh") and not _TRADITIONAL.isdisjoint(tag.split("-")[1:])


def find_translation(translations: Mapping[str, Translation], locale: str) -> tuple[str, Translation] | None:
    """The translation for ``locale`` and its tag, or ``None``.

    Looked for in this order: the tag itself (``pt-BR``), its language
    alone (``pt``), then the first other variant of the language in the
    order of the tags (``pt-PT``).  Traditional Chinese (``zh-Hant``,
    ``zh-TW``, ``zh-HK``, ``zh-MO``) and Simplified are never taken for
    each other.
    """
    if not translations:
        return None
    tag = _lookup_tag(locale)
    found = translations.get(tag)
    if found is not None:
        return tag, found
    language = tag.split("-", 1)[0]
    found = translations.get(language)
    if found is not None and not _traditional(tag):
        return language, found
    for other, item in translations.items():
        # only a well-formed tag is returned: exporters write it into their output (iCalendar's LANGUAGE=)
        if (other.split("-", 1)[0] == language and language_tag(other) == other
                and _traditional(other) == _traditional(tag)):
            return other, item
    return None


def translated(item: Any, locale: str) -> TranslatedText:
    """The title and description of ``item`` (an event, era or timeline) to show in ``locale``.

    Uses the item's translation for the locale where there is one (see
    :func:`find_translation` for which), and the original text for what
    it does not give.  ``locale`` is a language tag (``"ru"``, ``"ko-KR"``,
    ``"pt-BR"``); unlike ``--locale`` it need not be a supported locale,
    since translated titles are useful where dates cannot be localised.
    """
    title, description = item.title, item.description
    translations = getattr(item, "translations", None)
    if not translations:
        _lookup_tag(locale)  # a wrong locale is an error whether or not there are translations
        return TranslatedText(title, description)
    found = find_translation(translations, locale)
    if found is None:
        return TranslatedText(title, description)
    tag, translation = found
    new_title, new_description = translation.title, translation.description
    return TranslatedText(
        title if new_title is None else new_title,
        description if new_description is None else new_description,
        tag,
        new_title is not None,
        new_description is not None,
    )
