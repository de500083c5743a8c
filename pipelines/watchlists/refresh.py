"""``titles.yaml`` that follows the release calendar: TMDB's upcoming and trending films, and the
candidate titles seen in crawled spam, added to a managed section of the file.

The file has two parts. Everything above the marker line (:data:`MANAGED_MARKER`) is the
analyst's: it is never parsed for rewriting, never reordered, never changed: a refresh copies
those bytes as they are (comments, quoting, hand edits). Below the marker, the refresh keeps its
own entries, each with ``source`` (``tmdb/upcoming``, ``tmdb/trending``, ``candidates``),
``added`` (date first added), ``release`` (TMDB's date, when known) and ``expires`` (``release``,
or ``added`` for a candidate, plus ``expire_days``); an expired entry is dropped at the next
refresh. A film the analyst already watches (same title or alias, same year) is never added. To
take a managed entry over, move it above the marker: it is the analyst's from then on.

Network access is the caller's: :func:`fetch_calendar` awaits ``get_json(path, params)`` (the
command routes it, offline to the replica). Everything else is plain functions over text.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pipelines.exceptions import WatchlistError
from pipelines.safety import strip_controls
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, parse_yaml, read_yaml_text
from pipelines.watchlists.titles import MAX_NAME_CHARS, Title, parse_titles

__all__ = [
    "MANAGED_MARKER",
    "CalendarFilm",
    "ManagedEntry",
    "RefreshResult",
    "fetch_calendar",
    "parse_alternative_titles",
    "parse_movie_page",
    "plan_entries",
    "refresh_text",
    "refresh_titles_file",
    "render_managed",
    "split_managed",
]

#: The line above which the file is the analyst's and below which ``refresh`` writes.
MANAGED_MARKER = (
    "# lurewatch-managed: entries below are written by `lurewatch watchlists refresh`"
    " (move one above this line to keep it as your own)"
)
_MAX_ALIASES = 12
_ENTRY_KEYS = ("title", "year", "aliases", "source", "added", "release", "expires")
_UPCOMING = "/3/movie/upcoming"
_TRENDING = "/3/trending/movie/week"
_ALTERNATIVE = "/3/movie/{id}/alternative_titles"

GetJson = Callable[[str, dict[str, str]], Awaitable[Any]]


@dataclass(frozen=True)
class CalendarFilm:
    """A film of TMDB's calendar: its id, title, original title and release date."""

    id: int
    title: str
    original_title: str
    release: date | None
    source: str  # tmdb/upcoming or tmdb/trending


@dataclass(frozen=True)
class ManagedEntry:
    """An entry of the managed section."""

    title: str
    year: int | None
    aliases: tuple[str, ...]
    source: str
    added: date
    release: date | None
    expires: date


@dataclass
class RefreshResult:
    """What a refresh did: titles added, kept, updated and expired (by title)."""

    path: str
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    skipped_watched: list[str] = field(default_factory=list)
    written: bool = False


def _clean(text: Any) -> str:
    """A name from hostile input: a string, no controls, single spaces, at most the limit."""
    if not isinstance(text, str):
        return ""
    name = " ".join(strip_controls(text).split())
    return name if len(name) <= MAX_NAME_CHARS else ""


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_movie_page(payload: Any, source: str) -> list[CalendarFilm]:
    """The films of one ``/3/movie/upcoming`` or ``/3/trending/movie/week`` page (``results``);
    malformed results (no id, no title) are skipped."""
    results = payload.get("results") if isinstance(payload, dict) else None
    films: list[CalendarFilm] = []
    for movie in results if isinstance(results, list) else []:
        if not isinstance(movie, dict) or movie.get("media_type", "movie") != "movie":
            continue
        movie_id = movie.get("id")
        title = _clean(movie.get("title"))
        if not isinstance(movie_id, int) or isinstance(movie_id, bool) or not title:
            continue
        original = _clean(movie.get("original_title")) or title
        films.append(
            CalendarFilm(movie_id, title, original, _date(movie.get("release_date")), source)
        )
    return films


def parse_alternative_titles(payload: Any) -> list[str]:
    """The names of ``/3/movie/{id}/alternative_titles`` (``titles[].title``), cleaned."""
    titles = payload.get("titles") if isinstance(payload, dict) else None
    names = (_clean(t.get("title")) for t in titles or [] if isinstance(t, dict))
    return [n for n in names if n]


