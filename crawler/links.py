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
    order (at most ``limit`` of them, if set)."""
    if not html:
        return []
    selector = Selector(text=html, base_url=base_url)
    found: list[str] = []
    for href in selector.css(
        "a::attr(href), area::attr(href), iframe::attr(src), form::attr(action)"
    ).getall():
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "data:", "tel:")):
            continue
        url = unwrap(safe_url_string(urljoin(base_url, href)))
        if not url.startswith(("http://", "https://")) or is_platform_url(url, own_hosts):
            continue
        if url not in found:
            found.append(url)
        if limit and len(found) >= limit:
            break
    return found
