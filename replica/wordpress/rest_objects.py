"""Core REST (``wp/v2``) objects: posts, terms, users, with their ``_links`` and ``_embedded``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any
from urllib.parse import quote, urlencode

from replica.dataset import Post
from replica.wordpress.model import API_HOST, Site, Term, excerpt, pid, slugify, title_html

__all__ = ["RestBase", "core_post", "core_term", "core_user", "post_classes"]


@dataclass
class RestBase:
    """How a site's REST URLs are written: ``/wp-json`` (pretty), ``?rest_route=`` (plain), API."""

    site: Site
    style: str  # pretty | plain | wpcom

    def url(self, route: str, params: dict[str, Any] | None = None) -> str:
        query = urlencode(
            {k: v for k, v in (params or {}).items() if v not in (None, "")}, doseq=True
        )
        if self.style == "plain":
            return f"{self.site.home}/?rest_route={quote(route, safe='/')}" + (
                f"&{query}" if query else ""
            )
        if self.style == "wpcom":
            tail = route[len("/wp/v2") :] if route.startswith("/wp/v2") else route
            return f"https://{API_HOST}/wp/v2/sites/{self.site.host}{tail}" + (
                f"?{query}" if query else ""
            )
        return f"{self.site.home}/wp-json{route}" + (f"?{query}" if query else "")

    @property
    def index(self) -> str:
        return (
            self.url("/")
            if self.style != "wpcom"
            else f"https://{API_HOST}/wp/v2/sites/{self.site.host}"
        )


def _rendered(value: str, protected: bool | None = None) -> dict[str, Any]:
    return (
        {"rendered": value} if protected is None else {"rendered": value, "protected": protected}
    )


def post_classes(post_id: int, categories: list[Term], tags: list[Term]) -> list[str]:
    """A post's CSS classes as ``get_post_class()`` gives them (REST ``class_list``, articles)."""
    return [
        f"post-{post_id}",
        "post",
        "type-post",
        "status-publish",
        "format-standard",
        "hentry",
        *[f"category-{c.slug}" for c in categories],
        *[f"tag-{t.slug}" for t in tags],
    ]


def core_post(base: RestBase, post: Post, embed: str | None = None) -> dict[str, Any]:
    """A ``wp/v2/posts`` object (platforms.md §2.3): dates without TZ suffix, terms as IDs."""
    site = base.site
    post_id = pid(post)
    gmt = post.published.astimezone(UTC).replace(tzinfo=None)
    local = gmt + site.offset
    tags = site.tags_of(post)
    cats = site.categories_of(post)
    item: dict[str, Any] = {
        "id": post_id,
        "date": local.isoformat(timespec="seconds"),
        "date_gmt": gmt.isoformat(timespec="seconds"),
        "guid": _rendered(f"{site.home}/?p={post_id}"),
        "modified": local.isoformat(timespec="seconds"),
        "modified_gmt": gmt.isoformat(timespec="seconds"),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": post.url,
        "title": _rendered(title_html(post.title)),
        "content": _rendered(post.body_html, False),
        "excerpt": _rendered(f"<p>{excerpt(post.body_html)}</p>\n", False),
        "author": 1,
        "featured_media": 0,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": {"footnotes": ""},
        "categories": [c.id for c in cats],
        "tags": [t.id for t in tags],
        "class_list": post_classes(post_id, cats, tags),
        "_links": _post_links(base, post_id),
    }
    if embed is not None:
        item["_embedded"] = _embedded(base, post, embed)
    return item


def _post_links(base: RestBase, post_id: int) -> dict[str, Any]:
    self_href = base.url(f"/wp/v2/posts/{post_id}")
    return {
        "self": [{"href": self_href, "targetHints": {"allow": ["GET"]}}],
        "collection": [{"href": base.url("/wp/v2/posts")}],
        "about": [{"href": base.url("/wp/v2/types/post")}],
        "author": [{"embeddable": True, "href": base.url("/wp/v2/users/1")}],
        "replies": [{"embeddable": True, "href": base.url("/wp/v2/comments", {"post": post_id})}],
        "version-history": [{"count": 0, "href": base.url(f"/wp/v2/posts/{post_id}/revisions")}],
        "wp:attachment": [{"href": base.url("/wp/v2/media", {"parent": post_id})}],
        "wp:term": [
            {
                "taxonomy": "category",
                "embeddable": True,
                "href": base.url("/wp/v2/categories", {"post": post_id}),
            },
            {
                "taxonomy": "post_tag",
                "embeddable": True,
                "href": base.url("/wp/v2/tags", {"post": post_id}),
            },
        ],
        "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
    }


def core_term(base: RestBase, term: Term) -> dict[str, Any]:
    route = "/wp/v2/tags" if term.taxonomy == "post_tag" else "/wp/v2/categories"
    return {
        "id": term.id,
        "count": 1,
        "description": "",
        "link": base.site.term_link(term),
        "name": term.name,
        "slug": term.slug,
        "taxonomy": term.taxonomy,
        "meta": [],
        "_links": {
            "self": [{"href": base.url(f"{route}/{term.id}")}],
            "collection": [{"href": base.url(route)}],
        },
    }


def _embedded(base: RestBase, post: Post, embed: str) -> dict[str, Any]:
    """``_embed`` (all links) or ``_embed=author,wp:term`` (those only)."""
    wanted = {e.strip() for e in embed.split(",") if e.strip() and e.strip() not in ("1", "true")}
    site = base.site
    out: dict[str, Any] = {
        "author": [
            {
                "code": "rest_user_cannot_view",
                "message": "Sorry, you are not allowed to list users.",
                "data": {"status": 401},
            }
        ]
        if site.opt.get("users_hidden")
        else [core_user(base)],
        "wp:term": [
            [_embed_term(core_term(base, c)) for c in site.categories_of(post)],
            [_embed_term(core_term(base, t)) for t in site.tags_of(post)],
        ],
    }
    return {k: v for k, v in out.items() if not wanted or k in wanted}


def _embed_term(term: dict[str, Any]) -> dict[str, Any]:
    return {k: term[k] for k in ("id", "link", "name", "slug", "taxonomy", "_links")}


def core_user(base: RestBase) -> dict[str, Any]:
    name = str(base.site.opt.get("author", "admin"))
    return {
        "id": 1,
        "name": name,
        "url": "",
        "description": "",
        "link": f"{base.site.home}/author/{slugify(name)}/",
        "slug": slugify(name),
        "avatar_urls": {},
        "_links": {"self": [{"href": base.url("/wp/v2/users/1")}]},
    }
