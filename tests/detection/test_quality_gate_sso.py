"""Quality gate (issue 8): sso_lure on the untuned split of the self-written corpus.

Every ``tests/corpus/written/manifest-*.jsonl`` is evaluated; its ``holdout`` pages are never
tuned on. The gate fails when sso_lure precision falls below 0.97 or recall below 0.92.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.evaluate import Metrics, evaluate, load_manifest, reports
from pipelines.watchlists import load_watchlists

WRITTEN = Path(__file__).resolve().parents[1] / "corpus" / "written"
PRECISION = 0.97
RECALL = 0.92


def _holdout() -> tuple[Metrics, list[str]]:
    wl = load_watchlists()
    total = Metrics()
    missed: list[str] = []
    for manifest in sorted(WRITTEN.glob("manifest-*.jsonl")):
        cases = evaluate(load_manifest(manifest), manifest.parent, wl)
        (report,) = reports(cases, "holdout")
        m = report.metrics("sso_lure")
        for key in ("tp", "fp", "fn", "tn"):
            setattr(total, key, getattr(total, key) + getattr(m, key))
        missed += [str(c.entry.get("id")) for c in report.cases if "sso_lure" in c.wrong()]
    return total, missed


@pytest.fixture(scope="module")
def holdout() -> tuple[Metrics, list[str]]:
    return _holdout()


def test_the_holdout_split_has_lures_and_benign_pages(holdout: tuple[Metrics, list[str]]) -> None:
    m, _ = holdout
    assert m.tp + m.fn >= 25  # labelled lures
    assert m.tn + m.fp >= 10  # labelled benign pages


def test_sso_lure_precision_and_recall_on_the_untuned_split(
    holdout: tuple[Metrics, list[str]],
) -> None:
    m, missed = holdout
    summary = f"P {m.precision:.3f} R {m.recall:.3f} (tp {m.tp} fp {m.fp} fn {m.fn}); {missed}"
    assert m.precision >= PRECISION, summary
    assert m.recall >= RECALL, summary
