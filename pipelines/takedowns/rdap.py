"""Abuse contacts of a domain (registrar) and of its hosting network, through RDAP.

Lookups go through `whodap <https://pypi.org/project/whodap/>`_: it reads the IANA bootstrap files
(``data.iana.org/rdap/dns.json``, ``ipv4.json``, ``ipv6.json``), asks the registry and follows a
``rel: related`` link to the registrar's own RDAP server, which holds the abuse contact. The HTTP
client is injected (``httpx2.AsyncClient``): the ``takedowns`` command gives it a transport that
sends everything to the replica in offline mode, so the same code runs offline on RFC 9083
answers. The host's addresses come from an injected resolver (the system's or DNS-over-HTTPS).

Answers (found or not) are cached as JSON files under ``<data dir>/rdap-cache/`` for
``LUREWATCH_RDAP_TTL`` seconds (:class:`DiskCache`): RDAP servers rate-limit, and an export of
a campaign asks about the same domain many times.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import whodap
from whodap.errors import WhodapError

from pipelines.safety import open_private, private_dir, strip_controls
from pipelines.urls import registrable_domain, split_domain

__all__ = [
    "ContactFinder",
    "DiskCache",
    "NetworkContact",
    "RdapContactFinder",
    "SiteContacts",
    "abuse_emails",
    "entity_name",
    "parse_security_txt",
]

logger = logging.getLogger(__name__)

Resolver = Callable[[str], Awaitable[list[str]]]
_EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_MAX_TEXT = 200
_MAX_SECURITY_TXT = 32 * 1024


@dataclass(frozen=True)
class NetworkContact:
    """Who answers for a domain's registration or its addresses, as RDAP names them."""

    kind: str  # registrar | hosting
    name: str  # "MarkMonitor Inc.", the network's name or handle; "" when unknown
    emails: tuple[str, ...] = ()
    source: str = ""  # the RDAP URL (or the reason nothing was found)
    subject: str = ""  # the domain or the address looked up

    @property
    def found(self) -> bool:
        """Whether RDAP gave an abuse address."""
        return bool(self.emails)


@dataclass(frozen=True)
class SiteContacts:
    """Everything known about whom to tell about ``domain``."""

    domain: str
    registrar: NetworkContact
    hosting: tuple[NetworkContact, ...] = ()
    security_txt: tuple[str, ...] = field(default=())  # Contact: lines of the site's own file


class ContactFinder:
    """What the export needs; :class:`RdapContactFinder` asks RDAP, tests pass a fake."""

    async def site_contacts(self, host: str) -> SiteContacts:  # pragma: no cover - interface
        raise NotImplementedError


def _vcard_items(entity: dict[str, Any]) -> Iterator[list[Any]]:
    card = entity.get("vcardArray")
    if isinstance(card, list) and len(card) == 2 and isinstance(card[1], list):
        yield from (item for item in card[1] if isinstance(item, list) and len(item) >= 4)


def entity_name(entity: dict[str, Any]) -> str:
    """The ``fn`` of an RDAP entity's vCard (RFC 9083 section 5.1), else its handle."""
    for item in _vcard_items(entity):
        if item[0] == "fn" and isinstance(item[3], str):
            return _clean(item[3])
    return _clean(str(entity.get("handle") or ""))


def _clean(text: str) -> str:
    return " ".join(strip_controls(text).split())[:_MAX_TEXT]


def _emails(entity: dict[str, Any]) -> list[str]:
    found = []
    for item in _vcard_items(entity):
        value = item[3]
        if item[0] == "email" and isinstance(value, str) and _EMAIL_RE.match(value.strip()):
            found.append(value.strip().lower())
    return found


def _entities(obj: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    """Every entity below ``obj`` with the roles of the entities above it (outermost first)."""
    stack: list[tuple[dict[str, Any], tuple[str, ...]]] = [(obj, ())]
    while stack:
        node, above = stack.pop()
        for entity in node.get("entities") or ():
            if isinstance(entity, dict):
                roles = tuple(str(r).lower() for r in entity.get("roles") or ())
                yield entity, (*above, *roles)
                stack.append((entity, (*above, *roles)))


def abuse_emails(rdap: dict[str, Any], under: str | None = None) -> list[str]:
    """The abuse addresses of an RDAP object: entities with role ``abuse`` (below ``under``)."""
    found: list[str] = []
    for entity, roles in _entities(rdap):
        wanted = "abuse" in roles[-1:] or "abuse" in entity.get("roles", ())
        if wanted and (under is None or under in roles):
            found += [email for email in _emails(entity) if email not in found]
    return found


def _registrar(rdap: dict[str, Any], source: str, subject: str) -> NetworkContact:
    name = ""
    for entity, roles in _entities(rdap):
        if "registrar" in roles[-1:]:
            name = entity_name(entity)
            break
    emails = abuse_emails(rdap, under="registrar") or abuse_emails(rdap)
    return NetworkContact("registrar", name, tuple(emails), source, subject)


def _network(rdap: dict[str, Any], source: str, subject: str) -> NetworkContact:
    name = _clean(str(rdap.get("name") or rdap.get("handle") or ""))
    for entity, roles in _entities(rdap):
        if {"registrant", "administrative"} & set(roles[-1:]):
            name = entity_name(entity) or name
            break
    return NetworkContact("hosting", name, tuple(abuse_emails(rdap)), source, subject)


def parse_security_txt(text: str) -> list[str]:
    """The ``Contact:`` values of a security.txt file (RFC 9116 section 2.5.3), in order."""
    contacts = []
    for line in text[:_MAX_SECURITY_TXT].splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "contact" and value.strip():
            contacts.append(_clean(value.strip()))
    return contacts


class DiskCache:
    """JSON answers under ``directory``, one 0600 file per key, valid for ``ttl`` seconds."""

    def __init__(self, directory: Path, ttl: float, clock: Callable[[], float] = time.time):
        self._dir = directory
        self._ttl = ttl
        self._clock = clock

    def _path(self, key: str) -> Path:
        return self._dir / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def get(self, key: str) -> tuple[bool, Any]:
        """``(True, value)`` for a fresh entry, ``(False, None)`` otherwise."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False, None
        if not isinstance(entry, dict) or self._clock() - float(entry.get("at", 0)) > self._ttl:
            return False, None
        return True, entry.get("value")

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (written whole, then renamed into place)."""
        private_dir(self._dir)
        path = self._path(key)
        tmp = path.with_suffix(".tmp")
        with open_private(tmp, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "at": self._clock(), "value": value}, handle)
        tmp.replace(path)


