"""What every exporter owes, checked by timeline's own conformance kit."""

from __future__ import annotations

import csv
import io

from timeline.testing import ExporterConformance

from timeline import Timeline

HEADER = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
          "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
          "Background"]


class TestCsvExporter(ExporterConformance):
    format_name = "csv"
    option_sets = (
        {"header": False},
        {"bom": True},
        {"title": False, "eras": False, "sources": False},
    )

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        text = data.decode("utf-8").removeprefix("\ufeff")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        if rows and rows[0] == HEADER:
            rows = rows[1:]
        assert all(len(row) == len(HEADER) for row in rows)
        events = [row for row in rows if row[HEADER.index("Type")] == ""]
        assert len(events) == len(timeline.events)
        for row, event in zip(events, timeline.events, strict=True):
            # A date fills exactly the columns it knows.
            known = (event.start.month is not None, event.start.day is not None, event.start.hour is not None)
            assert (bool(row[1]), bool(row[2]), bool(row[3])) == known
