"""Secrets never reach the logs, even where a platform wants its key in the URL (Tumblr's
``api_key``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from crawler.redaction import install, redact
from replica.server import ReplicaServer
from tests._crawl import read_jsonl, run_crawl

KEY = "tmblr-SECRET-4f8a2c"


def test_redact_masks_known_secrets_query_keys_and_url_passwords() -> None:
    install(["s3cr3t-value"])
    assert redact("token s3cr3t-value in text") == "token *** in text"
    assert redact("<GET https://api.tumblr.com/v2/tagged?tag=x&api_key=abc123&limit=20>") == (
        "<GET https://api.tumblr.com/v2/tagged?tag=x&api_key=***&limit=20>"
    )
    assert redact("https://www.googleapis.com/customsearch/v1?key=AIzaXYZ&cx=1") == (
        "https://www.googleapis.com/customsearch/v1?key=***&cx=1"
    )
    assert redact("redis://:hunter22@10.0.0.5:6379/0 and https://lw:pw9999@es:9200") == (
        "redis://:***@10.0.0.5:6379/0 and https://lw:***@es:9200"
    )
    assert redact("Watch Man of Steel (2013) at https://x.tumblr.com/post/1?tag=hd") == (
        "Watch Man of Steel (2013) at https://x.tumblr.com/post/1?tag=hd"
    )
    install(["abc"])  # too short to be told from ordinary words: left alone
    assert redact("abc") == "abc"


def test_log_records_and_tracebacks_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install(["another-secret-77"])
    log = logging.getLogger("lurewatch.test")
    with caplog.at_level(logging.INFO, logger="lurewatch.test"):
        log.info(
            "Crawled (200) <GET %s>", "https://api.tumblr.com/v2/tagged?api_key=another-secret-77"
        )
        try:
            raise RuntimeError("request to https://h/?api_key=another-secret-77 failed")
        except RuntimeError:
            log.exception("Gave up retrying")
    assert "another-secret-77" not in caplog.text
    assert "api_key=***" in caplog.text and "RuntimeError" in caplog.text


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.parametrize("how", ["environment", "setting"])
def test_tumblr_key_never_appears_in_a_debug_log(
    how: str, tmp_path: Path, replica: ReplicaServer
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text("- title: Man of Steel\n  year: 2013\n", encoding="utf-8")
    out = tmp_path / "hits.jsonl"
    settings = {"LOG_LEVEL": "DEBUG", "LUREWATCH_TITLES": str(titles)}
    env = {}
    if how == "environment":
        env["TUMBLR_API_KEY"] = KEY
    else:
        settings["TUMBLR_API_KEY"] = KEY
    proc = run_crawl("tumblr", replica.origin, out, settings=settings, env=env)
    log = proc.stderr
    assert (
        "Crawled (200) <GET https://api.tumblr.com/v2/" in log and "api_key=***" in log
    )  # URLs are logged
    assert KEY not in log
    hits = read_jsonl(out)
    assert hits and KEY not in out.read_text(encoding="utf-8")
