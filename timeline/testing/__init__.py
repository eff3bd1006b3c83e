"""Conformance tests for plugin authors: one subclass in your own pytest suite.

::

    from timeline.testing import ExporterConformance

    class TestCsvExporter(ExporterConformance):
        format_name = "csv"

runs your installed ``csv`` exporter over :func:`corpus` (every precision,
qualifiers, BCE, zones, scripts, hostile strings, ...) and a ten-thousand
event timeline, and checks what every exporter owes its users.  ``import
timeline`` never imports this package; it needs pytest, which ``timeline``
itself does not depend on.
"""

from __future__ import annotations

try:
    import pytest  # noqa: F401 - only to fail early with a clear message
except ImportError as exc:  # pragma: no cover - exercised in a venv without pytest
    raise ImportError(
        "timeline.testing runs inside pytest, which is not installed: pip install pytest "
        "(or add it to your plugin's test dependencies)"
    ) from exc

from ..protocols import FORMAT_NAME_PATTERN, OPTION_NAME_PATTERN
from .corpus import HOSTILE_STRINGS, corpus, large_timeline, unchecked_corpus
from .exporters import MEDIA_TYPE_PATTERN, ExporterConformance
from .readers import GARBAGE, ReaderConformance

__all__ = [
    "FORMAT_NAME_PATTERN",
    "GARBAGE",
    "HOSTILE_STRINGS",
    "MEDIA_TYPE_PATTERN",
    "OPTION_NAME_PATTERN",
    "ExporterConformance",
    "ReaderConformance",
    "corpus",
    "large_timeline",
    "unchecked_corpus",
]
