"""TimelineJS itself, in headless Chromium, as the judge of what we write.

Pages are served from a loopback HTTP server; the page's requests for
TimelineJS on Knight Lab's CDN are answered from the npm package pinned in
tests/browser/package.json (``npm ci`` there), and every other outside
request (media, web fonts) is answered locally and recorded, so nothing
leaves the machine.  A canary, ``window.__pwned``, is what every hostile
payload tries to set.

Needs: Python ``playwright`` (no downloaded browsers), Chromium at
/usr/bin/chromium (or $CHROMIUM), and tests/browser/node_modules.  Outside
CI a missing piece skips these tests; with CI set it fails them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from timeline.plugins import timelinejs as tljs

import timeline
from tests.browser_helpers import CHROMIUM, launch_chromium, record_errors
from timeline import Timeline, human_span

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
PACKAGE = HERE / "browser" / "node_modules" / "@knight-lab" / "timelinejs"
DIST = PACKAGE / "dist"
ARTIFACTS = HERE / "artifacts"
# 1x1 transparent PNG, the answer to every outside image request.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json",
                 ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".svg": "image/svg+xml",
                 ".eot": "application/vnd.ms-fontobject", ".html": "text/html"}


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install -r tests/requirements-clients.txt)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not (DIST / "js" / "timeline.js").exists():
        return "TimelineJS is not installed (cd tests/browser && npm ci)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium(_missing())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1, and its base URL."""
    root = tmp_path_factory.mktemp("site")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Rendered:
    """A page with TimelineJS rendered, and what happened on the way."""

    def __init__(self, page: Any, errors: list[str], outside: list[str], seconds: float) -> None:
        self.page = page
        self.errors = errors
        self.outside = outside
        self.seconds = seconds
        self.ready_ms = 0.0
        self.requests: list[tuple[str, str]] = []  # (resource type, URL) of every request, all frames

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def slides(self) -> list[dict[str, str]]:
        return self.js("""() => Array.from(document.querySelectorAll('.tl-storyslider .tl-slide')).map(s => ({
            id: s.id,
            title: s.classList.contains('tl-slide-titleslide'),
            headline: (s.querySelector('.tl-headline') || {}).textContent || '',
            date: (s.querySelector('.tl-headline-date') || {}).textContent || '',
            text: (s.querySelector('.tl-text-content') || {}).textContent || '',
            html: (s.querySelector('.tl-text-content') || {}).innerHTML || '',
            caption: (s.querySelector('.tl-caption') || {}).textContent || '',
            credit: (s.querySelector('.tl-credit') || {}).textContent || '',
        }))""")

    def pwned(self) -> Any:
        return self.js("() => window.__pwned")

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.pwned() is None
        message = self.js("() => { const m = document.querySelector('.tl-message-full');"
                          " return m && m.offsetParent !== null ? m.textContent : null; }")
        assert message is None, f"TimelineJS shows an error: {message}"


