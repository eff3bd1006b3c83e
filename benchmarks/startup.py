"""Start-up of the installed command (issue 13 §5), against its floors.

    python -m benchmarks.startup                  # 20 interleaved rounds
    python -m benchmarks.startup --runs 40 --json startup.json
    python -m benchmarks.startup --importtime     # also: where check and the export spend their imports

Builds the wheel of this checkout, installs it into a fresh virtual
environment (dependencies at the versions of ``tests/requirements-lock.txt``),
and times, from an empty folder and with that environment's interpreter:

- ``python -c pass`` (the floor of every command),
- ``python -c "import markdown_it"`` (the library the Markdown export needs
  beyond what ``check`` needs: the sample's descriptions hold Markdown),
- ``python -c "import pendulum"`` (the other one: the sample's spans get
  durations, issue 15),
- ``python -c "import click, attrs, yaml, pluggy"`` (for comparison: the
  libraries every ``check`` of a YAML file imports),
- a bare click group's ``--help``,
- ``timeline --help``,
- ``timeline check SAMPLE`` (a copy of the bundled sample, outside that folder),
- ``timeline export -f markdown -o out.md`` (the bundled sample).

The commands take turns (one round runs each once, in that order), after
one unmeasured round; each figure is the median over the rounds of the wall
time (and of the child's CPU time, user + system, from ``wait4``).  Turns
make a change in the machine's load fall on every command alike, so the
ratios are what to compare; the absolute times move with the load. Targets:
``check`` at most 8x ``python -c pass``; the Markdown export at most 8x plus
the imports of markdown-it-py and pendulum (each median minus ``python -c pass``);
``timeline --help`` at most 1.25x the bare click group.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Sequence
from pathlib import Path

from .run import _BARE_CLICK, machine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "events" / "russia-dprk.yaml"

__all__ = ["main"]


def _environ() -> dict[str, str]:
    """Nothing from this checkout or this shell: no PYTHONPATH, no plugin choice; bytecode caching on."""
    leaky = ("PYTHONPATH", "TIMELINE_PLUGINS", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE", "SOURCE_DATE_EPOCH")
    return {k: v for k, v in os.environ.items() if k not in leaky}


def _run(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run; a failure stops the benchmark."""
    began = time.perf_counter()
    child = subprocess.Popen(
        list(command), cwd=cwd, env=_environ(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def build(work: Path) -> Path:
    """A virtual environment under ``work`` with the wheel of this checkout installed; its bin folder."""
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = dist.glob("timeline_events-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel),
         "-c", str(ROOT / "tests" / "requirements-lock.txt")],
        check=True,
        env=_environ(),
        capture_output=True,
    )
    return bin_dir


def commands(bin_dir: Path, work: Path) -> dict[str, list[str]]:
    python = str(bin_dir / "python")
    bare = work / "bare_click.py"
    bare.write_text(_BARE_CLICK, encoding="utf-8")
    sample = work / "sample.yaml"
    shutil.copyfile(SAMPLE, sample)
    tl = str(bin_dir / "timeline")
    return {
        "python -c pass": [python, "-c", "pass"],
        "import markdown_it": [python, "-c", "import markdown_it"],
        "import pendulum": [python, "-c", "import pendulum"],
        "import click, attrs, yaml, pluggy": [python, "-c", "import click, attrs, yaml, pluggy"],
        "bare click group --help": [python, str(bare), "--help"],
        "timeline --help": [tl, "--help"],
        "timeline check SAMPLE": [tl, "check", str(sample)],
        "timeline export -f markdown -o out.md": [tl, "export", "-f", "markdown", "-o", "out.md"],
    }


def interleaved(table: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, dict[str, float]]:
    """Medians of wall and CPU time over ``runs`` rounds, each round running every command once."""
    walls: dict[str, list[float]] = {name: [] for name in table}
    cpus: dict[str, list[float]] = {name: [] for name in table}
    for round_ in range(runs + 1):
        for name, command in table.items():
            wall, cpu = _run(command, cwd)
            if round_:  # the first round warms the caches (and writes the bytecode)
                walls[name].append(wall)
                cpus[name].append(cpu)
    return {name: {"wall": statistics.median(walls[name]), "cpu": statistics.median(cpus[name])} for name in table}


def verdicts(medians: dict[str, dict[str, float]], key: str = "wall") -> list[tuple[str, float, float, str]]:
    """(what, measured, limit, met/missed) for each target."""
    floor = medians["python -c pass"][key]
    library = sum(max(medians[f"import {name}"][key] - floor, 0.0) for name in ("markdown_it", "pendulum"))
    check = medians["timeline check SAMPLE"][key]
    export = medians["timeline export -f markdown -o out.md"][key]
    helps = medians["timeline --help"][key] / medians["bare click group --help"][key]
    rows = [
        ("check / python -c pass", check / floor, 8.0),
        ("export markdown / python -c pass (limit 8 + markdown-it-py's and pendulum's imports)", export / floor,
         8.0 + library / floor),
        ("timeline --help / bare click group", helps, 1.25),
    ]
    return [(what, value, limit, "met" if value <= limit else "MISSED") for what, value, limit in rows]


def importtime(bin_dir: Path, cwd: Path, work: Path, top: int = 12) -> dict[str, list[tuple[str, int]]]:
    """The modules with the largest cumulative import time (µs), top level only, for check and the export."""
    tl = [str(bin_dir / "python"), "-X", "importtime", "-m", "timeline"]
    found = {}
    for label, args in (("check", ["check", str(work / "sample.yaml")]),
                        ("export", ["export", "-f", "markdown", "-o", "out.md"])):
        proc = subprocess.run([*tl, *args], cwd=cwd, env=_environ(), capture_output=True, text=True, check=True)
        rows = []
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "|" not in line:
                continue
            _, cumulative, name = line.split("|")
            if name.startswith("  ") or not cumulative.strip().isdigit():
                continue  # nested imports are inside their parent's cumulative time
            rows.append((name.strip(), int(cumulative)))
        found[label] = sorted(rows, key=lambda row: -row[1])[:top]
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="interleaved rounds (default 20)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--importtime", action="store_true", help="also list the slowest top-level imports")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="timeline-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        bin_dir = build(work)
        empty = work / "empty"
        empty.mkdir(exist_ok=True)
        load_before = os.getloadavg()
        medians = interleaved(commands(bin_dir, work), args.runs, empty)
        load_after = os.getloadavg()
        report: dict[str, object] = {
            "machine": machine(),
            "load average before": [round(x, 2) for x in load_before],
            "load average after": [round(x, 2) for x in load_after],
            "runs": args.runs,
            "medians": medians,
            "targets": {key: verdicts(medians, key) for key in ("wall", "cpu")},
        }
        print(f"{args.runs} interleaved rounds; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
        floor = medians["python -c pass"]
        for name, figures in medians.items():
            print(f"  {name:<40} {figures['wall'] * 1000:7.1f} ms ({figures['wall'] / floor['wall']:5.2f}x)"
                  f"   CPU {figures['cpu'] * 1000:7.1f} ms ({figures['cpu'] / floor['cpu']:5.2f}x)")
        for key in ("wall", "cpu"):
            for what, value, limit, verdict in verdicts(medians, key):
                print(f"  [{key}] {what}: {value:.2f}x, limit {limit:.2f}x: {verdict}")
        if args.importtime:
            profile = importtime(bin_dir, empty, work)
            report["importtime"] = profile
            for label, rows in profile.items():
                print(f"  slowest top-level imports, {label}: "
                      + ", ".join(f"{name} {micro / 1000:.0f} ms" for name, micro in rows))
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
