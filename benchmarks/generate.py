"""Synthetic timelines for the benchmarks: deterministic, valid, and realistic.

Every run with the same seed and count writes the same bytes, so figures from
different machines describe the same input.  The events mix what real data
holds: year, month and day precision, local times resolved in zones with a
history of offsets, times with explicit offsets, spans written both ways,
ongoing events, the three qualifiers, descriptions of about 200 characters in
Cyrillic or Hangul (some with Markdown), tags, groups, sources, places,
pictures, links between events and free-form ``extra`` data.

Events are produced as plain data (what a reader returns), so the files can
be written in JSON, YAML and TOML without going through ``timeline`` itself;
``timeline check`` accepts all of them (``tests/test_scale.py`` checks it).
A smaller count gives a prefix of a larger one.

    python -m benchmarks.generate --events 100k --format json -o big.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

__all__ = ["FORMATS", "SIZES", "data_file", "events", "header", "parse_size", "write"]

#: The sizes the benchmark uses, by the names accepted on its command line.
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}

_CYRILLIC_WORDS = (
    "Россия Северная Корея договор о всеобъемлющем стратегическом партнёрстве подписан в Пхеньяне "
    "визит президента переговоры санкции Совета Безопасности ООН поставки боеприпасов военные учения "
    "граница река Туманная железная дорога Хасан Раджин порт делегация соглашение торговля"
)
_HANGUL_WORDS = (
    "조선민주주의인민공화국 러시아 포괄적 전략적 동반자 관계 조약 평양 정상회담 유엔 안전보장이사회 "
    "제재 탄약 공급 군사 훈련 국경 두만강 철도 나진 항구 외교 관계 수립 대표단 협정 무역"
)
_CYRILLIC = tuple(_CYRILLIC_WORDS.split())
_HANGUL = tuple(_HANGUL_WORDS.split())
_PUNCTUATION = (" ", " ", " ", " ", ", ", "; ", ". ")
#: Zones whose offsets changed over the years (Pyongyang was UTC+8:30 in 2015-2018).
_ZONES = ("Asia/Pyongyang", "Europe/Moscow", "Asia/Vladivostok", "Asia/Seoul", "Asia/Tokyo")
_OFFSETS = ("Z", "+09:00", "+03:00", "+10:00", "+08:30", "-05:00")
_TAGS = ("treaty", "sanctions", "summit", "military", "trade", "railway", "ООН", "외교", "визит", "nuclear")
_GROUPS = ("Diplomacy", "Military", "Economy", "Дипломатия", "외교")
_PLACES = (
    ("Pyongyang", 39.0392, 125.7625),
    ("Moscow", 55.7558, 37.6173),
    ("Vladivostok", 43.1155, 131.8855),
    ("Хасан", 42.4306, 130.6431),
    ("나진", 42.2417, 130.2956),
    ("Seoul", 37.5665, 126.978),
)
_PUBLISHERS = ("KCNA", "TASS", "Yonhap", "Wilson Center Digital Archive", "Reuters", "РИА Новости")
_QUALIFIERS = ("", "", "", "", "", "", "~", "?", "%")
_EPOCH = dt.date(1900, 1, 1).toordinal()
_DAYS = dt.date(2030, 12, 31).toordinal() - _EPOCH


def parse_size(text: str) -> int:
    """``"10k"`` -> 10000, ``"1M"`` -> 1000000, ``"2500"`` -> 2500."""
    cleaned = text.strip().replace("_", "").replace(",", "")
    scale = 1
    if cleaned[-1:] in ("k", "K"):
        scale, cleaned = 1_000, cleaned[:-1]
    elif cleaned[-1:] in ("m", "M"):
        scale, cleaned = 1_000_000, cleaned[:-1]
    value = int(float(cleaned) * scale)
    if value < 1:
        raise ValueError(f"size must be at least 1, not {text!r}")
    return value


def size_label(count: int) -> str:
    """The short name of a size, as in :data:`SIZES`."""
    for label, value in SIZES.items():
        if value == count:
            return label
    return f"{count:,}"


def header(count: int) -> dict[str, Any]:
    """The header fields and eras of a generated timeline (events come separately)."""
    return {
        "id": f"bench-{count}",
        "title": f"Benchmark: Россия и КНДР, {count:,} событий",
        "description": "A generated timeline for benchmarks: **not** real events. 합성 데이터.",
        "timezone": "Asia/Pyongyang",
        "updated": "2024-11-01",
        "eras": [
            {"title": "Cold War", "start": "1947/1991-12-26"},
            {"title": "Partnership", "start": "2000-02", "end": ".."},
        ],
    }


def _description(rng: random.Random, index: int) -> str:
    words = _CYRILLIC if index % 2 else _HANGUL
    # One call for all the words: drawing them one by one dominated the run.
    drawn = rng.choices(words, k=48)
    marks = rng.choices(_PUNCTUATION, k=48)
    parts: list[str] = []
    length = 0
    for word, mark in zip(drawn, marks, strict=True):
        parts.append(word + mark)
        length += len(word) + len(mark)
        if length >= 200:
            break
    text = "".join(parts).strip()
    kind = index % 16
    if kind == 3:  # some Markdown, as real descriptions have
        return f"**{drawn[0]}** {text} [источник](https://example.org/{index})"
    if kind == 7:
        return text + "\n\n- " + drawn[-1] + "\n- " + drawn[-2]
    return text


def _day(rng: random.Random) -> dt.date:
    return dt.date.fromordinal(_EPOCH + rng.randrange(_DAYS))


def _dates(rng: random.Random, index: int, event: dict[str, Any]) -> None:
    """Set ``start`` (and ``end``, ``timezone``) on ``event``: one of twelve shapes."""
    day = _day(rng)
    later = dt.date.fromordinal(day.toordinal() + rng.randrange(1, 2000))
    mark = rng.choice(_QUALIFIERS)
    # Hours from 6 to 21 stay clear of the daylight-saving gaps of these zones.
    hour, minute = rng.randrange(6, 22), rng.randrange(60)
    kind = index % 12
    if kind == 0:
        event["start"] = f"{day.year:04d}{mark}"
    elif kind == 1:
        event["start"] = f"{day.year:04d}-{day.month:02d}{mark}"
    elif kind in (2, 3):
        event["start"] = f"{day.isoformat()}{mark}"
    elif kind == 4:  # a local time, in the timeline's zone or the event's own
        event["start"] = f"{day.isoformat()}T{hour:02d}:{minute:02d}"
        if index % 24 == 4:
            event["timezone"] = rng.choice(_ZONES)
    elif kind == 5:  # a time with an offset, and an end an hour or so later
        offset = rng.choice(_OFFSETS)
        event["start"] = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{rng.randrange(60):02d}{offset}"
        event["end"] = f"{day.isoformat()}T{hour + 1:02d}:{minute:02d}{offset}"
    elif kind == 6:  # a span as an EDTF interval
        event["start"] = f"{day.isoformat()}/{later.isoformat()}"
    elif kind == 7:  # a span as two fields, at different precisions
        event["start"] = f"{day.isoformat()}{mark}"
        event["end"] = f"{later.year:04d}-{later.month:02d}"
    elif kind == 8:  # ongoing, both ways of writing it
        event["start"] = f"{day.isoformat()}/.." if index % 24 == 8 else day.isoformat()
        if index % 24 != 8:
            event["end"] = ".."
    elif kind == 9:
        event["start"] = f"{day.year:04d}-{day.month:02d}"
        event["end"] = f"{later.year:04d}{mark}"
    else:
        event["start"] = day.isoformat()


def events(count: int, seed: int = 2024) -> Iterator[dict[str, Any]]:
    """``count`` events as plain data, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    for index in range(count):
        words = _CYRILLIC if index % 2 else _HANGUL
        event: dict[str, Any] = {
            "id": f"e-{index:07d}",
            "title": f"{rng.choice(_CYRILLIC).capitalize()} {rng.choice(_HANGUL)} №{index}",
        }
        _dates(rng, index, event)
        event["description"] = _description(rng, index)
        event["tags"] = rng.sample(_TAGS, 1 + index % 3)
        if index % 3:
            event["group"] = _GROUPS[index % len(_GROUPS)]
        if index % 4 != 1:
            name, lat, lon = _PLACES[rng.randrange(len(_PLACES))]
            event["location"] = name if index % 8 == 2 else {"name": name, "lat": lat, "lon": lon}
        if index % 10 == 3:
            event["media"] = {"url": f"https://example.org/media/{index}.jpg", "caption": rng.choice(words)}
        sources: list[Any] = [
            {
                "title": f"Report: {rng.choice(words)}",
                "publisher": _PUBLISHERS[index % len(_PUBLISHERS)],
                "url": f"https://example.org/report/{index}",
            }
        ]
        if index % 5 == 0:
            sources[0]["date"] = _day(rng).isoformat()
        if index % 7 == 0:
            sources.append(f"Archive file {index % 997}")
        event["sources"] = sources
        if index and index % 6 == 0:
            event["related"] = [f"e-{rng.randrange(index):07d}"]
        if index % 50 == 0:
            event["extra"] = {"importance": index % 5, "verified": index % 2 == 0}
        yield event


