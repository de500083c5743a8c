"""Which abuse desk hears about a hit: one channel per hit, plus one per off-platform lure domain.

A hit (one post) goes to exactly one channel, the party that can take the post down:

- ``tumblr`` (Tumblr Trust & Safety: abuse and DMCA forms) for posts on Tumblr;
- ``automattic`` (WordPress.com abuse and DMCA) for sites under ``*.wordpress.com``;
- ``google`` (Blogger content and copyright removal) for Blogger blogs;
- a self-hosted WordPress site's hosting network (``hosting-<name>``), else its registrar
  (``registrar-<name>``), as RDAP names them; ``unresolved`` when RDAP knows neither.

Every off-platform domain a lure post sends people to is reported, as a phishing incident, to its
registrar and to its hosting network (both found through RDAP), with the domain's own
``security.txt`` contacts listed (they are the domain owner's: for a lure, maybe the attacker's).
The form URLs and addresses are the platforms' published ones (``shared/services.md`` section 4;
check them before filing: platforms move their forms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.takedowns.rdap import NetworkContact, SiteContacts

__all__ = [
    "PLATFORM_CHANNELS",
    "Channel",
    "Contact",
    "is_platform_host",
    "network_channel",
    "platform_channel",
]

_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Contact:
    """One way to reach an abuse desk: a web form or an e-mail address."""

    kind: str  # abuse_form | copyright_form | email | security_txt
    value: str
    note: str = ""


@dataclass(frozen=True)
class Channel:
    """An abuse desk; its ``key`` names the export's sub-directory."""

    key: str
    name: str
    kind: str  # platform | hosting | registrar | unresolved
    contacts: tuple[Contact, ...] = ()
    source: str = ""  # where the contacts come from (platform policy page, RDAP URL)

    @property
    def emails(self) -> list[str]:
        """The e-mail addresses among the contacts."""
        return [c.value for c in self.contacts if c.kind == "email"]


PLATFORM_CHANNELS: dict[str, Channel] = {
    "tumblr": Channel(
        "tumblr",
        "Tumblr Trust & Safety",
        "platform",
        (
            Contact("abuse_form", "https://www.tumblr.com/abuse", "phishing, spam, fraud"),
            Contact("copyright_form", "https://www.tumblr.com/dmca", "DMCA notices"),
            Contact("email", "dmca@tumblr.com", "DMCA notices"),
        ),
        "Tumblr Terms of Service and User Guidelines",
    ),
    "automattic": Channel(
        "automattic",
        "Automattic (WordPress.com abuse and DMCA)",
        "platform",
        (
            Contact("abuse_form", "https://wordpress.com/abuse/", "add ?report_url=<post>"),
            Contact("copyright_form", "https://automattic.com/dmca-notice/", "DMCA notices"),
            Contact("email", "dmca@automattic.com", "DMCA notices (preferred)"),
        ),
        "WordPress.com report-blogs support page; Automattic legal DMCA policy",
    ),
    "google": Channel(
        "google",
        "Google (Blogger content and copyright removal)",
        "platform",
        (
            Contact(
                "abuse_form",
                "https://support.google.com/blogger/answer/76315",
                "spam, phishing, malware",
            ),
            Contact(
                "copyright_form",
                "https://support.google.com/legal/troubleshooter/1114905",
                "choose Blogger",
            ),
        ),
        "Blogger help: report inappropriate content; Google legal removal requests",
    ),
}

#: Hosts (and their subdomains) of the platforms themselves: never a lure domain.
_PLATFORM_SUFFIXES = ("tumblr.com", "wordpress.com", "blogspot.com", "blogger.com", "wp.com")
_BLOGSPOT_RE = re.compile(r"(^|\.)blogspot\.[a-z.]+$")


def is_platform_host(host: str) -> bool:
    """Whether ``host`` belongs to one of the blog platforms (their blogs, CDNs, redirectors)."""
    host = host.lower().rstrip(".")
    if _BLOGSPOT_RE.search(host):
        return True
    return any(host == s or host.endswith(f".{s}") for s in _PLATFORM_SUFFIXES)


def platform_channel(platform: str, host: str) -> Channel | None:
    """The platform's own desk for a post on ``host``; ``None`` for a self-hosted site."""
    if platform == "tumblr":
        return PLATFORM_CHANNELS["tumblr"]
    if platform == "blogger":
        return PLATFORM_CHANNELS["google"]
    if platform == "wordpress" and (host == "wordpress.com" or host.endswith(".wordpress.com")):
        return PLATFORM_CHANNELS["automattic"]
    return None


def _slug(name: str) -> str:
    return _SLUG_RE.sub("-", name.lower()).strip("-")[:60] or "unnamed"


def _network_channel(contact: NetworkContact, site: SiteContacts) -> Channel:
    contacts = [
        Contact("email", email, f"{contact.kind} abuse (RDAP)") for email in contact.emails
    ]
    contacts += [
        Contact("security_txt", value, f"published by {site.domain} itself")
        for value in site.security_txt
    ]
    label = "Hosting" if contact.kind == "hosting" else "Registrar"
    return Channel(
        f"{contact.kind}-{_slug(contact.name or contact.emails[0])}",
        f"{label}: {contact.name or contact.emails[0]}",
        contact.kind,
        tuple(contacts),
        contact.source,
    )


def _unresolved(site: SiteContacts) -> Channel:
    contacts = tuple(
        Contact("security_txt", value, f"published by {site.domain} itself")
        for value in site.security_txt
    )
    return Channel(
        "unresolved", "No abuse contact found (RDAP)", "unresolved", contacts, "RDAP: none"
    )


def network_channel(site: SiteContacts, prefer: str = "hosting") -> Channel:
    """The channel for a self-hosted site: ``prefer`` network if RDAP knows one, else the other.

    The hosting network can take a page down; the registrar can only suspend the whole domain.
    """
    hosting = [c for c in site.hosting if c.found]
    registrar = [site.registrar] if site.registrar.found else []
    order = [*hosting, *registrar] if prefer == "hosting" else [*registrar, *hosting]
    return _network_channel(order[0], site) if order else _unresolved(site)


def lure_channels(site: SiteContacts) -> list[Channel]:
    """Every desk to tell about a lure domain: its registrar and each hosting network found."""
    found = [c for c in (site.registrar, *site.hosting) if c.found]
    channels = [_network_channel(c, site) for c in found]
    return channels or [_unresolved(site)]
