"""URL identity: a post's canonical URL, redirector unwrapping, hosts and registrable domains.

Every component that asks "is this the same post?", "where does this link really go?" or "is this
the same site?" asks here: the spiders' de-duplication and the Elasticsearch document ids
(:func:`canonical_post_url`), link extraction and detection (:func:`unwrap`, :func:`host_of`,
:func:`registrable_domain`).

Public suffixes come from the snapshot bundled with tldextract: this module never fetches the list
from the internet and never writes a cache (:data:`SUFFIX_EXTRACTOR`). Plain functions, no Scrapy.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

__all__ = [
    "MAX_UNWRAP_DEPTH",
    "REDIRECTORS",
    "SUFFIX_EXTRACTOR",
    "TRACKING_PARAMS",
    "canonical_post_url",
    "host_of",
    "registrable_domain",
    "split_domain",
    "unwrap",
]

logger = logging.getLogger(__name__)

#: The public-suffix list of the installed tldextract, offline: no download (no URLs to try), no
#: cache directory (nothing written under ``~/.cache``). Private suffixes (``blogspot.com``,
#: ``github.io``) are known to it and counted only when a caller asks (``private=True``).
SUFFIX_EXTRACTOR = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)

#: Query parameters that never identify a post (``utm_*`` too): dropped from canonical URLs.
#: ``amp`` is dropped as well: ``?amp=1`` serves the same post in AMP markup.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "src",
        "share",
        "si",
        "spm",
        "amp",
        "s_cid",
        "cmpid",
        "campaign",
        "trk",
        "__twitter_impression",
    }
)

#: Blogger's country domains (``films.blogspot.com.br``, ``.co.uk``, ``.de``): the same blog as
#: ``films.blogspot.com``. Two-letter country codes only, so ``blogspot.xyz`` is not folded in.
_BLOGSPOT_COUNTRY = re.compile(r"^([a-z0-9-]+)\.blogspot\.(?:[a-z]{2}|(?:com|co)\.[a-z]{2})$")
_HTTP = ("http://", "https://")
_HTTP_QUOTED = ("http%3a", "https%3a")
#: Bound on nested redirectors (a t.umblr.com link wrapping a Google link wrapping the target).
MAX_UNWRAP_DEPTH = 5


@dataclass(frozen=True)
class Redirector:
    """A link wrapper: the path it serves (``""``: any) and the query parameters carrying the
    target; with no parameters the whole query string is the target (``href.li/?https://…``)."""

    path: str
    params: tuple[str, ...] = ()


#: Every redirector the project knows, by host.
REDIRECTORS: dict[str, Redirector] = {
    "t.umblr.com": Redirector("/redirect", ("z",)),
    "href.li": Redirector(""),
    "www.google.com": Redirector("/url", ("q", "url")),
    "google.com": Redirector("/url", ("q", "url")),
    "l.facebook.com": Redirector("", ("u",)),
    "lm.facebook.com": Redirector("", ("u",)),
    "l.instagram.com": Redirector("", ("u",)),
    "out.reddit.com": Redirector("", ("url",)),
    "www.youtube.com": Redirector("/redirect", ("q",)),
}


def unwrap(url: str) -> str:
    """The real target of a redirector link, through nested redirectors (at most
    :data:`MAX_UNWRAP_DEPTH` of them); any other URL is returned unchanged."""
    for _ in range(MAX_UNWRAP_DEPTH):
        target = _redirect_target(url)
        if target is None:
            break
        url = target
    return url


def _redirect_target(url: str) -> str | None:
    """The http(s) URL one redirector link points to, or ``None`` if ``url`` is no redirector."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    redirector = REDIRECTORS.get(host)
    if redirector is None or not parts.path.startswith(redirector.path):
        return None
    if not redirector.params:
        target = parts.query
        if target.lower().startswith(_HTTP_QUOTED):
            target = unquote(target)
        return target if target.startswith(_HTTP) else None
    values = parse_qs(parts.query)
    for name in redirector.params:
        target = (values.get(name) or [""])[0].strip()
        if target.startswith(_HTTP):
            return target
    return None


def canonical_post_url(url: str) -> str:
    """The one identity of a post, shared by de-duplication and document ids.

    ``url`` canonicalised by w3lib (percent-encoding normalised, IDN host to punycode, query
    sorted, fragment dropped), then: scheme ``https``; host lower-case without ``www.``, without a
    mobile ``m.`` directly under the registrable domain, with Blogger's country domains folded
    into ``blogspot.com``; no default port, no user info; no trailing slash; no tracking parameter
    (:data:`TRACKING_PARAMS`, ``utm_*``) nor Blogger's mobile flag (``m=1``; any ``m`` on
    blogspot). A URL that cannot be parsed is returned stripped, unchanged.
    """
    try:
        parts = urlsplit(canonicalize_url(url.strip()))
        port = parts.port
    except ValueError:
        return url.strip()
    host = _canonical_host(parts.hostname or "")
    if not host:
        return url.strip()
    blogspot = host.endswith(".blogspot.com") or host == "blogspot.com"
    query = "&".join(c for c in parts.query.split("&") if c and not _ignored(c, blogspot))
    netloc = f"[{host}]" if ":" in host else host
    if port and port not in (80, 443):
        netloc = f"{netloc}:{port}"
    return urlunsplit(("https", netloc, parts.path.rstrip("/") or "/", query, ""))


def _canonical_host(host: str) -> str:
    host = host.rstrip(".").removeprefix("www.")
    country = _BLOGSPOT_COUNTRY.match(host)
    if country:
        return f"{country.group(1)}.blogspot.com"
    rest = host.removeprefix("m.")
    if rest == host or not split_domain(rest, private=True)[0]:
        return host  # m.blogspot.com is the blog "m", not the suffix blogspot.com
    # a mobile host directly under the registrable domain: m.example.com is example.com
    return rest if registrable_domain(rest, private=True) == rest else host


def _ignored(chunk: str, blogspot: bool) -> bool:
    """A ``name=value`` query chunk that does not identify the post."""
    name, _, value = chunk.partition("=")
    name = name.lower()
    if name == "m":
        return blogspot or value in ("0", "1")  # Blogger's mobile flag (WordPress's m= is a month)
    return name.startswith("utm_") or name in TRACKING_PARAMS


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """The host of ``url``: lower-case, IDNA-decoded (``xn--`` to Unicode, as a reader sees it),
    no trailing dot, no port; ``www.`` is kept (a host is what DNS resolves). ``""`` if none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except UnicodeError:
            pass
    return host.rstrip(".").lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def split_domain(host: str, *, private: bool = False) -> tuple[str, str]:
    """``(label, suffix)`` of the registrable domain of ``host`` (``("google", "com")``).

    ``private=True`` counts the PSL's private suffixes (``blogspot.com``: each blog its own site).
    Hosts under reserved names (``.example``, ``.test``, ``.local``): the last label is the suffix.
    """
    parts = SUFFIX_EXTRACTOR(host, include_psl_private_domains=private)
    if parts.suffix or not parts.domain or _is_ip(host):
        return parts.domain, parts.suffix
    labels = host.rstrip(".").split(".")
    if len(labels) < 2:
        return labels[0], ""
    return labels[-2], labels[-1]


@lru_cache(maxsize=65536)
def registrable_domain(host_or_url: str, *, private: bool = False) -> str:
    """The registrable domain of a host or URL (``accounts.google.com.evil.example`` ->
    ``evil.example``); an IP address is its own domain.

    By default only ICANN suffixes count: ``films.blogspot.com`` -> ``blogspot.com``, the domain
    its owner (Google) registered, which is what provider checks ask. With ``private=True`` the
    private suffixes count too: ``films.blogspot.com`` and ``other.blogspot.com`` are two sites.
    """
    host = host_of(host_or_url) if "/" in host_or_url else host_or_url.rstrip(".").lower()
    if _is_ip(host):
        return host
    label, suffix = split_domain(host, private=private)
    if not suffix:
        return label
    return f"{label}.{suffix}" if label else suffix
