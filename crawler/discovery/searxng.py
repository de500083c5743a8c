"""A SearXNG instance as a keyless discovery backend.

``GET {LUREWATCH_SEARXNG_URL}/search?q=&format=json&pageno=N``: the instance must allow the JSON
format (``search.formats`` in its ``settings.yml``). The answer carries ``results``, a list of
``{url, title, content, engine, engines, ...}``; there is no "more results" flag, so paging goes on
while a page has results, up to :data:`MAX_PAGES`. A self-hosted instance needs no key; its
polite rate is ``LUREWATCH_QUOTA_SEARXNG``.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from crawler.discovery._base import DiscoveryBackend, SearchPage, SearchRequest

__all__ = ["SearXNG"]

MAX_PAGES = 5


class SearXNG(DiscoveryBackend):
    """A SearXNG instance's JSON search API."""

    name: ClassVar[str] = "searxng"
    credential_names: ClassVar[tuple[str, ...]] = ("LUREWATCH_SEARXNG_URL",)
    fatal_statuses: ClassVar[frozenset[int]] = frozenset({401, 403})  # JSON format refused: 403
    max_page_size: ClassVar[int] = 10  # fixed by the instance; not a parameter

    @classmethod
    def usable(cls, name: str, value: str) -> bool:
        """An http(s) URL (offline mode's placeholder key is none: no instance, no backend)."""
        parts = urlsplit(value.strip())
        return parts.scheme in ("http", "https") and bool(parts.hostname)

    def _base(self) -> str | None:
        """The instance URL without a trailing slash; ``None`` unless it is http(s)."""
        base = self.credentials["LUREWATCH_SEARXNG_URL"].strip().rstrip("/")
        parts = urlsplit(base)
        return base if parts.scheme in ("http", "https") and parts.hostname else None

    def build_request(self, query: str, page: int) -> SearchRequest | None:
        base = self._base()
        if base is None or not 1 <= page <= MAX_PAGES:
            return None
        params = {"q": query, "format": "json", "pageno": page}
        return SearchRequest(f"{base}/search?{urlencode(params)}", {"Accept": "application/json"})

    def parse_results(self, data: Any, page: int) -> SearchPage:
        results = data.get("results") if isinstance(data, dict) else None
        urls = [
            r["url"]
            for r in results or []
            if isinstance(r, dict) and isinstance(r.get("url"), str)
        ]
        return SearchPage(urls=urls, next_page=page + 1 if urls and page < MAX_PAGES else None)

    def error_message(self, data: Any) -> tuple[str, str]:
        if isinstance(data, dict):
            return str(data.get("error") or ""), str(data.get("message") or "")
        return "", ""
