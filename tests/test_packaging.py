"""The package as a user gets it: a wheel installed in a fresh venv, used from
outside the repository, with third-party plugins installed beside it by pip.

An editable install hides packaging bugs (a data file not shipped, a module
only importable from the source tree), so this builds and installs for real.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest
from venvs import timeline_wheel

from timeline.pluginapi import PLUGIN_API_VERSION

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

THIRD_PARTY = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "timeline-shout"
        version = "1.2.3"
        dependencies = ["timeline-events"]

        [project.entry-points.timeline]
        shout = "timeline_shout"
    """,
    "timeline_shout.py": """
        import timeline

        class ShoutExporter:
            name = "shout"
            extensions = (".shout",)
            media_type = "text/plain; charset=utf-8"
            description = "Titles in capitals"
            options = (timeline.Option("mark", "end of each line", default="!"),)

            def write(self, tl, stream, options):
                for event in timeline.iter_events(tl):
                    when = timeline.human_date(event.start)
                    stream.write(f"{when}: {event.title.upper()}{options['mark']}\\n".encode())

        @timeline.hookimpl
        def timeline_exporters():
            return [ShoutExporter()]
    """,
}

BROKEN = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "timeline-broken"
        version = "0.0.1"

        [project.entry-points.timeline]
        broken = "timeline_broken"
    """,
    "timeline_broken.py": """
        raise ImportError("this plugin cannot be imported")
    """,
}


FUTURE = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "timeline-future"
        version = "3.0.0"

        [project.entry-points.timeline]
        future = "timeline_future"
    """,
    "timeline_future.py": """
        import timeline

        TIMELINE_PLUGIN_API = "2.0"

        @timeline.hookimpl
        def timeline_exporters():
            raise AssertionError("an incompatible plugin's hooks are never called")
    """,
}

#: A second package offering "shout": it sorts after timeline-shout, so it loses, with a warning.
SHOUTY = {
    "pyproject.toml": THIRD_PARTY["pyproject.toml"]
    .replace('name = "timeline-shout"', 'name = "timeline-shouty"')
    .replace('shout = "timeline_shout"', 'shouty = "timeline_shouty"'),
    "timeline_shouty.py": THIRD_PARTY["timeline_shout.py"].replace("Titles in capitals", "Another shout"),
}


def _write_package(base: Path, files: dict[str, str]) -> Path:
    base.mkdir(parents=True)
    for name, text in files.items():
        (base / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return timeline_wheel(tmp_path_factory)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> dict[str, Path]:
    """A fresh venv with the wheel and third-party plugins: a good one, a broken one, one needing a newer
    plugin API, and one clashing with the good one."""
    base = tmp_path_factory.mktemp("venv")
    venv.create(base / "venv", with_pip=True)
    python = base / "venv" / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel)], check=True)
    subprocess.run([*pip, str(_write_package(base / "shout", THIRD_PARTY))], check=True)
    subprocess.run([*pip, str(_write_package(base / "broken", BROKEN))], check=True)
    subprocess.run([*pip, str(_write_package(base / "future", FUTURE))], check=True)
    subprocess.run([*pip, str(_write_package(base / "shouty", SHOUTY))], check=True)
    outside = base / "elsewhere"
    outside.mkdir()
    return {"python": python, "bin": base / "venv" / "bin", "cwd": outside}


def run(env: dict[str, Path], *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TIMELINE_PLUGINS")}
    environ.update(extra_env)
    return subprocess.run(
        [str(env["bin"] / "timeline"), *args], capture_output=True, text=True, cwd=env["cwd"], env=environ
    )


def test_wheel_holds_no_generic_top_level_names(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"timeline"}
    assert "timeline/events/russia-dprk.yaml" in names
    assert "timeline/plugins/markdown.py" in names
    assert "timeline/py.typed" in names
    assert "timeline/testing/__init__.py" in names and "timeline/testing/corpus.py" in names
    templates = {n.rsplit("/", 1)[1] for n in names if n.startswith("timeline/scaffold/templates/")}
    assert templates == {"README.md.tmpl", "module.py.tmpl", "pyproject.toml.tmpl", "test_plugin.py.tmpl"}


def test_installed_cli_exports_the_bundled_sample_from_anywhere(env):
    result = run(env, "export", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "timeline: reading the bundled sample timeline" in result.stderr
    assert result.stdout.startswith("# Russia and North Korea")


def test_third_party_plugin_found_through_its_entry_point(env):
    result = run(env, "export", "-f", "shout", "-O", "mark=?")
    assert result.returncode == 0, result.stderr
    assert "6 July 1961: SOVIET–DPRK TREATY OF FRIENDSHIP" in result.stdout
    assert result.stdout.splitlines()[0].endswith("?")


def test_broken_plugin_is_isolated_and_reported(env):
    result = run(env, "export", "-f", "json")
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert "Traceback" not in result.stderr
    assert sorted(warnings) == [
        "timeline: warning: format 'shout' is provided by both plugin 'shout' (package timeline-shout) and "
        "plugin 'shouty' (package timeline-shouty); using the one from plugin 'shout' (package timeline-shout)",
        "timeline: warning: plugin 'broken' (package timeline-broken) could not be imported: "
        "ImportError: this plugin cannot be imported; skipped",
        "timeline: warning: plugin 'future' (package timeline-future) needs plugin API 2.0, but timeline "
        f"{timeline_version()} provides plugin API {PLUGIN_API_VERSION}; upgrade timeline-events; skipped",
    ]
    listing = json.loads(run(env, "plugins", "--json").stdout)
    by_name = {p["name"]: p for p in listing}
    assert by_name["broken"]["error"].startswith("could not be imported")
    assert by_name["shout"] == {
        "name": "shout",
        "package": "timeline-shout",
        "version": "1.2.3",
        "builtin": False,
        "hooks": ["timeline_exporters"],
        "exporters": ["shout"],
        "readers": [],
        "error": None,
        "api": None,
    }
    assert by_name["future"]["error"].startswith("needs plugin API 2.0") and by_name["future"]["api"] == "2.0"
    assert by_name["shouty"]["exporters"] == [] and by_name["shouty"]["error"] is None


def timeline_version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "timeline" / "_version.py").read_text(), namespace)
    return namespace["__version__"]


