"""What a page says about who it is, beyond its words: its furniture, read once with lxml.

Kits present the brand they copy far more often in the furniture than in the visible text: the
``<title>``, the site-name meta tags, the favicon and the logo, assets hot-linked from the
brand's CDN or kept in folders named after it, CSS class prefixes copied from the real page
(docs/detection.md, "Phishing kits"). :func:`read_furniture` gathers them for
:mod:`pipelines.brands`; :func:`code_shape` says whether a set of inputs asks for a one-time
code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree

from pipelines._linear import compile_linear

__all__ = [
    "Furniture",
    "card_worded",
    "code_named",
    "code_shape",
    "furniture_of",
    "read_furniture",
]

_MAX_ITEMS = 500  # assets, alt texts and classes kept per page (a hostile page may hold millions)
_URL_IN_STYLE = compile_linear(r"url\(\s*['\"]?([^'\")\s]{1,500})")
_SITE_META = lxml.etree.XPath(
    "//meta[@property='og:site_name' or @name='application-name' or @name='twitter:site'"
    " or @property='twitter:site' or @name='apple-mobile-web-app-title'"
    " or @name='og:site_name']/@content"
)
_ICONS = lxml.etree.XPath("//link[contains(translate(@rel, 'ICON', 'icon'), 'icon')]/@href")
_CANONICAL = lxml.etree.XPath(
    "//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href"
)
_ASSETS = lxml.etree.XPath(
    "//img/@src | //script/@src | //link/@href | //source/@srcset | //image/@href"
    " | //meta[@property='og:image' or @name='twitter:image' or @itemprop='image']/@content"
    " | //*[@style]/@style | //style/text() | //use/@href | //input[@type='image']/@src"
)
_ALTS = lxml.etree.XPath(
    "//img/@alt | //*[@role='img']/@aria-label | //svg/title/text() | //*[@class and"
    " contains(translate(@class, 'LOGO', 'logo'), 'logo')]/@aria-label"
)
_NAMED = lxml.etree.XPath("//*[@class or @id]")
# the label cells of an information card: a table row's header cell, a definition term
_LABEL_CELLS = lxml.etree.XPath("//th[following-sibling::td] | //dt")
_H1 = lxml.etree.XPath("//h1")
_MAX_LABEL = 60  # characters of a label cell kept
_CODE_NAME = compile_linear(
    r"otp|one.?time|code|sms|tan\b|token|2fa|mfa|verif|pin\b|passcode|kod|код|c[oó]digo|mã"
    r"|رمز|dogrulama|doğrulama"
)
# card fields are short digit inputs too: a CVV is no one-time code
_CARD_FIELD = compile_linear(r"cvv|cvc|csc|card|expir|security.?code|kart|tarjeta|cart[aã]o")
_CARD_NUMBER = compile_linear(
    r"card ?number|num[eé]ro de (?:la )?carte|n[uú]mero de (?:la )?tarjeta|kartennummer"
    r"|n[uú]mero do cart[aã]o|numero della carta|nomor kartu|kart numaras|номер карты|رقم البطاقة"
)
_CARD_CHECK = compile_linear(
    r"cvv|cvc|csc|security code|expir|valid thru|ablauf|vencimiento|validade|scadenza"
    r"|son kullanma|срок действия|تاريخ الانتهاء|kode keamanan|masa berlaku"
)
_TEXTUAL = frozenset({"text", "tel", "number", "password", ""})


@dataclass
class Furniture:
    """The brand-bearing parts of a page other than its visible text."""

    title: str = ""
    site_names: list[str] = field(default_factory=list)
    icons: list[str] = field(default_factory=list)
    canonical: str = ""
    assets: list[str] = field(default_factory=list)  # src/href/url() values, favicons included
    alts: list[str] = field(default_factory=list)  # image alt texts, logo aria-labels
    classes: set[str] = field(default_factory=set)  # class tokens and ids
    labels: list[str] = field(default_factory=list)  # card label cells (<th> of a row, <dt>)
    h1: list[str] = field(default_factory=list)  # the wording of the page's <h1> headings


def read_furniture(root: lxml.etree._Element, title: str) -> Furniture:
    """The furniture of the parsed page ``root`` (``title``: its ``<title>`` text).

    :func:`pipelines.signals.parse_page` gathers the same parts in its one walk of the tree
    (:mod:`pipelines.treewalk`): a change to these XPaths goes there too
    (tests/pipelines/test_treewalk.py fails until both read alike).
    """
    return furniture_of(
        title,
        _SITE_META(root)[:20],
        _ICONS(root)[:20],
        _CANONICAL(root)[:1],
        _ASSETS(root)[:_MAX_ITEMS],
        _ALTS(root)[:_MAX_ITEMS],
        _LABEL_CELLS(root)[:_MAX_ITEMS],
        _H1(root)[:10],
        _NAMED(root)[: _MAX_ITEMS * 4],
    )


def furniture_of(
    title: str,
    site_names: list[str],
    icons: list[str],
    canonical: list[str],
    assets: list[str],
    alts: list[str],
    labels: list[lxml.etree._Element],
    h1: list[lxml.etree._Element],
    named: list[lxml.etree._Element],
) -> Furniture:
    """The furniture from what :func:`read_furniture`'s XPaths select (bounded as it bounds
    them), whoever selected it (:mod:`pipelines.treewalk` does it in its one walk)."""
    out = Furniture(title=" ".join(title.split()))
    out.site_names = [str(v).strip() for v in site_names]
    out.icons = [str(v) for v in icons]
    out.canonical = str(canonical[0]) if canonical else ""
    for value in assets:
        text = str(value)
        found = [m.group(1) for m in _URL_IN_STYLE.finditer(text[:20_000])]
        out.assets += found if found else [text[:500]]
    out.assets += out.icons
    out.alts = [" ".join(str(v).split()) for v in alts if str(v).strip()]
    out.labels = [_cell(el) for el in labels]
    out.h1 = [_cell(el) for el in h1]
    for element in named:
        out.classes.update((element.get("class") or "").split()[:20])
        if element.get("id"):
            out.classes.add(element.get("id"))
    return out


def _cell(element: lxml.etree._Element) -> str:
    """The first words of ``element``'s text (bounded: a cell may nest a whole page)."""
    words: list[str] = []
    size = 0
    for piece in element.itertext():
        words += piece.split()
        size += len(piece)
        if size > _MAX_LABEL * 4:
            break
    return " ".join(words)[:_MAX_LABEL]


