"""The release-calendar refresh as plain functions: analyst entries kept byte for byte, films
added with source, dates and aliases, expired entries dropped, watched films never added."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipelines.exceptions import WatchlistError
from pipelines.watchlists import load_titles
from pipelines.watchlists.refresh import (
    MANAGED_MARKER,
    CalendarFilm,
    fetch_calendar,
    parse_alternative_titles,
    parse_movie_page,
    refresh_text,
    refresh_titles_file,
    split_managed,
)

TODAY = date(2026, 12, 3)
#: An analyst's file: comments, odd quoting and spacing, flow and block lists, a trailing comment.
ANALYST = """# Our watchlist -- edited by hand, keep my comments!
- title: "Dune: Part Three"   # the big one
  year: 2026
  aliases:
    - Dune 3
    - 'Dune : Troisième partie'

# December
- {title: Orbit of Ash, year: 2027, aliases: [Orbit]}  # analyst already watches this one
- title: Zootopia 2
  year: 2025
  notes: hand edit, 2026-11-30
# end of analyst list"""

FILMS = [
    CalendarFilm(1, "Orbit of Ash", "Orbit of Ash", date(2027, 1, 2), "tmdb/upcoming"),
    CalendarFilm(
        2, "The Lantern Keepers", "The Lantern Keepers", date(2026, 12, 15), "tmdb/upcoming"
    ),
    CalendarFilm(3, "Midnight Harbor", "Puerto de medianoche", date(2027, 1, 17), "tmdb/trending"),
    CalendarFilm(4, "Kestrel", "Пустельга", date(2025, 1, 1), "tmdb/trending"),
]
ALTERNATIVES = {
    1: ["Órbita de Cinzas"],
    2: ["Los guardianes del farol", "Die Laternenwächter", "the lantern keepers"],
    3: ["Midnight Harbour", "Puerto de medianoche"],
    4: ["The Kestrel"],
}


def _refresh(text: str, today: date = TODAY, **kw: Any) -> tuple[str, Any]:
    return refresh_text(
        Path("titles.yaml"),
        text,
        kw.get("films", FILMS),
        kw.get("alternatives", ALTERNATIVES),
        kw.get("candidates", ()),
        today=today,
        expire_days=kw.get("expire_days", 90),
    )


def test_analyst_part_is_kept_byte_for_byte_and_films_are_added(tmp_path: Path) -> None:
    new, result = _refresh(ANALYST)
    analyst, managed = split_managed(new)
    assert analyst == ANALYST + "\n"  # only the missing final newline is added
    assert "The Lantern Keepers" in result.added and "Midnight Harbor" in result.added
    assert "Orbit of Ash" in result.skipped_watched  # the analyst's own entry wins
    assert "Orbit of Ash" not in managed
    assert "Kestrel" not in managed  # released two years ago: past its watch time
    path = tmp_path / "titles.yaml"
    path.write_text(new, encoding="utf-8")
    by_title = {t.title: t for t in load_titles(path)}
    assert by_title["The Lantern Keepers"].year == 2026
    assert by_title["The Lantern Keepers"].aliases == (
        "Los guardianes del farol",
        "Die Laternenwächter",
    )
    assert by_title["Midnight Harbor"].aliases == ("Puerto de medianoche", "Midnight Harbour")
    assert by_title["Dune: Part Three"].aliases == ("Dune 3", "Dune : Troisième partie")
    assert '  source: "tmdb/upcoming"\n  added: "2026-12-03"' in managed
    assert '  release: "2026-12-15"\n  expires: "2027-03-15"' in managed


def test_second_refresh_keeps_added_date_and_hand_edits_above_the_marker() -> None:
    first, _ = _refresh(ANALYST)
    analyst, managed = split_managed(first)
    typed = "- title: Late Addition  # typed between two refreshes\n  year: 2027\n"
    edited_analyst = analyst + typed
    edited = f"{edited_analyst}{MANAGED_MARKER}\n{managed}"
    later = date(2026, 12, 20)
    second, result = _refresh(edited, today=later)
    assert split_managed(second)[0] == edited_analyst
    assert '"The Lantern Keepers"' in split_managed(second)[1]
    assert 'added: "2026-12-03"' in split_managed(second)[1]  # first seen date stays
    assert 'added: "2026-12-20"' not in split_managed(second)[1]
    assert "The Lantern Keepers" in result.kept and not result.added
    unchanged, _ = _refresh(second, today=later)
    assert unchanged == second


