"""Issue 12 §2: a timeline built in code that passes ``validate()`` is written by every
built-in exporter, and its canonical JSON loads back equal.

The strategies build model objects directly, with values that are mostly
sound and now and then not (bad ids, local times, control characters, lone
surrogates, empty sources, unsafe URLs, out-of-range numbers): whatever
``validate`` lets through must export.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import dates, spans

import timeline
from timeline import Event, Location, Media, Source, Timeline

EXPORTERS = ("markdown", "json", "ical", "timelinejs", "timelinejs-html")

def _sometimes(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly ``good``, now and then ``bad``."""
    return st.tuples(st.integers(0, 15), good, bad).map(lambda t: t[2] if t[0] == 0 else t[1])


_slugs = st.from_regex(r"[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?", fullmatch=True)
_ids = _sometimes(_slugs, st.sampled_from(["Bad Id", "../../x", "", "a b"]))
_text = _sometimes(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=12).filter(
        lambda t: t.strip() != ""
    ),
    st.sampled_from(["\x1b[2J", "\ud800", "   ", "x\x85y", "a\u2028b"]),
)
_maybe_text = st.one_of(st.none(), _text)
_urls = _sometimes(
    st.sampled_from(["https://example.org/a", "http://example.org/b?q=1#f", "https://ü.example/p q"]),
    st.sampled_from(["javascript:alert(1)", "ftp://x", ""]),
)
_zones = _sometimes(st.sampled_from([None, None, "Asia/Pyongyang", "Europe/Moscow", "UTC"]), st.just("Mars/Base"))
_extra = st.dictionaries(
    _text,
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False), _text),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
        max_leaves=6,
    ),
    max_size=3,
)
_numbers = _sometimes(st.one_of(st.none(), st.floats(-90, 90), st.integers(-90, 90)), st.floats(-200, 200))


@st.composite
def _sources(draw: st.DrawFn) -> Source:
    return Source(
        title=draw(_maybe_text),
        publisher=draw(_maybe_text),
        url=draw(st.one_of(st.none(), _urls)),
        date=draw(st.one_of(st.none(), _sometimes(dates(local_times=False), dates()))),
    )


@st.composite
def _events(draw: st.DrawFn) -> Event:
    start, end, ongoing = draw(spans())
    if draw(st.integers(0, 19)) == 0:
        start = draw(dates())  # perhaps a local time
    zone = draw(_zones)
    return Event(
        id=draw(_ids),
        title=draw(_text),
        start=start,
        end=end,
        ongoing=ongoing,
        timezone=zone,
        description=draw(st.one_of(st.just(""), _text)),
        tags=draw(st.lists(_text, max_size=3)),
        group=draw(_maybe_text),
        location=draw(st.one_of(st.none(), st.builds(Location, _maybe_text, _numbers, _numbers))),  # pairs: sometimes
        media=draw(st.one_of(st.none(), st.builds(Media, _urls, _maybe_text, _maybe_text))),
        sources=draw(st.lists(_sources(), max_size=2)),
        related=draw(st.lists(_ids, max_size=2)),
        extra=draw(st.one_of(st.just({}), _extra)),
        order=draw(_sometimes(st.integers(-1000, 1000), st.integers(-2000, 2000))),
    )


@st.composite
def _timelines(draw: st.DrawFn) -> Timeline:
    return Timeline(
        id=draw(_ids),
        title=draw(_text),
        events=draw(st.lists(_events(), max_size=4, unique_by=lambda e: e.id)),
        timezone=draw(_zones),
        description=draw(st.one_of(st.just(""), _text)),
        updated=draw(st.one_of(st.none(), dates(local_times=False))),
    )


def _valid(tl: Timeline) -> bool:
    try:
        timeline.validate(tl)
    except timeline.InvalidTimelineError:
        return False
    return True


@pytest.mark.slow
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_timelines())
def test_what_validate_accepts_every_exporter_writes_and_json_reads_back(tl):
    if not _valid(tl):
        event("refused by validate")
        return
    event("accepted by validate")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        written = {name: timeline.export(tl, name) for name in EXPORTERS}
    assert all(isinstance(data, bytes) and data for data in written.values())
    back = timeline.load_bytes(written["json"], input_format="json")
    assert back == tl
