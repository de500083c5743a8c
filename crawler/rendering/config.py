"""The bounds of every browser render, gathered and validated in one place: :class:`RenderLimits`.

Also the browser executable, ``LUREWATCH_CHROMIUM_PATH`` (:func:`install_chromium_path`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings

from crawler.offline import parse_origin
from pipelines.config import (
    SettingsLike,
    read_bool,
    read_choice,
    read_float,
    read_int,
    read_positive,
    read_str,
)
from pipelines.exceptions import ConfigError

__all__ = ["RenderLimits", "chromium_path", "install_chromium_path"]

_WAIT_UNTIL = frozenset({"commit", "domcontentloaded", "load", "networkidle"})
#: Upper bounds of the render budgets (bytes, seconds, counts).
_MAX_BYTES = 64 * 1024 * 1024
_MAX_TIMEOUT = 300.0
_MAX_SETTLE = 60.0
_MAX_DEADLINE = 900.0
_MAX_PAGES_PER_CONTEXT = 1000
_MAX_REDIRECTS = 20


@dataclass(frozen=True)
class RenderLimits:
    """Bounds applied by :mod:`crawler.rendering.guard` to each render (seconds, bytes)."""

    enabled: bool
    origin: str  # offline origin (``http://host:port``) or "" for the real network
    maxsize: int  # per browser response (document, script, XHR ...) and for the rendered DOM
    timeout: float  # navigation, and each sub-request the browser makes
    deadline: float  # hard bound on one render: the page is closed when it is reached
    pages_per_context: int  # a context is retired (closed once idle) after this many pages
    wait_until: str  # Playwright load state that ends the navigation
    settle: float  # after that, wait at most this long for the network to go idle
    max_redirects: int  # redirects followed inside the route, per browser request
    chromium: str = "/usr/bin/chromium"  # LUREWATCH_CHROMIUM_PATH: the browser executable

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> RenderLimits:
        """Read ``LUREWATCH_RENDER_*`` and the offline origin; bad values raise ``ConfigError``."""
        # no size cap would be enforced at all: scrapy-playwright has none of its own
        maxsize = read_int(settings, "LUREWATCH_RENDER_MAXSIZE", minimum=1, maximum=_MAX_BYTES)
        timeout = read_positive(settings, "LUREWATCH_RENDER_TIMEOUT", maximum=_MAX_TIMEOUT)
        settle = read_float(settings, "LUREWATCH_RENDER_SETTLE", minimum=0, maximum=_MAX_SETTLE)
        deadline = read_float(
            settings, "LUREWATCH_RENDER_DEADLINE", minimum=0, maximum=_MAX_DEADLINE
        ) or (2 * timeout + settle)
        if deadline < timeout:
            raise ConfigError(
                f"LUREWATCH_RENDER_DEADLINE: must be >= LUREWATCH_RENDER_TIMEOUT ({timeout}), "
                f"got {deadline!r}"
            )
        origin = read_str(settings, "LUREWATCH_OFFLINE_ORIGIN").strip()
        return cls(
            enabled=read_bool(settings, "LUREWATCH_RENDER_ENABLED"),
            origin=parse_origin(origin) if origin else "",
            maxsize=maxsize,
            timeout=timeout,
            deadline=deadline,
            pages_per_context=read_int(
                settings,
                "LUREWATCH_RENDER_PAGES_PER_CONTEXT",
                minimum=1,
                maximum=_MAX_PAGES_PER_CONTEXT,
            ),
            wait_until=read_choice(settings, "LUREWATCH_RENDER_WAIT_UNTIL", _WAIT_UNTIL),
            settle=settle,
            max_redirects=read_int(
                settings, "LUREWATCH_RENDER_REDIRECTS", minimum=0, maximum=_MAX_REDIRECTS
            ),
            chromium=chromium_path(settings),
        )

    def as_meta(self, guard_key: str) -> dict[str, Any]:
        """The picklable ``request.meta["lurewatch_render"]``, read by
        :func:`~.guard.init_page`."""
        return {
            "guard": guard_key,
            "origin": self.origin,
            "maxsize": self.maxsize,
            "timeout": self.timeout,
            "deadline": self.deadline,
            "max_redirects": self.max_redirects,
        }


def chromium_path(settings: SettingsLike) -> str:
    """``LUREWATCH_CHROMIUM_PATH``: the Chromium executable; empty raises ``ConfigError``."""
    path = read_str(settings, "LUREWATCH_CHROMIUM_PATH").strip()
    if not path:
        raise ConfigError(f"LUREWATCH_CHROMIUM_PATH: must be a path to Chromium, got {path!r}")
    return path


def install_chromium_path(settings: BaseSettings) -> None:
    """Put ``LUREWATCH_CHROMIUM_PATH`` into ``PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"]``.

    The setting wins when it was given at least as strongly as the launch options (an
    environment variable over the project's options, ``-s`` over both); the bare default leaves
    launch options someone wrote alone. Called by the add-on, before scrapy-playwright reads them.
    """
    name = "LUREWATCH_CHROMIUM_PATH"
    launch = "PLAYWRIGHT_LAUNCH_OPTIONS"
    if (settings.getpriority(name) or 0) < (settings.getpriority(launch) or 0):
        return
    options = dict(settings.getdict(launch))
    options["executable_path"] = chromium_path(settings)
    settings.set(launch, options, priority=settings.getpriority(name) or "default")
