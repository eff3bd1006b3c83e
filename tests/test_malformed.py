"""Hostile and broken input through the real command, in a subprocess.

Every case in ``tests/malformed/expected.toml`` (checked-in files) and every
case made here at run time (huge files, nesting, an alias bomb, file-system
oddities) is run through ``timeline check`` and ``timeline export -o``: the
exit status is 1, standard error holds one clean report naming the file (and
the event and field where there is one) and no traceback, and an existing
output file is left as it was.  Each subprocess runs under an address-space
limit, so a bomb that defeats the loader fails the test instead of eating
the machine; the timeout is a hang guard, not a speed test (speed is
measured by the benchmarks).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every case runs the CLI in subprocesses

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS = Path(__file__).parent / "malformed"
#: Address-space limit for each run: far above what any case needs (the 50 MB
#: description peaks near 400 MB), far below what an unbounded bomb would take.
MEMORY_LIMIT = 2 * 1024**3
HANG_GUARD = 120  # seconds
KEEP = b"the previous export\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_timeline(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TIMELINE_PLUGINS", "TIMELINE_DEBUG")}
    env["TIMELINE_PLUGINS"] = ""  # built-in formats only: a stray plugin must not change the messages
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=HANG_GUARD,
        preexec_fn=_limit_memory,
    )


def _load_manifest() -> list[tuple[str, list[str], list[str], list[str]]]:
    """(category, files, expected pieces, extra arguments such as ``-I timelinejs``) per case."""
    data = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
    return [(case["category"], case["files"], case["expect"], case.get("args", [])) for case in data["case"]]


MANIFEST = _load_manifest()
_NESTED_PARENS = re.compile(r"\([^()]*\(")


def assert_clean_failure(result: subprocess.CompletedProcess[str], files: Sequence[str], expect: Sequence[str]) -> None:
    """Exit status 1, one report on stderr naming every file and holding every expected piece."""
    report = result.stderr
    assert result.returncode == 1, f"exit status {result.returncode}\n{report}"
    assert "Traceback" not in report and "internal error" not in report, report
    # A reader may first warn about what it left out (a <script> in TimelineJS text); the error follows.
    errors = "\n".join(line for line in report.splitlines() if not line.startswith("timeline: warning: "))
    assert errors.startswith("timeline: error: "), report
    for name in files:
        assert name in report, f"{name!r} not named in:\n{report}"
    for piece in expect:
        assert piece in report, f"{piece!r} not in:\n{report}"
    for line in report.splitlines():
        assert len(line) < 2_000, f"a {len(line):,}-character line: values are not shortened"
        assert not _NESTED_PARENS.search(line.replace("(s)", "")), f"nested parentheses in {line!r}"


def _case_id(case: tuple[str, list[str], list[str], list[str]]) -> str:
    return case[1][0]


def test_corpus_is_big_and_every_file_has_a_case():
    listed = {name for _, files, _, _ in MANIFEST for name in files}
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.name != "expected.toml"}
    assert listed == on_disk
    assert len(MANIFEST) >= 60
    assert all(expect for _, _, expect, _ in MANIFEST)
    for reader in ("timelinejs", "timelinejs-sheet"):
        assert sum(1 for category, *_ in MANIFEST if category == reader) >= 15, reader


@pytest.mark.parametrize(("category", "files", "expect", "args"), MANIFEST, ids=[_case_id(c) for c in MANIFEST])
def test_check_reports_the_problem(category, files, expect, args):
    result = run_timeline(["check", *args, *files], cwd=CORPUS)
    assert result.stdout == ""
    assert_clean_failure(result, files, expect)


@pytest.mark.parametrize(("category", "files", "expect", "args"), MANIFEST, ids=[_case_id(c) for c in MANIFEST])
def test_export_fails_and_keeps_the_previous_output(tmp_path, category, files, expect, args):
    out = tmp_path / "story.json"
    out.write_bytes(KEEP)
    result = run_timeline(["export", *args, *files, "-o", str(out)], cwd=CORPUS)
    assert_clean_failure(result, files, expect)
    assert out.read_bytes() == KEEP
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.json"], "a temporary file was left behind"


# --- cases made at run time ---------------------------------------------------

Maker = Callable[[Path], tuple[list[str], list[str]]]
DEPTH = 10_000


def _huge_description(tmp: Path) -> tuple[list[str], list[str]]:
    """A 50 MB description in an event whose end is before its start."""
    path = tmp / "huge-description.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("title: T\nevents:\n  - id: big\n    title: Big\n    start: '2024'\n    end: '2023'\n")
        out.write("    description: '")
        chunk = "Переговоры 정상회담 " * 1000
        written = 0
        while written < 50 * 1024 * 1024:
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
        out.write("'\n")
    return [path.name], ["huge-description.yaml:6:", "event 'big', field 'end'", "ends (2023) before it starts"]


def _huge_id(tmp: Path) -> tuple[list[str], list[str]]:
    """A 5 MB invalid id: the report must quote it shortened, not in full."""
    path = tmp / "huge-id.json"
    path.write_text('{"events": [{"id": "' + "X" * 5_000_000 + '", "title": "A", "start": "2020"}]}')
    return [path.name], ["field 'id'", "is not a valid id", "characters left out"]


def _deep_json(tmp: Path) -> tuple[list[str], list[str]]:
    path = tmp / "deep.json"
    path.write_text(
        '{"events": [{"id": "a", "title": "A", "start": "2020", "extra": {"x": ' + "[" * DEPTH + "]" * DEPTH + "}}]}"
    )
    return [path.name], ["deep.json", "nested too deeply"]


def _deep_json_document(tmp: Path) -> tuple[list[str], list[str]]:
    path = tmp / "deep-document.json"
    path.write_text('{"a": ' * DEPTH + "1" + "}" * DEPTH)
    return [path.name], ["deep-document.json", "nested too deeply"]


def _deep_yaml_flow(tmp: Path) -> tuple[list[str], list[str]]:
    path = tmp / "deep.yaml"
    path.write_text("title: T\nevents:\n  - id: a\n    title: A\n    start: '2020'\n    extra: {x: "
                    + "[" * DEPTH + "]" * DEPTH + "}\n")
    # A depth refusal is a file-level problem: the parser stops before any event
    # exists, so the report names the file and line, not an event or field.
    return [path.name], ["deep.yaml:6:", "invalid YAML: nested more than 999 levels deep"]


def _deep_yaml_block(tmp: Path) -> tuple[list[str], list[str]]:
    path = tmp / "deep-block.yaml"
    lines = ["title: T", "events:", "  - id: a", "    title: A", "    start: '2020'", "    extra:"]
    lines += [" " * (6 + level) + f"k{level}:" for level in range(DEPTH)]
    path.write_text("\n".join(lines) + " 1\n")
    # File-level, like the flow case, on the line where the 1,000th level opens: the
    # document, `events`, the event and `extra` (its first key on line 7) are levels 1-4.
    return [path.name], [f"deep-block.yaml:{7 + 1000 - 4}:", "invalid YAML: nested more than 999 levels deep"]


def _deep_toml(tmp: Path) -> tuple[list[str], list[str]]:
    path = tmp / "deep.toml"
    path.write_text('[[events]]\nid = "a"\ntitle = "A"\nstart = "2020"\nextra = {x = '
                    + "[" * DEPTH + "]" * DEPTH + "}\n")
    return [path.name], ["deep.toml", "nested too deeply"]


def _alias_bomb(tmp: Path) -> tuple[list[str], list[str]]:
    """Billion laughs: nine levels of nine aliases stand for 9**9 strings."""
    lines = ["title: T", "events:", "  - id: a", "    title: A", "    start: '2020'", "    extra:",
             '      l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"      l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    path = tmp / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    # Refused by the reader for the whole file (aliases are bounded per file), before any event is built.
    return [path.name], ["bomb.yaml: YAML aliases here stand for more than 100,000 values beyond those written"]


def _alias_bomb_in_title(tmp: Path) -> tuple[list[str], list[str]]:
    """The same bomb where text is expected: refused without expanding it (per file, like the other)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines += ["title: *l8", "events:", "  - {id: a, title: *l8, start: '2020', tags: *l8}"]
    path = tmp / "bomb-title.yaml"
    path.write_text("\n".join(lines) + "\n")
    return [path.name], ["bomb-title.yaml: YAML aliases here stand for more than 100,000 values"]


