"""``timeline preview --watch``: the loopback server, its path rules, the events stream and the watch loop.

Real sockets on 127.0.0.1 and a real watcher (watchfiles); the browser's
side is in ``test_preview_watch_browser.py``.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import _live
from timeline.cli import cli
from timeline.errors import UsageError
from timeline.problems import Problem, shorten

WAIT = 30.0  # a generous bound for anything asynchronous; never a speed assertion

STORY = """\
id: watched
title: A watched story
events:
  - id: first
    title: The first event
    start: 2020-01-01
  - id: second
    title: The second event
    start: 2021-05
"""

#: Two problems: an event without a title, and a day February never has.
BROKEN = STORY.replace("    title: The first event\n", "").replace("2021-05", '"2021-02-30"')


# --- the server ------------------------------------------------------------------


class Served:
    def __init__(self, server: _live.PreviewServer, state: _live.PageState) -> None:
        self.server = server
        self.state = state

    def get(self, path: str, *, method: str = "GET", host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=WAIT)
        try:
            headers = {} if host is None else {"Host": host}
            connection.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


PAGE = _live.Page(b"<!DOCTYPE html><title>the page</title>", "text/html; charset=utf-8", ok=True, note="2 events")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "timeline.yaml").write_text(STORY, encoding="utf-8")
    return folder


@pytest.fixture
def served(tmp_path: Path, data_dir: Path) -> Iterator[Served]:
    assets = tmp_path / "assets"
    (assets / "js").mkdir(parents=True)
    (assets / "js" / "timeline.js").write_text("var TL = {};\n", encoding="utf-8")
    (assets / "css").mkdir()
    (assets / "css" / "timeline.css").write_text("body {}\n", encoding="utf-8")
    (assets / "outside").symlink_to(data_dir / "timeline.yaml")
    state = _live.PageState(PAGE)
    server = _live.PreviewServer(state, assets=("/assets/", assets), keepalive=0.2)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Served(server, state)
    finally:
        state.close()
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


def test_listens_on_loopback_only(served: Served) -> None:
    assert served.server.server_address[0] == "127.0.0.1"
    assert served.server.url == f"http://127.0.0.1:{served.server.port}/"


def test_page_is_the_export_byte_for_byte(served: Served) -> None:
    status, headers, body = served.get("/page")
    assert (status, body) == (200, PAGE.body)
    assert headers["content-type"] == PAGE.content_type
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"
    status, headers, body = served.get("/page?reload=1")
    assert (status, body) == (200, PAGE.body)


def test_shell_frames_the_page_and_runs_only_its_own_script(served: Served) -> None:
    status, headers, body = served.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    text = body.decode()
    assert '<iframe id="page" src="/page"' in text and 'data-generation="1"' in text
    assert 'new EventSource("/events")' in text
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "unsafe" not in policy
    import base64
    import hashlib
    import re

    script = re.search(r"<script>(.*)</script>", text, re.DOTALL)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy  # the policy allows exactly the script the shell holds


def test_assets_folder_is_served(served: Served) -> None:
    status, headers, body = served.get("/assets/js/timeline.js")
    assert (status, body) == (200, b"var TL = {};\n")
    assert headers["content-type"].startswith("text/javascript")
    status, headers, _ = served.get("/assets/css/timeline.css")
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8"


def test_head_has_no_body(served: Served) -> None:
    status, headers, body = served.get("/page", method="HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == str(len(PAGE.body))


def test_only_get_and_head(served: Served) -> None:
    for method in ("POST", "PUT", "DELETE"):
        assert served.get("/page", method=method)[0] == 501


def traversals(data_dir: Path) -> list[str]:
    data = str(data_dir / "timeline.yaml")
    return [
        "/timeline.yaml",
        "/data/timeline.yaml",
        "/../timeline.yaml",
        "/../data/timeline.yaml",
        "/%2e%2e/data/timeline.yaml",
        "/%2E%2E%2Fdata%2Ftimeline.yaml",
        "/..%2fdata%2ftimeline.yaml",
        "/page/../data/timeline.yaml",
        "/assets/../data/timeline.yaml",
        "/assets/%2e%2e/data/timeline.yaml",
        "/assets/..%2fdata/timeline.yaml",
        "/assets/js/../../data/timeline.yaml",
        "/assets/js/%2e%2e/%2e%2e/data/timeline.yaml",
        "/assets/%2fetc%2fpasswd",
        "/assets//etc/passwd",
        "/assets/outside",  # a link inside the folder to a file outside it
        "/assets/",
        "/assets/js",
        "/assets/js/",
        "/assets/js/timeline.js%00.png",
        "/assets/%ff",
        "/assets/js\\timeline.js",
        data,
        "/" + data,
        "//" + data.lstrip("/"),
        "//etc/passwd",
        "/etc/passwd",
        "/index.html",
        "/page/",
        "/events/",
        "http://127.0.0.1/timeline.yaml",
        "http://127.0.0.1/page/../timeline.yaml",
    ]


def test_serves_nothing_but_the_page_and_its_assets(served: Served, data_dir: Path) -> None:
    for path in traversals(data_dir):
        status, _, body = served.get(path, host=f"127.0.0.1:{served.server.port}")
        assert status == 404, path
        assert b"watched story" not in body, path


def test_refuses_other_hosts(served: Served) -> None:
    """A page on another site that rebinds its name to 127.0.0.1 gets nothing."""
    port = served.server.port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.1.evil.example:{port}",
                 f"localhost:{port + 1}"):
        status, _, body = served.get("/page", host=host)
        assert status == 421 and PAGE.body not in body, host
    assert served.get("/page", host=f"localhost:{port}")[0] == 200
    assert served.get("/page", host=f"127.0.0.1:{port}")[0] == 200


class EventStream:
    """``/events`` read line by line over a real socket."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", "/events")
        self.response = self.connection.getresponse()

    def message(self) -> list[str]:
        """The next block of lines (up to a blank line)."""
        lines = []
        while True:
            line = self.response.fp.readline()
            if not line:
                return lines  # closed
            text = line.decode("utf-8").rstrip("\n")
            if text == "":
                return lines
            lines.append(text)

    def close(self) -> None:
        self.connection.close()


