"""The SSRF guard's decisions (:mod:`crawler.netguard`) and its downloader middleware."""

from __future__ import annotations

import asyncio
import ipaddress
import logging

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError

from crawler.addon import LurewatchAddon
from crawler.defaults import install
from crawler.middlewares.ssrf import SsrfMiddleware
from crawler.netguard import NetGuard, SsrfPolicy, forbidden_reason, literal_address
from pipelines.exceptions import ConfigError


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link_local"),
        ("fe80::1", "link_local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("100.64.0.1", "cgnat"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address judged, not bound
        ("::", "unspecified"),
        ("240.0.0.1", "private"),  # reserved, and private to ipaddress
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link_local"),
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("192.0.2.1", "private"),  # documentation
        ("8.8.8.8", ""),
        ("2606:4700::1111", ""),
        ("::ffff:8.8.8.8", ""),
    ],
)
def test_forbidden_reason(address: str, reason: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("2130706433", "127.0.0.1"),  # what inet_aton, hence resolvers and browsers, read
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0251.0376.0251.0376", "169.254.169.254"),  # octal
        ("cafe.de", None),
        ("example.com", None),
    ],
)
def test_literal_address(host: str, address: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == address


def _settings(**values: object) -> Settings:
    settings = Settings(values)
    install(settings)
    return settings


def _guard(resolved: dict[str, list[str]] | None = None, **settings: object) -> NetGuard:
    async def resolve(host: str) -> list[str]:
        if resolved is None:
            raise AssertionError(f"{host} was looked up")
        return resolved.get(host, [])

    policy = SsrfPolicy.from_settings(_settings(**settings))
    return NetGuard(policy, MemoryStatsCollector(get_crawler(Spider)), resolve)


def refusal(guard: NetGuard, url: str) -> str:
    return asyncio.run(guard.refusal(url))


def test_names_are_judged_by_every_address_they_resolve_to() -> None:
    public = "93.184.215.14"
    guard = _guard({"public.example": [public], "rebind.example": [public, "10.0.0.5"]})
    assert refusal(guard, "https://public.example/page") == ""
    assert refusal(guard, "https://rebind.example/page") == "private"
    assert refusal(guard, "http://metadata.localhost/") == "loopback"  # never looked up


def test_a_name_that_does_not_resolve_is_not_fetched_unchecked() -> None:
    with pytest.raises(DNSLookupError):
        refusal(_guard({}), "https://nxdomain.example/")


def test_offline_no_name_is_resolved_but_literal_addresses_are_refused() -> None:
    guard = _guard(None, LUREWATCH_OFFLINE_ORIGIN="http://127.0.0.1:8089")
    assert refusal(guard, "https://api.tumblr.com/v2/tagged?tag=x") == ""
    assert refusal(guard, "http://127.0.0.1:8089/v2/tagged") == ""  # the replica itself
    assert refusal(guard, "http://169.254.169.254/latest/meta-data/") == "link_local"
    assert refusal(guard, "http://127.0.0.1:6379/") == "loopback"
    assert refusal(guard, "http://localhost:8089/") == "loopback"


def test_allow_list_of_networks_and_hosts() -> None:
    allow = "10.1.0.0/16, proxy.corp.example"
    guard = _guard({"mirror.proxy.corp.example": ["10.9.9.9"]}, LUREWATCH_SSRF_ALLOW=allow)
    assert refusal(guard, "http://10.1.2.3/") == ""
    assert refusal(guard, "http://10.2.0.1/") == "private"
    assert refusal(guard, "http://mirror.proxy.corp.example/") == ""  # an allowed host's subdomain


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "http://proxy/", ""])
def test_a_bad_allow_list_entry_is_a_config_error(entry: str) -> None:
    with pytest.raises(ConfigError, match="LUREWATCH_SSRF_ALLOW"):
        SsrfPolicy.from_settings(_settings(LUREWATCH_SSRF_ALLOW=[entry]))


def test_refusals_are_counted_and_logged_once_per_host(caplog: pytest.LogCaptureFixture) -> None:
    guard = _guard(None)
    with caplog.at_level(logging.INFO, logger="crawler.netguard"):
        for path in ("a", "b", "c"):
            assert refusal(guard, f"http://169.254.169.254/{path}") == "link_local"
    assert guard.stats.get_value("lurewatch/ssrf/refused") == 3
    assert guard.stats.get_value("lurewatch/ssrf/refused/link_local") == 3
    assert caplog.text.count("169.254.169.254") == 1


def test_switched_off_nothing_is_refused_and_the_middleware_says_so() -> None:
    guard = _guard(None, LUREWATCH_SSRF_ENABLED=False)
    assert refusal(guard, "http://127.0.0.1:6379/") == ""
    crawler = get_crawler(Spider, {"LUREWATCH_SSRF_ENABLED": False, "ADDONS": {LurewatchAddon: 0}})
    with pytest.raises(NotConfigured, match="LUREWATCH_SSRF_ENABLED"):
        SsrfMiddleware.from_crawler(crawler)


def test_middleware_refuses_a_redirect_to_a_private_address() -> None:
    """A redirect is a new request: it passes process_request again, and is refused there."""
    middleware = SsrfMiddleware(_guard({"post.example": ["93.184.215.14"]}))
    request = Request("https://post.example/watch")
    assert asyncio.run(middleware.process_request(request)) is None
    response = Response(request.url, status=302, headers={"Location": "http://10.0.0.5/admin"})
    crawler = get_crawler(Spider)
    redirected = RedirectMiddleware.from_crawler(crawler).process_response(request, response)
    assert isinstance(redirected, Request)
    with pytest.raises(IgnoreRequest, match="private"):
        asyncio.run(middleware.process_request(redirected))


def test_project_settings_put_the_guard_first() -> None:
    middlewares = get_project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    order = middlewares["crawler.middlewares.ssrf.SsrfMiddleware"]
    assert order < 100  # before RobotsTxtMiddleware: no robots.txt fetch for a refused host
    assert order < middlewares["crawler.rendering.guard.RenderGuardMiddleware"]
