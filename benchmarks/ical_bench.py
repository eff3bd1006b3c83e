"""Benchmark: the iCalendar exporter against icalendar 7.3, on 100,000 events.

Run from the repository root (takes a minute or two)::

    python benchmarks/ical_bench.py            # 100,000 events, 3 rounds
    python benchmarks/ical_bench.py --events 20000 --repeat 5

It times, in one run and on the same generated timeline:

(a) our exporter alone, writing to an in-memory buffer;
(b) ``timeline export --format ical`` end to end from a JSON file
    (process start, loading and validating the JSON, export, writing);
(c) the icalendar 7.3 baseline: the same events built as ``icalendar.Event``
    objects from the same prepared values (the same description text, UID
    text, dates and X-TIMELINE-PRECISION), written one ``Event.to_ical()``
    at a time;

and checks that (a) and (c) say the same thing, event by event, as decoded
by icalendar and by vobject on a sample, and that (b) wrote exactly the
bytes of (a).  Each of (a) and (c) is the best of ``--repeat`` runs; the
ratio is taken within one run, so a busy machine slows both sides.
Results go in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import timeline
from timeline import Date, Event, Location, Source, Timeline

_CYRILLIC_TEXT = (
    "Россия Северная Корея договор о всеобъемлющем стратегическом "
    "партнёрстве подписан в Пхеньяне визит президента переговоры санкции "
    "Совета Безопасности ООН поставки боеприпасов военные учения граница "
    "река Туманная железная дорога Хасан Раджин порт"
)
_HANGUL_TEXT = (
    "조선민주주의인민공화국 러시아 포괄적 전략적 동반자 관계 조약 평양 "
    "정상회담 유엔 안전보장이사회 제재 탄약 공급 군사 훈련 "
    "국경 두만강 철도 나진 항구 외교 관계 수립"
)
CYRILLIC = tuple(_CYRILLIC_TEXT.split())
HANGUL = tuple(_HANGUL_TEXT.split())
ZONES = ("Asia/Pyongyang", "Europe/Moscow", "Asia/Vladivostok", "Asia/Seoul")


def make_timeline(count: int, seed: int = 2024) -> Timeline:
    """A deterministic timeline of ``count`` events with ~200-character descriptions."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    events = []
    for index in range(count):
        words = CYRILLIC if index % 2 else HANGUL
        description = ""
        while len(description) < 200:
            description += rng.choice(words) + rng.choice([" ", " ", " ", ", ", "; ", ". "])
        year = rng.randint(1900, 2030)
        kind = index % 10
        end: Date | None = None
        ongoing = False
        if kind == 0:
            start = Date(year, approximate=rng.random() < 0.3)
        elif kind == 1:
            start = Date(year, rng.randint(1, 12))
        elif kind in (2, 3):
            zone = rng.choice(ZONES)
            start = Date(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))
            start = start.in_zone(zone)
            if kind == 3:
                end = Date(start.year, start.month, start.day, min(start.hour + 1, 23), 59).in_zone(zone)  # type: ignore[arg-type,operator]
        elif kind == 4:
            start = Date(year, rng.randint(1, 12), rng.randint(1, 28))
            end = Date(year + rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28))
            if end.sort_key() < start.sort_key():
                start, end = end, start
        elif kind == 5 and index % 100 == 5:
            start, ongoing = Date(year, rng.randint(1, 12), rng.randint(1, 28)), True
        else:
            start = Date(year, rng.randint(1, 12), rng.randint(1, 28), uncertain=rng.random() < 0.1)
        events.append(Event(
            id=f"event-{index:06d}",
            title=f"{rng.choice(CYRILLIC).capitalize()} {rng.choice(HANGUL)}, №{index}",
            start=start,
            end=end,
            ongoing=ongoing,
            description=description.strip(),
            tags=tuple(rng.sample(["treaty", "sanctions", "summit", "military", "trade", "ООН", "외교"], 2)),
            location=Location(name=rng.choice(["Pyongyang", "Moscow", "Vladivostok", "Хасан", "나진"]),
                              lat=round(rng.uniform(35, 60), 4), lon=round(rng.uniform(30, 140), 4)),
            sources=(Source(title="Report " + rng.choice(CYRILLIC), publisher="Agency",
                            url=f"https://example.org/{index}"),),
        ))
    return Timeline(id="bench", title="Benchmark: Россия и КНДР", description="Generated *benchmark* timeline.",
                    events=events, updated=Date(2024, 11, 1))


