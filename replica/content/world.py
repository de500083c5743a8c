"""The replica's world built from a seed: blogs, their posts, landing pages, the ground truth.

Spam posts carry the words of the replica's own phrase lists (:mod:`replica.content.seo`), never
the crawler's search phrasings. Criminal blogs also write posts for their visitors rather than for
search (``hidden_stream``: disguised titles, no SEO line), and link the posts of a "player" blog
that no search engine has indexed. The truth of each fake lists the routes that can reach it
(:func:`_routes`): the platform's search for the film's name, blog expansion (another hit of its
blog is reachable) and cross-links (a reachable post of the same platform links it).
"""

from __future__ import annotations

import html
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

from replica.content.blogs import BlogSpec, make_blogs
from replica.content.drafting import Draft, PostSlot
from replica.content.fan_posts import FanDrafts
from replica.content.films import NEAR_MISSES, UNWATCHED, Film
from replica.content.landings import LandingBook
from replica.content.markup import slugify
from replica.content.seo import SPAM_SEO, SeoPhrasings
from replica.content.stream_posts import StreamDrafts
from replica.content.watchlist import watched_films
from replica.dataset import Blog, Dataset, Post, Truth, search_tokens
from replica.errors import WorldError

__all__ = ["CRIMINAL_KINDS", "FAN_KINDS", "Drafter", "build_dataset"]

#: the kinds of post a blog writes, in turn (``draft_<kind>`` of :class:`Drafter`)
CRIMINAL_KINDS = (
    "stream",
    "stream",
    "hidden_stream",
    "lure_only",
    "stream",
    "stream",
    "embedded_lure",
    "hidden_stream",
    "unwatched",
    "stream",
    "near_miss_stream",
    "stream",
)
FAN_KINDS = (
    "review",
    "trailer",
    "box_office",
    "streaming_news",
    "fan_art",
    "scam_warning",
    "legit_links",
    "comment_widget",
    "legit_signin",
    "near_miss_review",
    "review",
)


_YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
_YEAR_SPAN = int((datetime(2026, 11, 27, tzinfo=UTC) - _YEAR_START).total_seconds())
_TUMBLR_ID_BASE = 780_000_000_000_000_000  # 2026-era Tumblr ids: far above 2**53
_POSTS_PER_BLOG = {"criminal": 12, "fan": 11}
_FORMATS = {"tumblr": ("legacy", "npf"), "wordpress": ("classic", "block"), "blogger": ("html",)}


class Drafter(StreamDrafts, FanDrafts):
    """Writes every kind of post draft, creating the landing pages they link to in ``book``."""


