"""`lurewatch crawl -O FILE`: the spiders' part files are merged into one output file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.exceptions import UsageError

from crawler.commands._feeds import merge_parts, split_feeds


def _write_parts(target: Path, parts: dict[str, str]) -> None:
    for name, text in parts.items():
        Path(f"{target}.{name}.part").write_text(text, encoding="utf-8")


def test_jsonlines_parts_merge_and_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "hits.jsonl"
    target.write_text('{"old": 1}\n', encoding="utf-8")
    feeds, merges = split_feeds({str(target): {"format": "jsonlines", "overwrite": True}})
    assert list(feeds) == [f"{target}.%(name)s.part"]
    _write_parts(target, {"tumblr": '{"a": 1}\n{"a": 2}\n', "blogger": '{"b": 1}\n'})
    assert merge_parts(*merges[0], ["tumblr", "wordpress", "blogger"]) == 3
    assert [json.loads(line) for line in target.read_text().splitlines()] == [
        {"a": 1},
        {"a": 2},
        {"b": 1},
    ]
    assert not list(tmp_path.glob("*.part"))


def test_append_mode_keeps_existing_lines(tmp_path: Path) -> None:
    target = tmp_path / "hits.jsonl"
    target.write_text('{"old": 1}\n', encoding="utf-8")
    _, merges = split_feeds({str(target): {"format": "jsonlines", "overwrite": False}})
    _write_parts(target, {"tumblr": '{"a": 1}\n'})
    merge_parts(*merges[0], ["tumblr"])
    assert target.read_text().splitlines() == ['{"old": 1}', '{"a": 1}']


def test_json_arrays_are_concatenated(tmp_path: Path) -> None:
    target = tmp_path / "hits.json"
    _, merges = split_feeds({str(target): {"format": "json", "overwrite": True}})
    _write_parts(target, {"tumblr": '[{"a": 1}]', "wordpress": "", "blogger": '[\n{"b": 2}\n]'})
    merge_parts(*merges[0], ["tumblr", "wordpress", "blogger"])
    assert json.loads(target.read_text()) == [{"a": 1}, {"b": 2}]


def test_csv_header_written_once(tmp_path: Path) -> None:
    target = tmp_path / "hits.csv"
    _, merges = split_feeds({str(target): {"format": "csv", "overwrite": True}})
    _write_parts(target, {"tumblr": "url,score\nu1,90\n", "blogger": "url,score\nu2,80\n"})
    assert merge_parts(*merges[0], ["tumblr", "blogger"]) == 2
    assert target.read_text().splitlines() == ["url,score", "u1,90", "u2,80"]


def test_unmergeable_format_is_refused_before_crawling(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="xml"):
        split_feeds({str(tmp_path / "hits.xml"): {"format": "xml"}})
