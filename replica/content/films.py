"""The films posts talk about: the watched ones (the watchlist's) and the ones nobody watches."""

from __future__ import annotations

from dataclasses import dataclass

from replica.content.markup import html_escape, slugify

__all__ = ["NEAR_MISSES", "UNWATCHED", "Film"]


@dataclass(frozen=True)
class Film:
    """A film posts talk about; ``watched``: on the watchlist (``title`` is then its string)."""

    title: str
    year: int | None
    aliases: tuple[str, ...] = ()
    watched: bool = True

    @property
    def slug(self) -> str:
        return slugify(self.title, 50)

    @property
    def shown(self) -> str:
        return html_escape(self.title)

    @property
    def year_text(self) -> str:
        return str(self.year or "")


UNWATCHED: tuple[Film, ...] = tuple(
    Film(t, y, watched=False)
    for t, y in (
        ("Oppenheimer", 2023),
        ("Barbie", 2023),
        ("Wicked: For Good", 2025),
        ("Zootopia 2", 2025),
        ("Avatar: Fire and Ash", 2025),
        ("The Batman Part II", 2027),
        ("Shrek 5", 2027),
        ("Inside Out 2", 2024),
        ("Deadpool & Wolverine", 2024),
        ("Frozen III", 2027),
    )
)

#: (near-miss film, the watched title it is easily mistaken for)
NEAR_MISSES: tuple[tuple[Film, str], ...] = tuple(
    (Film(t, y, watched=False), w)
    for t, y, w in (
        ("Iron Man 2", 2010, "Iron Man 3"),
        ("Toy Story 4", 2019, "Toy Story 5"),
        ("Man of Steel 2", 2027, "Man of Steel"),
        ("Fast Five", 2011, "Fast & Furious 6"),
        ("Dune: Part Two", 2024, "Dune: Part Three"),
        ("Scream VI", 2023, "Scream 7"),
        ("Moana 2", 2024, "Moana"),
        ("Mortal Kombat", 2021, "Mortal Kombat II"),
        ("The Devil Wears Prada", 2006, "The Devil Wears Prada 2"),
        ("Avengers: Endgame", 2019, "Avengers: Doomsday"),
        ("Spider-Man: No Way Home", 2021, "Spider-Man: Brand New Day"),
        ("Minions: The Rise of Gru", 2022, "Minions 3"),
        ("The Super Mario Bros. Movie", 2023, "The Super Mario Galaxy Movie"),
    )
)