def test_third_party_cannot_replace_a_builtin_or_win_by_install_order(env):
    result = run(env, "export", "-f", "shout")
    assert result.returncode == 0 and "SOVIET–DPRK TREATY" in result.stdout
    listing = run(env, "plugins")
    assert "future (timeline-future 3.0.0)" in listing.stdout and "needs plugin API 2.0" in listing.stdout


def test_timeline_plugins_selects_third_party_plugins(env):
    only_shout = run(env, "formats", TIMELINE_PLUGINS="timeline-shout")
    assert "shout" in only_shout.stdout and "warning" not in only_shout.stderr
    builtins_only = run(env, "formats", TIMELINE_PLUGINS="")
    assert "shout" not in builtins_only.stdout and "markdown" in builtins_only.stdout


def test_python_api_from_the_installed_package(env):
    code = "import timeline; tl = timeline.sample(); print(len(tl), timeline.export(tl, 'json')[:1])"
    proc = subprocess.run([str(env["python"]), "-c", code], capture_output=True, text=True, cwd=env["cwd"])
    assert proc.returncode == 0, proc.stderr
    count, first = proc.stdout.split()
    assert int(count) >= 30 and first == "b'{'"


def test_wheel_holds_the_message_catalogues(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for code in ("de", "fr", "ja", "ko", "ru", "uk", "zh"):
        assert f"timeline/_l10n/{code}.po" in names
    assert "timeline/_l10n/messages.pot" in names


def test_without_the_locales_extra_english_works_and_other_languages_name_it(env):
    """Issue 15: Babel is the extra timeline-events[locales]; pendulum (durations) is always installed."""
    code = (
        "import timeline\n"
        "d = timeline.Date.parse\n"
        "print(timeline.human_date(d('2024-06'), locale='en-GB'))\n"
        "print(timeline.human_duration(d('1950-06'), d('1953-07')))\n"
        "try:\n"
        "    timeline.human_date(d('2024-06'), locale='ru')\n"
        "except timeline.UsageError as error:\n"
        "    print(error)\n"
    )
    proc = subprocess.run([str(env["python"]), "-c", code], capture_output=True, text=True, cwd=env["cwd"])
    assert proc.returncode == 0, proc.stderr
    english, duration, error = proc.stdout.splitlines()
    assert (english, duration) == ("June 2024", "3 years 1 month")
    assert "pip install 'timeline-events[locales]'" in error


def test_without_the_watch_extra_preview_watch_names_it(env, tmp_path):
    """Issue 16: watchfiles is the extra timeline-events[watch]; the plain preview needs nothing more."""
    result = run(env, "preview", "--watch", "--print-path")
    assert result.returncode == 2, result.stderr
    assert "pip install 'timeline-events[watch]'" in result.stderr and "Traceback" not in result.stderr
    plain = run(env, "preview", "--print-path", TMPDIR=str(tmp_path))
    assert plain.returncode == 0, plain.stderr
    assert Path(plain.stdout.strip()).parent == tmp_path


def test_without_the_pictures_extra_png_and_pdf_name_it(env, tmp_path):
    """Issue 16: resvg-py and fpdf2 are the extra timeline-events[pictures]; SVG needs neither."""
    for name in ("story.png", "story.pdf"):
        result = run(env, "export", "-o", str(tmp_path / name))
        assert result.returncode == 1, result.stderr
        assert 'pip install "timeline-events[pictures]"' in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / name).exists()
    svg = run(env, "export", "-o", str(tmp_path / "story.svg"))
    assert svg.returncode == 0, svg.stderr
