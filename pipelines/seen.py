"""The ledger of fetched posts, and the re-check decision of incremental crawls.

Each post a crawl fetched and judged is remembered under its canonical URL (the index's document
identity, :func:`pipelines.urls.canonical_post_url`): when it was fetched, a digest of its content
as the platform's listing gave it, and whether detection kept it as a hit. On the next crawl a post
fetched less than the re-check interval ago whose listing content has the same digest is not
fetched again (:func:`recheck_due`). The digest stands for the platform's modified time: every
listing carries the post body, not every platform a modified time (Tumblr has none), and a body
or a link that changed is exactly what a modified time would announce.

The digest is the same whichever route found the post (:func:`content_digest`): Tumblr gives one
post in its legacy format (``/v2/tagged``) and in NPF (blog listings, the search timeline), and
NPF adds words legacy lacks (an image's alt text, a link card's title and site, the title again
as a heading), shows a stand-alone link as a card instead of its anchor text, and legacy adds a
form's target. So the digest is taken over the post's own words as a set (title and text
together; the wording of stand-alone links and NPF's media words, marked :data:`MEDIA_MARK` by
the parser, left out) and its links other than form targets: a link's target is in the digest,
and so is the wording of a link inside a sentence (both formats show it), so an offer moved into
the words of an existing link is an edit; a stand-alone link's wording is not.

Two stores keep the entries:

* :class:`SqliteSeenLedger`: ``<LUREWATCH_DATA_DIR>/incremental/seen.sqlite3`` (stdlib
  ``sqlite3``: several spiders and processes write it safely, each entry one row);
* :class:`RedisSeenLedger`: one Redis key per post in distributed mode, expiring with the interval.

Entries older than the interval are useless (the post is due anyway) and are pruned on write.
Everything here is plain logic; the Scrapy glue is :mod:`crawler.middlewares.incremental`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from pipelines.text import parse_html, visible_text
from pipelines.urls import unwrap

__all__ = [
    "MEDIA_MARK",
    "RedisSeenLedger",
    "SeenEntry",
    "SeenLedger",
    "SqliteSeenLedger",
    "content_digest",
    "recheck_due",
]


@dataclass(frozen=True)
class SeenEntry:
    """One fetched post: ``fetched_at`` (Unix time), its content ``digest``, its verdict, where
    it lives (``blog``: listed again when a skipped post was a hit) and the canonical final URLs
    of its landing pages (``links``: posts crawled through them are reached again)."""

    fetched_at: float
    digest: str
    hit: bool = False
    platform: str = ""
    blog: str = ""
    links: tuple[str, ...] = ()


#: The attribute marking the words a post's format adds about its media (an NPF image's alt
#: text or caption, a link card's title and site): left out of the digest.
MEDIA_MARK = "data-lurewatch-media"
#: Characters no reader sees (zero-width spaces and joiners, soft hyphens): not part of a word.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_EDGES = "\"'()[]{}<>.,;:!?\u00ab\u00bb\u201c\u201d\u2018\u2019"


def content_digest(title: str, body: str, links: Iterable[str] = ()) -> str:
    """A short digest of a post: the set of words of its title and body (``body``: its HTML, or
    plain text) and its outbound links, whichever route or format gave them (module docstring).

    Blind to spacing, case, word order and repeats, to zero-width characters, to the wording of
    a link that is all of its block, to the words a format adds about media and to form targets;
    a word (a link's wording inside a sentence too) or a link added, removed or swapped (a lure
    swapped behind the same words) is a change."""
    root = parse_html(f"<div>{body}</div>") if "<" in body else None
    targets: set[str] = set()
    if root is not None:
        for element in root.xpath(f"//*[@{MEDIA_MARK}]"):
            _drop(element)
        for anchor in root.xpath("//a"):
            if _stand_alone(anchor):
                _drop(anchor)
        targets = {unwrap(str(action).strip()) for action in root.xpath("//form/@action")}
        body = visible_text(root, attributes=False)
    words = sorted(_words(f"{title} {body}"))
    kept = sorted({link for link in links if link not in targets})
    parts = [" ".join(words), *kept]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _words(text: str) -> set[str]:
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    stripped = (word.strip(_EDGES) for word in folded.split())
    return {word for word in stripped if word}


def _stand_alone(anchor: Any) -> bool:
    """True for a link that is all of its block ("<p><a>Watch here</a></p>"): NPF shows such a
    link as a card with the target's own words instead. A link inside a sentence is in both."""
    parent = anchor.getparent()
    if parent is None:
        return True
    own = " ".join(anchor.xpath("string()").split())
    return not own or " ".join(parent.xpath("string()").split()) == own


