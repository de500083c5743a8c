"""Every ``LUREWATCH_*`` setting's default, and the credentials' (empty), declared once.

:func:`install` puts them into Scrapy ``Settings`` at ``"default"`` priority: the project add-on
(:class:`crawler.addon.LurewatchAddon`) does it for every crawl, and commands that are not crawls
call it themselves. ``crawler/settings.py`` (project priority, the environment) and
``-s NAME=VALUE`` (command line) win over these. Components read their settings with no fallback
(``settings.getint("X")``).
"""

from __future__ import annotations

import copy
import sys

from scrapy.settings import BaseSettings

from pipelines import classify as _classify
from pipelines import watchlists as _watchlists

__all__ = ["install", "values"]

# Offline routing
LUREWATCH_OFFLINE_ORIGIN = ""  # e.g. http://127.0.0.1:8089 ; empty = talk to the real platforms
LUREWATCH_OFFLINE_PLACEHOLDER_KEY = "lurewatch-offline-placeholder"
# 0: no placeholder for missing keys offline, so the keyless paths run end to end
LUREWATCH_OFFLINE_PLACEHOLDER_KEYS = True
LUREWATCH_DOWNLOAD_HANDLER = "crawler.rendering.handler.GuardedPlaywrightHandler"

# Watchlists (empty = the files shipped in watchlists/)
LUREWATCH_TITLES = ""
LUREWATCH_SEARCHES = ""
LUREWATCH_TEMPLATES = ""
LUREWATCH_LURES = ""
LUREWATCH_THRESHOLDS = ""
LUREWATCH_BRANDS = ""  # brands.yaml: brands whose sign-in, code and card pages kits clone
LUREWATCH_SEEDS = ""  # seeds.yaml: blogs searched without any discovery API
LUREWATCH_KEEP_BENIGN = False
# seconds of judging per page (post or landing, at most 300); past it the rest is skipped, said so
LUREWATCH_JUDGE_BUDGET = 5.0
LUREWATCH_MAX_TITLES = 0  # 0 = every title of the watchlist (at most 10000)
# bytes per watchlist file (2 MiB; at most 64 MiB): a larger file is refused before parsing
LUREWATCH_WATCHLIST_MAXSIZE = _watchlists.WATCHLIST_MAXSIZE
# `lurewatch watchlists refresh` (pipelines/watchlists/refresh.py): TMDB's release calendar
TMDB_API_KEY = ""  # a v3 key (api_key=) or a read access token (Bearer)
LUREWATCH_REFRESH_EXPIRE_DAYS = 90  # days after release (or after added) a managed entry expires
LUREWATCH_REFRESH_PAGES = 1  # pages (20 films) of upcoming and of trending read per refresh
LUREWATCH_TMDB_LANGUAGE = "en-US"  # titles' language
LUREWATCH_TMDB_REGION = ""  # ISO 3166-1 region of the upcoming list (empty: TMDB's default)
# titles `lurewatch titles suggest` proposes: "index" (when ELASTICSEARCH_URL is set), a JSON
# Lines crawl output, or "" (none); seen on at least _MIN pages
LUREWATCH_REFRESH_CANDIDATES = "index"
LUREWATCH_REFRESH_CANDIDATES_MIN = 2
# bytes of a `classify --manifest` file (16 MiB; at most 1 GiB)
LUREWATCH_MANIFEST_MAXSIZE = _classify.MANIFEST_MAXSIZE

# Following posts and outbound links
LUREWATCH_MAX_LANDINGS_PER_POST = 4  # outbound links followed one hop per post
LUREWATCH_LANDING_REDIRECTS = 5  # redirect + meta-refresh budget per outbound link
LUREWATCH_LANDING_TIMEOUT = 10.0  # seconds for one landing page fetch
LUREWATCH_LANDING_MAXSIZE = 4 * 1024 * 1024  # bytes, after decompression
LUREWATCH_LANDING_CACHE = 5000  # landing URLs remembered per crawl (each fetched once)

# Blog expansion and cross-blog links (crawler/spiders/_base.py)
LUREWATCH_EXPANSION_PAGES = 3  # listing pages read per blog with a hit (0 = no expansion)
LUREWATCH_EXPANSION_MAX_BLOGS = 500  # blogs expanded per crawl and platform
LUREWATCH_CROSS_POSTS = True  # a link to another blog's post (same platform) is crawled as a post

