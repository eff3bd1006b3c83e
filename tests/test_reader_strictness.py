"""Readers refuse what their parsers would silently change: duplicate keys,
YAML 1.1 numbers that look like something else, alias expansion past a bound.

Each refusal names the file and line (and the key), so the author can fix it.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from timeline.plugins import json_format, yaml_format

import timeline


def problems(text: str, fmt: str) -> list[timeline.Problem]:
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        timeline.load_bytes(text.encode(), name=f"t.{fmt}", input_format=fmt)
    return list(caught.value.problems)


def only(text: str, fmt: str) -> timeline.Problem:
    found = problems(text, fmt)
    assert len(found) == 1, found
    return found[0]


EVENT = {"id": "a", "title": "A", "start": "2024"}


# -- duplicate keys ---------------------------------------------------------------


def test_json_duplicate_events_list_is_refused_not_emptied():
    text = '{"title": "t",\n "events": [{"id": "a", "title": "A", "start": "2024"}],\n "events": []}'
    problem = only(text, "json")
    assert problem.line == 3
    assert "duplicate key 'events' (first at line 2)" in problem.message


def test_json_duplicate_key_inside_an_event_and_inside_extra():
    problem = only('{"title": "t", "events": [{"id": "a", "title": "A",\n"title": "B", "start": "2024"}]}', "json")
    assert (problem.line, "duplicate key 'title'" in problem.message) == (2, True)
    text = '{"title": "t", "events": [{"id": "a", "title": "A", "start": "2024",\n"extra": {"x": {"y": 1,\n"y": 2}}}]}'
    problem = only(text, "json")
    assert (problem.line, "duplicate key 'y' (first at line 2)" in problem.message) == (3, True)


def test_json_same_key_in_sibling_objects_and_braces_in_strings_are_fine():
    text = json.dumps({"title": 't {"title": 1, "title": 2} : [', "events": [EVENT, {**EVENT, "id": "b"}]})
    assert len(timeline.load_bytes(text.encode(), name="t.json", input_format="json").events) == 2


@given(st.dictionaries(st.text(max_size=5), st.integers(), min_size=1, max_size=6), st.data())
def test_json_any_repeated_key_is_found_with_its_line(mapping, data):
    key = data.draw(st.sampled_from(sorted(mapping)))
    body = ",\n".join(f"{json.dumps(k)}: {v}" for k, v in mapping.items())
    text = "{\n" + body + f",\n{json.dumps(key)}: 0\n}}"
    error = json_format._duplicate_key_error(text)
    assert f"duplicate key {key!r}" in error.message
    assert error.line == len(mapping) + 2


def test_yaml_duplicate_keys_are_refused_with_both_lines():
    problem = only("title: t\nevents:\n- id: a\n  title: A\n  start: '2024'\nevents: []\n", "yaml")
    assert problem.line == 6
    assert "invalid YAML: duplicate key 'events' (first at line 2)" in problem.message
    problem = only("title: t\nevents:\n- id: a\n  title: A\n  title: B\n  start: '2024'\n", "yaml")
    assert (problem.line, "duplicate key 'title' (first at line 4)" in problem.message) == (5, True)


def test_yaml_merge_keys_may_be_overridden():
    text = "title: t\nevents:\n- &e {id: a, title: A, start: '2024'}\n- <<: *e\n  id: b\n  title: B\n"
    story = timeline.load_bytes(text.encode(), name="t.yaml")
    assert [(e.id, e.title) for e in story.events] == [("a", "A"), ("b", "B")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title = "t"\n[[events]]\nid = "a"\ntitle = "A"\ntitle = "B"\nstart = "2024"\n',
         "key 'title' is given a value twice"),
        ('title = "t"\n[t]\nx = 1\n[t]\ny = 2\n', "table [t] is declared twice"),
        ('title = "t"\nx = {k = 1, k = 2}\n', "'k'"),
    ],
)
def test_toml_duplicates_name_the_key(text, message):
    problem = only(text, "toml")
    assert message in problem.message and problem.line is not None


# -- YAML 1.1 numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "meant"),
    [
        ("20:30", "a base-60 number", "1230"),
        ("02024", "an octal number", "1044"),
        ("0x7E8", "a hexadecimal number", "2024"),
        ("0b11111101000", "a binary number", "2024"),
        ("-20:30", "a base-60 number", "-1230"),
        ("1:30.5", "a base-60 number", "90.5"),
    ],
)
def test_yaml_numbers_that_write_another_date_are_refused(value, kind, meant):
    problem = only(f"title: t\nevents:\n- id: a\n  title: A\n  start: {value}\n", "yaml")
    assert problem.line == 5
    assert f"unquoted {value} is read by YAML 1.1 as {kind} ({meant})" in problem.message
    assert f'quote it ("{value}")' in problem.message


def test_yaml_hex_beyond_pythons_digit_limit_in_extra_is_refused_cleanly():
    text = "title: t\nevents:\n- id: a\n  title: A\n  start: '2024'\n  extra: {n: 0x" + "F" * 5000 + "}\n"
    problem = only(text, "yaml")
    assert "hexadecimal number: quote it" in problem.message and problem.line == 6


def test_yaml_decimal_numbers_still_load():
    text = "title: t\nevents:\n- id: a\n  title: A\n  start: 2024\n  extra: {n: 1_000, m: -5, z: 0, f: 1.5, g: +7}\n"
    story = timeline.load_bytes(text.encode(), name="t.yaml")
    assert story.events[0].extra == {"n": 1000, "m": -5, "z": 0, "f": 1.5, "g": 7}
    assert story.events[0].start.year == 2024


def test_yaml_unquoted_time_with_a_fraction_is_refused_not_cut():
    problem = only("title: t\ntimezone: UTC\nevents:\n- id: a\n  title: A\n  start: 2024-06-19 02:22:00.5\n", "yaml")
    assert problem.field == "start" and "fractions of a second" in problem.message


# -- aliases --------------------------------------------------------------------------


def test_one_anchor_reused_by_many_events_is_bounded_per_file():
    """Each event's extra stays under the per-event bound; the file as a whole does not."""
    shared = "[" + ", ".join(["1"] * 300) + "]"
    events = [f"- id: e0\n  title: A\n  start: '2024'\n  extra: {{k: &shared {shared}}}\n"]
    events += [f"- id: e{i}\n  title: A\n  start: '2024'\n  extra: {{k: *shared}}\n" for i in range(1, 1_000)]
    problem = only("title: t\nevents:\n" + "".join(events), "yaml")
    assert "YAML aliases here stand for more than 100,000 values beyond those written" in problem.message


