"""Tests for timeline.markup (_urls, _escape, _markdown): user-written descriptions, rendered safely.

The properties are checked with markdown-it itself, the CommonMark consumer
the outputs are written for: whatever a hostile description contains, what
comes out must parse without raw HTML, shallow headings or unsafe links, and
must not leak into the document around it.
"""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from timeline import _escape, _markdown
from timeline.markup import (
    SAFE_SCHEMES,
    escape_markdown,
    markdown_to_html,
    markdown_to_markdown,
    markdown_to_text,
    safe_url,
)

# --------------------------------------------------------------------------
# A reference consumer
# --------------------------------------------------------------------------


class _AcceptAllLinks(MarkdownIt):
    """markdown-it that parses every link, so an unsafe URL cannot hide as plain text."""

    def validateLink(self, url: str) -> bool:
        return True


CONSUMER = _AcceptAllLinks("commonmark", {"html": True}).enable(["table", "strikethrough"])


def parse(text: str) -> tuple[list[Token], dict[str, Any]]:
    env: dict[str, Any] = {}
    return CONSUMER.parse(text, env), env


def walk(tokens: list[Token]) -> list[Token]:
    """All tokens, inline children included."""
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found.extend(walk(token.children))
    return found


def inline_text(token: Token) -> str:
    """The visible text of an inline token whose children must all be text."""
    assert token.children is not None
    kinds = {child.type for child in token.children}
    assert kinds <= {"text", "text_special"}, kinds
    return "".join(child.content for child in token.children)


def collapse(text: str) -> str:
    """What escape_markdown promises to keep: whitespace runs with a break or tab become one space,
    other control characters U+FFFD."""
    text = re.sub(r"\s*[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]\s*", " ", text)
    return re.sub("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]", "\ufffd", text)


