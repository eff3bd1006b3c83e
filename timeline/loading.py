"""Reading timeline files: picking a reader, building, merging, validating.

Several files merge into one timeline: events and eras are pooled (an id used
twice is an error), and the header fields (id, title, description, zone,
updated) come from the first file that sets each one, except ``updated``,
where the latest wins.  Every problem in every file is reported in one
:class:`InvalidTimelineError`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._builder import ID_PATTERN, FileContents, build_file, check_zone, slugify
from .errors import ArgumentTypeError, InvalidTimelineError, ReadError, TimelineError, wrong_type
from .fastpath import FastBuilder
from .model import Event, Timeline
from .problems import Problem
from .progress import THRESHOLD, Progress, progress_reporting, reporter
from .protocols import Document
from .registry import Registry, default_registry
from .validation import PartialEvent, find_problems

if TYPE_CHECKING:  # pragma: no cover
    from .reporting import ReadReport

__all__ = [
    "DEFAULT_NAMES",
    "PathLike",
    "find_default_input",
    "load",
    "load_bytes",
    "reader_options_of",
    "resolve_reader_options",
    "sample",
    "sample_path",
]

PathLike = str | os.PathLike[str]

#: What ``timeline`` looks for in the current directory when given no files.
DEFAULT_NAMES = ("timeline.yaml", "timeline.yml", "timeline.toml", "timeline.json")
_SAMPLE_NAME = "russia-dprk.yaml"
#: Files at least this big get a "reading" line while they are parsed (at a terminal).
BIG_FILE = 8_000_000


def sample_path() -> Path:
    """The bundled sample timeline (Russia and North Korea, 1945–2024)."""
    import importlib

    # The package timeline.events is mapped from the top-level events/ folder (pyproject.toml), which type
    # checkers reading the source tree cannot see: imported by name, it is a plain module to them.
    events = importlib.import_module(".events", __package__)
    return Path(next(iter(events.__path__))) / _SAMPLE_NAME


def sample(*, registry: Registry | None = None) -> Timeline:
    """Load the bundled sample timeline."""
    return load(sample_path(), registry=registry)


def find_default_input(directory: PathLike = ".") -> tuple[list[Path], str]:
    """The files to read when none are named, and a phrase saying which."""
    base = Path(directory)
    for name in DEFAULT_NAMES:
        candidate = base / name
        if candidate.is_file():
            return [candidate], str(candidate)
    folder = base / "events"
    if folder.is_dir():
        return [folder], f"{folder}{os.sep}"
    return [sample_path()], "the bundled sample timeline"


def _expand(paths: Iterable[PathLike], registry: Registry) -> tuple[list[Path], list[Problem]]:
    """Files to read, folders replaced by the timeline files they hold; and the paths that do not exist.

    A file named twice (``a.yaml a.yaml``, ``./a.yaml``, a symbolic link to
    it, or a folder and a file in it) is read once, with a warning: read
    twice, each of its ids would be reported as a duplicate of itself.
    """
    files: list[Path] = []
    missing: list[Problem] = []
    for item in paths:
        path = Path(item)
        if _missing(path):
            # before picking a reader: "no such file", not "cannot tell the input format"
            missing.append(Problem("no such file or folder", file=os.fspath(item)))
            continue
        if _is_folder(path):
            extensions = registry.reader_extensions()
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in extensions
            )
            if not found:
                raise InvalidTimelineError(
                    [Problem(f"the folder holds no timeline files ({', '.join(sorted(extensions))})", file=str(path))]
                )
            files.extend(found)
        else:
            files.append(path)
    return _once(files), missing


def _once(files: list[Path]) -> list[Path]:
    """``files`` without a second mention of the same file (warning about each)."""
    import warnings

    seen: dict[tuple[int, int], Path] = {}
    kept: list[Path] = []
    for path in files:
        try:
            info = path.stat()
        except OSError:  # a dangling link or a loop: reported when it is read
            kept.append(path)
            continue
        key = (info.st_dev, info.st_ino)
        first = seen.get(key)
        if first is None:
            seen[key] = path
            kept.append(path)
        else:
            same = "was given twice" if str(first) == str(path) else f"is the same file as '{first}'"
            warnings.warn(f"'{path}' {same}: read once", UserWarning, stacklevel=4)
    return kept


def _missing(path: Path) -> bool:
    """Whether nothing is at ``path`` (a dangling link is something; a name too long
    to look up is left for reading to report)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return False


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; a path that cannot even be looked at (too long, a loop of
    links) is not, and reading it then reports why."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def input_files(paths: Iterable[PathLike], *, registry: Registry | None = None) -> list[Path]:
    """The files :func:`load` would read for ``paths`` (folders replaced by the files they hold)."""
    return _expand(paths, registry or default_registry())[0]


