"""Replica of the registration data world: IANA bootstrap, registry and registrar RDAP, DNS.

Formats are the real ones:

- ``data.iana.org/rdap/dns.json`` and ``ipv4.json``: RFC 9224 bootstrap files
  (``{"version", "publication", "description", "services": [[[keys], [base URLs]]]}``);
- ``GET {base}domain/{name}``: an RFC 9083 domain object; the registry's answer names the
  registrar (entity with role ``registrar`` and an IANA Registrar ID) and links (``rel:
  related``) to the registrar's RDAP server, whose answer holds the abuse contact (an entity
  with role ``abuse`` inside the registrar's, vCard ``email``), as thin gTLD registries do;
- ``GET {base}ip/{address}``: an RFC 9083 ``ip network`` with a top-level ``abuse`` entity;
- unknown names and addresses: ``404`` with an RFC 9083 error body;
- ``dns.google/resolve?name=N&type=A``: the DNS-over-HTTPS JSON API (``Status`` 0 or 3, NXDOMAIN,
  ``Answer`` records of type 1), so host addresses resolve offline too.

Every domain the dataset knows (blogs and landing pages) is registered with one of the replica's
registrars and hosted on a documentation network (RFC 5737 addresses), chosen from a hash of
the name so the world is the same on every run. One registrar publishes no abuse contact (its
domains must fall back to their hosting network's).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from replica.dataset import Dataset
from replica.http import Request, Response, Router, json_response

__all__ = ["NETWORKS", "REGISTRARS", "RdapWorld", "register"]

_RDAP_TYPE = [("Content-Type", "application/rdap+json")]
_PUBLICATION = "2026-07-23T02:00:03Z"
_REGISTRY_BASE = "https://rdap.registry.test/"
_IP_BASE = "https://rdap.networks.test/"


@dataclass(frozen=True)
class Registrar:
    handle: str  # IANA Registrar ID
    name: str
    rdap_host: str
    abuse_email: str  # "" = publishes none


@dataclass(frozen=True)
class Network:
    handle: str
    name: str
    prefix: str  # the /24 (three octets)
    abuse_email: str


REGISTRARS: tuple[Registrar, ...] = (
    Registrar("9001", "Porkfolio Names LLC", "rdap.porkfolio.test", "abuse@porkfolio.test"),
    Registrar(
        "9002", "Domains Galore SARL", "rdap.domainsgalore.test", "abuse@domainsgalore.test"
    ),
    Registrar("9003", "Quietname Registrar Ltd", "rdap.quietname.test", ""),
)
NETWORKS: tuple[Network, ...] = (
    Network("NET-192-0-2-0-1", "Cheaphost Networks", "192.0.2", "abuse@cheaphost.test"),
    Network("NET-198-51-100-0-1", "Bulletfast Hosting", "198.51.100", "noc-abuse@bulletfast.test"),
    Network("NET-203-0-113-0-1", "Cloudlet Edge", "203.0.113", "abuse@cloudlet.test"),
)


def _digest(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


def _vcard(name: str, email: str = "") -> list[object]:
    items: list[list[object]] = [["version", {}, "text", "4.0"], ["fn", {}, "text", name]]
    if email:
        items.append(["email", {"type": "work"}, "text", email])
    return ["vcard", items]


def _error(status: int, title: str, description: str) -> Response:
    body = {"errorCode": status, "title": title, "description": [description]}
    return json_response(body, status, headers=_RDAP_TYPE)


class RdapWorld:
    """Who registered and who hosts every domain of ``dataset``."""

    def __init__(self, dataset: Dataset) -> None:
        hosts = {b.host for b in dataset.blogs} | {
            urlsplit(url).hostname or "" for url in dataset.landings
        }
        self.hosts = {h.lower() for h in hosts if h}
        self.domains = {self.domain_of(h) for h in self.hosts}

    @staticmethod
    def domain_of(host: str) -> str:
        """The registered name of ``host`` (its last two labels: the replica has no ccSLDs)."""
        return ".".join(host.lower().rstrip(".").split(".")[-2:])

    def registrar(self, domain: str) -> Registrar:
        return REGISTRARS[_digest(domain) % len(REGISTRARS)]

    def address(self, host: str) -> str:
        network = NETWORKS[_digest(self.domain_of(host)) % len(NETWORKS)]
        return f"{network.prefix}.{_digest(host) % 200 + 10}"

    def tlds(self) -> list[str]:
        return sorted({d.rsplit(".", 1)[-1] for d in self.domains})

    def _domain_object(self, domain: str, with_abuse: bool) -> dict[str, object]:
        registrar = self.registrar(domain)
        entity: dict[str, object] = {
            "objectClassName": "entity",
            "handle": registrar.handle,
            "roles": ["registrar"],
            "publicIds": [{"type": "IANA Registrar ID", "identifier": registrar.handle}],
            "vcardArray": _vcard(registrar.name),
        }
        if with_abuse and registrar.abuse_email:
            entity["entities"] = [
                {
                    "objectClassName": "entity",
                    "roles": ["abuse"],
                    "vcardArray": _vcard("Abuse desk", registrar.abuse_email),
                }
            ]
        related = f"https://{registrar.rdap_host}/domain/{domain}"
        return {
            "objectClassName": "domain",
            "ldhName": domain,
            "status": ["client transfer prohibited"],
            "events": [
                {"eventAction": "registration", "eventDate": "2026-01-15T10:00:00Z"},
                {"eventAction": "last changed", "eventDate": "2026-06-01T10:00:00Z"},
            ],
            "entities": [entity],
            "links": [
                {
                    "value": related,
                    "rel": "related",
                    "href": related,
                    "type": "application/rdap+json",
                },
            ],
            "notices": [{"title": "Terms of Use", "description": ["Replica data."]}],
            "rdapConformance": ["rdap_level_0"],
        }

    def registry(self, request: Request) -> Response:
        domain = request.params["name"].lower().rstrip(".")
        if domain not in self.domains:
            return _error(404, "Not Found", f"{domain} is not registered")
        return json_response(self._domain_object(domain, False), headers=_RDAP_TYPE)

    def registrar_rdap(self, request: Request) -> Response:
        domain = request.params["name"].lower().rstrip(".")
        host = request.host.split(":")[0].lower()
        if domain not in self.domains or self.registrar(domain).rdap_host != host:
            return _error(404, "Not Found", f"{domain} is not sponsored here")
        return json_response(self._domain_object(domain, True), headers=_RDAP_TYPE)

    def ip(self, request: Request) -> Response:
        address = request.params["address"]
        network = next((n for n in NETWORKS if address.startswith(f"{n.prefix}.")), None)
        if network is None:
            return _error(404, "Not Found", f"{address} is not in a network here")
        body = {
            "objectClassName": "ip network",
            "handle": network.handle,
            "startAddress": f"{network.prefix}.0",
            "endAddress": f"{network.prefix}.255",
            "ipVersion": "v4",
            "name": network.name.upper().replace(" ", "-"),
            "type": "ASSIGNED PA",
            "status": ["active"],
            "entities": [
                {
                    "objectClassName": "entity",
                    "handle": f"{network.handle}-ORG",
                    "roles": ["registrant"],
                    "vcardArray": _vcard(network.name),
                },
                {
                    "objectClassName": "entity",
                    "handle": f"{network.handle}-ABUSE",
                    "roles": ["abuse"],
                    "vcardArray": _vcard("Abuse", network.abuse_email),
                },
            ],
            "rdapConformance": ["rdap_level_0"],
        }
        return json_response(body, headers=_RDAP_TYPE)

    def bootstrap_dns(self, request: Request) -> Response:
        return json_response(
            {
                "version": "1.0",
                "publication": _PUBLICATION,
                "description": "RDAP bootstrap file for DNS registrations (replica)",
                "services": [[self.tlds(), [_REGISTRY_BASE]]],
            }
        )

    def bootstrap_ipv4(self, request: Request) -> Response:
        prefixes = [f"{n.prefix}.0/24" for n in NETWORKS]
        return json_response(
            {
                "version": "1.0",
                "publication": _PUBLICATION,
                "description": "RDAP bootstrap file for IPv4 address allocations (replica)",
                "services": [[prefixes, [_IP_BASE]]],
            }
        )

    def resolve(self, request: Request) -> Response:
        name = (request.arg("name") or "").lower().rstrip(".")
        kind = request.arg("type", "A")
        question = [{"name": f"{name}.", "type": 1}]
        if name not in self.hosts and name not in self.domains:
            return json_response({"Status": 3, "Question": question, "Answer": []})
        answer = [{"name": f"{name}.", "type": 1, "TTL": 300, "data": self.address(name)}]
        found = answer if kind in ("A", "1") else []
        return json_response({"Status": 0, "Question": question, "Answer": found})


def register(router: Router, dataset: Dataset) -> None:
    """Register IANA bootstrap, registry, registrar, IP RDAP and DNS-over-HTTPS hosts."""
    world = RdapWorld(dataset)
    router.add(r"data\.iana\.org", r"/rdap/dns\.json", world.bootstrap_dns)
    router.add(r"data\.iana\.org", r"/rdap/ipv4\.json", world.bootstrap_ipv4)
    router.add(r"rdap\.registry\.test", r"/domain/(?P<name>[^/]+)", world.registry)
    registrars = "|".join(r.rdap_host.replace(".", r"\.") for r in REGISTRARS)
    router.add(f"(?:{registrars})", r"/domain/(?P<name>[^/]+)", world.registrar_rdap)
    router.add(r"rdap\.networks\.test", r"/ip/(?P<address>[0-9.]+)", world.ip)
    router.add(r"dns\.google", r"/resolve", world.resolve)
    router.rdap = world  # type: ignore[attr-defined]  # tests read who is who here