# --------------------------------------------------------------------------
# safe_url
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ok", "https://ok"),
        ("http://example.com/a?b=c#d", "http://example.com/a?b=c#d"),
        ("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM"),
        ("mailto:a@b", "mailto:a@b"),
        ("MailTo:a@b", "MailTo:a@b"),
        ("  https://ok  ", "https://ok"),
        ("\u00a0https://ok\n", "https://ok"),
        ("ht\ttps://ok", "https://ok"),
        ("https://o\nk", "https://ok"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\rscript:alert(1)", None),
        ("\x00javascript:alert(1)", None),
        ("  javascript:alert(1)", None),
        ("\x01\x02 javascript:alert(1)", None),
        ("javascript&#58;alert(1)", None),
        ("javascript&colon;alert(1)", None),
        ("java%09script:alert(1)", None),
        ("https://ok/\x00evil", None),
        ("https://ok/\x7f", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("data:image/png;base64,AAAA", None),
        ("vbscript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("ftp://example.com", None),
        ("//evil.com", None),
        ("/relative/path", None),
        ("relative", None),
        ("#fragment", None),
        ("?q=1", None),
        ("https", None),
        (":https://ok", None),
        ("\u0441https://ok", None),  # Cyrillic "с" in front: not a scheme we know
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_safe_url_never_raises_on_odd_input() -> None:
    assert safe_url(42) is None  # type: ignore[arg-type]
    assert safe_url(b"https://ok") is None  # type: ignore[arg-type]


@given(st.text())
def test_safe_url_only_returns_safe_schemes(url: str) -> None:
    result = safe_url(url)
    if result is not None:
        scheme = result.split(":", 1)[0]
        assert scheme.lower() in SAFE_SCHEMES
        assert not re.search(r"[\x00-\x1f\x7f]", result)
        assert result == result.strip()


# --------------------------------------------------------------------------
# escape_markdown
# --------------------------------------------------------------------------

# Punctuation-heavy text: every ASCII punctuation character, whitespace of all
# kinds, and letters from a few scripts.
NASTY_CHARS = list(string.punctuation) + [
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\u00a0",
    "\u3000",
    "\u2003",
    "\x0b",
    "\x0c",
    "\x85",
    "\u2028",
    "a",
    "Z",
    "0",
    "1",
    "9",
    "é",
    "한",
    "국",
    "Ж",
    "щ",
    "😀",
    "👩‍🔬",
    "ß",
    "&amp;",
    "&#35;",
    "1. ",
    "- ",
    "# ",
    "> ",
    "```",
    "~~~",
    "<script>",
    "[a](b)",
    "    ",
]
nasty_text = st.one_of(
    st.text(),
    st.lists(st.sampled_from(NASTY_CHARS), max_size=30).map("".join),
)


@pytest.mark.parametrize(
    "text",
    ["# x", "*", "|", "<script>", "[a](b)", "&amp;", "1. ", "snake_case_name", "C#", "Q&A", "Wow!", "- item"],
)
def test_escape_markdown_examples_render_as_typed(text: str) -> None:
    tokens, _ = parse("# " + escape_markdown(text))
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert inline_text(tokens[1]) == text


def test_escape_markdown_keeps_prose_readable() -> None:
    assert escape_markdown("Meeting at 10:30, room 4 (east wing).") == "Meeting at 10:30, room 4 (east wing)."
    assert escape_markdown("snake_case and #tag") == "snake_case and #tag"
    assert escape_markdown("a\n\n  b\tc") == "a b c"
    assert escape_markdown("  indented") == "&#x20;&#x20;indented"
    assert escape_markdown("1. first") == "1\\. first"
    assert escape_markdown("<b>") == "\\<b>"


@settings(max_examples=600)
@given(st.one_of(nasty_text, st.text(alphabet=string.printable + "\x85\xa0\u2000\u2028\u2029\u3000")))
@example("https://example.org")
@example("see www.example.org")
@example("WWW.x")
@example("a:/b")
@example("2024 summit")
@example("x ")
@example("x\u3000")
@example("a\u2028b")
@example("a\x85b")
def test_escape_markdown_shortcut_gives_what_the_full_escaping_gives(text: str) -> None:
    """Text that needs no change is returned as it is; the shortcut must never skip a needed change."""
    assert escape_markdown(text) == _escape._escape_markdown(text)


@settings(max_examples=400)
@given(nasty_text)
@example("")
@example(" ")
@example("\x0b")
@example("a\x0b")
@example("-")
@example("=")
@example(":-")
@example("1)")
@example("&")
@example("x\\")
def test_escape_markdown_is_literal_in_a_heading(text: str) -> None:
    tokens, env = parse("# " + escape_markdown(text))
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert tokens[0].tag == "h1"
    assert inline_text(tokens[1]) == collapse(text)
    assert not env.get("references")


def _table_cells(tokens: list[Token]) -> list[list[str]]:
    rows: list[list[str]] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append(inline_text(tokens[index + 1]))
    return rows


@settings(max_examples=300)
@given(nasty_text)
@example("|")
@example("\\|")
@example("a \\\\| b")
@example("`|`")
def test_escape_markdown_stays_in_its_table_cell(text: str) -> None:
    cell = escape_markdown(text)
    tokens, _ = parse(f"| h | {cell} |\n| --- | --- |\n| {cell} | x |\n")
    rows = _table_cells(tokens)
    expected = collapse(text)
    assert [len(row) for row in rows] == [2, 2]
    assert rows[0][0] == "h" and rows[1][1] == "x"
    assert rows[0][1] == expected
    assert rows[1][0] == expected


@settings(max_examples=300)
@given(nasty_text)
def test_escape_markdown_is_literal_as_link_text_list_item_and_paragraph(text: str) -> None:
    escaped = escape_markdown(text)
    expected = collapse(text)

    tokens, _ = parse(f"[{escaped}](https://example.com)\n")
    link = [t for t in walk(tokens) if t.type == "link_open"]
    assert len(link) == 1 and link[0].attrGet("href") == "https://example.com"
    children = tokens[1].children or []
    assert "".join(c.content for c in children if c.type == "text") == expected

    if expected:
        tokens, _ = parse("- " + escaped + "\n")
        assert [t.type for t in tokens] == [
            "bullet_list_open",
            "list_item_open",
            "paragraph_open",
            "inline",
            "paragraph_close",
            "list_item_close",
            "bullet_list_close",
        ]
        assert inline_text(tokens[3]) == expected

        tokens, _ = parse("before\n\n" + escaped + "\nafter " + escaped + "\n\nend\n")
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * 3
        children = tokens[4].children or []
        assert [c.type for c in children] == ["text", "softbreak", "text"]


# --------------------------------------------------------------------------
# markdown_to_markdown: safety against hostile input
# --------------------------------------------------------------------------

HOSTILE_PIECES = [
    "*",
    "**",
    "_",
    "__",
    "~~",
    "~",
    "`",
    "``",
    "```",
    "~~~",
    "```js\n",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "#",
    "# ",
    "## ",
    "###### ",
    "-",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "2) ",
    "0. ",
    "> ",
    ">> ",
    "|",
    "| a | b |\n",
    "|---|---|\n",
    ":-",
    "---",
    "***",
    "===",
    "\n",
    "\n\n",
    "\n  ",
    "  \n",
    "    ",
    "\t",
    " ",
    "\\",
    "\\\n",
    "&amp;",
    "&lt;",
    "&#10;",
    "&#x3C;script&#x3E;",
    "&",
    "<script>alert(1)</script>",
    "<script>",
    "</script>",
    "<style>",
    "<pre>",
    "<textarea>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "<?php",
    "?>",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "<http://ok.com>",
    "<javascript:alert(1)>",
    "<a@b.com>",
    "<!x@y.com>",
    "[x]: javascript:alert(1)\n",
    "[y]: http://ok.com 'title'\n",
    "[x]",
    "[y]",
    "[x][]",
    "[`]: javascript:x`]",
    "javascript:alert(1)",
    "(javascript:alert(1))",
    "](javascript:alert(1))",
    "](JaVaScRiPt:x)",
    "](java&#9;script:x)",
    "](data:text/html,x)",
    "](http://ok.com)",
    '](http://ok.com "t")',
    "](<http://a b>)",
    "![",
    "![a](http://ok.com/i.png)",
    "![b](javascript:x)",
    "[![c](http://ok.com/i.png)](http://ok.com)",
    "a",
    "word",
    "Ж",
    "한",
    "😀",
    "\x00",
    "\u00a0",
    "\r\n",
]

hostile_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE_PIECES), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from(list("*_`~[]()<>!#-+=|:.\\&;x1 \n\t")), max_size=60),
    st.text(max_size=40),
)


