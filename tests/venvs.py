"""Fresh virtual environments with timeline installed from its wheel, for the slow packaging tests.

An editable install hides packaging bugs (a template or data file not
shipped), so these tests build the wheel and install it for real.  The wheel
is built once per test session, whichever module asks first::

    from venvs import Venv, timeline_wheel

    def test_x(tmp_path_factory):
        env = Venv.create(tmp_path_factory.mktemp("venv"), timeline_wheel(tmp_path_factory))
        env.pip("install", "-e", str(plugin_dir))
        assert env.timeline("formats").returncode == 0
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_wheels: dict[str, Path] = {}


def timeline_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The timeline wheel built from this checkout (once per session)."""
    if "wheel" not in _wheels:
        out = tmp_path_factory.mktemp("dist")
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
            check=True,
        )
        (found,) = out.glob("timeline_events-*.whl")
        _wheels["wheel"] = found
    return _wheels["wheel"]


def clean_environ(**extra: str) -> dict[str, str]:
    """The environment minus what would leak the checkout or the test run into a child process."""
    leaky = ("PYTHONPATH", "TIMELINE_PLUGINS", "PYTEST_ADDOPTS", "VIRTUAL_ENV")
    environ = {k: v for k, v in os.environ.items() if k not in leaky}
    environ.update(extra)
    return environ


class Venv:
    """A virtual environment under ``base`` and a working directory outside the checkout."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.bin = base / "venv" / "bin"
        self.python = self.bin / "python"
        self.cwd = base / "elsewhere"

    @classmethod
    def create(cls, base: Path, wheel: Path | None = None, *extra: str) -> Venv:
        """A new venv with ``wheel`` (and any ``extra`` requirements) installed."""
        env = cls(base)
        venv.create(base / "venv", with_pip=True)
        env.cwd.mkdir(exist_ok=True)
        packages = [str(wheel)] if wheel is not None else []
        if packages or extra:
            env.pip("install", *packages, *extra)
        return env

    def run(
        self, program: str, *args: str, cwd: Path | None = None, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run one of the venv's programs (``python``, ``timeline``, ``pytest``) and capture its output."""
        return subprocess.run(
            [str(self.bin / program), *args],
            capture_output=True,
            text=True,
            cwd=cwd or self.cwd,
            env=clean_environ(**extra_env),
        )

    def pip(self, *args: str) -> None:
        """``pip ARGS`` in the venv; fails the test with pip's output if it fails."""
        proc = self.run("python", "-m", "pip", *args, "-q", "--disable-pip-version-check")
        if proc.returncode != 0:
            pytest.fail(f"pip {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")

    def timeline(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """The installed ``timeline`` command."""
        return self.run("timeline", *args, **extra_env)
