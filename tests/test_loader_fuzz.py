"""Fuzzing the loaders: whatever the document, only documented errors escape.

Three kinds of input: documents built from arbitrary JSON-like values (at
every field position of an otherwise valid event, in every format), raw
bytes for each reader, and arbitrary text in YAML and TOML syntax.  Loading
must either succeed, and then survive an export and read back unchanged, or
raise :class:`InvalidTimelineError` whose problems are one-line messages
with a file.  Any other exception is a bug.
"""

from __future__ import annotations

import json
import warnings

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline import InvalidTimelineError
from timeline._builder import EVENT_FIELDS, TIMELINE_FIELDS

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

#: Any JSON value, including what Python's json reads but JSON forbids (NaN, Infinity) and huge integers.
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.sampled_from([10**30, -(10**30), 1e308, -0.0, "", " ", "\u202e", "\x1b[31m", "..", "/", "2024-06-19/.."]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
VALID_EVENT = {
    "id": "treaty-1961",
    "title": "Treaty",
    "start": "1961-07-06",
    "end": "1961-07-11",
    "timezone": "Europe/Moscow",
    "order": 2,
    "description": "Signed in **Moscow**.",
    "tags": ["treaty"],
    "group": "Diplomacy",
    "location": {"name": "Moscow", "lat": 55.75, "lon": 37.62},
    "media": {"url": "https://example.org/a.jpg", "caption": "Signing", "credit": "Archive"},
    "sources": [{"title": "Text", "publisher": "Archive", "url": "https://example.org", "date": "1961-07-06"}],
    "related": ["other"],
    "extra": {"importance": 2},
    "translations": {"ru": {"title": "Договор", "description": "Подписан в **Москве**."}, "ko": {"title": "조약"}},
}
OTHER_EVENT = {"id": "other", "title": "Other", "start": "1962"}
#: Every position a value can take in an event: (field,) or (field, subfield) or (field, 0, subfield).
POSITIONS = [(field,) for field in EVENT_FIELDS] + [
    ("location", "name"), ("location", "lat"), ("location", "lon"),
    ("media", "url"), ("media", "caption"), ("media", "credit"),
    ("sources", 0, "title"), ("sources", 0, "publisher"), ("sources", 0, "url"), ("sources", 0, "date"),
    ("tags", 0), ("related", 0), ("extra", "importance"),
    ("translations", "ru"), ("translations", "ru", "title"), ("translations", "ru", "description"),
    ("translations", "ko", "titel"),
]
HEADER_POSITIONS = [field for field in TIMELINE_FIELDS if field != "events"]

fuzz = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_documented_errors(data: bytes, input_format: str) -> None:
    try:
        loaded = timeline.load_bytes(data, input_format=input_format)
    except InvalidTimelineError as exc:
        assert exc.problems, "an error without problems"
        for problem in exc.problems:
            assert problem.message and "\n" not in problem.message.strip()
            assert problem.file == "<stdin>"
            assert "\n" not in str(problem)
    else:
        # Whatever loads must export and read back to the same thing.
        again = timeline.load_bytes(timeline.export(loaded, "json"), input_format="json")
        assert again == loaded
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. TimelineJS's warning about a timeline with no events
            for fmt in ("markdown", "ical", "timelinejs"):
                assert timeline.export(loaded, fmt)
                assert timeline.export_with_report(loaded, fmt, locale="ru")[0]  # translations used


def _place(event: dict, position: tuple, value: object) -> dict:
    event = json.loads(json.dumps(event))  # a deep copy
    target = event
    for step in position[:-1]:
        target = target[step]
    target[position[-1]] = value
    return event


def _as_toml(document: dict) -> str | None:
    """``document`` as TOML text, or None when TOML cannot hold it (null, NaN inside arrays is fine)."""
    from test_environment import _toml  # the same small writer the environment tests use

    try:
        return _toml(document)
    except TypeError:
        return None


@fuzz
@given(DOCUMENTS)
def test_json_documents(document):
    only_documented_errors(json.dumps(document).encode(), "json")


@fuzz
@given(DOCUMENTS)
def test_yaml_documents(document):
    only_documented_errors(yaml.safe_dump(document, allow_unicode=True).encode(), "yaml")


@fuzz
@given(st.sampled_from(POSITIONS), JSON_VALUES, st.sampled_from(["json", "yaml"]))
def test_any_value_at_any_event_field(position, value, input_format):
    """A valid timeline with one arbitrary value in one place: loads or gives a clean problem."""
    document = {"title": "Fuzz", "events": [_place(VALID_EVENT, position, value), OTHER_EVENT]}
    if input_format == "json":
        data = json.dumps(document, ensure_ascii=False).encode()
    else:
        data = yaml.safe_dump(document, allow_unicode=True).encode()
    only_documented_errors(data, input_format)


@fuzz
@given(st.sampled_from(HEADER_POSITIONS), JSON_VALUES)
def test_any_value_at_any_header_field(field, value):
    document = {"title": "Fuzz", field: value, "events": [VALID_EVENT, OTHER_EVENT]}
    only_documented_errors(json.dumps(document).encode(), "json")


@fuzz
@given(st.sampled_from(POSITIONS), JSON_VALUES)
def test_any_value_at_any_event_field_in_toml(position, value):
    document = {"title": "Fuzz", "events": [_place(VALID_EVENT, position, value), OTHER_EVENT]}
    text = _as_toml(document)
    if text is not None:
        only_documented_errors(text.encode(), "toml")


@fuzz
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes(data):
    for input_format in ("json", "yaml", "toml"):
        only_documented_errors(data, input_format)


YAML_ALPHABET = st.sampled_from(list("{}[]:,-?&*!|>'\"#%@` \n\t") + ["title", "events", "id", "start", ": ", "- "])
TOML_ALPHABET = st.sampled_from(
    list("[]{}=,.\"'#\n ") + ["title", "events", "[[events]]", "id = ", '"a"', "1961-07-06"]
)


@fuzz
@given(st.lists(YAML_ALPHABET | st.text(max_size=3), max_size=60).map("".join))
def test_arbitrary_yaml_text(text):
    only_documented_errors(text.encode(), "yaml")


@fuzz
@given(st.lists(TOML_ALPHABET | st.text(max_size=3), max_size=60).map("".join))
def test_arbitrary_toml_text(text):
    only_documented_errors(text.encode(), "toml")


@fuzz
@given(st.binary(min_size=1, max_size=64), st.sampled_from(["json", "yaml", "toml"]), st.integers(0, 400))
def test_valid_file_with_bytes_spliced_in(junk, input_format, at):
    """Corruption in the middle of a real file: any byte, anywhere."""
    text = {
        "json": json.dumps({"title": "T", "events": [VALID_EVENT, OTHER_EVENT]}),
        "yaml": yaml.safe_dump({"title": "T", "events": [VALID_EVENT, OTHER_EVENT]}),
        "toml": _as_toml({"title": "T", "events": [VALID_EVENT, OTHER_EVENT]}) or "",
    }[input_format].encode()
    at = min(at, len(text))
    only_documented_errors(text[:at] + junk + text[at:], input_format)
