"""Reads timelines written in YAML (``.yaml``, ``.yml``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import timeline
from timeline import Document, ReadError, decode_text

from ._numbers import is_too_long_integer, long_integer_message

#: libyaml, as bundled with PyYAML 6.0.4 and newer, refuses a document nested
#: 1,000 levels deep with a marked error, before its composer (which recurses
#: in C) can overflow the stack: the C loader needs no guard of ours.
LIBYAML_MAX_DEPTH = 999
#: PyYAML's pure-Python loader (used where PyYAML was built without libyaml)
#: composes recursively and raises RecursionError after a few hundred levels
#: (measured: about 500 at Python's default limit).  Its parser is iterative,
#: so depth is counted from the parser's events first and refused past this,
#: with the line where the limit was crossed.  A timeline nests a few levels
#: and ``extra`` at most 64, so the schema still names event and field there.
PURE_MAX_DEPTH = 200
_SHORT_PREFIX = PURE_MAX_DEPTH  # block depth assumed when no line starts with a longer run of indentation/indicators
_LONG_PREFIX = re.compile(rf"^[ ?:\-]{{{_SHORT_PREFIX + 1},}}", re.MULTILINE)
_LIBYAML_DEPTH_PROBLEM = "exceeded maximum nesting depth"
#: The integers YAML 1.1 and the reader agree on: plain decimal.  Base-60
#: (``20:30`` is 1230), leading-zero octal (``02024`` is 1044), hexadecimal
#: and binary forms are refused, because in a date field they write another
#: year in silence and elsewhere they rarely mean what a reader of the file sees.
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
#: Each alias use repeats the value it names: past this many values beyond
#: those written, a file is refused (a few hundred bytes of nested aliases
#: can stand for billions of values, and one anchor reused by many events
#: multiplies what every later step has to walk).
MAX_ALIAS_EXPANSION = 100_000


def _depth_bound(text: str) -> int:
    """A cheap upper bound on the nesting depth of a YAML text.

    Flow collections open with ``[`` or ``{``; block collections nest by
    indentation or by compact indicators (``- - x``) before a line's content.
    """
    flow = text.count("[") + text.count("{")
    block = max((len(m.group()) for m in _LONG_PREFIX.finditer(text)), default=_SHORT_PREFIX)
    return flow + block + 1


def _refuse_deep_for_pure_loader(text: str, yaml: Any) -> None:
    """Refuse, with its line, a text nested deeper than the pure-Python composer can recurse."""
    if _depth_bound(text) <= PURE_MAX_DEPTH:
        return
    parser = yaml.SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > PURE_MAX_DEPTH:
                    raise ReadError(
                        f"invalid YAML: nested more than {PURE_MAX_DEPTH} levels deep",
                        line=event.start_mark.line + 1,
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        parser.dispose()


def _load_with(yaml: Any, text: str, function: Callable[[Any], Any]) -> Any:
    """Call ``function(loader_class)`` with the C loader, or the guarded pure-Python one."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        _refuse_deep_for_pure_loader(text, yaml)
        loader = yaml.SafeLoader
    return function(_strict(loader))


_STRICT: dict[type, type] = {}


def _strict(base: type) -> type:
    """``base`` (a PyYAML safe loader), refusing duplicate keys and ambiguous numbers with their line."""
    if base not in _STRICT:
        _STRICT[base] = _make_strict(base)
    return _STRICT[base]


def _make_strict(base: type) -> type:
    import yaml

    merge_tag = "tag:yaml.org,2002:merge"

    # The base is chosen at run time (the C loader when PyYAML has it), so no checker can see the class.
    class StrictLoader(base):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            first_of: dict[tuple[str, str], Any] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != merge_tag:
                    first = first_of.setdefault((key.tag, key.value), key)
                    if first is not key:
                        raise ReadError(
                            f"invalid YAML: duplicate key {key.value!r} (first at line {first.start_mark.line + 1}): "
                            "YAML would keep only the last value",
                            line=key.start_mark.line + 1,
                        )
            return super().construct_mapping(node, deep)

        def construct_yaml_int(self, node: Any) -> Any:
            text = str(node.value)
            if _DECIMAL_INT.fullmatch(text):
                try:
                    return super().construct_yaml_int(node)
                except ValueError as exc:
                    if is_too_long_integer(exc):
                        raise ReadError(long_integer_message(), line=node.start_mark.line + 1) from None
                    raise
            raise ReadError(_ambiguous_number(text, lambda: super(StrictLoader, self).construct_yaml_int(node)),
                            line=node.start_mark.line + 1)

        def construct_yaml_float(self, node: Any) -> Any:
            text = str(node.value)
            if ":" not in text:
                return super().construct_yaml_float(node)
            raise ReadError(_ambiguous_number(text, lambda: super(StrictLoader, self).construct_yaml_float(node)),
                            line=node.start_mark.line + 1)

        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            # Without an anchor every node is written once, and the tree can be built directly.
            self._tree_shaped = isinstance(stream, str) and not _has_anchor(stream)

        def get_single_data(self) -> Any:
            node = self.get_single_node()
            if node is None:
                return None
            if self._tree_shaped:
                try:
                    return _Tree(self, yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode).build(node, 0)
                except Exception:  # anything unusual or wrong: the full constructor decides, as before
                    self.constructed_objects: dict[Any, Any] = {}  # a fresh start, as after __init__
                    self.recursive_objects: dict[Any, Any] = {}
                    self.state_generators: list[Any] = []
            return self.construct_document(node)

    StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
    StrictLoader.add_constructor("tag:yaml.org,2002:float", StrictLoader.construct_yaml_float)
    _quicker_resolver(StrictLoader, yaml)
    return StrictLoader


def _quicker_resolver(loader: Any, yaml: Any) -> None:
    """Give ``loader`` the tag resolution of PyYAML's resolver, with less work per node.

    The composer asks the resolver for every node's tag, and tells it about
    every step down and up the tree, for path resolvers: a safe loader has
    none (nor implicit resolvers for any first character), so the steps are
    skipped and a scalar is tried only against the resolvers of its first
    character, as PyYAML's ``resolve`` does in that case.
    """
    if loader.yaml_path_resolvers or loader.yaml_implicit_resolvers.get(None):
        return  # not the case described above: keep PyYAML's own
    by_first = loader.yaml_implicit_resolvers
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    str_tag, seq_tag, map_tag = loader.DEFAULT_SCALAR_TAG, loader.DEFAULT_SEQUENCE_TAG, loader.DEFAULT_MAPPING_TAG

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is scalar:
            if implicit[0]:
                for tag, regexp in by_first.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return str_tag
        if kind is sequence:
            return seq_tag
        return map_tag if kind is mapping else None

    def descend_resolver(self: Any, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self: Any) -> None:
        return None

    loader.resolve, loader.descend_resolver, loader.ascend_resolver = resolve, descend_resolver, ascend_resolver


def _has_anchor(text: str) -> bool:
    """Whether ``text`` may hold an anchor: ``&name`` where a node starts (at the start of the text,
    after whitespace or one of the indicators ``[{,:?-``; "War & Peace" holds none).

    What ``re.search(r"(?:^|[\\s\\[{,:?-])&\\S", text, re.MULTILINE)`` finds, looking only at each
    "&" (the regular expression took milliseconds on a 45 kB file).
    """
    end = len(text) - 1
    at = text.find("&")
    while 0 <= at < end:
        before = text[at - 1] if at else " "
        if (before in "[{,:?-" or before.isspace()) and not text[at + 1].isspace():
            return True
        at = text.find("&", at + 1)
    return False


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
#: Scalar tags whose SafeConstructor constructors return a value (not a generator).
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))
#: Deeper than this, the tree is left to PyYAML's constructor (which does not recurse).
_TREE_DEPTH = 100


