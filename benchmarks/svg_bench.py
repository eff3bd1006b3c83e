"""Benchmark: the SVG exporter, on the sample and on 10,000 and 100,000 generated events.

Run from the repository root (a minute or two)::

    python -m benchmarks.svg_bench                    # the targets of issue 16
    python -m benchmarks.svg_bench --sizes 10k --runs 3

It times, each in a fresh process and as the median of ``--runs``:

(a) ``python -c pass``, the floor every command pays;
(b) ``timeline export -o out.svg`` on the bundled sample, end to end;
(c) for each size, ``timeline export big.json -o out.svg`` end to end
    (start, loading and validating the JSON written by
    ``benchmarks.generate``, drawing, writing), and the exporter alone
    (``timeline.export(tl, "svg")`` on the loaded timeline, in-process);

and prints them against the targets of issue 16: the sample in under 10x
(a), 10,000 events in at most 3 s, 100,000 (a density strip) in at most 10 s.
Results go in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import parse_size, size_label

TIMELINE = [sys.executable, "-m", "timeline"]
_EXPORT_ONLY = """
import sys, time, warnings, timeline
warnings.simplefilter("ignore")
tl = timeline.load(sys.argv[1])
started = time.perf_counter()
data = timeline.export(tl, "svg")
print(time.perf_counter() - started, len(data))
"""


def _wall(command: list[str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _median(command: list[str], runs: int, cwd: str) -> float:
    _wall(command, cwd)  # unmeasured: warm the file cache
    return statistics.median(_wall(command, cwd) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = [parse_size(part) for part in args.sizes.split(",") if part]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        floor = _median([sys.executable, "-c", "pass"], args.runs * 2, folder)
        sample = _median([*TIMELINE, "export", "-o", "out.svg"], args.runs, folder)
        print(f"python -c pass                     {floor * 1000:8.1f} ms")
        print(f"timeline export -o out.svg (sample) {sample * 1000:7.1f} ms  = {sample / floor:.1f}x python -c pass"
              f"  (target < 10x: {'met' if sample < 10 * floor else 'MISSED'})")
        for size in sizes:
            path = Path(folder) / f"big-{size_label(size)}.json"
            subprocess.run([sys.executable, "-m", "benchmarks.generate", "--events", str(size), "-o", str(path)],
                           check=True, stdout=subprocess.DEVNULL)
            runs = max(1, args.runs // (2 if size > 50_000 else 1))
            end_to_end = _median([*TIMELINE, "export", str(path), "-o", "out.svg"], runs, folder)
            alone = []
            for _ in range(runs):
                out = subprocess.run([sys.executable, "-c", _EXPORT_ONLY, str(path)], check=True, text=True,
                                     capture_output=True).stdout.split()
                alone.append(float(out[0]))
                written = int(out[1])
            target = 3.0 if size <= 10_000 else 10.0
            print(f"{size:>7,} events: export end to end {end_to_end:6.2f} s, the exporter alone "
                  f"{statistics.median(alone):6.2f} s, {written:,} bytes  (target <= {target:.0f} s: "
                  f"{'met' if end_to_end <= target else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
