"""The spiders' settings, each read once into a frozen config (defaults: ``crawler/defaults.py``).

:class:`SpiderConfig` (with its :class:`LandingConfig`) is what every platform spider shares;
:class:`TumblrConfig`, :class:`WordPressConfig` and :class:`BloggerConfig` are each platform's own.
Every bad value raises :class:`~pipelines.exceptions.ConfigError` naming the setting and the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.config import (
    SettingsLike,
    read_bool,
    read_int,
    read_list,
    read_positive,
    read_str,
)
from pipelines.exceptions import ConfigError
from pipelines.watchlists import watchlist_maxsize

__all__ = [
    "TUMBLR_ENDPOINTS",
    "BloggerConfig",
    "ExpansionConfig",
    "LandingConfig",
    "SpiderConfig",
    "TumblrConfig",
    "WordPressConfig",
]

#: Upper bounds of the budgets: a typo (an extra 0) must not turn one crawl into a flood.
_MIB = 1024 * 1024
_MAX_LANDINGS = 50
_MAX_REDIRECTS = 20
_MAX_TIMEOUT = 300.0  # seconds
_MAX_PAGE_BYTES = 64 * _MIB
_MAX_LANDING_CACHE = 1_000_000
_MAX_DISCOVERY = 100  # result pages: the engines serve about 100 results per query
_MAX_DISCOVERY_PAGE_SIZE = 100
_MAX_EXPANSION_PAGES = 50
_MAX_EXPANDED_BLOGS = 100_000

#: The Tumblr endpoints, in the order the spider uses them.
TUMBLR_ENDPOINTS = ("tagged", "search", "render", "blog")


@dataclass(frozen=True)
class LandingConfig:
    """How a post's outbound links are followed: one hop each, bounded in size, time and
    redirects."""

    max_per_post: int  # outbound links followed per post; 0 = none
    redirects: int  # redirect + meta-refresh budget per link
    timeout: float  # seconds per fetch
    maxsize: int  # bytes, after decompression
    cache: int  # landing URLs remembered per crawl (each is fetched once)

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> LandingConfig:
        """Read ``LUREWATCH_MAX_LANDINGS_PER_POST`` and ``LUREWATCH_LANDING_*``."""
        return cls(
            max_per_post=read_int(
                settings, "LUREWATCH_MAX_LANDINGS_PER_POST", minimum=0, maximum=_MAX_LANDINGS
            ),
            redirects=read_int(
                settings, "LUREWATCH_LANDING_REDIRECTS", minimum=0, maximum=_MAX_REDIRECTS
            ),
            timeout=read_positive(settings, "LUREWATCH_LANDING_TIMEOUT", maximum=_MAX_TIMEOUT),
            maxsize=read_int(
                settings, "LUREWATCH_LANDING_MAXSIZE", minimum=1, maximum=_MAX_PAGE_BYTES
            ),
            cache=read_int(
                settings, "LUREWATCH_LANDING_CACHE", minimum=1, maximum=_MAX_LANDING_CACHE
            ),
        )

    def request_meta(self) -> dict[str, Any]:
        """The ``Request.meta`` of a landing page fetch."""
        return {
            "redirect_ttl": self.redirects,
            "download_timeout": self.timeout,
            "download_maxsize": self.maxsize,
            "lurewatch_landing": True,
            "dont_retry": True,  # hostile pages time out or loop on purpose: never pay twice
        }


@dataclass(frozen=True)
class ExpansionConfig:
    """How a blog with a hit is read beyond the searches, and how links to other blogs' posts
    are followed."""

    pages: int  # listing pages read per blog with a hit; 0 = no blog expansion
    max_blogs: int  # blogs expanded per crawl and platform
    cross_posts: bool  # crawl a link to another blog's post (same platform) as a post

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> ExpansionConfig:
        """Read ``LUREWATCH_EXPANSION_*`` and ``LUREWATCH_CROSS_POSTS``."""
        return cls(
            pages=read_int(
                settings, "LUREWATCH_EXPANSION_PAGES", minimum=0, maximum=_MAX_EXPANSION_PAGES
            ),
            max_blogs=read_int(
                settings, "LUREWATCH_EXPANSION_MAX_BLOGS", minimum=0, maximum=_MAX_EXPANDED_BLOGS
            ),
            cross_posts=read_bool(settings, "LUREWATCH_CROSS_POSTS"),
        )


@dataclass(frozen=True)
class SpiderConfig:
    """What every platform spider reads: its watchlists, offline mode, rendering, landing pages."""

    titles: str | None  # watchlist files; None = the shipped ones
    searches: str | None
    watchlist_maxsize: int  # bytes per watchlist file
    max_titles: int  # 0 = every title
    offline: bool  # LUREWATCH_OFFLINE_ORIGIN is set: missing API keys become the placeholder
    placeholder_key: str
    render_enabled: bool
    landing: LandingConfig
    expansion: ExpansionConfig

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> SpiderConfig:
        """Read the shared settings (the origin itself is validated by the offline router)."""
        return cls(
            titles=read_str(settings, "LUREWATCH_TITLES") or None,
            searches=read_str(settings, "LUREWATCH_SEARCHES") or None,
            watchlist_maxsize=watchlist_maxsize(settings),
            max_titles=read_int(settings, "LUREWATCH_MAX_TITLES", minimum=0, maximum=10_000),
            offline=bool(read_str(settings, "LUREWATCH_OFFLINE_ORIGIN").strip()),
            placeholder_key=(
                read_str(settings, "LUREWATCH_OFFLINE_PLACEHOLDER_KEY")
                if read_bool(settings, "LUREWATCH_OFFLINE_PLACEHOLDER_KEYS")
                else ""
            ),
            render_enabled=read_bool(settings, "LUREWATCH_RENDER_ENABLED"),
            landing=LandingConfig.from_settings(settings),
            expansion=ExpansionConfig.from_settings(settings),
        )


@dataclass(frozen=True)
class TumblrConfig:
    """The ``tumblr`` spider's API page size and the endpoints it uses."""

    limit: int  # posts per API page
    endpoints: frozenset[str]

    @classmethod
    def from_settings(cls, settings: SettingsLike, endpoints: str = "") -> TumblrConfig:
        """Read ``LUREWATCH_TUMBLR_*``; ``endpoints`` (``-a endpoints=``) wins over the setting."""
        name = "endpoints" if endpoints else "LUREWATCH_TUMBLR_ENDPOINTS"
        value = endpoints or read_str(settings, "LUREWATCH_TUMBLR_ENDPOINTS")
        chosen = frozenset(part.strip() for part in value.split(",") if part.strip())
        unknown = chosen - set(TUMBLR_ENDPOINTS)
        if unknown or not chosen:
            raise ConfigError(
                f"{name}: must be a comma-separated subset of {','.join(TUMBLR_ENDPOINTS)}, "
                f"got {value!r}"
            )
        limit = read_int(settings, "LUREWATCH_TUMBLR_LIMIT", minimum=1, maximum=20)
        return cls(limit=limit, endpoints=chosen)


