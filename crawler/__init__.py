"""lurewatch's Scrapy project: spiders, middlewares, rendering and the ``lurewatch`` command
line."""
