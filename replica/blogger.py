"""Replica routes for Blogger / Blogspot (``platforms.md`` §4): feeds, post pages, robots.txt and API v3.

- ``{blog}.blogspot.com/feeds/posts/{default|summary}[/-/{Label}...]`` and the same feeds by blog id on
  ``www.blogger.com/feeds/{blogId}/posts/...`` (where ``rel=self``/``rel=next`` point): ``alt=json`` (the
  GData JSON envelope, ``$t`` strings, numbers as strings, ``entry`` absent when empty),
  ``json-in-script``, ``rss`` and Atom (the default); ``q``, ``max-results`` (default 25, cap 150),
  ``start-index`` (1-based).
- Post pages ``/YYYY/MM/slug.html`` in the classic layout, with Blogger's own comment form ("Sign in with
  Google": legitimate, not a lure); ``/`` ; ``/search`` HTML, which the default robots.txt disallows.
- API v3 on ``www.googleapis.com/blogger/v3/`` and ``blogger.googleapis.com/v3/``: ``blogs/byurl``,
  ``blogs/{id}``, ``blogs/{id}/posts`` (``maxResults``, ``pageToken``), ``posts/search`` (``pageToken``
  honoured, ``items`` absent when empty), ``posts/{id}``; Google's error envelope for a missing or invalid
  key.

Every request is appended to :attr:`BloggerReplica.log`, so tests can prove what a crawl did (and did not)
fetch.
"""

from __future__ import annotations

import base64
import binascii
import html as html_lib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from replica.dataset import Blog, Dataset, Post
from replica.http import Request, Response, Router, html, json_response, text

__all__ = ["INVALID_KEY_PREFIX", "BloggerReplica", "api_key_error", "google_error", "register"]

#: A key starting with this is "not valid" (the tests' way to provoke Google's 400 keyInvalid).
INVALID_KEY_PREFIX = "invalid"
FEED_DEFAULT_RESULTS = 25
FEED_MAX_RESULTS = 150  # Blogger silently caps max-results at 150 (since ~2015)
API_LIST_DEFAULT = 10  # [U] posts.list default page size
API_LIST_MAX = 500
_BLOGSPOT = r"(?P<sub>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.blogspot\.com"
_LABELS = r"(?P<labels>(?:/-/[^/]+)+)?"
_COMMENT_FRAME = "https://www.blogger.com/comment/frame/"
_UTC_OFFSETS = (-7, -3, 0, 1, 5, 8)  # blogs live in different time zones; feeds show local time


@dataclass
class BloggerReplica:
    """The Blogger replica's state: dataset, request log, and the API search page size (a knob for tests)."""

    dataset: Dataset
    api_search_page_size: int = 10  # [U] posts/search documents no page size
    log: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.log.append(request.url)

    def blog_for_host(self, host: str) -> Blog | None:
        blog = self.dataset.blog_by_host(host.split(":")[0])
        return blog if blog is not None and blog.platform == "blogger" else None

    def blog_for_id(self, blog_id: str) -> Blog | None:
        blog = self.dataset.blog_by_id(blog_id)
        return blog if blog is not None and blog.platform == "blogger" else None


# --- time and identity helpers ---------------------------------------------------------------------------
def blog_tz(blog: Blog) -> timezone:
    """The blog's time zone (feeds and the API show local time with its offset)."""
    hours = blog.options.get("utc_offset")
    if hours is None:
        hours = _UTC_OFFSETS[sum(map(ord, blog.blog_id or blog.name)) % len(_UTC_OFFSETS)]
    return timezone(timedelta(hours=int(hours)))


def feed_time(post_or_blog_time: datetime, blog: Blog) -> str:
    """``2019-07-20T18:38:00.000+08:00``: the feeds' local time with milliseconds."""
    local = post_or_blog_time.astimezone(blog_tz(blog))
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT%H:%M:%S.000") + f"{offset[:3]}:{offset[3:]}"


def api_time(moment: datetime, blog: Blog) -> str:
    """``2011-08-01T19:58:00Z`` or ``2024-05-01T10:00:00-07:00``: the API's RFC 3339 times."""
    local = moment.astimezone(blog_tz(blog))
    if local.utcoffset() == timedelta(0):
        return local.strftime("%Y-%m-%dT%H:%M:%SZ")
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{offset[:3]}:{offset[3:]}"


