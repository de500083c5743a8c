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


def test_the_index_keeps_what_the_filter_keeps() -> None:
    """TemplateIndex.kept gives the templates _misses_too_many lets through, in their order."""
    from pipelines.templates import template_index

    templates = compile_templates(load_watchlists().templates.templates)
    index = template_index(templates)
    assert template_index(templates) is index and index.same(templates)
    assert not index.same(templates[::-1]) and not index.same(templates[:-1])
    vocabulary = sorted({w for t in templates for slot in t.slots for w in slot})
    rng = random.Random(11)  # noqa: S311 - test words, not secrets
    kept = 0
    for _ in range(200):
        present = set(rng.sample(vocabulary, rng.randint(0, 14))) | {"unrelated", "words"}
        for min_score in (0, 50, 80, 100, 150):
            plain = [
                i for i, t in enumerate(templates) if not _misses_too_many(t, present, min_score)
            ]
            assert index.kept(present, min_score) == plain
            kept += len(plain)
    assert kept > 0


def test_find_templates_scores_as_the_plain_alignment() -> None:
    """find_templates (index, precomputed sides) gives the hits of scoring every template that
    passes _misses_too_many with _score at every title occurrence."""
    from pipelines.matching import TitleMatch
    from pipelines.templates import TITLE, _score, find_templates
    from pipelines.watchlists import Title

    templates = compile_templates(load_watchlists().templates.templates)
    vocabulary = sorted({w for t in templates for slot in t.slots for w in slot} - {TITLE})
    rng = random.Random(5)  # noqa: S311 - test words, not secrets
    title = Title("Some Film", 2024)
    found = 0
    for _ in range(150):
        seq = [rng.choice([*vocabulary, "filler", "other"]) for _ in range(rng.randint(1, 30))]
        positions = sorted(rng.sample(range(len(seq)), rng.randint(1, min(4, len(seq)))))
        for at in positions:
            seq[at] = TITLE
        matches = [TitleMatch(title, title.title, 100, at, at + 1) for at in positions]
        for min_score in (50, 80):
            hits, stuffed = find_templates(templates, seq, positions, matches, min_score)
            plain: list[tuple[str, int, int]] = []
            plain_stuffed: set[int] = set()
            for t in templates:
                if _misses_too_many(t, set(seq), min_score):
                    continue
                best: tuple[str, int, int] | None = None
                for at in positions:
                    score = _score(t, seq, at)
                    if score < min_score:
                        continue
                    if len(t.slots) >= 3:
                        plain_stuffed.add(at)
                    if best is None or score > best[1]:
                        best = (t.spec.pattern, score, at)
                if best is not None:
                    plain.append(best)
            assert [(h.template.spec.pattern, h.score, h.match.start) for h in hits] == plain
            assert stuffed == len(plain_stuffed)
            found += len(plain)
    assert found > 0
