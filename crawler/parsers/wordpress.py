"""WordPress's answers as plain data: Reader and v1.1 posts, core REST, feeds and theme pages.

The forms read here (``../shared/platforms.md`` §2-3): WordPress.com Reader and sites API posts
(v1.1/v1.2), core REST ``wp/v2`` posts (tags through ``_embed=wp:term``), RSS 2.0 feeds
(``content:encoded``), permalink and ``/?s=`` search pages of classic and block themes, and the
paging signals of each (``Link`` headers, ``page_handle``, ``date_range``, ``offset``). Also the
URLs of each endpoint, and the ladder of core REST bases a site is tried on.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from parsel import Selector
from w3lib.url import add_or_replace_parameter, add_or_replace_parameters

from crawler.parsers._common import PostFields, single_spaced, utc_isoformat

__all__ = [
    "API",
    "SiteRef",
    "clean_title",
    "core_next_url",
    "core_post_fields",
    "error_code",
    "feed_page_url",
    "html_search_url",
    "is_post_permalink",
    "is_wordpress_page",
    "parse_feed",
    "parse_link_header",
    "parse_post_page",
    "reader_next_url",
    "reader_search_url",
    "reader_tag_url",
    "rest_url",
    "search_feed_url",
    "search_result_links",
    "self_href",
    "site_feed_url",
    "tag_slug",
    "to_utc_iso",
    "wpcom_post_fields",
    "wpcom_posts_url",
    "wpcom_search_url",
]

API = "https://public-api.wordpress.com"
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_NOT_WORD = re.compile(r"[^\w]+")
# no run may cross the next "<" (or, in a parameter, a quote): an attempt stops where the next one
# starts, so "<<<<..." or an unclosed "<" costs linear work, not a rescan per "<"
_TAG = re.compile(r"<[^<>]+>")
_LINK_VALUE = re.compile(r'<([^<>]*)>\s*;\s*([^,"]*(?:"[^"]*"[^,"]*)*)')
_LINK_REL = re.compile(r'rel\s*=\s*"?([^";]+)"?')
_GUID_ID = re.compile(r"[?&]p=(\d+)")
_BODY_POST_ID = re.compile(r"\bpostid-(\d+)\b")
_PAGED = re.compile(r"[?&]paged=\d+")
#: Links with ``rel="tag"`` that are no category links: a theme's tag list.
_TAG_XPATH = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')"
    " and not(contains(concat(' ', normalize-space(@rel), ' '), ' category '))]"
)
_RESULT_LINKS = (
    "h2.entry-title a[rel~=bookmark]::attr(href), .entry-title a::attr(href), "
    "h2.wp-block-post-title a::attr(href), .wp-block-post-title a::attr(href)"
)
_NEXT_LINK = (
    "a.next.page-numbers::attr(href), a.wp-block-query-pagination-next::attr(href), "
    'link[rel="next"]::attr(href)'
)
_FEED_LINKS = 'link[rel="alternate"][type="application/rss+xml"]::attr(href)'


def tag_slug(tag: str) -> str:
    """The WordPress.com tag slug of a phrasing (``"Iron Man 3 full movie"`` →
    ``iron-man-3-full-movie``)."""
    return _NOT_WORD.sub("-", tag.casefold()).strip("-_")


def clean_title(title: str) -> str:
    """A rendered WordPress title as plain text: tags stripped, entities decoded, whitespace
    collapsed."""
    return single_spaced(htmllib.unescape(_TAG.sub("", title or "")))


def _parse_date(value: str) -> datetime | None:
    """ISO 8601 (``Z`` allowed), else RFC 822; ``None`` if neither."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def to_utc_iso(value: str | None, assume_utc: bool = True) -> str | None:
    """ISO 8601 in UTC from WordPress's date forms (``2024-05-01T10:34:56`` GMT, ``…+02:00``,
    RFC 822); a time without zone is UTC if ``assume_utc``, else ``None``."""
    if not value:
        return None
    moment = _parse_date(value.strip())
    if moment is None:
        return None
    if moment.tzinfo is None:
        if not assume_utc:
            return None
        moment = moment.replace(tzinfo=UTC)
    return utc_isoformat(moment)