def _folder_without_timelines(tmp: Path) -> tuple[list[str], list[str]]:
    folder = tmp / "timeline.yaml"  # a folder with a file's name
    folder.mkdir()
    (folder / "notes.txt").write_text("not a timeline")
    return [folder.name], ["timeline.yaml", "holds no timeline files"]


def _missing(tmp: Path) -> tuple[list[str], list[str]]:
    return ["nowhere.yaml"], ["nowhere.yaml: no such file"]


def _symlink_loop(tmp: Path) -> tuple[list[str], list[str]]:
    (tmp / "loop-a.yaml").symlink_to("loop-b.yaml")
    (tmp / "loop-b.yaml").symlink_to("loop-a.yaml")
    return ["loop-a.yaml"], ["loop-a.yaml", "cannot be read", "symbolic links"]


def _dangling_symlink(tmp: Path) -> tuple[list[str], list[str]]:
    (tmp / "gone.yaml").symlink_to("deleted.yaml")
    return ["gone.yaml"], ["gone.yaml: no such file"]


def _unreadable(tmp: Path) -> tuple[list[str], list[str]]:
    path = tmp / "secret.yaml"
    path.write_text("title: T\nevents: []\n")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: chmod 000 proves nothing here
        pytest.skip("running as a user who can read a mode-000 file (root?), so 'unreadable' cannot be staged")
    return [path.name], ["secret.yaml: permission denied"]