async def fetch_calendar(
    get_json: GetJson, *, pages: int = 1, language: str = "", region: str = ""
) -> tuple[list[CalendarFilm], dict[int, list[str]]]:
    """Upcoming and trending films (``pages`` pages of each) and each film's alternative titles.

    ``await get_json(path, params)`` is the decoded JSON of ``https://api.themoviedb.org{path}``
    (the caller adds the key and raises on a refused request).
    """
    params: dict[str, str] = {}
    if language:
        params["language"] = language
    films: list[CalendarFilm] = []
    seen: set[int] = set()
    for path, source, extra in (
        (_UPCOMING, "tmdb/upcoming", {"region": region} if region else {}),
        (_TRENDING, "tmdb/trending", {}),
    ):
        for page in range(1, pages + 1):
            payload = await get_json(path, {**params, **extra, "page": str(page)})
            for film in parse_movie_page(payload, source):
                if film.id not in seen:
                    seen.add(film.id)
                    films.append(film)
            total = payload.get("total_pages") if isinstance(payload, dict) else None
            if not isinstance(total, int) or page >= total:
                break
    alternatives: dict[int, list[str]] = {}
    for film in films:
        payload = await get_json(_ALTERNATIVE.format(id=film.id), {})
        alternatives[film.id] = parse_alternative_titles(payload)
    return films, alternatives


def split_managed(text: str) -> tuple[str, str]:
    """``(analyst part, managed part)``: the text up to (not including) the marker line, and what
    follows the marker line. No marker: the whole text is the analyst's."""
    start = 0
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == MANAGED_MARKER:
            return text[:start], text[start + len(line) :]
        start += len(line)
    return text, ""


def _parse_managed(path: Path, managed: str) -> list[ManagedEntry]:
    data = parse_yaml(managed, path) if managed.strip() else None
    if data is None:
        return []
    if not isinstance(data, list):
        raise WatchlistError(str(path), None, "the managed section must be a YAML list")
    entries: list[ManagedEntry] = []
    for node in data:
        if not isinstance(node, dict):
            raise WatchlistError(str(path), None, "a managed entry must be a mapping")
        added = _date(node.get("added"))
        expires = _date(node.get("expires"))
        title = _clean(node.get("title"))
        if not title or added is None or expires is None:
            problem = "a managed entry needs title, added and expires"
            raise WatchlistError(str(path), None, problem)
        aliases = tuple(a for a in map(_clean, node.get("aliases") or []) if a)
        year = node.get("year") if isinstance(node.get("year"), int) else None
        given = node.get("source")
        source = given if isinstance(given, str) else "unknown"
        release = _date(node.get("release"))
        entries.append(ManagedEntry(title, year, aliases, source, added, release, expires))
    return entries


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _watched(titles: Iterable[Title]) -> set[tuple[str, int | None]]:
    return {(_key(name), t.year) for t in titles for name in t.names}


def _is_watched(
    names: Iterable[str], year: int | None, watched: set[tuple[str, int | None]]
) -> bool:
    years = {year, None} if year is not None else {None}
    keys = {_key(n) for n in names}
    if year is None:
        return any(k == name for name, _ in watched for k in keys)
    return any((k, y) in watched for k in keys for y in years)


