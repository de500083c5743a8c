"""Blogger's GData feeds: ``alt=json``, ``json-in-script``, ``rss`` and Atom, paged, filtered."""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlencode

from replica.blogger.state import (
    BloggerReplica,
    author_id,
    blog_posts,
    blog_published,
    feed_time,
    first_image,
)
from replica.dataset import Blog, Post
from replica.http import Request, Response, html, json_response, text

__all__ = ["FEED_DEFAULT_RESULTS", "FEED_MAX_RESULTS", "feed_entry", "feed_json", "render_feed"]

FEED_DEFAULT_RESULTS = 25
FEED_MAX_RESULTS = 150  # Blogger silently caps max-results at 150 (since ~2015)


def _comments_enabled(post: Post) -> bool:
    """Some posts have comments off: no ``replies`` links in their entries (``link[4]`` moves)."""
    return int(post.post_id) % 3 != 0 if post.post_id.isdigit() else True


def _feed_base(blog: Blog, kind: str, labels: list[str]) -> str:
    label_path = "".join(f"/-/{quote(label)}" for label in labels)
    return f"https://www.blogger.com/feeds/{blog.blog_id}/posts/{kind}{label_path}"


def _page_url(base: str, request: Request, start: int, size: int) -> str:
    """The ``self``/``next`` link: the request's parameters, ``start-index``, ``max-results``."""
    kept = [
        (k, v)
        for k, vs in request.query.items()
        if k not in ("start-index", "max-results")
        for v in vs
    ]
    return f"{base}?{urlencode([*kept, ('start-index', start), ('max-results', size)])}"


def _author(blog: Blog) -> dict[str, Any]:
    return {
        "name": {"$t": blog.options.get("author", "Unknown")},
        "uri": {"$t": f"http://www.blogger.com/profile/{author_id(blog)}"},
        "email": {"$t": "noreply@blogger.com"},
        "gd$image": {
            "rel": "http://schemas.google.com/g/2005#thumbnail",
            "width": "16",
            "height": "16",
            "src": "https://img1.blogblog.com/img/b16-rounded.gif",
        },
    }


def _entry_links(post: Post) -> list[dict[str, str]]:
    blog = post.blog
    links: list[dict[str, str]] = []
    if _comments_enabled(post):
        links += [
            {
                "rel": "replies",
                "type": "application/atom+xml",
                "href": f"https://{blog.host}/feeds/{post.post_id}/comments/default",
                "title": "Post Comments",
            },
            {
                "rel": "replies",
                "type": "text/html",
                "href": f"{post.url}#comment-form",
                "title": "0 Comments",
            },
        ]
    api = f"https://www.blogger.com/feeds/{blog.blog_id}/posts/default/{post.post_id}"
    links += [
        {"rel": "edit", "type": "application/atom+xml", "href": api},
        {"rel": "self", "type": "application/atom+xml", "href": api},
        {"rel": "alternate", "type": "text/html", "href": post.url, "title": post.title},
    ]
    return links


def feed_entry(post: Post, summary: bool = False) -> dict[str, Any]:
    """One ``entry`` of a JSON feed."""
    blog = post.blog
    entry: dict[str, Any] = {
        "id": {"$t": f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}"},
        "published": {"$t": feed_time(post.published, blog)},
        "updated": {"$t": feed_time(post.published + timedelta(minutes=3), blog)},
    }
    if post.tags:
        entry["category"] = [
            {"scheme": "http://www.blogger.com/atom/ns#", "term": t} for t in post.tags
        ]
    entry["title"] = {"type": "text", "$t": post.title}
    if summary:
        plain = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", post.body_html)).split())
        entry["summary"] = {"type": "text", "$t": plain[:400]}
    else:
        entry["content"] = {"type": "html", "$t": post.body_html}
    entry["link"] = _entry_links(post)
    entry["author"] = [_author(blog)]
    image = first_image(post)
    if image:
        entry["media$thumbnail"] = {
            "xmlns$media": "http://search.yahoo.com/mrss/",
            "url": image,
            "height": "72",
            "width": "72",
        }
    if _comments_enabled(post):
        entry["thr$total"] = {"$t": "0"}
    return entry


@dataclass
class _FeedPage:
    blog: Blog
    kind: str
    labels: list[str]
    posts: list[Post]  # every matching post
    start: int
    size: int

    @property
    def page(self) -> list[Post]:
        return self.posts[self.start - 1 : self.start - 1 + self.size]


