"""``pipelines.evidence``: secrets masked in headers, chains, content-addressed files, settings."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.defaults import install
from pipelines.evidence import MASK, EvidenceConfig, EvidenceStore, chain_text, mask_headers
from pipelines.exceptions import ConfigError


def test_cookie_values_and_credentials_are_masked_names_and_plain_headers_kept() -> None:
    headers = {
        "Set-Cookie": ["sid=s3cr3tvalue; Path=/; HttpOnly", "csrftoken=abc123"],
        "Authorization": ["Bearer tok-123"],
        "Cookie": ["session=zzz"],
        "X-Api-Key": ["key-999"],
        "Content-Type": ["text/html; charset=utf-8"],
        "Server": ["nginx"],
    }
    masked = mask_headers(headers)
    flat = repr(masked)
    for secret in ("s3cr3tvalue", "abc123", "tok-123", "zzz", "key-999"):
        assert secret not in flat
    assert masked["set-cookie"] == [f"sid={MASK}; Path=/; HttpOnly", f"csrftoken={MASK}"]
    assert masked["authorization"] == [MASK]
    assert masked["content-type"] == ["text/html; charset=utf-8"]
    assert masked["server"] == ["nginx"]


def test_hostile_headers_are_bounded() -> None:
    headers = {f"X-H{i}": ["v" * 10_000] for i in range(500)}
    masked = mask_headers(headers)
    assert len(masked) == 100
    assert all(len(v[0]) == 2048 for v in masked.values())


def test_chain_text_joins_hops_once_and_bounds_long_chains() -> None:
    assert chain_text(["https://a/", "https://a/", "https://b/", ""]) == "https://a/ -> https://b/"
    long = chain_text(f"https://h{i}.example/" for i in range(50))
    hops = long.split(" -> ")
    assert len(hops) == 20 and hops[-2] == "..." and hops[-1] == "https://h49.example/"


def test_store_writes_once_by_hash_privately_and_skips_oversize(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    data = b"<html>fake stream</html>"
    first = store.put("html", data, "html", maxsize=1000)
    again = store.put("html", data, "html", maxsize=1000)
    digest = hashlib.sha256(data).hexdigest()
    assert first == again
    assert first.sha256 == digest and first.size == len(data)
    assert first.path == f"html/{digest[:2]}/{digest}.html"
    target = store.path(first.path)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    big = store.put("html", b"x" * 2000, "html", maxsize=1000)
    assert big.path == "" and big.size == 2000
    assert len(list((tmp_path / "evidence").rglob("*.html"))) == 1
    with pytest.raises(ValueError, match="outside"):
        store.path("../../etc/passwd")


def _settings(**values: object) -> Settings:
    settings = Settings()
    install(settings)
    settings.setdict(values, priority="cmdline")
    return settings


def test_config_defaults_declared_once_and_bad_values_name_the_setting(tmp_path: Path) -> None:
    config = EvidenceConfig.from_settings(_settings(LUREWATCH_DATA_DIR=str(tmp_path)))
    assert config.enabled and config.screenshots == 10  # lure screenshots per spider run
    assert config.root == tmp_path / "evidence"
    with pytest.raises(ConfigError, match="LUREWATCH_EVIDENCE_SCREENSHOTS"):
        EvidenceConfig.from_settings(_settings(LUREWATCH_EVIDENCE_SCREENSHOTS=-1))
    with pytest.raises(ConfigError, match="LUREWATCH_EVIDENCE_SCREENSHOT_TIMEOUT"):
        EvidenceConfig.from_settings(_settings(LUREWATCH_EVIDENCE_SCREENSHOT_TIMEOUT="soon"))