def _nesting(depth: int) -> str:
    prefixes = ["> ", "- ", "1. ", "* ", ">", "  - "]
    return "".join(prefixes[i % len(prefixes)] for i in range(depth))


deep_text = st.builds(
    lambda depth, body, tail: _nesting(depth) + body + tail,
    st.integers(0, 40),
    st.lists(st.sampled_from(HOSTILE_PIECES), max_size=10).map("".join),
    st.sampled_from(["", "\n", "\n```\n", "\nlazy line\n", "\n<!--\n"]),
)


def assert_safe_markdown(out: str, heading_level: int) -> None:
    """Everything markdown_to_markdown promises about its output."""
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n"))
    tokens, env = parse(out)
    for token in walk(tokens):
        assert token.type not in ("html_inline", "html_block"), (token, out)
        assert token.type != "image", out
        if token.type == "heading_open":
            assert int(token.tag[1:]) >= heading_level, out
        if token.type == "link_open":
            href = token.attrGet("href")
            assert isinstance(href, str) and safe_url(href) is not None, (href, out)
    assert not env.get("references"), out

    embedded, env = parse("before\n\n" + out + "\nafter\n")
    assert not env.get("references")
    assert [t.type for t in embedded[:3]] == ["paragraph_open", "inline", "paragraph_close"]
    assert embedded[1].content == "before"
    assert [t.type for t in embedded[-3:]] == ["paragraph_open", "inline", "paragraph_close"], out
    assert embedded[-3].level == 0 and embedded[-2].content == "after", out


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_text, deep_text), st.integers(1, 6))
@example("[`]: javascript:alert(1)`](http://ok)", 4)
@example("[](javascript:x)[`]: /u`](http://ok.com)", 4)
@example("[](javascript:x)# Title", 4)
@example("- a\n  ***\n", 4)
@example("- a\n\n  -\n", 4)
@example("- - -\n", 4)
@example("~~~~a~~~~", 4)
@example("~~a ~~b~~ c~~", 4)
@example("Wow![x](http://ok.com)", 4)
@example("!\\[x](http://ok.com)", 4)
@example("<!x@y.com> <img src=x onerror=alert(1)>", 4)
@example("- <!x@y.com>\n", 4)
@example("x\n<div>\n\n<script>\nalert(1)\n\n</script>", 4)
@example("```\nunclosed", 4)
@example("> ```\n> x", 4)
@example("a\n---", 1)
@example("| a |\n|---|\n| `|` |", 4)
@example("*a*&#10;# b", 4)
@example("&#32;&#32;&#32;&#32;code?", 4)
@example("[a\n- b](http://ok.com)", 4)
@example("- a\n\n      code\n", 4)
def test_markdown_to_markdown_is_safe(text: str, heading_level: int) -> None:
    assert_safe_markdown(markdown_to_markdown(text, heading_level=heading_level), heading_level)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_text, deep_text))
