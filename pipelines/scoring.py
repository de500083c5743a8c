"""Scoring: one explainable :class:`Assessment` per page and per post.

``assess_page(html, url, wl)`` decides whether a page is a fake stream for a watched title and
whether it is a credential / SSO lure, with a 0-100 score and short reasons naming the evidence.
``assess_post`` adds what the post's landing pages revealed: a post linking to a lure is a lure and
names the landing in ``lure_urls``. Weights and cut-offs come from ``thresholds.yaml``; nothing
here knows about Scrapy.
"""

from __future__ import annotations

import html as html_lib
import ipaddress
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipelines._linear import compile_linear
from pipelines.brands import BrandIndex, load_brands
from pipelines.budget import Budget
from pipelines.doorways import release_address
from pipelines.glued_brands import brand_glued_words
from pipelines.lures import LureIndex, brand_signals, lure_signals
from pipelines.matching import TitleIndex, TitleMatch, names_by_title, numberise
from pipelines.normalise import normalise, tokens
from pipelines.proximity import Evidence, proximity_evidence
from pipelines.safety import strip_controls
from pipelines.signals import (
    DEEP_NESTING,
    PARSER_DEPTH_LIMIT,
    PageDoc,
    Signal,
    negative_context,
    page_signals,
    parse_page,
)
from pipelines.templates import (
    Template,
    TemplateHit,
    compile_templates,
    find_templates,
    marked_words,
)
from pipelines.urls import registrable_domain
from pipelines.watchlists import Watchlists

__all__ = ["Assessment", "assess_page", "assess_post"]

# : Characters of HTML judged per page (about 3 s of work on one core); the rest of a longer page
# is ignored.
MAX_PAGE_CHARS = 2_000_000
_MAX_STUFFING_OCCURRENCES = 40  # enough to call a page stuffed; bounds the work on huge pages
_NEAR_BEFORE, _NEAR_AFTER = 4, 8  # the window, in words, where fake-stream words count for a title
_DEFANGED = re.compile(r"hxxps?://|\w\[\.\]\w|\w\(\.\)\w|\w\{\.\}\w", re.IGNORECASE)


@dataclass
class Assessment:
    """The verdict on one page or post, with its evidence."""

    fake_stream: bool = False
    sso_lure: bool = False
    matched_title: str | None = None
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    lure_urls: list[str] = field(default_factory=list)
    verdict: str = "benign"  # benign | fake_stream | unwatched_fake | lure
    #: the film offered by a page that is a fake stream for a title not on the watchlist
    candidate_title: str | None = None

    def finish(self) -> Assessment:
        """Set ``verdict`` from the flags and ``candidate_title``; strip controls and bidi marks
        quoted from the page."""
        if self.sso_lure:
            self.verdict = "lure"
        elif self.fake_stream:
            self.verdict = "fake_stream"
        else:
            self.verdict = "unwatched_fake" if self.candidate_title else "benign"
        self.reasons = [strip_controls(reason) for reason in self.reasons]
        return self


class _PostLike(Protocol):
    url: str
    title: str
    text: str
    html: str


def _title_index(wl: Watchlists) -> TitleIndex:
    return TitleIndex(wl.titles, wl.thresholds.title_min_score)


def _templates(wl: Watchlists) -> list[Template]:
    return compile_templates(wl.templates.templates)


def _lure_index(wl: Watchlists) -> LureIndex:
    distance = int(wl.thresholds.lure_weights.get("lookalike_max_distance", 2))
    brands = wl.brands if wl.brands is not None else load_brands()
    own = [d for brand in brands.brands for d in brand.domains]  # brands' own pages are theirs
    return LureIndex(wl.lures, distance, own)


def _brand_index(wl: Watchlists) -> BrandIndex:
    return BrandIndex(wl.brands if wl.brands is not None else load_brands())


@dataclass
class _FakeVerdict:
    title: str | None = None
    score: float = 0
    reasons: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)


def _best_title(
    matches: Sequence[TitleMatch], hits: Sequence[TemplateHit]
) -> tuple[str | None, list[TemplateHit]]:
    """The title with the strongest template evidence (else the most frequent one) and its hits."""
    by_title: dict[str, list[TemplateHit]] = defaultdict(list)
    for hit in hits:
        by_title[hit.match.title.title].append(hit)
    if by_title:
        title = max(
            by_title,
            key=lambda t: (max(h.weight * h.score for h in by_title[t]), len(by_title[t])),
        )
        return title, sorted(by_title[title], key=lambda h: h.weight * h.score, reverse=True)
    counts: dict[str, int] = defaultdict(int)
    for m in matches:
        counts[m.title.title] += 1
    return (max(counts, key=lambda t: counts[t]) if counts else None), []


