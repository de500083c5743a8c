"""SSO and credential lure detection over a parsed page (:class:`pipelines.signals.PageDoc`).

Evidence (each a :class:`~pipelines.signals.Signal` whose key names a weight in
``thresholds.yaml``):

* ``credential_form`` / ``credential_offhost`` / ``collection_endpoint``: a password or card form
  on a host that is not the identity provider, posting to another registrable domain or to a
  collection endpoint;
* ``sso_button_offprovider``: "Continue with Google" whose target is not one of the providers'
  domains;
* ``lookalike_domain``: a page, link or form on a domain imitating a provider (homoglyphs and
  leetspeak folded, edit distance, brand plus account words, provider host used as a subdomain);
* ``bitb``: a provider login host drawn as text beside a credential form (browser-in-the-browser);
* ``oauth_consent``: a real provider authorize URL asking for broad scopes with a foreign
  ``redirect_uri``;
* ``obfuscated_form``: a credential form recovered from atob / unescape / fromCharCode /
  document.write.

Providers' own pages, and the platforms' own comment widgets (their links point to the providers),
are not lures: every rule compares registrable domains (tldextract, offline snapshot) with the
providers' lists.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from pipelines._linear import LinearPattern, compile_linear
from pipelines.brands import BrandIndex, presented_brands
from pipelines.normalise import normalise, normalise_phrase, tokens
from pipelines.signals import Form, PageDoc, Signal
from pipelines.three_ds import three_ds_signal
from pipelines.urls import host_of, registrable_domain, split_domain
from pipelines.watchlists import LureFile, Provider

__all__ = ["LureIndex", "brand_signals", "lure_signals"]

_ACCOUNT_WORDS = frozenset(
    {
        "login",
        "signin",
        "sign",
        "verify",
        "secure",
        "account",
        "accounts",
        "auth",
        "support",
        "security",
        "oauth",
        "sso",
        "password",
        "recovery",
        "update",
        "confirm",
        "help",
        "id",
        "log",
        "mail",
        "service",
        "services",
        "verification",
        "session",
        "live",
        "com",
        "net",
        "access",
        "appleid",
        "signon",
        "identity",
        "connect",
        "validate",
    }
)
# Provider labels that are also ordinary words: only an exact match (with account words) counts.
_GENERIC_LABELS = frozenset({"office", "outlook", "messenger", "apple", "live", "youtube"})
_URL_IN_SCRIPT = re.compile(r"https?://[^\s'\"<>\\)]+")


@dataclass(frozen=True)
class _Endpoint:
    host: str
    path: str


class LureIndex:
    """``lures.yaml`` pre-digested: provider domains, labels, login hosts, OAuth endpoints,
    phrases."""

    def __init__(
        self, lures: LureFile, max_distance: int = 2, own_domains: Iterable[str] = ()
    ) -> None:
        self.lures = lures
        self.max_distance = max_distance
        self.own_domains = frozenset(own_domains)  # brands' own registrable domains
        self.domains: dict[str, Provider] = {d: p for p in lures.providers for d in p.domains}
        self.login_hosts = frozenset(h for p in lures.providers for h in p.login_hosts)
        self.labels: dict[str, Provider] = {}
        for p in lures.providers:
            for d in p.domains:
                label = split_domain(d)[0]
                if len(label) >= 5:
                    self.labels.setdefault(label, p)
        self.endpoints = [
            _Endpoint(*_split_endpoint(e)) for p in lures.providers for e in p.oauth_endpoints
        ]
        self.short_names = frozenset(
            n
            for p in lures.providers
            for n in map(normalise, p.names)
            if 2 <= len(n) < 5 and " " not in n
        )
        self.sso_re = _sso_regex(lures)
        self.name_to_provider = {normalise(n): p for p in lures.providers for n in p.names}
        self.broad = frozenset(s.lower() for s in lures.broad_scopes)
        self.allow = frozenset(lures.redirect_allowlist)
        self.context = tuple(f" {normalise(c)} " for c in lures.lure_context)
        self.collection = _one_pattern(lures.collection_endpoints)
        #: :func:`_lookalike`'s answers by host (a page's links name the same hosts again).
        self.lookalikes: dict[str, str | None] = {}

    def is_provider_domain(self, domain: str) -> bool:
        return domain in self.domains

    def is_user_content(self, host: str) -> bool:
        if host in self.login_hosts or host.startswith("www."):
            return False
        return any(
            host.endswith("." + d) or (host == d and registrable_domain(d) != d)
            for d in self.lures.user_content_domains
        )

    def collection_endpoint(self, text: str) -> str | None:
        """The first collection endpoint named in ``text`` (a form action, a script), if any."""
        found = self.collection.search(text) if self.collection is not None else None
        return found.group(0) if found is not None else None

    def is_provider_page(self, host: str) -> bool:
        """A page served by an identity provider itself (not a user's blog on its platform)."""
        return self.is_provider_domain(registrable_domain(host)) and not self.is_user_content(host)

    def is_own_page(self, host: str) -> bool:
        """A page served by an identity provider or a listed brand itself (``own_domains``): its
        login posting to its own site is the real one."""
        if self.is_provider_page(host):
            return True
        return registrable_domain(host) in self.own_domains and not self.is_user_content(host)


def _sso_regex(lures: LureFile) -> re.Pattern[str]:
    """``(phrase) (provider name)``; a phrase may place the name itself: ``mit {provider}
    anmelden``."""
    names = sorted(
        {normalise(n) for p in lures.providers for n in p.names if normalise(n)},
        key=len,
        reverse=True,
    )
    name_re = f"({'|'.join(map(re.escape, names))})"
    alternatives = []
    for phrase in sorted(set(lures.sso_phrases), key=len, reverse=True):
        if "{provider}" in phrase:
            before, _, after = phrase.partition("{provider}")
            parts = [re.escape(normalise(before)), name_re, re.escape(normalise(after))]
            alternatives.append(" ".join(p for p in parts if p))
        else:
            alternatives.append(f"{re.escape(normalise(phrase))} {name_re}")
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b")


def _one_pattern(patterns: tuple[LinearPattern, ...]) -> LinearPattern | None:
    """The collection endpoints as one RE2 alternation: one linear pass per text, not one each."""
    if not patterns:
        return None
    return compile_linear("|".join(f"(?:{p.pattern})" for p in patterns), ignore_case=True)


def _split_endpoint(endpoint: str) -> tuple[str, str]:
    host, _, path = endpoint.partition("/")
    return host.lower().removeprefix("www."), "/" + path.strip("/")


def _form_signals(doc: PageDoc, idx: LureIndex, provider_page: bool) -> list[Signal]:
    out: list[Signal] = []
    page_domain = registrable_domain(doc.host)
    collects: dict[str, bool] = {}  # pages repeat their forms: one search per distinct action
    for form in doc.forms:
        if not (form.has_password or form.has_card):
            continue
        what = "card form" if form.has_card and not form.has_password else "password form"
        action_host = host_of(form.action)
        action_domain = registrable_domain(action_host) if action_host else page_domain
        if provider_page and (
            action_domain == page_domain or idx.is_provider_domain(action_domain)
        ):
            continue  # the provider's own login page
        out.append(Signal("credential_form", f"{what} on {doc.host or 'a local page'}"))
        if form.action.startswith("mailto:") or (action_host and action_domain != page_domain):
            out.append(
                Signal(
                    "credential_offhost",
                    f"{what} posts to other host {action_host or form.action}",
                )
            )
        if form.action not in collects:
            collects[form.action] = not _posts_to_itself(doc, form) and (
                idx.collection_endpoint(form.action) is not None
            )
        if collects[form.action]:
            out.append(
                Signal(
                    "collection_endpoint",
                    f"{what} posts to collection endpoint {_short(form.action)}",
                )
            )
        if form.obfuscated:
            out.append(Signal("obfuscated_form", f"{what} built by an obfuscated script"))
    return out


def _posts_to_itself(doc: PageDoc, form: Form) -> bool:
    """Whether ``form`` posts back to the page's own address (``/login.php`` to ``login.php``):
    the page's own handler, as self-hosted logins are, not a kit's separate collection script
    (a kit's lure page posts from ``index.html`` or a random name to ``login.php``)."""
    page = urllib.parse.urlsplit(doc.url)
    action = urllib.parse.urlsplit(urllib.parse.urljoin(doc.url, form.action))
    if (action.hostname or "") != (page.hostname or "") or not page.path.endswith(".php"):
        return False
    return action.path == page.path


def _script_endpoints(doc: PageDoc, idx: LureIndex) -> list[Signal]:
    """Credentials shipped by script (fetch / XHR) to a collection endpoint, when the page asks for
    them."""
    if not any(f.has_password or f.has_card or _asks(f, True) for f in doc.forms):
        return []
    for script in doc.scripts + doc.decoded:
        found = idx.collection_endpoint(script)
        if found is not None:
            return [Signal("collection_endpoint", f"script sends form data to {found}")]
    return []


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _sso_signals(
    doc: PageDoc, idx: LureIndex, provider_page: bool, has_credentials: bool
) -> list[Signal]:
    if provider_page:
        return []
    candidates = [(link.text, link.href, True) for link in doc.links if link.text]
    candidates += [(text, target, bool(target)) for text, target in doc.buttons]
    for text, target, is_link in candidates:
        found = idx.sso_re.search(normalise_phrase(text)) if len(text) < 200 else None
        if found is None:
            continue
        if not is_link and not has_credentials:
            # a script-driven button (Google Identity Services) on a page asking for nothing
            continue
        signal = _sso_target(
            doc,
            idx,
            target,
            " ".join(text.split())[:40],
            next((g for g in found.groups() if g), ""),
        )
        if signal is not None:
            return [signal]
    return []


def _sso_target(
    doc: PageDoc, idx: LureIndex, target: str, label: str, provider: str
) -> Signal | None:
    """Judge where a "Sign in with X" control leads (``None``: to a real provider or platform)."""
    host = host_of(target) if target.startswith(("http://", "https://")) else ""
    domain = registrable_domain(host) if host else ""
    if domain and idx.is_provider_domain(domain) and not idx.is_user_content(host):
        # a real provider (or platform) sign-in: comment widgets, "Log in with WordPress.com"
        return None
    same_site = not host or domain == registrable_domain(doc.host)
    own_site = same_site and not idx.is_user_content(doc.host)
    if own_site:  # a site's own /auth/<provider> route may redirect to the provider: weak alone
        return Signal(
            "sso_button_samehost",
            f'"{label}" handled by {doc.host or "this page"} itself, not {provider}',
        )
    if host in idx.lures.shorteners or _is_ip(host) or _lookalike(host, idx):
        return Signal(
            "sso_button_hidden", f'"{label}" leads to {host}, hiding where it goes, not {provider}'
        )
    # another site's sign-in page ("sign in with Google there" to letterboxd.com) is not proof
    # alone
    return Signal(
        "sso_button_offprovider",
        f'"{label}" leads to {host or doc.host or "this page"}, not {provider}',
    )


def _near(word: str, name: str, idx: LureIndex) -> bool:
    """A typo of a provider label: one edit for short labels, ``max_distance`` for long ones."""
    if len(name) < 6 or name in _GENERIC_LABELS or abs(len(word) - len(name)) > idx.max_distance:
        return False
    allowed = idx.max_distance if len(name) >= 9 else 1
    if allowed == 1 and word[0] != name[0]:
        return False
    return Levenshtein.distance(word, name, score_cutoff=allowed) <= allowed


#: Hosts longer than this are worked out each time, not remembered (a hostile page's long ones).
_MEMO_HOST = 255
#: How many hosts' answers a :class:`LureIndex` keeps before it starts afresh.
_MEMO_HOSTS = 65_536


def _lookalike(host: str, idx: LureIndex) -> str | None:
    """The provider label ``host`` imitates, if it does (``host`` is not a provider's own);
    remembered per index for hosts up to :data:`_MEMO_HOST` characters."""
    memo = idx.lookalikes
    if host in memo:
        return memo[host]
    found = _lookalike_of(host, idx)
    if len(host) <= _MEMO_HOST:
        if len(memo) >= _MEMO_HOSTS:
            memo.clear()
        memo[host] = found
    return found


def _lookalike_of(host: str, idx: LureIndex) -> str | None:
    domain = registrable_domain(host)
    if not domain or idx.is_provider_domain(domain):
        return None
    label, suffix = split_domain(host)
    stem = host[: -len(suffix) - 1] if suffix and host.endswith("." + suffix) else host
    words = tokens(stem)
    label_words = tokens(label)
    account = any(w in _ACCOUNT_WORDS for w in words)
    for word in words:
        name = word if word in idx.labels else None
        if name and (account or word == "".join(label_words)):
            return name  # faceb00k-login.com, gооgle.com, accounts.google.com.evil.example
        if word in idx.short_names and account:
            return word  # fb-verify-age.com
    joined = "".join(label_words)
    for name in idx.labels:
        if _near(joined, name, idx) or any(
            _near(w, name, idx) for w in label_words if len(w) >= 5
        ):
            return name  # rnicrosoftonline.com, tumbIr.com, goog1e-auth.com
    return None


def _is_ip(host: str) -> bool:
    return bool(re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host))


