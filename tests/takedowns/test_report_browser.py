"""``lurewatch report`` against the real Elasticsearch, opened in headless Chromium.

The page must render its charts (non-empty SVG), log no console error, and ask for nothing over
the network (self-contained: no CDN, no script).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from playwright.async_api import async_playwright

from crawler.cli import run_command
from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from pipelines.es.documents import doc_id
from pipelines.items import Hit
from tests.takedowns._world import index_hits

pytestmark = [pytest.mark.elasticsearch, pytest.mark.browser]

HOSTILE = "Supergirl <script>alert(1)</script>"


def _hits() -> list[Hit]:
    hits = []
    for n, platform in enumerate(("tumblr", "wordpress", "blogger") * 3):
        hits.append(
            Hit(
                url=f"https://blog{n}.example/post/{n}",
                platform=platform,
                title=HOSTILE if n == 0 else f"Watch Supergirl {n}",
                matched_title=HOSTILE if n == 0 else "Supergirl",
                lure_urls=[f"https://lure{n % 2}.example/login"],
                score=80,
                verdict="lure",
                fetched_at="",  # seen now (the writer's clock)
            )
        )
    return hits


async def _open(page_path: Path, shot: Path) -> dict[str, Any]:
    errors: list[str] = []
    requests: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"],
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            page = await browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            await page.goto(page_path.as_uri(), wait_until="load")
            await page.screenshot(path=str(shot), full_page=True)
            charts = await page.eval_on_selector_all(
                "figure.chart svg",
                "svgs => svgs.map(s => ({w: s.getBoundingClientRect().width,"
                " bars: Array.from(s.querySelectorAll('rect.rect')).filter("
                "r => r.getBoundingClientRect().height > 0).length}))",
            )
            scripts = await page.eval_on_selector_all("script", "s => s.length")
            titles = await page.inner_text("#titles")
        finally:
            await browser.close()
    return {
        "errors": errors,
        "requests": requests,
        "charts": charts,
        "scripts": scripts,
        "titles": titles,
    }


def test_report_renders_its_charts_in_chromium_without_errors_or_requests(
    es: Elasticsearch, es_url: str, alias: str, tmp_path: Path
) -> None:
    hits = _hits()
    index_hits(es_url, alias, hits)
    es.update(
        index=alias,
        id=doc_id(hits[1].url),
        doc={
            "status": "removed",
            "reported_at": "2026-11-30T00:00:00.000Z",
            "time_to_removal_seconds": 5400,
        },
        refresh=True,
    )
    settings = {
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
    }
    out = tmp_path / "out" / "report.html"
    assert run_command("report", ["--since", "7d", "--out", str(out)], settings) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()

    shot = tmp_path / "report.png"
    seen = asyncio.run(_open(out, shot))
    assert seen["errors"] == []
    assert seen["requests"] == [out.as_uri()]  # nothing but the file itself
    assert seen["scripts"] == 0
    assert len(seen["charts"]) == 4
    for chart in seen["charts"]:
        assert chart["w"] > 100 and chart["bars"] > 0, chart
    assert HOSTILE in seen["titles"]  # shown as text, never run
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:4] == b"\x89PNG"
    assert "1h 30m" in html and "wordpress" in html
