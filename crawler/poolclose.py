"""Closing Scrapy's HTTP/1.1 connection pool without its shutdown race.

``HTTP11DownloadHandler.close`` (Scrapy 2.19) fires the pool's close Deferred from a timer after
``_disconnect_timeout`` seconds, in case the pool never answers, and cancels that timer only when
its coroutine resumes. On a loaded machine the pool answers, the timer fires before the coroutine
resumes, and Twisted logs ``AlreadyCalledError`` "while handling timed call" (a traceback in the
log of a crawl stopped by SIGTERM). Here the pool's answer and the timer race for one Deferred of
our own: the first wins, the other is a no-op, and the timer is cancelled as soon as the pool
answers.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

__all__ = ["PoolClosingHandler", "close_pool"]


def close_pool(pool: Any, timeout: float, clock: Any) -> Deferred[None]:
    """Close ``pool``'s cached connections (a Twisted ``HTTPConnectionPool``); the Deferred fires
    once, when the pool has closed them or after ``timeout`` seconds on ``clock`` (a reactor),
    whichever comes first."""
    done: Deferred[None] = Deferred()
    timer = clock.callLater(timeout, _fire, done, None)

    def closed(result: Any) -> None:
        if timer.active():
            timer.cancel()
        _fire(done, result)

    pool.closeCachedConnections().addBoth(closed)
    return done


def _fire(done: Deferred[None], result: Any) -> None:
    if done.called:
        return
    if isinstance(result, Failure):
        done.errback(result)
    else:
        done.callback(None)


class PoolClosingHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose ``close`` is :func:`close_pool`; put it after another
    subclass of ``HTTP11DownloadHandler`` in a class's bases to fix that one's close too."""

    async def close(self) -> None:
        from twisted.internet import reactor

        await maybe_deferred_to_future(close_pool(self._pool, self._disconnect_timeout, reactor))