def reader_options_of(reader: Any) -> tuple[Any, ...]:
    """The options a reader declares (plugin API 1.1; a reader without ``options`` declares none)."""
    declared = getattr(reader, "options", None)
    return tuple(declared) if declared else ()


def resolve_reader_options(readers: Iterable[Any], given: Mapping[str, object] | None) -> dict[str, dict[str, Any]]:
    """Each reader's declared options, checked, with defaults filled in, by reader name.

    ``given`` goes to every reader that declares the option.  An option no
    reader among ``readers`` declares is an :class:`OptionError` (a usage
    error) naming the reader and listing its options.
    """
    wanted = {str(name).replace("-", "_"): value for name, value in (given or {}).items()}
    unique = list({reader.name: reader for reader in readers}.values())
    declared = {reader.name: reader_options_of(reader) for reader in unique}
    if not wanted and not any(declared.values()):
        return {reader.name: {} for reader in unique}  # nothing to check (and timeline.options stays unimported)
    from .errors import OptionError
    from .options import resolve_options
    from .reporting import accepts_context

    known = {option.name for options in declared.values() for option in options}
    unknown = [name for name in wanted if name not in known]
    if unknown and unique:
        if len(unique) == 1:
            reader = unique[0]
            resolve_options(declared[reader.name], wanted, exporter=reader.name, kind="reader")  # raises
        listed = "; ".join(
            f"{name}: {', '.join(o.name for o in options) or 'none'}" for name, options in declared.items()
        )
        from .suggest import did_you_mean

        hint = did_you_mean(unknown[0], known)
        raise OptionError(f"no reader of these files has option {unknown[0]!r}{hint}; their options are: {listed}")
    resolved: dict[str, dict[str, Any]] = {}
    for reader in unique:
        names = {option.name for option in declared[reader.name]}
        mine = {name: value for name, value in wanted.items() if name in names}
        if mine and not accepts_context(reader.read):
            raise OptionError(
                f"reader {reader.name!r} declares options but its read() takes no context (plugin API 1.1), "
                "so it cannot be given them; tell its author"
            )
        resolved[reader.name] = resolve_options(declared[reader.name], mine, exporter=reader.name, kind="reader")
    return resolved


def _read_document(
    path: Path,
    data: bytes,
    reader: Any,
    options: Mapping[str, Any] | None = None,
    reports: list[ReadReport] | None = None,
) -> Document:
    from .reporting import ReadContext, ReadReport, accepts_context

    if options is None:
        options = resolve_reader_options([reader], None)[reader.name]
    context = ReadContext(options=options) if accepts_context(reader.read) else None
    try:
        document = reader.read(data, str(path)) if context is None else reader.read(data, str(path), context=context)
    except ArgumentTypeError as exc:  # the reader called the API wrongly: its fault, not the file's
        raise ReadError(f"reader {reader.name!r} failed: {type(exc).__name__}: {exc}") from exc
    except TimelineError:
        raise
    except Exception as exc:  # a third-party reader must not crash the run
        raise ReadError(f"reader {reader.name!r} failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(document, Document):
        document = Document(document)
    if reports is not None:
        reports.append(ReadReport.from_report(
            context.report if context is not None else None, source=str(path), reader=reader.name, options=options
        ))
    elif context is not None:
        _warn_about_read_report(path, reader, context.report.result(format=reader.name, events=0))
    return document


def _warn_about_read_report(path: Path, reader: Any, report: Any) -> None:
    """What a plugin API 1.1 reader reports skipping or approximating, as warnings naming the file."""
    import warnings

    for entry in report.skipped:
        warnings.warn(f"{path}: reader {reader.name!r} skipped {entry.event}: {entry.reason}", UserWarning,
                      stacklevel=4)
    for entry in report.approximated:
        warnings.warn(f"{path}: reader {reader.name!r} approximated {entry.field} of {entry.event}: {entry.reason}",
                      UserWarning, stacklevel=4)


def _is_device(path: Path) -> bool:
    """Whether ``path`` is a device or socket; files and pipes (``<(cmd)``) are read."""
    mode = path.stat().st_mode
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)


def _pick_reader(path: Path, registry: Registry, input_format: str | None) -> tuple[Any, list[Problem]]:
    try:
        return (registry.reader(input_format) if input_format else registry.reader_for_path(path)), []
    except TimelineError as exc:
        return None, [Problem(str(exc), file=str(path))]


