"""Page parsing and fake-stream page signals.

:func:`parse_page` reads an HTML page once with lxml into a :class:`PageDoc` (visible text, headings, links,
forms, scripts, iframes); forms and links hidden in scripts (``atob``, ``unescape``, ``String.fromCharCode``,
``document.write``) are decoded statically and added, marked ``obfuscated``. :func:`page_signals` then looks
for the furniture of fake-stream pages: calls to action, play buttons linking off-platform, URL shorteners
and many links to one foreign domain.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import lxml.etree

from pipelines.normalise import normalise_phrase, tokens
from pipelines.text import parse_html, text_of, visible_text
from pipelines.urls import host_of, registrable_domain, unwrap
from pipelines.watchlists import LureFile, TemplateFile, Thresholds

__all__ = ["Form", "Link", "PageDoc", "Signal", "decode_scripts", "page_signals", "parse_page"]

logger = logging.getLogger(__name__)

_PLAY_RE = re.compile(r"play|watch|stream|player", re.IGNORECASE)
_PLAY_CHARS = ("▶", "►", "⏵", "▷", "&#9654;")


@dataclass
class Link:
    """An ``<a href>`` (or an ``<iframe src>``) with its text and whether it wraps a play-button image."""

    href: str
    text: str
    play_image: bool = False
    obfuscated: bool = False


@dataclass
class Form:
    """A ``<form>``: where it posts, its inputs ``(type, name/id/autocomplete/placeholder)``, its wording."""

    action: str
    method: str
    inputs: list[tuple[str, str]]
    text: str
    obfuscated: bool = False
    has_textarea: bool = False  # comment forms have one; login forms do not

    @property
    def has_password(self) -> bool:
        return any(
            t == "password" or re.search(r"passw|passwd|pwd|senha|contrase|mot de passe", d)
            for t, d in self.inputs
            if t not in ("hidden", "submit", "button", "checkbox")
        )

    @property
    def has_card(self) -> bool:
        return any(
            re.search(
                r"cc-number|card.?num|cardnumber|cc-csc|cvv|cvc|card_no|kartennummer|numero.?de.?tarjeta"
                r"|numero.?do.?cartao|nomor.?kartu|cc_number|ccnum",
                d,
            )
            for _, d in self.inputs
        )

    @property
    def has_identity(self) -> bool:
        return any(
            t == "email" or re.search(r"email|e-mail|login|user|phone|identifier|correo", d)
            for t, d in self.inputs
        )


@dataclass
class PageDoc:
    """What detection needs from one page, parsed once."""

    url: str
    text: str  # visible text, page title, headings, image alt texts
    headings: str
    links: list[Link] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (wording, onclick/formaction/data-href)
    decoded: list[str] = field(default_factory=list)  # what the script decoder recovered
    player: bool = False  # video player furniture (<video>, id/class "player", play overlay)

    @property
    def host(self) -> str:
        return host_of(self.url)

    @cached_property
    def heading_tokens(self) -> list[str]:
        """The normalised words of the page title and headings (computed once)."""
        return tokens(self.headings)


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: a key into the weights table and a readable reason."""

    key: str
    reason: str


def _absolute(base: str, href: str) -> str:
    href = unwrap((href or "").strip())
    if href.startswith(("http://", "https://", "javascript:", "mailto:", "data:")):
        return href
    try:
        return urllib.parse.urljoin(base, href)
    except ValueError:
        return href


def _links(root: lxml.etree._Element, base: str, obfuscated: bool) -> list[Link]:
    out = []
    for a in root.iter("a", "area"):
        href = a.get("href")
        if not href:
            continue
        text = text_of(a)
        imgs = [
            " ".join(filter(None, (i.get("src"), i.get("alt"), i.get("class"), i.get("id"))))
            for i in a.iter("img")
        ]
        play = (
            any(_PLAY_RE.search(i) for i in imgs)
            or any(c in text for c in _PLAY_CHARS)
            or bool(_PLAY_RE.search(a.get("class") or ""))
        )
        out.append(Link(_absolute(base, href), text, play, obfuscated))
    for frame in root.iter("iframe"):
        if frame.get("src"):
            out.append(Link(_absolute(base, frame.get("src")), "", False, obfuscated))
    return out


