"""The platforms' parsers: plain functions from API JSON, feeds and HTML pages to post fields.

One module per platform (:mod:`~crawler.parsers.tumblr`, :mod:`~crawler.parsers.wordpress`,
:mod:`~crawler.parsers.blogger`), beside the spider that crawls it. They import no Scrapy
(parsel and w3lib only), so they are tested on strings and usable from a REPL; the spiders in
:mod:`crawler.spiders` keep the crawling: requests, paging, fallbacks, dedupe and stats.
"""
