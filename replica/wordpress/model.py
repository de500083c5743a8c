"""WordPress's view of the dataset (sites with numeric IDs, terms, permalinks, themes), helpers."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

from replica.dataset import Blog, Dataset, Post

__all__ = [
    "API_HOST",
    "UNCATEGORIZED",
    "WP_VERSION",
    "Site",
    "Term",
    "WordPressReplica",
    "excerpt",
    "iso_time",
    "pid",
    "slugify",
    "stable_number",
    "title_html",
]

API_HOST = "public-api.wordpress.com"
WP_VERSION = "6.8.1"
UNCATEGORIZED = "Uncategorized"


def slugify(name: str) -> str:
    """WordPress's ``sanitize_title`` in short: no accents, lower case, non-word runs to ``-``."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", "-", plain.casefold()).strip("-_")


def stable_number(value: str, modulo: int = 10**9) -> int:
    """A stable positive integer for ``value`` (numeric strings are kept when small enough)."""
    if value.isdigit() and 0 < int(value) < 2**31:
        return int(value)
    return zlib.crc32(value.encode("utf-8")) % modulo + 1000


def iso_time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def excerpt(body_html: str, words: int = 55) -> str:
    plain = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body_html)).split())
    parts = plain.split(" ")
    return " ".join(parts[:words]) + (" [&hellip;]" if len(parts) > words else "")


def title_html(title: str) -> str:
    """A post title as WordPress renders it: HTML already, a bare ``&`` becomes ``&#038;``."""
    return re.sub(r"&(?!#?\w+;)", "&#038;", title)


@dataclass
class Term:
    id: int
    name: str
    slug: str
    taxonomy: str  # category | post_tag


@dataclass
class Site:
    """One WordPress blog as WordPress sees it: numeric IDs, terms, permalink style, theme."""

    blog: Blog
    every_post: list[Post]  # newest first, those published later (replica.publishing) included
    site_id: int
    terms: dict[str, Term] = field(default_factory=dict)  # by taxonomy:slug
    published: Callable[[Post], bool] = lambda post: True

    def __post_init__(self) -> None:
        # a term is named by the first post that created it: register them oldest post first, so
        # that a term's name never depends on which request the replica happened to answer first
        for post in reversed(self.every_post):
            self.tags_of(post)

    @property
    def posts(self) -> list[Post]:
        """The site's published posts, newest first."""
        return [post for post in self.every_post if self.published(post)]

    @property
    def host(self) -> str:
        return self.blog.host

    @property
    def opt(self) -> dict[str, Any]:
        return self.blog.options

    @property
    def plain(self) -> bool:
        return bool(self.opt.get("plain_permalinks"))

    @property
    def wpcom(self) -> bool:
        """Hosted by WordPress.com (simple or Atomic): known to the native API without Jetpack."""
        return self.blog.kind in ("wpcom", "atomic") or bool(self.opt.get("jetpack"))

    @property
    def external(self) -> bool:
        return not self.wpcom

    @property
    def theme(self) -> str:
        theme = self.opt.get("theme")
        if theme in ("classic", "block"):
            return str(theme)
        return "block" if stable_number(self.host) % 2 else "classic"

    @property
    def offset(self) -> timedelta:
        return timedelta(hours=float(self.opt.get("gmt_offset", 0) or 0))

    @property
    def home(self) -> str:
        return f"https://{self.host}"

    def term(self, taxonomy: str, name: str) -> Term:
        key = f"{taxonomy}:{slugify(name)}"
        if key not in self.terms:
            term_id = 1 if name == UNCATEGORIZED else stable_number(f"{self.host}:{key}", 10**5)
            self.terms[key] = Term(term_id, name, slugify(name), taxonomy)
        return self.terms[key]

    def tags_of(self, post: Post) -> list[Term]:
        return [self.term("post_tag", t) for t in post.tags]

    def categories_of(self, post: Post) -> list[Term]:
        return [self.term("category", str(self.opt.get("category", UNCATEGORIZED)))]

    def post_by_id(self, post_id: int) -> Post | None:
        return next((p for p in self.posts if pid(p) == post_id), None)

    def term_link(self, term: Term) -> str:
        base = "tag" if term.taxonomy == "post_tag" else "category"
        if self.plain:
            if base == "tag":
                return f"{self.home}/?tag={term.slug}"
            return f"{self.home}/?cat={term.id}"
        return f"{self.home}/{base}/{term.slug}/"


def pid(post: Post) -> int:
    """The WordPress post ID of a dataset post."""
    return stable_number(post.post_id)


@dataclass
class WordPressReplica:
    """The WordPress side of the replica: the sites, and a log of ``(endpoint, page)`` requests."""

    dataset: Dataset
    sites: dict[str, Site] = field(default_factory=dict)  # by host
    log: Counter[tuple[str, int]] = field(default_factory=Counter)
    paths: Counter[tuple[str, str]] = field(
        default_factory=Counter
    )  # (blog host, path) served on blog hosts

    @classmethod
    def build(cls, dataset: Dataset) -> WordPressReplica:
        replica = cls(dataset)
        for blog in dataset.blogs_on("wordpress"):
            site_id = stable_number(blog.blog_id or blog.host)
            posts = dataset.posts_on("wordpress", blog, unpublished=True)
            replica.sites[blog.host.lower()] = Site(
                blog, posts, site_id, published=dataset.is_published
            )
        return replica

    def all_posts(self) -> list[tuple[Site, Post]]:
        pairs = [(s, p) for s in self.sites.values() for p in s.posts]
        return sorted(pairs, key=lambda sp: (sp[1].published, pid(sp[1])), reverse=True)

    def site_by_ref(self, ref: str) -> Site | None:
        """A site by numeric ID, host, or ``name.wordpress.com`` alias."""
        ref = unquote(ref).lower().strip("/")
        for site in self.sites.values():
            if ref in (str(site.site_id), site.host, f"{site.blog.name.lower()}.wordpress.com"):
                return site
        return None

    def search(self, site: Site, query: str) -> list[Post]:
        return (
            self.dataset.search(query, platform="wordpress", blog=site.blog)
            if query.strip()
            else list(site.posts)
        )

    def note(self, endpoint: str, page: int) -> None:
        """Count a request; ``page`` is 1 for a first page, 2+ for any later one."""
        self.log[(endpoint, max(1, page))] += 1
