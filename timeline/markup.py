"""Safe handling of the CommonMark that people write in event descriptions.

Descriptions are written by journalists and researchers, but they can also
come from hostile sources, and every exporter copies them into a document of
its own: a Markdown report, an HTML page, an iCalendar file.  The helpers
here let an exporter (or a plugin) do that without a description being able
to run script, smuggle in dangerous links, or change the structure of the
document around it:

* :func:`safe_url` decides whether a URL may become a link at all.
* :func:`escape_markdown` turns any string into literal inline Markdown.
* :func:`markdown_to_markdown` re-renders a description as self-contained
  CommonMark blocks that can be pasted into a larger Markdown document.
* :func:`markdown_to_html` renders a description as a safe HTML fragment.
* :func:`markdown_to_text` flattens a description to plain text.

This module only gathers them under the path ``docs/markup.md`` names
(they are also importable from ``timeline``); each job lives in its own
internal module: URL policy in ``_urls``, inline escaping in ``_escape``,
parsing and the three renderers in ``_markdown``.  Importing it neither
imports ``markdown_it`` nor compiles a regular expression: both happen on
first use.
"""

from __future__ import annotations

from ._escape import escape_markdown
from ._markdown import markdown_to_html, markdown_to_markdown, markdown_to_text
from ._urls import SAFE_SCHEMES, safe_url

__all__ = [
    "SAFE_SCHEMES",
    "escape_markdown",
    "markdown_to_html",
    "markdown_to_markdown",
    "markdown_to_text",
    "safe_url",
]
