"""``lurewatch watch``'s settings, read and checked in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.config import SettingsLike, read_float, read_int, read_str
from pipelines.exceptions import ConfigError
from pipelines.takedowns.config import parse_duration

__all__ = ["WatchConfig"]

_MIN_INTERVAL = 10.0  # seconds: below it a poll would hammer the platforms
_MAX_RECHECK = 366 * 86400.0  # as crawler/middlewares/incremental.py checks it


@dataclass(frozen=True)
class WatchConfig:
    """Poll interval and count, overlap, and the files under the data folder."""

    interval: float  # seconds from one poll's start to the next's
    polls: int  # 0: until SIGTERM
    overlap: float  # seconds
    state: Path  # the cursors (pipelines/cursors.py)
    lock: Path  # one watch at a time
    run_lock: Path  # shared with `lurewatch nightly`: a poll and a night never overlap
    recheck: float  # LUREWATCH_RECHECK_INTERVAL: posts judged since are not judged again

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> WatchConfig:
        """Read ``LUREWATCH_WATCH_*``; a bad value raises :class:`ConfigError` naming it."""
        interval = parse_duration(
            read_str(settings, "LUREWATCH_WATCH_INTERVAL"), "LUREWATCH_WATCH_INTERVAL"
        ).total_seconds()
        if interval < _MIN_INTERVAL:
            raise ConfigError(f"LUREWATCH_WATCH_INTERVAL: at least {_MIN_INTERVAL:g} s")
        overlap = parse_duration(
            read_str(settings, "LUREWATCH_WATCH_OVERLAP"), "LUREWATCH_WATCH_OVERLAP"
        ).total_seconds()
        data = Path(read_str(settings, "LUREWATCH_DATA_DIR") or "data")
        return cls(
            interval=interval,
            polls=read_int(settings, "LUREWATCH_WATCH_POLLS", minimum=0),
            overlap=overlap,
            state=data / "watch" / "cursors.json",
            lock=Path(read_str(settings, "LUREWATCH_WATCH_LOCK") or data / "watch.lock"),
            run_lock=Path(read_str(settings, "LUREWATCH_NIGHTLY_LOCK") or data / "nightly.lock"),
            recheck=read_float(
                settings, "LUREWATCH_RECHECK_INTERVAL", minimum=0, maximum=_MAX_RECHECK
            ),
        )
