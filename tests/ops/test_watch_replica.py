"""The replica publishes posts over time (replica/publishing.py): before its time a post is in
no listing, search, tag stream or feed and its URL answers 404; after it, it is there."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlencode, urlsplit

import pytest

from crawler.exitcodes import ExitCode
from pipelines.cursors import cursor_url
from replica.dataset import Post
from replica.server import ReplicaServer

SHARE = 0.25
HOURS = 2.0


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(publish=SHARE, publish_hours=HOURS) as server:
        yield server


def _get(origin: str, url: str) -> tuple[int, bytes]:
    parts, server = urlsplit(url), urlsplit(origin)
    conn = http.client.HTTPConnection(server.hostname, server.port, timeout=10)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn.request("GET", path, headers={"Host": parts.hostname or "", "X-Forwarded-Proto": "https"})
    try:
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _scheduled(replica: ReplicaServer, platform: str) -> list[Post]:
    return [p for p in replica.router.dataset.scheduled() if p.platform == platform]


def _tagged_ids(replica: ReplicaServer, tag: str) -> set[str]:
    query = urlencode({"tag": tag, "api_key": "k", "limit": 20, "before": 2**31})
    status, body = _get(replica.origin, f"https://api.tumblr.com/v2/tagged?{query}")
    assert status == 200
    return {str(post["id_string"]) for post in json.loads(body)["response"]}


def _feed_urls(replica: ReplicaServer, post: Post, **params: str) -> set[str]:
    query = urlencode({"alt": "json", "max-results": 150, **params})
    status, body = _get(replica.origin, f"https://{post.blog.host}/feeds/posts/default?{query}")
    assert status == 200
    entries = json.loads(body)["feed"].get("entry", [])
    return {
        link["href"] for entry in entries for link in entry["link"] if link["rel"] == "alternate"
    }


def test_a_share_of_each_platform_is_published_after_the_start(replica: ReplicaServer) -> None:
    dataset = replica.router.dataset
    now = replica.clock.now()
    for platform in ("tumblr", "wordpress", "blogger"):
        every = [p for p in dataset.posts if p.platform == platform]
        later = _scheduled(replica, platform)
        assert abs(len(later) - SHARE * len(every)) <= 1
        assert all(now < p.timestamp <= now + HOURS * 3600 for p in later)
    assert any(p.truth.is_hit for p in dataset.scheduled())


def test_the_same_seed_schedules_the_same_posts() -> None:
    with ReplicaServer(publish=SHARE) as one, ReplicaServer(publish=SHARE) as two:
        first = [
            (p.post_id, p.timestamp - one.clock.now()) for p in one.router.dataset.scheduled()
        ]
        second = [
            (p.post_id, p.timestamp - two.clock.now()) for p in two.router.dataset.scheduled()
        ]
    assert [pid for pid, _ in first] == [pid for pid, _ in second]
    assert all(abs(a[1] - b[1]) < 60 for a, b in zip(first, second, strict=True))


def test_a_post_is_nowhere_before_its_time_and_everywhere_after(replica: ReplicaServer) -> None:
    tumblr = next(p for p in _scheduled(replica, "tumblr") if p.tags)
    blogger = _scheduled(replica, "blogger")[0]
    wordpress = _scheduled(replica, "wordpress")
    latest = max(p.timestamp for p in (tumblr, blogger, *wordpress))
    assert tumblr.post_id not in _tagged_ids(replica, tumblr.tags[0])
    assert _get(replica.origin, tumblr.url)[0] == 404
    assert blogger.url not in _feed_urls(replica, blogger)
    assert _get(replica.origin, blogger.url)[0] == 404
    assert all(_get(replica.origin, p.url)[0] != 200 for p in wordpress)
    replica.clock.advance(latest - replica.clock.now() + 1)
    assert tumblr.post_id in _tagged_ids(replica, tumblr.tags[0])
    assert _get(replica.origin, tumblr.url)[0] == 200
    assert blogger.url in _feed_urls(replica, blogger)
    assert _get(replica.origin, blogger.url)[0] == 200
    assert any(_get(replica.origin, p.url)[0] == 200 for p in wordpress)


def test_blogger_feeds_take_published_min(replica: ReplicaServer) -> None:
    blog = replica.router.dataset.blogs_on("blogger")[0]
    posts = replica.router.dataset.posts_on("blogger", blog)
    assert len(posts) >= 2
    middle = posts[len(posts) // 2]
    since = middle.published.strftime("%Y-%m-%dT%H:%M:%SZ")
    found = _feed_urls(replica, middle, **{"published-min": since})
    assert found == {p.url for p in posts if p.published >= middle.published}
    status, _ = _get(
        replica.origin, f"https://{blog.host}/feeds/posts/default?published-min=yesterday"
    )
    assert status == 400


def test_wordpress_core_rest_takes_after(replica: ReplicaServer) -> None:
    wp = replica.router.wordpress
    site = wp.sites["filmkritik-blog.de"]  # self-hosted, core REST open
    middle = site.posts[len(site.posts) // 2]
    after = middle.published.isoformat(timespec="seconds")
    query = urlencode({"after": after, "per_page": 100})
    status, body = _get(replica.origin, f"https://{site.host}/wp-json/wp/v2/posts?{query}")
    assert status == 200
    assert len(json.loads(body)) == sum(p.published > middle.published for p in site.posts)


def _dates(replica: ReplicaServer, url: str, blogger: bool) -> list[float]:
    status, body = _get(replica.origin, url)
    assert status == 200
    if blogger:
        entries = json.loads(body)["feed"].get("entry", [])
        return [datetime.fromisoformat(e["published"]["$t"]).timestamp() for e in entries]
    return [datetime.fromisoformat(i["date_gmt"] + "+00:00").timestamp() for i in json.loads(body)]


@pytest.mark.parametrize("platform", ["blogger", "wordpress"])
def test_a_cursor_query_gets_only_what_was_published_since(
    replica: ReplicaServer, platform: str
) -> None:
    """pipelines.cursors' URLs, as the replica (modelled on the platforms' docs) answers them."""
    if platform == "blogger":
        blog = replica.router.dataset.blogs_on("blogger")[0]
        search = f"https://{blog.host}/feeds/posts/default?q=2026&alt=json&max-results=150"
    else:
        site = replica.router.wordpress.sites["filmkritik-blog.de"]
        search = f"https://{site.host}/wp-json/wp/v2/posts?search=2026&per_page=100"
    every = _dates(replica, search, platform == "blogger")
    assert len(every) >= 2
    since = sorted(every)[len(every) // 2] + 1
    url = cursor_url(search, since)
    assert url is not None
    newer = _dates(replica, url, platform == "blogger")
    assert sorted(newer) == sorted(d for d in every if d >= since)
    assert 0 < len(newer) < len(every)


def test_lurewatch_replica_refuses_a_share_out_of_range() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "replica", "--port", "0", "--publish", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == ExitCode.USAGE
    assert "publish share 2.0 must be between 0 and 1" in done.stderr
