"""Continuous mode's Scrapy glue (``lurewatch watch``): cursors and seen posts per poll."""
