"""Legal streaming services (``legal_services.yaml``) and the pages that point to them.

A page served by a legal service is the service itself; a page that names one (or links to one)
next to the title it discusses ("X is now streaming free on Tubi") points viewers to a legal
copy. Both are evidence against a fake stream, weighed in :mod:`pipelines.proximity`. User video
platforms (YouTube, Dailymotion, archive.org) carry fake streams too: being hosted there proves
nothing, so they only count when named.

Domains are compared with the project's one registrable-domain function
(:func:`pipelines.urls.registrable_domain`).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pipelines.normalise import tokens
from pipelines.urls import host_of, registrable_domain
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load, mapping, strings
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, LineDict, LineList, excerpt, parse_yaml

__all__ = ["KINDS", "LegalFile", "Service", "load_legal_services"]

#: What a service is (see the header of ``legal_services.yaml``).
KINDS = ("free_ads", "public", "library", "subscription", "rental", "video_platform", "guide")
_KEYS = {"name", "names", "kind", "domains", "hosts", "paths", "regions", "seen"}
_NOT_A_HOST = frozenset({"video_platform"})  # anyone uploads there: the host proves nothing


@dataclass(frozen=True)
class Service:
    """One legal service: its names in matching form and where it is served."""

    name: str
    kind: str
    names: tuple[tuple[str, ...], ...]
    domains: frozenset[str]
    hosts: frozenset[str]
    paths: tuple[str, ...]

    def serves(self, url: str) -> bool:
        """Whether ``url`` is one of this service's pages."""
        host = host_of(url)
        if registrable_domain(host) not in self.domains:
            return False
        if self.hosts and host not in self.hosts:
            return False
        path = urllib.parse.urlsplit(url).path or "/"
        return not self.paths or any(path.startswith(p) for p in self.paths)


@dataclass(frozen=True)
class LegalFile:
    """``legal_services.yaml``: the services, and an index of their names by first word."""

    services: tuple[Service, ...]

    @cached_property
    def by_domain(self) -> dict[str, tuple[Service, ...]]:
        """The services of each registrable domain (built once)."""
        out: dict[str, list[Service]] = {}
        for service in self.services:
            for domain in service.domains:
                out.setdefault(domain, []).append(service)
        return {domain: tuple(services) for domain, services in out.items()}

    @cached_property
    def by_first_word(self) -> dict[str, tuple[tuple[tuple[str, ...], Service], ...]]:
        """Names that count in text (guides and video platforms excepted), by first word."""
        out: dict[str, list[tuple[tuple[str, ...], Service]]] = {}
        for service in self.services:
            if service.kind in ("guide", "video_platform"):
                continue
            for name in service.names:
                out.setdefault(name[0], []).append((name, service))
        return {word: tuple(names) for word, names in out.items()}

    def _serving(self, url: str, excluded: tuple[str, ...]) -> Service | None:
        for service in self.by_domain.get(registrable_domain(host_of(url)), ()):
            if service.kind not in excluded and service.serves(url):
                return service
        return None

    def hosting(self, url: str) -> Service | None:
        """The service serving ``url`` (user video platforms excepted), if any."""
        return self._serving(url, tuple(_NOT_A_HOST))

    def linked(self, url: str) -> Service | None:
        """The service a link to ``url`` leads to (video platforms and guides excepted)."""
        return self._serving(url, (*_NOT_A_HOST, "guide"))

    def named(self, words: Sequence[str]) -> Service | None:
        """The first service whose name appears in ``words`` (normalised)."""
        for at, word in enumerate(words):
            for name, service in self.by_first_word.get(word, ()):
                if tuple(words[at : at + len(name)]) == name:
                    return service
        return None


def load_legal_services(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> LegalFile:
    """Load and validate ``legal_services.yaml`` (``None``: the shipped file)."""
    path = Path(path) if path else WATCHLIST_DIR / "legal_services.yaml"
    return load(_parse_legal, path, max_bytes)


def _parse_legal(path: Path, text: str) -> LegalFile:
    data = mapping(path, parse_yaml(text, path), {"services"}, {"services"})
    services = data["services"]
    if not isinstance(services, LineList) or not services:
        fail(path, data, "services", "must be a non-empty list of services", "services")
    return LegalFile(tuple(_service(path, node, i, services) for i, node in enumerate(services)))


def _service(path: Path, node: Any, index: int, parent: LineList) -> Service:
    if not isinstance(node, LineDict):
        fail(
            path,
            parent,
            index,
            f"must be a mapping {{name, names, kind, domains}}, not {excerpt(node)}",
        )
    node = mapping(path, node, _KEYS, {"name", "names", "kind", "domains"})
    if not isinstance(node["name"], str) or not node["name"].strip():
        fail(path, node, "name", "must be a non-empty string", "name")
    if node["kind"] not in KINDS:
        problem = f"must be one of {', '.join(KINDS)}, not {excerpt(node['kind'])}"
        fail(path, node, "kind", problem, "kind")
    names = tuple(tuple(tokens(n)) for n in strings(path, node, "names"))
    if not all(names):
        fail(path, node, "names", "a name has no word once normalised", "names")
    domains = frozenset(d.lower() for d in strings(path, node, "domains"))
    for domain in domains:
        if registrable_domain(domain) != domain:
            problem = f"{excerpt(domain)} is not a registrable domain (it is part of "
            fail(path, node, "domains", f"{problem}{registrable_domain(domain)})", "domains")
    return Service(
        name=node["name"].strip(),
        kind=node["kind"],
        names=names,
        domains=domains,
        hosts=frozenset(h.lower() for h in strings(path, node, "hosts", allow_empty=True)),
        paths=strings(path, node, "paths", allow_empty=True),
    )
