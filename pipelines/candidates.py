"""Titles not yet watched: the film a fake-stream page offers, when it is not on the watchlist.

:func:`page_candidate` reads the page's title, ``og:title``, first headings and URL slug, strips
the offer vocabulary of every language (``lexicons.yaml`` offer categories: watch, free, full
movie, quality, dubbed, server, pirate brands ...), years, release tokens (1080p, WEB-DL, x264)
and site names (the segment after a separator that names the host), and returns what is left as
written ("Аватар: Огонь и пепел", "Shrek 5"), or ``None``.

It fires only on clear offer evidence: offer words of two kinds in the page's title or headings,
three kinds on the page, no counter-evidence (trailer, review, news, warning, a legal service) in
the title, and no watched title named there. The caller asks only when no watched title matched
(``matched_title`` is ``None``): the contract of ``fake_stream`` is "a fake stream for a watched
title"; a candidate gives the verdict ``unwatched_fake`` instead (``lurewatch titles suggest``).
"""

from __future__ import annotations

import html as html_lib
import itertools
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipelines._linear import compile_linear
from pipelines.legal import load_legal_services
from pipelines.matching import TitleIndex, numberise
from pipelines.normalise import confusable_map, tokens
from pipelines.scoring import MAX_PAGE_CHARS, Assessment
from pipelines.signals import parse_page
from pipelines.urls import host_of, split_domain
from pipelines.watchlists import Watchlists, load_lexicons

__all__ = [
    "Vocabulary",
    "add_candidate",
    "build_vocabulary",
    "page_candidate",
    "page_sources",
    "title_candidate",
]

#: Where the title, og:title and headings are looked for (they sit at the top of a page).
_HEAD_CHARS = 200_000
_MAX_SOURCE = 500  # characters of one title or heading read
# unbounded groups, cut afterwards: RE2 pays for a bounded repeat ({1,800}) with an automaton
# state per repetition (40 times slower here)
_TITLE = compile_linear(r"<title[^>]*>([^<]+)", ignore_case=True)
_OG_TITLE = compile_linear(
    r"<meta[^>]+(?:property|name)=[\"']og:title[\"'][^>]*content=[\"']([^\"']+)",
    ignore_case=True,
)
_HEADING = compile_linear(r"<h1[^>]*>(.*?)</h1>", ignore_case=True, dot_all=True)
_SUBHEADING = compile_linear(r"<h2[^>]*>(.*?)</h2>", ignore_case=True, dot_all=True)
_MAX_MARKUP = 2000  # characters of a title's or heading's markup read
_MAX_SUBHEADINGS = 12
_TAGS = compile_linear(r"<[^>]*>")
_MAX_HEADINGS = 3
_MEMO_CHARS = 40  # pieces of titles up to this length have their words memoised
#: Separators between a page's title and its site name ("Title – LordFilm", "Title | Site").
#: " : " is French typography for a colon inside a title ("Dune : Deuxième partie"); a colon
#: counts as a separator only after the site's name ("Streamflixhd: Inside Out 2").
_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " • ", " · ", " ~ ", " » ", " / ")
_EDGE = "()[]{}|–—-:;,.!?«»\"'“”„/\\·•*#~&+"
_JOINERS = frozenset({":", "&", "+"})  # "Dune : Deuxième partie", "Fast & Furious"
#: The word "film" / "movie" in the lexicons' languages: part of the offer ("Nonton Film X",
#: "X (фильм 2025)"), never of the title it offers.
_FILLER = frozenset(
    tokens(
        "movie movies film films filme filmes filmi pelicula peliculas película фильм фильмы фільм"
        " кино فيلم فلم phim หนัง फिल्म मूवी মুভি ছবি 영화 sinema kino"
    )
)
_RELEASE_KIND = "release"
_OFFER = ("watch", "stream", "download", "free", "full", "quality", "version", "server")
_OFFER_EXTRA = ("no_registration", "site")
_STRUCTURE = ("episode", "catalogue")  # marked (never a title), not offer evidence
#: Counter-evidence in a title: the page is about a trailer, a review, news, a scam or a service.
_AGAINST = (
    "trailer",
    "review",
    "box_office",
    "cinema",
    "interview",
    "warning",
    "legal_frame",
)
#: Service names that are also ordinary words or parts of film titles ("Mad Max"); names shorter
#: than four letters ("Max", "ivi") are left out too.
_AMBIGUOUS_SERVICES = frozenset({"arte", "channel 4", "channel 5", "areena", "iview"})
#: Kinds of offer words that say "the film itself is here" (``online``, ``free`` or ``leaked``
#: alone are said of news, games and legal services too).
_STRONG = frozenset({"watch", "download", "full", "server", "site", "version", _RELEASE_KIND})
#: Words of warnings about fake streams, in the lexicons' main languages (a title carrying one is
#: an article about fakes).
_FAKES = frozenset(
    tokens("fake fakes scammers fraudsters falso falsos falsas faux fausse gefälschte фейк sahte")
)
#: Words that never make a title on their own.
_FUNCTION = frozenset(
    tokens(
        "the a an of and or to how what where when why is are in on at for with from by now new"
        " de la le les el los las del des du un una une em en di da do dan ve и в на не с"
    )
)
_MIN_TITLE_KINDS = 2  # kinds of offer words in the title / headings
_MIN_PAGE_KINDS = 3  # kinds of offer words on the whole page (title included)