# Rendering
LUREWATCH_RENDER_ENABLED = True
LUREWATCH_CHROMIUM_PATH = "/usr/bin/chromium"
LUREWATCH_RENDER_MAXSIZE = 4 * 1024 * 1024  # bytes per browser response, enforced by the guard
LUREWATCH_RENDER_TIMEOUT = 15.0  # seconds: navigation and every page method
# seconds per render before its page is closed; 0 = 2 x timeout + settle
LUREWATCH_RENDER_DEADLINE = 0.0
LUREWATCH_RENDER_PAGES_PER_CONTEXT = 20  # a browser context is replaced after this many pages
LUREWATCH_RENDER_WAIT_UNTIL = "load"  # Playwright load state ending the navigation
# seconds to wait (at most) for network idle after load: XHR-built content
LUREWATCH_RENDER_SETTLE = 1.0
LUREWATCH_RENDER_REDIRECTS = 5  # redirects followed per browser request (inside the route guard)

# SSRF guard (crawler/netguard.py): no request to loopback, link-local, private or reserved
# addresses
LUREWATCH_SSRF_ENABLED = True
LUREWATCH_SSRF_ALLOW: list[
    str
] = []  # networks (10.1.0.0/16) and hosts never refused: internal proxies

# API keys and discovery (placeholders are used in offline mode)
TUMBLR_API_KEY = ""
BLOGGER_API_KEY = ""
GOOGLE_CSE_KEY = ""
GOOGLE_CSE_CX = ""
BRAVE_API_KEY = ""
# discovery backends tried, in order (searxng only when LUREWATCH_SEARXNG_URL is set)
LUREWATCH_BLOGGER_DISCOVERY = "google_cse,brave,searxng"
LUREWATCH_SEARXNG_URL = ""  # a SearXNG instance (http://host:8888): keyless discovery
# result pages per discovery backend and query (CSE: 100 free queries/day)
LUREWATCH_BLOGGER_DISCOVERY_PAGES = 2
# results per discovery request; 0 = the API's maximum (CSE 10, Brave 20)
LUREWATCH_BLOGGER_DISCOVERY_PAGE_SIZE = 0
LUREWATCH_BLOGGER_FEED_PAGE_SIZE = 25  # max-results of blog feed searches (1-150)
# fetch the post pages found by discovery but by no search
LUREWATCH_BLOGGER_FETCH_DISCOVERED_POSTS = True

# Rate limits
LUREWATCH_MAX_BACKOFF = 3600.0  # seconds: a 429 waits for the named reset, at most this (1 h)

# Quota budgets (crawler/middlewares/quota.py, pipelines/quota.py): "limit/unit" windows, comma-
# separated (units s, m, h, d; "" = unlimited), counted per API key in a persistent ledger
# (<LUREWATCH_DATA_DIR>/quota/ledger.json, or Redis when LUREWATCH_DISTRIBUTED is on)
LUREWATCH_QUOTA_ENABLED = True
LUREWATCH_QUOTA_TUMBLR = "1000/h,5000/d"  # per consumer key (Tumblr API docs)
LUREWATCH_QUOTA_GOOGLE_CSE = "100/d"  # Programmable Search free tier
LUREWATCH_QUOTA_BRAVE = "1/s"  # Brave Search default plan rate; add "N/30d" for its plan
LUREWATCH_QUOTA_WORDPRESS = "300/m"  # per host (public-api.wordpress.com serves every blog)
LUREWATCH_QUOTA_BLOGGER = "300/m"  # per host (www.blogger.com, each blog)
LUREWATCH_QUOTA_SEARXNG = "30/m"  # polite rate for a SearXNG instance
# a request over a window shorter than this waits for it; longer windows skip the request
LUREWATCH_QUOTA_MAX_WAIT = 60.0  # seconds
# seconds between runs: a window longer than this (a day) spreads what it has left over the runs
# still to come in it; 0: not paced (`lurewatch watch` sets its interval for its polls)
LUREWATCH_QUOTA_PACE = 0.0
LUREWATCH_QUOTA_REDIS_PREFIX = "lurewatch:quota"  # Redis keys of the shared ledger

# Incremental crawls (crawler/middlewares/incremental.py, pipelines/seen.py): a post fetched less
# than this many seconds ago whose listing shows the same content is not fetched again (0 = off);
# ledger: <LUREWATCH_DATA_DIR>/incremental/seen.sqlite3, or Redis when LUREWATCH_DISTRIBUTED is on
LUREWATCH_RECHECK_INTERVAL = 7 * 86400.0
LUREWATCH_RECHECK_REDIS_PREFIX = "lurewatch:seen"  # Redis keys of the shared ledger

