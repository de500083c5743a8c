"""The detection rules: ``templates.yaml``, ``lures.yaml`` and ``thresholds.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines._linear import LinearPattern, compile_linear
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load, mapping, number, strings
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, LineDict, LineList, excerpt, parse_yaml

__all__ = [
    "LureFile",
    "Provider",
    "TemplateFile",
    "TemplateSpec",
    "Thresholds",
    "load_lures",
    "load_templates",
    "load_thresholds",
]


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
        problem = f"template {index + 1} must be a mapping {{pattern, lang, weight}}"
        fail(path, parent, index, problem)
    allowed = {"pattern", "lang", "weight", "note"}
    node = mapping(path, node, allowed, {"pattern", "lang", "weight"})
    pattern = node["pattern"]
    lang = node["lang"]
    if not isinstance(pattern, str) or "{title}" not in pattern:
        problem = f"must be a string with a {{title}} placeholder, not {excerpt(pattern)}"
        fail(path, node, "pattern", problem, "pattern")
    leftover = pattern.replace("{title}", "").replace("{year}", "")
    if "{" in leftover or "}" in leftover:
        problem = f"unknown placeholder in {excerpt(pattern)} (only {{title}} and {{year}})"
        fail(path, node, "pattern", problem, "pattern")
    if not isinstance(lang, str) or not lang.strip():
        fail(path, node, "lang", "must be a language code such as en", "lang")
    return TemplateSpec(pattern, lang, number(path, node, "weight", 0, 100))


def _phrase_groups(path: Path, data: LineDict, key: str) -> dict[str, tuple[str, ...]]:
    groups = data.get(key, {})
    if not isinstance(groups, LineDict):
        fail(path, data, key, "must be a mapping of language -> list of phrases", key)
    return {lang: strings(path, groups, lang) for lang in groups}


def load_templates(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> TemplateFile:
    """Load ``templates.yaml``: templates (``{pattern, lang, weight}``) and the ``cta``,
    ``negative`` and ``stream_words`` phrase groups."""
    path = Path(path) if path else WATCHLIST_DIR / "templates.yaml"
    return load(_parse_templates, path, max_bytes)


def _parse_templates(path: Path, text: str) -> TemplateFile:
    keys = {"templates", "cta", "negative", "stream_words"}
    data = mapping(path, parse_yaml(text, path), keys, {"templates"})
    items = data["templates"]
    if not isinstance(items, LineList) or not items:
        fail(path, data, "templates", "must be a non-empty list", "templates")
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
        problem = "must be a mapping {names, domains, login_hosts, oauth_endpoints}"
        fail(path, parent, key, problem, key)
    node = mapping(path, node, _PROVIDER_KEYS, {"names", "domains"})
    lists: dict[str, tuple[str, ...]] = {}
    for name in _PROVIDER_KEYS:
        optional = name not in ("names", "domains")
        lists[name] = tuple(v.lower() for v in strings(path, node, name, allow_empty=optional))
    return Provider(key=key, **lists)


def _regexes(path: Path, data: LineDict, key: str) -> tuple[LinearPattern, ...]:
    """The patterns compiled with RE2, which runs in linear time on any page.

    What only a backtracking engine can run (backreferences, lookaround) is refused here, with
    the file and line, instead of freezing a crawl on the first page that almost matches.
    """
    out = []
    values = data.get(key, [])
    for i, text in enumerate(strings(path, data, key, allow_empty=True)):
        try:
            out.append(compile_linear(text, ignore_case=True))
        except ValueError as exc:
            problem = f"invalid regular expression {excerpt(text)} for RE2 (linear time): {exc}"
            fail(path, values, i, problem, key)
    return tuple(out)


def load_lures(path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE) -> LureFile:
    """Load ``lures.yaml``: providers, SSO phrasings, broad scopes, allowlists and collection
    endpoints."""
    path = Path(path) if path else WATCHLIST_DIR / "lures.yaml"
    return load(_parse_lures, path, max_bytes)


def _parse_lures(path: Path, text: str) -> LureFile:
    keys = {"providers", "collection_endpoints", *_LURE_LISTS}
    data = mapping(path, parse_yaml(text, path), keys, {"providers"})
    providers = data["providers"]
    if not isinstance(providers, LineDict) or not providers:
        problem = "must be a non-empty mapping of provider -> {names, domains, ...}"
        fail(path, data, "providers", problem, "providers")
    lists: dict[str, tuple[str, ...]] = {}
    for name in _LURE_LISTS:
        lists[name] = tuple(v.lower() for v in strings(path, data, name, allow_empty=True))
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


# evidence by proximity (pipelines/proximity.py)
_PROXIMITY_WEIGHTS = {
    "offer_factor",
    "structure_cap",
    "card_min_labels",
    "catalogue_card",
    "card_copy",
    "site_headline",
    "negative_factor",
    "doorway_host",
    "doorway_negative_factor",
    "legal_host",
    "legal_named",
    "legal_link",
}
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
    "torrent",
    *_PROXIMITY_WEIGHTS,
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
    "brand_lure",
}
# added after the first release: older files stay valid
_OPTIONAL_WEIGHTS = {"deep_nesting", "brand_lure", "torrent", *_PROXIMITY_WEIGHTS}


def _weights(path: Path, data: LineDict, key: str, allowed: set[str]) -> dict[str, float]:
    required = allowed - _OPTIONAL_WEIGHTS
    node = mapping(path, data.get(key), allowed, required) if key in data else None
    if node is None:
        fail(path, data, None, "missing required key", key)
    return {k: number(path, node, k, -100, 100) for k in node}


def load_thresholds(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> Thresholds:
    """Load ``thresholds.yaml``: cut-offs (0-100) and the ``fake_weights`` / ``lure_weights``
    tables."""
    path = Path(path) if path else WATCHLIST_DIR / "thresholds.yaml"
    return load(_parse_thresholds, path, max_bytes)


def _parse_thresholds(path: Path, text: str) -> Thresholds:
    cutoffs = ("title_min_score", "template_min_score", "fake_stream", "sso_lure")
    keys = {*cutoffs, "fake_weights", "lure_weights"}
    data = mapping(path, parse_yaml(text, path), keys, set(cutoffs))
    return Thresholds(
        **{k: number(path, data, k, 0, 100) for k in cutoffs},
        fake_weights=_weights(path, data, "fake_weights", _FAKE_WEIGHTS),
        lure_weights=_weights(path, data, "lure_weights", _LURE_WEIGHTS),
    )
