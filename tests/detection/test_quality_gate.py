"""Quality gate (issue 8): fake_stream on the untuned split of the self-written corpus.

Every ``tests/corpus/written/manifest-*.jsonl`` is evaluated with the shipped watchlists; only
its ``holdout`` pages count, and they were never tuned on (the weights and lexicons were tuned
on the ``tune`` split). The gate fails when fake_stream precision falls below 0.95 or recall
below 0.90. The sso_lure half is ``test_quality_gate_sso.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.evaluate import Metrics, evaluate, load_manifest, reports
from pipelines.watchlists import load_watchlists

WRITTEN = Path(__file__).resolve().parents[1] / "corpus" / "written"
PRECISION = 0.95
RECALL = 0.90


def _holdout() -> tuple[Metrics, list[str]]:
    wl = load_watchlists()
    total = Metrics()
    wrong: list[str] = []
    for manifest in sorted(WRITTEN.glob("manifest-*.jsonl")):
        cases = evaluate(load_manifest(manifest), manifest.parent, wl)
        (report,) = reports(cases, "holdout")
        m = report.metrics("fake_stream")
        for key in ("tp", "fp", "fn", "tn"):
            setattr(total, key, getattr(total, key) + getattr(m, key))
        wrong += [str(c.entry.get("id")) for c in report.cases if "fake_stream" in c.wrong()]
    return total, wrong


@pytest.fixture(scope="module")
def holdout() -> tuple[Metrics, list[str]]:
    return _holdout()


def test_the_holdout_split_has_fake_streams_and_benign_pages(
    holdout: tuple[Metrics, list[str]],
) -> None:
    m, _ = holdout
    assert m.tp + m.fn >= 20  # labelled fake streams
    assert m.tn + m.fp >= 20  # labelled benign pages, legal look-alikes among them


def test_fake_stream_precision_and_recall_on_the_untuned_split(
    holdout: tuple[Metrics, list[str]],
) -> None:
    m, wrong = holdout
    summary = f"P {m.precision:.3f} R {m.recall:.3f} (tp {m.tp} fp {m.fp} fn {m.fn}); {wrong}"
    assert m.precision >= PRECISION, summary
    assert m.recall >= RECALL, summary
