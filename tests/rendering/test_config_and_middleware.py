"""RenderLimits from bare settings, and the middleware's hooks called directly."""

from __future__ import annotations

import logging
import pickle

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest

from crawler.rendering.config import RenderLimits
from crawler.rendering.guard import (
    INIT_CALLBACK,
    RenderGuardMiddleware,
    assign_context,
    install_log_filter,
)
from pipelines.exceptions import ConfigError
from tests._settings import lurewatch_crawler, lurewatch_settings


def test_limits_defaults_and_derived_deadline() -> None:
    limits = RenderLimits.from_settings(
        lurewatch_settings({"LUREWATCH_RENDER_TIMEOUT": 4, "LUREWATCH_RENDER_SETTLE": 1})
    )
    assert limits.timeout == 4 and limits.deadline == 9 and limits.origin == ""
    assert limits.maxsize > 0 and limits.pages_per_context >= 1


def test_limits_from_the_defaults_alone() -> None:
    limits = RenderLimits.from_settings(lurewatch_settings())
    assert (limits.enabled, limits.origin, limits.maxsize) == (True, "", 4 * 1024 * 1024)
    assert (limits.timeout, limits.settle, limits.deadline) == (15.0, 1.0, 31.0)
    assert (limits.pages_per_context, limits.wait_until, limits.max_redirects) == (20, "load", 5)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"LUREWATCH_RENDER_MAXSIZE": 0},
            "LUREWATCH_RENDER_MAXSIZE: .* from 1 to 67108864, got 0",
        ),
        ({"LUREWATCH_RENDER_MAXSIZE": "4MB"}, "LUREWATCH_RENDER_MAXSIZE: .*, got '4MB'"),
        (
            {"LUREWATCH_RENDER_TIMEOUT": 10, "LUREWATCH_RENDER_DEADLINE": 5},
            r"LUREWATCH_RENDER_DEADLINE: must be >= LUREWATCH_RENDER_TIMEOUT \(10.0\), got 5.0",
        ),
        ({"LUREWATCH_RENDER_TIMEOUT": 0}, "LUREWATCH_RENDER_TIMEOUT: must be a number > 0, got 0"),
        ({"LUREWATCH_RENDER_PAGES_PER_CONTEXT": 0}, "LUREWATCH_RENDER_PAGES_PER_CONTEXT: .*got 0"),
        ({"LUREWATCH_RENDER_WAIT_UNTIL": "whenever"}, "WAIT_UNTIL: must be one of .*'whenever'"),
        (
            {"LUREWATCH_RENDER_ENABLED": "yes please"},
            "LUREWATCH_RENDER_ENABLED: must be a boolean",
        ),
        ({"LUREWATCH_OFFLINE_ORIGIN": "https://x:1"}, "LUREWATCH_OFFLINE_ORIGIN: .*'https://x:1'"),
    ],
)
def test_bad_values_fail_at_startup_naming_setting_and_value(
    bad: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        RenderLimits.from_settings(lurewatch_settings(bad))


def _middleware(**settings: object) -> RenderGuardMiddleware:
    crawler = lurewatch_crawler(
        Spider, {"LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:9", **settings}
    )
    return RenderGuardMiddleware.from_crawler(crawler)


def test_render_requests_are_bounded_and_meta_stays_picklable() -> None:
    mw = _middleware(LUREWATCH_RENDER_PAGES_PER_CONTEXT=2)
    requests = [
        Request(f"https://www.tumblr.com/search/{i}", meta={"playwright": True}) for i in range(3)
    ]
    for request in requests:
        mw.process_request(request)
    meta = requests[0].meta
    assert meta["playwright_page_init_callback"] == INIT_CALLBACK
    assert meta["playwright_context_kwargs"]["accept_downloads"] is False
    assert meta["playwright_page_goto_kwargs"]["timeout"] == mw.limits.timeout * 1000
    assert meta["lurewatch_render"]["origin"] == "http://127.0.0.1:9"
    pickle.dumps(requests[0].meta)  # scrapy-redis serialises requests
    # contexts are named as pages are created (the handler calls assign_context), not here: a
    # request waiting in a download slot holds no context open
    assert not any("playwright_context" in r.meta for r in requests)
    for request in reversed(requests):  # pages made in another order than requests came
        assign_context(request)
        assign_context(request)  # scrapy-playwright retrying the page: the same context
    assert [r.meta["playwright_context"] for r in requests] == ["lurewatch-render-1"] + [
        "lurewatch-render-0"
    ] * 2
    assert mw.guard.contexts.inflight == {"lurewatch-render-0": 2, "lurewatch-render-1": 1}
    for request in requests:
        mw.guard.render_over(request)
    assert mw.guard.contexts.inflight == {"lurewatch-render-0": 0, "lurewatch-render-1": 0}


def test_a_render_dropped_before_its_page_releases_no_context() -> None:
    mw = _middleware(LUREWATCH_RENDER_PAGES_PER_CONTEXT=1)
    dropped = Request("https://x.example/a", meta={"playwright": True})
    mw.process_request(dropped)
    mw.guard.render_over(dropped)  # refused by a later middleware: never reached the handler
    rendered = Request("https://x.example/b", meta={"playwright": True})
    mw.process_request(rendered)
    assign_context(rendered)
    assert rendered.meta["playwright_context"] == "lurewatch-render-0"  # no generation spent
    assert mw.guard.contexts.inflight == {"lurewatch-render-0": 1}


def test_non_get_renders_are_refused_and_plain_requests_untouched() -> None:
    mw = _middleware()
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://x.example/", method="POST", meta={"playwright": True}))
    plain = Request("https://x.example/")
    mw.process_request(plain)
    assert "lurewatch_render" not in plain.meta


def test_rendering_disabled_falls_back_to_a_plain_download() -> None:
    mw = _middleware(LUREWATCH_RENDER_ENABLED=False)
    request = Request("https://x.example/", meta={"playwright": True})
    mw.process_request(request)
    assert request.meta["playwright"] is False


def test_failed_render_is_logged_on_one_line(caplog: pytest.LogCaptureFixture) -> None:
    """A page whose script never ends times out: logged as one line, not a traceback and call
    log."""
    install_log_filter()
    install_log_filter()  # idempotent
    log = logging.getLogger("scrapy-playwright")
    assert sum(type(f).__name__ == "OneLineRenderFailures" for f in log.filters) == 1
    try:
        raise TimeoutError(
            'Page.goto: Timeout 15000ms exceeded.\nCall log:\n  - navigating to "x"'
        )
    except TimeoutError as exc:
        with caplog.at_level(logging.WARNING, logger="scrapy-playwright"):
            log.warning(
                "Closing page due to failed request: %s exc_type=%s exc_msg=%s",
                "<GET https://spin.example/>",
                type(exc),
                str(exc),
                exc_info=True,
            )
            log.warning("another warning", exc_info=True)
    closing, other = caplog.records[-2:]
    assert closing.exc_info is None and "\n" not in closing.getMessage()
    assert (
        "Timeout 15000ms exceeded." in closing.getMessage()
        and "spin.example" in closing.getMessage()
    )
    assert other.exc_info is not None  # other records untouched
