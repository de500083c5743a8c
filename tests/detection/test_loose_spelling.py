"""Loose spellings of lexicon terms (pipelines/proximity.py): spam's dropped vowels are read as
the offer word, but a word that differs from a term only by the term's final vowel is another
language's word ("second" is no Italian "secondo", "inform" no Spanish "informa"), not a misspelling of it."""

from __future__ import annotations

import pytest

from pipelines.normalise import tokens
from pipelines.proximity import LexiconIndex
from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def index() -> LexiconIndex:
    return LexiconIndex(load_watchlists().lexicons)


def _found(index: LexiconIndex, text: str) -> set[str]:
    return {hit.term.written for hit in index.find(tokens(text))}


@pytest.mark.parametrize(
    ("text", "term"),
    [("watch onlin", "online"), ("free strm", "stream"), ("dwnld now", "download")],
)
def test_spam_spellings_with_vowels_left_out_still_count(
    index: LexiconIndex, text: str, term: str
) -> None:
    assert term in _found(index, text)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("in the second half of the film", "secondo"),
        ("we inform our readers", "informa"),
        ("a legend of the screen", "legenda"),
    ],
)
def test_a_word_short_of_a_terms_final_vowel_is_another_word(
    index: LexiconIndex, text: str, term: str
) -> None:
    assert term not in _found(index, text)


def test_english_second_gives_a_doorway_no_italian_news_counter_evidence() -> None:
    wl: Watchlists = load_watchlists()
    html = (
        "<html><head><title>Scream 7 2026 1080p WEB-DL Dual Audio</title></head><body>"
        "<h1>Scream 7 2026 1080p WEB-DL Dual Audio</h1><p>The second track of a dual audio file"
        " holds the dubbed language; switch it in the player.</p></body></html>"
    )
    got = assess_page(html, "http://198.51.100.7/scream-7-2026-1080p-web-dl-dual-audio", wl)
    assert not any("secondo" in reason for reason in got.reasons), got.reasons