def _device(tmp: Path) -> tuple[list[str], list[str]]:
    """A character device with a timeline extension (it reads as endless zeros): refused, not read forever."""
    link = tmp / "zero.yaml"
    link.symlink_to("/dev/zero")
    return [link.name], ["zero.yaml: is a device, not a regular file"]


def _many_problems(tmp: Path) -> tuple[list[str], list[str]]:
    """Twenty thousand bad events: all reported, quickly, in one report."""
    path = tmp / "many.json"
    events = ",".join(f'{{"id": "e{i}", "title": "E", "start": "2024-02-30"}}' for i in range(20_000))
    path.write_text('{"events": [' + events + "]}")
    return [path.name], ["20000 problems found", "event 'e19999', field 'start'"]


def _long_integer(suffix: str, text: str, line: int) -> Maker:
    """A decimal integer over Python's 4,300-digit limit: refused in words, with file and line (issue 11)."""

    def make(tmp: Path) -> tuple[list[str], list[str]]:
        path = tmp / f"long-number.{suffix}"
        path.write_text(text.replace("DIGITS", "9" * 5000))
        return [path.name], [f"long-number.{suffix}:{line}: a number with more than 4,300 digits"]

    return make


MADE: dict[str, Maker] = {
    "long-integer-json": _long_integer(
        "json", '{"title": "T",\n "events": [\n  {"id": "a", "title": "A", "start": "2024",\n'
                '   "extra": {"n": DIGITS}}]}\n', 4),
    "long-integer-yaml": _long_integer(
        "yaml", "title: T\nevents:\n  - id: a\n    title: A\n    start: '2024'\n    extra:\n      n: DIGITS\n", 7),
    "long-integer-toml": _long_integer(
        "toml", 'title = "T"\n[[events]]\nid = "a"\ntitle = "A"\nstart = "2024"\nextra = {n = DIGITS}\n', 6),
    "huge-description": _huge_description,
    "huge-id": _huge_id,
    "deep-json-extra": _deep_json,
    "deep-json-document": _deep_json_document,
    "deep-yaml-flow": _deep_yaml_flow,
    "deep-yaml-block": _deep_yaml_block,
    "deep-toml": _deep_toml,
    "yaml-alias-bomb": _alias_bomb,
    "yaml-alias-bomb-in-text": _alias_bomb_in_title,
    "folder-without-timelines": _folder_without_timelines,
    "missing": _missing,
    "symlink-loop": _symlink_loop,
    "dangling-symlink": _dangling_symlink,
    "unreadable": _unreadable,
    "device": _device,
    "many-problems": _many_problems,
}


