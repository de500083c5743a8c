"""``scrapy crawl tumblr``: Tumblr's API v2 and its JavaScript search page (``../shared/platforms.md`` §0-1).

For each watched title (its name and aliases) the spider walks:

- ``/v2/tagged?tag=`` for each tag phrasing (``before`` = the smallest ``timestamp`` of the page, up to
  ``plan.max_pages``; the response is an ARRAY of posts, unsorted, may overlap: dedupe by ``id_string``);
- ``/v2/timeline/search?query=`` for each query phrasing (``response.timeline.elements`` whose
  ``object_type`` is "post", ``_links.next.href`` cursor paging);
- the rendered ``www.tumblr.com/search/{q}`` page (Chromium, one per title: its results exist only after its
  script ran), whose ``postUrl`` links are followed to the blog's post page (robots.txt honoured);
- ``/v2/blog/{blog}/posts`` of each blog found, following ``_links.next.href`` (``api_key`` appended).

Posts are read in both formats: legacy HTML (text, photo, link, video, quote, chat, answer) and NPF blocks
(text formatting links, link blocks, video URLs, reblog trails). ``LUREWATCH_TUMBLR_ENDPOINTS`` (or
``-a endpoints=tagged,search,render,blog``) limits the endpoints used; ``LUREWATCH_TUMBLR_LIMIT`` is the
API page size.
"""

from __future__ import annotations

import html as htmlmod
import json
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameter

from crawler.links import is_platform_url
from crawler.spiders._base import PlatformSpider
from crawler.spiders.config import TumblrConfig
from pipelines.urls import unwrap
from pipelines.watchlists import Title

__all__ = ["TumblrSpider", "post_html", "post_identity", "post_links", "post_title"]

logger = logging.getLogger(__name__)

API = "https://api.tumblr.com"
WWW = "https://www.tumblr.com"
#: HTTP errors the callbacks read themselves: Tumblr explains them in an ``errors`` envelope.
API_ERRORS = [400, 401, 403, 404, 429]
_POST_PATH = re.compile(r"^/post/(?P<id>\d+)")
_WWW_PERMALINK = re.compile(r"^/(?P<blog>[A-Za-z0-9-]+)/(?P<id>\d{6,})(?:/|$)")


# --- post bodies: plain functions over the API's post objects --------------------------------------------
def _get(obj: dict[str, Any], snake: str, default: Any = None) -> Any:
    """``obj[snake]``, or its camelCase twin (the web API's ``format=camelcase``)."""
    if snake in obj:
        return obj[snake]
    camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), snake)
    return obj.get(camel, default)


def _text_block_html(block: dict[str, Any]) -> str:
    text: str = block.get("text") or ""
    links = sorted(
        (f for f in block.get("formatting") or [] if f.get("type") == "link" and f.get("url")),
        key=lambda f: int(f.get("start", 0)),
    )
    out, pos = [], 0
    for f in links:
        start, end = int(f.get("start", 0)), int(f.get("end", 0))
        if start < pos or end <= start:
            continue
        out += [
            htmlmod.escape(text[pos:start]),
            f'<a href="{htmlmod.escape(f["url"])}">{htmlmod.escape(text[start:end])}</a>',
        ]
        pos = end
    out.append(htmlmod.escape(text[pos:]))
    tag = "h2" if str(block.get("subtype", "")).startswith("heading") else "p"
    return f"<{tag}>{''.join(out)}</{tag}>"


def _npf_html(blocks: Iterable[dict[str, Any]]) -> str:
    """Readable HTML of NPF blocks: text (with formatting links as anchors), link-block titles, image alts."""
    parts: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            parts.append(_text_block_html(block))
        elif kind == "link":
            words = [block.get(k) or "" for k in ("title", "description", "site_name")]
            words = [w for w in words if w]
            parts.append(f"<p>{htmlmod.escape(' '.join(words))}</p>" if words else "")
        elif kind == "image":
            caption = block.get("caption") or _get(block, "alt_text") or ""
            parts.append(f"<p>{htmlmod.escape(caption)}</p>" if caption else "")
    return "".join(parts)


_LEGACY_FIELDS = {
    "text": ("body",),
    "chat": ("body",),
    "photo": ("caption",),
    "link": ("description",),
    "video": ("caption",),
    "audio": ("caption",),
    "quote": ("text", "source"),
    "answer": ("question", "answer"),
}


