"""What the SVG tests check on every picture: strict XML, nothing unsafe, text boxes apart and inside."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from timeline.plugins.svg import _width as measure

SVG_NS = "{http://www.w3.org/2000/svg}"
#: Every element the exporter may write; anything else (script, foreignObject, image, use, ...) fails.
ALLOWED = {"svg", "title", "desc", "style", "rect", "line", "text", "tspan", "a", "circle", "polygon", "polyline",
           "path"}
SAFE_LINK = re.compile(r"(?i)(https?|mailto):")
SIZES = {"title": 24.0, "sub": 14.0, "lbl": 13.0, "d": 11.0, "lh": 14.0, "era": 12.0, "tick": 11.0, "lg": 12.0}
ASCENT, DESCENT = 1.069, 0.293


def parse(data: bytes) -> ET.Element:
    """The root of ``data``, parsed strictly, after the checks that do not need a browser."""
    assert b"<!" not in data, "no DOCTYPE, entity declaration, comment or CDATA"
    root = ET.fromstring(data)  # raises on anything that is not well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    check_safe(root)
    return root


def check_safe(root: ET.Element) -> None:
    for element in root.iter():
        assert element.tag.startswith(SVG_NS), element.tag
        name = element.tag[len(SVG_NS):]
        assert name in ALLOWED, f"<{name}> is not allowed"
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), attribute
            assert "url(" not in value.lower(), (attribute, value)
            if attribute in ("href", "{http://www.w3.org/1999/xlink}href"):
                assert name == "a" and SAFE_LINK.match(value), (name, value)
            assert "javascript" not in value.lower() or (attribute == "href" and SAFE_LINK.match(value))
        if name == "style":
            css = element.text or ""
            assert "@import" not in css and "url(" not in css and "<" not in css


def label_texts(root: ET.Element) -> dict[str, list[str]]:
    """Each labelled event's text element: its id, and the text of its title lines."""
    found: dict[str, list[str]] = {}
    for text in root.iter(f"{SVG_NS}text"):
        if text.get("class") == "lbl":
            event = text.get("data-event")
            assert event is not None and event not in found, event
            found[event] = [(span.text or "") for span in text if span.get("class") != "d"]
    return found


def squeeze(text: str) -> str:
    """``text`` without its whitespace, to compare a wrapped title with the data's."""
    return "".join(text.split())


def text_boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """The box of every ``<text>``, from the exporter's own font metrics: (left, top, right, bottom, text)."""
    boxes = []
    for text in root.iter(f"{SVG_NS}text"):
        cls = text.get("class") or ""
        spans: list[tuple[Any, str]] = [(span, span.get("class") or cls) for span in text] or [(text, cls)]
        left = top = float("inf")
        right = bottom = float("-inf")
        for element, span_cls in spans:
            size = SIZES[span_cls]
            content = element.text or ""
            width = measure(content, size, bold=span_cls in ("title", "lh", "era"))  # as the layout measures
            x = float(element.get("x") or text.get("x") or 0)
            y = float(element.get("y") or text.get("y") or 0)
            if text.get("text-anchor") == "middle":
                x -= width / 2
            left, right = min(left, x), max(right, x + width)
            top, bottom = min(top, y - ASCENT * size), max(bottom, y + DESCENT * size)
        boxes.append((left, top, right, bottom, "".join(element.text or "" for element, _ in spans)))
    return boxes


def overlaps(boxes: list[tuple[float, float, float, float, str]], slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap by more than ``slack`` pixels both ways (a sweep along x)."""
    found = []
    ordered = sorted(boxes)
    for i, (l1, t1, r1, b1, s1) in enumerate(ordered):
        for l2, t2, r2, b2, s2 in ordered[i + 1:]:
            if l2 >= r1 - slack:
                break
            if min(b1, b2) - max(t1, t2) > slack and min(r1, r2) - max(l1, l2) > slack:
                found.append((s1, s2))
    return found


def view_box(root: ET.Element) -> tuple[float, float]:
    _x, _y, width, height = map(float, (root.get("viewBox") or "").split())
    return width, height
