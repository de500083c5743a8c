"""``lurewatch watchlists refresh`` wiring: settings, the TMDB client, the candidate titles.

:func:`refresh_watchlists` is what ``lurewatch nightly`` calls first. TMDB is asked over the
same guarded client the takedown commands use (offline: routed to the replica, dated by the
replica's clock); the titles file is ``LUREWATCH_TITLES`` (the shipped file is never rewritten).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from elasticsearch import ApiError, TransportError
from scrapy.settings import BaseSettings

from crawler.commands._takedowns import http_client, world_clock
from pipelines.config import read_int, read_str
from pipelines.es.client import describe_error, make_client
from pipelines.es.config import EsConfig
from pipelines.exceptions import CalendarError, ConfigError, InputError
from pipelines.suggest import Suggestion, from_index, from_jsonl
from pipelines.watchlists import watchlist_maxsize
from pipelines.watchlists.refresh import RefreshResult, fetch_calendar, refresh_titles_file

__all__ = ["RefreshConfig", "candidate_titles", "refresh_watchlists"]

logger = logging.getLogger(__name__)

TMDB_BASE = "https://api.themoviedb.org"
_TIMEOUT = 20.0
_KEY_HELP = "a TMDB API key (v3 key or read access token)"


@dataclass(frozen=True)
class RefreshConfig:
    """The refresh's settings."""

    titles: Path
    api_key: str
    expire_days: int
    pages: int
    language: str
    region: str
    max_bytes: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RefreshConfig:
        """Read them; a missing ``TMDB_API_KEY`` or titles file is a :class:`ConfigError`."""
        api_key = read_str(settings, "TMDB_API_KEY").strip()
        if not api_key:
            raise ConfigError(f"TMDB_API_KEY is not set: watchlists refresh needs {_KEY_HELP}")
        titles = read_str(settings, "LUREWATCH_TITLES").strip()
        if not titles:
            raise ConfigError(
                "LUREWATCH_TITLES is not set: watchlists refresh writes to your titles file,"
                " never to the shipped one"
            )
        return cls(
            titles=Path(titles),
            api_key=api_key,
            expire_days=read_int(settings, "LUREWATCH_REFRESH_EXPIRE_DAYS", minimum=1),
            pages=read_int(settings, "LUREWATCH_REFRESH_PAGES", minimum=1, maximum=500),
            language=read_str(settings, "LUREWATCH_TMDB_LANGUAGE").strip(),
            region=read_str(settings, "LUREWATCH_TMDB_REGION").strip().upper(),
            max_bytes=watchlist_maxsize(settings),
        )


def candidate_titles(settings: BaseSettings) -> list[str]:
    """Titles ``lurewatch titles suggest`` proposes (:mod:`pipelines.suggest`), by
    ``LUREWATCH_REFRESH_CANDIDATES``: ``index`` (the index, when ``ELASTICSEARCH_URL`` is set),
    a JSON Lines crawl output, or empty (none). Seen on ``LUREWATCH_REFRESH_CANDIDATES_MIN``
    pages or more. A bonus: an unreachable index is a warning, not a failed refresh."""
    source = read_str(settings, "LUREWATCH_REFRESH_CANDIDATES").strip()
    minimum = read_int(settings, "LUREWATCH_REFRESH_CANDIDATES_MIN", minimum=1)
    if not source:
        return []
    if source != "index":
        try:
            return [s.title for s in from_jsonl(Path(source), minimum)]
        except InputError as exc:
            raise ConfigError(f"LUREWATCH_REFRESH_CANDIDATES: {exc}") from exc
    if not read_str(settings, "ELASTICSEARCH_URL").strip():
        logger.info("watchlists refresh: no ELASTICSEARCH_URL, no suggested titles")
        return []
    settings.set("LUREWATCH_ES_ENABLED", True, priority="cmdline")
    config = EsConfig.from_settings(settings)
    try:
        return [s.title for s in asyncio.run(_suggested(config, minimum))]
    except (ApiError, TransportError) as exc:
        logger.warning("watchlists refresh: no suggested titles: %s", describe_error(exc))
        return []


async def _suggested(config: EsConfig, minimum: int) -> list[Suggestion]:
    client = make_client(config)
    try:
        return await from_index(client, config.index, minimum)
    finally:
        await client.close()


def _message(response: httpx2.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    message = body.get("status_message") if isinstance(body, dict) else None
    return str(message or response.reason_phrase)[:200]


def _auth(key: str) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and query parameters for ``key``: a read access token (a JWT, ``eyJ...``) goes
    in ``Authorization: Bearer``, a v3 key in ``api_key`` (TMDB's two ways)."""
    headers = {"Accept": "application/json"}
    if key.startswith("eyJ"):
        return {**headers, "Authorization": f"Bearer {key}"}, {}
    return headers, {"api_key": key}


async def _refresh(
    settings: BaseSettings, config: RefreshConfig, candidates: Sequence[str]
) -> RefreshResult:
    async with http_client(settings, _TIMEOUT) as client:
        try:
            now = await world_clock(settings, client)  # offline: the replica's date
        except httpx2.HTTPError as exc:
            raise CalendarError(f"{TMDB_BASE}: {type(exc).__name__}: {exc}") from exc
        headers, auth = _auth(config.api_key)

        async def get(path: str, params: dict[str, str]) -> Any:
            url = f"{TMDB_BASE}{path}"
            try:
                response = await client.get(url, params={**params, **auth}, headers=headers)
            except httpx2.HTTPError as exc:
                raise CalendarError(f"{url}: {type(exc).__name__}: {exc}") from exc
            if response.status_code == 401:
                raise ConfigError(f"TMDB_API_KEY refused by {TMDB_BASE}: {_message(response)}")
            if response.status_code != 200:
                raise CalendarError(f"{url}: HTTP {response.status_code}: {_message(response)}")
            try:
                return response.json()
            except ValueError as exc:
                raise CalendarError(f"{url}: the answer is not JSON") from exc

        films, alternatives = await fetch_calendar(
            get, pages=config.pages, language=config.language, region=config.region
        )
        today = now().date()
    return refresh_titles_file(
        config.titles,
        films,
        alternatives,
        candidates,
        today=today,
        expire_days=config.expire_days,
        max_bytes=config.max_bytes,
    )


def refresh_watchlists(settings: BaseSettings) -> RefreshResult:
    """Refresh ``LUREWATCH_TITLES`` from the release calendar and the suggested titles.

    Raises :class:`ConfigError` (no or refused ``TMDB_API_KEY``, no ``LUREWATCH_TITLES``, a bad
    setting), :class:`CalendarError` (TMDB unreachable or odd) and ``WatchlistError`` (the
    titles file is broken; it is left as it was).
    """
    config = RefreshConfig.from_settings(settings)
    candidates = candidate_titles(settings)
    return asyncio.run(_refresh(settings, config, candidates))
