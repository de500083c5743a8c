
"""Platform page shells: Tumblr themes (legacy and NPF-rendered), WordPress classic and block
themes, Blogger classic and Contempo layouts, each with the platform's own comment/login
furniture."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .common import esc, rand_token, slugify

__all__ = ["PostCtx", "render_blogger", "render_tumblr", "render_wordpress", "tumblr_post_id"]


@dataclass
class PostCtx:
    """What a post builder hands to a theme."""

    lang: str
    headline: str  # HTML
    body: str  # HTML
    slug_source: str  # plain text the platform slugs
    site: str  # blog name / site host
    site_title: str
    author: str
    date: dt.datetime
    tags: list[str] = field(default_factory=list)
    post_type: str = "text"  # tumblr: text|photo|video
    summary: str = ""
    comments: str = "auto"  # auto|none|highlander|verbum|jetpack|selfhosted|blogger
    post_id: str = ""


def _head(lang: str, title: str, url: str, extra: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
        f'<link rel="canonical" href="{url}">\n<meta property="og:url" content="{url}">\n'
        f'<meta property="og:title" content="{title}">\n{extra}</head>\n'
    )


# Tumblr
def tumblr_post_id(rng: random.Random, year: int) -> str:
    """A Tumblr post id of the right magnitude for `year` (2013 ids are 11 digits, 2026 ids 18)."""
    if year <= 2014:
        return str(rng.randint(50_000_000_000, 69_999_999_999))
    return str(rng.randint(789_000_000_000_000_000, 812_000_000_000_000_000))


def _tumblr_controls(blog: str, url: str, pid: str) -> str:
    src = esc(
        f"https://www.tumblr.com/dashboard/iframe?tumblelogName={blog}&src={url}&pid={pid}&lang=en_US"
    )
    return (
        f'<iframe class="tmblr-iframe tmblr-iframe--desktop-loggedin-controls iframe-controls--desktop" '
        f'src="{src}" width="1" height="1" scrolling="no" frameborder="0"></iframe>\n'
    )


def _tumblr_tags(blog: str, tags: list[str]) -> str:
    items = "".join(
        f'<li><a href="https://{blog}.tumblr.com/tagged/{esc(slugify(t))}">#{esc(t)}</a></li>'
        for t in tags
    )
    return f'<ul class="tags">{items}</ul>'


def render_tumblr(ctx: PostCtx, rng: random.Random) -> tuple[str, str]:
    """(url, html) of a Tumblr permalink page in one of a few custom themes."""
    pid = ctx.post_id or tumblr_post_id(rng, ctx.date.year)
    url = f"https://{ctx.site}.tumblr.com/post/{pid}/{slugify(ctx.slug_source)}"
    theme = rng.choice(("redux", "optica", "custom"))
    notes = rng.randint(0, 900)
    head = _head(
        ctx.lang,
        f"{ctx.headline} | {esc(ctx.site_title)}",
        url,
        f'<meta name="description" content="{esc(ctx.summary)}">\n'
        f'<link rel="alternate" type="application/rss+xml" href="https://{ctx.site}.tumblr.com/rss">\n',
    )
    title_html = (
        f'<h2 class="title">{ctx.headline}</h2>'
        if ctx.post_type == "text"
        else f'<div class="caption"><p><b>{ctx.headline}</b></p></div>'
    )
    article = (
        f'<article class="post {ctx.post_type} theme-{theme}" id="post-{pid}" data-post-id="{pid}">\n'
        f'<div class="post-content">{title_html if ctx.post_type == "text" else ""}\n<div class="body-text">\n'
        f"{ctx.body}\n{'' if ctx.post_type == 'text' else title_html}</div></div>\n"
        f'<footer class="post-meta"><a class="date" href="{url}">{ctx.date:%b %d, %Y}</a> '
        f'<a class="notes" href="{url}#notes">{notes} notes</a>{_tumblr_tags(ctx.site, ctx.tags)}</footer>\n'
        f"</article>\n"
    )
    join = ""
    if rng.random() < 0.5:
        join = (
            '<div class="join-bar">Follow this blog on Tumblr: '
            f'<a href="https://www.tumblr.com/register?referer=blog_{ctx.site}">Sign up</a> or '
            f'<a href="https://www.tumblr.com/login?redirect_to=%2F{ctx.site}">Log in</a></div>\n'
        )
    body = (
        f'<body class="permalink-page">\n{_tumblr_controls(ctx.site, url, pid)}'
        f'<header id="header"><h1><a href="https://{ctx.site}.tumblr.com/">{esc(ctx.site_title)}</a></h1></header>\n'
        f'<main id="posts">\n{article}</main>\n{join}'
        f'<footer id="footer"><a href="https://www.tumblr.com/">Powered by Tumblr</a></footer>\n</body>\n</html>\n'
    )
    return url, head + body


# WordPress
def _wp_url(ctx: PostCtx, rng: random.Random, pid: int) -> str:
    slug = slugify(ctx.slug_source)
    if ctx.site.endswith(".wordpress.com") or rng.random() < 0.6:
        return f"https://{ctx.site}/{ctx.date:%Y/%m/%d}/{slug}/"
    return rng.choice(
        (f"https://{ctx.site}/{slug}/", f"https://{ctx.site}/{ctx.date:%Y/%m}/{slug}/")
    )


def _highlander(site: str, url: str, pid: int, rng: random.Random) -> str:
    back = esc(url)
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>\n'
        f'<form action="https://{site}/wp-comments-post.php" method="post" id="commentform" class="comment-form">\n'
        f'<input type="hidden" id="highlander_comment_nonce" name="highlander_comment_nonce" value="{rand_token(rng, 10)}">\n'
        '<div class="comment-form-field comment-textarea"><label for="comment">Enter your comment here...</label>'
        '<textarea id="comment" name="comment"></textarea></div>\n'
        '<div id="comment-form-identity"><div id="comment-form-nascar"><p>Fill in your details below or click an icon to log in:</p><ul>'
        '<li class="selected"><a href="#comment-form-guest" id="postas-guest" class="nascar-signin-link" title="Guest">Guest</a></li>'
        f'<li><a href="https://wordpress.com/log-in?redirect_to={back}" id="postas-wordpress" class="nascar-signin-link" title="WordPress.com">WordPress.com</a></li>'
        f'<li><a href="https://public-api.wordpress.com/connect/?googleplus-sign-in={back}&amp;color_scheme=light" id="postas-googleplus" class="nascar-signin-link" title="Google">Log in with Google</a></li>'
        f'<li><a href="https://public-api.wordpress.com/connect/?action=request_access&amp;service=facebook&amp;redirect_to={back}" id="postas-facebook" class="nascar-signin-link" title="Facebook">Log in with Facebook</a></li>'
        '</ul></div>\n<div id="comment-form-guest" class="comment-form-service selected">'
        '<div class="comment-form-field comment-form-email"><label for="email">Email (required) (Address never made public)</label>'
        '<input id="email" name="email" type="email" value=""></div>'
        '<div class="comment-form-field comment-form-author"><label for="author">Name (required)</label>'
        '<input id="author" name="author" type="text" value=""></div></div>\n'
        '<div id="comment-form-wordpress" class="comment-form-service"><p>You are commenting using your WordPress.com account.</p></div>\n'
        '<div id="comment-form-googleplus" class="comment-form-service"><p>You are commenting using your Google account.</p></div>\n'
        '<div id="comment-form-facebook" class="comment-form-service"><p>You are commenting using your Facebook account.</p></div></div>\n'
        f'<input type="hidden" name="comment_post_ID" value="{pid}" id="comment_post_ID">\n'
        '<p class="form-submit"><input name="submit" type="submit" id="comment-submit" class="submit" value="Post Comment"></p>\n'
        "</form></div>\n"
    )


def _verbum(site: str, url: str, pid: int, rng: random.Random) -> str:
    back = esc(url)
    return (
        '<div id="respond" class="comment-respond wp-block-post-comments-form"><h3 class="comment-reply-title">Leave a comment</h3>\n'
        f'<form action="https://wordpress.com/wp-comments-post.php?blog={rng.randint(10**8, 3 * 10**8)}" method="post" id="commentform" class="comment-form verbum-form">\n'
        '<textarea id="comment" name="comment" placeholder="Write a comment..."></textarea>\n'
        '<div class="verbum-subscriptions"><p>Log in or provide your name and email to leave a comment.</p>\n'
        f'<a class="verbum-social-login" data-service="google" href="https://wordpress.com/public.api/connect/?action=verify&amp;service=google&amp;redirect_to={back}">Log in with Google</a>\n'
        f'<a class="verbum-social-login" data-service="facebook" href="https://wordpress.com/public.api/connect/?action=verify&amp;service=facebook&amp;redirect_to={back}">Log in with Facebook</a>\n'
        f'<a class="verbum-social-login" data-service="wordpress" href="https://wordpress.com/log-in?redirect_to={back}">Log in with WordPress.com</a>\n'
        '<input type="email" name="email" placeholder="Email (Address never made public)"><input type="text" name="author" placeholder="Name"></div>\n'
        f'<input type="hidden" name="comment_post_ID" value="{pid}"><button type="submit" class="verbum-form-submit">Comment</button>\n'
        "</form></div>\n"
    )


def _jetpack(site: str, url: str, pid: int, rng: random.Random) -> str:
    src = esc(
        f"https://jetpack.wordpress.com/jetpack-comment/?blogid={rng.randint(10**8, 2 * 10**8)}&postid={pid}"
        f"&comment_registration=0&require_name_email=1&stc_enabled=1&show_avatars=1&greeting=Leave+a+Reply"
        f"&color_scheme=light&lang=en_US&jetpack_version=14.5&sig={rand_token(rng, 40, '0123456789abcdef')}"
        f"#parent={url}"
    )
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>\n'
        f'<form id="commentform" class="comment-form"><iframe title="Comment Form" src="{src}" '
        'name="jetpack_remote_comment" style="width:100%; height: 430px; border:0;" class="jetpack_remote_comment" '
        'id="jetpack_remote_comment" sandbox="allow-same-origin allow-top-navigation allow-scripts allow-forms allow-popups">'
        "</iframe></form></div>\n"
    )


def _selfhosted(site: str, url: str, pid: int, rng: random.Random) -> str:
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>\n'
        f'<form action="https://{site}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>\n'
        '<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>\n'
        '<p class="comment-form-comment"><label for="comment">Comment *</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>\n'
        '<p class="comment-form-author"><label for="author">Name *</label><input id="author" name="author" type="text" required></p>\n'
        '<p class="comment-form-email"><label for="email">Email *</label><input id="email" name="email" type="email" required></p>\n'
        '<p class="comment-form-url"><label for="url">Website</label><input id="url" name="url" type="url"></p>\n'
        f'<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment">'
        f'<input type="hidden" name="comment_post_ID" value="{pid}" id="comment_post_ID"></p></form></div>\n'
    )


_WP_COMMENTS = {
    "highlander": _highlander,
    "verbum": _verbum,
    "jetpack": _jetpack,
    "selfhosted": _selfhosted,
}


def _wp_comments(ctx: PostCtx, url: str, pid: int, rng: random.Random) -> str:
    kind = ctx.comments
    if kind == "auto":
        wpcom = ctx.site.endswith(".wordpress.com")
        kind = rng.choice(
            ("highlander", "verbum", "none") if wpcom else ("jetpack", "selfhosted", "none")
        )
    if kind == "none":
        return ""
    return f'<div id="comments" class="comments-area">\n{_WP_COMMENTS[kind](ctx.site, url, pid, rng)}</div>\n'


def render_wordpress(ctx: PostCtx, rng: random.Random) -> tuple[str, str]:
    """(url, html) of a WordPress single-post page, classic or block theme."""
    pid = int(ctx.post_id) if ctx.post_id else rng.randint(40, 48000)
    url = _wp_url(ctx, rng, pid)
    wpcom = ctx.site.endswith(".wordpress.com")
    gen = "WordPress.com" if wpcom else f"WordPress 6.{rng.randint(5, 9)}.{rng.randint(0, 2)}"
    extra = f'<meta name="generator" content="{gen}">\n'
    if wpcom:
        extra += f"<link rel='shortlink' href='https://wp.me/p{rand_token(rng, 5)}-{rand_token(rng, 2)}'>\n"
    head = _head(ctx.lang, f"{ctx.headline} &#8211; {esc(ctx.site_title)}", url, extra)
    comments = _wp_comments(ctx, url, pid, rng)
    when = f'<time class="entry-date published" datetime="{ctx.date.isoformat()}+00:00">{ctx.date:%B %d, %Y}</time>'
    tags = " ".join(
        f'<a href="https://{ctx.site}/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in ctx.tags
    )
    if rng.random() < 0.5:
        body = _wp_classic(ctx, url, pid, when, tags, comments)
    else:
        body = _wp_block(ctx, url, pid, when, tags, comments)
    return url, head + body


def _wp_classic(ctx: PostCtx, url: str, pid: int, when: str, tags: str, comments: str) -> str:
    tag_classes = " ".join(f"tag-{slugify(t)}" for t in ctx.tags[:4])
    return (
        f'<body class="post-template-default single single-post postid-{pid} single-format-standard">\n'
        f'<div id="page" class="site"><header id="masthead" class="site-header"><p class="site-title">'
        f'<a href="https://{ctx.site}/" rel="home">{esc(ctx.site_title)}</a></p></header>\n'
        '<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">\n'
        f'<article id="post-{pid}" class="post-{pid} post type-post status-publish format-standard hentry {tag_classes}">\n'
        f'<header class="entry-header"><h1 class="entry-title">{ctx.headline}</h1>\n<div class="entry-meta">'
        f'<span class="posted-on"><a href="{url}" rel="bookmark">{when}</a></span> <span class="byline">by '
        f'<span class="author vcard"><a class="url fn n" href="https://{ctx.site}/author/{slugify(ctx.author)}/">'
        f"{esc(ctx.author)}</a></span></span></div></header>\n"
        f'<div class="entry-content">\n{ctx.body}\n</div>\n'
        f'<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>\n</article>\n'
        f"{comments}</main></div></div></div>\n</body>\n</html>\n"
    )


def _wp_block(ctx: PostCtx, url: str, pid: int, when: str, tags: str, comments: str) -> str:
    return (
        f'<body class="post-template-default single single-post postid-{pid} single-format-standard wp-embed-responsive">\n'
        '<div class="wp-site-blocks"><header class="wp-block-template-part"><div class="wp-block-group is-layout-flex">'
        f'<p class="wp-block-site-title"><a href="https://{ctx.site}" rel="home">{esc(ctx.site_title)}</a></p></div></header>\n'
        '<main class="wp-block-group is-layout-constrained wp-block-group-is-layout-constrained">\n'
        f'<h1 class="wp-block-post-title">{ctx.headline}</h1>\n'
        f'<div class="wp-block-post-date">{when}</div>\n'
        '<div class="entry-content alignfull wp-block-post-content has-global-padding is-layout-constrained '
        f'wp-block-post-content-is-layout-constrained">\n{ctx.body}\n</div>\n'
        f'<div class="taxonomy-post_tag wp-block-post-terms">{tags}</div>\n'
        f'{comments}</main>\n<footer class="wp-block-template-part"><p class="has-small-font-size">Designed with '
        '<a href="https://wordpress.org" rel="nofollow">WordPress</a></p></footer></div>\n</body>\n</html>\n'
    )


# Blogger
def _blogger_comments(blog: str, blog_id: str, pid: str, skin: str) -> str:
    frame = esc(
        f"https://www.blogger.com/comment/frame/{blog_id}?po={pid}&hl=en&saa=85391"
        f"&origin=https://{blog}.blogspot.com{skin}"
    )
    return (
        '<div class="comment-form"><a name="comment-form"></a><h4 id="comment-post-message">Post a Comment</h4>\n'
        f'<a href="{frame}" id="comment-editor-src"></a>\n'
        '<iframe allowtransparency="true" class="blogger-iframe-colorize blogger-comment-from-post" frameborder="0" '
        'height="410px" id="comment-editor" name="comment-editor" src="" width="100%"></iframe>\n'
        '<script src="https://www.blogger.com/static/v1/jsbin/2830521187-comment_from_post_iframe.js" type="text/javascript"></script>\n'
        "<script type=\"text/javascript\">BLOG_CMT_createIframe('https://www.blogger.com/rpc_relay.html');</script>\n</div>\n"
    )


def render_blogger(ctx: PostCtx, rng: random.Random) -> tuple[str, str]:
    """(url, html) of a Blogger post page, classic or Contempo layout."""
    blog_id = str(rng.randint(10**18, 9 * 10**18))
    pid = ctx.post_id or str(rng.randint(10**18, 9 * 10**18))
    url = f"https://{ctx.site}.blogspot.com/{ctx.date:%Y/%m}/{slugify(ctx.slug_source)[:60].strip('-')}.html"
    extra = (
        '<meta content="blogger" name="generator">\n'
        f'<link rel="alternate" type="application/atom+xml" title="{esc(ctx.site_title)} - Atom" '
        f'href="https://{ctx.site}.blogspot.com/feeds/posts/default">\n'
        f'<link rel="service.post" type="application/atom+xml" href="https://www.blogger.com/feeds/{blog_id}/posts/default">\n'
    )
    head = _head(ctx.lang, f"{esc(ctx.site_title)}: {ctx.headline}", url, extra)
    wants_comments = ctx.comments in ("auto", "blogger") and (
        ctx.comments == "blogger" or rng.random() < 0.65
    )
    contempo = rng.random() < 0.5
    comments = (
        _blogger_comments(ctx.site, blog_id, pid, "&skin=contempo" if contempo else "")
        if wants_comments
        else ""
    )
    labels = ", ".join(
        f'<a href="https://{ctx.site}.blogspot.com/search/label/{esc(t)}" rel="tag">{esc(t)}</a>'
        for t in ctx.tags
    )
    build = _blogger_contempo if contempo else _blogger_classic
    return url, head + build(ctx, url, blog_id, pid, labels, comments)


def _blogger_classic(
    ctx: PostCtx, url: str, blog_id: str, pid: str, labels: str, comments: str
) -> str:
    return (
        '<body><div class="content"><div class="main-outer"><div class="main section" id="main">'
        '<div class="widget Blog" data-version="1" id="Blog1"><div class="blog-posts hfeed">\n'
        f'<div class="date-outer"><h2 class="date-header"><span>{ctx.date:%A, %B %d, %Y}</span></h2>'
        '<div class="date-posts"><div class="post-outer">\n'
        '<div class="post hentry uncustomized-post-template" itemprop="blogPost" itemscope="itemscope" '
        'itemtype="http://schema.org/BlogPosting">\n'
        f'<meta content="{blog_id}" itemprop="blogId"><meta content="{pid}" itemprop="postId"><a name="{pid}"></a>\n'
        f'<h3 class="post-title entry-title" itemprop="name">{ctx.headline}</h3>\n'
        f'<div class="post-body entry-content" id="post-body-{pid}" itemprop="description articleBody">\n'
        f'{ctx.body}\n<div style="clear: both;"></div></div>\n'
        '<div class="post-footer"><div class="post-footer-line post-footer-line-1">'
        f'<span class="post-author vcard">Posted by <span class="fn" itemprop="author">{esc(ctx.author)}</span></span> '
        f'<span class="post-timestamp">at <a class="timestamp-link" href="{url}" rel="bookmark" title="permanent link">'
        f'<abbr class="published" title="{ctx.date.isoformat()}-07:00">{ctx.date:%I:%M %p}</abbr></a></span> '
        f'<span class="post-labels">Labels: {labels}</span></div></div>\n</div>\n'
        f'<div class="comments" id="comments"><a name="comments"></a>\n{comments}</div>\n'
        "</div></div></div></div></div></div></div></div>\n</body>\n</html>\n"
    )


def _blogger_contempo(
    ctx: PostCtx, url: str, blog_id: str, pid: str, labels: str, comments: str
) -> str:
    section = (
        (
            f'<section class="comments embed" data-num-comments="0" id="comments"><a name="comments"></a>'
            f'<h3 class="title">Comments</h3>\n{comments}</section>\n'
        )
        if comments
        else ""
    )
    return (
        '<body class="version-1-3-3 variant-indie_light"><div class="page"><div class="centered">'
        '<main class="centered-bottom" id="main" role="main" tabindex="-1"><div class="main section" id="page_body">'
        '<div class="widget Blog" data-version="2" id="Blog1"><div class="blog-posts hfeed container">\n'
        '<article class="post-outer-container"><div class="post-outer"><div class="post">\n'
        f'<a name="{pid}"></a><h3 class="post-title entry-title">{ctx.headline}</h3>\n'
        '<div class="post-header"><div class="post-header-line-1"><span class="byline post-timestamp">'
        f'<a class="timestamp-link" href="{url}" rel="bookmark"><time class="published" datetime="{ctx.date.isoformat()}-07:00">'
        f"{ctx.date:%B %d, %Y}</time></a></span></div></div>\n"
        f'<div class="post-body-container"><div class="post-body entry-content float-container" id="post-body-{pid}">\n'
        f"{ctx.body}\n</div></div>\n"
        f'<div class="post-footer"><span class="byline post-labels">{labels}</span></div>\n'
        f"</div></div>\n{section}</article>\n</div></div></div></main></div></div>\n</body>\n</html>\n"
    )