# Elasticsearch (ELASTICSEARCH_URL empty = indexing off; see pipelines/es/config.py)
ELASTICSEARCH_URL = ""
ELASTICSEARCH_API_KEY = ""  # wins over user/password
ELASTICSEARCH_USERNAME = ""
ELASTICSEARCH_PASSWORD = ""
ELASTICSEARCH_CA_CERTS = ""  # CA bundle for TLS; certificates are always verified
LUREWATCH_ES_INDEX = "lurewatch-hits"
LUREWATCH_ES_ENABLED = True
LUREWATCH_ES_BATCH_SIZE = 500
LUREWATCH_ES_FLUSH_SECONDS = 5.0
LUREWATCH_ES_MAX_RETRIES = 3
LUREWATCH_ES_RETRY_BACKOFF = 1.0  # seconds before the first retry of a 429/5xx, doubled each time
LUREWATCH_ES_TIMEOUT = 30.0  # seconds per Elasticsearch request
LUREWATCH_DATA_DIR = "data"  # spool: data/es-spool/<alias>.jsonl

# Takedowns (`lurewatch takedowns`, `hits mark`, `report`; see pipelines/takedowns/config.py)
LUREWATCH_REPORTER_NAME = ""  # who signs notices and X-ARF reports (required by export)
LUREWATCH_REPORTER_EMAIL = ""  # the contact abuse desks answer to (required by export)
LUREWATCH_REPORTER_ORG = ""  # organisation in X-ARF reporter/sender (empty: the name)
LUREWATCH_TAKEDOWN_MIN_SCORE = 50  # detection score a hit needs to be exported (0-100)
LUREWATCH_TAKEDOWN_OUT = "takedowns"  # export directory (`--out`)
LUREWATCH_TAKEDOWN_TEMPLATES = ""  # directory of notice templates (empty: the shipped ones)
# watched title -> rights holder named in copyright notices ({"Dune: Part Three": "Legendary"})
LUREWATCH_RIGHTS_HOLDERS: dict[str, str] = {}
LUREWATCH_RDAP_TTL = 86400.0  # seconds an RDAP or security.txt answer is reused from the cache
LUREWATCH_RDAP_TIMEOUT = 10.0  # seconds per RDAP, DNS-over-HTTPS or security.txt request
# DNS-over-HTTPS JSON resolver for hosting look-ups; empty = the system resolver
LUREWATCH_RDAP_DOH_URL = ""
LUREWATCH_RECHECK_OLDER_THAN = 6 * 3600.0  # seconds since report or last check (`--older-than`)
# the two user agents a removal must agree under (cloaking shows one of them a 404)
LUREWATCH_RECHECK_USER_AGENTS: list[str] = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
]
LUREWATCH_CAMPAIGN_THRESHOLD = 0.8  # MinHash Jaccard from which two posts' texts are one campaign

# Evidence recorded at crawl time for every hit (crawler/evidence.py, pipelines/evidence.py)
LUREWATCH_EVIDENCE_ENABLED = True  # hashes, masked headers, redirect chains, stored HTML
LUREWATCH_EVIDENCE_HTML_MAXSIZE = 2 * 1024 * 1024  # bytes of post HTML stored (hashed always)
# PNG screenshots of lure landings per spider run (0: none), in a browser of their own
# (crawler/rendering/screenshot.py; docs/evidence.md)
LUREWATCH_EVIDENCE_SCREENSHOTS = 10
LUREWATCH_EVIDENCE_SCREENSHOT_TIMEOUT = 10.0  # seconds per screenshot (on top of the render's)
LUREWATCH_EVIDENCE_SCREENSHOT_MAXSIZE = 2 * 1024 * 1024  # bytes per PNG; larger ones are dropped
LUREWATCH_EVIDENCE_SCREENSHOT_WIDTH = 1280  # viewport pixels (the screenshot is the viewport)
LUREWATCH_EVIDENCE_SCREENSHOT_HEIGHT = 800

# Kibana (`lurewatch kibana import`; see pipelines/es/kibana.py)
KIBANA_URL = ""
KIBANA_API_KEY = ""  # wins over user/password
KIBANA_USERNAME = ""
KIBANA_PASSWORD = ""
KIBANA_SPACE = ""  # empty: the default space
KIBANA_CA_CERTS = ""  # CA bundle for TLS; certificates are always verified

