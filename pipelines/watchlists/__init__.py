"""Watchlists: the titles to look for, the search phrasings used to find them, the detection rules.

Plain functions over YAML files; every problem raises
:class:`~pipelines.exceptions.WatchlistError` naming file, line and field, so a broken watchlist
stops a run before its first request.

Each file is read up to ``max_bytes`` (``LUREWATCH_WATCHLIST_MAXSIZE``) and parsed once per
process while it is unchanged: a loader returns the object it built for the same file (same path
and text), so a crawl's spiders, pipelines and checks share one parse. Treat the loaded objects as
read-only.

Modules: :mod:`._yaml` (the bounded YAML loader with file:line errors), :mod:`._common` (the parse
cache and validation helpers), :mod:`.titles`, :mod:`.searches`, :mod:`.rules` (templates, lures,
thresholds); this package gathers them into :class:`Watchlists`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.exceptions import WatchlistError
from pipelines.watchlists._common import WATCHLIST_DIR, cached, load, watchlist_maxsize
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE
from pipelines.watchlists.lexicons import LexiconFile, load_lexicons
from pipelines.watchlists.rules import (
    LureFile,
    Provider,
    TemplateFile,
    TemplateSpec,
    Thresholds,
    load_lures,
    load_templates,
    load_thresholds,
)
from pipelines.watchlists.searches import (
    MAX_PHRASING_CHARS,
    MAX_PHRASINGS,
    MAX_SEARCH_PAGES,
    SearchPlan,
    load_searches,
)
from pipelines.watchlists.titles import MAX_NAME_CHARS, Title, load_titles, parse_titles

__all__ = [
    "MAX_NAME_CHARS",
    "MAX_PHRASINGS",
    "MAX_PHRASING_CHARS",
    "MAX_SEARCH_PAGES",
    "WATCHLIST_DIR",
    "WATCHLIST_MAXSIZE",
    "LexiconFile",
    "LureFile",
    "Provider",
    "SearchPlan",
    "TemplateFile",
    "TemplateSpec",
    "Thresholds",
    "Title",
    "Watchlists",
    "check_watchlists",
    "load_lexicons",
    "load_lures",
    "load_searches",
    "load_templates",
    "load_thresholds",
    "load_titles",
    "load_watchlists",
    "watchlist_maxsize",
]


@dataclass
class Watchlists:
    """Everything detection needs, loaded and validated once: titles, templates, lures and
    thresholds."""

    titles: list[Title]
    templates: TemplateFile
    lures: LureFile
    thresholds: Thresholds
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False)
    #: ``brands.yaml`` (:class:`pipelines.brands.BrandFile`); ``None``: the shipped file
    brands: Any = None
    #: ``lexicons.yaml`` (:class:`.lexicons.LexiconFile`); ``None``: the shipped file
    lexicons: Any = None
    #: ``legal_services.yaml`` (:class:`pipelines.legal.LegalFile`); ``None``: the shipped file
    legal: Any = None

    def compiled(self, name: str, build: Any) -> Any:
        """A structure derived from these watchlists (title index, template matcher), built on
        first use."""
        if name not in self._compiled:
            self._compiled[name] = build(self)
        return self._compiled[name]


def load_watchlists(
    titles: str | Path | None = None,
    templates: str | Path | None = None,
    lures: str | Path | None = None,
    thresholds: str | Path | None = None,
    *,
    max_bytes: int = WATCHLIST_MAXSIZE,
    brands: str | Path | None = None,
) -> Watchlists:
    """Load and validate the four detection watchlists (``None`` or ``""``: the shipped file).

    The same files give the same :class:`Watchlists` (and so the structures compiled from them).
    """
    titles_path = Path(titles) if titles else WATCHLIST_DIR / "titles.yaml"
    parts = (
        load(parse_titles, titles_path, max_bytes),  # the shared list: Watchlists keeps it
        load_templates(templates or None, max_bytes=max_bytes),
        load_lures(lures or None, max_bytes=max_bytes),
        load_thresholds(thresholds or None, max_bytes=max_bytes),
    )
    from pipelines.brands import load_brands  # imports this package: loaded late
    from pipelines.legal import load_legal_services  # imports this package: loaded late

    brand_file = load_brands(brands or None, max_bytes=max_bytes)
    lexicons = load_lexicons(None, max_bytes=max_bytes)
    legal = load_legal_services(None, max_bytes=max_bytes)
    # the parts are alive (the cached Watchlists holds them), so their ids are theirs alone
    key = ("watchlists", *map(id, parts), id(brand_file), id(lexicons), id(legal))
    return cached(
        key, lambda: Watchlists(*parts, brands=brand_file, lexicons=lexicons, legal=legal)
    )


def check_watchlists(
    paths: dict[str, str | Path | None] | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> list[str]:
    """Validate every watchlist file; return one message per broken file (empty = all good).

    ``paths`` maps ``titles``/``searches``/``templates``/``lures``/``thresholds``/``brands`` to a
    file
    (missing or ``None`` = the shipped file). Used by ``lurewatch watchlists check``.
    """
    loaders: dict[str, Callable[..., Any]] = {
        "titles": load_titles,
        "searches": load_searches,
        "templates": load_templates,
        "lures": load_lures,
        "thresholds": load_thresholds,
    }
    from pipelines.brands import load_brands  # imports this package: loaded late
    from pipelines.legal import load_legal_services  # imports this package: loaded late

    loaders["brands"] = load_brands
    loaders["lexicons"] = load_lexicons
    loaders["legal_services"] = load_legal_services
    errors: list[str] = []
    for name, loader in loaders.items():
        try:
            loader((paths or {}).get(name) or None, max_bytes=max_bytes)
        except WatchlistError as exc:
            errors.append(str(exc))
    return errors
