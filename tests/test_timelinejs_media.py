"""TimelineJS media: a URL stays media only when TimelineJS would not load code, frames or data
from a host the data chose (issue 11 §2).  No browser here; test_timelinejs_browser.py checks the
same policy against TimelineJS itself (its own type lookup, and the requests a page makes)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from timeline.plugins import timelinejs as tljs

import timeline
from timeline import Date, Event, Media, Timeline

HERE = Path(__file__).parent
BROWSER = HERE / "browser"
PACKAGE = BROWSER / "node_modules" / "@knight-lab" / "timelinejs"
MEDIA_TYPE_JS = PACKAGE / "src" / "js" / "media" / "MediaType.js"

#: One genuine URL for every type of TimelineJS's table, and the type it must get.
GENUINE: dict[str, str] = {
    "youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "vimeo": "https://vimeo.com/76979871",
    "dailymotion": "https://www.dailymotion.com/video/x7tgad0",
    "vine": "https://vine.co/v/5WJaTHDMzbp",
    "tiktok": "https://www.tiktok.com/@someone/video/7012345678901234567",
    "bluesky": "https://bsky.app/profile/someone.bsky.social/post/3kabcdefg",
    "soundcloud": "https://soundcloud.com/artist/track",
    "twitter": "https://twitter.com/someone/status/1234567890",
    "googlemaps": "https://www.google.com/maps/@39.0392,125.7625,12z",
    "flickr": "https://www.flickr.com/photos/someone/1234567890",
    "instagram": "https://www.instagram.com/p/CAbCdEfGhIj/",
    "profile": "https://www.instagram.com/someone",
    "documentcloud": "https://www.documentcloud.org/documents/123456-report.html",
    "wikipedia-image": "https://commons.wikimedia.org/wiki/File:Pyongyang_skyline.jpg",
    "wikipedia": "https://en.wikipedia.org/wiki/Pyongyang",
    "imgur": "https://imgur.com/gallery/AbCdEfG",
    "googledocs": "https://docs.google.com/document/d/1AbC/edit?usp=sharing",
    "spotify": "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
    "wistia": "https://home.wistia.com/medias/e4a27b971d",
    "image": "https://media.example/photo.jpg",
    "video": "https://media.example/clip.mp4",
    "audio": "https://media.example/sound.mp3",
    "imageblank": "https://media.example/page",
    "pdf": "https://media.example/report.pdf",
    "iframe": "https://media.example/iframe-page",
    "blockquote": "https://media.example/blockquote",
}
# (the one type left out, twitterembed, matches "<blockquote class=..." and no URL we write can)

SERVICE_TYPES = sorted(tljs.MEDIA_SERVICES)


def lookalikes(url: str) -> list[str]:
    """Hostile variants of a genuine URL: the service's host where it is not the host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    rest = url[len(f"{parts.scheme}://{parts.netloc}"):]
    homoglyph = host.translate(str.maketrans("aeo", "аео"))  # Cyrillic a, e, o
    variants = [
        f"https://evil.example/x.{host}{rest}",
        f"https://evil.example/{host}{rest}",
        f"https://{host}.evil.example{rest}",
        f"https://{host}evil.example{rest}",
        f"https://evil.example/?{host}{rest}",
        f"https://evil.example#{host}{rest}",
        f"https://{host}@evil.example{rest}",
        f"https://{host}:443@evil.example{rest}",
        f"https://evil.example\\@{host}{rest}",
        f"https://{host}\\.evil.example{rest}",
        f"https://evil.example\\{host}{rest}",
        f"https://{host}%2F.evil.example{rest}",
        f"https://{host}:8443{rest}",
        f"https://{host}.{rest}",
        f"HTTPS://EVIL.EXAMPLE/X.{host.upper()}{rest}",
        f"https://{homoglyph}{rest}",
        f"https://{host.replace('.', '。')}.evil.example{rest}",  # ideographic full stop
        f"https://xn--{host.replace('.', '-')}.evil.example{rest}",
        f"//evil.example/{host}{rest}",
        f"https:evil.example/{host}{rest}",
        f"https:///evil.example/{host}{rest}",
        f"http://evil.example/https://{host}{rest}",
    ]
    assert homoglyph != host and url not in variants
    return variants