def test_markdown_to_markdown_is_stable(text: str) -> None:
    """Its output is already safe, so re-rendering it changes nothing that shows."""
    once = markdown_to_markdown(text)
    twice = markdown_to_markdown(once)
    assert markdown_to_html(twice) == markdown_to_html(once)


def test_markdown_to_markdown_examples() -> None:
    assert markdown_to_markdown("") == ""
    assert markdown_to_markdown("  \n\n\t\n") == ""
    assert markdown_to_markdown("[r]: http://ok.com\n") == ""
    assert markdown_to_markdown("Hello, world.") == "Hello, world.\n"
    assert markdown_to_markdown("# A\n\n## B\n\nText") == "#### A\n\n##### B\n\nText\n"
    assert markdown_to_markdown("### A\n\n#### B", heading_level=2) == "## A\n\n### B\n"
    assert markdown_to_markdown("# A\n\n###### B", heading_level=5) == "##### A\n\n###### B\n"
    assert markdown_to_markdown("Setext\n===") == "#### Setext\n"
    assert markdown_to_markdown("<b>bold</b> & <i>x</i>") == "\\<b>bold\\</b> & \\<i>x\\</i>\n"
    assert markdown_to_markdown("<script>alert(1)</script>") == "\\<script>alert(1)\\</script>\n"
    assert markdown_to_markdown("[x](javascript:alert(1)) y") == "x y\n"
    assert markdown_to_markdown("[r]\n\n[r]: https://ok.com 'T'") == '[r](https://ok.com "T")\n'
    assert markdown_to_markdown("![cat](https://ok.com/c.png)") == "[cat](https://ok.com/c.png)\n"
    assert markdown_to_markdown("![](https://ok.com/c.png)") == "[https://ok.com/c.png](https://ok.com/c.png)\n"
    assert markdown_to_markdown("![cat](javascript:x)") == "cat\n"
    assert markdown_to_markdown("<https://ok.com> <a@b.com>") == "<https://ok.com> <a@b.com>\n"
    assert markdown_to_markdown("[a](https://w.org/a_(b))") == "[a](<https://w.org/a_(b)>)\n"
    assert markdown_to_markdown("    x = 1\n") == "```\nx = 1\n```\n"
    assert markdown_to_markdown("~~~\n```\n~~~") == "````\n```\n````\n"
    assert markdown_to_markdown("```py title=x\nx\n```") == "```py\nx\n```\n"
    assert markdown_to_markdown("```<script>\nx\n```") == "```\nx\n```\n"
    assert markdown_to_markdown("`` a`b ``") == "``a`b``\n"
    assert markdown_to_markdown("``` `` ```") == "` `` `\n"
    assert markdown_to_markdown("a  \nb") == "a\\\nb\n"
    assert markdown_to_markdown("---") == "***\n"
    assert markdown_to_markdown("- a\n- b\n\n* c") == "- a\n- b\n\n* c\n"
    assert markdown_to_markdown("1. a\n\n   b\n2. c") == "1. a\n\n   b\n\n2. c\n"
    assert markdown_to_markdown("> a\nlazy") == "> a\n> lazy\n"
    assert markdown_to_markdown("| a | b |\n|:-|-:|\n| 1 | 2 |") == "| a | b |\n| :--- | ---: |\n| 1 | 2 |\n"