def test_events_stream_says_each_new_generation(served: Served) -> None:
    stream = EventStream(served.server.port)
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        assert stream.message() == ["retry: 1000", "event: page", "data: 1"]
        assert served.state.publish(PAGE) == 2
        message = stream.message()
        while message == [": still here"]:  # the keep-alive may come first
            message = stream.message()
        assert message == ["event: page", "data: 2"]
        assert stream.message() == [": still here"]  # nothing new within the keep-alive interval
        served.state.close()
        while (message := stream.message()) == [": still here"]:
            pass
        assert message == []  # closing the state ends every stream
    finally:
        stream.close()


def test_a_closed_event_stream_does_not_disturb_the_server(served: Served) -> None:
    for _ in range(3):
        stream = EventStream(served.server.port)
        assert stream.message()[-1] == "data: 1"
        stream.close()
    served.state.publish(PAGE)
    time.sleep(0.5)  # the streams' threads notice their sockets are gone on the next write
    assert served.get("/page")[0] == 200


def test_the_page_follows_publish(served: Served) -> None:
    new = _live.Page(b"new", "text/plain; charset=utf-8", ok=True)
    served.state.publish(new)
    assert served.get("/page")[2] == b"new"
    assert 'data-generation="2"' in served.get("/")[2].decode()


