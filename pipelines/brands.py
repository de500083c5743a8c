"""Brands whose sign-in, one-time-code and card pages kits clone (``watchlists/brands.yaml``).

:func:`load_brands` reads and validates the file (a broken file raises
:class:`~pipelines.exceptions.WatchlistError` naming file, line and field, so a run stops before
it starts). :class:`BrandIndex` pre-digests it and :func:`presented_brands` says which brands a
parsed page presents, and by which cues: the brand named in the ``<title>``, the site-name meta
tags, a heading, the form's own wording, image alt text or visible text; its favicon, logo or
assets (CDN hosts, file names, folders named after it); CSS class prefixes copied from the real
page; a page title kits use; the shop a 3-D Secure page names after its "Merchant" label; the
owner its copyright line names ("© 2024 Meridian Credit Union"). Names
shorter than five letters or that are ordinary words need a second cue (unless they are the whole
title), as do the generic kit titles ("Sign in to your account"). Names in scripts written without
spaces ("楽天カード", "우체국택배") are read inside runs of text (:mod:`pipelines.script_names`); a
title or first heading that warns about a brand ("fake", "phishing", "偽") presents nobody.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines._linear import compile_linear
from pipelines.normalise import normalise, tokens
from pipelines.script_names import RunName, RunNames, is_unspaced, short_run_name
from pipelines.signals import PageDoc
from pipelines.urls import host_of, registrable_domain
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load, mapping, strings
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, LineDict, LineList, excerpt, parse_yaml

__all__ = [
    "Brand",
    "BrandFile",
    "BrandIndex",
    "Presentation",
    "ThreeDSecure",
    "load_brands",
    "presented_brands",
]

_CATEGORIES = frozenset(
    "social mail payment bank streaming gaming messaging developer cloud retail crypto travel"
    " government telecom logistics".split()
)
_BRAND_KEYS = {"name", "category", "domains", "login_hosts", "names", "cues", "sso", "otp", "seen"}
_CUE_KEYS = {"assets", "classes", "titles"}
_FILE_KEYS = {
    "brands",
    "ordinary_names",
    "otp_wording",
    "merchant_labels",
    "three_d_secure",
    "warning_wording",
}
_THREE_DS_KEYS = {"schemes", "programmes", "assets", "confirmation", "acs_domains"}
#: How far after a merchant label the shop's name may stand ("Merchant: Netflix Ltd"), in words.
_MERCHANT_SPAN = 4
#: How much of a page's visible text is read for merchant labels.
_MERCHANT_TEXT = 20_000
#: A copyright line and the owner it names, up to the end of its sentence ("© 1996-2024,
#: Mouvement des caisses Desjardins. Tous droits réservés."); the bare word "copyright" only with
#: a year or a sign after it ("Copyright notice: Netflix content ..." is no copyright line).
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|\bcopyright\b(?=\s*(?:©|\(c\)|\d{4})))\s*([^.|•·\n]{1,80})", re.IGNORECASE
)
#: How many words of a copyright line may come before the owner's name.
_COPYRIGHT_SPAN = 4
#: "Code" and what it is for, in the Romance languages' order ("code d'authentification",
#: "código de verificación", "codice di conferma"), by word stem: kits misspell the rest
#: ("code d'authenthification").
_CODE_STEMS = compile_linear(
    r"\b(?:code|codigo|codice) (?:(?:d|de|di) (?:auth|verif|confirm|valid)|sms\b|otp\b)"
)
#: A Nordic compound naming a code ("engangskode", "sms-kode", "engångskod", "vahvistuskoodi"),
#: by its last part: kits misspell the first ("Egangskode").
_NORDIC_CODE = compile_linear(r"\b([a-z]{3,})(?:kode|kod|koodi)\b|\bsms (?:kode|kod|koodi)\b")
#: First parts of Nordic compounds that name no code step: discounts, gifts, barcodes, source
#: code, postcodes.
_NOT_A_CODE_STEP = frozenset(
    "rabatt rabat kampanje kampanj gave gavekort present presentkort bonus promo kupong kupon"
    " alennus lahja etu kilde kall lahde streck strek viiva qr post html".split()
)
#: How many copyright lines of a page are read (pages repeat them; kits paste a footer once).
_COPYRIGHT_LINES = 8
#: Letters a name written as one word needs to be read in a path or host ("peoplestrust").
_GLUED_MIN = 9


@dataclass(frozen=True)
class Brand:
    """One brand: display name, registrable domains, names as written and copied-page cues."""

    name: str
    category: str
    domains: tuple[str, ...]
    login_hosts: tuple[str, ...]
    names: tuple[str, ...]
    assets: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    sso: bool = False


@dataclass(frozen=True)
class BrandFile:
    """``brands.yaml``: the brands, names that are ordinary words, one-time-code wording and the
    labels 3-D Secure pages put before the shop's name."""

    brands: tuple[Brand, ...]
    ordinary_names: tuple[str, ...] = ()
    otp_wording: tuple[str, ...] = ()
    merchant_labels: tuple[str, ...] = ()
    three_d_secure: ThreeDSecure | None = None
    warning_wording: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThreeDSecure:
    """``three_d_secure`` in ``brands.yaml``: what a card issuer's payment check is called and
    where the real ones are served (read by :mod:`pipelines.three_ds`)."""

    schemes: tuple[str, ...]  # listed brands that are card schemes: on every shop's checkout
    programmes: tuple[str, ...]  # "3-D Secure", "Verified by Visa", "Mastercard ID Check" ...
    assets: tuple[str, ...]  # the programmes as kits name their logo files ("vbv", "idcheck")
    confirmation: tuple[str, ...]  # "confirm this purchase", "autenticación de compra" ...
    acs_domains: tuple[str, ...]  # access control servers' and gateways' own domains


