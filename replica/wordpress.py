"""Replica routes for WordPress: WordPress.com's public API and core WordPress on every blog host.

Faithful to ``platforms.md`` sections 2 and 3 (envelopes, pagination, headers, error bodies):

``public-api.wordpress.com``
  - ``/rest/v1.1|v1.2/read/tags/{tag}/posts``: the Reader tag stream over *every* WordPress blog of the
    dataset. WordPress.com-hosted blogs (``kind`` ``wpcom``/``atomic``) appear as themselves; self-hosted
    blogs appear as followed feeds (``is_external: true``, ``feed_ID``), which is how the Reader surfaces
    them, so that a crawler discovers self-hosted sites without configuration. ``number`` 10 (at most 40),
    ``before``/``after`` (ISO 8601, exclusive), ``page_handle`` (v1.2). Replies carry ``date_range``; v1.2
    adds ``meta.next_page``.
  - ``/rest/v1.1/sites/{site}/posts/``: site by ID or domain; WordPress.com-hosted blogs (and self-hosted ones
    with option ``jetpack``) only, anything else is ``404 unknown_blog``. ``number`` <= 100, else
    ``400 invalid_number``; ``meta.next_page`` goes back as ``page_handle``; ``http_envelope=1`` wraps errors
    in a 200.
  - ``/rest/v1.2/read/search?q=``: undocumented [U]. Decision: served **anonymously** (logged-out Reader
    search on wordpress.com works in a browser), relevance order, ``date_range: null``, paged by ``offset``;
    with ``sort=date`` it pages like the tag stream. A request without ``q`` is ``400 missing_query``.
  - ``/wp/v2/sites/{domain}/…``: core REST for WordPress.com-hosted blogs (custom-domain simple sites).

Every WordPress blog host (``*.wordpress.com``, custom domains, self-hosted)
  - core REST under ``/wp-json/`` and ``/?rest_route=``: index, ``wp/v2/search``, ``wp/v2/posts``,
    ``wp/v2/posts/{id}``, ``wp/v2/tags``, ``wp/v2/categories``, ``wp/v2/users/{id}``; ``X-WP-Total``,
    ``X-WP-TotalPages``, ``Link`` next/prev; ``_embed``; WordPress's error bodies;
  - HTML search ``/?s=``, ``/page/N/?s=``, ``?paged=N``, ``/search/<q>/`` in a classic or a block theme; post
    permalink pages; the search feed ``/search/<q>/feed/rss2/`` and ``/?s=<q>&feed=rss2``; virtual robots.txt.

Blog options honoured: ``rest_blocked`` (REST answers ``401 rest_not_logged_in``), ``plain_permalinks`` (no
rewrite rules: ``/wp-json/``, ``/page/N/``, ``/search/…`` and pretty permalinks are 404; query-string forms
work), ``robots_disallow_all``, ``theme`` (``classic``|``block``), ``posts_per_page`` and ``posts_per_rss``
(10), ``gmt_offset`` (hours), ``wp_version`` (below 5.0: no ``wp/v2/search`` route), ``jetpack``.

Every request is counted in ``router.wordpress.log`` as ``(endpoint, page)`` where ``page`` is 1 for a first
page and 2+ for any later page (cursor pages count as 2), so tests can assert that pagination was exercised.
"""

from __future__ import annotations

import html as htmllib
import math
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlencode

from replica.dataset import Blog, Dataset, Post, search_tokens
from replica.http import Request, Response, Router, html, json_response, text

__all__ = ["WordPressReplica", "register", "slugify"]

API_HOST = "public-api.wordpress.com"
WP_VERSION = "6.8.1"
READER_MAX = 40
SITE_POSTS_MAX = 100
REST_MAX = 100
UNCATEGORIZED = "Uncategorized"
# the opening tag of a WordPress RSS 2.0 feed, with every namespace ``feed-rss2.php`` declares
_RSS_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
    'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
)


def slugify(name: str) -> str:
    """WordPress's ``sanitize_title`` in short: accents stripped, lower case, non-word runs to ``-``."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", "-", plain.casefold()).strip("-_")


def _num(value: str, modulo: int = 10**9) -> int:
    """A stable positive integer for ``value`` (numeric strings are kept when small enough)."""
    if value.isdigit() and 0 < int(value) < 2**31:
        return int(value)
    return zlib.crc32(value.encode("utf-8")) % modulo + 1000


def _major(version: str) -> int:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else 0


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _tokens(post: Post) -> set[str]:
    return set(search_tokens(f"{post.title} {post.body_html} {' '.join(post.tags)}"))


def _excerpt(body_html: str, words: int = 55) -> str:
    plain = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body_html)).split())
    parts = plain.split(" ")
    return " ".join(parts[:words]) + (" [&hellip;]" if len(parts) > words else "")


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def title_html(title: str) -> str:
    """A post title as WordPress renders it: titles are HTML already; a bare ``&`` becomes ``&#038;``."""
    return re.sub(r"&(?!#?\w+;)", "&#038;", title)


def _esc(value: str) -> str:
    return htmllib.escape(value, quote=True)


# --- the model: WordPress's view of the dataset ------------------------------------------------------
@dataclass
class _Term:
    id: int
    name: str
    slug: str
    taxonomy: str  # category | post_tag


@dataclass
class _Site:
    """One WordPress blog as WordPress sees it: numeric IDs, terms, permalink style, theme."""

    blog: Blog
    posts: list[Post]  # newest first
    site_id: int
    terms: dict[str, _Term] = field(default_factory=dict)  # by taxonomy:slug

    def __post_init__(self) -> None:
        # a term is named by the first post that created it: register them oldest post first, so that a
        # term's name never depends on which request the replica happened to answer first
        for post in reversed(self.posts):
            self.tags_of(post)

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
        return "block" if _num(self.host) % 2 else "classic"

    @property
    def offset(self) -> timedelta:
        return timedelta(hours=float(self.opt.get("gmt_offset", 0) or 0))

    @property
    def home(self) -> str:
        return f"https://{self.host}"

    def term(self, taxonomy: str, name: str) -> _Term:
        key = f"{taxonomy}:{slugify(name)}"
        if key not in self.terms:
            term_id = 1 if name == UNCATEGORIZED else _num(f"{self.host}:{key}", 10**5)
            self.terms[key] = _Term(term_id, name, slugify(name), taxonomy)
        return self.terms[key]

    def tags_of(self, post: Post) -> list[_Term]:
        return [self.term("post_tag", t) for t in post.tags]

    def categories_of(self, post: Post) -> list[_Term]:
        return [self.term("category", str(self.opt.get("category", UNCATEGORIZED)))]

    def post_by_id(self, post_id: int) -> Post | None:
        return next((p for p in self.posts if pid(p) == post_id), None)

    def term_link(self, term: _Term) -> str:
        base = "tag" if term.taxonomy == "post_tag" else "category"
        if self.plain:
            return (
                f"{self.home}/?{'tag' if base == 'tag' else 'cat'}={term.slug if base == 'tag' else term.id}"
            )
        return f"{self.home}/{base}/{term.slug}/"


