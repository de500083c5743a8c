"""URL identity: canonical post URLs, redirector unwrapping, hosts and registrable domains."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from pipelines.es.documents import doc_id
from pipelines.urls import (
    MAX_UNWRAP_DEPTH,
    canonical_post_url,
    host_of,
    registrable_domain,
    split_domain,
    unwrap,
)

ROOT = Path(__file__).resolve().parents[2]
POST = "https://blog.example.com/2024/05/watch-dune.html"

#: Spellings of one post: each must be the same post to the crawl and to the index.
POST_VARIANTS = [
    POST,
    "http://blog.example.com/2024/05/watch-dune.html",
    "HTTPS://Blog.Example.COM/2024/05/watch-dune.html",
    "https://www.blog.example.com/2024/05/watch-dune.html",
    "https://blog.example.com:443/2024/05/watch-dune.html",
    "http://blog.example.com:80/2024/05/watch-dune.html",
    "https://blog.example.com/2024/05/watch-dune.html/",
    "https://blog.example.com/2024/05/watch-dune.html#comments",
    "https://blog.example.com/2024/05/watch-dune.html?m=1",
    "https://blog.example.com/2024/05/watch-dune.html?utm_source=tw&utm_medium=social",
    "https://blog.example.com/2024/05/watch-dune.html?UTM_Campaign=x&fbclid=abc&gclid=1",
    "https://blog.example.com/2024/05/watch-dune.html?ref=home&amp=1",
    "https://blog.example.com/2024/05/watch%2Ddune.html",
    "https://blog.example.com./2024/05/watch-dune.html",
    "https://user:secret@blog.example.com/2024/05/watch-dune.html",
]


@pytest.mark.parametrize("variant", POST_VARIANTS)
def test_spellings_of_one_post_share_its_canonical_url_and_id(variant: str) -> None:
    assert canonical_post_url(variant) == POST
    assert doc_id(variant) == doc_id(POST)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://m.example.com/post/1", "https://example.com/post/1"),  # mobile host
        ("https://m.films.blogspot.com/x.html", "https://films.blogspot.com/x.html"),
        ("https://a.example/%7Euser/post", "https://a.example/~user/post"),
        ("https://a.example/it%e2%80%99s", "https://a.example/it%E2%80%99s"),
        ("https://a.example/it’s", "https://a.example/it%E2%80%99s"),
        ("https://a.example/a b", "https://a.example/a%20b"),
        ("https://bücher.example/post/1", "https://xn--bcher-kva.example/post/1"),
        ("https://BÜCHER.example/post/1", "https://XN--BCHER-KVA.example/post/1"),
        ("https://wp.example/?p=12&a=b", "https://wp.example/?a=b&p=12"),
        ("http://films.blogspot.com.br/1/x.html", "https://films.blogspot.com/1/x.html"),
        ("https://films.blogspot.co.uk/1/x.html?m=0", "https://films.blogspot.com/1/x.html"),
        ("https://films.blogspot.com/1/x.html?m=1", "https://films.blogspot.com/1/x.html"),
    ],
)
def test_equivalent_spellings_are_one_url(a: str, b: str) -> None:
    assert canonical_post_url(a) == canonical_post_url(b)


def test_canonical_form_is_ascii_https_and_sorted() -> None:
    assert canonical_post_url("http://bücher.example/it’s/?b=2&a=1") == (
        "https://xn--bcher-kva.example/it%E2%80%99s?a=1&b=2"
    )
    assert canonical_post_url("http://[::1]:80/x") == "https://[::1]/x"
    assert canonical_post_url("https://a.example:8443/x/") == "https://a.example:8443/x"
    assert canonical_post_url("https://a.example") == "https://a.example/"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://wp.example/?p=12", "https://wp.example/?p=13"),  # the query names the post
        ("https://wp.example/?m=202401", "https://wp.example/"),  # WordPress's month archive
        ("https://a.example/Post", "https://a.example/post"),  # paths are case-sensitive
        ("https://m.blogspot.com/x.html", "https://blogspot.com/x.html"),  # the blog named "m"
        ("https://films.blogspot.com/x.html", "https://other.blogspot.com/x.html"),
        ("https://m.shop.example.com/x", "https://shop.example.com/x"),  # not a mobile prefix
        ("https://films.blogspot.xyz/x.html", "https://films.blogspot.com/x.html"),  # not Google's
        ("https://a.example/x?q=1", "https://a.example/x?q=2"),
    ],
)
def test_different_posts_stay_different(a: str, b: str) -> None:
    assert canonical_post_url(a) != canonical_post_url(b)
    assert doc_id(a) != doc_id(b)


@pytest.mark.parametrize("bad", ["", "   ", "http://[bad/x", "not a url"])
def test_unparsable_urls_do_not_raise(bad: str) -> None:
    assert canonical_post_url(bad) == bad.strip()
    assert unwrap(bad) == bad
    assert host_of(bad) == ""


TARGET = "https://evil.example/watch?id=1&x=%C3%A9"


def _q(url: str) -> str:
    return quote(url, safe="")


@pytest.mark.parametrize(
    "wrapped",
    [
        f"https://t.umblr.com/redirect?z={_q(TARGET)}&t=NjM0",
        f"https://href.li/?{TARGET}",
        f"https://href.li/?{_q(TARGET)}",
        f"https://www.google.com/url?q={_q(TARGET)}&sa=D",
        f"https://google.com/url?url={_q(TARGET)}",
        f"https://l.facebook.com/l.php?u={_q(TARGET)}&h=AT0",
        f"https://lm.facebook.com/l.php?u={_q(TARGET)}",
        f"https://l.instagram.com/?u={_q(TARGET)}",
        f"https://out.reddit.com/t3_x?url={_q(TARGET)}&token=1",
        f"https://www.youtube.com/redirect?q={_q(TARGET)}&v=1",
    ],
)
def test_every_known_redirector_is_unwrapped(wrapped: str) -> None:
    assert unwrap(wrapped) == TARGET


def test_nested_redirectors_are_unwrapped() -> None:
    google = f"https://www.google.com/url?q={_q(TARGET)}"
    tumblr = f"https://t.umblr.com/redirect?z={_q(google)}&t=x"
    assert unwrap(tumblr) == TARGET
    assert unwrap(f"https://href.li/?{tumblr}") == TARGET


def test_unwrapping_is_bounded() -> None:
    chain = TARGET
    for _ in range(1000):  # recursion this deep would raise RecursionError
        chain = f"https://href.li/?{chain}"
    got = unwrap(chain)
    assert got.endswith(TARGET) and got.count("href.li") == 1000 - MAX_UNWRAP_DEPTH


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/search?q=https://evil.example/",  # a search, not a redirect
        "https://t.umblr.com/other?z=https://evil.example/",
        "https://t.umblr.com/redirect?z=javascript:alert(1)",
        "https://href.li/?ftp://evil.example/",
        "https://evil.example/url?q=https://other.example/",
        "/relative?q=https://evil.example/",
    ],
)
def test_other_urls_are_not_unwrapped(url: str) -> None:
    assert unwrap(url) == url


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://WWW.Example.COM:8080/a", "www.example.com"),  # www kept: one rule, everywhere
        ("https://xn--bcher-kva.example/", "bücher.example"),
        ("https://bücher.example/", "bücher.example"),
        ("https://example.com./", "example.com"),
        ("http://[::1]:8080/", "::1"),
        ("mailto:a@example.com", ""),
        ("/relative", ""),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("host", "icann", "site"),
    [
        ("accounts.google.com.evil.co.uk", "evil.co.uk", "evil.co.uk"),
        ("a.b.example.co.uk", "example.co.uk", "example.co.uk"),
        ("www.bbc.co.uk", "bbc.co.uk", "bbc.co.uk"),
        ("x.stream.example", "stream.example", "stream.example"),  # reserved TLD: last two labels
        # private suffixes: the owner registered blogspot.com; each blog is a site of its own
        ("films.blogspot.com", "blogspot.com", "films.blogspot.com"),
        ("a.films.blogspot.com", "blogspot.com", "films.blogspot.com"),
        ("user.github.io", "github.io", "user.github.io"),
        ("blogspot.com", "blogspot.com", "blogspot.com"),
        ("127.0.0.1", "127.0.0.1", "127.0.0.1"),
        ("https://Login.Evil.CO.UK/x", "evil.co.uk", "evil.co.uk"),  # a URL works too
    ],
)
def test_registrable_domain(host: str, icann: str, site: str) -> None:
    assert registrable_domain(host) == icann
    assert registrable_domain(host, private=True) == site


def test_two_blogs_on_one_platform_are_two_sites() -> None:
    one, two = "films.blogspot.com", "other.blogspot.com"
    assert registrable_domain(one, private=True) != registrable_domain(two, private=True)
    assert registrable_domain(one) == registrable_domain(two)  # both on Google's blogspot.com


def test_split_domain() -> None:
    assert split_domain("accounts.google.com") == ("google", "com")
    assert split_domain("a.b.co.uk") == ("b", "co.uk")
    assert split_domain("films.blogspot.com", private=True) == ("films", "blogspot.com")
    assert split_domain("localhost") == ("localhost", "")


_OFFLINE = """
import socket
def refuse(*a, **k):
    raise SystemExit("network used")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from pipelines.urls import registrable_domain
for host in ("accounts.google.com.evil.co.uk", "a.b.blogspot.com", "x.stream.example"):
    print(registrable_domain(host), registrable_domain(host, private=True))
"""


def test_public_suffixes_come_from_the_bundled_snapshot(tmp_path: Path) -> None:
    """A fresh interpreter with an empty HOME and no network: no download, no cache written."""
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _OFFLINE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [
        "evil.co.uk",
        "evil.co.uk",
        "blogspot.com",
        "b.blogspot.com",
        "stream.example",
        "stream.example",
    ]
    assert not list(tmp_path.rglob("*"))
