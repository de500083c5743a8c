"""pipelines.hrefs.absolute: a link's real, absolute target, the same with its shortcuts."""

from __future__ import annotations

import urllib.parse

import pytest

from pipelines import hrefs
from pipelines.hrefs import absolute
from pipelines.urls import unwrap

BASE = "https://site.example/films/page.html"
CASES = [
    ("/watch/1", "https://site.example/watch/1"),
    ("next.html", "https://site.example/films/next.html"),
    ("  https://cdn.example/a.js  ", "https://cdn.example/a.js"),
    ("https://www.google.com/url?q=https://stream.example/x", "https://stream.example/x"),
    ("HTTPS://WWW.GOOGLE.COM/url?q=https://stream.example/y", "https://stream.example/y"),
    (
        "https://href.li/?https://l.facebook.com/l.php?u=https://deep.example/",
        "https://deep.example/",
    ),
    ("https://google.com./url?url=https://dot.example/", "https://dot.example/"),
    ("/url?q=https://relative.example/", "https://site.example/url?q=https://relative.example/"),
    ("javascript:void(0)", "javascript:void(0)"),
    ("", BASE),
    ("http://[::1", "http://[::1"),
]


def _reference(base: str, href: str) -> str:
    """What every link went through before the shortcuts: unwrap, then urljoin."""
    href = unwrap((href or "").strip())
    if href.startswith(("http://", "https://", "javascript:", "mailto:", "data:")):
        return href
    try:
        return urllib.parse.urljoin(base, href)
    except ValueError:
        return href


@pytest.mark.parametrize(("href", "expected"), CASES)
def test_links_are_unwrapped_and_joined_to_the_base(href: str, expected: str) -> None:
    assert absolute(BASE, href) == expected
    assert absolute(BASE, href) == _reference(BASE, href)  # the second time, from the memo


def test_the_same_link_under_another_base_is_joined_to_that_base() -> None:
    assert absolute("https://a.example/x/", "y") == "https://a.example/x/y"
    assert absolute("https://b.example/x/", "y") == "https://b.example/x/y"


def test_past_the_memo_bound_links_are_still_worked_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hrefs, "_MEMO", {})
    monkeypatch.setattr(hrefs, "MEMO_SIZE", 2)
    hrefs_seen = [f"/p{i}?u=https://out.reddit.com/?url=https://t{i}.example/" for i in range(6)]
    got = [absolute(BASE, h) for h in hrefs_seen]
    assert got == [_reference(BASE, h) for h in hrefs_seen]
    assert len(hrefs._MEMO) == 2
    redirected = "https://out.reddit.com/?url=https://t9.example/"
    assert absolute(BASE, redirected) == "https://t9.example/"


def test_long_links_are_worked_out_but_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hrefs, "_MEMO", {})
    long_href = "/watch?x=" + "a" * (hrefs.MEMO_CHARS + 1)
    assert absolute(BASE, long_href) == _reference(BASE, long_href)
    assert absolute(BASE, "/short") == "https://site.example/short"
    assert list(hrefs._MEMO) == [(BASE, "/short")]
