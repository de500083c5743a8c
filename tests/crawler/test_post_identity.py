"""One post, one identity: spider de-duplication and index ids agree on every spelling."""

from __future__ import annotations

import pytest

from crawler.spiders._base import PlatformSpider
from crawler.spiders.blogger import BloggerSpider
from crawler.spiders.wordpress import WordPressSpider
from pipelines.es.documents import build_document, doc_id
from pipelines.items import Hit
from tests._settings import lurewatch_crawler
from tests.pipelines.test_urls import POST, POST_VARIANTS

OFFLINE = {"LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:9"}
BLOGSPOT = "https://films.blogspot.com/2024/05/watch-dune.html"
BLOGSPOT_VARIANTS = [
    BLOGSPOT,
    "http://films.blogspot.com.br/2024/05/watch-dune.html?m=1",
    "https://films.blogspot.co.uk/2024/05/watch-dune.html#comment-form",
    "https://films.blogspot.com/2024/05/watch-dune.html?m=0&utm_source=feedburner",
]


def _spider(cls: type[PlatformSpider]) -> PlatformSpider:
    crawler = lurewatch_crawler(cls, OFFLINE)
    return cls.from_crawler(crawler)


@pytest.mark.parametrize("cls", [BloggerSpider, WordPressSpider])
@pytest.mark.parametrize(
    ("post", "variants"), [(POST, POST_VARIANTS), (BLOGSPOT, BLOGSPOT_VARIANTS)]
)
def test_every_spelling_of_a_post_is_claimed_once(
    cls: type[PlatformSpider], post: str, variants: list[str]
) -> None:
    spider = _spider(cls)
    claims = [spider.claim_post(url) for url in variants]
    assert claims == [True] + [False] * (len(variants) - 1)
    assert all(spider.seen_post(url) for url in variants)
    stats = spider.crawler.stats
    assert stats.get_value(f"lurewatch/{spider.platform}/posts/duplicate") == len(variants) - 1
    assert {doc_id(url) for url in variants} == {doc_id(post)}  # and the index keeps one document


def test_a_hit_found_twice_is_one_document() -> None:
    docs = [
        build_document(Hit(url=url, platform="wordpress", blog="blog.example.com"), crawl_id="c")
        for url in (POST_VARIANTS[0], POST_VARIANTS[-1])
    ]
    assert docs[0]["canonical_url"] == docs[1]["canonical_url"] == POST
    assert docs[0]["url_host"] == docs[1]["url_host"] == "blog.example.com"


def test_other_posts_are_claimed_too() -> None:
    spider = _spider(BloggerSpider)
    assert spider.claim_post(POST)
    assert spider.claim_post(POST.replace("watch-dune", "watch-dune-2"))
    assert spider.claim_post(POST + "?p=2")
    assert not spider.seen_post("https://other.blogspot.com/2024/05/watch-dune.html")
