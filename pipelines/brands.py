"""Brands whose sign-in, one-time-code and card pages kits clone (``watchlists/brands.yaml``).

:func:`load_brands` reads and validates the file (a broken file raises
:class:`~pipelines.exceptions.WatchlistError` naming file, line and field, so a run stops before
it starts). :class:`BrandIndex` pre-digests it and :func:`presented_brands` says which brands a
parsed page presents, and by which cues: the brand named in the ``<title>``, the site-name meta
tags, a heading, the form's own wording, image alt text or visible text; its favicon, logo or
assets (CDN hosts, file names, folders named after it); CSS class prefixes copied from the real
page; a page title kits use. Names shorter than five letters or that are ordinary words need a
second cue, as do the generic kit titles ("Sign in to your account").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.normalise import normalise
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load, mapping, strings
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, LineDict, LineList, excerpt, parse_yaml

__all__ = ["Brand", "BrandFile", "load_brands"]

_CATEGORIES = frozenset(
    "social mail payment bank streaming gaming messaging developer cloud retail crypto travel"
    " government telecom logistics".split()
)
_BRAND_KEYS = {"name", "category", "domains", "login_hosts", "names", "cues", "sso", "otp", "seen"}
_CUE_KEYS = {"assets", "classes", "titles"}
_FILE_KEYS = {"brands", "ordinary_names", "otp_wording"}


@dataclass(frozen=True)
class Brand:
    """One brand: display name, registrable domains, names as written and copied-page cues."""

    name: str
    category: str
    domains: tuple[str, ...]
    login_hosts: tuple[str, ...]
    names: tuple[str, ...]
    assets: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    sso: bool = False


@dataclass(frozen=True)
class BrandFile:
    """``brands.yaml``: the brands, names that are ordinary words, one-time-code wording."""

    brands: tuple[Brand, ...]
    ordinary_names: tuple[str, ...] = ()
    otp_wording: tuple[str, ...] = ()


def load_brands(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> BrandFile:
    """Load and validate ``brands.yaml`` (``None``: the shipped file)."""
    path = Path(path) if path else WATCHLIST_DIR / "brands.yaml"
    return load(_parse_brands, path, max_bytes)


def _parse_brands(path: Path, text: str) -> BrandFile:
    data = mapping(path, parse_yaml(text, path), _FILE_KEYS, {"brands"})
    items = data["brands"]
    if not isinstance(items, LineList) or not items:
        fail(path, data, "brands", "must be a non-empty list of brands", "brands")
    brands = tuple(_brand(path, node, i, items) for i, node in enumerate(items))
    seen: dict[str, int] = {}
    for i, brand in enumerate(brands):
        if brand.name.lower() in seen:
            fail(path, items, i, f"brand {excerpt(brand.name)} listed twice", "name")
        seen[brand.name.lower()] = i
    return BrandFile(
        brands,
        tuple(v.lower() for v in strings(path, data, "ordinary_names", allow_empty=True)),
        tuple(strings(path, data, "otp_wording", allow_empty=True)),
    )


def _brand(path: Path, node: Any, index: int, parent: LineList) -> Brand:
    if not isinstance(node, LineDict):
        fail(path, parent, index, f"brand {index + 1} must be a mapping {{name, domains, names}}")
    node = mapping(path, node, _BRAND_KEYS, {"name", "category", "domains", "names"})
    name = node["name"]
    if not isinstance(name, str) or not name.strip():
        fail(path, node, "name", "must be a non-empty string", "name")
    if node["category"] not in _CATEGORIES:
        problem = (
            f"must be one of {', '.join(sorted(_CATEGORIES))}, not {excerpt(node['category'])}"
        )
        fail(path, node, "category", problem, "category")
    domains = tuple(d.lower() for d in strings(path, node, "domains"))
    for i, domain in enumerate(domains):
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
            fail(path, node["domains"], i, f"not a domain: {excerpt(domain)}", "domains")
    names = strings(path, node, "names")
    if not all(normalise(n) for n in names):
        fail(path, node, "names", "a name has no letters or digits", "names")
    cues = _cues(path, node)
    otp = node.get("otp", {"digits": 6})
    if (
        not isinstance(otp, dict)
        or not set(otp) <= {"digits", "chars"}
        or not all(isinstance(v, int) and 3 <= v <= 12 for v in otp.values())
    ):
        fail(
            path, node, "otp", f"must be {{digits: N}} or {{chars: N}}, not {excerpt(otp)}", "otp"
        )
    sso = node.get("sso", False)
    if not isinstance(sso, bool):
        fail(path, node, "sso", f"must be true or false, not {excerpt(sso)}", "sso")
    login_hosts = tuple(h.lower() for h in strings(path, node, "login_hosts", allow_empty=True))
    return Brand(name.strip(), node["category"], domains, login_hosts, names, *cues, sso=sso)


def _cues(path: Path, node: LineDict) -> tuple[tuple[str, ...], ...]:
    if "cues" not in node:
        return (), (), ()
    cues = node["cues"]
    if not isinstance(cues, LineDict):
        fail(path, node, "cues", "must be a mapping {assets, classes, titles}", "cues")
    cues = mapping(path, cues, _CUE_KEYS)
    return tuple(
        strings(path, cues, key, allow_empty=True) for key in ("assets", "classes", "titles")
    )
