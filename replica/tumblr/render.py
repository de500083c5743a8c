"""Posts and blogs as Tumblr's API shows them: legacy types, NPF objects, blog info, camelCase."""

from __future__ import annotations

import base64
import hashlib
import html as htmlmod
import re
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from replica.dataset import Blog, Dataset, Post
from replica.tumblr.links import blog_uuid, wrap_html
from replica.tumblr.npf import html_to_npf, npf_to_html

__all__ = ["PostRenderer", "camelize", "legacy_html", "legacy_type", "tag_key"]

_CAMEL = re.compile(r"_([a-z0-9])")


def tag_key(tag: str) -> str:
    """A tag as Tumblr compares tags: case, ``-``, ``+`` and extra spaces ignored."""
    return " ".join(tag.replace("-", " ").replace("+", " ").casefold().split())


def _gmt(post: Post) -> str:
    return post.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S GMT")


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


def legacy_html(post: Post) -> str:
    """The post's HTML as legacy formats show it (NPF-authored posts as Tumblr's ``npf_row``)."""
    if post.post_format == "npf":
        return npf_to_html(html_to_npf(post.body_html, post, True))
    return post.body_html


def _blog_json(blog: Blog, posts: list[Post]) -> dict[str, Any]:
    updated = max((p.timestamp for p in posts), default=0)
    return {
        "name": blog.name,
        "title": blog.title,
        "description": blog.description,
        "url": f"https://{blog.host}/",
        "uuid": blog_uuid(blog),
        "updated": updated,
        "posts": len(posts),
        "total_posts": len(posts),
        "ask": False,
        "is_nsfw": bool(blog.options.get("explicit")),
        "share_likes": False,
    }


class PostRenderer:
    """Renders a :class:`Post` as the API does: legacy or NPF, snake_case (web API: camelCase)."""

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
            "reblog_key": hashlib.md5(post.post_id.encode(), usedforsecurity=False).hexdigest()[
                :8
            ],
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
        original = {"text": "regular", "link": "link", "photo": "photo", "video": "video"}[
            legacy_type(post)
        ]
        return {
            **self.common(post),
            "type": "blocks",
            "original_type": original,
            "content": content,
            "layout": [
                {"type": "rows", "display": [{"blocks": [i]} for i in range(len(content))]}
            ],
            "trail": [],
        }

    def legacy(self, post: Post, filter_: str | None = None) -> dict[str, Any]:
        kind = legacy_type(post)
        body = wrap_html(legacy_html(post), post)
        if filter_ == "text":
            body = " ".join(re.sub(r"<[^>]+>", " ", htmlmod.unescape(body)).split())
        out = {
            **self.common(post),
            "type": kind,
            "trail": [],
            "reblog": {"comment": body, "tree_html": ""},
        }
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
        srcs = re.findall(
            r'<(?:iframe|video|source)\b[^>]*\bsrc=["\']([^"\']+)', post.body_html, re.I
        )
        caption = re.sub(r"<(iframe|video)\b.*?</\1>", "", body, flags=re.I | re.S)
        if post.title:
            caption = f"<h2>{htmlmod.escape(post.title)}</h2>{caption}"
        src = srcs[0] if srcs else ""
        embed = (
            f'<iframe width="500" height="281" src="{htmlmod.escape(src)}" frameborder="0">'
            "</iframe>"
        )
        out = {
            "caption": caption,
            "player": [{"width": w, "embed_code": embed} for w in (250, 400, 500)],
            "video_type": "youtube" if "youtu" in src else "unknown",
            "permalink_url": src,
        }
        if src.endswith((".mp4", ".m3u8", ".webm")):
            out["video_url"] = src
        return out


def camelize(obj: Any) -> Any:
    """snake_case keys to camelCase, recursively (``_links`` -> ``links``).

    The web API's answer to ``Accept: application/json;format=camelcase``.
    """
    if isinstance(obj, list):
        return [camelize(v) for v in obj]
    if isinstance(obj, dict):
        return {_camel_key(k): camelize(v) for k, v in obj.items()}
    return obj


def _camel_key(key: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), key.lstrip("_"))
