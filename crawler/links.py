"""Outbound links of a post: extraction, the platforms' own hosts, and links to other blogs.

A post's own blog (its navigation, tag pages, archive) and the platforms' infrastructure (APIs,
CDNs, image hosts, dashboards) are internal. Another blog on any of the three platforms is not:
spam networks link blog to blog, and a Tumblr post's "player" is often a blogspot page. Links to
other blogs, ``sites.google.com``, ``docs.google.com/forms`` and ``googleusercontent.com`` pages
are outbound (fetched and judged as landings); :func:`cross_blog_post` tells which of them is
another blog's post, so that the spider of that platform also crawls it as a post.

Redirector links (``t.umblr.com/redirect?z=``, ``href.li/?``, Google's ``/url?q=``...) are
unwrapped by :func:`pipelines.urls.unwrap`, the one unwrapper. Plain functions, no Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from w3lib.url import safe_url_string

from pipelines.urls import host_of, unwrap

__all__ = [
    "BLOG_HOST_SUFFIXES",
    "PLATFORM_HOST_SUFFIXES",
    "CrossPost",
    "blog_of",
    "cross_blog_post",
    "is_platform_url",
    "outbound_links",
]

#: Hosts of the platforms' infrastructure (APIs, CDNs, dashboards): never outbound.
PLATFORM_HOST_SUFFIXES = (
    "media.tumblr.com",
    "tmblr.co",
    "wp.com",
    "wordpress.org",
    "gravatar.com",
    "blogger.com",
    "bp.blogspot.com",
    "wp.me",
    "w.org",
)

#: Platforms whose blogs live on ``{name}.<suffix>``: another blog there is outbound.
BLOG_HOST_SUFFIXES = {
    "tumblr.com": "tumblr",
    "wordpress.com": "wordpress",
    "blogspot.com": "blogger",
}

#: ``{name}.tumblr.com`` / ``{name}.wordpress.com`` names that are the platform, not a blog.
_PLATFORM_NAMES = frozenset(
    {
        "www",
        "api",
        "assets",
        "static",
        "secure",
        "help",
        "public-api",
        "developer",
        "subscribe",
        "widgets",
        "s0",
        "s1",
        "s2",
        "i0",
        "i1",
        "i2",
        "en",
        "wordpress",
        "href",
        "r-login",
        "dashboard",
    }
)

#: Google's image CDN hosts (Blogger post images): internal; other googleusercontent pages are
#: landings (Apps Script and Sites pages served there).
_GOOGLE_IMAGE_HOST = re.compile(r"^(lh\d+|blogger|yt\d+)\.googleusercontent\.com$")

_POST_PATHS = {
    "tumblr": re.compile(r"^/post/(\d+)(?:/|$)"),
    "blogger": re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$"),
    "wordpress": re.compile(r"^/\d{4}/\d{2}/(?:\d{2}/)?[^/]+/?$"),
}


@dataclass(frozen=True)
class CrossPost:
    """A link to a post on another blog: its platform, blog host and (Tumblr) post id."""

    url: str
    platform: str
    blog: str
    post_id: str | None = None


def blog_of(url: str) -> tuple[str, str] | None:
    """``(platform, blog host)`` if ``url`` is on a blog of one of the three platforms."""
    host = host_of(url)
    for suffix, platform in BLOG_HOST_SUFFIXES.items():
        if not host.endswith("." + suffix):
            continue
        name = host[: -len(suffix) - 1]
        if name and "." not in name and name not in _PLATFORM_NAMES:
            return platform, host
    return None


def is_platform_url(url: str, own_hosts: tuple[str, ...] = ()) -> bool:
    """True for a URL that is not outbound: the platforms' infrastructure, the platforms'
    apex and service hosts, or one of ``own_hosts`` (the post's own blog)."""
    host = host_of(url)
    own = tuple(h.lower().rstrip(".") for h in own_hosts)
    if any(host == s or host.endswith("." + s) for s in PLATFORM_HOST_SUFFIXES + own):
        return True
    if host.endswith(".googleusercontent.com"):
        return bool(_GOOGLE_IMAGE_HOST.match(host))
    for suffix in BLOG_HOST_SUFFIXES:
        if host == suffix or host.endswith("." + suffix):
            return blog_of(url) is None  # www.tumblr.com, api.tumblr.com: the platform itself
    return False


def cross_blog_post(url: str, own_hosts: tuple[str, ...] = ()) -> CrossPost | None:
    """The post another blog serves at ``url`` (not one of ``own_hosts``), or ``None``."""
    found = blog_of(url)
    if found is None or is_platform_url(url, own_hosts):
        return None
    platform, host = found
    path = urlsplit(url).path
    match = _POST_PATHS[platform].match(path)
    if match is None:
        return None
    post_id = match.group(1) if platform == "tumblr" else None
    return CrossPost(url=url, platform=platform, blog=host, post_id=post_id)


def outbound_links(
    html: str, base_url: str, own_hosts: tuple[str, ...] = (), limit: int = 0
) -> list[str]:
    """Absolute http(s) links of ``html`` that leave the post's blog, unwrapped, deduplicated,
    in order (at most ``limit`` of them, if set). Links that are no valid URL are skipped.

    The host of ``base_url`` (the post's own blog) is always one of ``own_hosts``."""
    if not html:
        return []
    own = (*own_hosts, host_of(base_url))
    selector = Selector(text=html, base_url=base_url)
    found: dict[str, None] = {}
    for href in selector.css(
        "a::attr(href), area::attr(href), iframe::attr(src), form::attr(action)"
    ).getall():
        url = _outbound(base_url, href.strip())
        if url is None or is_platform_url(url, own):
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
