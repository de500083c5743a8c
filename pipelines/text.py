"""Visible text of HTML: the one extractor behind detection, post text and the render decision.

A page is parsed once with lxml (:func:`parse_html`); :func:`visible_text` reads what a reader sees
from the parsed tree: the text of ``<body>`` outside ``script``, ``style``, ``noscript`` and
``template``, plus image ``alt`` and link ``title`` attributes (in document order).
:func:`html_text` does both for an HTML string or fragment. Whitespace is squeezed
(:func:`squeeze`) with one exception: a run of spaces inside a line stays two spaces wide, because
in letter-spaced text ("W A T C H  S C R E A M  7") the wider gaps are the word boundaries.
"""

from __future__ import annotations

import re

import lxml.etree

__all__ = ["html_text", "parse_html", "squeeze", "text_of", "visible_text"]

_PARSER = lxml.etree.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
_WHITESPACE = re.compile(r"\s+")
_VISIBLE = lxml.etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)] | //img/@alt | //a/@title"
)


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
    return _WHITESPACE.sub(_squeeze_run, text).strip()


def text_of(element: lxml.etree._Element) -> str:
    """All the text inside ``element`` (a link's words, a form's wording), squeezed."""
    return squeeze(" ".join(element.itertext()))


def visible_text(root: lxml.etree._Element) -> str:
    """The visible text of a parsed page (see the module docstring), squeezed."""
    return squeeze(" ".join(str(t) for t in _VISIBLE(root)))


def html_text(html: str) -> str:
    """The visible text of an HTML document or fragment (``""`` when there is none)."""
    root = parse_html(html)
    return visible_text(root) if root is not None else ""