def _slide(url: str) -> dict[str, Any]:
    tl = Timeline(id="t", title="T", updated=Date.parse("2024-11-01"),
                  events=(Event(id="e", title="E", start=Date.parse("2001"), media=Media(url=url, caption="Pic")),))
    out = timeline.export(tl, "timelinejs")
    assert out is not None
    slide: dict[str, Any] = json.loads(out)["events"][0]
    return slide


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def independent_check(url: str) -> str | None:
    """Why TimelineJS must not get ``url`` as media, by a second reading (urllib), or None if it may."""
    kind = tljs.timelinejs_media_type(url)
    if kind in tljs.PASSIVE_MEDIA_TYPES:
        return None
    if kind not in tljs.MEDIA_SERVICES:
        return f"type {kind} is never embedded"
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return "bad port"
    if parts.scheme not in ("http", "https") or parts.username is not None or port is not None:
        return "scheme, userinfo or port"
    host = parts.hostname or ""
    if not re.fullmatch(r"[a-z0-9.-]+", host) or f"//{host}" not in url or not _on(host, tljs.MEDIA_SERVICES[kind]):
        return f"host {host!r} is not {kind}"
    if "\\" in url:
        return "backslash"
    if kind == "wikipedia":
        api = "https://" + url.split("//")[1].split(".wikipedia")[0] + ".wikipedia.org/w/api.php"
        api_host = urlsplit(api).hostname or ""
        if "@" in api.split("/")[2] or not _on(api_host, ("wikipedia.org",)):
            return f"Wikipedia.js would ask {api_host}"
    if kind == "googlemaps" and not url.startswith("https://"):
        return "GoogleMap.js takes the frame's host from an https:// anywhere in the URL"
    return None


# --- the policy --------------------------------------------------------------------------


def test_every_type_of_the_table_has_a_genuine_url_and_a_decision() -> None:
    kinds = {kind for kind, _, _ in tljs.MEDIA_TABLE}
    assert kinds - {"twitterembed"} == set(GENUINE)
    decided = tljs.PASSIVE_MEDIA_TYPES | set(tljs.MEDIA_SERVICES) | tljs.LINKED_MEDIA_TYPES
    assert decided == kinds
    assert not (tljs.PASSIVE_MEDIA_TYPES & set(tljs.MEDIA_SERVICES))
    assert not (tljs.LINKED_MEDIA_TYPES & (tljs.PASSIVE_MEDIA_TYPES | set(tljs.MEDIA_SERVICES)))


@pytest.mark.parametrize("kind", sorted(GENUINE))
def test_genuine_urls_keep_their_type(kind: str) -> None:
    url = GENUINE[kind]
    assert tljs.timelinejs_media_type(url) == kind
    slide = _slide(url)
    if kind in tljs.LINKED_MEDIA_TYPES:
        assert "media" not in slide
        assert f'<p>Media: <a href="{url}">Pic</a></p>' in slide["text"]["text"]
    else:
        # Written unchanged, and TimelineJS reads the written string as the same type.
        assert slide["media"]["url"] == url
        assert tljs.timelinejs_media_type(slide["media"]["url"]) == kind


@pytest.mark.parametrize(("kind", "url"), [(kind, bad) for kind in SERVICE_TYPES for bad in lookalikes(GENUINE[kind])])
def test_lookalikes_never_reach_a_loading_type(kind: str, url: str) -> None:
    slide = _slide(url)
    if "media" in slide:
        written = slide["media"]["url"]
        assert tljs.timelinejs_media_type(written) in tljs.PASSIVE_MEDIA_TYPES, (url, written)
        assert "evil" not in slide["text"]["text"]
    else:
        text = slide["text"]["text"]
        assert text.startswith("<p>Media: ")
        written = tljs._media_url(url)
        if written is not None:  # http(s): a plain link to where the data points
            assert f'<a href="{written}">Pic</a>' in text.replace("&amp;", "&")
        else:
            assert "<a " not in text


