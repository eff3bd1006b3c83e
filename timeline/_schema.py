"""The schema of a timeline file: the fields of each object, in documented order.

One list serves the careful builder (:mod:`timeline._builder`: unknown-key
problems, did-you-mean) and the fast path (a key outside these sends an
event the careful way).  Internal: ``docs/data-format.md`` is the reference.
"""

__all__ = [
    "ERA_FIELDS",
    "EVENT_FIELDS",
    "LOCATION_FIELDS",
    "MEDIA_FIELDS",
    "SOURCE_FIELDS",
    "TIMELINE_FIELDS",
    "TRANSLATION_FIELDS",
]

TIMELINE_FIELDS = ("id", "title", "description", "translations", "updated", "timezone", "eras", "events")
EVENT_FIELDS = (
    "id",
    "title",
    "start",
    "end",
    "timezone",
    "order",
    "description",
    "translations",
    "tags",
    "group",
    "location",
    "media",
    "sources",
    "related",
    "extra",
)
ERA_FIELDS = ("title", "start", "end", "description", "translations")
LOCATION_FIELDS = ("name", "lat", "lon")
MEDIA_FIELDS = ("url", "caption", "credit")
SOURCE_FIELDS = ("title", "publisher", "url", "date")
TRANSLATION_FIELDS = ("title", "description")