def _aliases(title: str, names: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    seen = {_key(title)}
    for name in names:
        if name and _key(name) not in seen:
            seen.add(_key(name))
            out.append(name)
    return tuple(out[:_MAX_ALIASES])


def plan_entries(
    analyst: Sequence[Title],
    previous: Sequence[ManagedEntry],
    films: Sequence[CalendarFilm],
    alternatives: dict[int, list[str]],
    candidates: Sequence[str],
    *,
    today: date,
    expire_days: int,
    result: RefreshResult,
) -> list[ManagedEntry]:
    """The managed section after a refresh: previous entries not expired (updated with the new
    aliases and dates), then new films, then new candidates; nothing the analyst watches."""
    watched = _watched(analyst)
    life = timedelta(days=expire_days)
    by_key: dict[tuple[str, int | None], ManagedEntry] = {}
    for entry in previous:
        if entry.expires < today:
            result.expired.append(entry.title)
        elif _is_watched((entry.title,), entry.year, watched):
            result.skipped_watched.append(entry.title)  # the analyst took it over
        else:
            by_key.setdefault((_key(entry.title), entry.year), entry)
            result.kept.append(entry.title)
    for film in films:
        year = film.release.year if film.release else None
        names = (film.title, film.original_title, *alternatives.get(film.id, []))
        if _is_watched(names[:1], year, watched):
            result.skipped_watched.append(film.title)
            continue
        expires = (film.release or today) + life
        if expires < today:
            continue  # released long ago: trending, but past its watch time
        key = (_key(film.title), year)
        old = by_key.get(key)
        aliases = _aliases(film.title, (*(old.aliases if old else ()), *names[1:]))
        entry = ManagedEntry(film.title, year, aliases, film.source, today, film.release, expires)
        if old is None:
            result.added.append(film.title)
        else:
            entry = replace(entry, added=old.added, source=old.source)
            if entry != old:
                result.updated.append(film.title)
        by_key[key] = entry
    for raw in candidates:
        name = _clean(raw)
        key = (_key(name), None)
        if not name or key in by_key or _is_watched((name,), None, watched):
            continue
        by_key[key] = ManagedEntry(name, None, (), "candidates", today, None, today + life)
        result.added.append(name)
    return list(by_key.values())


def _scalar(value: Any) -> str:
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def render_managed(entries: Sequence[ManagedEntry]) -> str:
    """The managed section's YAML (one flow list of aliases per entry, every string quoted)."""
    lines: list[str] = []
    for entry in entries:
        values = {
            "title": entry.title,
            "year": entry.year,
            "aliases": entry.aliases,
            "source": entry.source,
            "added": entry.added,
            "release": entry.release,
            "expires": entry.expires,
        }
        first = True
        for name in _ENTRY_KEYS:
            value = values[name]
            if value is None or value == ():
                continue
            if isinstance(value, tuple):
                text = "[" + ", ".join(_scalar(v) for v in value) + "]"
            else:
                text = _scalar(value)
            lines.append(f"{'- ' if first else '  '}{name}: {text}")
            first = False
    return "".join(f"{line}\n" for line in lines)


def refresh_text(
    path: Path,
    text: str,
    films: Sequence[CalendarFilm],
    alternatives: dict[int, list[str]],
    candidates: Sequence[str],
    *,
    today: date,
    expire_days: int,
) -> tuple[str, RefreshResult]:
    """The new text of ``titles.yaml`` (``path`` names it in errors) and what changed.

    The analyst part is kept byte for byte (a newline is added if it lacks a final one); the
    result is validated as a titles file (``WatchlistError`` if the analyst part is broken).
    """
    result = RefreshResult(str(path))
    analyst_text, managed_text = split_managed(text)
    has_titles = parse_yaml(analyst_text, path) is not None  # not only comments
    analyst = parse_titles(path, analyst_text) if has_titles else []
    previous = _parse_managed(path, managed_text)
    entries = plan_entries(
        analyst,
        previous,
        films,
        alternatives,
        candidates,
        today=today,
        expire_days=expire_days,
        result=result,
    )
    if analyst_text and not analyst_text.endswith("\n"):
        analyst_text += "\n"
    new_text = f"{analyst_text}{MANAGED_MARKER}\n{render_managed(entries)}"
    parse_titles(path, new_text)  # never write a file the crawl would refuse
    return new_text, result


def refresh_titles_file(
    path: str | Path,
    films: Sequence[CalendarFilm],
    alternatives: dict[int, list[str]],
    candidates: Sequence[str] = (),
    *,
    today: date,
    expire_days: int,
    max_bytes: int = WATCHLIST_MAXSIZE,
) -> RefreshResult:
    """Refresh the titles file at ``path`` in place (written whole: temp file, then rename; not
    written when nothing changed)."""
    path = Path(path)
    text = read_yaml_text(path, max_bytes)
    new_text, result = refresh_text(
        path, text, films, alternatives, candidates, today=today, expire_days=expire_days
    )
    if new_text != text:
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(new_text)
            if path.exists():
                os.chmod(temp, path.stat().st_mode & 0o777)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        result.written = True
    return result
