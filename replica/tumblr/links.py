"""Tumblr's outbound-link wrapper ``t.umblr.com/redirect?z=<url>&t=<sig>``, written and read back.

The replica writes the wrapper itself and reads it back with its own :func:`unwrap` (not the
crawler's), so a bug in the crawler's unwrapping cannot hide in the reference data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html as htmlmod
import re
from urllib.parse import parse_qs, quote, urlsplit

from replica.dataset import Blog, Post

__all__ = ["blog_uuid", "signature", "unwrap", "wrap_html", "wrap_link"]

_SECRET = b"lurewatch-replica"
_TUMBLR_HOSTS = ("tumblr.com", "tmblr.co", "umblr.com")
_HREF = re.compile(r'(<a\b[^>]*?\bhref=)(["\'])(.*?)\2', re.I | re.S)


def signature(url: str) -> str:
    """The ``t`` parameter of a wrapped link: an HMAC of its target (wrong: an interstitial)."""
    digest = hmac.new(_SECRET, url.encode(), hashlib.sha256).hexdigest()[:40]
    return base64.b64encode(f"{digest},{digest[:8]}".encode()).decode()


def _is_tumblr_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _TUMBLR_HOSTS)


def wrap_link(url: str, post: Post | None = None) -> str:
    """``url`` as Tumblr rewrites outbound links: ``https://t.umblr.com/redirect?z=...&t=...``."""
    if not url.startswith(("http://", "https://")) or _is_tumblr_url(url):
        return url
    target = quote(url, safe="")
    wrapped = f"https://t.umblr.com/redirect?z={target}&t={quote(signature(url), safe='')}"
    if post is not None:
        blog = quote(blog_uuid(post.blog), safe="")
        wrapped += f"&b={blog}&p={quote(post.url, safe='')}&m=1"
    return wrapped


def unwrap(url: str) -> str:
    """The target of a ``t.umblr.com/redirect`` link (the replica's own wrapper), else ``url``."""
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
        quote_mark = m.group(2)
        href = htmlmod.escape(wrap_link(htmlmod.unescape(m.group(3)), post), quote=True)
        return f"{m.group(1)}{quote_mark}{href}{quote_mark}"

    return _HREF.sub(sub, markup)


def blog_uuid(blog: Blog) -> str:
    """The blog's ``t:...`` uuid (its id, or one derived from its name)."""
    if blog.blog_id:
        return blog.blog_id if blog.blog_id.startswith("t:") else f"t:{blog.blog_id}"
    digest = hashlib.sha256(blog.name.encode()).digest()[:16]
    return "t:" + base64.urlsafe_b64encode(digest).decode().rstrip("=")