def test_a_few_aliases_are_fine_and_a_cycle_is_refused():
    text = "title: t\nevents:\n- id: a\n  title: A\n  start: '2024'\n  tags: &t [x, y]\n"
    text += "- id: b\n  title: B\n  start: '2024'\n  tags: *t\n"
    assert [e.tags for e in timeline.load_bytes(text.encode(), name="t.yaml").events] == [("x", "y")] * 2
    assert "holds it" in only("title: t\nx: &a [1, *a]\nevents: []\n", "yaml").message


def test_expansion_walk_counts_shared_values_once():
    leaf = list(range(10))
    assert yaml_format._expansion_problem({"a": [leaf] * 100}) is None
    assert yaml_format._expansion_problem({"a": [[leaf] * 100] * 200}) is not None


# -- numbers no exporter could write ---------------------------------------------------


def test_toml_hex_integer_beyond_the_digit_limit_is_refused_at_load():
    """tomllib reads any hex integer; Python could not write it in decimal (the JSON export failed)."""
    text = 'title = "t"\n[[events]]\nid = "a"\ntitle = "A"\nstart = "2024"\nextra = {n = 0x' + "F" * 5000 + "}\n"
    problem = only(text, "toml")
    assert problem.event == "event 'a'" and problem.field == "extra.n"
    assert "numbers in extra may have at most" in problem.message


def test_big_but_writable_integers_in_extra_still_export():
    text = 'title = "t"\n[[events]]\nid = "a"\ntitle = "A"\nstart = "2024"\nextra = {n = 0x' + "F" * 1000 + "}\n"
    story = timeline.load_bytes(text.encode(), name="t.toml", input_format="toml")
    assert json.loads(timeline.export(story, "json"))["events"][0]["extra"]["n"] == int("F" * 1000, 16)


@pytest.mark.parametrize("field", ["tags", "related"])
def test_a_single_blank_string_is_not_a_list_of_one_item(field):
    """Found by the loader fuzz: `tags: ""` loaded as one blank tag, which the JSON export could not read back."""
    problem = only(json.dumps({"title": "t", "events": [{**EVENT, field: " "}]}), "json")
    assert problem.field == field and "non-empty text" in problem.message


# -- the direct build of anchor-free YAML ----------------------------------------

_yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
    st.dates(), st.sampled_from(["yes", "No", "~", "0x1F", "012", "1_000", "20:30", "1.5e3", "2024-06-19 10:00:00"]),
)
_yaml_documents = st.recursive(
    _yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_yaml_scalars, inner, max_size=4)),
    max_leaves=30,
)


