"""TimelineJS 3: its JSON configuration, and a standalone page that shows it.

Two exporters live here: ``timelinejs`` writes the JSON object that Knight
Lab's ``new TL.Timeline(element, data)`` takes, and ``timelinejs-html``
writes one HTML file that embeds that object and loads TimelineJS, at a
pinned version with Subresource Integrity, from Knight Lab's CDN or from a
base URL of your choosing.  Every mapping decision is explained in
``docs/exporters/timelinejs.md``; the browser tests in
``tests/test_timelinejs_browser.py`` hold TimelineJS itself to it.

TimelineJS treats most text as HTML: it sanitises headline, text, caption
and credit with DOMPurify and inserts them with ``innerHTML``, and it turns
``display_date`` and ``group`` into text and then inserts *that* as HTML.
So plain text is escaped once for the first kind and twice for the second,
and descriptions arrive as HTML that :func:`timeline.markdown_to_html` has
already made safe.  Its "autolink" pass, which splices URLs found in text
into ``<a href='...'>`` after sanitising, is switched off on every slide.
"""

from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any
from urllib.parse import quote, urlsplit

import timeline
from timeline import (
    Date,
    Era,
    Event,
    ExportContext,
    Exporter,
    Option,
    OptionError,
    Relation,
    Report,
    Source,
    Timeline,
    TranslatedText,
    human_date,
    human_span,
    iter_events,
    markdown_to_html,
    message,
    safe_url,
    translated,
)
from timeline import (
    as_of as timeline_as_of,
)

from ._durations import span_duration
from ._ongoing import warn_undated
from .json_format import escape_controls, indented_json

#: The TimelineJS release the page loads; tests/browser/package.json pins the same one.
TIMELINEJS_VERSION = "3.9.10"
#: Knight Lab's CDN folder for that release (it holds css/ and js/, like the npm package's dist/).
CDN_BASE = f"https://cdn.knightlab.com/libs/timeline3/{TIMELINEJS_VERSION}/"
#: Subresource Integrity of the two files the page loads, from the npm package
#: @knight-lab/timelinejs at TIMELINEJS_VERSION (a test recomputes them).
ASSET_INTEGRITY = {
    "css/timeline.css": "sha384-boDF6Nd/No9fGBo1BlF2eLCnex+ILqI/6O7gE0MoOioYo7gWdq9LbFxD94ebGlBB",
    "js/timeline.js": "sha384-siM5yiZq/dqlzhFN7TmM86cbFdTMfssEZcanVHYo/bQEnpDzjwigQBYqM0O44+1I",
}

#: Above this many events TimelineJS's navigator becomes unreadable.
MANY_EVENTS = 300

#: The unique_id of the title slide: event ids are lowercase slugs, so it can never take one's id.
TITLE_SLIDE_ID = "Title"

#: The element the page mounts TimelineJS on (uppercase, so no slide id can equal it).
CONTAINER_ID = "Timeline-Embed"

# Years a JavaScript Date can hold; beyond them TimelineJS needs its "cosmological" scale.
_JS_MIN_YEAR, _JS_MAX_YEAR = -271820, 275759

# Characters left as they are when a media URL is percent-encoded.  Quotes,
# spaces and angle brackets are encoded, because several TimelineJS media
# types build <iframe src='...'> strings out of parts of the URL.
_URL_SAFE = ":/?#[]@!$&()*+,;=%~"

#: Locales TimelineJS 3.9 ships (dist/js/locale/*.json).
#: TimelineJS's language code for each of our locales: its labels ("Return to Title") and axis dates.
TIMELINEJS_LANGUAGE = {
    "de": "de", "en": "en", "fr": "fr", "ja": "ja", "ko": "ko", "ru": "ru", "uk": "uk", "zh": "zh-cn",
}
LANGUAGES = (
    "af", "ar", "be", "bg", "ca", "cz", "da", "de", "el", "en", "en-24hr", "en-gb", "en-week", "eo", "es",
    "et", "eu", "fa", "fi", "fo", "fr", "fy", "ga", "gl", "he", "hi", "hr", "hu", "hy", "id", "is", "it",
    "iw", "ja", "ka", "ko", "lb", "lt", "lv", "ms", "my", "nb", "ne", "nl", "nn", "no", "pl", "pt",
    "pt-br", "rm", "ro", "ru", "si", "sk", "sl", "sr", "sr-cy", "sv", "ta", "te", "th", "tl", "tr", "uk",
    "ur", "vi", "zh-cn", "zh-tw",
)

#: Font sets TimelineJS ships (css/fonts/font.NAME.css), less "knightlab", which
#: imports a stylesheet from a third-party font service; "none" loads no font file.
FONTS = (
    "default", "none", "abril-droidsans", "amatic-andika", "bevan-pontanosans", "bitter-raleway",
    "clicker-garamond", "dancing-ledger", "fjalla-average", "georgia-helvetica", "lustria-lato",
    "medula-lato", "oldstandard", "opensans-gentiumbook", "playfair", "playfair-faunaone", "pt",
    "roboto-megrim", "rufina-sintony", "ubuntu", "unicaone-vollkorn",
)

