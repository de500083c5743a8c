"""Harmless pages posts link to: film databases, trailers, cinemas, legit sign-in pages, ad
players.

Each ``benign_*`` function returns ``(url, html)`` for a film, pure like the lure pages.
"""

from __future__ import annotations

from urllib.parse import quote

from replica.content.films import Film
from replica.content.lure_pages import LurePage
from replica.content.markup import GOOGLE_OAUTH, code_for, number_for, page

__all__ = ["BENIGN_PAGES", "SCAM_WARNING_URLS"]


def benign_imdb(film: Film) -> tuple[str, str]:
    url = f"https://www.imdb.com/title/tt{number_for('imdb', film.title)}/"
    return url, page(
        f"{film.shown} ({film.year_text}) - IMDb",
        (
            "<h1 "
            f'data-testid="hero-title-block__title">{film.shown}</h1><ul><li>{film.year_text}</li><li>PG-13</li></ul>'
            '<div class="rating">7.4/10</div><a '
            'href="https://www.imdb.com/registration/signin">Sign in</a>'
            f"<section><h3>Storyline</h3><p>The story of {film.shown}.</p></section>"
        ),
    )


def benign_youtube_watch(film: Film) -> tuple[str, str]:
    url = f"https://www.youtube.com/watch?v={code_for('yt', film.title, length=11)}"
    signin = (
        "https://accounts.google.com/ServiceLogin?service=youtube&amp;uilel=3&amp;passive=true"
        "&amp;continue=https%3A%2F%2Fwww.youtube.com%2Fsignin%3Faction_handle_signin%3Dtrue"
    )
    return url, page(
        f"{film.shown} | Official Trailer - YouTube",
        (
            f'<ytd-app><a class="sign-in" href="{signin}">Sign in</a><h1>{film.shown} | Official '
            "Trailer</h1>"
            '<div id="player"></div><p>12,345,678 views</p></ytd-app>'
        ),
    )


def benign_youtube_embed(film: Film) -> tuple[str, str]:
    url = f"https://www.youtube.com/embed/{code_for('yt', film.title, length=11)}"
    return url, page(
        f"{film.shown} - YouTube", '<div id="player" class="html5-video-player"></div>'
    )


def benign_cinema(film: Film) -> tuple[str, str]:
    url = f"https://www.odeon.co.uk/films/{film.slug}/{number_for('odeon', film.title, digits=5)}/"
    return url, page(
        f"{film.shown} | ODEON",
        (
            f"<h1>{film.shown}</h1><p>Book tickets now. Showing from Friday.</p>"
            '<ul class="showtimes"><li>12:30</li><li>15:45</li><li>19:10</li></ul>'
            '<a href="/account/sign-in/">Sign in to myODEON</a>'
        ),
    )


def benign_netflix_signin(film: Film) -> tuple[str, str]:
    """A legitimate streaming service's own sign-in form, on its own domain."""
    url = "https://www.netflix.com/login"
    return url, page(
        "Netflix",
        (
            '<h1>Sign In</h1><form action="/login" method="post" class="login-form">'
            '<input name="userLoginId" type="email"><input name="password" type="password">'
            '<button>Sign In</button></form><p>New to Netflix? <a href="/signup">Sign up '
            "now</a>.</p>"
        ),
    )


def benign_disneyplus(film: Film) -> tuple[str, str]:
    url = (
        f"https://www.disneyplus.com/movies/{film.slug}/{code_for('dplus', film.title, length=12)}"
    )
    return url, page(
        f"Watch {film.shown} | Disney+",
        (
            f"<h1>{film.shown}</h1><p>Stream now on Disney+.</p><a "
            'href="https://www.disneyplus.com/login">Log In</a>'
        ),
    )


def benign_letterboxd(film: Film) -> tuple[str, str]:
    """A real site's own "Sign in with Google": real authorize URL, narrow scopes, own redirect."""
    url = f"https://letterboxd.com/film/{film.slug}/"
    auth = GOOGLE_OAUTH.format(
        client="731230497-letterboxd",
        redirect=quote("https://letterboxd.com/user/google/callback", safe=""),
        scope=quote("openid email profile", safe=""),
    )
    return url, page(
        f"{film.shown} ({film.year_text}) - Letterboxd",
        (
            f'<h1 class="headline-1">{film.shown}</h1><p>Reviews, ratings and lists.</p>'
            f'<a class="google-signin" href="{auth}">Sign in with Google</a>'
        ),
    )


