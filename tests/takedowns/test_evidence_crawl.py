"""The crawl-side evidence components: the fetch recorded on each hit, the HTML stored by hash."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse

from crawler.evidence import EvidencePipeline, EvidenceSpiderMiddleware
from pipelines.evidence import MASK
from pipelines.items import Hit, LandingPage
from tests._settings import lurewatch_crawler

POST = "https://fakes.tumblr.com/post/1/watch-x"


def _response() -> HtmlResponse:
    request = Request(POST, meta={"redirect_urls": ["https://t.umblr.com/redirect?z=x"]})
    return HtmlResponse(
        POST,
        body=b"<html>post</html>",
        headers={"Set-Cookie": "pfg=secretcookie; Path=/", "Server": "nginx"},
        request=request,
    )


def _crawler(tmp_path: Path, **settings: Any) -> Any:
    crawler = lurewatch_crawler(settings={"LUREWATCH_DATA_DIR": str(tmp_path), **settings})
    crawler._apply_settings()  # stats and settings as a started crawl has them
    return crawler


def test_spider_middleware_records_masked_headers_and_the_redirect_chain(tmp_path: Path) -> None:
    middleware = EvidenceSpiderMiddleware.from_crawler(_crawler(tmp_path))
    hit = Hit(url=POST, platform="tumblr")
    other = {"not": "a hit"}
    out = list(middleware.process_spider_output(_response(), [hit, other]))
    assert out == [hit, other]
    assert hit.evidence["headers"]["set-cookie"] == [f"pfg={MASK}; Path=/"]
    assert hit.evidence["headers"]["server"] == ["nginx"]
    assert "secretcookie" not in repr(hit.evidence)
    assert hit.evidence["redirect_chain"] == [f"https://t.umblr.com/redirect?z=x -> {POST}"]


def test_components_are_off_when_evidence_is_switched_off(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path, LUREWATCH_EVIDENCE_ENABLED=False)
    with pytest.raises(NotConfigured):
        EvidenceSpiderMiddleware.from_crawler(crawler)
    with pytest.raises(NotConfigured):
        EvidencePipeline.from_crawler(crawler)


def test_pipeline_stores_the_html_by_hash_and_adds_landing_chains(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path, LUREWATCH_RENDER_ENABLED=False)
    pipeline = EvidencePipeline.from_crawler(crawler)
    html = "<p>Watch Supergirl (2026) full movie free</p>"
    landing = LandingPage(
        url="https://bit.ly/abc",
        final_url="https://lure.example/login",
        status=200,
        redirects=["https://bit.ly/abc", "https://go.example/r"],
    )
    hit = Hit(url=POST, platform="tumblr", html=html, landing_pages=[landing])
    hit.lure_urls = ["https://lure.example/login"]
    hit.evidence = {"headers": {}, "redirect_chain": [POST]}
    out = asyncio.run(pipeline.process_item(hit))
    digest = hashlib.sha256(html.encode()).hexdigest()
    assert out.evidence["html_sha256"] == digest
    assert out.evidence["html_size"] == len(html.encode())
    stored = tmp_path / "evidence" / "html" / digest[:2] / f"{digest}.html"
    assert stored.read_text(encoding="utf-8") == html
    assert out.evidence["redirect_chain"] == [
        POST,
        "https://bit.ly/abc -> https://go.example/r -> https://lure.example/login",
    ]
    assert "screenshots" not in out.evidence  # rendering off: no browser, counted
    stats = crawler.stats.get_stats()
    assert stats["lurewatch/evidence/screenshots/skipped/render_off"] == 1
    assert stats["lurewatch/evidence/html/stored"] == 1


def test_a_screenshot_whose_download_ignores_cancellation_never_holds_the_hit(
    tmp_path: Path,
) -> None:
    """A screenshot queued behind the crawl's renders may never acknowledge a cancel: the hit (and
    so the spider's close) must go on at the hard bound, not wait for the unwinding."""
    crawler = _crawler(tmp_path, LUREWATCH_RENDER_ENABLED=True, LUREWATCH_EVIDENCE_SCREENSHOTS=5)
    pipeline = EvidencePipeline.from_crawler(crawler)
    pipeline._bound = 0.2  # the hard bound, shortened for the test
    released = asyncio.Event()

    async def stuck(url: str) -> dict[str, Any] | None:
        while not released.is_set():  # swallows every cancel, as a stuck download did
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue
        return None

    async def started() -> None:  # no browser in this test: the screenshot itself is stuck
        return None

    pipeline._take = stuck  # type: ignore[method-assign]
    pipeline.browser.start = started  # type: ignore[method-assign]
    hit = Hit(url=POST, platform="tumblr", html="<p>x</p>")
    hit.lure_urls = ["https://lure.example/login", "https://lure2.example/login"]

    async def scenario() -> Hit:
        try:
            return await asyncio.wait_for(pipeline.process_item(hit), 10)
        finally:
            released.set()

    out = asyncio.run(scenario())
    assert "screenshots" not in out.evidence
    stats = crawler.stats.get_stats()
    assert stats["lurewatch/evidence/screenshots/skipped/timeout"] == 2


@pytest.mark.browser
def test_a_browser_that_cannot_start_costs_the_screenshots_not_the_hit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Tried once per spider run: later lures are not made to wait for another launch."""
    crawler = _crawler(
        tmp_path,
        LUREWATCH_EVIDENCE_SCREENSHOTS=5,
        PLAYWRIGHT_LAUNCH_OPTIONS={"executable_path": str(tmp_path / "no-chromium")},
    )
    pipeline = EvidencePipeline.from_crawler(crawler)
    hit = Hit(url=POST, platform="tumblr", html="<p>x</p>")
    hit.lure_urls = ["https://lure.example/login", "https://lure2.example/login"]

    async def scenario() -> Hit:
        try:
            return await asyncio.wait_for(pipeline.process_item(hit), 60)
        finally:
            await pipeline.close_spider()

    with caplog.at_level("INFO", logger="crawler"):
        out = asyncio.run(scenario())
    assert "screenshots" not in out.evidence and out.evidence["html_sha256"]
    stats = crawler.stats.get_stats()
    assert stats["lurewatch/evidence/screenshots/skipped/failed"] == 2
    assert stats["lurewatch/evidence/render/browser_failures"] == 1
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "screenshot browser not started" in warnings[0].getMessage()
    for url in hit.lure_urls:
        assert any(f"Screenshot of {url} not taken" in r.getMessage() for r in caplog.records)


def test_an_unexpected_screenshot_error_costs_the_screenshot_not_the_hit(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path, LUREWATCH_RENDER_ENABLED=True, LUREWATCH_EVIDENCE_SCREENSHOTS=5)
    pipeline = EvidencePipeline.from_crawler(crawler)

    async def started() -> None:
        return None

    async def broken(url: str) -> bytes:
        raise RuntimeError(f"unexpected while shooting {url}")

    pipeline.browser.start = started  # type: ignore[method-assign]
    pipeline.browser.shoot = broken  # type: ignore[method-assign]
    hit = Hit(url=POST, platform="tumblr", html="<p>x</p>")
    hit.lure_urls = ["https://lure.example/login"]
    out = asyncio.run(pipeline.process_item(hit))
    assert out is hit and out.evidence["html_sha256"] and "screenshots" not in out.evidence
    assert crawler.stats.get_stats()["lurewatch/evidence/screenshots/skipped/failed"] == 1
