"""Our own wording in each language: the gettext catalogues beside this file.

CLDR (through Babel) gives month names, date patterns, intervals and eras;
what it does not give (approximate, uncertain, ongoing, "as of", the
Markdown report's labels and summary line) is in ``<locale>.po``, one per
language, with the English wording as the keys (``messages.pot``).  English
needs no catalogue: a missing translation is its key.

The ``.po`` files are read with Babel's reader when first needed and turned
into the standard library's :class:`gettext.GNUTranslations`, so plural forms
follow each file's ``Plural-Forms`` header.  Babel is always there when a
non-English catalogue is read, because every other language needs it for
its dates anyway.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

__all__ = ["CATALOGUE_DIR", "translations"]

CATALOGUE_DIR = Path(__file__).parent


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of a supported locale code (English: the keys themselves)."""
    if code == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(CATALOGUE_DIR / f"{code}.po", "rb") as source:
        catalog = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
