"""Brands written in local scripts (Han, kana, Hangul, Thai, Cyrillic, Arabic) and regional
brands, and the pages that name them without being them."""

from __future__ import annotations

import pytest

from pipelines.brands import BrandIndex, load_brands
from pipelines.script_names import RunName, RunNames, short_run_name
from pipelines.watchlists import Watchlists, load_watchlists
from tests.detection.test_brand_lures import _brand_reason, _judge, _page

CARD = (
    '<form method="post" action="{action}"><input name="cardnumber" placeholder="{label}">'
    '<input name="exp" placeholder="MM/YY"><input name="cvc" placeholder="CVC">'
    "<button>OK</button></form>"
)
LOGIN = (
    '<form method="post" action="{action}"><input name="user" placeholder="{user}">'
    '<input type="password" name="pass" placeholder="{word}"><button>OK</button></form>'
)
CODE = (
    '<form method="post" action="check.php"><input name="otp" maxlength="6"'
    ' inputmode="numeric"><button>OK</button></form>'
)


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


@pytest.fixture(scope="module")
def idx() -> BrandIndex:
    return BrandIndex(load_brands())


LURES = [
    pytest.param(
        "https://nimotsu-toiawase-3.pages.dev/",
        _page(
            "<p>お届け予定のお荷物の送料が不足しています。お支払い後に配達いたします。</p>"
            + CARD.format(action="pay.php", label="カード番号"),
            "【ヤマト運輸】配達状況のご確認",
        ),
        "Yamato Transport card form",
        id="ja-delivery-firm-in-a-bracketed-title",
    ),
    pytest.param(
        "https://woori-auth-12.web.app/",
        _page(
            "<h2>본인확인</h2><p>휴대폰으로 발송된 인증번호를 입력해 주세요.</p>" + CODE,
            "우리은행 개인뱅킹",
        ),
        "Woori Bank one-time-code form",
        id="ko-bank-code-step-worded-inside-a-run",
    ),
    pytest.param(
        "https://bualuang-login.netlify.app/",
        _page(
            LOGIN.format(action="auth.php", user="ชื่อผู้ใช้", word="รหัสผ่าน"),
            "ยินดีต้อนรับสู่ธนาคารกรุงเทพออนไลน์",
        ),
        "Bangkok Bank sign-in form",
        id="th-bank-name-inside-a-run",
    ),
    pytest.param(
        "https://cmb-netbank.pages.dev/",
        _page(
            LOGIN.format(action="login.do", user="一网通账号", word="查询密码"),
            "招商银行一网通个人银行",
        ),
        "China Merchants Bank sign-in form",
        id="zh-bank-name-at-the-start-of-a-run",
    ),
    pytest.param(
        "https://posylka-oplata.web.app/",
        _page(
            "<p>Сплатіть доставку, щоб листоноша приніс відправлення.</p>"
            + CARD.format(action="pay.php", label="Номер картки"),
            "Укрпошта — оплата доставки",
        ),
        "Ukrposhta card form",
        id="uk-post-in-cyrillic",
    ),
    pytest.param(
        "https://card-member-7.pages.dev/",
        _page(
            LOGIN.format(action="go.php", user="ユーザID", word="パスワード"),
            "楽天e-NAVI",
        ),
        "Rakuten sign-in form",
        id="ja-short-name-glued-to-latin-letters",
    ),
]


@pytest.mark.parametrize(("url", "html", "expected"), LURES)
def test_a_lure_naming_its_brand_in_a_local_script_is_a_brand_lure(
    wl: Watchlists, url: str, html: str, expected: str
) -> None:
    got = _judge(wl, url, html)
    assert got.sso_lure
    assert _brand_reason(got).startswith(expected)