def _lookalike_signals(doc: PageDoc, idx: LureIndex) -> list[Signal]:
    hosts = (
        [doc.host]
        + [host_of(link.href) for link in doc.links]
        + [host_of(f.action) for f in doc.forms]
    )
    for host in dict.fromkeys(h for h in hosts if h):
        imitated = _lookalike(host, idx)
        if imitated:
            return [Signal("lookalike_domain", f"look-alike domain {host} imitates {imitated}")]
    return []


def _bitb_signals(doc: PageDoc, idx: LureIndex, provider_page: bool) -> list[Signal]:
    if provider_page or not any(
        f.has_password or (f.has_identity and not f.has_textarea) for f in doc.forms
    ):
        return []
    text = doc.text.lower()
    for host in sorted(idx.login_hosts, key=len, reverse=True):
        # drawn as an address bar: with a scheme or a path, not a mention ("your WordPress.com
        # account")
        if re.search(
            rf"(?:https?://{re.escape(host)}(?![\w.-])|(?<![\w.-]){re.escape(host)}/)", text
        ):
            return [
                Signal("bitb", f"browser-in-the-browser: draws {host} beside a credential form")
            ]
    return []


def _scopes(query: dict[str, list[str]]) -> list[str]:
    raw = " ".join(query.get("scope", []) + query.get("scopes", []))
    return [s for s in re.split(r"[\s,+]+", raw) if s]