def _blog_posts(state: BloggerReplica, blog: Blog) -> list[Post]:
    return state.dataset.posts_on("blogger", blog)


def _blog_published(state: BloggerReplica, blog: Blog) -> datetime:
    posts = _blog_posts(state, blog)
    return posts[-1].published - timedelta(days=400) if posts else datetime(2012, 1, 1, tzinfo=UTC)


def _comments_enabled(post: Post) -> bool:
    """Some posts have comments off: their feed entries carry no ``replies`` links (so ``link[4]`` moves)."""
    return int(post.post_id) % 3 != 0 if post.post_id.isdigit() else True


def _author_id(blog: Blog) -> str:
    return str(10**19 + sum(ord(c) * 7919**i for i, c in enumerate(blog.name)) % 10**18)


def _first_image(post: Post) -> str | None:
    match = re.search(r"<img[^>]+src=[\"']([^\"']+)", post.body_html, re.I)
    return match.group(1) if match else None


# --- Google's error envelope -------------------------------------------------------------------------------
def google_error(code: int, message: str, reason: str, status: str) -> Response:
    """Google's JSON error envelope, as every googleapis.com API returns it."""
    body = {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": status,
        }
    }
    return json_response(body, code, [("Vary", "Origin, X-Origin, Referer")])


def api_key_error(request: Request) -> Response | None:
    """The error a googleapis.com API gives for a missing or invalid API key (``None`` if the key is fine)."""
    key = request.arg("key") or request.headers.get("x-goog-api-key", "")
    if not key:
        return google_error(
            403,
            "Method doesn't allow unregistered callers (callers without established identity). "
            "Please use API Key or other form of API consumer identity to call this API.",
            "forbidden",
            "PERMISSION_DENIED",
        )
    if key.startswith(INVALID_KEY_PREFIX):
        return google_error(
            400, "API key not valid. Please pass a valid API key.", "keyInvalid", "INVALID_ARGUMENT"
        )
    return None


def _not_found() -> Response:
    return google_error(404, "Not Found", "notFound", "NOT_FOUND")


def _required(name: str) -> Response:
    return google_error(400, f"Required parameter: {name}", "required", "INVALID_ARGUMENT")


def _invalid(name: str, value: str) -> Response:
    return google_error(
        400,
        f"Invalid value '{value}'. Values must match the requested format for {name}.",
        "invalid",
        "INVALID_ARGUMENT",
    )


# --- feeds -------------------------------------------------------------------------------------------------
def _feed_base(blog: Blog, kind: str, labels: list[str]) -> str:
    label_path = "".join(f"/-/{quote(label)}" for label in labels)
    return f"https://www.blogger.com/feeds/{blog.blog_id}/posts/{kind}{label_path}"


def _page_url(base: str, request: Request, start: int, size: int) -> str:
    """The ``self``/``next`` link: the request's own parameters, then ``start-index`` and ``max-results``."""
    kept = [(k, v) for k, vs in request.query.items() if k not in ("start-index", "max-results") for v in vs]
    return f"{base}?{urlencode([*kept, ('start-index', start), ('max-results', size)])}"


