"""The absolute address a link of a page points to, cheaply.

Every ``href``, ``src`` and ``action`` a page holds is unwrapped (a redirector link stands for its
target, :func:`pipelines.urls.unwrap`) and joined to the page's base. Both are pure functions of
``(base, href)``, and most links of a page (and of a site) repeat: :func:`absolute` does the work
once per pair (a bounded memo) and skips the unwrap of any link that names no redirector host
(``unwrap`` cannot change it: it only follows links whose host is a known redirector).
"""

from __future__ import annotations

import urllib.parse

from pipelines.urls import REDIRECTORS, unwrap

__all__ = ["absolute"]

#: Pairs remembered; past it, new pairs are worked out each time (the memo stops growing).
MEMO_SIZE = 65_536
#: Longer links (or bases) are worked out each time: a hostile page's megabyte-long links are
#: not kept.
MEMO_CHARS = 2_048
_MEMO: dict[tuple[str, str], str] = {}
_REDIRECTOR_HOSTS = tuple(REDIRECTORS)
_DIRECT = ("http://", "https://", "javascript:", "mailto:", "data:")


def absolute(base: str, href: str | None) -> str:
    """``href`` (as written in a page whose base is ``base``) unwrapped and made absolute."""
    href = href or ""
    key = (base, href)
    known = _MEMO.get(key)
    if known is None:
        known = _absolute(base, href)
        if len(_MEMO) < MEMO_SIZE and len(href) <= MEMO_CHARS and len(base) <= MEMO_CHARS:
            _MEMO[key] = known
    return known


def _absolute(base: str, href: str) -> str:
    href = href.strip()
    if _may_redirect(href):
        href = unwrap(href)
    if href.startswith(_DIRECT):
        return href
    try:
        return urllib.parse.urljoin(base, href)
    except ValueError:
        return href


def _may_redirect(href: str) -> bool:
    """Whether ``href`` names a redirector host anywhere (its host is a part of it: a link that
    names none is no redirector link)."""
    lowered = href.lower()
    return any(host in lowered for host in _REDIRECTOR_HOSTS)
