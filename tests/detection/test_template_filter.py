"""The templates' cheap filter stops at the first miss too many and keeps the counting rule."""

from __future__ import annotations

import math
import random

from pipelines.templates import _misses_too_many, compile_templates
from pipelines.watchlists import load_watchlists


def _counted(t, present: set[str], min_score: float) -> bool:  # type: ignore[no-untyped-def]
    needed = math.ceil(min_score * len(t.slots) / 100)
    return sum(1 for s in t.slots if not s.isdisjoint(present)) < needed


def test_filter_equals_counting_the_slots() -> None:
    templates = compile_templates(load_watchlists().templates.templates)
    vocabulary = sorted({w for t in templates for slot in t.slots for w in slot})
    rng = random.Random(7)  # noqa: S311 - test words, not secrets
    kept = 0
    for _ in range(100):
        present = set(rng.sample(vocabulary, rng.randint(0, 12)))
        for min_score in (0, 50, 80, 100, 150):
            for t in templates:
                assert _misses_too_many(t, present, min_score) == _counted(t, present, min_score)
                kept += not _misses_too_many(t, present, min_score)
    assert kept > 0


def test_a_template_with_all_its_words_passes_and_none_fails() -> None:
    t = next(
        t for t in compile_templates(load_watchlists().templates.templates) if len(t.slots) > 2
    )
    every = {next(iter(slot)) for slot in t.slots}
    assert not _misses_too_many(t, every, 80)
    assert _misses_too_many(t, set(), 80)