def parse_link_header(value: str) -> dict[str, str]:
    """``Link: <url>; rel="next", <url>; rel="prev"`` → ``{"next": url, "prev": url}``."""
    links: dict[str, str] = {}
    for match in _LINK_VALUE.finditer(value or ""):
        rel = _LINK_REL.search(match.group(2))
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name, match.group(1))
    return links


def _terms_from_embed(post: dict[str, Any], taxonomy: str = "post_tag") -> list[str]:
    """The names of the ``_embedded["wp:term"]`` terms of ``taxonomy``."""
    groups = (post.get("_embedded") or {}).get("wp:term") or []
    names = []
    for group in groups:
        if not isinstance(group, list):
            continue
        for term in group:
            if isinstance(term, dict) and term.get("taxonomy") == taxonomy and term.get("name"):
                names.append(term["name"])
    return names


def _rendered(value: Any) -> str:
    """A core REST field: ``{"rendered": ...}`` or a plain value."""
    if isinstance(value, dict):
        return str(value.get("rendered") or "")
    return str(value or "")


def core_post_fields(post: dict[str, Any]) -> PostFields:
    """The hit fields of a ``wp/v2/posts`` object (tag names need ``_embed``; absent tags stay
    empty)."""
    published = to_utc_iso(post.get("date_gmt")) or to_utc_iso(post.get("date"))
    return {
        "url": str(post.get("link") or ""),
        "title": clean_title(_rendered(post.get("title"))),
        "html": _rendered(post.get("content")),
        "published": published,
        "tags": _terms_from_embed(post),
        "post_id": str(post.get("id") or ""),
    }


def wpcom_post_fields(post: dict[str, Any]) -> PostFields:
    """The hit fields of a WordPress.com v1.1 post (tags are an object keyed by tag name)."""
    tags = post.get("tags") or {}
    names = []
    if isinstance(tags, dict):
        names = [str(tag.get("name") or key) for key, tag in tags.items()]
    return {
        "url": str(post.get("URL") or ""),
        "title": clean_title(str(post.get("title") or "")),
        "html": str(post.get("content") or ""),
        "published": to_utc_iso(post.get("date")),
        "tags": names,
        "post_id": str(post.get("ID") or ""),
    }


def _feed_item(item: Selector) -> PostFields:
    guid = item.xpath("guid/text()").get() or ""
    post_id = _GUID_ID.search(guid)
    categories = item.xpath("category/text()").getall()
    return {
        "url": (item.xpath("link/text()").get() or "").strip(),
        "title": clean_title(item.xpath("title/text()").get() or ""),
        "html": item.xpath("content:encoded/text()").get() or "",
        "published": to_utc_iso(item.xpath("pubDate/text()").get()),
        "tags": [category.strip() for category in categories if category.strip()],
        "post_id": post_id.group(1) if post_id else None,
    }


def parse_feed(xml: str) -> list[PostFields]:
    """RSS 2.0 items as hit fields (``html`` from ``content:encoded``, empty in an excerpt-only
    feed; categories as tags)."""
    selector = Selector(text=xml, type="xml")
    selector.register_namespace("content", _CONTENT_NS)
    return [_feed_item(item) for item in selector.xpath("//channel/item")]


def parse_post_page(page: str) -> PostFields:
    """Hit fields of a post permalink page, classic or block theme (``url`` from
    ``rel=canonical``)."""
    sel = Selector(text=page)
    title = (
        sel.css("h1.entry-title, h1.wp-block-post-title").xpath("string()").get()
        or sel.css('meta[property="og:title"]::attr(content)').get()
        or sel.css("title::text").get()
        or ""
    )
    published = (
        sel.css('meta[property="article:published_time"]::attr(content)').get()
        or sel.css("time.published::attr(datetime), time::attr(datetime)").get()
    )
    tag_texts = sel.xpath(_TAG_XPATH).xpath("string()").getall()
    tags = [single_spaced(text) for text in tag_texts if text.strip()]
    post_id = _BODY_POST_ID.search(sel.css("body::attr(class)").get() or "")
    return {
        "url": sel.css('link[rel="canonical"]::attr(href)').get() or "",
        "title": clean_title(title),
        "html": sel.css("div.entry-content, div.wp-block-post-content").get() or "",
        "published": to_utc_iso(published, assume_utc=False),
        "tags": list(dict.fromkeys(tags)),
        "post_id": post_id.group(1) if post_id else None,
    }


