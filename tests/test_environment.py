"""The same timeline gives the same bytes whatever the machine says.

Every registered exporter is run through the real command in a subprocess
under different time zones (``TZ``), locales (``LC_ALL``, including Turkish,
whose upper case of "i" is not "I"), hash seeds (``PYTHONHASHSEED``) and
orders of the input files on the command line, in every ``--locale``; every run must give exactly
the bytes of the first (and of the sample read as one file).  ``SOURCE_DATE_EPOCH`` stands in for "now" where a
format needs one, and nothing else does.

Locales the machine lacks are skipped with a reason (``.ci/setup``
generates ``tr_TR.UTF-8`` and ``de_DE.UTF-8``).
"""

from __future__ import annotations

import itertools
import json
import locale
import os
import subprocess
import sys
from pathlib import Path

import pytest

import timeline
from timeline.locales import SUPPORTED_LOCALES
from timeline.registry import Registry

HANG_GUARD = 120

#: (TZ, LC_ALL, PYTHONHASHSEED): the first is the reference.
pytestmark = pytest.mark.slow  # a subprocess per environment

ENVIRONMENTS = [
    ("UTC", "C.UTF-8", "0"),
    ("Asia/Pyongyang", "tr_TR.UTF-8", "1"),
    ("America/St_Johns", "de_DE.UTF-8", "random"),
    ("Pacific/Kiritimati", "C", "4242"),
    ("Etc/GMT+12", "tr_TR.UTF-8", "random"),
]
#: Given to the runs after the reference: the sample has its own ``updated``,
#: so a format that read "now" anyway would show it as a difference.
EPOCHS = ["0", "1700000000", "4102444800", "86400"]

EXPORTERS = sorted(Registry(only=[]).exporters())


def _locale_available(name: str) -> bool:
    if name in ("C", "C.UTF-8", "POSIX"):
        return True
    try:
        previous = locale.setlocale(locale.LC_ALL)
        locale.setlocale(locale.LC_ALL, name)
    except locale.Error:
        return False
    locale.setlocale(locale.LC_ALL, previous)
    return True


