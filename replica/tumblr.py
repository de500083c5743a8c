"""Replica of Tumblr (``../shared/platforms.md`` §0-1): API v2, web search API and page, blog theme pages.

Hosts served:

- ``api.tumblr.com``: ``/v2/tagged`` (response = an ARRAY of posts, ``before`` paging), ``/v2/blog/{id}/posts
  [/{type}]`` (``_links.next.href`` without ``api_key``, absent on the last page), ``/v2/blog/{id}/info``,
  ``/v2/timeline/search`` (``response.timeline.elements`` + ``_links.next``, cursor paging). ``api_key``
  (or an OAuth2 bearer) is required: a missing or blank key gets the real 401 envelope. Every
  ``rate_limit_every``-th request of an ``api_key`` is answered 429 "Limit Exceeded" with Tumblr's rate-limit
  headers (deterministic, no clock), so clients' backoff is exercised.
- ``www.tumblr.com``: ``/search/{q}[/{mode}[/{type}]]``, a React-like page whose initial HTML has NO results
  (a script fetches ``/api/v2/timeline/search`` with the page's bearer token and renders ``postUrl`` links);
  that web API (camelCase with ``Accept: application/json;format=camelcase``); ``/robots.txt``.
- ``{blog}.tumblr.com`` (and custom hosts): theme HTML ``/``, ``/page/{n}``, ``/post/{id}[/{slug}]``,
  ``/tagged/{tag}[/page/{n}]``, ``/rss``, ``/tagged/{tag}/rss``, ``/robots.txt`` (``Disallow: /`` for blogs
  hidden from search: ``Blog.options["robots_disallow_all"]``).
- ``t.umblr.com/redirect?z=<url>&t=<sig>``: 302 to ``z`` (an interstitial page when the signature is wrong).

Posts come in both formats: legacy (text/photo/link/video with ``body``/``caption``/``photos``/``url``) and
NPF (``content`` blocks with formatting links, link and video blocks, ``layout``, ``trail``), selected by
``npf=true`` as on the real API; posts authored in NPF (``Post.post_format == "npf"``) put stand-alone links
in link blocks. Outbound links in HTML and text formatting are wrapped in ``t.umblr.com/redirect``. Ids are
JSON ints beyond 2**53 beside ``id_string``. :attr:`TumblrReplica.log` records every request for tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html as htmlmod
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from replica.dataset import Blog, Dataset, Post
from replica.http import Request, Response, Router, html, json_response, text

__all__ = ["TumblrConfig", "TumblrReplica", "html_to_npf", "register", "wrap_link"]

API = r"api\.tumblr\.com"
WWW = r"www\.tumblr\.com"
REDIRECTOR = r"t\.umblr\.com"
_SECRET = b"lurewatch-replica"
_TUMBLR_HOSTS = ("tumblr.com", "tmblr.co", "umblr.com")


@dataclass
class TumblrConfig:
    """Knobs of the replica's Tumblr (limits per route as in platforms.md §1.8)."""

    tagged_limit: int = 20
    posts_limit: int = 20
    search_limit: int = 50
    web_search_limit: int = 20
    rate_limit_every: int = 40  # every Nth API request of one api_key gets a 429 (0 = never)
    rate_limit_reset: int = 1  # X-Ratelimit-Perhour-Reset (seconds) sent with that 429
    theme_page_size: int = 10
    # the bearer token the search page embeds for its script
    web_token: str = "replica-web-token"  # noqa: S105 - a fake token of the offline replica


@dataclass
class LoggedRequest:
    """One request the replica's Tumblr answered (tests assert pagination and keys on these)."""

    endpoint: str
    host: str
    path: str
    query: dict[str, str]
    status: int = 200
    count: int = 0  # posts (or timeline elements of type post) in the response
    has_next: bool = False


