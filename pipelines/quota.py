"""API quota budgets and the ledger that counts them across runs and processes.

A budget is a list of windows (``1000/h,5000/d``: at most 1,000 requests an hour and 5,000 a day)
for one platform, counted per API key (a fingerprint of it: the key itself is never stored) or per
host (the polite feed rates of WordPress.com and Blogger). Two ledgers keep the counts:

* :class:`FileLedger`: one JSON file under the data folder, read and written under an exclusive
  ``fcntl`` lock and replaced atomically, so processes share it and it survives restarts;
* :class:`RedisLedger`: the same counts in Redis (distributed mode), one key per window.

Both also remember the searches skipped for want of quota (:meth:`FileLedger.skipped`), so the
planner (:func:`plan_searches`) runs them first on the next run, and the searches that found hits.
Everything here is plain logic; the downloader middleware is :mod:`crawler.middlewares.quota`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import heapq
import json
import logging
import math
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from pipelines.exceptions import ConfigError

__all__ = [
    "FOLLOW_UP_SHARE",
    "FileLedger",
    "FollowUps",
    "Ledger",
    "PlannedSearch",
    "QuotaBudget",
    "RedisLedger",
    "Window",
    "first_page_budget",
    "hit_keys",
    "key_fingerprint",
    "paced_limit",
    "parse_budget",
    "plan_searches",
    "window_start",
]

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_WINDOW = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_MAX_SKIPPED = 10_000  # searches remembered per platform
_MAX_LEDGER_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Window:
    """At most ``limit`` requests every ``seconds`` (fixed windows aligned on the Unix epoch)."""

    limit: int
    seconds: int

    @property
    def label(self) -> str:
        """``1h``, ``1d``, ``1s`` ...: how the window appears in stats and ledger keys."""
        for unit, size in sorted(UNITS.items(), key=lambda item: -item[1]):
            if self.seconds % size == 0:
                return f"{self.seconds // size}{unit}"
        return f"{self.seconds}s"  # pragma: no cover - every parsed window is whole seconds


@dataclass(frozen=True)
class QuotaBudget:
    """The windows of one platform; ``per_host`` counts each host apart (feeds), else per key."""

    platform: str
    windows: tuple[Window, ...]
    per_host: bool = False


def parse_budget(platform: str, spec: str, *, setting: str, per_host: bool = False) -> QuotaBudget:
    """``"1000/h,5000/d"`` -> a :class:`QuotaBudget`; ``""`` or ``"0"`` means unlimited.

    A bad spec raises :class:`ConfigError` naming ``setting`` and the value.
    """
    windows: list[Window] = []
    text = spec.strip()
    if text and text != "0":
        for part in text.split(","):
            match = _WINDOW.match(part)
            if not match:
                raise ConfigError(
                    f"{setting}: {spec!r} is not a quota like '1000/h,5000/d' (units s, m, h, d)"
                )
            limit, count, unit = int(match[1]), int(match[2] or 1), match[3]
            if limit < 1 or count < 1 or limit > 10**9 or count > 10**6:
                raise ConfigError(f"{setting}: {spec!r} has a window out of range")
            windows.append(Window(limit, count * UNITS[unit]))
    return QuotaBudget(platform, tuple(sorted(windows, key=lambda w: w.seconds)), per_host)


def key_fingerprint(key: str) -> str:
    """A short, stable, non-reversible name for an API key (``-`` for no key)."""
    if not key:
        return "-"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def window_start(window: Window, now: float) -> int:
    """The Unix time the window containing ``now`` began."""
    return int(now // window.seconds) * window.seconds


def paced_limit(
    budget: QuotaBudget, used: Mapping[str, int], pace: float, now: float
) -> int | None:
    """The requests one run may spend when a run starts every ``pace`` seconds.

    Each window longer than ``pace`` (Tumblr's day, Programmable Search's day) spreads what it has
    left over the runs still to start in it, so the last poll of the day gets its share and the
    first ones do not spend the day by noon: ``ceil(left / runs left)``. ``None``: nothing to
    pace (``pace`` 0, or no window longer than it); windows of ``pace`` or shorter are left to
    the ledger, which refuses a request they have no room for.
    """
    if pace <= 0:
        return None
    shares = []
    for window in budget.windows:
        if window.seconds <= pace:
            continue
        remaining = window.seconds - (now - window_start(window, now))
        runs = max(1, math.ceil(remaining / pace))
        left = max(0, window.limit - used.get(window.label, 0))
        shares.append(math.ceil(left / runs))
    return min(shares, default=None)


class Ledger(Protocol):
    """What the middleware needs of a ledger."""

    def try_spend(self, budget: QuotaBudget, scope: str, now: float | None = None) -> float:
        """Count one request; ``0.0`` if allowed, else the seconds until a window has room."""
        ...

    def used(self, budget: QuotaBudget, scope: str, now: float | None = None) -> dict[str, int]:
        """Requests counted in each current window (by :attr:`Window.label`)."""
        ...

    def record_skipped(self, platform: str, searches: Iterable[str]) -> None:
        """Remember searches skipped for want of quota (run first next time)."""
        ...

    def skipped(self, platform: str) -> list[str]:
        """The searches skipped by earlier runs, oldest first."""
        ...

    def clear_skipped(self, platform: str, searches: Iterable[str]) -> None:
        """Forget skipped searches that have now run."""
        ...

    def record_hits(
        self, platform: str, search: str, count: int, now: float | None = None
    ) -> None:
        """Remember that ``search`` found ``count`` hits (for the planner)."""
        ...

    def recent_hits(self, platform: str) -> dict[str, float]:
        """Search -> Unix time it last found a hit."""
        ...


def _counter_key(budget: QuotaBudget, scope: str, window: Window, now: float) -> str:
    return f"{budget.platform}|{scope}|{window.label}|{window_start(window, now)}"


class FileLedger:
    """The ledger as one JSON file (``<data>/quota/ledger.json``), locked with ``fcntl``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """Yield the ledger's data under an exclusive lock; write it back atomically on exit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                data = self._read()
                before = json.dumps(data, sort_keys=True)
                yield data
                if json.dumps(data, sort_keys=True) != before:
                    self._write(data)
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read(_MAX_LEDGER_BYTES + 1)
        except FileNotFoundError:
            return {"counts": {}, "skipped": {}, "hits": {}}
        try:
            data = json.loads(raw) if len(raw) <= _MAX_LEDGER_BYTES else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            logger.warning("Quota ledger %s is unreadable: starting it afresh", self.path)
            return {"counts": {}, "skipped": {}, "hits": {}}
        for section in ("counts", "skipped", "hits"):
            if not isinstance(data.get(section), dict):
                data[section] = {}
        return data

    def _write(self, data: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @staticmethod
    def _prune(counts: dict[str, Any], now: float) -> None:
        for key in list(counts):
            try:
                label, start = key.rsplit("|", 2)[1:]
                seconds = int(label[:-1]) * UNITS[label[-1]]
                expired = int(start) + seconds <= now
            except (ValueError, KeyError):
                expired = True
            if expired:
                del counts[key]

    def try_spend(self, budget: QuotaBudget, scope: str, now: float | None = None) -> float:
        """Count one request if every window has room; else the seconds until one frees up."""
        now = time.time() if now is None else now
        with self._locked() as data:
            counts = data["counts"]
            self._prune(counts, now)
            wait = 0.0
            for window in budget.windows:
                if int(counts.get(_counter_key(budget, scope, window, now), 0)) >= window.limit:
                    wait = max(wait, window_start(window, now) + window.seconds - now)
            if wait > 0:
                return wait
            for window in budget.windows:
                key = _counter_key(budget, scope, window, now)
                counts[key] = int(counts.get(key, 0)) + 1
            return 0.0

    def used(self, budget: QuotaBudget, scope: str, now: float | None = None) -> dict[str, int]:
        """Requests counted in each current window."""
        now = time.time() if now is None else now
        with self._locked() as data:
            counts = data["counts"]
            return {
                w.label: int(counts.get(_counter_key(budget, scope, w, now), 0))
                for w in budget.windows
            }

    def record_skipped(self, platform: str, searches: Iterable[str]) -> None:
        """Remember ``searches`` (in order, no duplicates) as skipped."""
        with self._locked() as data:
            known: list[str] = list(data["skipped"].get(platform, []))
            known += [s for s in dict.fromkeys(searches) if s not in known]
            data["skipped"][platform] = known[-_MAX_SKIPPED:]

    def skipped(self, platform: str) -> list[str]:
        """The searches skipped by earlier runs."""
        with self._locked() as data:
            return [str(s) for s in data["skipped"].get(platform, [])]

    def clear_skipped(self, platform: str, searches: Iterable[str]) -> None:
        """Forget ``searches`` from the skipped list."""
        done = set(searches)
        with self._locked() as data:
            left = [s for s in data["skipped"].get(platform, []) if s not in done]
            if left:
                data["skipped"][platform] = left
            else:
                data["skipped"].pop(platform, None)

    def record_hits(
        self, platform: str, search: str, count: int, now: float | None = None
    ) -> None:
        """Remember when ``search`` last found hits."""
        if count <= 0:
            return
        now = time.time() if now is None else now
        with self._locked() as data:
            hits = data["hits"].setdefault(platform, {})
            hits[search] = now
            if len(hits) > _MAX_SKIPPED:
                for old in sorted(hits, key=hits.__getitem__)[: len(hits) - _MAX_SKIPPED]:
                    del hits[old]

    def recent_hits(self, platform: str) -> dict[str, float]:
        """Search -> when it last found a hit."""
        with self._locked() as data:
            return {str(k): float(v) for k, v in data["hits"].get(platform, {}).items()}


class RedisLedger:
    """The ledger in Redis (distributed mode): ``<prefix>:count:<platform>|<scope>|<w>|<t>``."""

    def __init__(self, client: Any, prefix: str = "lurewatch:quota") -> None:
        self.client = client
        self.prefix = prefix

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def try_spend(self, budget: QuotaBudget, scope: str, now: float | None = None) -> float:
        """INCR every window; if one goes over its limit, undo and return the wait."""
        now = time.time() if now is None else now
        keys = [self._key("count", _counter_key(budget, scope, w, now)) for w in budget.windows]
        pipe = self.client.pipeline()
        for key, window in zip(keys, budget.windows, strict=True):
            pipe.incr(key)
            pipe.expire(key, window.seconds + 60)
        values = pipe.execute()[::2]
        wait = 0.0
        for value, window in zip(values, budget.windows, strict=True):
            if int(value) > window.limit:
                wait = max(wait, window_start(window, now) + window.seconds - now)
        if wait > 0:
            undo = self.client.pipeline()
            for key in keys:
                undo.decr(key)
            undo.execute()
        return wait

    def used(self, budget: QuotaBudget, scope: str, now: float | None = None) -> dict[str, int]:
        """Requests counted in each current window."""
        now = time.time() if now is None else now
        values = self.client.mget(
            [self._key("count", _counter_key(budget, scope, w, now)) for w in budget.windows]
        )
        return {w.label: int(v or 0) for w, v in zip(budget.windows, values, strict=True)}

    def record_skipped(self, platform: str, searches: Iterable[str]) -> None:
        """Append ``searches`` to the platform's skipped set (ordered by first skip)."""
        key = self._key("skipped", platform)
        base = time.time()
        for offset, search in enumerate(dict.fromkeys(searches)):
            self.client.zadd(key, {search: base + offset * 1e-6}, nx=True)

    def skipped(self, platform: str) -> list[str]:
        """The searches skipped by earlier runs, oldest first."""
        return [_text(s) for s in self.client.zrange(self._key("skipped", platform), 0, -1)]

    def clear_skipped(self, platform: str, searches: Iterable[str]) -> None:
        """Forget ``searches`` from the skipped set."""
        done = list(searches)
        if done:
            self.client.zrem(self._key("skipped", platform), *done)

    def record_hits(
        self, platform: str, search: str, count: int, now: float | None = None
    ) -> None:
        """Remember when ``search`` last found hits."""
        if count > 0:
            now = time.time() if now is None else now
            self.client.hset(self._key("hits", platform), search, now)

    def recent_hits(self, platform: str) -> dict[str, float]:
        """Search -> when it last found a hit."""
        raw = self.client.hgetall(self._key("hits", platform))
        return {_text(k): float(v) for k, v in raw.items()}


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