def ours(tl: Timeline) -> bytes:
    stream = io.BytesIO()
    timeline.export(tl, "ical", dest=stream)
    return stream.getvalue()


def icalendar_baseline(tl: Timeline) -> bytes:
    """The same events through icalendar, one ``Event.to_ical()`` at a time."""
    import icalendar
    from timeline.plugins.ical import _Writer  # the same prepared text, so only the writer differs

    writer = _Writer(tl, {})
    stream = io.BytesIO()
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//timeline developers//timeline-events {timeline.__version__}//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", tl.title)
    calendar.add("x-wr-calname", tl.title)
    header = calendar.to_ical()
    stream.write(header[: header.rindex(b"END:VCALENDAR")])
    stamp = dt.datetime(2024, 11, 1, tzinfo=dt.timezone.utc)
    for event in tl.events:
        item = icalendar.Event()
        item.add("uid", timeline.event_uid_text(tl.id, event.id))
        item.add("dtstamp", stamp)
        begin, finish = _dates(event)
        item.add("dtstart", begin)
        if finish is not None:
            item.add("dtend", finish)
        item.add("summary", " ".join(event.title.splitlines()) + (" (ongoing)" if event.ongoing else ""))
        item.add("description", writer._description(event))
        url = next((s.url for s in event.sources if s.url), None)
        if url:
            item.add("url", url)
        if event.tags:
            item.add("categories", list(event.tags))
        if event.location is not None:
            if event.location.name:
                item.add("location", event.location.name)
            if event.location.has_coordinates:
                item.add("geo", (event.location.lat, event.location.lon))
        item.add("transp", "TRANSPARENT")
        item.add("x-timeline-precision", _precision(event))
        stream.write(item.to_ical())
    stream.write(b"END:VCALENDAR\r\n")
    return stream.getvalue()


def _dates(event: Event) -> tuple[Any, Any]:
    start, end = event.start, None if event.ongoing else event.end
    if start.offset is not None and start.hour is not None and (end is None or end.offset is not None):
        begin = dt.datetime(*start.utc_fields(), tzinfo=dt.timezone.utc)
        finish = None if end is None else dt.datetime(*end.utc_fields(), tzinfo=dt.timezone.utc)
        return begin, (finish if finish is not None and finish > begin else None)
    last = (end or start).last_day()
    return dt.date(*start.first_day()), dt.date(*last) + dt.timedelta(days=1)


def _precision(event: Event) -> str:
    word = event.start.precision.name.lower()
    if event.end is not None and event.end.precision != event.start.precision:
        word += "/" + event.end.precision.name.lower()
    return word