def load_brands(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> BrandFile:
    """Load and validate ``brands.yaml`` (``None``: the shipped file)."""
    path = Path(path) if path else WATCHLIST_DIR / "brands.yaml"
    return load(_parse_brands, path, max_bytes)


def _parse_brands(path: Path, text: str) -> BrandFile:
    data = mapping(path, parse_yaml(text, path), _FILE_KEYS, {"brands"})
    items = data["brands"]
    if not isinstance(items, LineList) or not items:
        fail(path, data, "brands", "must be a non-empty list of brands", "brands")
    brands = tuple(_brand(path, node, i, items) for i, node in enumerate(items))
    seen: dict[str, int] = {}
    for i, brand in enumerate(brands):
        if brand.name.lower() in seen:
            fail(path, items, i, f"brand {excerpt(brand.name)} listed twice", "name")
        seen[brand.name.lower()] = i
    return BrandFile(
        brands,
        tuple(v.lower() for v in strings(path, data, "ordinary_names", allow_empty=True)),
        tuple(strings(path, data, "otp_wording", allow_empty=True)),
        tuple(strings(path, data, "merchant_labels", allow_empty=True)),
        _three_d_secure(path, data, {b.name for b in brands}),
        tuple(strings(path, data, "warning_wording", allow_empty=True)),
    )


def _three_d_secure(path: Path, data: LineDict, listed: set[str]) -> ThreeDSecure | None:
    if "three_d_secure" not in data:
        return None
    node = mapping(path, data["three_d_secure"], _THREE_DS_KEYS, _THREE_DS_KEYS)
    schemes = strings(path, node, "schemes")
    for i, scheme in enumerate(schemes):
        if scheme not in listed:
            fail(path, node["schemes"], i, f"not a listed brand: {excerpt(scheme)}", "schemes")
    domains = tuple(d.lower() for d in strings(path, node, "acs_domains"))
    for i, domain in enumerate(domains):
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
            fail(path, node["acs_domains"], i, f"not a domain: {excerpt(domain)}", "acs_domains")
    return ThreeDSecure(
        schemes,
        strings(path, node, "programmes"),
        tuple(a.lower() for a in strings(path, node, "assets")),
        strings(path, node, "confirmation"),
        domains,
    )


def _brand(path: Path, node: Any, index: int, parent: LineList) -> Brand:
    if not isinstance(node, LineDict):
        fail(path, parent, index, f"brand {index + 1} must be a mapping {{name, domains, names}}")
    node = mapping(path, node, _BRAND_KEYS, {"name", "category", "domains", "names"})
    name = node["name"]
    if not isinstance(name, str) or not name.strip():
        fail(path, node, "name", "must be a non-empty string", "name")
    if node["category"] not in _CATEGORIES:
        problem = (
            f"must be one of {', '.join(sorted(_CATEGORIES))}, not {excerpt(node['category'])}"
        )
        fail(path, node, "category", problem, "category")
    domains = tuple(d.lower() for d in strings(path, node, "domains"))
    for i, domain in enumerate(domains):
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
            fail(path, node["domains"], i, f"not a domain: {excerpt(domain)}", "domains")
    names = strings(path, node, "names")
    if not all(normalise(n) for n in names):
        fail(path, node, "names", "a name has no letters or digits", "names")
    cues = _cues(path, node)
    otp = node.get("otp", {"digits": 6})
    if (
        not isinstance(otp, dict)
        or not set(otp) <= {"digits", "chars"}
        or not all(isinstance(v, int) and 3 <= v <= 12 for v in otp.values())
    ):
        fail(
            path, node, "otp", f"must be {{digits: N}} or {{chars: N}}, not {excerpt(otp)}", "otp"
        )
    sso = node.get("sso", False)
    if not isinstance(sso, bool):
        fail(path, node, "sso", f"must be true or false, not {excerpt(sso)}", "sso")
    login_hosts = tuple(h.lower() for h in strings(path, node, "login_hosts", allow_empty=True))
    assets, classes, titles = cues
    return Brand(
        name.strip(), node["category"], domains, login_hosts, names, assets, classes, titles, sso
    )


_Cues = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _cues(path: Path, node: LineDict) -> _Cues:
    if "cues" not in node:
        return (), (), ()
    cues = node["cues"]
    if not isinstance(cues, LineDict):
        fail(path, node, "cues", "must be a mapping {assets, classes, titles}", "cues")
    cues = mapping(path, cues, _CUE_KEYS)
    return (
        strings(path, cues, "assets", allow_empty=True),
        strings(path, cues, "classes", allow_empty=True),
        strings(path, cues, "titles", allow_empty=True),
    )


#: Cues that say who the page is (a mention in the text or an alt text does not, alone).
IDENTITY_CUES = frozenset(
    {"title", "site name", "favicon", "canonical", "copied classes", "kit title", "copyright"}
)


@dataclass(frozen=True)
class Presentation:
    """A brand a page presents, with the cues that present it and their weight."""

    brand: Brand
    cues: tuple[str, ...]
    weight: int

    @property
    def identity(self) -> bool:
        """Whether a cue says who the page is (its title, site name, favicon ...)."""
        return not IDENTITY_CUES.isdisjoint(self.cues)


class BrandIndex:
    """``brands.yaml`` pre-digested: names as normalised word sequences, domains, cues."""

    def __init__(self, brands: BrandFile) -> None:
        self.file = brands
        self.by_domain: dict[str, list[Brand]] = {}
        self.names: dict[tuple[str, ...], list[Brand]] = {}
        self.weak: set[tuple[str, ...]] = set()
        self.longest = 1
        ordinary = {tuple(tokens(n)) for n in brands.ordinary_names}
        runs: dict[str, list[str]] = {}
        for brand in brands.brands:
            for domain in brand.domains:
                self.by_domain.setdefault(domain, []).append(brand)
            for name in brand.names:
                words = tuple(tokens(name))
                if is_unspaced(name):  # "楽天カード", "우체국택배": read inside runs of text
                    runs.setdefault(" ".join(words), []).append(brand.name)
                    continue
                self.names.setdefault(words, []).append(brand)
                self.longest = max(self.longest, len(words))
                if len("".join(words)) < 5 or words in ordinary:
                    self.weak.add(words)
        self.glued = _glued_names(self.names, self.weak)
        #: Names in scripts written without spaces; short and ordinary-word ones are weak and
        #: must stand alone in their run (:mod:`pipelines.script_names`).
        self.runs = RunNames(
            [
                RunName(folded, tuple(listed), alone)
                for folded, listed in runs.items()
                for alone in [short_run_name(folded) or tuple(folded.split()) in ordinary]
            ]
        )
        #: Word starts of a title that warns about a brand ("Beware of fake Sagawa texts",
        #: "偽SMSに注意"): such a page is about the brand, not the brand's (news, help articles).
        self.warning = _warning_pattern(brands.warning_wording)
        #: A title that is nothing but one of these names ("楽天", "토스") says who the page is.
        self.run_titles = {
            folded: tuple(listed)
            for folded, listed in runs.items()
            if tuple(folded.split()) not in ordinary
        }
        otp = [normalise(w) for w in brands.otp_wording]
        #: One-time-code wording in unspaced scripts ("인증번호", "短信验证码"), read inside runs.
        self.otp_runs = tuple(w for w in otp if is_unspaced(w))
        self.otp_wording = tuple(f" {w} " for w in otp if not is_unspaced(w))
        self.ordinary = ordinary
        self.merchant_labels = tuple(tuple(tokens(w)) for w in brands.merchant_labels)
        self.merchant_words = tuple(w.lower() for w in brands.merchant_labels)
        self.by_name = {b.name: b for b in brands.brands}
        three_ds = brands.three_d_secure
        #: Card schemes: their logos and names stand on every checkout, so only a cue saying who
        #: the page is (its title, favicon ...) presents one.
        self.schemes = frozenset(three_ds.schemes if three_ds else ())
        #: First words of the names: a position whose word starts no name is skipped.
        self.first_words = frozenset(words[0] for words in self.names if words)
        #: Per brand, its copied-page cues as :func:`_copied_cues` compares them.
        self.copied = tuple(
            (
                brand,
                tuple(cue.lower() for cue in brand.assets),
                tuple(f" {cue.lower()}" for cue in brand.classes),
                frozenset(normalise(t) for t in brand.titles),
            )
            for brand in brands.brands
        )

    def named(self, text: str) -> dict[str, tuple[bool, int]]:
        """Brands named in ``text``: name -> (only by weak names, times named)."""
        words = tokens(text)
        found: dict[str, tuple[bool, int]] = {}
        first = self.first_words
        for at in range(len(words)):
            if words[at] not in first:
                continue
            for size in range(1, self.longest + 1):
                key = tuple(words[at : at + size])
                for brand in self.names.get(key, ()):
                    weak, count = found.get(brand.name, (True, 0))
                    found[brand.name] = (weak and key in self.weak, count + 1)
        return found

    def mentioned(self, text: str) -> dict[str, tuple[bool, int]]:
        """:meth:`named`, and the names in scripts written without spaces found inside runs of
        text ("楽天e-NAVI", "우체국택배를"; :mod:`pipelines.script_names`)."""
        found = self.named(text)
        for run, times in self.runs.find(text).values():
            for name in run.brands:
                weak, count = found.get(name, (True, 0))
                found[name] = (weak and run.alone, count + times)
        return found

    def owns(self, brand: Brand, domain: str) -> bool:
        """Whether ``domain`` (registrable) is one of ``brand``'s own."""
        return domain in brand.domains

    def otp_worded(self, folded: str) -> str | None:
        """The one-time-code wording ("enter the code we sent") in normalised text, if any."""
        padded = f" {folded} "
        worded = next((w.strip() for w in self.otp_wording if w in padded), None)
        if worded is None and self.otp_runs and is_unspaced(folded):
            worded = next((w for w in self.otp_runs if w in folded), None)
        if worded is None and (found := _CODE_STEMS.search(folded)) is not None:
            return found.group(0)
        if worded is None:
            return _nordic_code(folded)
        return worded


def _warning_pattern(wording: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the warning wording: word starts ("impersonat", "мошенн"), or anywhere
    in a run for unspaced scripts ("偽", "사칭")."""
    parts = sorted({normalise(w) for w in wording if normalise(w)}, key=len, reverse=True)
    alternatives = [re.escape(w) if is_unspaced(w) else rf"(?<!\w){re.escape(w)}" for w in parts]
    return re.compile("|".join(alternatives)) if alternatives else None


def _warns(doc: PageDoc, idx: BrandIndex) -> bool:
    """Whether the page's title (or first heading) warns about a brand: news and help pages
    name the brand there too, kits never write "fake" or "phishing" in theirs."""
    if idx.warning is None:
        return False
    furniture = doc.furniture
    heading = doc.headings[len(furniture.title) :][:200] if doc.headings else ""
    return idx.warning.search(normalise(f"{furniture.title} {heading}")) is not None


def _nordic_code(folded: str) -> str | None:
    """The first Nordic compound in ``folded`` that names a code step, if any."""
    for found in _NORDIC_CODE.finditer(folded):
        if found.group(1) is None or found.group(1) not in _NOT_A_CODE_STEP:
            return str(found.group(0))
    return None


def _glued_names(
    names: dict[tuple[str, ...], list[Brand]], weak: set[tuple[str, ...]]
) -> dict[str, list[Brand]]:
    """Names of two words or more written as one ("peoplestrust", "banknorwegian"), as kits name
    their asset folders and white-label platforms their hosts. Short and ordinary-word names are
    left out."""
    glued: dict[str, list[Brand]] = {}
    for words, listed in names.items():
        joined = "".join(words)
        if len(words) >= 2 and len(joined) >= _GLUED_MIN and words not in weak:
            glued.setdefault(joined, []).extend(listed)
    return glued


def presented_brands(doc: PageDoc, idx: BrandIndex) -> list[Presentation]:
    """The brands ``doc`` presents, strongest first.

    A brand counts with cues of weight 3, or 2 when one of them says who the page is
    (:data:`IDENTITY_CUES`). Names that are short or ordinary words weigh half.
    """
    cues: dict[str, dict[str, int]] = {}
    warns = _warns(doc, idx)
    for kind, text, strong, weak in _name_places(doc):
        if warns and kind in ("title", "heading"):
            continue  # "Beware of fake Sagawa texts": the page is about the brand
        for name, (only_weak, _) in idx.mentioned(text).items():
            _add(cues, name, kind, weak if only_weak else strong)
    if not warns:
        _whole_title_cue(doc, idx, cues)
    _text_cues(doc, idx, cues)
    _merchant_cues(doc, idx, cues)
    _copyright_cues(doc, idx, cues)
    _url_cues(doc, idx, cues)
    _copied_cues(doc, idx, cues)
    brands = idx.by_name
    out = [
        Presentation(brands[name], tuple(found), sum(found.values()))
        for name, found in cues.items()
    ]
    out = [p for p in out if p.weight >= 3 or (p.weight >= 2 and p.identity)]
    out = [p for p in out if p.identity or p.brand.name not in idx.schemes]
    # ties by name: the cues are gathered through sets, whose order changes between processes
    by_name = sorted(out, key=lambda p: p.brand.name)
    return sorted(by_name, key=lambda p: (p.identity, p.weight), reverse=True)


def _add(cues: dict[str, dict[str, int]], name: str, kind: str, weight: int) -> None:
    found = cues.setdefault(name, {})
    found[kind] = max(found.get(kind, 0), weight)


def _name_places(doc: PageDoc) -> list[tuple[str, str, int, int]]:
    """Where a brand's name presents it: (cue, text, weight, weight of a weak name)."""
    furniture = doc.furniture
    headings = doc.headings[len(furniture.title) :] if doc.headings else ""
    return [
        ("title", furniture.title, 2, 1),
        ("site name", " ".join(furniture.site_names), 2, 1),
        ("heading", headings, 1, 1),
        ("logo", " ".join(furniture.alts), 1, 1),
        ("form wording", " ".join(f.text for f in doc.forms), 1, 0),
    ]


def _whole_title_cue(doc: PageDoc, idx: BrandIndex, cues: dict[str, dict[str, int]]) -> None:
    """A title that is nothing but a short name ("BCR", "DHL") says who the page is as much as
    a long name does. Names that are ordinary words ("Steam", "Line") still weigh half."""
    words = tuple(tokens(doc.furniture.title))
    if words and words not in idx.ordinary:
        for brand in idx.names.get(words, ()):
            _add(cues, brand.name, "title", 2)
        for name in idx.run_titles.get(" ".join(words), ()):
            _add(cues, name, "title", 2)


def _merchant_cues(doc: PageDoc, idx: BrandIndex, cues: dict[str, dict[str, int]]) -> None:
    """The shop a 3-D Secure page names after its merchant label ("Merchant: Netflix Ltd",
    "Comercio: ..."): a code page for a payment to that brand, a look-alike of the card issuer's
    check that names no bank at all."""
    text = doc.text[:_MERCHANT_TEXT]
    lowered = text.lower()
    if not any(label in lowered for label in idx.merchant_words):
        return
    words = tokens(text)
    for at in range(len(words)):
        for label in idx.merchant_labels:
            end = at + len(label)
            if tuple(words[at:end]) != label:
                continue
            for name, (only_weak, _) in idx.mentioned(
                " ".join(words[end : end + _MERCHANT_SPAN])
            ).items():
                if not only_weak:
                    _add(cues, name, "merchant", 2)


def _copyright_cues(doc: PageDoc, idx: BrandIndex, cues: dict[str, dict[str, int]]) -> None:
    """The owner a copyright line names says who the page is ("© 2025 Roblox Corporation"): the
    name must stand in the line's first words, before its sentence ends ("© 2024 Acme. Netflix is
    a trademark of Netflix, Inc." names Acme). Short and ordinary-word names never count here."""
    for found in itertools.islice(_COPYRIGHT.finditer(doc.text), _COPYRIGHT_LINES):
        words = [w for w in tokens(found.group(1)) if not w.isdigit() and w != "copyright"]
        for name, (only_weak, _) in idx.mentioned(" ".join(words[:_COPYRIGHT_SPAN])).items():
            if not only_weak:
                _add(cues, name, "copyright", 2)


def _text_cues(doc: PageDoc, idx: BrandIndex, cues: dict[str, dict[str, int]]) -> None:
    """A name in the visible text, not counting links to the brand's own site ("Sign in with
    Google" to accounts.google.com is a real sign-in, and says nothing of who the page is)."""
    named = idx.mentioned(doc.text)
    if not named:
        return
    own_links: dict[str, int] = {}
    for link in doc.links:
        domain = registrable_domain(host_of(link.href)) if link.text else ""
        for brand in idx.by_domain.get(domain, ()):
            count = idx.mentioned(link.text).get(brand.name, (True, 0))[1]
            own_links[brand.name] = own_links.get(brand.name, 0) + count
    for name, (only_weak, count) in named.items():
        if count > own_links.get(name, 0) and not only_weak:
            _add(cues, name, "text", 1)


def _url_cues(doc: PageDoc, idx: BrandIndex, cues: dict[str, dict[str, int]]) -> None:
    """The favicon, the canonical link and assets served from the brand's domains or kept in
    folders and files named after it."""
    furniture = doc.furniture
    places = [("favicon", u, 2) for u in furniture.icons]
    places += [("canonical", furniture.canonical, 2)] if furniture.canonical else []
    places += [("assets", u, 1) for u in furniture.assets if u not in furniture.icons]
    for kind, url, weight in places:
        host = host_of(url) if url.startswith(("http://", "https://", "//")) else ""
        domain = registrable_domain(host) if host else ""
        for brand in idx.by_domain.get(domain, ()):
            _add(cues, brand.name, kind, weight)
        if kind == "canonical":
            continue
        path = url.split("?", 1)[0] if host else url
        path = path.split(host, 1)[-1] if host else path
        cue = "favicon" if kind == "favicon" else "asset names"
        for name, (only_weak, _) in idx.mentioned(path.replace("_", " ")).items():
            if not only_weak:
                _add(cues, name, cue, weight)
        for brand in _glued_in(path, idx):
            _add(cues, brand.name, cue, weight)
        if kind == "favicon" and host and not idx.by_domain.get(domain):
            for brand in _glued_in(host.removesuffix(domain), idx):
                _add(cues, brand.name, "favicon", weight)  # peoplestrust.auth.platform.example
        _ordinary_folder_cue(doc, idx, path, cues)


def _glued_in(text: str, idx: BrandIndex) -> list[Brand]:
    """Brands whose name ``text`` writes as one word ("theme-peoplestrust.css")."""
    return [b for word in tokens(text) for b in idx.glued.get(word, ())]


def _ordinary_folder_cue(
    doc: PageDoc, idx: BrandIndex, path: str, cues: dict[str, dict[str, int]]
) -> None:
    """A bank whose name is an ordinary word, as the whole title and as an asset folder or file
    ("Laurentienne", "/laurentienne/styles.css"): the page is that bank's copy. A word in a longer
    file name ("apple-touch-icon") is none, nor a shop's own /booking/ folder (not a bank)."""
    words = tuple(tokens(doc.furniture.title))
    if words not in idx.ordinary or len(words) != 1:
        return
    segments = {s.rsplit(".", 1)[0].lower() for s in path.split("/")}
    if words[0] not in segments:
        return
    for brand in idx.names.get(words, ()):
        if brand.category == "bank":
            _add(cues, brand.name, "asset names", 1)


def _copied_cues(doc: PageDoc, idx: BrandIndex, cues: dict[str, dict[str, int]]) -> None:
    """Fragments copied from the real page: asset names, class prefixes, kit page titles."""
    furniture = doc.furniture
    assets = " ".join(furniture.assets).lower()
    classes = " " + " ".join(furniture.classes).lower()
    title = normalise(furniture.title)
    for brand, asset_cues, class_cues, titles in idx.copied:
        if any(cue in assets for cue in asset_cues):
            _add(cues, brand.name, "copied assets", 1)
        if any(cue in classes for cue in class_cues):
            _add(cues, brand.name, "copied classes", 2)
        if title and title in titles:
            _add(cues, brand.name, "kit title", 2 if idx.mentioned(title) else 1)