#: Lookalikes TimelineJS would take as a loading type, and what it would then do.
KNOWN_ATTACKS = [
    "https://evil.example/x.wikipedia.org/wiki/Foo",  # JSONP <script> from evil.example
    "https://en.wikipedia.org.evil.example/wiki/Foo",  # JSONP from en.wikipedia.org.evil.example
    "https://evil.example/?youtu.be/x",  # YouTube's script, for a page that is not YouTube
    "https://youtube.com@evil.example/watch?v=x",
    "https://www.youtube.com\\@evil.example/watch?v=x",
    "https://evil.example/googlex/maps/@1,2,3z",  # <iframe> of https://evil.example/googlex/maps/embed/...
    "http://www.google.com/maps/x/https://evil.example/google/maps/@1,2,3z",  # the same, from the middle
    "https://evil.example/documentcloud.org/x.js",  # DocumentCloud's viewer loads x.js from evil.example
    "https://evil-google.com/document/d/1/edit?usp=sharing",  # <iframe> of the URL
    "https://vimeo.com.evil.example/1",
]


@pytest.mark.parametrize("url", KNOWN_ATTACKS)
def test_known_attacks_become_a_link(url: str) -> None:
    written = tljs._media_url(url)
    assert written is not None and tljs.timelinejs_media_type(written) in tljs.MEDIA_SERVICES
    slide = _slide(url)
    assert "media" not in slide
    assert f'<a href="{written}">' in slide["text"]["text"]
    assert independent_check(written) is not None


@pytest.mark.parametrize("url", [
    "https://wikipedia.org.evil.example/",
    "https://evil.example/?youtube.com/watch?v=x",
    "https://evil.example/google/maps/@1,2,3z",
    "//evil.example/x.wikipedia.org/wiki/Foo",
])
def test_other_lookalikes_are_at_most_a_picture(url: str) -> None:
    """TimelineJS does not take these for the service: at most an <img> of exactly the URL."""
    slide = _slide(url)
    if "media" in slide:
        assert slide["media"]["url"] == url
        assert tljs.timelinejs_media_type(url) == "imageblank"


def test_uppercase_genuine_urls_are_normalised_and_kept() -> None:
    slide = _slide("HTTPS://EN.WIKIPEDIA.ORG/wiki/Pyongyang")
    assert slide["media"]["url"] == "https://en.wikipedia.org/wiki/Pyongyang"
    assert tljs.timelinejs_media_type(slide["media"]["url"]) == "wikipedia"


def test_a_link_keeps_the_credit_and_escapes_the_caption() -> None:
    tl = Timeline(id="t", title="T", events=(Event(id="e", title="E", start=Date.parse("2001"), media=Media(
        url="https://evil.example/x.wikipedia.org/wiki/Foo?a=1&b='2'", caption="a<b", credit="c&d")),))
    out = timeline.export(tl, "timelinejs")
    assert out is not None
    text = json.loads(out)["events"][0]["text"]["text"]
    assert text == ('<p>Media: <a href="https://evil.example/x.wikipedia.org/wiki/Foo?a=1&amp;b=%272%27">'
                    "a&lt;b</a> (c&amp;d)</p>")


def test_the_page_uses_the_same_policy() -> None:
    tl = Timeline(id="t", title="T", events=(Event(id="e", title="E", start=Date.parse("2001"), media=Media(
        url="https://evil.example/x.wikipedia.org/wiki/Foo")),))
    page = timeline.export(tl, "timelinejs-html")
    assert page is not None
    data = json.loads(re.search(rb'id="timeline-data">(.*?)</script>', page, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert "media" not in data["events"][0]
    assert 'href=\\"https://evil.example/x.wikipedia.org/wiki/Foo\\"' in json.dumps(data)


# --- a property: whatever the URL, what is kept passes a second, independent reading -------

_PIECES = sorted({urlsplit(url).hostname or "" for url in GENUINE.values()} | {
    "evil.example", "wikipedia.org", "youtu.be", "x.com", "google.com", "flic.kr", "dai.ly", "wi.st",
    "instagr.am", "documentcloud.org", "googledrive.com",
})
_SEPARATORS = [".", "@", "\\", "/", "//", "?", "#", ":", ":443", "%2e", "%40", "。", "", "-", "X"]
_RESTS = sorted({url[len(f"https://{urlsplit(url).netloc}"):] for url in GENUINE.values()} | {
    "/wiki/Foo", "/maps/@1,2,3z", "/host/x/", "/x.wikipedia.org/wiki/Foo", "/?youtube.com/watch?v=x", ""})

urls = st.builds(
    lambda scheme, pieces, rest: scheme + "".join(pieces) + rest,
    st.sampled_from(["https://", "http://", "HTTPS://", "//", "https:/", "https:\\\\", "https:", ""]),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), min_size=1, max_size=6),
    st.sampled_from(_RESTS),
)


