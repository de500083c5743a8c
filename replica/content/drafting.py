"""Post drafts: what a post shows, links to and pretends to be, and the desk that writes them.

:class:`DraftDesk` holds what every kind of post needs (the landing book, the search phrasings, the
random source, round-robin counters) and the pieces posts share (wrapped hrefs, play buttons, tags
and SEO lines that make a post findable). Variety comes from round-robin counters (so every variant
appears at scale 1) rather than from chance.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from replica.content.films import Film
from replica.content.landings import LandingBook, tumblr_wrap
from replica.content.markup import code_for, html_escape
from replica.content.seo import SeoPhrasings
from replica.dataset import Blog

__all__ = ["Draft", "DraftDesk", "PostSlot"]

_IMG_HOSTS = ("https://i.imgur.com", "https://i.ibb.co", "https://image.tmdb.org/t/p/w500")


@dataclass
class Draft:
    """A post before it gets its truth: what it shows, links to, and pretends to be."""

    kind: str
    film: Film
    title: str
    body: str
    tags: list[str]
    outbound: list[str]
    language: str
    fake_stream: bool = False  # pretends to stream ``film``
    embedded_lure: bool = False  # the post itself carries a sign-in/payment trap
    note: str = ""


@dataclass(frozen=True)
class PostSlot:
    """Where a post will live: its blog, id and language (known before the body is written)."""

    blog: Blog
    post_id: str
    language: str


@dataclass
class _Cycles:
    counters: dict[str, itertools.count[int]] = field(default_factory=dict)

    def pick(self, name: str, options: tuple[str, ...] | list[str]) -> str:
        counter = self.counters.setdefault(name, itertools.count())
        return options[next(counter) % len(options)]


class DraftDesk:
    """What every post writer needs, and the pieces posts share (links, buttons, findability)."""

    def __init__(self, book: LandingBook, plan: SeoPhrasings, rng: random.Random) -> None:
        self.book = book
        self.plan = plan
        self.rng = rng
        self.cycles = _Cycles()

    def _href(self, url: str, slot: PostSlot) -> str:
        """The href as it appears in the body.

        Tumblr-wrapped on half of Tumblr's posts (the replica's Tumblr wraps the rest when serving)
        and on some others' (spammers paste links copied from Tumblr).
        """
        wrap_every = 2 if slot.blog.platform == "tumblr" else 7
        if int(slot.post_id) % wrap_every == 0:
            url = tumblr_wrap(url, slot.post_id, slot.blog.blog_id)
        return html_escape(url)

    def _play_button(self, url: str, slot: PostSlot, film: Film, cta: str) -> str:
        host = self.cycles.pick("img", _IMG_HOSTS)
        img = f"{host}/{code_for('img', film.title, slot.post_id)}.png"
        href = self._href(url, slot)
        return (
            f'<p><a href="{href}" target="_blank" rel="nofollow"><img src="{img}" alt="Play '
            f'{film.shown}" '
            'width="640" height="360"></a></p>\n<p '
            f'style="text-align:center"><a href="{href}"><b>{cta}</b></a></p>'
        )

    def _search_words(self, film: Film) -> str:
        """The SEO line spammers add so searches find a post whose title is disguised (the
        replica's own phrase list, :data:`replica.content.seo.SPAM_SEO`)."""
        phrases = [self._expand(q, film) for q in self.plan.queries]
        text = html_escape(", ".join(phrases))
        style = self.cycles.pick("kwstyle", ("visible", "hidden", "tiny"))
        if style == "hidden":
            return f'<div style="display:none">{text}</div>'
        if style == "tiny":
            return f'<p><span style="font-size:1px;color:#ffffff">{text}</span></p>'
        return f"<p>Keywords: {text}</p>"

    @staticmethod
    def _expand(phrasing: str, film: Film) -> str:
        return " ".join(phrasing.format(title=film.title, year=film.year or "").split())

    def _plan_tags(self, film: Film) -> list[str]:
        return [self._expand(t, film) for t in self.plan.tags]

    def _findable(self, film: Film, slot: PostSlot) -> tuple[list[str], str]:
        """The tags and SEO text spammers add so that platform search finds the post."""
        blog = slot.blog
        tag_platform = blog.platform == "tumblr" or blog.kind == "wpcom"
        mode = self.cycles.pick(
            f"find-{tag_platform}",
            ("tag_first", "tag_last", "keywords")
            if tag_platform
            else ("keywords_tagged", "keywords"),
        )
        plan_tags = self._plan_tags(film)
        if mode == "tag_first":
            return [plan_tags[0]], ""
        if mode == "tag_last":  # any of the spam tags, in turn
            return [self.cycles.pick("seo-tag", plan_tags[1:])], ""
        keywords = self._search_words(film)
        return (plan_tags[:1] if mode == "keywords_tagged" else []), keywords

    def _spam_tags(self, film: Film, lang: str) -> list[str]:
        extra = {
            "fr": "film complet",
            "es": "pelicula completa",
            "de": "ganzer film",
            "pt": "filme completo",
            "id": "nonton film",
            "it": "film completo",
            "tr": "full izle",
            "vi": "xem phim",
            "ru": "смотреть онлайн",
        }
        return [
            f"{film.title.lower()} {film.year_text}".strip(),
            "free movies",
            "streaming",
            extra.get(lang, "hd movies"),
        ]
