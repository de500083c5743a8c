"""The documented quotas, enforced per API key on the replica's clock, and ``robots.txt`` for
the API hosts.

Quotas (fixed windows on :class:`replica.clock.ReplicaClock`; a refused request is not counted):

- Tumblr API v2: 1,000 requests an hour and 5,000 a day per consumer key; a 429 carries
  ``X-Ratelimit-Perhour-*`` and ``X-Ratelimit-Perday-*`` (limit, remaining, reset in seconds);
- Programmable Search: 100 queries a day per key, the day ending at midnight US Pacific time;
  a 429 ``RESOURCE_EXHAUSTED`` / ``rateLimitExceeded`` in Google's error envelope (no reset
  header: Google names none);
- Brave Search: 1 request a second (the free plan's rate); a 429 ``RATE_LIMITED`` with
  ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset`` and ``Retry-After``.

Enforcement is off unless :func:`install` is called (``python -m replica --quotas``, or
``ReplicaServer(quotas=True)``): the shared test replica serves many crawls a minute with one
placeholder key. Tests shrink a limit with :meth:`QuotaKeeper.set_limits` and speed the clock up.
This module imports nothing of ``crawler/`` or ``pipelines/``.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from replica.clock import ReplicaClock
from replica.http import Request, Response, Router, json_response, text

__all__ = [
    "DOCUMENTED",
    "QuotaKeeper",
    "QuotaWindow",
    "Verdict",
    "add_robots",
    "brave_quota_error",
    "google_quota_error",
    "install",
    "spend",
    "tumblr_headers",
]

PACIFIC_OFFSET = 8 * 3600  # Google's daily quota ends at midnight Pacific (standard) time
API_HOSTS = (
    r"(?:api\.tumblr\.com|www\.googleapis\.com|customsearch\.googleapis\.com"
    r"|api\.search\.brave\.com|public-api\.wordpress\.com)"
)
#: robots.txt of the API hosts: API clients are welcome (written for the replica, not copied)
ROBOTS = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class QuotaWindow:
    """At most ``limit`` requests every ``seconds``, windows starting ``offset`` past the epoch."""

    name: str  # perhour, perday, persecond: how the platform's headers name it
    limit: int
    seconds: int
    offset: int = 0

    def start(self, now: float) -> float:
        return math.floor((now - self.offset) / self.seconds) * self.seconds + self.offset

    def reset(self, now: float) -> float:
        """Seconds until this window ends."""
        return self.start(now) + self.seconds - now


DOCUMENTED: dict[str, tuple[QuotaWindow, ...]] = {
    "tumblr": (QuotaWindow("perhour", 1000, 3600), QuotaWindow("perday", 5000, 86400)),
    "google_cse": (QuotaWindow("perday", 100, 86400, PACIFIC_OFFSET),),
    "brave": (QuotaWindow("persecond", 1, 1),),
}


@dataclass(frozen=True)
class Verdict:
    """One request's fate: allowed or not, and per window its limit, remaining and reset."""

    allowed: bool
    windows: tuple[tuple[QuotaWindow, int, int], ...]  # (window, remaining, reset seconds)

    @property
    def retry_after(self) -> int:
        """Seconds until every full window has room again (0 when allowed)."""
        full = [reset for _, remaining, reset in self.windows if remaining <= 0]
        return max(full) if full and not self.allowed else 0


