"""Exporter options: declared, typed and checked before anything is written."""

from __future__ import annotations

import pytest

from timeline import Option, OptionError
from timeline.options import parse_option_assignments, resolve_options

DECLARED = (
    Option("count", "how many", type="int", default=3, minimum=1, maximum=10),
    Option("ratio", "a share", type="float", default=0.5),
    Option("loud", "shout", type="bool", default=False),
    Option("mode", "which", default="a", choices=("a", "b")),
)


def test_defaults_and_conversion_from_cli_text():
    given = parse_option_assignments(["count=7", "ratio=2", "loud", "mode=b"])
    assert resolve_options(DECLARED, given, exporter="x") == {"count": 7, "ratio": 2.0, "loud": True, "mode": "b"}
    assert resolve_options(DECLARED, {}, exporter="x") == {"count": 3, "ratio": 0.5, "loud": False, "mode": "a"}


def test_hyphens_are_accepted_for_underscores():
    opts = (Option("heading_level", "h", type="int", default=1),)
    assert resolve_options(opts, parse_option_assignments(["heading-level=2"]), exporter="x") == {"heading_level": 2}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"cuont": "1"}, "no option 'cuont' (did you mean 'count'?)"),
        ({"count": "many"}, "takes an integer"),
        ({"count": 11}, "at most 10"),
        ({"count": True}, "takes an integer"),
        ({"loud": "perhaps"}, "takes true or false"),
        ({"mode": "c"}, "must be one of: a, b"),
    ],
)
def test_bad_options_are_usage_errors(given, message):
    with pytest.raises(OptionError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")) as info:
        resolve_options(DECLARED, given, exporter="x")
    assert info.value.exit_code == 2


def test_exporter_without_options_says_so():
    with pytest.raises(OptionError, match="takes no options"):
        resolve_options((), {"a": "1"}, exporter="plain")