def code_shape(fields: list[lxml.etree._Element]) -> str:
    """How ``fields`` ask for a one-time code ("" when they do not).

    ``autocomplete=one-time-code``; four to eight single-character boxes; or one input for four
    to eight digits (``maxlength``/``pattern``) that is numeric or named like a code.
    """
    boxes = 0
    for el in fields:
        kind = (el.get("type") or "text").lower()
        if kind not in _TEXTUAL or _CARD_FIELD.search(_names(el)):
            continue
        if "one-time-code" in (el.get("autocomplete") or "").lower():
            return "a one-time-code input"
        length = _max_length(el)
        if length == 1:
            boxes += 1
        elif 4 <= length <= 8 and _code_like(el):
            return f"a {length}-digit code input"
    return f"{boxes} single-digit code boxes" if 4 <= boxes <= 8 else ""


def code_named(fields: list[lxml.etree._Element]) -> bool:
    """Whether a text input of ``fields`` is named like a code ("code", "otp", "sms" ...)."""
    return any(
        (el.get("type") or "text").lower() in ("text", "tel", "number") and _code_like(el, False)
        for el in fields
    )


def _max_length(el: lxml.etree._Element) -> int:
    raw = el.get("maxlength") or ""
    if raw.strip().isdigit():
        return int(raw)
    low = (el.get("min") or "").strip()
    high = (el.get("max") or "").strip()
    if low.isdigit() and high.isdigit() and len(low) == len(high):
        return len(high)  # min=10000 max=99999: five digits
    pattern = el.get("pattern") or ""
    found = re.fullmatch(r"\s*(?:\[0-9\]|\\d)\{(\d)(?:,\d)?\}\s*", pattern)
    return int(found.group(1)) if found else 0


def _code_like(el: lxml.etree._Element, numeric_counts: bool = True) -> bool:
    numeric = numeric_counts and (
        (el.get("inputmode") or "").lower() == "numeric"
        or (el.get("type") or "") in ("tel", "number")
    )
    return numeric or bool(_CODE_NAME.search(_names(el)))


def _names(el: lxml.etree._Element) -> str:
    keys = ("name", "id", "placeholder", "aria-label", "class")
    return " ".join(el.get(k) or "" for k in keys).lower()


def card_worded(text: str) -> bool:
    """Whether a form's wording asks for a card: a card number and its CVV or expiry date."""
    lowered = text.lower()[:20_000]
    return bool(_CARD_NUMBER.search(lowered)) and bool(_CARD_CHECK.search(lowered))
