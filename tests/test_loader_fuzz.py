"""Fuzzing the loaders: whatever the document, only documented errors escape."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline import InvalidTimelineError
from timeline.schema import EVENT_FIELDS, TIMELINE_FIELDS

KEYS = st.sampled_from([*EVENT_FIELDS, *TIMELINE_FIELDS, "lat", "lon", "name", "url", "sorces", "x"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["1961", "1961-07-06", "2024-02-30", "..", "2024-06-19T03:00", "Asia/Pyongyang",
                     "https://example.org", "javascript:x", "a", "1950/1953", "-0043~"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
                      max_leaves=30)
EVENTS = st.lists(st.dictionaries(KEYS, VALUES, max_size=8), max_size=5)
DOCUMENTS = st.one_of(
    VALUES,
    st.fixed_dictionaries({"title": VALUES, "events": EVENTS}, optional={"timezone": VALUES, "eras": VALUES}),
)

fuzz = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_documented_errors(data: bytes, input_format: str) -> None:
    try:
        loaded = timeline.load_bytes(data, input_format=input_format)
    except InvalidTimelineError as exc:
        assert exc.problems, "an error without problems"
        for problem in exc.problems:
            assert problem.message and "\n" not in problem.message.strip()
    else:
        # Whatever loads must export and read back to the same thing.
        again = timeline.load_bytes(timeline.export(loaded, "json"), input_format="json")
        assert again == loaded


@fuzz
@given(DOCUMENTS)
def test_json_documents(document):
    only_documented_errors(json.dumps(document).encode(), "json")


@fuzz
@given(DOCUMENTS)
def test_yaml_documents(document):
    only_documented_errors(yaml.safe_dump(document, allow_unicode=True).encode(), "yaml")


@fuzz
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes(data):
    for input_format in ("json", "yaml", "toml"):
        only_documented_errors(data, input_format)
