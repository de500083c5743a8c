"""A Tumblr crawler of a distributed crawl (real Redis), as one worker has it."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler

from crawler.addon import LurewatchAddon
from crawler.distributed import DistributedAddon
from crawler.spiders.tumblr import TumblrSpider
from tests._settings import lurewatch_crawler


def worker_crawler(redis_url: str, crawl_id: str, tmp_path: Path) -> Crawler:
    """A crawler of the Tumblr spider with the distributed add-on on, its own data folder."""
    settings = {
        "ADDONS": {LurewatchAddon: 0, DistributedAddon: 100},
        "LUREWATCH_DISTRIBUTED": True,
        "REDIS_URL": redis_url,
        "LUREWATCH_CRAWL_ID": crawl_id,
        "LUREWATCH_DATA_DIR": str(tmp_path),
        "TUMBLR_API_KEY": "k",
    }
    return lurewatch_crawler(TumblrSpider, settings)
