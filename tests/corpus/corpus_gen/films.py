# ruff: noqa: E501  (generator of HTML/phrase test data: long markup literals; random is for data, not security)
"""Films used by the corpus: the watched titles (as in watchlists/titles.yaml) and near misses.

`forms` are surface spellings a spammer or a fan would write; `local` adds per-language spellings.
`title` is the canonical watchlist string for watched films and the plain name for the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NEAR_MISS", "WATCHED", "Film", "film_by_title"]


@dataclass(frozen=True)
class Film:
    """One film with the facts the page builders need."""

    title: str
    year: int
    watched: bool
    forms: tuple[str, ...]
    director: str
    cast: tuple[str, ...]
    streamer: str
    local: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def forms_for(self, lang: str) -> tuple[str, ...]:
        """Spellings usable in a page written in `lang`."""
        return self.forms + self.local.get(lang, ())


def _f(title: str, year: int, watched: bool, forms: tuple[str, ...], director: str,
       cast: tuple[str, ...], streamer: str, **local: tuple[str, ...]) -> Film:
    return Film(title, year, watched, forms or (title,), director, cast, streamer, dict(local))


WATCHED: tuple[Film, ...] = (
    _f("Man of Steel", 2013, True, ("Man of Steel", "Man Of Steel", "MAN OF STEEL"),
       "Zack Snyder", ("Henry Cavill", "Amy Adams", "Michael Shannon"), "Max"),
    _f("Fast & Furious 6", 2013, True,
       ("Fast & Furious 6", "Fast and Furious 6", "Furious 6", "Fast & Furious VI", "Fast and Furious Six"),
       "Justin Lin", ("Vin Diesel", "Paul Walker", "Dwayne Johnson"), "Peacock",
       fr=("Fast & Furious 6: Rapides et dangereux",), es=("Rápidos y furiosos 6",), pt=("Velozes e Furiosos 6",)),
    _f("Iron Man 3", 2013, True, ("Iron Man 3", "Iron Man III", "Iron Man Three", "IronMan 3"),
       "Shane Black", ("Robert Downey Jr.", "Gwyneth Paltrow", "Ben Kingsley"), "Disney+"),
    _f("Avengers: Doomsday", 2026, True, ("Avengers: Doomsday", "Avengers Doomsday", "Avengers - Doomsday", "Avengers 5"),
       "Anthony and Joe Russo", ("Robert Downey Jr.", "Chris Hemsworth", "Letitia Wright"), "Disney+",
       es=("Vengadores: Doomsday",), it=("Avengers: Doomsday",)),
    _f("Spider-Man: Brand New Day", 2026, True,
       ("Spider-Man: Brand New Day", "Spiderman Brand New Day", "Spider Man Brand New Day", "Spider-Man 4",
        "Brand New Day Spider-Man"),
       "Destin Daniel Cretton", ("Tom Holland", "Zendaya", "Sadie Sink"), "Netflix"),
    _f("Dune: Part Three", 2026, True,
       ("Dune: Part Three", "Dune Part 3", "Dune Part III", "Part Three Dune", "Dune 3", "Dune Messiah", "Dune: Part 3"),
       "Denis Villeneuve", ("Timothée Chalamet", "Zendaya", "Robert Pattinson"), "Max",
       fr=("Dune : Troisième partie",), es=("Dune: Parte Tres",), it=("Dune: Parte Tre",), pt=("Duna: Parte 3",)),
    _f("Toy Story 5", 2026, True, ("Toy Story 5", "Toy Story V", "Toy Story Five"),
       "Andrew Stanton", ("Tom Hanks", "Tim Allen", "Joan Cusack"), "Disney+"),
    _f("The Super Mario Galaxy Movie", 2026, True,
       ("The Super Mario Galaxy Movie", "Super Mario Galaxy Movie", "Super Mario Galaxy"),
       "Aaron Horvath and Michael Jelenic", ("Chris Pratt", "Anya Taylor-Joy", "Jack Black"), "Peacock",
       es=("Super Mario Galaxy: La Película",), pt=("Super Mario Galaxy: O Filme",), fr=("Super Mario Galaxy, le film",)),
    _f("The Mandalorian and Grogu", 2026, True,
       ("The Mandalorian and Grogu", "The Mandalorian & Grogu", "Mandalorian and Grogu"),
       "Jon Favreau", ("Pedro Pascal", "Sigourney Weaver", "Jeremy Allen White"), "Disney+",
       es=("The Mandalorian y Grogu",), fr=("The Mandalorian et Grogu",)),
    _f("Supergirl", 2026, True, ("Supergirl", "Supergirl: Woman of Tomorrow"),
       "Craig Gillespie", ("Milly Alcock", "Jason Momoa", "Matthias Schoenaerts"), "Max"),
    _f("The Odyssey", 2026, True, ("The Odyssey",),
       "Christopher Nolan", ("Matt Damon", "Tom Holland", "Anne Hathaway"), "Peacock",
       fr=("L'Odyssée",), es=("La Odisea",), de=("Die Odyssee",)),
    _f("Michael", 2026, True, ("Michael",),
       "Antoine Fuqua", ("Jaafar Jackson", "Colman Domingo", "Nia Long"), "Netflix"),
    _f("Project Hail Mary", 2026, True, ("Project Hail Mary", "PROJECT HAIL MARY"),
       "Phil Lord and Christopher Miller", ("Ryan Gosling", "Sandra Hüller"), "Prime Video",
       fr=("Projet Dernière Chance",), es=("Proyecto Hail Mary",)),
    _f("Minions 3", 2026, True, ("Minions 3", "Minions III"),
       "Pierre Coffin", ("Steve Carell", "Pierre Coffin"), "Peacock"),
    _f("The Devil Wears Prada 2", 2026, True, ("The Devil Wears Prada 2", "Devil Wears Prada 2"),
       "David Frankel", ("Meryl Streep", "Anne Hathaway", "Emily Blunt"), "Disney+",
       fr=("Le Diable s'habille en Prada 2",), es=("El diablo viste de Prada 2",)),
    _f("Mortal Kombat II", 2026, True, ("Mortal Kombat II", "Mortal Kombat 2"),
       "Simon McQuoid", ("Karl Urban", "Jessica McNamee", "Hiroyuki Sanada"), "Max"),
    _f("Scream 7", 2026, True, ("Scream 7", "Scream VII"),
       "Kevin Williamson", ("Neve Campbell", "Courteney Cox"), "Paramount+"),
    _f("Street Fighter", 2026, True, ("Street Fighter",),
       "Kitao Sakurai", ("Andrew Koji", "Noah Centineo", "Jason Momoa"), "Paramount+"),
    _f("Masters of the Universe", 2026, True, ("Masters of the Universe", "Masters Of The Universe"),
       "Travis Knight", ("Nicholas Galitzine", "Camila Mendes", "Jared Leto"), "Prime Video"),
    _f("Moana", 2026, True, ("Moana", "Moana live action"),
       "Thomas Kail", ("Catherine Laga'aia", "Dwayne Johnson"), "Disney+",
       fr=("Vaiana",), de=("Vaiana",), it=("Oceania",)),
)

NEAR_MISS: tuple[Film, ...] = (
    _f("Iron Man 2", 2010, False, ("Iron Man 2", "Iron Man II"), "Jon Favreau", ("Robert Downey Jr.",), "Disney+"),
    _f("Iron Man", 2008, False, ("Iron Man",), "Jon Favreau", ("Robert Downey Jr.",), "Disney+"),
    _f("Toy Story 4", 2019, False, ("Toy Story 4", "Toy Story IV"), "Josh Cooley", ("Tom Hanks",), "Disney+"),
    _f("Toy Story 3", 2010, False, ("Toy Story 3",), "Lee Unkrich", ("Tom Hanks",), "Disney+"),
    _f("Dune: Part Two", 2024, False, ("Dune: Part Two", "Dune Part 2", "Dune 2"), "Denis Villeneuve",
       ("Timothée Chalamet",), "Max", fr=("Dune : Deuxième partie",), es=("Dune: Parte Dos",)),
    _f("Dune", 2021, False, ("Dune",), "Denis Villeneuve", ("Timothée Chalamet",), "Max"),
    _f("Furious 7", 2015, False, ("Furious 7", "Fast & Furious 7", "Fast and Furious 7"), "James Wan",
       ("Vin Diesel",), "Peacock"),
    _f("Fast X", 2023, False, ("Fast X", "Fast & Furious 10"), "Louis Leterrier", ("Vin Diesel",), "Peacock"),
    _f("Fast Five", 2011, False, ("Fast Five", "Fast & Furious 5"), "Justin Lin", ("Vin Diesel",), "Peacock"),
    _f("Avengers: Endgame", 2019, False, ("Avengers: Endgame", "Avengers Endgame"), "Anthony and Joe Russo",
       ("Robert Downey Jr.",), "Disney+"),
    _f("Avengers: Secret Wars", 2027, False, ("Avengers: Secret Wars", "Avengers 6"), "Anthony and Joe Russo",
       ("Robert Downey Jr.",), "Disney+"),
    _f("Spider-Man: No Way Home", 2021, False, ("Spider-Man: No Way Home", "Spiderman No Way Home"),
       "Jon Watts", ("Tom Holland",), "Netflix"),
    _f("Spider-Man: Across the Spider-Verse", 2023, False, ("Spider-Man: Across the Spider-Verse",),
       "Joaquim Dos Santos", ("Shameik Moore",), "Netflix"),
    _f("Minions: The Rise of Gru", 2022, False, ("Minions: The Rise of Gru", "Minions 2"), "Kyle Balda",
       ("Steve Carell",), "Peacock"),
    _f("Despicable Me 4", 2024, False, ("Despicable Me 4",), "Chris Renaud", ("Steve Carell",), "Peacock"),
    _f("Scream VI", 2023, False, ("Scream VI", "Scream 6"), "Matt Bettinelli-Olpin", ("Jenna Ortega",), "Paramount+"),
    _f("Mortal Kombat", 2021, False, ("Mortal Kombat",), "Simon McQuoid", ("Lewis Tan",), "Max"),
    _f("Moana 2", 2024, False, ("Moana 2", "Vaiana 2"), "David Derrick Jr.", ("Auli'i Cravalho",), "Disney+"),
    _f("The Super Mario Bros. Movie", 2023, False, ("The Super Mario Bros. Movie", "Super Mario Bros Movie"),
       "Aaron Horvath", ("Chris Pratt",), "Peacock"),
    _f("Superman", 2025, False, ("Superman",), "James Gunn", ("David Corenswet",), "Max"),
    _f("Man of Steel 2", 2027, False, ("Man of Steel 2", "Man of Steel II"), "unknown", ("Henry Cavill",), "Max"),
    _f("The Devil Wears Prada", 2006, False, ("The Devil Wears Prada",), "David Frankel", ("Meryl Streep",), "Disney+"),
    _f("Street Fighter II: The Animated Movie", 1994, False, ("Street Fighter II: The Animated Movie",
       "Street Fighter 2 Movie"), "Gisaburō Sugii", ("Kōji Okamoto",), "Crunchyroll"),
    _f("Inside Out 2", 2024, False, ("Inside Out 2",), "Kelsey Mann", ("Amy Poehler",), "Disney+"),
    _f("Deadpool & Wolverine", 2024, False, ("Deadpool & Wolverine", "Deadpool 3"), "Shawn Levy",
       ("Ryan Reynolds",), "Disney+"),
    _f("Avatar: Fire and Ash", 2025, False, ("Avatar: Fire and Ash", "Avatar 3"), "James Cameron",
       ("Sam Worthington",), "Disney+"),
    _f("Zootopia 2", 2025, False, ("Zootopia 2", "Zootopie 2"), "Jared Bush", ("Ginnifer Goodwin",), "Disney+"),
    _f("Midnight Harbor", 2026, False, ("Midnight Harbor",), "Lena Okafor", ("Dev Marsh",), "Netflix"),
    _f("The Glass Orchard", 2026, False, ("The Glass Orchard",), "Ines Valcourt", ("Mara Lind",), "Prime Video"),
    _f("Velocity Kings 6", 2026, False, ("Velocity Kings 6",), "Rob Castell", ("Tony Vance",), "Peacock"),
    _f("Masters of the Universe", 1987, False, ("Masters of the Universe",), "Gary Goddard",
       ("Dolph Lundgren",), "Prime Video"),
)


def film_by_title(title: str) -> Film:
    """Look a film up by its canonical title (watched films first)."""
    for film in WATCHED + NEAR_MISS:
        if film.title == title:
            return film
    raise KeyError(title)
