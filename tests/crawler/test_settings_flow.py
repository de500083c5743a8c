"""One settings flow: every default declared once, installed by the add-on, read with no fallback.

Each config object is built from settings with the defaults installed, from overrides, and from bad
values, which raise ``ConfigError`` naming the setting and the value.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.conf import build_component_list

from crawler import defaults
from crawler import settings as project_settings
from crawler.addon import LurewatchAddon
from crawler.distributed import DistributedAddon
from crawler.middlewares.rate_limit import RateLimitConfig
from crawler.offline import OfflineRouting
from crawler.spiders.config import (
    BloggerConfig,
    LandingConfig,
    SpiderConfig,
    TumblrConfig,
    WordPressConfig,
)
from pipelines.config import read_bool, read_choice, read_float, read_int, read_list
from pipelines.detection import DetectionConfig
from pipelines.exceptions import ConfigError
from tests._settings import lurewatch_crawler, lurewatch_settings

ROOT = Path(__file__).resolve().parents[2]
#: a setting name in a string literal: lurewatch's own, Elasticsearch's, and the API credentials
_SETTING_LITERAL = re.compile(
    r"""["'](LUREWATCH_[A-Z0-9_]+|ELASTICSEARCH_[A-Z_]+|[A-Z]+_API_KEY|GOOGLE_CSE_[A-Z]+)["']"""
)
#: a getter called with a second argument: a fallback default beside crawler/defaults.py
_FALLBACK = re.compile(r"""\.get(?:int|bool|float|list|dict)?\(\s*["']([A-Z][A-Z0-9_]+)["']\s*,""")


def _sources() -> list[Path]:
    """Every module of crawler/ and pipelines/ except crawler/defaults.py."""
    paths = sorted((ROOT / "crawler").rglob("*.py")) + sorted((ROOT / "pipelines").rglob("*.py"))
    return [path for path in paths if path != ROOT / "crawler" / "defaults.py"]


def test_every_setting_read_anywhere_has_a_default() -> None:
    declared = defaults.values()
    missing = {
        f"{name} ({path.relative_to(ROOT)})"
        for path in _sources()
        for name in _SETTING_LITERAL.findall(path.read_text(encoding="utf-8"))
        if name not in declared
    }
    assert not missing, f"settings without a default in crawler/defaults.py: {sorted(missing)}"


def test_every_default_is_declared_once_and_only_in_defaults_py() -> None:
    tree = ast.parse((ROOT / "crawler" / "defaults.py").read_text(encoding="utf-8"))
    names = [_target(node) for node in tree.body if _target(node)]
    assert len(names) == len(set(names)), "a default is declared twice in crawler/defaults.py"
    assert set(names) == set(defaults.values())
    elsewhere = []
    for path in _sources():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            name = _target(node)
            if name and (name.startswith("LUREWATCH_") or name.endswith("DEFAULTS")):
                elsewhere.append(f"{path.relative_to(ROOT)}: {name}")
    assert not elsewhere, f"defaults declared outside crawler/defaults.py: {elsewhere}"


def _target(node: ast.stmt) -> str:
    """The name a module-level ``NAME = ...`` / ``NAME: T = ...`` assigns (else "")."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target: ast.expr = node.targets[0]
    elif isinstance(node, ast.AnnAssign):
        target = node.target
    else:
        return ""
    return target.id if isinstance(target, ast.Name) and target.id.isupper() else ""


def test_no_component_passes_a_fallback_default() -> None:
    declared = defaults.values()
    fallbacks = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _sources()
        for name in _FALLBACK.findall(path.read_text(encoding="utf-8"))
        if name in declared
    ]
    assert not fallbacks, f"settings read with a fallback default: {fallbacks}"


def test_install_puts_every_default_at_default_priority_under_any_other_value() -> None:
    settings = Settings({"LUREWATCH_ES_BATCH_SIZE": 7})  # project priority
    settings.set("LUREWATCH_MAX_TITLES", 2, priority="cmdline")
    defaults.install(settings)
    assert settings.getint("LUREWATCH_ES_BATCH_SIZE") == 7
    assert settings.getint("LUREWATCH_MAX_TITLES") == 2
    assert settings.getfloat("LUREWATCH_LANDING_TIMEOUT") == 10.0
    assert settings.getpriority("LUREWATCH_LANDING_TIMEOUT") == 0  # "default"
    for name in set(defaults.values()) - {"LUREWATCH_ES_BATCH_SIZE", "LUREWATCH_MAX_TITLES"}:
        assert settings.getpriority(name) == 0, name


def test_installed_lists_are_copies() -> None:
    first = lurewatch_settings()
    first["LUREWATCH_WORDPRESS_SITES"].append("mutated.example")
    assert lurewatch_settings()["LUREWATCH_WORDPRESS_SITES"] == []
    assert defaults.LUREWATCH_WORDPRESS_SITES == []


def test_the_project_addon_comes_before_every_other_addon() -> None:
    order = build_component_list(Settings({"ADDONS": project_settings.ADDONS})["ADDONS"])
    assert order[0] == "crawler.addon.LurewatchAddon"
    assert order.index("crawler.addon.LurewatchAddon") < order.index(
        "crawler.distributed.DistributedAddon"
    )


class _RecordingAddon:
    """An add-on ordered after the project's: records what it sees."""

    seen: dict[str, Any] = {}  # noqa: RUF012 - one test reads it back

    def update_settings(self, settings: BaseSettings) -> None:
        self.seen.update(
            batch=settings.getint("LUREWATCH_ES_BATCH_SIZE"),
            distributed=settings.getbool("LUREWATCH_DISTRIBUTED"),
        )


