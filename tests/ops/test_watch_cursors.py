"""Continuous mode's cursors: the store (pipelines/cursors.py), cursor-to-query per platform, and
the poll's spider middleware (crawler/watch/middleware.py) built from a crawler."""

from __future__ import annotations

import json
import logging
import stat
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy import Request, Spider
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse

from crawler import settings as project_settings
from crawler.middlewares.incremental import IncrementalSpiderMiddleware
from crawler.watch.middleware import WatchMiddleware
from pipelines.cursors import WatchState, cursor_url, platform_time, search_key, walk_done
from pipelines.exceptions import InputError
from tests._settings import lurewatch_crawler

SINCE = datetime(2026, 12, 3, 9, 30, 5, tzinfo=UTC).timestamp()
TAGGED = "https://api.tumblr.com/v2/tagged?tag=dune+full+movie&limit=20&api_key=SECRETKEY"
FEED = (
    "https://films-hd.blogspot.com/feeds/posts/default?q=dune+full+movie&alt=json&max-results=25"
)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_search_key_names_what_is_searched_without_paging_or_the_key() -> None:
    first = search_key(TAGGED)
    later = search_key(TAGGED + "&before=1764000000")
    assert first == later == "api.tumblr.com/v2/tagged?tag=dune+full+movie"
    assert "SECRETKEY" not in str(first)
    assert search_key(FEED + "&start-index=26") == search_key(FEED)
    assert search_key(FEED) != search_key(FEED.replace("dune", "wicked"))


def test_listings_posts_and_landings_are_no_search() -> None:
    assert search_key("https://api.tumblr.com/v2/blog/x.tumblr.com/posts?npf=true") is None
    assert search_key("https://films-hd.blogspot.com/feeds/posts/default?alt=json") is None
    assert search_key("https://films-hd.blogspot.com/2026/11/dune.html") is None
    assert search_key("https://lure.example/login?next=/") is None


def test_blogger_feed_searches_ask_from_published_min() -> None:
    url = cursor_url(FEED, SINCE)
    assert url is not None
    assert _query(url)["published-min"] == ["2026-12-03T09:30:05Z"]
    assert _query(url)["q"] == ["dune full movie"]


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example/wp-json/wp/v2/posts?search=dune&_embed=wp:term",
        "https://blog.example/?rest_route=/wp/v2/posts&search=dune",
        "https://public-api.wordpress.com/wp/v2/sites/blog.example/posts?search=dune",
        "https://public-api.wordpress.com/rest/v1.1/sites/123/posts/?search=dune&number=20",
    ],
)
def test_wordpress_post_searches_ask_from_after(url: str) -> None:
    with_cursor = cursor_url(url, SINCE)
    assert with_cursor is not None
    assert _query(with_cursor)["after"] == ["2026-12-03T09:30:05Z"]
    assert _query(with_cursor)["search"] == ["dune"]


@pytest.mark.parametrize(
    "url",
    [
        TAGGED,
        "https://api.tumblr.com/v2/timeline/search?query=dune&mode=recent",
        "https://public-api.wordpress.com/rest/v1.2/read/search?q=dune",
        "https://blog.example/wp-json/wp/v2/search?search=dune",
    ],
)
def test_endpoints_without_a_date_parameter_keep_their_url(url: str) -> None:
    assert cursor_url(url, SINCE) is None


def test_a_tumblr_tag_walk_stops_at_the_cursor() -> None:
    assert walk_done(f"{TAGGED}&before={int(SINCE) - 1}", SINCE)
    assert not walk_done(f"{TAGGED}&before={int(SINCE) + 3600}", SINCE)
    assert not walk_done(TAGGED, SINCE)  # the first page: always asked
    assert not walk_done(f"{FEED}&before=1", SINCE)


def test_the_platform_clock_is_its_date_header() -> None:
    assert platform_time("Thu, 03 Dec 2026 09:30:05 GMT", 0.0) == SINCE
    assert platform_time(None, 42.0) == 42.0
    assert platform_time("yesterday", 42.0) == 42.0


def test_the_state_file_round_trips_written_whole_and_private(tmp_path: Path) -> None:
    path = tmp_path / "watch" / "cursors.json"
    assert WatchState.load(path).cursors == {}
    WatchState({"a": 1.5, "b": 2.0}).save(path)
    assert WatchState.load(path).cursors == {"a": 1.5, "b": 2.0}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["cursors.json"]  # no temp file left


@pytest.mark.parametrize(
    "body", ["{not json", "[]", '{"version": 99, "cursors": {}}', '{"version": 1, "cursors": []}']
)
def test_a_broken_state_file_is_named(tmp_path: Path, body: str) -> None:
    path = tmp_path / "cursors.json"
    path.write_text(body)
    with pytest.raises(InputError, match=str(path)):
        WatchState.load(path)


def test_merging_keeps_the_newer_cursor() -> None:
    state = WatchState({"a": 10.0, "b": 5.0})
    state.merge(WatchState({"a": 3.0, "b": 8.0, "c": 1.0}))
    assert state.cursors == {"a": 10.0, "b": 8.0, "c": 1.0}


