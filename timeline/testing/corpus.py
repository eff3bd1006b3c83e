"""Tricky timelines every exporter should survive, built without any reader.

Each timeline is valid (it is what :func:`timeline.load` could return), so an
exporter has no excuse to fail on it; the strings in it are chosen to break
formats that paste data into structure (HTML, Markdown, iCalendar, CSV,
JSON, YAML) without escaping.  Everything is built from constants, so the
corpus is the same on every run and machine.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import attrs

from ..dates import Date
from ..model import Era, Event, Location, Media, Source, Timeline

__all__ = ["HOSTILE_STRINGS", "corpus", "large_timeline", "unchecked_corpus"]

#: Text that turns into structure when a format forgets to escape it.  Control
#: characters other than tab and line feed are not valid in a timeline (loading
#: refuses them): they are in :data:`CONTROL_STRINGS` and :func:`unchecked_corpus`.
HOSTILE_STRINGS: tuple[str, ...] = (
    '<script>alert("x")</script>',
    "</textarea></script><img src=x onerror=alert(1)>",
    "<!-- not a comment --> ]]> {{ template }} ${shell} %(fmt)s",
    "[click me](javascript:alert(1)) <javascript:alert(2)> ![img](javascript:alert(3))",
    '<a href="javascript:alert(1)">raw html link</a>',
    "# Not a heading\n* not a list\n| not | a table |\n---\n```\nnot code",
    "Line one\nEND:VEVENT\nEND:VCALENDAR\nBEGIN:VCALENDAR\nSUMMARY:forged",
    "lone LF\nline separator\u2028paragraph separator\u2029done",
    "quotes ' \" ` and backslashes \\ \\\\ \\n \\u0000 and a tab\there",
    '=cmd|" /C calc"!A0;,+SUM(1,2),-1,@A1',
    "key: value\n- yaml item\n--- \n... \n!!python/object:os.system",
    "  leading and trailing spaces  ",
    "x" * 1000,
    "combining e\u0301 and zero\u200bwidth and bidi \u202eevil\u202c",
)

#: Control characters: terminal escapes, a hyperlink, CR line ends, C1.
CONTROL_STRINGS: tuple[str, ...] = (
    "control characters \x01\x02\x07\x08\x0b\x0c\x1b[31mred\x1b[0m\x7f\x85\x9b2J end",
    "Line one\r\nEND:VEVENT\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nSUMMARY:forged lone CR\r",
    "\x1b]8;;https://evil.example\x07a hidden link\x1b]8;;\x07 \x1b]0;window title\x07 \x00 NUL",
)

_HANGUL = "조선민주주의인민공화국과 러시아 연방 사이의 포괄적인 전략적 동반자 관계에 관한 조약"
_CYRILLIC = "Договор о дружбе, сотрудничестве и взаимной помощи между СССР и КНДР"
_EMOJI = "🤝 summit 🇰🇵🇷🇺 👩‍👩‍👧 🏳️‍🌈 ✍🏽 𝕋𝕚𝕞𝕖𝕝𝕚𝕟𝕖"
_ARABIC = "معاهدة الصداقة"

_SOURCE = Source(title="Treaty text", publisher="Ministry of Foreign Affairs", url="https://example.org/treaty")


def _timeline(case: str, title: str, events: Iterable[Event], **fields: object) -> Timeline:
    return Timeline(id=case, title=title, events=tuple(events), **fields)  # type: ignore[arg-type]


def _empty() -> Timeline:
    return _timeline("empty", "Nothing has happened yet", ())


def _one_event() -> Timeline:
    return _timeline(
        "one-event", "One event", [Event(id="treaty", title="Treaty signed", start=Date(1961, 7, 6))]
    )


def _precisions() -> Timeline:
    return _timeline(
        "precisions",
        "Every precision",
        [
            Event(id="year", title="Known to the year", start=Date(1961)),
            Event(id="month", title="Known to the month", start=Date(1961, 7)),
            Event(id="day", title="Known to the day", start=Date(1961, 7, 6)),
            Event(
                id="minute-local",
                title="A local time resolved in its zone",
                start=Date(1961, 7, 6, 9, 30).in_zone("Europe/Moscow"),
            ),
            Event(id="minute-utc", title="A time in UTC", start=Date(1961, 7, 6, 9, 30, offset=0)),
            Event(id="second", title="A time to the second", start=Date(1961, 7, 6, 9, 30, 15, offset=0)),
            Event(
                id="second-zone",
                title="A time to the second in a zone",
                start=Date(1961, 7, 6, 23, 59, 59, offset=540, zone="Asia/Pyongyang"),
            ),
            Event(id="leap-day", title="A leap day", start=Date(2024, 2, 29)),
            Event(id="year-end", title="Last second of a year", start=Date(1999, 12, 31, 23, 59, 59, offset=0)),
        ],
        updated=Date(2024, 11, 1),
    )


def _qualifiers() -> Timeline:
    return _timeline(
        "qualifiers",
        "Approximate and uncertain dates",
        [
            Event(id="approx-year", title="About 1950", start=Date(1950, approximate=True)),
            Event(id="uncertain-month", title="Perhaps June 1950", start=Date(1950, 6, uncertain=True)),
            Event(
                id="both-day",
                title="Perhaps about 25 June 1950",
                start=Date(1950, 6, 25, approximate=True, uncertain=True),
            ),
            Event(
                id="qualified-range",
                title="About 1953 to perhaps 1955",
                start=Date(1953, approximate=True),
                end=Date(1955, uncertain=True),
            ),
            Event(
                id="uncertain-time",
                title="Perhaps at dawn",
                start=Date(1950, 6, 25, 4, 0, offset=540, zone="Asia/Pyongyang", uncertain=True),
            ),
        ],
    )


def _bce() -> Timeline:
    return _timeline(
        "bce",
        "Before the Common Era",
        [
            Event(id="ides", title="Ides of March, 44 BCE", start=Date(-43, 3, 15)),
            Event(id="year-zero", title="1 BCE (astronomical year 0)", start=Date(0)),
            Event(id="across-zero", title="From 2 BCE to 2 CE", start=Date(-1), end=Date(2)),
            Event(id="deep-past", title="Ten thousand years ago", start=Date(-9999, approximate=True)),
            Event(id="year-one", title="1 CE", start=Date(1, 1, 1)),
        ],
        eras=[Era(title="Late Roman Republic", start=Date(-146), end=Date(-26))],
    )


def _long_years() -> Timeline:
    return _timeline(
        "long-years",
        "Years of more than four digits",
        [
            Event(id="last-four-digit-day", title="The last day with a four-digit year", start=Date(9999, 12, 31)),
            Event(id="far-future", title="Year 12345", start=Date(12345)),
            Event(id="far-past", title="Year 20001 BCE", start=Date(-20000)),
            Event(id="spanning", title="From 9000 to 10500", start=Date(9000), end=Date(10500)),
        ],
    )


def _ongoing() -> Timeline:
    return _timeline(
        "ongoing",
        "Still going on",
        [
            Event(id="since-day", title="Since a day", start=Date(2022, 2, 24), ongoing=True),
            Event(id="since-year", title="Since a year", start=Date(1948), ongoing=True),
            Event(
                id="since-month", title="Since a month, roughly", start=Date(2023, 9, approximate=True), ongoing=True
            ),
            Event(
                id="since-time",
                title="Since a moment",
                start=Date(2024, 6, 19, 3, 0, offset=540, zone="Asia/Pyongyang"),
                ongoing=True,
                timezone="Asia/Pyongyang",
            ),
            Event(id="since-bce", title="Since antiquity", start=Date(-500), ongoing=True),
        ],
        eras=[Era(title="The current period", start=Date(2022, 2, 24), ongoing=True)],
    )


def _ranges() -> Timeline:
    return _timeline(
        "ranges",
        "Ranges",
        [
            Event(id="days", title="Day to day", start=Date(1950, 6, 25), end=Date(1953, 7, 27)),
            Event(id="same-day", title="Within one day", start=Date(2000, 6, 13), end=Date(2000, 6, 13)),
            Event(id="months", title="Month to month across a year", start=Date(2018, 11), end=Date(2019, 2)),
            Event(id="years", title="Year to year", start=Date(1994), end=Date(2011)),
            Event(id="mixed", title="A year to a day", start=Date(2018), end=Date(2019, 2, 28)),
            Event(
                id="times",
                title="Hours crossing midnight in two zones",
                start=Date(2019, 2, 27, 21, 0, offset=420, zone="Asia/Ho_Chi_Minh"),
                end=Date(2019, 2, 28, 1, 30, offset=540, zone="Asia/Pyongyang"),
                timezone="Asia/Ho_Chi_Minh",
            ),
            Event(
                id="local-times",
                title="Local hours resolved in the event's zone",
                start=Date(2019, 2, 27, 9, 0).in_zone("Asia/Ho_Chi_Minh"),
                end=Date(2019, 2, 27, 17, 45, 30).in_zone("Asia/Ho_Chi_Minh"),
                timezone="Asia/Ho_Chi_Minh",
            ),
        ],
    )


def _zones() -> Timeline:
    def at(event_id: str, zone: str, offset: int, hour: int, minute: int = 0) -> Event:
        return Event(
            id=event_id,
            title=f"19:00 local in {zone}",
            start=Date(2023, 7, 1, hour, minute, offset=offset, zone=zone),
            timezone=zone,
        )

    return _timeline(
        "zones",
        "Time zones",
        [
            at("pyongyang", "Asia/Pyongyang", 540, 19),
            at("moscow", "Europe/Moscow", 180, 19),
            at("st-johns", "America/St_Johns", -150, 19),
            at("kathmandu", "Asia/Kathmandu", 345, 19),
            at("kiritimati", "Pacific/Kiritimati", 840, 19),
            at("pago-pago", "Pacific/Pago_Pago", -660, 19),
            Event(id="utc", title="Noon UTC", start=Date(2023, 7, 1, 12, 0, offset=0, zone="UTC"), timezone="UTC"),
            Event(id="fixed-offset", title="A bare offset", start=Date(2023, 7, 1, 12, 0, 0, offset=-330)),
        ],
        timezone="Asia/Pyongyang",
    )


def _scripts() -> Timeline:
    return _timeline(
        "scripts",
        f"{_HANGUL} — {_CYRILLIC}",
        [
            Event(
                id="hangul",
                title=_HANGUL,
                start=Date(2024, 6, 19),
                description=f"**{_HANGUL}**: 제4조. _{_CYRILLIC}_",
                tags=("조약", "договор"),
                group="외교",
                location=Location(name="평양"),
            ),
            Event(
                id="cyrillic",
                title=_CYRILLIC,
                start=Date(1961, 7, 6),
                description=f"{_CYRILLIC}. {_ARABIC}.",
                group="Дипломатия",
                location=Location(name="Москва", lat=55.7558, lon=37.6173),
                sources=(Source(title="Правда", publisher="«Правда»", url="https://example.org/правда"),),
            ),
            Event(
                id="emoji",
                title=_EMOJI,
                start=Date(2023, 9, 13),
                description=f"{_EMOJI} — mixed with {_ARABIC} and 中文 and 日本語",
                tags=("🤝",),
                media=Media(url="https://example.org/🤝.jpg", caption=_EMOJI, credit="📷 Photographer"),
            ),
        ],
        description=f"{_CYRILLIC}\n\n{_HANGUL}",
    )


def _hostile() -> Timeline:
    events = []
    for index, text in enumerate(HOSTILE_STRINGS):
        events.append(
            Event(
                id=f"hostile-{index:02d}",
                title=text,
                start=Date(2000, 1, index + 1),
                description=f"{text}\n\n{text}",
                tags=(text, "plain"),
                group=text,
                location=Location(name=text, lat=0.0, lon=0.0),
                media=Media(url="https://example.org/a.png?x=\"'<>&y=1", caption=text, credit=text),
                sources=(
                    Source(title=text, publisher=text, url='https://example.org/?q="<script>"&a=1#x'),
                    Source(title=text),
                ),
                extra={"note": text, text[:20] or "k": [text, 1, 2.5, True, None]},
            )
        )
    return _timeline(
        "hostile",
        HOSTILE_STRINGS[0] + " " + HOSTILE_STRINGS[6],
        events,
        description="\n\n".join(HOSTILE_STRINGS),
        eras=[Era(title=text, start=Date(2000), end=Date(2001), description=text) for text in HOSTILE_STRINGS[:3]],
    )


def _eras() -> Timeline:
    return _timeline(
        "eras",
        "Eras behind events",
        [
            Event(id="armistice", title="Armistice", start=Date(1953, 7, 27)),
            Event(id="treaty", title="Treaty", start=Date(1961, 7, 6)),
            Event(id="summit", title="Summit", start=Date(2024, 6, 19)),
        ],
        eras=[
            Era(title="Cold War", start=Date(1947), end=Date(1991, 12, 26), description="A *long* period."),
            Era(title="Khrushchev", start=Date(1953, 9), end=Date(1964, 10)),
            Era(title="Overlapping era", start=Date(1960), end=Date(1962)),
            Era(title="Now", start=Date(2022, 2, 24), ongoing=True),
            Era(title="An instant era", start=Date(1961, 7, 6)),
        ],
    )


def _details() -> Timeline:
    return _timeline(
        "sources-media-locations",
        "Sources, media, locations, links",
        [
            Event(
                id="full",
                title="Everything an event can have",
                start=Date(1961, 7, 6),
                end=Date(1961, 7, 11),
                timezone="Europe/Moscow",
                description="Signed in **Moscow**; see [the text](https://example.org/treaty).\n\n- one\n- two",
                tags=("treaty", "diplomacy"),
                group="Diplomacy",
                location=Location(name="Moscow", lat=55.7558, lon=37.6173),
                media=Media(url="https://example.org/photo.jpg", caption="The signing", credit="Archive"),
                sources=(
                    _SOURCE,
                    Source(url="https://example.org/only-url"),
                    Source(title="Only a title"),
                    Source(title="Dated", publisher="Press", date=Date(1961, 7, 7)),
                ),
                related=("poles",),
                extra={"wikidata": "Q123", "nested": {"list": [1, 2, {"deep": None}], "flag": False}},
                # A free label with what markup and calendar parameters must escape.
                relation_labels={"poles": 'cites "<b>^" & [x](y);a,b:c'},
            ),
            Event(
                id="poles",
                title="Coordinates at the edges",
                start=Date(1961, 8),
                location=Location(lat=-90.0, lon=180.0),
                related=("full", "null-island"),
                relation_labels={"null-island": "part of"},
            ),
            Event(id="null-island", title="Zero, zero", start=Date(1961, 9), location=Location(lat=0.0, lon=0.0)),
            Event(
                id="named-place",
                title="A place with no coordinates",
                start=Date(1961, 10),
                location=Location(name="Pyongyang"),
            ),
            Event(
                id="video", title="A video", start=Date(1961, 11), media=Media(url="https://www.youtube.com/watch?v=abc")
            ),
        ],
        description="A timeline with *Markdown* in its description and a [link](https://example.org).",
        updated=Date(2024, 11, 1, 12, 0, 0, offset=0),
    )


def _same_instant() -> Timeline:
    return _timeline(
        "ties",
        "Events at the same date, ordered by id",
        [Event(id=f"tie-{letter}", title=f"Tie {letter}", start=Date(2001, 9, 11)) for letter in "cab"],
    )


_BUILDERS = (
    _empty,
    _one_event,
    _precisions,
    _qualifiers,
    _bce,
    _long_years,
    _ongoing,
    _ranges,
    _zones,
    _scripts,
    _hostile,
    _eras,
    _details,
    _same_instant,
)


def _everything(parts: Iterable[Timeline]) -> Timeline:
    """Every event and era of the other cases in one timeline (ids prefixed to stay unique)."""
    events: list[Event] = []
    eras: list[Era] = []
    for part in parts:
        for event in part.events:
            related = tuple(f"{part.id}.{r}" for r in event.related)
            labels = {f"{part.id}.{r}": label for r, label in event.relation_labels.items()}
            events.append(attrs.evolve(event, id=f"{part.id}.{event.id}", related=related, relation_labels=labels))
        eras.extend(part.eras)
    return _timeline(
        "everything", "Everything at once", events, eras=eras, timezone="Europe/Moscow", description=_HANGUL
    )


@functools.lru_cache(maxsize=1)
def _cached() -> tuple[Timeline, ...]:
    parts = tuple(build() for build in _BUILDERS)
    return (*parts, _everything(parts))


def corpus() -> dict[str, Timeline]:
    """The tricky timelines by name, small enough to export many times.

    Names: ``empty``, ``one-event``, ``precisions``, ``qualifiers``, ``bce``,
    ``long-years``, ``ongoing``, ``ranges``, ``zones``, ``scripts``,
    ``hostile``, ``eras``, ``sources-media-locations``, ``ties`` and
    ``everything`` (all of them in one).  Timelines are immutable, so the
    same objects are returned on every call.
    """
    return {tl.id: tl for tl in _cached()}


_PRECISION_CYCLE = (
    lambda i: Date(1800 + i % 220),
    lambda i: Date(1800 + i % 220, 1 + i % 12),
    lambda i: Date(1800 + i % 220, 1 + i % 12, 1 + i % 28),
    lambda i: Date(1800 + i % 220, 1 + i % 12, 1 + i % 28, i % 24, i % 60, offset=0),
    lambda i: Date(1800 + i % 220, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, offset=540),
)


@functools.lru_cache(maxsize=2)
def large_timeline(size: int = 10_000) -> Timeline:
    """``size`` events mixing every precision, ranges, ongoing events, sources and Markdown.

    Made by arithmetic, not chance, so it is the same on every run.
    """
    events = []
    for i in range(size):
        start = _PRECISION_CYCLE[i % len(_PRECISION_CYCLE)](i)
        end = Date(start.year + 1 + i % 3) if i % 7 == 0 else None
        events.append(
            Event(
                id=f"event-{i:06d}",
                title=f"Event {i}: {HOSTILE_STRINGS[i % len(HOSTILE_STRINGS)][:40]}",
                start=start,
                end=end,
                ongoing=end is None and i % 97 == 0,
                description=f"Paragraph *{i}* with a [link](https://example.org/{i}) and `code`." if i % 3 else "",
                tags=(f"tag-{i % 5}",) if i % 2 else (),
                group=f"Group {i % 4}" if i % 4 else None,
                sources=(Source(title=f"Source {i}", url=f"https://example.org/s/{i}"),) if i % 5 == 0 else (),
                location=Location(name=f"Place {i % 50}", lat=(i % 180) - 89.5, lon=(i % 360) - 179.5)
                if i % 11 == 0
                else None,
            )
        )
    return _timeline(f"large-{size}", f"{size:,} events", events, updated=Date(2024, 11, 1))


def unchecked_corpus() -> dict[str, Timeline]:
    """Timelines that fail :func:`timeline.validate` but can be built in Python.

    An exporter may refuse them, with a :class:`timeline.TimelineError`, or
    write them; it must not crash.
    """
    cases = [
        _timeline(
            "control-characters",
            CONTROL_STRINGS[0],
            [
                Event(
                    id=f"control-{index}",
                    title=text,
                    start=Date(2000, 1, index + 1),
                    description=f"{text}\n\n{text}",
                    tags=(text,),
                    group=text,
                    location=Location(name=text),
                    media=Media(url="https://example.org/a.png", caption=text, credit=text),
                    sources=(Source(title=text, publisher=text),),
                    extra={"note": text},
                )
                for index, text in enumerate(CONTROL_STRINGS)
            ],
            description="\n\n".join(CONTROL_STRINGS),
            eras=[Era(title=CONTROL_STRINGS[1], start=Date(2000), end=Date(2001), description=CONTROL_STRINGS[2])],
        ),
        _timeline(
            "unsafe-urls",
            "Unsafe URLs",
            [
                Event(
                    id="js-media",
                    title="javascript: media",
                    start=Date(2020),
                    media=Media(url="javascript:alert(1)"),
                    sources=(Source(title="file", url="file:///etc/passwd"), Source(url="data:text/html,<b>x</b>")),
                )
            ],
        ),
        _timeline(
            "backwards",
            "Ends before it starts",
            [Event(id="backwards", title="Backwards", start=Date(2020, 5), end=Date(2019))],
            eras=[Era(title="Backwards era", start=Date(2020), end=Date(1990))],
        ),
        _timeline(
            "dangling",
            "Links to nothing, odd places",
            [
                Event(
                    id="dangling",
                    title="",
                    start=Date(2020),
                    related=("missing", "dangling"),
                    location=Location(name=None, lat=200.0, lon=None),
                    sources=(Source(),),
                )
            ],
        ),
    ]
    return {tl.id: tl for tl in cases}
