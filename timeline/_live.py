"""``timeline preview --watch``: the page on a loopback HTTP server, rebuilt when an input file changes.

Internal, and imported only by ``--watch`` (``http.server`` and watchfiles cost
tens of milliseconds that ``timeline --help`` must not pay).

The server listens on 127.0.0.1 only and answers these paths, nothing else:

``/``
    The preview shell: a frame holding ``/page``, and a small script that
    reloads the frame when ``/events`` says the page changed, keeping the
    TimelineJS slide (by its ``unique_id``, the event's id) or the scroll
    position the reader was at.
``/page``
    The export itself, byte for byte what ``timeline export`` writes, with the
    exporter's media type (text formats as plain text, so a browser shows
    them); or, while the data has problems, an HTML page listing every one.
``/events``
    Server-Sent Events: an ``page`` event with the page's generation number
    on connecting and after every rebuild, a comment line now and then so a
    closed tab is noticed.
the ``assets_url`` folder
    When the exporter's ``assets_url`` option is a relative folder (TimelineJS
    for offline work), the files under it, resolved from the current folder.

Every other path is 404: the data files, ``../``, percent-encoded and
absolute paths.  A ``Host`` header naming another host is refused (421), so
a web page cannot reach the preview through DNS rebinding.  Nothing is
written to disk.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import mimetypes
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .errors import UsageError
from .problems import MAX_PART, Problem, shorten

__all__ = [
    "Page",
    "PageState",
    "PreviewServer",
    "WatchedPaths",
    "assets_folder",
    "problem_page",
    "require_watchfiles",
    "run",
    "served_media_type",
]

EXTRA = "timeline-events[watch]"

#: Media types a browser shows in a frame as they are; other text is served as plain text.
_SHOWN = frozenset({"text/html", "text/plain", "image/svg+xml", "image/png", "image/jpeg", "image/gif",
                    "image/webp", "application/pdf", "application/json"})


def require_watchfiles() -> None:
    """A ``UsageError`` naming the extra when watchfiles is not installed."""
    try:
        import watchfiles  # noqa: F401
    except ImportError as error:
        if (error.name or "").split(".")[0] != "watchfiles":
            raise
        raise UsageError(f"--watch needs watchfiles, which is not installed: pip install '{EXTRA}'") from None


def served_media_type(media_type: str) -> str:
    """What ``/page`` is served as: the exporter's media type, or plain text for text a browser would download."""
    main = media_type.split(";", 1)[0].strip().lower()
    if main in _SHOWN:
        return media_type
    if main.startswith("text/") or main.endswith("+json") or main.endswith("+xml"):
        return "text/plain; charset=utf-8"
    return media_type


@attrs.frozen
class Page:
    """What ``/page`` serves: the export (``ok``) or the problem list, and a line for the terminal."""

    body: bytes
    content_type: str
    ok: bool
    note: str = ""
    generation: int = 0


class PageState:
    """The current page and its generation, shared by the watch loop and the request threads."""

    def __init__(self, page: Page) -> None:
        self._changed = threading.Condition()
        self._page = attrs.evolve(page, generation=1)
        self._closed = False

    @property
    def page(self) -> Page:
        with self._changed:
            return self._page

    def publish(self, page: Page) -> int:
        """Make ``page`` the current one and wake every ``/events`` stream; its generation."""
        with self._changed:
            self._page = attrs.evolve(page, generation=self._page.generation + 1)
            self._changed.notify_all()
            return self._page.generation

    def wait(self, seen: int, timeout: float) -> int | None:
        """The generation once it differs from ``seen`` or after ``timeout`` seconds; None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._page.generation != seen, timeout)
            return None if self._closed else self._page.generation

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


_SHELL_SCRIPT = """(function () {
  var frame = document.getElementById("page");
  var shown = frame.getAttribute("data-generation");
  var slide = null, scroll = null;
  function remember() {
    try {
      var view = frame.contentWindow, story = view.timeline;
      if (story) { if (story.ready && story.current_id) { slide = story.current_id; } }
      else { scroll = [view.scrollX, view.scrollY]; }
    } catch (e) { /* not loaded yet */ }
  }
  frame.addEventListener("load", function () {
    var view = frame.contentWindow, story = null;
    try { story = view.timeline; document.title = (frame.contentDocument.title || "timeline") + " (preview)"; }
    catch (e) { return; }
    if (story && typeof story.goToId === "function") {
      if (slide) {
        var go = function () { story.goToId(slide); };
        if (story.ready) { go(); } else { story.on("ready", go); }
      }
    } else if (scroll) {
      view.scrollTo(scroll[0], scroll[1]);
    }
  });
  var events = new EventSource("/events");
  events.addEventListener("page", function (event) {
    if (event.data === shown) { return; }
    shown = event.data;
    remember();
    frame.contentWindow.location.replace("/page");
  });
})();"""

_SHELL_STYLE = ("html, body { height: 100%; margin: 0; padding: 0; }\n"
                "iframe { display: block; width: 100%; height: 100%; border: 0; }")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


#: The shell runs its own script and style and nothing else; it may frame and reach only this server.
_SHELL_POLICY = (f"default-src 'none'; script-src {_csp_hash(_SHELL_SCRIPT)}; style-src {_csp_hash(_SHELL_STYLE)}; "
                 "frame-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
#: The problem page has no script at all.
_PROBLEM_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'"


def _shell(generation: int) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>timeline (preview)</title>
<style>{_SHELL_STYLE}</style>
</head>
<body>
<iframe id="page" src="/page" title="The timeline" data-generation="{generation}"></iframe>
<script>{_SHELL_SCRIPT}</script>
</body>
</html>
""".encode()


