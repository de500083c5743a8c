"""Pluggable blog discovery for the ``blogger`` spider: Blogger has no platform-wide search, so
blogspot blogs are found through web-search APIs queried with ``site:blogspot.com``.

``LUREWATCH_BLOGGER_DISCOVERY = "google_cse,brave,searxng"`` selects backends by name
(:data:`BACKENDS`); each takes its credentials from settings (``GOOGLE_CSE_KEY`` +
``GOOGLE_CSE_CX``, ``BRAVE_API_KEY``, ``LUREWATCH_SEARXNG_URL`` for a keyless SearXNG instance).
A backend whose credentials are missing is left out with a warning (SearXNG, used only when its
URL is set: an INFO line); an unknown name is a configuration error. Seeded blogs
(:mod:`crawler.discovery.seeds`) need no backend.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from crawler.discovery._base import DiscoveryBackend, SearchPage, SearchRequest
from crawler.discovery.brave import BraveSearch
from crawler.discovery.google_cse import GoogleCSE
from crawler.discovery.searxng import SearXNG
from pipelines.exceptions import ConfigError

__all__ = ["BACKENDS", "DiscoveryBackend", "SearchPage", "SearchRequest", "load_backends"]

logger = logging.getLogger(__name__)

#: Backends of the default order used only when configured (their absence is logged at INFO).
OPTIONAL = frozenset({"searxng"})
#: Every backend by the name used in ``LUREWATCH_BLOGGER_DISCOVERY``.
BACKENDS: dict[str, type[DiscoveryBackend]] = {
    cls.name: cls for cls in (GoogleCSE, BraveSearch, SearXNG)
}


def load_backends(
    names: str | list[str], credential: Callable[[str], str], page_size: int = 0
) -> list[DiscoveryBackend]:
    """The backends named in ``names`` (comma-separated) whose credentials ``credential(name)``
    provides.

    ``page_size`` (0 = each API's maximum) is the number of results asked per request.
    """
    if isinstance(names, str):
        names = names.split(",")
    backends: list[DiscoveryBackend] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        if name not in BACKENDS:
            known = ", ".join(BACKENDS)
            raise ConfigError(
                f"LUREWATCH_BLOGGER_DISCOVERY: unknown backend {name!r} (known: {known})"
            )
        cls = BACKENDS[name]
        credentials = {key: credential(key) for key in cls.credential_names}
        missing = [key for key, value in credentials.items() if not cls.usable(key, value)]
        if missing:
            # SearXNG is in the default order but needs an instance of one's own: no warning
            report = logger.info if name in OPTIONAL else logger.warning
            report("Blog discovery backend %s disabled: %s not set", name, ", ".join(missing))
            continue
        backends.append(cls(credentials, page_size))
    return backends