@dataclass(frozen=True)
class Vocabulary:
    """Offer and counter-evidence phrases of every language, as normalised word tuples."""

    phrases: dict[tuple[str, ...], str]  # words -> category ("release" for scene tokens)
    longest: int
    #: The most words of a phrase that starts with each word (from ``phrases``): most words of
    #: a page start none and are passed over with one lookup.
    starts: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts: dict[str, int] = {}
        for words in self.phrases:
            if words:
                starts[words[0]] = max(starts.get(words[0], 0), len(words))
        object.__setattr__(self, "starts", starts)


def _rank(kind: str | None) -> int:
    """Which meaning a phrase keeps when languages disagree: offer, then structure, then
    counter-evidence ("online" is offered; "trailer" is a counter-word everywhere)."""
    if kind is None:
        return -1
    if kind in _AGAINST:
        return 0
    return 1 if kind in _STRUCTURE else 2


def build_vocabulary(
    terms: Iterable[tuple[str, str, tuple[str, ...]]], legal: Iterable[tuple[str, ...]] = ()
) -> Vocabulary:
    """The vocabulary of lexicon ``terms`` (``(language, category, normalised words)``) and of
    the ``legal`` service names (normalised words), counted as ``legal_frame``."""
    wanted = {*_OFFER, *_OFFER_EXTRA, *_STRUCTURE, *_AGAINST}
    phrases: dict[tuple[str, ...], str] = {}
    for words in legal:
        if len("".join(words)) >= 4 and " ".join(words) not in _AMBIGUOUS_SERVICES:
            phrases[words] = "legal_frame"
    for lang, category, words in terms:
        if category not in wanted or not words:
            continue
        kind = _RELEASE_KIND if lang == "release" and category == "quality" else category
        if _rank(kind) >= _rank(phrases.get(words)):
            phrases[words] = kind
    longest = max((len(w) for w in phrases), default=1)
    return Vocabulary(phrases, longest)


def _vocabulary(wl: Watchlists) -> Vocabulary:
    lexicons = wl.lexicons or load_lexicons()
    legal = wl.legal or load_legal_services()
    terms = [(t.lang, t.category, t.words) for t in lexicons.terms]
    return build_vocabulary(terms, [n for service in legal.services for n in service.names])


def _title_index(wl: Watchlists) -> TitleIndex:
    return TitleIndex(wl.titles, wl.thresholds.title_min_score)


@dataclass
class _Unit:
    """One space-separated piece of a title, as written, with its normalised words."""

    raw: str
    words: list[str]
    kind: str | None = None  # the offer / counter category, "year", "noise", "site"


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


def _pieces(raw: str) -> list[str]:
    """A word of a scene release name split at its dots and underscores
    (``Frankenstein.2025.1080p`` -> three pieces; ``S.H.I.E.L.D.`` stays whole)."""
    pieces = [p for p in raw.replace("_", ".").split(".") if p]
    if len(pieces) < 2 or all(len(p) == 1 for p in pieces):
        return [raw]
    return pieces


def _units(segment: str) -> list[_Unit]:
    return [_Unit(piece, _words(piece)) for raw in segment.split() for piece in _pieces(raw)]


@lru_cache(maxsize=16384)
def _short_words(piece: str) -> tuple[str, ...]:
    return tuple(tokens(piece))


