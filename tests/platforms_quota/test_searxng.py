"""The SearXNG discovery backend: its request and the JSON answer's ``results[]`` (a fixture
written from SearXNG's documented response shape: url, title, content, engine, engines)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from crawler.discovery import BACKENDS, load_backends
from crawler.discovery.searxng import MAX_PAGES, SearXNG
from crawler.middlewares.quota import platform_of

ANSWER = {
    "query": "dune part three full movie site:blogspot.com",
    "number_of_results": 0,
    "results": [
        {
            "url": "https://dune-stream-hd.blogspot.com/2026/12/watch.html",
            "title": "Watch Dune Part Three Full Movie",
            "content": "Stream free in HD ...",
            "engine": "duckduckgo",
            "engines": ["duckduckgo", "brave"],
            "score": 2.0,
            "category": "general",
        },
        {"title": "no url"},
        {"url": 42},
    ],
    "answers": [],
    "suggestions": [],
    "unresponsive_engines": [],
}


def test_request_is_the_json_api_with_pageno() -> None:
    backend = SearXNG({"LUREWATCH_SEARXNG_URL": "http://searx.local:8888/"})
    request = backend.build_request("dune site:blogspot.com", 2)
    assert request is not None
    parts = urlsplit(request.url)
    assert (parts.netloc, parts.path) == ("searx.local:8888", "/search")
    assert parse_qs(parts.query) == {
        "q": ["dune site:blogspot.com"],
        "format": ["json"],
        "pageno": ["2"],
    }
    assert backend.build_request("x", MAX_PAGES + 1) is None
    placeholder = SearXNG({"LUREWATCH_SEARXNG_URL": "lurewatch-offline-placeholder"})
    assert placeholder.build_request("x", 1) is None  # not a URL: no request


def test_results_are_parsed_and_paging_stops_on_an_empty_page() -> None:
    backend = SearXNG({"LUREWATCH_SEARXNG_URL": "http://searx.local"})
    page = backend.parse("http://searx.local/search", 200, json.dumps(ANSWER).encode(), 1)
    assert page.urls == ["https://dune-stream-hd.blogspot.com/2026/12/watch.html"]
    assert page.next_page == 2
    empty = backend.parse("http://searx.local/search", 200, b'{"results": []}', 2)
    assert empty.urls == [] and empty.next_page is None
    refused = backend.parse("http://searx.local/search", 403, b"Forbidden", 1)
    assert refused.fatal  # the instance does not allow format=json


def test_searxng_is_a_backend_named_in_settings_and_counted_by_the_quota() -> None:
    assert BACKENDS["searxng"] is SearXNG
    settings = {"LUREWATCH_SEARXNG_URL": "http://searx.local:8888"}
    backends = load_backends("searxng,brave", lambda name: settings.get(name, ""))
    assert [b.name for b in backends] == ["searxng"]
    assert platform_of("http://searx.local:8888/search?q=x", "searx.local") == "searxng"