def _input_desc(el: lxml.etree._Element) -> tuple[str, str]:
    kind = (el.get("type") or ("text" if el.tag == "input" else el.tag)).lower()
    desc = " ".join(
        filter(None, (el.get(k) for k in ("name", "id", "autocomplete", "placeholder", "aria-label")))
    )
    return kind, desc.lower()


def _forms(root: lxml.etree._Element, base: str, obfuscated: bool) -> list[Form]:
    out = []
    for form in root.iter("form"):
        inputs = [_input_desc(el) for el in form.iter("input", "select", "textarea")]
        action = form.get("action")
        out.append(
            Form(
                _absolute(base, action) if action else base,
                (form.get("method") or "get").lower(),
                inputs,
                text_of(form),
                obfuscated,
                any(True for _ in form.iter("textarea")),
            )
        )
    loose = [el for el in root.iter("input") if not any(a.tag == "form" for a in el.iterancestors())]
    if any((el.get("type") or "").lower() == "password" for el in loose):  # a form drawn without <form>
        out.append(Form(base, "script", [_input_desc(el) for el in loose], "", obfuscated))
    return out


_PLAYER = lxml.etree.XPath(
    "//video | //*[contains(concat(' ', translate(@id, 'PLAYER', 'player'), ' '), 'player')"
    " or contains(@class, 'player') or contains(@class, 'play-overlay')]"
)
_BUTTONS = lxml.etree.XPath("//button | //*[@onclick or @data-href or @data-url or @formaction]")


def _buttons(root: lxml.etree._Element, base: str) -> list[tuple[str, str]]:
    out = []
    for el in _BUTTONS(root):
        target = el.get("onclick") or el.get("formaction") or el.get("data-href") or el.get("data-url") or ""
        if target.startswith(("http", "/")):
            target = _absolute(base, target)
        out.append((text_of(el), target))
    return out


# --- static decoding of obfuscated scripts ---------------------------------------------------------
_ATOB = re.compile(r"atob\(\s*(['\"])([A-Za-z0-9+/=\s]{8,})\1\s*\)")
_UNESCAPE = re.compile(
    r"(?:unescape|decodeURIComponent|decodeURI)\(\s*(['\"])((?:%[0-9A-Fa-f]{2}|[^'\"])+?)\1\s*\)"
)
_FROMCHARCODE = re.compile(r"String\.fromCharCode\(\s*([0-9,\s]+)\)")
_HEX_STRING = re.compile(r"(['\"])((?:\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}){6,}[^'\"]*)\1")
_WRITE = re.compile(
    r"(?:document\.write(?:ln)?|\.innerHTML\s*=|insertAdjacentHTML\([^,]+,)\s*\(?\s*(['\"`])(.*?)\1",
    re.DOTALL,
)