def _words(piece: str) -> list[str]:
    """The normalised words of one piece of a title (memoised: titles repeat in the title,
    og:title and heading, and across pages; a long piece is never kept)."""
    return list(_short_words(piece)) if len(piece) <= _MEMO_CHARS else tokens(piece)


def _phrases(words: Sequence[str], vocab: Vocabulary) -> Iterator[tuple[int, int, str]]:
    """``(start, length, category)`` of each vocabulary phrase in ``words``, longest first,
    left to right, never overlapping."""
    phrases, starts = vocab.phrases, vocab.starts
    end = 0  # where the last phrase found ends: phrases never overlap
    for at in [i for i, w in enumerate(words) if w in starts]:  # a phrase starts nowhere else
        if at < end:
            continue
        # no phrase longer than the longest one starting with this word can start here
        for size in range(min(starts[words[at]], len(words) - at), 0, -1):
            kind = phrases.get(tuple(words[at : at + size]))
            if kind is not None:
                yield at, size, kind
                end = at + size
                break


def _mark(units: list[_Unit], vocab: Vocabulary) -> list[str]:
    """Mark offer / counter words, years and noise; the categories found, one per phrase."""
    owners = [i for i, u in enumerate(units) for _ in u.words]
    found: list[str] = []
    for start, size, kind in _phrases([w for u in units for w in u.words], vocab):
        found.append(kind)
        for i in owners[start : start + size]:
            units[i].kind = kind
    for u in units:
        if u.kind is None and u.words:
            u.kind = _plain_kind(u.words)
    return found


def _plain_kind(words: list[str]) -> str | None:
    if all(_is_year(w) for w in words):
        return "year"
    if all(w in _FILLER or (w.isdigit() and len(w) > 2) for w in words):
        return "noise"
    return None