_PROBLEM_STYLE = """body { font: 15px/1.45 system-ui, sans-serif; margin: 2em; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.3em; color: #a30000; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35em .6em; border-bottom: 1px solid #ddd; }
td { overflow-wrap: anywhere; }
code { font-family: ui-monospace, monospace; }
.hint { color: #555; }"""


def problem_page(problems: Sequence[Problem], message: str) -> Page:
    """The page shown while the data has problems: ``message`` and every problem, with file, line, event, field.

    Everything from the data is HTML-escaped (and shortened as ``timeline check`` shortens it).
    """
    e = html.escape
    count = len(problems)
    heading = shorten(message.splitlines()[0].rstrip(":")) if message else ""
    rows = []
    for problem in problems:
        def cell(name: str, value: str | None, code: bool = True) -> str:
            if not value:
                return f'<td class="{name}"></td>'
            text = e(shorten(value))
            return f'<td class="{name}"><code>{text}</code></td>' if code else f'<td class="{name}">{text}</td>'

        cells = [
            cell("file", problem.file),
            cell("line", None if problem.line is None else str(problem.line), code=False),
            cell("event", problem.event),
            cell("field", problem.field),
        ]
        hint = f' <span class="hint">({e(shorten(problem.hint))})</span>' if problem.hint else ""
        cells.append(f'<td class="message"><span class="text">{e(shorten(problem.message))}</span>{hint}</td>')
        rows.append(f'<tr class="problem">{"".join(cells)}</tr>')
    table = ""
    if rows:
        table = ('<table id="problems">\n<thead><tr><th>File</th><th>Line</th><th>Event</th><th>Field</th>'
                 "<th>Problem</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n")
    rest = "\n".join(message.splitlines()[1:]).strip() if not rows else ""
    if rest:
        table = f'<pre id="detail">{e(shorten(rest, 20 * MAX_PART))}</pre>\n'
    body = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(heading or "problems")}</title>
