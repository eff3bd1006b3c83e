"""YAML nested deeper than PyYAML's C composer can recurse must fail cleanly.

The C composer recurses in C, so Python's recursion limit never fires: about
25,000 levels overflow an 8 MiB stack and kill the process.  Each case runs
in a subprocess, so a regression shows as a failed test, not a dead run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASES = {
    "flow-5k": "events: " + "[" * 5_000 + "]" * 5_000 + "\n",
    "flow-40k-unclosed": "events: " + "[" * 40_000 + "\n",
    "block-sequences-40k": "events:\n" + "- " * 40_000 + "x\n",
    "block-mappings-3k": "events:\n" + "".join(" " * i + "k:\n" for i in range(1, 3_000)) + " " * 3_000 + "x\n",
    "flow-in-extra-200k": "title: t\nevents:\n- id: a\n  start: '2024'\n  title: t\n  extra: "
    + "{a: " * 200_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_deep_yaml_is_refused_without_crashing(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(CASES[name], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "check", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert path.name in result.stderr


def test_depth_bound_is_an_upper_bound() -> None:
    from timeline.plugins import yaml_format

    yaml = pytest.importorskip("yaml")
    for text in [
        "a: [1, [2, [3]]]\n",
        "- - - x\n",
        "a:\n  b:\n    c: {d: [e]}\n",
        "? - a\n: - b\n",
        "k: '[[[[' \n",
    ]:
        assert yaml_format._exact_depth(text, yaml) <= yaml_format._depth_bound(text), text


def test_well_formed_yaml_still_loads_in_a_worker_thread() -> None:
    """A document whose cheap bound passes the in-place limit is composed in a thread, with the same result."""
    import timeline

    tags = ", ".join(f"'[{i}]'" for i in range(3_000))  # many brackets, shallow nesting
    text = f"title: t\nevents:\n- id: a\n  start: '2024'\n  title: t\n  tags: [{tags}]\n"
    story = timeline.load_bytes(text.encode(), name="many-brackets.yaml")
    assert len(story.events[0].tags) == 3_000
