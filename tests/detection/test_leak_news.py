"""Leak news against leak bait (watchlists/lexicons.yaml piracy_news): "X full movie leaked online
on Telegram hours after release" is a story about piracy; "X full movie leaked download 720p" on a
download portal is still the offer."""

from __future__ import annotations

import pytest

from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _page(headline: str, body: str) -> str:
    return f"<html><head><title>{headline}</title></head><body><h1>{headline}</h1>{body}</body></html>"


def test_a_leak_story_naming_the_pirate_portals_is_not_a_fake_stream(wl: Watchlists) -> None:
    html = _page(
        "Michael full movie leaked online on Filmyzilla, Telegram hours after release",
        "<p>The biopic fell prey to piracy: HD prints were shared within hours of its release."
        " The producers urged fans to watch it in theatres.</p>",
    )
    got = assess_page(html, "https://www.filmnews-daily.example/michael-leaked", wl)
    assert not got.fake_stream, got.reasons


def test_leak_bait_on_a_download_portal_stays_a_fake_stream(wl: Watchlists) -> None:
    html = _page(
        "Michael Full Movie Leaked Download 720p 480p Filmyzilla",
        "<p>Download links: 480p 720p 1080p</p>",
    )
    got = assess_page(html, "https://filmy-hub.example/michael-2026", wl)
    assert got.fake_stream, got.reasons