def test_markdown_to_markdown_rejects_bad_heading_levels() -> None:
    with pytest.raises(ValueError):
        markdown_to_markdown("# x", heading_level=0)
    with pytest.raises(ValueError):
        markdown_to_markdown("# x", heading_level=7)
    with pytest.raises(TypeError):
        markdown_to_markdown("# x", heading_level=True)


# --------------------------------------------------------------------------
# markdown_to_markdown: fidelity on ordinary descriptions
# --------------------------------------------------------------------------

CORPUS = [
    "The treaty was signed on *12 March* in **Vienna**.",
    "# Background\n\nTalks began in 1989.\n\n## Outcome\n\nA ceasefire, ~~briefly~~ respected.",
    "Sources:\n\n- [Reuters](https://www.reuters.com/world/)\n- [AP](https://apnews.com)\n- Archive <https://archive.org/details/x>",
    "1. Arrival\n2. Speech\n3. Departure\n\nSee also: the *official* schedule.",
    "> We will not give up.\n>\n> — the mayor, in a **televised** address\n\nThe crowd cheered.",
    "Run `timeline export --format ical` to get the feed.\n\n```bash\ntimeline export --format ical > out.ics\n```",
    "| Year | Event |\n| ---- | :---: |\n| 1989 | Wall falls |\n| 1990 | *Reunification* |",
    'Contact <press@example.org> or [the desk](mailto:desk@example.org "Newsroom").',
    "- Loose item one\n\n- Loose item two\n\n  with a second paragraph\n\n- Loose item three",
    "- Outer\n  - Inner *one*\n  - Inner two\n    1. Deep\n    2. Deeper\n- Outer again",
    "Line one  \nLine two\\\nLine three",
    "Cost: $5 (approx.) — 50% off; see p. 3/4 & footnote #2 @ 10:30!",
    "Setext title\n============\n\nSubtitle\n--------\n\nBody text.",
    "Emphasis *with `code` inside* and **strong _and em_** and ***both***.",
    "A [reference link][ref] and a [collapsed][] one.\n\n[ref]: https://example.com/ref 'Ref'\n[collapsed]: https://example.com/c",
    "Escaped \\*stars\\*, \\_underscores\\_ and a literal \\# hash.",
    "***\n\nAfter a rule.\n\n    indented code\n    block\n\nEnd.",
    "> Quote with a list:\n>\n> - a\n> - b\n>\n> and `code`.",
    "7. Starts at seven\n8. Eight\n\n3) Parenthesis style\n4) Four",
    "Entities: &copy; 2024, &amp; &lt;tag&gt; and &#x1F600;.",
    "Unicode: Кириллица, 한국어, emoji 🎉, and snake_case_words.",
    "- [x](https://ok.com/a_(b)) link with parens\n- item with trailing `code`",
    "Term\n: not a definition list in CommonMark\n\n+ plus bullet\n+ another",
]


def _demote(html: str, shift: int) -> str:
    return re.sub(r"(</?h)([1-6])>", lambda m: f"{m.group(1)}{min(6, int(m.group(2)) + shift)}>", html)


@pytest.mark.parametrize("doc", CORPUS)
def test_markdown_to_markdown_keeps_ordinary_documents(doc: str) -> None:
    out = markdown_to_markdown(doc)
    assert_safe_markdown(out, 4)
    levels = [int(m) for m in re.findall(r"<h([1-6])>", markdown_to_html(doc))]
    shift = 4 - min(levels) if levels else 0
    assert markdown_to_html(out) == _demote(markdown_to_html(doc), shift)
    assert markdown_to_markdown(out) == out


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 15


