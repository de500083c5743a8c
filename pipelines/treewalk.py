"""One walk of a parsed page gathers everything detection reads from its tree.

Reading a page used to cost some thirty separate passes over its tree: the visible text's walk,
the nesting depth's walk, and an XPath or an ``iter`` each for the title, the base, the meta
description, links, frames, forms, inputs, scripts, buttons, the video player, headings, and the
furniture (site names, icons, canonical, assets, alt texts, label cells, ``<h1>``, class names).
On the small pages of the web each pass costs more in setting up than in walking, so
:func:`walk` visits every node once, in document order, and sorts out what each stage reads: the
same values in the same order as those XPaths select (tests/pipelines/test_treewalk.py checks
it against them). What the stages then make of the elements (wording, link targets, the
furniture's clean-up) stays with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.etree

__all__ = ["MAX_ITEMS", "PageWalk", "walk"]

#: Assets, alt texts and label cells kept per page (a hostile page may hold millions); class
#: and id names are read from four times as many elements.
MAX_ITEMS = 500
_MAX_NAMED = MAX_ITEMS * 4
_MAX_SITE_NAMES = 20
_MAX_ICONS = 20
_MAX_H1 = 10
_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_ATTRIBUTE_TEXTS = {"img": "alt", "a": "title"}
# the attribute each tag contributes to the assets (beside any element's style)
_ASSET_KEY = {
    "img": "src",
    "script": "src",
    "link": "href",
    "source": "srcset",
    "image": "href",
    "use": "href",
}
_ASSET_META = (("property", "og:image"), ("name", "twitter:image"), ("itemprop", "image"))
_SITE_META = (
    ("property", "og:site_name"),
    ("name", "application-name"),
    ("name", "twitter:site"),
    ("property", "twitter:site"),
    ("name", "apple-mobile-web-app-title"),
    ("name", "og:site_name"),
)
_TEXT_META = (("name", "description"), ("property", "og:title"), ("property", "og:description"))
_BUTTON_KEYS = frozenset({"onclick", "data-href", "data-url", "formaction"})
_COUNTED = _HIDDEN | {"body", "title"}  # tags whose inside the walk keeps count of
# tags with more to read than their attributes; tags whose assets _assets reads (style included)
_ASSET_TAGS = frozenset(_ASSET_KEY) | {"meta", "input"}
_SPECIAL_TAGS = _ASSET_TAGS | frozenset(
    "a area h1 h2 img input iframe form button video base meta link dt th".split()
)
_ICON_CASE = str.maketrans("ICON", "icon")  # XPath translate() of those letters only
_CANONICAL_CASE = str.maketrans("CANONICAL", "canonical")
_LOGO_CASE = str.maketrans("LOGO", "logo")
_PLAYER_CASE = str.maketrans("PLAYER", "player")


@dataclass
class PageWalk:
    """What one walk of a page's tree found (elements and values in document order)."""

    visible: list[str] = field(default_factory=list)  # the pieces of pipelines.text.visible_text
    depth: int = 0  # how deep elements nest, the root at depth 1 (as nesting_depth counts)
    title: list[str] = field(default_factory=list)  # //title//text()
    base: str | None = None  # the first <base href>
    meta: list[str] = field(default_factory=list)  # description, og:title, og:description
    headings: list[lxml.etree._Element] = field(default_factory=list)  # <h1> and <h2>
    anchors: list[lxml.etree._Element] = field(default_factory=list)  # <a> and <area>
    frames: list[lxml.etree._Element] = field(default_factory=list)  # <iframe>
    forms: list[lxml.etree._Element] = field(default_factory=list)
    inputs: list[lxml.etree._Element] = field(default_factory=list)  # every <input>
    scripts: list[lxml.etree._Element] = field(default_factory=list)
    buttons: list[lxml.etree._Element] = field(default_factory=list)  # <button>, onclick ...
    player: bool = False  # <video>, an id or class naming a player or a play overlay
    site_names: list[str] = field(default_factory=list)  # the furniture's site-name metas
    icons: list[str] = field(default_factory=list)  # <link rel=icon> addresses
    canonical: list[str] = field(default_factory=list)  # the first <link rel=canonical> href
    assets: list[str] = field(default_factory=list)  # src/href/srcset/style values, style texts
    alts: list[str] = field(default_factory=list)  # alt texts, image/logo aria-labels
    labels: list[lxml.etree._Element] = field(default_factory=list)  # <th> before a <td>, <dt>
    h1: list[lxml.etree._Element] = field(default_factory=list)  # the first <h1> elements
    named: list[lxml.etree._Element] = field(default_factory=list)  # elements with class or id


def walk(root: lxml.etree._Element) -> PageWalk:
    """Everything the stages of detection read from the tree under ``root``, in one walk."""
    out = PageWalk()
    visible = out.visible.append
    title = out.title.append
    depth = 0
    deepest = 0
    in_body = 0
    hidden = 0
    in_title = 0
    shown = False  # inside <body> and outside any hidden element
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag  # not a string for a processing instruction
        if event == "end":
            depth -= 1
            if tag in _COUNTED:
                if tag == "body":
                    in_body -= 1
                elif tag == "title":
                    in_title -= 1
                else:
                    hidden -= 1
                shown = bool(in_body) and not hidden
            tail = el.tail
            if tail:  # the tail is the parent's text
                if shown:
                    visible(tail)
                if in_title:
                    title(tail)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
        if tag in _COUNTED:
            if tag == "body":
                in_body += 1
            elif tag == "title":
                in_title += 1
            else:
                hidden += 1
            shown = bool(in_body) and not hidden
        if tag.__class__ is not str:
            continue
        attribute = _ATTRIBUTE_TEXTS.get(tag)
        if attribute is not None and el.get(attribute) is not None:
            visible(el.get(attribute))
        if tag in _SPECIAL_TAGS:
            _special(out, el, tag)
        keys = el.keys()
        if keys:
            _generic(out, el, tag, keys)
        text = el.text
        if text:
            if shown:
                visible(text)
            if in_title:
                title(text)
                if tag == "title" and _parent_tag(el) == "svg":
                    _add(out.alts, text)  # raw text: the parser nests no tag in a title
            elif tag == "style":
                _add(out.assets, text)  # raw text too: its text() is its .text
    out.depth = deepest
    del out.assets[MAX_ITEMS:]
    del out.alts[MAX_ITEMS:]
    return out