def _feed_links(fp: _FeedPage, request: Request) -> list[dict[str, str]]:
    blog = fp.blog
    base = _feed_base(blog, fp.kind, fp.labels)
    links = [
        {
            "rel": "http://schemas.google.com/g/2005#feed",
            "type": "application/atom+xml",
            "href": f"https://{blog.host}/feeds/posts/{fp.kind}",
        },
        {
            "rel": "self",
            "type": "application/atom+xml",
            "href": _page_url(base, request, fp.start, fp.size),
        },
        {"rel": "alternate", "type": "text/html", "href": f"https://{blog.host}/"},
        {"rel": "hub", "href": "http://pubsubhubbub.appspot.com/"},
    ]
    if fp.start > 1:
        previous = max(1, fp.start - fp.size)
        links.append(
            {
                "rel": "previous",
                "type": "application/atom+xml",
                "href": _page_url(base, request, previous, fp.size),
            }
        )
    if fp.start - 1 + fp.size < len(fp.posts):
        links.append(
            {
                "rel": "next",
                "type": "application/atom+xml",
                "href": _page_url(base, request, fp.start + fp.size, fp.size),
            }
        )
    return links


def feed_json(state: BloggerReplica, fp: _FeedPage, request: Request) -> dict[str, Any]:
    """The whole ``alt=json`` document for one page of a feed."""
    blog = fp.blog
    posts = blog_posts(state, blog)
    labels = sorted({t for p in posts for t in p.tags})
    updated = posts[0].published if posts else blog_published(state, blog)
    feed: dict[str, Any] = {
        "xmlns": "http://www.w3.org/2005/Atom",
        "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
        "xmlns$blogger": "http://schemas.google.com/blogger/2008",
        "xmlns$georss": "http://www.georss.org/georss",
        "xmlns$gd": "http://schemas.google.com/g/2005",
        "xmlns$thr": "http://purl.org/syndication/thread/1.0",
        "id": {"$t": f"tag:blogger.com,1999:blog-{blog.blog_id}"},
        "updated": {"$t": feed_time(updated, blog)},
        "category": [{"term": label} for label in labels],
        "title": {"type": "text", "$t": blog.title},
        "subtitle": {"type": "html", "$t": blog.description},
        "link": _feed_links(fp, request),
        "author": [_author(blog)],
        "generator": {"version": "7.00", "uri": "http://www.blogger.com", "$t": "Blogger"},
        "openSearch$totalResults": {"$t": str(len(fp.posts))},
        "openSearch$startIndex": {"$t": str(fp.start)},
        "openSearch$itemsPerPage": {"$t": str(fp.size)},
    }
    if fp.page:  # the key is absent when there are no results
        feed["entry"] = [feed_entry(p, summary=fp.kind == "summary") for p in fp.page]
    return {"version": "1.0", "encoding": "UTF-8", "feed": feed}


def _feed_page(state: BloggerReplica, blog: Blog, request: Request) -> _FeedPage | Response:
    kind = request.params.get("kind", "default")
    labels = [unquote(part) for part in (request.params.get("labels") or "").split("/-/") if part]
    try:
        size = min(request.int_arg("max-results", FEED_DEFAULT_RESULTS), FEED_MAX_RESULTS)
        start = request.int_arg("start-index", 1)
    except ValueError:
        return text("Invalid value for max-results or start-index parameter", 400)
    if size < 0 or start < 1:
        return text(
            f"Invalid value for {'start-index' if start < 1 else 'max-results'} parameter", 400
        )
    posts = blog_posts(state, blog)
    query = request.arg("q")
    if query:
        matching = {p.url for p in state.dataset.search(query, "blogger", blog)}
        posts = [p for p in posts if p.url in matching]
    for label in labels:
        wanted = {p.url for p in state.dataset.tagged(label, "blogger", blog)}
        posts = [p for p in posts if p.url in wanted]
    try:
        posts = published_window(posts, request)
    except ValueError:
        return text("Invalid value for published-min or published-max parameter", 400)
    return _FeedPage(blog, kind, labels, posts, start, size)


def published_window(posts: list[Post], request: Request) -> list[Post]:
    """``published-min`` (inclusive) and ``published-max`` (exclusive), RFC 3339, as the GData
    feeds take them; a bad value raises ``ValueError``."""
    low = request.arg("published-min")
    high = request.arg("published-max")
    if low:
        since = _rfc3339(low)
        posts = [p for p in posts if p.published >= since]
    if high:
        until = _rfc3339(high)
        posts = [p for p in posts if p.published < until]
    return posts