@pytest.fixture(scope="module")
def split_sample(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The bundled sample as three files (YAML, TOML and JSON), each with a share of the events.

    Every file repeats the header, so the merged timeline is the same in any
    order (the header comes from the first file that sets each field).
    """
    import yaml

    folder = tmp_path_factory.mktemp("split")
    data = json.loads(timeline.export(timeline.sample(), "json"))
    header = {key: value for key, value in data.items() if key not in ("events", "eras")}
    events = data["events"]
    parts = [events[0::3], events[1::3], events[2::3]]
    yaml_path = folder / "a.yaml"
    yaml_path.write_text(
        yaml.safe_dump({**header, "eras": data.get("eras", []), "events": parts[0]}, allow_unicode=True),
        encoding="utf-8",
    )
    json_path = folder / "b.json"
    json_path.write_text(json.dumps({**header, "events": parts[1]}, ensure_ascii=False), encoding="utf-8")
    toml_path = folder / "c.toml"
    toml_path.write_text(_toml({**header, "events": parts[2]}), encoding="utf-8")
    merged = timeline.load([yaml_path, json_path, toml_path])
    assert merged == timeline.sample(), "the split files must hold the sample exactly"
    return [yaml_path, json_path, toml_path]


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def _toml(document: dict[str, object]) -> str:
    lines = [f"{key} = {_toml_value(value)}" for key, value in document.items() if key != "events"]
    for event in document["events"]:  # type: ignore[attr-defined]
        lines.append("\n[[events]]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in event.items())
    return "\n".join(lines) + "\n"


def _run(args: list[str], tz: str, lc_all: str, seed: str, **extra: str) -> bytes:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "TZ", "PYTHONHASHSEED", "SOURCE_DATE_EPOCH")
    }
    env.update(TZ=tz, LC_ALL=lc_all, LANG=lc_all, PYTHONHASHSEED=seed, TIMELINE_PLUGINS="", **extra)
    result = subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, env=env, timeout=HANG_GUARD
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def _environments() -> list[tuple[str, str, str]]:
    usable = [env for env in ENVIRONMENTS if _locale_available(env[1])]
    missing = sorted({env[1] for env in ENVIRONMENTS} - {env[1] for env in usable})
    if missing:
        # Still run with the others, but make the gap visible in the test report.
        print(f"locales not installed here, skipped: {', '.join(missing)}", file=sys.stderr)
    return usable


@pytest.mark.parametrize("name", sorted({env[1] for env in ENVIRONMENTS}))
def test_locale_is_available_in_ci(name):
    """In CI a missing locale is a failure (the checks below would silently shrink); elsewhere a skip."""
    if _locale_available(name):
        return
    message = f"{name} is not installed (run .ci/setup, which generates it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_the_exporters_are_the_built_in_ones():
    assert {"json", "markdown", "ical", "timelinejs", "timelinejs-html"} <= set(EXPORTERS)


@pytest.mark.parametrize("fmt", EXPORTERS)
def test_same_bytes_whatever_the_environment_and_file_order(split_sample, fmt):
    orders = itertools.cycle(itertools.permutations(split_sample))
    environments = _environments()
    reference_env, *others = environments
    reference = _run(["export", *map(str, split_sample), "-f", fmt], *reference_env)
    assert reference
    single = _run(["export", str(timeline.sample_path()), "-f", fmt], *reference_env)
    assert reference == single, "the split files give other output than the sample itself"
    for env, order, epoch in zip(others, orders, itertools.cycle(EPOCHS)):
        got = _run(["export", *map(str, order), "-f", fmt], *env, SOURCE_DATE_EPOCH=epoch)
        names = " ".join(path.name for path in order)
        assert got == reference, (
            f"{fmt} differs under TZ={env[0]} LC_ALL={env[1]} PYTHONHASHSEED={env[2]} "
            f"SOURCE_DATE_EPOCH={epoch}, files {names}"
        )


@pytest.mark.parametrize("code", [code for code in SUPPORTED_LOCALES if code != "en"])
@pytest.mark.parametrize("fmt", EXPORTERS)
def test_every_locale_gives_the_same_bytes_whatever_the_environment(fmt, code):
    """``--locale`` alone chooses the language: LANG, LC_ALL, TZ and the hash seed change nothing (issue 15)."""
    sample = str(timeline.sample_path())
    reference_env, *others = _environments()
    reference = _run(["export", sample, "-f", fmt, "--locale", code], *reference_env)
    assert reference
    for env, epoch in zip(others, itertools.cycle(EPOCHS)):
        got = _run(["export", sample, "-f", fmt, "--locale", code], *env, SOURCE_DATE_EPOCH=epoch)
        assert got == reference, (
            f"{fmt} in {code} differs under TZ={env[0]} LC_ALL={env[1]} PYTHONHASHSEED={env[2]} "
            f"SOURCE_DATE_EPOCH={epoch}"
        )


# --- SOURCE_DATE_EPOCH ---------------------------------------------------------------

ONGOING = """\
title: Ongoing
timezone: Asia/Pyongyang
events:
  - id: war
    title: War
    start: "2022-02-24"
    end: ..
"""


def test_source_date_epoch_stands_in_for_now(tmp_path):
    """iCalendar's ``ongoing=until_export`` ends an ongoing event on the export date: SOURCE_DATE_EPOCH's."""
    path = tmp_path / "ongoing.yaml"
    path.write_text(ONGOING, encoding="utf-8")
    args = ["export", str(path), "-f", "ical", "-O", "ongoing=until_export"]
    first = _run(args, *ENVIRONMENTS[0], SOURCE_DATE_EPOCH="1700000000")  # 2023-11-14T22:13:20Z
    assert b"DTEND;VALUE=DATE:20231115\r\n" in first
    for env in _environments()[1:3]:
        assert _run(args, *env, SOURCE_DATE_EPOCH="1700000000") == first
    later = _run(args, *ENVIRONMENTS[0], SOURCE_DATE_EPOCH="1732406400")  # 2024-11-24T00:00:00Z
    assert b"DTEND;VALUE=DATE:20241125\r\n" in later


def test_source_date_epoch_is_the_timestamp_only_when_the_data_has_none(tmp_path):
    path = tmp_path / "ongoing.yaml"
    path.write_text(ONGOING, encoding="utf-8")
    args = ["export", str(path), "-f", "ical"]
    stamped = _run(args, *ENVIRONMENTS[0], SOURCE_DATE_EPOCH="1700000000")
    assert b"DTSTAMP:20231114T221320Z\r\n" in stamped
    assert _run(args, *ENVIRONMENTS[1], SOURCE_DATE_EPOCH="1700000000") == stamped
    path.write_text('updated: "2024-12-05"\n' + ONGOING, encoding="utf-8")
    data_wins = {_run(args, *ENVIRONMENTS[0], SOURCE_DATE_EPOCH=epoch) for epoch in ("1700000000", "1732406400")}
    assert len(data_wins) == 1 and b"DTSTAMP:20241205T000000Z\r\n" in data_wins.pop()


# --- no clock, and no "as of" taken from a future event (issue 11 §5) -----------------

FUTURE = """\
id: future
title: Future
events:
  - id: war
    title: War
    start: "2022-02-24"
    end: ..
  - id: games
    title: Games
    start: "2044"
eras:
  - title: Now
    start: "2020"
    end: ..
"""


def _export_all(text: str, tmp_path: Path) -> dict[str, bytes]:
    import warnings

    path = tmp_path / "future.yaml"
    path.write_text(text, encoding="utf-8")
    story = timeline.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {fmt: timeline.export(story, fmt) or b"" for fmt in EXPORTERS}


def _unfolded(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "")


def test_a_future_event_dates_nothing_else(tmp_path, monkeypatch):
    """Without ``updated``, no exporter says the data is true "as of" a future event's date."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    got = _export_all(FUTURE, tmp_path)
    # the same timeline with the war closed: every "2044" there is the future event's own date
    closed = _export_all(FUTURE.replace("end: ..\n  - id: games", "end: \"2022-02-24\"\n  - id: games"), tmp_path)
    for fmt in EXPORTERS:
        assert got[fmt].count(b"2044") == closed[fmt].count(b"2044"), fmt
        assert b"as of" not in got[fmt], fmt
    calendar = got["ical"].decode("utf-8")
    assert calendar.count("DTSTAMP:19700101T000000Z\r\n") == 2 and calendar.count("DTSTAMP:") == 2
    assert "DESCRIPTION:24 February 2022 – ongoing\r\n" in calendar
    slides = {slide["unique_id"]: slide for slide in json.loads(got["timelinejs"])["events"]}
    assert "end_date" not in slides["war"]
    assert slides["war"]["start_date"] == {"year": 2022, "month": 2, "day": 24}
    assert slides["war"]["display_date"] == "24 February 2022 – ongoing"
    assert b"24 February 2022 \xe2\x80\x93 ongoing" in got["markdown"]


def test_a_year_beyond_9999_does_not_stamp_the_calendar(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    got = _export_all(FUTURE.replace('start: "2044"', "start: Y170000"), tmp_path)
    assert b"DTSTAMP:19700101T000000Z\r\n" in got["ical"] and b"9999" not in got["ical"]


def test_source_date_epoch_dates_ongoing_events_without_updated(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    got = _export_all(FUTURE, tmp_path)
    assert b"DTSTAMP:20231114T221320Z\r\n" in got["ical"]
    assert "24 February 2022 – ongoing as of 14 November 2023\\, 22:13:20 (UTC)" in _unfolded(got["ical"])
    war = json.loads(got["timelinejs"])["events"][0]
    assert war["end_date"] == {"year": 2023, "month": 11, "day": 14, "hour": 22, "minute": 13, "second": 20}


def test_updated_dates_ongoing_events(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # `updated` wins over it
    got = _export_all('updated: "2024-12-05"\n' + FUTURE, tmp_path)
    assert b"DTSTAMP:20241205T000000Z\r\n" in got["ical"] and b"20231114" not in got["ical"]
    assert "24 February 2022 – ongoing as of 5 December 2024\r\n" in _unfolded(got["ical"])
    war = json.loads(got["timelinejs"])["events"][0]
    assert war["end_date"] == {"year": 2024, "month": 12, "day": 5}


def test_until_export_without_a_date_keeps_the_marker(tmp_path, monkeypatch):
    """``ongoing=until_export`` never reads the clock: no SOURCE_DATE_EPOCH and no ``updated``, no stretch."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = tmp_path / "ongoing.yaml"
    path.write_text(ONGOING, encoding="utf-8")
    with pytest.warns(UserWarning, match="updated"):
        data = timeline.export(timeline.load(path), "ical", ongoing="until_export") or b""
    assert b"DTSTART;VALUE=DATE:20220224\r\nDTEND;VALUE=DATE:20220225\r\n" in data
    path.write_text('updated: "2024-12-05"\n' + ONGOING, encoding="utf-8")
    data = timeline.export(timeline.load(path), "ical", ongoing="until_export") or b""
    assert b"DTEND;VALUE=DATE:20241206\r\n" in data


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["ical", "timelinejs", "timelinejs-html"])
def test_one_warning_says_updated_would_date_ongoing_events(tmp_path, fmt):
    path = tmp_path / "future.yaml"
    path.write_text(FUTURE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "timeline", "export", str(path), "-f", fmt],
                            capture_output=True, env={**env, "TIMELINE_PLUGINS": ""}, timeout=HANG_GUARD)
    assert result.returncode == 0
    stderr = result.stderr.decode()
    assert stderr.count("timeline: warning:") == 1, stderr
    assert "`updated`" in stderr and "war" in stderr
    path.write_text('updated: "2024-12-05"\n' + FUTURE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "timeline", "export", str(path), "-f", fmt],
                            capture_output=True, env={**env, "TIMELINE_PLUGINS": ""}, timeout=HANG_GUARD)
    assert result.returncode == 0 and b"warning" not in result.stderr


def test_the_clock_is_never_read():
    """No module of the package or the built-in plugins asks the wall clock for the date."""
    import re

    root = Path(timeline.__file__).parent
    clock = re.compile(r"\b(?:datetime\.now|datetime\.today|date\.today|utcnow|time\.time|time\.localtime|"
                       r"time\.ctime|time\.strftime)\b|\btime\.gmtime\(\)")
    for path in [*root.glob("*.py"), *(root.parent / "plugins").glob("*.py")]:
        assert not clock.search(path.read_text(encoding="utf-8")), path


def test_export_date_is_deprecated_and_never_the_clock(monkeypatch):
    import warnings

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert timeline.export_date() == timeline.Date(1970, 1, 1, 0, 0, 0, offset=0)
    assert [w.category for w in caught] == [timeline.PluginDeprecationWarning]
    assert "source_date_epoch" in str(caught[0].message)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718755200")
    assert timeline.source_date_epoch() == timeline.Date(2024, 6, 19, 0, 0, 0, offset=0)
    assert timeline.as_of(timeline.sample()) == timeline.sample().updated