def _read_path(
    path: Path,
    reader: Any,
    options: Mapping[str, Any] | None = None,
    reports: list[ReadReport] | None = None,
) -> tuple[Document | None, list[Problem]]:
    source = str(path)
    try:
        if _is_device(path):  # /dev/zero would be read until memory runs out
            return None, [Problem("is a device, not a regular file", file=source)]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem("no such file", file=source)]
    except IsADirectoryError:
        return None, [Problem("is a folder, not a file", file=source)]
    except PermissionError:
        return None, [Problem("permission denied", file=source)]
    except OSError as exc:
        return None, [Problem(f"cannot be read: {exc.strerror or exc}", file=source)]
    try:
        return _read_document(path, data, reader, options, reports), []
    except ReadError as exc:
        return None, [Problem(exc.message, file=source, line=exc.line)]


def _field_path(field: str) -> tuple[str | int, ...]:
    """``"sources[1].url"`` -> ``("sources", 1, "url")``."""
    return tuple(int(index) if index else name for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field))


def _merge(parts: Sequence[FileContents], fallback_id: str) -> Timeline:
    header: dict[str, Any] = {}
    events: list[Event] = []
    eras = []
    for part in parts:
        for key, value in part.header.items():
            if key == "updated" and "updated" in header:
                if value.sort_key() > header["updated"].sort_key():
                    header["updated"] = value
            else:
                header.setdefault(key, value)
        events.extend(part.events)
        eras.extend(part.eras)
    timeline_id = header.pop("id", fallback_id)
    title = header.pop("title", timeline_id)
    return Timeline(id=timeline_id, title=title, events=events, eras=eras, **header)


def _locator(
    parts: Sequence[FileContents], documents: Sequence[tuple[str, Document]]
) -> Callable[[Event | PartialEvent, str], tuple[str | None, int | None]]:
    """Where an event's field was written; the index is built on the first call.

    Only a timeline with problems needs it, so a clean million-event load
    never pays for a map from every event to its place.
    """
    where: dict[int, tuple[FileContents, int]] = {}
    documents_by_source = dict(documents)

    def locate(event: Event | PartialEvent, field: str) -> tuple[str | None, int | None]:
        if not where:
            for part in parts:
                for position, built in enumerate(part.events):
                    where[id(built)] = (part, part.indexes[position])
                for partial, index in zip(part.partials, part.partial_indexes, strict=True):
                    where[id(partial)] = (part, index)
        found = where.get(id(event))
        if found is None:
            return None, None
        part, index = found
        path: tuple[str | int, ...] = ("events", index)
        document = documents_by_source[part.source]
        full = path + _field_path(field)
        while len(full) >= len(path):
            line = document.line_of(full)
            if line is not None:
                return part.source, line
            full = full[:-1]
        return part.source, None

    return locate


def _build(
    documents: Sequence[tuple[str, Document]],
    problems: list[Problem],
    fallback_id: str,
    progress: Callable[[int, int], None] | None = None,
    line: Progress | None = None,
) -> Timeline:
    parts: list[FileContents] = []
    zone: str | None = None
    fast = FastBuilder(ID_PATTERN.fullmatch, check_zone)
    for source, document in documents:
        report = progress
        if line is not None:
            line.label = f"loading {Path(source).name}"
            line.done, line.total = 0, None
            report = _both(progress, _big_only(line))
        part = build_file(document, source, default_zone=zone, progress=report, consume=True, fast=fast)
        zone = zone or part.header.get("timezone")
        parts.append(part)
        problems.extend(part.problems)
    all_events = [event for part in parts for event in part.events]
    if line is not None and len(all_events) >= THRESHOLD:
        line.note(f"checking {len(all_events):,} events")
    eras = [era for part in parts for era in part.eras]
    failed = [event_id for part in parts for event_id in part.failed_ids]
    partial = [left_out for part in parts for left_out in part.partials]
    problems.extend(
        find_problems(all_events, eras, locate=_locator(parts, documents), also_known=failed, partial=partial)
    )
    if problems:
        raise InvalidTimelineError(problems)
    return _merge(parts, fallback_id)


def _big_only(line: Progress) -> Callable[[int, int], None]:
    """Move the line only for files with enough events to be worth watching."""

    def update(done: int, total: int) -> None:
        if total >= THRESHOLD:
            line.update(done, total)

    return update


def _both(
    first: Callable[[int, int], None] | None, second: Callable[[int, int], None]
) -> Callable[[int, int], None]:
    if first is None:
        return second

    def call(done: int, total: int) -> None:
        first(done, total)
        second(done, total)

    return call


