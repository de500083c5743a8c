"""Closing the HTTP/1.1 pool: one outcome however the pool's answer and the timeout interleave."""

from __future__ import annotations

import pytest
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from twisted.internet.defer import Deferred
from twisted.internet.task import Clock
from twisted.python.failure import Failure

from crawler.poolclose import PoolClosingHandler, close_pool
from crawler.rendering.handler import GuardedPlaywrightHandler


class FakePool:
    def __init__(self) -> None:
        self.closing: Deferred[None] = Deferred()

    def closeCachedConnections(self) -> Deferred[None]:
        return self.closing


def _outcomes(d: Deferred[None]) -> list[object]:
    seen: list[object] = []
    d.addBoth(seen.append)
    return seen


def test_the_pool_answering_first_cancels_the_timer() -> None:
    clock, pool = Clock(), FakePool()
    seen = _outcomes(close_pool(pool, 1, clock))  # type: ignore[arg-type]
    pool.closing.callback(None)
    assert seen == [None]
    assert clock.getDelayedCalls() == []  # nothing left to fire on a later turn
    clock.advance(5)
    assert seen == [None]


def test_a_pool_that_never_answers_is_given_up_after_the_timeout() -> None:
    clock, pool = Clock(), FakePool()
    seen = _outcomes(close_pool(pool, 1, clock))  # type: ignore[arg-type]
    clock.advance(0.9)
    assert seen == []
    clock.advance(0.2)
    assert seen == [None]
    pool.closing.callback(None)  # answering late is no second outcome and no AlreadyCalledError
    assert seen == [None]


def test_a_failing_close_is_passed_on() -> None:
    clock, pool = Clock(), FakePool()
    seen = _outcomes(close_pool(pool, 1, clock))  # type: ignore[arg-type]
    pool.closing.errback(Failure(ConnectionError("reset")))
    assert len(seen) == 1 and isinstance(seen[0], Failure)
    seen[0].trap(ConnectionError)  # consumed: not an unhandled error in the log
    assert clock.getDelayedCalls() == []


@pytest.mark.parametrize("handler", [GuardedPlaywrightHandler])
def test_the_crawl_handlers_close_through_close_pool(handler: type) -> None:
    mro = handler.__mro__
    assert mro.index(ScrapyPlaywrightDownloadHandler) < mro.index(PoolClosingHandler)
    assert mro.index(PoolClosingHandler) < mro.index(HTTP11DownloadHandler)
    assert handler.close is ScrapyPlaywrightDownloadHandler.close  # its browser is closed too