BENIGN = [
    pytest.param(
        "https://www.kuronekoyamato.co.jp/ytc/customer/members/",
        _page(
            LOGIN.format(action="/members/login", user="クロネコID", word="パスワード"),
            "クロネコメンバーズ｜ヤマト運輸",
        ),
        id="the-delivery-firms-own-login",
    ),
    pytest.param(
        "https://shop.nagano-apples.example.jp/cart/payment",
        _page(
            "<p>配送はヤマト運輸の宅急便、または日本郵便のゆうパックをお選びいただけます。"
            "お支払いは楽天ペイ、PayPay、クレジットカードがご利用いただけます。</p>"
            + CARD.format(action="/cart/confirm", label="カード番号"),
            "お支払い方法の選択｜信州りんご園",
        ),
        id="a-shop-naming-carriers-and-wallets-as-options",
    ),
    pytest.param(
        "https://mall.example.kr/checkout",
        _page(
            "<p>결제: 신용카드, 카카오페이, 토스. 배송: CJ대한통운.</p>"
            + CARD.format(action="/checkout/pay", label="카드번호"),
            "결제하기 - 한강마켓",
        ),
        id="a-korean-shop-naming-wallets",
    ),
    pytest.param(
        "https://blog.example.jp/entry/42",
        _page(
            "<p>楽天的に考えることにした。楽天家の祖母の口癖だった。</p>"
            + LOGIN.format(action="/wp-login.php", user="ユーザー名", word="パスワード"),
            "楽天的な毎日",
        ),
        id="optimistic-is-not-rakuten",
    ),
    pytest.param(
        "https://news.example.ru/2025/cdek",
        _page(
            "<h1>Поддельные страницы СДЭК</h1><p>Мошенники рассылают ссылки на оплату доставки"
            " от имени СДЭК.</p>"
            + LOGIN.format(action="/comments/login", user="Логин", word="Пароль"),
            "Мошенники подделывают сайт СДЭК",
        ),
        id="news-warning-about-the-brand-with-a-reader-login",
    ),
    pytest.param(
        "https://www.example-gazette.com/tech/2025/fake-sagawa-texts",
        _page(
            "<p>Texts claiming to come from Sagawa Express link to a page asking for a card."
            "</p>" + LOGIN.format(action="/account/login", user="Email", word="Password"),
            "Fake Sagawa Express texts ask for redelivery fees | Example Gazette",
        ),
        id="news-in-english-titled-with-fake",
    ),
]


@pytest.mark.parametrize(("url", "html"), BENIGN)
def test_pages_naming_a_local_brand_without_being_it_are_no_brand_lure(
    wl: Watchlists, url: str, html: str
) -> None:
    assert _brand_reason(_judge(wl, url, html)) == ""


def test_a_kit_titled_with_a_security_alert_still_presents_its_brand(wl: Watchlists) -> None:
    html = _page(
        LOGIN.format(action="next.php", user="ログインID", word="パスワード"),
        "【重要】セキュリティのお知らせ｜イオンカード",
    )
    got = _judge(wl, "https://aeon-notice-2.pages.dev/", html)
    assert _brand_reason(got).startswith("AEON Card sign-in form")


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("中国银行 网上银行", "Bank of China"),
        ("Vpassログイン｜三井住友カード", "SMBC"),
        ("우체국택배를 조회하세요", "Korea Post"),
        ("กรุณาเข้าสู่ระบบไทยพาณิชย์", "Siam Commercial Bank"),
    ],
)
def test_a_local_script_name_is_read_inside_a_run(idx: BrandIndex, text: str, brand: str) -> None:
    assert brand in idx.mentioned(text)


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("中国银行业迎来新规", "Bank of China"),  # "China's banking sector"
        ("楽天的な性格", "Rakuten"),  # "an optimistic character"
        ("토스트 만드는 법", "Toss"),  # "how to make toast"
    ],
)
def test_a_short_name_inside_a_longer_word_names_nobody(
    idx: BrandIndex, text: str, brand: str
) -> None:
    assert brand not in idx.mentioned(text)


def test_a_short_name_standing_alone_weighs_half(idx: BrandIndex) -> None:
    assert idx.mentioned("楽天 ポイント")["Rakuten"] == (True, 1)
    assert idx.mentioned("楽天カード ポイント")["Rakuten"] == (False, 1)


def test_the_longer_name_is_read_once_where_both_match() -> None:
    runs = RunNames([RunName("楽天", ("A",), True), RunName("楽天カード", ("A",), False)])
    found = runs.find("楽天カード 楽天")
    assert found["楽天カード"][1] == 1
    assert found["楽天"][1] == 1


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("楽天", True),
        ("토스", True),
        ("佐川急便", False),
        ("楽天e navi", False),
        ("กรุงไทย", False),
        ("ไทย", True),
    ],
)
def test_short_run_names(name: str, short: bool) -> None:
    assert short_run_name(name) is short