def benign_boxoffice(film: Film) -> tuple[str, str]:
    url = f"https://www.boxofficemojo.com/release/rl{number_for('bom', film.title, digits=10)}/"
    return url, page(
        f"{film.shown} - Box Office Mojo",
        (
            f"<h1>{film.shown} ({film.year_text})</h1><table><tr><td>Domestic "
            "Opening</td><td>$98,412,337</td></tr></table>"
        ),
    )


def benign_news(film: Film) -> tuple[str, str]:
    number = number_for("var", film.title, digits=7)
    url = f"https://variety.com/2026/film/news/{film.slug}-streaming-date-{number}/"
    return url, page(
        f"{film.shown} Sets Streaming Date - Variety",
        (
            f"<article><h1>{film.shown} Sets Streaming Premiere "
            "Date</h1><p>The film will be available to subscribers"
            " next month.</p></article>"
        ),
    )


def benign_wikipedia(film: Film) -> tuple[str, str]:
    url = f"https://en.wikipedia.org/wiki/{quote(film.title.replace(' ', '_'), safe='_:()')}"
    return url, page(
        f"{film.shown} - Wikipedia",
        f"<h1>{film.shown}</h1><p>{film.shown} is a {film.year_text} film.</p>",
    )


def benign_ad_player(film: Film) -> tuple[str, str]:
    """A fake-stream page with ads and a "download" button, no sign-in or payment form: no lure."""
    url = f"https://play.hdfilmizle.xyz/embed/{film.slug}"
    return url, page(
        f"{film.shown} izle - HD Player",
        (
            f'<div class="player"><video src="/media/{film.slug}.mp4" controls></video></div>'
            '<div class="ads"><a href="https://adclick.popcash.example/c?id=42">Ad</a></div>'
            f'<a class="download" href="https://dl.hdfilms-download.xyz/{film.slug}.exe">Download '
            "HD</a>"
            "<script>window.addEventListener('click',function(){window.open('https://adclick.popcash.example/pop')},{once:true});</script>"
        ),
    )


def benign_deviantart(film: Film) -> tuple[str, str]:
    number = number_for("da", film.title, digits=9)
    url = f"https://www.deviantart.com/filmfanart/art/{film.slug}-fan-poster-{number}"
    return url, page(
        f"{film.shown} fan poster by filmfanart on DeviantArt",
        f'<img src="https://images-wixmp.example/{film.slug}.jpg" alt="fan poster"><a '
        'href="/join">Join</a>',
    )


BENIGN_PAGES: dict[str, LurePage] = {
    "imdb": benign_imdb,
    "youtube_watch": benign_youtube_watch,
    "youtube_embed": benign_youtube_embed,
    "cinema": benign_cinema,
    "netflix_signin": benign_netflix_signin,
    "disneyplus": benign_disneyplus,
    "letterboxd_google": benign_letterboxd,
    "boxoffice": benign_boxoffice,
    "news": benign_news,
    "wikipedia": benign_wikipedia,
    "ad_player": benign_ad_player,
    "fan_art": benign_deviantart,
}

SCAM_WARNING_URLS: tuple[tuple[str, str], ...] = (
    (
        "https://consumer.ftc.gov/articles/watch-out-fake-movie-streaming-sites",
        page(
            "Watch Out for Fake Movie Streaming Sites | Consumer Advice",
            "<h1>Watch out for fake movie streaming sites</h1><p>Scammers "
            "promise free full movies, then ask you to "
            "&ldquo;sign in with Facebook to continue watching&rdquo; "
            "or to enter a credit card for a free account.</p>",
        ),
    ),
    (
        "https://www.actionfraud.police.uk/alert/free-film-streaming-phishing",
        page(
            "Free film streaming phishing | Action Fraud",
            "<h1>Alert: free film streaming phishing</h1><p>Do not "
            "enter your password on streaming sites you reached "
            "from a blog post.</p>",
        ),
    ),
)