def post_html(post: dict[str, Any]) -> str:
    """An API post's body as HTML: legacy ``body``/``caption``/... or NPF ``content`` plus reblog trail."""
    if "content" in post and isinstance(post["content"], list):
        trail = [_npf_html(t.get("content") or []) for t in post.get("trail") or [] if isinstance(t, dict)]
        return "".join([*trail, _npf_html(post["content"])])
    fields = _LEGACY_FIELDS.get(str(post.get("type")), ("body", "caption", "description"))
    parts = [str(post.get(name) or "") for name in fields]
    if post.get("type") == "photo":
        parts += [
            f'<img src="{htmlmod.escape(p["original_size"]["url"])}">'
            for p in post.get("photos") or []
            if isinstance(p, dict) and isinstance(p.get("original_size"), dict)
        ]
    return "".join(p if p.lstrip().startswith("<") else f"<p>{p}</p>" for p in parts if p)


def _npf_urls(blocks: Iterable[dict[str, Any]]) -> Iterator[str]:
    for block in blocks:
        kind = block.get("type")
        if kind == "link":
            yield str(block.get("url") or "")
        elif kind == "video":
            yield from (str(_get(block, k) or "") for k in ("url", "embed_url"))
            media = block.get("media")
            if isinstance(media, dict):
                yield str(media.get("url") or "")
        elif kind == "text":
            yield from (
                str(f.get("url") or "") for f in block.get("formatting") or [] if f.get("type") == "link"
            )


def post_links(post: dict[str, Any]) -> list[str]:
    """Outbound URLs a post carries outside its HTML: NPF link/video blocks, legacy link/video URLs."""
    candidates: list[str] = []
    if isinstance(post.get("content"), list):
        candidates += _npf_urls(post["content"])
        for entry in post.get("trail") or []:
            candidates += _npf_urls(entry.get("content") or []) if isinstance(entry, dict) else []
    candidates += [
        str(_get(post, k) or "") for k in ("url", "link_url", "video_url", "permalink_url", "source_url")
    ]
    found: list[str] = []
    for url in (unwrap(c.strip()) for c in candidates):
        if url.startswith(("http://", "https://")) and not is_platform_url(url) and url not in found:
            found.append(url)
    return found


def post_title(post: dict[str, Any]) -> str:
    """The post's title: legacy ``title``, else the first NPF heading, else ``summary``."""
    if post.get("title"):
        return str(post["title"])
    for block in post.get("content") or []:
        if isinstance(block, dict) and str(block.get("subtype", "")).startswith("heading"):
            return str(block.get("text") or "")
    return str(post.get("summary") or "")


def _iso(timestamp: Any) -> str | None:
    try:
        return datetime.fromtimestamp(int(timestamp), UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError):
        return None


def post_identity(post: dict[str, Any]) -> tuple[str, str, str]:
    """``(id, blog name, post URL)`` of an API post; the id from ``id_string`` (the int exceeds 2**53)."""
    post_id = _get(post, "id_string")
    if not post_id:  # the web API's camelCase posts carry the id as a string
        raw = _get(post, "id")
        post_id = "" if raw is None or isinstance(raw, bool) else str(raw)
    blog = _get(post, "blog_name") or (post.get("blog") or {}).get("name") or ""
    return str(post_id), str(blog), str(_get(post, "post_url") or "")


def post_key(post_id: str) -> str:
    """The dedupe key of a post: Tumblr post ids are global, so the id alone names it."""
    return f"https://www.tumblr.com/post/{post_id}"


