"""Watchlists: the titles to look for and the search phrasings used to find them.

Plain functions over YAML files; every problem raises :class:`~pipelines.exceptions.WatchlistError` naming
file, line and field, so a broken watchlist stops a run before its first request.

Each file is read up to ``max_bytes`` (``LUREWATCH_WATCHLIST_MAXSIZE``) and parsed once per
process while it is unchanged: a loader returns the object it built for the same file (same path,
inode, size and modification time), so a crawl's spiders, pipelines and checks share one parse.
Treat the loaded objects as read-only.
"""

from __future__ import annotations

import hashlib
import string
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pipelines._linear import LinearPattern, compile_linear
from pipelines._package_data import package_dir
from pipelines._yaml import (
    WATCHLIST_MAXSIZE,
    LineDict,
    LineList,
    excerpt,
    line_of,
    parse_yaml,
    read_yaml_text,
)
from pipelines.config import SettingsLike, read_int
from pipelines.exceptions import WatchlistError

__all__ = [
    "MAX_NAME_CHARS",
    "MAX_PHRASINGS",
    "MAX_PHRASING_CHARS",
    "MAX_SEARCH_PAGES",
    "WATCHLIST_DIR",
    "WATCHLIST_MAXSIZE",
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
    "watchlist_maxsize",
]

#: The watchlists shipped with the project, as package data (``LUREWATCH_TITLES`` and friends
#: replace single files).
WATCHLIST_DIR = package_dir("watchlists")

_TITLE_KEYS = {"title", "year", "aliases", "notes", "imdb", "tags"}
#: A title or alias longer than this is refused (it becomes search queries and tags).
MAX_NAME_CHARS = 200
#: ``searches.yaml``: phrasings per list, characters per phrasing, pages per search endpoint.
MAX_PHRASINGS = 50
MAX_PHRASING_CHARS = 200
MAX_SEARCH_PAGES = 100
#: The largest ``LUREWATCH_WATCHLIST_MAXSIZE`` accepted (bytes).
_MAXSIZE_LIMIT = 64 * 1024 * 1024
#: Parsed files kept for reuse (:func:`_load`), least recently used dropped first.
_CACHE_SIZE = 32

_T = TypeVar("_T")
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_cache_lock = threading.Lock()


def watchlist_maxsize(settings: SettingsLike) -> int:
    """``LUREWATCH_WATCHLIST_MAXSIZE``: the largest watchlist file read, in bytes."""
    return read_int(settings, "LUREWATCH_WATCHLIST_MAXSIZE", minimum=1, maximum=_MAXSIZE_LIMIT)


def _cached(key: tuple[Any, ...], build: Callable[[], _T]) -> _T:
    """What ``build()`` returned for ``key`` before, else its new result."""
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[no-any-return]
    value = build()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _load(parse: Callable[[Path, str], _T], path: Path, max_bytes: int) -> _T:
    """``parse(path, text)`` of the file's text, or what it returned for the same text before.

    The file is read (bounded) each time, which is cheap; only its parse is reused, keyed by the
    digest of the text, so an edited file is never mistaken for the old one.
    """
    text = read_yaml_text(path, max_bytes)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return _cached((parse, str(path), digest), lambda: parse(path, text))


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
        _fail(
            path,
            node,
            unknown[0],
            f"unknown key (allowed: {', '.join(sorted(_TITLE_KEYS))})",
            unknown[0],
        )
    title = node.get("title")
    if not isinstance(title, str) or not title.strip():
        _fail(
            path, node, "title" if "title" in node else None, "must be a non-empty string", "title"
        )
    if len(title) > MAX_NAME_CHARS:
        problem = f"longer than {MAX_NAME_CHARS} characters: {excerpt(title)}"
        _fail(path, node, "title", problem, "title")
    year = node.get("year")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1888 <= year <= 2100
    ):
        _fail(path, node, "year", f"must be a year such as 2026, not {excerpt(year)}", "year")
    aliases = node.get("aliases", [])
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        _fail(path, node, "aliases", "must be a list of non-empty strings", "aliases")
    for alias in aliases:
        if len(alias) > MAX_NAME_CHARS:
            problem = f"longer than {MAX_NAME_CHARS} characters: {excerpt(alias)}"
            _fail(path, node, "aliases", problem, "aliases")
    return Title(title=title.strip(), year=year, aliases=tuple(a.strip() for a in aliases))