def _both_ways(text: str) -> tuple[object, object]:
    """What the strict loader builds directly, and what PyYAML's own constructor builds (or the errors)."""
    import yaml

    results = []
    for direct in (True, False):
        loader = yaml_format._strict(getattr(yaml, "CSafeLoader", yaml.SafeLoader))(text)
        loader._tree_shaped = direct
        try:
            results.append(("ok", loader.get_single_data()))
        except Exception as exc:  # compared, not hidden
            results.append(("error", type(exc).__name__, str(exc)))
        finally:
            loader.dispose()
    return results[0], results[1]


@given(_yaml_documents, st.sampled_from([None, True]))
def test_yaml_direct_build_gives_what_pyyaml_constructs(data, flow):
    import yaml

    try:
        text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    except yaml.YAMLError:
        return
    direct, constructed = _both_ways(text)
    assert direct == constructed
    assert repr(direct) == repr(constructed)  # same types too (True is not 1, 1 is not 1.0)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: the strict constructor's message and line
        "a: 1\n1: x\ntrue: y\n1.0: z\n",  # equal keys written differently
        "base: {x: 1}\nother:\n  <<: {x: 2}\n  y: 3\n",  # merge key
        "=: 1\n",  # value key
        "? [a, b]\n: c\n",  # a key that is not a scalar
        "a: !!binary aGk=\n",
        "a: !!set {x, y}\n",
        "a: !!omap [{x: 1}]\n",
        "a: 0x1F\n",
        "a: 20:30\n",
        "a: 2024-13-45\n",
        "a: !custom x\n",
        "a: !!str [x]\n",
        "a:" + " [" * 150 + "]" * 150 + "\n",  # deeper than the direct build goes
        "events:\n- id: a\n  title: A\n  start: 2024-06-19\n",
    ],
)
def test_yaml_direct_build_falls_back_to_the_same_result_or_error(text):
    direct, constructed = _both_ways(text)
    assert direct == constructed
    assert repr(direct) == repr(constructed)


def test_yaml_direct_build_builds_the_sample():
    import yaml

    sample = timeline.sample_path().read_text(encoding="utf-8")
    assert "War & Security" in sample  # an "&" that is no anchor
    direct, constructed = _both_ways(sample)
    assert direct[0] == "ok"
    assert repr(direct) == repr(constructed)
    loader = yaml_format._strict(getattr(yaml, "CSafeLoader", yaml.SafeLoader))(sample)
    try:
        assert loader._tree_shaped
    finally:
        loader.dispose()


@pytest.mark.parametrize(
    ("text", "anchored"),
    [
        ("a: &x [1]\nb: *x\n", True),
        ("- &x 1\n- *x\n", True),
        ("[&x 1, *x]\n", True),
        ("{a: &x 1, b: *x}\n", True),
        ("&x\na: 1\n", True),
        ("a: War & Peace\nb: AT&T\nc: '&x'\n", False),  # text, not anchors
        ("a: War & Peace\nb: x &y\n", True),  # text, but it looks like one: the full constructor, to be safe
    ],
)
def test_yaml_direct_build_is_not_used_where_anchors_may_share_values(text, anchored):
    import yaml

    loader = yaml_format._strict(getattr(yaml, "CSafeLoader", yaml.SafeLoader))(text)
    try:
        assert loader._tree_shaped is not anchored
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if isinstance(data, dict) and "b" in data and data.get("a") == [1]:
        assert data["a"] is data["b"]  # the alias is the same object, as PyYAML builds it


@given(st.text(alphabet="&a -:?,[{}]\n\t\r\x85\u2028\u3000*", max_size=12))
def test_yaml_anchor_scan_finds_what_the_pattern_finds(text):
    import re

    expected = re.search(r"(?:^|[\s\[{,:?-])&\S", text, re.MULTILINE) is not None
    assert yaml_format._has_anchor(text) is expected


@given(st.one_of(st.text(max_size=12), st.sampled_from(
    ["", "~", "null", "Null", "yes", "No", "on", "OFF", "y", "0", "-1", "+1_000", "0x1F", "0o7", "0b1", "012",
     "1.5", ".5", "-.inf", ".NaN", "1e3", "1.5e3", "20:30", "190:20:30.15", "2024-06-19", "2024-06-19 10:00:00",
     "2024-6-9T1:2:3Z", "<<", "=", "a", "1961-07~"]
)))
def test_yaml_quicker_resolver_resolves_as_pyyaml_does(value):
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    strict = yaml_format._strict(base)
    assert strict.resolve is not base.resolve  # the quicker one is in use
    loader = strict("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            for implicit in ((True, False), (False, True), (False, False)):
                assert strict.resolve(loader, kind, value, implicit) == yaml.resolver.Resolver.resolve(
                    loader, kind, value, implicit
                ), (kind, value, implicit)
    finally:
        loader.dispose()