class TumblrSpider(PlatformSpider):
    """Tumblr: API v2 tag and search timelines, the rendered search page, and per-blog tag listings."""

    name = "tumblr"
    platform = "tumblr"
    endpoints: str = ""  # -a endpoints=tagged,search (wins over LUREWATCH_TUMBLR_ENDPOINTS)
    search_mode: str = "recent"  # newest first: fresh fake-stream posts matter most

    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "DOWNLOAD_SLOTS": {
            # 300 requests/min per IP (platforms.md §1.1); the hourly key quota is left to the 429 backoff
            "api.tumblr.com": {"concurrency": 2, "delay": 0.2},
            # the JavaScript search page: one browser render at a time, politely
            "www.tumblr.com": {"concurrency": 1, "delay": 1.0},
        },
    }

    def _configure(self, crawler: Any) -> None:
        super()._configure(crawler)
        self.api_key = self.credential("TUMBLR_API_KEY")
        config = TumblrConfig.from_settings(crawler.settings, endpoints=self.endpoints)
        self.limit = config.limit
        self.enabled = set(config.endpoints)
        if not self.render_enabled:
            self.enabled.discard("render")
        self._blogs_listed: set[str] = set()
        if not self.api_key:
            logger.error("TUMBLR_API_KEY is not set: only the rendered search page is used")
            self.enabled &= {"render"}

    def _stat(self, name: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"lurewatch/tumblr/{name}", count)

    def _seen(self, post_id: str) -> bool:
        return self.seen_post(post_key(post_id))

    # --- requests --------------------------------------------------------------------------------------
    def search_requests(self, title: Title) -> Iterator[Request]:
        tags = _unique(t for name in title.names for t in self.plan.tags_for(_named(title, name)))
        queries = _unique(q for name in title.names for q in self.plan.queries_for(_named(title, name)))
        if "tagged" in self.enabled:
            yield from (self.tagged_request(tag, title) for tag in tags)
        if "search" in self.enabled:
            yield from (self.search_request(query, title) for query in queries)
        if "render" in self.enabled and queries:  # one render per title: browser pages are expensive
            yield self.render_request((self.plan.queries_for(title) or queries)[0], title)

    def _api(self, path: str, params: dict[str, Any]) -> str:
        return f"{API}{path}?{urlencode({**params, 'api_key': self.api_key}, quote_via=quote)}"

    def _meta(self, endpoint: str, title: Title, search: str, page: int = 1, **extra: Any) -> dict[str, Any]:
        return {
            "lurewatch_endpoint": endpoint,
            "lurewatch_title": title,
            "lurewatch_search": search,
            "lurewatch_page": page,
            "handle_httpstatus_list": API_ERRORS,
            "autothrottle_dont_adjust_delay": True,
            **extra,
        }  # keep the API slot's fixed, polite delay

    def tagged_request(self, tag: str, title: Title, before: int | None = None, page: int = 1) -> Request:
        params: dict[str, Any] = {"tag": tag, "limit": self.limit}
        if before is not None:
            params["before"] = before
        self._stat("requests/tagged")
        return Request(
            self._api("/v2/tagged", params),
            callback=self.parse_tagged,
            errback=self.on_error,
            meta=self._meta("tagged", title, tag, page, lurewatch_before=before),
        )

    def search_request(self, query: str, title: Title) -> Request:
        params = {"query": query, "mode": self.search_mode, "limit": self.limit, "reblog_info": "true"}
        self._stat("requests/search")
        return Request(
            self._api("/v2/timeline/search", params),
            callback=self.parse_search,
            errback=self.on_error,
            meta=self._meta("search", title, query),
        )

    def blog_request(self, blog: str, title: Title, tag: str | None = None) -> Request:
        params: dict[str, Any] = {"npf": "true", "limit": self.limit, **({"tag": tag} if tag else {})}
        self._stat("requests/blog")
        return Request(
            self._api(f"/v2/blog/{quote(blog)}/posts", params),
            callback=self.parse_blog_posts,
            errback=self.on_error,
            meta=self._meta("blog", title, tag or f"blog:{blog}"),
        )

    def render_request(self, query: str, title: Title) -> Request:
        self._stat("requests/render")
        url = f"{WWW}/search/{quote(query, safe='')}/{self.search_mode}"
        meta = {
            "playwright": True,
            "lurewatch_endpoint": "render",
            "lurewatch_title": title,
            "lurewatch_search": query,
        }
        return Request(url, callback=self.parse_search_page, errback=self.on_error, meta=meta)

    def _next_api(self, response: Response, href: str, endpoint: str, callback: Any) -> Request | None:
        """The request for a ``_links.next.href`` (a path without ``api_key``), within ``max_pages``."""
        page = int(response.meta.get("lurewatch_page", 1))
        if not href or page >= self.plan.max_pages:
            return None
        url = urljoin(API, href)
        if "api_key" not in dict(parse_qsl(urlsplit(url).query)):
            url = add_or_replace_parameter(url, "api_key", self.api_key)
        self._stat(f"next_page/{endpoint}")
        self._stat(f"requests/{endpoint}")
        meta = {**response.meta, "lurewatch_page": page + 1}
        return Request(url, callback=callback, errback=self.on_error, meta=meta)

    # --- API responses -----------------------------------------------------------------------------------
    def api_response(self, response: Response) -> Any:
        """The ``response`` of Tumblr's envelope, or ``None`` (logged and counted) for an error envelope."""
        body = self.json(response)
        meta = body.get("meta", {}) if isinstance(body, dict) else {}
        status = int(meta.get("status", response.status) or response.status)
        if response.status == 200 and status == 200 and isinstance(body, dict):
            return body.get("response")
        errors = body.get("errors") if isinstance(body, dict) else None
        first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        self._stat(f"api_error/{response.status}")
        logger.warning(
            "Tumblr API error %s on %s: %s (code %s: %s)",
            response.status,
            response.meta.get("lurewatch_endpoint"),
            meta.get("msg", ""),
            first.get("code"),
            first.get("detail", ""),
            extra={"spider": self},
        )
        return None

    async def parse_tagged(self, response: Response) -> AsyncIterator[Any]:
        posts = self.api_response(response)
        if not isinstance(posts, list):
            return
        self._stat("page/tagged")
        for post in posts:
            if isinstance(post, dict):
                async for out in self.handle_post(post, response):
                    yield out
        stamps = [
            int(p["timestamp"])
            for p in posts
            if isinstance(p, dict) and str(p.get("timestamp", "")).isdigit()
        ]
        before = response.meta.get("lurewatch_before")
        page = int(response.meta["lurewatch_page"])
        # next page: older than the oldest post seen; stop when a page brings nothing older (no progress)
        if stamps and page < self.plan.max_pages and (before is None or min(stamps) < before):
            self._stat("next_page/tagged")
            yield self.tagged_request(
                response.meta["lurewatch_search"], response.meta["lurewatch_title"], min(stamps), page + 1
            )

    async def parse_search(self, response: Response) -> AsyncIterator[Any]:
        data = self.api_response(response)
        timeline = _get(data, "timeline") if isinstance(data, dict) else None
        if not isinstance(timeline, dict):
            return
        self._stat("page/search")
        for element in timeline.get("elements") or []:
            if not isinstance(element, dict) or _get(element, "object_type") != "post":
                self._stat("elements_skipped")
                continue
            async for out in self.handle_post(element, response):
                yield out
        links = timeline.get("_links") or timeline.get("links") or {}
        nxt = self._next_api(response, (links.get("next") or {}).get("href", ""), "search", self.parse_search)
        if nxt is not None:
            yield nxt

    async def parse_blog_posts(self, response: Response) -> AsyncIterator[Any]:
        data = self.api_response(response)
        if not isinstance(data, dict):
            return
        self._stat("page/blog")
        for post in data.get("posts") or []:
            if isinstance(post, dict):
                async for out in self.handle_post(post, response, expand=False):
                    yield out
        href = ((data.get("_links") or {}).get("next") or {}).get("href", "")
        nxt = self._next_api(response, href, "blog", self.parse_blog_posts)
        if nxt is not None:
            yield nxt

    async def handle_post(
        self, post: dict[str, Any], response: Response, expand: bool = True
    ) -> AsyncIterator[Any]:
        """One API post (any endpoint, legacy or NPF): its hit once, then its blog's tag listings once."""
        post_id, blog, url = post_identity(post)
        if not post_id or not url:
            self._stat("posts/malformed")
            return
        if expand and "blog" in self.enabled and blog:
            for request in self._blog_expansion(blog, response.meta["lurewatch_title"]):
                yield request
        if not self.claim_post(post_key(post_id)):
            return
        hit = self.make_hit(
            url=url,
            blog=urlsplit(url).hostname or blog,
            title=post_title(post),
            html=post_html(post),
            published=_iso(post.get("timestamp")),
            tags=[str(t) for t in post.get("tags") or []],
            post_id=post_id,
            search=response.meta.get("lurewatch_search"),
            extra_links=post_links(post),
        )
        yield await self.complete_hit(hit)

    def _blog_expansion(self, blog: str, title: Title) -> Iterator[Request]:
        """A blog found by a search is listed once, newest first, for ``max_pages`` pages.

        Not per title tag: a blog that posts one fake stream posts many titles, and its per-title tag
        listings hold a post or two (the global tag and search walks already cover those).
        """
        if blog in self._blogs_listed:
            return
        self._blogs_listed.add(blog)
        yield self.blog_request(blog, title)

    # --- the rendered search page and blog post pages -----------------------------------------------------
    async def parse_search_page(self, response: Response) -> AsyncIterator[Any]:
        """Result links of the rendered search page (and of its initial state, if the server embedded any)."""
        self._stat("page/render")
        urls = response.css("a::attr(href)").getall() + _state_post_urls(response.text)
        for url in _unique(response.urljoin(u) for u in urls):
            request = self.result_request(
                url, response.meta["lurewatch_title"], response.meta["lurewatch_search"]
            )
            if request is not None:
                yield request

    def result_request(self, url: str, title: Title, search: str) -> Request | None:
        """Follow one search result: the blog's post page, or the API for ``www.tumblr.com/{blog}/{id}``."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        www = _WWW_PERMALINK.match(parts.path) if host == "www.tumblr.com" else None
        match = www or (
            _POST_PATH.match(parts.path) if host not in ("www.tumblr.com", "tumblr.com") else None
        )
        if match is None:
            return None
        post_id = match["id"]
        self._stat("rendered_results")
        if self._seen(post_id):
            self._stat("rendered_results/known")
            return None
        meta = {
            "lurewatch_endpoint": "post_page",
            "lurewatch_title": title,
            "lurewatch_search": search,
            "lurewatch_post_id": post_id,
        }
        if www is not None and self.api_key:
            return Request(
                self._api(f"/v2/blog/{www['blog']}/posts", {"id": post_id, "npf": "true"}),
                callback=self.parse_blog_posts,
                errback=self.on_error,
                meta={**self._meta("blog", title, search), "lurewatch_page": self.plan.max_pages},
            )
        return Request(url, callback=self.parse_post_page, errback=self.on_error, meta=meta)

    async def parse_post_page(self, response: Response) -> AsyncIterator[Any]:
        """A blog's theme page for one post (themes vary: OpenGraph first, then common markup)."""
        post_id = str(response.meta["lurewatch_post_id"])
        if (
            not isinstance(response, TextResponse)
            or response.status != 200
            or not self.claim_post(post_key(post_id))
        ):
            return
        self._stat("page/post_page")
        sel = response.selector
        body = (
            sel.css("article .body, article .post-body, article .post-content").get()
            or sel.css("article").get()
            or ""
        )
        title = (
            sel.css('meta[property="og:title"]::attr(content)').get()
            or sel.css("article h2::text").get()
            or sel.css("title::text").get()
            or ""
        )
        tags = [t.strip().lstrip("#") for t in sel.css('a[href*="/tagged/"]::text').getall() if t.strip()]
        published = sel.css("time::attr(datetime)").get()
        hit = self.make_hit(
            url=response.url,
            blog=urlsplit(response.url).hostname or "",
            title=title,
            html=body,
            published=published,
            tags=tags,
            post_id=post_id,
            search=response.meta.get("lurewatch_search"),
        )
        yield await self.complete_hit(hit)

    def on_error(self, failure: Failure) -> None:
        """Failed requests (robots.txt, timeouts, retries exhausted): logged, counted, crawl goes on."""
        request = failure.request  # type: ignore[attr-defined]
        reason = type(failure.value).__name__
        self._stat(f"failed/{request.meta.get('lurewatch_endpoint', 'other')}/{reason}")
        logger.info("Tumblr request failed (%s): %s", reason, request.url, extra={"spider": self})


def _named(title: Title, name: str) -> Title:
    return title if name == title.title else Title(title=name, year=title.year)


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


_STATE = re.compile(r'<script[^>]+id="___INITIAL_STATE___"[^>]*>(.*?)</script>', re.S)


def _state_post_urls(page: str) -> list[str]:
    """``postUrl`` values in the page's ``___INITIAL_STATE___`` (none when results are script-built)."""
    match = _STATE.search(page)
    if not match:
        return []
    try:
        state = json.loads(htmlmod.unescape(match.group(1)) if "&quot;" in match.group(1) else match.group(1))
    except ValueError:
        return []
    found: list[str] = []
    stack: list[Any] = [state]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            url = node.get("postUrl")
            if isinstance(url, str):
                found.append(url)
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return found