def pid(post: Post) -> int:
    """The WordPress post ID of a dataset post."""
    return _num(post.post_id)


@dataclass
class WordPressReplica:
    """The WordPress side of the replica: the sites, and a log of ``(endpoint, page)`` requests."""

    dataset: Dataset
    sites: dict[str, _Site] = field(default_factory=dict)  # by host
    log: Counter[tuple[str, int]] = field(default_factory=Counter)
    paths: Counter[tuple[str, str]] = field(default_factory=Counter)  # (blog host, path) served on blog hosts

    @classmethod
    def build(cls, dataset: Dataset) -> WordPressReplica:
        replica = cls(dataset)
        for blog in dataset.blogs_on("wordpress"):
            site_id = _num(blog.blog_id or blog.host)
            replica.sites[blog.host.lower()] = _Site(blog, dataset.posts_on("wordpress", blog), site_id)
        return replica

    def all_posts(self) -> list[tuple[_Site, Post]]:
        pairs = [(s, p) for s in self.sites.values() for p in s.posts]
        return sorted(pairs, key=lambda sp: (sp[1].published, pid(sp[1])), reverse=True)

    def site_by_ref(self, ref: str) -> _Site | None:
        """A site by numeric ID, host, or ``name.wordpress.com`` alias."""
        ref = unquote(ref).lower().strip("/")
        for site in self.sites.values():
            if ref in (str(site.site_id), site.host, f"{site.blog.name.lower()}.wordpress.com"):
                return site
        return None

    def search(self, site: _Site, query: str) -> list[Post]:
        return (
            self.dataset.search(query, platform="wordpress", blog=site.blog)
            if query.strip()
            else list(site.posts)
        )

    def note(self, endpoint: str, page: int) -> None:
        """Count a request; ``page`` is 1 for a first page, 2+ for any later one."""
        self.log[(endpoint, max(1, page))] += 1


# --- shared error bodies ------------------------------------------------------------------------------
def wpcom_error(code: str, message: str, status: int, envelope: bool = False) -> Response:
    """A WordPress.com native API error (``http_envelope=1``: HTTP 200 with the status inside)."""
    body = {"error": code, "message": message}
    if envelope:
        return json_response(
            {"code": status, "headers": [{"name": "Content-Type", "value": "application/json"}], "body": body}
        )
    return json_response(body, status)


def rest_error(code: str, message: str, status: int, **data: Any) -> Response:
    """A core REST API error: ``{"code", "message", "data": {"status"}}``."""
    return json_response({"code": code, "message": message, "data": {"status": status, **data}}, status)


def invalid_param(name: str, why: str) -> Response:
    return rest_error(
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        400,
        params={name: why},
        details={name: {"code": "rest_out_of_bounds", "message": why, "data": None}},
    )


def _bounded(request: Request, name: str, default: int, low: int, high: int) -> int | None:
    """An integer parameter within ``[low, high]``; ``None`` when it is out of bounds."""
    value = request.int_arg(name, default)
    return value if low <= value <= high else None


# --- WordPress.com native API: post objects -------------------------------------------------------------
def _wpcom_terms(site: _Site, terms: list[_Term], kind: str) -> dict[str, Any]:
    api = f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}/{kind}/slug:"
    return {
        t.name: {
            "ID": t.id,
            "name": t.name,
            "slug": t.slug,
            "description": "",
            "post_count": 1,
            "meta": {
                "links": {
                    "self": api + t.slug,
                    "help": api + t.slug + "/help",
                    "site": f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}",
                }
            },
        }
        for t in terms
    }


def _author(site: _Site) -> dict[str, Any]:
    name = str(site.opt.get("author", "admin"))
    return {
        "ID": _num(f"author:{site.host}", 10**7),
        "login": slugify(name),
        "email": False,
        "name": name,
        "first_name": "",
        "last_name": "",
        "nice_name": slugify(name),
        "URL": site.home,
        "avatar_URL": "https://0.gravatar.com/avatar/0?s=96&d=identicon&r=G",
        "profile_URL": f"https://gravatar.com/{slugify(name)}",
        "site_ID": site.site_id,
    }


def wpcom_post(site: _Site, post: Post) -> dict[str, Any]:
    """A v1.1 post object (platforms.md §3.3): tags and categories are objects keyed by name."""
    local = post.published.astimezone(UTC) + site.offset
    date = local.replace(tzinfo=None).isoformat(timespec="seconds") + _tz(site.offset)
    post_id = pid(post)
    api = f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}/posts/{post_id}"
    tags, cats = site.tags_of(post), site.categories_of(post)
    return {
        "ID": post_id,
        "site_ID": site.site_id,
        "author": _author(site),
        "date": date,
        "modified": date,
        "title": title_html(post.title),
        "URL": post.url,
        "short_URL": f"https://wp.me/p{site.site_id}-{post_id}",
        "content": post.body_html,
        "excerpt": f"<p>{_excerpt(post.body_html)}</p>\n",
        "slug": post.slug,
        "guid": f"{site.home}/?p={post_id}",
        "status": "publish",
        "sticky": False,
        "password": "",
        "parent": False,
        "type": "post",
        "discussion": {
            "comments_open": True,
            "comment_status": "open",
            "pings_open": True,
            "ping_status": "open",
            "comment_count": 0,
        },
        "likes_enabled": True,
        "sharing_enabled": True,
        "like_count": 0,
        "i_like": False,
        "is_reblogged": False,
        "is_following": False,
        "global_ID": f"{zlib.crc32(post.url.encode()):x}",
        "featured_image": "",
        "post_thumbnail": None,
        "format": "standard",
        "geo": False,
        "menu_order": 0,
        "page_template": "",
        "publicize_URLs": [],
        "terms": {
            "category": _wpcom_terms(site, cats, "categories"),
            "post_tag": _wpcom_terms(site, tags, "tags"),
            "post_format": {},
            "mentions": {},
        },
        "tags": _wpcom_terms(site, tags, "tags"),
        "categories": _wpcom_terms(site, cats, "categories"),
        "attachments": {},
        "attachment_count": 0,
        "metadata": False,
        "meta": {
            "links": {
                "self": api,
                "help": api + "/help",
                "site": f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}",
                "replies": api + "/replies/",
                "likes": api + "/likes/",
            }
        },
        "capabilities": {"publish_post": False, "delete_post": False, "edit_post": False},
        "other_URLs": {},
    }


