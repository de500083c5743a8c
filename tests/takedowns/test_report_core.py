"""``pipelines.takedowns.report``: the figures a customer reads, and a page that runs nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pipelines.takedowns.report import render_report, summarise

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=7)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _doc(n: int, platform: str, **fields: Any) -> dict[str, Any]:
    doc = {
        "url": f"https://b{n}.example/post/{n}",
        "platform": platform,
        "first_seen": (NOW - timedelta(days=n % 3)).isoformat(),
        "status": "new",
        "matched_title": "Supergirl",
        "lure_domains": [],
    }
    doc.update(fields)
    return doc


def _docs() -> list[dict[str, Any]]:
    return [
        _doc(1, "tumblr", lure_domains=["lure.example"], campaign_id="c1"),
        _doc(2, "tumblr", lure_domains=["lure.example"], campaign_id="c1", matched_title=HOSTILE),
        _doc(3, "blogger", status="reported", reported_at="2026-11-29T00:00:00Z"),
        _doc(4, "blogger", status="removed", reported_at="x", time_to_removal_seconds=3600),
        _doc(5, "blogger", status="removed", reported_at="x", time_to_removal_seconds=7200),
        _doc(6, "wordpress", status="false_positive", lure_domains=["fp.example"]),
    ]


def test_figures_per_platform_day_title_domain_campaign_and_removal() -> None:
    data = summarise(_docs(), SINCE, NOW)
    assert data.hits == 5 and data.false_positives == 1
    assert data.per_day["tumblr"][NOW.date().isoformat()] == 0  # n % 3 == 1 and 2: not today
    assert sum(data.per_day["blogger"].values()) == 3
    assert "wordpress" not in data.per_day  # the false positive is no hit
    assert data.titles[0] == ("Supergirl", 4)
    assert data.lure_domains == [("lure.example", 2)]
    assert [(c.id, c.size) for c in data.campaigns] == [("c1", 2)]
    assert data.outcome["blogger"] == {"hits": 3, "reported": 3, "removed": 2}
    blogger = next(f for f in data.removal if f.group == "blogger")
    assert (blogger.removed, blogger.still_reported) == (2, 1)
    assert blogger.median_seconds == 5400 and blogger.p90_seconds == 7200


def test_page_escapes_page_text_and_loads_or_runs_nothing() -> None:
    page = render_report(summarise(_docs(), SINCE, NOW))
    assert "<script" not in page.lower()
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in page  # shown as text in the titles table
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert page.count("<svg") == 4
    assert "time to removal = first verified removal minus first report" in page
    assert "1h 30m" in page  # blogger median
