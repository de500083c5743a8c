"""Scrapy commands added by lurewatch (``COMMANDS_MODULE``)."""
