"""Watchlists: the titles to look for and the search phrasings used to find them.

Plain functions over YAML files; every problem raises :class:`~pipelines.exceptions.WatchlistError` naming
file, line and field, so a broken watchlist stops a run before its first request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pipelines._package_data import package_dir
from pipelines._yaml import LineDict, LineList, line_of, load_yaml
from pipelines.exceptions import WatchlistError

__all__ = [
    "WATCHLIST_DIR",
    "LureFile",
    "Provider",
    "SearchPlan",
    "TemplateFile",
    "TemplateSpec",
    "Thresholds",
    "Title",
    "Watchlists",
    "check_watchlists",
    "load_lures",
    "load_searches",
    "load_templates",
    "load_thresholds",
    "load_titles",
    "load_watchlists",
]

#: The watchlists shipped with the project, as package data (``LUREWATCH_TITLES`` and friends
#: replace single files).
WATCHLIST_DIR = package_dir("watchlists")

_TITLE_KEYS = {"title", "year", "aliases", "notes", "imdb", "tags"}


@dataclass(frozen=True)
class Title:
    """A watched film: its title, release year and alternative names (translations, short forms)."""

    title: str
    year: int | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


def _fail(
    path: Path, node: Any, key: str | int | None, problem: str, field_name: str | None = None
) -> NoReturn:
    raise WatchlistError(str(path), line_of(node, key), problem, field_name)


def _parse_title(path: Path, node: Any, index: int, parent: list[Any]) -> Title:
    if not isinstance(node, dict):
        _fail(path, parent, index, f"entry {index + 1} must be a mapping with 'title' and 'year'")
    unknown = sorted(set(node) - _TITLE_KEYS)
    if unknown:
        _fail(path, node, unknown[0], f"unknown key (allowed: {', '.join(sorted(_TITLE_KEYS))})", unknown[0])
    title = node.get("title")
    if not isinstance(title, str) or not title.strip():
        _fail(path, node, "title" if "title" in node else None, "must be a non-empty string", "title")
    year = node.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1888 <= year <= 2100):
        _fail(path, node, "year", f"must be a year such as 2026, not {year!r}", "year")
    aliases = node.get("aliases", [])
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        _fail(path, node, "aliases", "must be a list of non-empty strings", "aliases")
    return Title(title=title.strip(), year=year, aliases=tuple(a.strip() for a in aliases))


def load_titles(path: str | Path | None = None) -> list[Title]:
    """Load ``titles.yaml``: a YAML list of ``{title, year, aliases?}``."""
    path = Path(path) if path else WATCHLIST_DIR / "titles.yaml"
    data = load_yaml(path)
    if isinstance(data, dict) and "titles" in data:  # tolerate a top-level ``titles:`` key
        data = data["titles"]
    if not isinstance(data, list):
        raise WatchlistError(str(path), line_of(data), "must be a YAML list of {title, year, aliases?}")
    if not data:
        raise WatchlistError(str(path), None, "lists no titles")
    titles = [_parse_title(path, node, i, data) for i, node in enumerate(data)]
    seen: dict[tuple[str, int | None], int] = {}
    for i, t in enumerate(titles):
        key = (t.title.casefold(), t.year)
        if key in seen:
            _fail(
                path,
                data,
                i,
                f"duplicate title {t.title!r} ({t.year}), first at entry {seen[key] + 1}",
                "title",
            )
        seen[key] = i
    return titles


@dataclass(frozen=True)
class SearchPlan:
    """How titles become searches: query phrasings and tag phrasings, with ``{title}``/``{year}``."""

    queries: tuple[str, ...] = ("{title}",)
    tags: tuple[str, ...] = ("{title}",)
    max_pages: int = 3  # pages followed per search endpoint
    extra: dict[str, Any] = field(default_factory=dict)

    def queries_for(self, title: Title) -> list[str]:
        return _expand(self.queries, title)

    def tags_for(self, title: Title) -> list[str]:
        return _expand(self.tags, title)


def _expand(phrasings: tuple[str, ...], title: Title) -> list[str]:
    out: list[str] = []
    for phrasing in phrasings:
        if "{year}" in phrasing and not title.year:
            continue
        text = " ".join(phrasing.format(title=title.title, year=title.year or "").split())
        if text and text not in out:
            out.append(text)
    return out


def _string_list(path: Path, data: LineDict, key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, data, key if key in data else None, "must be a non-empty list of strings", key)
    for i, phrasing in enumerate(value):
        if "{title}" not in phrasing:
            _fail(path, value, i, f"phrasing {phrasing!r} has no {{title}} placeholder", key)
        try:
            phrasing.format(title="x", year=2026)
        except (KeyError, IndexError, ValueError) as exc:
            _fail(path, value, i, f"bad placeholder in {phrasing!r}: {exc}", key)
    return tuple(value)


def load_searches(path: str | Path | None = None) -> SearchPlan:
    """Load ``searches.yaml``: ``queries`` and ``tags`` phrasings and ``max_pages``."""
    path = Path(path) if path else WATCHLIST_DIR / "searches.yaml"
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise WatchlistError(str(path), line_of(data), "must be a mapping with 'queries' and 'tags'")
    unknown = sorted(set(data) - {"queries", "tags", "max_pages"})
    if unknown:
        _fail(path, data, unknown[0], "unknown key (allowed: queries, tags, max_pages)", unknown[0])
    max_pages = data.get("max_pages", 3)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        _fail(path, data, "max_pages", f"must be a positive integer, not {max_pages!r}", "max_pages")
    return SearchPlan(
        queries=_string_list(path, data, "queries"),
        tags=_string_list(path, data, "tags"),
        max_pages=max_pages,
    )


# --- templates, lures, thresholds -----------------------------------------------------------------


def _mapping(
    path: Path, data: Any, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
) -> LineDict:
    """``data`` must be a mapping with only ``allowed`` keys and every ``required`` one."""
    if not isinstance(data, LineDict):
        raise WatchlistError(
            str(path), line_of(data), f"must be a mapping with keys {', '.join(sorted(allowed))}"
        )
    unknown = sorted(set(data) - allowed)
    if unknown:
        _fail(path, data, unknown[0], f"unknown key (allowed: {', '.join(sorted(allowed))})", unknown[0])
    for key in sorted(required - set(data)):
        _fail(path, data, None, "missing required key", key)
    return data


def _strings(path: Path, parent: Any, key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    value = parent.get(key, []) if isinstance(parent, dict) else parent
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, parent, key, "must be a list of non-empty strings", key)
    if not value and not allow_empty:
        _fail(path, parent, key, "must not be empty", key)
    return tuple(v.strip() for v in value)


def _number(
    path: Path, parent: LineDict, key: str, low: float, high: float, default: float | None = None
) -> float:
    value = parent.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        _fail(path, parent, key, f"must be a number between {low:g} and {high:g}, not {value!r}", key)
    return float(value)


@dataclass(frozen=True)
class TemplateSpec:
    """One fake-stream phrasing as written in ``templates.yaml``."""

    pattern: str
    lang: str
    weight: float


@dataclass(frozen=True)
class TemplateFile:
    """``templates.yaml``: phrasings, calls to action and negative context, per language."""

    templates: tuple[TemplateSpec, ...]
    cta: dict[str, tuple[str, ...]]
    negative: dict[str, tuple[str, ...]]
    stream_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _template(path: Path, node: Any, index: int, parent: LineList) -> TemplateSpec:
    if not isinstance(node, LineDict):
        _fail(path, parent, index, f"template {index + 1} must be a mapping {{pattern, lang, weight}}")
    node = _mapping(path, node, {"pattern", "lang", "weight", "note"}, {"pattern", "lang", "weight"})
    pattern, lang = node["pattern"], node["lang"]
    if not isinstance(pattern, str) or "{title}" not in pattern:
        _fail(
            path,
            node,
            "pattern",
            f"must be a string with a {{title}} placeholder, not {pattern!r}",
            "pattern",
        )
    leftover = pattern.replace("{title}", "").replace("{year}", "")
    if "{" in leftover or "}" in leftover:
        _fail(
            path,
            node,
            "pattern",
            f"unknown placeholder in {pattern!r} (only {{title}} and {{year}})",
            "pattern",
        )
    if not isinstance(lang, str) or not lang.strip():
        _fail(path, node, "lang", "must be a language code such as en", "lang")
    return TemplateSpec(pattern, lang, _number(path, node, "weight", 0, 100))


def _phrase_groups(path: Path, data: LineDict, key: str) -> dict[str, tuple[str, ...]]:
    groups = data.get(key, {})
    if not isinstance(groups, LineDict):
        _fail(path, data, key, "must be a mapping of language -> list of phrases", key)
    return {lang: _strings(path, groups, lang) for lang in groups}


def load_templates(path: str | Path | None = None) -> TemplateFile:
    """Load ``templates.yaml``: templates ({pattern, lang, weight}) and cta, negative, stream_words groups."""
    path = Path(path) if path else WATCHLIST_DIR / "templates.yaml"
    data = _mapping(path, load_yaml(path), {"templates", "cta", "negative", "stream_words"}, {"templates"})
    items = data["templates"]
    if not isinstance(items, LineList) or not items:
        _fail(path, data, "templates", "must be a non-empty list", "templates")
    specs = tuple(_template(path, node, i, items) for i, node in enumerate(items))
    return TemplateFile(
        specs,
        _phrase_groups(path, data, "cta"),
        _phrase_groups(path, data, "negative"),
        _phrase_groups(path, data, "stream_words"),
    )


@dataclass(frozen=True)
class Provider:
    """An identity provider: its names, registrable domains, login hosts and OAuth endpoints."""

    key: str
    names: tuple[str, ...]
    domains: tuple[str, ...]
    login_hosts: tuple[str, ...]
    oauth_endpoints: tuple[str, ...]


@dataclass(frozen=True)
class LureFile:
    """``lures.yaml``: providers and the vocabulary of lures."""

    providers: tuple[Provider, ...]
    user_content_domains: tuple[str, ...]
    sso_phrases: tuple[str, ...]
    broad_scopes: tuple[str, ...]
    redirect_allowlist: tuple[str, ...]
    collection_endpoints: tuple[re.Pattern[str], ...]
    shorteners: tuple[str, ...]
    lure_context: tuple[str, ...]


_PROVIDER_KEYS = {"names", "domains", "login_hosts", "oauth_endpoints"}
_LURE_LISTS = (
    "user_content_domains",
    "sso_phrases",
    "broad_scopes",
    "redirect_allowlist",
    "shorteners",
    "lure_context",
)


def _provider(path: Path, key: str, node: Any, parent: LineDict) -> Provider:
    if not isinstance(node, LineDict):
        _fail(path, parent, key, "must be a mapping {names, domains, login_hosts, oauth_endpoints}", key)
    node = _mapping(path, node, _PROVIDER_KEYS, {"names", "domains"})
    lists = {k: _strings(path, node, k, allow_empty=k not in ("names", "domains")) for k in _PROVIDER_KEYS}
    return Provider(key=key, **{k: tuple(v.lower() for v in lists[k]) for k in _PROVIDER_KEYS})


def _regexes(path: Path, data: LineDict, key: str) -> tuple[re.Pattern[str], ...]:
    out = []
    values = data.get(key, [])
    for i, text in enumerate(_strings(path, data, key, allow_empty=True)):
        try:
            out.append(re.compile(text, re.IGNORECASE))
        except re.error as exc:
            _fail(path, values, i, f"invalid regular expression {text!r}: {exc}", key)
    return tuple(out)


def load_lures(path: str | Path | None = None) -> LureFile:
    """Load ``lures.yaml``: providers, SSO phrasings, broad scopes, allowlists and collection endpoints."""
    path = Path(path) if path else WATCHLIST_DIR / "lures.yaml"
    data = _mapping(path, load_yaml(path), {"providers", "collection_endpoints", *_LURE_LISTS}, {"providers"})
    providers = data["providers"]
    if not isinstance(providers, LineDict) or not providers:
        _fail(
            path,
            data,
            "providers",
            "must be a non-empty mapping of provider -> {names, domains, ...}",
            "providers",
        )
    lists = {k: tuple(v.lower() for v in _strings(path, data, k, allow_empty=True)) for k in _LURE_LISTS}
    return LureFile(
        providers=tuple(_provider(path, k, v, providers) for k, v in providers.items()),
        collection_endpoints=_regexes(path, data, "collection_endpoints"),
        **lists,
    )


@dataclass(frozen=True)
class Thresholds:
    """``thresholds.yaml``: cut-offs and the weights of each piece of evidence."""

    title_min_score: float = 90
    template_min_score: float = 80
    fake_stream: float = 50
    sso_lure: float = 50
    fake_weights: dict[str, float] = field(default_factory=dict)
    lure_weights: dict[str, float] = field(default_factory=dict)


_FAKE_WEIGHTS = {
    "max_templates",
    "second_template_factor",
    "cta",
    "play_button",
    "stuffing",
    "shortener",
    "link_farm",
    "title_in_heading",
    "player_page",
    "negative",
    "negative_cap",
    "min_stuffing",
    "min_link_farm",
    "stream_words",
    "stream_words_cap",
    "defanged",
}
_LURE_WEIGHTS = {
    "credential_offhost",
    "collection_endpoint",
    "credential_form",
    "sso_button_offprovider",
    "sso_button_samehost",
    "sso_button_hidden",
    "sso_with_fake_stream",
    "card_for_stream",
    "oauth_consent_own_site",
    "lookalike_domain",
    "bitb",
    "oauth_consent",
    "obfuscated_form",
    "lure_context",
    "provider_branding",
    "lookalike_max_distance",
}


def _weights(path: Path, data: LineDict, key: str, allowed: set[str]) -> dict[str, float]:
    node = _mapping(path, data.get(key), allowed, allowed) if key in data else None
    if node is None:
        _fail(path, data, None, "missing required key", key)
    return {k: _number(path, node, k, -100, 100) for k in node}


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """Load ``thresholds.yaml``: cut-offs (0-100) and the ``fake_weights`` / ``lure_weights`` tables."""
    path = Path(path) if path else WATCHLIST_DIR / "thresholds.yaml"
    cutoffs = ("title_min_score", "template_min_score", "fake_stream", "sso_lure")
    data = _mapping(path, load_yaml(path), {*cutoffs, "fake_weights", "lure_weights"}, set(cutoffs))
    return Thresholds(
        **{k: _number(path, data, k, 0, 100) for k in cutoffs},
        fake_weights=_weights(path, data, "fake_weights", _FAKE_WEIGHTS),
        lure_weights=_weights(path, data, "lure_weights", _LURE_WEIGHTS),
    )


@dataclass
class Watchlists:
    """Everything detection needs, loaded and validated once: titles, templates, lures and thresholds."""

    titles: list[Title]
    templates: TemplateFile
    lures: LureFile
    thresholds: Thresholds
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False)

    def compiled(self, name: str, build: Any) -> Any:
        """A structure derived from these watchlists (title index, template matcher), built on first use."""
        if name not in self._compiled:
            self._compiled[name] = build(self)
        return self._compiled[name]


def load_watchlists(
    titles: str | Path | None = None,
    templates: str | Path | None = None,
    lures: str | Path | None = None,
    thresholds: str | Path | None = None,
) -> Watchlists:
    """Load and validate the four detection watchlists (``None`` or ``""``: the shipped file)."""
    return Watchlists(
        load_titles(titles or None),
        load_templates(templates or None),
        load_lures(lures or None),
        load_thresholds(thresholds or None),
    )


def check_watchlists(paths: dict[str, str | Path | None] | None = None) -> list[str]:
    """Validate every watchlist file; return one message per broken file (empty = all good).

    ``paths`` maps ``titles``/``searches``/``templates``/``lures``/``thresholds`` to a file (missing or
    ``None`` = the shipped file). Used by ``lurewatch watchlists check``.
    """
    loaders = {
        "titles": load_titles,
        "searches": load_searches,
        "templates": load_templates,
        "lures": load_lures,
        "thresholds": load_thresholds,
    }
    errors: list[str] = []
    for name, loader in loaders.items():
        try:
            loader((paths or {}).get(name) or None)
        except WatchlistError as exc:
            errors.append(str(exc))
    return errors