@dataclass(frozen=True)
class WordPressConfig:
    """The ``wordpress`` spider's always-searched sites and its page sizes."""

    sites: tuple[str, ...]  # hosts or URLs, as configured
    per_page: int  # core REST and the sites API
    reader_number: int  # Reader page size
    reader_search: bool  # use the undocumented /rest/v1.2/read/search

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> WordPressConfig:
        """Read ``LUREWATCH_WORDPRESS_*`` (page sizes within the APIs' limits)."""
        return cls(
            sites=tuple(read_list(settings, "LUREWATCH_WORDPRESS_SITES")),
            per_page=read_int(settings, "LUREWATCH_WORDPRESS_PER_PAGE", minimum=1, maximum=100),
            reader_number=read_int(
                settings, "LUREWATCH_WORDPRESS_READER_NUMBER", minimum=1, maximum=40
            ),
            reader_search=read_bool(settings, "LUREWATCH_WORDPRESS_READER_SEARCH"),
        )


@dataclass(frozen=True)
class BloggerConfig:
    """The ``blogger`` spider's discovery backends, their paging, and the feed searches."""

    discovery: tuple[str, ...]  # backend names, tried in order
    discovery_pages: int  # result pages per backend and query (CSE: 100 free queries/day)
    discovery_page_size: int  # results per discovery request; 0 = each API's maximum
    feed_page_size: int  # max-results of feed searches (Blogger caps it at 150)
    fetch_discovered_posts: bool  # fetch post pages the engines found but the searches did not

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> BloggerConfig:
        """Read ``LUREWATCH_BLOGGER_*`` (backend names are checked by the discovery loader)."""
        return cls(
            discovery=tuple(read_list(settings, "LUREWATCH_BLOGGER_DISCOVERY")),
            discovery_pages=read_int(
                settings, "LUREWATCH_BLOGGER_DISCOVERY_PAGES", minimum=1, maximum=_MAX_DISCOVERY
            ),
            discovery_page_size=read_int(
                settings,
                "LUREWATCH_BLOGGER_DISCOVERY_PAGE_SIZE",
                minimum=0,
                maximum=_MAX_DISCOVERY_PAGE_SIZE,
            ),
            feed_page_size=read_int(
                settings, "LUREWATCH_BLOGGER_FEED_PAGE_SIZE", minimum=1, maximum=150
            ),
            fetch_discovered_posts=read_bool(settings, "LUREWATCH_BLOGGER_FETCH_DISCOVERED_POSTS"),
        )
