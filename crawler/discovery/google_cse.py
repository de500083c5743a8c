"""Google Programmable Search (Custom Search JSON API) as a discovery backend (``platforms.md``
§4.4).

``GET https://www.googleapis.com/customsearch/v1?cx=&q=&num=10&start=1..91``: at most 100 results
per query, ``items`` absent on zero hits, ``queries.nextPage`` while more exist. The key travels in
the documented ``X-goog-api-key`` header instead of ``key=``, so request URLs (which Scrapy logs)
never carry it.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from crawler.discovery._base import DiscoveryBackend, SearchPage, SearchRequest

__all__ = ["GoogleCSE"]

ENDPOINT = "https://www.googleapis.com/customsearch/v1"
MAX_RESULTS = 100  # start + num - 1 may not exceed 100
_FATAL_REASONS = frozenset(
    {"keyInvalid", "keyExpired", "forbidden", "accessNotConfigured", "invalid", "badRequest"}
)


class GoogleCSE(DiscoveryBackend):
    """Custom Search JSON API (closed to new customers; ends 2027-01-01)."""

    name: ClassVar[str] = "google_cse"
    credential_names: ClassVar[tuple[str, ...]] = ("GOOGLE_CSE_KEY", "GOOGLE_CSE_CX")
    max_page_size: ClassVar[int] = 10  # num: 1..10

    def build_request(self, query: str, page: int) -> SearchRequest | None:
        start = 1 + (page - 1) * self.page_size
        if page < 1 or start + self.page_size - 1 > MAX_RESULTS:
            return None
        params = {
            "cx": self.credentials["GOOGLE_CSE_CX"],
            "q": query,
            "num": self.page_size,
            "start": start,
        }
        return SearchRequest(
            f"{ENDPOINT}?{urlencode(params)}",
            {"X-goog-api-key": self.credentials["GOOGLE_CSE_KEY"], "Accept": "application/json"},
        )

    def parse_results(self, data: Any, page: int) -> SearchPage:
        items = data.get("items") or []  # absent on zero hits
        urls = [
            item["link"]
            for item in items
            if isinstance(item, dict) and isinstance(item.get("link"), str)
        ]
        has_next = bool((data.get("queries") or {}).get("nextPage"))
        return SearchPage(urls=urls, next_page=page + 1 if has_next and urls else None)

    def error_message(self, data: Any) -> tuple[str, str]:
        error = data.get("error") or {}
        errors = error.get("errors") or [{}]
        return str(errors[0].get("reason") or error.get("status") or ""), str(
            error.get("message") or ""
        )

    def is_fatal(self, status: int, reason: str) -> bool:
        return status == 400 and reason in _FATAL_REASONS
