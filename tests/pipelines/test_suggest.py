"""Counting candidate titles for ``lurewatch titles suggest`` (pipelines/suggest)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from pipelines.exceptions import InputError
from pipelines.suggest import count_candidates, from_jsonl, index_query, yaml_block


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_spellings_of_one_film_count_together_in_the_plain_spelling() -> None:
    found = [
        ("T0y St0ry 3", 1, ["https://a.example/1"]),
        ("Toy Story 3", 1, ["https://b.example/2"]),
        ("TOY STORY 3", 1, ["https://c.example/3"]),
        ("Paper Lions", 1, ["https://d.example/4"]),
    ]
    (toy,) = count_candidates(found, 2)
    assert (toy.title, toy.count) == ("Toy Story 3", 3)
    assert toy.urls == ["https://a.example/1", "https://b.example/2", "https://c.example/3"]
    assert [s.title for s in count_candidates(found, 1)] == ["Toy Story 3", "Paper Lions"]


def test_example_urls_are_bounded_and_distinct() -> None:
    found = [("Glass Harbour", 1, [f"https://x.example/{i % 2}"]) for i in range(9)]
    (only,) = count_candidates(found, 1)
    assert only.count == 9 and only.urls == ["https://x.example/0", "https://x.example/1"]


def test_jsonl_counts_only_pages_with_a_candidate(tmp_path: Path) -> None:
    out = _write(
        tmp_path / "out.jsonl",
        [
            {
                "url": "https://a.example/1",
                "verdict": "unwatched_fake",
                "candidate_title": "Shrek 5",
            },
            {"url": "https://a.example/2", "verdict": "fake_stream", "matched_title": "Moana"},
            {
                "url": "https://a.example/3",
                "verdict": "unwatched_fake",
                "candidate_title": "Shrek 5",
            },
            {"url": "https://a.example/4", "verdict": "unwatched_fake", "candidate_title": "Nope"},
        ],
    )
    (shrek,) = from_jsonl(out, 2)
    assert (shrek.title, shrek.count) == ("Shrek 5", 2)
    assert shrek.urls == ["https://a.example/1", "https://a.example/3"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"url": "https://a.example/1", "candidate_title": "X"}\n{not json\n', ":2: not JSON"),
        ("[1, 2]\n", ":1: not a JSON object"),
        ('{"candidate_title": 7}\n', ":1: candidate_title is not a string"),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"out.jsonl{problem}")):
        from_jsonl(path, 1)


def test_a_missing_or_oversized_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=re.escape("missing.jsonl: cannot read")):
        from_jsonl(tmp_path / "missing.jsonl", 1)
    big = _write(tmp_path / "big.jsonl", [{"candidate_title": "X" * 100}])
    with pytest.raises(InputError, match="larger than"):
        from_jsonl(big, 1, max_bytes=50)


def test_the_yaml_block_parses_back_to_the_titles() -> None:
    found = [
        ("Wicked: For Good", 2, []),
        ("Аватар: Огонь и пепел", 2, []),
        ("- title: evil\n  year: 1", 2, []),
        ("'quoted' #hash", 2, []),
    ]
    suggestions = count_candidates(found, 1)
    block = yaml_block(suggestions)
    parsed = yaml.safe_load(block)
    assert parsed == [{"title": s.title} for s in suggestions]
    assert {"title": "Wicked: For Good"} in parsed
    assert {"title": "- title: evil year: 1"} in parsed  # one line, never a second entry
    assert yaml_block([]) == ""


def test_control_characters_never_reach_the_terminal() -> None:
    (s,) = count_candidates([("Bad\x1b[31mTitle\u202e", 1, [])], 1)
    assert "\x1b" not in s.title and "\u202e" not in s.title


def test_the_index_query_leaves_out_false_positives() -> None:
    query = index_query()
    must_not = query["query"]["bool"]["must_not"]
    assert {"term": {"status": "false_positive"}} in must_not
    assert {"term": {"review": "false_positive"}} in must_not
    assert query["aggs"]["titles"]["terms"]["field"] == "candidate_title"
