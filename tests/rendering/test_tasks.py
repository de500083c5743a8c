"""BackgroundTasks: fire-and-forget page actions are kept alive until done and their failures
logged."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from crawler.rendering._tasks import BackgroundTasks


async def _fail() -> None:
    raise RuntimeError("page gone")


def test_tasks_are_held_until_done_and_failures_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    async def _ok() -> None:
        await asyncio.sleep(0)
        ran.append("ok")

    async def scenario() -> int:
        tasks = BackgroundTasks()
        tasks.spawn(_ok())
        tasks.spawn(_fail())
        held = len(tasks)
        gc.collect()  # only our references keep the tasks alive
        for _ in range(5):
            await asyncio.sleep(0)
        assert len(tasks) == 0
        return held

    with caplog.at_level(logging.WARNING, logger="crawler.rendering._tasks"):
        assert asyncio.run(scenario()) == 2
    assert ran == ["ok"]
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 1 and "page gone" in failures[0].getMessage()


def test_a_cancelled_task_is_not_reported(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        tasks = BackgroundTasks()
        tasks.spawn(asyncio.sleep(10)).cancel()
        for _ in range(3):
            await asyncio.sleep(0)
        assert len(tasks) == 0

    with caplog.at_level(logging.WARNING, logger="crawler.rendering._tasks"):
        asyncio.run(scenario())
    assert not caplog.records
