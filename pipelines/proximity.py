"""Evidence by proximity: offer words of any language within a window of words around a title.

Real fake-stream pages put site names, years, brackets and local titles between the film and the
offer ("Title (фильм 2015) смотреть онлайн – SiteName"), so contiguous templates miss them. Here
every term of ``lexicons.yaml`` is found once in the page's words; each title occurrence then
collects the offer terms within :data:`BEFORE` words before it and :data:`AFTER` after it, in any
order. A category (watch, free, quality ...) counts once per occurrence, at its strongest term;
the best occurrence is the page's offer evidence. Catalogue furniture (label blocks, episode
lists, players) counts per page, weakly. Negative terms (trailer, review, box office, news, scam
warning, "now streaming on") lower the score by their weights; legal services (by name near the
title, by link, or as the page's own host) are evidence against a fake stream.

Plain functions over words and watchlist objects; the weights are the lexicon's and
``thresholds.yaml``'s ``fake_weights``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipelines.legal import LegalFile, Service
from pipelines.matching import TitleMatch, numberise, skeleton, vowel_dropped
from pipelines.normalise import tokens
from pipelines.watchlists.lexicons import LexiconFile, Term

__all__ = [
    "AFTER",
    "BEFORE",
    "Evidence",
    "LexiconIndex",
    "TermHit",
    "card_labels",
    "proximity_evidence",
]

#: Words before and after a title occurrence where offer words count for it.
BEFORE, AFTER = 12, 30
_MAX_OCCURRENCES = 200  # title occurrences weighed per page (bounds the work on stuffed pages)
_PER_CATEGORY = 2  # distinct negative / structure terms counted per category
_THAI = range(0x0E00, 0x0E80)
_EXACT = 100  # the title-match score of an occurrence spelled as watched
# offer words that are also page furniture wherever they sit ("Server 1", "Плеер 2")
_FURNITURE = frozenset({"server"})
# categories whose terms, written as "Label:", make the information card of a catalogue page
_CARD = frozenset({"catalogue", "episode", "file_label"})
_FILE = "file_label"  # labels of the copy (quality, translation, added): read only on a card
# up to three words (and a bracket: "Премьера (Мир):") right before a colon
_WORD = r"[^\W\d_][^\W\d_'’.-]*"
_LABEL = re.compile(rf"({_WORD}(?:[ \t]{_WORD}){{0,2}})[ \t]*(?:\([^()]{{0,16}}\))?[ \t]*$")
_LOOK_BACK = 64  # characters read before a colon for its label
_MAX_LABELS = 400  # "Label:" candidates read per page
# distinct page words whose terms an index remembers, and the longest word remembered
_MAX_REMEMBERED_WORDS = 200_000
_MAX_REMEMBERED_CHARS = 40
# the terms that may start at one word: (phrases beginning with it, one-word terms)
_WordTerms = tuple[tuple[tuple[tuple[str, ...], Term], ...], tuple[Term, ...]]


@dataclass(frozen=True)
class TermHit:
    """A lexicon term found at a word position."""

    at: int
    term: Term


@dataclass
class Evidence:
    """What proximity found: offer and negative scores and readable reasons."""

    offer: float = 0
    structure: float = 0
    negative: float = 0
    legal: float = 0
    reasons: list[str] = field(default_factory=list)
    legal_host: str | None = None


class LexiconIndex:
    """The lexicon's terms indexed by first word (matching form); unspaced terms apart."""

    def __init__(self, lexicons: LexiconFile) -> None:
        self.categories = lexicons.categories
        self._by_first: dict[str, list[tuple[tuple[str, ...], Term]]] = defaultdict(list)
        self._inside: list[tuple[str, Term]] = []
        # one-word terms by skeleton: spam writes "onlin", "strm", "dwnld" for the offer too
        self._by_skeleton: dict[str, list[Term]] = defaultdict(list)
        self._by_word: dict[str, _WordTerms] = {}
        strongest: dict[tuple[tuple[str, ...], str], Term] = {}
        for term in lexicons.terms:  # a word shared by languages ("hd") counts once per category
            key = (term.words, term.category)
            if key not in strongest or abs(term.weight) > abs(strongest[key].weight):
                strongest[key] = term
        for (words, _), term in strongest.items():
            if term.substring:
                self._inside.append(("".join(words), term))
            else:
                self._by_first[words[0]].append((words, term))
                if len(words) == 1 and words[0].isalpha() and len(skeleton(words[0])) >= 4:
                    self._by_skeleton[skeleton(words[0])].append(term)

    def label(self, words: tuple[str, ...]) -> Term | None:
        """The card term (catalogue, episode or copy label) spelled exactly ``words``; a label
        of the copy first ("quality" is both)."""
        if not words:
            return None
        found = [
            term
            for phrase, term in self._by_first.get(words[0], ())
            if phrase == words and term.category in _CARD
        ]
        return max(found, key=lambda t: t.category == _FILE, default=None)

    def find(self, words: Sequence[str]) -> list[TermHit]:
        """Every term in ``words`` (normalised, not :func:`numberise`-d: "première" is no "1"),
        in page order."""
        hits: list[TermHit] = []
        starting = self._starting(set(words))
        for at in [i for i, w in enumerate(words) if w in starting]:
            phrases, terms = starting[words[at]]
            for phrase, term in phrases:
                if len(phrase) == 1 or tuple(words[at : at + len(phrase)]) == phrase:
                    hits.append(TermHit(at, term))
            hits += [TermHit(at, term) for term in terms]
        return hits

    def _starting(self, distinct: set[str]) -> dict[str, _WordTerms]:
        """The words of ``distinct`` a term may start at, with the terms: the page is then
        walked only where one may."""
        out: dict[str, _WordTerms] = {}
        for word in distinct:
            known = self._by_word.get(word)
            if known is None:
                known = self._word_terms(word)
            if known[0] or known[1]:
                out[word] = known
        return out

    def _word_terms(self, word: str) -> _WordTerms:
        """The terms that may start at ``word``: phrases beginning with it (the words after are
        checked in place), and the one-word terms it spells without vowels or holds (Thai),
        remembered per word."""
        exact = self._by_first.get(word, [])
        terms: list[Term] = []
        if not exact and len(word) >= 4 and word.isalpha():
            candidates = self._by_skeleton.get(skeleton(word), ())
            terms += [term for term in candidates if _misspelt(word, term.words[0])]
        if self._inside and ord(word[0]) in _THAI:
            terms += [term for text, term in self._inside if text in word]
        known = (tuple(exact), tuple(terms))
        if len(self._by_word) < _MAX_REMEMBERED_WORDS and len(word) <= _MAX_REMEMBERED_CHARS:
            self._by_word[word] = known
        return known


