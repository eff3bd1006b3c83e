"""Real calendar clients import every exported event: khal (PyPI) and calcurse (Debian).

These run external programs.  Locally a missing client skips the test; in CI
(``CI=true``) it fails, since ``.ci/setup`` installs both.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import textwrap
import warnings
from pathlib import Path

import attrs
import pytest

import timeline
from tests.ical_helpers import expected_dates, expected_summary, in_range, program
from timeline import Date, Event, Location, Source, Timeline

pytestmark = pytest.mark.slow


def _edge_timeline() -> Timeline:
    """Awkward text and dates that every client must still take."""
    nasty = [
        "semi;colon, comma\\backslash: colon",
        "line\r\nbreak\rand\nmore END:VCALENDAR",
        "x\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",
        "Корея и Россия, 조선민주주의인민공화국 😀 " * 3,
        "\\n is not a newline",
        "tab\there and bell\x07",
    ]
    events = [
        Event(id=f"text{i}", title=text, start=Date(2000 + i, 6, 19), description=text + "\n\n" + text,
              tags=(text, "tag"), location=Location(name=text, lat=39.0392, lon=125.7625),
              sources=(Source(title=text, url="https://example.org/a?b=c,d;e"),))
        for i, text in enumerate(nasty)
    ]
    events += [
        Event(id="year", title="A year", start=Date(1961)),
        Event(id="month", title="A month", start=Date(1961, 7)),
        Event(id="span", title="A span", start=Date(1950, 6, 25), end=Date(1953, 7, 27)),
        Event(id="old", title="Before 1902", start=Date(1850, 3, 1)),
        Event(id="late", title="After 2038", start=Date(2045, 1, 1)),
        Event(id="pyongyang", title="Pyongyang time", start=Date(2016, 5, 5, 12, 0, offset=510, zone="Asia/Pyongyang"),
              end=Date(2016, 5, 5, 13, 30, offset=510, zone="Asia/Pyongyang")),
        Event(id="instant", title="An instant", start=Date(1961, 7, 6, 10, 0, 30, offset=180)),
        Event(id="ongoing", title="Still going", start=Date(2022, 2, 24), ongoing=True),
        Event(id="bce", title="Out of range", start=Date(-43, 3, 15)),
    ]
    return Timeline(id="edge", title="Edge; cases, all", description="*Awkward* input.", events=events,
                    updated=Date(2024, 11, 1))


def _as_shown(tl: Timeline, locale: str) -> Timeline:
    """``tl`` with each event's title and description as an export in ``locale`` writes them."""
    shown = [attrs.evolve(e, title=timeline.translated(e, locale).title,
                          description=timeline.translated(e, locale).description) for e in tl.events]
    return attrs.evolve(tl, events=shown)


def _ongoing_words(path: Path) -> str:
    """What the export at ``path`` wrote after an ongoing event's title: its locale's " (ongoing)"."""
    locale = "ru" if "SUMMARY;LANGUAGE=ru" in path.read_text(encoding="utf-8") else "en"
    return timeline.message("calendar summary", "{title} (ongoing)", locale).split("{title}", 1)[1]


#: name -> (timeline, locale): the sample in Russian has SUMMARY;LANGUAGE=ru and DESCRIPTION;LANGUAGE=ru.
CASES = {"sample": (timeline.sample, "en"), "sample-ru": (timeline.sample, "ru"), "edge": (_edge_timeline, "en")}


@pytest.fixture(params=sorted(CASES))
def exported(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Timeline, Path]:
    make, locale = CASES[request.param]
    tl = make()
    path = tmp_path / "export.ics"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        timeline.export_with_report(tl, "ical", dest=path, locale=locale)
    if locale != "en":
        assert "SUMMARY;LANGUAGE=" in path.read_text(encoding="utf-8")
    return _as_shown(tl, locale), path


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KHAL"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               TZ="UTC", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return env


def _khal_config(tmp_path: Path, zone: str) -> tuple[Path, Path]:
    """A khal configuration with one calendar ('history') in a fresh vdir, dates in ISO form, in ``zone``."""
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(textwrap.dedent(f"""
        [calendars]
        [[history]]
        path = {vdir}
        type = calendar

        [locale]
        timeformat = %H:%M
        dateformat = %Y-%m-%d
        longdateformat = %Y-%m-%d
        datetimeformat = %Y-%m-%d %H:%M
        longdatetimeformat = %Y-%m-%d %H:%M
        default_timezone = {zone}
        local_timezone = {zone}

        [sqlite]
        path = {tmp_path / "khal.db"}
    """), encoding="utf-8")
    return vdir, config