class QuotaKeeper:
    """Counts requests per (platform, key) in each window of the platform's quota."""

    def __init__(self, clock: ReplicaClock, limits: dict[str, tuple[QuotaWindow, ...]]) -> None:
        self.clock = clock
        self.limits = dict(limits)
        self._counts: dict[tuple[str, str, str, float], int] = {}
        self._lock = threading.Lock()

    def set_limits(self, platform: str, *windows: QuotaWindow) -> None:
        """Replace a platform's windows (tests shrink them)."""
        with self._lock:
            self.limits[platform] = windows

    def spend(self, platform: str, key: str) -> Verdict | None:
        """Count one request of ``key`` if every window has room; ``None``: no quota here."""
        now = self.clock.now()
        with self._lock:
            windows = self.limits.get(platform)
            if not windows:
                return None
            slots = [(w, (platform, key, w.name, w.start(now))) for w in windows]
            used = [self._counts.get(slot, 0) for _, slot in slots]
            allowed = all(count < w.limit for (w, _), count in zip(slots, used, strict=True))
            if allowed:
                for _, slot in slots:
                    self._counts[slot] = self._counts.get(slot, 0) + 1
                used = [count + 1 for count in used]
            self._forget(now)
        return Verdict(
            allowed,
            tuple(
                (w, max(0, w.limit - count), max(1, math.ceil(w.reset(now))))
                for (w, _), count in zip(slots, used, strict=True)
            ),
        )

    def _forget(self, now: float) -> None:
        for slot in [s for s in self._counts if s[3] + 2 * 86400 < now]:
            del self._counts[slot]


def tumblr_headers(verdict: Verdict) -> list[tuple[str, str]]:
    """``X-Ratelimit-Perhour-*`` / ``-Perday-*`` as Tumblr sends them."""
    headers: list[tuple[str, str]] = []
    for window, remaining, reset in verdict.windows:
        name = window.name.capitalize()
        headers += [
            (f"X-Ratelimit-{name}-Limit", str(window.limit)),
            (f"X-Ratelimit-{name}-Remaining", str(remaining)),
            (f"X-Ratelimit-{name}-Reset", str(reset)),
        ]
    return headers


def brave_headers(verdict: Verdict) -> list[tuple[str, str]]:
    """Brave's ``X-RateLimit-*`` headers (one value per window, comma-separated)."""

    def joined(values: list[int]) -> str:
        return ", ".join(str(v) for v in values)

    headers = [
        ("X-RateLimit-Limit", joined([w.limit for w, _, _ in verdict.windows])),
        (
            "X-RateLimit-Policy",
            ", ".join(f"{w.limit};w={w.seconds}" for w, _, _ in verdict.windows),
        ),
        ("X-RateLimit-Remaining", joined([r for _, r, _ in verdict.windows])),
        ("X-RateLimit-Reset", joined([s for _, _, s in verdict.windows])),
    ]
    if not verdict.allowed:
        headers.append(("Retry-After", str(verdict.retry_after)))
    return headers


def google_quota_error() -> Response:
    """Programmable Search over its daily quota."""
    message = (
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service "
        "'customsearch.googleapis.com'."
    )
    body = {
        "error": {
            "code": 429,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "rateLimitExceeded"}],
            "status": "RESOURCE_EXHAUSTED",
        }
    }
    return json_response(body, 429, [("Vary", "Origin, X-Origin, Referer")])


def brave_quota_error(verdict: Verdict) -> Response:
    """Brave Search over its rate."""
    error = {
        "type": "ErrorResponse",
        "error": {
            "status": 429,
            "code": "RATE_LIMITED",
            "detail": "Request rate limit exceeded for plan.",
            "meta": {"plan": "Free", "rate_limit": 1, "quota_limit": 2000},
        },
    }
    return json_response(error, 429, brave_headers(verdict))


def _robots(request: Request) -> Response:
    return text(ROBOTS)


def install(router: Router, clock: ReplicaClock) -> QuotaKeeper:
    """Enforce :data:`DOCUMENTED` on ``router`` (``router.quota``), timed by ``clock``: the
    Tumblr and discovery states find it as their ``quota``."""
    keeper = QuotaKeeper(clock, DOCUMENTED)
    router.quota = keeper  # type: ignore[attr-defined]  # tests shrink limits here
    for name in ("tumblr", "discovery"):
        state = getattr(router, name, None)
        if state is not None:
            state.quota = keeper
    return keeper


def add_robots(router: Router) -> None:
    """``/robots.txt`` of the API hosts (allow all)."""
    router.add(API_HOSTS, r"/robots\.txt", _robots)


def spend(state: object, platform: str, key: str) -> Verdict | None:
    """``state.quota.spend(platform, key)``, or ``None`` when no quota is installed."""
    keeper = getattr(state, "quota", None)
    return keeper.spend(platform, key) if isinstance(keeper, QuotaKeeper) else None
