"""Exporter and reader options: declared by the plugin, checked before it runs.

An exporter (or, since plugin API 1.1, a reader) lists :class:`Option` objects; the CLI turns ``-O name=value``
strings into typed values and the Python API checks keyword arguments, both
through :func:`resolve_options`, so a plugin's ``write`` only ever sees
valid, complete options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .errors import OptionError
from .suggest import did_you_mean

__all__ = ["Option", "parse_option_assignments", "resolve_options"]

_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
#: How messages name each type: "option 'indent' takes an integer, not 'x'".
_TYPE_WORDS = {"str": "text", "int": "an integer", "float": "a number", "bool": "true or false"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _check_type(instance: Option, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _TYPES:
        raise ValueError(f"option type must be one of {sorted(_TYPES)}, not {value!r}")


def _choices(value: Sequence[object] | None) -> tuple[object, ...]:
    """``choices`` as a tuple; ``None`` means no restriction, like ``()``."""
    if value is None:
        return ()
    if isinstance(value, (str, bytes)):  # "ab" would silently mean ("a", "b")
        raise TypeError(f"option choices must be a sequence of values such as a tuple, not {value!r}")
    return tuple(value)


@attrs.frozen
class Option:
    """One setting an exporter accepts.

    ``type`` is ``"str"``, ``"int"``, ``"float"`` or ``"bool"``; ``choices``
    (any sequence, kept as a tuple; ``None`` or empty for no limit) limits
    the allowed values; ``minimum``/``maximum`` bound numbers.  Names
    use underscores (``refresh_interval``); the CLI also accepts hyphens.
    """

    name: str
    help: str
    type: str = attrs.field(default="str", validator=_check_type)
    default: Any = None
    choices: tuple[object, ...] = attrs.field(default=(), converter=_choices)
    minimum: float | None = None
    maximum: float | None = None

    def convert(self, value: Any) -> Any:
        """Check ``value`` (a Python value or a string from the command line)."""
        wanted = _TYPES[self.type]
        if isinstance(value, str) and wanted is not str:
            value = self._from_text(value)
        elif wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, wanted) or (wanted is not bool and isinstance(value, bool)):
            raise OptionError(f"option {self.name!r} takes {_TYPE_WORDS[self.type]}, not {value!r}")
        if self.choices and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise OptionError(f"option {self.name!r} must be one of: {allowed} (got {value!r})")
        if self.minimum is not None and isinstance(value, (int, float)) and value < self.minimum:
            raise OptionError(f"option {self.name!r} must be at least {self.minimum} (got {value!r})")
        if self.maximum is not None and isinstance(value, (int, float)) and value > self.maximum:
            raise OptionError(f"option {self.name!r} must be at most {self.maximum} (got {value!r})")
        return value

    def _from_text(self, text: str) -> Any:
        raw = text.strip()
        try:
            if self.type == "bool":
                lowered = raw.lower()
                if lowered in _TRUE:
                    return True
                if lowered in _FALSE:
                    return False
                raise ValueError(raw)
            if self.type == "int":
                return int(raw)
            return float(raw)
        except ValueError:
            raise OptionError(f"option {self.name!r} takes {_TYPE_WORDS[self.type]}, not {text!r}") from None


def parse_option_assignments(assignments: Sequence[str]) -> dict[str, str]:
    """Split CLI ``name=value`` strings; a bare ``name`` means ``name=true``."""
    parsed: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not name:
            raise OptionError(f"option {item!r} has no name; write NAME=VALUE")
        parsed[name] = value if sep else "true"
    return parsed


def resolve_options(
    declared: Sequence[Option], given: Mapping[str, Any], *, exporter: str, kind: str = "format"
) -> dict[str, Any]:
    """Every declared option with its checked value, defaults filled in.

    ``exporter`` names the plugin in messages and ``kind`` says what it is:
    ``"format"`` for an exporter, ``"reader"`` for a reader's options.
    """
    by_name = {option.name: option for option in declared}
    resolved = {option.name: option.default for option in declared}
    for name, value in given.items():
        key = name.replace("-", "_")
        option = by_name.get(key)
        if option is None:
            if not by_name:
                raise OptionError(f"{kind} {exporter!r} takes no options (got {name!r})")
            hint = did_you_mean(key, by_name)
            known = ", ".join(sorted(by_name))
            raise OptionError(f"{kind} {exporter!r} has no option {name!r}{hint}; its options are: {known}")
        resolved[key] = option.convert(value)
    return resolved
