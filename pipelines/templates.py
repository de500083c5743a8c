"""Fake-stream templates: phrasings such as ``watch {title} online free`` found around title
occurrences.

A page's words are rewritten with every title occurrence replaced by the marker ``{title}`` and
every year by ``{year}``; each template's words are then aligned in order around each marker,
allowing one extra word between two template words. The share of template words found is the
template's score (0-100).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.matching import TitleMatch, numberise
from pipelines.normalise import tokens
from pipelines.watchlists import TemplateSpec

__all__ = ["Template", "TemplateHit", "compile_templates", "find_templates", "marked_words"]

TITLE, YEAR = "{title}", "{year}"
_MAX_GAP = 1


@dataclass(frozen=True)
class Template:
    """A compiled template: each slot is a set of accepted words (or the title / year marker)."""

    spec: TemplateSpec
    slots: tuple[frozenset[str], ...]
    title_at: int

    @property
    def words(self) -> frozenset[str]:
        return frozenset().union(*self.slots)


@dataclass(frozen=True)
class TemplateHit:
    """A template found around one title occurrence."""

    template: Template
    score: int
    match: TitleMatch

    @property
    def weight(self) -> float:
        return self.template.spec.weight

    @property
    def reason(self) -> str:
        return f'template "{self.template.spec.pattern}" ({self.score})'


def _slot(word: str) -> frozenset[str]:
    if word in (TITLE, YEAR):
        return frozenset({word})
    return frozenset(t for alt in word.split("|") for t in numberise(tokens(alt))[:1])


def compile_templates(specs: Sequence[TemplateSpec]) -> list[Template]:
    """Normalise each template's words the way page text is normalised."""
    out = []
    for spec in specs:
        raw = (
            spec.pattern.replace("(", " ")
            .replace(")", " ")
            .replace(TITLE, f" {TITLE} ")
            .replace(YEAR, f" {YEAR} ")
        )
        slots: list[frozenset[str]] = []
        for word in raw.split():
            if word in (TITLE, YEAR) or "|" in word:
                slots.append(_slot(word))
            else:
                slots.extend(frozenset({t}) for t in numberise(tokens(word)))
        slots = [s for s in slots if s]
        out.append(Template(spec, tuple(slots), slots.index(frozenset({TITLE}))))
    return out


def marked_words(
    words: Sequence[str], matches: Sequence[TitleMatch]
) -> tuple[list[str], list[int]]:
    """``words`` with title occurrences collapsed to ``{title}`` and years to ``{year}``; marker
    positions."""
    out: list[str] = []
    positions: list[int] = []
    i = 0
    by_start = {m.start: m for m in matches}
    while i < len(words):
        m = by_start.get(i)
        if m is not None:
            positions.append(len(out))
            out.append(TITLE)
            i = m.end
            continue
        w = words[i]
        out.append(YEAR if len(w) == 4 and w.isdigit() and w[:2] in ("19", "20") else w)
        i += 1
    return out, positions


def _align(slots: Sequence[frozenset[str]], seq: Sequence[str], start: int, step: int) -> int:
    """How many of ``slots`` appear in order from ``start`` walking by ``step``, with small
    gaps."""
    found, pos, slack = 0, start, _MAX_GAP
    for slot in slots:
        for offset in range(1, slack + 2):
            p = pos + step * offset
            if 0 <= p < len(seq) and seq[p] in slot:
                found, pos, slack = found + 1, p, _MAX_GAP
                break
        else:
            slack += 1  # a missing word: the next one may sit one further away
    return found


def _score(t: Template, seq: Sequence[str], at: int) -> int:
    before = _align(t.slots[: t.title_at][::-1], seq, at, -1)
    after = _align(t.slots[t.title_at + 1 :], seq, at, 1)
    return round(100 * (1 + before + after) / len(t.slots))


def _misses_too_many(t: Template, present: set[str], min_score: float) -> bool:
    """Whether fewer of ``t``'s slots have a word on the page than ``min_score`` needs (stops at
    the first miss too many: at 80 most templates may miss one slot or none)."""
    allowed = len(t.slots) - math.ceil(min_score * len(t.slots) / 100)
    misses = 0
    for slot in t.slots:
        if slot.isdisjoint(present):
            misses += 1
            if misses > allowed:
                return True
    return misses > allowed


def find_templates(
    templates: Sequence[Template],
    seq: Sequence[str],
    positions: Sequence[int],
    matches: Sequence[TitleMatch],
    min_score: float,
) -> tuple[list[TemplateHit], int]:
    """The best hit of each template over all title occurrences (scores >= ``min_score``), and how
    many
    occurrences carry a template of three words or more (keyword stuffing repeats the title with
    suffixes)."""
    present = set(seq)
    hits: list[TemplateHit] = []
    stuffed: set[int] = set()
    for t in templates:
        if _misses_too_many(t, present, min_score):  # cheap filter before aligning
            continue
        best: TemplateHit | None = None
        for at, match in zip(positions, matches, strict=True):
            score = _score(t, seq, at)
            if score < min_score:
                continue
            if len(t.slots) >= 3:
                stuffed.add(at)
            if best is None or score > best.score:
                best = TemplateHit(t, score, match)
        if best is not None:
            hits.append(best)
    return hits, len(stuffed)
