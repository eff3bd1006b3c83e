"""The ``timeline`` command.

Only click is imported up front: every command imports what it needs when
it runs, so ``timeline --help`` and ``--version`` load no plugin, no
exporter library and no package metadata.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._version import __version__
from .pluginapi import PLUGIN_API_VERSION

if TYPE_CHECKING:  # pragma: no cover
    from .model import Timeline

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["cli", "main"]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    click.echo(f"timeline: warning: {message}", err=True)


class _Group(click.Group):
    """Turns the library's errors into a message and an exit status, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import TimelineError

        try:
            return super().invoke(ctx)
        except TimelineError as exc:
            click.echo(f"timeline: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader went away (``timeline export ... | head``): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("timeline: interrupted", err=True)
            ctx.exit(130)
        except MemoryError:
            click.echo("timeline: error: out of memory: the input is too big for this machine", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("TIMELINE_DEBUG"):
                raise
            click.echo(
                f"timeline: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in timeline or a plugin; run again with TIMELINE_DEBUG=1 for the traceback.",
                err=True,
            )
            ctx.exit(1)


def _format_in_args(args: Sequence[str]) -> str | None:
    """The value of ``--format``/``-f`` in raw arguments, read before click parses them."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("--format", "-f") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--format="):
            return arg.partition("=")[2]
        if arg.startswith("-f") and len(arg) > 2 and not arg.startswith("--"):
            return arg[2:]
    return None


def _option_rows(options: Sequence[Any], flag: str = "-O") -> list[tuple[str, str]]:
    """``-O name=<type>`` (or ``-R`` for a reader) and what it does, its default, choices and bounds."""
    rows = []
    for option in options:
        facts = []
        if option.choices:
            facts.append("one of: " + ", ".join(str(c) for c in option.choices))
        if option.minimum is not None and option.maximum is not None:
            facts.append(f"{option.minimum:g} to {option.maximum:g}")
        elif option.minimum is not None:
            facts.append(f"at least {option.minimum:g}")
        elif option.maximum is not None:
            facts.append(f"at most {option.maximum:g}")
        if option.default is not None:
            default = str(option.default).lower() if isinstance(option.default, bool) else str(option.default)
            facts.append(f"default: {default}")
        extra = f" ({'; '.join(facts)})" if facts else ""
        rows.append((f"{flag} {option.name}=<{option.type}>", f"{option.help}{extra}"))
    return rows


class _ExportCommand(click.Command):
    """``export``; with ``--format NAME --help`` the help also describes that format."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["timeline.help_format"] = _format_in_args(args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        name = ctx.meta.get("timeline.help_format")
        if not name:
            return
        from .registry import default_registry

        exporter = default_registry().exporter(name)  # unknown: the usual error, exit status 2
        with formatter.section(f"Format {exporter.name}"):
            formatter.write_text(exporter.description)
            formatter.write_paragraph()
            formatter.write_dl(
                [
                    ("Extensions", ", ".join(exporter.extensions) or "(none: name it with --format)"),
                    ("Media type", exporter.media_type),
                ]
            )
        rows = _option_rows(exporter.options)
        with formatter.section(f"Options of {exporter.name} (-O NAME=VALUE, repeatable)"):
            if rows:
                formatter.write_dl(rows)
            else:
                formatter.write_text("This format takes no options.")


def _complete_format(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .registry import default_registry

    return [name for name in default_registry().exporters() if name.startswith(incomplete)]


def _input_options(func: F) -> F:
    func = click.option(
        "--input-format",
        "-I",
        metavar="NAME",
        help="Read the files (or '-', standard input) as this format instead of guessing from the extension.",
    )(func)
    func = click.option(
        "--reader-option",
        "-R",
        "reader_option_pairs",
        multiple=True,
        metavar="NAME=VALUE",
        help="A reader option (repeatable); 'timeline formats' lists each reader's options.",
    )(func)
    func = click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))(func)
    return func


def _filter_options(func: F) -> F:
    for decorator in reversed(
        [
            click.option(
                "--tag",
                "tags",
                multiple=True,
                metavar="TAG",
                help="Keep events with this tag (repeatable: any of them).",
            ),
            click.option(
                "--group", "groups", multiple=True, metavar="GROUP", help="Keep events in this group (repeatable)."
            ),
            click.option(
                "--since",
                metavar="DATE",
                help=(
                    "Keep events and eras that overlap this date or later (EDTF, e.g. 2022, 2022-02 or"
                    " 2024-06-19T10:00 in the timeline's zone)."
                ),
            ),
            click.option("--until", metavar="DATE", help="Keep events and eras that overlap this date or earlier."),
        ]
    ):
        func = decorator(func)
    return func


def _resolve_locale_option(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--locale``: a supported code (``ru-RU`` gives ``ru``), with Babel present for any but English."""
    from .locales import _cldr, resolve_locale

    code = resolve_locale(value)  # UnknownLocaleError: a usage error, exit status 2, with "did you mean"
    if code != "en":
        _cldr(code)  # fail before loading data when the [locales] extra is missing
    return code


def _locale_option(func: F) -> F:
    return click.option(
        "--locale",
        metavar="LOCALE",
        default="en",
        show_default=True,
        callback=_resolve_locale_option,
        help=(
            "Write dates and wording in this language: de, en, fr, ja, ko, ru, uk, zh (ru-RU, ko_KR.UTF-8 "
            "also work), with the data's translated titles and descriptions where it has them. Never taken "
            "from LANG or LC_ALL. Other than en needs timeline-events[locales]."
        ),
    )(func)


def _load(
    files: Sequence[str],
    input_format: str | None,
    reader_option_pairs: Sequence[str] = (),
    reports: list[Any] | None = None,
) -> Timeline:
    from .loading import find_default_input, load, load_bytes

    reader_options: dict[str, str] = {}
    if reader_option_pairs:
        from .options import parse_option_assignments

        reader_options = parse_option_assignments(reader_option_pairs)
    if input_format is not None:
        from .loading import resolve_reader_options
        from .registry import default_registry

        reader = default_registry().reader(input_format)  # an unknown -I is a usage error (2), files or stdin alike
        resolve_reader_options([reader], reader_options)  # and so is a bad -R, before anything is read
    if not files:
        paths, label = find_default_input()
        click.echo(f"timeline: reading {label}", err=True)
        return load(paths, input_format=input_format, reader_options=reader_options, reports=reports,
                    show_progress=True)
    if "-" in files:
        if len(files) > 1:
            raise click.UsageError("'-' (standard input) cannot be combined with other files")
        return load_bytes(sys.stdin.buffer.read(), name="<stdin>", input_format=input_format or "yaml",
                          reader_options=reader_options, reports=reports)
    return load(list(files), input_format=input_format, reader_options=reader_options, reports=reports,
                show_progress=True)


def _check_output(output: str, files: Sequence[str]) -> None:
    """Before reading anything: ``-o`` must not be one of the inputs, and its folder must exist.

    Overwriting an input is refused as a usage error (exit status 2); a
    missing folder is a failure to write, like a read-only disk (exit status 1).
    """
    from pathlib import Path

    from .atomic import resolve_target
    from .errors import ExportError, TimelineError, UsageError
    from .loading import find_default_input, input_files
    from .problems import shorten

    shown = repr(shorten(output))
    try:
        target = resolve_target(output)
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None
    if target.kind == "file":
        folder = Path(target.path).parent
        if not folder.is_dir():
            problem = "is not a folder" if folder.exists() else "does not exist"
            what = f"the folder {shorten(str(folder))!r}" if problem == "does not exist" else repr(shorten(str(folder)))
            raise ExportError(f"cannot write {shown}: {what} {problem}")
    try:
        written = os.stat(output)
    except OSError:
        return  # nothing there yet, so it is not an input either
    if "-" in files:
        return
    paths: Sequence[str | os.PathLike[str]] = files or find_default_input()[0]
    try:
        inputs = input_files(paths)
    except TimelineError:
        inputs = [Path(path) for path in paths]  # a folder without timeline files: loading reports it
    for path in inputs:
        try:
            read = os.stat(path)
        except OSError:
            continue
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            same = "" if os.fspath(path) == output else f" ({shorten(str(path))!r})"
            raise UsageError(
                f"-o {shown} is one of the input files{same}; the export would replace the data it is"
                " made from: write it to another file"
            )


def _filtered(
    timeline: Timeline, tags: Sequence[str], groups: Sequence[str], since: str | None, until: str | None
) -> Timeline:
    if not (tags or groups or since or until):
        return timeline
    from .dates import Date
    from .errors import DateError

    def parse(value: str | None, flag: str) -> Date | None:
        if value is None:
            return None
        try:
            return Date.parse(value)
        except DateError as exc:
            raise click.BadParameter(str(exc), param_hint=flag) from None

    low, high = parse(since, "--since"), parse(until, "--until")
    if low is not None and high is not None:
        from .window import reversed_window

        if reversed_window(low, high, timeline.timezone) is not None:
            raise click.UsageError(
                f"--since {since} is after --until {until}: no date is in both; swap them or widen the period"
            )
    _warn_unmatched(timeline, tags, groups)
    return timeline.filter(tags=tags, groups=groups, since=low, until=high)


def _warn_unmatched(timeline: Timeline, tags: Sequence[str], groups: Sequence[str]) -> None:
    """A warning for each --tag or --group that no event has, with a did-you-mean."""
    if not (tags or groups):
        return
    from .suggest import did_you_mean

    known_tags = {tag for event in timeline.events for tag in event.tags}
    known_groups = {event.group for event in timeline.events if event.group is not None}
    for tag in dict.fromkeys(tags):
        if tag not in known_tags:
            click.echo(f"timeline: warning: no event has tag {tag!r}{did_you_mean(tag, known_tags)}", err=True)
    for group in dict.fromkeys(groups):
        if group not in known_groups:
            hint = did_you_mean(group, known_groups)
            click.echo(f"timeline: warning: no event is in group {group!r}{hint}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "--version",
    "-V",
    prog_name="timeline",
    message=f"%(prog)s %(version)s (plugin API {PLUGIN_API_VERSION})",
)
def cli() -> None:
    """Keep the events of a story as data, with their sources, and publish
    them as Markdown, JSON, calendars and web timelines.

    With no FILES, commands read timeline.yaml, timeline.toml or
    timeline.json (or an events/ folder) in the current directory, or else
    the bundled sample timeline.
    """
    warnings.showwarning = _show_warning
    warnings.simplefilter("default")


@cli.command(cls=_ExportCommand)
@_input_options
@click.option(
    "--format",
    "-f",
    "format_name",
    metavar="NAME",
    shell_complete=_complete_format,
    help="Output format (see 'timeline formats'; with --help, describes it); default: from -o's extension.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help=(
        "Write here. A file is replaced atomically (a failed export leaves it untouched; through a symlink, "
        "the file it points to); a device, FIFO or /dev/fd/N is written in place. Never an input file. "
        "Default: standard output."
    ),
)
@click.option(
    "--option",
    "-O",
    "option_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="An exporter option (repeatable); 'timeline formats' lists them.",
)
@click.option(
    "--report", "report_text", is_flag=True,
    help="Print what the output could not hold, per event and field, to standard error.",
)
@click.option(
    "--report-json",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write that report as JSON to FILE ('-': standard error), for scripts.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 1 if any event was left out (or the exporter cannot say); -o is then not replaced.",
)
@_locale_option
@_filter_options
def export(
    files: tuple[str, ...],
    input_format: str | None,
    reader_option_pairs: tuple[str, ...],
    format_name: str | None,
    output: str | None,
    option_pairs: tuple[str, ...],
    report_text: bool,
    report_json: str | None,
    strict: bool,
    locale: str,
    tags: tuple[str, ...],
    groups: tuple[str, ...],
    since: str | None,
    until: str | None,
) -> None:
    """Write the timeline in another format.

    \b
    Examples:
      timeline export --format markdown -o story.md
      timeline export events/ -o story.json --tag treaty
      timeline export timeline.yaml -f json -O indent=0 | jq .
      timeline export --format ical --help    # the format's options
      timeline export -o story.ics --report   # what the calendar could not hold
      timeline export --locale ru -o russia-dprk.ru.md
    """
    from .exporting import export_with_report
    from .options import parse_option_assignments
    from .registry import default_registry

    registry = default_registry()
    to_stdout = output is None or output == "-"
    if format_name is None and to_stdout:
        names = ", ".join(registry.exporters())
        raise click.UsageError(f"name a format with --format/-f, or an output file with -o (formats: {names})")
    exporter = registry.exporter(format_name) if format_name else registry.exporter_for_path(output or "")
    from .options import resolve_options

    options = parse_option_assignments(option_pairs)
    resolve_options(tuple(exporter.options), options, exporter=exporter.name)  # fail before loading data
    if not to_stdout:
        _check_output(output or "", files)
    timeline = _filtered(_load(files, input_format, reader_option_pairs), tags, groups, since, until)
    from .progress import progress_reporting

    check = _strict_check if strict else None
    with progress_reporting(f"exporting {exporter.name}"):
        if to_stdout:
            stdout = sys.stdout.buffer
            _, report = export_with_report(
                timeline, exporter.name, stdout, registry=registry, options=options, locale=locale, check=check
            )
            stdout.flush()
        else:
            _, report = export_with_report(
                timeline, exporter.name, output, registry=registry, options=options, locale=locale, check=check
            )
    _tell(report, None if to_stdout else output, report_text, report_json)


def _tell(report: Any, output: str | None, report_text: bool, report_json: str | None) -> None:
    """The summary line (a warning when events were left out), and the ``--report`` if asked for."""
    if output is not None:
        from .problems import shorten

        prefix = "timeline: warning: " if report.skipped else "timeline: "
        click.echo(prefix + report.summary(shorten(output)), err=True)
    elif report.skipped:
        click.echo(f"timeline: warning: {report.format}: {report.summary()}", err=True)
    if report_text:
        click.echo(report.text(), err=True)
    if report_json is not None:
        import json

        text = json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
        if report_json == "-":
            click.echo(text, err=True, nl=False)
        else:
            from .atomic import atomic_output

            with atomic_output(report_json) as stream:
                stream.write(text.encode("utf-8"))


def _strict_check(report: Any) -> None:
    """``--strict``: refuse an export that left events out, or that cannot say whether it did."""
    from .errors import ExportError

    if not report.reported:
        raise ExportError(
            f"--strict: the {report.format!r} exporter does not report what it kept, so nothing proves "
            "that no event was left out"
        )
    if report.skipped:
        raise ExportError(
            f"--strict: the {report.format} export left out {len(report.skipped)} of {report.events} "
            f"event{'s' if report.events != 1 else ''}: {report.skipped_text()}"
        )


@cli.command()
@_input_options
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON document on standard output: every problem, with file, line, event, field, message and hint,"
    " and a summary with counts (for editors and CI).",
)
@click.option(
    "--report",
    "report_text",
    is_flag=True,
    help="Also print, for each file, what its reader reported skipping or approximating, to standard error.",
)
@click.pass_context
def check(
    ctx: click.Context,
    files: tuple[str, ...],
    input_format: str | None,
    reader_option_pairs: tuple[str, ...],
    as_json: bool,
    report_text: bool,
) -> None:
    """Check timeline files and report every problem (exit status 1 if any)."""
    from .errors import InvalidTimelineError

    reports: list[Any] | None = [] if report_text else None
    loaded: Timeline | None = None
    problems: Sequence[Any] = ()
    try:
        loaded = _load(files, input_format, reader_option_pairs, reports)
    except InvalidTimelineError as exc:
        if not as_json:
            raise
        problems = exc.problems
    finally:
        for report in reports or ():
            click.echo(report.text(), err=True)
    if as_json:
        click.echo(_check_report(loaded, problems))
        if problems:
            ctx.exit(1)
        return
    assert loaded is not None
    count = len(loaded)
    eras = f", {len(loaded.eras)} era{'s' if len(loaded.eras) != 1 else ''}" if loaded.eras else ""
    click.echo(f"ok: {loaded.title!r}: {count} event{'s' if count != 1 else ''}{eras}")


def _check_report(timeline: Timeline | None, problems: Sequence[Any]) -> str:
    """``check --json``: the document documented in docs/cli.md, keys in a fixed order."""
    import json

    listed = [
        {
            "file": p.file,
            "line": p.line,
            "event": p.event,
            "field": p.field,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    summary = {
        "ok": not listed,
        "problems": len(listed),
        "files_with_problems": len({p.file for p in problems if p.file is not None}),
        "events_with_problems": len({(p.file, p.event) for p in problems if p.event is not None}),
        "events": None if timeline is None else len(timeline),
        "eras": None if timeline is None else len(timeline.eras),
    }
    # ASCII only: a lone surrogate in a file name (or anything else) cannot break the output
    return json.dumps({"version": 1, "summary": summary, "problems": listed}, indent=2, ensure_ascii=True)


@cli.command()
@_input_options
@_locale_option
@_filter_options
def show(
    files: tuple[str, ...],
    input_format: str | None,
    reader_option_pairs: tuple[str, ...],
    locale: str,
    tags: tuple[str, ...],
    groups: tuple[str, ...],
    since: str | None,
    until: str | None,
) -> None:
    """Print the events in order, one line each, with their dates (and titles translated for --locale)."""
    from ._translations import translated
    from .locales import display_width, human_span, plural_message
    from .text import replace_controls

    def one_line(text: str) -> str:
        # Data built in code may hold what loading refuses: no control character reaches the terminal.
        return " ".join(replace_controls(text).split())

    timeline = _filtered(_load(files, input_format, reader_option_pairs), tags, groups, since, until)
    rows = [(human_span(e.start, e.end, ongoing=e.ongoing, locale=locale), e) for e in timeline.events]
    width = min(max((display_width(date) for date, _ in rows), default=0), 34)
    click.echo(click.style(one_line(translated(timeline, locale).title), bold=True))
    for date, event in rows:
        tags_text = ""
        if event.tags:
            tags_text = click.style(f"  [{', '.join(one_line(tag) for tag in event.tags)}]", dim=True)
        padding = " " * max(width - display_width(date), 0)  # Hangul and CJK take two columns each
        click.echo(f"{date}{padding}  {one_line(translated(event, locale).title)}{tags_text}")
    count = plural_message("summary", "{count} event", "{count} events", len(rows), locale)
    click.echo(click.style(count.format(count=len(rows)), dim=True))


@cli.command()
def formats() -> None:
    """List the output and input formats, with their options."""
    from .registry import default_registry

    registry = default_registry()
    exporters = registry.exporters()
    readers = registry.readers()
    rows = [(name, ", ".join(item.extensions), item.description) for name, item in exporters.items()]
    rows += [(name, ", ".join(item.extensions), item.description) for name, item in readers.items()]
    name_width = max((len(row[0]) for row in rows), default=0)
    ext_width = max((len(row[1]) for row in rows), default=0)

    def line(name: str, extensions: str, description: str) -> str:
        return f"  {name:<{name_width}}  {extensions:<{ext_width}}  {description}".rstrip()

    click.echo(click.style("Output formats (timeline export --format NAME):", bold=True))
    for name, exporter in exporters.items():
        click.echo(line(name, ", ".join(exporter.extensions), exporter.description))
        options = _option_rows(exporter.options)
        width = max((len(flag) for flag, _ in options), default=0)
        for flag, text in options:
            click.echo(f"      {flag:<{width}}  {text}")
    click.echo(click.style("Input formats (--input-format NAME; options: -R NAME=VALUE):", bold=True))
    from .loading import reader_options_of

    for name, reader in readers.items():
        click.echo(line(name, ", ".join(reader.extensions), reader.description))
        options = _option_rows(reader_options_of(reader), "-R")
        width = max((len(flag) for flag, _ in options), default=0)
        for flag, text in options:
            click.echo(f"      {flag:<{width}}  {text}")
    click.echo("Details of one format: timeline export --format NAME --help")


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List installed plugins, what they provide, and any load errors."""
    if ctx.invoked_subcommand is not None:
        return
    from .registry import default_registry

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # errors are part of the listing itself
        infos = default_registry().plugins()
    if as_json:
        import json

        click.echo(json.dumps([info.as_dict() for info in infos], indent=2, sort_keys=True))
        return
    click.echo(click.style(f"timeline {__version__}, plugin API {PLUGIN_API_VERSION}", dim=True))
    for info in infos:
        origin = "built-in" if info.builtin else f"{info.package or 'registered in code'} {info.version or ''}".strip()
        click.echo(f"{info.name} ({origin})")
        if info.hooks:
            click.echo(f"    hooks:   {', '.join(info.hooks)}")
        if info.exporters:
            click.echo(f"    formats: {', '.join(info.exporters)}")
        if info.readers:
            click.echo(f"    readers: {', '.join(info.readers)}")
        if info.api and not info.builtin:
            click.echo(f"    api:     {info.api}")
        if info.error:
            click.echo(click.style(f"    error:   {info.error}", fg="red"))


@plugins.command("new", short_help="Start a new exporter plugin package.")
@click.argument("name")
@click.option(
    "--directory",
    "-d",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to create the timeline-NAME folder.",
)
def plugins_new(name: str, directory: str) -> None:
    """Create timeline-NAME/, a new exporter plugin package that works and passes its tests.

    NAME is the format name: lowercase letters and digits, words joined by
    '-'. The folder holds pyproject.toml (with the entry point), the module
    timeline_NAME with a documented exporter and one option, tests using
    timeline.testing, and a README. An existing folder is never overwritten.

    \b
    Then:
      cd timeline-NAME && pip install -e ".[test]" && pytest
      timeline export --format NAME --help
    """
    from .scaffold import new_plugin

    target = new_plugin(name, directory)
    click.echo(f"timeline: created {target}", err=True)
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        click.echo(str(path.relative_to(target.parent)))
    click.echo(f'next: cd {target} && pip install -e ".[test]" && pytest', err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``timeline`` command."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="timeline")


@cli.command()
@_input_options
@click.option(
    "--format",
    "-f",
    "format_name",
    metavar="NAME",
    default="timelinejs-html",
    show_default=True,
    shell_complete=_complete_format,
    help="The format to preview: one a browser shows (timelinejs-html, svg, ...); text formats show as text.",
)
@click.option(
    "--option",
    "-O",
    "option_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="An option of the format (repeatable), e.g. -O start_at_end=true; 'timeline formats' lists them.",
)
@click.option(
    "--watch",
    "-w",
    is_flag=True,
    help=(
        "Serve the page on 127.0.0.1 and reload it in the browser after each save to an input file (or a new "
        "file in an input folder), keeping the slide you are on; problems in the data are listed on the page "
        "until fixed. Ctrl-C stops it (exit status 130). Needs timeline-events[watch]."
    ),
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="With --watch: the port to listen on (default: a free one, printed).",
)
@click.option(
    "--print-path", is_flag=True, help="Only print the page's path (with --watch, its URL); do not open a browser."
)
@_locale_option
@_filter_options
@click.pass_context
def preview(
    ctx: click.Context,
    files: tuple[str, ...],
    input_format: str | None,
    reader_option_pairs: tuple[str, ...],
    format_name: str,
    option_pairs: tuple[str, ...],
    watch: bool,
    port: int,
    print_path: bool,
    locale: str,
    tags: tuple[str, ...],
    groups: tuple[str, ...],
    since: str | None,
    until: str | None,
) -> None:
    """Open the timeline as a TimelineJS page in your web browser.

    The page (the one 'timeline export -o story.html' writes) goes to a
    temporary file; its path is printed instead when there is no browser
    to open it, or with --print-path. With --watch, it is served instead,
    and follows your edits.

    \b
    Examples:
      timeline preview
      timeline preview events/ --tag treaty -O start_at_end=true
      timeline preview --locale ko
      timeline preview --watch story.yaml
    """
    from .options import parse_option_assignments
    from .preview import check_options, open_in_browser, write_page

    options = parse_option_assignments(option_pairs)
    resolved = check_options(options, format=format_name)  # fail before loading data
    if watch:
        _preview_watch(ctx, files, input_format, reader_option_pairs, format_name, options, resolved, port,
                       print_path, locale, (tags, groups, since, until))
        return
    if port:
        raise click.UsageError("--port is for --watch")
    timeline = _filtered(_load(files, input_format, reader_option_pairs), tags, groups, since, until)
    path = write_page(timeline, options, locale=locale, format=format_name)
    if print_path:
        click.echo(str(path))
    elif open_in_browser(path):
        count = f"{len(timeline)} event{'s' if len(timeline) != 1 else ''}"
        click.echo(f"timeline: opened {path} ({count}) in your web browser", err=True)
    else:
        click.echo(str(path))
        click.echo("timeline: no web browser found; open the file above in one", err=True)


def _preview_watch(
    ctx: click.Context,
    files: tuple[str, ...],
    input_format: str | None,
    reader_option_pairs: tuple[str, ...],
    format_name: str,
    options: dict[str, Any],
    resolved: dict[str, Any],
    port: int,
    print_path: bool,
    locale: str,
    filters: tuple[tuple[str, ...], tuple[str, ...], str | None, str | None],
) -> None:
    """``preview --watch``: serve the page until Ctrl-C, rebuilding it after each change to the inputs."""
    import io
    from pathlib import Path

    from . import _live
    from .errors import InvalidTimelineError, TimelineError
    from .exporting import export_with_report
    from .loading import find_default_input
    from .preview import open_url
    from .registry import default_registry

    _live.require_watchfiles()
    if "-" in files:
        raise click.UsageError("--watch needs files to watch, not '-' (standard input)")
    registry = default_registry()
    exporter = registry.exporter(format_name)
    assets = _live.assets_folder(resolved.get("assets_url"), Path.cwd())
    inputs: list[str | os.PathLike[str]] = list(files) if files else list(find_default_input()[0])
    watched = _live.WatchedPaths.of(inputs, registry.reader_extensions())
    content_type = _live.served_media_type(exporter.media_type)
    first = True

    def build() -> Any:
        nonlocal first
        try:
            timeline = _filtered(_load(files, input_format, reader_option_pairs), *filters)
            buffer = io.BytesIO()
            export_with_report(timeline, exporter.name, buffer, registry=registry, options=options, locale=locale)
        except InvalidTimelineError as exc:
            return _live.problem_page(exc.problems, str(exc).splitlines()[0])
        except TimelineError as exc:
            if first and exc.exit_code == 2:
                raise
            return _live.problem_page((), str(exc))
        except click.ClickException as exc:
            if first:
                raise
            return _live.problem_page((), exc.format_message())
        except Exception as exc:
            if first or os.environ.get("TIMELINE_DEBUG"):
                raise
            message = f"internal error: {type(exc).__name__}: {exc}"
            click.echo(f"timeline: {message}", err=True)
            return _live.problem_page((), message)
        finally:
            first = False
        count = len(timeline)
        return _live.Page(buffer.getvalue(), content_type, ok=True,
                          note=f"{count} event{'s' if count != 1 else ''}")

    def started(url: str, page: Any) -> None:
        click.echo(url)
        sys.stdout.flush()
        folders = len(watched.folders)
        click.echo(f"timeline: serving {exporter.name} at {url} ({page.note}); watching {folders} "
                   f"folder{'s' if folders != 1 else ''}; Ctrl-C stops", err=True)
        if not print_path:
            import threading

            def open_browser() -> None:  # a console browser (lynx) would block the watching
                if not open_url(url):
                    click.echo("timeline: no web browser found; open the address above in one", err=True)

            threading.Thread(target=open_browser, daemon=True, name="timeline-open-browser").start()

    def changed(page: Any) -> None:
        if page.ok:
            click.echo(f"timeline: updated the page ({page.note})", err=True)
        else:
            click.echo(f"timeline: the page lists the problems ({page.note}); fix them and save", err=True)

    try:
        _live.run(build, watched, port=port, assets=assets, on_start=started, on_change=changed)
    except KeyboardInterrupt:
        click.echo("timeline: stopped the preview", err=True)
        ctx.exit(130)
