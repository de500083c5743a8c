
"""Blog-post cases: fake streams (watched and near-miss titles, many disguises, some with inline
lures), account-verification lures, and hard negatives (reviews, trailers, news, warnings, ...)."""

from __future__ import annotations

import datetime as dt
import html as _html
import random
from collections.abc import Callable

from . import kits
from .common import (
    STREAM_HOSTS,
    Page,
    disguise,
    esc,
    fill,
    pick,
    rand_token,
    short_link,
    slugify,
    tumblr_wrap,
)
from .films import WATCHED, Film
from .fmt import Fmt
from .phrases import MONTHS, NEG, STREAM
from .themes import PostCtx, render_blogger, render_tumblr, render_wordpress, tumblr_post_id

__all__ = ["NEG_KINDS", "account_lure_post", "negative_post", "stream_post"]

RENDER = {"tumblr": render_tumblr, "wordpress": render_wordpress, "blogger": render_blogger}

_SPAM_NAMES = {
    "en": [
        "moviefan22",
        "hdmovies-free-2026",
        "watchfullmovies4k",
        "streamflixhd",
        "cinema4k-online",
        "freemoviezone",
        "fullmovie-hd-en",
        "bestmoviesnow",
        "123-movies-hub",
        "watch-online-hq",
    ],
    "fr": ["streaming-vf-gratuit", "film-complet-vf", "regarder-films-hd", "voirfilm-hd"],
    "es": [
        "peliculas-latino-gratis",
        "verpelis-online-hd",
        "cuevana-estrenos",
        "pelis-completas-hd",
    ],
    "de": ["ganzer-film-stream", "kinox-filme-hd", "filme-deutsch-online", "stream-german-hd"],
    "pt": ["filmes-dublados-hd", "assistir-filmes-gratis", "filmes-online-br", "topflix-hd"],
    "id": ["nonton-film-gratis", "lk21-terbaru", "film-sub-indo-hd", "rebahin-movie"],
    "it": ["film-streaming-ita", "altadefinizione-film", "guarda-film-gratis", "cb01-streaming"],
    "tr": ["film-izle-hd", "full-film-izle"],
    "vi": ["phim-moi-hd", "xem-phim-vietsub"],
    "ru": ["kino-online-hd", "filmy-besplatno"],
}
_FAN_NAMES: dict[str, dict[str, list[str]]] = {
    "en": {
        "tumblr": [
            "popcornaddict",
            "lunaticdraws",
            "grogu-and-me",
            "spideyfanclub",
            "cinephile-notes",
            "arrakis-daily",
            "marvelmess",
            "filmgrainjournal",
            "velvetreels",
            "midnight-matinee",
            "reelqueen",
            "sandworm-sketches",
        ],
        "wordpress": [
            "reelthoughts.blog",
            "moviereviewsbymara.wordpress.com",
            "boxofficebeat.wordpress.com",
            "thesecondscreen.net",
            "popculturedesk.wordpress.com",
            "thecinemaledger.com",
        ],
        "blogger": [
            "cinemaddict-reviews",
            "filmfreak-diary",
            "safe-surfing-tips",
            "matinee-memos",
            "reel-rundown",
        ],
    },
    "fr": {
        "tumblr": ["cinephile-parisienne", "notes-de-cinema"],
        "wordpress": ["cinemarevue.fr", "lecranvert.wordpress.com"],
        "blogger": ["notesdecinema", "le-blog-du-cine"],
    },
    "es": {
        "tumblr": ["cinefila-mx", "palomitasyresenas"],
        "wordpress": ["lapantallagrande.es", "cineenserie.wordpress.com"],
        "blogger": ["elcinedemiabuela", "cinefilia-latina"],
    },
    "de": {
        "tumblr": ["kinoliebe", "filmtagebuch-de"],
        "wordpress": ["filmkritik-blog.de", "kinozeit-notizen.wordpress.com"],
        "blogger": ["kinonotizen", "filmecke-blog"],
    },
    "pt": {
        "tumblr": ["cinefila-br", "pipocaeresenha"],
        "wordpress": ["cinesetbrasil.com.br", "telonacritica.wordpress.com"],
        "blogger": ["cinefilodehoje", "blogdapipoca"],
    },
    "id": {
        "tumblr": ["catatan-sinema", "filmkita-id"],
        "wordpress": ["ulasanfilm.id", "bioskopmania.wordpress.com"],
        "blogger": ["catatanfilm", "review-film-indo"],
    },
    "it": {
        "tumblr": ["cinefila-italiana", "appunti-di-cinema"],
        "wordpress": ["ilgrandeschermo.it", "cinefilos-it.wordpress.com"],
        "blogger": ["ilcinemadiluca", "cineforum-blog"],
    },
    "tr": {
        "tumblr": ["sinema-notlari"],
        "wordpress": ["sinemadefteri.wordpress.com"],
        "blogger": ["sinema-gunlugu"],
    },
    "vi": {
        "tumblr": ["phim-hay-review"],
        "wordpress": ["goc-dien-anh.wordpress.com"],
        "blogger": ["review-phim-hay"],
    },
    "ru": {
        "tumblr": ["kino-zametki"],
        "wordpress": ["kinokritika.wordpress.com"],
        "blogger": ["kinoblog-ru"],
    },
}
_AUTHORS = {
    "en": ["Mara Quinn", "Dev Patel", "sam", "J. Alvarez", "Kim Osei"],
    "fr": ["Claire Martin", "Julien B."],
    "es": ["Lucía Ortega", "Pablo R."],
    "de": ["Jonas Weber", "Anna K."],
    "pt": ["Rafaela Souza", "Thiago M."],
    "id": ["Dewi Lestari", "Rizky P."],
    "it": ["Giulia Rossi", "Marco V."],
    "tr": ["Elif Y."],
    "vi": ["Minh Anh"],
    "ru": ["Ирина С."],
}


