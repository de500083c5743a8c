"""A spider whose landing fetches are recorded and answered offline (the incremental and watch
unit tests count the landings a post costs)."""

from __future__ import annotations

from typing import Any

from pipelines.items import LandingPage

__all__ = ["record_landings"]


def record_landings(spider: Any) -> Any:
    """Give ``spider`` a ``landings`` list and a ``fetch_landing`` that appends to it and answers
    a small lure page; returns the spider."""
    spider.landings = []

    async def fetch_landing(url: str, referer: str = "") -> LandingPage:
        spider.landings.append(url)
        return LandingPage(url=url, final_url=url, status=200, html="<p>lure</p>")

    spider.fetch_landing = fetch_landing
    return spider