def test_entries_expire_configurable_days_after_release() -> None:
    first, _ = _refresh(ANALYST, expire_days=30)
    # The Lantern Keepers: released 2026-12-15, expires 2027-01-14; Midnight Harbor 2027-02-16
    _, result = _refresh(first, today=date(2027, 1, 20), films=[], expire_days=30)
    assert result.expired == ["The Lantern Keepers"]
    assert "Midnight Harbor" in result.kept


def test_analyst_takes_an_entry_over_by_moving_it_above_the_marker() -> None:
    first, _ = _refresh(ANALYST)
    analyst, managed = split_managed(first)
    moved = analyst + '- title: "Midnight Harbor"\n  year: 2027\n'
    text = f"{moved}{MANAGED_MARKER}\n{managed}"
    new, result = _refresh(text, films=[])
    assert "Midnight Harbor" in result.skipped_watched
    assert '"Midnight Harbor"' not in split_managed(new)[1]
    assert split_managed(new)[0] == moved


def test_candidates_are_added_with_their_source_and_hostile_text_is_quoted(
    tmp_path: Path,
) -> None:
    candidates = ["Shrek 5", "dune 3", 'Evil"\n- title: injected', "Аватар: Огонь и пепел"]
    new, result = _refresh(ANALYST, films=[], candidates=candidates)
    assert result.added == ["Shrek 5", 'Evil" - title: injected', "Аватар: Огонь и пепел"]
    path = tmp_path / "titles.yaml"
    path.write_text(new, encoding="utf-8")
    titles = [t.title for t in load_titles(path)]
    assert "injected" not in titles and 'Evil" - title: injected' in titles
    assert 'source: "candidates"' in new and 'expires: "2027-03-03"' in new


def test_broken_analyst_part_refuses_and_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "titles.yaml"
    broken = "- title: Fine\n  year: 2026\n- title: [unclosed\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(WatchlistError, match=r"titles\.yaml:3"):
        refresh_titles_file(path, FILMS, ALTERNATIVES, today=TODAY, expire_days=90)
    assert path.read_text(encoding="utf-8") == broken


def test_refresh_file_writes_once_and_not_when_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "titles.yaml"
    path.write_text(ANALYST, encoding="utf-8")
    first = refresh_titles_file(path, FILMS, ALTERNATIVES, today=TODAY, expire_days=90)
    assert first.written
    again = refresh_titles_file(path, FILMS, ALTERNATIVES, today=TODAY, expire_days=90)
    assert not again.written and not again.added


def test_tmdb_shapes_are_parsed_and_odd_results_skipped() -> None:
    page = {
        "dates": {"maximum": "2027-01-20", "minimum": "2026-11-26"},
        "page": 1,
        "results": [
            {"id": 7, "title": "A\u202eB", "original_title": "AB", "release_date": "2027-01-01"},
            {"id": "8", "title": "no integer id"},
            {"id": 9, "title": "", "release_date": "2027-01-01"},
            {"id": 10, "title": "TV", "media_type": "tv"},
            {"id": 11, "title": "No date", "release_date": ""},
        ],
    }
    films = parse_movie_page(page, "tmdb/upcoming")
    assert [(f.id, f.title, f.release) for f in films] == [
        (7, "AB", date(2027, 1, 1)),
        (11, "No date", None),
    ]
    alt = {"id": 7, "titles": [{"iso_3166_1": "FR", "title": "Le A", "type": ""}, {"x": 1}]}
    assert parse_alternative_titles(alt) == ["Le A"]
    assert parse_movie_page({"status_code": 34}, "tmdb/upcoming") == []


def test_fetch_calendar_asks_upcoming_trending_and_each_films_alternative_titles() -> None:
    asked: list[tuple[str, dict[str, str]]] = []
    movie = {"id": 5, "title": "Five", "original_title": "Cinq", "release_date": "2027-02-02"}

    async def get(path: str, params: dict[str, str]) -> Any:
        asked.append((path, params))
        if path.endswith("alternative_titles"):
            return {"id": 5, "titles": [{"iso_3166_1": "FR", "title": "Cinq !", "type": ""}]}
        return {"page": 1, "results": [movie], "total_pages": 1, "total_results": 1}

    films, alternatives = asyncio.run(fetch_calendar(get, region="de", language="de-DE"))
    assert [f.source for f in films] == ["tmdb/upcoming"]  # the trending copy is the same film
    assert alternatives == {5: ["Cinq !"]}
    assert asked == [
        ("/3/movie/upcoming", {"language": "de-DE", "region": "de", "page": "1"}),
        ("/3/trending/movie/week", {"language": "de-DE", "page": "1"}),
        ("/3/movie/5/alternative_titles", {}),
    ]