def _site(rng: random.Random, platform: str, lang: str, spam: bool) -> str:
    if spam:
        name = rng.choice(_SPAM_NAMES[lang]) + (
            str(rng.randint(1, 99)) if rng.random() < 0.4 else ""
        )
        return f"{name.replace('.', '-')}.wordpress.com" if platform == "wordpress" else name
    return rng.choice(_FAN_NAMES[lang][platform])


def _date(rng: random.Random, film: Film) -> dt.datetime:
    year = film.year if film.year in (2013, 2026) else rng.choice((2025, 2026))
    month = rng.randint(3, 9) if year in (2013, 2026) else rng.randint(1, 12)
    return dt.datetime(
        year, month, rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    )


def _render(rng: random.Random, platform: str, ctx: PostCtx) -> tuple[str, str]:
    return RENDER[platform](ctx, rng)


# fake streams
class _Stream:
    """State for one fake-stream post: title spelling, disguise, the off-platform domain."""

    def __init__(
        self,
        rng: random.Random,
        platform: str,
        lang: str,
        film: Film,
        how: str,
        site: str,
        pid: str,
    ) -> None:
        self.rng, self.platform, self.lang, self.film, self.how = rng, platform, lang, film, how
        self.site, self.pid = site, pid
        self.form = rng.choice(film.forms_for(lang))
        self.host = rng.choice(STREAM_HOSTS)
        self.pool = STREAM[lang]

    def t(self) -> str:
        return disguise(self.form, self.how, self.rng)

    def line(self, template: str) -> str:
        return fill(template, self.t(), y=self.film.year)

    def link(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            target = short_link(r)
        elif roll < 0.6:
            target = f"https://{self.host}/watch/{slugify(self.form)}-{self.film.year}?ref={r.choice(('tb', 'blog', 'p'))}"
        else:
            target = f"https://{self.host}/{r.choice(('movie', 'film', 'play', 'v'))}/{rand_token(r, 6).lower()}"
        if self.platform == "tumblr" and r.random() < 0.5:
            return tumblr_wrap(target, self.site, self.pid, r)
        return esc(target)


def _release_names(s: _Stream) -> list[str]:
    base = s.form if s.how in ("dots", "underscores") else s.film.forms[0]
    words = "".join(ch if ch.isalnum() else " " for ch in base.replace("&", "and")).split()
    stem = ".".join(words) + f".{s.film.year}"
    tails = [
        "1080p.WEBRip.x264-RARBG",
        "720p.HDCAM.x264",
        "2160p.WEB-DL.DDP5.1.HDR.H.265",
        "1080p.BluRay.x264-SPARKS",
        "HDTS.x264-CPG",
        "1080p.AMZN.WEB-DL.DDP5.1.H.264",
        "480p.HDRip.XviD",
    ]
    return [f"{stem}.{t}" for t in pick(s.rng, tails, s.rng.randint(3, 5))]


def _stream_parts(s: _Stream, fmt: Fmt, style: str) -> list[str]:
    r, pool = s.rng, s.pool
    parts: list[str] = []
    play = fmt.image(
        fmt.external_image("play-button") if r.random() < 0.6 else fmt.image_src("poster"),
        "Watch " + s.t() + " full movie",
        s.link(),
    )
    cta = fmt.button(s.link(), "&#9654; " + s.line(r.choice(pool["cta"])))
    if style == "release":
        items = [
            f'<code>{esc(n)}</code> &mdash; <a href="{s.link()}">Download</a> | <a href="{s.link()}">Stream</a>'
            for n in _release_names(s)
        ]
        parts += [fmt.para(s.line(r.choice(pool["body"]))), fmt.ulist(items)]
    elif style == "servers":
        names = pick(
            r, ["Streamtape", "Doodstream", "Voe", "Mixdrop", "Filemoon", "Upstream", "Vidoza"], 4
        )
        parts += [
            fmt.para(s.line(r.choice(pool["body"]))),
            play,
            fmt.ulist(
                [
                    f'<a href="{s.link()}">Server {i + 1} - {n} (HD)</a>'
                    for i, n in enumerate(names)
                ]
            ),
        ]
    elif style == "minimal":
        parts += [play, fmt.para(s.line(r.choice(pool["cta"])))]
    elif style == "synopsis":
        cast = ", ".join(s.film.cast)
        info = f"Genre: Action | Runtime: {r.randint(95, 165)} min | Cast: {esc(cast)} | Director: {esc(s.film.director)}"
        parts += [play, fmt.para(info), fmt.para(s.line(r.choice(pool["body"]))), cta]
    else:
        parts += (
            [play] + [fmt.para(s.line(b)) for b in pick(r, pool["body"], r.randint(2, 4))] + [cta]
        )
    if style == "stuffed" or r.random() < 0.25:
        frags = [s.line(x) for x in pick(r, pool["stuff"], r.randint(6, 10))]
        parts.append(fmt.para(", ".join(frags)))
    return parts


_LURES = ("sso_buttons", "form", "obf", "oauth_broad", "card")


def _inline_lure(s: _Stream, fmt: Fmt, lure: str) -> str:
    r = s.rng
    intro = fmt.para(
        esc(
            r.choice(
                (
                    "To unlock the full HD movie, verify your age (free):",
                    "Sign in once to remove the 5-minute preview limit:",
                    "Members only - log in to continue watching:",
                )
            )
        )
    )
    if lure == "sso_buttons":
        provs = pick(r, ["Facebook", "Google", "Apple", "Microsoft"], r.randint(1, 3))
        return (
            intro
            + "\n"
            + kits.sso_buttons(r, s.lang, provs, r.choice(("lookalike", "foreign", "shortener")))
        )
    if lure == "form":
        return (
            intro
            + "\n"
            + kits.credential_form(
                r, kits.collector_action(r), r.choice(("Facebook", "Google")), s.lang
            )
        )
    if lure == "obf":
        form = kits.credential_form(r, kits.collector_action(r), "Facebook", s.lang)
        return (
            intro
            + '\n<div id="player-wrap"></div><div id="app"></div>\n'
            + kits.obfuscate(form, r.choice(tuple(kits.OBFUSCATIONS)), r)
        )
    if lure == "oauth_broad":
        prov = r.choice(("Google", "Microsoft"))
        href = kits.oauth_url(r, prov, f"https://{s.host}/oauth/callback", broad=True)
        return intro + "\n" + fmt.button(href, esc(f"Continue with {prov}"))
    return intro + "\n" + kits.card_form(r, kits.collector_action(r), s.lang)


def stream_post(
    rng: random.Random,
    platform: str,
    lang: str,
    film: Film,
    how: str,
    style: str,
    lure: str | None = None,
    also: list[Film] | None = None,
) -> Page:
    """A fake-streaming post for `film` (watched or not), optionally carrying an inline lure."""
    date = _date(rng, film)
    site = _site(rng, platform, lang, spam=True)
    pid = tumblr_post_id(rng, date.year) if platform == "tumblr" else ""
    s = _Stream(rng, platform, lang, film, how, site, pid)
    fmt = Fmt(platform, site, rng, date.year)
    heads = s.pool["head"]
    if not film.watched and any(w.title == film.title for w in WATCHED):
        heads = [
            h for h in heads if "{y}" in h
        ]  # a same-name older film: only the year tells them apart
    head_tpl = rng.choice(heads)
    headline = (
        esc(_release_names(s)[0])
        if style == "release" and rng.random() < 0.5
        else s.line(head_tpl)
    )
    parts = _stream_parts(s, fmt, style)
    if also:
        parts.append(
            fmt.para(
                "More: "
                + " | ".join(
                    f'<a href="{s.link()}">{esc(f.forms[0])} ({f.year})</a>' for f in also
                )
            )
        )
    if lure:
        parts.insert(rng.randint(1, len(parts)), _inline_lure(s, fmt, lure))
    # Disguised posts usually disguise their tags too; a quarter keep plain tags for tag search.
    tag_title = s.form if how == "plain" or rng.random() < 0.25 else _html.unescape(s.t())
    tags = [
        x.replace("{t}", tag_title).replace("{y}", str(film.year))
        for x in pick(rng, s.pool["stuff"], rng.randint(3, 8))
    ]
    slug_text = plain_slug(head_tpl, s)
    ctx = PostCtx(
        lang,
        headline,
        "\n".join(parts),
        slug_text,
        site,
        site.split(".")[0].replace("-", " ").title(),
        "admin",
        date,
        tags,
        "photo" if platform == "tumblr" and style == "minimal" else "text",
        summary=_html.unescape(headline),
        comments="none" if rng.random() < 0.6 else "auto",
        post_id=pid,
    )
    url, page = _render(rng, platform, ctx)
    watched = film.watched
    note = (
        f"fake stream, {'watched' if watched else 'NOT watched (near miss/other film)'} title "
        f"'{film.title}' ({film.year}), form '{s.form}', disguise {how}, style {style}"
    )
    if lure:
        note += f", inline lure {lure}"
    if also:
        note += ", also lists unwatched titles " + ", ".join(f.title for f in also)
    return Page(
        platform,
        "post",
        url,
        lang,
        page,
        watched,
        lure is not None,
        film.title if watched else None,
        note,
        f"stream:{style}:{how}" + (f":{lure}" if lure else ""),
    )


def plain_slug(head_tpl: str, s: _Stream) -> str:
    """The text the platform would slug: the headline with the title as typed (disguise
    included)."""
    return _html.unescape(head_tpl.replace("{t}", s.t()).replace("{y}", str(s.film.year)))


# account-verification lures (no film)
def account_lure_post(rng: random.Random, platform: str, lang: str, variant: str) -> Page:
    """A post whose own HTML is a credential lure unrelated to a watched film."""
    date = dt.datetime(
        2026, rng.randint(3, 8), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
    )
    site = _site(rng, platform, lang, spam=True)
    fmt = Fmt(platform, site, rng, 2026)
    brand = {"tumblr": "Tumblr", "blogger": "Google", "wordpress": "WordPress.com"}[platform]
    if variant == "giveaway":
        headline = esc("FREE Netflix Premium for 12 months - claim now (only 500 codes left)")
        body = [
            fmt.para(
                esc(
                    "Thanks to our sponsor you can claim a free Netflix Premium code. Log in to confirm you are a real person:"
                )
            ),
            kits.sso_buttons(
                rng, lang, ["Facebook", "Google"], rng.choice(("lookalike", "shortener"))
            ),
        ]
        note = "giveaway scam post with provider-named buttons to non-provider hosts; no film"
    elif variant == "verify_form":
        headline = esc(f"{brand} Safety Team: your account has been flagged")
        action = kits.collector_action(rng)
        body = [
            fmt.para(
                esc(
                    f"We detected unusual activity. Confirm your {brand} login within 24 hours or your blog will be removed."
                )
            ),
            kits.credential_form(rng, action, brand, "en"),
        ]
        note = f"platform-staff impersonation with an inline {brand} password form posting to {action.split('?')[0][:40]}"
    else:
        headline = esc(f"Appeal: your {brand} blog was suspended")
        body = [
            fmt.para(esc(f"To appeal, sign in with your {brand} account below.")),
            fmt.button(
                esc(kits.lookalike_url(rng, brand if brand in kits.LOOKALIKE else "Google")),
                esc(f"Log in with {brand}"),
            ),
        ]
        note = f"suspension-appeal post, 'Log in with {brand}' button to a look-alike host"
    pid = tumblr_post_id(rng, 2026) if platform == "tumblr" else ""
    ctx = PostCtx(
        lang,
        headline,
        "\n".join(body),
        headline,
        site,
        "Notice",
        "staff",
        date,
        ["important", "notice"],
        comments="none",
        post_id=pid,
    )
    url, page = _render(rng, platform, ctx)
    return Page(
        platform, "post", url, lang, page, False, True, None, note, f"account_lure:{variant}"
    )


# hard negatives
def _neg_values(rng: random.Random, film: Film, lang: str) -> dict[str, object]:
    return {
        "y": film.year,
        "d": film.director,
        "c": rng.choice(film.cast),
        "s": film.streamer,
        "m": rng.choice(MONTHS.get(lang, MONTHS["en"])),
        "n": rng.randint(3, 9),
    }


def _neg_text(
    rng: random.Random, lang: str, film: Film, kind: str, k: int
) -> tuple[str, list[str]]:
    pool = NEG[lang] if kind in NEG[lang] else NEG["en"]
    t_html = esc(rng.choice(film.forms_for(lang)[:2]))
    vals = _neg_values(rng, film, lang)
    head = fill(rng.choice(pool[kind + "_head"]), t_html, **vals)
    chosen = sorted(
        rng.sample(range(len(pool[kind])), min(k, len(pool[kind])))
    )  # keep the writer's order
    lines = [fill(pool[kind][i], t_html, **vals) for i in chosen]
    return head, lines


def _streamer_link(film: Film, rng: random.Random) -> str:
    slug = slugify(film.title)
    return {
        "Disney+": f"https://www.disneyplus.com/browse/entity-{rand_token(rng, 8).lower()}",
        "Netflix": f"https://www.netflix.com/title/{rng.randint(80000000, 82000000)}",
        "Max": f"https://play.max.com/movie/{rand_token(rng, 8).lower()}",
        "Peacock": f"https://www.peacocktv.com/watch-online/movies/{slug}",
        "Prime Video": f"https://www.primevideo.com/detail/{rand_token(rng, 10).upper()}",
        "Paramount+": f"https://www.paramountplus.com/movies/video/{rand_token(rng, 12)}/",
        "Crunchyroll": f"https://www.crunchyroll.com/{slug}",
    }[film.streamer]


def _body_review(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head, lines = _neg_text(rng, lang, film, "review", rng.randint(3, 6))
    parts = [fmt.image(fmt.image_src("still"), esc(film.title))] if rng.random() < 0.5 else []
    parts += [fmt.para(x) for x in lines]
    if rng.random() < 0.3:
        parts.append(fmt.youtube(fmt.youtube_id()))
    return head, parts, "review"


def _body_trailer(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    kind = "trailer" if "trailer" in NEG[lang] else "review"
    head, lines = _neg_text(rng, lang, film, kind, 2)
    return (
        head,
        [fmt.para(lines[0]), fmt.youtube(fmt.youtube_id()), fmt.para(lines[-1])],
        "trailer with YouTube embed",
    )


def _body_box(rng: random.Random, fmt: Fmt, lang: str, film: Film) -> tuple[str, list[str], str]:
    kind = "box" if "box" in NEG[lang] else "review"
    head, lines = _neg_text(rng, lang, film, kind, 3)
    return head, [fmt.para(x) for x in lines], "box-office news"


def _body_stream_news(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    kind = "stream" if "stream" in NEG[lang] else "review"
    head, lines = _neg_text(rng, lang, film, kind, 3)
    link = esc(_streamer_link(film, rng))
    parts = [fmt.para(x) for x in lines]
    parts.append(fmt.para(f'<a href="{link}">{esc(film.forms[0])} on {esc(film.streamer)}</a>'))
    return head, parts, f"legit streaming-release news linking to {film.streamer}"


def _body_warning(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head, lines = _neg_text(rng, lang, film, "warn", rng.randint(3, 5))
    parts = [fmt.para(x) for x in lines]
    if rng.random() < 0.6:
        lure_phrase = fill(rng.choice(STREAM[lang]["head"]), esc(film.forms[0]), y=film.year)
        parts.insert(1, fmt.quote(lure_phrase))
    if rng.random() < 0.5:
        bad = rng.choice(kits.LOOKALIKE[rng.choice(("Google", "Facebook"))]).replace(".", "[.]")
        parts.append(
            fmt.para(f"Known bad domain (defanged): <code>hxxps://{esc(bad)}/login</code>")
        )
    return head, parts, "scam WARNING quoting lure phrases (and a defanged lure domain)"


def _body_interview(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head, lines = _neg_text(rng, "en", film, "interview", 3)
    return head, [fmt.para(x) for x in lines], "cast/director interview"


def _body_fanart(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head, lines = _neg_text(rng, "en", film, "fanart", 2)
    parts = [
        fmt.image(fmt.image_src("fanart"), esc(f"fan art of {film.title}")),
        fmt.para(lines[0]),
        fmt.para(lines[1]),
    ]
    return head, parts, "fan art post"


def _body_piracy_news(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    name = (
        ".".join(film.forms[0].replace("&", "and").replace(":", "").split())
        + f".{film.year}.1080p.WEBRip.x264"
    )
    head = esc(f"{film.forms[0]} leaked online days before release, studio confirms")
    parts = [
        fmt.para(
            esc(
                f"A high-quality copy of {film.forms[0]} appeared on torrent sites on Tuesday under the "
                f"file name \u201c{name}\u201d, according to anti-piracy firm MarkMonitor."
            )
        ),
        fmt.para(
            esc(
                "The studio said it is working with platforms to remove links and urged fans to wait for the "
                "official release. Security researchers warn that many 'free full movie' links lead to malware."
            )
        ),
        fmt.para(
            esc(
                f"{film.forms[0]} opens in theaters as planned; it will later stream on {film.streamer}."
            )
        ),
    ]
    return head, parts, "piracy NEWS quoting a release name"


def _body_security(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head = esc("How to tell a real 'Sign in with Google' page from a fake one")
    parts = [
        fmt.para(
            esc(
                "A real Google sign-in always happens on accounts.google.com. Check the address bar, not the page."
            )
        ),
        fmt.para(
            'Manage your security settings at <a href="https://myaccount.google.com/security">myaccount.google.com/security</a> '
            "and turn on 2-Step Verification. For Microsoft accounts use "
            '<a href="https://account.microsoft.com/security">account.microsoft.com/security</a>.'
        ),
        fmt.para(
            esc(
                "Browser-in-the-browser attacks draw a fake pop-up window that shows 'https://accounts.google.com' "
                "as plain text. If you cannot drag the window outside the page, it is fake."
            )
        ),
        fmt.button(
            "https://www.facebook.com/help/166863010078512",
            esc("Facebook: how to keep your account secure"),
        ),
    ]
    return head, parts, "security how-to that names providers and links their real domains"


def _body_newsletter(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head, lines = _neg_text(rng, lang, film, "review", 3)
    u, lid = rand_token(rng, 25, "0123456789abcdef"), rand_token(rng, 10, "0123456789abcdef")
    form = (
        f'<div id="mc_embed_signup"><form action="https://{slugify(fmt.site)[:12]}.us{rng.randint(2, 21)}.list-manage.com/'
        f'subscribe/post?u={u}&amp;id={lid}" method="post" id="mc-embedded-subscribe-form" target="_blank">'
        '<label for="mce-EMAIL">Get new reviews by email</label><input type="email" name="EMAIL" id="mce-EMAIL" required>'
        '<input type="submit" value="Subscribe" name="subscribe" id="mc-embedded-subscribe"></form></div>'
    )
    return (
        head,
        [fmt.para(x) for x in lines] + [form],
        "review with an email-only Mailchimp newsletter form",
    )


def _body_social_comment(
    rng: random.Random, fmt: Fmt, lang: str, film: Film
) -> tuple[str, list[str], str]:
    head, lines = _neg_text(rng, lang, film, "review", 3)
    site = fmt.site
    links = (
        f'<div class="nsl-container"><a href="https://{site}/wp-login.php?loginSocial=google&amp;redirect=%2F" '
        'class="nsl-button nsl-button-google">Continue with Google</a> '
        f'<a href="https://{site}/wp-login.php?loginSocial=facebook&amp;redirect=%2F" '
        'class="nsl-button nsl-button-facebook">Continue with Facebook</a></div>'
    )
    return (
        head,
        [fmt.para(x) for x in lines] + [fmt.para(esc("Log in to join the discussion:")), links],
        "review with a self-hosted social-login plugin (buttons go to the site's own wp-login.php)",
    )


def _body_event(rng: random.Random, fmt: Fmt, lang: str, film: Film) -> tuple[str, list[str], str]:
    head = esc(f"Free outdoor screening: watch {film.forms[0]} in Riverside Park this Saturday")
    parts = [
        fmt.para(
            esc(
                f"The city's summer cinema series continues with {film.forms[0]} on the big inflatable screen. "
                "Entry is free; bring a blanket. Doors at 7:30 pm, film at sunset."
            )
        ),
        fmt.para(
            esc(
                "Food trucks on site. In case of rain the screening moves to the community centre."
            )
        ),
    ]
    return head, parts, "community event 'watch X free in the park' (legit free screening)"


NEG_BODIES: dict[str, Callable[[random.Random, Fmt, str, Film], tuple[str, list[str], str]]] = {
    "review": _body_review,
    "trailer": _body_trailer,
    "box": _body_box,
    "stream_news": _body_stream_news,
    "warning": _body_warning,
    "interview": _body_interview,
    "fanart": _body_fanart,
    "piracy_news": _body_piracy_news,
    "security": _body_security,
    "newsletter": _body_newsletter,
    "social_comment": _body_social_comment,
    "event": _body_event,
}
NEG_KINDS = tuple(NEG_BODIES)


def negative_post(
    rng: random.Random, platform: str, lang: str, film: Film, kind: str, comments: str = "auto"
) -> Page:
    """A legitimate post that mentions `film`."""
    date = _date(rng, film).replace(month=rng.randint(5, 11))
    site = _site(rng, platform, lang, spam=False)
    if platform == "wordpress" and kind == "social_comment" and site.endswith(".wordpress.com"):
        site = next(x for x in _FAN_NAMES[lang]["wordpress"] if not x.endswith(".wordpress.com"))
    fmt = Fmt(platform, site, rng, date.year)
    head, parts, what = NEG_BODIES[kind](rng, fmt, lang, film)
    if platform == "blogger" and rng.random() < 0.3:
        # Old Blogger gadgets still build harmless markup with document.write(unescape(...)).
        counter = "".join(
            f"%{b:02X}"
            for b in f'<script src="https://widgets.amung.us/classic.js"></script>'
            f'<a href="https://whos.amung.us/stats/{rand_token(rng, 8).lower()}/">stats</a>'.encode()
        )
        parts.append(
            f'<script type="text/javascript">\ndocument.write(unescape("{counter}"));\n</script>'
        )
        what += " (plus a legacy hit-counter gadget written with document.write(unescape(...)))"
    author = rng.choice(_AUTHORS.get(lang, _AUTHORS["en"]))
    tags = [film.forms[0].lower(), rng.choice(("movies", "film", "cinema", "review", "news"))]
    post_type = "photo" if platform == "tumblr" and kind == "fanart" else "text"
    pid = tumblr_post_id(rng, date.year) if platform == "tumblr" else ""
    ctx = PostCtx(
        lang,
        head,
        "\n".join(parts),
        _html.unescape(head),
        site,
        site.split(".")[0].replace("-", " ").title(),
        author,
        date,
        tags,
        post_type,
        comments=comments,
        post_id=pid,
    )
    url, page = _render(rng, platform, ctx)
    has_widget = (
        ("comment-editor" in page)
        or ("highlander" in page)
        or ("verbum-social-login" in page)
        or ("jetpack-comment" in page)
    )
    note = f"hard negative: {what}; film '{film.title}' ({film.year}, {'watched' if film.watched else 'unwatched'})"
    if has_widget:
        note += "; page carries the platform's own comment/login widget"
    return Page(platform, "post", url, lang, page, False, False, None, note, f"neg:{kind}")


def ambiguous_post(rng: random.Random, platform: str, variant: str) -> Page:
    """A legitimate post whose words collide with a one-word or literary watched title."""
    date = dt.datetime(
        2026, rng.randint(1, 9), rng.randint(1, 28), rng.randint(8, 22), rng.randint(0, 59)
    )
    site = _site(rng, platform, "en", spam=False)
    fmt = Fmt(platform, site, rng, 2026)
    texts = {
        "odyssey": (
            "Reading The Odyssey again, in the Emily Wilson translation",
            [
                "Homer's The Odyssey reads like a thriller in Wilson's plain English.",
                "Book 9, the Cyclops, is still the best ten pages of adventure ever written.",
                "Free online text: the Perseus Digital Library has the Greek and an old translation.",
            ],
        ),
        "hail_mary": (
            "Book club: Project Hail Mary by Andy Weir",
            [
                "Our club read Project Hail Mary this month, and everyone loved Rocky.",
                "The science is hand-wavy in places but the friendship at its core is real.",
                "Next month: The Martian, for the people who missed it.",
            ],
        ),
        "street_fighter": (
            "Watch the Street Fighter 6 finals live, free, this weekend",
            [
                "The Capcom Cup finals stream live and free on the official Twitch and YouTube channels.",
                "Top 8 starts Sunday at 1 pm PT. No sign-up needed to watch.",
                "Official stream: twitch.tv/capcomfighters.",
            ],
        ),
        "michael": (
            "Happy birthday Michael! Photos from the party",
            [
                "Michael turned 40 on Saturday and we took over the back room of Luigi's.",
                "Thanks to everyone who came - the cake was a full-size Millennium Falcon.",
                "Watch the full video of the speech below (sorry about the audio).",
            ],
        ),
        "supergirl": (
            "Supergirl: Woman of Tomorrow - the comic that started it all",
            [
                "Tom King and Bilquis Evely's 2021 miniseries is a space western with a Kara Zor-El who has seen too much.",
                "If you only read one Supergirl book, make it this one.",
                "Collected edition: 200 pages, DC Comics.",
            ],
        ),
        "moana": (
            "A week on Moana Beach, Waikiki - where to eat and swim",
            [
                "We stayed near the Moana Surfrider, the oldest hotel on Waikiki beach.",
                "Morning swims before the crowds, poke bowls for lunch, sunsets from the banyan courtyard.",
                "Budget tip: the free hula show at Kuhio Beach runs three evenings a week.",
            ],
        ),
    }
    head, lines = texts[variant]
    parts = [fmt.para(esc(x)) for x in lines]
    if variant in ("street_fighter", "michael"):
        parts.append(fmt.youtube(fmt.youtube_id()))
    pid = tumblr_post_id(rng, 2026) if platform == "tumblr" else ""
    ctx = PostCtx(
        "en",
        esc(head),
        "\n".join(parts),
        head,
        site,
        site.split(".")[0].title(),
        "Mara Quinn",
        date,
        [variant.replace("_", " ")],
        post_id=pid,
    )
    url, page = _render(rng, platform, ctx)
    return Page(
        platform,
        "post",
        url,
        "en",
        page,
        False,
        False,
        None,
        f"hard negative: words collide with a watched title ({variant}) but not the film, no stream",
        f"neg:ambiguous:{variant}",
    )