def _tz(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def reader_post(site: _Site, post: Post) -> dict[str, Any]:
    """A Reader stream post: the v1.1 post plus the Reader's site/feed fields."""
    item = wpcom_post(site, post)
    feed_id = _num(f"feed:{site.host}", 10**8)
    item.update(
        {
            "site_URL": site.home,
            "site_name": site.blog.title,
            "feed_ID": feed_id,
            "feed_URL": f"{site.home}/feed/",
            "feed_item_ID": _num(f"item:{post.url}", 10**9),
            "is_external": site.external,
            "is_jetpack": site.blog.kind == "atomic" or bool(site.opt.get("jetpack")),
            "site_is_private": False,
            "site_is_atomic": site.blog.kind == "atomic",
            "railcar": {},
        }
    )
    if site.external:
        item["site_ID"] = 0  # a followed feed, not a WordPress.com site
    return item


# --- cursors: page_handle = "value=<iso>&id=<ID>" (platforms.md §3.2) ------------------------------
def _handle_of(post: Post) -> str:
    return urlencode({"value": _iso(post.published.astimezone(UTC)), "id": pid(post)})


def _after_handle(posts: list[Post], handle: str) -> list[Post]:
    """Posts after the cursor in newest-first order (``handle`` is the last post already returned)."""
    parts = dict(p.split("=", 1) for p in unquote(handle).split("&") if "=" in p)
    try:
        moment = datetime.fromisoformat(unquote_plus(parts.get("value", "")).replace(" ", "+"))
        last_id = int(parts.get("id", "0"))
    except ValueError:
        return []
    return [p for p in posts if (p.published, pid(p)) < (moment, last_id)]


def _date_window(posts: list[Post], request: Request) -> list[Post]:
    """``before``/``after`` (ISO 8601, exclusive) on a newest-first list."""
    for name in ("before", "after"):
        value = request.arg(name)
        if value:
            moment = datetime.fromisoformat(value.replace(" ", "+").replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            posts = [p for p in posts if (p.published < moment if name == "before" else p.published > moment)]
    return posts


def _date_range(page: list[Post]) -> dict[str, str | None]:
    if not page:
        return {"before": None, "after": None}
    return {
        "before": _iso(page[0].published.astimezone(UTC)),
        "after": _iso(page[-1].published.astimezone(UTC)),
    }


# --- WordPress.com native API: handlers ---------------------------------------------------------------
class _WpcomApi:
    def __init__(self, wp: WordPressReplica) -> None:
        self.wp = wp

    def reader_tag(self, request: Request) -> Response:
        version = request.params["version"]
        self.wp.note(
            f"reader_tags_v{version}", 2 if request.arg("page_handle") or request.arg("before") else 1
        )
        number = _bounded(request, "number", 10, 1, READER_MAX)
        if number is None:
            return wpcom_error(
                "invalid_number", f"The number parameter must be between 1 and {READER_MAX}.", 400
            )
        wanted = slugify(unquote(request.params["tag"]))
        posts = [(s, p) for s, p in self.wp.all_posts() if any(slugify(t) == wanted for t in p.tags)]
        return self._stream(request, posts, number, version, {"tag": wanted})

    def reader_search(self, request: Request) -> Response:
        later = bool(request.arg("page_handle") or request.arg("before") or request.int_arg("offset", 0))
        self.wp.note("reader_search", 2 if later else 1)
        query = (request.arg("q") or "").strip()
        if not query:
            return wpcom_error("missing_query", "A search query (q) is required.", 400)
        number = _bounded(request, "number", 10, 1, READER_MAX)
        if number is None:
            return wpcom_error(
                "invalid_number", f"The number parameter must be between 1 and {READER_MAX}.", 400
            )
        words = set(search_tokens(query))
        # Reader search covers WordPress.com-hosted sites, not followed feeds [U]
        posts = [(s, p) for s, p in self.wp.all_posts() if not s.external and words <= _tokens(p)]
        if request.arg("sort", "relevance") == "date":
            return self._stream(request, posts, number, "1.2", {"algorithm": "read:search:date/1"})
        offset = request.int_arg("offset", 0)
        page = posts[offset : offset + number]
        return json_response(
            {
                "algorithm": "read:search:es-relevance/1",
                "posts": [reader_post(s, p) for s, p in page],
                "date_range": None,
                "total": len(posts),
            }
        )

    def _stream(
        self,
        request: Request,
        posts: list[tuple[_Site, Post]],
        number: int,
        version: str,
        extra: dict[str, Any],
    ) -> Response:
        by_post = {id(p): s for s, p in posts}
        plain = _date_window([p for _, p in posts], request)
        handle = request.arg("page_handle")
        if handle and version != "1.1":
            plain = _after_handle(plain, handle)
        page = plain[:number]
        body: dict[str, Any] = {
            **extra,
            "posts": [reader_post(by_post[id(p)], p) for p in page],
            "date_range": _date_range(page),
            "number": len(page),
        }
        if version != "1.1":
            body["meta"] = {"next_page": _handle_of(page[-1])} if len(plain) > number else {}
        return json_response(body)

    def site_posts(self, request: Request) -> Response:
        envelope = request.arg("http_envelope") == "1"
        later = bool(
            request.arg("page_handle") or request.int_arg("offset", 0) or request.int_arg("page", 1) > 1
        )
        self.wp.note("wpcom_site_posts", 2 if later else 1)
        site = self.wp.site_by_ref(request.params["site"])
        if site is None or not site.wpcom:
            return wpcom_error("unknown_blog", "Unknown blog", 404, envelope)
        number = _bounded(request, "number", 20, 1, SITE_POSTS_MAX)
        if number is None:
            return wpcom_error(
                "invalid_number",
                f"The NUMBER parameter must be between 1 and {SITE_POSTS_MAX}.",
                400,
                envelope,
            )
        return json_response(self._site_page(request, site, number))

    def _site_page(self, request: Request, site: _Site, number: int) -> dict[str, Any]:
        posts = self.wp.search(site, request.arg("search") or "")
        if request.arg("tag"):
            posts = [p for p in posts if any(slugify(t) == slugify(request.arg("tag") or "") for t in p.tags)]
        posts = _date_window(posts, request)
        if (request.arg("order") or "DESC").upper() == "ASC":
            posts = posts[::-1]
        found = len(posts)
        page_no, offset, handle = (
            request.int_arg("page", 0),
            request.int_arg("offset", 0),
            request.arg("page_handle"),
        )
        if handle:
            posts = _after_handle(posts, handle)
        start = offset or max(0, page_no - 1) * number
        page = posts[start : start + number]
        meta: dict[str, Any] = {
            "links": {"counts": f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}/post-counts/post"},
            "wpcom": True,
        }
        if not page_no and not offset and len(posts) > number:  # only when page/offset are unset (§3.2)
            meta["next_page"] = _handle_of(page[-1])
        fields = [f for f in (request.arg("fields") or "").split(",") if f]
        items = [wpcom_post(site, p) for p in page]
        if fields:
            items = [{k: v for k, v in item.items() if k in fields} for item in items]
        return {"found": found, "posts": items, "meta": meta}


# --- core REST -------------------------------------------------------------------------------------
@dataclass
class _RestBase:
    """How a site's REST URLs are written: ``/wp-json`` (pretty), ``?rest_route=`` (plain), or public-api."""

    site: _Site
    style: str  # pretty | plain | wpcom

    def url(self, route: str, params: dict[str, Any] | None = None) -> str:
        query = urlencode({k: v for k, v in (params or {}).items() if v not in (None, "")}, doseq=True)
        if self.style == "plain":
            return f"{self.site.home}/?rest_route={quote(route, safe='/')}" + (f"&{query}" if query else "")
        if self.style == "wpcom":
            tail = route[len("/wp/v2") :] if route.startswith("/wp/v2") else route
            return f"https://{API_HOST}/wp/v2/sites/{self.site.host}{tail}" + (f"?{query}" if query else "")
        return f"{self.site.home}/wp-json{route}" + (f"?{query}" if query else "")

    @property
    def index(self) -> str:
        return self.url("/") if self.style != "wpcom" else f"https://{API_HOST}/wp/v2/sites/{self.site.host}"


def _rendered(value: str, protected: bool | None = None) -> dict[str, Any]:
    return {"rendered": value} if protected is None else {"rendered": value, "protected": protected}


def _post_classes(post_id: int, categories: list[_Term], tags: list[_Term]) -> list[str]:
    """A post's CSS classes as ``get_post_class()`` gives them (REST ``class_list``, the article's class)."""
    return [
        f"post-{post_id}",
        "post",
        "type-post",
        "status-publish",
        "format-standard",
        "hentry",
        *[f"category-{c.slug}" for c in categories],
        *[f"tag-{t.slug}" for t in tags],
    ]


def core_post(base: _RestBase, post: Post, embed: str | None = None) -> dict[str, Any]:
    """A ``wp/v2/posts`` object (platforms.md §2.3): dates without TZ suffix, tags and categories as IDs."""
    site, post_id = base.site, pid(post)
    gmt = post.published.astimezone(UTC).replace(tzinfo=None)
    local = gmt + site.offset
    tags, cats = site.tags_of(post), site.categories_of(post)
    item: dict[str, Any] = {
        "id": post_id,
        "date": local.isoformat(timespec="seconds"),
        "date_gmt": gmt.isoformat(timespec="seconds"),
        "guid": _rendered(f"{site.home}/?p={post_id}"),
        "modified": local.isoformat(timespec="seconds"),
        "modified_gmt": gmt.isoformat(timespec="seconds"),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": post.url,
        "title": _rendered(title_html(post.title)),
        "content": _rendered(post.body_html, False),
        "excerpt": _rendered(f"<p>{_excerpt(post.body_html)}</p>\n", False),
        "author": 1,
        "featured_media": 0,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": {"footnotes": ""},
        "categories": [c.id for c in cats],
        "tags": [t.id for t in tags],
        "class_list": _post_classes(post_id, cats, tags),
        "_links": _post_links(base, post_id),
    }
    if embed is not None:
        item["_embedded"] = _embedded(base, post, embed)
    return item


def _post_links(base: _RestBase, post_id: int) -> dict[str, Any]:
    self_href = base.url(f"/wp/v2/posts/{post_id}")
    return {
        "self": [{"href": self_href, "targetHints": {"allow": ["GET"]}}],
        "collection": [{"href": base.url("/wp/v2/posts")}],
        "about": [{"href": base.url("/wp/v2/types/post")}],
        "author": [{"embeddable": True, "href": base.url("/wp/v2/users/1")}],
        "replies": [{"embeddable": True, "href": base.url("/wp/v2/comments", {"post": post_id})}],
        "version-history": [{"count": 0, "href": base.url(f"/wp/v2/posts/{post_id}/revisions")}],
        "wp:attachment": [{"href": base.url("/wp/v2/media", {"parent": post_id})}],
        "wp:term": [
            {
                "taxonomy": "category",
                "embeddable": True,
                "href": base.url("/wp/v2/categories", {"post": post_id}),
            },
            {"taxonomy": "post_tag", "embeddable": True, "href": base.url("/wp/v2/tags", {"post": post_id})},
        ],
        "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
    }


def core_term(base: _RestBase, term: _Term) -> dict[str, Any]:
    route = "/wp/v2/tags" if term.taxonomy == "post_tag" else "/wp/v2/categories"
    return {
        "id": term.id,
        "count": 1,
        "description": "",
        "link": base.site.term_link(term),
        "name": term.name,
        "slug": term.slug,
        "taxonomy": term.taxonomy,
        "meta": [],
        "_links": {
            "self": [{"href": base.url(f"{route}/{term.id}")}],
            "collection": [{"href": base.url(route)}],
        },
    }


def _embedded(base: _RestBase, post: Post, embed: str) -> dict[str, Any]:
    """``_embed`` (all links) or ``_embed=author,wp:term`` (those only)."""
    wanted = {e.strip() for e in embed.split(",") if e.strip() and e.strip() not in ("1", "true")}
    site = base.site
    out: dict[str, Any] = {
        "author": [
            {
                "code": "rest_user_cannot_view",
                "message": "Sorry, you are not allowed to list users.",
                "data": {"status": 401},
            }
        ]
        if site.opt.get("users_hidden")
        else [_user(base)],
        "wp:term": [
            [_embed_term(core_term(base, c)) for c in site.categories_of(post)],
            [_embed_term(core_term(base, t)) for t in site.tags_of(post)],
        ],
    }
    return {k: v for k, v in out.items() if not wanted or k in wanted}


def _embed_term(term: dict[str, Any]) -> dict[str, Any]:
    return {k: term[k] for k in ("id", "link", "name", "slug", "taxonomy", "_links")}


def _user(base: _RestBase) -> dict[str, Any]:
    name = str(base.site.opt.get("author", "admin"))
    return {
        "id": 1,
        "name": name,
        "url": "",
        "description": "",
        "link": f"{base.site.home}/author/{slugify(name)}/",
        "slug": slugify(name),
        "avatar_urls": {},
        "_links": {"self": [{"href": base.url("/wp/v2/users/1")}]},
    }


def _page_headers(
    base: _RestBase, route: str, request: Request, total: int, pages: int, page: int
) -> list[tuple[str, str]]:
    """``X-WP-Total``, ``X-WP-TotalPages`` and ``Link`` next/prev, as ``WP_REST_Posts_Controller`` does."""
    params = {k: v[0] for k, v in request.query.items() if k not in ("page", "rest_route")}
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    links = []
    if page > 1:
        links.append(f'<{base.url(route, {**params, "page": min(page - 1, max(pages, 1))})}>; rel="prev"')
    if page < pages:
        links.append(f'<{base.url(route, {**params, "page": page + 1})}>; rel="next"')
    if links:
        headers.append(("Link", ", ".join(links)))
    return headers


class _CoreRest:
    """``wp/v2`` routes, written once and served under each base style."""

    def __init__(self, wp: WordPressReplica) -> None:
        self.wp = wp

    def dispatch(self, base: _RestBase, route: str, request: Request) -> Response:
        site = base.site
        if site.opt.get("rest_blocked"):
            self.wp.note("core_blocked", 1)
            return rest_error("rest_not_logged_in", "You are not currently logged in.", 401)
        route = "/" + route.strip("/")
        handlers: list[tuple[str, Callable[..., Response]]] = [
            (r"/", self.index),
            (r"/wp/v2/search", self.search),
            (r"/wp/v2/posts", self.posts),
            (r"/wp/v2/posts/(?P<id>\d+)", self.post),
            (r"/wp/v2/(?P<tax>tags|categories)", self.terms),
            (r"/wp/v2/users/(?P<id>\d+)", self.user),
        ]
        for pattern, handler in handlers:
            match = re.fullmatch(pattern, route)
            if match:
                response = handler(base, request, **match.groupdict())
                response.header("Link", f'<{base.index.rstrip("/")}/>; rel="https://api.w.org/"')
                response.header("X-Robots-Tag", "noindex")
                response.header("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
                return response
        return rest_error("rest_no_route", "No route was found matching the URL and request method.", 404)

    def index(self, base: _RestBase, request: Request) -> Response:
        site = base.site
        return json_response(
            {
                "name": site.blog.title,
                "description": site.blog.description,
                "url": site.home,
                "home": site.home,
                "gmt_offset": site.offset.total_seconds() / 3600,
                "timezone_string": "",
                "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"],
                "authentication": [],
                "routes": {
                    "/wp/v2/posts": {"namespace": "wp/v2", "methods": ["GET"]},
                    "/wp/v2/search": {"namespace": "wp/v2", "methods": ["GET"]},
                },
                "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
            }
        )

    def search(self, base: _RestBase, request: Request) -> Response:
        self.wp.note(f"core_search_{base.style}", request.int_arg("page", 1))
        if _major(str(base.site.opt.get("wp_version", WP_VERSION))) < 5:
            return rest_error("rest_no_route", "No route was found matching the URL and request method.", 404)
        kind = request.arg("type") or "post"
        if kind not in ("post", "term", "post-format"):
            return rest_error("rest_search_invalid_type", "Invalid type parameter.", 400)
        per_page, page = _bounded(request, "per_page", 10, 1, REST_MAX), request.int_arg("page", 1)
        if per_page is None:
            return invalid_param("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
        results = self._search_results(base, request, kind)
        pages = math.ceil(len(results) / per_page)
        if page < 1 or (results and page > pages):
            return rest_error(
                "rest_search_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
                400,
            )
        chunk = results[(page - 1) * per_page : page * per_page]
        return json_response(
            chunk, headers=_page_headers(base, "/wp/v2/search", request, len(results), pages, page)
        )

    def _search_results(self, base: _RestBase, request: Request, kind: str) -> list[dict[str, Any]]:
        query = request.arg("search") or ""
        if kind == "post-format":
            return []
        if kind == "term":
            words = set(search_tokens(query))
            terms = {
                t.id: t for p in base.site.posts for t in base.site.tags_of(p) + base.site.categories_of(p)
            }
            return [
                {
                    "id": t.id,
                    "title": t.name,
                    "url": base.site.term_link(t),
                    "type": "term",
                    "subtype": t.taxonomy,
                    "_links": {
                        "self": [
                            {
                                "embeddable": True,
                                "href": base.url(
                                    f"/wp/v2/{'tags' if t.taxonomy == 'post_tag' else 'categories'}/{t.id}"
                                ),
                            }
                        ]
                    },
                }
                for t in terms.values()
                if words <= set(search_tokens(t.name))
            ]
        subtype = request.arg("subtype") or "any"
        if subtype not in ("any", "post"):
            return []
        return [
            {
                "id": pid(p),
                "title": title_html(p.title),
                "url": p.url,
                "type": "post",
                "subtype": "post",
                "_links": {
                    "self": [{"embeddable": True, "href": base.url(f"/wp/v2/posts/{pid(p)}")}],
                    "about": [{"href": base.url("/wp/v2/types/post")}],
                    "collection": [{"href": base.url("/wp/v2/search")}],
                },
            }
            for p in self.wp.search(base.site, query)
        ]

    def posts(self, base: _RestBase, request: Request) -> Response:
        self.wp.note(f"core_posts_{base.style}", request.int_arg("page", 1))
        per_page, page = _bounded(request, "per_page", 10, 1, REST_MAX), request.int_arg("page", 1)
        if per_page is None:
            return invalid_param("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
        if page < 1:
            return invalid_param("page", "page must be greater than or equal to 1")
        posts = self._filtered(base, request)
        offset = request.int_arg("offset", 0)
        pages = math.ceil(max(0, len(posts) - offset) / per_page)
        if posts and page > pages:
            return rest_error(
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
                400,
            )
        start = offset + (page - 1) * per_page
        embed = request.arg("_embed")
        items = [core_post(base, p, embed) for p in posts[start : start + per_page]]
        return json_response(
            items, headers=_page_headers(base, "/wp/v2/posts", request, len(posts), pages, page)
        )

    def _filtered(self, base: _RestBase, request: Request) -> list[Post]:
        posts = self.wp.search(base.site, request.arg("search") or "")
        include = {int(i) for i in (request.arg("include") or "").split(",") if i.strip().isdigit()}
        if include:
            posts = [p for p in posts if pid(p) in include]
        tag_ids = {int(i) for i in (request.arg("tags") or "").split(",") if i.strip().isdigit()}
        if tag_ids:
            posts = [p for p in posts if tag_ids & {t.id for t in base.site.tags_of(p)}]
        if (request.arg("order") or "desc").lower() == "asc":
            posts = posts[::-1]
        return posts

    def post(self, base: _RestBase, request: Request, id: str) -> Response:
        self.wp.note(f"core_post_{base.style}", 1)
        post = base.site.post_by_id(int(id))
        if post is None:
            return rest_error("rest_post_invalid_id", "Invalid post ID.", 404)
        return json_response(core_post(base, post, request.arg("_embed")))

    def terms(self, base: _RestBase, request: Request, tax: str) -> Response:
        taxonomy = "post_tag" if tax == "tags" else "category"
        post_id = request.arg("post")
        posts = [p for p in base.site.posts if not post_id or pid(p) == int(post_id)]
        found: dict[int, _Term] = {}
        for p in posts:
            for t in base.site.tags_of(p) if taxonomy == "post_tag" else base.site.categories_of(p):
                found[t.id] = t
        items = [core_term(base, t) for t in found.values()]
        return json_response(items, headers=[("X-WP-Total", str(len(items))), ("X-WP-TotalPages", "1")])

    def user(self, base: _RestBase, request: Request, id: str) -> Response:
        if base.site.opt.get("users_hidden") or id != "1":
            return rest_error("rest_user_invalid_id", "Invalid user ID.", 404)
        return json_response(_user(base))


# --- HTML pages, feeds, robots ----------------------------------------------------------------------
def _head(site: _Site, title: str, extra: str = "") -> str:
    api = f"{site.home}/?rest_route=/" if site.plain else f"{site.home}/wp-json/"
    return (
        f'<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(htmllib.unescape(title))} &#8211; {_esc(site.blog.title)}</title>"
        f'<link rel="https://api.w.org/" href="{api}">'
        f'<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{site.home}/xmlrpc.php?rsd">'
        f'<meta name="generator" content="WordPress {WP_VERSION}">{extra}</head>'
    )


def _page(
    site: _Site, title: str, body_class: str, main: str, extra_head: str = "", status: int = 200
) -> Response:
    theme_class = (
        "wp-theme-twentytwentyfour wp-embed-responsive"
        if site.theme == "block"
        else "wp-theme-twentytwentyone"
    )
    markup = (
        f'{_head(site, title, extra_head)}<body class="{body_class} {theme_class}">'
        f'<div id="page" class="site wp-site-blocks"><header class="site-header"><p class="site-title">'
        f'<a href="{site.home}/" rel="home">{_esc(site.blog.title)}</a></p>'
        f'<form role="search" method="get" class="search-form" action="{site.home}/">'
        f'<input type="search" name="s"></form></header>{main}</div></body></html>'
    )
    api = f"{site.home}/?rest_route=/" if site.plain else f"{site.home}/wp-json/"
    return html(markup, status, [("Link", f'<{api}>; rel="https://api.w.org/"')])


def _time(post: Post, css: str) -> str:
    moment = post.published.astimezone(UTC)
    return f'<time class="{css}" datetime="{_iso(moment)}">{moment:%B %-d, %Y}</time>'


def _classic_article(site: _Site, post: Post, full: bool) -> str:
    post_id, tags = pid(post), site.tags_of(post)
    classes = " ".join([*_post_classes(post_id, site.categories_of(post), tags), "entry"])
    heading = (
        f'<h1 class="entry-title">{title_html(post.title)}</h1>'
        if full
        else f'<h2 class="entry-title default-max-width"><a href="{post.url}" rel="bookmark">'
        f"{title_html(post.title)}</a></h2>"
    )
    body = post.body_html if full else f"<p>{_excerpt(post.body_html)}</p>"
    tag_links = ", ".join(f'<a href="{site.term_link(t)}" rel="tag">{_esc(t.name)}</a>' for t in tags)
    cats = ", ".join(
        f'<a href="{site.term_link(c)}" rel="category tag">{_esc(c.name)}</a>'
        for c in site.categories_of(post)
    )
    return (
        f'<article id="post-{post_id}" class="{classes}"><header class="entry-header">{heading}</header>'
        f'<div class="entry-content">{body}</div><footer class="entry-footer default-max-width">'
        f'<span class="posted-on">Published {_time(post, "entry-date published updated")}</span>'
        f'<span class="cat-links">Categorized as {cats}</span>'
        + (f'<span class="tags-links">Tagged {tag_links}</span>' if tags else "")
        + "</footer></article>"
    )


def _block_item(site: _Site, post: Post) -> str:
    post_id = pid(post)
    return (
        f'<li class="wp-block-post post-{post_id} post type-post status-publish format-standard hentry">'
        f'<h2 class="wp-block-post-title has-x-large-font-size"><a href="{post.url}" target="_self">'
        f"{title_html(post.title)}</a></h2>"
        f'<div class="wp-block-post-date">{_time(post, "")}</div>'
        f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
        f"{_excerpt(post.body_html)}</p></div></li>"
    )


def _block_single(site: _Site, post: Post) -> str:
    tags = "".join(f'<a href="{site.term_link(t)}" rel="tag">{_esc(t.name)}</a>' for t in site.tags_of(post))
    return (
        f'<main class="wp-block-group"><h1 class="wp-block-post-title">{title_html(post.title)}</h1>'
        f'<div class="wp-block-post-date">{_time(post, "")}</div>'
        f'<div class="entry-content wp-block-post-content is-layout-constrained">{post.body_html}</div>'
        f'<div class="taxonomy-post_tag wp-block-post-terms">{tags}</div></main>'
    )


class _Html:
    def __init__(self, wp: WordPressReplica) -> None:
        self.wp = wp

    def search_link(self, site: _Site, query: str, page: int = 1, feed: bool = False) -> str:
        if site.plain:
            params = {
                "s": query,
                **({"feed": "rss2"} if feed else {}),
                **({"paged": page} if page > 1 else {}),
            }
            return f"{site.home}/?{urlencode(params)}"
        if feed:
            return f"{site.home}/search/{quote_plus(query)}/feed/rss2/" + (
                f"?paged={page}" if page > 1 else ""
            )
        return f"{site.home}/" + (f"page/{page}/" if page > 1 else "") + f"?s={quote_plus(query)}"

    def search(self, site: _Site, request: Request, query: str, page: int) -> Response:
        self.wp.note("html_search", page)
        per_page = int(site.opt.get("posts_per_page", 10))
        found = self.wp.search(site, query)
        pages = math.ceil(len(found) / per_page)
        feed = (
            f'<link rel="alternate" type="application/rss+xml" title="{_esc(site.blog.title)} &raquo; '
            f'Search Results for &#8220;{_esc(query)}&#8221; Feed" '
            f'href="{_esc(self.search_link(site, query, feed=True))}">'
        )
        if found and page > pages:
            return _page(site, "Page not found", "error404", "<main><h1>Nothing here</h1></main>", status=404)
        chunk = found[(page - 1) * per_page : page * per_page]
        next_url = self.search_link(site, query, page + 1) if page < pages else None
        head = feed + (f'<link rel="next" href="{_esc(next_url)}">' if next_url else "")
        body_class = f"search {'search-results' if found else 'search-no-results'}" + (
            " paged" if page > 1 else ""
        )
        main = (self._block_list if site.theme == "block" else self._classic_list)(
            site, query, chunk, page, pages
        )
        return _page(site, f"Search Results for “{query}”", body_class, main, head)

    def _classic_list(self, site: _Site, query: str, chunk: list[Post], page: int, pages: int) -> str:
        header = (
            f'<header class="page-header"><h1 class="page-title">Results for "<span class="page-description '
            f'search-term">{_esc(query)}</span>"</h1></header>'
        )
        if not chunk:
            return (
                f'<main id="main">{header}<section class="no-results not-found">'
                "<p>Sorry, but nothing matched.</p></section></main>"
            )
        nav = ""
        if pages > 1:
            links: list[str] = []
            if page > 1:
                prev_url = _esc(self.search_link(site, query, page - 1))
                links.append(f'<a class="prev page-numbers" href="{prev_url}">Newer posts</a>')
            links += [
                (
                    f'<span aria-current="page" class="page-numbers current">{n}</span>'
                    if n == page
                    else f'<a class="page-numbers" href="{_esc(self.search_link(site, query, n))}">{n}</a>'
                )
                for n in range(1, pages + 1)
            ]
            if page < pages:
                next_url = _esc(self.search_link(site, query, page + 1))
                links.append(f'<a class="next page-numbers" href="{next_url}">Older posts</a>')
            nav = (
                '<nav class="navigation pagination" aria-label="Posts">'
                f'<div class="nav-links">{"".join(links)}</div></nav>'
            )
        return (
            f'<main id="main">{header}{"".join(_classic_article(site, p, False) for p in chunk)}{nav}</main>'
        )

    def _block_list(self, site: _Site, query: str, chunk: list[Post], page: int, pages: int) -> str:
        title = f'<h1 class="wp-block-query-title">Search results for: &#8220;{_esc(query)}&#8221;</h1>'
        if not chunk:
            return (
                f'<main class="wp-block-group">{title}'
                '<div class="wp-block-query"><p>No results found.</p></div></main>'
            )
        nav = '<nav class="wp-block-query-pagination" aria-label="Pagination">'
        if page > 1:
            prev_url = _esc(self.search_link(site, query, page - 1))
            nav += f'<a href="{prev_url}" class="wp-block-query-pagination-previous">Previous Page</a>'
        if page < pages:
            next_url = _esc(self.search_link(site, query, page + 1))
            nav += f'<a href="{next_url}" class="wp-block-query-pagination-next">Next Page</a>'
        items = "".join(_block_item(site, p) for p in chunk)
        return (
            f'<main class="wp-block-group">{title}<div class="wp-block-query">'
            f'<ul class="wp-block-post-template">{items}</ul>{nav}</nav></div></main>'
        )

    def post_page(self, site: _Site, post: Post) -> Response:
        self.wp.note("post_page", 1)
        head = (
            f'<link rel="canonical" href="{post.url}">'
            f'<link rel="alternate" title="JSON" type="application/json" href="'
            + (
                f"{site.home}/?rest_route=/wp/v2/posts/{pid(post)}"
                if site.plain
                else f"{site.home}/wp-json/wp/v2/posts/{pid(post)}"
            )
            + f'"><link rel="shortlink" href="{site.home}/?p={pid(post)}">'
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_esc(htmllib.unescape(post.title))}">'
            f'<meta property="og:url" content="{post.url}">'
            f'<meta property="article:published_time" content="{_iso(post.published.astimezone(UTC))}">'
        )
        main = (
            _block_single(site, post)
            if site.theme == "block"
            else f'<main id="main">{_classic_article(site, post, True)}</main>'
        )
        body_class = f"post-template-default single single-post postid-{pid(post)} single-format-standard"
        return _page(site, post.title, body_class, main, head)

    def feed(self, site: _Site, query: str, page: int) -> Response:
        self.wp.note("search_feed", page)
        per_page = int(site.opt.get("posts_per_rss", 10))
        chunk = self.wp.search(site, query)[(page - 1) * per_page : page * per_page]
        items = "".join(self._item(site, p) for p in chunk)
        built = chunk[0].published if chunk else datetime(2026, 1, 1, tzinfo=UTC)
        self_url = _esc(self.search_link(site, query, page, feed=True))
        xml = (
            f"{_RSS_OPEN}\n"
            "<channel>\n"
            f"<title>Search Results for &#8220;{_esc(query)}&#8221; &#8211; {_esc(site.blog.title)}</title>\n"
            f'<atom:link href="{self_url}" rel="self" type="application/rss+xml" />\n'
            f"<link>{site.home}</link>\n<description>{_esc(site.blog.description)}</description>\n"
            f"<lastBuildDate>{format_datetime(built.astimezone(UTC))}</lastBuildDate>\n"
            "<language>en-US</language>\n"
            "<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
            "<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
            f"<generator>https://wordpress.org/?v={WP_VERSION}</generator>\n{items}</channel>\n</rss>\n"
        )
        return text(xml, 200, "application/rss+xml; charset=UTF-8")

    def _item(self, site: _Site, post: Post) -> str:
        cats = "".join(
            f"<category>{_cdata(t.name)}</category>" for t in site.categories_of(post) + site.tags_of(post)
        )
        title = _esc(htmllib.unescape(re.sub(r"<[^>]+>", "", post.title)))
        return (
            f"<item>\n<title>{title}</title>\n<link>{_esc(post.url)}</link>\n"
            f"<comments>{_esc(post.url)}#respond</comments>\n"
            f"<dc:creator>{_cdata(str(site.opt.get('author', 'admin')))}</dc:creator>\n"
            f"<pubDate>{format_datetime(post.published.astimezone(UTC))}</pubDate>\n{cats}\n"
            f'<guid isPermaLink="false">{site.home}/?p={pid(post)}</guid>\n'
            f"<description>{_cdata(_excerpt(post.body_html))}</description>\n"
            f"<content:encoded>{_cdata(post.body_html)}</content:encoded>\n"
            f"<wfw:commentRss>{_esc(post.url)}feed/</wfw:commentRss>\n"
            "<slash:comments>0</slash:comments>\n</item>\n"
        )

    def not_found(self, site: _Site) -> Response:
        return _page(
            site,
            "Page not found",
            "error404",
            "<main><h1>Oops! That page can&rsquo;t be found.</h1></main>",
            status=404,
        )


def robots_txt(site: _Site) -> Response:
    """WordPress's virtual robots.txt (``robots_disallow_all``: a site that asks crawlers to stay away)."""
    if site.opt.get("robots_disallow_all"):
        return text("User-agent: *\nDisallow: /\n")
    sitemap = f"{site.home}/?sitemap=index" if site.plain else f"{site.home}/wp-sitemap.xml"
    return text(
        f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {sitemap}\n"
    )


# --- routing on blog hosts ----------------------------------------------------------------------------
_PRETTY_POST = re.compile(r"/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P<slug>[^/]+)/?")
_PRETTY_SEARCH = re.compile(r"/search/(?P<q>[^/]+)(?:/page/(?P<page>\d+))?/?")
_PRETTY_FEED = re.compile(r"/search/(?P<q>[^/]+)/feed(?:/(?:rss2|rss|atom))?/?")
_PAGED = re.compile(r"/page/(?P<page>\d+)/?")


class _BlogHost:
    """Everything served on a WordPress blog's own host."""

    def __init__(self, wp: WordPressReplica, rest: _CoreRest, pages: _Html) -> None:
        self.wp, self.rest, self.pages = wp, rest, pages

    def handle(self, request: Request) -> Response:
        host = request.host.split(":")[0].lower()
        self.wp.paths[(host, request.path)] += 1
        site = self.wp.sites.get(host)
        if site is None:  # an Atomic site's name.wordpress.com alias: REST 301s to the custom domain (§3.1)
            return self._alias(request)
        path = request.path
        if path == "/robots.txt":
            return robots_txt(site)
        if path.startswith("/wp-json"):
            if site.plain:  # no rewrite rules: WordPress's theme 404
                return self.pages.not_found(site)
            return self.rest.dispatch(_RestBase(site, "pretty"), path[len("/wp-json") :], request)
        if path in ("/", "/index.php"):
            return self._query_forms(site, request)
        return self._pretty_forms(site, request, path)

    def _alias(self, request: Request) -> Response:
        site = self.wp.site_by_ref(request.host.split(":")[0])
        if site is None:
            return html("<html><body>Doesn&#8217;t look like there&#8217;s anything here.</body></html>", 404)
        target = f"{site.home}{request.path}" + (f"?{request.query_string}" if request.query_string else "")
        return Response(301, b"", [("Location", target)])

    def _query_forms(self, site: _Site, request: Request) -> Response:
        if request.arg("rest_route") is not None:
            return self.rest.dispatch(_RestBase(site, "plain"), request.arg("rest_route") or "/", request)
        page = max(1, request.int_arg("paged", 1))
        if request.arg("s") is not None:
            query = request.arg("s") or ""
            if request.arg("feed"):
                return self.pages.feed(site, query, page)
            return self.pages.search(site, request, query, page)
        if request.arg("p"):
            post = site.post_by_id(request.int_arg("p", 0))
            if post is None:
                return self.pages.not_found(site)
            if not site.plain:  # canonical redirect to the pretty permalink
                return Response(301, b"", [("Location", post.url)])
            return self.pages.post_page(site, post)
        return self._home(site, page)

    def _pretty_forms(self, site: _Site, request: Request, path: str) -> Response:
        if site.plain:
            return self.pages.not_found(site)
        page_match = _PAGED.fullmatch(path)
        if page_match and request.arg("s") is not None:
            page = int(page_match["page"])
            if request.arg("feed"):
                return self.pages.feed(site, request.arg("s") or "", page)
            return self.pages.search(site, request, request.arg("s") or "", page)
        feed = _PRETTY_FEED.fullmatch(path)
        if feed:
            return self.pages.feed(site, unquote_plus(feed["q"]), max(1, request.int_arg("paged", 1)))
        search = _PRETTY_SEARCH.fullmatch(path)
        if search:
            return self.pages.search(site, request, unquote_plus(search["q"]), int(search["page"] or 1))
        post = _PRETTY_POST.fullmatch(path)
        if post:
            url = f"{site.home}/{post['y']}/{post['m']}/{post['d']}/{post['slug']}/"
            found = next((p for p in site.posts if p.url == url), None)
            if found is not None:
                return self.pages.post_page(site, found)
        if page_match:
            return self._home(site, int(page_match["page"]))
        return self.pages.not_found(site)

    def _home(self, site: _Site, page: int) -> Response:
        per_page = int(site.opt.get("posts_per_page", 10))
        chunk = site.posts[(page - 1) * per_page : page * per_page]
        if page > 1 and not chunk:
            return self.pages.not_found(site)
        main = "".join(
            _classic_article(site, p, False) if site.theme == "classic" else _block_item(site, p)
            for p in chunk
        )
        return _page(site, site.blog.title, "home blog", f"<main>{main}</main>")


def _wpcom_core(wp: WordPressReplica, rest: _CoreRest) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        site = wp.site_by_ref(request.params["domain"])
        if site is None or not site.wpcom:
            return rest_error("unknown_blog", "Unknown blog", 404)
        return rest.dispatch(
            _RestBase(site, "wpcom"), "/wp/v2" + (request.params.get("route") or ""), request
        )

    return handle


def register(router: Router, dataset: Dataset) -> None:
    """Register WordPress.com's public API and every WordPress blog host of ``dataset`` on ``router``."""
    wp = WordPressReplica.build(dataset)
    router.wordpress = wp  # type: ignore[attr-defined]  # tests read the request log here
    api, rest, pages = _WpcomApi(wp), _CoreRest(wp), _Html(wp)
    api_host = re.escape(API_HOST)
    router.add(api_host, r"/rest/v(?P<version>1\.1|1\.2)/read/tags/(?P<tag>[^/]+)/posts/?", api.reader_tag)
    router.add(api_host, r"/rest/v1\.[23]/read/search/?", api.reader_search)
    router.add(api_host, r"/rest/v1\.[12]/sites/(?P<site>[^/]+)/posts/?", api.site_posts)
    router.add(api_host, r"/wp/v2/sites/(?P<domain>[^/]+)(?P<route>/.*)?", _wpcom_core(wp, rest))
    hosts = set(wp.sites)
    hosts |= {
        f"{s.blog.name.lower()}.wordpress.com"
        for s in wp.sites.values()
        if s.blog.kind == "atomic" and "." not in s.blog.name
    }
    if hosts:
        pattern = "(?:" + "|".join(re.escape(h) for h in sorted(hosts)) + ")"
        router.add(pattern, r"/.*", _BlogHost(wp, rest, pages).handle)