def compare(a: bytes, b: bytes, sample: int) -> int:
    """Parse both outputs with icalendar and compare the first ``sample`` events field by field."""
    import icalendar

    def head(data: bytes) -> bytes:
        cut = 0
        for _ in range(sample):
            found = data.find(b"END:VEVENT\r\n", cut)
            if found < 0:
                break
            cut = found + len(b"END:VEVENT\r\n")
        return data[:cut] + b"END:VCALENDAR\r\n"

    left = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(head(a)).walk("VEVENT")}
    right = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(head(b)).walk("VEVENT")}
    assert left.keys() == right.keys(), "different events"
    for uid, x in left.items():
        y = right[uid]
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "URL", "TRANSP", "X-TIMELINE-PRECISION"):
            assert str(x.get(name)) == str(y.get(name)), (uid, name, x.get(name), y.get(name))
        for name in ("DTSTART", "DTEND", "DTSTAMP"):
            assert (x.decoded(name) if name in x else None) == (y.decoded(name) if name in y else None), (uid, name)
        assert [str(c) for c in x["CATEGORIES"].cats] == [str(c) for c in y["CATEGORIES"].cats], uid
        assert (x["GEO"].latitude, x["GEO"].longitude) == (y["GEO"].latitude, y["GEO"].longitude), uid
    # a second, independent parser
    import vobject

    def by_uid(data: bytes) -> dict[str, Any]:
        calendar = vobject.readOne(head(data).decode("utf-8"))
        return {e.uid.value: e for e in calendar.vevent_list}

    left_v, right_v = by_uid(a), by_uid(b)
    assert left_v.keys() == right_v.keys() == left.keys(), "vobject: different events"
    for uid, x in left_v.items():
        y = right_v[uid]
        for name in ("summary", "description", "location", "url", "dtstart", "dtend", "categories"):
            got = [c.value for c in x.contents.get(name, [])]
            want = [c.value for c in y.contents.get(name, [])]
            assert got == want, (uid, name, got, want)
    return len(left)


class Timing:
    """Best wall-clock and best CPU time over several runs of one contender."""

    def __init__(self) -> None:
        self.wall = float("inf")
        self.cpu = float("inf")
        self.walls: list[float] = []

    def run(self, func: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.walls.append(wall)
        self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)
        return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (a) then (c); the best of each is kept")
    parser.add_argument("--sample", type=int, default=2000, help="events compared through the parser")
    args = parser.parse_args()

    import icalendar

    print(f"machine: {machine()}; icalendar {icalendar.__version__}")
    began = time.perf_counter()
    tl = make_timeline(args.events)
    print(f"generated {len(tl.events):,} events in {time.perf_counter() - began:.1f} s")

    # (a) and (c) take turns, so a neighbour's burst of load slows both alike.
    mine_t, base_t = Timing(), Timing()
    mine = base = b""
    for _ in range(args.repeat):
        mine = mine_t.run(lambda: ours(tl))
        base = base_t.run(lambda: icalendar_baseline(tl))
    count = len(tl.events)
    print(f"(a) our exporter:              {mine_t.wall:8.2f} s wall {mine_t.cpu:8.2f} s CPU  "
          f"{mine_t.wall / count * 1e6:6.1f} µs/event  {len(mine) / 1e6:6.1f} MB")
    print(f"(c) icalendar Event.to_ical(): {base_t.wall:8.2f} s wall {base_t.cpu:8.2f} s CPU  "
          f"{base_t.wall / count * 1e6:6.1f} µs/event  {len(base) / 1e6:6.1f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.json"
        timeline.export(tl, "json", dest=source, indent=0)
        target = Path(tmp) / "bench.ics"
        command = [sys.executable, "-m", "timeline", "export", str(source), "--format", "ical", "-o", str(target)]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cli_s = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        same = target.read_bytes() == mine
    print(f"(b) timeline export (CLI):     {cli_s:8.2f} s wall {cli_cpu:8.2f} s CPU  "
          f"{cli_s / count * 1e6:6.1f} µs/event  (JSON load + export; output identical to (a): {same})")

    checked = compare(mine, base, args.sample)
    print(f"content: the first {checked:,} events decode to the same fields with icalendar and vobject")
    rounds = sorted(c / a for a, c in zip(mine_t.walls, base_t.walls, strict=True))
    print(f"ratio (c)/(a): {base_t.wall / mine_t.wall:.1f}x wall (best vs best), {base_t.cpu / mine_t.cpu:.1f}x CPU, "
          f"{rounds[len(rounds) // 2]:.1f}x median of {len(rounds)} rounds")
    print(f"ratio (c)/(b): {base_t.wall / cli_s:.1f}x wall, {base_t.cpu / cli_cpu:.1f}x CPU")


if __name__ == "__main__":
    main()