def test_later_addons_and_components_see_the_defaults() -> None:
    addons = {**project_settings.ADDONS, _RecordingAddon: 50}
    crawler = lurewatch_crawler(Spider, {"ADDONS": addons})
    assert _RecordingAddon.seen == {"batch": 500, "distributed": False}
    assert crawler.settings.getint("LUREWATCH_LANDING_CACHE") == 5000


def test_the_addon_fills_the_runner_settings_spiders_are_built_from() -> None:
    settings = Settings()
    LurewatchAddon.update_pre_crawler_settings(settings)
    assert settings.get("LUREWATCH_OFFLINE_PLACEHOLDER_KEY") == "lurewatch-offline-placeholder"


def test_distributed_addon_is_default_safe_and_names_a_bad_value() -> None:
    settings = Settings()
    DistributedAddon().update_settings(settings)  # nothing installed: off
    assert settings["SCHEDULER"] == Settings()["SCHEDULER"]
    with pytest.raises(
        ConfigError, match=r"LUREWATCH_DISTRIBUTED: must be a boolean.*'sometimes'"
    ):
        DistributedAddon().update_settings(
            lurewatch_settings({"LUREWATCH_DISTRIBUTED": "sometimes"})
        )


def test_spider_config_from_the_defaults() -> None:
    config = SpiderConfig.from_settings(lurewatch_settings())
    assert (config.titles, config.searches, config.max_titles) == (None, None, 0)
    assert (config.offline, config.render_enabled) == (False, True)
    assert config.placeholder_key == "lurewatch-offline-placeholder"
    assert config.landing == LandingConfig(
        max_per_post=4, redirects=5, timeout=10.0, maxsize=4 * 1024 * 1024, cache=5000
    )
    meta = config.landing.request_meta()
    assert (meta["redirect_ttl"], meta["download_timeout"], meta["dont_retry"]) == (5, 10.0, True)


def test_spider_config_from_overrides() -> None:
    config = SpiderConfig.from_settings(
        lurewatch_settings(
            {
                "LUREWATCH_TITLES": "t.yaml",
                "LUREWATCH_MAX_TITLES": "3",
                "LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:9",
                "LUREWATCH_RENDER_ENABLED": "0",
                "LUREWATCH_MAX_LANDINGS_PER_POST": 0,
                "LUREWATCH_LANDING_TIMEOUT": "2.5",
            }
        )
    )
    assert (config.titles, config.max_titles, config.offline) == ("t.yaml", 3, True)
    assert (config.render_enabled, config.landing.max_per_post) == (False, 0)
    assert config.landing.timeout == 2.5


def test_platform_configs_from_the_defaults() -> None:
    settings = lurewatch_settings()
    tumblr = TumblrConfig.from_settings(settings)
    assert tumblr == TumblrConfig(
        limit=20, endpoints=frozenset({"tagged", "search", "render", "blog"})
    )
    assert WordPressConfig.from_settings(settings) == WordPressConfig(
        sites=(), per_page=20, reader_number=20, reader_search=True
    )
    assert BloggerConfig.from_settings(settings) == BloggerConfig(
        discovery=("google_cse", "brave", "searxng"),
        discovery_pages=2,
        discovery_page_size=0,
        feed_page_size=25,
        fetch_discovered_posts=True,
    )


