"""The seeded blogs (``watchlists/seeds.yaml``, ``LUREWATCH_SEEDS``) of a platform: blogs searched
without any discovery API. A broken file raises ``WatchlistError`` when the spider is built,
before the first request."""

from __future__ import annotations

from pipelines.config import SettingsLike, read_str
from pipelines.watchlists._common import watchlist_maxsize
from pipelines.watchlists.seeds import load_seeds

__all__ = ["SEED_QUERY", "seed_hosts"]

#: what a seeded blog's discovery is attributed to (``discovered_posts``, logs)
SEED_QUERY = "seeds.yaml"


def seed_hosts(settings: SettingsLike, platform: str = "blogger") -> list[str]:
    """The hosts of the seeded blogs of ``platform``, in file order."""
    seeds = load_seeds(
        read_str(settings, "LUREWATCH_SEEDS") or None, max_bytes=watchlist_maxsize(settings)
    )
    return [seed.host for seed in seeds if seed.platform == platform]