def _rfc3339(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip().replace(" ", "+").replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def render_feed(state: BloggerReplica, blog: Blog | None, request: Request) -> Response:
    state.record(request)
    if blog is None:
        return html("<html><body><h1>Blog not found</h1></body></html>", 404)
    if blog.options.get("private"):
        return text("Blog is private", 401)
    fp = _feed_page(state, blog, request)
    if isinstance(fp, Response):
        return fp
    alt = request.arg("alt", "atom")
    if alt == "json":
        return json_response(feed_json(state, fp, request))
    if alt == "json-in-script":
        callback = re.sub(r"[^\w.$]", "", request.arg("callback") or "") or "handleFeed"
        document = json.dumps(feed_json(state, fp, request), ensure_ascii=False)
        body = f"// API callback\n{callback}({document});"
        return text(body, content_type="text/javascript; charset=UTF-8")
    if alt == "rss":
        return text(_rss(state, fp, request), content_type="application/rss+xml; charset=UTF-8")
    if alt == "atom":
        return text(_atom(state, fp, request), content_type="application/atom+xml; charset=UTF-8")
    return text(f"Invalid alt parameter: {alt}", 400)


def _x(value: str) -> str:
    return html_lib.escape(value, quote=True)


def _atom(state: BloggerReplica, fp: _FeedPage, request: Request) -> str:
    """Atom rendering of the same document (the feeds' default ``alt``)."""
    doc = feed_json(state, fp, request)["feed"]
    links = "".join(f"<link rel='{_x(lk['rel'])}' href='{_x(lk['href'])}'/>" for lk in doc["link"])
    entries = []
    for e in doc.get("entry", []):
        body = e.get("content") or e.get("summary")
        tag = "content" if "content" in e else "summary"
        cats = "".join(
            f"<category scheme='{_x(c['scheme'])}' term='{_x(c['term'])}'/>"
            for c in e.get("category", [])
        )
        elinks = "".join(
            f"<link rel='{_x(lk['rel'])}' type='{_x(lk['type'])}' href='{_x(lk['href'])}'/>"
            for lk in e["link"]
        )
        entries.append(
            f"<entry><id>{e['id']['$t']}</id><published>{e['published']['$t']}</published>"
            f"<updated>{e['updated']['$t']}</updated>{cats}"
            f"<title type='text'>{_x(e['title']['$t'])}</title>"
            f"<{tag} type='{body['type']}'>{_x(body['$t'])}</{tag}>{elinks}</entry>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'>"
        f"<id>{doc['id']['$t']}</id><updated>{doc['updated']['$t']}</updated>"
        f"<title type='text'>{_x(doc['title']['$t'])}</title>{links}"
        f"<openSearch:totalResults>{doc['openSearch$totalResults']['$t']}</openSearch:totalResults>"
        f"<openSearch:startIndex>{doc['openSearch$startIndex']['$t']}</openSearch:startIndex>"
        f"<openSearch:itemsPerPage>{doc['openSearch$itemsPerPage']['$t']}</openSearch:itemsPerPage>"
        f"{''.join(entries)}</feed>"
    )


def _rss(state: BloggerReplica, fp: _FeedPage, request: Request) -> str:
    doc = feed_json(state, fp, request)["feed"]
    items = []
    for e in doc.get("entry", []):
        link = next(lk["href"] for lk in e["link"] if lk["rel"] == "alternate")
        body = (e.get("content") or e.get("summary"))["$t"]
        cats = "".join(
            f"<category domain='http://www.blogger.com/atom/ns#'>{_x(c['term'])}</category>"
            for c in e.get("category", [])
        )
        items.append(
            f"<item><guid isPermaLink='false'>{e['id']['$t']}</guid>"
            f"<pubDate>{e['published']['$t']}</pubDate>{cats}"
            f"<title>{_x(e['title']['$t'])}</title><description>{_x(body)}</description>"
            f"<link>{_x(link)}</link></item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'><channel>"
        f"<title>{_x(doc['title']['$t'])}</title><link>https://{fp.blog.host}/</link>"
        f"<openSearch:totalResults>{doc['openSearch$totalResults']['$t']}</openSearch:totalResults>"
        f"{''.join(items)}</channel></rss>"
    )
