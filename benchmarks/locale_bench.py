"""Benchmark: Markdown exports in another language against the same export in English (issue 15).

Run from the repository root::

    python -m benchmarks.locale_bench                          # the sample 10 times, 100,000 events 3 times
    python -m benchmarks.locale_bench --events 10k --runs 5 --sample-runs 20

Two comparisons, each a pair of ``timeline export -f markdown -o out.md``
commands run in fresh processes, taking turns (English, then the other
locale, then English again...) after one unmeasured round:

(a) the bundled sample (57 events, read when the folder has no
    ``timeline.yaml``), English against ``--locale ru``: the whole command,
    start-up included, since that is what a person waits for.  Target: at
    most 2x.
(b) ``--events`` generated events (``benchmarks/generate.py``: mixed
    precisions, spans, ongoing events, qualifiers, sources with dates),
    read from JSON, English against ``--locale ko``.  Target: at most 1.5x.

Both sides write durations (on by default), so pendulum is loaded in both;
the other locale adds Babel, its CLDR data and our catalogue.  For each
command it prints the median wall time and the median CPU time of the
child process (user + system, from ``wait4``), with the ratios.  Results
go in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .generate import data_file, parse_size

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m timeline ARGS`` in ``cwd``."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "timeline", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    stderr = proc.stderr.read().decode() if proc.stderr is not None else ""
    if proc.stderr is not None:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"timeline {' '.join(args)} failed:\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime


def compare(pair: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds of each command of ``pair``, run in turns."""
    for args in pair.values():  # unmeasured: caches, the generated file's pages
        _run(args, cwd)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in pair}
    for _ in range(runs):
        for name, args in pair.items():
            times[name].append(_run(args, cwd))
    return {name: {"wall": statistics.median(t[0] for t in got), "cpu": statistics.median(t[1] for t in got)}
            for name, got in times.items()}


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", default="100k", help="events in comparison (b): 1k, 10k, 100k or a number")
    parser.add_argument("--runs", type=int, default=3, help="rounds of comparison (b)")
    parser.add_argument("--sample-runs", type=int, default=10, help="rounds of comparison (a)")
    parser.add_argument("--data-dir", type=Path, default=None, help="where generated files are kept")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    count = parse_size(args.events)
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load {_load()}")
    figures: dict[str, object] = {}
    targets = {"sample": 2.0, "large": 1.5}
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        sample = {"en": ["export", "-f", "markdown", "-o", "out.en.md"],
                  "ru": ["export", "-f", "markdown", "--locale", "ru", "-o", "out.ru.md"]}
        big = str(data_file(count, "json", args.data_dir))
        large = {"en": ["export", big, "-f", "markdown", "-o", "big.en.md"],
                 "ko": ["export", big, "-f", "markdown", "--locale", "ko", "-o", "big.ko.md"]}
        for name, pair, runs in (("sample", sample, args.sample_runs), ("large", large, args.runs)):
            got = compare(pair, cwd, runs)
            other_name = next(key for key in got if key != "en")
            local = got[other_name]
            label = "the sample (57 events)" if name == "sample" else f"{count:,} events"
            print(f"\n{label}, median of {runs}:")
            for key, value in got.items():
                print(f"  {key}: {value['wall']:.3f} s wall, {value['cpu']:.3f} s CPU")
            wall_ratio = local["wall"] / got["en"]["wall"]
            cpu_ratio = local["cpu"] / got["en"]["cpu"]
            verdict = "met" if wall_ratio <= targets[name] else f"missed by {wall_ratio / targets[name] - 1:.0%}"
            print(f"  {other_name}/en: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
                  f"(target <= {targets[name]}x: {verdict})")
            figures[name] = {**got, "wall_ratio": wall_ratio, "cpu_ratio": cpu_ratio, "runs": runs}
    print(f"\nload after: {_load()}")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
