"""Descriptions parsed and rendered again: Markdown to Markdown, to HTML and to plain text.

Public through ``timeline.markdown_to_markdown``, ``markdown_to_html`` and
``markdown_to_text`` (and ``timeline.markup``); internal otherwise.

``markdown_it`` is imported only when a description has to be parsed, and
the parsers and this module's regular expressions are built on first use,
not at import; all are built once and reused.  Plain descriptions (no
character that could be Markdown syntax) skip the parser entirely and give
exactly what the parser would have given.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ._escape import escape_text, protect_line
from ._urls import safe_url

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["markdown_to_html", "markdown_to_markdown", "markdown_to_text"]


class _Patterns(NamedTuple):
    description_control: re.Pattern[str]
    not_plain: re.Pattern[str]
    amp_entity: re.Pattern[str]
    html_friendly_info: re.Pattern[str]
    uri_autolink: re.Pattern[str]
    email_autolink: re.Pattern[str]
    destination_unsafe: re.Pattern[str]
    backtick_run: re.Pattern[str]
    thematic_break: re.Pattern[str]
    reference_start: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """This module's regular expressions, compiled once, on first use."""
    return _Patterns(
        # Control characters a description may not pass on (tab, line feed and
        # carriage return are line structure, and stay).
        description_control=re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"),
        # Anything that could be inline syntax or get escaped, and every whitespace or
        # control character except space and newline.
        not_plain=re.compile(r"[\\`*_\[\]<&|~#\x00-\x09\x0b-\x1f\x7f-\x9f]|[^\S\n ]"),
        # An "&" that could start a character reference, now or once more text is
        # appended: "&amp;", "&#38;", a trailing "&" or "&am".
        amp_entity=re.compile(r"&(?=#?[A-Za-z0-9]*(?:;|\Z))"),
        html_friendly_info=re.compile(r"[A-Za-z0-9_+.#-]{1,64}"),
        uri_autolink=re.compile(r"(?:https?|mailto):[^\x00-\x20\x7f<>\\]*", re.IGNORECASE),
        email_autolink=re.compile(
            r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
        ),
        destination_unsafe=re.compile(r"[\x00-\x20\x7f<>]"),
        backtick_run=re.compile(r"`+"),
        thematic_break=re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*"),
        # A paragraph starting like "[label]:" would be read as a link reference
        # definition, which would vanish and leak into the enclosing document.
        reference_start=re.compile(r"\[(?:[^\\\[\]]|\\.)*\]:", re.DOTALL),
    )


# --------------------------------------------------------------------------
# Parsers
# --------------------------------------------------------------------------