@settings(max_examples=600, deadline=None)
@given(urls)
def test_whatever_is_kept_passes_an_independent_check(url: str) -> None:
    written = tljs._media_url(url)
    slide = _slide(url)
    if "media" in slide:
        assert slide["media"]["url"] == written
        assert independent_check(slide["media"]["url"]) is None
    elif written is not None:
        assert tljs.media_is_allowed(written) is False
        assert f'<a href="{written}">' in slide["text"]["text"].replace("&amp;", "&")


# --- the pinned TimelineJS is the one whose table was reviewed ---------------------------------

REVIEW = ("review src/js/media/MediaType.js and the files in src/js/media/types/ of the new TimelineJS "
          "(what each type loads, from which host) and update MEDIA_TABLE, MEDIA_SERVICES and "
          "MEDIA_TABLE_REVIEWED_FOR in plugins/timelinejs.py")


def test_the_pinned_timelinejs_is_the_reviewed_one() -> None:
    pinned = json.loads((BROWSER / "package.json").read_text())["dependencies"]["@knight-lab/timelinejs"]
    locked = json.loads((BROWSER / "package-lock.json").read_text())["packages"]["node_modules/@knight-lab/timelinejs"]
    for what, version in [("tests/browser/package.json", pinned), ("package-lock.json", locked["version"]),
                          ("TIMELINEJS_VERSION", tljs.TIMELINEJS_VERSION)]:
        assert version == tljs.MEDIA_TABLE_REVIEWED_FOR, (
            f"{what} has TimelineJS {version}, but the media policy was reviewed for "
            f"{tljs.MEDIA_TABLE_REVIEWED_FOR}: {REVIEW}")
    assert f"/{tljs.MEDIA_TABLE_REVIEWED_FOR}/" in tljs.CDN_BASE, REVIEW


def _installed() -> str:
    if not MEDIA_TYPE_JS.is_file():
        if os.environ.get("CI"):
            pytest.fail("TimelineJS is not installed (cd tests/browser && npm ci)")
        pytest.skip("TimelineJS is not installed (cd tests/browser && npm ci)")
    return MEDIA_TYPE_JS.read_text(encoding="utf-8")


def _js_string(literal: str) -> str:
    """The value of a JavaScript string literal (only simple escapes occur in MediaType.js)."""
    assert not re.search(r"\\[nrtbfv0xu]", literal[1:-1]), literal
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def installed_table(source: str) -> list[tuple[str, str, bool]]:
    """(type, pattern, case-insensitive) from MediaType.js, in its order."""
    entry = re.compile(r'type:\s*"([^"]+)",\s*name:\s*"[^"]*",\s*match_str:\s*'
                       r'("(?:[^"\\]|\\.)*"|/(?:[^/\\\n]|\\.)+/[a-z]*)\s*,\s*cls:')
    table = []
    for kind, match_str in entry.findall(source):
        if match_str.startswith('"'):
            table.append((kind, _js_string(match_str), False))
        else:
            body, _, flags = match_str[1:].rpartition("/")
            table.append((kind, body, "i" in flags))
    return table


def test_the_installed_media_table_is_the_reviewed_one() -> None:
    source = _installed()
    assert hashlib.sha256(source.encode("utf-8")).hexdigest() == tljs.MEDIA_TABLE_SHA256, (
        f"MediaType.js changed: {REVIEW}")
    table = installed_table(source)
    assert len(table) == source.count("cls:") == len(tljs.MEDIA_TABLE)
    assert table == list(tljs.MEDIA_TABLE), REVIEW
