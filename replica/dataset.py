"""The replica's world: blogs, posts and landing pages, with the ground truth tests assert against.

Platform packages (``replica/tumblr/`` ...) render these objects in each platform's real formats;
:mod:`replica.content` generates them from a seed. Everything is deterministic for a given seed and
scale.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Blog", "Dataset", "Landing", "Post", "Truth", "search_tokens"]


@dataclass(frozen=True)
class Truth:
    """What a perfect crawl + detection reports for a post or landing page."""

    fake_stream: bool = False
    sso_lure: bool = False  # for a post: the post itself or a landing page it links to is a lure
    matched_title: str | None = None
    note: str = ""  # why the case exists ("homoglyph title", "real review", ...)
    #: for a fake (of a watched film or not) or a lure: the discovery routes that can reach it
    #: ("search", "expansion", "cross-link"); truth is not reachability, so it may be empty
    routes: tuple[str, ...] = ()

    @property
    def is_hit(self) -> bool:
        return self.fake_stream or self.sso_lure


@dataclass
class Blog:
    platform: str  # tumblr | wordpress | blogger
    name: str  # tumblr blog name, WordPress site slug or domain, blogspot subdomain
    host: str  # the blog's real host name
    title: str
    description: str = ""
    blog_id: str = ""  # Blogger's numeric id, WordPress.com site ID, Tumblr uuid
    kind: str = "hosted"  # wordpress: wpcom | selfhosted | atomic; others: hosted
    options: dict[str, Any] = field(
        default_factory=dict
    )  # quirks: rest_blocked, plain_permalinks, robots_disallow_all...


@dataclass
class Post:
    blog: Blog
    post_id: str  # numeric string (Tumblr ids exceed 2**53)
    slug: str
    title: str
    body_html: str
    published: datetime  # aware, UTC
    tags: list[str] = field(default_factory=list)
    language: str = "en"
    truth: Truth = field(default_factory=Truth)
    outbound: list[str] = field(
        default_factory=list
    )  # real URLs the body links to (before any wrapping)
    post_format: str = "legacy"  # tumblr: legacy | npf ; wordpress: classic | block

    @property
    def platform(self) -> str:
        return self.blog.platform

    @property
    def url(self) -> str:
        """The post's canonical permalink on its platform."""
        b = self.blog
        d = self.published
        if b.platform == "tumblr":
            return f"https://{b.host}/post/{self.post_id}/{self.slug}"
        if b.platform == "blogger":
            return f"https://{b.host}/{d:%Y}/{d:%m}/{self.slug}.html"
        if b.options.get("plain_permalinks"):
            return f"https://{b.host}/?p={self.post_id}"
        return f"https://{b.host}/{d:%Y}/{d:%m}/{d:%d}/{self.slug}/"

    @property
    def timestamp(self) -> int:
        return int(self.published.timestamp())


@dataclass
class Landing:
    """A page outside the platforms that posts link to: a lure, a harmless site, a redirector..."""

    url: str
    html: str = ""
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "benign"  # lure | benign | redirect | hostile
    redirect_to: str | None = None  # for redirectors/shorteners: HTTP 301 target
    hostile: str | None = None  # redirect_loop | huge | gzip_bomb | drip | script_loop
    truth: Truth = field(default_factory=Truth)
    needs_js: bool = False  # content built by script: only a rendered fetch shows the lure
    refresh_to: str | None = None  # meta-refresh target (a redirect hop, like ``redirect_to``)
    script_to: str | None = (
        None  # JavaScript redirect target (NOT a hop: only a browser follows it)
    )
    variant: str = (
        ""  # which template made the page ("facebook_button", "bitly", "gzip_bomb", ...)
    )

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def next_hop(self) -> str | None:
        """Where a crawler following HTTP and meta-refresh redirects goes next (``None``: here)."""
        return self.redirect_to or self.refresh_to


_WORD = re.compile(r"\w+", re.UNICODE)
# combining marks (what NFKD splits off accented letters)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def search_tokens(text: str) -> list[str]:
    """Lower-case word tokens without accents: the replica's crude model of a platform's search."""
    stripped = re.sub(r"<[^>]+>", " ", text)
    if stripped.isascii():  # fast path: nothing to fold
        return _WORD.findall(stripped.casefold())
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", stripped))
    return _WORD.findall(plain.casefold())