def _author(blog: Blog) -> dict[str, Any]:
    return {
        "name": {"$t": blog.options.get("author", "Unknown")},
        "uri": {"$t": f"http://www.blogger.com/profile/{_author_id(blog)}"},
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
        entry["category"] = [{"scheme": "http://www.blogger.com/atom/ns#", "term": t} for t in post.tags]
    entry["title"] = {"type": "text", "$t": post.title}
    if summary:
        plain = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", post.body_html)).split())
        entry["summary"] = {"type": "text", "$t": plain[:400]}
    else:
        entry["content"] = {"type": "html", "$t": post.body_html}
    entry["link"] = _entry_links(post)
    entry["author"] = [_author(blog)]
    image = _first_image(post)
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
    blog, base = fp.blog, _feed_base(fp.blog, fp.kind, fp.labels)
    links = [
        {
            "rel": "http://schemas.google.com/g/2005#feed",
            "type": "application/atom+xml",
            "href": f"https://{blog.host}/feeds/posts/{fp.kind}",
        },
        {"rel": "self", "type": "application/atom+xml", "href": _page_url(base, request, fp.start, fp.size)},
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
    posts = _blog_posts(state, blog)
    labels = sorted({t for p in posts for t in p.tags})
    updated = posts[0].published if posts else _blog_published(state, blog)
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
        return text(f"Invalid value for {'start-index' if start < 1 else 'max-results'} parameter", 400)
    posts = _blog_posts(state, blog)
    query = request.arg("q")
    if query:
        matching = {p.url for p in state.dataset.search(query, "blogger", blog)}
        posts = [p for p in posts if p.url in matching]
    for label in labels:
        wanted = {p.url for p in state.dataset.tagged(label, "blogger", blog)}
        posts = [p for p in posts if p.url in wanted]
    return _FeedPage(blog, kind, labels, posts, start, size)


def _render_feed(state: BloggerReplica, blog: Blog | None, request: Request) -> Response:
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
        body = (
            f"// API callback\n{callback}({json.dumps(feed_json(state, fp, request), ensure_ascii=False)});"
        )
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
        cats = "".join(
            f"<category scheme='{_x(c['scheme'])}' term='{_x(c['term'])}'/>" for c in e.get("category", [])
        )
        elinks = "".join(
            f"<link rel='{_x(lk['rel'])}' type='{_x(lk['type'])}' href='{_x(lk['href'])}'/>"
            for lk in e["link"]
        )
        entries.append(
            f"<entry><id>{e['id']['$t']}</id><published>{e['published']['$t']}</published>"
            f"<updated>{e['updated']['$t']}</updated>{cats}<title type='text'>{_x(e['title']['$t'])}</title>"
            f"<{'content' if 'content' in e else 'summary'} type='{body['type']}'>{_x(body['$t'])}"
            f"</{'content' if 'content' in e else 'summary'}>{elinks}</entry>"
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
            f"<item><guid isPermaLink='false'>{e['id']['$t']}</guid><pubDate>{e['published']['$t']}"
            f"</pubDate>{cats}<title>{_x(e['title']['$t'])}</title><description>{_x(body)}</description>"
            f"<link>{_x(link)}</link></item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'><channel>"
        f"<title>{_x(doc['title']['$t'])}</title><link>https://{fp.blog.host}/</link>"
        f"<openSearch:totalResults>{doc['openSearch$totalResults']['$t']}</openSearch:totalResults>"
        f"{''.join(items)}</channel></rss>"
    )


# --- HTML pages ---------------------------------------------------------------------------------------------
def robots_txt(blog: Blog) -> str:
    """Blogger's default robots.txt (``/search`` is off-limits); owners may disallow everything."""
    if blog.options.get("robots_disallow_all"):
        return "User-agent: *\nDisallow: /\n"
    return (
        "User-agent: Mediapartners-Google\nDisallow: \n\nUser-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: https://{blog.host}/sitemap.xml\n"
    )


_WWW_BLOGGER_ROBOTS = (
    "User-agent: *\nDisallow: /search\nDisallow: /comment/\nDisallow: /email-post.g\nDisallow: /post-edit.g\n"
    "Disallow: /profile-find.g\nAllow: /\n"
)


def _post_markup(post: Post) -> str:
    blog, local = post.blog, post.published.astimezone(blog_tz(post.blog))
    labels = ", ".join(
        f"<a href='https://{blog.host}/search/label/{quote(t)}' rel='tag'>{html_lib.escape(t)}</a>"
        for t in post.tags
    )
    return f"""<div class='date-outer'><h2 class='date-header'><span>{local:%A, %B %d, %Y}</span></h2>
<div class='post-outer'><div class='post hentry uncustomized-post-template' itemprop='blogPost'
 itemscope='itemscope'>
<meta content='{post.post_id}' itemprop='postId'/><a name='{post.post_id}'></a>
<h3 class='post-title entry-title' itemprop='name'><a href='{post.url}'>{html_lib.escape(post.title)}</a></h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='description articleBody'>
{post.body_html}
<div style='clear: both;'></div></div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>Posted by
<span class='fn' itemprop='author'>{blog.options.get("author", "Unknown")}</span></span>
<span class='post-timestamp'>at <meta content='{post.url}' itemprop='url'/>
<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'>
<abbr class='published' itemprop='datePublished' title='{feed_time(post.published, blog)}'
>{local:%I:%M %p}</abbr>
</a></span>
<span class='post-labels'>{"Labels: " + labels if labels else ""}</span></div></div></div></div></div>"""


def _comment_form(post: Post) -> str:
    """Blogger's own comment widget: its "Sign in with Google" is the platform's, not a lure."""
    blog = post.blog
    frame = f"https://www.blogger.com/comment/frame/{blog.blog_id}?po={post.post_id}&hl=en&saa=85391&origin=https://{blog.host}"
    return f"""<div class='comments' id='comments'><a name='comments'></a><h4>No comments:</h4>
<div id='Blog1_comments-block-wrapper'></div>
<div class='comment-form'><a name='comment-form'></a><h4 id='comment-post-message'>Post a Comment</h4>
<p>Comment as: <a
 href='https://accounts.google.com/ServiceLogin?passive=true&amp;continue={_COMMENT_FRAME}{blog.blog_id}'
 >Sign in with Google</a></p>
<a href='{html_lib.escape(frame)}' id='comment-editor-src'></a>
<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' frameborder='0'
 height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>
<script src='https://www.blogger.com/static/v1/jsbin/2567313873-comment_from_post_iframe.js'
 type='text/javascript'></script>
</div></div>"""


def _page(blog: Blog, title: str, main: str, canonical: str) -> str:
    return f"""<!DOCTYPE html>
<html dir='ltr' lang='en' xmlns='http://www.w3.org/1999/xhtml' xmlns:b='http://www.google.com/2005/gml/b'>
<head><meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{canonical}' rel='canonical'/>
<link rel='alternate' type='application/atom+xml' title='{html_lib.escape(blog.title)} - Atom' href='https://{blog.host}/feeds/posts/default'/>
<link rel='service.post' type='application/atom+xml' href='https://www.blogger.com/feeds/{blog.blog_id}/posts/default'/>
<title>{html_lib.escape(title)}</title></head>
<body class='variant-simplysimple'><div class='content-outer'>
<header><div class='header-outer'><h1 class='title'><a href='https://{blog.host}/'>{html_lib.escape(blog.title)}</a></h1>
<p class='description'><span>{html_lib.escape(blog.description)}</span></p></div></header>
<form action='https://{blog.host}/search' class='gsc-search-box'><input name='q' type='text'/>
<input type='submit' value='Search'/></form>
<div class='main-outer'><div class='blog-posts hfeed'>
{main}
</div></div>
<div class='blog-pager' id='blog-pager'><a class='home-link' href='https://{blog.host}/'>Home</a></div>
<div class='footer-outer'>Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div>
</div></body></html>"""


def post_page(post: Post) -> str:
    """A post's HTML page in the classic layout, with the comment widget."""
    title = f"{post.blog.title}: {post.title}"
    return _page(post.blog, title, _post_markup(post) + _comment_form(post), post.url)


def _blog_html(state: BloggerReplica, request: Request) -> Response:
    """Home page, post pages, ``/search`` and label pages of a blogspot blog."""
    state.record(request)
    blog = state.blog_for_host(request.host)
    if blog is None:
        return html(
            "<html><body><h1>Blog not found</h1><p>Sorry, the blog you were looking for does not exist.</p>"
            "</body></html>",
            404,
        )
    path = request.path
    if path == "/robots.txt":
        return text(robots_txt(blog))
    posts = _blog_posts(state, blog)
    if path == "/":
        return html(
            _page(blog, blog.title, "".join(_post_markup(p) for p in posts[:7]), f"https://{blog.host}/")
        )
    if path.startswith("/search"):
        return _search_html(state, blog, request)
    post = next((p for p in posts if urlsplit(p.url).path == path), None)
    if post is None:
        return html(
            _page(
                blog,
                blog.title,
                "<p>Sorry, the page you were looking for in this blog does not exist.</p>",
                f"https://{blog.host}{path}",
            ),
            404,
        )
    return html(post_page(post))


def _search_html(state: BloggerReplica, blog: Blog, request: Request) -> Response:
    """``/search?q=`` and ``/search/label/{Label}``: served, but robots.txt disallows them."""
    if request.path.startswith("/search/label/"):
        posts = state.dataset.tagged(unquote(request.path[len("/search/label/") :]), "blogger", blog)
    else:
        posts = state.dataset.search(request.arg("q") or "", "blogger", blog)
    size = request.int_arg("max-results", 20)
    return html(_page(blog, blog.title, "".join(_post_markup(p) for p in posts[:size]), request.url))


# --- API v3 -------------------------------------------------------------------------------------------------
def _api_base(request: Request) -> str:
    host = request.host.split(":")[0].lower()
    return f"https://{host}/blogger/v3" if host == "www.googleapis.com" else f"https://{host}/v3"


def api_blog(state: BloggerReplica, blog: Blog, request: Request) -> dict[str, Any]:
    """A ``blogger#blog`` resource (its ``url`` is ``http://``, as Blogger still reports it)."""
    base, posts = _api_base(request), _blog_posts(state, blog)
    updated = posts[0].published if posts else _blog_published(state, blog)
    return {
        "kind": "blogger#blog",
        "id": blog.blog_id,
        "name": blog.title,
        "description": blog.description,
        "published": api_time(_blog_published(state, blog), blog),
        "updated": api_time(updated, blog),
        "url": f"http://{blog.host}/",
        "selfLink": f"{base}/blogs/{blog.blog_id}",
        "posts": {"totalItems": len(posts), "selfLink": f"{base}/blogs/{blog.blog_id}/posts"},
        "pages": {"totalItems": 0, "selfLink": f"{base}/blogs/{blog.blog_id}/pages"},
        "locale": {"language": blog.options.get("language", "en"), "country": "", "variant": ""},
    }


def api_post(post: Post, request: Request, bodies: bool = True) -> dict[str, Any]:
    """A ``blogger#post`` resource (``labels`` absent when the post has none; ``replies.totalItems`` str)."""
    blog, base = post.blog, _api_base(request)
    self_link = f"{base}/blogs/{blog.blog_id}/posts/{post.post_id}"
    item: dict[str, Any] = {
        "kind": "blogger#post",
        "id": post.post_id,
        "blog": {"id": blog.blog_id},
        "published": api_time(post.published, blog),
        "updated": api_time(post.published + timedelta(minutes=3), blog),
        "etag": '"' + base64.b64encode(f"ts:{post.timestamp}".encode()).decode() + '"',
        "url": post.url.replace("https://", "http://", 1),
        "selfLink": self_link,
        "title": post.title,
    }
    if bodies:
        item["content"] = post.body_html
    image = _first_image(post)
    if image:
        item["images"] = [{"url": image}]
    item["author"] = {
        "id": _author_id(blog),
        "displayName": blog.options.get("author", "Unknown"),
        "url": f"https://www.blogger.com/profile/{_author_id(blog)}",
        "image": {"url": "//resources.blogblog.com/img/b16-rounded.gif"},
    }
    item["replies"] = {"totalItems": "0", "selfLink": f"{self_link}/comments"}
    if post.tags:
        item["labels"] = list(post.tags)
    return item


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"CgkIChj{offset:06d}".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int | None:
    """The offset a page token stands for (0 without one; ``None`` when it is not ours)."""
    if not token:
        return 0
    try:
        decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded[7:]) if decoded.startswith("CgkIChj") and decoded[7:].isdigit() else None


def _post_list(posts: list[Post], request: Request, size: int) -> Response:
    token = request.arg("pageToken")
    offset = _offset(token)
    if offset is None:
        return _invalid("pageToken", token or "")
    bodies = request.arg("fetchBodies", "true") != "false"
    body: dict[str, Any] = {"kind": "blogger#postList"}
    if offset + size < len(posts):
        body["nextPageToken"] = _token(offset + size)
    if offset > 0:
        body["prevPageToken"] = _token(max(0, offset - size))
    page = posts[offset : offset + size]
    if page:  # absent when empty
        body["items"] = [api_post(p, request, bodies) for p in page]
    body["etag"] = f'"{len(posts)}-{offset}"'
    return json_response(body, headers=[("Vary", "Origin, X-Origin, Referer")])


def _api(state: BloggerReplica, request: Request) -> Response:
    state.record(request)
    error = api_key_error(request)
    if error is not None:
        return error
    route = request.params["route"]
    if route == "blogs/byurl":
        return _byurl(state, request)
    match = re.fullmatch(r"blogs/(?P<id>[^/]+)(?:/posts(?:/(?P<post>[^/]+))?)?", route)
    if not match:
        return _not_found()
    blog = state.blog_for_id(match["id"])
    if blog is None:
        return _not_found()
    if "/posts" not in route:
        return json_response(api_blog(state, blog, request))
    if match["post"] == "search":
        return _api_search(state, blog, request)
    if match["post"]:
        post = next((p for p in _blog_posts(state, blog) if p.post_id == match["post"]), None)
        return json_response(api_post(post, request)) if post else _not_found()
    return _api_list(state, blog, request)


def _byurl(state: BloggerReplica, request: Request) -> Response:
    url = request.arg("url")
    if not url:
        return _required("url")
    host = urlsplit(url if "//" in url else f"http://{url}").hostname or ""
    blog = state.blog_for_host(host)
    return json_response(api_blog(state, blog, request)) if blog else _not_found()


def _api_list(state: BloggerReplica, blog: Blog, request: Request) -> Response:
    try:
        size = request.int_arg("maxResults", API_LIST_DEFAULT)
    except ValueError:
        return _invalid("maxResults", request.arg("maxResults") or "")
    if not 0 < size <= API_LIST_MAX:
        return _invalid("maxResults", str(size))
    posts = _blog_posts(state, blog)
    labels = [label for label in (request.arg("labels") or "").split(",") if label.strip()]
    for label in labels:
        wanted = {p.url for p in state.dataset.tagged(label.strip(), "blogger", blog)}
        posts = [p for p in posts if p.url in wanted]
    return _post_list(posts, request, size)


def _api_search(state: BloggerReplica, blog: Blog, request: Request) -> Response:
    query = request.arg("q")
    if not query:
        return _required("q")
    return _post_list(
        state.dataset.search(query, "blogger", blog), request, max(1, state.api_search_page_size)
    )


# --- wiring -------------------------------------------------------------------------------------------------
def register(router: Router, dataset: Dataset) -> None:
    """Register the Blogger routes; the state (with its request log) is ``router.blogger``."""
    state = BloggerReplica(dataset)
    router.blogger = state  # type: ignore[attr-defined]  # tests read the request log here

    def blogspot_feed(request: Request) -> Response:
        return _render_feed(state, state.blog_for_host(request.host), request)

    def www_feed(request: Request) -> Response:
        return _render_feed(state, state.blog_for_id(request.params["blog_id"]), request)

    def www_robots(request: Request) -> Response:
        state.record(request)
        return text(_WWW_BLOGGER_ROBOTS)

    router.add(_BLOGSPOT, rf"/feeds/posts/(?P<kind>default|summary){_LABELS}", blogspot_feed)
    router.add(
        r"www\.blogger\.com", rf"/feeds/(?P<blog_id>\d+)/posts/(?P<kind>default|summary){_LABELS}", www_feed
    )
    router.add(r"www\.blogger\.com", r"/robots\.txt", www_robots)
    # one API, two roots: www.googleapis.com/blogger/v3 (docs) and blogger.googleapis.com/v3 (discovery doc)
    router.add(r"www\.googleapis\.com", r"/blogger/v3/(?P<route>blogs/.+)", lambda r: _api(state, r))
    router.add(r"blogger\.googleapis\.com", r"/v3/(?P<route>blogs/.+)", lambda r: _api(state, r))
    router.add(
        _BLOGSPOT,
        r"/(?:robots\.txt|search(?:/label/.+)?|\d{4}/\d{2}/[^/]+\.html)?",
        lambda r: _blog_html(state, r),
    )