# a release name glued into one word: "bastilleday20161080p10bitbluray8chx265h", with a season
# between the name and the rest ("moonknights01complete720pwebrip"), a sign after the name
# ("finaldestination-720p-mkv") or an audio language or edition tag after the year
# ("hunger2023thai720p10bitwebrip")
_GLUED = compile_linear(
    r"\b([a-z][a-z0-9]{3,59}?)((?:s\d\d(?:e\d\d)?|season\d{1,2}|complete)*)([-_.]?)"
    r"(?:((?:19|20)\d\d)[-_.]?([a-z]{2,8})?)?[-_.]?((?:480|576|720|1080|2160)p[a-z0-9]{0,40})",
    ignore_case=True,
)
_SEASON_PART = compile_linear(r"s\d\d|e\d\d|season|\d+|complete", ignore_case=True)
_RELEASE_PART = compile_linear(
    r"x26[45]|h26[45]|\d+p|\d+bit|\d+ch|web-?dl|webrip|bluray|brrip|bdrip|hdrip|dvdrip|hdcam"
    r"|camrip|hdtv|hevc|aac|ac3|ddp?5\.?1|dual|multi|esubs?|[a-z]+",
    ignore_case=True,
)
_MAX_GLUED = 50  # glued release names read per page


def _compact_titles(wl: Watchlists) -> dict[str, str]:
    """Watched titles and aliases with every space and sign removed ("bastilleday") -> the name."""
    out: dict[str, str] = {}
    for title in wl.titles:
        for name in (title.title, *title.aliases):
            key = "".join(ch for ch in normalise(name) if ch.isalnum())
            if len(key) >= 4 and key.isascii():
                out.setdefault(key, name)
    return out


def unglued_release_words(text: str, wl: Watchlists) -> list[str]:
    """The words of release names glued into one word whose front is a watched title written
    without spaces ("toystory52026720pwebdlx264" -> "toy story 5 2026 720p webdl x264"): the
    tokeniser sees one leet-folded word there, and the title matcher no title."""
    compact = wl.compiled("compact_titles", _compact_titles)
    out: list[str] = []
    for n, m in enumerate(_GLUED.finditer(text)):
        if n >= _MAX_GLUED:
            break
        name = compact.get(m.group(1).lower())
        if name is None:
            continue
        words = tokens(name)
        if len(words) == 1 and m.group(3) and not m.group(2):
            continue  # "moana-1080p": the tokeniser reads that one already
        season = [p.group(0).lower() for p in _SEASON_PART.finditer(m.group(2))]
        release = [p.group(0).lower() for p in _RELEASE_PART.finditer(m.group(6))]
        tagged = [g.lower() for g in (m.group(4), m.group(5)) if g]
        out += [*words, *season, *tagged, *release]
    return out


def _fake_stream(doc: PageDoc, toks: list[str], wl: Watchlists) -> _FakeVerdict:
    toks = toks + unglued_release_words(doc.text, wl) + brand_glued_words(doc.text, wl)
    words = numberise(toks)
    matches = wl.compiled("titles", _title_index).find(words)
    if not matches:
        return _FakeVerdict()
    th, weights = wl.thresholds, wl.thresholds.fake_weights
    seq, positions = marked_words(words, matches)
    templates = wl.compiled("templates", _templates)
    limit = _MAX_STUFFING_OCCURRENCES
    hits, stuffed = find_templates(
        templates, seq, positions[:limit], matches[:limit], th.template_min_score
    )
    title, best = _best_title(matches, hits)
    title_match = max((m for m in matches if m.title.title == title), key=lambda m: m.score)
    verdict = _FakeVerdict(title, 0, [title_match.reason])
    for i, hit in enumerate(best[: int(weights.get("max_templates", 2))]):
        factor = 1.0 if i == 0 else weights.get("second_template_factor", 0.5)
        verdict.score += hit.weight * hit.score / 100 * factor
        verdict.reasons.append(hit.reason)
    verdict.templates = [h.template.spec.pattern for h in best]
    folded = " ".join(toks)
    _add_signals(verdict, doc, folded, wl, seq, positions, stuffed, best)
    links = [link.href for link in doc.links]
    heading = _heading_words(doc, wl)
    cells = doc.furniture.labels
    near = proximity_evidence(
        toks, matches, title or "", doc.url, links, wl, heading, doc.text, cells
    )
    _weigh(verdict, near, doc, wl)
    return verdict


