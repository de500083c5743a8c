"""lurewatch's Scrapy settings: only overrides of Scrapy's defaults, each with its reason.

lurewatch's own defaults live in :mod:`crawler.defaults`; this is the one module that reads the
environment (secrets and per-machine values), so that ``-s NAME=VALUE`` still wins over both.
"""

from __future__ import annotations

import os

from pipelines.items import EXPORT_FIELDS

BOT_NAME = "lurewatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawlall`, used by `lurewatch crawl`

# Identify ourselves: abuse desks must be able to tell who is crawling and why.
USER_AGENT = (
    "lurewatch/0.1 (+https://github.com/lurewatch/lurewatch; fake-stream and phishing research)"
)
ROBOTSTXT_OBEY = True  # Blogger disallows /search HTML: we use feeds and APIs instead
# Tumblr's key travels in request URLs, which Scrapy logs: every log line is redacted
# (crawler.redaction)
EXTENSIONS = {"crawler.redaction.SecretRedaction": 0}

# Be polite per platform, and fast across them.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
AUTOTHROTTLE_START_DELAY = 0.0  # AutoThrottle still backs off from measured latency
RETRY_TIMES = 3

# Hostile pages: bound size (after decompression), time and redirects (Scrapy's defaults are
# 1 GiB / 180 s).
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 8
METAREFRESH_MAXDELAY = 30  # follow quick meta-refresh hops only

# Every request goes through the offline router (a pass-through unless LUREWATCH_OFFLINE_ORIGIN
# is set), which hands it to scrapy-playwright's handler (a plain HTTP/1.1 download unless
# meta["playwright"]).
DOWNLOAD_HANDLERS = {
    "http": "crawler.offline.OfflineRoutingDownloadHandler",
    "https": "crawler.offline.OfflineRoutingDownloadHandler",
    # a hostile link or redirect must never read a local file (file:///dev/zero) or reach FTP/S3
    "file": None,
    "ftp": None,
    "s3": None,
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

ADDONS = {
    # first: installs lurewatch's defaults (crawler/defaults.py), which the add-ons after it read
    "crawler.addon.LurewatchAddon": 0,
    # LUREWATCH_DISTRIBUTED=1 + REDIS_URL: shared scheduler and dupefilter in Redis
    "crawler.distributed.DistributedAddon": 100,
}

DOWNLOADER_MIDDLEWARES = {
    # SSRF guard (crawler/netguard.py), before RobotsTxtMiddleware (100): a refused host costs no
    # robots.txt fetch; every request made later (robots.txt, redirects, retries) passes here again
    "crawler.middlewares.ssrf.SsrfMiddleware": 60,
    # before RetryMiddleware (550) in response order: it handles 429s itself (pause the slot,
    # then retry)
    "crawler.middlewares.rate_limit.RateLimitMiddleware": 560,
    # quota budgets per API key / feed host (pipelines/quota.py ledger); a 401/403 turns an API off
    "crawler.middlewares.quota.QuotaMiddleware": 580,
    # Scrapy's cookie middleware (same order), but its public-suffix list is tldextract's bundled
    # snapshot: the stock one downloads the list and writes ~/.cache on the first Domain= cookie
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.cookies.CookiesMiddleware": 700,
    # bound every browser render (route guard, size cap, crash retry) before the handler runs
    "crawler.rendering.guard.RenderGuardMiddleware": 950,
}

ITEM_PIPELINES = {
    "pipelines.detection.DetectionPipeline": 300,  # judge first: drops benign posts
    # evidence of what is left (hashes, stored HTML, lure screenshots), before it is indexed
    "crawler.evidence.EvidencePipeline": 500,
    # then index what is left (NotConfigured without a URL)
    "pipelines.indexing.ElasticsearchPipeline": 800,
}

# the response each hit came from: masked headers and redirect chain onto hit.evidence
SPIDER_MIDDLEWARES = {
    "crawler.evidence.EvidenceSpiderMiddleware": 950,
    # closest to the spider: posts skipped as unchanged (LUREWATCH_RECHECK_INTERVAL) go first
    "crawler.middlewares.incremental.IncrementalSpiderMiddleware": 990,
    # `lurewatch watch` polls only (LUREWATCH_WATCH_STATE): searches asked from their cursors
    "crawler.watch.middleware.WatchMiddleware": 980,
}

FEED_EXPORT_FIELDS = EXPORT_FIELDS  # never export the working fields (html, landing pages)
FEED_EXPORT_ENCODING = "utf-8"
# CSV: no cell a spreadsheet would run as a formula (a post titled =HYPERLINK(...))
FEED_EXPORTERS = {"csv": "crawler.exporters.SafeCsvItemExporter"}
# local feed files are created 0600, like everything lurewatch writes
FEED_STORAGES = {
    "": "crawler.exporters.PrivateFileFeedStorage",
    "file": "crawler.exporters.PrivateFileFeedStorage",
}

# Off (on in Scrapy): a Python shell holding the settings, secrets included; its password is logged
TELNETCONSOLE_ENABLED = False

# Playwright: Debian's Chromium, headless, small and bounded (see crawler/rendering/).
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # offline: no lookups of the real hosts behind the route guard's back
        "--dns-prefetch-disable",
        # The browser has no network of its own: the route guard fetches for it. WebRTC sends
        # no UDP (STUN/TURN to a host of the page's choosing), and anything else that would leave
        # the browser (TURN over TCP) goes to a proxy where nothing listens; the page guard also
        # removes WebRTC.
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--proxy-server=http://127.0.0.1:9",
        # loopback too (Chromium bypasses proxies for it by default)
        "--proxy-bypass-list=<-loopback>",
    ],
}
PLAYWRIGHT_MAX_CONTEXTS = 2  # the current context and one retired context finishing its pages
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 15_000
# No startup context: RenderGuardMiddleware names recycled contexts and passes their kwargs per
# request (accept_downloads=False, service workers blocked); a startup "default" would hold a
# context slot forever.
PLAYWRIGHT_CONTEXTS: dict[str, dict[str, object]] = {}
PLAYWRIGHT_DOWNLOAD_TIMEOUT = (
    2_000  # ms scrapy-playwright waits for a download to start; we refuse them
)
PLAYWRIGHT_ABORT_REQUEST = (
    "crawler.rendering.guard.should_abort_request"  # only without the route guard
)

