"""One in-process measurement, run by ``benchmarks.run`` in a child process.

Each probe does one job (a baseline, or a step through the Python API) and
prints one JSON object: the seconds it timed.  It runs alone in its own
process so that the parent can read that process's peak memory (its maximum
resident set size) without anything else mixed in.

    python -m benchmarks.probe json-load FILE
    python -m benchmarks.probe api-export FILE FORMAT
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["PROBES", "main"]


class _Sink(io.RawIOBase):
    """A binary stream that counts what is written and keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        count = len(data)
        self.size += count
        return count


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = func()
    return time.perf_counter() - began, result


def json_load(path: str) -> dict[str, Any]:
    """The floor for reading: ``json.load`` of the whole file."""
    with open(path, encoding="utf-8") as stream:
        seconds, _ = _timed(lambda: json.load(stream))
    return {"seconds": seconds}


def json_roundtrip(path: str, out: str) -> dict[str, Any]:
    """The floor for a conversion: ``json.load`` then ``json.dump`` to a file."""
    began = time.perf_counter()
    with open(path, encoding="utf-8") as stream:
        data = json.load(stream)
    loaded = time.perf_counter()
    with open(out, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False)
    done = time.perf_counter()
    return {"seconds": done - began, "load": loaded - began, "dump": done - loaded}


def yaml_load(path: str) -> dict[str, Any]:
    """The floor for YAML: PyYAML's C loader (libyaml), safe mode."""
    import yaml

    with open(path, encoding="utf-8") as stream:
        seconds, _ = _timed(lambda: yaml.load(stream, Loader=yaml.CSafeLoader))
    return {"seconds": seconds}


def toml_load(path: str) -> dict[str, Any]:
    """The floor for TOML: the standard library's ``tomllib``."""
    import tomllib

    with open(path, "rb") as stream:
        seconds, _ = _timed(lambda: tomllib.load(stream))
    return {"seconds": seconds}


def api_load(path: str) -> dict[str, Any]:
    """``timeline.load`` alone."""
    import timeline

    seconds, loaded = _timed(lambda: timeline.load(path))
    return {"seconds": seconds, "events": len(loaded)}


def api_export(path: str, fmt: str) -> dict[str, Any]:
    """``timeline.load`` then ``timeline.export`` into a stream that keeps nothing."""
    import timeline

    load_s, loaded = _timed(lambda: timeline.load(path))
    sink = _Sink()
    export_s, _ = _timed(lambda: timeline.export(loaded, fmt, dest=sink))
    return {"seconds": load_s + export_s, "load": load_s, "export": export_s, "bytes": sink.size}


def icalendar_streamed(path: str) -> dict[str, Any]:
    """icalendar 7.3 writing the same events one ``Event.to_ical()`` at a time (see ical_bench.py).

    Only the writing is timed; the timeline is loaded with ``timeline`` first
    so that both writers get the same prepared values.
    """
    import timeline

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ical_bench import icalendar_baseline

    loaded = timeline.load(path)
    seconds, data = _timed(lambda: icalendar_baseline(loaded))
    return {"seconds": seconds, "bytes": len(data)}


PROBES: dict[str, Callable[..., dict[str, Any]]] = {
    "json-load": json_load,
    "json-roundtrip": json_roundtrip,
    "yaml-cload": yaml_load,
    "toml-load": toml_load,
    "api-load": api_load,
    "api-export": api_export,
    "icalendar": icalendar_streamed,
}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in PROBES:
        raise SystemExit(f"usage: python -m benchmarks.probe {{{','.join(PROBES)}}} ARGS...")
    print(json.dumps(PROBES[args[0]](*args[1:])))


if __name__ == "__main__":
    main()
