"""Visible text of HTML: the one extractor behind detection, post text and the render decision.

A page is parsed once with lxml (:func:`parse_html`); :func:`visible_text` reads what a reader sees
from the parsed tree: the text of ``<body>`` outside ``script``, ``style``, ``noscript`` and
``template``, plus (unless ``attributes=False``) image ``alt`` and link ``title`` texts, in
document order. :func:`html_text` does both for an HTML string. Whitespace is squeezed
(:func:`squeeze`) with one exception: a run of spaces inside a line stays two spaces wide, because
in letter-spaced text ("W A T C H  S C R E A M  7") the wider gaps are the word boundaries.
"""

from __future__ import annotations

import re

import lxml.etree

__all__ = ["html_text", "parse_html", "squeeze", "text_of", "visible_text"]

# huge_tree, as parsel (Scrapy's selectors) parses: libxml2 otherwise drops everything nested
# deeper than 255 elements, and a page could hide its words (or a form) in 300 <div>s
_PARSER = lxml.etree.HTMLParser(
    encoding="utf-8", remove_comments=True, no_network=True, huge_tree=True
)
# a whitespace run other than one plain space: the only runs :func:`squeeze` rewrites
_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")
_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_ATTRIBUTE_TEXTS = {"img": "alt", "a": "title"}


def parse_html(html: str) -> lxml.etree._Element | None:
    """The root element of ``html`` parsed leniently, or ``None`` for empty or unparsable input."""
    if not html or not html.strip():
        return None
    try:
        root = lxml.etree.fromstring(html.encode("utf-8", "surrogatepass"), _PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def _squeeze_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return "  " if len(run) > 1 and "\n" not in run and "\r" not in run else " "


def squeeze(text: str) -> str:
    """``text`` with whitespace collapsed, keeping in-line runs of spaces two wide (see above)."""
    if "  " not in text and text.isprintable():  # no whitespace but single spaces: nothing to do
        return text.strip()
    return _WHITESPACE.sub(_squeeze_run, text).strip()


def text_of(element: lxml.etree._Element) -> str:
    """All the text inside ``element`` (a link's words, a form's wording), squeezed."""
    return squeeze(" ".join(element.itertext()))


def visible_text(root: lxml.etree._Element, *, attributes: bool = True) -> str:
    """The visible text of a parsed page (see the module docstring), squeezed.

    ``attributes=False`` leaves out the ``alt`` and ``title`` texts (a post's own words only).
    """
    return squeeze(" ".join(_visible_pieces(root, attributes)))


def _visible_pieces(root: lxml.etree._Element, attributes: bool) -> list[str]:
    """The texts of ``visible_text`` in document order, in one walk of the tree.

    What ``//body//text()[not(ancestor::script or ...)] | //img/@alt | //a/@title`` selects, but
    counting how deep the walk is inside ``<body>`` and hidden elements instead of looking up
    each text's ancestors: XPath's lookups cost the depth per text, and a page 2,000 elements
    deep with many texts took minutes.
    """
    pieces: list[str] = []
    append = pieces.append
    in_body = 0
    hidden = 0
    texts = _ATTRIBUTE_TEXTS if attributes else {}
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag  # not a string for a processing instruction: no text of its own
        if event == "start":
            if tag == "body":
                in_body += 1
            elif tag in _HIDDEN:
                hidden += 1
            attribute = texts.get(tag)
            if attribute is not None and el.get(attribute) is not None:
                append(el.get(attribute))
            if in_body and not hidden and el.text and isinstance(tag, str):
                append(el.text)
            continue
        if tag == "body":
            in_body -= 1
        elif tag in _HIDDEN:
            hidden -= 1
        if in_body and not hidden and el.tail:  # the tail is the parent's text
            append(el.tail)
    return pieces


def html_text(html: str, *, attributes: bool = True) -> str:
    """The visible text of an HTML fragment (a post body) or document; ``""`` if it has none.

    ``html`` is read as the content of one ``<div>``, so every word of a fragment counts wherever
    the parser would have put it (a bare ``<title>``, text before ``<body>``).
    """
    root = parse_html(f"<div>{html}</div>") if html else None
    return visible_text(root, attributes=attributes) if root is not None else ""