# --- the problem page --------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of each table cell by class, and every tag name, of a problem page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[dict[str, str]] = []
        self.cell: str | None = None
        self.heading = ""
        self.in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        classes = dict(attrs).get("class")
        if tag == "tr" and classes == "problem":
            self.rows.append({})
        elif tag == "td" and self.rows:
            self.cell = classes
            self.rows[-1][classes or ""] = ""
        elif tag == "h1":
            self.in_heading = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None
        elif tag == "h1":
            self.in_heading = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.rows:
            self.rows[-1][self.cell] += data
        elif self.in_heading:
            self.heading += data


def _parsed(page: _live.Page) -> _Cells:
    parser = _Cells()
    parser.feed(page.body.decode("utf-8"))
    parser.close()
    return parser


def test_problem_page_lists_what_check_lists(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        timeline.load(tmp_path / "bad.yaml")
    problems = caught.value.problems
    assert len(problems) >= 2
    page = _live.problem_page(problems, str(caught.value))
    assert not page.ok and page.content_type == "text/html; charset=utf-8"
    assert page.note == f"{len(problems)} problems"
    parsed = _parsed(page)
    assert parsed.heading == f"{len(problems)} problems found"
    assert "script" not in parsed.tags
    assert len(parsed.rows) == len(problems)
    for row, problem in zip(parsed.rows, problems, strict=True):
        assert row["file"] == problem.file
        assert row["line"] == ("" if problem.line is None else str(problem.line))
        assert row["event"] == (problem.event or "")
        assert row["field"] == (problem.field or "")
        assert row["message"] == problem.message + (f" ({problem.hint})" if problem.hint else "")
    located = [row for row in parsed.rows if row["line"] and row["event"] and row["field"]]
    assert located, "the page names file, line, event and field"


_texts = st.one_of(st.none(), st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
                   st.sampled_from(['<script>window.__pwned=1</script>', '"><img src=x onerror=alert(1)>',
                                    "&amp;", "</td></tr></table><h1>x", "<!--", "]]>"]))


@settings(max_examples=150)
@given(message=_texts, file=_texts, event=_texts, field=_texts, hint=_texts, line=st.one_of(st.none(), st.integers(1)))
def test_problem_page_escapes_everything_from_the_data(message: str | None, file: str | None, event: str | None,
                                                       field: str | None, hint: str | None, line: int | None) -> None:
    problem = Problem(message or "m", file=file, line=line, event=event, field=field, hint=hint)
    page = _live.problem_page([problem], message or "")
    parsed = _parsed(page)
    assert parsed.tags.count("script") == 0 and parsed.tags.count("img") == 0
    assert parsed.tags.count("tr") == 2 and parsed.tags.count("h1") == 1  # nothing from the data made a tag
    (row,) = parsed.rows
    assert row["file"] == (shorten(file) if file else "")
    assert row["event"] == (shorten(event) if event else "")
    assert row["field"] == (shorten(field) if field else "")
    assert row["message"] == shorten(message or "m") + (f" ({shorten(hint)})" if hint else "")


def test_problem_page_of_an_error_without_problems() -> None:
    page = _live.problem_page((), "cannot read 'x.yaml': permission denied\nsecond line")
    parsed = _parsed(page)
    assert parsed.heading == "cannot read 'x.yaml': permission denied"
    assert parsed.rows == [] and "second line" in page.body.decode()
    assert page.note == "cannot read 'x.yaml': permission denied"


# --- small rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("media_type", "served_as"),
    [
        ("text/html; charset=utf-8", "text/html; charset=utf-8"),
        ("image/svg+xml", "image/svg+xml"),
        ("application/json", "application/json"),
        ("text/markdown; charset=utf-8", "text/plain; charset=utf-8"),
        ("text/calendar; charset=utf-8", "text/plain; charset=utf-8"),
        ("application/toml", "application/toml"),
        ("application/vnd.timelinejs+json", "text/plain; charset=utf-8"),
        ("image/png", "image/png"),
    ],
)
def test_served_media_type(media_type: str, served_as: str) -> None:
    assert _live.served_media_type(media_type) == served_as


