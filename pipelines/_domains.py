"""Host and registrable-domain helpers (public-suffix aware, offline)."""

from __future__ import annotations

import ipaddress
import urllib.parse
from functools import lru_cache

import tldextract

__all__ = ["host_of", "registrable", "split_domain"]

# suffix_list_urls=() and no cache dir: tldextract uses the snapshot bundled with the package,
# never the network.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """The lower-case host of ``url`` (IDNA decoded), or ``""``."""
    try:
        host = urllib.parse.urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except UnicodeError:
            pass
    return host.rstrip(".").lower()


@lru_cache(maxsize=65536)
def split_domain(host: str) -> tuple[str, str]:
    """``(label, suffix)`` of the registrable domain of ``host`` (``("google", "com")``)."""
    parts = _EXTRACT(host)
    if parts.suffix or not parts.domain or _is_ip(host):
        return parts.domain, parts.suffix
    labels = host.rstrip(".").split(".")  # reserved TLDs (.example, .test, .local): last label as suffix
    return (labels[-2], labels[-1]) if len(labels) >= 2 else (labels[0], "")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def registrable(host: str) -> str:
    """The registrable domain of ``host`` (``accounts.google.com.evil.example`` -> ``evil.example``)."""
    if _is_ip(host):
        return host
    label, suffix = split_domain(host)
    if not suffix:
        return label
    return f"{label}.{suffix}" if label else suffix
