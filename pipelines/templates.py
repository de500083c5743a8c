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

__all__ = [
    "Template",
    "TemplateHit",
    "TemplateIndex",
    "compile_templates",
    "find_templates",
    "marked_words",
    "template_index",
]

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
    size = len(seq)
    for slot in slots:
        p = pos
        for _ in range(slack + 1):
            p += step
            if 0 <= p < size and seq[p] in slot:
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


class TemplateIndex:
    """The templates of one list with what :func:`find_templates` asks of each, worked out once:
    the slots before the title (nearest first) and after it, and which slots each word fills.

    :meth:`kept` is the cheap filter (:func:`_misses_too_many`) for all the templates at once: a
    page's distinct words are looked up (a few hundred dict lookups) instead of testing every
    slot of 123 templates against them; same templates, in the same order.
    """

    def __init__(self, templates: Sequence[Template]) -> None:
        self.templates = tuple(templates)
        self.sides = [(t.slots[: t.title_at][::-1], t.slots[t.title_at + 1 :]) for t in templates]
        slots_of: dict[str, list[int]] = {}
        self._owner: list[int] = []  # slot number -> its template's number
        for number, t in enumerate(self.templates):
            for slot in t.slots:
                for word in slot:
                    slots_of.setdefault(word, []).append(len(self._owner))
                self._owner.append(number)
        self._slots_of = {word: tuple(slots) for word, slots in slots_of.items()}
        self._needed: dict[float, list[int]] = {}

    def same(self, templates: Sequence[Template]) -> bool:
        """Whether ``templates`` are the very templates indexed, in the same order."""
        return len(templates) == len(self.templates) and all(
            a is b for a, b in zip(templates, self.templates, strict=True)
        )

    def kept(self, present: set[str], min_score: float) -> list[int]:
        """The numbers of the templates with enough slots filled by ``present`` for
        ``min_score`` (those :func:`_misses_too_many` keeps)."""
        needed = self._needed.get(min_score)
        if needed is None:
            needed = [math.ceil(min_score * len(t.slots) / 100) for t in self.templates]
            self._needed[min_score] = needed
        filled: set[int] = set()
        slots_of = self._slots_of
        for word in present:
            slots = slots_of.get(word)
            if slots is not None:
                filled.update(slots)
        count = [0] * len(self.templates)
        owner = self._owner
        for slot in filled:
            count[owner[slot]] += 1
        return [i for i, n in enumerate(count) if n >= needed[i]]


_INDEXES: list[TemplateIndex] = []  # the last few template lists indexed
_MAX_INDEXES = 4


def template_index(templates: Sequence[Template]) -> TemplateIndex:
    """The :class:`TemplateIndex` of ``templates`` (kept for the last few lists: a watchlist
    compiles its templates once)."""
    for index in _INDEXES:
        if index.same(templates):
            return index
    index = TemplateIndex(templates)
    _INDEXES.insert(0, index)
    del _INDEXES[_MAX_INDEXES:]
    return index


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
    index = template_index(templates)
    hits: list[TemplateHit] = []
    stuffed: set[int] = set()
    for number in index.kept(set(seq), min_score):  # cheap filter before aligning
        t = index.templates[number]
        before, after = index.sides[number]
        size = len(t.slots)
        best: TemplateHit | None = None
        for at, match in zip(positions, matches, strict=True):
            found = 1 + (_align(before, seq, at, -1) if before else 0)
            if round(100 * (found + len(after)) / size) < min_score:
                continue  # below the minimum even if every word after the title is there
            if after:
                found += _align(after, seq, at, 1)
            score = round(100 * found / size)
            if score < min_score:
                continue
            if len(t.slots) >= 3:
                stuffed.add(at)
            if best is None or score > best.score:
                best = TemplateHit(t, score, match)
        if best is not None:
            hits.append(best)
    return hits, len(stuffed)
