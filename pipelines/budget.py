"""A per-page time budget for judging, checked cooperatively between stages.

Every stage of judging a page is linear in its (bounded) size, but a page at the size caps still
costs seconds; :class:`Budget` keeps a hostile page from holding a worker thread for long. The
judging code calls :meth:`Budget.check` after each stage (parsing, decoding scripts, matching
titles ...); once the time is spent the remaining stages are skipped, the page is judged on what
was done (the forms and links already parsed are still scored) and :attr:`Budget.note` says so
in its reasons. No stage is interrupted and no thread is killed: the cost of overrunning is at
most one stage.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["Budget"]


class Budget:
    """``seconds`` of judging for one page (``math.inf``: unlimited), measured by ``clock``."""

    def __init__(self, seconds: float = math.inf, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._deadline = clock() + seconds
        self.exceeded_after: str | None = None

    def check(self, stage: str) -> bool:
        """``stage`` is done: ``True`` if judging may go on, ``False`` once the budget is spent."""
        if self.exceeded_after is None and self._clock() > self._deadline:
            self.exceeded_after = stage
        return self.exceeded_after is None

    @property
    def note(self) -> str | None:
        """The reason a page over budget carries, ``None`` while within budget."""
        if self.exceeded_after is None:
            return None
        return (
            f"judged partially: time budget {self.seconds:.1f} s exceeded after "
            f"{self.exceeded_after}"
        )