@dataclass
class Dataset:
    blogs: list[Blog]
    posts: list[Post]
    landings: dict[str, Landing]  # by URL exactly as linked (scheme://host/path?query)
    robots: dict[str, str] = field(
        default_factory=dict
    )  # landing host -> robots.txt (absent: allow all)

    def __post_init__(self) -> None:
        self._pending: set[int] = set()  # ids of posts published later (replica.publishing)
        self._now: Callable[[], float] = time.time
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the search index (after posts' dates, hence their URLs, changed)."""
        self._index: dict[str, set[str]] = {
            p.url: set(search_tokens(f"{p.title} {p.body_html} {' '.join(p.tags)}"))
            for p in self.posts
        }

    def publish_later(self, posts: list[Post], now: Callable[[], float]) -> None:
        """``posts`` appear only once ``now()`` reaches their ``published`` time: until then
        they are in no listing, search or tag stream, and their URLs are unknown."""
        self._pending = {id(p) for p in posts}
        self._now = now
        self.reindex()

    def is_published(self, post: Post) -> bool:
        """False for a post :meth:`publish_later` holds back whose time has not come."""
        return id(post) not in self._pending or post.timestamp <= self._now()

    def scheduled(self) -> list[Post]:
        """The posts published over time (ground truth: their ``published`` is when), oldest
        first."""
        return sorted((p for p in self.posts if id(p) in self._pending), key=lambda p: p.published)

    def blogs_on(self, platform: str) -> list[Blog]:
        return [b for b in self.blogs if b.platform == platform]

    def blog_by_host(self, host: str) -> Blog | None:
        host = host.lower()
        return next((b for b in self.blogs if b.host == host), None)

    def blog_by_id(self, blog_id: str) -> Blog | None:
        return next((b for b in self.blogs if b.blog_id == blog_id), None)

    def posts_on(
        self, platform: str | None = None, blog: Blog | None = None, unpublished: bool = False
    ) -> list[Post]:
        """Posts newest first; those not yet published only with ``unpublished``."""
        found = [
            p
            for p in self.posts
            if (platform is None or p.platform == platform)
            and (blog is None or p.blog is blog)
            and (unpublished or self.is_published(p))
        ]
        return sorted(found, key=lambda p: (p.published, p.post_id), reverse=True)

    def search(
        self, query: str, platform: str | None = None, blog: Blog | None = None
    ) -> list[Post]:
        """Posts containing every word of ``query`` (title, body or tags), newest first. Without
        ``blog`` (a platform-wide or web search), blogs no index knows (``unindexed``) are left
        out: only links and their own feeds reach them."""
        words = set(search_tokens(query))
        return [
            p
            for p in self.posts_on(platform, blog)
            if words
            and words <= self._index[p.url]
            and (blog is not None or not p.blog.options.get("unindexed"))
        ]

    def tagged(
        self, tag: str, platform: str | None = None, blog: Blog | None = None
    ) -> list[Post]:
        """Posts carrying ``tag`` (case-insensitive, exact tag), newest first."""
        wanted = " ".join(tag.casefold().split())
        return [
            p
            for p in self.posts_on(platform, blog)
            if any(" ".join(t.casefold().split()) == wanted for t in p.tags)
        ]

    def post_by_url(self, url: str) -> Post | None:
        return next((p for p in self.posts if p.url == url and self.is_published(p)), None)

    def expected_hits(self, platform: str | None = None) -> list[Post]:
        return [p for p in self.posts_on(platform) if p.truth.is_hit]

    def summary(self) -> dict[str, Any]:
        """Counts per platform and label (blogs, posts, hits, fakes, lures), languages, pages."""
        per_platform: dict[str, dict[str, int]] = {}
        for platform in sorted({b.platform for b in self.blogs}):
            posts = self.posts_on(platform)
            per_platform[platform] = {
                "blogs": len(self.blogs_on(platform)),
                "posts": len(posts),
                "hits": sum(p.truth.is_hit for p in posts),
                "fake_stream": sum(p.truth.fake_stream for p in posts),
                "sso_lure": sum(p.truth.sso_lure for p in posts),
                "benign": sum(not p.truth.is_hit for p in posts),
            }
        landing_kinds: dict[str, int] = {}
        for landing in self.landings.values():
            landing_kinds[landing.kind] = landing_kinds.get(landing.kind, 0) + 1
        languages: dict[str, int] = {}
        for post in self.posts:
            languages[post.language] = languages.get(post.language, 0) + 1
        return {
            "platforms": per_platform,
            "landings": dict(sorted(landing_kinds.items())),
            "languages": dict(sorted(languages.items())),
            "posts": len(self.posts),
            "blogs": len(self.blogs),
        }
