"""``lurewatch eval``: precision, recall and F1 of detection on the labelled corpus, per split.

    lurewatch eval [--manifest tests/corpus/manifest.jsonl] [--split tune|holdout|all] [--titles FILE]

Each manifest line names a page (``path`` relative to the manifest) and its labels (``fake_stream``,
``sso_lure``, ``matched_title``) and ``split``. Title accuracy is measured over the pages whose label or
prediction has a title. The misclassified cases are listed with their reasons.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.classify_cli import read_page
from pipelines.scoring import Assessment, assess_page
from pipelines.watchlists import Watchlists, load_watchlists

__all__ = ["Case", "Metrics", "evaluate", "main"]

#: The labelled corpus lives in the repository's tests/, not in the wheel: eval needs a checkout
#: (or ``--manifest``).
DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "manifest.jsonl"


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
        out = [k for k in ("fake_stream", "sso_lure") if bool(self.entry.get(k)) != getattr(self.got, k)]
        if _title_counts(self.entry, self.got) and self.entry.get("matched_title") != self.got.matched_title:
            out.append("matched_title")
        return out


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
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Metrics of one split."""

    name: str
    cases: list[Case] = field(default_factory=list)

    def metrics(self, label: str) -> Metrics:
        m = Metrics()
        for c in self.cases:
            if c.got is not None:
                m.add(bool(c.entry.get(label)), bool(getattr(c.got, label)))
        return m

    def title_accuracy(self) -> tuple[float, int]:
        counted = [
            (c.entry, c.got) for c in self.cases if c.got is not None and _title_counts(c.entry, c.got)
        ]
        right = sum(1 for entry, got in counted if entry.get("matched_title") == got.matched_title)
        return (right / len(counted) if counted else 1.0), len(counted)


def _load(manifest: Path) -> list[dict[str, Any]]:
    lines = manifest.read_text(encoding="utf-8").splitlines()
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
        cases.append(Case(entry, assess_page(html, entry.get("url") or path.as_uri(), wl)))
    return cases


def _print_report(report: Report, out: Any) -> None:
    out.write(f"== split {report.name}: {len(report.cases)} pages\n")
    for label in ("fake_stream", "sso_lure"):
        m = report.metrics(label)
        out.write(
            f"  {label:<12} precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}  "
            f"(tp {m.tp} fp {m.fp} fn {m.fn} tn {m.tn})\n"
        )
    accuracy, n = report.title_accuracy()
    out.write(f"  title accuracy {accuracy:.3f} over {n} pages\n")
    wrong = [c for c in report.cases if c.wrong()]
    out.write(f"  misclassified: {len(wrong)}\n")
    for c in wrong:
        _print_case(c, out)


def _print_case(c: Case, out: Any) -> None:
    e = c.entry
    if c.got is None:
        out.write(f"    {e.get('id')} {e.get('path')}: ERROR {c.error}\n")
        return
    expected = (
        f"fs={bool(e.get('fake_stream'))} lure={bool(e.get('sso_lure'))} title={e.get('matched_title')!r}"
    )
    got = f"fs={c.got.fake_stream} lure={c.got.sso_lure} title={c.got.matched_title!r} score={c.got.score}"
    out.write(
        f"    {e.get('id')} {e.get('path')} [{', '.join(c.wrong())}]\n      expected {expected}\n"
        f"      got      {got}\n      reasons  {'; '.join(c.got.reasons) or '-'}\n"
    )
    if e.get("note"):
        out.write(f"      note     {e['note']}\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``lurewatch eval``."""
    parser = argparse.ArgumentParser(prog="lurewatch eval", description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument(
        "--split",
        choices=("tune", "holdout", "all", "both"),
        default="both",
        help="which split to report (default: tune and holdout separately)",
    )
    parser.add_argument("--titles", help="titles YAML (default: the shipped file)")
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        sys.stderr.write(
            f"lurewatch eval: no labelled corpus at {args.manifest} (it ships with the "
            "repository, not the package): run in a checkout or pass --manifest FILE\n"
        )
        return 2
    wl = load_watchlists(titles=args.titles)
    entries = _load(args.manifest)
    cases = evaluate(entries, args.manifest.resolve().parent, wl)
    names = ["tune", "holdout"] if args.split == "both" else [args.split]
    for name in names:
        picked = cases if name == "all" else [c for c in cases if c.entry.get("split") == name]
        _print_report(Report(name, picked), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
