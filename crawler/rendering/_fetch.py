"""Bounded HTTP fetches on the browser's behalf: routed offline, size-capped, redirects followed
here.

Why not Playwright's ``route.fetch``: its driver buffers and gunzips the whole body with no limit
(a 20 MB page or a gzip bomb lands in node's memory before we can look at it). Scrapy's HTTP/1.1
handler cancels the transfer as soon as ``download_maxsize`` is passed, and we inflate with a
bounded decompressor.

Why redirects are followed here: Playwright never routes the request a fulfilled (or continued) 3xx
leads to, so the browser would fetch the ``Location`` itself - from the real internet in offline
mode.

Every hop is first checked by the crawl's :class:`~crawler.netguard.NetGuard`, the SSRF guard of
the downloader middleware: a request or redirect to a private address raises :class:`Forbidden`.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import DownloadCancelledError
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import CancelledError as TransferCancelled

from crawler.netguard import NetGuard
from crawler.offline import route_url
from crawler.poolclose import PoolClosingHandler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["FetchResult", "Forbidden", "Oversize", "RoutedFetcher"]

logger = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# hop-by-hop or recomputed by the browser / by us
_DROP_REQUEST = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "accept-encoding",
        "keep-alive",
        "te",
        "upgrade",
        "proxy-connection",
        "transfer-encoding",
    }
)
_DROP_RESPONSE = frozenset(
    {"content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"}
)


class Oversize(Exception):
    """A browser response was larger than ``LUREWATCH_RENDER_MAXSIZE`` (declared, received or
    inflated)."""


class Forbidden(Exception):
    """The SSRF guard refused a browser request's host (or a redirect hop's)."""


class TooManyRedirects(Exception):
    """A browser request kept redirecting past ``LUREWATCH_RENDER_REDIRECTS``."""


@dataclass
class FetchResult:
    """What the route hands back to the browser (``url`` is the final real URL after redirects)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)


class RoutedFetcher:
    """Fetches a browser request's URL through Scrapy's HTTP/1.1 handler, under the render
    limits."""

    def __init__(self, crawler: Crawler, origin: str) -> None:
        self.crawler = crawler
        self.origin = origin
        self.netguard = NetGuard.for_crawler(crawler)
        self._handler: HTTP11DownloadHandler | None = None

    @property
    def handler(self) -> HTTP11DownloadHandler:
        """Scrapy's HTTP/1.1 handler (own connection pool), built on first use, inside the
        reactor."""
        if self._handler is None:
            self._handler = build_from_crawler(PoolClosingHandler, self.crawler)
        return self._handler

    async def fetch(
        self,
        url: str,
        headers: dict[str, str],
        *,
        maxsize: int,
        download_timeout: float,
        max_redirects: int,
    ) -> FetchResult:
        """GET ``url`` following up to ``max_redirects`` redirects; raise :class:`Oversize` past
        ``maxsize``.

        Raises :class:`Forbidden` when the SSRF guard refuses ``url`` or a redirect hop.

        ``download_timeout`` bounds each hop; Scrapy's handler enforces it
        (``meta["download_timeout"]``).
        """
        redirects: list[str] = []
        while True:
            reason = await self.netguard.refusal(url)
            if reason:
                raise Forbidden(f"{url}: host is {reason}")
            response = await self._get(url, headers, maxsize, download_timeout)
            location = response.headers.get("Location")
            if response.status not in _REDIRECTS or not location:
                return FetchResult(
                    url,
                    response.status,
                    _response_headers(response),
                    _inflate(response, maxsize),
                    redirects,
                )
            if len(redirects) >= max_redirects:
                raise TooManyRedirects(
                    f"{len(redirects)} redirects from {redirects[0] if redirects else url}"
                )
            redirects.append(url)
            url = urljoin(url, location.decode("latin-1"))

    async def _get(
        self, url: str, headers: dict[str, str], maxsize: int, download_timeout: float
    ) -> Response:
        sent = {k: v for k, v in headers.items() if k.lower() not in _DROP_REQUEST}
        sent["Accept-Encoding"] = "gzip, deflate"  # never br/zstd: we inflate with a bound
        target = url
        if self.origin:
            target, host, scheme = route_url(url, self.origin)
            sent.update({"Host": host, "X-Forwarded-Proto": scheme})
        meta = {
            "download_maxsize": maxsize,
            "download_warnsize": 0,
            "download_timeout": download_timeout,
        }
        request = Request(target, headers=sent, dont_filter=True, meta=meta)
        try:
            return await self.handler.download_request(request)
        except (
            DownloadCancelledError,
            TransferCancelled,
        ) as exc:  # declared or received size > maxsize
            raise Oversize(f"{url}: larger than {maxsize} bytes") from exc

    async def close(self) -> None:
        if self._handler is not None:
            await self._handler.close()


def _response_headers(response: Response) -> dict[str, str]:
    """Response headers for ``route.fulfill``: one value per name (``Set-Cookie`` lines joined by
    ``\n``)."""
    out: dict[str, str] = {}
    for name, values in response.headers.items():
        key = name.decode("latin-1").lower()
        if key in _DROP_RESPONSE:
            continue
        sep = "\n" if key == "set-cookie" else ", "
        out[key] = sep.join(v.decode("latin-1") for v in values)
    return out


def _inflate(response: Response, maxsize: int) -> bytes:
    """The decoded body, never more than ``maxsize`` bytes (a gzip bomb raises
    :class:`Oversize`)."""
    encoding = (response.headers.get("Content-Encoding") or b"").decode("latin-1").strip().lower()
    body = response.body
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(47 if encoding != "deflate" else 15)
        try:
            out = inflater.decompress(body, maxsize + 1)
        except zlib.error:
            if encoding != "deflate":
                raise
            out = zlib.decompressobj(-15).decompress(
                body, maxsize + 1
            )  # raw deflate, as some servers send
    else:
        raise Oversize(f"{response.url}: unsupported Content-Encoding {encoding!r} (not inflated)")
    if len(out) > maxsize:
        raise Oversize(f"{response.url}: inflates past {maxsize} bytes ({encoding})")
    return out
