"""Fire-and-forget browser actions (close a page, dismiss a dialog) that are neither lost nor
silent.

The event loop keeps only a weak reference to a task: one nobody holds may be garbage-collected
before it runs, and an exception nobody retrieves surfaces later as "Task exception was never
retrieved". A :class:`BackgroundTasks` holds each task until it ends and logs its failure, if any.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Coroutine

__all__ = ["BackgroundTasks"]

logger = logging.getLogger(__name__)


class BackgroundTasks:
    """The running fire-and-forget tasks of one owner (a page guard, the context recycler)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Schedule ``coro`` on the running loop, keeping a reference until it is done."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()  # retrieved here, so asyncio never reports it as unretrieved
        if exc is not None:
            logger.warning(
                "Background browser task %s failed: %r", task.get_name(), exc, exc_info=exc
            )