def load_titles(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> list[Title]:
    """Load ``titles.yaml``: a YAML list of ``{title, year, aliases?}``."""
    path = Path(path) if path else WATCHLIST_DIR / "titles.yaml"
    return list(_load(_parse_titles, path, max_bytes))


def _parse_titles(path: Path, text: str) -> list[Title]:
    data = parse_yaml(text, path)
    if isinstance(data, dict) and "titles" in data:  # tolerate a top-level ``titles:`` key
        data = data["titles"]
    if not isinstance(data, list):
        raise WatchlistError(
            str(path), line_of(data), "must be a YAML list of {title, year, aliases?}"
        )
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
                f"duplicate title {excerpt(t.title)} ({t.year}), first at entry {seen[key] + 1}",
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
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        _fail(path, data, key if key in data else None, "must be a non-empty list of strings", key)
    if len(value) > MAX_PHRASINGS:
        _fail(path, data, key, f"more than {MAX_PHRASINGS} phrasings ({len(value)})", key)
    for i in range(len(value)):
        _check_phrasing(path, value, i, key)
    return tuple(value)


def _not_int(value: Any) -> bool:
    return isinstance(value, bool) or not isinstance(value, int)


def _check_phrasing(path: Path, phrasings: list[Any], index: int, key: str) -> None:
    """A phrasing is text with ``{title}`` and maybe ``{year}``: no format spec, conversion,
    attribute or index (``{title:>20000000}`` would build 20 MB queries)."""
    phrasing = phrasings[index]
    if len(phrasing) > MAX_PHRASING_CHARS:
        problem = f"phrasing longer than {MAX_PHRASING_CHARS} characters: {excerpt(phrasing)}"
        _fail(path, phrasings, index, problem, key)
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(phrasing)]
    except ValueError as exc:
        _fail(path, phrasings, index, f"bad placeholder in {excerpt(phrasing)}: {exc}", key)
    for name, spec, conversion in fields:
        if name is not None and (name not in ("title", "year") or spec or conversion):
            problem = f"bad placeholder in {excerpt(phrasing)}: only plain {{title}} and {{year}}"
            _fail(path, phrasings, index, problem, key)
    if all(name != "title" for name, _, _ in fields):
        problem = f"phrasing {excerpt(phrasing)} has no {{title}} placeholder"
        _fail(path, phrasings, index, problem, key)


