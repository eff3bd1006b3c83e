"""``timeline preview --watch`` end to end: the command in a subprocess, the page in headless Chromium.

The page loads TimelineJS from the npm copy in tests/browser/node_modules,
served by the preview itself (``-O assets_url=tl/``, a link to that
``dist/`` folder): the offline set-up the docs describe, and no request
leaves the machine.  Waits are generous bounds, not speed measurements.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import timeline
from tests.browser_helpers import launch_chromium, record_errors
from tests.test_preview_watch import BROKEN, STORY, WAIT, Preview
from tests.test_timelinejs_browser import ARTIFACTS, DIST, _missing

pytestmark = pytest.mark.slow

WAIT_MS = int(WAIT * 1000)

#: Run in the shell page: the framed page's window (same origin), whatever it currently shows.
VIEW = "document.getElementById('page').contentWindow"
READY = f"() => {{ const t = {VIEW}.timeline; return !!t && t.ready === true; }}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if not missing:
        pytest.importorskip("watchfiles")
    yield from launch_chromium(missing)


def _headline(page: Any, event_id: str) -> str | None:
    return page.evaluate(
        """([id]) => { const w = VIEW;
             const slide = Array.from(w.document.querySelectorAll('.tl-storyslider .tl-slide')).find(s => s.id === id);
             return slide ? slide.querySelector('.tl-headline').textContent : null; }""".replace("VIEW", VIEW),
        [event_id],
    )


def _wait_for_headline(page: Any, event_id: str, headline: str) -> None:
    page.wait_for_function(
        """([id, headline]) => { const w = VIEW; if (!w.timeline || w.timeline.ready !== true) return false;
             const slide = Array.from(w.document.querySelectorAll('.tl-storyslider .tl-slide')).find(s => s.id === id);
             return !!slide && slide.querySelector('.tl-headline').textContent === headline; }""".replace("VIEW", VIEW),
        arg=[event_id, headline], timeout=WAIT_MS,
    )


def test_preview_follows_edits_in_chromium(browser: Any, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "tl").symlink_to(DIST, target_is_directory=True)
    story = work / "timeline.yaml"
    story.write_text(STORY, encoding="utf-8")
    preview = Preview(work, "timeline.yaml", "-O", "assets_url=tl/", "-O", "font=none")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        errors = record_errors(page)
        outside: list[str] = []

        def route(route: Any) -> None:
            if route.request.url.startswith(preview.url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.goto(preview.url, wait_until="load")
        page.wait_for_function(READY, timeout=WAIT_MS)
        assert _headline(page, "first") == "The first event"
        title = page.evaluate(f"() => {VIEW}.document.querySelector('.tl-slide-titleslide .tl-headline').textContent")
        assert title == "A watched story"

        # The reader moves to the second event, and the author renames it: the page reloads on that slide.
        page.evaluate(f"() => {VIEW}.timeline.goToId('second')")
        page.wait_for_function(f"() => {VIEW}.timeline.current_id === 'second'", timeout=WAIT_MS)
        saved = time.perf_counter()
        story.write_text(STORY.replace("The second event", "The renamed event"), encoding="utf-8")
        _wait_for_headline(page, "second", "The renamed event")
        reload_seconds = time.perf_counter() - saved  # recorded for the notes, never asserted
        page.wait_for_function(f"() => {VIEW}.timeline.current_id === 'second'", timeout=WAIT_MS)
        assert page.evaluate("() => document.title") == "A watched story (preview)"
        ARTIFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(1000)  # let the slide's animation end before the picture
        page.screenshot(path=str(ARTIFACTS / "preview-watch-renamed.png"))

        # Broken: every problem, with file, line, event and field, instead of the timeline.
        story.write_text(BROKEN, encoding="utf-8")
        page.wait_for_function(f"() => !!{VIEW}.document.getElementById('problems')", timeout=WAIT_MS)
        rows = page.evaluate(
            f"""() => Array.from({VIEW}.document.querySelectorAll('#problems tr.problem')).map(row => ({{
                file: row.querySelector('.file').textContent, line: row.querySelector('.line').textContent,
                event: row.querySelector('.event').textContent, field: row.querySelector('.field').textContent,
                message: row.querySelector('.message').textContent }}))"""
        )
        with pytest.raises(timeline.InvalidTimelineError) as caught:
            timeline.load(story)
        expected = caught.value.problems
        assert len(rows) == len(expected) == 2
        for row, problem in zip(rows, expected, strict=True):
            assert row["file"].endswith("timeline.yaml")
            assert (row["line"], row["event"], row["field"]) == (
                "" if problem.line is None else str(problem.line), problem.event or "", problem.field or "")
            assert row["message"].startswith(problem.message)
        assert {row["field"] for row in rows} == {"title", "start"}
        assert all(row["line"] for row in rows)
        assert page.evaluate(f"() => !!{VIEW}.timeline") is False  # no stale timeline under the list
        page.screenshot(path=str(ARTIFACTS / "preview-watch-problems.png"))

        # Fixed: the timeline is back, still on the slide the reader was on.
        story.write_text(STORY.replace("The second event", "Fixed and renamed"), encoding="utf-8")
        _wait_for_headline(page, "second", "Fixed and renamed")
        page.wait_for_function(f"() => {VIEW}.timeline.current_id === 'second'", timeout=WAIT_MS)

        (ARTIFACTS / "preview-watch.json").write_text(
            json.dumps({"save_to_new_headline_seconds": round(reload_seconds, 3)}, indent=2) + "\n")
        print(f"\nsave to new headline in Chromium: {reload_seconds:.2f} s")
        assert [e for e in errors if "favicon.ico" not in e] == []
        assert outside == []  # TimelineJS came from the preview's assets folder; nothing else was asked for
    finally:
        context.close()
        code, err = preview.interrupt() if preview.process.poll() is None else (preview.process.returncode, "")
    assert code == 130, err
    assert "Traceback" not in err and "timeline: stopped the preview" in err
    assert list(preview.tmpdir.iterdir()) == []
    assert sorted(p.name for p in work.iterdir()) == ["timeline.yaml", "tl"]


def test_other_formats_keep_the_scroll_position(browser: Any, tmp_path: Path) -> None:
    """A format without slides (Markdown, shown as text): the reader stays where they had scrolled to."""
    work = tmp_path / "work"
    work.mkdir()
    story = work / "timeline.yaml"
    events = "".join(f"  - id: e{n}\n    title: Event number {n}\n    start: {1900 + n}\n" for n in range(300))
    story.write_text(f"title: A long story\nevents:\n{events}", encoding="utf-8")
    preview = Preview(work, "timeline.yaml", "--format", "markdown")
    context = browser.new_context(viewport={"width": 1000, "height": 600})
    try:
        page = context.new_page()
        page.goto(preview.url, wait_until="load")
        shows = f"text => {{ const w = {VIEW}; return !!w.document.body && w.document.body.textContent.includes(text)"
        page.wait_for_function(shows + "; }", arg="Event number 299", timeout=WAIT_MS)
        page.evaluate(f"() => {VIEW}.scrollTo(0, 3000)")
        page.wait_for_function(f"() => {VIEW}.scrollY >= 2900", timeout=WAIT_MS)
        story.write_text(story.read_text(encoding="utf-8").replace("Event number 150", "Event one-fifty"),
                         encoding="utf-8")
        page.wait_for_function(shows + " && w.scrollY >= 2900; }", arg="Event one-fifty", timeout=WAIT_MS)
    finally:
        context.close()
        code, _ = preview.interrupt()
    assert code == 130
