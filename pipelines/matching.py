"""Fuzzy title matching with rapidfuzz, behind an inverted index so cost stays flat as the
watchlist grows.

Every name of a watched title (title and aliases) is normalised (:mod:`pipelines.normalise`),
numbers written as words or roman numerals become digits ("Part Three" = "Part III" = "Part 3"),
and the name is filed under its two rarest words. A page's words are looked up in that index; only
the names whose anchor words occur are compared, with rapidfuzz, against the words around each
anchor. Word order and punctuation are ignored, sequel numbers are not: every number of the name
must be in the window and no other number may follow the title ("Iron Man 2" is not "Iron Man 3";
"Moana 2" is not "Moana").

Spam disguises titles by dropping vowels ("Avngrs Domsday", "Spidr Man Brand Nw Day"): each word
also has a skeleton (first letter, then its consonants, runs collapsed), the index is also keyed by
the anchors' skeletons, and the cheap filters count a word present when its skeleton is. rapidfuzz
still decides. A filler "Part" the name lacks ("Scream Part 7" for "Scream 7") is compared without.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipelines.normalise import tokens
from pipelines.watchlists import Title

__all__ = ["TitleIndex", "TitleMatch", "match_tokens", "names_by_title", "numberise"]

_NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "deux": "2",
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "zwei": "2",
    "drei": "3",
    "vier": "4",
    "funf": "5",
    "dois": "2",
    "quattro": "4",
    "cinque": "5",
    "tiga": "3",
    "empat": "4",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "v": "5",
    "x": "10",
    "xi": "11",
    "xii": "12",
    "xiii": "13",
    "one": "1",
    "un": "1",
    "uno": "1",
    "eins": "1",
}
# Ordinals used in subtitles ("Part Three", "Troisième partie", "Parte Tres").
_ORDINALS = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "premiere": "1",
    "deuxieme": "2",
    "troisieme": "3",
    "segunda": "2",
    "tercera": "3",
    "terceira": "3",
    "zweiter": "2",
    "dritter": "3",
    "seconda": "2",
    "terza": "3",
}
_STOP = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "and",
        "le",
        "la",
        "les",
        "el",
        "los",
        "las",
        "der",
        "die",
        "das",
        "o",
        "os",
        "il",
        "lo",
        "de",
        "du",
        "des",
        "del",
        "e",
        "y",
        "et",
        "und",
        "part",
        "partie",
        "parte",
        "teil",
        "bagian",
        "movie",
        "film",
    }
)


def numberise(words: Iterable[str]) -> list[str]:
    """Map number words and roman numerals to digits; the ``l``/``i`` homoglyph pair is unified."""
    known = _NUMBERISED.get
    return [known(w) or _learn(w) for w in words]


def _numberised(word: str) -> str:
    """One word in matching form."""
    number = _NUMBER_WORDS.get(word) or _ORDINALS.get(word)
    # Unicode calls l, I and 1 confusable; so do we (after the numeral lookup: "ill" is no "iii")
    return number or (word.replace("l", "i") if "l" in word else word)


#: Words up to this length are memoised (pages repeat their words, phrases are re-read); a
#: longer one (a hostile page's endless "word") is never kept.
_MEMO_CHARS = 40
#: Distinct words numberise remembers (a dict lookup is twice as fast as an LRU cache's call);
#: past it, new words are worked out each time.
_MAX_NUMBERISED = 65536
_NUMBERISED: dict[str, str] = {}


def _learn(word: str) -> str:
    """:func:`_numberised`, remembered for an ordinary word while there is room."""
    out = _numberised(word)
    if len(word) <= _MEMO_CHARS and len(_NUMBERISED) < _MAX_NUMBERISED:
        _NUMBERISED[word] = out
    return out


_VOWELS = frozenset("aeiou")
#: Skeletons at least this long are index keys ("spdr", "vngrs"); shorter ones ("nw", "mn") only
#: count a word present in the filters.
_SKELETON_ANCHOR = 4
#: Words spam inserts before a sequel number ("Scream Part 7"); dropped from a window when the
#: name does not have them.
_FILLERS = frozenset({"part", "partie", "parte", "teil", "bagian", "chapter", "capitulo"})
#: Distinct page words whose anchored names an index remembers (about 30 MB at most); past it,
#: a word's names are looked up afresh each time.
_MAX_REMEMBERED_WORDS = 200_000


def _skeleton_of(word: str) -> str:
    """``avengers`` → ``avngrs``, ``avngrs`` → ``avngrs``, ``doomsday`` → ``dmsdy``."""
    if not word.isalpha():
        return word
    out = [word[0]]
    for c in word[1:]:
        if c not in _VOWELS and c != out[-1]:
            out.append(c)
    return "".join(out)


_skeleton = lru_cache(maxsize=65536)(_skeleton_of)


def skeleton(word: str) -> str:
    """The word's consonant skeleton (memoised for ordinary words)."""
    return _skeleton(word) if len(word) <= _MEMO_CHARS else _skeleton_of(word)


