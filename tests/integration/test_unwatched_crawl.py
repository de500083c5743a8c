"""The session's crawl of the replica, then ``lurewatch titles suggest --from out.jsonl``: the
films off the watchlist that the replica's fake streams offer are suggested (issue 8, item 4)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from replica.content.films import NEAR_MISSES, UNWATCHED
from replica.dataset import Dataset
from tests._crawl import ROOT, clean_env
from tests.conftest import ReplicaCrawl

pytestmark = [pytest.mark.crawl, pytest.mark.browser]


def _unwatched_films(dataset: Dataset) -> set[str]:
    """The films of the replica's fake streams for titles not on the watchlist (ground truth)."""
    films = [f.title for f in UNWATCHED] + [f.title for f, _ in NEAR_MISSES]
    fakes = [p for p in dataset.posts if "unwatched film" in p.truth.note]
    return {film for film in films if any(film in p.title for p in fakes)}


def test_titles_suggest_lists_the_unwatched_films_of_a_crawl(
    replica_crawl: ReplicaCrawl, dataset: Dataset
) -> None:
    truth = _unwatched_films(dataset)
    assert truth  # the world has fakes for films nobody watches
    out, items = replica_crawl.out, replica_crawl.items
    unwatched = [i for i in items if i["verdict"] == "unwatched_fake"]
    assert all(i["candidate_title"] and i["matched_title"] is None for i in unwatched)
    assert all(not i["fake_stream"] for i in unwatched)

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "titles",
            "suggest",
            "--min",
            "1",
            "--from",
            str(out),
        ],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    block = proc.stdout.split("titles.yaml (and a year):\n", 1)[1]
    suggested = {entry["title"] for entry in yaml.safe_load(block)}
    found = suggested & truth
    print(
        json.dumps(
            {
                "unwatched_fake_items": len(unwatched),
                "suggested": sorted(suggested),
                "ground_truth_films": len(truth),
                "films_suggested": len(found),
                "suggestions_not_in_truth": sorted(suggested - truth),
            },
            ensure_ascii=False,
        )
    )
    assert len(found) >= min(3, len(truth))
    assert len(found) >= len(suggested) / 2  # most suggestions are films the world offers
