"""Forms posting back to their own page: a self-hosted login's handler, not a collection script."""

from __future__ import annotations

import pytest

from pipelines.watchlists import Watchlists, load_watchlists
from tests.detection.test_brand_lures import _judge, _page


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


LOGIN = (
    '<h1>Members login</h1><form method="post" action="login.php"><input name="username">'
    '<input type="password" name="password"><button>Log in</button></form>'
)


@pytest.mark.parametrize(
    ("url", "lure"),
    [
        pytest.param(
            "https://members.riverside-rowing.org/login.php",
            False,
            id="login-php-posting-to-itself",
        ),
        pytest.param(
            "https://members-update.pages.dev/index.html", True, id="a-page-posting-to-login-php"
        ),
    ],
)
def test_only_a_page_posting_to_another_php_file_sends_to_a_collection_endpoint(
    wl: Watchlists, url: str, lure: bool
) -> None:
    got = _judge(wl, url, _page(LOGIN, "Members area"))
    assert got.sso_lure is lure
    assert any("collection endpoint" in r for r in got.reasons) is lure