def vowel_dropped(word: str, full: str) -> bool:
    """Whether ``word`` is ``full`` with some vowels (or a doubled letter) left out: ``onlin`` of
    ``online``, ``domsday`` of ``doomsday``; ``storm`` is no ``stream``."""
    if len(word) >= len(full) or not word or word[0] != full[0]:
        return False
    i = 0
    for j, c in enumerate(full):
        if i < len(word) and word[i] == c:
            i += 1
        elif c not in _VOWELS and not (j and full[j - 1] == c):
            return False
    return i == len(word)


def _is_number(word: str) -> bool:
    return word.isdigit() and len(word) <= 2


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


@dataclass(frozen=True)
class _Name:
    title: Title
    name: str  # as written in the watchlist
    words: tuple[str, ...]
    key: str  # words joined, for rapidfuzz
    sorted_key: str
    numbers: tuple[str, ...]
    variant: bool = False  # words joined by us ("ironman"): only ever matched exactly


@dataclass(frozen=True)
class TitleMatch:
    """A watched title found in a text: which name matched, how well, and where (word
    positions)."""

    title: Title
    name: str
    score: int
    start: int
    end: int  # exclusive
    #: the name's words in its order, some written without vowels ("avngrs domsday"): as good
    #: as an exact occurrence for evidence that depends on word order
    spelled: bool = False

    @property
    def reason(self) -> str:
        return f'title≈"{self.title.title}" ({self.score})'


#: Word lists up to this long have their matches remembered, the last few of them (a page's
#: title and headings; a whole page's text is matched once).
_RECENT_WORDS = 512
_RECENT_CHARS = 16_384  # and this many characters: a hostile page's long words are not kept
_RECENT_LISTS = 16


