"""The vocabulary of relation labels: known labels, their inverses, what a label may be.

Internal.  A relation (``related`` in the data) links one event to another,
and may say what the link is with a short label.  A known label has an
inverse, which is what the other event shows ("cites" here, "cited by"
there); any other label is allowed, and the other event shows it as
"related".  ``docs/data-format.md`` ("Relations") is the reference.
"""

from __future__ import annotations

__all__ = [
    "MAX_LABEL_LENGTH",
    "RELATION_KEYS",
    "RELATION_LABELS",
    "canonical_label",
    "inverse_label",
    "label_problem",
]

#: The keys of a relation written as a mapping.
RELATION_KEYS = ("id", "label")

#: How long a label may be, in characters: a label is a few words, not a sentence.
MAX_LABEL_LENGTH = 40

#: Each known label and its inverse; both directions are known labels.
_PAIRS = (
    ("cites", "cited by"),
    ("echoes", "echoed by"),
    ("follows", "followed by"),
    ("part of", "has part"),
    ("responds to", "answered by"),
    ("ends", "ended by"),
    ("supports", "supported by"),
)

#: Every known label, mapped to its inverse.
RELATION_LABELS: dict[str, str] = {**dict(_PAIRS), **{b: a for a, b in _PAIRS}}


def canonical_label(label: str) -> str:
    """``label`` lowercased with its spaces collapsed: how known labels are recognised."""
    return " ".join(label.lower().split())


def inverse_label(label: str | None) -> str | None:
    """The inverse of a known label ("cites" gives "cited by"), else ``None``."""
    if label is None:
        return None
    return RELATION_LABELS.get(canonical_label(label))


def label_problem(label: str) -> str | None:
    """Why ``label`` (already known to be text free of control characters) cannot be a label."""
    if not label.strip():
        return "a relation's label must not be empty"
    if "\n" in label or "\r" in label:
        return "a relation's label is one line"
    if len(label) > MAX_LABEL_LENGTH:
        return f"a relation's label is at most {MAX_LABEL_LENGTH} characters, this one has {len(label)}"
    return None
