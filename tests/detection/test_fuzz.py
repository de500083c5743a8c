"""Fuzzing the signal functions with pages built from hostile tokens (hypothesis, derandomised).

Every function that reads page content must return, never raise, on any mix of unclosed calls,
escapes, tags and deep nesting; the top-level judgement must always be a well-formed verdict.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.rendering.decide import needs_rendering
from pipelines.decoding import decode_scripts
from pipelines.scoring import Assessment, assess_page, assess_post
from pipelines.signals import parse_page
from pipelines.text import html_text
from pipelines.watchlists import Watchlists, load_watchlists

HOSTILE = [
    "unescape('",
    'decodeURIComponent("',
    "%41",
    "%3C",
    "%",
    "\\x41",
    "\\u0041",
    "\\",
    "<script>",
    "</script>",
    "<script",
    "atob('",
    'atob("PGZvcm0+")',
    "String.fromCharCode(",
    "60,102,111,114,109,62",
    "document.write('",
    ".innerHTML = `",
    "insertAdjacentHTML(",
    "'beforeend',",
    "<div>" * 300,
    "<div onclick='x'>",
    "</div>",
    "<form action='https://evil.example/gate.php'>",
    "<input type=password name=pw>",
    "<a href='https://bit.ly/x'>▶ Watch Man of Steel free</a>",
    "<button>Continue with Google</button>",
    "<h1>",
    "<!--",
    "<![CDATA[",
    "'",
    '"',
    "`",
    ")",
    " ",
    "\n",
    "\x00",
    "\u202e",
    "é",
]
VERDICTS = {"benign", "fake_stream", "lure"}
FUZZ = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
pages = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), max_size=60).map("".join)


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _well_formed(result: Assessment) -> None:
    assert result.verdict in VERDICTS
    assert 0 <= result.score <= 100
    assert all(isinstance(reason, str) and reason for reason in result.reasons)
    assert result.sso_lure == (result.verdict == "lure")
    assert result.matched_title is None or result.fake_stream
    assert not any("\u202e" in reason or "\x00" in reason for reason in result.reasons)


@FUZZ
@given(page=pages)
def test_text_decoders_and_scanners_never_raise(page: str) -> None:
    assert isinstance(html_text(page), str)
    assert all("<" in fragment for fragment in decode_scripts([page]))
    assert needs_rendering(page) in (True, False)
    doc = parse_page(page, "https://x.example/p")
    assert all(link.href is not None for link in doc.links)
    assert all(form.method for form in doc.forms)


@FUZZ
@given(page=pages)
def test_every_page_gets_a_well_formed_verdict(page: str, wl: Watchlists) -> None:
    _well_formed(assess_page(page, "https://x.example/p", wl))


class _Post:
    def __init__(self, title: str, html: str) -> None:
        self.url = "https://a.tumblr.com/post/1"
        self.title = title
        self.text = ""
        self.html = html


@FUZZ
@given(title=pages, body=pages, landing=pages)
def test_every_post_gets_a_well_formed_verdict(
    title: str, body: str, landing: str, wl: Watchlists
) -> None:
    page = assess_page(landing, "https://x.example/p", wl)
    _well_formed(assess_post(_Post(title, body), wl, [("https://x.example/p", page)]))