class TitleIndex:
    """Watched titles indexed by their rarest words; :meth:`find` returns every occurrence in a
    text."""

    def __init__(self, titles: Sequence[Title], min_score: float = 90) -> None:
        self.min_score = min_score
        names = [self._name(t, v, v != n) for t in titles for n in t.names for v in _variants(n)]
        names = [n for n in names if n.words]
        df = Counter(w for n in names for w in set(n.words))
        self._anchors: dict[str, list[tuple[_Name, int]]] = defaultdict(list)
        self._skeleton_anchors: dict[str, list[tuple[_Name, int]]] = defaultdict(list)
        common = max(
            8, len(names) // 500
        )  # a second anchor only when it is rare too (keeps lookups flat)
        self._by_word: dict[str, tuple[tuple[_Name, int], ...]] = {}
        self._recent: dict[tuple[str, ...], tuple[TitleMatch, ...]] = {}
        for n in names:
            for pos in self._anchor_positions(n, df, common):
                self._anchors[n.words[pos]].append((n, pos))
                key = skeleton(n.words[pos])
                if not n.variant and len(n.words) >= 2 and len(key) >= _SKELETON_ANCHOR:
                    self._skeleton_anchors[key].append((n, pos))

    def _anchored(self, distinct: set[str]) -> dict[str, tuple[tuple[_Name, int], ...]]:
        """The words of ``distinct`` that anchor a name, with the names: most page words anchor
        none, and the page is then walked only where one does."""
        out: dict[str, tuple[tuple[_Name, int], ...]] = {}
        for word in distinct:
            names = self._by_word.get(word)
            if names is None:
                names = self._candidates(word)
            if names:
                out[word] = names
        return out

    def _candidates(self, word: str) -> tuple[tuple[_Name, int], ...]:
        """The names anchored at ``word``, as written or by its skeleton (a vowel-dropped
        spelling), remembered per word: pages repeat their words and share most of them."""
        found = tuple(self._anchors.get(word, ()))
        if self._skeleton_anchors and word.isalpha() and len(word) >= _SKELETON_ANCHOR:
            found += tuple(self._skeleton_anchors.get(skeleton(word), ()))
        if len(self._by_word) < _MAX_REMEMBERED_WORDS and len(word) <= _MEMO_CHARS:
            self._by_word[word] = found
        return found

    @staticmethod
    def _name(title: Title, name: str, variant: bool = False) -> _Name:
        words = tuple(numberise(tokens(name)))
        numbers = tuple(w for w in words if _is_number(w))
        return _Name(
            title, name, words, " ".join(words), " ".join(sorted(words)), numbers, variant
        )

    @staticmethod
    def _anchor_positions(name: _Name, df: Counter[str], common: int) -> list[int]:
        """The rarest content word, and the second rarest unless common (one typo still finds the
        name)."""
        content = [i for i, w in enumerate(name.words) if w not in _STOP and not _is_number(w)]
        content = content or list(range(len(name.words)))
        content.sort(key=lambda i: (df[name.words[i]], -len(name.words[i])))
        return content[:1] + [i for i in content[1:2] if df[name.words[i]] <= common]

    def find(self, words: Sequence[str]) -> list[TitleMatch]:
        """Every title occurrence in ``words`` (already :func:`numberise`-d), best match per
        position.

        The answers for short word lists are remembered (a few): a page's headings are looked up
        by more than one rule of a verdict."""
        if len(words) > _RECENT_WORDS or sum(map(len, words)) > _RECENT_CHARS:
            return self._find(words)
        key = tuple(words)
        known = self._recent.get(key)
        if known is None:
            known = tuple(self._find(words))
            if len(self._recent) >= _RECENT_LISTS:
                self._recent.clear()
            self._recent[key] = known
        return list(known)

    def _find(self, words: Sequence[str]) -> list[TitleMatch]:
        best: dict[tuple[str, int], TitleMatch] = {}
        other_year: set[str] = set()
        present = _Present(words)
        plausible: dict[int, bool] = {}
        tried: set[tuple[int, int]] = set()
        covered: dict[
            str, set[int]
        ] = {}  # positions a title already matched at: no fuzzy retry there
        anchored = self._anchored(present.words)
        for pos in [i for i, w in enumerate(words) if w in anchored]:
            for name, k in anchored[words[pos]]:
                ident = id(name)
                if ident not in plausible:
                    plausible[ident] = _plausible(name, present)
                if not plausible[ident] or (ident, pos - k) in tried:
                    continue
                tried.add(
                    (ident, pos - k)
                )  # the name's other anchor at the same occurrence: same answer
                match = self._exact(name, words, pos - k, other_year)
                if (
                    match is None
                    and not name.variant
                    and pos not in covered.get(name.title.title, ())
                ):
                    match = self._verify(name, words, pos - k, pos, other_year, present)
                if match is None:
                    continue
                covered.setdefault(match.title.title, set()).update(range(match.start, match.end))
                where = (match.title.title, match.start)
                if where not in best or (match.score, match.end) > (
                    best[where].score,
                    best[where].end,
                ):
                    best[where] = match
        found = _drop_overlaps(sorted(best.values(), key=lambda m: (m.start, -m.score)))
        return _drop_other_years(found, words, other_year)

    @staticmethod
    def _exact(
        name: _Name, words: Sequence[str], start: int, other_year: set[str]
    ) -> TitleMatch | None:
        """The common case, checked without rapidfuzz: the name's words exactly, numbers
        agreeing."""
        end = start + len(name.words)
        if start < 0 or tuple(words[start:end]) != name.words:
            return None
        agree = _numbers_agree(name, words, start, end)
        if agree is None:
            other_year.add(name.title.title)
        return TitleMatch(name.title, name.name, 100, start, end) if agree else None

    def _verify(
        self,
        name: _Name,
        words: Sequence[str],
        start: int,
        anchor: int,
        other_year: set[str],
        present: _Present,
    ) -> TitleMatch | None:
        """Compare ``name`` with the windows around ``anchor`` (aligned, shifted by one, or
        mirrored)."""
        n = len(name.words)
        if n == 1:
            return None  # one-word names match exactly or not at all (see _exact)
        if (
            n >= 3
            # a typo or a reordering leaves most words intact: skip hopeless windows before
            # rapidfuzz
        ):
            local = words[max(0, anchor - n) : anchor + n + 1]
            if present.count_in(name.words, local) < n - 1:
                return None
        window = words[start : start + n] if start >= 0 else ()
        if len(window) == n and all(
            w == x or vowel_dropped(w, x) for w, x in zip(window, name.words, strict=True)
        ):
            agree = _numbers_agree(name, words, start, start + n)
            if agree is None:
                other_year.add(name.title.title)
                return None
            score = _similarity(name, window)
            if agree and score >= self.min_score:
                return TitleMatch(name.title, name.name, round(score), start, start + n, True)
        found: TitleMatch | None = None
        for s in sorted(
            {
                start,
                start - 1,
                start + 1,
                anchor - (n - 1 - (anchor - start)),
                anchor - n + 1,
                anchor,
            }
        ):
            for length in (n, n - 1, n + 1, n + 2):
                if s < 0 or length < 1 or s + length > len(words):
                    continue
                window = words[s : s + length]
                filler = length > n - 1 and any(w in _FILLERS for w in window)
                if length == n + 2 and not filler:
                    continue
                if not filler and not _may_reach(name, window, self.min_score):
                    continue  # too long or too short to score the minimum: same as scoring it
                score = _similarity(name, window)
                if filler:
                    plain = [w for w in window if w not in _FILLERS or w in name.words]
                    if plain and plain[0] == window[0] and plain[-1] == window[-1]:
                        score = max(score, _similarity(name, plain))
                if score < self.min_score or (found is not None and score <= found.score):
                    continue
                agree = _numbers_agree(name, words, s, s + length)
                if agree is None:
                    other_year.add(name.title.title)
                elif agree:
                    found = TitleMatch(name.title, name.name, round(score), s, s + length)
                    if score >= 99:
                        return found
        return found


