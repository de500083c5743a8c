"""Brave Search API as a discovery backend (``platforms.md`` §4.4).

``GET https://api.search.brave.com/res/v1/web/search?q=&count=20&offset=N`` with the
``X-Subscription-Token`` header; ``offset`` counts pages (0..9),
``query.more_results_available`` says whether another page exists. Errors come as
``{"type": "ErrorResponse", "error": {"status", "code", "detail", "meta"}}`` (401 bad token, 422
missing token or bad parameter).
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from crawler.discovery._base import DiscoveryBackend, SearchPage, SearchRequest

__all__ = ["BraveSearch"]

ENDPOINT = "https://api.search.brave.com/res/v1/web/search"
MAX_OFFSET = 9  # offset is a page number


class BraveSearch(DiscoveryBackend):
    """Brave's web search API."""

    name: ClassVar[str] = "brave"
    credential_names: ClassVar[tuple[str, ...]] = ("BRAVE_API_KEY",)
    fatal_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 422})
    max_page_size: ClassVar[int] = 20  # count: at most 20

    def build_request(self, query: str, page: int) -> SearchRequest | None:
        if not 1 <= page <= MAX_OFFSET + 1:
            return None
        params = {"q": query, "count": self.page_size, "offset": page - 1}
        headers = {
            "X-Subscription-Token": self.credentials["BRAVE_API_KEY"],
            "Accept": "application/json",
        }
        return SearchRequest(f"{ENDPOINT}?{urlencode(params)}", headers)

    def parse_results(self, data: Any, page: int) -> SearchPage:
        results = (data.get("web") or {}).get("results") or []
        urls = [r["url"] for r in results if isinstance(r, dict) and isinstance(r.get("url"), str)]
        more = bool((data.get("query") or {}).get("more_results_available"))
        return SearchPage(
            urls=urls, next_page=page + 1 if more and urls and page <= MAX_OFFSET else None
        )

    def error_message(self, data: Any) -> tuple[str, str]:
        error = data.get("error") or {}
        detail = str(error.get("detail") or data.get("message") or "")
        problems = [
            e.get("msg", "") + " " + ".".join(map(str, e.get("loc", [])))
            for e in (error.get("meta") or {}).get("errors") or []
            if isinstance(e, dict)
        ]
        if problems:
            detail = f"{detail} ({'; '.join(p.strip() for p in problems)})"
        return str(error.get("code") or ""), detail