# --- small helpers -----------------------------------------------------------------------------------------
def _b64(obj: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def _order_key(text: str) -> str:
    """A stable pseudo-random sort key (a digest used for ordering, not for security)."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _unb64(token: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"bad page token {token!r}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"bad page token {token!r}")
    return data


def _sig(url: str) -> str:
    digest = hmac.new(_SECRET, url.encode(), hashlib.sha256).hexdigest()[:40]
    return base64.b64encode(f"{digest},{digest[:8]}".encode()).decode()


def _is_tumblr_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _TUMBLR_HOSTS)


def wrap_link(url: str, post: Post | None = None) -> str:
    """``url`` as Tumblr rewrites outbound links: ``https://t.umblr.com/redirect?z=...&t=...``."""
    if not url.startswith(("http://", "https://")) or _is_tumblr_url(url):
        return url
    wrapped = f"https://t.umblr.com/redirect?z={quote(url, safe='')}&t={quote(_sig(url), safe='')}"
    if post is not None:
        wrapped += f"&b={quote(_uuid(post.blog), safe='')}&p={quote(post.url, safe='')}&m=1"
    return wrapped


_HREF = re.compile(r'(<a\b[^>]*?\bhref=)(["\'])(.*?)\2', re.I | re.S)


def unwrap(url: str) -> str:
    """The target of a ``t.umblr.com/redirect`` link (the wrapper the replica writes), else ``url``."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() != "t.umblr.com" or not parts.path.startswith("/redirect"):
        return url
    target = parse_qs(parts.query).get("z")
    if target and target[0].startswith(("http://", "https://")):
        return unwrap(target[0])
    return url


def wrap_html(markup: str, post: Post | None = None) -> str:
    """Every outbound ``<a href>`` of ``markup`` wrapped in ``t.umblr.com/redirect``."""

    def sub(m: re.Match[str]) -> str:
        url = htmlmod.unescape(m.group(3))
        return f"{m.group(1)}{m.group(2)}{htmlmod.escape(wrap_link(url, post), quote=True)}{m.group(2)}"

    return _HREF.sub(sub, markup)


def _uuid(blog: Blog) -> str:
    if blog.blog_id:
        return blog.blog_id if blog.blog_id.startswith("t:") else f"t:{blog.blog_id}"
    digest = hashlib.sha256(blog.name.encode()).digest()[:16]
    return "t:" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _tag_key(tag: str) -> str:
    return " ".join(tag.replace("-", " ").replace("+", " ").casefold().split())


def _gmt(post: Post) -> str:
    return post.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S GMT")


def _hidden(blog: Blog) -> bool:
    return bool(blog.options.get("robots_disallow_all") or blog.options.get("hidden_from_search"))


# --- HTML -> NPF ----------------------------------------------------------------------------------------
_BLOCK_TAGS = {
    "p": None,
    "div": None,
    "h1": "heading1",
    "h2": "heading2",
    "h3": "heading2",
    "h4": "heading2",
    "blockquote": "quote",
    "li": "unordered-list-item",
    "pre": "chat",
    "section": None,
    "article": None,
}
_INLINE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "del": "strikethrough",
    "small": "small",
    "a": "link",
}


class _NpfBuilder(HTMLParser):
    """Turns a post body's HTML into NPF content blocks (text with formatting, image, video)."""

    def __init__(self, post: Post | None) -> None:
        super().__init__(convert_charrefs=True)
        self.post = post
        self.blocks: list[dict[str, Any]] = []
        self._text = ""
        self._formatting: list[dict[str, Any]] = []
        self._open: list[tuple[str, int, dict[str, Any]]] = []
        self._subtype: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._subtype = _BLOCK_TAGS[tag] or self._subtype
        elif tag == "br":
            self._text += "\n"
        elif tag == "img" and a.get("src"):
            self._flush()
            self.blocks.append(
                {
                    "type": "image",
                    "media": [{"url": a["src"], "type": "image/jpeg", "width": 540, "height": 405}],
                    "alt_text": a.get("alt", ""),
                }
            )
        elif tag in ("iframe", "video", "source") and a.get("src"):
            self._flush()
            self.blocks.append(_video_block(a["src"]))
        elif tag in _INLINE:
            extra = {"url": wrap_link(a.get("href", ""), self.post)} if tag == "a" else {}
            if tag != "a" or a.get("href"):
                self._open.append((tag, len(self._text), extra))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag in _INLINE:
            for i in range(len(self._open) - 1, -1, -1):
                name, start, extra = self._open[i]
                if name == tag:
                    del self._open[i]
                    if len(self._text.rstrip()) > start:
                        self._formatting.append(
                            {"start": start, "end": len(self._text.rstrip()), "type": _INLINE[tag], **extra}
                        )
                    break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        data = re.sub(r"\s+", " ", data)
        if not self._text or self._text.endswith(("\n", " ")):
            data = data.lstrip()
        self._text += data

    def _flush(self) -> None:
        content = self._text.rstrip()
        lead = len(content) - len(content.lstrip())
        if content.strip():
            block: dict[str, Any] = {"type": "text", "text": content[lead:]}
            if self._subtype:
                block["subtype"] = self._subtype
            fmts = [
                {**f, "start": max(0, f["start"] - lead), "end": min(len(content), f["end"]) - lead}
                for f in self._formatting
                if f["start"] < len(content)
            ]
            if fmts:
                block["formatting"] = sorted(fmts, key=lambda f: (f["start"], f["end"]))
            self.blocks.append(block)
        self._text, self._formatting, self._subtype = "", [], None
        self._open = [(n, 0, e) for n, _s, e in self._open]

    def close(self) -> None:
        super().close()
        self._flush()


def _video_block(src: str) -> dict[str, Any]:
    host = (urlsplit(src).hostname or "").lower()
    provider = next(
        (p for p in ("youtube", "vimeo", "dailymotion") if p in host), "tumblr" if "tumblr" in host else ""
    )
    block: dict[str, Any] = {
        "type": "video",
        "url": src,
        "embed_url": src,
        "embed_iframe": {"url": src, "width": 540, "height": 304},
    }
    if provider:
        block["provider"] = provider
    if src.endswith((".mp4", ".m3u8", ".webm")):
        block["media"] = {"url": src, "type": "video/mp4", "width": 540, "height": 304}
    return block


def html_to_npf(markup: str, post: Post | None = None, link_blocks: bool = False) -> list[dict[str, Any]]:
    """NPF ``content`` for ``markup``; ``link_blocks``: a paragraph that is one link becomes a link block."""
    builder = _NpfBuilder(post)
    builder.feed(markup)
    builder.close()
    blocks = builder.blocks
    if link_blocks:
        blocks = [_as_link_block(b) or b for b in blocks]
    return blocks


def _as_link_block(block: dict[str, Any]) -> dict[str, Any] | None:
    fmts = block.get("formatting") or []
    links = [f for f in fmts if f["type"] == "link"]
    if (
        block["type"] != "text"
        or len(links) != 1
        or links[0]["start"] > 0
        or links[0]["end"] < len(block["text"])
    ):
        return None
    url = unwrap(links[0]["url"])  # link blocks carry the raw target, as Tumblr's do
    host = urlsplit(url).hostname or ""
    return {
        "type": "link",
        "url": url,
        "title": block["text"],
        "display_url": url,
        "site_name": host,
        "description": "",
    }


def npf_to_html(blocks: list[dict[str, Any]]) -> str:
    """The legacy ``body`` of an NPF-authored post (Tumblr renders those as ``npf_row`` HTML)."""
    parts: list[str] = []
    for b in blocks:
        if b["type"] == "text":
            parts.append(f"<p>{_formatted_html(b)}</p>")
        elif b["type"] == "link":
            parts.append(
                f'<p><a href="{htmlmod.escape(wrap_link(b["url"]))}" class="link-block">'
                f"{htmlmod.escape(b.get('title') or b['url'])}</a></p>"
            )
        elif b["type"] == "image":
            parts.append(
                f'<figure class="tmblr-full"><img src="{htmlmod.escape(b["media"][0]["url"])}"></figure>'
            )
        elif b["type"] == "video":
            parts.append(
                f'<figure class="tmblr-embed"><iframe src="{htmlmod.escape(b["url"])}"></iframe></figure>'
            )
    return f'<div class="npf_row">{"".join(parts)}</div>'


def _formatted_html(block: dict[str, Any]) -> str:
    textval: str = block["text"]
    links = sorted((f for f in block.get("formatting", []) if f["type"] == "link"), key=lambda f: f["start"])
    out, pos = [], 0
    for f in links:
        if f["start"] < pos:
            continue
        out.append(htmlmod.escape(textval[pos : f["start"]]))
        out.append(
            f'<a href="{htmlmod.escape(f["url"])}">{htmlmod.escape(textval[f["start"] : f["end"]])}</a>'
        )
        pos = f["end"]
    out.append(htmlmod.escape(textval[pos:]))
    return "".join(out)


# --- post rendering --------------------------------------------------------------------------------------
def legacy_type(post: Post) -> str:
    """The legacy post type a post is shown as (deterministic from its body and id)."""
    body = post.body_html.lower()
    if "<iframe" in body or "<video" in body:
        return "video"
    if "<img" in body:
        return "photo"
    if post.outbound and int(post.post_id) % 4 == 1:
        return "link"
    return "text"


def _blog_json(blog: Blog, posts: list[Post]) -> dict[str, Any]:
    updated = max((p.timestamp for p in posts), default=0)
    return {
        "name": blog.name,
        "title": blog.title,
        "description": blog.description,
        "url": f"https://{blog.host}/",
        "uuid": _uuid(blog),
        "updated": updated,
        "posts": len(posts),
        "total_posts": len(posts),
        "ask": False,
        "is_nsfw": bool(blog.options.get("explicit")),
        "share_likes": False,
    }


class PostRenderer:
    """Renders a :class:`Post` as the API does: legacy or NPF, snake_case (camelCase for the web API)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._blog_cache: dict[str, dict[str, Any]] = {}

    def blog(self, blog: Blog) -> dict[str, Any]:
        if blog.name not in self._blog_cache:
            self._blog_cache[blog.name] = _blog_json(blog, self.dataset.posts_on("tumblr", blog))
        return self._blog_cache[blog.name]

    def common(self, post: Post) -> dict[str, Any]:
        b = self.blog(post.blog)
        summary = post.title or " ".join(re.sub(r"<[^>]+>", " ", post.body_html).split())[:120]
        return {
            "blog_name": post.blog.name,
            "blog": {k: b[k] for k in ("name", "title", "description", "url", "uuid", "updated")},
            "id": int(post.post_id),
            "id_string": post.post_id,
            "post_url": post.url,
            "slug": post.slug,
            "date": _gmt(post),
            "timestamp": post.timestamp,
            "state": "published",
            "format": "html",
            "reblog_key": hashlib.md5(post.post_id.encode(), usedforsecurity=False).hexdigest()[:8],
            "tags": list(post.tags),
            "short_url": f"https://tmblr.co/Z{base64.b32encode(post.post_id.encode()).decode()[:10]}",
            "summary": summary,
            "note_count": int(post.post_id) % 97,
            "is_blocks_post_format": post.post_format == "npf",
            "should_open_in_legacy": post.post_format != "npf",
            "can_reblog": True,
            "display_avatar": True,
        }

    def content(self, post: Post) -> list[dict[str, Any]]:
        blocks = html_to_npf(post.body_html, post, link_blocks=post.post_format == "npf")
        if post.title:
            blocks.insert(0, {"type": "text", "subtype": "heading1", "text": post.title})
        return blocks

    def npf(self, post: Post) -> dict[str, Any]:
        content = self.content(post)
        original = {"text": "regular", "link": "link", "photo": "photo", "video": "video"}[legacy_type(post)]
        return {
            **self.common(post),
            "type": "blocks",
            "original_type": original,
            "content": content,
            "layout": [{"type": "rows", "display": [{"blocks": [i]} for i in range(len(content))]}],
            "trail": [],
        }

    def legacy(self, post: Post, filter_: str | None = None) -> dict[str, Any]:
        kind = legacy_type(post)
        body = (
            npf_to_html(html_to_npf(post.body_html, post, True))
            if post.post_format == "npf"
            else post.body_html
        )
        body = wrap_html(body, post)
        if filter_ == "text":
            body = " ".join(re.sub(r"<[^>]+>", " ", htmlmod.unescape(body)).split())
        out = {**self.common(post), "type": kind, "trail": [], "reblog": {"comment": body, "tree_html": ""}}
        out.update(getattr(self, f"_legacy_{kind}")(post, body))
        return out

    def _legacy_text(self, post: Post, body: str) -> dict[str, Any]:
        return {"title": post.title or None, "body": body}

    def _legacy_link(self, post: Post, body: str) -> dict[str, Any]:
        url = post.outbound[0]
        return {
            "title": post.title,
            "url": url,
            "link_url": url,
            "description": body,
            "excerpt": " ".join(re.sub(r"<[^>]+>", " ", body).split())[:200],
            "publisher": urlsplit(url).hostname or "",
        }

    def _legacy_photo(self, post: Post, body: str) -> dict[str, Any]:
        srcs = re.findall(r'<img\b[^>]*\bsrc=["\']([^"\']+)', post.body_html, re.I)
        caption = re.sub(r"<img\b[^>]*>", "", body, flags=re.I)
        if post.title:
            caption = f"<h2>{htmlmod.escape(post.title)}</h2>{caption}"
        photos = [
            {
                "caption": "",
                "original_size": {"url": s, "width": 1280, "height": 720},
                "alt_sizes": [{"url": s, "width": 500, "height": 281}],
            }
            for s in srcs
        ]
        return {"caption": caption, "photos": photos}

    def _legacy_video(self, post: Post, body: str) -> dict[str, Any]:
        srcs = re.findall(r'<(?:iframe|video|source)\b[^>]*\bsrc=["\']([^"\']+)', post.body_html, re.I)
        caption = re.sub(r"<(iframe|video)\b.*?</\1>", "", body, flags=re.I | re.S)
        if post.title:
            caption = f"<h2>{htmlmod.escape(post.title)}</h2>{caption}"
        src = srcs[0] if srcs else ""
        embed = f'<iframe width="500" height="281" src="{htmlmod.escape(src)}" frameborder="0"></iframe>'
        out = {
            "caption": caption,
            "player": [{"width": w, "embed_code": embed} for w in (250, 400, 500)],
            "video_type": "youtube" if "youtu" in src else "unknown",
            "permalink_url": src,
        }
        if src.endswith((".mp4", ".m3u8", ".webm")):
            out["video_url"] = src
        return out


_CAMEL = re.compile(r"_([a-z0-9])")


def camelize(obj: Any) -> Any:
    """snake_case keys to camelCase, recursively (``_links`` -> ``links``): the web API's format=camelcase."""
    if isinstance(obj, list):
        return [camelize(v) for v in obj]
    if isinstance(obj, dict):
        return {_CAMEL.sub(lambda m: m.group(1).upper(), k.lstrip("_")): camelize(v) for k, v in obj.items()}
    return obj


# --- the replica -----------------------------------------------------------------------------------------
def _envelope(
    status: int,
    msg: str,
    response: Any,
    errors: list[dict[str, Any]] | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    body: dict[str, Any] = {"meta": {"status": status, "msg": msg}, "response": response}
    if errors:
        body["errors"] = errors
    return json_response(body, status, headers)


def _error(
    status: int, msg: str, detail: str, code: int = 0, headers: list[tuple[str, str]] | None = None
) -> Response:
    return _envelope(status, msg, [], [{"title": msg, "code": code, "detail": detail}], headers)


@dataclass
class TumblrReplica:
    """The replica's Tumblr: state (request counters, log) and every route handler."""

    dataset: Dataset
    config: TumblrConfig = field(default_factory=TumblrConfig)
    log: list[LoggedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.render = PostRenderer(self.dataset)
        self._lock = threading.Lock()
        self._key_counts: dict[str, int] = {}
        self.blogs = self.dataset.blogs_on("tumblr")

    # --- bookkeeping -------------------------------------------------------------------------------
    def _log(
        self, endpoint: str, request: Request, response: Response, count: int = 0, has_next: bool = False
    ) -> Response:
        query = {k: v[0] for k, v in request.query.items()}
        with self._lock:
            self.log.append(
                LoggedRequest(endpoint, request.host, request.path, query, response.status, count, has_next)
            )
        return response

    def requests_for(self, endpoint: str) -> list[LoggedRequest]:
        """Logged requests of one endpoint (``tagged``, ``blog_posts``, ``timeline_search``, ...)."""
        with self._lock:
            return [r for r in self.log if r.endpoint == endpoint]

    def _rate_headers(self, count: int, limited: bool) -> list[tuple[str, str]]:
        now = int(datetime.now(UTC).timestamp())
        return [
            ("X-Ratelimit-Perday-Limit", "5000"),
            ("X-Ratelimit-Perday-Remaining", str(max(1, 5000 - count))),
            ("X-Ratelimit-Perday-Reset", str(86400 - now % 86400)),
            ("X-Ratelimit-Perhour-Limit", "1000"),
            ("X-Ratelimit-Perhour-Remaining", "0" if limited else str(max(1, 1000 - count % 1000))),
            (
                "X-Ratelimit-Perhour-Reset",
                str(self.config.rate_limit_reset if limited else 3600 - now % 3600),
            ),
        ]

    def _authorize(self, request: Request) -> tuple[Response | None, list[tuple[str, str]]]:
        """``(error response or None, rate-limit headers)`` for an API request."""
        key = (request.arg("api_key") or "").strip()
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not key and not bearer:
            return _error(401, "Unauthorized", "Unable to authorize", 1016), []
        with self._lock:
            count = self._key_counts[key or bearer] = self._key_counts.get(key or bearer, 0) + 1
        every = self.config.rate_limit_every
        limited = bool(every) and count % every == 0
        headers = self._rate_headers(count, limited)
        if limited:
            return _error(
                429, "Limit Exceeded", "You have exceeded the rate limit. Try again later.", 5029, headers
            ), headers
        return None, headers

    def _respond(self, request: Request, response_obj: Any, headers: list[tuple[str, str]]) -> Response:
        callback = request.arg("callback")
        body = {"meta": {"status": 200, "msg": "OK"}, "response": response_obj}
        if callback and re.fullmatch(r"[\w.$]+", callback):  # JSONP: always HTTP 200
            payload = f"{callback}({json.dumps(body, ensure_ascii=False)});"
            return Response(
                200, payload.encode(), [("Content-Type", "application/javascript; charset=utf-8"), *headers]
            )
        return json_response(body, 200, headers)

    # --- /v2/tagged ------------------------------------------------------------------------------------
    def tagged(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("tagged", request, denied)
        tag = (request.arg("tag") or "").strip()
        if not tag:
            return self._log(
                "tagged", request, _error(400, "Bad Request", "Missing or empty tag parameter", 1001, headers)
            )
        limit = min(max(request.int_arg("limit", 20), 1), self.config.tagged_limit)
        before = request.int_arg("before", 0)
        posts = self.dataset.tagged(tag, "tumblr")
        page = self._tagged_page(posts, before, limit)
        npf = request.arg("npf") == "true"
        items = [self.render.npf(p) if npf else self.render.legacy(p, request.arg("filter")) for p in page]
        return self._log("tagged", request, self._respond(request, items, headers), len(items))

    @staticmethod
    def _tagged_page(posts: list[Post], before: int, limit: int) -> list[Post]:
        """Posts older than ``before``, with /v2/tagged's quirks: pairs out of order, one overlapping post."""
        older = [p for p in posts if not before or p.timestamp < before]
        page = older[:limit]
        newer = [p for p in posts if before and p.timestamp >= before]
        if newer and limit >= 3 and page:
            page = [newer[-1], *older[: limit - 1]]  # "may include posts newer than before" (4CAT)
        for i in range(0, len(page) - 1, 2):  # "not strictly sorted"
            page[i], page[i + 1] = page[i + 1], page[i]
        return page

    # --- /v2/blog/{id}/... ----------------------------------------------------------------------------------
    def find_blog(self, identifier: str) -> Blog | None:
        ident = unquote(identifier).strip().lower()
        for blog in self.blogs:
            if ident in (
                blog.name.lower(),
                blog.host.lower(),
                f"{blog.name.lower()}.tumblr.com",
                _uuid(blog).lower(),
            ):
                return blog
        return None

    def _blog_or_error(self, request: Request, headers: list[tuple[str, str]]) -> Blog | Response:
        blog = self.find_blog(request.params["blog"])
        if blog is None:
            return _error(404, "Not Found", "Blog not found.", 0, headers)
        if blog.options.get("dashboard_only"):
            return _error(
                404, "Not Found", "This blog is only viewable within the Tumblr dashboard.", 4012, headers
            )
        return blog

    def blog_info(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("blog_info", request, denied)
        blog = self._blog_or_error(request, headers)
        if isinstance(blog, Response):
            return self._log("blog_info", request, blog)
        return self._log(
            "blog_info", request, self._respond(request, {"blog": self.render.blog(blog)}, headers)
        )

    def blog_posts(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("blog_posts", request, denied)
        blog = self._blog_or_error(request, headers)
        if isinstance(blog, Response):
            return self._log("blog_posts", request, blog)
        state = self._posts_state(request)
        if state.get("before") and state.get("offset"):
            return self._log(
                "blog_posts",
                request,
                _error(400, "Bad Request", "before and offset are exclusive", 0, headers),
            )
        posts = self._filter_posts(blog, state)
        if state.get("id") and not posts:
            return self._log("blog_posts", request, _error(404, "Not Found", "Post not found.", 0, headers))
        offset, limit = state["offset"], state["limit"]
        page = posts[offset : offset + limit]
        npf = state.get("npf") == "true"
        body: dict[str, Any] = {
            "blog": self.render.blog(blog),
            "posts": [
                self.render.npf(p) if npf else self.render.legacy(p, state.get("filter")) for p in page
            ],
            "total_posts": len(posts),
        }
        if offset + limit < len(posts):
            token = _b64({**state, "offset": offset + limit})
            body["_links"] = {
                "next": {
                    "href": f"/v2/blog/{blog.name}/posts?tumblelog={blog.name}&page_number={token}",
                    "method": "GET",
                    "query_params": {"tumblelog": blog.name, "page_number": token},
                }
            }
        return self._log(
            "blog_posts", request, self._respond(request, body, headers), len(page), "_links" in body
        )

    def _posts_state(self, request: Request) -> dict[str, Any]:
        """The listing's parameters: from the opaque ``page_number`` when following ``_links.next``."""
        token = request.arg("page_number")
        if token:
            return _unb64(token)
        tags = [
            v for k, vs in request.query.items() if k == "tag" or re.fullmatch(r"tag\[\d\]", k) for v in vs
        ][:4]
        return {
            "type": request.params.get("type") or request.arg("type"),
            "tags": tags,
            "id": request.arg("id"),
            "offset": max(request.int_arg("offset", 0), 0),
            "before": request.int_arg("before", 0),
            "after": request.int_arg("after", 0),
            "sort": request.arg("sort", "desc"),
            "npf": request.arg("npf"),
            "filter": request.arg("filter"),
            "limit": min(max(request.int_arg("limit", 20), 1), self.config.posts_limit),
        }

    def _filter_posts(self, blog: Blog, state: dict[str, Any]) -> list[Post]:
        posts = self.dataset.posts_on("tumblr", blog)
        wanted = [_tag_key(t) for t in state.get("tags") or []]
        posts = [p for p in posts if all(w in {_tag_key(t) for t in p.tags} for w in wanted)]
        if state.get("type"):
            posts = [p for p in posts if legacy_type(p) == state["type"]]
        if state.get("id"):
            posts = [p for p in posts if p.post_id == state["id"]]
        if state.get("before"):
            posts = [p for p in posts if p.timestamp < state["before"]]
        if state.get("after"):
            posts = [p for p in posts if p.timestamp > state["after"]]
        return posts[::-1] if state.get("sort") == "asc" else posts

    # --- timeline search (api.tumblr.com and the web API) ------------------------------------------------
    def timeline_search(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("timeline_search", request, denied)
        body, count = self._search_timeline(request, "/v2/timeline/search", self.config.search_limit)
        if isinstance(body, Response):
            return self._log("timeline_search", request, body)
        return self._log(
            "timeline_search",
            request,
            self._respond(request, body, headers),
            count,
            "_links" in body["timeline"],
        )

    def web_timeline_search(self, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return self._log(
                "web_search_api", request, _error(401, "Unauthorized", "Unable to authorize", 1016)
            )
        body, count = self._search_timeline(request, "/api/v2/timeline/search", self.config.web_search_limit)
        if isinstance(body, Response):
            return self._log("web_search_api", request, body)
        out: Any = {"meta": {"status": 200, "msg": "OK"}, "response": body}
        if "format=camelcase" in request.headers.get("accept", "").replace(" ", "").lower():
            out = camelize(out)
        return self._log("web_search_api", request, json_response(out), count, "_links" in body["timeline"])

    def _search_timeline(
        self, request: Request, path: str, max_limit: int
    ) -> tuple[dict[str, Any] | Response, int]:
        cursor = request.arg("cursor")
        state: dict[str, Any] = (
            _unb64(cursor)
            if cursor
            else {
                "q": (request.arg("query") or "").strip(),
                "mode": request.arg("mode") or "top",
                "offset": 0,
                "type": request.arg("post_type_filter") or "",
                "limit": min(max(request.int_arg("limit", 20), 1), max_limit),
            }
        )
        if not state["q"]:
            return _error(400, "Bad Request", "Missing query parameter", 1001), 0
        posts = self._search_posts(state)
        offset, limit = state["offset"], state["limit"]
        page = posts[offset : offset + limit]
        elements: list[dict[str, Any]] = [{"object_type": "post", **self.render.npf(p)} for p in page]
        if offset == 0:
            # the components the web app shows around the posts; clients keep object_type == "post"
            elements.insert(
                0, {"object_type": "tag", "tag_name": state["q"], "is_tracked": False, "featured": False}
            )
            elements.insert(
                min(2, len(elements)), {"object_type": "related_tags", "tags": [state["q"].split()[0]]}
            )
        timeline: dict[str, Any] = {"elements": elements}
        if offset + limit < len(posts):
            params = {
                "query": state["q"],
                "mode": state["mode"],
                "limit": str(limit),
                "cursor": _b64({**state, "offset": offset + limit}),
            }
            timeline["_links"] = {
                "next": {
                    "href": f"{path}?{urlencode(params, quote_via=quote)}",
                    "method": "GET",
                    "query_params": params,
                }
            }
        return {"timeline": timeline}, len(page)

    def _search_posts(self, state: dict[str, Any]) -> list[Post]:
        posts = self.dataset.search(state["q"], "tumblr")
        if state.get("type"):
            posts = [p for p in posts if legacy_type(p) == state["type"]]
        if state.get("mode") != "recent":  # "top": a stable pseudo-relevance order
            posts.sort(key=lambda p: _order_key(f"{state['q']}|{p.post_id}"))
        return posts

    # --- www.tumblr.com ------------------------------------------------------------------------------------
    def search_page(self, request: Request) -> Response:
        query = unquote(request.params["q"]).replace("+", " ")
        mode = request.params.get("mode") or "top"
        state = {
            "routeName": "search",
            "searchRoute": {
                "query": query,
                "mode": mode,
                "postTypeFilter": request.params.get("ptype") or "",
            },
            "apiFetchStore": {"API_TOKEN": self.config.web_token},
            "queries": {},
        }
        page = SEARCH_PAGE.format(title=htmlmod.escape(query), state=json.dumps(state).replace("</", "<\\/"))
        return self._log("search_page", request, html(page))

    def www_robots(self, request: Request) -> Response:
        return text(WWW_ROBOTS)

    # --- t.umblr.com ---------------------------------------------------------------------------------------
    def redirect(self, request: Request) -> Response:
        target = request.arg("z") or ""
        if not target.startswith(("http://", "https://")):
            return html("<html><body><h1>Invalid link</h1></body></html>", 400)
        if hmac.compare_digest(request.arg("t") or "", _sig(target)):
            return Response(302, b"", [("Location", target), ("Content-Type", "text/html")])
        safe = htmlmod.escape(target, quote=True)
        return html(INTERSTITIAL.format(url=safe))

    # --- blog theme pages ----------------------------------------------------------------------------------
    def _theme_blog(self, request: Request) -> Blog | None:
        host = request.host.split(":")[0].lower()
        return next((b for b in self.blogs if b.host.lower() == host), None)

    def blog_robots(self, request: Request) -> Response:
        blog = self._theme_blog(request)
        if blog is not None and _hidden(blog):
            return text("User-agent: *\nDisallow: /\n")
        return text(BLOG_ROBOTS.format(host=request.host))

    def theme(self, request: Request) -> Response:
        blog = self._theme_blog(request)
        if blog is None:
            return html(NOTHING_HERE, 404)
        path = request.path.rstrip("/") or "/"
        m = re.fullmatch(r"/post/(?P<id>\d+)(?:/(?P<slug>[^/]*))?", path)
        if m:
            return self._log("theme_post", request, self._theme_post(blog, m["id"], m["slug"]))
        m = re.fullmatch(
            r"(?:/tagged/(?P<tag>[^/]+))?(?:/page/(?P<n>\d+))?(?P<rss>/rss)?", path if path != "/" else ""
        )
        if m:
            return self._log(
                "theme_list", request, self._theme_list(blog, m["tag"], int(m["n"] or 1), bool(m["rss"]))
            )
        return html(NOTHING_HERE, 404)

    def _theme_post(self, blog: Blog, post_id: str, slug: str | None) -> Response:
        post = next((p for p in self.dataset.posts_on("tumblr", blog) if p.post_id == post_id), None)
        if post is None:
            return html(NOTHING_HERE, 404)
        if slug is None or (slug and slug != post.slug):
            return Response(301, b"", [("Location", post.url)])
        body = (
            npf_to_html(html_to_npf(post.body_html, post, True))
            if post.post_format == "npf"
            else post.body_html
        )
        return html(
            THEME_POST.format(
                blog=htmlmod.escape(blog.title),
                title=htmlmod.escape(post.title),
                url=htmlmod.escape(post.url),
                body=wrap_html(body, post),
                date=post.published.isoformat(),
                id=post.post_id,
                tags="".join(
                    f'<a class="tag" href="/tagged/{quote(t)}">#{htmlmod.escape(t)}</a> ' for t in post.tags
                ),
                desc=htmlmod.escape(self.render.common(post)["summary"]),
            )
        )

    def _theme_list(self, blog: Blog, tag: str | None, page: int, rss: bool) -> Response:
        posts = self.dataset.posts_on("tumblr", blog)
        if tag:
            posts = [p for p in posts if _tag_key(unquote(tag)) in {_tag_key(t) for t in p.tags}]
        if rss:
            return _rss(blog, posts[:20])
        size = self.config.theme_page_size
        chunk = posts[(page - 1) * size : page * size]
        items = "".join(
            f'<article class="post"><h2><a href="{htmlmod.escape(p.url)}">{htmlmod.escape(p.title)}</a></h2>'
            f'<div class="body">{wrap_html(p.body_html, p)}</div></article>'
            for p in chunk
        )
        base = f"/tagged/{tag}" if tag else ""
        nxt = f'<a class="next" href="{base}/page/{page + 1}">Next</a>' if page * size < len(posts) else ""
        return html(
            f"<!doctype html><html><head><title>{htmlmod.escape(blog.title)}</title></head><body>"
            f"<h1>{htmlmod.escape(blog.title)}</h1>{items}<nav>{nxt}</nav></body></html>"
        )


def _rss(blog: Blog, posts: list[Post]) -> Response:
    items = "".join(
        f"<item><title>{htmlmod.escape(p.title[:60])}</title>"
        f"<description>{htmlmod.escape(wrap_html(p.body_html, p))}"
        f"</description><link>{htmlmod.escape(p.url)}</link><guid>{htmlmod.escape(p.url)}</guid>"
        f"<pubDate>{format_datetime(p.published, usegmt=True)}</pubDate>"
        + "".join(f"<category>{htmlmod.escape(t)}</category>" for t in p.tags)
        + "</item>"
        for p in posts
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{htmlmod.escape(blog.title)}</title><link>https://{blog.host}/</link>"
        f"<description>{htmlmod.escape(blog.description)}</description>"
        f"<generator>Tumblr (3.0; @{blog.name})</generator>{items}</channel></rss>"
    )
    return text(xml, content_type="application/rss+xml; charset=UTF-8")


SEARCH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Search on Tumblr</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="root"><div class="loading" aria-busy="true">Loading…</div></div>
<script type="application/json" id="___INITIAL_STATE___">{state}</script>
<script>
(function () {{
  var state = JSON.parse(document.getElementById("___INITIAL_STATE___").textContent);
  var route = state.searchRoute, root = document.getElementById("root");
  var params = new URLSearchParams({{limit: "20", days: "0", query: route.query, mode: route.mode,
    timeline_type: "post", skip_component: "related_tags,blog_search", reblog_info: "true"}});
  if (route.postTypeFilter) params.set("post_type_filter", route.postTypeFilter);
  fetch("/api/v2/timeline/search?" + params.toString(), {{headers: {{
      "Authorization": "Bearer " + state.apiFetchStore.API_TOKEN,
      "Accept": "application/json;format=camelcase"}}}})
    .then(function (r) {{ return r.json(); }})
    .then(function (data) {{
      root.innerHTML = "";
      var list = document.createElement("main"); list.setAttribute("data-testid", "search-results");
      (data.response.timeline.elements || []).forEach(function (el) {{
        if (el.objectType !== "post") return;
        var article = document.createElement("article");
        article.setAttribute("data-id", el.idString);
        var link = document.createElement("a");
        link.href = el.postUrl; link.className = "post-link"; link.textContent = el.summary || el.postUrl;
        article.appendChild(link); list.appendChild(article);
      }});
      root.appendChild(list); root.setAttribute("data-loaded", "1");
    }})
    .catch(function () {{ root.setAttribute("data-loaded", "error"); }});
}})();
</script></body></html>"""

INTERSTITIAL = """<!doctype html><html><head><meta charset="utf-8"><title>Tumblr</title>
<meta name="robots" content="noindex"></head><body><div class="interstitial">
<p>This link is taking you to a site outside of Tumblr. It may contain content we have not reviewed.</p>
<a class="continue" href="{url}">Continue</a></div></body></html>"""

THEME_POST = """<!doctype html><html><head><meta charset="utf-8"><title>{blog} — {title}</title>
<meta property="og:url" content="{url}"><meta property="og:title" content="{title}">
<meta property="og:description" content="{desc}"><link rel="canonical" href="{url}"></head>
<body><header><h1 class="blog-title">{blog}</h1></header>
<article class="post" id="post-{id}"><h2 class="title">{title}</h2><div class="body">{body}</div>
<footer><time datetime="{date}">{date}</time><div class="tags">{tags}</div></footer></article>
</body></html>"""

NOTHING_HERE = (
    "<!doctype html><html><head><title>Not found.</title></head>"
    "<body><h1>There's nothing here.</h1></body></html>"
)

BLOG_ROBOTS = """User-agent: *
Disallow: /private
Disallow: /random
Disallow: /day/
Disallow: /archive/filter-by/
Disallow: /embed/
Disallow: /search
Sitemap: https://{host}/sitemap1.xml
"""

WWW_ROBOTS = """User-agent: *
Disallow: /login
Disallow: /register
Disallow: /dashboard
Disallow: /settings
Disallow: /likes
Disallow: /api/
Sitemap: https://www.tumblr.com/sitemap.xml
"""


def register(router: Router, dataset: Dataset, config: TumblrConfig | None = None) -> TumblrReplica:
    """Register Tumblr's hosts on ``router``; the :class:`TumblrReplica` is also kept as ``router.tumblr``."""
    replica = TumblrReplica(dataset, config or TumblrConfig())
    router.tumblr = replica  # type: ignore[attr-defined]  # tests read replica.log
    router.add(API, r"/v2/tagged", replica.tagged)
    router.add(API, r"/v2/blog/(?P<blog>[^/]+)/info", replica.blog_info)
    router.add(
        API,
        r"/v2/blog/(?P<blog>[^/]+)/posts(?:/(?P<type>text|quote|link|answer|video|audio|photo|chat))?",
        replica.blog_posts,
    )
    router.add(API, r"/v2/timeline/search", replica.timeline_search)
    router.add(API, r"/robots\.txt", lambda r: text("User-agent: *\nDisallow:\n"))
    router.add(WWW, r"/api/v2/timeline/search", replica.web_timeline_search)
    router.add(
        WWW, r"/search/(?P<q>[^/]+)(?:/(?P<mode>top|recent)(?:/(?P<ptype>[a-z]+))?)?/?", replica.search_page
    )
    router.add(WWW, r"/robots\.txt", replica.www_robots)
    router.add(REDIRECTOR, r"/redirect", replica.redirect)
    router.add(REDIRECTOR, r"/robots\.txt", lambda r: text("User-agent: *\nDisallow:\n"))
    hosts = [re.escape(b.host) for b in replica.blogs if not b.host.endswith(".tumblr.com")]
    blog_hosts = r"(?!www\.|api\.)[a-z0-9-]+\.tumblr\.com" + "".join(f"|{h}" for h in hosts)
    router.add(f"(?:{blog_hosts})", r"/robots\.txt", replica.blog_robots)
    router.add(f"(?:{blog_hosts})", r"/.*", replica.theme)
    return replica