class _Present:
    """The words of a page, and (computed on first need) their skeletons."""

    __slots__ = ("_skeletons", "words")

    def __init__(self, words: Sequence[str]) -> None:
        self.words = set(words)
        self._skeletons: set[str] | None = None

    def skeletons(self) -> set[str]:
        if self._skeletons is None:
            self._skeletons = {skeleton(w) for w in self.words if w.isalpha()}
        return self._skeletons

    def has(self, word: str) -> bool:
        """``word`` is on the page, or a word with its skeleton is (a vowel-dropped spelling)."""
        if word in self.words:
            return True
        return word.isalpha() and len(word) >= 3 and skeleton(word) in self.skeletons()

    def count_in(self, name_words: Sequence[str], local: Sequence[str]) -> int:
        """How many of ``name_words`` occur in ``local``, exactly or by skeleton."""
        exact = set(local)
        shapes: set[str] | None = None
        count = 0
        for w in name_words:
            if w in exact:
                count += 1
            elif w.isalpha() and len(w) >= 3:
                if shapes is None:
                    shapes = {skeleton(x) for x in exact if x.isalpha()}
                count += skeleton(w) in shapes
        return count


def _plausible(name: _Name, present: _Present) -> bool:
    """Cheap page-level filter: the name's words are on the page (one long word may be
    misspelt; any word may have lost its vowels)."""
    missing = [w for w in name.words if w not in present.words]
    if not missing:
        return True
    missing = [w for w in missing if not present.has(w)]
    if not missing:
        return True
    if name.variant or len(missing) > 1:
        return False
    return len(name.words) >= 3 or (len(missing[0]) >= 6 and not missing[0].isdigit())


