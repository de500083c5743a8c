"""``watchlists/seeds.yaml``: validated on load (file, line, field), and read by the Blogger
spider's keyless path: seeded blogs are searched with no discovery API at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.discovery import load_backends
from crawler.discovery.seeds import seed_hosts
from pipelines.exceptions import WatchlistError
from pipelines.watchlists.seeds import load_seeds
from tests._crawl import read_jsonl, run_crawl
from tests._settings import lurewatch_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_seed_list_loads() -> None:
    assert load_seeds() == []


def test_seeds_keep_the_blog_host_and_the_setting_points_to_the_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "seeds:\n  - url: https://Film-Streams.blogspot.com/2026/01/x.html\n"
        "    notes: found 2026-11\n  - url: http://other.blogspot.com/\n",
    )
    assert seed_hosts(lurewatch_settings({"LUREWATCH_SEEDS": str(path)})) == [
        "film-streams.blogspot.com",
        "other.blogspot.com",
    ]


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("seeds:\n  - url: https://example.com/\n", 2, "url"),
        ("seeds:\n  - url: javascript:alert(1)\n", 2, "url"),
        (
            "seeds:\n  - url: https://a.blogspot.com/\n  - url: https://A.blogspot.com/x\n",
            3,
            "url",
        ),
        ("seeds:\n  - url: https://a.blogspot.com/\n    owner: me\n", 3, None),
        ("blogs: []\n", 1, None),
    ],
)
def test_a_bad_seed_names_its_file_and_line(
    tmp_path: Path, text: str, line: int, field: str | None
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(WatchlistError) as caught:
        load_seeds(path)
    assert caught.value.path == str(path) and caught.value.line == line
    if field:
        assert caught.value.field == field


def test_searxng_is_in_the_default_order_and_used_only_with_its_url(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = lurewatch_settings()
    order = settings.get("LUREWATCH_BLOGGER_DISCOVERY")
    assert order.split(",") == ["google_cse", "brave", "searxng"]
    values = {"LUREWATCH_SEARXNG_URL": "https://searx.example.org", "BRAVE_API_KEY": "k"}
    names = [b.name for b in load_backends(order, lambda name: values.get(name, ""))]
    assert names == ["brave", "searxng"]
    caplog.clear()
    assert [b.name for b in load_backends(order, lambda name: "")] == []
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert not [m for m in warned if "searxng" in m]  # no instance of one's own: no warning
    assert len(warned) == 2  # the two keyed backends, each named


@pytest.mark.crawl
def test_a_keyless_blogger_crawl_searches_the_seeded_blogs(
    replica: Any, dataset: Any, tmp_path: Path
) -> None:
    fakes: dict[str, set[str]] = {}
    for post in dataset.expected_hits("blogger"):
        if post.truth.fake_stream:
            fakes.setdefault(post.blog.host, set()).add(post.url)
    seeded = sorted(fakes)[:2]
    seeds = "seeds:\n" + "".join(f"  - url: https://{host}/\n" for host in seeded)
    settings = {
        "ITEM_PIPELINES": json.dumps({"pipelines.detection.DetectionPipeline": 300}),
        "LUREWATCH_RENDER_ENABLED": "False",
        "AUTOTHROTTLE_ENABLED": "False",
        "LUREWATCH_LANDING_TIMEOUT": 3,
        "LUREWATCH_OFFLINE_PLACEHOLDER_KEYS": "0",
        "LUREWATCH_SEEDS": str(_write(tmp_path, seeds)),
    }
    discovery = replica.router.discovery
    start = len(discovery.log)
    proc = run_crawl("blogger", replica.origin, tmp_path / "hits.jsonl", settings, timeout=240)
    assert discovery.log[start:] == []  # no discovery API was asked
    assert "No blog discovery backend" not in proc.stderr
    found = {item["url"] for item in read_jsonl(tmp_path / "hits.jsonl") if item["fake_stream"]}
    for host in seeded:
        print(f"seeded {host}: {len(found & fakes[host])}/{len(fakes[host])} fakes")
        assert found & fakes[host]
