"""Deeply nested YAML fails cleanly, with its line, under either PyYAML loader.

libyaml (PyYAML 6.0.4 and newer) refuses 1,000 levels itself; the pure-Python
loader would raise RecursionError after a few hundred, so the reader counts
depth from its iterative parser first.  Each case runs in a subprocess, so a
crash of the interpreter shows as a failed test, not a dead run.  A depth
refusal is a file-level problem (the parser stops before any event exists):
the report names file and line, not event and field.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CASES = {
    "flow-5k": ("events: " + "[" * 5_000 + "]" * 5_000 + "\n", 1),
    "flow-40k-unclosed": ("events: " + "[" * 40_000 + "\n", 1),
    "block-sequences-40k": ("events:\n" + "- " * 40_000 + "x\n", 2),
    "block-mappings-3k": ("events:\n" + "".join(" " * i + "k:\n" for i in range(1, 3_000)) + " " * 3_000 + "x\n", None),
    "flow-in-extra-200k": (
        "title: t\nevents:\n- id: a\n  start: '2024'\n  title: t\n  extra: " + "{a: " * 200_000 + "\n",
        6,
    ),
}

#: Runs the CLI with PyYAML's C loader hidden, as on a PyYAML built without libyaml.
PURE_PYTHON = "import sys, yaml; del yaml.CSafeLoader; from timeline.cli import main; sys.argv[0] = 'timeline'; main()"
LOADERS = {"libyaml": ["-m", "timeline"], "pure-python": ["-c", PURE_PYTHON]}
#: The depth each loader refuses beyond: libyaml's own, and the reader's guard for the pure-Python one.
LIMITS = {"libyaml": 999, "pure-python": 200}


def _check(path: Path, loader: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *LOADERS[loader], "check", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("loader", sorted(LOADERS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_deep_yaml_is_refused_without_crashing(tmp_path: Path, name: str, loader: str) -> None:
    text, line = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = _check(path, loader)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    refusal = f"invalid YAML: nested more than {LIMITS[loader]} levels deep"
    assert refusal in result.stderr, result.stderr
    if line is not None:
        assert f"{path.name}:{line}: {refusal}" in result.stderr, result.stderr
    else:
        assert f"{path.name}:" in result.stderr, result.stderr


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_deep_extra_within_the_parser_limits_is_reported_by_event_and_field(tmp_path: Path, loader: str) -> None:
    """Up to the loader's limit the document loads, and the schema names event and field."""
    depth = 150  # deeper than extra allows (64), shallower than either loader's limit
    path = tmp_path / "deep-extra.yaml"
    path.write_text(
        "title: t\nevents:\n- id: a\n  start: '2024'\n  title: t\n  extra: {x: " + "[" * depth + "]" * depth + "}\n",
        encoding="utf-8",
    )
    result = _check(path, loader)
    assert result.returncode == 1, result.stderr
    assert "event 'a', field 'extra.x'" in result.stderr, result.stderr
    assert "nested more than 64 levels deep" in result.stderr, result.stderr


def test_pure_python_loader_still_loads_the_sample_shape(tmp_path: Path) -> None:
    """The guard only refuses depth: a normal file loads under the pure-Python loader."""
    path = tmp_path / "ok.yaml"
    path.write_text("title: t\nevents:\n- id: a\n  start: '2024'\n  title: t\n  tags: [x, y]\n", encoding="utf-8")
    result = _check(path, "pure-python")
    assert result.returncode == 0, result.stderr


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
        loader = yaml.SafeLoader(text)
        depth = deepest = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        assert deepest <= yaml_format._depth_bound(text), text
