"""The spool: hits Elasticsearch did not take, as JSON Lines, until a replay sends them.

One file per alias, ``<LUREWATCH_DATA_DIR>/es-spool/<alias>.jsonl`` (files 0600, directories 0700:
hits name their targets); a line is
``{"doc": {...}, "reason": "...", "spooled_at": "..."}``. A replay first *claims* the file by
renaming it (atomic), so crawls can keep appending meanwhile, and deletes the claimed file only
once every line has been indexed or written back; a claimed file left by a crash is picked up by
the next replay. A lock file keeps two replays from running at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipelines.es.documents import utc_now
from pipelines.safety import open_private, private_dir

__all__ = ["Spool"]

logger = logging.getLogger(__name__)


class Spool:
    """Append-only JSON Lines of documents waiting for Elasticsearch."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, docs: Iterable[dict[str, Any]], reason: str) -> int:
        """Write ``docs`` (flushed and fsynced: a spooled hit survives a crash); return how
        many."""
        now = utc_now()
        lines = [
            json.dumps({"doc": doc, "reason": reason, "spooled_at": now}, ensure_ascii=False)
            + "\n"
            for doc in docs
        ]
        if not lines:
            return 0
        private_dir(self.path.parent)
        with open_private(self.path, "a", encoding="utf-8") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        return len(lines)

    def _claimed(self) -> list[Path]:
        return sorted(self.path.parent.glob(f"{self.path.stem}.replaying-*.jsonl"))

    def count(self) -> int:
        """Documents waiting, claimed files included."""
        files = [self.path, *self._claimed()] if self.path.parent.is_dir() else []
        return sum(_count_lines(path) for path in files if path.exists())

    @contextlib.contextmanager
    def replaying(self) -> Iterator[list[Path] | None]:
        """Claim the spool for a replay: yields the files to send, or ``None`` if a replay is
        running."""
        private_dir(self.path.parent)
        with open_private(self.path.parent / f"{self.path.stem}.lock") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield None
                return
            try:
                if self.path.exists():
                    self.path.rename(
                        self.path.with_name(f"{self.path.stem}.replaying-{uuid.uuid4().hex}.jsonl")
                    )
                yield self._claimed()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def read(self, path: Path) -> Iterator[dict[str, Any]]:
        """The documents of a claimed file; an unreadable line is moved to ``<alias>.corrupt`` and
        logged."""
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield dict(json.loads(line)["doc"])
                except (ValueError, KeyError, TypeError):
                    logger.error(
                        "spool %s line %d is not a spooled document; kept in %s.corrupt",
                        path,
                        number,
                        self.path.stem,
                    )
                    with open_private(self.path.with_suffix(".corrupt"), encoding="utf-8") as bad:
                        bad.write(line)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())
