"""``lexicons.yaml``: per-language offer, structure and negative vocabulary with weights.

Each term is normalised with the function that normalises page text
(:func:`pipelines.normalise.tokens`), so folding (case, accents, confusables) is the same on both
sides. Terms of scripts written without spaces (Thai: ``spaced: false``) are matched as substrings
of a page's words. A broken file raises :class:`~pipelines.exceptions.WatchlistError` with its
line, before a run starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.normalise import tokens
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load, mapping, number
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, LineDict, LineList, excerpt, parse_yaml

__all__ = ["POLARITIES", "Category", "LexiconFile", "Term", "load_lexicons"]

#: What a category of words says about a page.
POLARITIES = ("offer", "structure", "negative")
_CATEGORY_KEYS = {"polarity", "weight", "doc"}
_LANGUAGE_KEYS = {"script", "spaced", "weights"}


@dataclass(frozen=True)
class Category:
    """A family of words (``watch``, ``trailer`` ...): its polarity and default weight."""

    name: str
    polarity: str
    weight: float


@dataclass(frozen=True)
class Term:
    """One word or phrase of a language's lexicon, in matching form."""

    words: tuple[str, ...]  # normalised words
    written: str  # as written in the file (shown in reasons)
    lang: str
    category: str
    weight: float
    substring: bool = False  # a script without spaces: matched inside page words


@dataclass(frozen=True)
class LexiconFile:
    """``lexicons.yaml``: the categories and every language's terms."""

    categories: dict[str, Category]
    terms: tuple[Term, ...]
    languages: tuple[str, ...]


def load_lexicons(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> LexiconFile:
    """Load and validate ``lexicons.yaml`` (``None``: the shipped file)."""
    path = Path(path) if path else WATCHLIST_DIR / "lexicons.yaml"
    return load(_parse_lexicons, path, max_bytes)


def _parse_lexicons(path: Path, text: str) -> LexiconFile:
    data = mapping(path, parse_yaml(text, path), {"categories", "languages"}, {"categories"})
    categories = _categories(path, data)
    languages = data.get("languages")
    if not isinstance(languages, LineDict) or not languages:
        fail(path, data, "languages", "must be a non-empty mapping of language code -> lists")
    terms: list[Term] = []
    for lang, node in languages.items():
        terms += _language(path, str(lang), node, languages, categories)
    return LexiconFile(categories, tuple(terms), tuple(str(k) for k in languages))


def _categories(path: Path, data: LineDict) -> dict[str, Category]:
    node = data["categories"]
    if not isinstance(node, LineDict) or not node:
        fail(path, data, "categories", "must be a non-empty mapping of name -> {polarity, weight}")
    out: dict[str, Category] = {}
    for name, spec in node.items():
        if not isinstance(spec, LineDict):
            fail(path, node, name, "must be a mapping {polarity, weight, doc}", str(name))
        spec = mapping(path, spec, _CATEGORY_KEYS, {"polarity", "weight"})
        polarity = spec["polarity"]
        if polarity not in POLARITIES:
            problem = f"must be one of {', '.join(POLARITIES)}, not {excerpt(polarity)}"
            fail(path, spec, "polarity", problem, "polarity")
        weight = number(path, spec, "weight", -100, 100)
        if (weight < 0) != (polarity == "negative"):
            problem = "a negative category needs a negative weight, any other a positive one"
            fail(path, spec, "weight", problem, "weight")
        out[str(name)] = Category(str(name), polarity, weight)
    return out


def _language(
    path: Path, lang: str, node: Any, parent: LineDict, categories: dict[str, Category]
) -> list[Term]:
    if not isinstance(node, LineDict):
        fail(path, parent, lang, "must be a mapping of category -> list of terms", lang)
    node = mapping(path, node, _LANGUAGE_KEYS | set(categories))
    spaced = node.get("spaced", True)
    if not isinstance(spaced, bool):
        fail(path, node, "spaced", "must be true or false", "spaced")
    weights = _overrides(path, node, categories)
    out: list[Term] = []
    for name in categories:
        if name in node:
            default = weights.get(name, categories[name].weight)
            out += _terms(path, node, name, lang, default, not spaced)
    return out


def _overrides(path: Path, node: LineDict, categories: dict[str, Category]) -> dict[str, float]:
    """A language's own default weights (``weights: {version: 4}``)."""
    if "weights" not in node:
        return {}
    spec = mapping(path, node["weights"], set(categories))
    out = {}
    for name in spec:
        out[name] = number(path, spec, name, -100, 100)
        if (out[name] < 0) != (categories[name].polarity == "negative"):
            fail(path, spec, name, "must have the sign of its category's weight", name)
    return out


def _terms(
    path: Path, node: LineDict, name: str, lang: str, default: float, substring: bool
) -> list[Term]:
    values = node[name]
    if not isinstance(values, LineList) or not values:
        fail(path, node, name, "must be a non-empty list of terms", name)
    out: list[Term] = []
    written_seen: set[str] = set()
    seen: set[tuple[str, ...]] = set()
    for i, value in enumerate(values):
        written, weight = _term(path, values, i, value, default)
        words = tuple(tokens(written))
        if not words:
            fail(path, values, i, f"term {excerpt(written)} has no word once normalised", name)
        if written in written_seen:
            fail(path, values, i, f"term {excerpt(written)} repeats in {lang}.{name}", name)
        written_seen.add(written)
        if words not in seen:  # spellings that fold alike ("no sign up", "no sign-up") count once
            seen.add(words)
            out.append(Term(words, written, lang, name, weight, substring))
    return out


def _term(path: Path, values: LineList, i: int, value: Any, default: float) -> tuple[str, float]:
    """A term and its weight: ``"watch"`` or ``{t: "ดู", w: 1}``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # 1080, 720: numbers written bare
    if isinstance(value, str) and value.strip():
        return value.strip(), default
    if isinstance(value, LineDict):
        spec = mapping(path, value, {"t", "w"}, {"t"})
        text = spec["t"]
        if not isinstance(text, str) or not text.strip():
            fail(path, spec, "t", "must be a non-empty string", "t")
        weight = number(path, spec, "w", -100, 100, default)
        if (weight < 0) != (default < 0):
            fail(path, spec, "w", "must have the sign of its category's weight", "w")
        return text.strip(), weight
    fail(path, values, i, f"must be a term or {{t: term, w: weight}}, not {excerpt(value)}")