def _alnum(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _site_labels(host: str) -> tuple[str, ...]:
    """Names the site goes by: its registrable domain's label and its first host label
    (``lordfilm-new.top`` -> ``lordfilmnew``; ``rlsbin.tumblr.com`` -> ``rlsbin``)."""
    try:
        name = split_domain(host, private=True)[0]
    except ValueError:
        name = ""
    first = host.removeprefix("www.").split(".")[0]
    return tuple(dict.fromkeys(label for label in map(_alnum, (name, first)) if len(label) >= 4))


def _is_site(units: Sequence[_Unit], labels: Sequence[str]) -> bool:
    """A segment that names the site ("LordFilm", "Rede Filmes", "Phim Bộ Hoa Ngữ")."""
    folded = "".join(w for u in units for w in u.words)  # accents folded ("bộ" -> "bo")
    plain = _alnum("".join(u.raw for u in units))  # digits kept as written ("online71")
    return any(
        len(joined) >= 4 and (joined in label or label in joined)
        for joined in (folded, plain)
        for label in labels
    )


@dataclass(frozen=True)
class _Run:
    text: str
    before_year: bool
    offered: bool  # the segment carries offer words
    size: int
    order: int


def _runs(units: list[_Unit], offered: bool, order: int) -> list[_Run]:
    """Maximal stretches of unmarked words (what is left once the offer is stripped)."""
    out: list[_Run] = []
    current: list[_Unit] = []
    for i, u in enumerate([*units, _Unit("", [], "end")]):
        if (u.kind is None and u.words) or (current and not u.words and u.raw in _JOINERS):
            current.append(u)
            continue
        if current:
            nxt = units[i] if i < len(units) else None
            year = nxt is not None and (
                nxt.kind == "year" or (nxt.kind == "noise" and _year_soon(units, i))
            )
            text = " ".join(c.raw for c in current).strip(_EDGE).strip()
            size = sum(len(c.words) for c in current)
            if text:
                out.append(_Run(text, year, offered, size, order))
            current = []
    return out


def _year_soon(units: list[_Unit], at: int) -> bool:
    """A year right after the filler ("X (фильм 2025)")."""
    return any(u.kind == "year" for u in units[at : at + 2])


def _segments(text: str) -> list[str]:
    parts = [text]
    for separator in _SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [p for p in parts if p.strip()]


def _site_prefix(segment: str, labels: Sequence[str]) -> str:
    """``segment`` without a leading "Site Name: " (Blogger titles a post "Blog: Post")."""
    head, colon, rest = segment.partition(": ")
    if colon and _is_site(_units(head), labels):
        return rest
    return segment


def _source_runs(
    source: str, order: int, vocab: Vocabulary, labels: Sequence[str]
) -> tuple[list[_Run], list[str]]:
    """The candidate stretches of one title or heading, and the categories it carries."""
    runs: list[_Run] = []
    kinds: list[str] = []
    marked: list[list[_Unit]] = []
    for segment in _segments(source):
        units = _units(_site_prefix(segment, labels))
        if _is_site(units, labels):
            continue
        kinds += _mark(units, vocab)
        marked.append(units)
    offered = any(k in _STRONG for k in kinds)
    cased = any(c.isupper() for c in source)
    for units in marked:
        runs += [r for r in _runs(units, offered, order) if _title_like(r.text, cased)]
    return runs, kinds


def _title_like(text: str, cased: bool) -> bool:
    """Not only function words ("How to"); in a title written with capitals, starts with one."""
    words = tokens(text)
    if not words or all(w in _FUNCTION for w in words):
        return False
    first = next((c for c in text if c.isalnum()), "")
    return not cased or not first.islower()


def _title_case(text: str) -> str:
    """As written; a title written all in lower case (a slug, a tag) gets capitals, and words
    in random case ("VElOCitY kiNgs") get ordinary ones."""
    words = text.split()
    if not any(c.isupper() for c in text) and any(c.islower() for c in text):
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return " ".join(w.capitalize() if _random_case(w) else w for w in words)


def _random_case(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    switches = sum(a.isupper() != b.isupper() for a, b in itertools.pairwise(letters))
    starts_low = bool(letters) and letters[0].islower() and any(c.isupper() for c in letters)
    return switches >= 3 or starts_low


def _strength(kinds: Iterable[str]) -> int:
    """Kinds of offer evidence; release tokens (1080p, WEB-DL, x264) count up to two."""
    kinds = list(kinds)
    distinct = {k for k in kinds if k in _OFFER or k in _OFFER_EXTRA}
    return len(distinct) + min(2, kinds.count(_RELEASE_KIND))


def _best(runs: Sequence[_Run]) -> _Run | None:
    useful = [r for r in runs if r.offered and any(c.isalnum() for c in r.text)]
    if not useful:
        return None
    return max(useful, key=lambda r: (r.before_year, r.size, -r.order))


def title_candidate(
    sources: Sequence[str], host: str, vocab: Vocabulary, slug: str = ""
) -> tuple[str | None, list[str]]:
    """The film named by a page's titles / headings (``sources``, best first), and the offer and
    counter categories they carry; the URL ``slug`` only confirms a candidate, it never makes
    one. Pure: no watchlist check, no page-level evidence."""
    labels = _site_labels(host)
    votes: dict[str, list[_Run]] = {}
    kinds: list[str] = []
    for order, source in enumerate(sources):
        runs, found = _source_runs(source, order, vocab, labels)
        kinds += found
        best = _best(runs)
        if best is not None:
            votes.setdefault(" ".join(tokens(best.text)), []).append(best)
    if not votes:
        return None, kinds
    confirmed = _best(_source_runs(slug, len(sources), vocab, labels)[0]) if slug else None
    if confirmed is not None and " ".join(tokens(confirmed.text)) in votes:
        votes[" ".join(tokens(confirmed.text))].append(confirmed)
    chosen = max(votes.values(), key=lambda rs: (len(rs), -min(r.order for r in rs)))
    return _title_case(min(chosen, key=lambda r: r.order).text), kinds


def _clean(text: str) -> str:
    """Tags and entities out, invisible characters removed, compatibility forms folded
    (fullwidth letters), words mixing scripts written in Latin letters ("Tһe Ѕuper")."""
    if "<" in text:  # no "<", no tag
        text = _TAGS.sub(" ", text)
    text = html_lib.unescape(text)
    if text.isascii():  # no format character, NFKC changes nothing, no other script
        return " ".join(text.split())[:_MAX_SOURCE]
    for char in [c for c in set(text) if unicodedata.category(c) == "Cf"]:
        text = text.replace(char, "")  # the page's distinct characters, not each character
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_one_script(w) for w in text.split())[:_MAX_SOURCE]


def _one_script(word: str) -> str:
    """A word of Latin letters with look-alikes from other scripts, in Latin letters only."""
    if word.isascii() or not any("a" <= c.casefold() <= "z" for c in word):
        return word
    table = confusable_map()
    latin = "".join(_latin(c, table) for c in word)
    return latin if latin.isascii() else word


def _latin(char: str, table: dict[str, str]) -> str:
    """A look-alike from another script as its Latin letter (Latin letters such as Turkish
    "ı" stay)."""
    if char.isascii() or char not in table or unicodedata.name(char, "").startswith("LATIN"):
        return char
    letter = table[char]
    return letter.upper() if char.isupper() else letter


def _slug(url: str) -> str:
    """The last path segment with a word in it, dashes as spaces (``/shrek-5-2026/``)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    for part in reversed([p for p in path.split("/") if p]):
        stem = part.rsplit(".", 1)[0] if part.endswith((".html", ".htm", ".php")) else part
        stem = stem.lstrip("0123456789-_")
        if any(c.isalpha() for c in stem):
            return stem.replace("-", " ").replace("_", " ")
    return ""


def page_sources(html: str, title: str = "") -> list[str]:
    """What a page says it is: the post ``title``, ``<title>``, ``og:title`` and the first
    headings, best first."""
    head = html[:_HEAD_CHARS]
    found = [title] if title else []
    for pattern in (_TITLE, _OG_TITLE):
        match = pattern.search(head)
        if match is not None and match.group(1):
            found.append((match.group(1) or "")[:_MAX_MARKUP])
    for number, match in enumerate(_HEADING.finditer(head)):
        if number >= _MAX_HEADINGS:
            break
        found.append((match.group(1) or "")[:_MAX_MARKUP])
    return list(dict.fromkeys(s for s in map(_clean, found) if s))


def _subheadings(html: str) -> list[str]:
    """The first ``<h2>`` headings: where an article names the services it recommends."""
    found = []
    for number, match in enumerate(_SUBHEADING.finditer(html[:_HEAD_CHARS])):
        if number >= _MAX_SUBHEADINGS:
            break
        found.append(_clean((match.group(1) or "")[:_MAX_MARKUP]))
    return found


def _against(texts: Iterable[str], vocab: Vocabulary) -> bool:
    """Counter-evidence in ``texts``, or a word that names fakes (a warning: "Watch out for fake
    movie streaming sites")."""
    for text in texts:
        units = _units(text)
        if any(k in _AGAINST for k in _mark(units, vocab)):
            return True
        if any(w in _FAKES for u in units for w in u.words):
            return True
    return False


def _names_watched(texts: Sequence[str], wl: Watchlists) -> bool:
    index = wl.compiled("titles", _title_index)
    return any(index.find(numberise(tokens(text))) for text in texts)


def _page_kinds(html: str, url: str, vocab: Vocabulary) -> list[str]:
    doc = parse_page(html[:MAX_PAGE_CHARS], url)
    kinds = [kind for _, _, kind in _phrases(tokens(doc.text[:MAX_PAGE_CHARS]), vocab)]
    if doc.player:
        kinds.append("server")
    return kinds


def page_candidate(html: str, url: str, wl: Watchlists, *, title: str = "") -> str | None:
    """The film a fake-stream page (``html`` at ``url``; a post also gives its ``title``) offers,
    when the page carries clear offer evidence and names no watched title; else ``None``."""
    vocab = wl.compiled("candidate_vocabulary", _vocabulary)
    sources = page_sources(html, title)
    candidate, kinds = title_candidate(sources, host_of(url), vocab, _slug(url))
    if candidate is None or _strength(kinds) < _MIN_TITLE_KINDS:
        return None
    if _against(sources, vocab) or any("?" in s for s in sources[:2]):
        return None  # a question is an article's title ("Where to watch ... for free?")
    if _against(_subheadings(html), vocab) or _names_watched([*sources, candidate], wl):
        return None
    if _strength(kinds + _page_kinds(html, url, vocab)) < _MIN_PAGE_KINDS:
        return None
    return candidate


def add_candidate(result: Assessment, post: Any, wl: Watchlists) -> Assessment:
    """``result`` with ``candidate_title`` set from the post (``url``, ``title``, ``html``) or,
    failing that, from its landing pages, when no watched title matched; verdict refreshed."""
    if result.matched_title is not None or result.fake_stream:
        return result
    found = page_candidate(getattr(post, "html", "") or "", post.url, wl, title=post.title or "")
    for page in getattr(post, "landing_pages", ()):
        if found is not None:
            break
        if page.html and not page.error:
            found = page_candidate(page.html, page.final_url or page.url, wl)
    result.candidate_title = found
    return result.finish()
