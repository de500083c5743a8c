"""Terminal escapes and bidi overrides from hostile pages reach neither ``reasons`` nor logs."""

from __future__ import annotations

import logging

import pytest

from crawler.redaction import install
from pipelines.scoring import assess_page
from pipelines.watchlists import load_watchlists

HOSTILE = "Sign in with Google \x1b[2J\x1b]0;owned\x07\u202eexe.txt\u2066x\u2069\x9b31m\r"
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\r", "\u202e", "\u2066", "\u2069")

PAGE = f"""<html><head><title>Watch</title></head><body>
<form action="https://collect.example/p" method="post">
<input type="email" name="e"><input type="password" name="p"></form>
<a href="https://g00gle-login.example/auth">{HOSTILE}</a></body></html>"""


def test_reasons_quote_page_text_without_controls() -> None:
    result = assess_page(PAGE, "https://someblog.example/post", load_watchlists())
    quoted = [r for r in result.reasons if "Sign in with Google" in r]
    assert quoted, result.reasons  # the label is quoted ...
    assert not [r for r in result.reasons if any(c in r for c in FORBIDDEN)]  # ... defused


def test_log_lines_and_tracebacks_lose_controls(caplog: pytest.LogCaptureFixture) -> None:
    install()
    log = logging.getLogger("lurewatch.test.controls")
    with caplog.at_level(logging.INFO, logger="lurewatch.test.controls"):
        log.info("lure %s (%d): %s", "https://x.example/\x1b[1A", 90, HOSTILE)
        try:
            raise ValueError(f"bad page {HOSTILE}")
        except ValueError:
            log.exception("judging failed")
    assert "Sign in with Google" in caplog.text and "ValueError" in caplog.text
    assert not [c for c in FORBIDDEN if c in caplog.text]
    assert caplog.text.count("\n") >= 3  # newlines (multi-line tracebacks) are kept
