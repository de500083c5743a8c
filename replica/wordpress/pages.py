"""A WordPress blog's HTML (classic or block theme): search results, posts, search feed, robots."""

from __future__ import annotations

import html as htmllib
import math
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote_plus, urlencode

from replica.dataset import Post
from replica.http import Request, Response, html, text
from replica.wordpress.model import (
    WP_VERSION,
    Site,
    WordPressReplica,
    excerpt,
    iso_time,
    pid,
    title_html,
)
from replica.wordpress.rest_objects import post_classes

__all__ = ["HtmlPages", "block_item", "classic_article", "robots_txt", "theme_page"]

# the opening tag of a WordPress RSS 2.0 feed, with every namespace ``feed-rss2.php`` declares
_RSS_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
    'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _esc(value: str) -> str:
    return htmllib.escape(value, quote=True)


def _head(site: Site, title: str, extra: str = "") -> str:
    api = f"{site.home}/?rest_route=/" if site.plain else f"{site.home}/wp-json/"
    return (
        f'<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(htmllib.unescape(title))} &#8211; {_esc(site.blog.title)}</title>"
        f'<link rel="https://api.w.org/" href="{api}">'
        '<link rel="EditURI" type="application/rsd+xml" title="RSD" '
        f'href="{site.home}/xmlrpc.php?rsd">'
        f'<meta name="generator" content="WordPress {WP_VERSION}">{extra}</head>'
    )


def theme_page(
    site: Site, title: str, body_class: str, main: str, extra_head: str = "", status: int = 200
) -> Response:
    theme_class = (
        "wp-theme-twentytwentyfour wp-embed-responsive"
        if site.theme == "block"
        else "wp-theme-twentytwentyone"
    )
    markup = (
        f'{_head(site, title, extra_head)}<body class="{body_class} {theme_class}">'
        '<div id="page" class="site wp-site-blocks"><header class="site-header">'
        '<p class="site-title">'
        f'<a href="{site.home}/" rel="home">{_esc(site.blog.title)}</a></p>'
        f'<form role="search" method="get" class="search-form" action="{site.home}/">'
        f'<input type="search" name="s"></form></header>{main}</div></body></html>'
    )
    api = f"{site.home}/?rest_route=/" if site.plain else f"{site.home}/wp-json/"
    return html(markup, status, [("Link", f'<{api}>; rel="https://api.w.org/"')])


def _time(post: Post, css: str) -> str:
    moment = post.published.astimezone(UTC)
    return f'<time class="{css}" datetime="{iso_time(moment)}">{moment:%B %-d, %Y}</time>'


def classic_article(site: Site, post: Post, full: bool) -> str:
    post_id = pid(post)
    tags = site.tags_of(post)
    classes = " ".join([*post_classes(post_id, site.categories_of(post), tags), "entry"])
    heading = (
        f'<h1 class="entry-title">{title_html(post.title)}</h1>'
        if full
        else f'<h2 class="entry-title default-max-width"><a href="{post.url}" rel="bookmark">'
        f"{title_html(post.title)}</a></h2>"
    )
    body = post.body_html if full else f"<p>{excerpt(post.body_html)}</p>"
    tag_links = ", ".join(
        f'<a href="{site.term_link(t)}" rel="tag">{_esc(t.name)}</a>' for t in tags
    )
    cats = ", ".join(
        f'<a href="{site.term_link(c)}" rel="category tag">{_esc(c.name)}</a>'
        for c in site.categories_of(post)
    )
    return (
        f'<article id="post-{post_id}" class="{classes}">'
        f'<header class="entry-header">{heading}</header>'
        f'<div class="entry-content">{body}</div><footer class="entry-footer default-max-width">'
        f'<span class="posted-on">Published {_time(post, "entry-date published updated")}</span>'
        f'<span class="cat-links">Categorized as {cats}</span>'
        + (f'<span class="tags-links">Tagged {tag_links}</span>' if tags else "")
        + "</footer></article>"
    )