@functools.cache
def _parser(html: bool) -> MarkdownIt:
    """Build (once) a CommonMark parser with GFM tables and strikethrough.

    Every link is accepted at parse time so that an unsafe one still parses
    as a link and can be reduced to its text by our own renderers, instead
    of showing up as literal ``[text](javascript:...)``.
    """
    from markdown_it import MarkdownIt

    class _Parser(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            return True

    parser = _Parser("commonmark", {"html": html})
    parser.enable(["table", "strikethrough"])
    return parser


def _tree(text: str, *, html: bool) -> SyntaxTreeNode:
    """Parse *text* into markdown-it's syntax tree."""
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode(_parser(html).parse(text))


# --------------------------------------------------------------------------
# Fast path for plain descriptions
# --------------------------------------------------------------------------

_PLAIN_LINE_START = frozenset(" -+=>:0123456789")


def _plain_paragraphs(text: str) -> list[list[str]] | None:
    """Split *text* into paragraphs of lines if it cannot contain any Markdown, else ``None``.

    ``>`` is allowed inside a line (it is only syntax at the start or after
    ``<``); the other rejected characters are syntax anywhere, and a line
    may not start with a character that can open a block, nor end with a
    space (two make a hard break).
    """
    if _patterns().not_plain.search(text):
        return None
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if line[0] in _PLAIN_LINE_START or line[-1] == " ":
            return None
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


# --------------------------------------------------------------------------
# Shared helpers for the renderers
# --------------------------------------------------------------------------


class _InlineItem(Protocol):
    """What markdown-it's inline tokens and syntax-tree nodes both have, for :func:`_inline_text`."""

    @property
    def type(self) -> str: ...

    @property
    def content(self) -> str: ...

    @property
    def children(self) -> Sequence[_InlineItem] | None: ...


_TEXT_TYPES = frozenset(("text", "text_special", "code_inline", "html_inline"))
_BREAK_TYPES = frozenset(("softbreak", "hardbreak"))


def _inline_text(items: Sequence[_InlineItem], link: Callable[[Any], str] | None = None) -> str:
    """Return the text of inline *items* with all markup dropped: the one plain-text walker.

    *items* are syntax-tree nodes, or the flat inline tokens of markdown-it
    (where only an image has children: its alt text).  Text, code and raw
    HTML keep their characters, line breaks become newlines, an image gives
    its alt text, and a link gives ``link(node)`` when *link* is given
    (plain text shows the URL), else its text.  Inside an image's alt text
    links are text alone, whatever *link* is.
    """
    parts: list[str] = []
    for item in items:
        kind = item.type
        if kind in _TEXT_TYPES:
            parts.append(item.content)
        elif kind in _BREAK_TYPES:
            parts.append("\n")
        elif kind == "link" and link is not None:
            parts.append(link(item))
        elif item.children:
            parts.append(_inline_text(item.children, None if kind == "image" else link))
    return "".join(parts)


def _attr(node: SyntaxTreeNode, name: str) -> str | None:
    """Return attribute *name* of *node* as a string, if it has one."""
    value = node.attrs.get(name)
    return None if value is None else str(value)


def _inline_children(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    """Return the inline nodes inside a paragraph, heading or table cell."""
    children: list[SyntaxTreeNode] = []
    for child in node.children:
        if child.type == "inline":
            children.extend(child.children)
    return children


def _is_tight(node: SyntaxTreeNode) -> bool:
    """Tell whether a list is tight: markdown-it hides the paragraphs of tight lists.

    A list with no paragraph at all renders the same either way; it is
    treated as tight.
    """
    saw_paragraph = False
    for item in node.children:
        for child in item.children:
            if child.type == "paragraph":
                if child.hidden:
                    return True
                saw_paragraph = True
    return not saw_paragraph


def _list_start(node: SyntaxTreeNode) -> int:
    """Return the number an ordered list starts at."""
    try:
        return int(node.attrs.get("start", 1))
    except (TypeError, ValueError):
        return 1


# --------------------------------------------------------------------------
# Markdown -> Markdown
# --------------------------------------------------------------------------


class _Inline(NamedTuple):
    """Where inline content is being written, which changes how it must be written."""

    single_line: bool = False  # heading or table cell: breaks become spaces
    in_table: bool = False  # the caller escapes every "|" of the cell
    in_link: bool = False  # no link may be nested in a link
    in_strike: bool = False  # nested ~~ would make a "~~~~" fence at a line start
    code_as_text: bool = False  # write code spans as escaped text
    emphasis: str = ""  # delimiter of the emphasis this content directly sits in




def _escape_bang(buf: list[str]) -> None:
    """Escape a ``!`` right before a link about to be written, so it stays a link."""
    for index in range(len(buf) - 1, -1, -1):
        part = buf[index]
        if not part:
            continue
        if part.endswith("!"):
            slashes = len(part) - 1 - len(part[:-1].rstrip("\\"))
            if slashes % 2 == 0:
                buf[index] = part[:-1] + "\\!"
        return


def _code_span(content: str, buf: list[str]) -> str:
    """Write a code span whose backtick fence fits *content* and the text before it."""
    if not content:
        return ""
    runs = {len(run) for run in _patterns().backtick_run.findall(content)}
    size = 1
    while size in runs:
        size += 1
    before = next((part for part in reversed(buf) if part), "")
    trailing = len(before) - len(before.rstrip("`"))
    if trailing == size:  # an adjacent code span would merge fences
        size += 1
        while size in runs:
            size += 1
    pad = ""
    if content[0] == "`" or content[-1] == "`" or (content[0] == " " and content[-1] == " " and content.strip(" ")):
        pad = " "
    fence = "`" * size
    return fence + pad + content + pad + fence


def _destination(url: str) -> str:
    """Write *url* as a link destination that parses back to exactly *url*."""
    url = _patterns().destination_unsafe.sub(lambda m: f"%{ord(m.group()):02X}", url)
    url = _patterns().amp_entity.sub(r"\\&", url.replace("\\", "\\\\"))
    if "(" in url or ")" in url:
        return "<" + url + ">"
    return url


def _title(node: SyntaxTreeNode) -> str:
    """Write the link title of *node* (with its leading space), or nothing."""
    title = _attr(node, "title")
    if not title:
        return ""
    title = title.replace("\\", "\\\\").replace('"', '\\"')
    title = _patterns().amp_entity.sub(r"\\&", title).replace("\n", "&#10;")
    return ' "' + title + '"'


def _split_edges(text: str) -> tuple[str, str, str]:
    """Split whitespace and line breaks off both ends of rendered emphasis content.

    Emphasis cannot start or end with whitespace, so it is moved outside the
    delimiters; a hard break (backslash + newline) moves out whole.
    """
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end < len(text) and "\n" in text[end:]:
        slashes = end - len(text[:end].rstrip("\\"))
        if slashes % 2 == 1:
            end -= 1
    return text[:start], text[start:end], text[end:]


def _md_inline(nodes: Sequence[SyntaxTreeNode], ctx: _Inline, buf: list[str]) -> None:
    """Append the Markdown for inline *nodes* to *buf*."""
    pipes = not ctx.in_table
    for node in nodes:
        kind = node.type
        if kind in ("text", "text_special", "html_inline"):
            # Raw HTML is written as the literal characters typed.
            content = node.content.replace("\n", " ") if ctx.single_line else node.content
            buf.append(escape_text(content, pipes=pipes))
        elif kind == "softbreak":
            buf.append(" " if ctx.single_line else "\n")
        elif kind == "hardbreak":
            buf.append(" " if ctx.single_line else "\\\n")
        elif kind == "code_inline":
            if ctx.code_as_text:
                buf.append(escape_text(node.content, pipes=pipes))
            else:
                buf.append(_code_span(node.content, buf))
        elif kind in ("em", "strong", "s"):
            _md_emphasis(node, ctx, buf)
        elif kind == "link":
            _md_link(node, ctx, buf)
        elif kind == "image":
            _md_image(node, ctx, buf)
        elif node.children:
            _md_inline(node.children, ctx, buf)
        elif node.content:
            buf.append(escape_text(node.content, pipes=pipes))


def _is_wordish(char: str) -> bool:
    """Tell whether *char* is neither whitespace nor punctuation (it blocks ``_`` emphasis)."""
    return bool(char) and not char.isspace() and unicodedata.category(char)[0] not in "PS"


def _first_char(node: SyntaxTreeNode | None) -> str:
    """Return (roughly) the first character that *node* will be written with ("" at the end)."""
    if node is None:
        return ""
    kind = node.type
    if kind in ("text", "text_special", "html_inline"):
        return node.content[:1] or "."
    if kind in ("softbreak", "hardbreak"):
        return " "
    if kind == "link" and safe_url(_attr(node, "href")) is None:
        return _first_char(node.children[0]) if node.children else "."
    if kind == "image" and safe_url(_attr(node, "src")) is None:
        return _inline_text(node.children)[:1] or "."
    return "."  # "*", "_", "~", "`", "[" or "<": punctuation


def _md_emphasis(node: SyntaxTreeNode, ctx: _Inline, buf: list[str]) -> None:
    """Append emphasis, strong emphasis or strikethrough.

    ``*`` is used unless it would run into another ``*`` (adjacent or
    directly nested emphasis, where ``**x**`` would turn into strong), in
    which case ``_`` is used if the characters around allow it.
    """
    kind = node.type
    if kind == "s" and ctx.in_strike:
        _md_inline(node.children, ctx, buf)
        return
    sub: list[str] = []
    inner_ctx = ctx._replace(emphasis="", in_strike=ctx.in_strike or kind == "s")
    if kind != "s":
        parent = node.parent
        nested = parent is not None and parent.type == kind and ctx.emphasis[:1] == "*"
        before = next((part for part in reversed(buf) if part), "")[-1:]
        delimiter = "*" if kind == "em" else "**"
        if nested or before == "*":
            after = _first_char(node.next_sibling)
            if not _is_wordish(before) and not _is_wordish(after):
                delimiter = delimiter.replace("*", "_")
        inner_ctx = inner_ctx._replace(emphasis=delimiter)
    else:
        delimiter = "~~"
    _md_inline(node.children, inner_ctx, sub)
    lead, core, trail = _split_edges("".join(sub))
    if not core:
        buf.append(lead + trail)
        return
    buf.append(lead + delimiter + core + delimiter + trail)


def _autolink(text: str, url: str) -> str | None:
    """Return ``<text>`` if it parses back to a link to *url* showing *text*, else ``None``."""
    from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

    if _patterns().uri_autolink.fullmatch(text):
        target = text
    elif _patterns().email_autolink.fullmatch(text):
        target = "mailto:" + text
    else:
        return None
    if normalizeLink(target) != url or normalizeLinkText(text) != text:
        return None
    return "<" + text + ">"


def _md_link(node: SyntaxTreeNode, ctx: _Inline, buf: list[str]) -> None:
    """Append a link, or only its text if its URL is unsafe or it sits inside a link."""
    url = safe_url(_attr(node, "href"))
    if url is None or ctx.in_link:
        _md_inline(node.children, ctx, buf)
        return
    if node.info == "auto":
        auto = _autolink(_inline_text(node.children), url)
        if auto is not None:
            buf.append(auto)
            return
    sub: list[str] = []
    _md_inline(node.children, ctx._replace(in_link=True), sub)
    _escape_bang(buf)
    buf.append("[" + "".join(sub) + "](" + _destination(url) + _title(node) + ")")


def _md_image(node: SyntaxTreeNode, ctx: _Inline, buf: list[str]) -> None:
    """Append an image as a link to it (no remote loads), or just its alt text."""
    alt = _inline_text(node.children)
    if ctx.single_line:
        alt = alt.replace("\n", " ")
    pipes = not ctx.in_table
    url = safe_url(_attr(node, "src"))
    if url is None or ctx.in_link:
        buf.append(escape_text(alt, pipes=pipes))
        return
    label = escape_text(alt if alt else url, pipes=pipes)
    _escape_bang(buf)
    buf.append("[" + label + "](" + _destination(url) + _title(node) + ")")


def _md_inline_string(nodes: Sequence[SyntaxTreeNode], ctx: _Inline) -> str:
    """Render inline *nodes* to a Markdown string."""
    buf: list[str] = []
    _md_inline(nodes, ctx, buf)
    return "".join(buf)


def _md_text_lines(text: str) -> list[str]:
    """Split rendered inline Markdown into protected lines, dropping empty ones.

    An empty line (content that rendered to nothing) would split the
    paragraph, and a hard break left at the very end would show as a
    backslash, so both are removed.
    """
    lines = [line for line in text.split("\n") if line]
    if lines:
        last = lines[-1]
        if (len(last) - len(last.rstrip("\\"))) % 2 == 1:
            lines[-1] = last[:-1]
            if not lines[-1]:
                lines.pop()
    return [protect_line(line) for line in lines]


def _md_paragraph(node: SyntaxTreeNode) -> list[str]:
    """Render a paragraph; never let it start like a link reference definition."""
    children = _inline_children(node)
    lines = _md_text_lines(_md_inline_string(children, _Inline()))
    if lines and _patterns().reference_start.match("\n".join(lines)):
        # Only a "]" inside a code span in the leading link can do this.
        lines = _md_text_lines(_md_inline_string(children, _Inline(code_as_text=True)))
    return lines


def _md_html_block(node: SyntaxTreeNode) -> list[str]:
    """Render raw HTML as paragraphs of its literal text (indentation dropped)."""
    lines: list[str] = []
    for raw in node.content.split("\n"):
        raw = raw.strip()
        if raw:
            lines.append(protect_line(escape_text(raw)))
        elif lines and lines[-1]:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _md_code(node: SyntaxTreeNode) -> list[str]:
    """Render fenced or indented code as a fenced block that nothing inside can close."""
    content = node.content
    if content and not content.endswith("\n"):
        content += "\n"
    longest = max((len(run) for run in _patterns().backtick_run.findall(content)), default=0)
    fence = "`" * max(3, longest + 1)
    info = ""
    if node.type == "fence":
        words = node.info.split()
        if words and _patterns().html_friendly_info.fullmatch(words[0]):
            info = words[0]
    return [fence + info, *content.split("\n")[:-1], fence]


def _md_heading(node: SyntaxTreeNode, shift: int) -> list[str]:
    """Render a heading as ATX, shifted by *shift* levels (at most 6)."""
    level = min(6, int(node.tag[1:]) + shift)
    text = protect_line(_md_inline_string(_inline_children(node), _Inline(single_line=True)))
    return ["#" * level + (" " + text if text else "")]


def _md_cell(node: SyntaxTreeNode) -> str:
    """Render a table cell; every pipe is escaped because GFM splits cells first."""
    text = _md_inline_string(_inline_children(node), _Inline(single_line=True, in_table=True))
    return protect_line(text).replace("|", "\\|")


def _md_table(node: SyntaxTreeNode) -> list[str]:
    """Render a GFM table with its column alignment."""
    lines: list[str] = []
    for section in node.children:
        for row in section.children:
            cells = [_md_cell(cell) for cell in row.children]
            lines.append("| " + " | ".join(cells) + " |")
            if section.type == "thead":
                delimiters = []
                for cell in row.children:
                    style = _attr(cell, "style") or ""
                    align = style.partition(":")[2]
                    delimiters.append({"left": ":---", "right": "---:", "center": ":---:"}.get(align, "---"))
                lines.append("| " + " | ".join(delimiters) + " |")
    return lines


class _Block(NamedTuple):
    """A rendered block and what the blocks around it need to know about it."""

    lines: list[str]
    closed: bool  # ends in a block nothing can continue (heading, code, rule), not a paragraph or table
    interrupts: bool  # it can directly follow an open paragraph, table or quote
    marker: str = ""  # list marker used, so that an adjacent list uses another


def _md_list(node: SyntaxTreeNode, shift: int, avoid: str) -> _Block:
    """Render a bullet or ordered list, tight or loose, with nested blocks."""
    ordered = node.type == "ordered_list"
    start = _list_start(node)
    if ordered:
        marker_char = ")" if avoid == "." else "."
    else:
        marker_char = "*" if avoid == "-" else "-"
    tight = _is_tight(node)
    lines: list[str] = []
    first_is_empty = closed = True
    for index, item in enumerate(node.children):
        if ordered:
            number = start + index if start + index <= 999_999_999 else start
            marker = f"{number}{marker_char}"
        else:
            marker = marker_char
        body, closed = _md_blocks(item.children, shift, tight=tight)
        if index and not tight:
            lines.append("")
        pad = " " * (len(marker) + 1)
        first = marker + " " + body[0] if body else marker
        if body and _patterns().thematic_break.fullmatch(first):
            # "- - -" would be a thematic break: start the item on its own line.
            first, rest = marker, body
        else:
            rest = body[1:]
        if index == 0:
            first_is_empty = first == marker
        # An empty last item has nothing that a following line could continue.
        closed = closed or not body
        lines.append(first)
        lines.extend(pad + line if line else "" for line in rest)
    interrupts = not first_is_empty and (not ordered or start == 1)
    return _Block(lines, closed=closed, interrupts=interrupts, marker=marker_char)


def _md_block(node: SyntaxTreeNode, shift: int, avoid: str) -> _Block | None:
    """Render one block node, or return ``None`` if it renders to nothing."""
    kind = node.type
    if kind == "paragraph":
        lines = _md_paragraph(node)
        return _Block(lines, closed=False, interrupts=False) if lines else None
    if kind == "html_block":
        lines = _md_html_block(node)
        return _Block(lines, closed=False, interrupts=False) if lines else None
    if kind == "heading":
        return _Block(_md_heading(node, shift), closed=True, interrupts=True)
    if kind in ("fence", "code_block"):
        return _Block(_md_code(node), closed=True, interrupts=True)
    if kind == "hr":
        return _Block(["***"], closed=True, interrupts=True)
    if kind == "blockquote":
        body, closed = _md_blocks(node.children, shift)
        lines = ["> " + line if line else ">" for line in body] or [">"]
        return _Block(lines, closed=closed or not body, interrupts=True)
    if kind in ("bullet_list", "ordered_list"):
        return _md_list(node, shift, avoid)
    if kind == "table":
        return _Block(_md_table(node), closed=False, interrupts=False)
    if node.children:  # unknown container (a plugin rule): keep its content
        lines, _ = _md_blocks(node.children, shift)
        return _Block(lines, closed=False, interrupts=False) if lines else None
    return None


def _md_blocks(nodes: Sequence[SyntaxTreeNode], shift: int, *, tight: bool = False) -> tuple[list[str], bool]:
    """Render sibling blocks, separated by blank lines unless in a tight list item.

    In a tight item blocks touch, which is only safe when the next block
    cannot be swallowed by the previous one (a paragraph continuing, a
    lazy quote line, a table row); otherwise a blank line goes in anyway.
    Also tells whether the last block is closed (see :class:`_Block`).
    """
    lines: list[str] = []
    previous: _Block | None = None
    previous_kind = ""
    for node in nodes:
        avoid = previous.marker if previous is not None and previous_kind == node.type else ""
        block = _md_block(node, shift, avoid)
        if block is None:
            continue
        if previous is not None:
            touching = tight and (
                previous.closed or block.interrupts or (node.type == "table" and previous_kind == "paragraph")
            )
            if not touching:
                lines.append("")
        lines.extend(block.lines)
        previous, previous_kind = block, node.type
    return lines, previous is not None and previous.closed


def _heading_levels(node: SyntaxTreeNode) -> list[int]:
    """Return the levels of all headings under *node*."""
    return [int(n.tag[1:]) for n in node.walk() if n.type == "heading"]


def markdown_to_markdown(md: str, *, heading_level: int = 4) -> str:
    """Re-render a user's description as safe, self-contained CommonMark blocks.

    The result can be pasted between other blocks of a larger Markdown
    document without affecting it: raw HTML is shown as literal text, links
    and images keep only URLs that pass :func:`safe_url` (an image becomes a
    link to itself, so nothing is loaded), reference definitions are
    resolved into inline links, code is always fenced with a fence nothing
    inside can close, and headings are shifted so the shallowest becomes
    *heading_level* (deeper ones stop at 6).  Paragraphs, lists, quotes,
    tables, emphasis and strikethrough are kept.  The result ends with one
    newline, or is ``""`` when there is nothing to show.
    """
    if isinstance(heading_level, bool) or not isinstance(heading_level, int):
        raise TypeError("heading_level must be an int")
    if not 1 <= heading_level <= 6:
        raise ValueError(f"heading_level must be between 1 and 6, not {heading_level}")
    plain = _plain_paragraphs(md)
    if plain is not None:
        return "\n\n".join("\n".join(lines) for lines in plain) + "\n" if plain else ""
    return _markdown_to_markdown_parsed(md, heading_level)


def _markdown_to_markdown_parsed(md: str, heading_level: int) -> str:
    """The slow path of :func:`markdown_to_markdown`: parse and re-render."""
    root = _tree(_patterns().description_control.sub("\ufffd", md), html=True)
    levels = _heading_levels(root)
    shift = heading_level - min(levels) if levels else 0
    lines, _ = _md_blocks(root.children, shift)
    return "\n".join(lines) + "\n" if lines else ""


# --------------------------------------------------------------------------
# Markdown -> HTML
# --------------------------------------------------------------------------


def _sanitize_inline(tokens: Sequence[Token]) -> list[Token]:
    """Drop unsafe links (keeping their text), turn unsafe images into their alt text."""
    from markdown_it.token import Token

    out: list[Token] = []
    dropped: list[bool] = []
    for token in tokens:
        if token.type == "link_open":
            url = safe_url(_token_attr(token, "href"))
            dropped.append(url is None)
            if url is None:
                continue
            token.attrSet("href", url)
            token.attrSet("rel", "noopener noreferrer")
        elif token.type == "link_close":
            if dropped and dropped.pop():
                continue
        elif token.type == "image":
            url = safe_url(_token_attr(token, "src"))
            if url is None:
                token = Token("text", "", 0, content=_inline_text(token.children or []))
            else:
                token.attrSet("src", url)
        out.append(token)
    return out


def _token_attr(token: Token, name: str) -> str | None:
    """Return attribute *name* of a markdown-it token as a string, if set."""
    value = token.attrGet(name)
    return None if value is None else str(value)


def markdown_to_html(md: str) -> str:
    """Render a description as a safe HTML fragment.

    Raw HTML is not interpreted (it shows as text), links and images whose
    URL fails :func:`safe_url` are replaced by their text (no ``href`` or
    ``src`` at all), and links get ``rel="noopener noreferrer"``.  The same
    input always gives the same output.
    """
    plain = _plain_paragraphs(md)
    if plain is not None:
        return "".join("<p>" + _escape_html("\n".join(lines)) + "</p>\n" for lines in plain)
    return _markdown_to_html_parsed(md)


def _escape_html(text: str) -> str:
    """Escape text for HTML exactly as markdown-it does (``'`` is left alone)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _markdown_to_html_parsed(md: str) -> str:
    """The slow path of :func:`markdown_to_html`."""
    parser = _parser(False)
    env: dict[str, object] = {}
    tokens = parser.parse(_patterns().description_control.sub("\ufffd", md), env)
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _sanitize_inline(token.children)
    html = parser.renderer.render(tokens, parser.options, env)
    assert isinstance(html, str)
    return html


# --------------------------------------------------------------------------
# Markdown -> plain text
# --------------------------------------------------------------------------


def _display_url(url: str) -> str:
    """Return *url* the way a person would type it (decoded, Unicode host names)."""
    from markdown_it.common.normalize_url import normalizeLinkText

    try:
        return normalizeLinkText(url)
    except Exception:  # display only: never fail because of a strange URL
        return url


def _inline_text_with_urls(nodes: Sequence[SyntaxTreeNode]) -> str:
    """Return inline *nodes* as plain text, links as ``text (url)`` (see :func:`_text_link`)."""
    return _inline_text(nodes, _text_link)


def _text_link(node: SyntaxTreeNode) -> str:
    """Return a link as ``text (url)``, or just one of them when that says it all."""
    text = _inline_text_with_urls(node.children)
    url = safe_url(_attr(node, "href"))
    if url is None:
        return text
    shown = _display_url(url)
    if not text.strip():
        return shown
    if text in (shown, url) or (shown[:7].lower() == "mailto:" and text == shown[7:]):
        return text
    return f"{text} ({shown})"


def _text_blocks(nodes: Sequence[SyntaxTreeNode], *, tight: bool = False) -> str:
    """Return sibling blocks as text, separated by a blank line (a newline if tight)."""
    blocks = [text for text in (_text_block(node) for node in nodes) if text]
    return ("\n" if tight else "\n\n").join(blocks)


def _text_list(node: SyntaxTreeNode) -> str:
    """Return a list as ``- item`` / ``1. item`` lines, nested items indented."""
    ordered = node.type == "ordered_list"
    start = _list_start(node)
    tight = _is_tight(node)
    items: list[str] = []
    for index, item in enumerate(node.children):
        marker = f"{start + index}. " if ordered else "- "
        lines = _text_blocks(item.children, tight=tight).split("\n")
        pad = " " * len(marker)
        items.append("\n".join([marker + lines[0]] + [pad + line if line else "" for line in lines[1:]]))
    return ("\n" if tight else "\n\n").join(items)


def _text_block(node: SyntaxTreeNode) -> str:
    """Return one block as plain text."""
    kind = node.type
    if kind in ("paragraph", "heading"):
        return _inline_text_with_urls(_inline_children(node))
    if kind in ("fence", "code_block", "html_block"):
        return node.content.rstrip("\n")
    if kind == "hr":
        return "---"
    if kind == "blockquote":
        body = _text_blocks(node.children)
        return "\n".join("> " + line if line else ">" for line in body.split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        return _text_list(node)
    if kind == "table":
        rows = []
        for section in node.children:
            for row in section.children:
                rows.append(" | ".join(_inline_text_with_urls(_inline_children(cell)) for cell in row.children))
        return "\n".join(rows)
    return _text_blocks(node.children)


def markdown_to_text(md: str) -> str:
    """Flatten a description to plain text, for formats without markup (iCalendar).

    Paragraphs are separated by a blank line, list items start with ``- ``
    or ``1. ``, headings and emphasis keep only their text, code is kept
    verbatim, a link becomes ``text (url)`` (only the URL if that is its
    text, only the text if the URL is unsafe), an image its alt text, and
    raw HTML stays as the characters typed.  No line ends in whitespace and
    there is no final newline.
    """
    plain = _plain_paragraphs(md)
    if plain is not None:
        return "\n\n".join("\n".join(lines) for lines in plain)
    return _markdown_to_text_parsed(md)


def _markdown_to_text_parsed(md: str) -> str:
    """The slow path of :func:`markdown_to_text`."""
    text = _text_blocks(_tree(_patterns().description_control.sub("\ufffd", md), html=True).children)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
