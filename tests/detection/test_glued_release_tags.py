"""A glued release name with an audio-language or edition tag between the year and the
resolution ("hunger2023thai720p10bitwebrip", seen on real bare-IP doorways) is read as words."""

from __future__ import annotations

import pytest

from pipelines.scoring import assess_page, unglued_release_words
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def test_a_language_tag_after_the_year_keeps_the_name_and_the_release(wl: Watchlists) -> None:
    got = unglued_release_words("grab moana2026thai720p10bitwebrip2chx265 now", wl)
    assert got[:3] == ["moana", "2026", "thai"]
    assert {"720p", "10bit", "webrip", "x265"} <= set(got)


def test_a_tag_is_only_read_after_a_year_and_before_a_resolution(wl: Watchlists) -> None:
    assert unglued_release_words("moanathai720p", wl) == []  # no year: "moanathai" is no title
    assert unglued_release_words("moana2026thai and 720p later", wl) == []
    assert unglued_release_words("othertitle2016thai720pwebrip", wl) == []  # not watched


def test_a_bare_ip_doorway_headed_by_such_a_name_is_a_fake_stream(wl: Watchlists) -> None:
    head = "moana2026thai720p10bitwebrip2chx265hev top"
    body = (
        f"<h1>{head}</h1><p>The term 720p in the file title refers to the resolution.</p>"
        "<p>The x265 codec reduces file sizes by half for the same quality.</p>"
    )
    page = f"<html><head><title>{head}</title></head><body>{body}</body></html>"
    got = assess_page(page, "http://198.51.100.44/moana2026thai720p10bitwebrip-top", wl)
    assert got.matched_title == "Moana", got.reasons
    assert got.fake_stream, got.reasons


def test_a_review_naming_the_film_and_a_year_is_not_read_as_a_release(wl: Watchlists) -> None:
    body = "<h1>Moana 2026 review</h1><p>The Thai dub is charming; we watched it in a cinema.</p>"
    page = f"<html><head><title>Moana 2026 review</title></head><body>{body}</body></html>"
    got = assess_page(page, "https://news.example/moana-2026-review", wl)
    assert not got.fake_stream, got.reasons