#: The page's ``<html lang>`` for each locale (BCP 47): browsers choose fonts and
#: line breaking by it, and Han characters differ between Chinese and Japanese fonts.
HTML_LANG = {
    "de": "de", "en": "en", "fr": "fr", "ja": "ja", "ko": "ko", "ru": "ru", "uk": "uk", "zh": "zh-Hans",
}

#: Fonts with Hangul, kana and Han characters, by the script they are drawn for
#: (a font's Han glyphs follow its country's forms): Noto CJK (Linux, Android;
#: Debian's fonts-noto-cjk), then macOS/iOS and Windows system fonts.
_CJK_FONTS = {
    "ko": ('"Noto Sans CJK KR"', '"Noto Sans KR"', '"Apple SD Gothic Neo"', '"Malgun Gothic"'),
    "ja": ('"Noto Sans CJK JP"', '"Noto Sans JP"', '"Hiragino Sans"', '"Yu Gothic"', "Meiryo"),
    "zh": ('"Noto Sans CJK SC"', '"Noto Sans SC"', '"PingFang SC"', '"Microsoft YaHei"'),
}
#: Latin, Cyrillic and Greek: TimelineJS's own sans-serif list, then Noto Sans, which has all three.
_LATIN_SANS = ('"Helvetica Neue"', "Helvetica", "Arial", '"Noto Sans"')
_LATIN_SERIF = ("Georgia", '"Times New Roman"', '"Noto Serif"')
#: What each font set draws text and headings with (font.default.css); None: only timeline.css's lists.
_FONT_SET_FAMILIES = {"default": (("'PT Serif'",), ("'PT Sans Narrow'", "'PT Sans'")), "none": ((), ())}
#: TimelineJS's selectors for running text (serif in the default set) and for everything else.
_TEXT_SELECTORS = ("p", "ul", "ol", "blockquote", "blockquote p", ".tl-caption", ".tl-credit", ".tl-media h4")
_OTHER_SELECTORS = (
    "", "h1", "h2", "h3", "h4", "h5", "h6", ".tl-headline-date", ".tl-text-date", ".vcard", ".tl-note",
    ".tl-message", ".tl-timegroup-message", ".tl-slidenav-next", ".tl-slidenav-previous", ".tl-timenav-slider",
    ".tl-timeaxis", ".tl-menubar",
)


def font_stacks(font: str, locale: str) -> tuple[str, str] | None:
    """The CSS font-family lists for running text and for the rest, or None for a font set we leave alone.

    TimelineJS's default font set (PT Serif, PT Sans) and its built-in
    lists have Latin and Cyrillic but no Hangul, kana or Han: the lists go
    on with Noto Sans and the CJK fonts of Linux, macOS and Windows, the
    locale's own first, so a Korean page draws Hangul with a Korean font
    wherever one is installed.  Other font sets keep their own lists.
    """
    if font not in _FONT_SET_FAMILIES:
        return None
    text_set, other_set = _FONT_SET_FAMILIES[font]
    first = locale if locale in _CJK_FONTS else "ko"
    cjk = list(dict.fromkeys(name for code in (first, *_CJK_FONTS) for name in _CJK_FONTS[code]))
    if font == "none":
        text = ", ".join([*_LATIN_SANS, *cjk, "sans-serif"])
    else:
        text = ", ".join([*text_set, *_LATIN_SERIF, *cjk, "serif"])
    other = ", ".join([*other_set, *_LATIN_SANS, *cjk, "sans-serif"])
    return text, other


def _font_css(font: str, locale: str) -> str:
    """The page's rules naming :func:`font_stacks`.

    The container is TimelineJS's ``.tl-timeline``; its id outranks
    TimelineJS's own rules (``!important`` included), which its font set's
    stylesheet, loaded later, would otherwise win by order.
    """
    stacks = font_stacks(font, locale)
    if stacks is None:
        return ""
    text, other = stacks
    scope = f"#{CONTAINER_ID}"

    def rule(selectors: tuple[str, ...], families: str) -> str:
        names = ",\n".join(f"{scope} {sel}".rstrip() for sel in selectors)
        return f"{names} {{ font-family: {families} !important; }}\n"

    return rule(_OTHER_SELECTORS, other) + rule(_TEXT_SELECTORS, text)


# --- text ------------------------------------------------------------------------


#: Control characters other than tab, line feed and carriage return: loading
#: refuses them, and any in a timeline built in code are shown as U+FFFD.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _html_text(text: str) -> str:
    """Plain text for a field TimelineJS sanitises and inserts as HTML."""
    return html.escape(_CONTROL_RE.sub("\ufffd", text), quote=True)


def _stripped_text(text: str) -> str:
    """Plain text for ``display_date``/``group``: stripped of markup, then inserted as HTML."""
    return html.escape(_html_text(text), quote=True)