def _add(values: list[str], value: str) -> None:
    if len(values) < MAX_ITEMS:
        values.append(value)


def _parent_tag(el: lxml.etree._Element) -> object:
    parent = el.getparent()
    return parent.tag if parent is not None else None


def _special(out: PageWalk, el: lxml.etree._Element, tag: str) -> None:
    """What ``el`` holds for the stages by its tag (the attributes any tag may carry: later)."""
    if tag in ("a", "area"):
        out.anchors.append(el)
    elif tag in ("h1", "h2"):
        out.headings.append(el)
        if tag == "h1" and len(out.h1) < _MAX_H1:
            out.h1.append(el)
    elif tag == "img":
        _img_alts(out, el)
    elif tag == "input":
        out.inputs.append(el)
    elif tag == "script":
        out.scripts.append(el)
    elif tag == "iframe":
        out.frames.append(el)
    elif tag == "form":
        out.forms.append(el)
    elif tag == "button":
        out.buttons.append(el)
    elif tag == "video":
        out.player = True
    elif tag == "base":
        if out.base is None and el.get("href") is not None:
            out.base = el.get("href")
    elif tag == "meta":
        _meta(out, el)
    elif tag == "link":
        _link(out, el)
    elif tag == "dt" or (tag == "th" and next(el.itersiblings("td"), None) is not None):
        if len(out.labels) < MAX_ITEMS:
            out.labels.append(el)
    if tag in _ASSET_TAGS and len(out.assets) < MAX_ITEMS:
        _assets(out, el, tag)


def _meta(out: PageWalk, el: lxml.etree._Element) -> None:
    content = el.get("content")
    if content is None:
        return
    if any(el.get(k) == v for k, v in _TEXT_META):
        out.meta.append(content)
    if len(out.site_names) < _MAX_SITE_NAMES and any(el.get(k) == v for k, v in _SITE_META):
        out.site_names.append(content)


def _link(out: PageWalk, el: lxml.etree._Element) -> None:
    href = el.get("href")
    rel = el.get("rel")
    if href is None or rel is None:
        return
    if len(out.icons) < _MAX_ICONS and "icon" in rel.translate(_ICON_CASE):
        out.icons.append(href)
    if not out.canonical and rel.translate(_CANONICAL_CASE) == "canonical":
        out.canonical.append(href)


def _assets(out: PageWalk, el: lxml.etree._Element, tag: str) -> None:
    """The asset attributes of ``el`` (a tag with one, or meta/input), in the order it writes
    them (its style included)."""
    key = _ASSET_KEY.get(tag)
    if key is None:
        if tag == "meta" and any(el.get(k) == v for k, v in _ASSET_META):
            key = "content"
        elif tag == "input" and el.get("type") == "image":
            key = "src"
    if key is None:
        style = el.get("style")
        if style is not None:
            out.assets.append(style)
        return
    out.assets += [value for name, value in el.items() if name == key or name == "style"]


def _img_alts(out: PageWalk, el: lxml.etree._Element) -> None:
    """An image's alt text and, if it is labelled as an image or a logo, its aria-label, in the
    order it writes them."""
    if len(out.alts) >= MAX_ITEMS:
        return
    if _labelled(el, el.get("class")):
        out.alts += [value for name, value in el.items() if name in ("alt", "aria-label")]
    elif el.get("alt") is not None:
        out.alts.append(el.get("alt"))


def _labelled(el: lxml.etree._Element, classes: str | None) -> bool:
    """Whether ``el``'s aria-label names an image: role=img, or a class naming a logo."""
    return el.get("role") == "img" or (
        classes is not None and "logo" in classes.translate(_LOGO_CASE)
    )


def _generic(out: PageWalk, el: lxml.etree._Element, tag: str, keys: list[str]) -> None:
    """What the attributes any element may carry make of it (``keys``: their names)."""
    classes = el.get("class") if "class" in keys else None
    ident = el.get("id") if "id" in keys else None
    if classes is not None or ident is not None:
        if len(out.named) < _MAX_NAMED:
            out.named.append(el)
        if not out.player and (
            (ident is not None and "player" in ident.translate(_PLAYER_CASE))
            or (classes is not None and ("player" in classes or "play-overlay" in classes))
        ):
            out.player = True
    if "style" in keys and tag not in _ASSET_TAGS and len(out.assets) < MAX_ITEMS:
        out.assets.append(el.get("style"))
    if (
        "aria-label" in keys
        and tag != "img"
        and len(out.alts) < MAX_ITEMS
        and _labelled(el, classes)
    ):
        out.alts.append(el.get("aria-label"))
    if tag != "button" and not _BUTTON_KEYS.isdisjoint(keys):
        out.buttons.append(el)
