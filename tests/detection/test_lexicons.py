"""lexicons.yaml and legal_services.yaml: loaded with the page normaliser, broken files named by
line; Thai, Devanagari and Bengali words kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.exceptions import WatchlistError
from pipelines.legal import load_legal_services
from pipelines.normalise import tokens
from pipelines.watchlists import check_watchlists, load_watchlists
from pipelines.watchlists.lexicons import load_lexicons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("फुल मूवी डाउनलोड", ["फुल", "मूवी", "डाउनलोड"]),
        ("অনলাইনে দেখুন", ["অনলাইনে", "দেখুন"]),
        ("ดูหนังออนไลน์ฟรี Avengers", ["ดูหนังออนไลน์ฟรี", "avengers"]),
        ("مُترجَم", tokens("مترجم")),  # Arabic vowel points fold away like accents
        ("Troisième M4n 0f St33l", ["troisieme", "man", "of", "steel"]),
    ],
)
def test_words_keep_their_vowel_signs(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_shipped_lexicons_cover_the_issue_languages() -> None:
    lexicons = load_lexicons()
    wanted = "en es pt fr it de nl pl ru uk tr id vi th hi ar".split()
    assert set(wanted) <= set(lexicons.languages)
    thai = [t for t in lexicons.terms if t.lang == "th"]
    assert thai and all(t.substring for t in thai)
    hindi = {t.words for t in lexicons.terms if t.lang == "hi"}
    assert ("फुल", "मूवी") in hindi


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicons.yaml"
    path.write_text(text, encoding="utf-8")
    return path


_HEAD = (
    "categories:\n  watch: {polarity: offer, weight: 10}\n"
    "  review: {polarity: negative, weight: -5}\n"
)


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ("languages:\n  en:\n    watch: [watch]\n    sing: [la]\n", 7, "unknown key"),
        ("languages:\n  en:\n    watch: [watch, watch]\n", 6, "repeats"),
        ("languages:\n  en:\n    watch: ['...']\n", 6, "no word"),
        ("languages:\n  en:\n    watch: [{t: see, w: -3}]\n", 6, "sign"),
        ("languages:\n  en:\n    watch: []\n", 6, "non-empty"),
    ],
)
def test_a_broken_lexicon_names_its_line(
    tmp_path: Path, body: str, line: int, problem: str
) -> None:
    path = _write(tmp_path, _HEAD + body)
    with pytest.raises(WatchlistError) as caught:
        load_lexicons(path)
    assert f"{path}:{line}:" in str(caught.value)
    assert problem in str(caught.value)


def test_a_negative_category_needs_a_negative_weight(tmp_path: Path) -> None:
    path = _write(tmp_path, "categories:\n  review: {polarity: negative, weight: 5}\n")
    with pytest.raises(WatchlistError, match=r":2: .*negative weight"):
        load_lexicons(path)


def test_watchlists_carry_lexicons_and_legal_services() -> None:
    wl = load_watchlists()
    assert wl.lexicons.terms
    assert wl.legal.services
    assert check_watchlists() == []


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://tubitv.com/movies/100-man-of-steel", "Tubi"),
        ("https://www.bbc.co.uk/iplayer/episode/x", "BBC iPlayer"),
        ("https://www.bbc.co.uk/news/entertainment", None),  # the path decides on a shared host
        ("https://therokuchannel.roku.com/details/x", "The Roku Channel"),
        ("https://my.roku.com/account", None),
        ("https://www.youtube.com/watch?v=x", None),  # anyone uploads there
        ("https://tubitv.com.free-movies.example/watch", None),
    ],
)
def test_a_page_hosted_by_a_legal_service(url: str, service: str | None) -> None:
    found = load_legal_services().hosting(url)
    assert (found.name if found else None) == service


def test_a_legal_domain_that_is_not_registrable_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "legal.yaml"
    path.write_text(
        "services:\n  - name: X\n    names: [X]\n    kind: public\n"
        "    domains: [play.example.co.uk]\n",
        encoding="utf-8",
    )
    with pytest.raises(WatchlistError, match=r"legal.yaml:5: .*not a registrable domain"):
        load_legal_services(path)
