"""The labelled corpus (tests/corpus) is well formed and covers what issue 3 asks of it."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
KEYS = [
    "id",
    "url",
    "path",
    "platform",
    "kind",
    "language",
    "fake_stream",
    "sso_lure",
    "matched_title",
    "split",
    "note",
]
URL_SHAPES = {
    "tumblr": re.compile(r"^https://[a-z0-9-]+\.tumblr\.com/post/\d+/[a-z0-9-]+$"),
    "blogger": re.compile(r"^https://[a-z0-9-]+\.blogspot\.com/\d{4}/\d{2}/[a-z0-9-]+\.html$"),
    "wordpress": re.compile(
        r"^https://[a-z0-9.-]+\.[a-z]{2,}/(\d{4}/\d{2}/(\d{2}/)?)?[a-z0-9-]+/$"
    ),
    "landing": re.compile(r"^https://[^\s/]+/\S*$"),
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    lines = (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def watched_titles() -> set[str]:
    entries = yaml.safe_load((ROOT / "watchlists" / "titles.yaml").read_text(encoding="utf-8"))
    return {entry["title"] for entry in entries}


def test_rows_have_exactly_the_manifest_keys_and_types(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert list(row) == KEYS, row["id"]
        assert isinstance(row["fake_stream"], bool) and isinstance(row["sso_lure"], bool), row[
            "id"
        ]
        assert row["platform"] in URL_SHAPES, row["id"]
        assert row["kind"] == ("landing" if row["platform"] == "landing" else "post"), row["id"]
        assert re.fullmatch(r"[a-z]{2}", row["language"]), row["id"]
        assert row["split"] in ("tune", "holdout"), row["id"]
        assert isinstance(row["note"], str) and len(row["note"]) > 10, row["id"]


def test_ids_and_urls_are_unique_and_urls_look_like_their_platform(
    rows: list[dict[str, Any]],
) -> None:
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["url"] for r in rows}) == len(rows)
    for row in rows:
        assert URL_SHAPES[row["platform"]].match(row["url"]), (row["id"], row["url"])


def test_every_path_exists_is_small_html_and_no_page_is_orphaned(
    rows: list[dict[str, Any]],
) -> None:
    listed = set()
    for row in rows:
        page = CORPUS / row["path"]
        assert row["path"] == f"pages/{row['platform']}/{row['id']}.html"
        assert page.is_file(), row["path"]
        assert 1_000 <= page.stat().st_size <= 15_000, (row["path"], page.stat().st_size)
        assert page.read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
        listed.add(page)
    assert set((CORPUS / "pages").glob("*/*.html")) == listed


def test_matched_titles_are_watchlist_titles_and_set_exactly_on_fake_streams(
    rows: list[dict[str, Any]], watched_titles: set[str]
) -> None:
    for row in rows:
        if row["fake_stream"]:
            assert row["matched_title"] in watched_titles, row["id"]
        else:
            assert row["matched_title"] is None, row["id"]


def test_size_languages_and_platforms(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 300
    languages = Counter(r["language"] for r in rows)
    assert len(languages) >= 6
    for lang in ("en", "fr", "es", "de", "pt", "id", "it"):
        assert languages[lang] >= 15, lang
    assert {r["platform"] for r in rows} == set(URL_SHAPES)


def test_hard_negatives_are_plentiful(rows: list[dict[str, Any]]) -> None:
    negatives = [r for r in rows if not r["fake_stream"] and not r["sso_lure"]]
    assert len(negatives) >= 0.4 * len(rows)


@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_each_split_has_positives_and_negatives_for_both_labels(
    rows: list[dict[str, Any]], split: str
) -> None:
    part = [r for r in rows if r["split"] == split]
    assert 0.4 * len(rows) <= len(part) <= 0.6 * len(rows)
    for label in ("fake_stream", "sso_lure"):
        counts = Counter(r[label] for r in part)
        assert counts[True] >= 20 and counts[False] >= 20, (split, label, counts)
    for platform in URL_SHAPES:
        assert any(r["platform"] == platform and r["fake_stream"] for r in part), (split, platform)


def test_splits_are_stratified(rows: list[dict[str, Any]]) -> None:
    strata = Counter((r["platform"], r["fake_stream"], r["sso_lure"], r["split"]) for r in rows)
    for platform, fake, sso, _split in strata:
        tune = strata[(platform, fake, sso, "tune")]
        holdout = strata[(platform, fake, sso, "holdout")]
        assert abs(tune - holdout) <= 1, (platform, fake, sso, tune, holdout)
