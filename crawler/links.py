"""Outbound links of a post: extraction and filtering of the platforms' own hosts.

Redirector links (``t.umblr.com/redirect?z=``, ``href.li/?``, Google's ``/url?q=``...) are
unwrapped by :func:`pipelines.urls.unwrap`, the one unwrapper. Plain functions, no Scrapy.
"""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector
from w3lib.url import safe_url_string

from pipelines.urls import host_of, unwrap

__all__ = ["PLATFORM_HOST_SUFFIXES", "is_platform_url", "outbound_links"]

#: Hosts that belong to the platforms themselves (or their CDNs): never "outbound".
PLATFORM_HOST_SUFFIXES = (
    "tumblr.com",
    "tmblr.co",
    "media.tumblr.com",
    "wordpress.com",
    "wp.com",
    "wordpress.org",
    "gravatar.com",
    "blogger.com",
    "blogspot.com",
    "googleusercontent.com",
    "bp.blogspot.com",
    "wp.me",
    "w.org",
)


def is_platform_url(url: str, own_hosts: tuple[str, ...] = ()) -> bool:
    """True for a URL on a platform's own host (or one of ``own_hosts``): never outbound."""
    host = host_of(url)
    suffixes = PLATFORM_HOST_SUFFIXES + tuple(h.lower() for h in own_hosts)
    return any(host == s or host.endswith("." + s) for s in suffixes)


def outbound_links(
    html: str, base_url: str, own_hosts: tuple[str, ...] = (), limit: int = 0
) -> list[str]:
    """Absolute http(s) links of ``html`` that leave the platform, unwrapped, deduplicated, in
    order (at most ``limit`` of them, if set). Links that are no valid URL are skipped."""
    if not html:
        return []
    selector = Selector(text=html, base_url=base_url)
    found: dict[str, None] = {}
    for href in selector.css(
        "a::attr(href), area::attr(href), iframe::attr(src), form::attr(action)"
    ).getall():
        url = _outbound(base_url, href.strip())
        if url is None or is_platform_url(url, own_hosts):
            continue
        found[url] = None
        if limit and len(found) >= limit:
            break
    return list(found)


def _outbound(base_url: str, href: str) -> str | None:
    """The unwrapped absolute http(s) URL of ``href``, or ``None`` (not a web link, not a URL)."""
    if not href or href.startswith(("#", "mailto:", "javascript:", "data:", "tel:")):
        return None
    try:
        url = unwrap(safe_url_string(urljoin(base_url, href)))
    except ValueError:  # "http://[x", a port out of range: hostile or broken markup
        return None
    return url if url.startswith(("http://", "https://")) else None