def load(
    paths: PathLike | Sequence[PathLike],
    *,
    registry: Registry | None = None,
    input_format: str | None = None,
    reader_options: Mapping[str, object] | None = None,
    reports: list[ReadReport] | None = None,
    progress: Callable[[int, int], None] | None = None,
    show_progress: bool = False,
) -> Timeline:
    """Read one or more timeline files (or folders of them) into one timeline.

    Raises :class:`InvalidTimelineError` listing every problem found, with
    file, line, event and field.  ``input_format`` forces a reader instead of
    choosing by extension.  ``reader_options`` (plugin API 1.1) are given to
    each reader that declares them, checked like exporter options; one that
    no reader of the files declares raises :class:`OptionError`.  With a
    ``reports`` list, one :class:`~timeline.ReadReport` per file read is
    appended to it, instead of warnings about what readers skipped or
    approximated.  ``progress(done, total)`` is called now and then
    while each file's events are built.  ``show_progress=True`` (what the
    command line does) draws a progress line on standard error for big
    files, if standard error is a terminal.
    """
    paths = _check_paths(paths)
    _check_common(registry, input_format, "load")
    registry = registry or default_registry()
    files, missing = _expand(paths, registry)
    if not files:
        raise InvalidTimelineError(missing or [Problem("no timeline files given")])
    documents: list[tuple[str, Document]] = []
    problems: list[Problem] = list(missing)
    with contextlib.ExitStack() as stack:
        if show_progress:
            stack.enter_context(progress_reporting("loading"))
        line = reporter("loading")
        if line is not None:
            stack.callback(line.close)
        picked = []
        for path in files:
            reader, found = _pick_reader(path, registry, input_format)
            problems.extend(found)
            if reader is not None:
                picked.append((path, reader))
        resolved = resolve_reader_options([reader for _, reader in picked], reader_options)
        with _paused_gc():
            for path, reader in picked:
                if line is not None:
                    _note_big_file(line, path)
                document, found = _read_path(path, reader, resolved[reader.name], reports)
                problems.extend(found)
                if document is not None:
                    documents.append((str(path), document))
            return _build(documents, problems, slugify(files[0].stem), progress, line)


def _check_paths(paths: Any) -> list[PathLike]:
    """``paths`` as a list, or an :class:`ArgumentTypeError` naming what is wrong."""
    expected = "a path (str or pathlib.Path) or a list of paths"
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    if isinstance(paths, (bytes, bytearray)):
        raise wrong_type("load(paths)", expected, paths,
                         "decode a bytes path with os.fsdecode(), or use timeline.load_bytes(data) for file contents")
    if not isinstance(paths, (list, tuple, Iterable)):
        raise wrong_type("load(paths)", expected, paths)
    items = list(paths)
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise wrong_type("each of load(paths)", "a path (str or pathlib.Path)", item)
    return items


def _check_common(registry: Any, input_format: Any, function: str) -> None:
    if registry is not None and not isinstance(registry, Registry):
        raise wrong_type(f"{function}(registry=...)", "a timeline.Registry or None", registry)
    if input_format is not None and not isinstance(input_format, str):
        raise wrong_type(f"{function}(input_format=...)", "a format name (str) such as 'yaml'", input_format)


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the way while a file is loaded.

    Parsing and building allocate millions of containers, none of them in a
    cycle, and the collector would walk them all again and again: with it
    running, a 100,000-event JSON file took twice as long to read.
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _note_big_file(line: Progress, path: Path) -> None:
    """Say what is happening while a big file is read and parsed (no count to show yet)."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size >= BIG_FILE:
        line.note(f"reading {path.name} ({size / 1e6:,.0f} MB)")


def load_bytes(
    data: bytes,
    *,
    name: str = "<stdin>",
    input_format: str = "yaml",
    registry: Registry | None = None,
    reader_options: Mapping[str, object] | None = None,
    reports: list[ReadReport] | None = None,
) -> Timeline:
    """Read a timeline from bytes (standard input, a network response, ...).

    ``reader_options`` and ``reports`` work as in :func:`load`.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        hint = None
        if isinstance(data, str):
            hint = "encode text first (data.encode('utf-8')), or use timeline.load(path) for a file"
        raise wrong_type("load_bytes(data)", "bytes", data, hint)
    if not isinstance(name, str):
        raise wrong_type("load_bytes(name=...)", "a str", name)
    _check_common(registry, input_format, "load_bytes")
    data = bytes(data)
    registry = registry or default_registry()
    reader = registry.reader(input_format)
    options = resolve_reader_options([reader], reader_options)[reader.name]
    problems: list[Problem] = []
    documents: list[tuple[str, Document]] = []
    with _paused_gc():
        try:
            documents.append((name, _read_document(Path(name), data, reader, options, reports)))
        except ReadError as exc:
            problems.append(Problem(exc.message, file=name, line=exc.line))
        return _build(documents, problems, "timeline")
