"""Pirate brands glued to a film's name (pipelines/glued_brands.py through assess_page), and the
file-name and series-pack phrasings of templates.yaml that real doorways of set 7 used."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.glued_brands import brand_glued_words
from pipelines.normalise import tokens
from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _page(head: str, body: str) -> str:
    return f"<html><head><title>{head}</title></head><body><h1>{head}</h1>{body}</body></html>"


def test_a_brand_glued_before_the_first_word_of_a_title_is_read_apart(wl: Watchlists) -> None:
    got = brand_glued_words("get movies4uvipscream 7 2026 dual audio link here", wl)
    assert got[:3] == [*tokens("movies4u"), "scream", "7"]  # as the tokeniser folds it
    assert {"2026", "dual", "audio"} <= set(got)


def test_a_title_and_year_glued_before_a_brand_and_domain_are_read(wl: Watchlists) -> None:
    got = brand_glued_words("scream72026bolly4uorg webdl dual audio", wl)
    assert got[:4] == ["scream", "7", "2026", *tokens("bolly4u")]


def test_a_brand_with_letters_around_it_but_no_title_gives_the_brand(wl: Watchlists) -> None:
    got = brand_glued_words("hdmovies4u name", wl)
    assert got[:1] == tokens("movies4u")
    assert "scream" not in got
    assert brand_glued_words("vegamovies and filmyzilla written apart", wl) == []


def test_a_page_whose_heading_glues_brand_and_title_is_a_fake_stream(wl: Watchlists) -> None:
    head = "movies4uvipscream 7 2026 dual audio link"
    body = "<p>A dual-audio file holds two audio tracks; players let you switch them.</p>"
    got = assess_page(_page(head, body), "https://files-archive.example/s7", wl)
    assert got.matched_title == "Scream 7", got.reasons
    assert got.fake_stream, got.reasons
    assert any("movies4u" in r for r in got.reasons), got.reasons


def test_a_review_naming_the_title_beside_a_brand_written_apart_stays_benign(
    wl: Watchlists,
) -> None:
    head = "Scream 7 review: the franchise bleeds on"
    body = (
        "<p>Our critic's review of Scream 7. Piracy sites such as movies4u leaked a cam copy,"
        " the studio said; the film opens in cinemas on Friday.</p>"
    )
    got = assess_page(_page(head, body), "https://filmcritic.example/scream-7", wl)
    assert not got.fake_stream, got.reasons


def test_a_title_named_as_a_video_file_heads_a_doorway(wl: Watchlists) -> None:
    body = "<p>MKV can hold Blu-ray quality video and several subtitle tracks in one file.</p>"
    got = assess_page(_page("Scream 7 1 mkv", body), "http://198.51.100.23/scream-7-1-mkv", wl)
    assert got.fake_stream, got.reasons
    assert any("mkv" in r for r in got.reasons), got.reasons


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ("Scream 7 MP4 vs MKV: which format to rip your Blu-ray to", "<p>Disc backups.</p>"),
        ("Scream 7 all episodes watch order guide", "<p>Watch every episode in order.</p>"),
        ("Scream 7 s01 e01 recap", "<p>Our recap of the first episode.</p>"),
    ],
)
def test_file_format_guides_watch_orders_and_recaps_stay_benign(
    wl: Watchlists, head: str, body: str
) -> None:
    got = assess_page(_page(head, body), "https://tvguide.example/s7", wl)
    assert not got.fake_stream, got.reasons


def test_all_episodes_download_after_a_series_title_is_a_fake_stream(tmp_path: Path) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text('- title: "Harbour Lights"\n', encoding="utf-8")
    series = load_watchlists(titles=titles)
    head = "Harbour Lights all episodes download"
    body = "<p>Check your local options; this essay is about legal methods only.</p>"
    got = assess_page(_page(head, body), "http://203.0.113.9/harbour-lights", series)
    assert got.fake_stream, got.reasons
    news = _page("Harbour Lights: all episodes reviewed", "<p>Our critic watched the series.</p>")
    assert not assess_page(news, "https://tvnews.example/hl", series).fake_stream


def test_a_short_brand_inside_an_ordinary_word_is_no_glued_brand(wl: Watchlists) -> None:
    # "filman" (a Polish pirate brand) hides in "Filmanalyse", "rezka" in "berezka"
    assert brand_glued_words("Eine Filmanalyse von Scream 7, am Fluss der berezka", wl) == []
    head = "Filmanalyse: Scream 7"
    body = "<p>Eine Filmanalyse von Scream 7: Kamera, Schnitt und Musik des Horrorfilms.</p>"
    got = assess_page(_page(head, body), "https://uni.example/scream-7", wl)
    assert not got.fake_stream, got.reasons


def test_letters_glued_to_a_brand_that_spell_no_title_are_not_read(wl: Watchlists) -> None:
    assert brand_glued_words("vegamoviesarchive of old posters", wl) == []


def test_release_tags_glued_after_the_name_are_read_not_unexplained(wl: Watchlists) -> None:
    got = brand_glued_words("movies4ubidscream72026720pwebdlx264e", wl)
    assert got[:4] == [*tokens("movies4u"), "scream", "7", "2026"]
    assert {"720p", "webdl", "x264"} <= set(got)