def test_platform_configs_from_overrides() -> None:
    settings = lurewatch_settings(
        {
            "LUREWATCH_TUMBLR_ENDPOINTS": "tagged, blog",
            "LUREWATCH_TUMBLR_LIMIT": "3",
            "LUREWATCH_WORDPRESS_SITES": "a.example, ,b.wordpress.com",
            "LUREWATCH_WORDPRESS_READER_SEARCH": "false",
            "LUREWATCH_BLOGGER_DISCOVERY": ["brave"],
            "LUREWATCH_BLOGGER_FEED_PAGE_SIZE": 150,
        }
    )
    tumblr = TumblrConfig.from_settings(settings)
    assert (tumblr.limit, tumblr.endpoints) == (3, frozenset({"tagged", "blog"}))
    assert TumblrConfig.from_settings(settings, endpoints="render").endpoints == {"render"}
    wordpress = WordPressConfig.from_settings(settings)
    assert (wordpress.sites, wordpress.reader_search) == (("a.example", "b.wordpress.com"), False)
    blogger = BloggerConfig.from_settings(settings)
    assert (blogger.discovery, blogger.feed_page_size) == (("brave",), 150)


def test_component_configs_from_the_defaults_and_overrides() -> None:
    assert RateLimitConfig.from_settings(lurewatch_settings()) == RateLimitConfig(3600.0)
    assert DetectionConfig.from_settings(lurewatch_settings()) == DetectionConfig(
        titles=None,
        templates=None,
        lures=None,
        thresholds=None,
        brands=None,
        max_bytes=2 * 1024 * 1024,
        keep_benign=False,
        judge_budget=5.0,
    )
    detection = DetectionConfig.from_settings(
        lurewatch_settings({"LUREWATCH_LURES": "l.yaml", "LUREWATCH_KEEP_BENIGN": "1"})
    )
    assert (detection.lures, detection.keep_benign) == ("l.yaml", True)
    routing = OfflineRouting.from_settings(
        lurewatch_settings({"LUREWATCH_DOWNLOAD_HANDLER": "my.Handler"})
    )
    assert routing == OfflineRouting(origin="", handler="my.Handler")


_BAD = [
    (SpiderConfig, "LUREWATCH_MAX_TITLES", "all", "must be an integer from 0 to 10000, got 'all'"),
    (SpiderConfig, "LUREWATCH_MAX_TITLES", -1, "must be an integer from 0 to 10000, got -1"),
    (SpiderConfig, "LUREWATCH_RENDER_ENABLED", "on", "must be a boolean .*, got 'on'"),
    (
        LandingConfig,
        "LUREWATCH_MAX_LANDINGS_PER_POST",
        "4.5",
        "must be an integer from 0 to 50, got '4.5'",
    ),
    (LandingConfig, "LUREWATCH_LANDING_TIMEOUT", 0, "must be a number > 0, got 0"),
    (LandingConfig, "LUREWATCH_LANDING_REDIRECTS", -1, "must be an integer from 0 to 20, got -1"),
    (LandingConfig, "LUREWATCH_LANDING_MAXSIZE", "4MB", "integer from 1 to 67108864, got '4MB'"),
    (LandingConfig, "LUREWATCH_LANDING_CACHE", 0, "must be an integer from 1 to 1000000, got 0"),
    (TumblrConfig, "LUREWATCH_TUMBLR_LIMIT", 50, "must be an integer from 1 to 20, got 50"),
    (TumblrConfig, "LUREWATCH_TUMBLR_ENDPOINTS", "tagged,rss", "subset of .*, got 'tagged,rss'"),
    (TumblrConfig, "LUREWATCH_TUMBLR_ENDPOINTS", "", "subset of .*, got ''"),
    (WordPressConfig, "LUREWATCH_WORDPRESS_PER_PAGE", 500, "from 1 to 100, got 500"),
    (WordPressConfig, "LUREWATCH_WORDPRESS_READER_NUMBER", 0, "from 1 to 40, got 0"),
    (
        WordPressConfig,
        "LUREWATCH_WORDPRESS_SITES",
        {"a": 1},
        "must be a list .*, got \\{'a': 1\\}",
    ),
    (BloggerConfig, "LUREWATCH_BLOGGER_FEED_PAGE_SIZE", 500, "from 1 to 150, got 500"),
    (BloggerConfig, "LUREWATCH_BLOGGER_DISCOVERY_PAGES", 0, "integer from 1 to 100, got 0"),
    (BloggerConfig, "LUREWATCH_BLOGGER_DISCOVERY_PAGE_SIZE", "x", "got 'x'"),
    (BloggerConfig, "LUREWATCH_BLOGGER_FETCH_DISCOVERED_POSTS", "yes", "got 'yes'"),
    (RateLimitConfig, "LUREWATCH_MAX_BACKOFF", "inf", "number from 0 to 3600, got 'inf'"),
    (RateLimitConfig, "LUREWATCH_MAX_BACKOFF", "soon", "number from 0 to 3600, got 'soon'"),
    (DetectionConfig, "LUREWATCH_KEEP_BENIGN", "maybe", "must be a boolean .*, got 'maybe'"),
    (DetectionConfig, "LUREWATCH_JUDGE_BUDGET", 0, "must be a number > 0, got 0"),
    (DetectionConfig, "LUREWATCH_JUDGE_BUDGET", 1000, "number from 0 to 300.0, got 1000"),
    (OfflineRouting, "LUREWATCH_OFFLINE_ORIGIN", "127.0.0.1:8089", "got '127.0.0.1:8089'"),
    (OfflineRouting, "LUREWATCH_DOWNLOAD_HANDLER", "", "got ''"),
]


