"""The plugin documentation is executed, so it cannot drift from the code.

Conventions for every page under docs/plugins/ (documented in
docs/plugins/index.md#how-these-pages-are-tested):

* Each page runs in its own empty folder, its blocks in page order.
* ``<!-- file: PATH -->`` on the line before a fenced block writes the
  block, as is, to PATH in that folder.
* ```` ```python ```` blocks run in one namespace per page, in this test's
  interpreter, with the folder as the current directory and on
  ``sys.path``.  Lines that start with ``# => `` show what the block prints,
  and must match it exactly.
* ```` ```console ```` blocks: each ``$ `` line (continued by a trailing
  ``\\``) is a shell command run in the folder; the lines under it are its
  output (standard error merged into standard output, as a terminal shows
  them), where a line ``...`` stands for any number of lines.  A command
  with nothing under it is only checked for its exit status, which must be
  0, or the N of ``<!-- exit: N -->`` for the block's last command.
  ``cd DIR``, ``. VENV/bin/activate`` and ``export NAME=VALUE`` change the
  state of the following commands, as they would in a shell.
* ``<!-- no-run: REASON -->`` skips a block; the reason is required.  Any
  other block (```` ```toml ````, ```` ```text ````, ...) must have a
  ``file:`` or ``no-run:`` marker, so nothing is shown that is not tried.
* A page containing ``<!-- docs-test: fresh-venv -->`` is followed
  literally in a new folder with nothing installed but ``wheels/``, which
  holds a wheel built from this checkout, as the tutorial asks the reader to
  have (the package is not on PyPI yet).  Its commands create and activate
  their own venv, and tell pip where the wheel is as the page says: the test
  sets no ``PIP_FIND_LINKS`` of its own.  Every other package comes from the
  usual index.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_DOCS = ROOT / "docs" / "plugins"
FRESH_VENV = "<!-- docs-test: fresh-venv -->"

_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})([\w+-]*)[^\n]*$")
_MARKER = re.compile(r"^<!--\s*([\w-]+)\s*:\s*(.*?)\s*-->$")
_ACTIVATE = re.compile(r"^(?:\.|source)\s+(\S+)/bin/activate$")
_EXPORT = re.compile(r"^export\s+([A-Za-z_][A-Za-z0-9_]*)=\S.*$")
_EXPECTED_PRINT = "# => "


@dataclass(frozen=True)
class Block:
    """One fenced block of a page, with the marker on the line before it."""

    page: Path
    line: int  # 1-based line of the first line of the body
    lang: str
    body: str
    marker: str | None = None
    argument: str = ""

    @property
    def where(self) -> str:
        shown = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{shown}:{self.line}"


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes a block opened by ``fence`` (the same character, at least as many)."""
    return line.startswith(fence) and not line.strip(fence[0])


def parse_blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, lang = opening.groups()
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        if end == len(lines):
            raise AssertionError(f"{page}:{index + 1}: code block is never closed")
        marker = _MARKER.match(lines[index - 1].strip()) if index else None
        body = "".join(line + "\n" for line in lines[index + 1 : end])
        blocks.append(
            Block(
                page=page,
                line=index + 2,
                lang=lang,
                body=body,
                marker=marker.group(1) if marker else None,
                argument=marker.group(2) if marker else "",
            )
        )
        index = end + 1
    return blocks


# --- console blocks ------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    text: str
    expected: list[str]