def _misspelt(word: str, full: str) -> bool:
    """Whether ``word`` is a loose spelling of the term ``full``: vowels (or a doubled letter)
    left out, as spam writes "onlin", "strm", "dwnld". Leaving out only the term's last letters,
    a final vowel other than a silent "e", spells a different word instead: the ending is what
    tells sibling languages' words apart (English "second" and "guard" are no Italian "secondo",
    "guarda"; French "complet" no "completo"), and "onlin" still is "online"."""
    if not vowel_dropped(word, full):
        return False
    ending = full[len(word) :]
    return not (full.startswith(word) and ending.strip("e") and ending.strip("aeiou") == "")


def card_labels(
    text: str, index: LexiconIndex, cells: Sequence[str] = ()
) -> tuple[set[str], bool]:
    """The catalogue labels of ``text`` written as "Label:" entries (``Жанр:``, ``Quality:``)
    or standing as label ``cells`` (a table row's header, a definition term), and whether one
    of them describes the copy (quality, translation, added) rather than the film. Pirate
    catalogue pages show the film as such a card; prose naming a genre does not."""
    found: set[str] = set()
    copy = False
    for cell in cells[:_MAX_LABELS]:
        term = _label_term(tokens(cell.rstrip(": ")), index)
        if term is not None:
            found.add(term.written)
            copy = copy or term.category == _FILE
    colon = text.find(":")
    for _ in range(_MAX_LABELS):
        if colon < 0:
            break
        start = max(0, colon - _LOOK_BACK)
        m = _LABEL.search(text, _label_from(text, start, colon), colon)
        colon = text.find(":", colon + 1)
        if m is None:
            continue
        term = _label_term(tokens(m.group(1)), index)
        if term is not None:
            found.add(term.written)
            copy = copy or term.category == _FILE
    return found, copy


def _label_from(text: str, start: int, colon: int) -> int:
    """Where in ``text[start:colon]`` a :data:`_LABEL` ending at the colon may start at the
    earliest: after the last character that is neither a letter nor a space or tab, outside the
    bracket at the end (searching from there finds the same label, trying far fewer starts)."""
    body = text[start:colon].rstrip(" \t")
    if body.endswith(")"):
        opening = body.rfind("(")
        body = body[:opening] if opening >= 0 else body
    for i in range(len(body) - 1, -1, -1):
        char = body[i]
        if char not in " \t" and not (char.isalnum() and not char.isdecimal()):
            return start + i + 1
    return start


def _label_term(words: list[str], index: LexiconIndex) -> Term | None:
    """The card term the label ``words`` end with ("Смотреть Жанр" -> "жанр")."""
    for start in range(len(words)):
        term = index.label(tuple(words[start:]))
        if term is not None:
            return term
    return None


def _polarity(index: LexiconIndex, hit: TermHit) -> str:
    return index.categories[hit.term.category].polarity


