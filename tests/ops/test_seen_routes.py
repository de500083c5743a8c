"""The incremental ledger's digest is the same whichever route found a post: Tumblr gives one
post in its legacy format (``/v2/tagged``), in NPF (blog listings, the search timeline), in the
web API's camelCase and as its blog's theme page, and each shows other words."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from crawler.middlewares.incremental import IncrementalSpiderMiddleware
from crawler.spiders.tumblr import TumblrSpider
from crawler.watch.middleware import WatchMiddleware
from pipelines.items import Hit
from pipelines.seen import content_digest
from replica.content import build_dataset
from replica.dataset import Dataset, Post
from replica.tumblr.render import PostRenderer, camelize
from tests._settings import lurewatch_crawler
from tests.ops._landings import record_landings


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(seed=2026)


def _tumblr_posts(dataset: Dataset) -> list[Post]:
    return [post for post in dataset.posts if post.platform == "tumblr"]


def _spider(tmp_path: Path, **settings: str) -> Any:
    crawler = lurewatch_crawler(
        TumblrSpider, {"LUREWATCH_DATA_DIR": str(tmp_path), "TUMBLR_API_KEY": "k", **settings}
    )
    crawler._apply_settings()  # the add-on's defaults and stats, as a crawl has them
    spider = TumblrSpider.from_crawler(crawler)
    crawler.spider = spider
    spider.middleware = IncrementalSpiderMiddleware.from_crawler(crawler)
    spider.watch = None
    if settings.get("LUREWATCH_WATCH_STATE"):  # a poll of `lurewatch watch`
        spider.watch = WatchMiddleware.from_crawler(crawler)
    spider.scheduled = []
    spider.schedule = spider.scheduled.append
    return record_landings(spider)


def _hits(spider: Any, posts: list[dict[str, Any]]) -> list[Hit]:
    """The hits the spider makes of API posts (through its own post handling)."""
    response = SimpleNamespace(meta={"lurewatch_search": "tag"})

    async def handle() -> list[Hit]:
        return [hit for post in posts async for hit in spider.handle_post(post, response)]

    return asyncio.run(handle())


def _digest(hit: Hit) -> str:
    return content_digest(hit.title, hit.html or hit.text, hit.outbound_urls)


def test_every_replica_tumblr_post_has_one_digest_whichever_format_gave_it(
    tmp_path: Path, dataset: Dataset
) -> None:
    render = PostRenderer(dataset)
    posts = _tumblr_posts(dataset)
    formats = {
        "legacy": [render.legacy(post) for post in posts],
        "npf": [render.npf(post) for post in posts],
        "camelcase": [camelize(render.npf(post)) for post in posts],
    }
    hits = {name: _hits(_spider(tmp_path / name), given) for name, given in formats.items()}
    assert all(len(found) == len(posts) for found in hits.values())
    # the formats do show other words (alt texts, link cards, the title as a heading) ...
    differ = [a for a, b in zip(hits["legacy"], hits["npf"], strict=True) if a.text != b.text]
    assert len(differ) >= len(posts) // 2
    # ... and one digest is what each post has
    for legacy, npf, camel in zip(*hits.values(), strict=True):
        assert legacy.url == npf.url == camel.url
        assert _digest(legacy) == _digest(npf) == _digest(camel), legacy.url


def test_a_digest_changes_with_a_word_or_a_link_not_with_a_stand_alone_links_wording() -> None:
    body = '<p>Watch Dune free</p><p><a href="https://lure.example/a">WATCH NOW</a></p>'
    links = ["https://lure.example/a"]
    digest = content_digest("Dune", body, links)
    # a link that is all of its paragraph: NPF shows it as a card, without these words
    assert content_digest("Dune", body.replace("WATCH NOW", "PLAY"), links) == digest
    assert content_digest("dune", "<h2>Dune</h2>" + body, links) == digest
    assert content_digest("Dune", body + "<p>New mirror added</p>", links) != digest
    assert content_digest("Dune", body, ["https://lure.example/b"]) != digest
    form = '<form action="https://collect.example/gate.php"><input name="q"></form>'
    assert content_digest("Dune", body + form, [*links, "https://collect.example/gate.php"]) == (
        digest
    )


def test_words_put_into_a_link_inside_a_sentence_change_the_digest() -> None:
    """An edit that moves the offer into the wording of a link the post already had (same
    target, same words around it) is an edit: the post is judged again."""
    before = '<p>Our notes on Dune, <a href="https://cinema.example/dune">see the review</a>.</p>'
    after = before.replace("see the review", "watch full movie free HD")
    links = ["https://cinema.example/dune"]
    assert content_digest("Dune", after, links) != content_digest("Dune", before, links)
    # the same sentence with its words in another order or spacing is the same post
    spaced = before.replace("Our notes on Dune,", "Our  notes   on Dune ,")
    assert content_digest("Dune", spaced, links) == content_digest("Dune", before, links)


def _poll(spider: Any, posts: list[dict[str, Any]]) -> list[Hit]:
    """One crawl of ``posts`` through the gate and the middleware; every emitted post judged
    benign (dropped), as detection would; the ledger written at the close."""
    gate = spider.incremental
    gate.spider_opened(spider)
    if spider.watch is not None:
        spider.watch.spider_opened(spider)
    hits = _hits(spider, posts)

    async def kept() -> list[Hit]:
        async def output() -> Any:
            for hit in hits:
                yield hit

        dropped = spider.middleware.process_spider_output_async(None, output())
        return [out async for out in dropped]

    emitted = asyncio.run(kept())
    for hit in emitted:
        gate.item_dropped(hit)
    gate.spider_closed(spider, "finished")
    if spider.watch is not None:
        spider.watch.spider_closed(spider, "finished")
    return emitted


def _edited(post: Post) -> Post:
    """``post`` with a paragraph added on the platform (its URL and links the same)."""
    changed = copy.copy(post)
    changed.body_html = post.body_html + "<p>Updated: a new mirror was added.</p>"
    return changed


@pytest.mark.parametrize("mode", ["nightly", "watch"])
def test_a_post_found_again_through_another_format_is_skipped_a_changed_one_is_not(
    tmp_path: Path, dataset: Dataset, mode: str
) -> None:
    # `lurewatch watch`'s polls are crawls with the watch's state file: the same ledger decides
    settings = {"LUREWATCH_WATCH_STATE": str(tmp_path / "watch.json")} if mode == "watch" else {}
    render = PostRenderer(dataset)
    posts = _tumblr_posts(dataset)[:20]
    first = _spider(tmp_path, **settings)
    assert first.incremental.enabled  # the default re-check interval: on
    assert len(_poll(first, [render.legacy(post) for post in posts])) == len(posts)
    assert first.landings

    edited = _edited(posts[3])
    again = [render.npf(post) for post in posts[:3]] + [render.npf(edited)]
    again += [camelize(render.npf(post)) for post in posts[4:]]
    second = _spider(tmp_path, **settings)
    emitted = _poll(second, again)
    assert [hit.url for hit in emitted] == [posts[3].url]
    assert set(second.landings) <= set(emitted[0].outbound_urls)
    stats = second.crawler.stats
    assert stats.get_value("lurewatch/incremental/skipped") == len(posts) - 1
    assert stats.get_value("lurewatch/incremental/rechecked") == 1
