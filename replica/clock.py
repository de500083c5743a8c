"""The replica's clock: real time, sped up by a factor for tests (``--clock 3600``: an hour a
second), on top of a base clock (:mod:`replica.takedowns`'s movable one when installed).

Everything of the replica that keeps time (quota windows and their resets, ``Date`` headers,
TMDB release dates) reads :meth:`ReplicaClock.now`, so a test can let an hour's quota window pass
in a second of real time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["ReplicaClock"]


class ReplicaClock:
    """``base() + (elapsed real seconds) * (factor - 1)``: ``factor`` 1 is the base clock."""

    def __init__(
        self,
        factor: float = 1.0,
        base: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < factor <= 1_000_000:
            raise ValueError(f"clock factor {factor!r} must be > 0 and <= 1000000")
        self.factor = factor
        self._base = base
        self._monotonic = monotonic
        self._started = monotonic()
        self._lock = threading.Lock()
        self._offset = 0.0

    def now(self) -> float:
        """The replica's Unix time."""
        with self._lock:
            offset = self._offset
        elapsed = self._monotonic() - self._started
        return self._base() + elapsed * (self.factor - 1) + offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (replica seconds)."""
        with self._lock:
            self._offset += seconds

    def real_seconds(self, seconds: float) -> float:
        """How many real seconds ``seconds`` of replica time take."""
        return seconds / self.factor