def _occurrence_offer(hits: Sequence[TermHit], index: LexiconIndex) -> dict[str, TermHit]:
    """The strongest offer term of each category among ``hits``."""
    return _strongest([h for h in hits if _polarity(index, h) == "offer"])


def _strongest(offers: Sequence[TermHit]) -> dict[str, TermHit]:
    """The strongest term of each category among ``offers`` (the first of equal weights)."""
    best: dict[str, TermHit] = {}
    for hit in offers:
        known = best.get(hit.term.category)
        if known is None or hit.term.weight > known.term.weight:
            best[hit.term.category] = hit
    return best


def _best_offer(
    hits: list[TermHit], matches: Sequence[TitleMatch], index: LexiconIndex
) -> dict[str, TermHit]:
    """The offer evidence around the title occurrence that has the most."""
    offers = [h for h in hits if _polarity(index, h) == "offer"]  # all the others are ignored
    starts = [h.at for h in offers]
    best: dict[str, TermHit] = {}
    most = 0.0
    for m in matches[:_MAX_OCCURRENCES]:
        lo = bisect_left(starts, m.start - BEFORE)
        hi = bisect_left(starts, m.end + AFTER)
        near = [h for h in offers[lo:hi] if not m.start <= h.at < m.end]
        found = _strongest(near)  # offers already
        weight = sum(h.term.weight for h in found.values())
        if weight > most:
            best = found
            most = weight
    return best


def _page_terms(
    hits: Sequence[TermHit], index: LexiconIndex, polarity: str, also: frozenset[str] = frozenset()
) -> list[Term]:
    """Distinct terms of ``polarity`` (or of a category in ``also``) on the page, at most
    :data:`_PER_CATEGORY` per category."""
    per: dict[str, list[Term]] = defaultdict(list)
    for hit in hits:
        if _polarity(index, hit) != polarity and hit.term.category not in also:
            continue
        chosen = per[hit.term.category]
        if len(chosen) < _PER_CATEGORY and all(t.words != hit.term.words for t in chosen):
            chosen.append(hit.term)
    return [t for terms in per.values() for t in terms]


def _own_occurrences(
    matches: Sequence[TitleMatch], title: str, words: Sequence[str]
) -> list[TitleMatch]:
    """The exact occurrences of ``title``; none when most of them name another work."""
    exact = [m for m in matches if m.title.title == title and (m.score >= _EXACT or m.spelled)]
    if not exact:
        return []
    # the matcher skips "Street Fighter 6" for "Street Fighter"; such spellings still count here
    name = tuple(words[exact[0].start : exact[0].end])
    others = sum(
        1
        for i, word in enumerate(words)
        if word == name[0]
        and tuple(words[i : i + len(name)]) == name
        and _numbered(i, name, words, title)
    )
    return exact if len(exact) > others else []


def _numbered(at: int, name: tuple[str, ...], words: Sequence[str], title: str) -> bool:
    """Whether the name at ``at`` is followed by a number the title does not have: another work
    ("Street Fighter 6" for the film "Street Fighter"); a season's number is none ("Title 1
    сезон", "Title 2. Staffel")."""
    end = at + len(name)
    after = words[end] if end < len(words) else ""
    if not (after.isdigit() and len(after) <= 2) or title.rstrip().endswith(after):
        return False
    return end + 1 >= len(words) or words[end + 1] not in _SEASON_WORDS


#: Words after a number that make it a season's: "Title 1 сезон" is the series, not "Title 1"
_SEASON_WORDS = frozenset(
    tokens("сезон сезона сезоны серия серии sezon sezonu staffel saison season temporada stagione")
)


def _card(
    ev: Evidence, text: str, cells: Sequence[str], index: LexiconIndex, weights: Any
) -> None:
    """A catalogue card on a page naming the film: the page presents the film as a catalogue
    item; labels of the copy (quality, translation, added episodes) say it offers the copy."""
    labels, copy = card_labels(text, index, cells)
    if len(labels) < weights.get("card_min_labels", 4):
        return
    card = weights.get("catalogue_card", 30) + (weights.get("card_copy", 15) if copy else 0)
    ev.structure += card
    shown = ", ".join(sorted(labels)[:6])
    kind = "with labels of the copy" if copy else "of the film"
    ev.reasons.append(f"catalogue card {kind}: {shown} (+{card:.0f})")


def _names(heading_words: Sequence[str], words: Sequence[str], match: TitleMatch) -> bool:
    """Whether the page title / headings spell the title as ``match`` found it in ``words``."""
    name = list(numberise(list(words[match.start : match.end])))
    heading = numberise(list(heading_words))
    size = len(name)
    return size > 0 and any(heading[i : i + size] == name for i in range(len(heading)))