@dataclass(frozen=True)
class PlannedSearch:
    """A search the planner may run: its query, its title's release date and name (if known)."""

    query: str
    release: date | None = None
    title: str = ""


def hit_keys(search: str | None, title: str | None) -> list[str]:
    """The ledger's "recent hits" names of a hit: its search, and its watched title."""
    keys = [search] if search else []
    if title:
        keys.append(f"title:{title}")
    return keys


def plan_searches(
    searches: Sequence[PlannedSearch],
    *,
    budget: int | None,
    today: date,
    recent_hits: Mapping[str, float] | None = None,
    skipped_before: Sequence[str] = (),
    cost: int = 1,
) -> tuple[list[PlannedSearch], list[PlannedSearch]]:
    """Order ``searches`` by value and cut them at ``budget`` requests (``cost`` each).

    Order: searches skipped by the last run first (in their old order); then round by round, a
    round holding the n-th search of every title (several phrasings of one title find the same
    posts, so a short budget covers every title once before any title twice). Within a round:
    titles (or searches) with recent hits first (latest first), then by distance of the title's
    release from ``today`` (closest first; no date last), then the given order.
    Returns ``(run, skipped)``.
    """
    hits = recent_hits or {}
    carried = {query: rank for rank, query in enumerate(skipped_before)}
    rounds: dict[int, int] = {}
    seen_per_title: dict[str, int] = {}
    for position, search in enumerate(searches):
        name = search.title or search.query
        rounds[position] = seen_per_title.get(name, 0)
        seen_per_title[name] = rounds[position] + 1

    def value(item: tuple[int, PlannedSearch]) -> tuple[int, float, int, float, int]:
        position, search = item
        if search.query in carried:
            return (0, float(carried[search.query]), 0, 0.0, position)
        found = [hits[key] for key in hit_keys(search.query, search.title) if key in hits]
        if found:
            return (1, float(rounds[position]), 0, -max(found), position)
        distance = (
            abs((search.release - today).days) if search.release is not None else float("inf")
        )
        return (1, float(rounds[position]), 1, distance, position)

    ordered = [search for _, search in sorted(enumerate(searches), key=value)]
    if budget is None:
        return ordered, []
    keep = max(0, budget // max(1, cost))
    return ordered[:keep], ordered[keep:]


#: Share of a short budget kept from first pages for the follow-ups hits lead to: on the replica a
#: blog with a hit, read through its listing, yields several fakes a call, a first page of one
#: more phrasing about none (docs/quota.md).
FOLLOW_UP_SHARE = 0.3


def first_page_budget(left: int, first_pages: int, share: float = FOLLOW_UP_SHARE) -> int:
    """How many of ``first_pages`` to plan with ``left`` requests: all of them when they fit,
    else all but ``share`` of ``left`` (kept for follow-ups)."""
    if first_pages <= left or left <= 0:
        return max(0, left)
    return max(1, int(left * (1 - share)))


@dataclass(order=True)
class _Deferred:
    rank: tuple[int, int, int, int]
    payload: Any = field(compare=False)


class FollowUps:
    """Follow-up requests (later pages, blog listings, expansion) held back while the quota left
    is owed to planned first pages; handed out later most valuable first: lower ``kind`` (0: a
    blog with a hit read through its listing, or a cross-linked post; 1: a listing of a blog a
    search found; 2: a later page of a search), then lower page, then the rank the planner gave
    the search's title, then arrival."""

    def __init__(self) -> None:
        self._heap: list[_Deferred] = []
        self._arrivals = 0

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, payload: Any, *, page: int, title_rank: int, kind: int = 2) -> None:
        """Hold ``payload`` back."""
        self._arrivals += 1
        rank = (kind, page, title_rank, self._arrivals)
        heapq.heappush(self._heap, _Deferred(rank, payload))

    def pop(self, count: int) -> list[Any]:
        """The ``count`` most valuable held payloads (fewer if fewer are held)."""
        out: list[Any] = []
        while self._heap and len(out) < count:
            out.append(heapq.heappop(self._heap).payload)
        return out
