"""Evidence of a hit, Scrapy-free: hashes, masked headers, redirect chains, files by content hash.

What a crawl records for every hit (``evidence`` on the document; ``pipelines/es/template.py``):

- ``html_sha256``/``html_size``: of the post's HTML as the platform served it (UTF-8 bytes),
  stored once under ``<LUREWATCH_DATA_DIR>/evidence/html/<sha[:2]>/<sha>.html`` when it is at
  most ``LUREWATCH_EVIDENCE_HTML_MAXSIZE`` bytes (the hash is recorded in any case);
- ``headers``: the response headers of the fetch the post came from, secrets masked
  (:func:`mask_headers`: cookie values, authorisation, API keys);
- ``redirect_chain``: one ``"a -> b -> c"`` string for the post's fetch, then one per landing
  page that was redirected (link as found, every hop, final URL);
- ``screenshots``: ``{url, path, sha256, size}`` of PNG screenshots of lure landings, stored
  under ``evidence/png/`` (taken during the crawl in a Chromium of the evidence pipeline's own,
  bounded; a landing not shot has no entry; see ``crawler/evidence.py``, ``docs/evidence.md``).

Paths in the document are relative to the evidence folder, so a data folder can move.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import SettingsLike, read_bool, read_float, read_int, read_str

__all__ = [
    "EvidenceConfig",
    "EvidenceStore",
    "Stored",
    "chain_text",
    "evidence_root",
    "mask_headers",
]

MASK = "<masked>"
#: Headers whose whole value is a secret (lower case).
_SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "x-api-key",
        "x-auth-token",
        "x-csrf-token",
        "x-xsrf-token",
    }
)
#: Headers that carry ``name=value`` cookies: the name is kept, the value masked.
_COOKIE_HEADERS = frozenset({"set-cookie", "set-cookie2"})
_MAX_HEADERS = 100  # headers kept per response (a hostile server may send thousands)
_MAX_VALUE = 2048  # characters kept per header value
_MAX_CHAIN = 20  # hops kept per redirect chain
_CHAIN_ARROW = " -> "


def evidence_root(data_dir: Path) -> Path:
    """The evidence folder of the data folder ``data_dir`` (paths in documents are below it)."""
    return data_dir / "evidence"


@dataclass(frozen=True)
class EvidenceConfig:
    """Settings of the evidence a crawl records (``LUREWATCH_EVIDENCE_*``)."""

    enabled: bool
    root: Path  # <LUREWATCH_DATA_DIR>/evidence
    html_maxsize: int
    screenshots: int  # per crawl; 0: none
    screenshot_timeout: float
    screenshot_maxsize: int
    width: int
    height: int

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> EvidenceConfig:
        """Read and check every ``LUREWATCH_EVIDENCE_*`` setting (``ConfigError`` naming one)."""
        data_dir = read_str(settings, "LUREWATCH_DATA_DIR") or "data"
        return cls(
            enabled=read_bool(settings, "LUREWATCH_EVIDENCE_ENABLED"),
            root=evidence_root(Path(data_dir)),
            html_maxsize=read_int(
                settings, "LUREWATCH_EVIDENCE_HTML_MAXSIZE", minimum=0, maximum=64 * 2**20
            ),
            screenshots=read_int(
                settings, "LUREWATCH_EVIDENCE_SCREENSHOTS", minimum=0, maximum=10_000
            ),
            screenshot_timeout=read_float(
                settings, "LUREWATCH_EVIDENCE_SCREENSHOT_TIMEOUT", minimum=0.5, maximum=120
            ),
            screenshot_maxsize=read_int(
                settings, "LUREWATCH_EVIDENCE_SCREENSHOT_MAXSIZE", minimum=1024, maximum=32 * 2**20
            ),
            width=read_int(
                settings, "LUREWATCH_EVIDENCE_SCREENSHOT_WIDTH", minimum=200, maximum=4000
            ),
            height=read_int(
                settings, "LUREWATCH_EVIDENCE_SCREENSHOT_HEIGHT", minimum=200, maximum=4000
            ),
        )


def _mask_cookie(value: str) -> str:
    name, sep, rest = value.partition("=")
    if not sep:
        return MASK
    attributes = [part.strip() for part in rest.split(";")[1:]]
    return "; ".join([f"{name.strip()}={MASK}", *(a for a in attributes if a)])


def _mask(name: str, value: str) -> str:
    lowered = name.lower()
    if lowered in _SECRET_HEADERS:
        return MASK
    if lowered in _COOKIE_HEADERS:
        return _mask_cookie(value)
    return value[:_MAX_VALUE]


def mask_headers(headers: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """``headers`` (name -> values) with secrets masked, names lower-cased, bounded in size.

    ``Set-Cookie`` keeps each cookie's name and attributes but not its value; ``Cookie``,
    ``Authorization`` and API-key headers are masked whole.
    """
    masked: dict[str, list[str]] = {}
    for name, values in list(headers.items())[:_MAX_HEADERS]:
        key = str(name).lower()[:100]
        masked.setdefault(key, []).extend(_mask(key, str(v)) for v in values)
    return masked


def chain_text(urls: Iterable[str]) -> str:
    """``a -> b -> c`` for a redirect chain (consecutive repeats dropped, bounded)."""
    hops: list[str] = []
    for url in urls:
        if url and (not hops or hops[-1] != url):
            hops.append(url)
    if len(hops) > _MAX_CHAIN:
        hops = [*hops[: _MAX_CHAIN - 2], "...", hops[-1]]
    return _CHAIN_ARROW.join(hops)


@dataclass(frozen=True)
class Stored:
    """A blob's hash and size, and its path under the evidence folder (``""``: not stored)."""

    sha256: str
    size: int
    path: str


class EvidenceStore:
    """Files stored once by content hash under ``root`` (``<kind>/<sha[:2]>/<sha>.<ext>``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, kind: str, data: bytes, ext: str, maxsize: int) -> Stored:
        """Hash ``data``; store it unless over ``maxsize`` bytes (then ``path`` is ``""``)."""
        digest = hashlib.sha256(data).hexdigest()
        if len(data) > maxsize:
            return Stored(digest, len(data), "")
        relative = f"{kind}/{digest[:2]}/{digest}.{ext}"
        target = self.root / relative
        if not target.exists():
            _write_private(target, data)
        return Stored(digest, len(data), relative)

    def path(self, relative: str) -> Path:
        """The file a document's relative evidence path names (never outside :attr:`root`)."""
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise ValueError(f"evidence path outside the evidence folder: {relative!r}")
        return target


def _write_private(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole (temporary file, rename), 0600 in 0700 folders."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
