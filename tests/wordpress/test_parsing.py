"""The spider's Scrapy-free parsing functions and request building."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.parsers.wordpress import (
    SiteRef,
    clean_title,
    core_post_fields,
    parse_feed,
    parse_link_header,
    parse_post_page,
    rest_url,
    search_result_links,
    tag_slug,
    to_utc_iso,
    wpcom_post_fields,
)
from crawler.spiders.wordpress import WordPressSpider
from tests._settings import lurewatch_crawler


def test_titles_dates_links_and_slugs() -> None:
    assert clean_title("Fast &#038; Furious 6 &#8211; <em>HD</em>") == "Fast & Furious 6 – HD"
    assert clean_title("Assistir &#83;up&#101;rg&#105;rl") == "Assistir Supergirl"
    assert to_utc_iso("2024-05-01T10:34:56") == "2024-05-01T10:34:56+00:00"
    assert to_utc_iso("2024-05-01T12:34:56+02:00") == "2024-05-01T10:34:56+00:00"
    assert to_utc_iso("Sat, 01 Nov 2026 00:00:00 +0000") == "2026-11-01T00:00:00+00:00"
    assert (
        to_utc_iso("2024-05-01T10:34:56", assume_utc=False) is None and to_utc_iso("soon") is None
    )
    header = (
        '<https://h/wp-json/wp/v2/search?page=1>; rel="prev", '
        '<https://h/wp-json/wp/v2/search?page=3>; rel="next"'
    )
    assert parse_link_header(header) == {
        "prev": "https://h/wp-json/wp/v2/search?page=1",
        "next": "https://h/wp-json/wp/v2/search?page=3",
    }
    assert tag_slug("Man of Steel full movie") == "man-of-steel-full-movie"


def test_rest_urls_for_each_base() -> None:
    site = SiteRef("x.example", wpcom=True)
    pretty, plain, wpcom = site.rest_bases()
    assert (
        rest_url(pretty, "/wp/v2/search", {"search": "a b"})
        == "https://x.example/wp-json/wp/v2/search?search=a+b"
    )
    assert (
        rest_url(plain, "/wp/v2/search", {"search": "a"})
        == "https://x.example/?rest_route=/wp/v2/search&search=a"
    )
    assert (
        rest_url(wpcom, "/wp/v2/posts", {})
        == "https://public-api.wordpress.com/wp/v2/sites/x.example/posts"
    )
    assert SiteRef.from_reader(
        {"site_URL": "https://Blog.example", "is_external": True, "site_ID": 0}
    ) == SiteRef("blog.example")
    assert SiteRef.from_setting("foo.wordpress.com").wpcom


def test_post_objects() -> None:
    core = {
        "id": 7,
        "link": "https://h/p/",
        "title": {"rendered": "A &amp; B"},
        "date_gmt": "2026-01-02T03:04:05",
        "content": {"rendered": "<p>x</p>"},
        "acf": {},
        "_embedded": {
            "wp:term": [
                [{"taxonomy": "category", "name": "Uncategorized"}],
                [{"taxonomy": "post_tag", "name": "moana"}],
            ]
        },
    }
    assert core_post_fields(core) == {
        "url": "https://h/p/",
        "title": "A & B",
        "html": "<p>x</p>",
        "published": "2026-01-02T03:04:05+00:00",
        "tags": ["moana"],
        "post_id": "7",
    }
    wpcom = {
        "ID": 3,
        "URL": "https://h/q/",
        "title": "T",
        "content": "c",
        "date": "2026-01-02T03:04:05-05:00",
        "tags": {"Moana": {"name": "Moana"}},
    }
    assert (
        wpcom_post_fields(wpcom)["tags"] == ["Moana"]
        and wpcom_post_fields(wpcom)["published"] == "2026-01-02T08:04:05+00:00"
    )


FEED = """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><item><title>Fast &amp; Furious</title><link>https://h/?p=5</link>\
<pubDate>Sat, 01 Nov 2026 00:00:00 +0000</pubDate>
<category><![CDATA[hd]]></category><guid isPermaLink="false">https://h/?p=5</guid>
<content:encoded><![CDATA[<p><a href="https://l.example/">go</a></p>]]></content:encoded>\
</item></channel></rss>"""

CLASSIC = """<html><head><link rel="canonical" href="https://h/2026/01/01/x/">
<link rel="alternate" type="application/rss+xml" href="https://h/search/q/feed/rss2/"></head>
<body class="single postid-9"><article><h1 class="entry-title">Hello &#038; bye</h1>
<div class="entry-content"><p>body</p></div>\
<time class="entry-date published" datetime="2026-01-01T00:00:00+00:00">x</time>
<a href="/category/u/" rel="category tag">U</a><a href="/tag/hd/" rel="tag">hd</a></article>
<h2 class="entry-title"><a href="/2026/01/02/y/" rel="bookmark">Y</a></h2>\
<a class="next page-numbers" href="/page/2/?s=q">Next</a></body></html>"""


def test_feed_and_html_pages() -> None:
    item = parse_feed(FEED)[0]
    assert item["title"] == "Fast & Furious" and item["tags"] == ["hd"] and item["post_id"] == "5"
    assert "l.example" in item["html"] and item["published"] == "2026-11-01T00:00:00+00:00"
    page = parse_post_page(CLASSIC)
    assert page["title"] == "Hello & bye" and page["tags"] == ["hd"] and page["post_id"] == "9"
    assert page["published"] == "2026-01-01T00:00:00+00:00" and "body" in page["html"]
    links, nxt, feed = search_result_links(CLASSIC, "https://h/?s=q")
    assert (
        links == ["https://h/2026/01/02/y/"]
        and nxt == "https://h/page/2/?s=q"
        and feed.endswith("/feed/rss2/")
    )
    block = (
        '<ul><li><h2 class="wp-block-post-title"><a href="https://h/a/">A</a></h2></li></ul>'
        '<a href="https://h/page/2/?s=q" class="wp-block-query-pagination-next">Next</a>'
    )
    assert search_result_links(block, "https://h/?s=q")[:2] == (
        ["https://h/a/"],
        "https://h/page/2/?s=q",
    )


def _spider(**settings: object) -> WordPressSpider:
    offline = {"LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:9"}
    crawler = lurewatch_crawler(WordPressSpider, {**offline, **settings})
    return WordPressSpider.from_crawler(crawler)  # type: ignore[return-value]


def test_reader_paging_prefers_handle_then_date_range_then_offset() -> None:
    spider = _spider(LUREWATCH_WORDPRESS_READER_NUMBER=2)
    url = "https://public-api.wordpress.com/rest/v1.2/read/tags/x/posts?number=2"
    assert "page_handle=" in spider._reader_next(
        url, {"meta": {"next_page": "value=a&id=1"}}, 2, 1
    )
    nxt = spider._reader_next(url, {"date_range": {"after": "2026-01-01T00:00:00+00:00"}}, 2, 1)
    assert nxt and "before=2026-01-01" in nxt
    search = "https://public-api.wordpress.com/rest/v1.2/read/search?q=x&number=2&offset=0"
    assert spider._reader_next(search, {"date_range": None}, 2, 1).endswith("offset=2")
    assert spider._reader_next(search, {"date_range": None}, 1, 1) is None
    assert spider._reader_next(url, {"meta": {"next_page": "h"}}, 2, spider.plan.max_pages) is None


def test_search_requests_use_real_urls_and_every_name() -> None:
    spider = _spider(LUREWATCH_WORDPRESS_SITES="a.example,b.wordpress.com")
    title = next(t for t in spider.titles if t.aliases)
    urls = [r.url for r in spider.search_requests(title)]
    assert all(u.startswith("https://") and "127.0.0.1" not in u for u in urls)
    assert any("/rest/v1.2/read/tags/" in u for u in urls) and any(
        "/read/search?" in u for u in urls
    )
    assert any(u.startswith("https://a.example/wp-json/wp/v2/search?") for u in urls)
    assert any("/rest/v1.1/sites/b.wordpress.com/posts/" in u for u in urls)
    assert (
        len([u for u in urls if "a.example" in u]) == 1
    )  # one probe; the other queries wait for it


def test_error_bodies_walk_the_fallback_ladder() -> None:
    spider = _spider()
    site = SiteRef("s.example")
    blocked = TextResponse(
        "https://s.example/wp-json/wp/v2/search?search=q",
        status=401,
        request=Request("https://s.example/"),
        body=b'{"code":"rest_not_logged_in","message":"no","data":{"status":401}}',
        headers={"Content-Type": "application/json"},
    )
    nxt = list(
        spider._core_failed(blocked, spider.json(blocked), site, "q", 0, "/wp/v2/search", 1)
    )
    assert nxt[0].url == "https://s.example/?s=q"
    page404 = HtmlResponse(
        "https://t.example/wp-json/wp/v2/search", status=404, body=b"<html>404</html>"
    )
    site2 = SiteRef("t.example")
    nxt = list(spider._core_failed(page404, None, site2, "q", 0, "/wp/v2/search", 1))
    assert nxt[0].url.startswith("https://t.example/?rest_route=/wp/v2/search")
    old = TextResponse("https://u.example/", status=404, body=b'{"code":"rest_no_route"}')
    nxt = list(
        spider._core_failed(
            old, {"code": "rest_no_route"}, SiteRef("u.example"), "q", 0, "/wp/v2/search", 1
        )
    )
    assert "/wp/v2/posts" in nxt[0].url and "_embed=wp%3Aterm" in nxt[0].url
    assert (
        list(
            spider._core_failed(
                old, {"code": "rest_post_invalid_page_number"}, site2, "q", 0, "/wp/v2/posts", 2
            )
        )
        == []
    )


def test_site_probe_carries_its_waiting_queries_to_whichever_worker_answers_it() -> None:
    """Distributed mode: the worker that receives a probe's response is not the one that sent
    it."""
    sender, receiver = _spider(), _spider()
    site = SiteRef("s.example")
    [probe] = list(sender.site_requests(site))
    waiting = sender.site_queries[1:]
    assert waiting and probe.meta["lurewatch_site_queries"] == waiting
    assert list(sender.site_requests(site)) == []  # one probe per site per worker
    # the probe fails over to the ?rest_route= base: the fallback still carries the waiting queries
    page404 = HtmlResponse(probe.url, status=404, body=b"<html>404</html>", request=probe)
    [fallback] = list(
        receiver._core_failed(page404, None, site, sender.site_queries[0], 0, "/wp/v2/search", 1)
    )
    assert fallback.meta["lurewatch_site_queries"] == waiting
    ok = TextResponse(
        fallback.url, body=b"[]", request=fallback, headers={"Content-Type": "application/json"}
    )
    started = list(receiver._resolve(site, ("core", 1, "/wp/v2/search"), ok))
    assert [r.cb_kwargs["query"] for r in started] == waiting
    assert all("rest_route=" in r.url and "lurewatch_site_queries" not in r.meta for r in started)
    assert (
        list(
            receiver._resolve(
                site, ("core", 1, "/wp/v2/search"), TextResponse(ok.url, request=started[0])
            )
        )
        == []
    )
