"""Replica of TMDB API v3 (``api.themoviedb.org``): the release calendar ``watchlists refresh``
reads.

Shapes are TMDB's (docs/watchlists_refresh.md names the sources studied):

- ``GET /3/movie/upcoming``: ``{"dates": {"maximum", "minimum"}, "page", "results": [movie],
  "total_pages", "total_results"}``, 20 movies a page; ``page`` 1 to 500 (else 400, code 22);
- ``GET /3/trending/movie/week`` (and ``/day``): the same without ``dates``, each movie with
  ``"media_type": "movie"``;
- ``GET /3/movie/{id}/alternative_titles``: ``{"id", "titles": [{"iso_3166_1", "title",
  "type"}]}`` (``?country=XX`` keeps one country); an unknown id: 404, code 34;
- auth: ``?api_key=KEY`` or ``Authorization: Bearer TOKEN``; none: 401, code 7; the key
  ``revoked``: 401, code 10 (suspended).

The films are the replica's own (made up). Release dates are days from the replica's clock
(``router.clock``, moved by :mod:`replica.takedowns`), so "upcoming" stays upcoming whatever the
date. ``stats`` counts requests per path, so tests can tell what a refresh asked.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from replica.dataset import Dataset
from replica.http import Request, Response, Router, json_response

__all__ = ["FILMS", "Film", "TmdbReplica", "register"]

_PAGE_SIZE = 20
_MAX_PAGE = 500
_HOST = r"api\.themoviedb\.org"


@dataclass(frozen=True)
class Film:
    id: int
    title: str
    original_title: str
    original_language: str
    release_in_days: int  # from the replica's today; negative: already out
    popularity: float
    lists: tuple[str, ...]  # "upcoming", "trending"
    alternative: tuple[tuple[str, str, str], ...] = ()  # (country, title, type)


FILMS: tuple[Film, ...] = (
    Film(
        910001,
        "The Lantern Keepers",
        "The Lantern Keepers",
        "en",
        12,
        812.4,
        ("upcoming", "trending"),
        (
            ("ES", "Los guardianes del farol", ""),
            ("DE", "Die Laternenwächter", ""),
            ("US", "Lantern Keepers", "short title"),
        ),
    ),
    Film(
        910002,
        "Orbit of Ash",
        "Orbit of Ash",
        "en",
        30,
        655.0,
        ("upcoming",),
        (("FR", "L'Orbite de cendre", ""), ("BR", "Órbita de Cinzas", "")),
    ),
    Film(
        910003,
        "Midnight Harbor",
        "Puerto de medianoche",
        "es",
        45,
        402.7,
        ("upcoming",),
        (("US", "Midnight Harbour", ""), ("MX", "Puerto de medianoche", "")),
    ),
    Film(
        910004,
        "Paper Tigers 2",
        "Paper Tigers 2",
        "en",
        -20,
        1203.9,
        ("trending",),
        (("IT", "Tigri di carta 2", ""), ("PL", "Papierowe tygrysy 2", "")),
    ),
    Film(
        910005,
        "Kestrel",
        "Пустельга",
        "ru",
        -400,
        98.1,
        ("trending",),
        (("RU", "Пустельга", ""), ("US", "The Kestrel", "")),
    ),
    Film(
        910006,
        "Avengers: Doomsday",
        "Avengers: Doomsday",
        "en",
        -2,
        2501.0,
        ("trending",),
        (("ES", "Vengadores: Doomsday", ""), ("FR", "Avengers : Doomsday", "")),
    ),
)


def _date(day: datetime, days: int) -> str:
    return (day + timedelta(days=days)).date().isoformat()


def _error(status: int, code: int, message: str) -> Response:
    return json_response(
        {"status_code": code, "status_message": message, "success": False}, status
    )


class TmdbReplica:
    """The replica's TMDB: films, a clock to date them by, request counts."""

    def __init__(self, router: Router, films: tuple[Film, ...] = FILMS) -> None:
        self._router = router
        self.films = films
        self.stats: Counter[str] = Counter()

    def today(self) -> datetime:
        clock = getattr(self._router, "clock", None) or time.time
        return datetime.fromtimestamp(clock(), UTC)

    def _movie(self, film: Film, trending: bool) -> dict[str, object]:
        movie: dict[str, object] = {
            "adult": False,
            "backdrop_path": f"/b{film.id}.jpg",
            "genre_ids": [18],
            "id": film.id,
            "original_language": film.original_language,
            "original_title": film.original_title,
            "overview": f"{film.title}: a film of the replica.",
            "popularity": film.popularity,
            "poster_path": f"/p{film.id}.jpg",
            "release_date": _date(self.today(), film.release_in_days),
            "title": film.title,
            "video": False,
            "vote_average": 7.1,
            "vote_count": 120,
        }
        if trending:
            movie["media_type"] = "movie"
        return movie

    def _auth(self, request: Request) -> Response | None:
        key = request.arg("api_key") or ""
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            key = key or bearer[7:].strip()
        if not key:
            return _error(401, 7, "Invalid API key: You must be granted a valid key.")
        if key == "revoked":
            return _error(401, 10, "Suspended API key: Access denied for your account.")
        return None

    def _page(self, request: Request, kind: str) -> Response:
        self.stats[request.path] += 1
        denied = self._auth(request)
        if denied is not None:
            return denied
        try:
            page = request.int_arg("page", 1)
        except ValueError:
            page = 0
        if not 1 <= page <= _MAX_PAGE:
            return _error(400, 22, "Invalid page: Pages start at 1 and max at 500.")
        films = sorted((f for f in self.films if kind in f.lists), key=lambda f: -f.popularity)
        chunk = films[(page - 1) * _PAGE_SIZE : page * _PAGE_SIZE]
        trending = kind == "trending"
        body: dict[str, object] = {
            "page": page,
            "results": [self._movie(f, trending) for f in chunk],
            "total_pages": max(1, -(-len(films) // _PAGE_SIZE)),
            "total_results": len(films),
        }
        if not trending:
            today = self.today()
            body = {"dates": {"maximum": _date(today, 60), "minimum": _date(today, -7)}, **body}
        return json_response(body)

    def upcoming(self, request: Request) -> Response:
        return self._page(request, "upcoming")

    def trending(self, request: Request) -> Response:
        return self._page(request, "trending")

    def alternative_titles(self, request: Request) -> Response:
        self.stats["/3/movie/{id}/alternative_titles"] += 1
        denied = self._auth(request)
        if denied is not None:
            return denied
        movie_id = int(request.params["id"])
        film = next((f for f in self.films if f.id == movie_id), None)
        if film is None:
            return _error(404, 34, "The resource you requested could not be found.")
        country = (request.arg("country") or "").upper()
        titles = [
            {"iso_3166_1": c, "title": t, "type": kind}
            for c, t, kind in film.alternative
            if not country or c == country
        ]
        return json_response({"id": film.id, "titles": titles})


def register(router: Router, dataset: Dataset) -> None:
    """Serve TMDB on ``api.themoviedb.org``; ``router.tmdb`` is the :class:`TmdbReplica`."""
    del dataset  # the calendar is the replica's own, not the crawl dataset's
    tmdb = TmdbReplica(router)
    router.tmdb = tmdb  # type: ignore[attr-defined]
    router.add(_HOST, r"/3/movie/upcoming", tmdb.upcoming)
    router.add(_HOST, r"/3/trending/movie/(?:day|week)", tmdb.trending)
    router.add(_HOST, r"/3/movie/(?P<id>\d{1,9})/alternative_titles", tmdb.alternative_titles)