# --------------------------------------------------------------------------
# markdown_to_html
# --------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "s",
    "a",
    "img",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRS = {"href", "title", "rel", "src", "alt", "style", "class", "start"}


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_safe_html(html: str) -> None:
    assert "<script" not in html.lower()
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, (name, html)
            assert not name.startswith("on")
            if name in ("href", "src"):
                assert value is not None and safe_url(value) == value, (value, html)
            if name == "style":
                assert value in ("text-align:left", "text-align:right", "text-align:center")
            if name == "rel":
                assert value == "noopener noreferrer"
        if tag == "a":
            assert ("rel", "noopener noreferrer") in attrs
            assert any(name == "href" for name, _ in attrs)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_text, deep_text))
@example('<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>')
@example("[x](javascript:alert(1)) ![y](data:image/png;base64,AAAA) <javascript:alert(1)>")
@example("[x]: vbscript:msgbox\n\n[x]")
def test_markdown_to_html_is_safe(text: str) -> None:
    html = markdown_to_html(text)
    assert_safe_html(html)
    assert html == markdown_to_html(text)


def test_markdown_to_html_examples() -> None:
    assert markdown_to_html("") == ""
    assert markdown_to_html("Hi <b>there</b>") == "<p>Hi &lt;b&gt;there&lt;/b&gt;</p>\n"
    assert markdown_to_html("[x](javascript:alert(1))") == "<p>x</p>\n"
    assert markdown_to_html("<javascript:alert(1)>") == "<p>javascript:alert(1)</p>\n"
    assert markdown_to_html("![a *b*](vbscript:x)") == "<p>a b</p>\n"
    assert (
        markdown_to_html("[x](https://ok.com)") == '<p><a href="https://ok.com" rel="noopener noreferrer">x</a></p>\n'
    )
    assert markdown_to_html("![c](https://ok.com/c.png)") == '<p><img src="https://ok.com/c.png" alt="c" /></p>\n'
    assert markdown_to_html("[x][r]\n\n[r]: data:text/html,hi") == "<p>x</p>\n"
    assert markdown_to_html('A "quote" & more') == "<p>A &quot;quote&quot; &amp; more</p>\n"


# --------------------------------------------------------------------------
# markdown_to_text
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("md", "text"),
    [
        ("", ""),
        ("Hello *world*", "Hello world"),
        ("# Title\n\nPara one.\n\nPara two.", "Title\n\nPara one.\n\nPara two."),
        ("- a\n- b\n  - c", "- a\n- b\n  - c"),
        ("* a\n\n* b", "- a\n\n- b"),
        ("1. a\n1. b", "1. a\n2. b"),
        ("3) a\n4) b", "3. a\n4. b"),
        ("[site](https://example.com)", "site (https://example.com)"),
        ("[https://example.com](https://example.com)", "https://example.com"),
        ("<https://example.com>", "https://example.com"),
        ("<press@example.org>", "press@example.org"),
        ("[mail](mailto:a@b.org)", "mail (mailto:a@b.org)"),
        ("[x](javascript:alert(1))", "x"),
        ("[](https://example.com)", "https://example.com"),
        ("![a cat](http://x/cat.png)", "a cat"),
        ("Use `a*b` here", "Use a*b here"),
        ("```\ncode  \n  indented\n```", "code\n  indented"),
        ("<b>hi</b> there", "<b>hi</b> there"),
        ("<div>\n*raw*\n</div>", "<div>\n*raw*\n</div>"),
        ("a &amp; b &copy;", "a & b ©"),
        ("\\*not em\\*", "*not em*"),
        ("line one\nline two  \nthree", "line one\nline two\nthree"),
        ("> quoted\n> text", "> quoted\n> text"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"),
        ("Title\n===\n\n***\n\nafter", "Title\n\n---\n\nafter"),
        ("[x](https://例え.jp/パス)", "x (https://例え.jp/パス)"),
    ],
)
def test_markdown_to_text_examples(md: str, text: str) -> None:
    assert markdown_to_text(md) == text


