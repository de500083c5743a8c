"""Blogger's answers as plain data: JSON feeds, API v3 items and errors, classic post pages.

The forms read here (``../shared/platforms.md`` §4): GData JSON feed entries (``$t`` texts, the
post URL in the ``rel="alternate"`` link, ``rel="next"`` paging), ``blogger#post`` API items,
Google's error envelope, and a post's HTML page in Blogger's classic layout. Also blogspot hosts
(country domains folded into ``.blogspot.com``) and the URLs of the feed and the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from parsel import Selector

from crawler.parsers._common import single_spaced, utc_isoformat
from pipelines.urls import canonical_post_url

__all__ = [
    "API_BASE",
    "ApiError",
    "BloggerPost",
    "api_error",
    "api_search_url",
    "blogspot_host",
    "byurl_url",
    "feed_listing_url",
    "feed_next_url",
    "feed_search_url",
    "is_post_url",
    "parse_api_post",
    "parse_feed_entry",
    "parse_post_page",
    "utc_iso",
]

# The API's own root (its discovery document's rootUrl); www.googleapis.com/blogger/v3 is the same
# API, but sharing that host with Custom Search would put both in one downloader slot
# (politeness and AutoThrottle)
API_BASE = "https://blogger.googleapis.com/v3"
_BLOGSPOT = re.compile(
    r"(?i)^(?P<sub>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.blogspot\.(?:com|[a-z]{2,3}(?:\.[a-z]{2})?)$"
)
#: Subdomains of blogspot that are no blog.
_NOT_BLOGS = ("www", "draft", "bp")
_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")


@dataclass
class BloggerPost:
    """A post as read from a feed entry, an API item or an HTML page."""

    url: str
    blog: str  # x.blogspot.com
    post_id: str | None
    title: str
    html: str
    published: str | None  # ISO 8601, UTC
    tags: list[str] = field(default_factory=list)


def blogspot_host(url: str) -> str | None:
    """``x.blogspot.com`` for a URL on a blogspot blog (country domains folded in), else
    ``None``."""
    host = (urlsplit(url).hostname or "").lower()
    match = _BLOGSPOT.match(host)
    if not match or match["sub"] in _NOT_BLOGS:
        return None
    return f"{match['sub']}.blogspot.com"


def is_post_url(url: str) -> bool:
    """True for a post permalink's path: ``/YYYY/MM/slug.html``."""
    return _POST_PATH.match(urlsplit(url).path) is not None


def _blog_of(url: str) -> str:
    return blogspot_host(url) or urlsplit(url).netloc


def utc_iso(value: str | None) -> str | None:
    """An RFC 3339 time (``2019-07-20T18:38:00.002+08:00``, ``…Z``) as ISO 8601 UTC (``None`` if
    bad)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_isoformat(moment)


def _t(node: Any) -> str:
    """The ``$t`` text of a GData JSON node."""
    return str(node.get("$t", "")) if isinstance(node, dict) else ""


def _alternate(links: Any) -> str | None:
    """The ``rel="alternate"`` ``text/html`` link: found by rel, never by position (``link[4]``
    breaks)."""
    if not isinstance(links, list):
        return None
    for link in links:
        if not isinstance(link, dict) or link.get("rel") != "alternate" or not link.get("href"):
            continue
        if link.get("type", "text/html") == "text/html":
            return str(link["href"])
    return None


def feed_next_url(feed: dict[str, Any]) -> str | None:
    """The feed's ``rel="next"`` link (on ``www.blogger.com``), if any."""
    for link in feed.get("link") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def _entry_tags(entry: dict[str, Any]) -> list[str]:
    tags = []
    for category in entry.get("category") or []:
        if isinstance(category, dict) and category.get("term"):
            tags.append(str(category["term"]))
    return tags


