"""Offline routing: requests reach the origin with the real host and scheme, responses keep the
real URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.offline import OfflineRouting, OfflineRoutingDownloadHandler, parse_origin, route_url
from pipelines.exceptions import ConfigError
from replica.http import Request, Response, Router, json_response
from replica.server import ReplicaServer
from tests._crawl import read_jsonl, run_crawl
from tests._settings import lurewatch_crawler, lurewatch_settings


def _echo(request: Request) -> Response:
    return json_response(
        {
            "method": request.method,
            "host": request.host,
            "scheme": request.scheme,
            "path": request.path,
            "query": request.query_string,
            "body": request.body.decode(),
        }
    )


@pytest.fixture(scope="module")
def echo_origin() -> Iterator[ReplicaServer]:
    router = Router()
    router.add(r"api\.tumblr\.com", r"/v2/echo", _echo)
    router.add(r"public-api\.wordpress\.com", r"/rest/v1\.1/echo", _echo, methods=("POST",))
    router.add(
        r"bit\.ly",
        r"/abc",
        lambda r: Response(301, b"", [("Location", "https://landing.example/final?x=1")]),
    )
    router.add(r"landing\.example", r"/final", _echo)
    with ReplicaServer(router=router) as server:
        yield server


def test_route_url_keeps_path_query_and_reports_host_and_scheme() -> None:
    routed, host, scheme = route_url(
        "https://api.tumblr.com/v2/tagged?tag=a%20b&limit=20", "http://127.0.0.1:9"
    )
    assert (routed, host, scheme) == (
        "http://127.0.0.1:9/v2/tagged?tag=a%20b&limit=20",
        "api.tumblr.com",
        "https",
    )


@pytest.mark.parametrize(
    "bad", ["127.0.0.1:8089", "https://127.0.0.1:8089", "http://127.0.0.1:8089/replica", "ftp://x"]
)
def test_bad_origin_is_refused_with_its_value(bad: str) -> None:
    with pytest.raises(ConfigError, match=f"LUREWATCH_OFFLINE_ORIGIN: .*, got '{bad}'"):
        parse_origin(bad)


def test_origin_with_credentials_is_refused_without_showing_them() -> None:
    with pytest.raises(ConfigError) as info:
        parse_origin("http://user:hunter2@127.0.0.1:8089")
    assert "hunter2" not in str(info.value) and "user:***@127.0.0.1:8089" in str(info.value)


def test_routing_config_defaults_and_overrides() -> None:
    assert OfflineRouting.from_settings(lurewatch_settings()) == OfflineRouting(
        origin="", handler="crawler.rendering.handler.GuardedPlaywrightHandler"
    )
    routing = OfflineRouting.from_settings(
        lurewatch_settings({"LUREWATCH_OFFLINE_ORIGIN": " http://127.0.0.1:9/ "})
    )
    assert routing.origin == "http://127.0.0.1:9"


class RecordingHandler:
    """Stands in for the real download handler: records the request it is given."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    @classmethod
    def from_crawler(cls, crawler: object) -> RecordingHandler:
        return cls()

    async def download_request(self, request: object) -> object:
        self.seen.append(request)
        return request


def _handler(origin: str) -> OfflineRoutingDownloadHandler:
    settings = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LUREWATCH_DOWNLOAD_HANDLER": f"{__name__}.RecordingHandler",
    }
    return OfflineRoutingDownloadHandler.from_crawler(lurewatch_crawler(settings=settings))


def test_handler_is_a_pass_through_without_origin() -> None:
    import asyncio

    from scrapy import Request as ScrapyRequest

    handler = _handler("")
    request = ScrapyRequest("https://api.tumblr.com/v2/tagged?tag=x")
    assert asyncio.run(handler.download_request(request)) is request


def test_browser_requests_are_left_to_the_browser_route() -> None:
    import asyncio

    from scrapy import Request as ScrapyRequest

    handler = _handler("http://127.0.0.1:9")
    request = ScrapyRequest("https://www.tumblr.com/search/x", meta={"playwright": True})
    assert asyncio.run(handler.download_request(request)) is request  # not rewritten here


@pytest.mark.crawl
def test_crawl_through_origin_keeps_real_urls(echo_origin: ReplicaServer, tmp_path: Path) -> None:
    out = tmp_path / "echo.jsonl"
    run_crawl("echo", echo_origin.origin, out, {"SPIDER_MODULES": "tests.crawler.spiders"})
    items = {item["kind"]: item for item in read_jsonl(out)}
    get, post, redirect = items["get"], items["post"], items["redirect"]
    assert get["url"] == "https://api.tumblr.com/v2/echo?tag=man+of+steel&limit=20"
    assert get["seen"] == {
        "method": "GET",
        "host": "api.tumblr.com",
        "scheme": "https",
        "path": "/v2/echo",
        "query": "tag=man+of+steel&limit=20",
        "body": "",
    }
    assert post["seen"]["method"] == "POST" and json.loads(post["seen"]["body"]) == {"q": 1}
    assert post["seen"]["host"] == "public-api.wordpress.com"
    # the redirect's Location is a real URL: followed, routed again, and reported under its real
    # URL
    assert redirect["url"] == "https://landing.example/final?x=1"
    assert redirect["redirects"] == ["http://bit.ly/abc"]
    assert redirect["seen"]["host"] == "landing.example" and redirect["seen"]["scheme"] == "https"
    assert items.keys() == {"get", "post", "redirect"}