def _b64(text: str) -> str:
    try:
        return base64.b64decode("".join(text.split()) + "==", validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _js_unescape(text: str) -> str:
    return text.replace("\\/", "/").replace("\\'", "'").replace('\\"', '"').replace("\\n", "\n")


def decode_scripts(scripts: list[str]) -> list[str]:
    """HTML recovered from scripts: atob, unescape, String.fromCharCode, \\x escapes, document.write."""
    out: list[str] = []
    for script in scripts:
        out += [_b64(m.group(2)) for m in _ATOB.finditer(script)]
        out += [urllib.parse.unquote(m.group(2)) for m in _UNESCAPE.finditer(script)]
        for m in _FROMCHARCODE.finditer(script):
            try:
                out.append("".join(chr(int(n)) for n in m.group(1).split(",") if n.strip()))
            except (ValueError, OverflowError):
                continue
        for m in _HEX_STRING.finditer(script):
            out.append(m.group(2).encode("latin-1", "replace").decode("unicode_escape", "replace"))
        out += [_js_unescape(m.group(2)) for m in _WRITE.finditer(script) if "<" in m.group(2)]
    out = [urllib.parse.unquote(d) if "%3c" in d.lower() else d for d in out]
    decoded = [d for d in out if "<" in d]
    # one more round: decoded code that itself decodes (atob inside unescape...)
    nested = [
        d
        for d in out
        if any(
            k in d
            for k in (
                "atob(",
                "unescape(",
                "fromCharCode(",
                "document.write",
                "innerHTML",
                "insertAdjacentHTML",
            )
        )
    ]
    if nested and len(nested) < 20:
        decoded += [d for d in decode_scripts(nested) if d not in decoded]
    return decoded


def parse_page(html: str, url: str) -> PageDoc:
    """Parse ``html`` (served at ``url``) into a :class:`PageDoc`; broken HTML yields an empty page."""
    root = parse_html(html)
    if root is None:
        return PageDoc(url, "", "")
    base = root.xpath("string(//base/@href)") or url
    title = " ".join(root.xpath("//title//text()"))
    meta = " ".join(
        root.xpath(
            "//meta[@name='description' or @property='og:title' or @property='og:description']/@content"
        )
    )
    headings = " ".join([title, *(text_of(h) for h in root.iter("h1", "h2"))])
    scripts = [s.text or "" for s in root.iter("script") if s.text]
    doc = PageDoc(
        url,
        " ".join((title, meta, visible_text(root))),
        headings,
        _links(root, base, False),
        _forms(root, base, False),
        scripts,
        _buttons(root, base),
    )
    doc.player = bool(_PLAYER(root))
    doc.decoded = decode_scripts(scripts)
    for fragment in doc.decoded:
        sub = parse_html(f"<html><body>{fragment}</body></html>")
        if sub is not None:
            doc.links += _links(sub, base, True)
            doc.forms += _forms(sub, base, True)
            doc.text += " " + visible_text(sub)
    return doc


# --- fake-stream page signals ----------------------------------------------------------------------


def _phrase_hits(folded: str, phrases: dict[str, tuple[str, ...]]) -> list[str]:
    padded = f" {folded} "
    return [p for group in phrases.values() for p in group if f" {normalise_phrase(p)} " in padded]


def _foreign(doc: PageDoc, href: str) -> str | None:
    """The registrable domain of ``href`` if it is an http(s) link away from the page's own site."""
    if not href.startswith(("http://", "https://")):
        return None
    domain = registrable_domain(host_of(href))
    return domain if domain and domain != registrable_domain(doc.host) else None


def page_signals(
    doc: PageDoc, folded: str, templates: TemplateFile, lures: LureFile, thresholds: Thresholds
) -> list[Signal]:
    """Fake-stream furniture on the page (each signal at most once)."""
    out: list[Signal] = []
    cta = _phrase_hits(folded, templates.cta)
    if cta:
        out.append(Signal("cta", f'call to action "{cta[0]}"'))
    play = [link for link in doc.links if link.play_image and _foreign(doc, link.href)]
    if play:
        target = registrable_domain(host_of(play[0].href))
        out.append(Signal("play_button", f"play button links off-platform to {target}"))
    short = [link.href for link in doc.links if host_of(link.href) in lures.shorteners]
    if short:
        out.append(Signal("shortener", f"URL shortener {host_of(short[0])}"))
    farm = Counter(d for d in (_foreign(doc, link.href) for link in doc.links) if d)
    if farm:
        domain, count = farm.most_common(1)[0]
        if count >= thresholds.fake_weights.get("min_link_farm", 4):
            out.append(Signal("link_farm", f"{count} links to {domain}"))
    return out


def negative_context(folded: str, templates: TemplateFile) -> list[str]:
    """Negative context phrases present (review, trailer, scam warning ...)."""
    return _phrase_hits(folded, templates.negative)
