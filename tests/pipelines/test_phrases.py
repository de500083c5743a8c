"""pipelines.phrases: the phrases found are those a test of every phrase finds, in order."""

from __future__ import annotations

import random

from pipelines.normalise import normalise, normalise_phrase
from pipelines.phrases import PhraseSet, phrase_set
from pipelines.watchlists import load_watchlists

PHRASES = ["watch free", "free movie", "Watch Now", "full  movie", "", "hd", "ПОСМОТРЕТЬ онлайн"]


def _every(phrases: list[str], folded: str) -> list[str]:
    padded = f" {folded} "
    return [p for p in phrases if f" {normalise_phrase(p)} " in padded]


def test_overlapping_and_repeated_phrases_are_all_found_in_order() -> None:
    folded = normalise("Watch free movie now! Watch now, HD. Посмотреть онлайн")
    got = PhraseSet(PHRASES).hits(folded)
    assert got == _every(PHRASES, folded)
    assert got[:3] == ["watch free", "free movie", "Watch Now"] and "hd" in got


def test_a_word_inside_a_longer_word_is_no_hit() -> None:
    assert PhraseSet(["hd", "watch free"]).hits(normalise("hdtv watchfree")) == []


def test_the_watchlists_phrases_on_random_texts_match_testing_every_phrase() -> None:
    wl = load_watchlists()
    groups = wl.templates.cta | wl.templates.negative
    phrases = [p for group in groups.values() for p in group]
    words = [*sorted({w for p in phrases for w in normalise_phrase(p).split()}), "x", "film"]
    rng = random.Random(5)  # noqa: S311 - test texts, not secrets
    found = 0
    for _ in range(300):
        folded = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        got = phrase_set(groups).hits(folded)
        assert got == _every(phrases, folded)
        found += len(got)
    assert found > 100  # the texts did hold phrases


def test_one_set_per_phrase_table() -> None:
    wl = load_watchlists()
    assert phrase_set(wl.templates.cta) is phrase_set(wl.templates.cta)
    assert phrase_set(wl.templates.cta) is not phrase_set(wl.templates.negative)
