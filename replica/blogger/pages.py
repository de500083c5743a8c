"""A blogspot blog's HTML: home, post pages with Blogger's comment form, ``/search``, robots."""

from __future__ import annotations

import html as html_lib
from urllib.parse import quote, unquote, urlsplit

from replica.blogger.state import BloggerReplica, blog_posts, blog_tz, feed_time
from replica.dataset import Blog, Post
from replica.http import Request, Response, html, text

__all__ = ["WWW_BLOGGER_ROBOTS", "blog_html", "post_page", "robots_txt"]

_COMMENT_FRAME = "https://www.blogger.com/comment/frame/"


def robots_txt(blog: Blog) -> str:
    """Blogger's default robots.txt (``/search`` is off-limits); owners may disallow everything."""
    if blog.options.get("robots_disallow_all"):
        return "User-agent: *\nDisallow: /\n"
    return (
        "User-agent: Mediapartners-Google\nDisallow: \n\n"
        "User-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: https://{blog.host}/sitemap.xml\n"
    )


WWW_BLOGGER_ROBOTS = (
    "User-agent: *\nDisallow: /search\nDisallow: /comment/\nDisallow: /email-post.g\n"
    "Disallow: /post-edit.g\n"
    "Disallow: /profile-find.g\nAllow: /\n"
)


def _post_markup(post: Post) -> str:
    blog = post.blog
    local = post.published.astimezone(blog_tz(blog))
    title = html_lib.escape(post.title)
    labels = ", ".join(
        f"<a href='https://{blog.host}/search/label/{quote(t)}' rel='tag'>{html_lib.escape(t)}</a>"
        for t in post.tags
    )
    labelled = f"Labels: {labels}" if labels else ""
    return f"""<div class='date-outer'><h2 class='date-header'><span>{local:%A, %B %d, %Y}</span>\
</h2>
<div class='post-outer'><div class='post hentry uncustomized-post-template' itemprop='blogPost'
 itemscope='itemscope'>
<meta content='{post.post_id}' itemprop='postId'/><a name='{post.post_id}'></a>
<h3 class='post-title entry-title' itemprop='name'><a href='{post.url}'>{title}</a></h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-{post.post_id}' \
itemprop='description articleBody'>
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
<span class='post-labels'>{labelled}</span></div></div></div></div></div>"""


def _comment_form(post: Post) -> str:
    """Blogger's own comment widget: its "Sign in with Google" is the platform's, not a lure."""
    blog = post.blog
    frame = (
        f"{_COMMENT_FRAME}{blog.blog_id}?po={post.post_id}&hl=en&saa=85391"
        f"&origin=https://{blog.host}"
    )
    return f"""<div class='comments' id='comments'><a name='comments'></a><h4>No comments:</h4>
<div id='Blog1_comments-block-wrapper'></div>
<div class='comment-form'><a name='comment-form'></a>\
<h4 id='comment-post-message'>Post a Comment</h4>
<p>Comment as: <a
 href='https://accounts.google.com/ServiceLogin?passive=true&amp;continue={_COMMENT_FRAME}{blog.blog_id}'
 >Sign in with Google</a></p>
<a href='{html_lib.escape(frame)}' id='comment-editor-src'></a>
<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' \
frameborder='0'
 height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>
<script src='https://www.blogger.com/static/v1/jsbin/2567313873-comment_from_post_iframe.js'
 type='text/javascript'></script>
</div></div>"""


def _page(blog: Blog, title: str, main: str, canonical: str) -> str:
    blog_title = html_lib.escape(blog.title)
    return f"""<!DOCTYPE html>
<html dir='ltr' lang='en' xmlns='http://www.w3.org/1999/xhtml' \
xmlns:b='http://www.google.com/2005/gml/b'>
<head><meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{canonical}' rel='canonical'/>
<link rel='alternate' type='application/atom+xml' title='{blog_title} - Atom' \
href='https://{blog.host}/feeds/posts/default'/>
<link rel='service.post' type='application/atom+xml' \
href='https://www.blogger.com/feeds/{blog.blog_id}/posts/default'/>
<title>{html_lib.escape(title)}</title></head>
<body class='variant-simplysimple'><div class='content-outer'>
<header><div class='header-outer'><h1 class='title'><a href='https://{blog.host}/'>{blog_title}</a>\
</h1>
<p class='description'><span>{html_lib.escape(blog.description)}</span></p></div></header>
<form action='https://{blog.host}/search' class='gsc-search-box'><input name='q' type='text'/>
<input type='submit' value='Search'/></form>
<div class='main-outer'><div class='blog-posts hfeed'>
{main}
</div></div>
<div class='blog-pager' id='blog-pager'><a class='home-link' href='https://{blog.host}/'>Home</a></div>
<div class='footer-outer'>Powered by \
<a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div>
</div></body></html>"""


def post_page(post: Post) -> str:
    """A post's HTML page in the classic layout, with the comment widget."""
    title = f"{post.blog.title}: {post.title}"
    return _page(post.blog, title, _post_markup(post) + _comment_form(post), post.url)


def blog_html(state: BloggerReplica, request: Request) -> Response:
    """Home page, post pages, ``/search`` and label pages of a blogspot blog."""
    state.record(request)
    blog = state.blog_for_host(request.host)
    if blog is None:
        return html(
            "<html><body><h1>Blog not found</h1>"
            "<p>Sorry, the blog you were looking for does not exist.</p></body></html>",
            404,
        )
    path = request.path
    if path == "/robots.txt":
        return text(robots_txt(blog))
    posts = blog_posts(state, blog)
    if path == "/":
        return html(
            _page(
                blog,
                blog.title,
                "".join(_post_markup(p) for p in posts[:7]),
                f"https://{blog.host}/",
            )
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
        posts = state.dataset.tagged(
            unquote(request.path[len("/search/label/") :]), "blogger", blog
        )
    else:
        posts = state.dataset.search(request.arg("q") or "", "blogger", blog)
    size = request.int_arg("max-results", 20)
    return html(
        _page(blog, blog.title, "".join(_post_markup(p) for p in posts[:size]), request.url)
    )