def _broad(scope: str, idx: LureIndex) -> str | None:
    s = scope.lower()
    short = s.rstrip("/").rsplit("/", 1)[-1] if s.startswith("http") else s
    for candidate in (s, short):
        if candidate in idx.broad and candidate not in ("offline_access",):
            return short or s
    return None


def _oauth_problem(url: str, page_domain: str, idx: LureIndex) -> Signal | None:
    """A real authorize URL asking broad scopes: for a foreign app (strong) or this very site (weak
    alone)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not any(e.host == host and parts.path.rstrip("/").endswith(e.path) for e in idx.endpoints):
        return None
    query = urllib.parse.parse_qs(parts.query)
    broad = [b for b in (_broad(s, idx) for s in _scopes(query)) if b]
    redirect = (query.get("redirect_uri") or [""])[0]
    target = registrable_domain(host_of(redirect)) if redirect else ""
    if not broad or not target or target in idx.allow:
        return None
    asks = ", ".join(dict.fromkeys(broad))
    if target == page_domain:
        return Signal(
            "oauth_consent_own_site",
            f"OAuth consent on {host} asks {asks} for this site's own app",
        )
    return Signal("oauth_consent", f"OAuth consent on {host} asks {asks} for redirect to {target}")


def _oauth_signals(doc: PageDoc, idx: LureIndex) -> list[Signal]:
    page_domain = registrable_domain(doc.host)
    urls = [doc.url] + [link.href for link in doc.links] + [f.action for f in doc.forms]
    urls += [u for s in doc.scripts + doc.decoded for u in _URL_IN_SCRIPT.findall(s)]
    for url in dict.fromkeys(urls):
        if "oauth" not in url and "authorize" not in url:
            continue
        signal = _oauth_problem(url, page_domain if url != doc.url else "", idx)
        if signal is not None:
            return [signal]
    return []


def _context_signals(
    doc: PageDoc, folded: str, idx: LureIndex, has_credentials: bool
) -> list[Signal]:
    out = []
    padded = f" {folded} "
    context = next((c.strip() for c in idx.context if c in padded), None)
    if context:
        out.append(Signal("lure_context", f'lure wording "{context}"'))
    if has_credentials:
        names = " ".join(f.text for f in doc.forms) + " " + doc.headings
        brand = idx.sso_re.search(normalise(names)) or next(
            (
                n
                for n in idx.name_to_provider
                if len(n) >= 5 and f" {n} " in f" {normalise(names)} "
            ),
            None,
        )
        if brand:
            name = (
                next((g for g in brand.groups() if g), "")
                if isinstance(brand, re.Match)
                else brand
            )
            out.append(
                Signal(
                    "provider_branding", f"{name} branding beside a credential form on {doc.host}"
                )
            )
    return out


def lure_signals(doc: PageDoc, folded: str, idx: LureIndex) -> list[Signal]:
    """Every lure signal of a page (``folded`` = its normalised text)."""
    provider_page = idx.is_own_page(doc.host)
    credential_forms = [f for f in doc.forms if f.has_password or f.has_card]
    has_credentials = bool(credential_forms) and not provider_page
    signals = _form_signals(doc, idx, provider_page) + _script_endpoints(doc, idx)
    signals += _sso_signals(doc, idx, provider_page, has_credentials)
    signals += (
        _lookalike_signals(doc, idx)
        + _bitb_signals(doc, idx, provider_page)
        + _oauth_signals(doc, idx)
    )
    signals += _context_signals(doc, folded, idx, has_credentials)
    return signals


def credential_forms(doc: PageDoc) -> list[Form]:
    """The forms that ask for a password or a card."""
    return [f for f in doc.forms if f.has_password or f.has_card]


_CODE_INPUT = compile_linear(
    r"otp|code|sms|tan\b|token|2fa|mfa|verif|pin\b|kod|код|c[oó]digo|mã|رمز"
)


#: An input named for the card issuer's 3-D Secure password ("vbvsecure", "3D Secure",
#: "SecureCode"): a code step whatever the page's wording.
_THREE_DS_INPUT = compile_linear(r"vbv|3-?d[ -]?secure|secure ?code|verified ?by ?visa")


#: A wallet's recovery phrase asked in the form itself ("Secret Recovery Phrase", "12-word seed
#: phrase", "frase de recuperación"): whoever has it owns the wallet, like a password.
_RECOVERY_PHRASE = compile_linear(
    r"recovery phrase|seed phrase|secret phrase|mnemonic"
    r"|phrase (?:secrete|de recuperation)|frase (?:semilla|secreta|de recuperacion)"
    r"|wiederherstellungsphrase|frase di recupero|herstelzin"
)


def _asks_phrase(form: Form) -> bool:
    """Whether ``form`` asks for a wallet recovery phrase: its own wording or a field's
    placeholder names it, and a text field or text area takes it."""
    fields = [d for t, d in form.inputs if t in ("text", "textarea", "password")]
    if not fields and not form.has_textarea:
        return False
    worded = normalise(" ".join([form.text[:2_000], *fields]))
    return _RECOVERY_PHRASE.search(worded) is not None


#: A label in a form's wording: the words before a colon ("Personlige passord :").
_LABEL = compile_linear(r"([^:\n]{1,40}):")


def _password_labelled(form: Form) -> bool:
    """Whether ``form`` labels a field it types as text for a password ("Personlige passord :"
    before ``<input name="code">``), in the words :attr:`Form.has_password` reads in field
    names. A field named for the account (mail, user, phone) is no such field."""
    if not any(
        t in ("text", "tel", "number") and not re.search(r"mail|user|login|phone|ident", d)
        for t, d in form.inputs
    ):
        return False
    labels = [m.group(1).lower() for m in _LABEL.finditer(form.text[:2_000])]
    return Form("", "", [("text", label) for label in labels], "").has_password


def _asks(form: Form, code_worded: bool, input_worded: bool = False) -> str:
    """What ``form`` asks for, as a reason says it ("sign-in", "one-time-code", "card",
    "recovery-phrase"; "").
    ``input_worded``: an input's own placeholder or label names the code."""
    if form.has_password or _password_labelled(form):
        return "sign-in"
    if form.has_card:
        return "card"
    if input_worded:
        return "one-time-code"
    if _asks_phrase(form):
        return "recovery-phrase"
    textual = ("text", "tel", "number", "password")
    if any(t in textual and _THREE_DS_INPUT.search(d) for t, d in form.inputs):
        return "one-time-code"
    if form.code or (
        code_worded
        and any(t in ("text", "tel", "number") and _CODE_INPUT.search(d) for t, d in form.inputs)
    ):
        return "one-time-code"
    return ""


