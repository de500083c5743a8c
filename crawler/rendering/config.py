"""The bounds of every browser render, gathered and validated in one place (:class:`RenderLimits`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings

from crawler import defaults
from crawler.offline import parse_origin
from pipelines.exceptions import ConfigError

__all__ = ["RenderLimits"]

_WAIT_UNTIL = frozenset({"commit", "domcontentloaded", "load", "networkidle"})


@dataclass(frozen=True)
class RenderLimits:
    """Bounds applied by :mod:`crawler.rendering.guard` to each render (times in seconds, sizes in bytes)."""

    enabled: bool
    origin: str  # offline origin (``http://host:port``) or "" for the real network
    maxsize: int  # per browser response (document, script, XHR ...) and for the rendered DOM
    timeout: float  # navigation, and each sub-request the browser makes
    deadline: float  # hard bound on one render: the page is closed when it is reached
    pages_per_context: int  # a context is retired (closed once idle) after this many pages
    wait_until: str  # Playwright load state that ends the navigation
    settle: float  # after that, wait at most this long for the network to go idle
    max_redirects: int  # redirects followed inside the route, per browser request

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RenderLimits:
        """Read ``LUREWATCH_RENDER_*`` (and the offline origin); contradictions raise :class:`ConfigError`."""
        timeout = settings.getfloat("LUREWATCH_RENDER_TIMEOUT", defaults.LUREWATCH_RENDER_TIMEOUT)
        deadline = settings.getfloat("LUREWATCH_RENDER_DEADLINE", defaults.LUREWATCH_RENDER_DEADLINE)
        origin = settings.get("LUREWATCH_OFFLINE_ORIGIN", defaults.LUREWATCH_OFFLINE_ORIGIN) or ""
        limits = cls(
            enabled=settings.getbool("LUREWATCH_RENDER_ENABLED", defaults.LUREWATCH_RENDER_ENABLED),
            origin=parse_origin(origin) if origin else "",
            maxsize=settings.getint("LUREWATCH_RENDER_MAXSIZE", defaults.LUREWATCH_RENDER_MAXSIZE),
            timeout=timeout,
            deadline=deadline
            or 2 * timeout + settings.getfloat("LUREWATCH_RENDER_SETTLE", defaults.LUREWATCH_RENDER_SETTLE),
            pages_per_context=settings.getint(
                "LUREWATCH_RENDER_PAGES_PER_CONTEXT", defaults.LUREWATCH_RENDER_PAGES_PER_CONTEXT
            ),
            wait_until=settings.get("LUREWATCH_RENDER_WAIT_UNTIL", defaults.LUREWATCH_RENDER_WAIT_UNTIL),
            settle=settings.getfloat("LUREWATCH_RENDER_SETTLE", defaults.LUREWATCH_RENDER_SETTLE),
            max_redirects=settings.getint("LUREWATCH_RENDER_REDIRECTS", defaults.LUREWATCH_RENDER_REDIRECTS),
        )
        limits.validate()
        return limits

    def validate(self) -> None:
        """Raise :class:`ConfigError` on values that cannot bound a render."""
        problems = []
        if self.maxsize <= 0:
            problems.append("LUREWATCH_RENDER_MAXSIZE must be > 0 (scrapy-playwright enforces no size cap)")
        if self.timeout <= 0:
            problems.append("LUREWATCH_RENDER_TIMEOUT must be > 0")
        if self.deadline < self.timeout:
            problems.append("LUREWATCH_RENDER_DEADLINE must be >= LUREWATCH_RENDER_TIMEOUT")
        if self.pages_per_context < 1:
            problems.append("LUREWATCH_RENDER_PAGES_PER_CONTEXT must be >= 1")
        if self.wait_until not in _WAIT_UNTIL:
            problems.append(f"LUREWATCH_RENDER_WAIT_UNTIL must be one of {sorted(_WAIT_UNTIL)}")
        if self.settle < 0 or self.max_redirects < 0:
            problems.append("LUREWATCH_RENDER_SETTLE and LUREWATCH_RENDER_REDIRECTS must be >= 0")
        if problems:
            raise ConfigError("; ".join(problems))

    def as_meta(self, guard_key: str) -> dict[str, Any]:
        """The picklable ``request.meta["lurewatch_render"]``, read by :func:`~.guard.init_page`."""
        return {
            "guard": guard_key,
            "origin": self.origin,
            "maxsize": self.maxsize,
            "timeout": self.timeout,
            "deadline": self.deadline,
            "max_redirects": self.max_redirects,
        }