@pytest.mark.parametrize("name", list(MADE))
def test_made_case(tmp_path, name):
    files, expect = MADE[name](tmp_path)
    result = run_timeline(["check", *files], cwd=tmp_path)
    assert_clean_failure(result, files, expect)
    out = tmp_path / "out" / "story.md"
    out.parent.mkdir()
    out.write_bytes(KEEP)
    result = run_timeline(["export", *files, "-o", str(out)], cwd=tmp_path)
    assert_clean_failure(result, files, expect)
    assert out.read_bytes() == KEEP
    assert [p.name for p in out.parent.iterdir()] == ["story.md"]


def test_bom_is_accepted_not_malformed(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: With a BOM\nevents: [{id: a, title: A, start: '2020'}]\n")
    result = run_timeline(["check", path.name], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 'With a BOM': 1 event\n"


def test_standard_input_reports_stdin(tmp_path):
    env = {**os.environ, "TIMELINE_PLUGINS": ""}
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "check", "-I", "json", "-"],
        input='{"events": [{"id": "a", "title": "A", "start": "2024-13"}]}',
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD,
    )
    assert_clean_failure(result, ["<stdin>"], ["event 'a', field 'start'", "month 13"])


@pytest.mark.parametrize("stdin", [False, True])
def test_unknown_input_format_is_a_usage_error_with_files_or_stdin(tmp_path, stdin):
    """``-I yml`` is a mistake in the command, not in a file: exit status 2 either way."""
    (tmp_path / "t.yaml").write_text("title: T\nevents: []\n")
    args = ["check", "-I", "yml", "-" if stdin else "t.yaml"]
    result = subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        input="title: T\nevents: []\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=HANG_GUARD,
    )
    assert result.returncode == 2, result.stderr
    assert "unknown input format 'yml' (did you mean 'yaml', for .yml files?)" in result.stderr


# --- the same rules for a timeline built in code ---------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"w": float("nan")}, "extra.w", "holds NaN"),
        ({"w": [1, float("-inf")]}, "extra.w[1]", "holds -Infinity"),
        ({"deep": [[[[]]]], "n": -0.0, "t": (1, "x")}, None, None),
        ({1: "x"}, "extra.1", "has a key that is a number"),
        ({"o": object()}, "extra.o", "holds object"),
    ],
)
def test_validate_checks_extra_of_events_built_in_code(extra, field, message):
    import timeline
    from timeline import Date, Event, InvalidTimelineError, Timeline

    built = Timeline(id="t", title="T", events=[Event(id="a", title="A", start=Date(2020), extra=extra)])
    if field is None:
        assert timeline.validate(built) is built
        return
    with pytest.raises(InvalidTimelineError) as caught:
        timeline.validate(built)
    (problem,) = caught.value.problems
    assert (problem.event, problem.field) == ("event 'a'", field) and message in problem.message


def test_validate_limits_extra_depth_and_size():
    from timeline.validation import MAX_EXTRA_DEPTH, MAX_EXTRA_VALUES, extra_problem

    deep: list[object] = []
    for _ in range(MAX_EXTRA_DEPTH + 5):
        deep = [deep]
    assert extra_problem({"d": deep}) == (("d",), f"is nested more than {MAX_EXTRA_DEPTH} levels deep")
    shallow: list[object] = []
    for _ in range(MAX_EXTRA_DEPTH - 1):
        shallow = [shallow]
    assert extra_problem({"d": shallow}) is None
    shared = ["x"] * 1000
    assert extra_problem({"a": [shared] * (MAX_EXTRA_VALUES // 1000)}) is not None
    assert extra_problem({"a": [shared] * (MAX_EXTRA_VALUES // 1000 - 1)}) is None
