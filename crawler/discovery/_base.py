"""The discovery backend interface: a web-search API that finds blogspot blogs, Scrapy-free.

A backend builds :class:`SearchRequest` objects (URL and headers, the credential in a header so it
never shows up in a logged URL) and parses the API's answers into :class:`SearchPage` objects. The
``blogger`` spider turns requests into Scrapy requests and feeds responses back; tests call both
halves directly.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = ["DiscoveryBackend", "SearchPage", "SearchRequest"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchRequest:
    """One HTTP GET of a search API."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchPage:
    """One parsed page of results: the result URLs (unfiltered), the next page if any, or an
    error."""

    urls: list[str] = field(default_factory=list)
    next_page: int | None = None  # 1-based page number to fetch next
    error: str | None = None  # "HTTP 400 keyInvalid: API key not valid..." (the API's own words)
    fatal: bool = False  # a key or configuration problem: asking again cannot help


class DiscoveryBackend(ABC):
    """A web-search API queried with ``site:blogspot.com`` phrasings to find blogs and posts."""

    #: the name used in ``LUREWATCH_BLOGGER_DISCOVERY``
    name: ClassVar[str]
    #: the settings holding its credentials (all required)
    credential_names: ClassVar[tuple[str, ...]]
    #: HTTP statuses after which the backend is useless for the rest of the crawl
    fatal_statuses: ClassVar[frozenset[int]] = frozenset({401, 403})

    #: the most results the API returns per request (its default page size here)
    max_page_size: ClassVar[int] = 10

    @classmethod
    def usable(cls, name: str, value: str) -> bool:
        """Whether the credential setting ``name`` holds something this backend can use."""
        return bool(value)

    def __init__(self, credentials: Mapping[str, str], page_size: int = 0) -> None:
        self.credentials = dict(credentials)
        # smaller pages cost more queries (quota); 0 = the API's maximum
        self.page_size = (
            min(page_size, self.max_page_size) if page_size > 0 else self.max_page_size
        )

    @abstractmethod
    def build_request(self, query: str, page: int) -> SearchRequest | None:
        """The request for ``page`` (1-based) of ``query``; ``None`` past the API's result
        limit."""

    @abstractmethod
    def parse_results(self, data: Any, page: int) -> SearchPage:
        """The result URLs of a successful (HTTP 200) JSON answer."""

    @abstractmethod
    def error_message(self, data: Any) -> tuple[str, str]:
        """``(reason, message)`` from the API's error body."""

    def parse(self, url: str, status: int, body: bytes, page: int) -> SearchPage:
        """Parse one response; errors are logged naming the URL and the API's message."""
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        if status == 200 and isinstance(data, dict):
            return self.parse_results(data, page)
        reason = ""
        message = ""
        if isinstance(data, dict):
            reason, message = self.error_message(data)
        error = (
            f"HTTP {status} {reason}: {message}"
            if message
            else f"HTTP {status}: not a JSON answer"
        )
        fatal = status in self.fatal_statuses or self.is_fatal(status, reason)
        logger.error(
            "%s discovery failed for %s: %s%s",
            self.name,
            url,
            error,
            " (backend disabled for this crawl)" if fatal else "",
        )
        return SearchPage(error=error, fatal=fatal)

    def is_fatal(self, status: int, reason: str) -> bool:
        """Whether an error other than :attr:`fatal_statuses` disables the backend (bad key, bad
        config)."""
        return False