def parse_console(block: Block) -> list[Command]:
    """The ``$ `` commands of a console block with the output shown under each."""
    commands: list[Command] = []
    pending: list[str] | None = None  # lines of a command continued with a backslash
    for raw in block.body.splitlines():
        if pending is not None:
            pending.append(raw)
            if not raw.endswith("\\"):
                commands.append(Command("\n".join(pending), []))
                pending = None
        elif raw.startswith("$ "):
            if raw.endswith("\\"):
                pending = [raw[2:]]
            else:
                commands.append(Command(raw[2:], []))
        else:
            assert commands, f"{block.where}: output before the first '$ ' command"
            commands[-1].expected.append(raw.rstrip())
    assert pending is None, f"{block.where}: the last command ends with a backslash"
    assert commands, f"{block.where}: a console block without a '$ ' command"
    return commands


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``expected``, where a line ``...`` matches any run of lines."""
    if not expected:
        return not actual
    head, *rest = expected
    if head == "...":
        return any(output_matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and actual[0] == head and output_matches(rest, actual[1:])


class Shell:
    """The state a reader's terminal would carry between commands: folder and PATH."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.cwd = cwd
        self.env = env

    def run(self, command: Command, block: Block, expected_status: int) -> None:
        text = command.text.strip()
        activate = _ACTIVATE.match(text)
        if activate:
            venv = (self.cwd / activate.group(1)).resolve()
            assert (venv / "bin" / "python").exists(), f"{block.where}: no venv at {venv}"
            self.env["VIRTUAL_ENV"] = str(venv)
            self.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{self.env['PATH']}"
            return
        export = _EXPORT.match(text)
        if export:
            # Let bash expand the value ($PWD, quotes), then keep it for the following commands.
            name = export.group(1)
            shown = subprocess.run(
                ["bash", "-c", f'{text}\nprintf "%s" "${{{name}}}"'],
                cwd=self.cwd,
                env=self.env,
                capture_output=True,
                text=True,
                check=True,
            )
            self.env[name] = shown.stdout
            return
        if text.startswith("cd ") and "&&" not in text and ";" not in text:
            (target,) = shlex.split(text[3:])
            self.cwd = (self.cwd / target).resolve()
            assert self.cwd.is_dir(), f"{block.where}: cd into a folder that does not exist: {target}"
            return
        result = subprocess.run(
            ["bash", "-c", text],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=900,
        )
        shown = "\n".join(command.expected)
        got = [line.rstrip() for line in result.stdout.splitlines()]
        assert result.returncode == expected_status, (
            f"{block.where}: `$ {text}` exited with {result.returncode}, expected {expected_status}:\n"
            + result.stdout[-6000:]
        )
        if command.expected:
            assert output_matches(command.expected, got), (
                f"{block.where}: `$ {text}` printed:\n{result.stdout}\nbut the page shows:\n{shown}"
            )


def base_environment(extra_path: Path | None) -> dict[str, str]:
    """The environment of a reader's shell: no plugin selection, no fixed epoch, no leaking PYTHONPATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TIMELINE_PLUGINS", "SOURCE_DATE_EPOCH", "PYTHONPATH", "VIRTUAL_ENV")
        and not key.startswith("PYTEST_")
    }
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["COLUMNS"] = "80"
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env.get('PATH', '')}"
    return env


# --- python blocks ----------------------------------------------------------------


def run_python(block: Block, namespace: dict[str, object]) -> None:
    code = "\n" * (block.line - 1) + block.body  # tracebacks point at the page's lines
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(block.page), "exec"), namespace)
    shown = "".join(
        line[len(_EXPECTED_PRINT) :] + "\n" for line in block.body.splitlines() if line.startswith(_EXPECTED_PRINT)
    )
    if shown:
        assert printed.getvalue() == shown, f"{block.where}: the block printed\n{printed.getvalue()}"


@contextlib.contextmanager
def importable_from(folder: Path) -> Iterator[None]:
    """Put ``folder`` first on sys.path; forget the modules imported from it afterwards."""
    before = set(sys.modules)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in set(sys.modules) - before:
            origin = getattr(sys.modules[name], "__file__", None) or ""
            if origin.startswith(str(folder)):
                del sys.modules[name]


# --- running a page ---------------------------------------------------------------


def check_markers(blocks: list[Block]) -> None:
    for block in blocks:
        if block.marker == "no-run":
            assert len(block.argument.split()) >= 3, f"{block.where}: say why the block is not run"
        elif block.marker == "file":
            assert block.argument and not Path(block.argument).is_absolute(), f"{block.where}: bad file name"
        elif block.marker == "exit":
            assert block.lang == "console" and block.argument.isdigit(), f"{block.where}: exit marker misused"
        else:
            assert block.marker is None, f"{block.where}: unknown marker {block.marker!r}"
            assert block.lang in ("python", "console"), (
                f"{block.where}: a ```{block.lang} block needs <!-- file: PATH --> or <!-- no-run: REASON -->"
            )


def run_page(page: Path, folder: Path, env: dict[str, str], *, in_process_python: bool) -> int:
    """Run every block of ``page`` in ``folder``; return how many ran."""
    blocks = parse_blocks(page)
    check_markers(blocks)
    shell = Shell(folder, env)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    ran = 0
    for block in blocks:
        if block.marker == "no-run":
            continue
        if block.marker == "file":
            target = shell.cwd / block.argument
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.lang == "python":
            assert in_process_python, f"{block.where}: python blocks cannot run on a fresh-venv page"
            previous = Path.cwd()
            os.chdir(shell.cwd)
            try:
                with importable_from(shell.cwd):
                    run_python(block, namespace)
            finally:
                os.chdir(previous)
        else:
            commands = parse_console(block)
            status = int(block.argument) if block.marker == "exit" else 0
            for position, command in enumerate(commands):
                shell.run(command, block, status if position == len(commands) - 1 else 0)
        ran += 1
    return ran


def _pages(fresh: bool) -> list[Path]:
    pages = sorted(PLUGIN_DOCS.rglob("*.md"))
    return [page for page in pages if (FRESH_VENV in page.read_text(encoding="utf-8")) == fresh]


def _page_id(page: Path) -> str:
    return page.relative_to(PLUGIN_DOCS).as_posix()


@pytest.mark.parametrize("page", _pages(fresh=False), ids=_page_id)
def test_plugin_page_runs(page: Path, tmp_path: Path):
    env = base_environment(Path(sys.executable).parent)
    run_page(page, tmp_path, env, in_process_python=True)


@pytest.fixture(scope="module")
def timeline_wheel_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout, as a reader gets it from a release or builds it."""
    from venvs import timeline_wheel  # tests/venvs.py: the wheel is built once per session

    return timeline_wheel(tmp_path_factory)