def test_assets_folder(tmp_path: Path) -> None:
    (tmp_path / "vendor" / "tl").mkdir(parents=True)
    assert _live.assets_folder(None, tmp_path) is None
    assert _live.assets_folder("https://cdn.example.org/tl/", tmp_path) is None
    assert _live.assets_folder("//cdn.example.org/tl/", tmp_path) is None
    assert _live.assets_folder("vendor/tl/", tmp_path) == ("/vendor/tl/", tmp_path / "vendor" / "tl")
    assert _live.assets_folder("vendor/tl", tmp_path) == ("/vendor/tl/", tmp_path / "vendor" / "tl")
    for bad in ("../tl/", "/vendor/tl/", "vendor/../vendor/tl/", "./vendor/tl/", "vendor//tl/", "vendor/%2e%2e/"):
        with pytest.raises(UsageError, match="assets_url"):
            _live.assets_folder(bad, tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        _live.assets_folder("vendor/missing/", tmp_path)


def test_watched_paths(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "story.yaml").write_text(STORY, encoding="utf-8")
    watched = _live.WatchedPaths.of([tmp_path / "story.yaml", tmp_path / "events"], {".yaml", ".json"})
    assert set(watched.folders) == {tmp_path, tmp_path / "events"}
    assert watched.concerns(str(tmp_path / "story.yaml"))
    assert watched.concerns(str(tmp_path / "events" / "new.yaml"))  # a new file in an input folder
    assert watched.concerns(str(tmp_path / "events" / "NEW.JSON"))
    assert not watched.concerns(str(tmp_path / "events" / ".new.yaml.swp"))
    assert not watched.concerns(str(tmp_path / "events" / ".hidden.yaml"))
    assert not watched.concerns(str(tmp_path / "events" / "notes.txt"))
    assert not watched.concerns(str(tmp_path / "other.yaml"))  # beside an input file, not an input
    assert not watched.concerns(str(tmp_path / "story.yaml~"))


# --- the watch loop, with a real watcher -------------------------------------------


def _wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {WAIT} s for {what}")


def test_run_rebuilds_after_an_edit_and_a_new_file(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "a.yaml").write_text(STORY, encoding="utf-8")

    def build() -> _live.Page:
        try:
            data = timeline.export(timeline.load(folder), "json")
        except timeline.InvalidTimelineError as exc:
            return _live.problem_page(exc.problems, str(exc))
        assert data is not None
        return _live.Page(data, "application/json", ok=True)

    stop = threading.Event()
    started: list[str] = []
    pages: list[_live.Page] = []
    watched = _live.WatchedPaths.of([folder], {".yaml"})
    thread = threading.Thread(target=_live.run, args=(build, watched),
                              kwargs={"on_start": lambda url, page: started.append(url), "on_change": pages.append,
                                      "stop": stop})
    thread.start()
    try:
        _wait_for(lambda: started, "the server")
        port = int(started[0].rsplit(":", 1)[1].rstrip("/"))
        stream = EventStream(port)
        assert stream.message()[-1] == "data: 1"
        time.sleep(0.3)  # the watcher starts right after on_start
        (folder / "b.yaml").write_text(STORY.replace("watched", "more").replace("first", "third")
                                       .replace("second", "fourth"), encoding="utf-8")
        assert stream.message()[-1] in ("data: 2", "data: 3")
        _wait_for(lambda: pages and b'"third"' in pages[-1].body, "the new file's events")
        (folder / "a.yaml").write_text(BROKEN, encoding="utf-8")
        _wait_for(lambda: pages and not pages[-1].ok, "the problem page")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        connection.request("GET", "/page")
        assert b"problem" in connection.getresponse().read()
        connection.close()
        # saved as many editors save: a new file renamed over the old one
        (folder / ".a.yaml.swp").write_text(STORY.replace("The first event", "Renamed"), encoding="utf-8")
        os.replace(folder / ".a.yaml.swp", folder / "a.yaml")
        _wait_for(lambda: pages and pages[-1].ok and b"Renamed" in pages[-1].body, "the timeline back")
        stream.close()
    finally:
        stop.set()
        thread.join(WAIT)
    assert not thread.is_alive()
    with pytest.raises(OSError):  # the server is gone
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")


# --- the command -------------------------------------------------------------------


def test_watch_without_watchfiles_names_the_extra(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                  data_dir: Path) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)
    result = runner.invoke(cli, ["preview", "--watch", str(data_dir / "timeline.yaml")])
    assert result.exit_code == 2
    assert "pip install 'timeline-events[watch]'" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--watch", "-"], "not '-'"),
        (["--port", "8000"], "--port is for --watch"),
        (["--watch", "--format", "nope"], "nope"),
        (["--watch", "-O", "assets_url=../dist/"], "assets_url"),
        (["--watch", "-O", "language=xx"], "language"),
        (["--watch", "--since", "not-a-date"], "--since"),
    ],
)
def test_watch_usage_errors(runner: CliRunner, data_dir: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                            message: str) -> None:
    monkeypatch.chdir(data_dir)
    result = runner.invoke(cli, ["preview", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_preview_writes_another_format(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = runner.invoke(cli, ["preview", "--print-path", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.parent == tmp_path and path.suffix == ".md"
    assert path.read_bytes() == timeline.export(timeline.sample(), "markdown")


# --- the command as a process ------------------------------------------------------


class Preview:
    """``timeline preview --watch`` running in a subprocess, with its own empty TMPDIR."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.tmpdir = cwd.parent / "tmpdir"
        self.tmpdir.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(self.tmpdir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "timeline", "preview", "--watch", "--print-path", *args],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"no URL printed: {self.process.communicate(timeout=WAIT)}")
        self.url = line.strip()
        self.port = int(self.url.rsplit(":", 1)[1].rstrip("/"))

    def get(self, path: str) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type") or "", response.read()
        finally:
            connection.close()

    def interrupt(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        _, err = self.process.communicate(timeout=WAIT)
        return self.process.returncode, err

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=WAIT)


@pytest.fixture
def preview_process() -> Iterator[list[Preview]]:
    started: list[Preview] = []
    yield started
    for item in started:
        item.kill()


@pytest.mark.slow
def test_process_follows_a_folder_stops_on_ctrl_c_and_leaves_nothing(tmp_path: Path,
                                                                     preview_process: list[Preview]) -> None:
    work = tmp_path / "work"
    (work / "events").mkdir(parents=True)
    (work / "events" / "a.yaml").write_text(STORY, encoding="utf-8")
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    preview = Preview(work, "events", "--format", "markdown", "--locale", "en")
    preview_process.append(preview)
    assert preview.url == f"http://127.0.0.1:{preview.port}/"
    status, content_type, body = preview.get("/page")
    assert status == 200 and content_type == "text/plain; charset=utf-8"
    assert body == timeline.export(timeline.load(work / "events"), "markdown")
    stream = EventStream(preview.port)
    assert stream.message()[-1] == "data: 1"
    time.sleep(0.3)
    (work / "events" / "b.yaml").write_text(STORY.replace("first", "third").replace("second", "fourth")
                                            .replace("The third event", "A new file's event"), encoding="utf-8")
    assert stream.message()[-1].startswith("data: ")
    _wait_for(lambda: b"A new file's event" in preview.get("/page")[2], "the new file in the folder")
    stream.close()
    (work / "events" / "b.yaml").unlink()
    _wait_for(lambda: b"A new file's event" not in preview.get("/page")[2], "the removed file")
    for path in ("/events/a.yaml", "/a.yaml", "/../events/a.yaml", "/%2e%2e/work/events/a.yaml"):
        assert preview.get(path)[0] == 404
    code, err = preview.interrupt()
    assert code == 130, err
    assert "timeline: stopped the preview" in err and "Traceback" not in err
    assert "timeline: updated the page" in err
    assert list(preview.tmpdir.iterdir()) == []  # nothing written to the temporary folder
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before  # nor beside the data


@pytest.mark.slow
def test_process_honours_locale_and_shows_problems(tmp_path: Path, preview_process: list[Preview]) -> None:
    pytest.importorskip("babel")
    work = tmp_path / "work"
    work.mkdir()
    (work / "timeline.yaml").write_text(STORY, encoding="utf-8")
    preview = Preview(work, "--locale", "ru", "-O", "font=none")  # no FILES: timeline.yaml here
    preview_process.append(preview)
    expected, _ = timeline.export_with_report(timeline.load(work / "timeline.yaml"), "timelinejs-html",
                                              options={"font": "none"}, locale="ru")
    assert expected is not None and b'"language":"ru"' in expected
    assert b"EventSource" not in expected and b"/events" not in expected  # the reload lives in the shell only
    assert preview.get("/page")[2] == expected
    (work / "timeline.yaml").write_text(BROKEN, encoding="utf-8")
    _wait_for(lambda: b'id="problems"' in preview.get("/page")[2], "the problem list")
    (work / "timeline.yaml").write_text(STORY, encoding="utf-8")
    _wait_for(lambda: preview.get("/page")[2] == expected, "the timeline back")
    code, err = preview.interrupt()
    assert code == 130 and "Traceback" not in err
    assert "the page lists the problems (2 problems)" in err


@pytest.mark.slow
def test_help_does_not_import_the_server_or_the_watcher() -> None:
    for args in (["--help"], ["preview", "--help"]):
        code = f"from timeline.cli import main; main({args!r})"
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
        assert "Usage:" in proc.stdout
        imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
        for heavy in ("timeline._live", "watchfiles", "anyio", "http.server", "socketserver"):
            assert heavy not in imported, f"{args} imported {heavy}"


@pytest.mark.slow
def test_process_serves_svg_when_an_svg_exporter_is_installed(tmp_path: Path, preview_process: list[Preview]) -> None:
    """``--format svg`` (issue 16's picture, on its own branch): any single-file exporter is served as it writes."""
    from timeline.registry import default_registry

    if "svg" not in default_registry().exporters():
        pytest.skip("no svg exporter installed")
    work = tmp_path / "work"
    work.mkdir()
    (work / "timeline.yaml").write_text(STORY, encoding="utf-8")
    preview = Preview(work, "timeline.yaml", "--format", "svg")
    preview_process.append(preview)
    status, content_type, body = preview.get("/page")
    assert status == 200 and content_type.startswith("image/svg+xml")
    assert body == timeline.export(timeline.load(work / "timeline.yaml"), "svg")
    assert preview.interrupt()[0] == 130


def test_watch_opens_the_browser_at_the_printed_address(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                        data_dir: Path) -> None:
    """The command's glue, in process: the real server starts, Ctrl-C (here at once) stops it with 130."""
    import webbrowser

    watchfiles = pytest.importorskip("watchfiles")

    opened: list[str] = []

    class Fake:
        def open(self, url: str) -> bool:
            opened.append(url)
            return True

    def interrupted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        _wait_for(lambda: opened, "the browser")
        raise KeyboardInterrupt
        yield  # a generator, like watchfiles.watch

    monkeypatch.setattr(webbrowser, "get", lambda *a: Fake())
    monkeypatch.setattr(watchfiles, "watch", interrupted)
    monkeypatch.chdir(data_dir)
    result = runner.invoke(cli, ["preview", "--watch"])
    assert result.exit_code == 130, result.output
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:") and opened == [url]
    assert "timeline: serving timelinejs-html at" in result.stderr and "(2 events)" in result.stderr
    assert "timeline: stopped the preview" in result.stderr
