"""The README's "Bring your timeline in" commands run as written, on real files of each kind."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import timeline

pytestmark = pytest.mark.slow  # runs the installed command in a shell

ROOT = Path(__file__).parent.parent
TEMPLATE = ROOT / "tests/browser/node_modules/@knight-lab/timelinejs/src/template/my-own-timeline.csv"


def _section_commands(heading: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, f"no sh block under {heading!r}"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    story = timeline.sample()
    (tmp_path / "old-calendar.ics").write_bytes(timeline.export(story, "ical"))
    (tmp_path / "story.timeline.json").write_bytes(timeline.export(story, "timelinejs"))
    shutil.copy(ROOT / "tests/markwhen/corpus/basics.mw", tmp_path / "plans.mw")
    if not TEMPLATE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{TEMPLATE} is missing: .ci/setup installs it with npm")
        pytest.skip("TimelineJS's npm package is not installed (run .ci/setup)")
    shutil.copy(TEMPLATE, tmp_path / "sheet.csv")
    return tmp_path


def test_bring_your_timeline_in_commands_work_as_written(folder: Path):
    commands = _section_commands("Bring your timeline in")
    assert len(commands) >= 5
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        for written in folder.glob("story.*"):
            if written.name != "story.timeline.json":
                written.unlink()
        result = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        output = re.search(r"-o (\S+)", command)
        if output:
            written = folder / output.group(1)
            loaded = timeline.load(written)  # what came in passes `check` as our own format
            assert len(loaded) > 0, command


def _marked(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- readme: {re.escape(name)} -->\n```\w+\n(.*?)```", text, re.S)
    assert found is not None, f"no block marked {name!r} in README.md"
    return found.group(1)


def test_the_relation_example_gives_the_markdown_shown(tmp_path: Path):
    (tmp_path / "relations.yaml").write_text(_marked("relations.yaml"), encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-c", "timeline export relations.yaml -o story.md"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "story.md").read_text(encoding="utf-8")
    assert _marked("relations.md") in written
    assert "- Echoes: [Soviet–DPRK treaty signed](#sovietdprk-treaty-signed)\n" in written


def test_everyday_locale_commands_work_as_written(tmp_path: Path):
    """Issue 15's "Done means": the README's --locale exports run as written, on the bundled sample."""
    commands = [c for c in _section_commands("Everyday use") if "--locale" in c and " -o " in c]
    assert "timeline export --locale ru -o russia-dprk.ru.md" in commands
    assert "timeline export --locale ko -o story.html" in commands
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
    russian = (tmp_path / "russia-dprk.ru.md").read_text(encoding="utf-8")
    assert "## События" in russian and "3 года 1 месяц 2 дня" in russian  # the Korean War, and how long it lasted
    page = (tmp_path / "story.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "2024년 6월 19일" in page and "3년 1개월 2일" in page
