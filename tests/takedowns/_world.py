"""Hits as a crawl of the replica would index them, built from the replica's ground truth."""

from __future__ import annotations

import asyncio
from typing import Any

from elasticsearch import AsyncElasticsearch

from pipelines.es.documents import build_document
from pipelines.es.stats import CounterStats, EsStats
from pipelines.es.template import setup_index
from pipelines.es.writer import HitWriter
from pipelines.items import Hit
from replica.dataset import Dataset, Post


def _final(dataset: Dataset, url: str) -> str:
    """Where a link ends after the replica's redirect hops (bounded)."""
    for _ in range(6):
        landing = dataset.landings.get(url)
        if landing is None or not landing.next_hop:
            return url
        url = landing.next_hop
    return url


def hit_of(dataset: Dataset, post: Post, fetched_at: str) -> Hit:
    """The hit a perfect crawl and detection make of ``post``."""
    finals = [_final(dataset, url) for url in post.outbound]
    lures = [u for u in finals if (page := dataset.landings.get(u)) and page.truth.sso_lure]
    if post.truth.sso_lure and not lures:
        lures = [post.url]  # the post itself holds the credential form
    truth = post.truth
    verdict = "lure" if truth.sso_lure else "fake_stream"
    reasons = [f"replica truth: {truth.note or verdict}"]
    if truth.sso_lure:
        reasons.append("password form posts to other host")
    return Hit(
        url=post.url,
        platform=post.platform,
        blog=post.blog.name,
        title=post.title,
        text=post.body_html,
        published=post.published.isoformat(),
        tags=list(post.tags),
        outbound_urls=list(post.outbound),
        landing_urls=[u for u in finals if u in dataset.landings],
        fetched_at=fetched_at,
        post_id=post.post_id,
        fake_stream=truth.fake_stream,
        sso_lure=truth.sso_lure,
        matched_title=truth.matched_title,
        score=80,
        reasons=reasons,
        lure_urls=lures,
        verdict=verdict,
    )


async def _index(url: str, alias: str, docs: list[dict[str, Any]]) -> None:
    client = AsyncElasticsearch(url, request_timeout=30)
    try:
        await setup_index(client, alias)
        writer = HitWriter(client, alias, EsStats(CounterStats()))
        result = await writer.write(docs)
        assert not result.failed, result.failed
        await client.indices.refresh(index=alias)
    finally:
        await client.close()


def index_hits(url: str, alias: str, hits: list[Hit], crawl_id: str = "t-1") -> None:
    """Write ``hits`` into ``alias`` on the real server, as the crawl's pipeline does."""
    docs = [build_document(hit, crawl_id) for hit in hits]
    asyncio.run(_index(url, alias, docs))