# Settings read from the environment: secrets and per-machine values. Never written to files or
# logs.
_FROM_ENV = (
    "LUREWATCH_OFFLINE_ORIGIN",
    "LUREWATCH_TITLES",
    "LUREWATCH_SEARCHES",
    "LUREWATCH_TEMPLATES",
    "LUREWATCH_LURES",
    "LUREWATCH_THRESHOLDS",
    "LUREWATCH_BRANDS",
    "LUREWATCH_SEEDS",
    "LUREWATCH_KEEP_BENIGN",
    "LUREWATCH_DATA_DIR",
    "LUREWATCH_CHROMIUM_PATH",
    "LUREWATCH_ES_INDEX",
    "LUREWATCH_RENDER_ENABLED",
    "LUREWATCH_SSRF_ENABLED",
    "LUREWATCH_SSRF_ALLOW",
    "LUREWATCH_WORDPRESS_SITES",
    "LUREWATCH_BLOGGER_DISCOVERY",
    "TUMBLR_API_KEY",
    "BLOGGER_API_KEY",
    "GOOGLE_CSE_KEY",
    "GOOGLE_CSE_CX",
    "BRAVE_API_KEY",
    "TMDB_API_KEY",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_API_KEY",
    "ELASTICSEARCH_USERNAME",
    "ELASTICSEARCH_PASSWORD",
    "ELASTICSEARCH_CA_CERTS",
    "LUREWATCH_ES_ENABLED",
    "LUREWATCH_ES_BATCH_SIZE",
    "LUREWATCH_ES_FLUSH_SECONDS",
    "LUREWATCH_ES_MAX_RETRIES",
    "KIBANA_URL",
    "KIBANA_API_KEY",
    "KIBANA_USERNAME",
    "KIBANA_PASSWORD",
    "KIBANA_SPACE",
    "KIBANA_CA_CERTS",
    "REDIS_URL",
    "LUREWATCH_DISTRIBUTED",
    "LUREWATCH_CRAWL_ID",
    "LUREWATCH_RECHECK_INTERVAL",
    "LUREWATCH_REPORTER_NAME",
    "LUREWATCH_REPORTER_EMAIL",
    "LUREWATCH_REPORTER_ORG",
)
globals().update({name: os.environ[name] for name in _FROM_ENV if os.environ.get(name)})
# LUREWATCH_CHROMIUM_PATH (env or -s) reaches PLAYWRIGHT_LAUNCH_OPTIONS through the add-on
# (crawler.rendering.config.install_chromium_path).