def test_a_file_with_the_old_seen_posts_loads_and_is_written_without_them(tmp_path: Path) -> None:
    # posts met again are the incremental ledger's now (tests/ops/test_seen_routes.py)
    path = tmp_path / "cursors.json"
    path.write_text('{"version": 1, "cursors": {"a": 1.0}, "seen": {"https://t/post/1": 2.0}}')
    state = WatchState.load(path)
    assert state.cursors == {"a": 1.0}
    state.save(path)
    saved = json.loads(path.read_text())
    assert saved["cursors"] == {"a": 1.0} and "seen" not in saved


def _middleware(tmp_path: Path, **settings: str) -> tuple[WatchMiddleware, Spider, Path]:
    path = tmp_path / "cursors.json"
    crawler = lurewatch_crawler(Spider, {"LUREWATCH_WATCH_STATE": str(path), **settings})
    crawler._apply_settings()  # the add-on's defaults and stats, as a crawl has them
    spider = Spider(name="blogger")
    return WatchMiddleware.from_crawler(crawler), spider, path


def test_off_unless_lurewatch_watch_names_a_state_file_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    middlewares = project_settings.SPIDER_MIDDLEWARES  # a crawl's spider middlewares
    crawler = lurewatch_crawler(Spider, {"SPIDER_MIDDLEWARES": middlewares})
    crawler._apply_settings()
    with pytest.raises(NotConfigured) as raised:
        WatchMiddleware.from_crawler(crawler)
    assert raised.value.args == ()
    # a crawl builds them: this one is left out without a WARNING line
    crawler.spider = Spider(name="tumblr")
    manager = SpiderMiddlewareManager.from_crawler(crawler)
    assert not [m for m in manager.middlewares if isinstance(m, WatchMiddleware)]
    assert any(isinstance(m, IncrementalSpiderMiddleware) for m in manager.middlewares)
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [line for line in warned if "WatchMiddleware" in line], warned


def test_a_poll_asks_from_the_last_answer_less_the_overlap(tmp_path: Path) -> None:
    mw, spider, path = _middleware(tmp_path, LUREWATCH_WATCH_OVERLAP="5m")
    WatchState({search_key(FEED) or "": SINCE, search_key(TAGGED) or "": SINCE}).save(path)
    mw.spider_opened(spider)
    feed = mw._apply(Request(FEED))
    assert _query(feed.url)["published-min"] == ["2026-12-03T09:25:05Z"]
    assert mw._apply(Request(f"{TAGGED}&before={int(SINCE) - 3600}")) is None
    assert mw._apply(Request(TAGGED)).url == TAGGED
    other = FEED.replace("dune", "wicked")
    assert mw._apply(Request(other)).url == other  # never asked yet: everything


def _answer(url: str, date: str, status: int = 200) -> TextResponse:
    return TextResponse(
        url, status=status, headers={"Date": date}, body=b"{}", request=Request(url)
    )


def test_a_finished_poll_moves_the_cursors_to_the_platforms_date(tmp_path: Path) -> None:
    mw, spider, path = _middleware(tmp_path)
    mw.spider_opened(spider)
    mw.process_spider_input(_answer(FEED, "Thu, 03 Dec 2026 09:30:05 GMT"))
    mw.process_spider_input(_answer(FEED + "&start-index=26", "Thu, 03 Dec 2026 09:31:00 GMT"))
    mw.process_spider_input(_answer(TAGGED, "Thu, 03 Dec 2026 09:31:00 GMT", status=429))
    mw.spider_closed(spider, "finished")
    saved = json.loads(path.read_text())["cursors"]
    assert saved == {search_key(FEED): SINCE}  # the first page's time; no 429's


def test_an_interrupted_poll_keeps_the_old_cursors(tmp_path: Path) -> None:
    mw, spider, path = _middleware(tmp_path)
    WatchState({"x": 1.0}).save(path)
    mw.spider_opened(spider)
    mw.process_spider_input(_answer(FEED, "Thu, 03 Dec 2026 09:30:05 GMT"))
    mw.spider_closed(spider, "shutdown")
    assert WatchState.load(path).cursors == {"x": 1.0}


def test_a_search_that_brings_nothing_new_sits_out_more_polls_up_to_the_most() -> None:
    state = WatchState()
    asked = []
    for poll in range(1, 15):
        if state.rests("s", poll, most=2):
            continue
        asked.append(poll)
        before = WatchState(quiet=dict(state.quiet))
        state.answered("s", poll, new_posts=poll == 9, before=before)
    # quiet: it skips 1 poll, then 2, then 2 (the most); a new post at 9: asked at 10 again
    assert asked == [1, 3, 6, 9, 10, 12]
    assert not WatchState(asked={"s": 1}, quiet={"s": 5}).rests("s", 9, most=0)  # 0: never
    assert not WatchState().rests("s", 3, most=2)  # never asked: asked


def test_the_polls_and_the_searches_last_asks_round_trip_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "cursors.json"
    WatchState({"a": 1.0}, polls=4, asked={"s": 4}, quiet={"s": 2}).save(path)
    state = WatchState.load(path)
    assert (state.polls, state.asked, state.quiet) == (4, {"s": 4}, {"s": 2})
    state.merge(WatchState(polls=5, asked={"s": 5, "t": 5}, quiet={"s": 0, "t": 1}))
    assert (state.polls, state.asked, state.quiet) == (5, {"s": 5, "t": 5}, {"s": 0, "t": 1})
    path.write_text('{"version": 1, "cursors": {}, "quiet": {"s": "x"}}')
    with pytest.raises(InputError, match="quiet"):
        WatchState.load(path)
