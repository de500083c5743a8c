"""Page parsing and fake-stream page signals.

:func:`parse_page` reads an HTML page once with lxml into a :class:`PageDoc` (visible text,
headings, links, forms, scripts, iframes); forms and links hidden in scripts (``atob``,
``unescape``, ``String.fromCharCode``, ``document.write``) are decoded statically and added, marked
``obfuscated``. :func:`page_signals` then looks for the furniture of fake-stream pages: calls to
action, play buttons linking off-platform, URL shorteners and many links to one foreign domain.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import lxml.etree

from pipelines._linear import compile_linear
from pipelines._recent import RecentPages
from pipelines.budget import Budget
from pipelines.decoding import decode, decode_scripts
from pipelines.furniture import Furniture, card_worded, code_named, code_shape, furniture_of
from pipelines.hrefs import absolute
from pipelines.normalise import tokens
from pipelines.phrases import phrase_set
from pipelines.text import parse_html, squeeze, visible_text
from pipelines.treewalk import PageWalk, walk
from pipelines.urls import host_of, registrable_domain
from pipelines.watchlists import LureFile, TemplateFile, Thresholds

__all__ = ["Form", "Link", "PageDoc", "Signal", "decode_scripts", "page_signals", "parse_page"]

logger = logging.getLogger(__name__)

# Python's re only for literal alternations here (constant work per attempt); patterns that scan
# to a delimiter run on RE2 (pipelines/_linear.py)
_PLAY_RE = re.compile(r"play|watch|stream|player", re.IGNORECASE)
_PLAY_CHARS = ("▶", "►", "⏵", "▷", "&#9654;")

#: Depth at which libxml2 (``huge_tree``) stops parsing and drops the rest of the page.
PARSER_DEPTH_LIMIT = 2048
#: Nesting from which the depth itself is evidence: real pages nest a few dozen elements deep;
#: a page hiding a form from a parser nests hundreds (libxml2 used to stop at 256).
DEEP_NESTING = 200
#: Decoded fragments parsed per page (each is a small document of its own).
MAX_FRAGMENTS = 200
_MAX_WORDING = 10_000  # characters of wording kept per link, button, form or heading
_MAX_HEADINGS = 100_000  # characters of the title and headings together
_TAG = compile_linear(r"</?([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
# tags detection reads; the second set holds only tags libxml2 never nests into each other
_FLAT_TAGS = frozenset(
    "html head body title meta base a area img iframe form input textarea option script br".split()
)
_KEEP_TAGS = _FLAT_TAGS | frozenset("h1 h2 button select video style noscript template".split())
_FALLBACKS = ((_KEEP_TAGS, "its layout tags"), (_FLAT_TAGS, "any tag that nests"))
_RECENT: RecentPages[PageDoc] = RecentPages(4)  # pages parsed in full, per thread
#: A field named for a password in its name, id, placeholder or label, in the languages kits are
#: written in ("passord", "lösenord", "şifre", "пароль", "密码"); kits type some as text. Italian
#: "parola chiave" is a search box's keyword, Dutch "gesloten" is "closed".
_PASSWORD_NAME = compile_linear(
    r"passw|pwd|senha|contrase|mot de passe|palavra.?passe|kennwort|wachtwoord|passord"
    r"|adgangskode|l[oö]senord|salasana|heslo|has[lł]o|jelsz[oó]|parol[aă](?:$|[^ c]| [^c])"
    r"|[şs]ifre|lozinka|geslo(?:$|[^t])|slapta[žz]odis|kata ?sandi|m[aậ]t kh[aẩ]u"
    r"|пароль|парола|лозинка|密码|密碼|パスワード|비밀번호|รหัสผ่าน|كلمة (?:ال)?(?:مرور|سر)|סיסמ"
)


@dataclass
class Link:
    """An ``<a href>`` (or an ``<iframe src>``) with its text and whether it wraps a play-button
    image."""

    href: str
    text: str
    play_image: bool = False
    obfuscated: bool = False


@dataclass
class Form:
    """A ``<form>``: where it posts, its inputs ``(type, name/id/autocomplete/placeholder)``, its
    wording."""

    action: str
    method: str
    inputs: list[tuple[str, str]]
    text: str
    obfuscated: bool = False
    has_textarea: bool = False  # comment forms have one; login forms do not
    code: str = ""  # how it asks for a one-time code ("6 single-digit code boxes"), if it does
    card_labels: bool = False  # its wording asks for a card number and a CVV or expiry date

    @property
    def has_password(self) -> bool:
        return any(
            t == "password" or _PASSWORD_NAME.search(d)
            for t, d in self.inputs
            if t not in ("hidden", "submit", "button", "checkbox")
        )

    @property
    def has_card(self) -> bool:
        return self.card_labels or any(
            re.search(
                r"cc-number|card.?num|cardnumber|cc-csc|cvv|cvc|card_no|kartennummer"
                r"|numero.?de.?tarjeta"
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
    buttons: list[tuple[str, str]] = field(
        default_factory=list
    )  # (wording, onclick/formaction/data-href)
    decoded: list[str] = field(default_factory=list)  # what the script decoder recovered
    player: bool = False  # video player furniture (<video>, id/class "player", play overlay)
    depth: int = 0  # how deep elements nest, the root at depth 1 (pipelines.treewalk)
    notes: list[str] = field(default_factory=list)  # bounds reached while reading the page
    furniture: Furniture = field(default_factory=Furniture)  # title, meta, icons, assets, classes

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
    return absolute(base, href)  # unwrapped and joined to the base, once per (base, href)


def _wording(element: lxml.etree._Element, limit: int) -> str:
    """The first ``limit`` characters or so of the text inside ``element``, squeezed.

    Elements nest: the wording of every ``<div onclick>`` of a 2,000-deep stack holds the whole
    page, so each element's wording is read up to ``limit`` and no further.
    """
    if not len(element):  # no child: its own text is all of it
        return squeeze((element.text or "")[:limit])[:limit]
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        parts.append(piece[: limit - size])
        size += len(parts[-1])
        if size >= limit:
            break
    return squeeze(" ".join(parts))[:limit]


def _links(root: lxml.etree._Element, base: str, obfuscated: bool) -> list[Link]:
    return _links_of(list(root.iter("a", "area")), list(root.iter("iframe")), base, obfuscated)


def _links_of(
    anchors: list[lxml.etree._Element],
    frames: list[lxml.etree._Element],
    base: str,
    obfuscated: bool,
) -> list[Link]:
    out = []
    for a in anchors:
        href = a.get("href")
        if not href:
            continue
        text = _wording(a, _MAX_WORDING)
        imgs = [
            " ".join(filter(None, (i.get("src"), i.get("alt"), i.get("class"), i.get("id"))))
            for i in (a.iter("img") if len(a) else ())
        ]
        play = (
            any(_PLAY_RE.search(i) for i in imgs)
            or (text != "" and any(c in text for c in _PLAY_CHARS))
            or bool(_PLAY_RE.search(a.get("class") or ""))
        )
        out.append(Link(_absolute(base, href), text, play, obfuscated))
    for frame in frames:
        if frame.get("src"):
            out.append(Link(_absolute(base, frame.get("src")), "", False, obfuscated))
    return out


def _input_desc(el: lxml.etree._Element) -> tuple[str, str]:
    kind = (el.get("type") or ("text" if el.tag == "input" else el.tag)).lower()
    desc = " ".join(
        filter(
            None, (el.get(k) for k in ("name", "id", "autocomplete", "placeholder", "aria-label"))
        )
    )
    return kind, desc.lower()


def _forms(root: lxml.etree._Element, base: str, obfuscated: bool) -> list[Form]:
    return _forms_of(list(root.iter("form")), list(root.iter("input")), base, obfuscated)


def _forms_of(
    forms: list[lxml.etree._Element],
    all_inputs: list[lxml.etree._Element],
    base: str,
    obfuscated: bool,
) -> list[Form]:
    out = []
    in_forms: set[lxml.etree._Element] = set()
    for form in forms:
        fields = list(form.iter("input", "select", "textarea"))
        in_forms.update(fields)
        inputs = [_input_desc(el) for el in fields]
        action = form.get("action")
        out.append(
            Form(
                _absolute(base, action) if action else base,
                (form.get("method") or "get").lower(),
                inputs,
                _wording(form, _MAX_WORDING),
                obfuscated,
                any(el.tag == "textarea" for el in fields),
                code_shape(fields),
            )
        )
        out[-1].card_labels = card_worded(out[-1].text)
    loose = [el for el in all_inputs if el not in in_forms]  # no walk up a deep tree
    code = code_shape(loose)
    password = any((el.get("type") or "").lower() == "password" for el in loose)
    if not loose:
        return out
    # a form drawn without <form>, sent by script: code boxes, a password or card fields
    drawn = Form(base, "script", [_input_desc(el) for el in loose], "", obfuscated, code=code)
    if code or password or code_named(loose) or drawn.has_card:
        out.append(drawn)
    return out


def _buttons(elements: list[lxml.etree._Element], base: str) -> list[tuple[str, str]]:
    out = []
    for el in elements:
        target = (
            el.get("onclick")
            or el.get("formaction")
            or el.get("data-href")
            or el.get("data-url")
            or ""
        )
        if target.startswith(("http", "/")):
            target = _absolute(base, target)
        out.append((_wording(el, _MAX_WORDING), target))
    return out


def _add_fragments(doc: PageDoc, base: str, budget: Budget) -> None:
    """Links, forms and words of the HTML the scripts hid (at most :data:`MAX_FRAGMENTS`)."""
    if len(doc.decoded) > MAX_FRAGMENTS:
        doc.notes.append(
            f"{len(doc.decoded):,} fragments decoded from scripts: only the first "
            f"{MAX_FRAGMENTS} read"
        )
    words = [doc.text]
    for fragment in doc.decoded[:MAX_FRAGMENTS]:
        sub = parse_html(f"<html><body>{fragment}</body></html>")
        if sub is not None:
            doc.links += _links(sub, base, True)
            doc.forms += _forms(sub, base, True)
            words.append(visible_text(sub))
        if not budget.check("reading decoded fragments"):
            break
    doc.text = " ".join(words)


def _without_tags(html: str, keep: frozenset[str]) -> str:
    """``html`` with every tag not named in ``keep`` replaced by a space (text stays)."""
    parts: list[str] = []
    at = 0
    for match in _TAG.finditer(html):
        if match.group(1).lower() not in keep:
            parts += (html[at : match.start()], " ")
            at = match.end()
    parts.append(html[at:])
    return "".join(parts)


def _parse(html: str, notes: list[str]) -> tuple[PageWalk | None, int]:
    """The walk of the parsed page (:mod:`pipelines.treewalk`) and its nesting depth; a page
    nested past the parser's limit parsed again.

    libxml2 stops parsing at :data:`PARSER_DEPTH_LIMIT` elements deep and drops the rest of the
    page, siblings included: such a page is parsed again with its layout tags removed (every
    tag detection reads is kept), then with only the tags that cannot nest.
    """
    root = parse_html(html)
    read = walk(root) if root is not None else None
    deepest = read.depth if read is not None else 0
    for keep, removed in _FALLBACKS:
        if read is None or read.depth < PARSER_DEPTH_LIMIT:
            break
        notes.append(f"elements nested {PARSER_DEPTH_LIMIT}+ deep: parsed again without {removed}")
        flat = parse_html(_without_tags(html, keep))
        if flat is not None:
            read = walk(flat)
    if read is not None and read.depth >= PARSER_DEPTH_LIMIT:
        notes.append(f"content nested deeper than {PARSER_DEPTH_LIMIT} elements not read")
    return read, deepest


def parse_page(html: str, url: str, budget: Budget | None = None) -> PageDoc:
    """Parse ``html`` (served at ``url``) into a :class:`PageDoc`; broken HTML: an empty page.

    ``budget`` is checked after parsing, after decoding scripts and per decoded fragment: a page
    over budget keeps what was read (:attr:`Budget.note` says so).
    """
    known = _RECENT.get(url, html) if budget is None else None
    if known is not None:  # parsed in full a moment ago (the verdict, then the candidate title)
        return known
    budget = budget or Budget()
    notes: list[str] = []
    read, depth = _parse(html, notes)
    if read is None:
        return PageDoc(url, "", "", notes=notes)
    base = read.base or url
    doc = _read(read, url, base)
    doc.depth = depth
    doc.notes = notes
    if not budget.check("parsing the page"):
        return doc
    decoded = decode(doc.scripts, budget)
    doc.decoded = decoded.fragments
    doc.notes += decoded.notes
    if budget.check("decoding scripts"):
        _add_fragments(doc, base, budget)
    if budget.exceeded_after is None:
        _RECENT.put(url, html, doc)
    return doc


def _headings(headings: list[lxml.etree._Element], title: str) -> str:
    """The page title and the wording of its headings, up to :data:`_MAX_HEADINGS` characters.

    Headings nest: 2,000 nested ``<h1>`` would each repeat the words of all the others.
    """
    parts = [title]
    size = len(title)
    for heading in headings:
        if size + 1 >= _MAX_HEADINGS:
            break
        parts.append(_wording(heading, min(_MAX_WORDING, _MAX_HEADINGS - size - 1)))
        size += len(parts[-1]) + 1  # and the space before it
    return " ".join(parts)


def _read(read: PageWalk, url: str, base: str) -> PageDoc:
    """Everything :class:`PageDoc` holds that the HTML states openly (from one walk of it)."""
    title = " ".join(read.title)
    doc = PageDoc(
        url,
        " ".join((title, " ".join(read.meta), squeeze(" ".join(read.visible)))),
        _headings(read.headings, title),
        _links_of(read.anchors, read.frames, base, False),
        _forms_of(read.forms, read.inputs, base, False),
        [s.text or "" for s in read.scripts if s.text],
        _buttons(read.buttons, base),
    )
    doc.player = read.player
    doc.furniture = furniture_of(
        title,
        read.site_names,
        read.icons,
        read.canonical,
        read.assets,
        read.alts,
        read.labels,
        read.h1,
        read.named,
    )
    return doc


def _phrase_hits(folded: str, phrases: dict[str, tuple[str, ...]]) -> list[str]:
    return phrase_set(phrases).hits(folded)  # every phrase " p " in " folded ", in their order


def _foreign(doc: PageDoc, href: str) -> str | None:
    """The registrable domain of ``href`` if it is an http(s) link away from the page's own
    site."""
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
    torrent = next((u for u in (doc.url, *(link.href for link in doc.links)) if _torrent(u)), None)
    if torrent:
        where = "the page's address" if torrent == doc.url else "a link"
        reason = f"a BitTorrent magnet, info hash or .torrent file in {where}"
        out.append(Signal("torrent", reason))
    return out


# "magnet:?xt=urn:btih:<hash>", "/hash/<40 hex>/torrent-info/", "/file.torrent": a torrent
# index lists the copy itself
_TORRENT = compile_linear(
    r"^magnet:\?.*\bxt=urn:btih:|[/=][0-9a-f]{40}(?:[/?#&]|$)|\.torrent(?:[?#]|$)",
    ignore_case=True,
)


# what each form of _TORRENT needs, as a plain search: "torrent", "magnet", or 40 hex digits after
# "/" or "=" (case aside: none of these letters has a look-alike that RE2 folds, as "k" and "s")
_TORRENT_HEX = re.compile(r"[/=][0-9a-fA-F]{40}")


def _torrent(url: str) -> bool:
    head = url[:2048]
    low = head.lower()
    if "torrent" not in low and "magnet" not in low and _TORRENT_HEX.search(head) is None:
        return False  # none of the pattern's forms can match: RE2 not asked
    return bool(_TORRENT.search(head))


def negative_context(folded: str, templates: TemplateFile) -> list[str]:
    """Negative context phrases present (review, trailer, scam warning ...)."""
    return _phrase_hits(folded, templates.negative)
