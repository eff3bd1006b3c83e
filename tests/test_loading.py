"""Loading files: readers, the schema, merging, and every kind of error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import timeline
from timeline import Date, InvalidTimelineError
from timeline.loading import find_default_input


def problems_of(path: Path | list[Path]) -> list[str]:
    with pytest.raises(InvalidTimelineError) as info:
        timeline.load(path)
    return [str(p) for p in info.value.problems]


def test_loads_yaml_and_resolves_local_time_in_timeline_zone(write, minimal_yaml):
    tl = timeline.load(write("t.yaml", minimal_yaml))
    assert [e.id for e in tl] == ["treaty-1961", "war", "summit"]
    summit = tl.get("summit")
    assert summit.start.zone == "Asia/Pyongyang" and summit.start.offset == 540
    war = tl.get("war")
    assert war.ongoing and war.end is None
    assert tl.updated == Date(2024, 11, 1)


def test_yaml_toml_json_give_the_same_timeline(write, minimal_yaml):
    from_yaml = timeline.load(write("t.yaml", minimal_yaml))
    as_json = timeline.export(from_yaml, "json")
    from_json = timeline.load(write("t.json", as_json.decode()))
    toml = write(
        "t.toml",
        """
        id = "demo"
        title = "Demo"
        timezone = "Asia/Pyongyang"
        updated = 2024-11-01

        [[events]]
        id = "treaty-1961"
        title = "Treaty signed"
        start = 1961-07-06
        tags = ["treaty"]
        group = "Diplomacy"
        sources = [{title = "Treaty text", url = "https://example.org/treaty"}]

        [[events]]
        id = "war"
        title = "War in Ukraine"
        start = "2022-02-24"
        end = ".."
        tags = ["war"]
        related = ["treaty-1961"]

        [[events]]
        id = "summit"
        title = "Summit"
        start = "2024-06-19T03:00"
        tags = ["summit"]
    """,
    )
    from_toml = timeline.load(toml)
    assert from_yaml == from_json == from_toml


def test_bare_yaml_dates_and_years_are_accepted(write):
    path = write(
        "t.yaml",
        """
        title: T
        events:
          - {id: a, title: A, start: 1961-07-06}
          - {id: b, title: B, start: 1961}
    """,
    )
    tl = timeline.load(path)
    assert tl.get("a").start == Date(1961, 7, 6)
    assert tl.get("b").start == Date(1961)
    assert tl.id == "t"  # from the file name when not given


def test_every_problem_reported_with_file_line_event_and_field(write):
    path = write(
        "bad.yaml",
        """
        title: Bad
        events:
          - id: a
            title: A
            start: "2024-02-30"
          - id: b
            title: B
            start: "2024-13"
            sorces: []
          - id: c
            title: C
            start: "2024-06-19"
            end: "2024-06-01"
          - id: d
            title: D
            start: "2024-06-19T10:00"
          - id: e
            title: E
            start: "2024"
            timezone: Mars/Olympus
            related: [zz]
          - id: Bad Id
            title: F
            start: "2024"
          - id: g
            start: "2024"
            tags: 5
          - id: h
            title: H
            start: "2024"
            media: {url: "javascript:alert(1)"}
            sources: [{title: S, url: "ftp://x"}]
            location: {name: X, lat: 91, lon: 0}
    """,
    )
    problems = problems_of(path)
    text = "\n".join(problems)
    assert f"{path}:5: event 'a', field 'start': '2024-02-30' is not a valid date" in text
    assert "February 2024 has 29 days" in text
    assert "event 'b', field 'start': '2024-13' is not a valid date" in text
    assert "unknown field 'sorces' (did you mean 'sources'?)" in text
    assert f"{path}:13: event 'c', field 'end': ends (2024-06-01) before it starts (2024-06-19)" in text
    assert "event 'd', field 'start'" in text and "no zone" in text
    assert "event 'e', field 'timezone'" in text and "Mars/Olympus" in text
    assert "event 'e', field 'related[0]': no event has the id 'zz'" in text  # e failed, its link is checked
    assert "'Bad Id' is not a valid id" in text and "'bad-id'" in text
    assert "event 'g', field 'title': is required" in text
    assert "event 'g', field 'tags': expected a list of text, got a number" in text
    assert "event 'h', field 'media.url'" in text and "not an http(s) URL" in text
    assert "event 'h', field 'sources[0].url'" in text
    assert "event 'h', field 'location.lat'" in text
    assert len(problems) >= 12


def test_duplicate_ids_across_files_and_dangling_related(write):
    one = write(
        "one.yaml",
        """
        title: One
        events:
          - {id: a, title: A, start: "2000"}
    """,
    )
    two = write(
        "two.yaml",
        """
        events:
          - {id: a, title: A again, start: "2001"}
          - {id: b, title: B, start: "2001", related: [a, missing]}
    """,
    )
    text = "\n".join(problems_of([one, two]))
    assert f"{two}:2: event 'a', field 'id': duplicate id: 'a' is already used ({one}:3)" in text
    assert "field 'related[1]': no event has the id 'missing'" in text


def test_merge_takes_header_from_first_file_and_latest_updated(write):
    one = write(
        "one.yaml",
        """
        id: merged
        title: First
        updated: "2020-01-01"
        timezone: Europe/Moscow
        events: [{id: a, title: A, start: "2000-01-01T12:00"}]
    """,
    )
    two = write(
        "two.yaml",
        """
        title: Second
        updated: "2021-05-01"
        events: [{id: b, title: B, start: "1999-01-01T12:00"}]
    """,
    )
    tl = timeline.load([one, two])
    assert (tl.id, tl.title, tl.updated) == ("merged", "First", Date(2021, 5, 1))
    assert [e.id for e in tl] == ["b", "a"]
    assert tl.get("b").start.zone == "Europe/Moscow"  # zone of the run carries to later files


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.yaml", b"title: [unclosed\nevents: []\n", "invalid YAML"),
        ("x.json", b'{"title": "x",\n "events": [}\n', "x.json:2: invalid JSON"),
        ("x.toml", b'title = "x"\nevents = [\n', "invalid TOML"),
        ("x.yaml", b"", "the file is empty"),
        ("x.yaml", b"- just\n- a list\n", "the file is a list"),
        ("x.yaml", "title: x\n".encode("utf-16"), "UTF-16"),
        ("x.yaml", b"title: \xff\xfe bad\n", "not valid UTF-8"),
        ("x.json", b'{"title": "a\x00"}', "NUL"),
        ("x.yaml", b"title: x\n", "'events': is missing"),
        ("x.xlsx", b"a,b\n", "cannot tell the input format"),  # .csv is the TimelineJS sheet
    ],
)
def test_file_level_errors(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    text = "\n".join(problems_of(path))
    assert str(path) in text
    assert expected in text


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"title": "B", "events": []}).encode())
    assert timeline.load(path).title == "B"


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in "\n".join(problems_of(tmp_path / "nope.yaml"))
    (tmp_path / "empty").mkdir()
    assert "holds no timeline files" in "\n".join(problems_of(tmp_path / "empty"))


def test_folder_of_files_is_read_in_name_order(write, tmp_path):
    write("events/b.yaml", "events: [{id: b, title: B, start: '2001'}]\n")
    write("events/a.yaml", "title: From A\nevents: [{id: a, title: A, start: '2002'}]\n")
    write("events/notes.txt", "ignored")
    tl = timeline.load(tmp_path / "events")
    assert tl.title == "From A"
    assert [e.id for e in tl] == ["b", "a"]


def test_default_input_prefers_local_files(tmp_path, write):
    assert find_default_input(tmp_path)[1] == "the bundled sample timeline"
    write("events/x.yaml", "events: []\n")
    assert find_default_input(tmp_path)[0] == [tmp_path / "events"]
    write("timeline.toml", "events = []\n")
    assert find_default_input(tmp_path)[0] == [tmp_path / "timeline.toml"]


def test_load_bytes_reads_stdin_style_input():
    tl = timeline.load_bytes(
        b'{"title": "S", "events": [{"id": "a", "title": "A", "start": "1961"}]}', input_format="json"
    )
    assert tl.get("a").start == Date(1961)


def test_validate_checks_hand_built_timelines():
    event = timeline.Event(id="a", title="A", start=Date(2000), end=Date(1999), related=("b",))
    with pytest.raises(InvalidTimelineError) as info:
        timeline.validate(timeline.Timeline(id="t", title="T", events=[event, event]))
    text = str(info.value)
    assert "duplicate id" in text and "before it starts" in text and "'b'" in text
    assert isinstance(info.value, ValueError)


def test_json_keeps_instants_resolved_in_another_files_zone(write):
    """Regression: dates resolved in a later file's own zone must keep their instant."""
    one = write("one.yaml", "title: A\ntimezone: Europe/Moscow\nevents: [{id: a, title: A, start: '2000'}]\n")
    two = write("two.yaml", """
        timezone: Asia/Pyongyang
        updated: "2024-01-01T12:00"
        eras: [{title: E, start: "2001-01-01T09:00", end: "2002"}]
        events:
          - id: b
            title: B
            start: "2001-01-01T09:00"
            sources: [{title: S, date: "2001-01-02T10:00"}]
    """)
    tl = timeline.load([one, two])
    again = timeline.load_bytes(timeline.export(tl, "json"), input_format="json")
    assert again.updated.utc_fields() == tl.updated.utc_fields()
    assert again.eras[0].start.utc_fields() == tl.eras[0].start.utc_fields()
    assert again.get("b").start.utc_fields() == tl.get("b").start.utc_fields()
    assert again.get("b").sources[0].date.utc_fields() == tl.get("b").sources[0].date.utc_fields()
    assert timeline.export(again, "json") == timeline.export(tl, "json")


def test_a_missing_folder_is_not_a_file_of_unknown_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert problems_of(["events/"]) == ["events/: no such file or folder"]  # as typed, without an extension


def test_the_same_file_given_twice_is_read_once(write, minimal_yaml, tmp_path):
    path = write("a.yaml", minimal_yaml)
    (tmp_path / "link.yaml").symlink_to(path)
    once = timeline.load(path)
    for other in (path, tmp_path / "." / "a.yaml", tmp_path / "link.yaml"):
        with pytest.warns(UserWarning, match="read once"):
            assert timeline.load([path, other]) == once


def test_an_interval_the_wrong_way_round_is_reported_on_start(write):
    path = write("t.yaml", 'title: T\nevents:\n  - id: a\n    title: A\n    start: "2024-06-20/2024-06-19"\n')
    assert problems_of(path) == [
        f"{path}:5: event 'a', field 'start': the interval ends (2024-06-19) before it starts (2024-06-20)"
    ]
