from __future__ import annotations

import pytest

from pipelines.es.documents import build_document, doc_id
from pipelines.urls import canonical_post_url
from tests.es._helpers import make_hit


@pytest.mark.parametrize(
    "variant",
    [
        "https://blog.example.com/post/1",
        "http://blog.example.com/post/1",
        "HTTPS://WWW.Blog.Example.COM:443/post/1/",
        "https://blog.example.com/post/1?utm_source=tw&utm_medium=x&fbclid=abc#comments",
        "https://blog.example.com/post/1?gclid=1&ref=home",
    ],
)
def test_tracking_and_spelling_variants_share_an_id(variant: str) -> None:
    assert canonical_post_url(variant) == "https://blog.example.com/post/1"
    assert doc_id(variant) == doc_id("https://blog.example.com/post/1")


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert (
        canonical_post_url("https://wp.example.com/?p=12&a=b")
        == "https://wp.example.com/?a=b&p=12"
    )
    assert doc_id("https://wp.example.com/?p=12") != doc_id("https://wp.example.com/?p=13")


def test_blogger_mobile_flag_is_not_a_new_post() -> None:
    assert doc_id("https://x.blogspot.com/2025/01/a.html?m=1") == doc_id(
        "https://x.blogspot.com/2025/01/a.html"
    )


def test_ids_are_bounded_hex() -> None:
    long_url = "https://blog.example.com/" + "a" * 5000
    assert len(doc_id(long_url)) == 64 and int(doc_id(long_url), 16) >= 0


def test_document_has_exported_and_derived_fields_only() -> None:
    hit = make_hit(4, html="<p>not indexed</p>", published="")
    doc = build_document(hit, crawl_id="c1")
    assert "html" not in doc and "landing_pages" not in doc
    assert doc["published"] is None and doc["crawl_id"] == "c1"
    assert doc["url_host"] == "blog4.example.com"
    assert doc["canonical_url"] == "https://blog4.example.com/post/4"
    assert doc["lure_domains"] == ["login-1.evil0.test"]
    assert doc["last_seen"] == "2025-03-01T02:00:00Z"