class _World:
    """Generation state: the random source, the film rotations and the landing book."""

    def __init__(self, seed: int, plan: SeoPhrasings, watched: list[Film]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.book = LandingBook()
        self.drafter = Drafter(self.book, plan, self.rng)
        self.watched = {f.title: f for f in watched}
        self._films = itertools.cycle(watched)
        self._unwatched = itertools.cycle(UNWATCHED)
        self._near = itertools.cycle(NEAR_MISSES)
        self._used_ids: set[str] = set()
        self.searchable: set[str] = set()  # post URLs the platform's search finds by film name
        self.fakes: set[str] = set()  # fake streams, of watched films or not

    def next_watched(self) -> Film:
        return next(self._films)

    def draft(self, kind: str, slot: PostSlot) -> Draft:
        d = self.drafter
        if kind == "unwatched":
            return d.draft_unwatched(next(self._unwatched), slot)
        if kind in ("near_miss_stream", "near_miss_review"):
            film, related = next(self._near)
            build = (
                d.draft_near_miss_stream
                if kind == "near_miss_stream"
                else d.draft_near_miss_review
            )
            return build(film, slot, self.watched.get(related))
        write: Callable[[Film, PostSlot], Draft] = getattr(d, f"draft_{kind}")
        return write(self.next_watched(), slot)

    def unique_id(self, make: Callable[[], str]) -> str:
        while (value := make()) in self._used_ids:
            pass
        self._used_ids.add(value)
        return value


def _tumblr_id(first: int, rng: random.Random) -> str:
    return str(first + rng.randrange(1_000_000))


def _post_ids(world: _World, blog: Blog, dates: list[datetime]) -> list[str]:
    """Ids in the platform's style, increasing with time where the platform's are."""
    rng = world.rng
    if blog.platform == "tumblr":
        base = int(_YEAR_START.timestamp())
        firsts = [_TUMBLR_ID_BASE + (int(d.timestamp()) - base) * 1_000_000 for d in dates]
        return [world.unique_id(partial(_tumblr_id, first, rng)) for first in firsts]
    if blog.platform == "blogger":
        return [world.unique_id(lambda: str(rng.randrange(10**18, 10**19))) for _ in dates]
    start = rng.randrange(40, 400)
    return [str(start + 3 * i + rng.randrange(3)) for i in range(len(dates))]


def _slug(title: str, platform: str, taken: set[str]) -> str:
    slug = slugify(html.unescape(title), 40 if platform == "blogger" else 80)
    base = slug
    n = 2
    sep = "_" if platform == "blogger" else "-"
    while slug in taken:
        slug = f"{base}{sep}{n}"
        n += 1
    taken.add(slug)
    return slug


def _plain_title(draft: Draft) -> str:
    """``Post.title`` is plain text; ``html_entities`` keeps references (double-encoded spam)."""
    if "disguise: html_entities" in draft.note:
        return draft.title.replace("&amp;", "&")
    return html.unescape(draft.title)


def _truth(draft: Draft, book: LandingBook) -> Truth:
    film = draft.film
    fake = draft.fake_stream and film.watched
    lure = draft.embedded_lure or any(book.leads_to_lure(u) for u in draft.outbound)
    matched = film.title if (fake or lure) and film.watched else None
    return Truth(
        fake_stream=fake, sso_lure=lure, matched_title=matched, note=f"{draft.kind}: {draft.note}"
    )


def _blog_posts(world: _World, blog: Blog, spec: BlogSpec) -> list[Post]:
    count = _POSTS_PER_BLOG[spec.persona]
    kinds = CRIMINAL_KINDS if spec.persona == "criminal" else FAN_KINDS
    dates = sorted(
        _YEAR_START + timedelta(seconds=world.rng.randrange(_YEAR_SPAN)) for _ in range(count)
    )
    ids = _post_ids(world, blog, dates)
    formats = _FORMATS[blog.platform]
    posts: list[Post] = []
    slugs: set[str] = set()
    for i, (published, post_id) in enumerate(zip(dates, ids, strict=True)):
        slot = PostSlot(blog, post_id, spec.languages[i % len(spec.languages)])
        draft = world.draft(kinds[(i + len(blog.name)) % len(kinds)], slot)
        title = _plain_title(draft)
        posts.append(
            Post(
                blog,
                post_id,
                _slug(title, blog.platform, slugs),
                title,
                draft.body,
                published,
                tags=list(dict.fromkeys(draft.tags)),
                language=draft.language,
                truth=_truth(draft, world.book),
                outbound=list(dict.fromkeys(draft.outbound)),
                post_format=formats[i % len(formats)],
            )
        )
        _note_reach(world, posts[-1], draft)
    return posts


def _note_reach(world: _World, post: Post, draft: Draft) -> None:
    """Remember whether the platform's search finds ``post`` by its film's name."""
    if draft.fake_stream:
        world.fakes.add(post.url)
    words = set(search_tokens(draft.film.title))
    text = set(search_tokens(f"{post.title} {post.body_html} {' '.join(post.tags)}"))
    if words and words <= text and not post.blog.options.get("unindexed"):
        world.searchable.add(post.url)


def _cross_link(posts: list[Post]) -> None:
    """Every third plain fake stream of a criminal blog links a fake of a "player" blog (of its
    own platform, else Blogger's: a Tumblr post whose player is a blogspot page); a link to a
    player post that embeds a sign-in trap makes the linking post a lure too."""
    players: dict[str, list[Post]] = {}
    for post in posts:
        if post.blog.options.get("player") and post.truth.fake_stream:
            players.setdefault(post.platform, []).append(post)
    if "blogger" not in players:
        return
    targets = {platform: itertools.cycle(found) for platform, found in players.items()}
    linkers = [
        p for p in posts if p.truth.note.startswith("stream:") and not p.blog.options.get("player")
    ]
    for post in linkers[::3]:
        target = next(targets.get(post.platform) or targets["blogger"])
        post.body_html += f'\n<p><a href="{html.escape(target.url)}">Server HD (backup)</a></p>'
        post.outbound.append(target.url)
        if target.truth.note.startswith("embedded_lure:"):
            note = f"{post.truth.note}; links a sign-in trap on another blog"
            post.truth = replace(post.truth, sso_lure=True, note=note)


def _routes(world: _World, posts: list[Post]) -> None:
    """Give every fake and lure the routes that reach it (see the module docstring)."""
    linked_by: dict[str, list[Post]] = {}
    for post in posts:
        for url in post.outbound:
            linked_by.setdefault(url, []).append(post)
    reached = set(world.searchable)
    while True:
        blogs = {p.blog.host for p in posts if p.url in reached and p.truth.is_hit}
        new = {
            p.url
            for p in posts
            if p.url not in reached
            and (p.blog.host in blogs or _linked_from(p, linked_by, reached))
        }
        if not new:
            break
        reached |= new
    hits = Counter(p.blog.host for p in posts if p.url in reached and p.truth.is_hit)
    for post in posts:
        if not (post.truth.is_hit or post.url in world.fakes):
            continue
        own = 1 if post.url in reached and post.truth.is_hit else 0
        routes = [
            name
            for name, reaches in (
                ("search", post.url in world.searchable),
                ("expansion", hits[post.blog.host] - own > 0),
                ("cross-link", _linked_from(post, linked_by, reached)),
            )
            if reaches
        ]
        post.truth = replace(post.truth, routes=tuple(routes))


def _linked_from(post: Post, linked_by: dict[str, list[Post]], reached: set[str]) -> bool:
    """True if a reached post of the same platform (on another blog) links ``post``."""
    return any(
        q.url in reached and q.platform == post.platform and q.blog is not post.blog
        for q in linked_by.get(post.url, ())
    )


def build_dataset(seed: int = 2026, scale: int = 1) -> Dataset:
    """The replica's world for ``seed``; ``scale`` multiplies blogs and posts (20: 6,000)."""
    if scale < 1:
        raise WorldError(f"scale must be >= 1, not {scale}")
    world = _World(seed, SPAM_SEO, watched_films())
    blogs: list[Blog] = []
    posts: list[Post] = []
    for blog, spec in make_blogs(world.rng, scale):
        blogs.append(blog)
        posts.extend(_blog_posts(world, blog, spec))
    _cross_link(posts)
    _routes(world, posts)
    return Dataset(blogs, posts, world.book.landings, robots=dict(world.book.robots))
