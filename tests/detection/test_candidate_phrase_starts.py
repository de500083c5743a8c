"""The candidate titles' phrase search passes over words that start no phrase (the vocabulary's
``starts``); it finds the phrases trying every length at every word finds."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from pipelines.candidates import Vocabulary, _phrases, _vocabulary
from pipelines.watchlists import load_watchlists


def _plain(words: Sequence[str], vocab: Vocabulary) -> Iterator[tuple[int, int, str]]:
    at = 0
    while at < len(words):
        for size in range(min(vocab.longest, len(words) - at), 0, -1):
            kind = vocab.phrases.get(tuple(words[at : at + size]))
            if kind is not None:
                yield at, size, kind
                at += size
                break
        else:
            at += 1


def test_starts_hold_the_longest_phrase_of_each_first_word() -> None:
    vocab = Vocabulary({("watch",): "watch", ("watch", "online"): "watch", ("hd",): "quality"}, 2)
    assert vocab.starts == {"watch": 2, "hd": 1}
    assert vocab == Vocabulary(dict(vocab.phrases), 2)  # a derived field, not compared


def test_phrases_found_as_by_trying_every_length() -> None:
    vocab = _vocabulary(load_watchlists())
    phrase_words = sorted({w for words in vocab.phrases for w in words})
    rng = random.Random(9)  # noqa: S311 - test words, not secrets
    found = 0
    for _ in range(2000):
        words = [
            rng.choice([*phrase_words, "dune", "the", "2026", "x"])
            for _ in range(rng.randint(0, 25))
        ]
        for phrase in rng.sample(sorted(vocab.phrases), 2):  # whole phrases, overlapping too
            at = rng.randint(0, len(words))
            words[at:at] = phrase
        expected = list(_plain(words, vocab))
        assert list(_phrases(words, vocab)) == expected
        found += len(expected)
    assert found > 1000
