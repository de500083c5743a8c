"""``lurewatch evidence URL [--zip FILE]``: a hit's evidence, printed or bundled for an abuse desk.

The evidence is what the crawl recorded (:mod:`pipelines.evidence`): the document's ``evidence``
object and the files it names under ``<LUREWATCH_DATA_DIR>/evidence/``. The zip holds
``manifest.json`` (the hit, every file with its SHA-256 and size, checked against the document
when bundled), ``headers.json``, ``post.html`` and ``screenshots/<n>-<sha256>.png``. A file that
is missing or whose hash no longer matches is left out and named in the manifest's ``missing``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.es.documents import doc_id
from pipelines.evidence import EvidenceStore
from pipelines.safety import private_dir, strip_controls
from pipelines.takedowns.store import HitStore, StoredHit

__all__ = ["Bundle", "describe", "find_hit", "write_bundle"]

#: Fields of the hit copied into the manifest (never the post text: the HTML file holds it).
_HIT_FIELDS = (
    "url",
    "platform",
    "blog",
    "title",
    "verdict",
    "score",
    "matched_title",
    "reasons",
    "lure_urls",
    "first_seen",
    "last_seen",
    "fetched_at",
    "status",
    "reported_at",
    "request_id",
    "channel",
    "campaign_id",
    "removed_at",
    "removal_method",
)
_MAX_FILE = 64 * 2**20  # a stored file larger than this is not read back into a bundle


async def find_hit(store: HitStore, url: str) -> StoredHit | None:
    """The hit of ``url`` (any spelling of the post's URL), or ``None``."""
    found = await store.by_ids([doc_id(url)])
    return found[0] if found else None


@dataclass
class Bundle:
    """What went into a zip."""

    path: Path
    files: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _line(text: Any) -> str:
    return strip_controls(str(text)).replace("\n", " ")


def describe(source: dict[str, Any], store: EvidenceStore) -> Iterator[str]:
    """Readable lines of a hit's evidence (control characters stripped: page text is hostile)."""
    evidence = source.get("evidence") or {}
    yield f"url: {_line(source.get('url'))}"
    for name in ("platform", "verdict", "score", "status", "first_seen", "last_seen"):
        yield f"{name}: {_line(source.get(name))}"
    for reason in source.get("reasons") or []:
        yield f"reason: {_line(reason)}"
    if not evidence:
        yield "evidence: none recorded (crawled before evidence was recorded)"
        return
    digest = evidence.get("html_sha256", "")
    yield f"html: sha256 {digest}, {evidence.get('html_size', 0)} bytes"
    html = _html_path(digest)
    yield f"html file: {store.root / html if (store.root / html).exists() else '(not stored)'}"
    for chain in evidence.get("redirect_chain") or []:
        yield f"redirects: {_line(chain)}"
    for name, values in sorted((evidence.get("headers") or {}).items()):
        for value in values:
            yield f"header: {_line(name)}: {_line(value)}"
    for shot in evidence.get("screenshots") or []:
        yield (
            f"screenshot: {_line(shot.get('url'))} sha256 {shot.get('sha256')} "
            f"{shot.get('size')} bytes {store.root / str(shot.get('path'))}"
        )


def _html_path(digest: str) -> str:
    return f"html/{digest[:2]}/{digest}.html" if digest else ""


def _verified(store: EvidenceStore, relative: str, sha256: str) -> bytes | None:
    """The stored file if it exists and still has ``sha256``."""
    try:
        path = store.path(relative)
        if not relative or not path.is_file() or path.stat().st_size > _MAX_FILE:
            return None
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def _members(source: dict[str, Any], store: EvidenceStore, bundle: Bundle) -> dict[str, bytes]:
    evidence = source.get("evidence") or {}
    members: dict[str, bytes] = {}
    digest = str(evidence.get("html_sha256") or "")
    wanted = [("post.html", "html", _html_path(digest), digest, source.get("url"))]
    for n, shot in enumerate(evidence.get("screenshots") or [], 1):
        sha = str(shot.get("sha256") or "")
        name = f"screenshots/{n}-{sha[:16]}.png"
        wanted.append((name, "screenshot", str(shot.get("path") or ""), sha, shot.get("url")))
    for name, kind, relative, sha, url in wanted:
        data = _verified(store, relative, sha) if sha else None
        if data is None:
            bundle.missing.append(f"{kind} {sha or '(no hash)'} of {url}")
            continue
        members[name] = data
        bundle.files.append(
            {"name": name, "kind": kind, "url": url, "sha256": sha, "size": len(data)}
        )
    headers = json.dumps(evidence.get("headers") or {}, indent=2, sort_keys=True).encode()
    members["headers.json"] = headers
    bundle.files.append(
        {
            "name": "headers.json",
            "kind": "headers",
            "url": source.get("url"),
            "sha256": hashlib.sha256(headers).hexdigest(),
            "size": len(headers),
        }
    )
    return members


def _manifest(source: dict[str, Any], bundle: Bundle, made_at: str) -> bytes:
    evidence = source.get("evidence") or {}
    manifest = {
        "lurewatch_evidence": 1,
        "made_at": made_at,
        "hit": {name: source.get(name) for name in _HIT_FIELDS if source.get(name) is not None},
        "html_sha256": evidence.get("html_sha256"),
        "html_size": evidence.get("html_size"),
        "redirect_chain": evidence.get("redirect_chain") or [],
        "files": bundle.files,
        "missing": bundle.missing,
    }
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")


def write_bundle(
    source: dict[str, Any], store: EvidenceStore, target: Path, made_at: str
) -> Bundle:
    """Write the zip for the hit ``source`` to ``target`` whole (temporary file, rename; 0600)."""
    bundle = Bundle(target)
    members = _members(source, store, bundle)
    private_dir(target.parent.resolve())
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".evidence-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            archive.writestr("manifest.json", _manifest(source, bundle, made_at))
            for name, data in members.items():
                archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return bundle
