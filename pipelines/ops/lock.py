"""One run at a time: an ``fcntl`` lock file that records who holds it (pid, start time)."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from pipelines.exceptions import RunLockedError

__all__ = ["run_lock"]


def _holder(path: str) -> tuple[int | None, str | None]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None, None
    return data.get("pid"), data.get("started")


@contextmanager
def run_lock(path: str) -> Iterator[None]:
    """Hold ``path`` locked for the block; raise :class:`RunLockedError` naming the holder.

    The kernel drops the lock when the process dies, so a killed run never blocks the next one.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLockedError(path, *_holder(path)) from None
        started = datetime.now(UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "started": started}).encode())
        yield
    finally:
        os.close(fd)
