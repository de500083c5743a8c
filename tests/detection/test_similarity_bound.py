"""The fuzzy title windows skipped by their length alone could never have scored the minimum."""

from __future__ import annotations

import random

from pipelines.matching import TitleIndex, _may_reach, _similarity
from pipelines.watchlists import Title

WORDS = ["dune", "part", "two", "3", "the", "dark", "knight", "a", "returns", "iii", "x", "hd"]


def test_a_window_judged_out_of_reach_scores_below_the_minimum() -> None:
    rng = random.Random(4)  # noqa: S311 - test words, not secrets
    skipped = reached = 0
    for _ in range(400):
        name_words = [rng.choice(WORDS) for _ in range(rng.randint(2, 4))]
        index = TitleIndex([Title(" ".join(name_words), 2024)])
        name = next(n for names in index._anchors.values() for n, _ in names)
        for _ in range(20):
            window = [rng.choice(WORDS) for _ in range(rng.randint(1, 6))]
            if rng.random() < 0.3:
                window = list(name.words)  # the name itself, and near it
                if rng.random() < 0.5:
                    window.insert(rng.randint(0, len(window)), rng.choice(WORDS))
            for minimum in (50, 80, 90, 95):
                score = _similarity(name, window)
                if _may_reach(name, window, minimum):
                    reached += score >= minimum
                else:
                    assert score < minimum, (name.key, window, minimum)
                    skipped += 1
    assert skipped > 1000 and reached > 100