def _drop(element: Any) -> None:
    """Remove ``element`` and its words from the tree, keeping the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + " " + tail
    else:
        parent.text = (parent.text or "") + " " + tail
    parent.remove(element)


def recheck_due(entry: SeenEntry | None, digest: str, now: float, interval: float) -> bool:
    """True if a post must be fetched: never fetched, fetched ``interval`` seconds ago or more,
    or its content changed since (another digest). ``interval`` 0 turns the skip off."""
    if interval <= 0 or entry is None:
        return True
    if now - entry.fetched_at >= interval:
        return True
    return entry.digest != digest


class SeenLedger(Protocol):
    """What the incremental gate needs of a store."""

    def load(self, since: float) -> dict[str, SeenEntry]:
        """Every entry fetched at ``since`` or later, by canonical post URL."""

    def save(self, entries: Mapping[str, SeenEntry], prune_before: float) -> None:
        """Store ``entries`` (newer ones replace older) and forget those before
        ``prune_before``."""


class SqliteSeenLedger:
    """The ledger in one SQLite file (created 0600 in a 0700 folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path.touch(mode=0o600, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.execute(
            "CREATE TABLE IF NOT EXISTS seen (url TEXT PRIMARY KEY, fetched_at REAL NOT NULL,"
            " digest TEXT NOT NULL, hit INTEGER NOT NULL, platform TEXT NOT NULL,"
            " blog TEXT NOT NULL, links TEXT NOT NULL)"
        )
        return db

    def load(self, since: float) -> dict[str, SeenEntry]:
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT url, fetched_at, digest, hit, platform, blog, links FROM seen"
                " WHERE fetched_at >= ?",
                (since,),
            ).fetchall()
        finally:
            db.close()
        return {
            url: SeenEntry(at, digest, bool(hit), platform, blog, _links(links))
            for url, at, digest, hit, platform, blog, links in rows
        }

    def save(self, entries: Mapping[str, SeenEntry], prune_before: float) -> None:
        rows = [
            (url, e.fetched_at, e.digest, int(e.hit), e.platform, e.blog, json.dumps(e.links))
            for url, e in entries.items()
        ]
        db = self._connect()
        try:
            with db:  # one transaction: a crash leaves the ledger as it was
                db.executemany(
                    "INSERT INTO seen VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                    " fetched_at = excluded.fetched_at, digest = excluded.digest,"
                    " hit = excluded.hit, platform = excluded.platform, blog = excluded.blog,"
                    " links = excluded.links"
                    " WHERE excluded.fetched_at >= seen.fetched_at",
                    rows,
                )
                db.execute("DELETE FROM seen WHERE fetched_at < ?", (prune_before,))
        finally:
            db.close()


class RedisSeenLedger:
    """The ledger in Redis (distributed mode): ``<prefix>:<url>`` -> JSON, expiring when due."""

    def __init__(self, client: Any, prefix: str = "lurewatch:seen") -> None:
        self.client = client
        self.prefix = prefix

    def load(self, since: float) -> dict[str, SeenEntry]:
        keys = list(self.client.scan_iter(match=f"{self.prefix}:*", count=1000))
        entries: dict[str, SeenEntry] = {}
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            for key, raw in zip(chunk, self.client.mget(chunk), strict=True):
                entry = _entry_from_json(raw)
                if entry is not None and entry.fetched_at >= since:
                    name = key.decode() if isinstance(key, bytes) else str(key)
                    entries[name[len(self.prefix) + 1 :]] = entry
        return entries

    def save(self, entries: Mapping[str, SeenEntry], prune_before: float) -> None:
        pipe = self.client.pipeline()
        for url, entry in entries.items():
            # an entry is of use until it is due: ``interval`` after its fetch
            ttl = int(entry.fetched_at - prune_before) + 1
            if ttl > 0:
                pipe.set(f"{self.prefix}:{url}", json.dumps(asdict(entry)), ex=ttl)
        pipe.execute()


def _entry_from_json(raw: bytes | str | None) -> SeenEntry | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return SeenEntry(
            float(data["fetched_at"]),
            str(data["digest"]),
            bool(data.get("hit")),
            str(data.get("platform") or ""),
            str(data.get("blog") or ""),
            _links(json.dumps(data.get("links") or [])),
        )
    except (ValueError, KeyError, TypeError):
        return None  # a foreign or damaged value: the post is simply due


def _links(raw: str) -> tuple[str, ...]:
    """The ``links`` column (a JSON list of strings); anything else is no link."""
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(value, list):
        return ()
    return tuple(str(link) for link in value if isinstance(link, str))
