"""``lurewatch titles suggest`` against the REAL Elasticsearch: candidate titles counted from the
index through a terms aggregation, analysts' false positives left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from elasticsearch import Elasticsearch

from crawler.cli import run_command
from crawler.exitcodes import ExitCode
from pipelines.es.documents import doc_id
from tests.es._helpers import feed, make_hit, make_pipeline
from tests.es.conftest import all_docs, run

pytestmark = pytest.mark.elasticsearch


def _unwatched(i: int, film: str) -> Any:
    return make_hit(
        i,
        fake_stream=False,
        sso_lure=False,
        matched_title=None,
        verdict="unwatched_fake",
        candidate_title=film,
        lure_urls=[],
        templates=[],
    )


def test_suggest_counts_candidates_of_the_index(
    es: Elasticsearch,
    alias: str,
    es_settings: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    hits = [_unwatched(i, "Shrek 5") for i in (1, 2, 3)]
    hits += [_unwatched(5, "SHREK 5"), _unwatched(6, "Wicked: For Good")]
    hits += [_unwatched(7, "Wicked: For Good"), _unwatched(8, "Paper Lions")]
    hits.append(make_hit(9))  # a fake stream for a watched title: no candidate
    run(feed(make_pipeline(es_settings), hits))
    assert len(all_docs(es, alias)) == len(hits)
    # an analyst says one Wicked page is no fake stream: it is not counted any more
    es.update(index=alias, id=doc_id(hits[5].url), doc={"status": "false_positive"}, refresh=True)

    assert run_command("titles", ["suggest", "--min", "2"], settings=es_settings) == ExitCode.OK
    out = capsys.readouterr().out
    assert f"index {alias}" in out
    assert "     4  Shrek 5" in out  # two spellings, one film
    assert "Wicked" not in out.split("# to watch them")[0]
    assert "Paper Lions" not in out
    assert hits[1].url in out  # an example URL
    block = out.split("titles.yaml (and a year):\n", 1)[1]
    assert yaml.safe_load(block) == [{"title": "Shrek 5"}]

    assert run_command("titles", ["suggest", "--min", "1"], settings=es_settings) == ExitCode.OK
    block = capsys.readouterr().out.split("titles.yaml (and a year):\n", 1)[1]
    assert yaml.safe_load(block) == [
        {"title": "Shrek 5"},
        {"title": "Paper Lions"},
        {"title": "Wicked: For Good"},
    ]


def test_suggest_names_a_missing_index(
    es_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = {
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": "lwtest-no-such-alias",
        "LUREWATCH_DATA_DIR": str(tmp_path),
    }
    assert run_command("titles", ["suggest"], settings=settings) == ExitCode.FAILED
    err = capsys.readouterr().err
    assert "no index lwtest-no-such-alias" in err and err.count("\n") == 1
