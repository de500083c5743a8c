"""A poll's work is bounded where a search has no date parameter: a page that brought only posts
judged before (the incremental ledger's) is the last page of that search the poll asks for."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import TextResponse

from crawler.middlewares.incremental import IncrementalSpiderMiddleware
from crawler.spiders.tumblr import TumblrSpider
from crawler.watch.middleware import WatchMiddleware
from pipelines.cursors import WatchState, search_key
from pipelines.items import Hit
from pipelines.seen import SeenEntry, content_digest
from tests._settings import lurewatch_crawler
from tests.ops._landings import record_landings

SEARCH = "https://api.tumblr.com/v2/timeline/search?query=dune+full+movie&limit=20"
NEXT = SEARCH + "&cursor=page2"
OTHER_BLOG_POST = "https://other.tumblr.com/post/555/dune"


def _spider(tmp_path: Path, watch: bool = True, **extra: str) -> Any:
    settings = {"LUREWATCH_DATA_DIR": str(tmp_path), "TUMBLR_API_KEY": "k", **extra}
    if watch:
        settings["LUREWATCH_WATCH_STATE"] = str(tmp_path / "watch" / "cursors.json")
    crawler = lurewatch_crawler(TumblrSpider, settings)
    crawler._apply_settings()
    spider = TumblrSpider.from_crawler(crawler)
    crawler.spider = spider
    # the order a crawl builds them in: the ledger's (990) nearest the spider, then the watch's
    spider.chain = [IncrementalSpiderMiddleware.from_crawler(crawler)]
    if watch:
        spider.chain.append(WatchMiddleware.from_crawler(crawler))
    return record_landings(spider)


def _hit(n: int) -> Hit:
    return Hit(
        url=f"https://spam.tumblr.com/post/{n}",
        platform="tumblr",
        blog="spam.tumblr.com",
        title="Dune full movie",
        text=f"watch free HD {n}",
        outbound_urls=[f"https://lure.example/{n}"],
    )


def _judged_before(spider: Any, *numbers: int) -> None:
    """The ledger has these posts, judged an hour ago and unchanged since."""
    for n in numbers:
        hit = _hit(n)
        digest = content_digest(hit.title, hit.text, hit.outbound_urls)
        entry = SeenEntry(time.time() - 3600, digest, False, "tumblr", hit.blog)
        spider.incremental.known[hit.url] = entry


def _page(spider: Any, posts: list[int], leads: bool = True) -> list[Any]:
    """What the spider's callback for one search page gives, through the middlewares: its
    posts, a post of another blog it links (``leads``), then the search's next page."""
    response = TextResponse(SEARCH, body=b"{}", request=Request(SEARCH))

    async def callback() -> Any:
        for n in posts:
            yield await spider.complete_hit(_hit(n))
        if leads:
            yield Request(OTHER_BLOG_POST)
        yield Request(NEXT)

    async def run() -> list[Any]:
        output = callback()
        for middleware in spider.chain:
            output = middleware.process_spider_output_async(response, output)
        return [out async for out in output]

    return asyncio.run(run())


def _urls(outputs: list[Any]) -> list[str]:
    return [out.url for out in outputs]


def test_a_page_of_posts_judged_before_is_the_last_page_asked_for(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    _judged_before(spider, 1, 2, 3)
    out = _page(spider, [1, 2, 3])
    assert _urls(out) == [OTHER_BLOG_POST]  # no next page; other requests go on
    assert spider.landings == []
    assert spider.crawler.stats.get_value("lurewatch/watch/pages_cut") == 1


def test_a_page_with_one_new_post_is_followed(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    _judged_before(spider, 1, 2)
    out = _page(spider, [1, 2, 3])
    assert _urls(out) == [_hit(3).url, OTHER_BLOG_POST, NEXT]
    assert spider.crawler.stats.get_value("lurewatch/watch/pages_cut") is None


def test_a_page_without_posts_and_a_nightly_crawl_are_not_cut(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    assert _urls(_page(spider, [])) == [OTHER_BLOG_POST, NEXT]  # discovery results, say
    nightly = _spider(tmp_path / "nightly", watch=False)
    _judged_before(nightly, 1, 2)
    assert _urls(_page(nightly, [1, 2])) == [OTHER_BLOG_POST, NEXT]


def test_the_bound_can_be_turned_off(tmp_path: Path) -> None:
    spider = _spider(tmp_path, LUREWATCH_WATCH_BOUND_PAGES="0")
    _judged_before(spider, 1, 2)
    assert _urls(_page(spider, [1, 2])) == [OTHER_BLOG_POST, NEXT]


FEED = "https://films.blogspot.com/feeds/posts/default?q=dune+full+movie&alt=json"


def _start(spider: Any, requests: list[Request]) -> list[str]:
    async def start() -> Any:
        for request in requests:
            yield request

    async def run() -> list[str]:
        return [r.url async for r in spider.chain[-1].process_start(start())]

    return asyncio.run(run())


def test_a_search_without_a_date_parameter_that_brought_nothing_new_sits_out_polls(
    tmp_path: Path,
) -> None:
    path = tmp_path / "watch" / "cursors.json"
    key = search_key(SEARCH) or ""
    WatchState(polls=3, asked={key: 2}, quiet={key: 1}).save(path)  # quiet once, at poll 2
    spider = _spider(tmp_path)
    watch = spider.chain[-1]
    watch.spider_opened(spider)
    # poll 3: the Tumblr search sits out; the Blogger feed search (its cursor) is always asked
    assert _start(spider, [Request(SEARCH), Request(FEED)]) == [FEED]
    assert spider.crawler.stats.get_value("lurewatch/watch/searches_rested") == 1

    WatchState(polls=4, asked={key: 2}, quiet={key: 1}).save(path)
    spider = _spider(tmp_path / "poll4")
    spider.chain[-1].path = path
    spider.chain[-1].spider_opened(spider)
    assert _start(spider, [Request(SEARCH)]) == [SEARCH]  # poll 4: asked again
    _judged_before(spider, 1)
    _page(spider, [1], leads=False)  # nothing new: quiet twice
    spider.chain[-1].spider_closed(spider, "finished")
    state = WatchState.load(path)
    assert (state.asked[key], state.quiet[key]) == (4, 2)
    assert state.rests(key, 6, most=2) and not state.rests(key, 7, most=2)

    spider = _spider(tmp_path / "poll7")
    spider.chain[-1].path = path
    state.polls = 7
    state.save(path)
    spider.chain[-1].spider_opened(spider)
    _page(spider, [5], leads=False)  # a new post: asked every poll from now on
    spider.chain[-1].spider_closed(spider, "finished")
    assert WatchState.load(path).quiet[key] == 0


def test_a_search_whose_page_leads_to_other_requests_never_rests(tmp_path: Path) -> None:
    # Blogger's discovery searches name blogs whose feeds are then searched: resting them would
    # leave those feed searches out of the poll
    path = tmp_path / "watch" / "cursors.json"
    key = search_key(SEARCH) or ""
    WatchState(polls=4, asked={key: 3}, quiet={key: 0}).save(path)
    spider = _spider(tmp_path)
    spider.chain[-1].spider_opened(spider)
    _judged_before(spider, 1)
    _page(spider, [1])  # old posts only, but a request for another blog's post
    spider.chain[-1].spider_closed(spider, "finished")
    assert WatchState.load(path).quiet[key] == 0