class _Unusual(Exception):
    """Something the direct build leaves to PyYAML's constructor."""


class _Tree:
    """The data of a composed YAML document without anchors, built in one walk.

    It gives what PyYAML's safe constructor (with the strict loader's
    constructors) gives for such a document, faster; for anything else (a
    merge key, another tag, a key that is not a scalar, a duplicate key, a
    value the constructors refuse, deep nesting) it raises, and the caller
    runs PyYAML's constructor instead, which reports problems as before.
    """

    def __init__(self, loader: Any, scalar: type, mapping: type, sequence: type) -> None:
        self._constructors = loader.yaml_constructors
        self._loader = loader
        self._scalar, self._mapping, self._sequence = scalar, mapping, sequence

    def build(self, node: Any, depth: int) -> Any:
        kind, tag = type(node), node.tag
        if kind is self._scalar:
            if tag == _STR:
                return node.value
            if tag in _SCALAR_TAGS:
                return self._constructors[tag](self._loader, node)
            raise _Unusual
        if depth > _TREE_DEPTH:
            raise _Unusual
        if kind is self._sequence and tag == _SEQ:
            return [self.build(child, depth + 1) for child in node.value]
        if kind is self._mapping and tag == _MAP:
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag not in _KEY_TAGS or type(key_node) is not self._scalar:
                    raise _Unusual
                key = self.build(key_node, depth + 1)
                if key in data:
                    raise _Unusual  # a duplicate: the strict constructor says where
                data[key] = self.build(value_node, depth + 1)
            return data
        raise _Unusual