@pytest.mark.slow
@pytest.mark.parametrize("page", _pages(fresh=True), ids=_page_id)
def test_plugin_page_followed_literally_in_a_fresh_venv(page: Path, tmp_path: Path, timeline_wheel_file: Path):
    # What the page asks the reader to have: the wheel, in a folder called wheels.
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / timeline_wheel_file.name).write_bytes(timeline_wheel_file.read_bytes())
    env = base_environment(Path(sys.executable).parent)  # for `python3 -m venv`, as a reader has python3
    env.pop("PIP_FIND_LINKS", None)  # the page must say how pip finds timeline-events
    env.pop("PIP_NO_INDEX", None)
    assert "export PIP_FIND_LINKS=" in page.read_text(encoding="utf-8")
    ran = run_page(page, tmp_path, env, in_process_python=False)
    assert ran >= 5


# --- the conventions themselves --------------------------------------------------


def test_the_plugin_pages_exist_and_run_code():
    pages = sorted(PLUGIN_DOCS.rglob("*.md"))
    assert len(pages) >= 10
    assert _pages(fresh=True), "the tutorial must be followed in a fresh venv"
    executed = [b for page in pages for b in parse_blocks(page) if b.marker != "no-run"]
    skipped = [b for page in pages for b in parse_blocks(page) if b.marker == "no-run"]
    assert len(executed) > 5 * max(len(skipped), 1)


def test_output_wildcards():
    assert output_matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert output_matches(["a", "...", "b"], ["a", "b"])
    assert output_matches(["..."], [])
    assert not output_matches(["a", "...", "d"], ["a", "b", "c"])
    assert not output_matches(["a"], ["a", "b"])


def test_console_parsing(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        "text\n\n<!-- exit: 1 -->\n```console\n$ echo a \\\n  b\na b\n$ false\n```\n\n"
        "<!-- no-run: needs a network -->\n````markdown\n```python\nx\n```\n````\n",
        encoding="utf-8",
    )
    console, markdown = parse_blocks(page)
    assert (console.marker, console.argument, console.line) == ("exit", "1", 5)
    assert parse_console(console) == [Command("echo a \\\n  b", ["a b"]), Command("false", [])]
    assert markdown.lang == "markdown" and markdown.body == "```python\nx\n```\n"
    folder = tmp_path / "run"
    folder.mkdir()
    assert run_page(page, folder, base_environment(None), in_process_python=True) == 1


def test_a_wrong_output_fails(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("```console\n$ echo hello\ngoodbye\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="printed"):
        run_page(page, tmp_path, base_environment(None), in_process_python=True)


def test_an_unmarked_block_of_another_language_fails(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("```toml\n[x]\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="needs <!-- file"):
        run_page(page, tmp_path, base_environment(None), in_process_python=True)


def test_python_blocks_check_what_they_print(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("```python\nx = 2\n```\n\n```python\nprint(x + 1)\n# => 4\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="printed"):
        run_page(page, tmp_path, base_environment(None), in_process_python=True)


def test_export_carries_over_to_the_following_commands(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text('```console\n$ export GREETING="$PWD/x y"\n$ echo "$GREETING"\n' + str(tmp_path) + "/x y\n```\n")
    assert run_page(page, tmp_path, base_environment(None), in_process_python=True) == 1
