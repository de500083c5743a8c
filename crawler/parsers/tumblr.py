"""Tumblr's posts and pages as plain data (``../shared/platforms.md`` §0-1).

API v2 posts come in two formats, both read here: legacy HTML fields (text, photo, link, video,
quote, chat, answer) and NPF blocks (text formatting links, link blocks, video URLs, reblog
trails), in snake_case or in the web API's camelCase. Also: the envelope's errors, the rendered
search page's result links and a blog's theme page for one post, and the API's URLs.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

from parsel import Selector
from w3lib.url import add_or_replace_parameter

from crawler.links import is_platform_url
from crawler.parsers._common import PostFields, utc_isoformat
from pipelines._linear import compile_linear
from pipelines.seen import MEDIA_MARK
from pipelines.urls import unwrap

__all__ = [
    "API",
    "WWW",
    "ApiError",
    "ResultLink",
    "api_error",
    "api_url",
    "blog_next_href",
    "is_post_element",
    "next_page_url",
    "oldest_timestamp",
    "post_html",
    "post_identity",
    "post_key",
    "post_links",
    "post_page_fields",
    "post_published",
    "post_tags",
    "post_title",
    "result_link",
    "search_page_url",
    "search_timeline",
    "state_post_urls",
    "timeline_next_href",
]

API = "https://api.tumblr.com"
WWW = "https://www.tumblr.com"
_POST_PATH = re.compile(r"^/post/(?P<id>\d+)")
_WWW_PERMALINK = re.compile(r"^/(?P<blog>[A-Za-z0-9-]+)/(?P<id>\d{6,})(?:/|$)")
# RE2 (linear): with re, a page of unclosed <script tags took quadratic time (20,000: 3.4 s)
_STATE = compile_linear(r'<script[^>]+id="___INITIAL_STATE___"[^>]*>(.*?)</script>', dot_all=True)
_CAMEL = re.compile(r"_([a-z0-9])")
#: The body fields of each legacy post type, in reading order.
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
_OTHER_FIELDS = ("body", "caption", "description")
#: Legacy post fields that hold a URL outside the body.
_URL_FIELDS = ("url", "link_url", "video_url", "permalink_url", "source_url")
_LINK_BLOCK_WORDS = ("title", "description", "site_name")


def _get(obj: dict[str, Any], snake: str, default: Any = None) -> Any:
    """``obj[snake]``, or its camelCase twin (the web API's ``format=camelcase``)."""
    if snake in obj:
        return obj[snake]
    camel = _CAMEL.sub(lambda m: m.group(1).upper(), snake)
    return obj.get(camel, default)


def _paragraph(text: str, media: bool = False) -> str:
    """A paragraph of ``text``; ``media``: words NPF adds about an image or a link card, which
    the legacy format of the same post does not carry (marked for the incremental digest)."""
    if not text:
        return ""
    mark = f" {MEDIA_MARK}" if media else ""
    return f"<p{mark}>{htmlmod.escape(text)}</p>"


def _link_start(formatting: dict[str, Any]) -> int:
    return int(formatting.get("start", 0))


def _text_block_html(block: dict[str, Any]) -> str:
    """A text block as a paragraph (or heading), its formatting links as anchors."""
    text: str = block.get("text") or ""
    formatting = block.get("formatting") or []
    links = [f for f in formatting if f.get("type") == "link" and f.get("url")]
    links.sort(key=_link_start)
    out: list[str] = []
    pos = 0
    for link in links:
        start = int(link.get("start", 0))
        end = int(link.get("end", 0))
        if start < pos or end <= start:
            continue  # overlapping or empty: the text stays plain
        out.append(htmlmod.escape(text[pos:start]))
        href = htmlmod.escape(link["url"])
        out.append(f'<a href="{href}">{htmlmod.escape(text[start:end])}</a>')
        pos = end
    out.append(htmlmod.escape(text[pos:]))
    tag = "h2" if str(block.get("subtype", "")).startswith("heading") else "p"
    return f"<{tag}>{''.join(out)}</{tag}>"


def _npf_html(blocks: Iterable[dict[str, Any]]) -> str:
    """Readable HTML of NPF blocks: text (formatting links as anchors), link-block titles, image
    alts."""
    parts: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            parts.append(_text_block_html(block))
        elif kind == "link":
            words = [str(_get(block, k)) for k in _LINK_BLOCK_WORDS if _get(block, k)]
            parts.append(_paragraph(" ".join(words), media=True))
        elif kind == "image":
            caption = block.get("caption") or _get(block, "alt_text") or ""
            parts.append(_paragraph(caption, media=True))
    return "".join(parts)


def _trail(post: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries of a post's reblog trail (each with its own NPF ``content``)."""
    return [entry for entry in post.get("trail") or [] if isinstance(entry, dict)]


def _photo_tags(post: dict[str, Any]) -> list[str]:
    tags = []
    for photo in post.get("photos") or []:
        if isinstance(photo, dict) and isinstance(photo.get("original_size"), dict):
            tags.append(f'<img src="{htmlmod.escape(photo["original_size"]["url"])}">')
    return tags


def _as_block(part: str) -> str:
    return part if part.lstrip().startswith("<") else f"<p>{part}</p>"


def post_html(post: dict[str, Any]) -> str:
    """An API post's body as HTML: legacy ``body``/``caption``/... or NPF ``content`` after its
    reblog trail."""
    if isinstance(post.get("content"), list):
        parts = [_npf_html(entry.get("content") or []) for entry in _trail(post)]
        parts.append(_npf_html(post["content"]))
        return "".join(parts)
    fields = _LEGACY_FIELDS.get(str(post.get("type")), _OTHER_FIELDS)
    parts = [str(post.get(name) or "") for name in fields]
    if post.get("type") == "photo":
        parts += _photo_tags(post)
    return "".join(_as_block(part) for part in parts if part)


def _npf_urls(blocks: Iterable[dict[str, Any]]) -> Iterator[str]:
    for block in blocks:
        kind = block.get("type")
        if kind == "link":
            yield str(block.get("url") or "")
        elif kind == "video":
            yield str(_get(block, "url") or "")
            yield str(_get(block, "embed_url") or "")
            media = block.get("media")
            if isinstance(media, dict):
                yield str(media.get("url") or "")
        elif kind == "text":
            for formatting in block.get("formatting") or []:
                if formatting.get("type") == "link":
                    yield str(formatting.get("url") or "")


def post_links(post: dict[str, Any]) -> list[str]:
    """Outbound URLs a post carries outside its HTML: NPF link/video blocks, legacy link/video
    URLs (unwrapped, deduplicated, platform hosts left out)."""
    candidates: list[str] = []
    if isinstance(post.get("content"), list):
        candidates += _npf_urls(post["content"])
        for entry in _trail(post):
            candidates += _npf_urls(entry.get("content") or [])
    candidates += [str(_get(post, name) or "") for name in _URL_FIELDS]
    found: list[str] = []
    _, blog, _ = post_identity(post)
    own = (f"{blog}.tumblr.com",) if blog else ()
    for candidate in candidates:
        url = unwrap(candidate.strip())
        is_web = url.startswith(("http://", "https://"))
        if is_web and not is_platform_url(url, own) and url not in found:
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


def post_published(post: dict[str, Any]) -> str | None:
    """The post's ``timestamp`` (Unix seconds) as ISO 8601 UTC, ``None`` if absent or bad."""
    timestamp: Any = post.get("timestamp")
    try:
        moment = datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return utc_isoformat(moment)


def post_tags(post: dict[str, Any]) -> list[str]:
    """The post's tags, as strings."""
    return [str(tag) for tag in post.get("tags") or []]


def post_identity(post: dict[str, Any]) -> tuple[str, str, str]:
    """``(id, blog name, post URL)`` of an API post; the id from ``id_string`` (the int exceeds
    2**53)."""
    post_id = _get(post, "id_string")
    if not post_id:  # the web API's camelCase posts carry the id as a string
        raw = _get(post, "id")
        post_id = "" if raw is None or isinstance(raw, bool) else str(raw)
    blog = _get(post, "blog_name") or (post.get("blog") or {}).get("name") or ""
    return str(post_id), str(blog), str(_get(post, "post_url") or "")


def post_key(post_id: str) -> str:
    """The dedupe key of a post: Tumblr post ids are global, so the id alone names it."""
    return f"https://www.tumblr.com/post/{post_id}"


def oldest_timestamp(posts: Iterable[Any]) -> int | None:
    """The smallest ``timestamp`` of a ``/v2/tagged`` page (its next page's ``before``)."""
    stamps = []
    for post in posts:
        if isinstance(post, dict) and str(post.get("timestamp", "")).isdigit():
            stamps.append(int(post["timestamp"]))
    return min(stamps) if stamps else None


@dataclass(frozen=True)
class ApiError:
    """What an error envelope says: ``meta.msg`` and the first of its ``errors``."""

    message: str
    code: Any
    detail: str


def api_error(body: Any, status: int) -> ApiError | None:
    """The error of an API answer (HTTP ``status``, JSON ``body``), ``None`` if it is a success:
    HTTP 200, ``meta.status`` 200 (or absent) and an object body."""
    meta = body.get("meta", {}) if isinstance(body, dict) else {}
    envelope_status = int(meta.get("status", status) or status)
    if status == 200 and envelope_status == 200 and isinstance(body, dict):
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    first: dict[str, Any] = {}
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
    return ApiError(
        message=meta.get("msg", ""), code=first.get("code"), detail=first.get("detail", "")
    )


def search_timeline(data: Any) -> dict[str, Any] | None:
    """The ``timeline`` of a ``/v2/timeline/search`` response, ``None`` if it has none."""
    timeline = _get(data, "timeline") if isinstance(data, dict) else None
    return timeline if isinstance(timeline, dict) else None


def is_post_element(element: Any) -> bool:
    """True for a timeline element that is a post (others are ads, blogs, carousels...)."""
    return isinstance(element, dict) and _get(element, "object_type") == "post"


def _href(value: Any) -> str:
    return value if isinstance(value, str) else ""


def timeline_next_href(timeline: dict[str, Any]) -> str:
    """The timeline's ``_links.next.href`` cursor (``""`` on the last page)."""
    links = timeline.get("_links") or timeline.get("links") or {}
    return _href((links.get("next") or {}).get("href"))


def blog_next_href(data: dict[str, Any]) -> str:
    """The ``_links.next.href`` of a ``/v2/blog/{blog}/posts`` response (``""`` on the last)."""
    links = data.get("_links") or {}
    return _href((links.get("next") or {}).get("href"))


def api_url(path: str, params: dict[str, Any], api_key: str) -> str:
    """The API URL of ``path`` with ``params`` and the key (spaces as ``%20``)."""
    return f"{API}{path}?{urlencode({**params, 'api_key': api_key}, quote_via=quote)}"


def next_page_url(href: str, api_key: str) -> str:
    """The URL of a ``_links.next.href`` path, with the key appended if it lacks one."""
    url = urljoin(API, href)
    if "api_key" not in dict(parse_qsl(urlsplit(url).query)):
        url = add_or_replace_parameter(url, "api_key", api_key)
    return url


def search_page_url(query: str, mode: str) -> str:
    """The JavaScript search page of ``query`` (``mode``: ``recent`` or ``top``)."""
    return f"{WWW}/search/{quote(query, safe='')}/{mode}"


def state_post_urls(page: str) -> list[str]:
    """``postUrl`` values in the page's ``___INITIAL_STATE___`` (none when results are
    script-built)."""
    match = _STATE.search(page)
    if not match:
        return []
    raw = str(match.group(1))
    try:
        state = json.loads(htmlmod.unescape(raw) if "&quot;" in raw else raw)
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


@dataclass(frozen=True)
class ResultLink:
    """A search result that names a post: its id, and its blog for ``www.tumblr.com`` links."""

    post_id: str
    blog: str | None  # set for www.tumblr.com/{blog}/{id}: the API can fetch that post


def result_link(url: str) -> ResultLink | None:
    """The post a search-page link names (``x.tumblr.com/post/{id}``, a custom domain's
    ``/post/{id}`` or ``www.tumblr.com/{blog}/{id}``), ``None`` for any other link."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "www.tumblr.com":
        www = _WWW_PERMALINK.match(parts.path)
        return ResultLink(www["id"], www["blog"]) if www else None
    if host == "tumblr.com":
        return None
    match = _POST_PATH.match(parts.path)
    return ResultLink(match["id"], None) if match else None


def post_page_fields(page: Selector, url: str, post_id: str) -> PostFields:
    """A blog's theme page for one post (themes vary: OpenGraph first, then common markup)."""
    body = (
        page.css("article .body, article .post-body, article .post-content").get()
        or page.css("article").get()
        or ""
    )
    title = (
        page.css('meta[property="og:title"]::attr(content)').get()
        or page.css("article h2::text").get()
        or page.css("title::text").get()
        or ""
    )
    tags = []
    for text in page.css('a[href*="/tagged/"]::text').getall():
        if text.strip():
            tags.append(text.strip().lstrip("#"))
    return {
        "url": url,
        "title": title,
        "html": body,
        "published": page.css("time::attr(datetime)").get(),
        "tags": tags,
        "post_id": post_id,
    }
