"""The ``blogger`` spider's configuration and callbacks, built from ``get_crawler`` (no
network)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from crawler.spiders.blogger import BloggerSpider
from pipelines.exceptions import ConfigError
from pipelines.watchlists import Title
from tests._settings import lurewatch_crawler

OFFLINE = {"LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:9"}
TITLE = Title("Dune: Part Three", 2026, ("Dune 3",))


def _spider(settings: dict[str, Any]) -> BloggerSpider:
    crawler = lurewatch_crawler(BloggerSpider, settings)
    return BloggerSpider.from_crawler(crawler)  # type: ignore[return-value]


def _json_response(request: Request, body: Any, status: int = 200) -> TextResponse:
    return TextResponse(
        request.url,
        status=status,
        body=json.dumps(body).encode(),
        encoding="utf-8",
        request=request,
    )


def test_offline_placeholders_enable_every_backend_and_the_api() -> None:
    spider = _spider(OFFLINE)
    assert [b.name for b in spider.backends] == ["google_cse", "brave"] and not spider.api_disabled


def test_online_without_keys_has_no_backend_and_no_api() -> None:
    spider = _spider({})
    assert spider.backends == [] and spider.api_disabled
    spider = _spider(
        {"BRAVE_API_KEY": "k", "BLOGGER_API_KEY": "b", "LUREWATCH_BLOGGER_DISCOVERY": "brave"}
    )
    assert [b.name for b in spider.backends] == ["brave"] and not spider.api_disabled


def test_bad_config_fails_at_startup() -> None:
    with pytest.raises(ConfigError, match="150"):
        _spider({**OFFLINE, "LUREWATCH_BLOGGER_FEED_PAGE_SIZE": 500})


def test_discovery_queries_cover_backends_phrasings_and_aliases() -> None:
    spider = _spider(OFFLINE)
    requests = list(spider.search_requests(TITLE))
    queries = {(urlsplit(r.url).netloc, parse_qs(urlsplit(r.url).query)["q"][0]) for r in requests}
    expected = {f"{q} site:blogspot.com" for q in spider.queries_for(TITLE)}
    assert {q for host, q in queries if host == "www.googleapis.com"} == expected
    assert {q for host, q in queries if host == "api.search.brave.com"} == expected
    assert any("Dune 3" in q for q in expected)  # aliases are searched too
    for request in requests:  # keys travel in headers, never in a (logged) URL; cx is not a secret
        assert "key" not in parse_qs(urlsplit(request.url).query)
        assert request.headers.get("X-goog-api-key") or request.headers.get("X-Subscription-Token")


def test_discovery_ignores_noise_and_searches_each_blog_once() -> None:
    spider = _spider(OFFLINE)
    backend = spider.backends[0]
    request = next(iter(spider.search_requests(TITLE)))
    links = [
        "https://www.imdb.com/find/?q=dune",
        "https://films.blogspot.com/",
        "https://films.blogspot.com/2026/03/watch-dune-3.html",
        "https://blogspot.com.dune.stream-hd.example/w",
        "https://www.blogger.com/about/",
        "http://films.blogspot.com.br/",
    ]
    body = {
        "kind": "customsearch#search",
        "queries": {"request": [{}], "nextPage": [{"startIndex": 11}]},
        "items": [{"kind": "customsearch#result", "link": link} for link in links],
    }
    out = list(
        spider.parse_discovery(
            _json_response(request, body), backend, "dune site:blogspot.com", TITLE, 1
        )
    )
    hosts = {urlsplit(r.url).netloc for r in out}
    assert hosts == {
        "films.blogspot.com",
        "blogger.googleapis.com",
        "www.googleapis.com",
    }  # feeds, byurl, page 2
    feeds = [r for r in out if "/feeds/posts/default" in r.url]
    assert len(feeds) == len(
        spider.queries_for(TITLE)
    )  # one feed search per phrasing, not per result
    assert sum("blogs/byurl" in r.url for r in out) == 1
    assert sum("customsearch" in r.url and "start=11" in r.url for r in out) == 1
    assert spider.crawler.stats.get_value("lurewatch/blogger/discovery/ignored") == 3
    assert spider.discovered_posts == {
        "https://films.blogspot.com/2026/03/watch-dune-3.html": "dune site:blogspot.com"
    }


def test_fatal_discovery_error_disables_the_backend() -> None:
    spider = _spider(OFFLINE)
    backend = spider.backends[1]
    request = list(spider.search_requests(TITLE))[-1]
    body = {
        "type": "ErrorResponse",
        "error": {
            "status": 401,
            "code": "SUBSCRIPTION_TOKEN_INVALID",
            "detail": "The provided subscription token is invalid.",
        },
    }
    out = list(spider.parse_discovery(_json_response(request, body, 401), backend, "q", TITLE, 1))
    assert out == [] and "brave" in spider.disabled_backends