@pytest.fixture
def render(browser: Any, site: tuple[Path, str]) -> Iterator[Callable[..., Rendered]]:
    root, base = site
    contexts: list[Any] = []

    def _render(files: dict[str, bytes], page_name: str = "index.html", *, wait_slides: int | None = None,
                viewport: tuple[int, int] = (1280, 800)) -> Rendered:
        for name, content in files.items():
            (root / name).write_bytes(content)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        page = context.new_page()
        errors = record_errors(page)
        outside: list[str] = []

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(base):
                route.continue_()
                return
            if url.startswith(tljs.CDN_BASE):
                path = DIST / url[len(tljs.CDN_BASE):].split("?")[0].split("#")[0]
                if path.is_file():
                    route.fulfill(status=200, body=path.read_bytes(),
                                  headers={"Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                                           "Access-Control-Allow-Origin": "*"})
                    return
            outside.append(url)
            if route.request.resource_type == "image":
                route.fulfill(status=200, body=PNG, headers={"Content-Type": "image/png",
                                                             "Access-Control-Allow-Origin": "*"})
            elif route.request.resource_type == "stylesheet":
                route.fulfill(status=200, body=b"", headers={"Content-Type": "text/css"})
            elif route.request.resource_type == "font":
                # An empty font is a decode warning, not an error; what matters is that it stays local.
                route.fulfill(status=200, body=b"", headers={"Content-Type": "font/ttf",
                                                             "Access-Control-Allow-Origin": "*"})
            else:
                route.fulfill(status=200, body=b"", headers={"Content-Type": "text/plain"})

        page.route("**/*", route)
        requests: list[tuple[str, str]] = []
        page.on("request", lambda request: requests.append((request.resource_type, request.url)))
        started = time.perf_counter()
        page.goto(base + page_name, wait_until="load")
        page.wait_for_function("() => window.timeline && window.timeline.ready === true"
                               " || !!document.querySelector('.tl-message-full')", timeout=30_000)
        if wait_slides is not None:
            page.wait_for_function("n => document.querySelectorAll('.tl-storyslider .tl-slide').length >= n",
                                   arg=wait_slides, timeout=30_000)
        seconds = time.perf_counter() - started
        rendered = Rendered(page, errors, outside, seconds)
        rendered.requests = requests
        rendered.ready_ms = page.evaluate("() => performance.now()")  # since navigation started
        return rendered

    yield _render
    for context in contexts:
        context.close()


# --- helpers ---------------------------------------------------------------------


def _page(tl: Timeline, **options: Any) -> bytes:
    data = timeline.export(tl, "timelinejs-html", **options)
    assert data is not None
    return data


def _check_story(rendered: Rendered, tl: Timeline) -> list[dict[str, str]]:
    """Everything the issue asks a render to show, for any timeline."""
    rendered.assert_clean()
    slides = rendered.slides()
    assert len(slides) == len(tl.events) + 1
    assert slides[0]["title"] and slides[0]["headline"] == tl.title
    by_id = {slide["id"]: slide for slide in slides[1:]}
    assert sorted(by_id) == sorted(event.id for event in tl.events)
    for event in tl.events:
        slide = by_id[event.id]
        assert slide["headline"] == event.title, event.id
        assert slide["date"] == human_span(event.start, event.end, ongoing=event.ongoing), event.id
    eras = rendered.js("() => Array.from(document.querySelectorAll('.tl-timeera')).map(e => e.textContent)")
    assert sorted(eras) == sorted(era.title for era in tl.eras)
    return slides


# --- the pinned assets -------------------------------------------------------------


def test_sri_hashes_match_the_npm_package(browser: Any) -> None:
    version = json.loads((PACKAGE / "package.json").read_text())["version"]
    assert version == tljs.TIMELINEJS_VERSION
    pinned = json.loads((HERE / "browser" / "package.json").read_text())["dependencies"]["@knight-lab/timelinejs"]
    assert pinned == tljs.TIMELINEJS_VERSION
    for name, integrity in tljs.ASSET_INTEGRITY.items():
        digest = hashlib.sha384((DIST / name).read_bytes()).digest()
        assert integrity == "sha384-" + base64.b64encode(digest).decode()


# --- the bundled timeline ------------------------------------------------------------


def test_sample_renders_every_event(render: Callable[..., Rendered]) -> None:
    tl = timeline.sample()
    rendered = render({"index.html": _page(tl)}, wait_slides=len(tl.events) + 1)
    _check_story(rendered, tl)
    ARTIFACTS.mkdir(exist_ok=True)
    rendered.page.screenshot(path=str(ARTIFACTS / "timelinejs-sample.png"))
    figures = {"events": len(tl.events), "eras": len(tl.eras), "slides": len(tl.events) + 1,
               "render_seconds": round(rendered.seconds, 3), "in_page_ms": round(rendered.ready_ms),
               "timelinejs": tljs.TIMELINEJS_VERSION}
    (ARTIFACTS / "timelinejs-sample.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nTimelineJS rendered {len(tl.events)} events + title in {rendered.seconds:.2f} s")
    # Only web fonts (and nothing else) were asked of the outside world.
    assert all(url.startswith("https://fonts.gstatic.com/") for url in rendered.outside), rendered.outside


@pytest.mark.parametrize(("code", "anchor"), [("ru", "19 июня 2024\u202fг."), ("ko", "2024년 6월 19일")])
def test_sample_in_a_locale_shows_localised_dates_on_the_slides(
    render: Callable[..., Rendered], code: str, anchor: str
) -> None:
    """Issue 15: ``--locale`` writes display_date in the locale, and TimelineJS shows it as written."""
    tl = timeline.sample()
    page, _ = timeline.export_with_report(tl, "timelinejs-html", locale=code)
    assert page is not None
    rendered = render({"index.html": page}, wait_slides=len(tl.events) + 1)
    rendered.assert_clean()
    slides = rendered.slides()
    by_id = {slide["id"]: slide for slide in slides[1:]}
    assert sorted(by_id) == sorted(event.id for event in tl.events)
    for event in tl.events:
        assert by_id[event.id]["date"] == human_span(event.start, event.end, ongoing=event.ongoing, locale=code)
        if event.end is not None:  # the duration leads the slide's text, as TimelineJS shows it
            lasted = timeline.human_duration(event.start, event.end, locale=code)
            assert by_id[event.id]["text"].startswith(lasted), (event.id, by_id[event.id]["text"][:80])
        # the sample's translated titles, as the data has them (every event has one in ru and ko)
        assert by_id[event.id]["headline"] == event.translations[code].title
    assert slides[0]["headline"] == tl.translations[code].title
    assert anchor in [slide["date"] for slide in slides[1:]]
    assert rendered.js("() => window.timeline.language.lang") == code
    # Fonts: <html lang> is the locale's, and slide text names a stack with Cyrillic and Hangul fonts.
    assert rendered.js("() => document.documentElement.lang") == code
    (event_id,) = [slide["id"] for slide in slides[1:] if slide["date"] == anchor][:1]
    date_selector = f'.tl-storyslider [id="{event_id}"] .tl-headline-date'
    families = rendered.js("""s => [s, s.replace('.tl-headline-date', '.tl-text-content p'),
                                    s.replace('.tl-headline-date', '.tl-headline')]
        .map(q => getComputedStyle(document.querySelector(q)).fontFamily)""", date_selector)
    for family in families:
        assert '"Noto Sans"' in family or '"Noto Serif"' in family, family  # Latin and Cyrillic
        assert '"Noto Sans CJK KR"' in family and '"Malgun Gothic"' in family, family  # Hangul
    # The glyphs of the localised date: from a CJK font for Hangul (Debian's fonts-noto-cjk), none missing.
    used = _platform_fonts(rendered, date_selector)
    assert used and all(font["glyphCount"] > 0 for font in used), used
    if code == "ko":
        if not _has_font("Noto Sans CJK KR"):
            if os.environ.get("CI"):
                pytest.fail("fonts-noto-cjk is not installed (.ci/setup installs it)")
            pytest.skip("no Noto Sans CJK KR (apt-get install fonts-noto-cjk)")
        assert any(font["familyName"].startswith("Noto Sans CJK") for font in used), used
    else:
        assert not any("CJK" in font["familyName"] for font in used), used
    ARTIFACTS.mkdir(exist_ok=True)
    rendered.page.screenshot(path=str(ARTIFACTS / f"timelinejs-sample-{code}.png"))


def _platform_fonts(rendered: Rendered, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium drew an element's text with (DevTools' "Rendered Fonts"), with glyph counts."""
    cdp = rendered.page.context.new_cdp_session(rendered.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts: list[dict[str, Any]] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return fonts


def _has_font(family: str) -> bool:
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    return family in subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout


# --- hostile data ------------------------------------------------------------------

PWN = "window.__pwned=1"
# Text that TimelineJS's autolink pass would splice into href='...' unescaped:
# with autolink on, moving the mouse anywhere over the slide runs it.
AUTOLINK_BAIT = ("See www.example.com'onmouseover='window.__pwned=2'"
                 "style='position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999'")


def hostile_timeline() -> Timeline:
    from timeline import Date, Era, Event, Media, Source

    d = Date.parse
    payload_img = f'<img src=x onerror="{PWN}">'
    payload_script = f"</script><script>{PWN}</script><!--"
    return Timeline(
        id="hostile",
        title=f"Hostile {payload_script} \u2028\u2029 & <b>bold</b>",
        description=f"Intro {payload_img} <script>{PWN}</script> [x](javascript:{PWN})\n\n</noscript>{payload_img}",
        updated=d("2024-11-01"),
        eras=(Era(title=f"Era {payload_img}", start=d("2001"), end=d("2003")),),
        events=(
            Event(
                id="script-title",
                title=payload_script,
                start=d("2001-01-01"),
                description=f"<script>{PWN}</script>\n\n{payload_img}\n\n[click me](javascript:{PWN}) [fine](https://example.org/ok)\n\n{AUTOLINK_BAIT}",
                group=f"Group {payload_img} &lt;b&gt;",
                sources=(
                    Source(title=f"Source {payload_img}", url=f"javascript:{PWN}", publisher=payload_script),
                    Source(title="Quote breaker", url=f'https://example.org/"><img/src=x/onerror={PWN}>\'x'),
                    Source(title="A fine source", url="https://example.org/treaty?a=1&b=2", publisher="Ex & Co"),
                    Source(url=f"data:text/html,<script>{PWN}</script>"),
                ),
            ),
            Event(
                id="img-title",
                title=payload_img,
                start=d("2001-06"),
                media=Media(url=f"javascript:{PWN}", caption=payload_img, credit=payload_script),
            ),
            Event(
                id="media-quotes",
                title="a<b & c>d",
                start=d("2002"),
                media=Media(url=f'https://example.org/pic.png"onerror="{PWN}', caption=f"Caption {payload_img}",
                            credit=f"Credit {payload_img}"),
                group=f"Group {payload_img} &lt;b&gt;",
            ),
            Event(
                id="media-vimeo",
                title="Vimeo with quotes",
                start=d("2002-03-04"),
                media=Media(url=f"https://vimeo.com/1'><img src=x onerror={PWN}>"),
            ),
            Event(
                id="media-blockquote",
                title="Blockquote URL",
                start=d("2002-05-06"),
                media=Media(url=f"https://example.org/blockquote<img src=x onerror={PWN}>"),
            ),
            Event(
                id="unicode",
                title="조선민주주의인민공화국 · Договор о стратегическом партнёрстве · معاهدة · שלום · 🇰🇵🤝🇷🇺 👨‍👩‍👧",
                start=d("2003-02-01"),
                description="Пхеньян — 평양 — بيونغ يانغ 🎉",
                group="Дипломатия 외교",
            ),
        ),
    )


def _hover_everywhere(rendered: Rendered) -> None:
    page = rendered.page
    for x in range(50, 1280, 150):
        for y in range(50, 800, 150):
            page.mouse.move(x, y)


def _click_through(rendered: Rendered, count: int) -> None:
    page = rendered.page
    for _ in range(count):
        page.locator(".tl-slidenav-next").first.click()
        page.wait_for_timeout(1100)  # TimelineJS animates slide changes for 1000 ms
        _hover_everywhere(rendered)


def test_hostile_page_runs_nothing(render: Callable[..., Rendered]) -> None:
    tl = hostile_timeline()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = _page(tl)
    text = page.decode()
    assert text.count("</script>") == 4  # our four script elements, and no other
    assert "<!--" not in text
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", text, re.DOTALL)
    assert len(scripts) == 4
    assert not any(ch in script for script in scripts for ch in "<>&\u2028\u2029")
    rendered = render({"index.html": page}, wait_slides=len(tl.events) + 1)
    _check_story(rendered, tl)
    assert rendered.js("() => document.title") == tl.title
    _hover_everywhere(rendered)
    _click_through(rendered, len(tl.events))
    rendered.assert_clean()
    by_id = {slide["id"]: slide for slide in rendered.slides()}  # media fill in as slides come near
    # Nothing but http(s)/mailto links anywhere in the slides.
    hrefs = rendered.js("() => Array.from(document.querySelectorAll('.tl-storyslider a[href]')).map(a => a.href)")
    assert hrefs and all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs
    assert rendered.js("() => document.querySelectorAll('.tl-storyslider script, .tl-storyslider [onerror],"
                       " .tl-storyslider [onmouseover]').length") == 0
    # Markup in the data shows as the text it is.
    assert "<script>" in by_id["script-title"]["text"]
    assert "<img src=x onerror=" in by_id["script-title"]["text"]
    assert "[click me](javascript:" in by_id["script-title"]["text"] or "click me" in by_id["script-title"]["text"]
    assert "Source <img src=x" in by_id["script-title"]["text"]
    groups = rendered.js("() => Array.from(document.querySelectorAll('.tl-timegroup-message')).map(e => e.textContent)")
    assert f"Group <img src=x onerror=\"{PWN}\"> &lt;b&gt;" in groups
    assert "Дипломатия 외교" in groups
    assert by_id["media-quotes"]["caption"] == f"Caption <img src=x onerror=\"{PWN}\">"
    assert by_id["media-quotes"]["credit"] == f"Credit <img src=x onerror=\"{PWN}\">"
    assert "Пхеньян — 평양 — بيونغ يانغ 🎉" in by_id["unicode"]["text"]


def _harness(data: dict[str, Any]) -> dict[str, bytes]:
    """A page of our own that hands TimelineJS a JSON file, as a site using the JSON exporter would."""
    cdn = tljs.CDN_BASE
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title>
<link rel="stylesheet" href="{cdn}css/timeline.css"></head>
<body style="margin:0"><div id="tl" style="width:100%;height:100vh"></div>
<script src="{cdn}js/timeline.js"></script>
<script>fetch("data.json").then(r => r.json()).then(d => {{
  window.timeline = new TL.Timeline("tl", d, {{script_path: "{cdn}js/", font: ""}});
}});</script></body></html>"""
    return {"harness.html": page.encode(), "data.json": json.dumps(data).encode()}


def _json_data(tl: Timeline) -> dict[str, Any]:
    out = timeline.export(tl, "timelinejs")
    assert out is not None
    return json.loads(out)


def test_hostile_json_in_timelinejs(render: Callable[..., Rendered]) -> None:
    tl = hostile_timeline()
    rendered = render(_harness(_json_data(tl)), "harness.html", wait_slides=len(tl.events) + 1)
    _check_story(rendered, tl)
    _click_through(rendered, 3)
    rendered.assert_clean()


def test_canary_fires_when_autolink_is_left_on(render: Callable[..., Rendered]) -> None:
    """The control: TimelineJS's own autolink would run the bait, so the canary is live."""
    data = _json_data(hostile_timeline())
    for slide in data["events"]:
        slide.pop("autolink")
    rendered = render(_harness(data), "harness.html", wait_slides=len(data["events"]) + 1)
    rendered.page.locator(".tl-slidenav-next").first.click()
    rendered.page.wait_for_timeout(1100)
    assert rendered.pwned() is None
    rendered.page.locator("#script-title a.tl-makelink").first.dispatch_event("mouseover")
    assert rendered.pwned() == 2


def test_canary_fires_when_group_is_escaped_once(render: Callable[..., Rendered]) -> None:
    """The control for double escaping: escaped once, a group label runs its markup."""
    import html

    data = _json_data(hostile_timeline())
    for slide in data["events"]:
        if "group" in slide:
            slide["group"] = html.unescape(slide["group"])
    rendered = render(_harness(data), "harness.html", wait_slides=len(data["events"]) + 1)
    rendered.page.wait_for_timeout(500)
    assert rendered.pwned() == 1


# --- dates ---------------------------------------------------------------------------


def dates_timeline() -> Timeline:
    from timeline import Date, Event

    d = Date.parse

    def event(id: str, start: str, end: str | None = None, ongoing: bool = False) -> Event:
        return Event(id=id, title=f"Event {id}", start=d(start), end=d(end) if end else None, ongoing=ongoing)

    return Timeline(
        id="dates",
        title="Every precision",
        updated=d("2024-11-01"),
        events=(
            event("year", "1961"),
            event("month", "1961-07"),
            event("day", "1961-07-06"),
            event("minute", "2024-06-19T03:00+09:00"),
            event("second", "2024-06-19T03:00:15Z"),
            event("midnight", "2024-06-20T00:00Z"),
            event("approximate", "1950~"),
            event("uncertain", "1950-06?"),
            event("both", "1949%"),
            event("ongoing", "2022-02-24", ongoing=True),
            event("caesar", "-0043-03-15"),
            event("one-bce", "0000"),
            event("one-ce", "0001"),
            event("war", "1950-06-25", "1953-07-27"),
            event("visit", "1961-07-06", "1961-07-09"),
        ),
    )


def test_dates_show_as_the_data_says(render: Callable[..., Rendered]) -> None:
    tl = dates_timeline()
    rendered = render({"index.html": _page(tl)}, wait_slides=len(tl.events) + 1)
    _check_story(rendered, tl)
    # What TimelineJS itself makes of the dates (its own formatting, not our display_date).
    own = rendered.js("""() => Object.fromEntries(window.timeline.config.events.map(e => [e.unique_id, {
        year: e.start_date.data.date_obj.getFullYear(),
        shown: e.start_date.getDisplayDate(window.timeline.getLanguage()),
        end: e.end_date ? e.end_date.data.date_obj.toISOString() : null,
    }]))""")
    def text(html: str) -> str:
        return re.sub(r"<[^>]+>", "", html)

    assert text(own["caesar"]["shown"]) == "March 15, 44 BCE" and own["caesar"]["year"] == -44
    assert text(own["one-bce"]["shown"]) == "1 BCE" and own["one-bce"]["year"] == -1
    assert own["one-ce"]["year"] == 1
    assert own["ongoing"]["end"] is not None and own["ongoing"]["end"].startswith("2024-1")  # drawn to `updated`
    assert own["war"]["end"] is not None
    assert own["year"]["end"] is None


def test_self_hosted_page_with_options(render: Callable[..., Rendered], site: tuple[Path, str]) -> None:
    """assets_url on our own server (SRI still on), a locale, no web fonts: not one outside request."""
    root, _ = site
    target = root / "vendor" / "timelinejs"
    if not target.exists():
        shutil.copytree(DIST, target)
    tl = dates_timeline()
    page = _page(tl, assets_url="vendor/timelinejs", language="ko", font="none", start_at_end=True,
                 hash_bookmark=True, timenav_position="top", timenav_height=40)
    rendered = render({"options.html": page}, "options.html", wait_slides=len(tl.events) + 1)
    _check_story(rendered, tl)
    assert rendered.outside == []
    last = rendered.js("() => window.timeline.config.events[window.timeline.config.events.length - 1].unique_id")
    rendered.page.wait_for_function("id => location.hash === '#event-' + id", arg=last, timeout=10_000)
    assert rendered.js("() => window.timeline.options.language") == "ko"
    assert rendered.js("() => window.timeline.language.lang") == "ko"
    # The navigator is above the slides.
    assert rendered.js("() => document.querySelector('.tl-timenav').getBoundingClientRect().top"
                       " < document.querySelector('.tl-storyslider').getBoundingClientRect().top")


def test_sample_json_in_timelinejs(render: Callable[..., Rendered]) -> None:
    tl = timeline.sample()
    rendered = render(_harness(_json_data(tl)), "harness.html", wait_slides=len(tl.events) + 1)
    _check_story(rendered, tl)


# --- media: the data never chooses where a script, frame or data request goes ----------------


def _media_timeline(urls: list[str]) -> Timeline:
    from timeline import Date, Event, Media

    return Timeline(id="media", title="Media", updated=Date.parse("2024-11-01"), events=tuple(
        Event(id=f"m{i:03d}", title=f"Media {i}", start=Date.parse(f"{1900 + i}"), media=Media(url=url, caption=url))
        for i, url in enumerate(urls)))


def _hostile_media_urls() -> list[str]:
    """A lookalike of every loading type that TimelineJS itself would take for that type."""
    from test_timelinejs_media import GENUINE, KNOWN_ATTACKS, lookalikes

    urls = list(KNOWN_ATTACKS)
    for kind in sorted(tljs.MEDIA_SERVICES):
        for url in lookalikes(GENUINE[kind]):
            written = tljs._media_url(url)
            if written is not None and tljs.timelinejs_media_type(written) == kind and url not in urls:
                urls.append(url)
    return urls


def _service_host(host: str) -> bool:
    # The services' own domains, and the fixed hosts their type files load from.
    domains = {d for ds in tljs.MEDIA_SERVICES.values() for d in ds} | {"facebook.com", "bsky.app"}
    return any(host == d or host.endswith("." + d) for d in domains)


def _visit_every_slide(rendered: Rendered) -> list[dict[str, str]]:
    """Make every slide active (TimelineJS loads a slide's media 1.2 s after that), with every request logged."""
    count = rendered.js("() => window.timeline.config.events.length + 1")
    for n in range(count):
        rendered.js("n => window.timeline.goTo(n)", n)
        rendered.page.wait_for_timeout(150)
    rendered.page.wait_for_timeout(2500)
    return list(rendered.requests)


def test_media_types_agree_with_timelinejs(render: Callable[..., Rendered]) -> None:
    """Our copy of the media table gives, for every URL we test with, the type TimelineJS gives."""
    from test_timelinejs_media import GENUINE, lookalikes

    urls = sorted({u for url in GENUINE.values() for u in [url, *lookalikes(url)]} | set(_hostile_media_urls()))
    written = sorted({w for w in (tljs._media_url(u) for u in urls) if w is not None} | set(urls))
    rendered = render({"agree.html": _page(_media_timeline([GENUINE["image"]]), font="none")}, "agree.html",
                      wait_slides=2)
    theirs = rendered.js("urls => urls.map(u => { const m = TL.lookupMediaType({url: u}); return m && m.type; })",
                         written)
    ours = [tljs.timelinejs_media_type(url) for url in written]
    assert dict(zip(written, theirs, strict=True)) == dict(zip(written, ours, strict=True))
    print(f"\n{len(written)} URLs: TimelineJS and our table agree on every type")


def test_hostile_media_requests_stay_on_the_services(render: Callable[..., Rendered]) -> None:
    from test_timelinejs_media import GENUINE

    hostile = _hostile_media_urls()
    genuine = [GENUINE[kind] for kind in sorted(tljs.MEDIA_SERVICES)]
    tl = _media_timeline(hostile + genuine)
    rendered = render({"media.html": _page(tl, font="none")}, "media.html", wait_slides=len(tl.events) + 1)
    requests = _visit_every_slide(rendered)
    hosts = {re.sub(r"^[a-z]+://([^/:?#]*).*$", r"\1", url) for _, url in requests}
    assert "127.0.0.1" in hosts and "cdn.knightlab.com" in hosts
    ours = ("127.0.0.1", "cdn.knightlab.com")
    strangers = sorted((kind, url) for kind, url in requests
                       if not url.startswith(("data:", "blob:", "about:"))
                       and (host := re.sub(r"^[a-z]+://([^/:?#]*).*$", r"\1", url)) not in ours
                       and not _service_host(host))
    assert strangers == []
    assert not any("evil" in host for host in hosts), sorted(hosts)
    # The genuine media did load from their services (so the slides were visited).
    assert {"en.wikipedia.org", "player.vimeo.com", "www.dailymotion.com", "api.flickr.com"} <= hosts, sorted(hosts)
    # And each lookalike is a plain link on its slide.
    links = rendered.js("() => Array.from(document.querySelectorAll('.tl-text-content a[href]')).map(a => a.href)")
    assert len([h for h in links if "evil" in h]) >= len([u for u in hostile if tljs._media_url(u) and "evil" in u])
    print(f"\n{len(hostile)} lookalikes, {len(genuine)} genuine: {len(requests)} requests, hosts {sorted(hosts)}")


def test_canary_the_network_log_sees_lookalikes_load(render: Callable[..., Rendered]) -> None:
    """The control: the same lookalikes handed to TimelineJS as media (no policy) do reach evil hosts."""
    tl = _media_timeline(_hostile_media_urls())
    data = _json_data(tl)
    for slide, event in zip(data["events"], tl.events, strict=True):
        assert event.media is not None
        slide["media"] = {"url": tljs._media_url(event.media.url) or event.media.url}
    rendered = render(_harness(data), "harness.html", wait_slides=len(data["events"]) + 1)
    requests = _visit_every_slide(rendered)
    evil = sorted({(kind, url) for kind, url in requests if "evil" in url.split("/")[2]})
    kinds = {kind for kind, _ in evil}
    assert {"script", "document"} <= kinds, evil  # Wikipedia's JSONP, Google Maps' and Docs' frames
    print("\nwithout the policy, TimelineJS asks:\n" + "\n".join(f"  {kind}: {url}" for kind, url in evil))


# --- relations: links in the slide text go to the related slide ---------------------------------


def test_a_relation_link_goes_to_the_related_slide(render: Callable[..., Rendered]) -> None:
    tl = timeline.sample()
    rendered = render({"relations.html": _page(tl)}, "relations.html", wait_slides=len(tl.events) + 1)
    rendered.assert_clean()
    assert rendered.js("() => window.timeline.options.hash_bookmark") is True  # on, because events have relations
    here, there = "treaty-2024-text-published", "un-charter-signed"
    rendered.js("id => window.timeline.goToId(id)", here)
    rendered.page.wait_for_function("id => window.timeline._storyslider.current_id === id", arg=here, timeout=10_000)
    rendered.page.wait_for_timeout(1100)  # the slide animation
    link = rendered.page.locator(f'[id="{here}"] a[href="#event-{there}"]')
    assert link.inner_text() == tl.get(there).title
    assert link.evaluate("a => a.parentElement.textContent.split(':')[0]") == "Cites"
    link.click()
    rendered.page.wait_for_function("id => window.timeline._storyslider.current_id === id", arg=there, timeout=10_000)
    assert rendered.js("() => location.hash") == f"#event-{there}"
    assert len(rendered.page.context.pages) == 1  # followed in the page, not in a new tab (TimelineJS's target)
    # and back, the other way: the Charter's slide says what cites it
    rendered.page.wait_for_timeout(1100)
    back = rendered.page.locator(f'[id="{there}"] a[href="#event-{here}"]')
    assert back.evaluate("a => a.parentElement.textContent.split(':')[0]") == "Cited by"
    back.click()
    rendered.page.wait_for_function("id => window.timeline._storyslider.current_id === id", arg=here, timeout=10_000)
    rendered.assert_clean()