class RdapContactFinder(ContactFinder):
    """Registrar and hosting abuse contacts via whodap over ``client``, cached in ``cache``."""

    def __init__(
        self,
        client: httpx2.AsyncClient,
        cache: DiskCache,
        resolve: Resolver,
        *,
        security_txt: bool = True,
    ) -> None:
        self._client = client
        self._cache = cache
        self._resolve = resolve
        self._security_txt = security_txt
        self._dns: whodap.DNSClient | None = None
        self._ipv4: whodap.IPv4Client | None = None
        self._ipv6: whodap.IPv6Client | None = None

    async def site_contacts(self, host: str) -> SiteContacts:
        """Registrar of ``host``'s registrable domain, hosting of its addresses, security.txt."""
        domain = registrable_domain(host) or host
        registrar = await self._cached(f"domain:{domain}", self._lookup_domain, domain)
        hosting = [
            await self._cached(f"ip:{address}", self._lookup_ip, address)
            for address in await self._addresses(host)
        ]
        contacts = await self._security_contacts(host) if self._security_txt else []
        return SiteContacts(domain, registrar, tuple(_unique_networks(hosting)), tuple(contacts))

    async def _cached(
        self, key: str, lookup: Callable[[str], Awaitable[NetworkContact]], subject: str
    ) -> NetworkContact:
        hit, value = self._cache.get(key)
        if hit and isinstance(value, dict):
            return NetworkContact(**{**value, "emails": tuple(value.get("emails", ()))})
        contact = await lookup(subject)
        self._cache.put(key, asdict(contact))
        return contact

    async def _lookup_domain(self, domain: str) -> NetworkContact:
        label, suffix = split_domain(domain)
        try:
            if self._dns is None:
                self._dns = await whodap.DNSClient.new_aio_client(self._client)
            # the bootstrap is keyed by TLD: ask the registry of the last label
            tld = suffix.rsplit(".", 1)[-1]
            base = self._dns.iana_dns_server_map.get(tld)
            href = f"{base.rstrip('/')}/domain/{domain}" if base else None
            response = await self._dns.aio_lookup(label, suffix, auth_href=href)
        except (WhodapError, NotImplementedError, httpx2.HTTPError, ValueError) as exc:
            logger.info("RDAP: no registrar for %s (%s)", domain, type(exc).__name__)
            return NetworkContact("registrar", "", (), f"not found: {type(exc).__name__}", domain)
        return _registrar(response.to_dict(), href or "rdap", domain)

    async def _lookup_ip(self, address: str) -> NetworkContact:
        try:
            ip = ipaddress.ip_address(address)
            if ip.version == 4:
                if self._ipv4 is None:
                    self._ipv4 = await whodap.IPv4Client.new_aio_client(self._client)
                response: Any = await self._ipv4.aio_lookup(ip)
            else:
                if self._ipv6 is None:
                    self._ipv6 = await whodap.IPv6Client.new_aio_client(self._client)
                # whodap annotates str | IPv4Address; it takes (and converts to) an IPv6Address
                response = await self._ipv6.aio_lookup(ip)  # type: ignore[arg-type]
        except (WhodapError, NotImplementedError, httpx2.HTTPError, ValueError) as exc:
            logger.info("RDAP: no network for %s (%s)", address, type(exc).__name__)
            return NetworkContact("hosting", "", (), f"not found: {type(exc).__name__}", address)
        return _network(response.to_dict(), "rdap", address)

    async def _addresses(self, host: str) -> list[str]:
        hit, value = self._cache.get(f"dns:{host}")
        if hit and isinstance(value, list):
            return [str(v) for v in value]
        try:
            addresses = sorted(set(await self._resolve(host)))[:4]
        except OSError as exc:
            logger.info("no address for %s (%s)", host, exc)
            addresses = []
        self._cache.put(f"dns:{host}", addresses)
        return addresses

    async def _security_contacts(self, host: str) -> list[str]:
        hit, value = self._cache.get(f"security.txt:{host}")
        if hit and isinstance(value, list):
            return [str(v) for v in value]
        contacts: list[str] = []
        try:
            response = await self._client.get(f"https://{host}/.well-known/security.txt")
            if response.status_code == 200 and "text/plain" in response.headers.get(
                "content-type", ""
            ):
                contacts = parse_security_txt(response.text)
        except httpx2.HTTPError as exc:
            logger.info("no security.txt for %s (%s)", host, type(exc).__name__)
        self._cache.put(f"security.txt:{host}", contacts)
        return contacts


def _unique_networks(contacts: Iterable[NetworkContact]) -> list[NetworkContact]:
    seen: dict[tuple[str, tuple[str, ...]], NetworkContact] = {}
    for contact in contacts:
        seen.setdefault((contact.name, contact.emails), contact)
    return list(seen.values())
