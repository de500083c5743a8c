"""Scrapy's cookie middleware, judging cookie domains with the bundled public-suffix list.

Scrapy's ``CookiesMiddleware`` asks tldextract whether a cookie's ``Domain`` is a public suffix
(a ``Domain=.co.uk`` cookie must not reach every UK site). Its module-level extractor has
tldextract's defaults: the first response that sets a ``Domain`` cookie makes it download the
list from publicsuffix.org and write it under ``~/.cache``. A crawl reaches nothing but the hosts
it crawls (in offline mode, only the replica) and writes nothing but its outputs, so this
subclass points Scrapy's module at :data:`pipelines.urls.SUFFIX_EXTRACTOR` (the snapshot shipped
with tldextract, no cache) before the first request. Cookie handling itself is Scrapy's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.exceptions import NotConfigured

from pipelines.urls import SUFFIX_EXTRACTOR

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["CookiesMiddleware", "use_bundled_suffix_list"]

#: The module attribute holding Scrapy's extractor (scrapy/downloadermiddlewares/cookies.py).
_EXTRACTOR_ATTRIBUTE = "_split_domain"


def use_bundled_suffix_list() -> None:
    """Make Scrapy's cookie middleware read the bundled public-suffix list (idempotent).

    Raises ``NotConfigured`` (cookies then stay off, with a warning) if this Scrapy keeps its
    extractor elsewhere: never silently fall back to one that downloads.
    """
    if not hasattr(scrapy_cookies, _EXTRACTOR_ATTRIBUTE):
        raise NotConfigured(
            f"scrapy.downloadermiddlewares.cookies has no {_EXTRACTOR_ATTRIBUTE}: its"
            " public-suffix list could be downloaded, so cookies stay off"
        )
    setattr(scrapy_cookies, _EXTRACTOR_ATTRIBUTE, SUFFIX_EXTRACTOR)


class CookiesMiddleware(scrapy_cookies.CookiesMiddleware):
    """Scrapy's ``CookiesMiddleware`` with an offline public-suffix list (see the module)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Swap in the bundled suffix list, then build Scrapy's middleware as usual."""
        use_bundled_suffix_list()
        return super().from_crawler(crawler)