MARKUP_CHARS = set("*_`#[]<>|~\\&!")


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_text, deep_text).map(lambda s: s.replace("&", "").replace("%", "")))
def test_markdown_to_text_introduces_no_markup(md: str) -> None:
    text = markdown_to_text(md)
    introduced = (set(text) & MARKUP_CHARS) - set(md)
    assert not introduced, (md, text)
    assert text == text.strip("\n")
    assert all(line == line.rstrip() for line in text.split("\n"))


# --------------------------------------------------------------------------
# Fast path
# --------------------------------------------------------------------------

plain_ish = st.lists(
    st.sampled_from(list("abcXYZ éñ한😀 ,.;:'\"?()/@$%^{}=+-!>0123456789\n") + ["  ", "\n\n", "_", "#", "*", "Ok"]),
    max_size=60,
).map("".join)


@settings(max_examples=1000)
@given(plain_ish)
@example("Hello, world.")
@example("a\n\n\nb\nc\n")
@example("a\n>b")
@example("x -- y\n(z)")
def test_fast_path_matches_the_parser(text: str) -> None:
    assert markdown_to_markdown(text) == _markdown._markdown_to_markdown_parsed(text, 4)
    assert markdown_to_html(text) == _markdown._markdown_to_html_parsed(text)
    assert markdown_to_text(text) == _markdown._markdown_to_text_parsed(text)


@pytest.mark.parametrize("text", ["Hello, world.", "Two\nlines.\n\nAnd a (second) paragraph: 50% off!", "", "\n\n"])
def test_fast_path_does_not_parse(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(html: bool) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(_markdown, "_parser", refuse)
    assert markdown_to_markdown(text).rstrip("\n") == text.strip("\n")
    markdown_to_html(text)
    assert markdown_to_text(text) == text.strip("\n")


def test_fast_path_does_not_import_markdown_it() -> None:
    import subprocess
    import sys

    code = (
        "import sys, timeline; before = 'markdown_it' in sys.modules\n"
        "from timeline.markup import markdown_to_markdown, markdown_to_html, markdown_to_text\n"
        "text = 'Plain text: 10:30, \"quoted\" (more) > less!\\n\\nA second paragraph.'\n"
        "markdown_to_markdown(text), markdown_to_html(text), markdown_to_text(text)\n"
        "print(before or 'markdown_it' not in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize("text", ["  indented", "1. item", "- item", "a  \nb", "a\tb", "x_y", "> q", "a\u00a0"])
def test_fast_path_refuses_anything_that_may_be_markdown(text: str) -> None:
    assert _markdown._plain_paragraphs(text) is None


def test_import_is_light() -> None:
    """Importing the modules imports neither markdown_it nor dataclasses, nor compiles a pattern (first use does)."""
    import subprocess
    import sys

    code = (
        "import sys, timeline; before = {'markdown_it', 'dataclasses'} & set(sys.modules); import timeline.markup\n"
        "from timeline import _escape, _markdown, _urls\n"
        "compiled = [m.__name__ for m in (_escape, _markdown, _urls) if m._patterns.cache_info().currsize]\n"
        "print(sorted({'markdown_it', 'dataclasses'} & set(sys.modules) - before), compiled)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] []"


def test_patterns_are_compiled_once() -> None:
    from timeline import _escape, _markdown, _urls

    for module in (_escape, _markdown, _urls):
        assert module._patterns() is module._patterns()


def test_long_hostile_input_takes_linear_time() -> None:
    """Long runs of one character must not make any helper quadratic."""
    import time

    started = time.perf_counter()
    run = " " * 50_000
    assert safe_url(run + "https://ok" + run + "x" + run) == "https://ok" + run + "x"
    assert escape_markdown("a" + run + "b") == "a" + run + "b"
    assert escape_markdown("a" + run + "\nb") == "a b"
    markdown_to_markdown("*a" * 5_000 + "[" * 5_000)
    assert time.perf_counter() - started < 10
