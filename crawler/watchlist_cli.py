"""``lurewatch watchlists check [--titles F] [--searches F] ...``: validate the watchlists without
crawling."""

from __future__ import annotations

import argparse
import sys

from pipelines import watchlists as wl
from pipelines.exceptions import WatchlistError

__all__ = ["main"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lurewatch watchlists", description=__doc__)
    parser.add_argument("action", choices=["check"])
    for name in ("titles", "searches", "templates", "lures", "thresholds"):
        parser.add_argument(f"--{name}", default=None, help=f"{name} YAML (default: the shipped file)")
    args = parser.parse_args(argv)
    problems: list[str] = []
    checks = [("titles", wl.load_titles, args.titles), ("searches", wl.load_searches, args.searches)]
    for label, load, path in checks:
        try:
            result = load(path)
            size = len(result) if isinstance(result, list) else 1
            sys.stdout.write(f"ok  {label}: {path or 'shipped'} ({size} entr{'y' if size == 1 else 'ies'})\n")
        except WatchlistError as exc:
            problems.append(str(exc))
    full_check = getattr(wl, "check_watchlists", None)
    if full_check is not None:  # templates, lures, thresholds (the detection watchlists)
        problems += full_check(
            {
                "titles": args.titles,
                "templates": args.templates,
                "lures": args.lures,
                "thresholds": args.thresholds,
            }
        )
    for problem in dict.fromkeys(problems):
        sys.stderr.write(f"error: {problem}\n")
    return 1 if problems else 0
