"""Bounded JavaScript rendering with scrapy-playwright on Debian's Chromium."""
