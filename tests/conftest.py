"""Shared fixtures: timeline files written on the fly, a CLI runner, a clean registry."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from timeline.registry import Registry

# Hypothesis profiles: "dev" (the default at a desk) keeps the example database
# so a failure found once is tried first next time; "ci" (the default when CI is
# set) is derandomized, so a run gives the same result on the same lock, with
# no deadline (shared machines stall) and the reproduction blob printed.
# Choose one with HYPOTHESIS_PROFILE=dev|ci.  Tests that set max_examples
# themselves keep their own number under both profiles.
settings.register_profile("dev", max_examples=50)
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# Plugin packages used as fixtures (tests/fixtures/*) carry their own tests, which run in a venv of their
# own with the plugin installed (tests/test_typed_plugin.py), never in this session.
collect_ignore_glob = ["fixtures/*"]

# Output must never depend on the machine running the tests.
os.environ.pop("SOURCE_DATE_EPOCH", None)
os.environ.pop("TIMELINE_PLUGINS", None)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a (dedented) file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal_yaml() -> str:
    return """
        id: demo
        title: Demo
        timezone: Asia/Pyongyang
        updated: "2024-11-01"
        events:
          - id: treaty-1961
            title: Treaty signed
            start: "1961-07-06"
            tags: [treaty]
            group: Diplomacy
            sources:
              - title: Treaty text
                url: https://example.org/treaty
          - id: war
            title: War in Ukraine
            start: "2022-02-24"
            end: ".."
            tags: [war]
            related: [treaty-1961]
          - id: summit
            title: Summit
            start: "2024-06-19T03:00"
            tags: [summit]
    """


@pytest.fixture
def plugins() -> Iterator[Registry]:
    """The CLI's registry with the built-ins, a 1.0 plugin ('old') and a 1.1 plugin ('picky')."""
    from plugin_kit import OldPlugin, PickyPlugin

    import timeline.registry as registry_module

    registry = Registry()
    registry.register(OldPlugin(), name="old")
    registry.register(PickyPlugin(), name="picky")
    saved = registry_module._default
    registry_module._default = registry
    try:
        yield registry
    finally:
        registry_module._default = saved
