"""A Tumblr blog's own pages: theme HTML, post pages, tag pages, RSS and robots.txt."""

from __future__ import annotations

import html as htmlmod
import re
from email.utils import format_datetime
from urllib.parse import quote, unquote

from replica.dataset import Blog, Post
from replica.http import Request, Response, html, text
from replica.tumblr.links import wrap_html
from replica.tumblr.render import legacy_html, tag_key
from replica.tumblr.state import TumblrState

__all__ = ["ThemeRoutes"]

_POST_PATH = re.compile(r"/post/(?P<id>\d+)(?:/(?P<slug>[^/]*))?")
_LIST_PATH = re.compile(r"(?:/tagged/(?P<tag>[^/]+))?(?:/page/(?P<n>\d+))?(?P<rss>/rss)?")


def _hidden(blog: Blog) -> bool:
    return bool(blog.options.get("robots_disallow_all") or blog.options.get("hidden_from_search"))


class ThemeRoutes(TumblrState):
    """Every page on a blog's own host (``{blog}.tumblr.com`` or its custom domain)."""

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
        m = _POST_PATH.fullmatch(path)
        if m:
            return self._log("theme_post", request, self._theme_post(blog, m["id"], m["slug"]))
        m = _LIST_PATH.fullmatch(path if path != "/" else "")
        if m:
            listing = self._theme_list(blog, m["tag"], int(m["n"] or 1), bool(m["rss"]))
            return self._log("theme_list", request, listing)
        return html(NOTHING_HERE, 404)

    def _theme_post(self, blog: Blog, post_id: str, slug: str | None) -> Response:
        post = next(
            (p for p in self.dataset.posts_on("tumblr", blog) if p.post_id == post_id), None
        )
        if post is None:
            return html(NOTHING_HERE, 404)
        if slug is None or (slug and slug != post.slug):
            return Response(301, b"", [("Location", post.url)])
        tags = "".join(
            f'<a class="tag" href="/tagged/{quote(t)}">#{htmlmod.escape(t)}</a> '
            for t in post.tags
        )
        return html(
            THEME_POST.format(
                blog=htmlmod.escape(blog.title),
                title=htmlmod.escape(post.title),
                url=htmlmod.escape(post.url),
                body=wrap_html(legacy_html(post), post),
                date=post.published.isoformat(),
                id=post.post_id,
                tags=tags,
                desc=htmlmod.escape(self.render.common(post)["summary"]),
            )
        )

    def _theme_list(self, blog: Blog, tag: str | None, page: int, rss: bool) -> Response:
        posts = self.dataset.posts_on("tumblr", blog)
        if tag:
            posts = [p for p in posts if tag_key(unquote(tag)) in {tag_key(t) for t in p.tags}]
        if rss:
            return _rss(blog, posts[:20])
        size = self.config.theme_page_size
        chunk = posts[(page - 1) * size : page * size]
        items = "".join(_list_item(p) for p in chunk)
        base = f"/tagged/{tag}" if tag else ""
        nxt = ""
        if page * size < len(posts):
            nxt = f'<a class="next" href="{base}/page/{page + 1}">Next</a>'
        return html(
            f"<!doctype html><html><head><title>{htmlmod.escape(blog.title)}</title></head><body>"
            f"<h1>{htmlmod.escape(blog.title)}</h1>{items}<nav>{nxt}</nav></body></html>"
        )


def _list_item(post: Post) -> str:
    link = f'<a href="{htmlmod.escape(post.url)}">{htmlmod.escape(post.title)}</a>'
    return (
        f'<article class="post"><h2>{link}</h2>'
        f'<div class="body">{wrap_html(post.body_html, post)}</div></article>'
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
