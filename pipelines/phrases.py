"""Which of many phrases occur in a text of normalised words, without testing each phrase.

A phrase occurs in a folded text (normalised words joined by single spaces) when its normalised
form stands there between spaces. Testing all the phrases of a list (calls to action, negative
contexts: a hundred or more) scans the whole page text once per phrase; :class:`PhraseSet`
first looks whether the phrase's longest word is one of the page's words (a set lookup: a phrase
whose word the page lacks cannot occur) and tests only the phrases that pass. The answer is the
same list, in the same order, as testing every phrase.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from pipelines.normalise import normalise_phrase

__all__ = ["PhraseSet", "phrase_set"]


class PhraseSet:
    """Phrases (as written) with their normalised forms, tested against folded texts."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._entries: list[tuple[str, str, str | None]] = []
        for phrase in phrases:
            norm = normalise_phrase(phrase)
            words = [w for w in norm.split(" ") if w]
            key = max(words, key=len) if words else None  # None: always tested in full
            self._entries.append((phrase, f" {norm} ", key))

    def hits(self, folded: str) -> list[str]:
        """The phrases that occur in ``folded`` (in the order they were given)."""
        padded = f" {folded} "
        words = set(padded.split(" "))
        return [
            phrase
            for phrase, needle, key in self._entries
            if (key is None or key in words) and needle in padded
        ]


_SETS: dict[int, tuple[dict[str, tuple[str, ...]], PhraseSet]] = {}
_LOCK = threading.Lock()


def phrase_set(groups: dict[str, tuple[str, ...]]) -> PhraseSet:
    """The :class:`PhraseSet` of every phrase of ``groups`` (group order, then phrase order),
    built once per groups object (a watchlist's phrase table lives as long as the watchlist)."""
    known = _SETS.get(id(groups))
    if known is not None and known[0] is groups:
        return known[1]
    built = PhraseSet(p for group in groups.values() for p in group)
    with _LOCK:
        if len(_SETS) > 64:  # watchlists reloaded many times (tests): forget the old ones
            _SETS.clear()
        _SETS[id(groups)] = (groups, built)
    return built
