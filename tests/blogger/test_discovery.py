"""Discovery: the replica's Google CSE and Brave APIs, and the backends that build and parse
requests."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.discovery import BACKENDS, DiscoveryBackend, load_backends
from crawler.discovery.brave import BraveSearch
from crawler.discovery.google_cse import GoogleCSE
from crawler.parsers.blogger import blogspot_host
from pipelines.exceptions import ConfigError
from replica.dataset import Dataset
from replica.http import Router
from replica.server import ReplicaServer
from tests.blogger._helpers import call, call_json

CSE_CREDS = {"GOOGLE_CSE_KEY": "test-key", "GOOGLE_CSE_CX": "0123456789abcdef"}
BRAVE_CREDS = {"BRAVE_API_KEY": "test-token"}


@pytest.fixture(scope="module")
def router(replica: ReplicaServer) -> Router:
    return replica._server.router


def _query(dataset: Dataset) -> str:
    """A discovery query that matches Blogger posts: the first expected hit's title words."""
    post = (dataset.expected_hits("blogger") or dataset.posts_on("blogger"))[0]
    return f"{post.truth.matched_title or post.title} site:blogspot.com"


def _fetch(router: Router, backend: DiscoveryBackend, query: str, page: int):  # type: ignore[no-untyped-def]
    request = backend.build_request(query, page)
    assert request is not None
    response = call(router, request.url, request.headers)
    return backend.parse(request.url, response.status, response.body, page)


def _all_pages(router: Router, backend: DiscoveryBackend, query: str) -> list[str]:
    urls, page = [], 1
    while page:
        result = _fetch(router, backend, query, page)
        assert result.error is None
        urls += result.urls
        page = result.next_page  # type: ignore[assignment]
    return urls


@pytest.mark.parametrize(
    "backend", [GoogleCSE(CSE_CREDS, page_size=2), BraveSearch(BRAVE_CREDS, page_size=2)]
)
def test_backends_page_through_the_replica(
    router: Router, dataset: Dataset, backend: DiscoveryBackend
) -> None:
    query = _query(dataset)
    urls = _all_pages(router, backend, query)
    words = query.replace("site:blogspot.com", "")
    posts = dataset.search(words, "blogger")
    assert {p.url for p in posts} <= set(urls)  # every matching post...
    assert {f"https://{p.blog.host}/" for p in posts} <= set(urls)  # ...and its blog
    assert any(blogspot_host(u) is None for u in urls)  # noise a spider must ignore
    assert len(urls) == len(set(urls)) and len(urls) > 2  # several pages, nothing repeated


def test_cse_request_shape_keeps_the_key_out_of_the_url() -> None:
    request = GoogleCSE(CSE_CREDS).build_request("dune site:blogspot.com", 3)
    assert request is not None
    parts = urlsplit(request.url)
    assert (parts.netloc, parts.path) == ("www.googleapis.com", "/customsearch/v1")
    assert parse_qs(parts.query) == {
        "cx": ["0123456789abcdef"],
        "q": ["dune site:blogspot.com"],
        "num": ["10"],
        "start": ["21"],
    }
    assert request.headers["X-goog-api-key"] == "test-key" and "test-key" not in request.url
    assert (
        GoogleCSE(CSE_CREDS).build_request("x", 11) is None
    )  # no more than 100 results per query


def test_brave_request_shape() -> None:
    request = BraveSearch(BRAVE_CREDS).build_request("dune site:blogspot.com", 2)
    assert request is not None
    assert parse_qs(urlsplit(request.url).query) == {
        "q": ["dune site:blogspot.com"],
        "count": ["20"],
        "offset": ["1"],
    }
    assert request.headers["X-Subscription-Token"] == "test-token"
    assert BraveSearch(BRAVE_CREDS).build_request("x", 11) is None  # offset is at most 9


def test_cse_zero_hits_has_no_items(router: Router) -> None:
    status, body = call_json(
        router,
        "https://www.googleapis.com/customsearch/v1?cx=c&q=zzqqxx+site:blogspot.com",
        {"X-goog-api-key": "k"},
    )
    assert (
        status == 200 and "items" not in body and body["searchInformation"]["totalResults"] == "0"
    )
    assert "nextPage" not in body["queries"]
    assert (
        GoogleCSE(CSE_CREDS)
        .parse(
            "u",
            status,
            call(
                router,
                "https://www.googleapis.com/customsearch/v1?cx=c&q=zzqqxx",
                {"X-goog-api-key": "k"},
            ).body,
            1,
        )
        .urls
        == []
    )


def test_cse_limits_start_to_100_results(router: Router) -> None:
    status, body = call_json(
        router, "https://www.googleapis.com/customsearch/v1?key=k&cx=c&q=dune&start=92"
    )
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize(
    ("key", "status", "reason"), [("", 403, "forbidden"), ("invalid-key", 400, "keyInvalid")]
)
def test_cse_key_errors_are_logged_with_url_and_message(
    router: Router, caplog: pytest.LogCaptureFixture, key: str, status: int, reason: str
) -> None:
    backend = GoogleCSE({**CSE_CREDS, "GOOGLE_CSE_KEY": key})
    request = backend.build_request("dune site:blogspot.com", 1)
    assert request is not None
    response = call(router, request.url, request.headers)
    assert response.status == status
    with caplog.at_level(logging.ERROR, logger="crawler.discovery._base"):
        page = backend.parse(request.url, response.status, response.body, 1)
    assert page.fatal and page.urls == [] and reason in (page.error or "")
    logged = caplog.text
    assert request.url in logged and f"HTTP {status} {reason}" in logged
    assert ("API key not valid" if key else "unregistered callers") in logged


@pytest.mark.parametrize(
    ("token", "status", "words"),
    [
        ("", 422, "Field required header.x-subscription-token"),
        ("invalid-token", 401, "token is invalid"),
    ],
)
def test_brave_token_errors(
    router: Router, caplog: pytest.LogCaptureFixture, token: str, status: int, words: str
) -> None:
    backend = BraveSearch({"BRAVE_API_KEY": token})
    request = backend.build_request("dune site:blogspot.com", 1)
    assert request is not None
    headers = {k: v for k, v in request.headers.items() if v}  # an empty token is a missing header
    response = call(router, request.url, headers)
    assert response.status == status
    with caplog.at_level(logging.ERROR, logger="crawler.discovery._base"):
        page = backend.parse(request.url, response.status, response.body, 1)
    assert page.fatal and words in caplog.text and request.url in caplog.text


def test_brave_results_envelope(router: Router, dataset: Dataset) -> None:
    status, body = call_json(
        router,
        f"https://api.search.brave.com/res/v1/web/search?q={_query(dataset)}",
        {"X-Subscription-Token": "t"},
    )
    assert status == 200 and body["type"] == "search" and body["web"]["type"] == "search"
    result = body["web"]["results"][0]
    assert {"title", "url", "description", "meta_url"} <= set(result)


def test_load_backends_by_name() -> None:
    creds = {**CSE_CREDS, **BRAVE_CREDS}
    backends = load_backends("google_cse, brave", creds.get)  # type: ignore[arg-type]
    assert [b.name for b in backends] == ["google_cse", "brave"] and set(BACKENDS) == {
        "google_cse",
        "brave",
        "searxng",
    }
    assert [b.name for b in load_backends("brave,google_cse", {"BRAVE_API_KEY": "x"}.get)] == [
        "brave"
    ]  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="unknown backend 'bing'"):
        load_backends("google_cse,bing", creds.get)  # type: ignore[arg-type]
