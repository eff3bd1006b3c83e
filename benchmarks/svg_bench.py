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
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import parse_size, size_label

TIMELINE = [sys.executable, "-m", "timeline"]
#: As an installed package runs: with its bytecode cached (the first, unmeasured run writes it).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
_EXPORT_ONLY = """
import sys, time, warnings, timeline
warnings.simplefilter("ignore")
tl = timeline.load(sys.argv[1])
started = time.perf_counter()
data = timeline.export(tl, "svg")
print(time.perf_counter() - started, len(data))
"""


CPU: dict[str, list[float]] = {}


def _wall(command: list[str], cwd: str) -> float:
    """Wall time of one run; its CPU time (user + system) goes to CPU[the command]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(" ".join(command), []).append(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def _median(command: list[str], runs: int, cwd: str) -> tuple[float, float]:
    """Median wall and median CPU time of ``runs`` runs, after an unmeasured one (it warms the caches)."""
    _wall(command, cwd)
    CPU.pop(" ".join(command), None)
    wall = statistics.median(_wall(command, cwd) for _ in range(runs))
    return wall, statistics.median(CPU.pop(" ".join(command)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true", help="only the sample")
    args = parser.parse_args(argv)
    sizes = [parse_size(part) for part in args.sizes.split(",") if part]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        floor, floor_cpu = _median([sys.executable, "-c", "pass"], args.runs * 2, folder)
        sample, sample_cpu = _median([*TIMELINE, "export", "-o", "out.svg"], args.runs, folder)
        print(f"python -c pass                       wall {floor * 1000:7.1f} ms, CPU {floor_cpu * 1000:7.1f} ms")
        print(f"timeline export -o out.svg (sample)  wall {sample * 1000:7.1f} ms, CPU {sample_cpu * 1000:7.1f} ms"
              f"  = {sample / floor:.1f}x (CPU {sample_cpu / floor_cpu:.1f}x) python -c pass  (target < 10x: "
              f"{'met' if sample < 10 * floor else 'MISSED'})")
        for size in [] if args.skip_large else sizes:
            path = Path(folder) / f"big-{size_label(size)}.json"
            subprocess.run([sys.executable, "-m", "benchmarks.generate", "--events", str(size), "-o", str(path)],
                           check=True, stdout=subprocess.DEVNULL)
            runs = max(1, args.runs // (2 if size > 50_000 else 1))
            end_to_end, end_cpu = _median([*TIMELINE, "export", str(path), "-o", "out.svg"], runs, folder)
            alone = []
            for _ in range(runs):
                out = subprocess.run([sys.executable, "-c", _EXPORT_ONLY, str(path)], check=True, text=True,
                                     capture_output=True, env=ENV).stdout.split()
                alone.append(float(out[0]))
                written = int(out[1])
            target = 3.0 if size <= 10_000 else 10.0
            print(f"{size:>7,} events: export end to end wall {end_to_end:6.2f} s, CPU {end_cpu:6.2f} s; the "
                  f"exporter alone {statistics.median(alone):6.2f} s; {written:,} bytes  (target <= {target:.0f} s: "
                  f"{'met' if end_to_end <= target else 'MISSED'})")
    print(f"# load afterwards {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
