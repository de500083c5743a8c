"""``LurewatchAddon``: the project's Scrapy add-on, which installs lurewatch's defaults."""

from __future__ import annotations

from scrapy.settings import BaseSettings

from crawler import defaults
from crawler.rendering.config import install_chromium_path

__all__ = ["LurewatchAddon"]


class LurewatchAddon:
    """Installs every default of :mod:`crawler.defaults` at ``"default"`` priority.

    Twice, both idempotent: :meth:`update_pre_crawler_settings` fills the runner's settings, which
    every crawler copies, because Scrapy builds the spider (whose ``from_crawler`` reads its
    settings) *before* it calls the add-ons' :meth:`update_settings`; :meth:`update_settings`
    covers a crawler built without a runner (and puts ``LUREWATCH_CHROMIUM_PATH`` into the
    Playwright launch options). Listed first in ``ADDONS`` (the lowest order number): the
    add-ons after it, such as :class:`crawler.distributed.DistributedAddon`, see the defaults.
    """

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        """Scrapy calls this on the runner's settings, before any crawler exists."""
        defaults.install(settings)

    def update_settings(self, settings: BaseSettings) -> None:
        """Scrapy calls this on a crawler's settings, before its components are built."""
        defaults.install(settings)
        install_chromium_path(settings)