@pytest.mark.parametrize(("config", "name", "value", "message"), _BAD)
def test_a_bad_value_raises_config_error_naming_setting_and_value(
    config: Any, name: str, value: object, message: str
) -> None:
    with pytest.raises(ConfigError, match=f"^{name}: .*{message}"):
        config.from_settings(lurewatch_settings({name: value}))


def test_a_bad_value_fails_the_spider_at_startup() -> None:
    from crawler.spiders.wordpress import WordPressSpider

    crawler = lurewatch_crawler(WordPressSpider, {"LUREWATCH_WORDPRESS_PER_PAGE": "many"})
    with pytest.raises(ConfigError, match=r"LUREWATCH_WORDPRESS_PER_PAGE: .*'many'"):
        WordPressSpider.from_crawler(crawler)


def test_the_spider_argument_wins_over_the_endpoints_setting() -> None:
    from crawler.spiders.tumblr import TumblrSpider

    crawler = lurewatch_crawler(TumblrSpider, {"TUMBLR_API_KEY": "k"})
    spider = TumblrSpider.from_crawler(crawler, endpoints="tagged")
    assert spider.enabled == {"tagged"}
    with pytest.raises(ConfigError, match=r"^endpoints: .*, got 'nope'"):
        TumblrSpider.from_crawler(lurewatch_crawler(TumblrSpider), endpoints="nope")


def test_readers_on_a_plain_mapping_like_object() -> None:
    settings = Settings({"I": "12", "F": "0.5", "B": "true", "L": "a, b,,", "C": "load"})
    assert read_int(settings, "I", minimum=1, maximum=12) == 12
    assert read_float(settings, "F", maximum=1) == 0.5
    assert read_bool(settings, "B") is True
    assert read_list(settings, "L") == ["a", "b"]
    assert read_list(settings, "UNSET") == []
    assert read_choice(settings, "C", {"load", "commit"}) == "load"
    with pytest.raises(ConfigError, match=r"^I: must be an integer <= 10, got 12$"):
        read_int(settings, "I", maximum=10)
    with pytest.raises(ConfigError, match=r"^C: must be one of commit, networkidle, got 'load'$"):
        read_choice(settings, "C", {"commit", "networkidle"})


def test_the_detection_core_imports_without_scrapy_twisted_or_crawler() -> None:
    modules = [
        "pipelines.config",
        "pipelines.exceptions",
        "pipelines.items",
        "pipelines.matching",
        "pipelines.scoring",
        "pipelines.signals",
        "pipelines.lures",
        "pipelines.templates",
        "pipelines.watchlists",
        "pipelines.normalise",
        "pipelines.watchlists._yaml",
        "pipelines.es",
        "pipelines.es.config",
        "pipelines.es.documents",
    ]
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted({n.split('.')[0] for n in sys.modules} & {'scrapy', 'twisted', 'crawler'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
