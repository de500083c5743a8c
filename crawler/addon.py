"""``LurewatchAddon``: the project's Scrapy add-on, which installs lurewatch's defaults into a crawl."""

from __future__ import annotations

from scrapy.settings import BaseSettings

from crawler import defaults

__all__ = ["LurewatchAddon"]


class LurewatchAddon:
    """Installs every default of :mod:`crawler.defaults` at ``"default"`` priority.

    Listed first in ``ADDONS`` (the lowest order number): the add-ons after it, such as
    :class:`crawler.distributed.DistributedAddon`, read lurewatch's settings with their defaults in.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        """Scrapy calls this before any component is built; settings are frozen after it."""
        defaults.install(settings)
