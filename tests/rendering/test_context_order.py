"""Renders waiting in different download slots never deadlock the recycled browser contexts.

scrapy-playwright holds one lock while it creates a context and waits there for a free context
slot (``PLAYWRIGHT_MAX_CONTEXTS``); a retired context closes only when its renders are over. A
render named for a retired context while it still waited in a busy download slot would need that
lock after a newer generation took it: each waits for the other and the crawl stalls for good
(found with lure screenshots, possible with any slow host). Here slot ``a`` holds a slow page
and, behind it, a page of the same context; slots ``b`` and ``c`` move on to newer contexts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from replica.server import ReplicaServer
from tests.rendering import site
from tests.rendering._run import crawl

pytestmark = [pytest.mark.crawl, pytest.mark.browser]

#: (path, download slot) in the order the spider sends them; two renders per context
ORDER = [
    ("slow", "a"),  # context 0, holds slot a for a second
    ("plain", "a"),  # context 0, waits in slot a behind it
    ("plain", "b"),  # context 1
    ("plain", "b"),  # context 1, waits in slot b
    ("plain", "c"),  # context 2: needs a context slot while contexts 0 and 1 are still open
    ("plain", "c"),
    ("plain", "b"),  # context 3
    ("plain", "a"),
]
SETTINGS = {
    "LUREWATCH_RENDER_PAGES_PER_CONTEXT": 2,
    "LUREWATCH_RENDER_TIMEOUT": 5,
    "LUREWATCH_RENDER_DEADLINE": 8,
    "LUREWATCH_RENDER_SETTLE": 0,
    "PLAYWRIGHT_MAX_CONTEXTS": 2,
    "CONCURRENT_REQUESTS": 16,  # every request reaches the downloader at once
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,  # and waits in its slot
    "DOWNLOAD_DELAY": 0,
}


def test_renders_queued_behind_a_slow_page_do_not_stall_the_contexts(tmp_path: Path) -> None:
    urls = [f"https://{site.HOST}/{p}?slot={slot}&n={i}" for i, (p, slot) in enumerate(ORDER)]
    with ReplicaServer(router=site.build_router()) as server:
        result = crawl(urls, server.origin, tmp_path, SETTINGS)
    rendered = {i["url"] for i in result.items if i.get("rendered")}
    assert rendered == set(urls), [i for i in result.items if not i.get("rendered")]
    assert result.stat("lurewatch/render/contexts_recycled") >= 3
    assert result.stat("lurewatch/render/contexts_closed") >= 2
