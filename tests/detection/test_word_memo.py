"""The title and lexicon indexes remember what each page word anchors: the answers stay those of
a fresh index, whatever pages came before and however many words were seen."""

from __future__ import annotations

import pytest

from pipelines import matching, proximity
from pipelines.matching import TitleIndex, match_tokens
from pipelines.normalise import tokens
from pipelines.proximity import LexiconIndex
from pipelines.watchlists import Title, Watchlists, load_titles, load_watchlists

TEXTS = [
    "avngrs domsday 2026 onlin free",  # anchored by skeletons
    "Watch Avengers: Doomsday (2026) full movie free online HD",
    "Iron Man 2 full movie",  # the words of Iron Man 3, another sequel: no match
    "Spidr Man Brand Nw Day 2026 strm dwnld",
    "a review of the week's releases, nothing to watch here",
    "Scream Part 7 full movie download",
    "Iron Man 3 streaming vf complet",
]


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _titles(index: TitleIndex, text: str) -> list[tuple[str, int, int, int]]:
    return [(m.title.title, m.start, m.end, m.score) for m in index.find(match_tokens(text))]


def _terms(index: LexiconIndex, text: str) -> list[tuple[int, str, str]]:
    return [(h.at, h.term.written, h.term.category) for h in index.find(tokens(text))]


def test_a_used_title_index_answers_as_a_fresh_one() -> None:
    used = TitleIndex(load_titles())
    for text in TEXTS * 2:
        _titles(used, text)
    for text in TEXTS:
        assert _titles(used, text) == _titles(TitleIndex(load_titles()), text)
    assert _titles(used, TEXTS[0])[0][0] == "Avengers: Doomsday"
    assert _titles(used, TEXTS[2]) == []


def test_a_title_index_past_its_memory_still_finds_titles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matching, "_MAX_REMEMBERED_WORDS", 3)
    index = TitleIndex([Title("Kalorven Night", 2026), *load_titles()])
    filler = " ".join(f"word{i}" for i in range(50))
    assert _titles(index, f"{filler} watch kalorven night 2026 free") == [
        ("Kalorven Night", 51, 53, 100)
    ]
    assert [t for t, *_ in _titles(index, TEXTS[0])] == ["Avengers: Doomsday"]


def test_a_used_lexicon_index_answers_as_a_fresh_one(wl: Watchlists) -> None:
    used = LexiconIndex(wl.lexicons)
    for text in TEXTS * 2:
        _terms(used, text)
    for text in TEXTS:
        assert _terms(used, text) == _terms(LexiconIndex(wl.lexicons), text)


def test_lexicon_terms_spelled_as_written_without_vowels_or_in_phrases(wl: Watchlists) -> None:
    index = LexiconIndex(wl.lexicons)
    found = _terms(index, "watch full movie free online now")
    words = {written for _, written, _ in found}
    assert {"full movie", "free", "online"} <= words
    # the phrase starting at "full" is found at its first word only
    assert all(at != 2 for at, written, _ in found if written == "full movie")
    disguised = _terms(index, "strm onlin")
    assert [at for at, *_ in disguised] == sorted(at for at, *_ in disguised)
    assert {0, 1} == {at for at, *_ in disguised}


def test_a_lexicon_index_past_its_memory_still_finds_terms(
    wl: Watchlists, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _terms(LexiconIndex(wl.lexicons), TEXTS[1])
    monkeypatch.setattr(proximity, "_MAX_REMEMBERED_WORDS", 2)
    index = LexiconIndex(wl.lexicons)
    assert _terms(index, " ".join(f"word{i}" for i in range(20))) == []
    assert _terms(index, TEXTS[1]) == fresh != []


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Жанр: ужасы. Качество (Мир): WEB-DL", {"жанр", "качество"}),  # a bracket before it
        ("Added 12:30: Genre\t: horror", {"genre"}),  # a time's colon ends no label
        ("https://x.example/ Genre: horror Quality :1080p", {"genre", "quality"}),
        ("12:30 21:00 :: -: Genre 2:", set()),
        ("(c) 2026, Смотреть Жанр (фильм, 2026) : ужасы", {"жанр"}),  # words before a label
        ("Genre (a bracket far too long to be one):", set()),
        ("Genre(x)(y): horror", set()),
    ],
)
def test_card_labels_read_every_colon_a_label_can_end_at(
    wl: Watchlists, text: str, labels: set[str]
) -> None:
    assert proximity.card_labels(text, LexiconIndex(wl.lexicons))[0] == labels


def test_numberise_past_its_memory_still_maps_every_word(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["part", "three", "iii", "hellboy", "ii", "2026", "l" * 60, "troisieme"]
    expected = ["part", "3", "3", "heiiboy", "2", "2026", "i" * 60, "3"]
    assert matching.numberise(words) == expected
    monkeypatch.setattr(matching, "_NUMBERISED", {})
    monkeypatch.setattr(matching, "_MAX_NUMBERISED", 2)
    assert matching.numberise(words) == expected
    assert matching.numberise(words) == expected
    assert len(matching._NUMBERISED) == 2


def test_remembered_word_lists_answer_as_a_fresh_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matching, "_RECENT_LISTS", 3)
    used = TitleIndex(load_titles())
    for text in TEXTS * 3:  # more lists than it remembers: some answers worked out again
        got = used.find(match_tokens(text))
        assert _titles(TitleIndex(load_titles()), text) == [
            (m.title.title, m.start, m.end, m.score) for m in got
        ]
        got.clear()  # the caller's list is its own: the next answer is whole
        assert used.find(match_tokens(text)) == TitleIndex(load_titles()).find(match_tokens(text))


def test_long_word_lists_are_matched_but_not_kept() -> None:
    index = TitleIndex(load_titles())
    words = [*match_tokens("Watch Iron Man 3 full movie"), "x" * (matching._RECENT_CHARS + 1)]
    assert [m.title.title for m in index.find(words)] == ["Iron Man 3"]
    assert index._recent == {}
    assert [m.title.title for m in index.find(words[:-1])] == ["Iron Man 3"]
    assert list(index._recent) == [tuple(words[:-1])]