def _inputs_worded(form: Form, brands: BrandIndex) -> bool:
    """Whether an input's own placeholder or label names the code ("CODE SMS", "Clave dinamica
    enviada a su celular"): kits often say it nowhere else, and type it as they like (email)."""
    return any(
        (t in ("text", "tel", "number") or (t == "email" and "mail" not in d))
        and brands.otp_worded(normalise(d)) is not None
        for t, d in form.inputs
    )


def _form_worded(form: Form, brands: BrandIndex) -> bool:
    """Whether ``form``'s own wording names the code ("Token Digital", "Llave Digital") and it has
    one field to type it in, however typed (email) or named ("1us3r"): a search box or a
    newsletter form says nothing of a code, and a field named for mail is no code field."""
    fields = [
        d for t, d in form.inputs if t in ("text", "tel", "number", "email") and "mail" not in d
    ]
    if len(fields) != 1 or form.has_textarea:
        return False
    return brands.otp_worded(normalise(form.text[:2_000])) is not None


def _code_password(doc: PageDoc) -> bool:
    """Whether a form asks for a password and no account name: the card issuer's code or 3-D
    Secure password, typed as a password field."""
    return any(f.has_password and not f.has_identity for f in doc.forms)


def brand_signals(doc: PageDoc, folded: str, brands: BrandIndex, idx: LureIndex) -> list[Signal]:
    """A sign-in, one-time-code or card form presenting a brand on a host that is not the
    brand's (``brand_lure``), or a 3-D Secure step naming no bank
    (:func:`pipelines.three_ds.three_ds_signal`). A page of any listed brand's own site is none."""
    domain = registrable_domain(doc.host)
    if domain in brands.by_domain and not idx.is_user_content(doc.host):
        return []
    worded = brands.otp_worded(folded) is not None
    asks = [
        a
        for a in (
            _asks(f, worded, _inputs_worded(f, brands) or _form_worded(f, brands))
            for f in doc.forms
        )
        if a
    ]
    if not asks:
        return []
    kind = min(asks, key=("sign-in", "card", "one-time-code", "recovery-phrase").index)
    presented = presented_brands(doc, brands)
    if kind == "card":  # checkouts show card networks and payment buttons: the page must claim it
        presented = [p for p in presented if p.identity]
    if not presented:
        step = three_ds_signal(doc, folded, brands, "one-time-code" in asks or _code_password(doc))
        return [step] if step is not None else []
    best = presented[0]
    cues = ", ".join(best.cues[:4])
    reason = f"{best.brand.name} {kind} form on a foreign host {doc.host} (brand in {cues})"
    return [Signal("brand_lure", reason)]