def parse_feed_entry(entry: dict[str, Any]) -> BloggerPost | None:
    """A post from one ``entry`` of a JSON feed (``None`` without an alternate link)."""
    url = _alternate(entry.get("link"))
    if not url:
        return None
    body = entry.get("content") or entry.get("summary") or {}
    return BloggerPost(
        url=canonical_post_url(url),
        blog=_blog_of(url),
        post_id=_t(entry.get("id")).rpartition(".post-")[2] or None,
        title=_t(entry.get("title")),
        html=_t(body),
        published=utc_iso(_t(entry.get("published"))),
        tags=_entry_tags(entry),
    )


def parse_api_post(item: dict[str, Any]) -> BloggerPost | None:
    """A post from a ``blogger#post`` API item (``labels`` is absent when there are none)."""
    url = item.get("url")
    if not isinstance(url, str) or not url:
        return None
    return BloggerPost(
        url=canonical_post_url(url),
        blog=_blog_of(url),
        post_id=str(item.get("id") or "") or None,
        title=str(item.get("title") or ""),
        html=str(item.get("content") or ""),
        published=utc_iso(item.get("published")),
        tags=[str(label) for label in item.get("labels") or []],
    )


def parse_post_page(html: str, url: str) -> BloggerPost | None:
    """A post from its HTML page in Blogger's classic layout (the post body only, not the
    comment widget)."""
    sel = Selector(text=html)
    body = sel.css("div.post-body")
    if not body:
        return None
    post_id = (
        body.attrib.get("id", "").removeprefix("post-body-")
        or sel.css("meta[itemprop=postId]::attr(content)").get()
    )
    published = (
        sel.css("abbr.published::attr(title)").get()
        or sel.css("time.published::attr(datetime)").get()
        or sel.css("[itemprop=datePublished]::attr(content)").get()
    )
    tag_texts = sel.css("a[rel=tag] ::text").getall()
    return BloggerPost(
        url=canonical_post_url(url),
        blog=_blog_of(url),
        post_id=post_id or None,
        title=single_spaced(" ".join(sel.css("h3.post-title ::text").getall())),
        html="".join(body[0].xpath("node()").getall()),
        published=utc_iso(published),
        tags=[single_spaced(text) for text in tag_texts if text.strip()],
    )


def feed_search_url(host: str, query: str, page_size: int) -> str:
    """The JSON feed search of one blog: ``/feeds/posts/default?q=…&alt=json``."""
    params = urlencode({"q": query, "alt": "json", "max-results": page_size})
    return f"https://{host}/feeds/posts/default?{params}"


def feed_listing_url(host: str, page_size: int) -> str:
    """A blog's recent posts, newest first: the JSON feed without ``q`` (blog expansion)."""
    params = urlencode({"alt": "json", "max-results": page_size})
    return f"https://{host}/feeds/posts/default?{params}"


def byurl_url(host: str) -> str:
    """The API's ``blogs/byurl`` lookup of a blog's id."""
    return f"{API_BASE}/blogs/byurl?{urlencode({'url': f'https://{host}/'})}"


def api_search_url(blog_id: str, query: str, page_token: str | None) -> str:
    """The API's ``posts/search`` of one blog, with bodies, at ``page_token`` (``None``: the
    first page)."""
    params = {"q": query, "fetchBodies": "true"}
    if page_token:
        params["pageToken"] = page_token
    return f"{API_BASE}/blogs/{blog_id}/posts/search?{urlencode(params)}"


@dataclass(frozen=True)
class ApiError:
    """What Google's error envelope says: the first error's reason (else the status) and the
    message."""

    reason: str
    message: str

    @property
    def key_refused(self) -> bool:
        """True for a key Google refuses: no later API request can succeed."""
        return self.reason in ("keyInvalid", "keyExpired")


def api_error(data: Any) -> ApiError:
    """The error of a non-200 API answer (``data``: its JSON, ``None`` if it was none)."""
    error = data.get("error", {}) if isinstance(data, dict) else {}
    if not error or not isinstance(error, dict):
        return ApiError(reason="", message="not a JSON answer")
    errors = error.get("errors") or [{}]
    reason = errors[0].get("reason") or error.get("status") or ""
    return ApiError(reason=str(reason), message=error.get("message", "no message"))