def load_searches(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> SearchPlan:
    """Load ``searches.yaml``: ``queries`` and ``tags`` phrasings and ``max_pages``."""
    path = Path(path) if path else WATCHLIST_DIR / "searches.yaml"
    return _load(_parse_searches, path, max_bytes)


def _parse_searches(path: Path, text: str) -> SearchPlan:
    data = parse_yaml(text, path)
    if not isinstance(data, LineDict):
        raise WatchlistError(
            str(path), line_of(data), "must be a mapping with 'queries' and 'tags'"
        )
    unknown = sorted(set(data) - {"queries", "tags", "max_pages"})
    if unknown:
        _fail(
            path, data, unknown[0], "unknown key (allowed: queries, tags, max_pages)", unknown[0]
        )
    max_pages = data.get("max_pages", 3)
    if _not_int(max_pages) or not 1 <= max_pages <= MAX_SEARCH_PAGES:
        problem = f"must be an integer from 1 to {MAX_SEARCH_PAGES}, not {excerpt(max_pages)}"
        _fail(path, data, "max_pages", problem, "max_pages")
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
        _fail(
            path,
            data,
            unknown[0],
            f"unknown key (allowed: {', '.join(sorted(allowed))})",
            unknown[0],
        )
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
        problem = f"must be a number between {low:g} and {high:g}, not {excerpt(value)}"
        _fail(path, parent, key, problem, key)
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
        _fail(
            path,
            parent,
            index,
            f"template {index + 1} must be a mapping {{pattern, lang, weight}}",
        )
    node = _mapping(
        path, node, {"pattern", "lang", "weight", "note"}, {"pattern", "lang", "weight"}
    )
    pattern, lang = node["pattern"], node["lang"]
    if not isinstance(pattern, str) or "{title}" not in pattern:
        _fail(
            path,
            node,
            "pattern",
            f"must be a string with a {{title}} placeholder, not {excerpt(pattern)}",
            "pattern",
        )
    leftover = pattern.replace("{title}", "").replace("{year}", "")
    if "{" in leftover or "}" in leftover:
        _fail(
            path,
            node,
            "pattern",
            f"unknown placeholder in {excerpt(pattern)} (only {{title}} and {{year}})",
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


def load_templates(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> TemplateFile:
    """Load ``templates.yaml``: templates ({pattern, lang, weight}) and cta, negative, stream_words groups."""
    path = Path(path) if path else WATCHLIST_DIR / "templates.yaml"
    return _load(_parse_templates, path, max_bytes)


def _parse_templates(path: Path, text: str) -> TemplateFile:
    keys = {"templates", "cta", "negative", "stream_words"}
    data = _mapping(path, parse_yaml(text, path), keys, {"templates"})
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
    collection_endpoints: tuple[LinearPattern, ...]
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
        _fail(
            path,
            parent,
            key,
            "must be a mapping {names, domains, login_hosts, oauth_endpoints}",
            key,
        )
    node = _mapping(path, node, _PROVIDER_KEYS, {"names", "domains"})
    lists = {
        k: _strings(path, node, k, allow_empty=k not in ("names", "domains"))
        for k in _PROVIDER_KEYS
    }
    return Provider(key=key, **{k: tuple(v.lower() for v in lists[k]) for k in _PROVIDER_KEYS})


def _regexes(path: Path, data: LineDict, key: str) -> tuple[LinearPattern, ...]:
    """The patterns compiled with RE2, which runs in linear time on any page.

    What only a backtracking engine can run (backreferences, lookaround) is refused here, with
    the file and line, instead of freezing a crawl on the first page that almost matches.
    """
    out = []
    values = data.get(key, [])
    for i, text in enumerate(_strings(path, data, key, allow_empty=True)):
        try:
            out.append(compile_linear(text, ignore_case=True))
        except ValueError as exc:
            problem = f"invalid regular expression {excerpt(text)} for RE2 (linear time): {exc}"
            _fail(path, values, i, problem, key)
    return tuple(out)


def load_lures(path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE) -> LureFile:
    """Load ``lures.yaml``: providers, SSO phrasings, broad scopes, allowlists and collection endpoints."""
    path = Path(path) if path else WATCHLIST_DIR / "lures.yaml"
    return _load(_parse_lures, path, max_bytes)


def _parse_lures(path: Path, text: str) -> LureFile:
    keys = {"providers", "collection_endpoints", *_LURE_LISTS}
    data = _mapping(path, parse_yaml(text, path), keys, {"providers"})
    providers = data["providers"]
    if not isinstance(providers, LineDict) or not providers:
        _fail(
            path,
            data,
            "providers",
            "must be a non-empty mapping of provider -> {names, domains, ...}",
            "providers",
        )
    lists = {
        k: tuple(v.lower() for v in _strings(path, data, k, allow_empty=True)) for k in _LURE_LISTS
    }
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
    "deep_nesting",
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
    "deep_nesting",
}
_OPTIONAL_WEIGHTS = {"deep_nesting"}  # added after the first release: older files stay valid


def _weights(path: Path, data: LineDict, key: str, allowed: set[str]) -> dict[str, float]:
    required = allowed - _OPTIONAL_WEIGHTS
    node = _mapping(path, data.get(key), allowed, required) if key in data else None
    if node is None:
        _fail(path, data, None, "missing required key", key)
    return {k: _number(path, node, k, -100, 100) for k in node}


def load_thresholds(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> Thresholds:
    """Load ``thresholds.yaml``: cut-offs (0-100) and the ``fake_weights`` / ``lure_weights`` tables."""
    path = Path(path) if path else WATCHLIST_DIR / "thresholds.yaml"
    return _load(_parse_thresholds, path, max_bytes)


def _parse_thresholds(path: Path, text: str) -> Thresholds:
    cutoffs = ("title_min_score", "template_min_score", "fake_stream", "sso_lure")
    keys = {*cutoffs, "fake_weights", "lure_weights"}
    data = _mapping(path, parse_yaml(text, path), keys, set(cutoffs))
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
    *,
    max_bytes: int = WATCHLIST_MAXSIZE,
) -> Watchlists:
    """Load and validate the four detection watchlists (``None`` or ``""``: the shipped file).

    The same files give the same :class:`Watchlists` (and so the structures compiled from them).
    """
    titles_path = Path(titles) if titles else WATCHLIST_DIR / "titles.yaml"
    parts = (
        _load(_parse_titles, titles_path, max_bytes),  # the shared list: Watchlists keeps it
        load_templates(templates or None, max_bytes=max_bytes),
        load_lures(lures or None, max_bytes=max_bytes),
        load_thresholds(thresholds or None, max_bytes=max_bytes),
    )
    # the parts are alive (the cached Watchlists holds them), so their ids are theirs alone
    return _cached(("watchlists", *map(id, parts)), lambda: Watchlists(*parts))


def check_watchlists(
    paths: dict[str, str | Path | None] | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> list[str]:
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
            loader((paths or {}).get(name) or None, max_bytes=max_bytes)
        except WatchlistError as exc:
            errors.append(str(exc))
    return errors