# --- writers ---------------------------------------------------------------


def _json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_json(out: TextIO, count: int, seed: int) -> None:
    head = header(count)
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {_json_value(key)}: {_json_value(value)},\n")
    out.write('  "events": [\n')
    for i, event in enumerate(events(count, seed)):
        out.write(("    " if i == 0 else ",\n    ") + _json_value(event))
    out.write("\n  ]\n}\n")


def _write_yaml(out: TextIO, count: int, seed: int) -> None:
    # Block style for the fields, JSON-style flow for the values: both are
    # YAML, and quoting every string keeps "1961" or "no" from changing type.
    for key, value in header(count).items():
        out.write(f"{key}: {_json_value(value)}\n")
    out.write("events:\n")
    for event in events(count, seed):
        lead = "- "
        for key, value in event.items():
            out.write(f"{lead}{key}: {_json_value(value)}\n")
            lead = "  "


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return _json_value(value)  # JSON strings and numbers are TOML too
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _write_toml(out: TextIO, count: int, seed: int) -> None:
    head = header(count)
    eras = head.pop("eras")
    for key, value in head.items():
        out.write(f"{key} = {_toml_value(value)}\n")
    for era in eras:
        out.write("\n[[eras]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in era.items()))
    for event in events(count, seed):
        out.write("\n[[events]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in event.items()))


FORMATS: dict[str, tuple[str, Callable[[TextIO, int, int], None]]] = {
    "json": (".json", _write_json),
    "yaml": (".yaml", _write_yaml),
    "toml": (".toml", _write_toml),
}


def write(path: str | Path, count: int, fmt: str | None = None, *, seed: int = 2024) -> Path:
    """Write a generated timeline of ``count`` events to ``path`` (format from its extension)."""
    target = Path(path)
    fmt = fmt or target.suffix.lstrip(".").lower().replace("yml", "yaml")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    partial = target.with_name(target.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        FORMATS[fmt][1](out, count, seed)
    partial.replace(target)
    return target


def default_data_dir() -> Path:
    """Where generated files are kept between runs (they take a while to write)."""
    return Path(tempfile.gettempdir()) / "timeline-bench-data"


def data_file(count: int, fmt: str, directory: Path | None = None, *, seed: int = 2024) -> Path:
    """The generated file for ``count`` events in ``fmt``, written on first use."""
    folder = directory or default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{count}-s{seed}{FORMATS[fmt][0]}"
    if not path.exists():
        write(path, count, fmt, seed=seed)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", "-n", default="1k", help="how many: 1k, 10k, 100k, 1M or a number")
    parser.add_argument("--format", "-f", choices=sorted(FORMATS), help="default: from the output's extension")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--output", "-o", required=True, help="the file to write")
    args = parser.parse_args(argv)
    path = write(args.output, parse_size(args.events), args.format, seed=args.seed)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