<style>
{_PROBLEM_STYLE}
</style>
</head>
<body>
<h1 id="message">{e(heading)}</h1>
{table}<p>Fix the files and save: this page reloads by itself.</p>
</body>
</html>
"""
    note = f"{count} problem{'s' if count != 1 else ''}" if count else (message.splitlines() or [""])[0]
    return Page(body.encode("utf-8"), "text/html; charset=utf-8", ok=False, note=note)


_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def assets_folder(assets_url: str | None, base: Path) -> tuple[str, Path] | None:
    """The URL prefix and folder to serve for a relative ``assets_url``; None for a URL or none.

    Only a plain relative folder (segments of letters, digits, ``. _ ~ -``,
    none of them ``.`` or ``..``) is served, from ``base``; anything else is
    a ``UsageError``, since the page could not load its assets from it.
    """
    if not assets_url:
        return None
    value = assets_url.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or value.startswith("//"):
        return None  # a URL: the browser loads from there
    segments = value.rstrip("/").split("/")
    if not all(_SEGMENT.fullmatch(segment) and segment not in (".", "..") for segment in segments):
        raise UsageError(
            f"--watch serves -O assets_url only as a folder below the current one (such as 'vendor/timelinejs/'), "
            f"not {assets_url!r}; use that, or an http(s) URL"
        )
    folder = base.joinpath(*segments)
    if not folder.is_dir():
        raise UsageError(f"-O assets_url={assets_url}: the folder {str(folder)!r} does not exist")
    return "/" + "/".join(segments) + "/", folder


class PreviewServer(http.server.ThreadingHTTPServer):
    """The loopback server: the shell, ``/page``, ``/events`` and the assets folder, nothing else."""

    daemon_threads = True

    def __init__(self, state: PageState, *, port: int = 0, assets: tuple[str, Path] | None = None,
                 keepalive: float = 15.0) -> None:
        self.state = state
        self.assets = None if assets is None else (assets[0], assets[1].resolve())
        self.keepalive = keepalive
        try:
            super().__init__(("127.0.0.1", port), _Handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away
        print(f"timeline: warning: preview server: {type(error).__name__}: {error}", file=sys.stderr)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "timeline-preview"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _host_is_ours(self) -> bool:
        host = self.headers.get("Host")
        if host is None:
            return True  # HTTP/1.0 without Host: it reached 127.0.0.1, nothing else can be meant
        port = self.server.port
        return host.strip().lower() in {f"127.0.0.1:{port}", f"localhost:{port}"}

    def _answer(self, *, with_body: bool) -> None:
        if not self._host_is_ours():
            self._send(421, b"this server answers only to 127.0.0.1\n", "text/plain; charset=utf-8", with_body)
            return
        target = self.path.partition("?")[0].partition("#")[0]
        if target == "/":
            page = self.server.state.page
            self._send(200, _shell(page.generation), "text/html; charset=utf-8", with_body,
                       {"Content-Security-Policy": _SHELL_POLICY})
        elif target == "/page":
            page = self.server.state.page
            headers = {"Content-Security-Policy": "frame-ancestors 'self'" if page.ok else _PROBLEM_POLICY}
            self._send(200, page.body, page.content_type, with_body, headers)
        elif target == "/events":
            self._events(with_body)
        else:
            asset = self._asset(target)
            if asset is None:
                self._send(404, b"not found\n", "text/plain; charset=utf-8", with_body)
                return
            try:
                data = asset.read_bytes()
            except OSError:
                self._send(404, b"not found\n", "text/plain; charset=utf-8", with_body)
                return
            kind = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            self._send(200, data, kind, with_body)

    def _asset(self, target: str) -> Path | None:
        """The file under the assets folder that ``target`` names, or None."""
        from urllib.parse import unquote

        if self.server.assets is None:
            return None
        prefix, folder = self.server.assets
        if not target.startswith(prefix):
            return None
        try:
            rest = unquote(target[len(prefix):], errors="strict")
        except UnicodeDecodeError:
            return None
        parts = rest.split("/")
        if any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts):
            return None
        try:
            resolved = folder.joinpath(*parts).resolve(strict=True)
        except (OSError, ValueError, RuntimeError):
            return None
        if not resolved.is_relative_to(folder) or not resolved.is_file():
            return None
        return resolved

    def _send(self, status: int, body: bytes, content_type: str, with_body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self, with_body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not with_body:
            return
        state = self.server.state
        seen = state.page.generation
        try:
            self.wfile.write(f"retry: 1000\nevent: page\ndata: {seen}\n\n".encode("ascii"))
            self.wfile.flush()
            while True:
                generation = state.wait(seen, self.server.keepalive)
                if generation is None:
                    return
                if generation == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen = generation
                    self.wfile.write(f"event: page\ndata: {seen}\n\n".encode("ascii"))
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            return


@attrs.frozen
class WatchedPaths:
    """The folders to watch, and which changes in them concern the inputs."""

    folders: tuple[Path, ...]
    files: frozenset[str]
    input_folders: frozenset[str]
    extensions: frozenset[str]

    @classmethod
    def of(cls, paths: Iterable[str | os.PathLike[str]], extensions: Iterable[str]) -> WatchedPaths:
        """For input ``paths``: a file is watched through its folder (editors save by renaming), a folder as is."""
        folders: dict[str, Path] = {}
        files: set[str] = set()
        input_folders: set[str] = set()
        for item in paths:
            path = Path(os.path.abspath(item))
            names = {str(path), os.path.realpath(path)}
            if path.is_dir():
                folders.setdefault(str(path), path)
                input_folders.update(names)
            else:
                folders.setdefault(str(path.parent), path.parent)
                files.update(names)
        return cls(tuple(folders.values()), frozenset(files), frozenset(input_folders),
                   frozenset(e.lower() for e in extensions))

    def concerns(self, path: str) -> bool:
        """Whether a change at ``path`` can change the timeline."""
        full = os.path.abspath(path)
        if full in self.files or os.path.realpath(full) in self.files:
            return True
        name = os.path.basename(full)
        if name.startswith(".") or os.path.splitext(name)[1].lower() not in self.extensions:
            return False
        folder = os.path.dirname(full)
        return folder in self.input_folders or os.path.realpath(folder) in self.input_folders


def run(
    build: Callable[[], Page],
    watched: WatchedPaths,
    *,
    port: int = 0,
    assets: tuple[str, Path] | None = None,
    on_start: Callable[[str, Page], None] = lambda url, page: None,
    on_change: Callable[[Page], None] = lambda page: None,
    stop: threading.Event | None = None,
    keepalive: float = 15.0,
) -> None:
    """Build the page, serve it, and rebuild it after each change, until Ctrl-C (or ``stop``).

    Ctrl-C raises ``KeyboardInterrupt`` here once the server is shut down.
    """
    import watchfiles

    for folder in watched.folders:
        if not folder.is_dir():
            raise UsageError(f"cannot watch {str(folder)!r}: no such folder")
    state = PageState(build())
    server = PreviewServer(state, port=port, assets=assets, keepalive=keepalive)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                              name="timeline-preview-server")
    thread.start()
    try:
        on_start(server.url, state.page)

        def concerns(change: watchfiles.Change, path: str) -> bool:
            return watched.concerns(path)

        for _ in watchfiles.watch(*watched.folders, watch_filter=concerns, recursive=False, stop_event=stop,
                                  raise_interrupt=True):
            state.publish(build())
            on_change(state.page)
    finally:
        state.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