def _windows(words: Sequence[str], matches: Sequence[TitleMatch]) -> list[tuple[str, ...]]:
    """The words around each title occurrence."""
    return [
        tuple(words[max(0, m.start - BEFORE) : m.end + AFTER]) for m in matches[:_MAX_OCCURRENCES]
    ]


def _named_service(windows: Sequence[tuple[str, ...]], legal: LegalFile) -> Service | None:
    """A legal service named in one of ``windows`` (guides and video platforms excepted: pirate
    pages quote IMDb and YouTube)."""
    for window in windows:
        found = legal.named(window)
        if found is not None:
            return found
    return None


def _any_service(words: Sequence[str], legal: LegalFile) -> bool:
    """Whether any legal service (guides and video platforms excepted) is named on the page."""
    return legal.named(words) is not None


def _legal(
    ev: Evidence, url: str, links: Sequence[str], framed: bool, named: Any, wl: Any
) -> None:
    weights = wl.thresholds.fake_weights
    legal: LegalFile = wl.legal
    host = legal.hosting(url)
    if host is not None:
        ev.legal_host = host.name
        ev.legal += weights.get("legal_host", -100)
        ev.reasons.append(f"page served by {host.name}, a legal service")
        return
    if named is not None and (framed or named.kind in ("free_ads", "public", "library")):
        ev.legal += weights.get("legal_named", -40)
        ev.reasons.append(f"points to {named.name}, a legal service, next to the title")
        return
    linked = next((s for s in map(legal.linked, links) if s is not None), None)
    if linked is not None and framed:
        ev.legal += weights.get("legal_link", -30)
        ev.reasons.append(f"links to {linked.name}, a legal service")


def proximity_evidence(
    words: Sequence[str],
    matches: Sequence[TitleMatch],
    title: str,
    url: str,
    links: Sequence[str],
    wl: Any,
    heading_words: Sequence[str] = (),
    text: str = "",
    cells: Sequence[str] = (),
) -> Evidence:
    """The proximity evidence of a page for ``title`` (one of ``matches``, found in the
    :func:`numberise`-d ``words``); ``words`` and ``heading_words`` (the page title's and
    headings') as :func:`pipelines.normalise.tokens` gives them; ``text`` the page's visible
    text, and ``cells`` its label cells, read for a catalogue card ("Жанр: ... Качество:
    WEB-DL")."""
    index: LexiconIndex = wl.compiled("lexicon_index", lambda w: LexiconIndex(w.lexicons))
    weights = wl.thresholds.fake_weights
    hits = index.find(words)
    # exact occurrences only: fuzzy ones ignore word order ("server 3 Iron Man 2" ~ "Iron Man 3")
    own = _own_occurrences(matches, title, words)
    ev = Evidence()
    offer = _best_offer(hits, own, index)
    site_page = False
    if own:
        # the page names the film; its title bar and headings say what it offers, even when the
        # watched spelling sits in a label block far below a local title
        headline = _occurrence_offer(index.find(heading_words), index)
        offer = {**headline, **offer}
        site_page = "site" in headline and _names(heading_words, words, own[0])
    if offer:
        ev.offer = sum(h.term.weight for h in offer.values()) * weights.get("offer_factor", 1)
        shown = ", ".join(f"{h.term.written} ({h.term.category})" for h in offer.values())
        ev.reasons.append(f"offer words near the title: {shown} (+{ev.offer:.0f})")
    if site_page:  # "ЛордФильм » Сериалы » Title": the page presents itself as the site's copy
        bonus = weights.get("site_headline", 25)
        ev.offer += bonus
        ev.reasons.append(f"a pirate site's name and the title head the page (+{bonus:.0f})")
    structure = _page_terms(hits, index, "structure", _FURNITURE) if own else []
    structure = [t for t in structure if t.category != _FILE]
    if structure:
        total = sum(t.weight for t in structure)
        ev.structure = min(total, weights.get("structure_cap", 20))
        shown = ", ".join(t.written for t in structure[:6])
        ev.reasons.append(f"catalogue furniture: {shown} (+{ev.structure:.0f})")
    if own and (text or cells):
        _card(ev, text, cells, index, weights)
    if not _any_service(words, wl.legal):  # "disponible en: Latino" points to no service
        hits = [h for h in hits if h.term.category != "legal_frame"]
    negatives = _page_terms(hits, index, "negative")
    if negatives:
        total = sum(t.weight for t in negatives) * weights.get("negative_factor", 1)
        ev.negative = max(total, weights.get("negative_cap", -100))
        shown = ", ".join(t.written for t in negatives[:5])
        ev.reasons.append(f"context: {shown} ({ev.negative:+.0f})")
    framed = any(t.category == "legal_frame" for t in negatives)
    # near the title, or in the page title and headings of a page naming it
    windows = _windows(words, own) + ([tuple(heading_words)] if own else [])
    named = _named_service(windows, wl.legal)
    _legal(ev, url, links, framed, named, wl)
    return ev
