"""RateLimitMiddleware: 429 handling for every spider (headers, bounded pause of the slot, retry,
stats)."""

from __future__ import annotations

from email.utils import formatdate
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.core.downloader import Slot
from scrapy.http import Response

from crawler.middlewares import rate_limit
from crawler.middlewares.rate_limit import RateLimitConfig, RateLimitMiddleware, backoff_seconds
from pipelines.exceptions import ConfigError
from tests._settings import lurewatch_crawler, lurewatch_settings

NOW = 1_800_000_000.0


def resp(status: int = 429, **headers: str) -> Response:
    return Response(
        "https://api.tumblr.com/v2/tagged?tag=x",
        status=status,
        headers={k.replace("_", "-"): v for k, v in headers.items()},
    )


class FakeDownloader:
    def __init__(self) -> None:
        self.slots: dict[str, Slot] = {"api.tumblr.com": Slot(concurrency=2, delay=0.0)}
        self.resumed: list[Slot] = []

    def get_slot_key(self, request: Request) -> str:
        return request.url.split("/")[2]

    def _latercall(self, slot: Slot) -> None:
        slot.latercall = None
        self.resumed.append(slot)


class FakeTimer:
    def __init__(self, delay: float, func: Any, *args: Any) -> None:
        self.delay, self.func, self.args, self.cancelled = delay, func, args, False

    def cancel(self) -> None:
        self.cancelled = True


@pytest.fixture
def timers(monkeypatch: pytest.MonkeyPatch) -> list[FakeTimer]:
    made: list[FakeTimer] = []

    def fake_call_later(delay: float, func: Any, *args: Any) -> FakeTimer:
        made.append(FakeTimer(delay, func, *args))
        return made[-1]

    monkeypatch.setattr(rate_limit, "call_later", fake_call_later)
    return made


def make_mw(
    settings: dict[str, Any] | None = None,
) -> tuple[RateLimitMiddleware, Any, FakeDownloader]:
    crawler = lurewatch_crawler(Spider, settings)
    crawler.spider = Spider.from_crawler(crawler, "test")
    downloader = FakeDownloader()
    crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
    return RateLimitMiddleware.from_crawler(crawler), crawler, downloader


@pytest.mark.parametrize(
    ("headers", "expected", "source"),
    [
        ({"Retry_After": "7", "X_Ratelimit_Perhour_Reset": "900"}, 7.0, "retry-after"),
        ({"Retry_After": formatdate(NOW + 30, usegmt=True)}, 30.0, "retry-after"),
        (
            {
                "X_Ratelimit_Perday_Remaining": "0",
                "X_Ratelimit_Perday_Reset": "5000",
                "X_Ratelimit_Perhour_Reset": "60",
            },
            5000.0,
            "perday",
        ),
        (
            {
                "X_Ratelimit_Perday_Remaining": "12",
                "X_Ratelimit_Perday_Reset": "5000",
                "X_Ratelimit_Perhour_Reset": "60",
            },
            60.0,
            "perhour",
        ),
        ({"X_RateLimit_Reset": str(int(NOW) + 12)}, 12.0, "reset"),
        ({"Retry_After": "soon"}, 1.0, "default"),
    ],
)
def test_backoff_reads_the_headers_in_order(
    headers: dict[str, str], expected: float, source: str
) -> None:
    assert backoff_seconds(resp(**headers), 0, now=NOW) == (pytest.approx(expected), source)


def test_backoff_without_headers_is_exponential() -> None:
    assert [backoff_seconds(resp(), n, now=NOW)[0] for n in range(4)] == [1.0, 2.0, 4.0, 8.0]


def test_429_pauses_the_slot_within_the_bound_and_retries(timers: list[FakeTimer]) -> None:
    mw, crawler, downloader = make_mw({"LUREWATCH_MAX_BACKOFF": 5})
    request = Request(
        "https://api.tumblr.com/v2/tagged?tag=x", meta={"download_slot": "api.tumblr.com"}
    )
    out = mw.process_response(request, resp(X_Ratelimit_Perhour_Reset="3600"))
    assert isinstance(out, Request) and out.meta["retry_times"] == 1 and out.dont_filter
    assert out.meta["download_slot"] == "api.tumblr.com"  # the retry waits in the paused slot
    assert [t.delay for t in timers] == [
        5.0
    ]  # Perhour-Reset said 3600 s, bounded by LUREWATCH_MAX_BACKOFF
    slot = downloader.slots["api.tumblr.com"]
    assert slot.latercall is timers[0]  # the downloader dispatches nothing from the slot meanwhile
    timers[0].func(*timers[0].args)
    assert downloader.resumed == [slot] and slot.latercall is None
    stats = crawler.stats.get_stats()
    assert stats["lurewatch/ratelimit/429"] == 1
    assert stats["lurewatch/ratelimit/retry/count"] == 1
    assert stats["lurewatch/ratelimit/source/perhour"] == 1
    assert stats["lurewatch/ratelimit/paused_ms"] == 5000


