"""Reading timeline files: picking a reader, building, merging, validating.

Several files merge into one timeline: events and eras are pooled (an id used
twice is an error), and the header fields (id, title, description, zone,
updated) come from the first file that sets each one, except ``updated``,
where the latest wins.  Every problem in every file is reported in one
:class:`InvalidTimelineError`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from .errors import InvalidTimelineError, ReadError, TimelineError
from .model import Event, Timeline
from .problems import Problem
from .protocols import Document
from .registry import Registry, default_registry
from .schema import FileContents, build_file, slugify
from .validation import find_problems

__all__ = ["DEFAULT_NAMES", "PathLike", "find_default_input", "load", "load_bytes", "sample", "sample_path"]

PathLike = str | os.PathLike[str]

#: What ``timeline`` looks for in the current directory when given no files.
DEFAULT_NAMES = ("timeline.yaml", "timeline.yml", "timeline.toml", "timeline.json")
_SAMPLE_NAME = "russia-dprk.yaml"


def sample_path() -> Path:
    """The bundled sample timeline (Russia and North Korea, 1945–2024)."""
    from . import events  # mapped from the top-level events/ folder

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


def _expand(paths: Iterable[PathLike], registry: Registry) -> list[Path]:
    """Files to read, folders replaced by the timeline files they hold."""
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
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
    return files


def _read_document(path: Path, data: bytes, reader: Any) -> Document:
    try:
        document = reader.read(data, str(path))
    except ReadError:
        raise
    except TimelineError:
        raise
    except Exception as exc:  # a third-party reader must not crash the run
        raise ReadError(f"reader {reader.name!r} failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(document, Document):
        document = Document(document)
    return document


def _read_path(path: Path, registry: Registry, input_format: str | None) -> tuple[Document | None, list[Problem]]:
    source = str(path)
    try:
        reader = registry.reader(input_format) if input_format else registry.reader_for_path(path)
    except TimelineError as exc:
        return None, [Problem(str(exc), file=source)]
    try:
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
        return _read_document(path, data, reader), []
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


def _build(
    documents: Sequence[tuple[str, Document]],
    problems: list[Problem],
    fallback_id: str,
    progress: Callable[[], None] | None = None,
) -> Timeline:
    parts: list[FileContents] = []
    zone: str | None = None
    for source, document in documents:
        part = build_file(document, source, default_zone=zone, on_event=progress)
        zone = zone or part.header.get("timezone")
        parts.append(part)
        problems.extend(part.problems)
    where: dict[int, tuple[FileContents, int]] = {}
    for part in parts:
        for index, event in enumerate(part.events):
            where[id(event)] = (part, index)
    documents_by_source = dict(documents)

    def locate(event: Event, field: str) -> tuple[str | None, int | None]:
        found = where.get(id(event))
        if found is None:
            return None, None
        part, index = found
        path = part.origins[index]
        document = documents_by_source[part.source]
        full = path + _field_path(field)
        while len(full) >= len(path):
            line = document.line_of(full)
            if line is not None:
                return part.source, line
            full = full[:-1]
        return part.source, None

    all_events = [event for part in parts for event in part.events]
    eras = [era for part in parts for era in part.eras]
    failed = [event_id for part in parts for event_id in part.failed_ids]
    problems.extend(find_problems(all_events, eras, locate=locate, also_known=failed))
    if problems:
        raise InvalidTimelineError(problems)
    return _merge(parts, fallback_id)


def load(
    paths: PathLike | Sequence[PathLike],
    *,
    registry: Registry | None = None,
    input_format: str | None = None,
    progress: Callable[[], None] | None = None,
) -> Timeline:
    """Read one or more timeline files (or folders of them) into one timeline.

    Raises :class:`InvalidTimelineError` listing every problem found, with
    file, line, event and field.  ``input_format`` forces a reader instead of
    choosing by extension.
    """
    registry = registry or default_registry()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = _expand(paths, registry)
    if not files:
        raise InvalidTimelineError([Problem("no timeline files given")])
    documents: list[tuple[str, Document]] = []
    problems: list[Problem] = []
    for path in files:
        document, found = _read_path(path, registry, input_format)
        problems.extend(found)
        if document is not None:
            documents.append((str(path), document))
    return _build(documents, problems, slugify(files[0].stem), progress)


def load_bytes(
    data: bytes,
    *,
    name: str = "<stdin>",
    input_format: str = "yaml",
    registry: Registry | None = None,
) -> Timeline:
    """Read a timeline from bytes (standard input, a network response, ...)."""
    registry = registry or default_registry()
    reader = registry.reader(input_format)
    problems: list[Problem] = []
    documents: list[tuple[str, Document]] = []
    try:
        documents.append((name, _read_document(Path(name), data, reader)))
    except ReadError as exc:
        problems.append(Problem(exc.message, file=name, line=exc.line))
    return _build(documents, problems, "timeline")


def read_stream(stream: IO[bytes] | None = None, **kwargs: Any) -> Timeline:
    """Like :func:`load_bytes`, reading a binary stream (default: standard input)."""
    stream = stream if stream is not None else sys.stdin.buffer
    return load_bytes(stream.read(), **kwargs)
