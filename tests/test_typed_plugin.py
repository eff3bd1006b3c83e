"""A third-party plugin type-checks against the installed wheel (issue 13 §1).

``tests/fixtures/typed-plugin`` is a plugin as its author writes it: an exporter using ``timeline.Option``,
``Exporter``, ``human_span``, ``iter_events`` and the plugin API 1.1 ``ExportContext``/``Report``, and a test
module subclassing ``timeline.testing.ExporterConformance``.  Installed with the timeline wheel in a fresh
venv, both files pass ``mypy --strict`` with no ``type: ignore``, and its tests pass.  mypy and pytest come
from ``tests/requirements-lock.txt`` (CI's ``PIP_CONSTRAINT``; passed here too when unset).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from venvs import Venv, timeline_wheel

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "typed-plugin"
LOCK = HERE / "requirements-lock.txt"
SOURCES = ("timeline_spans.py", "test_timeline_spans.py")


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Venv, Path]:
    """A fresh venv with the wheel, mypy, pytest and the fixture plugin (installed, not editable)."""
    base = tmp_path_factory.mktemp("typed")
    source = base / "typed-plugin"
    shutil.copytree(FIXTURE, source, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache", "*.egg-info"))
    constraint = () if os.environ.get("PIP_CONSTRAINT") else ("-c", str(LOCK))
    env = Venv.create(base, timeline_wheel(tmp_path_factory), "mypy", "pytest", *constraint)
    env.pip("install", str(source), *constraint)
    return env, source


def test_the_fixture_has_no_type_ignores():
    for name in SOURCES:
        text = (FIXTURE / name).read_text(encoding="utf-8")
        assert "type: ignore" not in text, name
    config = (FIXTURE / "pyproject.toml").read_text(encoding="utf-8")
    assert "strict = true" in config and "ignore_missing_imports" not in config


def test_plugin_and_its_tests_pass_mypy_strict(plugin: tuple[Venv, Path]):
    env, source = plugin
    proc = env.run(
        "python", "-m", "mypy", "--strict", "--warn-unused-ignores", "--no-incremental", *SOURCES, cwd=source
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found in 2 source files" in proc.stdout


def test_mypy_catches_a_misspelt_name(plugin: tuple[Venv, Path]):
    """The lazy ``__getattr__`` is hidden from type checkers, so a typo is an error rather than ``Any``."""
    env, source = plugin
    (source / "typo.py").write_text("import timeline\n\ntimeline.human_spam\n", encoding="utf-8")
    proc = env.run("python", "-m", "mypy", "--strict", "--no-incremental", "typo.py", cwd=source)
    assert proc.returncode == 1 and 'Module has no attribute "human_spam"' in proc.stdout, proc.stdout


def test_plugin_tests_pass_against_the_wheel(plugin: tuple[Venv, Path]):
    env, source = plugin
    proc = env.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_timeline_spans.py", cwd=source)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
