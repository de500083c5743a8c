"""Precision, recall and F1 of detection on a labelled corpus, per split (``lurewatch eval``).

Each manifest line names a page (``path`` relative to the manifest) and its labels
(``fake_stream``, ``sso_lure``, ``matched_title``, ``candidate_title``) and ``split``. Title
accuracy is measured over the pages whose label or prediction has a title; candidate title
accuracy over the pages labelled with a film not on the watchlist (``unwatched_fake``). A report
lists the misclassified cases with their reasons. Plain functions: the command
(``crawler/commands/eval.py``) picks the watchlists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines._files import read_within
from pipelines.candidates import page_candidate
from pipelines.classify import MANIFEST_MAXSIZE, read_page
from pipelines.normalise import normalise
from pipelines.scoring import Assessment, assess_page
from pipelines.watchlists import Watchlists

__all__ = [
    "DEFAULT_MANIFEST",
    "SPLITS",
    "Case",
    "Metrics",
    "Report",
    "evaluate",
    "format_report",
    "load_manifest",
    "reports",
]

#: The labelled corpus lives in the repository's tests/, not in the wheel: eval needs a checkout
#: (or ``--manifest``).
DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "manifest.jsonl"
#: What :func:`reports` reports: one split, every page (``all``), or tune and holdout (``both``).
SPLITS = ("tune", "holdout", "all", "both")


@dataclass
class Case:
    """One labelled page and what detection said about it."""

    entry: dict[str, Any]
    got: Assessment | None
    error: str | None = None

    def wrong(self) -> list[str]:
        """The labels this case got wrong (empty = correct)."""
        if self.got is None:
            return ["error"]
        labels = ("fake_stream", "sso_lure")
        out = [k for k in labels if bool(self.entry.get(k)) != getattr(self.got, k)]
        title_wrong = self.entry.get("matched_title") != self.got.matched_title
        if _title_counts(self.entry, self.got) and title_wrong:
            out.append("matched_title")
        return out


def _same_title(expected: str, got: Assessment) -> bool:
    found = got.candidate_title
    return found is not None and normalise(expected) == normalise(found)


def _title_counts(entry: dict[str, Any], got: Assessment) -> bool:
    return bool(entry.get("matched_title")) or bool(got.matched_title)


@dataclass
class Metrics:
    """Confusion counts of one boolean label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, got: bool) -> None:
        """Count one page: its label and detection's verdict."""
        if expected and got:
            self.tp += 1
        elif got:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        """Of the pages detection flagged, the share rightly flagged (1.0 when none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Of the pages labelled, the share detection flagged (1.0 when none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p = self.precision
        r = self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Metrics of one split."""

    name: str
    cases: list[Case] = field(default_factory=list)

    def metrics(self, label: str) -> Metrics:
        """The confusion counts of ``label`` (``fake_stream`` or ``sso_lure``)."""
        m = Metrics()
        for c in self.cases:
            if c.got is not None:
                m.add(bool(c.entry.get(label)), bool(getattr(c.got, label)))
        return m

    def title_accuracy(self) -> tuple[float, int]:
        """Right titles / pages whose label or prediction has a title, and that page count."""
        counted = [
            (c.entry, c.got)
            for c in self.cases
            if c.got is not None and _title_counts(c.entry, c.got)
        ]
        right = sum(1 for entry, got in counted if entry.get("matched_title") == got.matched_title)
        return (right / len(counted) if counted else 1.0), len(counted)

    def candidate_accuracy(self) -> tuple[float, int, int, int]:
        """Over the pages expecting a ``candidate_title``: the share given that film (compared
        as normalised words) and their count; then, of the pages labelled ``null``, how many
        got one, and their count (pages without the label are not counted)."""
        judged = [(c.entry, c.got) for c in self.cases if c.got is not None]
        expecting = [(e, g) for e, g in judged if e.get("candidate_title")]
        right = sum(1 for e, g in expecting if _same_title(e["candidate_title"], g))
        none = [g for e, g in judged if "candidate_title" in e and not e["candidate_title"]]
        proposed = sum(1 for g in none if g.candidate_title)
        accuracy = right / len(expecting) if expecting else 1.0
        return accuracy, len(expecting), proposed, len(none)


def load_manifest(manifest: Path, *, max_bytes: int = MANIFEST_MAXSIZE) -> list[dict[str, Any]]:
    """The manifest's entries, one per non-empty JSON line (a regular file of at most
    ``max_bytes``, else ``OSError``)."""
    text = read_within(manifest, max_bytes, "LUREWATCH_MANIFEST_MAXSIZE").decode("utf-8")
    lines = text.splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate(entries: Iterable[dict[str, Any]], base: Path, wl: Watchlists) -> list[Case]:
    """Classify every manifest entry (paths relative to ``base``)."""
    cases = []
    for entry in entries:
        path = base / entry["path"]
        try:
            html = read_page(path)
        except OSError as exc:
            cases.append(Case(entry, None, str(exc)))
            continue
        cases.append(Case(entry, _assess(html, entry.get("url") or path.as_uri(), wl)))
    return cases


def _assess(html: str, url: str, wl: Watchlists) -> Assessment:
    """What detection says of a page, with the candidate title the pipeline would add."""
    got = assess_page(html, url, wl)
    if got.matched_title is None and not got.fake_stream:
        got.candidate_title = page_candidate(html, url, wl)
        got.finish()
    return got


def reports(cases: list[Case], split: str) -> list[Report]:
    """The reports ``split`` asks for (one of :data:`SPLITS`)."""
    names = ["tune", "holdout"] if split == "both" else [split]
    out = []
    for name in names:
        picked = cases if name == "all" else [c for c in cases if c.entry.get("split") == name]
        out.append(Report(name, picked))
    return out


def format_report(report: Report) -> str:
    """The report as text: metrics per label, title accuracy, then every misclassified case."""
    lines = [f"== split {report.name}: {len(report.cases)} pages"]
    for label in ("fake_stream", "sso_lure"):
        m = report.metrics(label)
        lines.append(
            f"  {label:<12} precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}  "
            f"(tp {m.tp} fp {m.fp} fn {m.fn} tn {m.tn})"
        )
    accuracy, n = report.title_accuracy()
    lines.append(f"  title accuracy {accuracy:.3f} over {n} pages")
    candidates, expecting, proposed, none = report.candidate_accuracy()
    lines.append(
        f"  candidate title accuracy {candidates:.3f} over {expecting} pages expecting one; "
        f"proposed on {proposed} of {none} pages labelled with none"
    )
    wrong = [c for c in report.cases if c.wrong()]
    lines.append(f"  misclassified: {len(wrong)}")
    lines += [_format_case(c) for c in wrong]
    return "\n".join(lines) + "\n"


def _format_case(c: Case) -> str:
    e = c.entry
    if c.got is None:
        return f"    {e.get('id')} {e.get('path')}: ERROR {c.error}"
    expected = (
        f"fs={bool(e.get('fake_stream'))} lure={bool(e.get('sso_lure'))} "
        f"title={e.get('matched_title')!r}"
    )
    got = (
        f"fs={c.got.fake_stream} lure={c.got.sso_lure} title={c.got.matched_title!r} "
        f"score={c.got.score}"
    )
    lines = [
        f"    {e.get('id')} {e.get('path')} [{', '.join(c.wrong())}]",
        f"      expected {expected}",
        f"      got      {got}",
        f"      reasons  {'; '.join(c.got.reasons) or '-'}",
    ]
    if e.get("note"):
        lines.append(f"      note     {e['note']}")
    return "\n".join(lines)
