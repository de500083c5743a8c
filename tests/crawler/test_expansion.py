"""Blog expansion, cross-blog posts and tag walks past empty pages, on the spiders' hooks."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from twisted.python.failure import Failure

from crawler.parsers.wordpress import SiteRef
from crawler.spiders._base import CROSS_POST_META, EXPANSION_META, PlatformSpider
from crawler.spiders.blogger import BloggerSpider
from crawler.spiders.tumblr import EMPTY_PAGE_STEP, EMPTY_PAGES_MAX, TumblrSpider
from crawler.spiders.wordpress import WordPressSpider
from pipelines.items import Hit
from tests._settings import lurewatch_crawler

KEYED = {"TUMBLR_API_KEY": "k"}


def _spider(cls: type[PlatformSpider], settings: dict[str, Any] | None = None) -> Any:
    spider = cls.from_crawler(lurewatch_crawler(cls, settings or {}))
    spider.scheduled = []
    spider.schedule = spider.scheduled.append
    return spider


def _hit(url: str, platform: str, blog: str, fake: bool = True, **fields: Any) -> Hit:
    return Hit(url=url, platform=platform, blog=blog, fake_stream=fake, **fields)


def test_a_hit_expands_its_blog_once_and_marks_the_requests() -> None:
    spider = _spider(TumblrSpider, KEYED)
    spider.on_item_scraped(_hit("https://spam.tumblr.com/post/1", "tumblr", "spam.tumblr.com"))
    spider.on_item_scraped(_hit("https://spam.tumblr.com/post/2", "tumblr", "spam.tumblr.com"))
    (listing,) = spider.scheduled
    assert "/v2/blog/spam.tumblr.com/posts?" in listing.url
    assert listing.meta[EXPANSION_META] == "spam.tumblr.com"
    stats = spider.crawler.stats
    assert stats.get_value("lurewatch/tumblr/expansion/blogs") == 1


def test_benign_posts_other_platforms_and_a_spent_budget_expand_nothing() -> None:
    spider = _spider(TumblrSpider, {**KEYED, "LUREWATCH_EXPANSION_MAX_BLOGS": 1})
    fan = _hit("https://fan.tumblr.com/post/1", "tumblr", "fan.tumblr.com", fake=False)
    spider.on_item_scraped(fan)
    spider.on_item_scraped(_hit("https://x.blogspot.com/2026/01/a.html", "blogger", "x"))
    assert spider.scheduled == []
    spider.on_item_scraped(_hit("https://a.tumblr.com/post/1", "tumblr", "a.tumblr.com"))
    spider.on_item_scraped(_hit("https://b.tumblr.com/post/1", "tumblr", "b.tumblr.com"))
    assert [r.meta[EXPANSION_META] for r in spider.scheduled] == ["a.tumblr.com"]
    assert spider.crawler.stats.get_value("lurewatch/tumblr/expansion/over_budget") == 1


def test_no_expansion_when_its_page_budget_is_zero() -> None:
    spider = _spider(BloggerSpider, {"LUREWATCH_EXPANSION_PAGES": 0})
    spider.on_item_scraped(_hit("https://s.blogspot.com/2026/01/a.html", "blogger", "s"))
    assert spider.scheduled == []


def test_blogger_expansion_reads_the_feed_without_q() -> None:
    spider = _spider(BloggerSpider)
    hit = _hit("https://spam.blogspot.com/2026/01/a.html", "blogger", "spam.blogspot.com")
    spider.on_item_scraped(hit)
    (feed,) = spider.scheduled
    assert feed.url.startswith("https://spam.blogspot.com/feeds/posts/default?alt=json")
    assert "q=" not in feed.url


@pytest.mark.parametrize(
    ("host", "listing"),
    [
        ("spam.wordpress.com", "https://public-api.wordpress.com/rest/v1.1/sites/"),
        ("movies-free.example", "https://movies-free.example/wp-json/wp/v2/posts?"),
    ],
)
def test_wordpress_expansion_lists_recent_posts_without_search(host: str, listing: str) -> None:
    spider = _spider(WordPressSpider)
    spider.on_item_scraped(_hit(f"https://{host}/2026/01/02/a/", "wordpress", host))
    (request,) = spider.scheduled
    assert request.url.startswith(listing) and "search=" not in request.url


def test_a_failed_first_listing_page_falls_back_to_the_next_rest_base_then_the_feed() -> None:
    spider = _spider(WordPressSpider)
    site = SiteRef("movies-free.example")
    first = spider.as_expansion(spider._listing_request(site, 0), site.host)
    failure = Failure(IgnoreRequest("robots.txt"))
    failure.request = first
    (second,) = list(spider._failed(failure))
    assert second.url.startswith("https://movies-free.example/?rest_route=/wp/v2/posts")
    failure.request = second
    (feed,) = list(spider._failed(failure))
    assert feed.url == "https://movies-free.example/feed/" and feed.meta[EXPANSION_META]


def test_a_search_probe_that_cannot_be_downloaded_tries_the_other_fallbacks() -> None:
    spider = _spider(WordPressSpider)
    site = SiteRef("movies-free.example")
    probe = spider._core_search(site, "dune", 0, route="/wp/v2/search", pending=["alien"])
    failure = Failure(IgnoreRequest("robots.txt forbids /wp-json/"))
    failure.request = probe
    (retry,) = list(spider._failed(failure))
    assert retry.url.startswith("https://movies-free.example/?rest_route=/wp/v2/search")
    failure.request = retry
    html = [r.url for r in spider._failed(failure)]
    assert html == ["https://movies-free.example/?s=dune", "https://movies-free.example/?s=alien"]


def test_a_link_to_another_blogs_post_on_the_platform_is_crawled_as_a_post() -> None:
    spider = _spider(BloggerSpider)
    other = "https://player-hd.blogspot.com/2026/05/dune-2026.html"
    hit = _hit(
        "https://spam.blogspot.com/2026/01/a.html",
        "blogger",
        "spam.blogspot.com",
        outbound_urls=[
            other,
            "https://spam.blogspot.com/2026/02/own.html",
            "https://x.tumblr.com/post/12",
            "https://lure.example/watch",
        ],
    )
    spider.follow_cross_posts(hit)
    (request,) = spider.scheduled
    assert request.url == other and request.meta[CROSS_POST_META] == hit.url
    spider.claim_post(other)
    spider.scheduled.clear()
    spider.follow_cross_posts(hit)
    assert spider.scheduled == []  # already crawled


def test_a_keyless_tumblr_spider_reads_cross_linked_posts_from_their_pages() -> None:
    spider = _spider(TumblrSpider)
    hit = _hit(
        "https://a.tumblr.com/post/1",
        "tumblr",
        "a.tumblr.com",
        outbound_urls=["https://b.tumblr.com/post/22/dune"],
    )
    spider.follow_cross_posts(hit)
    (request,) = spider.scheduled
    assert request.url == "https://b.tumblr.com/post/22/dune"
    assert request.meta["lurewatch_post_id"] == "22"


def test_cross_posts_can_be_switched_off() -> None:
    spider = _spider(BloggerSpider, {"LUREWATCH_CROSS_POSTS": False})
    hit = _hit(
        "https://s.blogspot.com/2026/01/a.html",
        "blogger",
        "s.blogspot.com",
        outbound_urls=["https://o.blogspot.com/2026/05/b.html"],
    )
    spider.follow_cross_posts(hit)
    assert spider.scheduled == []


def _tagged_response(spider: TumblrSpider, before: int | None, empty: int = 0) -> TextResponse:
    request = spider.tagged_request("dune full movie", spider.titles[0], before, 2, empty)
    return TextResponse(request.url, body=b"[]", request=request, encoding="utf-8")


def test_the_tag_walk_steps_back_past_an_empty_page() -> None:
    spider = _spider(TumblrSpider, KEYED)
    response = _tagged_response(spider, 1_780_000_000)
    nxt = spider._next_tagged(response, [])
    assert nxt is not None
    assert f"before={1_780_000_000 - EMPTY_PAGE_STEP}" in nxt.url
    assert nxt.meta["lurewatch_empty_pages"] == 1


def test_the_tag_walk_ends_after_empty_pages_in_a_row_or_without_a_position() -> None:
    spider = _spider(TumblrSpider, KEYED)
    assert spider._next_tagged(_tagged_response(spider, None), []) is None
    stuck = _tagged_response(spider, 1_780_000_000, EMPTY_PAGES_MAX - 1)
    assert spider._next_tagged(stuck, []) is None
    posts = [{"timestamp": 1_770_000_000}]
    after_empty = spider._next_tagged(stuck, posts)
    assert after_empty is not None and "before=1770000000" in after_empty.url
    assert after_empty.meta["lurewatch_empty_pages"] == 0


def test_a_listing_reads_no_more_pages_than_the_expansion_budget() -> None:
    spider = _spider(TumblrSpider, {**KEYED, "LUREWATCH_EXPANSION_PAGES": 2})
    listing = spider.as_expansion(spider.blog_request("spam.tumblr.com", None), "spam")
    listing.meta["lurewatch_page"] = 2
    response = TextResponse(listing.url, body=b"{}", request=listing, encoding="utf-8")
    href = "/v2/blog/spam/posts?offset=20"
    assert spider._next_api(response, href, "blog", spider.parse_blog_posts) is None
    listing.meta["lurewatch_page"] = 1
    assert spider._next_api(response, href, "blog", spider.parse_blog_posts) is not None


def test_a_request_marked_as_expansion_keeps_its_blog() -> None:
    spider = _spider(TumblrSpider)
    request = spider.as_expansion(Request("https://spam.tumblr.com/page/2"), "spam.tumblr.com")
    assert request.meta[EXPANSION_META] == "spam.tumblr.com"


@pytest.mark.parametrize(
    ("url", "post"),
    [
        ("https://films.example/2026/05/01/dune/", True),
        ("https://films.example/?p=154", True),
        ("https://films.example/", False),
        ("https://films.example/category/films/", False),
    ],
)
def test_wordpress_post_permalinks(url: str, post: bool) -> None:
    from crawler.parsers.wordpress import is_post_permalink

    assert is_post_permalink(url) is post


def test_a_self_hosted_wordpress_landing_is_crawled_as_a_post() -> None:
    import asyncio

    from pipelines.items import LandingPage

    spider = _spider(WordPressSpider)
    page = (
        '<html><head><meta name="generator" content="WordPress 6.8.1"></head>'
        "<body><article>Dune</article></body></html>"
    )
    hit = _hit("https://spam.wordpress.com/2026/01/02/a/", "wordpress", "spam.wordpress.com")
    hit.outbound_urls = ["https://films.example/?p=154", "https://lure.example/play"]

    async def landing(url: str, referer: str = "") -> LandingPage:
        html = page if "films.example" in url else "<html><body>play</body></html>"
        return LandingPage(url=url, final_url=url, status=200, html=html)

    spider.fetch_landing = landing
    asyncio.run(spider.complete_hit(hit))
    (request,) = spider.scheduled
    assert request.url == "https://films.example/?p=154"
    assert request.meta[CROSS_POST_META] == hit.url
    assert request.cb_kwargs["query"] == f"link:{hit.url}"
