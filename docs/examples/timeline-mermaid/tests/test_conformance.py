"""What every exporter owes, checked by timeline's own conformance kit."""

from __future__ import annotations

import pytest
from diagram_reader import read_diagram

from timeline import Timeline
from timeline.testing import ExporterConformance


# The kit's ten-thousand-event case is far past Mermaid's size limit; the warning is expected there.
@pytest.mark.filterwarnings("ignore:the diagram is:timeline.PluginWarning")
class TestMermaidExporter(ExporterConformance):
    format_name = "mermaid"
    option_sets = ({"fence": True}, {"sections": False}, {"fence": True, "sections": False})

    def check_output(self, timeline: Timeline, data: bytes) -> None:
        diagram = read_diagram(data.decode("utf-8"))
        entries = [entry for _, _, entries in diagram.periods for entry in entries]
        assert len(entries) == len(timeline.events)
