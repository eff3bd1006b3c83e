"""Benchmark: the iCalendar reader against ``icalendar.Calendar.from_ical`` alone, on the same file.

Run from the repository root::

    python benchmarks/ical_read_bench.py                    # 100,000 events, 3 rounds
    python benchmarks/ical_read_bench.py --events 10000 --repeat 5

It writes one ``.ics`` file of ``--events`` events (the timeline of
``ical_bench.py``, exported by our exporter: UTC times, all-day spans,
~200-character Cyrillic and Hangul descriptions, categories, places, and
our ``X-TIMELINE-*`` properties), then runs, each in a fresh process:

(a) ``icalendar.Calendar.from_ical`` on the file's bytes, nothing else;
(b) our reader's ``read`` (decoding, the structure check, ``from_ical``,
    and turning every VEVENT into an event of the data format);
(c) a process that only reads the bytes (the floor both share);

and reports, for (a) and (b), the best wall time of the call itself over
``--repeat`` rounds (interpreter start and imports excluded) and the peak
resident memory of the process (``wait4``), with (b)/(a) ratios.  The
targets of issue 14: time at most 1.3x, peak memory at most 1.5x.
Results go in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def probe(mode: str, path: str) -> None:
    """Run in the child: do one thing to the file and print the seconds it took."""
    data = Path(path).read_bytes()
    if mode == "bytes":
        print(json.dumps({"seconds": 0.0, "events": 0}))
        return
    import icalendar  # imported before timing in both modes

    if mode == "from_ical":
        began = time.perf_counter()
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
        seconds = time.perf_counter() - began
        count = sum(1 for c in calendars for s in c.subcomponents if s.name == "VEVENT")
    else:
        import timeline

        reader = timeline.Registry().readers()["ical"]
        context = timeline.ReadContext()
        began = time.perf_counter()
        document = reader.read(data, path, context=context)
        seconds = time.perf_counter() - began
        count = len(document.content["events"])
    print(json.dumps({"seconds": seconds, "events": count}))


def measure(mode: str, path: Path) -> tuple[float, float, int]:
    """(seconds of the call, peak RSS in MB, events) from a fresh process."""
    process = subprocess.Popen([sys.executable, __file__, "--probe", mode, str(path)], stdout=subprocess.PIPE,
                               cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{mode} failed with status {process.returncode}")
    found = json.loads(out)
    return found["seconds"], usage.ru_maxrss / 1024, found["events"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--probe", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        probe(*args.probe)
        return
    sys.path.insert(0, str(ROOT))
    import timeline
    from benchmarks.ical_bench import make_timeline

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.ics"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            timeline.export(make_timeline(args.events), "ical", dest=path)
        size = path.stat().st_size
        best: dict[str, tuple[float, float, int]] = {}
        for _ in range(args.repeat):
            for mode in ("from_ical", "read"):  # taking turns: a busy machine slows both
                seconds, peak, count = measure(mode, path)
                old = best.get(mode)
                best[mode] = (min(seconds, old[0]) if old else seconds, min(peak, old[1]) if old else peak, count)
        floor = measure("bytes", path)[1]
    (ical_s, ical_mb, ical_n), (read_s, read_mb, read_n) = best["from_ical"], best["read"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"file: {args.events:,} events, {size / 1e6:.1f} MB; best of {args.repeat}")
    print(f"from_ical alone:  {ical_s:7.2f} s  peak {ical_mb:7.0f} MB  ({ical_n:,} VEVENTs)")
    print(f"ical reader:      {read_s:7.2f} s  peak {read_mb:7.0f} MB  ({read_n:,} events)")
    print(f"bytes only:                   peak {floor:7.0f} MB")
    print(f"ratio time {read_s / ical_s:.2f}x (target <= 1.3), peak memory {read_mb / ical_mb:.2f}x (target <= 1.5); "
          f"above the bytes-only floor {(read_mb - floor) / max(ical_mb - floor, 1):.2f}x")


if __name__ == "__main__":
    main()