def test_a_longer_pause_replaces_a_shorter_one_not_the_reverse(timers: list[FakeTimer]) -> None:
    mw, _crawler, downloader = make_mw({"LUREWATCH_MAX_BACKOFF": 100})
    request = Request("https://api.tumblr.com/v2/tagged?tag=x")
    mw.process_response(request, resp(Retry_After="2"))
    mw.process_response(request, resp(Retry_After="10"))
    mw.process_response(request, resp(Retry_After="1"))
    assert [t.delay for t in timers] == [2.0, 10.0]
    assert timers[0].cancelled and not timers[1].cancelled
    assert downloader.slots["api.tumblr.com"].latercall is timers[1]


def test_gives_up_after_retry_times_and_hands_the_429_to_the_spider(
    timers: list[FakeTimer],
) -> None:
    mw, crawler, _ = make_mw({"RETRY_TIMES": 2})
    request = Request("https://api.tumblr.com/v2/tagged?tag=x", meta={"retry_times": 2})
    response = resp(Retry_After="1")
    assert mw.process_response(request, response) is response
    assert crawler.stats.get_value("lurewatch/ratelimit/retry/max_reached") == 1


@pytest.mark.parametrize(("status", "meta"), [(200, {}), (503, {}), (429, {"dont_retry": True})])
def test_other_responses_pass_through(
    timers: list[FakeTimer], status: int, meta: dict[str, Any]
) -> None:
    mw, crawler, _ = make_mw()
    response = resp(status, Retry_After="3")
    assert (
        mw.process_response(Request("https://api.tumblr.com/x", meta=meta), response) is response
    )
    assert timers == [] and crawler.stats.get_value("lurewatch/ratelimit/429") is None


def test_config_from_settings() -> None:
    config = RateLimitConfig.from_settings(lurewatch_settings({"LUREWATCH_MAX_BACKOFF": "2.5"}))
    assert config.max_backoff == 2.5
    assert RateLimitConfig.from_settings(lurewatch_settings()).max_backoff == 3600.0
    with pytest.raises(
        ConfigError, match="LUREWATCH_MAX_BACKOFF: must be a number from 0 to 3600, got -1"
    ):
        RateLimitConfig.from_settings(lurewatch_settings({"LUREWATCH_MAX_BACKOFF": -1}))
    with pytest.raises(ConfigError, match="from 0 to 3600, got 99999"):
        RateLimitConfig.from_settings(lurewatch_settings({"LUREWATCH_MAX_BACKOFF": 99999}))


def test_a_long_reset_is_waited_for_by_default_up_to_the_hour(timers: list[FakeTimer]) -> None:
    mw, _crawler, _ = make_mw()
    request = Request("https://api.tumblr.com/v2/tagged?tag=x")
    out = mw.process_response(request, resp(X_Ratelimit_Perhour_Reset="1800"))
    assert isinstance(out, Request)  # retried, not dropped
    day = resp(X_Ratelimit_Perday_Remaining="0", X_Ratelimit_Perday_Reset="50000")
    assert isinstance(mw.process_response(Request("https://api.tumblr.com/v2/a"), day), Request)
    assert [t.delay for t in timers] == [1800.0, 3600.0]  # the hour's reset; the day's bounded


def test_a_429_given_up_is_an_error_and_a_stat(
    timers: list[FakeTimer], caplog: pytest.LogCaptureFixture
) -> None:
    mw, crawler, _ = make_mw({"RETRY_TIMES": 1})
    request = Request("https://api.tumblr.com/v2/tagged?tag=x", meta={"retry_times": 1})
    mw.process_response(request, resp(Retry_After="1"))
    assert crawler.stats.get_value("lurewatch/ratelimit/lost") == 1
    assert [r.levelname for r in caplog.records if "given up" in r.getMessage()] == ["ERROR"]
