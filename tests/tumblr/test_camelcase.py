"""The web API's camelCase NPF (``format=camelcase``) reads as its snake_case twin: the same
body text (link cards' site names and titles included), links, title and tags."""

from __future__ import annotations

import pytest

from crawler.parsers.tumblr import post_html, post_links, post_tags, post_title
from replica.content import build_dataset
from replica.dataset import Dataset
from replica.tumblr.render import PostRenderer, camelize


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(seed=2026)


def _card_post(site_key: str, alt_key: str) -> dict[str, object]:
    return {
        "type": "blocks",
        "content": [
            {"type": "text", "text": "Dune Part Two full movie"},
            {
                "type": "link",
                "url": "https://stream-now.example/dune",
                "title": "Dune 2024 HD player",
                "description": "free tonight",
                site_key: "Streamflix",
            },
            {"type": "image", alt_key: "Play Dune"},
        ],
    }


def test_a_link_cards_site_name_reaches_the_body_in_camelcase() -> None:
    snake = _card_post("site_name", "alt_text")
    camel = _card_post("siteName", "altText")
    assert post_html(camel) == post_html(snake)
    assert "Streamflix" in post_html(camel) and "HD player" in post_html(camel)
    assert post_links(camel) == post_links(snake) == ["https://stream-now.example/dune"]


def test_every_replica_tumblr_post_reads_the_same_in_both_cases(dataset: Dataset) -> None:
    render = PostRenderer(dataset)
    posts = [post for post in dataset.posts if post.platform == "tumblr"]
    assert posts
    cards = 0
    for post in posts:
        snake = render.npf(post)
        camel = camelize(render.npf(post))
        assert post_html(camel) == post_html(snake), post.url
        assert post_links(camel) == post_links(snake), post.url
        assert post_title(camel) == post_title(snake), post.url
        assert post_tags(camel) == post_tags(snake), post.url
        cards += any(block.get("siteName") for block in camel.get("content") or [])
    assert cards  # the replica does serve camelCase link cards with a site name