def _variants(name: str) -> list[str]:
    """The name, the name with two adjacent words written as one ("IronMan 3", "Spiderman"), and
    all its words as one (spaced letters "M O R T A L K O M B A T I I" read as one word)."""
    words = name.replace("-", " ").split()
    out = [name]
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        numeral = a.lower() in _NUMBER_WORDS or b.lower() in _NUMBER_WORDS
        if a.isalpha() and b.isalpha() and not numeral and len(a) + len(b) <= 14:
            out.append(" ".join([*words[:i], a + b, *words[i + 2 :]]))
    letters = "".join(c for c in name if c.isalnum())
    if len(words) >= 3 and 8 <= len(letters) <= _MEMO_CHARS:
        out.append(letters)
    return out


def _similarity(name: _Name, window: Sequence[str]) -> float:
    if len(name.words) == 1:  # one-word titles ("Michael", "Moana") must match the word itself
        return 100.0 if window[0] == name.words[0] and len(window) == 1 else 0.0
    plain = fuzz.ratio(name.key, " ".join(window))
    if plain >= 99:
        return plain
    shuffled = (
        fuzz.ratio(name.sorted_key, " ".join(sorted(window)), score_cutoff=max(plain + 2, 50)) - 2
    )
    return max(plain, shuffled)


def _may_reach(name: _Name, window: Sequence[str], minimum: float) -> bool:
    """Whether :func:`_similarity` of ``name`` and ``window`` could reach ``minimum``, judged
    by lengths alone: rapidfuzz's ratio is ``100 * (1 - distance / (a + b))`` for texts of
    ``a`` and ``b`` characters, and the distance is at least ``|a - b|`` (the sorted words
    have the same length; one-word names match only themselves). A window within a hair of
    ``minimum`` counts as reaching it: rapidfuzz's floats decide those."""
    if len(name.words) == 1:
        return True
    a = len(name.key)
    b = sum(map(len, window)) + len(window) - 1
    return 100 * (a + b - abs(a - b)) >= (minimum - _HAIR) * (a + b)


_HAIR = 0.01  # of a similarity point


def _year_after(match: TitleMatch, words: Sequence[str]) -> int | None:
    for w in words[match.end : match.end + 3]:
        if _is_year(w):
            return int(w)
    return None


def _drop_other_years(
    matches: list[TitleMatch], words: Sequence[str], other_year: set[str]
) -> list[TitleMatch]:
    """A page that dates a title to another year ("Masters of the Universe (1987)") is about
    another film.

    That occurrence was already rejected; this drops the title's undated occurrences on the same
    page too, unless the page also names the watched year.
    """
    if not other_year:
        return matches
    confirmed = {
        m.title.title for m in matches if m.title.year and _year_after(m, words) is not None
    }
    return [m for m in matches if m.title.title not in other_year or m.title.title in confirmed]


def _numbers_agree(name: _Name, words: Sequence[str], start: int, end: int) -> bool | None:
    """Sequel numbers must match exactly; a film released in another year is another film
    (``None``)."""
    window_numbers = tuple(w for w in words[start:end] if _is_number(w))
    if sorted(window_numbers) != sorted(name.numbers):
        return False
    following = words[end : end + 2]
    if following and _is_number(following[0]) and following[0] != "1" and not name.numbers:
        return False  # "Man of Steel 2" is a sequel nobody watches for
    if name.title.year:
        for w in words[end : end + 3]:
            if _is_year(w):
                return True if abs(int(w) - name.title.year) <= 1 else None
    return True


def _drop_overlaps(matches: list[TitleMatch]) -> list[TitleMatch]:
    kept: list[TitleMatch] = []
    for m in matches:
        if kept and m.start < kept[-1].end:
            if m.score > kept[-1].score or (
                m.score == kept[-1].score and m.end - m.start > kept[-1].end - kept[-1].start
            ):
                kept[-1] = m
            continue
        kept.append(m)
    return kept


def match_tokens(text: str) -> list[str]:
    """The words of ``text`` as the index compares them (normalised and numberised)."""
    return numberise(tokens(text))


def names_by_title(titles: Iterable[Title]) -> dict[str, tuple[str, ...]]:
    """Every name (the title, then its aliases) of the watched titles, by title, in watchlist
    order (a title listed twice has the names of both): a lookup, where scanning a 10,000-title
    watchlist per page cost more than matching it."""
    out: dict[str, list[str]] = {}
    for t in titles:
        out.setdefault(t.title, []).extend((t.title, *t.aliases))
    return {title: tuple(names) for title, names in out.items()}