def _heading_words(doc: PageDoc, wl: Watchlists) -> list[str]:
    """The words of the page title and headings, a glued release name or brand there read as
    words (those worked out once per headings: a verdict reads them 2-3 times)."""
    memo: dict[str, tuple[str, ...]] = wl.compiled("heading glued words", _glued_memo)
    glued = memo.get(doc.headings)
    if glued is None:
        glued = (
            *unglued_release_words(doc.headings, wl),
            *brand_glued_words(doc.headings, wl),
        )
        if len(memo) >= _GLUED_MEMO:
            memo.clear()
        memo[doc.headings] = glued
    return [*doc.heading_tokens, *glued]


#: How many pages' headings :func:`_heading_words` remembers the glued words of.
_GLUED_MEMO = 16


def _glued_memo(wl: Watchlists) -> dict[str, tuple[str, ...]]:
    return {}


def _weigh(verdict: _FakeVerdict, near: Evidence, doc: PageDoc, wl: Watchlists) -> None:
    """Proximity evidence added to the template evidence, capped (enough evidence is enough);
    counter-evidence then subtracted in full (a doorway's in part)."""
    verdict.score = min(verdict.score + near.offer + near.structure, 100.0)
    verdict.reasons += near.reasons
    _apply_context(verdict, doc, wl)
    negative = near.negative
    doorway = _doorway(verdict.title, doc, wl)
    if doorway:
        weights = wl.thresholds.fake_weights
        factor = weights.get("doorway_negative_factor", 0.5)
        bonus = weights.get("doorway_host", 20)
        negative *= factor
        verdict.score += bonus
        verdict.reasons.append(
            f"{doorway} and headed by the title (+{bonus:.0f}):"
            f" its safety advice counts x{factor:g}"
        )
    verdict.score += negative + near.legal


def _doorway(title: str | None, doc: PageDoc, wl: Watchlists) -> str:
    """How the page looks like a generated doorway ("" when it does not): served from a bare IP
    address, or addressed by a release file name of the title, and headed by the title."""
    if not title or not _in_headings(doc, title, wl):
        return ""
    if _bare_ip(doc.host):
        return "served from a bare IP address"
    names = list(wl.compiled("names_by_title", lambda w: names_by_title(w.titles)).get(title, ()))
    if release_address(doc.url, names or [title]):
        return "addressed by a release file name"
    return ""