def search_result_links(page: str, base_url: str) -> tuple[list[str], str | None, str | None]:
    """A ``/?s=`` page: post permalinks, the next page (theme link or ``rel=next``), the search
    feed URL."""
    sel = Selector(text=page, base_url=base_url)
    hrefs = sel.css(_RESULT_LINKS).getall()
    links = list(dict.fromkeys(_join(base_url, href) for href in hrefs))
    nxt = sel.css(_NEXT_LINK).get()
    feeds = sel.css(_FEED_LINKS).getall()
    feed = next((f for f in feeds if "search" in f or "s=" in f), None)
    next_url = _join(base_url, nxt) if nxt else None
    feed_url = _join(base_url, feed) if feed else None
    return links, next_url, feed_url


def _join(base: str, href: str) -> str:
    return urljoin(base, htmllib.unescape(href.strip()))


@dataclass(frozen=True)
class SiteRef:
    """A WordPress site to search: its host, and whether WordPress.com hosts it (native API
    known)."""

    host: str
    wpcom: bool = False
    site_id: str = ""

    @classmethod
    def from_reader(cls, post: dict[str, Any]) -> SiteRef | None:
        """The site of a Reader post (``is_external``: a followed self-hosted feed)."""
        host = urlsplit(str(post.get("site_URL") or post.get("URL") or "")).hostname
        if not host:
            return None
        external = bool(post.get("is_external"))
        site_id = str(post.get("site_ID") or "")
        if external or site_id == "0":
            site_id = ""
        return cls(host.lower(), wpcom=not external, site_id=site_id)

    @classmethod
    def from_setting(cls, value: str) -> SiteRef:
        """A site of ``LUREWATCH_WORDPRESS_SITES`` (a host or a URL)."""
        host = urlsplit(value if "//" in value else f"https://{value}").hostname or value
        return cls(host.lower(), wpcom=host.lower().endswith(".wordpress.com"))

    def rest_bases(self) -> list[str]:
        """The core REST bases tried in order: ``/wp-json``, ``/?rest_route=`` (plain permalinks,
        blocked ``/wp-json/``) and, for WordPress.com sites, the public API's ``wp/v2``."""
        bases = [f"https://{self.host}/wp-json", f"https://{self.host}/?rest_route="]
        if self.wpcom:
            bases.append(f"{API}/wp/v2/sites/{self.host}")
        return bases


def rest_url(base: str, route: str, params: dict[str, Any]) -> str:
    """``route`` (``/wp/v2/search``) under a base; ``?rest_route=`` bases take the route as a
    parameter."""
    query = urlencode(params)
    if base.endswith("rest_route="):
        url = f"{base}{quote(route, safe='/')}"
        return f"{url}&{query}" if query else url
    if base.startswith(f"{API}/wp/v2/sites/"):
        route = route.removeprefix("/wp/v2")
    url = f"{base}{route}"
    return f"{url}?{query}" if query else url


def error_code(data: Any) -> str:
    """The code of an error body (``{"code", ...}`` core, ``{"error", ...}`` WordPress.com)."""
    if isinstance(data, dict):
        return str(data.get("code") or data.get("error") or "unknown")
    return "not_json"


def reader_tag_url(tag: str, number: int) -> str:
    """The Reader's v1.2 tag stream of ``tag`` (by slug)."""
    return f"{API}/rest/v1.2/read/tags/{quote(tag_slug(tag))}/posts?number={number}"


def reader_search_url(query: str, number: int) -> str:
    """The Reader's relevance search for ``query``, first page."""
    params = {"q": query, "sort": "relevance", "number": number, "offset": 0}
    return f"{API}/rest/v1.2/read/search?{urlencode(params)}"


