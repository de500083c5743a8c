"""Small pure helpers of the replica's world: HTML escaping, slugs, page shells, stable codes.

Every page and code is a function of its arguments only (codes are hashes of them), so the same
film always gets the same page and the world stays deterministic for a seed.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata

__all__ = ["GOOGLE_OAUTH", "code_for", "html_escape", "number_for", "page", "slugify"]

#: Google's OAuth consent URL, as lures (wide scopes) and real sites (narrow scopes) link it
GOOGLE_OAUTH = (
    "https://accounts.google.com/o/oauth2/v2/auth?client_id={client}.apps.googleusercontent.com"
    "&amp;redirect_uri={redirect}&amp;response_type=code&amp;scope={scope}&amp;access_type=offline"
    "&amp;prompt=consent"
)


def code_for(*parts: object, length: int = 7) -> str:
    """A short, deterministic, URL-safe code (shortener ids, video ids, signatures)."""
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).digest()
    return (
        base64.urlsafe_b64encode(digest)
        .decode()
        .rstrip("=")
        .replace("-", "x")
        .replace("_", "Z")[:length]
    )


def number_for(*parts: object, digits: int = 7) -> int:
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
    value: int = int(digest, 16) % (9 * 10 ** (digits - 1)) + 10 ** (digits - 1)
    return value


def page(title: str, body: str, head: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head>\n'
        f"<body>\n{body}\n</body></html>\n"
    )


def html_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def slugify(text: str, limit: int = 80) -> str:
    """An ASCII slug like WordPress/Tumblr make (accents folded, everything else dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.replace("&", " and ")).strip("-")
    return slug[:limit].rstrip("-") or "post"
