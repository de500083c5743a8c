"""3-D Secure look-alikes that name no bank, and the pages they must not be confused with."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.brands import load_brands
from pipelines.exceptions import WatchlistError
from pipelines.scoring import Assessment
from pipelines.watchlists import Watchlists, load_watchlists
from tests.detection.test_brand_lures import _judge, _page
from tests.detection.test_brands import GOOD

CODE = (
    '<form method="post" action="done.php"><input type="text" name="otp" maxlength="6"'
    ' inputmode="numeric"><button>Submit</button></form>'
)
CARD = (
    '<form method="post" action="/checkout/pay"><input name="card_number" placeholder="Card'
    ' number"><input name="expiry" placeholder="MM/YY"><input name="cvc" placeholder="CVC">'
    "<button>Pay</button></form>"
)
#: An issuer's challenge: who is paid, how much, the card's last digits.
CHALLENGE = (
    "<h2>Purchase authentication</h2><p>We sent a one-time passcode to your mobile ending in"
    " 21. Enter it to confirm this purchase.</p><p>Merchant: Greenleaf Tea</p>"
    "<p>Amount: GBP 24.50</p><p>Card: XXXX XXXX XXXX 4417</p>"
)


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _step_reason(got: Assessment) -> str:
    return next((r for r in got.reasons if "3-D Secure" in r), "")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '<img src="img/vbv.gif" alt="Verified by Visa">' + CHALLENGE + CODE,
            "Visa 3-D Secure one-time-code step on a foreign host secure-pay-check.pages.dev",
            id="programme-in-a-logo-alt",
        ),
        pytest.param(
            '<img src="img/mc_idcheck.svg" alt="">' + CHALLENGE + CODE,
            "3-D Secure one-time-code step on a foreign host secure-pay-check.pages.dev"
            " (logo file mc_idcheck.svg)",
            id="programme-only-in-a-logo-file-name",
        ),
        pytest.param(
            CHALLENGE + CODE,
            '("confirm this purchase" beside a masked card number)',
            id="no-programme-named-confirmation-beside-a-masked-card",
        ),
        pytest.param(
            "<h1>Mastercard ID Check</h1><p>Enter your code.</p>"
            '<form method="post"><input type="password" name="clave" maxlength="6">'
            "<button>OK</button></form>",
            "Mastercard 3-D Secure one-time-code step",
            id="code-typed-as-a-password",
        ),
    ],
)
def test_a_brandless_3ds_step_on_a_foreign_host_is_a_lure(
    wl: Watchlists, body: str, expected: str
) -> None:
    got = _judge(wl, "https://secure-pay-check.pages.dev/acs/", _page(body, "Authentication"))
    assert got.sso_lure
    assert expected in _step_reason(got)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(
            "https://authentication.cardinalcommerce.com/ThreeDSecure/Challenge",
            id="an-access-control-server",
        ),
        pytest.param("https://secure.barclays.co.uk/3dsecure/challenge", id="a-banks-own-page"),
        pytest.param("https://www.visa.com/visa-secure/challenge", id="the-schemes-own-page"),
    ],
)
def test_the_real_challenge_page_is_no_lure(wl: Watchlists, url: str) -> None:
    body = '<img src="visa_secure.png" alt="Visa Secure">' + CHALLENGE + CODE
    got = _judge(wl, url, _page(body, "Purchase Authentication"))
    assert not got.sso_lure
    assert _step_reason(got) == ""


#: Pages that name the programmes, a code step or card logos, on their own sites.
LOOKALIKES = [
    pytest.param(
        "https://shop.greenleaf-tea.co.uk/checkout/payment",
        "<h1>Payment</h1>"
        + CARD
        + "<p>Your payment is protected by 3-D Secure: your bank may ask you to confirm the"
        " payment with a code.</p>"
        '<img src="/img/visa-secure.svg" alt="Visa Secure">'
        '<img src="/img/mc-idcheck.svg" alt="Mastercard ID Check">',
        id="a-shop-checkout-naming-the-programmes",
    ),
    pytest.param(
        "https://www.shopnorth.se/account/verify",
        "<h1>Confirm your order</h1><p>Enter the code we sent to your phone.</p>"
        '<form method="post"><input name="code" maxlength="6" autocomplete="one-time-code">'
        "<button>Confirm</button></form>"
        '<footer><img src="/img/visa.svg" alt="Visa"><img src="/img/mastercard.svg"'
        ' alt="Mastercard"> We accept Visa and Mastercard</footer>',
        id="a-shops-order-code-beside-card-logos-presents-no-card-scheme",
    ),
    pytest.param(
        "https://www.moneysavvy-blog.com/fake-3ds/",
        "<article><h1>How to spot a fake 3-D Secure page</h1><p>Scammers copy the Verified by"
        " Visa screens and ask you to enter the code sent to your phone to confirm the payment"
        " on card XXXX 4417.</p></article>"
        '<form action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea>'
        '<input name="author"><input name="email" type="email"><button>Post</button></form>',
        id="an-article-about-fake-3ds-pages",
    ),
]


@pytest.mark.parametrize(("url", "body"), LOOKALIKES)
def test_a_page_naming_3ds_without_a_foreign_code_step_is_no_lure(
    wl: Watchlists, url: str, body: str
) -> None:
    assert not _judge(wl, url, _page(body, "Checkout")).sso_lure


THREE_DS = """
three_d_secure:
  schemes: [{scheme}]
  programmes: [Verified by Visa]
  assets: [vbv]
  confirmation: [confirm this purchase]
  acs_domains: [cardinalcommerce.com]
"""


def test_a_card_scheme_that_is_no_listed_brand_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "brands.yaml"
    path.write_text(GOOD + THREE_DS.format(scheme="Visa Card"))
    with pytest.raises(WatchlistError, match="schemes: not a listed brand"):
        load_brands(path)
    path.write_text(GOOD + THREE_DS.format(scheme="Examplepay"))
    assert load_brands(path).three_d_secure is not None
