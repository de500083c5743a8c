"""lurewatch's spiders: one per platform, sharing :class:`crawler.spiders._base.PlatformSpider`."""