def reader_next_url(
    url: str, data: dict[str, Any], count: int, number: int, page: int
) -> str | None:
    """The Reader page after ``page`` (``count`` posts of ``number`` asked): ``page_handle``,
    else ``before = date_range.after``, else ``offset``; ``None`` at the end."""
    if not count:
        return None
    handle = (data.get("meta") or {}).get("next_page") or data.get("next_page")
    if handle:
        return add_or_replace_parameter(url, "page_handle", str(handle))
    date_range = data.get("date_range")
    if isinstance(date_range, dict) and date_range.get("after"):
        if count < number:
            return None
        return add_or_replace_parameter(url, "before", str(date_range["after"]))
    if "offset=" in url and count >= number:
        return add_or_replace_parameter(url, "offset", str(page * number))
    return None


def wpcom_search_url(site: SiteRef, query: str, number: int, page_handle: str | None) -> str:
    """The WordPress.com sites API search of one site (by id when the Reader gave one)."""
    params: dict[str, Any] = {"search": query, "number": number}
    if page_handle:
        params["page_handle"] = page_handle
    return f"{API}/rest/v1.1/sites/{quote(site.site_id or site.host)}/posts/?{urlencode(params)}"


def wpcom_posts_url(site: SiteRef, number: int, page_handle: str | None) -> str:
    """The WordPress.com sites API listing of one site's recent posts (blog expansion)."""
    params: dict[str, Any] = {"number": number}
    if page_handle:
        params["page_handle"] = page_handle
    return f"{API}/rest/v1.1/sites/{quote(site.site_id or site.host)}/posts/?{urlencode(params)}"


_GENERATOR = re.compile(r"""<meta[^>]+name=["']generator["'][^>]+content=["']WordPress""", re.I)
_API_LINK = re.compile(r"""<link[^>]+rel=["']https://api\.w\.org/["']""", re.I)
_PERMALINK = re.compile(r"^/\d{4}/\d{2}/(?:\d{2}/)?[^/]+/?$")


def is_wordpress_page(page: str) -> bool:
    """True for a page WordPress served: its generator meta or its REST API discovery link."""
    head = page[:20_000]
    return bool(_GENERATOR.search(head) or _API_LINK.search(head))


def is_post_permalink(url: str) -> bool:
    """True for a WordPress post URL: a dated permalink or a plain ``/?p=N`` one."""
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return re.fullmatch(r"p=\d+", parts.query) is not None
    return _PERMALINK.match(parts.path) is not None


def site_feed_url(host: str) -> str:
    """A site's main feed (whole posts in ``content:encoded`` on most sites): ``/feed/``."""
    return f"https://{host}/feed/"


def self_href(item: dict[str, Any]) -> str | None:
    """The ``_links.self[0].href`` of a ``wp/v2/search`` result (the post's REST URL)."""
    links = (item.get("_links") or {}).get("self") or [{}]
    href: str | None = links[0].get("href")
    return href


def core_next_url(url: str, link_header: str, total_pages: str, page: int) -> str | None:
    """The core REST page after ``page``: ``Link rel=next``, else ``page + 1`` while below
    ``X-WP-TotalPages`` (``total_pages``, read only without a next link)."""
    links = parse_link_header(link_header)
    if "next" in links:
        return links["next"]
    if page < int(total_pages or 0):
        return add_or_replace_parameter(url, "page", str(page + 1))
    return None


def html_search_url(host: str, query: str) -> str:
    """The theme's search page ``/?s=``."""
    return f"https://{host}/?{urlencode({'s': query})}"


def search_feed_url(host: str, query: str) -> str:
    """The search feed when the search page names none: ``/?s=<q>&feed=rss2``."""
    return f"https://{host}/?{urlencode({'s': query, 'feed': 'rss2'})}"


def feed_page_url(url: str, page: int) -> str:
    """Page ``page`` of a feed (``paged=N``; the first page is the feed itself)."""
    if page > 1:
        return add_or_replace_parameters(url, {"paged": str(page)})
    return url


def feed_base(url: str) -> str:
    """A feed URL without its ``paged=N``."""
    return _PAGED.sub("", url)