# Nightly run (`lurewatch nightly`, crawler/commands/nightly.py; crawler/monitors/)
LUREWATCH_NIGHTLY_LOCK = ""  # the run lock file; empty: <LUREWATCH_DATA_DIR>/nightly.lock
LUREWATCH_CRAWLS_INDEX = "lurewatch-crawls"  # one summary document per nightly run
# crawl health (pipelines/ops/health.py), checked by Spidermon at each spider's close
LUREWATCH_MONITOR_MIN_POSTS: dict[str, int] = {"tumblr": 1, "wordpress": 1, "blogger": 1}
LUREWATCH_MONITOR_MAX_ERROR_RATE = 0.05  # ERROR lines + download/spider exceptions per request
LUREWATCH_MONITOR_MAX_RETRY_RATE = 0.10  # retries per request
LUREWATCH_MONITOR_EXPECTED_HTTP: list[int] = [200, 301, 302, 303, 304, 307, 308, 404, 410]
LUREWATCH_MONITOR_MAX_UNEXPECTED_HTTP_RATE = 0.05  # responses outside the list above
# Spidermon actions run when a check fails (e.g. its Slack, e-mail or Sentry notifiers)
LUREWATCH_MONITOR_ACTIONS: list[str] = []
LUREWATCH_PROGRESS_INTERVAL = 60.0  # seconds between progress lines (0: none)
LUREWATCH_PROGRESS_DISPLAY = True  # a live table on stdout when it is a terminal

# Continuous mode (`lurewatch watch`, crawler/commands/watch.py; cursors: pipelines/cursors.py)
LUREWATCH_WATCH_INTERVAL = "5m"  # from the start of one poll to the start of the next
LUREWATCH_WATCH_POLLS = 0  # polls before it ends (0: until SIGTERM)
LUREWATCH_WATCH_OVERLAP = "10m"  # a cursor asks from this long before the last answer (late index)
LUREWATCH_WATCH_LOCK = ""  # one watch at a time; empty: <LUREWATCH_DATA_DIR>/watch.lock
# a poll asks for no next page of a search whose page brought only posts judged before
LUREWATCH_WATCH_BOUND_PAGES = True
# a search without a date parameter that brought no new post sits out up to this many polls
LUREWATCH_WATCH_REST = 2
# set by `lurewatch watch` for its polls (<LUREWATCH_DATA_DIR>/watch/cursors.json); empty: off
LUREWATCH_WATCH_STATE = ""

# Distributed mode (crawler/distributed.py)
LUREWATCH_DISTRIBUTED = False
# empty: the UTC date in distributed mode; generated per crawl for indexing
LUREWATCH_CRAWL_ID = ""
LUREWATCH_BUSY_KEY = ""  # set by the distributed add-on: the Redis key prefix of busy workers
LUREWATCH_SHARED_FETCH_KEY = ""  # set by the distributed add-on: Redis prefix of shared fetches
LUREWATCH_INFLIGHT_KEY = ""  # set by the distributed add-on: Redis prefix of in-flight requests
# seconds a worker's claim on a fetch lasts: past it (the worker died) another worker takes over
LUREWATCH_SHARED_FETCH_CLAIM = 120
LUREWATCH_SHARED_FETCH_KEEP = 86400  # seconds a fetched response stays in Redis for the others

# WordPress
# sites/domains always searched (besides those the Reader surfaces)
LUREWATCH_WORDPRESS_SITES: list[str] = []
LUREWATCH_WORDPRESS_PER_PAGE = 20  # per_page / number on core REST and the sites API (1-100)
LUREWATCH_WORDPRESS_READER_NUMBER = 20  # Reader page size (1-40)
LUREWATCH_WORDPRESS_READER_SEARCH = True  # use the undocumented /rest/v1.2/read/search

# Tumblr
LUREWATCH_TUMBLR_LIMIT = 20  # posts per API page (/v2/tagged and /v2/blog/.../posts: 1-20)
LUREWATCH_TUMBLR_ENDPOINTS = "tagged,search,render,blog"  # a subset restricts the spider


def values() -> dict[str, object]:
    """Every default declared above, by setting name (copies: mutable values are never shared)."""
    module = sys.modules[__name__]
    names = [name for name in vars(module) if name.isupper()]
    return {name: copy.deepcopy(getattr(module, name)) for name in names}


def install(settings: BaseSettings) -> None:
    """Put every default into ``settings`` at ``"default"`` priority (any other value wins)."""
    settings.setdict(values(), priority="default")