def _media_url(url: str) -> str | None:
    """An http(s) URL as we would write it, else None.

    Percent-encoded where TimelineJS could mistake it for markup (so it is
    printable ASCII with no quotes, spaces, angle brackets or backslashes),
    with the scheme, and the host when there is no userinfo, in lower case.
    """
    target = safe_url(url)
    if target is None or urlsplit(target).scheme.lower() not in ("http", "https"):
        return None
    encoded = quote(target, safe=_URL_SAFE)
    match = _URL_PARTS.match(encoded)
    if match is None:  # pragma: no cover - safe_url only passes URLs that start with a scheme
        return encoded
    scheme, slashes, authority, tail = match.groups()
    if slashes and "@" not in authority:
        authority = authority.lower()
    return f"{scheme.lower()}:{slashes or ''}{authority}{tail}"


_URL_PARTS = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(//)?([^/?#]*)(.*)", re.DOTALL)


# --- media: what TimelineJS does with a URL -----------------------------------------
#
# TimelineJS picks a media type by trying the patterns of its table
# (src/js/media/MediaType.js) in order, first match wins, on the URL string
# as it is.  Several types then load a script, a frame or data (JSONP) whose
# host comes from the URL, or from a service whose embed code then runs in
# the page.  So a URL stays media only when its type is one whose host we
# know and the URL's host really is that service; a lookalike becomes a plain
# link in the slide text.  See docs/exporters/timelinejs.md, "Media".

#: The TimelineJS release whose media table the policy below was written for.  A test fails
#: when the pinned TimelineJS differs: review MediaType.js and the type files again then.
MEDIA_TABLE_REVIEWED_FOR = "3.9.10"

#: sha256 of src/js/media/MediaType.js in @knight-lab/timelinejs at MEDIA_TABLE_REVIEWED_FOR.
MEDIA_TABLE_SHA256 = "d012ec603a2d70a9897d3983884fcc790aed59a45d2c5e9876a94d1d0e558605"

#: TimelineJS's media table, in its order: (type, pattern, case-insensitive).  Patterns that
#: TimelineJS writes as string literals are given as the string's value (JavaScript drops the
#: backslash of "\." in a string, so "youtu\.be" is the pattern youtu.be, dot included);
#: the JavaScript and Python meanings agree on the printable ASCII that _media_url writes.
MEDIA_TABLE: tuple[tuple[str, str, bool], ...] = (
    ("youtube", r"^(https?:)?/*(www.|m.)?youtube|youtu.be", False),
    ("vimeo", r"^(https?:)?/*(player.)?vimeo.com", False),
    ("dailymotion", r"^(https?:)?/*(www.)?(dailymotion.com|dai.ly)", False),
    ("vine", r"^(https?:)?/*(www.)?vine.co", False),
    ("tiktok", r"^(https?:)?/*(www.)?tiktok.com/@[^/]+/video/\d+", False),
    ("bluesky", r"^(https?:)?/*(www.)?bsky.app/profile/[^/]+/post/[^/?]+", False),
    ("soundcloud", r"^(https?:)?/*(player.)?soundcloud.com", False),
    ("twitter", r"^(https?:)?/*(www.)?(twitter|x).com", False),
    ("twitterembed", r"""<blockquote class=['"]twitter-tweet['"]""", False),
    ("googlemaps", r"google.+?\/maps\/@([-\d.]+),([-\d.]+),((?:[-\d.]+[zmayht],?)*)"
                   r"|google.+?\/maps\/search\/([\w\W]+)\/@([-\d.]+),([-\d.]+),((?:[-\d.]+[zmayht],?)*)"
                   r"|google.+?\/maps\/place\/([\w\W]+)\/@([-\d.]+),([-\d.]+),((?:[-\d.]+[zmayht],?)*)"
                   r"|google.+?\/maps\/dir\/([\w\W]+)\/([\w\W]+)\/@([-\d.]+),([-\d.]+),((?:[-\d.]+[zmayht],?)*)",
     False),
    ("flickr", r"^(https?:)?/*(www.)?flickr.com/photos", False),
    ("flickr", r"^(https?://)?flic.kr/.*", False),
    ("instagram", r"^(https?:)?\/*(www.)?(instagr.am|^(https?:)?\/*(www.)?instagram.com)\/p\/", False),
    ("profile", r"^(https?:)?\/*(www.)?instagr.am\/[a-zA-Z0-9]{2,}|^(https?:)?\/*(www.)?instagram.com\/[a-zA-Z0-9]{2,}",
     False),
    ("documentcloud", r"documentcloud.org\/", False),
    ("wikipedia-image", r"^https://.+.wiki[mp]edia.org.+#/media/.+.(jpg|jpeg|png|gif|svg|webp)", False),
    ("wikipedia-image", r"^https://commons.wikimedia.org/wiki/File:.+.(jpg|jpeg|png|gif|svg|webp)", False),
    ("wikipedia", r"^(https?:)?/.+.wikipedia.org", False),
    ("image", r"(jpg|jpeg|png|gif|svg|webp)(\?.*)?$", True),
    ("imgur", r"""^.*imgur.com\/.+$|<blockquote class=['\"]imgur-embed-pub['\"]""", True),
    ("googledocs", r"^(https?:)?/*[^.]*.google.com/[^/]*/d/[^/]*/[^/]*?usp=shar.*"
                   r"|^(https?:)?/*drive.google.com/open?id=[^&]*&authuser=0"
                   r"|^(https?:)?//*drive.google.com/open\?id=[^&]*"
                   r"|^(https?:)?/*[^.]*.googledrive.com/host/[^/]*/", False),
    ("pdf", r"^.*\.pdf(\?.*)?(\#.*)?", False),
    ("spotify", r"spotify", False),
    ("iframe", r"iframe", False),
    ("blockquote", r"blockquote", False),
    ("video", r"(mp4|webm)(\?.*)?$", True),
    ("wistia", r"https?:\/\/(.+)?(wistia\.com|wi\.st)\/.*", True),
    ("audio", r"(mp3|wav|m4a)(\?.*)?$", True),
    ("imageblank", r"", False),
)

_MEDIA_PATTERNS = tuple((kind, re.compile(pattern, re.IGNORECASE if nocase else 0))
                        for kind, pattern, nocase in MEDIA_TABLE)

#: Types whose consumer only shows exactly the URL as passive content: <img src>, or
#: <video>/<audio> with <source src>.  Kept whatever the host: it is the data's own picture.
PASSIVE_MEDIA_TYPES = frozenset({"image", "imageblank", "video", "audio"})

#: Types that load a script, a frame or data (JSONP, XHR) for the URL, with the domains the URL
#: must be on (the domain itself or a subdomain).  Each type file was read for what it loads:
MEDIA_SERVICES: dict[str, tuple[str, ...]] = {
    "youtube": ("youtube.com", "youtu.be", "youtube-nocookie.com"),  # script www.youtube.com/iframe_api
    "vimeo": ("vimeo.com",),  # iframe player.vimeo.com
    "dailymotion": ("dailymotion.com", "dai.ly"),  # iframe www.dailymotion.com
    "vine": ("vine.co",),  # iframe vine.co
    "tiktok": ("tiktok.com",),  # XHR www.tiktok.com/oembed, its HTML inserted
    "bluesky": ("bsky.app",),  # XHR public.api.bsky.app
    "soundcloud": ("soundcloud.com",),  # JSONP soundcloud.com/oembed, script w.soundcloud.com
    "twitter": ("twitter.com", "x.com"),  # JSONP api.twitter.com, script platform.twitter.com
    "googlemaps": ("google.com",),  # iframe <the URL's own scheme and host>/maps/embed/v1/...
    "flickr": ("flickr.com", "flic.kr"),  # JSONP api.flickr.com
    "instagram": ("instagram.com", "instagr.am"),  # XHR graph.facebook.com
    "profile": ("instagram.com", "instagr.am"),  # <img> of the URL
    "documentcloud": ("documentcloud.org",),  # scripts assets.documentcloud.org, then the URL itself
    "wikipedia-image": ("wikipedia.org", "wikimedia.org"),  # XHR commons.wikimedia.org
    "wikipedia": ("wikipedia.org",),  # JSONP https://<taken from the URL>.wikipedia.org/w/api.php
    "imgur": ("imgur.com",),  # script s.imgur.com, XHR api.imgur.com, its HTML inserted
    "googledocs": ("google.com", "googledrive.com"),  # iframe of the URL (or drive.google.com)
    "spotify": ("spotify.com",),  # iframe embed.spotify.com
    "wistia": ("wistia.com", "wi.st"),  # iframe fast.wistia.com
}

#: Types never kept as media: "pdf" frames whatever page the URL names; "iframe" and
#: "blockquote" (the word anywhere in the URL) show the URL as text; "twitterembed" cannot
#: match a URL we write.  All become a plain link.
LINKED_MEDIA_TYPES = frozenset({"pdf", "iframe", "blockquote", "twitterembed"})

_STRICT_HOST = re.compile(r"^(https?)://((?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63})(?=[/?#]|$)")


def timelinejs_media_type(url: str) -> str:
    """The media type TimelineJS (its MEDIA_TABLE) picks for exactly this string."""
    for kind, pattern in _MEDIA_PATTERNS:
        if pattern.search(url):
            return kind
    return "imageblank"  # unreachable: the last pattern matches everything


def media_host(url: str) -> str | None:
    """The host of an http(s) URL written as plain ``scheme://host`` (lower-case ASCII letters,
    digits, hyphens and dots; no userinfo, port, percent-encoding or backslash), else None."""
    match = _STRICT_HOST.match(url)
    return match.group(2) if match else None


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def media_is_allowed(url: str) -> bool:
    """Whether TimelineJS may get this URL (as :func:`_media_url` writes it) as media.

    Passive types always; a service type only when the URL's host is that
    service, and where TimelineJS builds a host out of the URL's text, only
    when what it builds is that service too.
    """
    kind = timelinejs_media_type(url)
    if kind in PASSIVE_MEDIA_TYPES:
        return True
    domains = MEDIA_SERVICES.get(kind)
    host = media_host(url)
    if domains is None or host is None or not _on(host, domains):
        return False
    if kind == "wikipedia":
        # Wikipedia.js: "https://" + url.split("//")[1].split(".wikipedia")[0] + ".wikipedia.org/w/api.php?..."
        parts = url.split("//")
        language = parts[1].split(".wikipedia")[0] if len(parts) > 1 else ""
        api = media_host(f"https://{language}.wikipedia.org/")
        return "wiki/" in url and api is not None and _on(api, ("wikipedia.org",))
    if kind == "googlemaps":
        # GoogleMap.js frames (https://.+google.+?/maps) + "/embed/v1/...", matched anywhere in the URL;
        # from an https URL the match starts at 0, so the frame's host is the URL's own.
        return url.startswith("https://")
    return True


def _link(label: str, url: str | None) -> str:
    """``<a href>`` around escaped text, or just the text when the URL is not http/https/mailto."""
    target = safe_url(url) if url else None
    text = _html_text(label)
    if target is None:
        return text
    return f'<a href="{html.escape(target, quote=True)}">{text}</a>'


def _source_item(source: Source, locale: str = "en") -> str:
    parts = [_link(source.title or source.url or "source", source.url)]
    if source.title and source.url and safe_url(source.url) is None:
        parts.append(_html_text(source.url))
    if source.publisher:
        parts.append(_html_text(source.publisher))
    if source.date is not None:
        parts.append(_html_text(human_date(source.date, locale=locale)))
    return "<li>" + ", ".join(parts) + "</li>"


# --- dates -----------------------------------------------------------------------


def tl_year(year: int) -> int:
    """An astronomical year as TimelineJS counts: no year 0, so 0 (1 BCE) is -1 and -43 (44 BCE) is -44."""
    return year if year > 0 else year - 1


def date_parts(date: Date) -> dict[str, int]:
    """The components the date knows, as TimelineJS date-object integers; nothing invented."""
    parts = {"year": tl_year(date.year)}
    if date.month is not None:
        parts["month"] = date.month
        if date.day is not None:
            parts["day"] = date.day
            if date.hour is not None:
                parts["hour"] = date.hour
                parts["minute"] = date.minute or 0
                if date.second is not None:
                    parts["second"] = date.second
    return parts


def _instant(parts: Mapping[str, int]) -> tuple[int, ...]:
    """Where TimelineJS puts a date: missing parts default to the start of the period."""
    return (
        parts["year"],
        parts.get("month", 1),
        parts.get("day", 1),
        parts.get("hour", 0),
        parts.get("minute", 0),
        parts.get("second", 0),
    )


def _after(date: Date) -> dict[str, int]:
    """The start of the next year, month or day: the end of the period a coarse date covers."""
    if date.month is None:
        return {"year": tl_year(date.year + 1)}
    if date.day is None:
        year, month = (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)
        return {"year": tl_year(year), "month": month}
    year, month, day = date.year, date.month, date.day + 1
    if day > 28 and day > Date(year, month).last_day()[2]:
        day, month = 1, month + 1
        if month > 12:
            month, year = 1, year + 1
    return {"year": tl_year(year), "month": month, "day": day}


def _span_end(start: Date, end: Date | None, ongoing: bool, updated: Date | None) -> dict[str, int] | None:
    """The ``end_date`` for a span: the end itself, or ``updated`` for an ongoing one.

    None when there is no such date (an ongoing event and no ``updated`` or
    ``SOURCE_DATE_EPOCH``: no end is invented), or when TimelineJS would put
    the end before the start (an ongoing event that began after the data
    was last updated, or a span whose end is written more coarsely than its
    start): the display date says the rest.
    """
    if ongoing:
        if updated is None:
            return None
        parts = date_parts(updated)
    elif end is not None:
        parts = date_parts(end)
    else:
        return None
    if _instant(parts) < _instant(date_parts(start)):
        return None
    return parts


# --- the mapping ---------------------------------------------------------------


def _body(
    description: str, sources: tuple[Source, ...] = (), extra: str = "", locale: str = "en", links: str = ""
) -> str:
    text = markdown_to_html(description).strip() if description else ""
    if extra:
        text += extra
    text += links
    if sources:
        items = "".join(_source_item(source, locale) for source in sources)
        text += f"<p>{_html_text(message('label', 'Sources', locale))}:</p><ul>{items}</ul>"
    return text


def _media(event: Event, locale: str = "en") -> tuple[dict[str, str] | None, str]:
    """The slide's media object, or (None, a line of text) when TimelineJS may not have the URL.

    The line links to the URL when it is http(s) (a lookalike of a service,
    or a type we never embed), and otherwise just names the media.
    """
    media = event.media
    if media is None:
        return None, ""
    url = _media_url(media.url)
    if url is None or not media_is_allowed(url):
        label = _html_text(media.caption or media.url)
        if url is not None:
            label = f'<a href="{html.escape(url, quote=True)}">{label}</a>'
        credit = f" ({_html_text(media.credit)})" if media.credit else ""
        return None, f"<p>{_html_text(message('label', 'Media', locale))}: {label}{credit}</p>"
    out = {"url": url}
    if media.caption:
        out["caption"] = _html_text(media.caption)
        # alt and title are set as DOM properties, so they take plain text.
        out["alt"] = media.caption
        out["title"] = media.caption
    if media.credit:
        out["credit"] = _html_text(media.credit)
    return out, ""


def relation_links(relations: Sequence[Relation], titles: Mapping[str, str], locale: str = "en") -> str:
    """The related events as links to their slides (TimelineJS's hash bookmarks, ``#event-`` and the
    ``unique_id``, which the page follows when ``hash_bookmark`` is on), one list item each."""
    items = "".join(
        f'<li>{_html_text(relation.phrase(locale))}: '
        f'<a href="#event-{html.escape(relation.id, quote=True)}">{_html_text(titles[relation.id])}</a></li>'
        for relation in relations
        if relation.id in titles
    )
    return f"<p>{_html_text(message('label', 'See also', locale))}:</p><ul>{items}</ul>" if items else ""


def event_slide(
    event: Event,
    updated: Date | None,
    locale: str = "en",
    relations: Sequence[Relation] = (),
    titles: Mapping[str, str] | None = None,
    shown: TranslatedText | None = None,
    durations: bool = True,
) -> dict[str, Any]:
    """One event as a TimelineJS slide object; ``locale`` is the language of its dates and labels.

    ``relations`` (from :meth:`Timeline.relations_of`) become links to the
    slides of the events they name, whose titles (as shown) ``titles`` gives
    by id.  ``shown`` is the title and description to write (a
    translation), by default the event's own.  With ``durations``, a span's
    text starts with how long it lasted ("3 years 1 month 2 days"; ongoing:
    "for ..., as of" ``updated``).
    """
    if shown is None:
        shown = translated(event, locale)
    slide: dict[str, Any] = {"unique_id": event.id, "start_date": date_parts(event.start)}
    end = _span_end(event.start, event.end, event.ongoing, updated)
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = _stripped_text(human_span(event.start, event.end, ongoing=event.ongoing, locale=locale))
    media, media_text = _media(event, locale)
    text = _body(shown.description, event.sources, media_text, locale,
                 relation_links(relations, titles, locale) if relations and titles else "")
    duration = span_duration(event.start, event.end, event.ongoing, updated, locale) if durations else None
    if duration is not None:
        text = f"<p><em>{_html_text(duration)}</em></p>{text}"
    slide["text"] = {"headline": _html_text(shown.title), "text": text}
    if media is not None:
        slide["media"] = media
    if event.group and event.group.strip():
        slide["group"] = _stripped_text(event.group.strip())
    slide["autolink"] = False
    return slide


def era_object(era: Era, updated: Date | None, shown: TranslatedText | None = None) -> dict[str, Any]:
    """An era: TimelineJS needs both ends, strictly after one another, or it rejects the timeline."""
    if shown is None:
        shown = translated(era, "en")
    start = date_parts(era.start)
    end = _span_end(era.start, era.end, era.ongoing, updated)
    if end is None or _instant(end) <= _instant(start):
        end = _after(era.end if era.end is not None and not era.ongoing else era.start)
        if _instant(end) <= _instant(start):
            end = _after(era.start)
    return {
        "start_date": start,
        "end_date": end,
        "text": {"headline": _html_text(shown.title), "text": _body(shown.description)},
    }


def _warn_about_size(timeline: Timeline) -> None:
    count = len(timeline.events)
    if count > MANY_EVENTS:
        warnings.warn(
            f"{count} events is a lot for TimelineJS: it is built for narrative timelines of up to a few "
            f"hundred slides, and its navigator becomes unreadable; consider --tag, --group or --since",
            UserWarning,
            stacklevel=3,
        )
    elif count == 0:
        warnings.warn("the timeline has no events; TimelineJS shows an error message instead", UserWarning,
                      stacklevel=3)


def _warn_about_undated(timeline: Timeline, updated: Date | None) -> None:
    """One warning when ongoing events or eras are shown without any date saying until when."""
    if updated is not None:
        return
    ids = [event.id for event in timeline.events if event.ongoing]
    ids += [era.title for era in timeline.eras if era.ongoing]
    if ids:
        warn_undated("timelinejs", ids, stacklevel=4)


def _scale(timeline: Timeline, eras: list[dict[str, Any]]) -> str:
    """"cosmological" when a year is beyond what JavaScript dates hold, else "human"."""
    years = [tl_year(event.start.year) for event in timeline.events]
    years += [era["start_date"]["year"] for era in eras] + [era["end_date"]["year"] for era in eras]
    cosmological = any(year < _JS_MIN_YEAR or year > _JS_MAX_YEAR for year in years)
    return "cosmological" if cosmological else "human"


def _title_slide(shown: TranslatedText) -> dict[str, Any]:
    return {
        "unique_id": TITLE_SLIDE_ID,
        "text": {"headline": _html_text(shown.title), "text": _body(shown.description)},
        "autolink": False,
    }


def _write_data(
    timeline: Timeline,
    write: Callable[[str], None],
    dump: Callable[[Any, int], str],
    pad: str,
    report: Report | None = None,
    locale: str = "en",
    texts: Texts | None = None,
    durations: bool = True,
) -> None:
    """Write the whole TimelineJS configuration object (keys in a fixed order) as JSON, one slide at a time.

    ``dump(value, depth)`` renders a value nested ``depth`` levels deep and
    ``pad`` is one level of indentation ("" for compact output), so the text
    is exactly what one ``json.dumps`` of the whole object would give.
    """
    _warn_about_size(timeline)
    updated = timeline_as_of(timeline)
    _warn_about_undated(timeline, updated)
    if texts is None:
        texts = _texts(None)
    eras = [era_object(era, updated, texts(era)) for era in timeline.eras]
    nl, sep = ("\n", ": ") if pad else ("", ":")
    write(f'{{{nl}{pad}"scale"{sep}{dump(_scale(timeline, eras), 1)},{nl}')
    write(f'{pad}"title"{sep}{dump(_title_slide(texts(timeline)), 1)},{nl}{pad}"events"{sep}[')
    first = True
    relations = timeline.relations()
    titles = {event.id: texts(event).title for event in timeline.events} if relations else None
    for event in iter_events(timeline):
        slide = event_slide(event, updated, locale, relations.get(event.id, ()), titles, texts(event), durations)
        write(("" if first else ",") + nl + pad * 2 + dump(slide, 2))
        first = False
        if report is not None:
            _report_event(report, event, slide, updated)
    write(("" if first else nl + pad) + f"],{nl}{pad}" + f'"eras"{sep}{dump(eras, 1)}{nl}}}')


def _report_event(report: Report, event: Event, slide: Mapping[str, Any], updated: Date | None) -> None:
    """Tell a plugin API 1.1 report what the slide holds of ``event``."""
    report.wrote(event)
    if event.ongoing:
        if "end_date" in slide and updated is not None:  # an ongoing end is written only at ``updated``
            report.approximated(event, "end", f"ongoing: the end is placed at the data's last update, "
                                f"{human_date(updated)}")
        else:
            report.approximated(event, "end", "ongoing, starting after the data's last update: no end written")
    elif event.end is not None and "end_date" not in slide:
        report.approximated(event, "end", "TimelineJS would place it before the start: only in the display date")
    for field, date in (("start", event.start), ("end", None if event.ongoing else event.end)):
        if date is not None and date.hour is not None and (date.offset or date.zone or event.timezone):
            report.approximated(event, field, "the local time is shown without its zone or UTC offset")
    if event.location is not None:
        report.approximated(event, "location", "TimelineJS has no place for a location")


#: An event's, era's or timeline's title and description in the export's locale.
Texts = Callable[[Any], TranslatedText]


def _texts(context: ExportContext | None) -> Texts:
    """The export's texts: from the context (translations counted in its report), or the data's own."""
    if context is not None:
        return context.translated
    return lambda item: translated(item, "en")


def _json_dumper(indent: int) -> Callable[[Any, int], str]:
    if not indent:
        return lambda value, depth: escape_controls(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    pad = " " * indent

    def dump(value: Any, depth: int) -> str:
        # The canonical JSON exporter's indenter: json.dumps(indent=...)'s text, faster.
        return escape_controls(indented_json(value, pad, depth))

    return dump


_DURATIONS_HELP = "Start each span's slide text with how long it lasted, e.g. \"3 years 1 month\""


class TimelineJsExporter:
    name = "timelinejs"
    extensions = (".timeline.json",)
    media_type = "application/json"
    description = "TimelineJS 3 JSON, for new TL.Timeline(element, data) (see also timelinejs-html)"
    options = (
        Option("indent", "Spaces per indentation level; 0 writes it all on one line", type="int", default=2,
               minimum=0, maximum=8),
        Option("durations", _DURATIONS_HELP, type="bool", default=True),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        indent: int = options.get("indent", 2)

        def write(text: str) -> None:
            stream.write(text.encode("utf-8"))

        _write_data(timeline, write, _json_dumper(indent), " " * indent,
                    context.report if context is not None else None, context.locale if context is not None else "en",
                    _texts(context), bool(options.get("durations", True)))
        write("\n")


# --- the page --------------------------------------------------------------------

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or line separators can appear.

    The escaped characters only ever occur inside JSON strings, where
    ``\\uXXXX`` means the same character, so ``JSON.parse`` gives back the
    same value.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(_script_escape, text)


_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\x7f-\x9f]")


def _script_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SCRIPT_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _assets_base(value: str | None) -> str:
    if value is None or value == "":
        return CDN_BASE
    base = value.strip()
    scheme = urlsplit(base).scheme.lower()
    if scheme not in ("", "http", "https") or any(ch.isspace() or ch in "\"'<>\\" for ch in base):
        raise OptionError(
            f"option 'assets_url' must be an http(s) URL or a relative path to TimelineJS's dist/ folder, not {value!r}"
        )
    return base if base.endswith("/") else base + "/"


# TimelineJS opens every link of a slide's text in a new tab (target=_blank); a link to another slide
# (a relation, "#event-" and its unique_id) is followed here instead, through the hash bookmark.
_BOOT = """(function () {
  var read = function (id) { return JSON.parse(document.getElementById(id).textContent); };
  var container = document.getElementById("CONTAINER");
  window.timeline = new TL.Timeline(container, read("timeline-data"), read("timeline-options"));
  container.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#event-"]') : null;
    if (!link) { return; }
    event.preventDefault();
    var hash = link.getAttribute("href");
    if (window.timeline.options.hash_bookmark) { window.location.hash = hash; }
    else { window.timeline.goToId(hash.slice(7)); }
  }, true);
})();""".replace("CONTAINER", CONTAINER_ID)


def _noscript(timeline: Timeline, write: Callable[[str], None], locale: str, texts: Texts) -> None:
    """The events as a plain list, for readers without JavaScript (written line by line)."""
    head = texts(timeline)
    write(f"<noscript>\n<h1>{_html_text(head.title)}</h1>\n")
    if head.description:
        write(markdown_to_html(head.description).strip() + "\n")
    write("<p>This page needs JavaScript to show the interactive timeline. Its events:</p>\n<ol>\n")
    for event in timeline.events:
        date = _html_text(human_span(event.start, event.end, ongoing=event.ongoing, locale=locale))
        write(f"<li><strong>{date}</strong>: {_html_text(texts(event).title)}</li>\n")
    write("</ol>\n</noscript>")


def _hash_bookmark(timeline: Timeline, chosen: bool | None) -> bool:
    """TimelineJS's hash_bookmark: as chosen, else on when a slide links to another (relations)."""
    if chosen is not None:
        return chosen
    return any(event.related for event in timeline.events)


class TimelineJsPageExporter:
    name = "timelinejs-html"
    extensions = (".html", ".htm")
    media_type = "text/html; charset=utf-8"
    description = f"A standalone web page showing the timeline with TimelineJS {TIMELINEJS_VERSION}"
    options = (
        Option("assets_url", "Base URL of TimelineJS's css/ and js/ folders (self-hosting, offline use); "
               "default: Knight Lab's CDN, pinned"),
        Option("language", "TimelineJS's language for its own labels and axis dates; default: the one for "
               "--locale (en, de, fr, ja, ko, ru, uk, zh-cn)", choices=LANGUAGES),
        Option("start_at_slide", "Slide shown first: 0 is the title slide, 1 the first event", type="int",
               default=0, minimum=0),
        Option("start_at_end", "Start at the last event", type="bool", default=False),
        Option("timenav_position", "Where the navigator goes", default="bottom", choices=("bottom", "top")),
        Option("timenav_height", "Height of the navigator, in percent of the page", type="int", default=25,
               minimum=10, maximum=90),
        Option("hash_bookmark", "Keep the current slide in the URL (#event-ID), so it can be linked; default: "
               "on when events have relations, whose links in the slides go to the related slide that way",
               type="bool"),
        Option("font", "TimelineJS font set ('none': the browser's fonts, no web fonts loaded)", default="default",
               choices=FONTS),
        Option("durations", _DURATIONS_HELP, type="bool", default=True),
    )

    def write(
        self, timeline: Timeline, stream: IO[bytes], options: Mapping[str, Any], *, context: ExportContext | None = None
    ) -> None:
        base = _assets_base(options.get("assets_url"))
        font = options.get("font", "default")
        locale = context.locale if context is not None else "en"
        texts = _texts(context)
        tl_options = {
            "script_path": base + "js/",
            "language": options.get("language") or TIMELINEJS_LANGUAGE[locale],
            "start_at_slide": options.get("start_at_slide", 0),
            "start_at_end": options.get("start_at_end", False),
            "timenav_position": options.get("timenav_position", "bottom"),
            "timenav_height_percentage": options.get("timenav_height", 25),
            "hash_bookmark": _hash_bookmark(timeline, options.get("hash_bookmark")),
            "font": "" if font == "none" else font,
            "soundcite": False,
        }
        css, js = "css/timeline.css", "js/timeline.js"
        head = f"""<!DOCTYPE html>
<html lang="{HTML_LANG[locale]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="timeline (TimelineJS {TIMELINEJS_VERSION})">
<title>{_html_text(texts(timeline).title)}</title>
<link rel="stylesheet" href="{html.escape(base + css)}" integrity="{ASSET_INTEGRITY[css]}" crossorigin="anonymous">
<style>
html, body {{ height: 100%; margin: 0; padding: 0; }}
#{CONTAINER_ID} {{ width: 100%; height: 100%; }}
{_font_css(font, locale)}</style>
</head>
<body>
<div id="{CONTAINER_ID}"></div>
"""
        tail = f"""</script>
<script type="application/json" id="timeline-options">{script_json(tl_options)}</script>
<script src="{html.escape(base + js)}" integrity="{ASSET_INTEGRITY[js]}" crossorigin="anonymous"></script>
<script>
{_BOOT}
</script>
</body>
</html>
"""

        def write(text: str) -> None:
            stream.write(text.encode("utf-8"))

        def write_script(text: str) -> None:
            write(_SCRIPT_UNSAFE.sub(_script_escape, text))

        write(head)
        _noscript(timeline, write, locale, texts)
        write('\n<script type="application/json" id="timeline-data">')
        _write_data(timeline, write_script, _json_dumper(0), "", context.report if context is not None else None,
                    locale, texts, bool(options.get("durations", True)))
        write(tail)


@timeline.hookimpl
def timeline_exporters() -> list[Exporter]:
    return [TimelineJsExporter(), TimelineJsPageExporter()]
