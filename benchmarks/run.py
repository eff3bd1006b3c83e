"""The benchmark: every loader and exporter, at every size, against the baselines.

    python -m benchmarks.run --sizes 1k,10k,100k,1M
    python -m benchmarks.run --sizes 1k,10k --update-docs   # rewrite docs/performance.md's table

Each measurement runs in a fresh child process and is timed from outside
(wall clock); its peak memory is the child's maximum resident set size as
reported by ``wait4``.  What is measured, for each size:

- the floors: ``json.load`` alone, ``json.load`` + ``json.dump`` of the same
  data, PyYAML's C loader, ``tomllib``, and icalendar 7.3 writing the same
  events one ``Event.to_ical()`` at a time;
- through the CLI: ``timeline check`` on the JSON, YAML and TOML files
  (loading alone), and ``timeline export FILE.json -f NAME -o OUT`` for every
  exporter installed;
- through the Python API: ``timeline.load`` and ``timeline.load`` +
  ``timeline.export`` (in-process timings, without the start-up).

Then the start-up figures (``timeline --help`` against a bare click group,
``timeline export -f markdown`` on the bundled sample against ``python -c
pass``), the time per event at the largest size against 10k, and the targets
of issue 7, each marked met or missed.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .generate import data_file, default_data_dir, parse_size, size_label

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
LOADERS = ("json", "yaml", "toml")

_BARE_CLICK = '''import click

@click.group()
def cli():
    """A bare group: the floor for --help."""

@cli.command()
def check():
    """Check."""

@cli.command()
def export():
    """Export."""

@cli.command()
def show():
    """Show."""

cli()
'''


class Measure:
    """One child process: wall time, peak memory, exit status and output."""

    def __init__(self, seconds: float, peak_mb: float, status: int, stdout: str, stderr: str) -> None:
        self.seconds = seconds
        self.peak_mb = peak_mb
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    @property
    def ok(self) -> bool:
        return self.status == 0


def _environment() -> dict[str, str]:
    """The children's environment: bytecode caching on, as for any installed package.

    With ``PYTHONDONTWRITEBYTECODE`` set (some CI images set it), every run
    would compile the project's modules from source again and the start-up
    figures would measure the compiler.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(command: Sequence[str], *, cwd: Path | None = None) -> Measure:
    """Run ``command`` and report its wall time and its own peak RSS (not its siblings')."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        child = subprocess.Popen(list(command), stdout=out, stderr=err, cwd=cwd, env=_environment())
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measure(
            seconds,
            usage.ru_maxrss / 1024,  # KiB on Linux
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def timeline_command() -> list[str]:
    """The installed ``timeline`` script beside this Python, else ``python -m timeline``."""
    script = Path(sys.executable).with_name("timeline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "timeline"]


def probe(*args: str) -> tuple[Measure, dict[str, Any]]:
    found = measure([sys.executable, "-m", "benchmarks.probe", *args], cwd=ROOT)
    if not found.ok:
        raise RuntimeError(f"probe {args[0]} failed: {found.stderr.strip()[-400:]}")
    return found, json.loads(found.stdout)


def median_of(runs: int, command: Sequence[str], *, cwd: Path | None = None) -> float:
    """The median wall time of ``runs`` runs, after one unmeasured run to warm the caches."""
    times = []
    measure(command, cwd=cwd)
    for _ in range(runs):
        found = measure(command, cwd=cwd)
        if not found.ok:
            raise RuntimeError(f"{' '.join(command)} failed: {found.stderr.strip()[-400:]}")
        times.append(found.seconds)
    return statistics.median(times)


# --- machine ----------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    os_name = platform.platform(terse=True)
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": os_name,
        "load": load,
    }


# --- the runs ---------------------------------------------------------------


def startup(runs: int, workdir: Path) -> dict[str, float]:
    """Medians of start-up commands (seconds)."""
    bare = workdir / "bare_click.py"
    bare.write_text(_BARE_CLICK, encoding="utf-8")
    empty = workdir / "empty"
    empty.mkdir(exist_ok=True)  # no timeline.yaml here: export reads the bundled sample
    tl = timeline_command()
    return {
        "python -c pass": median_of(runs, [sys.executable, "-c", "pass"]),
        "bare click group --help": median_of(runs, [sys.executable, str(bare), "--help"]),
        "timeline --help": median_of(runs, [*tl, "--help"]),
        "timeline export -f markdown (sample)": median_of(runs, [*tl, "export", "-f", "markdown"], cwd=empty),
    }


def exporters() -> list[str]:
    import timeline

    return list(timeline.Registry().exporters())


def run_size(
    count: int, args: argparse.Namespace, names: list[str], workdir: Path, log: Any
) -> dict[str, dict[str, float]]:
    """Every measurement at one size: name -> {seconds, peak_mb, ...}."""
    results: dict[str, dict[str, float]] = {}
    tl = timeline_command()

    def keep(name: str, found: Measure, extra: dict[str, Any] | None = None) -> None:
        results[name] = {"seconds": found.seconds, "peak_mb": found.peak_mb, **(extra or {})}
        inner = f" (timed inside: {extra['seconds']:.2f} s)" if extra and "seconds" in extra else ""
        print(f"  {name:<34} {found.seconds:8.2f} s {found.peak_mb:8.0f} MB{inner}", file=log, flush=True)

    files = {}
    for fmt in LOADERS:
        if fmt == "toml" and count > args.toml_max:
            continue
        if fmt == "yaml" and count > args.yaml_max:
            continue
        began = time.perf_counter()
        files[fmt] = data_file(count, fmt, args.data_dir)
        spent = time.perf_counter() - began
        if spent > 1:
            print(f"  (generated {files[fmt].name} in {spent:.0f} s)", file=log, flush=True)
    source = str(files["json"])
    out = workdir / "out"

    found, inner = probe("json-load", source)
    keep("floor: json.load", found)
    found, inner = probe("json-roundtrip", source, str(workdir / "roundtrip.json"))
    keep("floor: json.load + json.dump", found)
    if "yaml" in files:
        found, inner = probe("yaml-cload", str(files["yaml"]))
        keep("floor: yaml CSafeLoader", found)
    if "toml" in files:
        found, inner = probe("toml-load", str(files["toml"]))
        keep("floor: tomllib", found)
    if count <= args.icalendar_max:
        try:
            found, inner = probe("icalendar", source)
            keep("floor: icalendar Event.to_ical()", found, {"inner": inner["seconds"]})
        except RuntimeError as exc:
            print(f"  icalendar baseline skipped: {exc}", file=log, flush=True)

    for fmt, path in files.items():
        found = measure([*tl, "check", str(path)])
        if not found.ok:
            raise RuntimeError(f"timeline check {path} failed: {found.stderr.strip()[-400:]}")
        keep(f"cli: check {fmt}", found)
    if count > args.all_exporters_max:
        names = [name for name in names if name in args.big_exporters]
    for name in names:
        found = measure([*tl, "export", source, "-f", name, "-o", str(out)])
        if not found.ok:
            raise RuntimeError(f"timeline export -f {name} failed: {found.stderr.strip()[-400:]}")
        keep(f"cli: export json -> {name}", found, {"bytes": out.stat().st_size})
    if count <= args.api_max:
        found, inner = probe("api-load", source)
        keep("api: load json", found, {"inner": inner["seconds"]})
        for name in names:
            found, inner = probe("api-export", source, name)
            keep(f"api: load + export {name}", found, {"inner": inner["seconds"], "export": inner["export"]})
    out.unlink(missing_ok=True)
    return results


# --- reporting --------------------------------------------------------------


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def table(all_results: dict[int, dict[str, dict[str, float]]]) -> str:
    sizes = sorted(all_results)
    rows = []
    for results in all_results.values():
        for name in results:
            if name not in rows:
                rows.append(name)
    head = "| | " + " | ".join(size_label(n) for n in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(sizes)]
    for name in rows:
        cells = []
        for n in sizes:
            value = all_results[n].get(name)
            if value is None:
                cells.append("–")
                continue
            cell = f"{_fmt_s(value['seconds'])}, {value['peak_mb']:.0f} MB"
            if "inner" in value and name.startswith("api"):
                cell += f" ({_fmt_s(value['inner'])} in-process)"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def linearity(all_results: dict[int, dict[str, dict[str, float]]], start: dict[str, float]) -> str:
    """Time per event at the largest size against 10k (start-up taken out)."""
    sizes = sorted(all_results)
    if 10_000 not in all_results or sizes[-1] <= 10_000:
        return "(needs 10k and a larger size)"
    big = sizes[-1]
    base = start.get("timeline --help", 0.0)
    lines = [f"| | µs/event at 10k | µs/event at {size_label(big)} | ratio |", "|---|---|---|---|"]
    for name, value in all_results[big].items():
        small = all_results[10_000].get(name)
        if small is None or name.startswith("floor"):
            continue
        if "inner" in value and "inner" in small:
            a, b = small["inner"] / 10_000, value["inner"] / big
        else:
            a, b = (small["seconds"] - base) / 10_000, (value["seconds"] - base) / big
        lines.append(f"| {name} | {a * 1e6:.1f} | {b * 1e6:.1f} | {b / a:.2f} |")
    return "\n".join(lines)


def targets(all_results: dict[int, dict[str, dict[str, float]]], start: dict[str, float]) -> list[str]:
    big = max(all_results)
    res = all_results[big]
    lines = []

    def mark(ok: bool) -> str:
        return "**met**" if ok else "**missed**"

    ical = res.get("cli: export json -> ical")
    floor, load = res["floor: json.load + json.dump"], res["floor: json.load"]
    if ical is not None:
        ratio = ical["seconds"] / floor["seconds"]
        lines.append(
            f"(a) {size_label(big)} events JSON → iCal via the CLI: {_fmt_s(ical['seconds'])} = {ratio:.2f}x "
            f"the json.load + json.dump floor ({_fmt_s(floor['seconds'])}); target ≤ 3x: {mark(ratio <= 3)}"
        )
        ratio = ical["peak_mb"] / load["peak_mb"]
        lines.append(
            f"(b) its peak memory: {ical['peak_mb']:.0f} MB = {ratio:.2f}x json.load's "
            f"({load['peak_mb']:.0f} MB); target ≤ 1.5x: {mark(ratio <= 1.5)}"
        )
    check = res.get("cli: check json")
    if check is not None:
        extras = []
        for name, value in res.items():
            if name.startswith("cli: export"):
                extras.append(f"{name.split('-> ')[1]} {value['peak_mb'] - check['peak_mb']:+.0f} MB")
        lines.append(
            f"(c) peak memory of each export beyond loading alone (`check`, {check['peak_mb']:.0f} MB) at "
            f"{size_label(big)}: " + ", ".join(extras)
        )
    helps = start["timeline --help"] / start["bare click group --help"]
    lines.append(
        f"(d) `timeline --help` {start['timeline --help'] * 1000:.0f} ms = {helps:.2f}x a bare click group "
        f"({start['bare click group --help'] * 1000:.0f} ms); target ≤ 1.25x: {mark(helps <= 1.25)}"
    )
    export_md, bare = start["timeline export -f markdown (sample)"], start["python -c pass"]
    lines.append(
        f"(e) `timeline export -f markdown` on the sample {export_md * 1000:.0f} ms = {export_md / bare:.1f}x "
        f"`python -c pass` ({bare * 1000:.0f} ms); target ≤ 8x: {mark(export_md / bare <= 8)}"
    )
    return lines


def report(
    all_results: dict[int, dict[str, dict[str, float]]], start: dict[str, float], info: dict[str, str], command: str
) -> str:
    parts = [
        f"Command: `{command}`",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['os']}; {info['python']}; "
        f"load average before the run {info['load']}.",
        "",
        "Each cell: wall time, and peak memory (maximum resident set size) of the process.",
        "",
        table(all_results),
        "",
        "Start-up (median of the runs):",
        "",
        "| command | time |",
        "|---|---|",
        *(f"| {name} | {seconds * 1000:.0f} ms |" for name, seconds in start.items()),
        "",
        "Time per event, largest size against 10k (in-process time for the API rows; "
        "for the CLI rows, wall time less the start-up of `timeline --help`):",
        "",
        linearity(all_results, start),
        "",
        "Targets:",
        "",
        *(f"- {line}" for line in targets(all_results, start)),
    ]
    return "\n".join(parts) + "\n"


def update_docs(text: str) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{DOCS} has no {BEGIN} ... {END} section to replace")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated: 1k,10k,100k,1M or numbers")
    parser.add_argument("--exporters", help="comma-separated; default: every installed exporter")
    parser.add_argument("--runs", type=int, default=7, help="runs of each start-up command (median)")
    parser.add_argument("--api-max", default="1M", help="largest size measured through the Python API")
    parser.add_argument("--yaml-max", default="1M", help="largest size with a YAML file")
    parser.add_argument("--toml-max", default="100k", help="largest size with a TOML file")
    parser.add_argument("--icalendar-max", default="100k", help="largest size for the icalendar baseline")
    parser.add_argument("--all-exporters-max", default="1M", help="above this size, only --big-exporters run")
    parser.add_argument(
        "--big-exporters", default="ical,json,markdown", help="the exporters run above --all-exporters-max"
    )
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(), help="where generated files are kept")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--update-docs", action="store_true", help=f"replace the table in {DOCS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    args.big_exporters = args.big_exporters.split(",")
    for option in ("api_max", "yaml_max", "toml_max", "icalendar_max", "all_exporters_max"):
        setattr(args, option, parse_size(getattr(args, option)))
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))
    names = args.exporters.split(",") if args.exporters else exporters()
    info = machine()
    log = sys.stderr
    print(f"machine: {info}", file=log)
    all_results: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        start = startup(args.runs, workdir)
        for name, seconds in start.items():
            print(f"  {name:<40} {seconds * 1000:6.0f} ms", file=log, flush=True)
        for count in sizes:
            print(f"{size_label(count)} events:", file=log, flush=True)
            all_results[count] = run_size(count, args, names, workdir, log)
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(all_results, start, info, command.strip())
    print(text)
    if args.json:
        raw = {"machine": info, "startup": start, "sizes": {str(k): v for k, v in all_results.items()}}
        args.json.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    if args.update_docs:
        update_docs(text)


if __name__ == "__main__":
    sys.exit(main())