def test_khal_imports_every_event(exported: tuple[Timeline, Path], tmp_path: Path) -> None:
    tl, path = exported
    khal = program("khal")
    vdir, config = _khal_config(tmp_path, "UTC")
    env = _env(tmp_path)
    base = [*khal, "-v", "WARNING", "-c", str(config)]
    result = subprocess.run([*base, "import", "--batch", "-a", "history", str(path)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == "", (result.stdout, result.stderr)
    wanted = [e for e in tl.events if in_range(e)]
    assert len(list(vdir.glob("*.ics"))) == len(wanted)
    days = [d if not isinstance(d, dt.datetime) else d.date() for e in wanted for d in expected_dates(e) if d]
    first, last = min(days), max(days)  # khal walks the range day by day: keep it tight
    result = subprocess.run([*base, "list", "--once", "--day-format", "", "--format", "{uid}\t{start}",
                             f"{first.year:04d}-{first:%m-%d}", f"{last.year:04d}-{last:%m-%d}"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
    listed = dict(line.split("\t", 1) for line in result.stdout.splitlines() if line.strip())
    assert set(listed) == {timeline.event_uid_text(tl.id, e.id) for e in wanted}
    for event in wanted:
        begin, _ = expected_dates(event)
        shown = listed[timeline.event_uid_text(tl.id, event.id)]
        if isinstance(begin, dt.datetime):
            assert shown == f"{begin.year}-{begin:%m-%d %H:%M}"
        else:
            assert shown == f"{begin.year}-{begin:%m-%d}"


_APPOINTMENT = re.compile(r"(\d\d)/(\d\d)/(\d{4}) @ (\d\d):(\d\d) -> .*? \|(.*)")
_EVENT = re.compile(r"(\d\d)/(\d\d)/(\d{4}) \[1\] (?:\{[^}]*\} )?(?:>[0-9a-f]+ )?(.*)")


def test_calcurse_imports_every_event(exported: tuple[Timeline, Path], tmp_path: Path) -> None:
    tl, path = exported
    calcurse = program("calcurse")
    data_dir = tmp_path / "calcurse"
    data_dir.mkdir()
    result = subprocess.run([*calcurse, "-D", str(data_dir), "-i", str(path)],
                            capture_output=True, text=True, env=_env(tmp_path), timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    wanted = [e for e in tl.events if in_range(e)]
    timed = [e for e in wanted if isinstance(expected_dates(e)[0], dt.datetime)]
    report = re.search(r"(\d+) apps / (\d+) events / (\d+) todos / (\d+) skipped", result.stdout)
    assert report is not None, result.stdout
    assert report.groups() == (str(len(timed)), str(len(wanted) - len(timed)), "0", "0"), result.stdout
    assert "warning" not in result.stdout.lower() and "fail" not in result.stdout.lower()
    stored = []
    for line in (data_dir / "apts").read_text(encoding="utf-8").splitlines():
        match = _APPOINTMENT.fullmatch(line)
        if match:
            month, day, year, hour, minute, title = match.groups()
            stored.append((title, dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                                              tzinfo=dt.timezone.utc)))
            continue
        match = _EVENT.fullmatch(line)
        assert match is not None, f"unexpected calcurse line {line!r}"
        month, day, year, title = match.groups()
        stored.append((title, dt.date(int(year), int(month), int(day))))
    expected = []
    for event in wanted:
        begin, _ = expected_dates(event)
        if isinstance(begin, dt.datetime):
            begin = begin.replace(second=0)  # calcurse keeps minutes
        expected.append((expected_summary(event, _ongoing_words(path)), begin))
    assert sorted(stored, key=repr) == sorted(expected, key=repr)


@pytest.mark.parametrize(
    ("zone", "local", "shown", "in_utc"),
    [
        ("Asia/Pyongyang", "2016-06-01T12:00", "06/01/2016 @ 12:00", "06/01/2016 @ 03:30"),  # UTC+8:30 then
        ("Europe/Moscow", "2012-07-01T12:00", "07/01/2012 @ 12:00", "07/01/2012 @ 08:00"),  # UTC+4 then
        ("Europe/Moscow", "1961-07-06T12:00", "07/06/1961 @ 12:00", "07/06/1961 @ 09:00"),
        ("America/New_York", "2045-07-01T12:00", "07/01/2045 @ 12:00", "07/01/2045 @ 16:00"),  # DST after 2038
    ],
)
def test_calcurse_shows_the_local_time_in_the_viewers_zone(tmp_path: Path, zone: str, local: str,
                                                            shown: str, in_utc: str) -> None:
    """We write UTC: a viewer in the event's zone sees the time as written, one in UTC the instant."""
    calcurse = program("calcurse")
    tl = Timeline(id="t", title="T", events=[Event(id="e", title="E", start=Date.parse(local).in_zone(zone))],
                  updated=Date(2024, 11, 1))
    path = tmp_path / "t.ics"
    timeline.export(tl, "ical", dest=path)
    for viewer, want in ((zone, shown), ("UTC", in_utc)):
        data_dir = tmp_path / viewer.replace("/", "-")
        data_dir.mkdir()
        env = {**_env(tmp_path), "TZ": viewer}
        result = subprocess.run([*calcurse, "-D", str(data_dir), "-i", str(path)],
                                capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
        stored = (data_dir / "apts").read_text(encoding="utf-8")
        # "<start> -> <end>", then ">hash" of the description (a note), then "|summary"
        assert re.fullmatch(rf"{re.escape(want)} -> {re.escape(want)}(?:>[0-9a-f]+)? \|E\n", stored), stored


# --- the reader, on files these programs write themselves ------------------------------------------

_FOREIGN = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//clients//EN
BEGIN:VEVENT
UID:day@test
DTSTART;VALUE=DATE:20240619
SUMMARY:Summit day
END:VEVENT
BEGIN:VEVENT
UID:landing@test
DTSTART:20240618T172200Z
DTEND:20240618T182200Z
SUMMARY:Putin lands
DESCRIPTION:On the tarmac
END:VEVENT
BEGIN:VEVENT
UID:weekly@test
DTSTART:20240101T010000Z
DTEND:20240101T020000Z
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Weekly call
END:VEVENT
END:VCALENDAR
"""


def _read_quietly(path: Path, **kwargs: object) -> Timeline:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return timeline.load(path, **kwargs)  # type: ignore[arg-type]


def _read_with_zone(path: Path, zone: str) -> Timeline:
    """Read with the reader option ``timezone`` (``-R timezone=...`` on the command line)."""
    return _read_quietly(path, reader_options={"timezone": zone})


def test_reader_reads_calcurse_export(tmp_path: Path) -> None:
    """calcurse stores what it imports, and ``--export`` writes it back: floating local times, no UIDs."""
    calcurse = program("calcurse")
    source = tmp_path / "in.ics"
    source.write_text(_FOREIGN.replace("\n", "\r\n"), encoding="utf-8")
    data_dir = tmp_path / "calcurse"
    env = {**_env(tmp_path), "TZ": "Asia/Seoul"}
    result = subprocess.run([*calcurse, "-D", str(data_dir), "-i", str(source)], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([*calcurse, "-D", str(data_dir), "--export"], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    exported = tmp_path / "calcurse-export.ics"
    exported.write_text(result.stdout, encoding="utf-8")
    assert "PRODID:-//calcurse//" in result.stdout and "UID:" not in result.stdout
    # floating times, and nothing says in which zone: refused, naming the events
    from timeline import InvalidTimelineError

    with pytest.raises(InvalidTimelineError) as caught:
        _read_quietly(exported)
    assert "'putin-lands'" in str(caught.value) and "timezone" in str(caught.value)
    tl = _read_with_zone(exported, "Asia/Seoul")
    by_title = {e.title: e for e in tl.events}
    assert set(by_title) == {"Summit day", "Putin lands", "Weekly call"}
    assert by_title["Summit day"].start == Date(2024, 6, 19)
    landing = by_title["Putin lands"]
    assert landing.start.zone == "Asia/Seoul" and landing.start.utc_fields() == (2024, 6, 18, 17, 22, 0)
    assert landing.end is not None and landing.end.utc_fields() == (2024, 6, 18, 18, 22, 0)
    assert landing.description == "On the tarmac"
    assert by_title["Weekly call"].start.utc_fields() == (2024, 1, 1, 1, 0, 0)  # the first occurrence


def test_reader_reads_khal_storage(tmp_path: Path) -> None:
    """khal writes one .ics per event into its vdir (with a VTIMEZONE for local times): read the folder."""
    khal = program("khal")
    vdir, config = _khal_config(tmp_path, "Europe/Moscow")
    env = _env(tmp_path)
    base = [*khal, "-v", "WARNING", "-c", str(config)]
    for args in (["new", "-a", "history", "2024-06-13", "11:00", "13:00", "Lavrov visits Pyongyang"],
                 ["new", "-a", "history", "1961-07-06", "Treaty signed"],
                 ["new", "-a", "history", "2024-06-19", "2024-06-21", "State visit"]):
        result = subprocess.run([*base, *args], capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
    source = tmp_path / "in.ics"
    source.write_text(_FOREIGN.replace("\n", "\r\n"), encoding="utf-8")
    result = subprocess.run([*base, "import", "--batch", "-a", "history", str(source)], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    files = sorted(vdir.glob("*.ics"))
    assert len(files) == 6
    assert any(b"BEGIN:VTIMEZONE" in f.read_bytes() for f in files)
    tl = _read_quietly(vdir)
    by_title = {e.title: e for e in tl.events}
    assert set(by_title) == {"Lavrov visits Pyongyang", "Treaty signed", "State visit", "Summit day", "Putin lands",
                             "Weekly call"}
    lavrov = by_title["Lavrov visits Pyongyang"]
    assert lavrov.start.zone == "Europe/Moscow" and lavrov.start.utc_fields() == (2024, 6, 13, 8, 0, 0)
    assert by_title["Treaty signed"].start == Date(1961, 7, 6)
    visit = by_title["State visit"]
    assert (visit.start, visit.end) == (Date(2024, 6, 19), Date(2024, 6, 21))
    assert by_title["Putin lands"].start.utc_fields() == (2024, 6, 18, 17, 22, 0)
