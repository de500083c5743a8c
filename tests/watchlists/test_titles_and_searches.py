"""The titles and search watchlists: shape kept, and every problem reported with file, line and
field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.exceptions import WatchlistError
from pipelines.watchlists import load_searches, load_titles
from tests._crawl import ROOT


def test_shipped_titles_have_the_trend_micro_three_and_current_films() -> None:
    titles = {t.title: t for t in load_titles()}
    for name in ("Man of Steel", "Fast & Furious 6", "Iron Man 3"):
        assert titles[name].year == 2013
    assert sum(1 for t in titles.values() if t.year == 2026) >= 10
    assert "Furious 6" in titles["Fast & Furious 6"].aliases


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("- title: Man of Steel\n  year: 2013\n- title: Dune: Part Three\n", 3, "invalid YAML"),
        ("- title: Man of Steel\n  year: 2013\n- title: [unclosed\n", 3, "never closed"),
        ('- title: "Man of Steel\n  year: 2013\n\n', 1, "never closed"),
        ("- title: Man of Steel\n  year: twenty\n", 2, "year"),
        ("- title: Man of Steel\n  yaer: 2013\n", 2, "unknown key"),
        ("- title: ''\n", 1, "title"),
        ("- title: A\n  aliases: B\n", 2, "aliases"),
        ("- title: A\n  year: 2013\n- title: a\n  year: 2013\n", 3, "duplicate"),
        ("- just a string\n", 1, "mapping"),
        ("title: A\n", 1, "list"),
    ],
)
def test_broken_titles_name_file_line_and_problem(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = tmp_path / "titles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WatchlistError) as caught:
        load_titles(path)
    assert caught.value.path == str(path) and caught.value.line == line
    assert fragment in str(caught.value) and str(caught.value).startswith(f"{path}:{line}:")


def test_missing_file_is_a_watchlist_error(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError, match="cannot read"):
        load_titles(tmp_path / "nope.yaml")


def test_search_phrasings_expand_per_title(tmp_path: Path) -> None:
    path = tmp_path / "searches.yaml"
    path.write_text(
        'queries: ["{title} full movie", "watch {title} {year}"]\ntags: ["{title}"]\nmax_pages: 2\n'
    )
    plan = load_searches(path)
    man_of_steel = load_titles(ROOT / "watchlists" / "titles.yaml")[0]
    assert plan.max_pages == 2
    assert plan.queries_for(man_of_steel) == ["Man of Steel full movie", "watch Man of Steel 2013"]
    assert plan.tags_for(man_of_steel) == ["Man of Steel"]
    from pipelines.watchlists import Title

    assert plan.queries_for(Title("Nameless")) == [
        "Nameless full movie"
    ]  # {year} phrasings skipped


def test_search_phrasing_without_title_placeholder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "searches.yaml"
    path.write_text('queries:\n  - "{title} full movie"\n  - "free movies"\ntags: ["{title}"]\n')
    with pytest.raises(WatchlistError, match=r"searches.yaml:3: queries: .*no \{title\}"):
        load_searches(path)


def test_watchlists_check_command_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "titles.yaml"
    bad.write_text(
        "- title: Man of Steel\n  year: 2013\n- title: Iron Man 3\n  year: 20130\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "watchlists", "check", "--titles", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert f"{bad}:4: year:" in proc.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "watchlists", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