#: Key tags built like values (a merge key "<<" or a value key "=" is not one of them).
_KEY_TAGS = _SCALAR_TAGS | {_STR}


def _ambiguous_number(text: str, value: Callable[[], Any]) -> str:
    lowered = text.lstrip("+-").lower()
    if ":" in text:
        kind = "a base-60 number"
    elif lowered.startswith("0x"):
        kind = "a hexadecimal number"
    elif lowered.startswith("0b"):
        kind = "a binary number"
    else:
        kind = "an octal number"
    try:
        meant = f" ({value()})"
    except ValueError:  # beyond Python's limit on digits
        meant = ""
    advice = f'quote it ("{text}"), or write the number in decimal'
    return f"unquoted {text} is read by YAML 1.1 as {kind}{meant}: {advice}"


def _expansion_problem(content: Any) -> str | None:
    """Refuse a document whose aliases stand for too many values beyond those written.

    Aliases load as shared objects; each container's expanded size is
    computed once (post-order, iterative), so the walk costs what was
    written, not what it stands for.  A container that holds itself is refused.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    written = 0
    stack: list[tuple[Any, bool]] = [(content, False)]
    while stack:
        item, finished = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        key = id(item)
        children = item.values() if isinstance(item, dict) else item
        if finished:
            size = 1 + sum(sizes[id(c)] if isinstance(c, (dict, list)) else 1 for c in children)
            sizes[key] = size
            open_.discard(key)
            written += 1 + sum(not isinstance(c, (dict, list)) for c in children)
            if size - written > MAX_ALIAS_EXPANSION:
                return (
                    f"YAML aliases here stand for more than {MAX_ALIAS_EXPANSION:,} values beyond those written; "
                    "write the repeated values out, or share less"
                )
            continue
        if key in sizes:
            continue
        if key in open_:
            return "a YAML alias refers to a collection that holds it"
        open_.add(key)
        stack.append((item, True))
        stack.extend((c, False) for c in children if isinstance(c, (dict, list)) and id(c) not in sizes)
    return None


class YamlReader:
    name = "yaml"
    extensions = (".yaml", ".yml")
    description = "YAML 1.1 (PyYAML, safe loading: no tags, no code)"

    def read(self, data: bytes, source: str, *, context: Any = None) -> Document:
        import yaml

        text = decode_text(data)
        try:
            content = _load_with(yaml, text, lambda loader: yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            if problem == _LIBYAML_DEPTH_PROBLEM:
                problem = f"nested more than {LIBYAML_MAX_DEPTH} levels deep"
            raise ReadError(f"invalid YAML: {problem}", line=mark.line + 1 if mark else None) from None
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + 1
            raise ReadError(
                f"invalid YAML: character {exc.character!r} is not allowed ({exc.reason})", line=line
            ) from None
        except yaml.YAMLError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ReadError(f"invalid YAML: {first}") from None
        except ReadError:
            raise
        except ValueError as exc:  # PyYAML building an unquoted date such as 2024-13-45
            raise ReadError(f"invalid YAML value: {exc} (quote dates: start: '2024-06-19')") from None
        # Aliases are written *name, and each refers to an anchor: without one, nothing is shared and the
        # walk is skipped.
        if "*" in text and _has_anchor(text):
            expansion = _expansion_problem(content)
            if expansion is not None:
                raise ReadError(expansion)
        return Document(content, locate=_Locator(text))


class _Locator:
    """Finds the line of a value by composing the YAML node tree, once, on demand."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None

    def __call__(self, path: Sequence[str | int]) -> int | None:
        import yaml

        if self._root is None:
            self._root = _load_with(yaml, self._text, lambda loader: yaml.compose(self._text, Loader=loader))
        node = self._root
        for part in path:
            node = _child(node, part)
            if node is None:
                return None
        return int(node.start_mark.line) + 1


def _child(node: Any, part: str | int) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


@timeline.hookimpl
def timeline_readers() -> list[YamlReader]:
    return [YamlReader()]


@timeline.hookimpl
def timeline_exporters() -> list[Any]:
    from ._yaml_writer import YamlExporter

    return [YamlExporter()]
