"""matching.names_by_title: a watched title's names, looked up instead of scanned for."""

from __future__ import annotations

from pipelines.matching import names_by_title
from pipelines.watchlists import Title, load_titles


def test_names_are_the_title_then_its_aliases_of_every_entry_in_order() -> None:
    titles = [
        Title("Dune", 2021, ("Dune Part One",)),
        Title("Heat", 1995),
        Title("Dune", 1984, ("Dune 1984",)),
    ]
    names = names_by_title(titles)
    assert names["Dune"] == ("Dune", "Dune Part One", "Dune", "Dune 1984")
    assert names["Heat"] == ("Heat",)
    assert "Alien" not in names


def test_the_shipped_watchlist_reads_as_a_scan_of_it_would() -> None:
    titles = load_titles()
    names = names_by_title(titles)
    for t in titles:
        assert list(names[t.title]) == [
            n for x in titles if x.title == t.title for n in (x.title, *x.aliases)
        ]