def _bare_ip(host: str) -> bool:
    """A host that is an IP address: no site, publisher or newsroom stands behind it (release-name
    doorways are generated on rented servers and wrap the offer in boilerplate safety advice)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _add_signals(
    verdict: _FakeVerdict,
    doc: PageDoc,
    folded: str,
    wl: Watchlists,
    seq: list[str],
    positions: list[int],
    stuffed: int,
    best: list[TemplateHit],
) -> None:
    weights = wl.thresholds.fake_weights
    signals = page_signals(doc, folded, wl.templates, wl.lures, wl.thresholds)
    signals += _nesting(doc)
    if stuffed >= weights.get("min_stuffing", 4):
        signals.append(
            Signal(
                "stuffing",
                f"keyword stuffing: title repeated with {stuffed} fake-stream phrasings",
            )
        )
    near = _stream_words_near(seq, positions, wl)
    bonus = min(
        weights.get("stream_words", 10) * max(0, len(near) - 2),
        weights.get("stream_words_cap", 40),
    )
    if bonus > 0:
        verdict.score += bonus
        verdict.reasons.append(
            f"fake-stream words next to the title: {', '.join(near[:6])} (+{bonus:.0f})"
        )
    in_heading = (
        (best or bonus or _player_page(doc, wl))
        and verdict.title
        and _in_headings(doc, verdict.title, wl)
    )
    if in_heading:
        signals.append(Signal("title_in_heading", "title in the page title / heading"))
    if in_heading and _player_page(doc, wl):
        signals.append(Signal("player_page", "a video player page named after the title"))
    for s in signals:
        verdict.score += weights.get(s.key, 0)
        verdict.reasons.append(s.reason)
    if _defanged(doc.text):
        verdict.score += weights.get("defanged", -40)
        verdict.reasons.append("defanged URL (a warning, not a link)")


def _defanged(text: str) -> bool:
    """A defanged URL in ``text``: searched for only when the text holds what each form needs
    ("://" after "hxxp", a bracketed dot), not by trying the pattern at every character."""
    if "://" not in text and "[.]" not in text and "(.)" not in text and "{.}" not in text:
        return False
    return _DEFANGED.search(text) is not None


def _apply_context(verdict: _FakeVerdict, doc: PageDoc, wl: Watchlists) -> None:
    """A warning or review frame in the page title or headline (``<h1>``) is the page's topic:
    each such phrase of ``templates.yaml`` pulls the score down (the page's other context,
    section headings like "User reviews" or "Trailer" among it, is weighed by proximity, per
    term)."""
    own = [doc.furniture.title, *doc.furniture.h1]
    words = tokens(" ".join(own)) if any(own) else doc.heading_tokens
    headline = negative_context(" ".join(words), wl.templates)
    if not headline:
        return
    penalty = max(wl.thresholds.fake_weights.get("negative", -30) * len(headline), -100)
    verdict.score += penalty
    verdict.reasons.append(f"headline context: {', '.join(headline[:3])} ({penalty:+.0f})")


def _stream_vocabulary(wl: Watchlists) -> dict[str, str]:
    """Fake-stream words in matching form ("fuii": ``l`` and ``i`` unified) -> as written
    ("full")."""
    vocabulary: dict[str, str] = {}
    for group in wl.templates.stream_words.values():
        for phrase in group:
            written = tokens(phrase)
            for key, word in zip(numberise(written), written, strict=True):
                vocabulary.setdefault(key, word)
    return vocabulary


def _stream_words_near(seq: list[str], positions: list[int], wl: Watchlists) -> list[str]:
    """The most distinct fake-stream words found within a few words of one title occurrence, as
    written."""
    vocabulary = wl.compiled("stream_words", _stream_vocabulary)
    best: list[str] = []
    for at in positions[:_MAX_STUFFING_OCCURRENCES]:
        near = list(
            dict.fromkeys(
                w for w in seq[max(0, at - _NEAR_BEFORE) : at + _NEAR_AFTER + 1] if w in vocabulary
            )
        )
        if len(near) > len(best):
            best = near
    return [vocabulary[w] for w in best]


_VIDEO_SITES = frozenset(
    {"youtube.com", "youtube-nocookie.com", "vimeo.com", "dailymotion.com", "twitch.tv"}
)
_PLAYER_WORDS = frozenset({"player", "lecteur", "reproductor", "reprodutor", "pemutar", "lettore"})


def _player_page(doc: PageDoc, wl: Watchlists) -> bool:
    """A player page on an unknown site (real video sites and providers embed trailers
    legitimately)."""
    domain = registrable_domain(doc.host)
    if domain in _VIDEO_SITES or wl.compiled("lures", _lure_index).is_provider_domain(domain):
        return False
    return doc.player or not _PLAYER_WORDS.isdisjoint(doc.heading_tokens)


def _in_headings(doc: PageDoc, title: str, wl: Watchlists) -> bool:
    if not doc.headings:
        return False
    return any(
        m.title.title == title
        for m in wl.compiled("titles", _title_index).find(numberise(_heading_words(doc, wl)))
    )


_SSO_KEYS = (
    "sso_button_hidden",
    "sso_button_offprovider",
    "sso_button_samehost",
    "oauth_consent_own_site",
)


def _lure(
    doc: PageDoc, folded: str, wl: Watchlists, fake_stream: bool, names_title: bool
) -> tuple[float, list[str]]:
    index = wl.compiled("lures", _lure_index)
    signals = lure_signals(doc, folded, index)
    signals += brand_signals(doc, folded, wl.compiled("brands", _brand_index), index)
    weights = wl.thresholds.lure_weights
    seen: dict[str, Signal] = {}
    for s in signals + _nesting(doc):
        seen.setdefault(s.key, s)
    streaming = fake_stream or _player_page(doc, wl)
    if streaming and any(k in seen for k in _SSO_KEYS):
        seen["sso_with_fake_stream"] = Signal(
            "sso_with_fake_stream", "provider sign-in offered to watch a fake stream"
        )
    # the "free account" with a card: card inputs offered to watch a watched film, on a site that
    # is not a known provider (a streaming service's own sign-up page asks for a card legitimately)
    if (
        (streaming or names_title)
        and any(f.has_card for f in doc.forms)
        and not index.is_provider_domain(registrable_domain(doc.host))
    ):
        seen["card_for_stream"] = Signal(
            "card_for_stream", "card details asked for to watch a film"
        )
    score = sum(weights.get(k, 0) for k in seen)
    return min(score, 100.0), [s.reason for s in seen.values()]


def _nesting(doc: PageDoc) -> list[Signal]:
    """Extreme nesting, the trick that once hid a form from the parser (evidence of both kinds)."""
    if doc.depth < DEEP_NESTING:
        return []
    depth = f"{doc.depth}+" if doc.depth >= PARSER_DEPTH_LIMIT else str(doc.depth)
    return [Signal("deep_nesting", f"elements nested {depth} deep (evasion)")]


def assess_page(
    html: str, url: str, wl: Watchlists, *, text: str | None = None, budget: Budget | None = None
) -> Assessment:
    """Judge one page: ``html`` as served at ``url``; ``text`` replaces the text extracted from it.

    Only the first :data:`MAX_PAGE_CHARS` characters are judged (a hostile page may be huge: the
    cost is linear in its size); a longer page says so in its reasons. ``budget`` (default:
    unlimited) is checked between stages; past it, decoding, reading words and matching titles
    are skipped, the lure evidence of what was parsed is still scored, and the reasons say so.
    """
    budget = budget or Budget()
    size = len(html)
    doc = parse_page(html[:MAX_PAGE_CHARS], url, budget)
    if text is not None:
        doc.text = f"{text} {' '.join(doc.decoded)}" if doc.decoded else text
    toks = tokens(doc.text) if budget.exceeded_after is None else []
    fake = _fake_stream(doc, toks, wl) if budget.check("reading its words") else _FakeVerdict()
    th = wl.thresholds
    out = Assessment(templates=fake.templates)
    out.fake_stream = fake.title is not None and fake.score >= th.fake_stream
    # the lure evidence of what was read is scored even over budget: a page must not escape by
    # being slow to read (this stage is linear in the forms and links found)
    names_title = fake.title is not None
    lure_score, lure_reasons = _lure(doc, " ".join(toks), wl, out.fake_stream, names_title)
    out.sso_lure = lure_score >= th.sso_lure
    out.matched_title = fake.title if out.fake_stream else None
    out.score = round(max(0.0, min(100.0, max(fake.score, lure_score))))
    out.reasons = fake.reasons + lure_reasons + doc.notes
    if size > MAX_PAGE_CHARS:
        out.reasons.append(
            f"page of {size:,} characters: only the first {MAX_PAGE_CHARS:,} judged"
        )
    if budget.note:
        out.reasons.append(budget.note)
    out.lure_urls = [url] if out.sso_lure else []
    return out.finish()


def _post_html(post: Any) -> str:
    title = html_lib.escape(getattr(post, "title", "") or "")
    body = getattr(post, "html", "") or ""
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"


def assess_post(
    hit_like: _PostLike | Any,
    wl: Watchlists,
    landing: Sequence[tuple[str, Assessment]],
    *,
    budget: Budget | None = None,
) -> Assessment:
    """Judge a post (``url``, ``title``, ``text``, ``html``) with its assessed landing pages.

    ``budget`` is the post page's own (see :func:`assess_page`).
    """
    text = getattr(hit_like, "text", "") or ""
    title = getattr(hit_like, "title", "") or ""
    own_text = f"{title} {text}" if text else None
    own = assess_page(_post_html(hit_like), hit_like.url, wl, text=own_text, budget=budget)
    own.lure_urls = [hit_like.url] if own.sso_lure else []
    for url, page in landing:
        _merge_landing(own, url, page)
    return own.finish()


def _merge_landing(post: Assessment, url: str, page: Assessment) -> None:
    if page.sso_lure:
        post.sso_lure = True
        if url not in post.lure_urls:
            post.lure_urls.append(url)
        post.reasons.append(f"links to lure {url}")
        post.score = max(post.score, page.score)
    # A fake-stream landing does not make the post a fake stream (a giveaway may link to one): the
    # post is judged on its own words; the landing's templates are kept as evidence.
    for pattern in page.templates:
        if pattern not in post.templates:
            post.templates.append(pattern)