def block_item(site: Site, post: Post) -> str:
    post_id = pid(post)
    return (
        f'<li class="wp-block-post post-{post_id} post type-post status-publish '
        'format-standard hentry">'
        '<h2 class="wp-block-post-title has-x-large-font-size">'
        f'<a href="{post.url}" target="_self">'
        f"{title_html(post.title)}</a></h2>"
        f'<div class="wp-block-post-date">{_time(post, "")}</div>'
        f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
        f"{excerpt(post.body_html)}</p></div></li>"
    )


def _block_single(site: Site, post: Post) -> str:
    tags = "".join(
        f'<a href="{site.term_link(t)}" rel="tag">{_esc(t.name)}</a>' for t in site.tags_of(post)
    )
    return (
        '<main class="wp-block-group">'
        f'<h1 class="wp-block-post-title">{title_html(post.title)}</h1>'
        f'<div class="wp-block-post-date">{_time(post, "")}</div>'
        '<div class="entry-content wp-block-post-content is-layout-constrained">'
        f"{post.body_html}</div>"
        f'<div class="taxonomy-post_tag wp-block-post-terms">{tags}</div></main>'
    )


class HtmlPages:
    def __init__(self, wp: WordPressReplica) -> None:
        self.wp = wp

    def search_link(self, site: Site, query: str, page: int = 1, feed: bool = False) -> str:
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

    def search(self, site: Site, request: Request, query: str, page: int) -> Response:
        self.wp.note("html_search", page)
        per_page = int(site.opt.get("posts_per_page", 10))
        found = self.wp.search(site, query)
        pages = math.ceil(len(found) / per_page)
        feed = (
            '<link rel="alternate" type="application/rss+xml" '
            f'title="{_esc(site.blog.title)} &raquo; '
            f'Search Results for &#8220;{_esc(query)}&#8221; Feed" '
            f'href="{_esc(self.search_link(site, query, feed=True))}">'
        )
        if found and page > pages:
            return theme_page(
                site,
                "Page not found",
                "error404",
                "<main><h1>Nothing here</h1></main>",
                status=404,
            )
        chunk = found[(page - 1) * per_page : page * per_page]
        next_url = self.search_link(site, query, page + 1) if page < pages else None
        head = feed + (f'<link rel="next" href="{_esc(next_url)}">' if next_url else "")
        body_class = f"search {'search-results' if found else 'search-no-results'}" + (
            " paged" if page > 1 else ""
        )
        main = (self._block_list if site.theme == "block" else self._classic_list)(
            site, query, chunk, page, pages
        )
        return theme_page(site, f"Search Results for “{query}”", body_class, main, head)

    def _classic_list(
        self, site: Site, query: str, chunk: list[Post], page: int, pages: int
    ) -> str:
        header = (
            '<header class="page-header"><h1 class="page-title">Results for '
            f'"<span class="page-description search-term">{_esc(query)}</span>"</h1></header>'
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
            links += [self._page_number(site, query, n, page) for n in range(1, pages + 1)]
            if page < pages:
                next_url = _esc(self.search_link(site, query, page + 1))
                links.append(f'<a class="next page-numbers" href="{next_url}">Older posts</a>')
            nav = (
                '<nav class="navigation pagination" aria-label="Posts">'
                f'<div class="nav-links">{"".join(links)}</div></nav>'
            )
        articles = "".join(classic_article(site, p, False) for p in chunk)
        return f'<main id="main">{header}{articles}{nav}</main>'

    def _page_number(self, site: Site, query: str, n: int, current: int) -> str:
        if n == current:
            return f'<span aria-current="page" class="page-numbers current">{n}</span>'
        href = _esc(self.search_link(site, query, n))
        return f'<a class="page-numbers" href="{href}">{n}</a>'

    def _block_list(self, site: Site, query: str, chunk: list[Post], page: int, pages: int) -> str:
        title = (
            '<h1 class="wp-block-query-title">'
            f"Search results for: &#8220;{_esc(query)}&#8221;</h1>"
        )
        if not chunk:
            return (
                f'<main class="wp-block-group">{title}'
                '<div class="wp-block-query"><p>No results found.</p></div></main>'
            )
        nav = '<nav class="wp-block-query-pagination" aria-label="Pagination">'
        if page > 1:
            prev_url = _esc(self.search_link(site, query, page - 1))
            previous = "wp-block-query-pagination-previous"
            nav += f'<a href="{prev_url}" class="{previous}">Previous Page</a>'
        if page < pages:
            next_url = _esc(self.search_link(site, query, page + 1))
            nav += f'<a href="{next_url}" class="wp-block-query-pagination-next">Next Page</a>'
        items = "".join(block_item(site, p) for p in chunk)
        return (
            f'<main class="wp-block-group">{title}<div class="wp-block-query">'
            f'<ul class="wp-block-post-template">{items}</ul>{nav}</nav></div></main>'
        )

    def post_page(self, site: Site, post: Post) -> Response:
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
            '<meta property="article:published_time" '
            f'content="{iso_time(post.published.astimezone(UTC))}">'
        )
        main = (
            _block_single(site, post)
            if site.theme == "block"
            else f'<main id="main">{classic_article(site, post, True)}</main>'
        )
        body_class = (
            f"post-template-default single single-post postid-{pid(post)} single-format-standard"
        )
        return theme_page(site, post.title, body_class, main, head)

    def feed(self, site: Site, query: str, page: int) -> Response:
        self.wp.note("search_feed", page)
        per_page = int(site.opt.get("posts_per_rss", 10))
        chunk = self.wp.search(site, query)[(page - 1) * per_page : page * per_page]
        items = "".join(self._item(site, p) for p in chunk)
        built = chunk[0].published if chunk else datetime(2026, 1, 1, tzinfo=UTC)
        self_url = _esc(self.search_link(site, query, page, feed=True))
        xml = (
            f"{_RSS_OPEN}\n"
            "<channel>\n"
            f"<title>Search Results for &#8220;{_esc(query)}&#8221; &#8211; "
            f"{_esc(site.blog.title)}</title>\n"
            f'<atom:link href="{self_url}" rel="self" type="application/rss+xml" />\n'
            f"<link>{site.home}</link>\n<description>{_esc(site.blog.description)}</description>\n"
            f"<lastBuildDate>{format_datetime(built.astimezone(UTC))}</lastBuildDate>\n"
            "<language>en-US</language>\n"
            "<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
            "<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
            f"<generator>https://wordpress.org/?v={WP_VERSION}</generator>\n{items}</channel>\n</rss>\n"
        )
        return text(xml, 200, "application/rss+xml; charset=UTF-8")

    def _item(self, site: Site, post: Post) -> str:
        cats = "".join(
            f"<category>{_cdata(t.name)}</category>"
            for t in site.categories_of(post) + site.tags_of(post)
        )
        title = _esc(htmllib.unescape(re.sub(r"<[^>]+>", "", post.title)))
        return (
            f"<item>\n<title>{title}</title>\n<link>{_esc(post.url)}</link>\n"
            f"<comments>{_esc(post.url)}#respond</comments>\n"
            f"<dc:creator>{_cdata(str(site.opt.get('author', 'admin')))}</dc:creator>\n"
            f"<pubDate>{format_datetime(post.published.astimezone(UTC))}</pubDate>\n{cats}\n"
            f'<guid isPermaLink="false">{site.home}/?p={pid(post)}</guid>\n'
            f"<description>{_cdata(excerpt(post.body_html))}</description>\n"
            f"<content:encoded>{_cdata(post.body_html)}</content:encoded>\n"
            f"<wfw:commentRss>{_esc(post.url)}feed/</wfw:commentRss>\n"
            "<slash:comments>0</slash:comments>\n</item>\n"
        )

    def not_found(self, site: Site) -> Response:
        return theme_page(
            site,
            "Page not found",
            "error404",
            "<main><h1>Oops! That page can&rsquo;t be found.</h1></main>",
            status=404,
        )


def robots_txt(site: Site) -> Response:
    """WordPress's virtual robots.txt (``robots_disallow_all``: crawlers asked to stay away)."""
    if site.opt.get("robots_disallow_all"):
        return text("User-agent: *\nDisallow: /\n")
    sitemap = f"{site.home}/?sitemap=index" if site.plain else f"{site.home}/wp-sitemap.xml"
    return text(
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {sitemap}\n"
    )
