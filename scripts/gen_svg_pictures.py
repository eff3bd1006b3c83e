"""Write the pictures in docs/pictures/ that the README and docs/exporters/svg.md show.

Each is the SVG exporter's output for a timeline defined here (the sample
for the README), so ``tests/test_svg.py`` can check that every committed
picture is what the exporter draws today:

    .venv/bin/python scripts/gen_svg_pictures.py

``--png-reference`` also rewrites tests/fixtures/pictures/sample-quarter.png,
the PNG reference of tests/test_png.py (look at the new one first).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "pictures"


def _event(id: str, when: str, title: str, **fields: object) -> object:
    import timeline

    start, end, ongoing = timeline.parse_span(when)
    return timeline.Event(id=id, title=title, start=start, end=end, ongoing=ongoing, **fields)  # type: ignore[arg-type]


def pictures() -> dict[str, bytes]:
    """File name in docs/pictures/ -> the SVG."""
    import timeline
    from timeline import Date, Era, Source, Timeline
    from timeline.testing import large_timeline

    styles = Timeline(
        id="styles", title="Every kind of date", updated=Date(2024, 12, 1),
        eras=[Era(title="An era", start=Date(2024, 3), end=Date(2024, 8))],
        events=[
            _event("day", "2024-02-10", "A day: a point", group="Exact",
                   sources=(Source(title="Source", url="https://example.org/day"),)),
            _event("time", "2024-04-03T09:30Z", "A moment: a point", group="Exact"),
            _event("span", "2024-05-01/2024-07-15", "A span of days: a bar", group="Exact"),
            _event("month", "2024-06", "A month: the whole month", group="Coarse"),
            _event("year", "2024", "A year: the whole year", group="Coarse"),
            _event("approx", "2024-03-15~", "About 15 March: dashed", group="Vague"),
            _event("uncertain", "2024-08-01?/2024-09-20", "A span with an uncertain start", group="Vague"),
            _event("ongoing", "2024-09-01/..", "Ongoing: open end at the last update", group="Vague"),
        ],
    )
    bce = Timeline(id="bce", title="Across the start of the Common Era", events=[
        _event("ides", "-0043-03-15", "Ides of March"),
        _event("augustus", "-0026/0014", "Augustus rules"),
        _event("one", "0001", "Year 1 (there is no year 0)"),
        _event("pompeii", "0079-10-24~", "Vesuvius buries Pompeii"),
    ])
    out: dict[str, bytes] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.PluginWarning)
        out["sample.svg"] = timeline.export(timeline.sample(), "svg")
        out["styles.svg"] = timeline.export(styles, "svg", width=1000)
        out["bce.svg"] = timeline.export(bce, "svg", width=1000)
        out["marks.svg"] = timeline.export(large_timeline(2000), "svg", width=1200, labels=24)
    return out


def main(argv: list[str]) -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, data in pictures().items():
        (FOLDER / name).write_bytes(data)
        print(f"wrote docs/pictures/{name} ({len(data):,} bytes)")
    if "--png-reference" in argv:
        import timeline

        reference = ROOT / "tests" / "fixtures" / "pictures" / "sample-quarter.png"
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(timeline.export(timeline.sample(), "png", scale=0.25))
        print(f"wrote {reference.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
