"""Distributed mode: a download one worker fetched reaches another worker from Redis as the same
response (URL, status, every header, the body's exact bytes), so the second judges what the first
saw; a fetch that failed reaches it as failed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, HtmlResponse, Response, TextResponse

from crawler.distributed import SharedFetchMiddleware
from tests.integration.conftest import crawl_id, redis_url  # noqa: F401 - real Redis fixtures
from tests.ops._distributed import worker_crawler

# bytes a text encoding would mangle: a NUL, raw newlines (the stored value's own separator),
# a byte that is no UTF-8, and a JSON-looking line
BODY = b'<html><body>\x00 first\nsecond\r\n\xff\xfe {"error": "x"}\n</body></html>'


def _worker(redis_url: str, crawl_id: str, tmp_path: Path) -> SharedFetchMiddleware:  # noqa: F811
    crawler = worker_crawler(redis_url, crawl_id, tmp_path)
    crawler._apply_settings()  # the add-ons' settings, as a crawl gets them
    return SharedFetchMiddleware.from_crawler(crawler)


def _landing(url: str, status: int = 200) -> Response:
    headers = Headers()
    headers.appendlist("Content-Type", "text/html; charset=latin-1")
    headers.appendlist("Set-Cookie", "a=1")
    headers.appendlist("Set-Cookie", "b=2")  # a header given twice stays twice
    return HtmlResponse(url=url, status=status, headers=headers, body=BODY)


async def _both(one: SharedFetchMiddleware, two: SharedFetchMiddleware, url: str) -> Any:
    request = Request(url)
    assert await one.process_request(request) is None  # the first worker fetches
    fetched = _landing("https://final.example/after-redirect", status=404)
    fetched.request = request
    await one.process_response(request, fetched)
    copy = await two.process_request(Request(url))
    await one.spider_closed()
    await two.spider_closed()
    return fetched, copy


@pytest.mark.redis
def test_the_second_worker_gets_the_first_workers_response_byte_for_byte(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    one = _worker(redis_url, crawl_id, tmp_path / "one")
    two = _worker(redis_url, crawl_id, tmp_path / "two")
    fetched, copy = asyncio.run(_both(one, two, "https://lure.example/watch"))
    assert isinstance(copy, HtmlResponse) and "shared" in copy.flags
    assert copy.body == BODY
    assert (copy.url, copy.status) == (fetched.url, fetched.status)
    assert copy.headers.getlist("Set-Cookie") == [b"a=1", b"b=2"]
    assert isinstance(copy, TextResponse) and copy.encoding == "cp1252"  # latin-1, as declared


async def _failed(one: SharedFetchMiddleware, two: SharedFetchMiddleware, url: str) -> None:
    request = Request(url)
    assert await one.process_request(request) is None
    await one.process_exception(request, TimeoutError("stalled"))
    try:
        await two.process_request(Request(url))
    finally:
        await one.spider_closed()
        await two.spider_closed()


@pytest.mark.redis
def test_a_failed_fetch_reaches_the_other_worker_as_failed(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    one = _worker(redis_url, crawl_id, tmp_path / "one")
    two = _worker(redis_url, crawl_id, tmp_path / "two")
    with pytest.raises(IgnoreRequest, match="TimeoutError"):
        asyncio.run(_failed(one, two, "https://slow.example/stream"))
