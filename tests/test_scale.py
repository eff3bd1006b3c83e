"""Big timelines: the generator, the loader's fast path, memory that grows linearly.

Nothing here is timed: speed is measured by ``python -m benchmarks.run``
(figures in docs/performance.md).  What is checked is what must hold at any
size: generated files are valid in every format, the fast path builds
exactly what the careful path builds, raw data is released as the model is
built, repeated values are shared, and memory per event stays constant.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from benchmarks import generate
from timeline._builder import ID_PATTERN, _build_event, _Context, build_file, check_zone
from timeline.fastpath import FastBuilder
from timeline.protocols import Document


def fast_builder() -> FastBuilder:
    return FastBuilder(ID_PATTERN.fullmatch, check_zone)


# --- the generator ------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(generate.FORMATS))
def test_generated_files_are_valid_and_say_the_same(tmp_path: Path, fmt: str) -> None:
    reference = timeline.load(generate.write(tmp_path / "ref.json", 400))
    loaded = timeline.load(generate.write(tmp_path / f"bench.{fmt}", 400))
    assert len(loaded) == 400 and len(loaded.eras) == 2
    assert loaded == reference


def test_generator_is_deterministic_and_sizes_are_prefixes(tmp_path: Path) -> None:
    first = generate.write(tmp_path / "a.json", 300).read_bytes()
    again = generate.write(tmp_path / "b.json", 300).read_bytes()
    assert first == again
    small = list(generate.events(100))
    assert small == list(generate.events(300))[:100]
    assert small != list(generate.events(100, seed=7))


def test_generator_covers_the_shapes_the_benchmark_claims(tmp_path: Path) -> None:
    tl = timeline.load(generate.write(tmp_path / "b.json", 600))
    events = list(tl)
    precisions = {e.start.precision.name for e in events}
    assert precisions == {"YEAR", "MONTH", "DAY", "MINUTE", "SECOND"}
    assert any(e.ongoing for e in events) and any(e.end is not None for e in events)
    assert any(e.start.approximate for e in events) and any(e.start.uncertain for e in events)
    assert any(e.timezone for e in events) and any(e.start.zone == "Asia/Pyongyang" for e in events)
    assert all(e.sources for e in events) and any(e.media for e in events) and any(e.related for e in events)
    assert any(e.location and e.location.has_coordinates for e in events) and any(e.extra for e in events)
    lengths = [len(e.description) for e in events]
    assert 180 <= sum(lengths) / len(lengths) <= 260
    assert any("\uac00" <= ch <= "\ud7a3" for ch in events[0].description + events[1].description)  # Hangul
    assert any("\u0400" <= ch <= "\u04ff" for ch in events[0].description + events[1].description)  # Cyrillic


@pytest.mark.parametrize(("text", "count"), [("1k", 1000), ("10k", 10_000), ("1M", 1_000_000), ("2_500", 2500)])
def test_sizes_parse(text: str, count: int) -> None:
    assert generate.parse_size(text) == count


# --- the fast path agrees with the careful path ---------------------------------

_POOLS: dict[str, list[Any]] = {
    "id": ["a", "e-1", "x.y_z", "Bad Id", "", 5, None],
    "title": ["T", "Тест", "  ", "", 3, None],
    "start": [
        "1961", "1961-07", "1961-07-06", "1961~", "1961-07?", "1961%", "2024-06-19T03:00", "2016-08-15T09:00",
        "2024-06-19T03:00:05+09:00", "2024-06-19T03:00Z", "1961/1962-05", "2022-02-24/..", "1961-02-30", "",
        " 1961 ", "1961/", 1961, None, "2024-03-31T02:30",
    ],
    "end": ["..", " .. ", "1962", "1960", "2024-06-19T04:00", "bad", 5, None],
    "timezone": ["Asia/Pyongyang", "Europe/Moscow", "UTC", "Mars/Base", "", 3, None],
    "description": ["", "x **y**", None, 1],
    "tags": [["a"], "a", "  ", [""], ["a", 1], [], None, 7],
    "group": ["G", "", None, 1],
    "location": [
        "Moscow", {"name": "M", "lat": 1, "lon": 2.5}, {"lat": 1.0}, {"name": 1}, {"x": 1},
        {"lat": True, "lon": 1}, {}, None, 5,
    ],
    "media": [
        "https://x.org/a.jpg", {"url": "https://x.org", "caption": "c"}, {"url": ""}, {"caption": "c"},
        {"url": "u", "credit": 1}, None,
    ],
    "sources": [
        ["T"], [""], [{"title": "t", "url": "https://x.org"}], [{"publisher": "p"}], [{"title": None}],
        [{"url": 1}], [{"title": "t", "date": "2024-06-19T03:00"}], [{"title": "t", "date": "1961-02-30"}],
        [{"title": "t", "oops": 1}], "x", None,
    ],
    "related": [["a"], "a", [1], [""], None],
    "extra": [{"a": 1}, {"a": [1, {"b": None}], "c": 1.5}, {1: 2}, {"a": float("nan")}, {}, [], None],
    "translations": [
        {"ru": {"title": "Т"}}, {"ru": {"title": "Т", "description": "**о**"}, "ko": {"description": "설명"}},
        {"RU": {"title": "x"}}, {"kr": {"title": "x"}}, {"ru": {}}, {"ru": {"title": ""}}, {"ru": {"titel": "x"}},
        {"ru": "x"}, {"ru": {"title": "a\x07"}}, {"ru": {"title": None, "description": None}}, {}, [], None,
    ],
    "tgas": ["x"],
}

raw_events = st.fixed_dictionaries(
    {},
    optional={key: st.sampled_from(values) for key, values in _POOLS.items()},
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=raw_events, zone=st.sampled_from([None, "Asia/Pyongyang", "Europe/Moscow"]))
def test_fast_path_builds_what_the_careful_path_builds(raw: dict[str, Any], zone: str | None) -> None:
    fast = fast_builder().event(raw, zone)
    ctx = _Context(Document(raw), "x.json")
    careful = _build_event(ctx, raw, 0, zone)
    if fast is not None:
        assert ctx.problems == []
        assert careful == fast


def test_fast_path_takes_the_generated_events() -> None:
    builder = fast_builder()
    raws = list(generate.events(500))
    built = [builder.event(raw, "Asia/Pyongyang") for raw in raws]
    assert all(event is not None for event in built)
    for raw, event in zip(raws, built, strict=True):
        ctx = _Context(Document(raw), "x.json")
        assert _build_event(ctx, raw, 0, "Asia/Pyongyang") == event


# --- memory -------------------------------------------------------------------------


def _document(count: int) -> Document:
    data = generate.header(count)
    data["events"] = list(generate.events(count))
    return Document(json.loads(json.dumps(data)))  # fresh objects, as a reader returns them


def test_consume_releases_raw_events_as_they_are_built() -> None:
    kept = _document(50)
    build_file(kept, "x.json")
    assert all(isinstance(raw, dict) for raw in kept.content["events"])
    consumed = _document(50)
    part = build_file(consumed, "x.json", consume=True)
    assert len(part.events) == 50 and list(part.indexes) == list(range(50))
    assert consumed.content["events"] == [None] * 50


def test_repeated_values_are_shared() -> None:
    raw = {"id": "a", "title": "A", "start": "1961-07-06", "tags": ["treaty"], "group": "Diplomacy",
           "location": {"name": "Moscow", "lat": 55.75, "lon": 37.61},
           "sources": [{"title": "S", "publisher": "TASS"}]}
    events = [dict(json.loads(json.dumps(raw)), id=f"e{i}") for i in range(3)]
    part = build_file(Document({"events": events}), "x.json")
    first, second, third = part.events
    assert first.start is second.start is third.start
    assert first.tags is second.tags and first.location is second.location
    assert first.group is second.group and first.sources[0].publisher is third.sources[0].publisher
    assert first.extra is second.extra  # the one shared empty mapping


def test_problems_still_name_the_line_after_a_consuming_load(write) -> None:
    path = write(
        "t.yaml",
        """
        events:
          - id: a
            title: A
            start: "1961"
          - id: b
            title: B
            start: "1962"
            related: [nobody]
        """,
    )
    with pytest.raises(timeline.InvalidTimelineError) as info:
        timeline.load(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and problem.line == 8 and problem.field == "related[0]"


def test_the_collector_is_back_on_after_loading(tmp_path: Path) -> None:
    assert gc.isenabled()
    timeline.load(generate.write(tmp_path / "a.json", 20))
    assert gc.isenabled()
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(timeline.InvalidTimelineError):
        timeline.load(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        timeline.load(generate.write(tmp_path / "b.json", 20))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def _memory_per_event(path: Path, count: int) -> tuple[float, float]:
    """(peak while loading, retained by the timeline), in bytes per event."""
    gc.collect()
    tracemalloc.start()
    try:
        loaded = timeline.load(path)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(loaded) == count
    return peak / count, current / count


def test_memory_per_event_stays_constant(tmp_path: Path) -> None:
    small = generate.write(tmp_path / "small.json", 1500)
    big = generate.write(tmp_path / "big.json", 6000)
    _memory_per_event(small, 1500)  # warm caches and imports, so both runs start alike
    small_peak, small_kept = _memory_per_event(small, 1500)
    big_peak, big_kept = _memory_per_event(big, 6000)
    assert big_peak <= small_peak * 1.25, (small_peak, big_peak)
    assert big_kept <= small_kept * 1.25, (small_kept, big_kept)
    # The model (slotted objects, shared values) is lighter than the parsed JSON it replaces.
    tracemalloc.start()
    try:
        raw = json.loads(big.read_text(encoding="utf-8"))
        parsed, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(raw["events"]) == 6000
    assert big_kept < parsed / 6000 * 0.8, (big_kept, parsed / 6000)


# --- the JSON exporter's indenter -------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, indent=st.integers(min_value=1, max_value=8))
def test_json_indenter_writes_what_json_dumps_writes(value: Any, indent: int) -> None:
    from timeline.plugins.json_format import indented_json

    assert indented_json(value, " " * indent) == json.dumps(value, ensure_ascii=False, indent=indent)
