"""The fake-stream features of the learned-weights experiment (``bench/fake_features.py``).

The experiment (docs/learned_weights.md) compares weights fitted on the features with the
hand-set ones; its numbers mean something only if the features are what detection weighs. So,
on every labelled page, under the shipped weights and under other weights: the features weighed
as :mod:`pipelines.scoring` weighs them give back detection's verdict, and never a score above
detection's (which is the larger of the fake-stream and lure scores). A new kind of fake-stream
evidence (a reason of a new shape, a new weight) fails here until ``bench/fake_features.py`` reads
it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bench.fake_features import fake_features, feature_names, hand_set_score
from pipelines.evaluate import evaluate, load_manifest
from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MANIFESTS = [*sorted((CORPUS / "written").glob("manifest-*.jsonl")), CORPUS / "manifest.jsonl"]
#: Other weights: every kind of evidence weighed differently from the shipped file.
OTHER = {
    "offer_factor": 0.8,
    "catalogue_card": 45,
    "card_copy": 5,
    "cta": 30,
    "negative_factor": 2,
    "negative": -10,
    "stream_words": 15,
    "stream_words_cap": 30,
    "title_in_heading": 25,
    "site_headline": 10,
    "doorway_host": 35,
    "doorway_negative_factor": 0.2,
    "legal_named": -15,
    "player_page": 20,
    "second_template_factor": 1.0,
    "play_button": 5,
    "stuffing": 40,
    "shortener": 30,
    "torrent": 45,
    "defanged": -20,
}


def _reweighed(wl: Watchlists, weights: dict[str, float]) -> Watchlists:
    fake = {**wl.thresholds.fake_weights, **weights}
    thresholds = dataclasses.replace(wl.thresholds, fake_weights=fake)
    return dataclasses.replace(wl, thresholds=thresholds, _compiled={})


def _disagreements(wl: Watchlists) -> tuple[list[str], dict[str, bool]]:
    """Pages where the features weighed by hand disagree with detection, and every verdict."""
    wrong: list[str] = []
    verdicts: dict[str, bool] = {}
    cut = wl.thresholds.fake_stream
    for manifest in MANIFESTS:
        for case in evaluate(load_manifest(manifest), manifest.parent, wl):
            assert case.got is not None, case.error
            page = str(case.entry["id"])
            verdicts[page] = case.got.fake_stream
            f = fake_features(case.got, wl)
            score = hand_set_score(f, wl.thresholds.fake_weights) if f is not None else 0.0
            if (f is not None and score >= cut) != case.got.fake_stream:
                wrong.append(f"{page}: verdict {case.got.fake_stream}, features {score:.1f}")
            elif round(max(0.0, min(100.0, score))) > case.got.score:
                wrong.append(f"{page}: score {case.got.score}, features {score:.1f}")
    return wrong, verdicts


@pytest.fixture(scope="module")
def shipped() -> Watchlists:
    return load_watchlists()


@pytest.fixture(scope="module")
def shipped_run(shipped: Watchlists) -> tuple[list[str], dict[str, bool]]:
    return _disagreements(shipped)


def test_the_features_give_back_every_shipped_verdict(
    shipped_run: tuple[list[str], dict[str, bool]],
) -> None:
    wrong, verdicts = shipped_run
    assert len(verdicts) >= 700
    assert not wrong, wrong


def test_the_features_follow_other_weights(
    shipped: Watchlists, shipped_run: tuple[list[str], dict[str, bool]]
) -> None:
    _, before = shipped_run
    wrong, after = _disagreements(_reweighed(shipped, OTHER))
    assert sum(before[page] != after[page] for page in before) >= 5  # the weights matter
    assert not wrong, wrong


def test_a_page_naming_no_watched_title_has_no_features(shipped: Watchlists) -> None:
    got = assess_page("<p>watch the full movie free in HD</p>", "https://x.example/", shipped)
    assert fake_features(got, shipped) is None


def test_a_pirate_page_has_its_offer_categories_and_no_counter_evidence(
    shipped: Watchlists,
) -> None:
    title = shipped.titles[0].title
    html = (
        f"<html><head><title>Watch {title} full movie online free HD</title></head>"
        f"<body><h1>Watch {title} full movie online free</h1>"
        f"<p>{title} full movie free download 1080p</p></body></html>"
    )
    f = fake_features(assess_page(html, "https://pirate.example/w", shipped), shipped)
    assert f is not None and list(f) == feature_names(shipped)
    assert f["offer_watch"] > 0 and f["offer_free"] > 0 and f["offer_full"] > 0
    assert f["title_in_heading"] == 1
    assert all(v == 0 for k, v in f.items() if k.startswith(("negative_", "legal_")))
