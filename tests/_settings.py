"""Settings and crawlers as a crawl has them: lurewatch's defaults installed by the project
add-on."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.addon import LurewatchAddon
from crawler.defaults import install


def lurewatch_settings(values: dict[str, Any] | None = None) -> Settings:
    """``Settings(values)`` (project priority) over every lurewatch default."""
    settings = Settings(values)
    install(settings)
    return settings


def lurewatch_crawler(
    spidercls: type[Spider] | None = None, settings: dict[str, Any] | None = None
) -> Crawler:
    """``get_crawler`` with the project add-on, so the components find their defaults."""
    return get_crawler(spidercls, {"ADDONS": {LurewatchAddon: 0}, **(settings or {})})
