"""Campaigns: hits that are one operation, so one notice (and one figure) covers them.

Two hits are linked when they share any of:

- ``lure:<domain>``: an off-platform lure domain (``lure_domains``);
- ``landing:<url>``: a landing page's final URL (a shortener's target, or the page reached);
- ``link:<url>``: the same shortened or outbound off-platform link;
- ``template:``: near-duplicate *skeleton* text, i.e. the post's words with the watched title
  and the digits taken out, so one spam template used for many films links its posts;
- ``text:``: near-duplicate text (the same post copied to many blogs).

Near duplicates are found with MinHash over word 3-shingles and MinHash LSH (``datasketch``) at
Jaccard ``LUREWATCH_CAMPAIGN_THRESHOLD``; links are merged transitively (union-find). A campaign's
id is ``c-`` + the first 12 hex digits of the SHA-256 of its smallest member id: stable while the
campaign's smallest member stays, so re-running it on the same hits gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash, MinHashLSH

from pipelines.takedowns.channels import is_platform_host
from pipelines.urls import host_of

__all__ = ["Campaign", "cluster", "signals"]

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_DIGITS_RE = re.compile(r"\d+")
_SHINGLE = 3
_NUM_PERM = 128
_MIN_WORDS = 8  # shorter texts have too few shingles to call anything a near duplicate
_MAX_WORDS = 5000


@dataclass(frozen=True)
class Campaign:
    """A cluster of hits and what linked them."""

    id: str
    members: tuple[str, ...]
    signals: tuple[str, ...]  # kinds of links seen: lure, landing, link, template, text

    @property
    def size(self) -> int:
        """Number of hits."""
        return len(self.members)


class _Union:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def signals(source: Mapping[str, Any]) -> set[str]:
    """The exact keys a hit shares with its campaign: lure domains, landings, outbound links."""
    keys = {f"lure:{d}" for d in source.get("lure_domains") or () if not is_platform_host(d)}
    keys |= {f"landing:{u}" for u in source.get("landing_urls") or () if _off_platform(u)}
    keys |= {f"link:{u}" for u in source.get("outbound_urls") or () if _off_platform(u)}
    return keys


def _off_platform(url: str) -> bool:
    host = host_of(str(url))
    return bool(host) and not is_platform_host(host)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())[:_MAX_WORDS]


def _skeleton(words: list[str], title: str) -> list[str]:
    drop = set(_words(title))
    return [w for w in (_DIGITS_RE.sub("", w) for w in words if w not in drop) if w]


def _minhash(words: Sequence[str]) -> MinHash | None:
    if len(words) < _MIN_WORDS:
        return None
    digest = MinHash(num_perm=_NUM_PERM, seed=1)
    shingles = {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    digest.update_batch([s.encode("utf-8") for s in shingles])
    return digest


def _near_duplicates(
    texts: Mapping[str, Sequence[str]], threshold: float
) -> list[tuple[str, str]]:
    lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
    digests = {}
    for hit_id, words in texts.items():
        digest = _minhash(words)
        if digest is not None:
            digests[hit_id] = digest
            lsh.insert(hit_id, digest)
    pairs = []
    for hit_id, digest in digests.items():
        for other in lsh.query(digest):
            # LSH finds candidates: keep those whose estimated Jaccard reaches the threshold
            if other > hit_id and digest.jaccard(digests[other]) >= threshold:
                pairs.append((hit_id, other))
    return pairs


def _campaign_id(members: Sequence[str]) -> str:
    return "c-" + hashlib.sha256(min(members).encode()).hexdigest()[:12]


def cluster(hits: Mapping[str, Mapping[str, Any]], threshold: float = 0.8) -> dict[str, Campaign]:
    """The campaign of every hit in ``hits`` (id -> document source), singletons included."""
    union = _Union(hits)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_key: dict[str, list[str]] = defaultdict(list)
    for hit_id, source in hits.items():
        for key in signals(source):
            by_key[key].append(hit_id)
    for key, members in by_key.items():
        for other in members[1:]:
            union.union(members[0], other)
            kinds[members[0], other].add(key.partition(":")[0])
    words = {i: _words(f"{s.get('title') or ''} {s.get('text') or ''}") for i, s in hits.items()}
    skeletons = {
        i: _skeleton(w, str(hits[i].get("matched_title") or "")) for i, w in words.items()
    }
    for kind, texts in (("text", words), ("template", skeletons)):
        for a, b in _near_duplicates(texts, threshold):
            union.union(a, b)
            kinds[a, b].add(kind)
    return _campaigns(hits, union, kinds)


def _campaigns(
    hits: Iterable[str], union: _Union, kinds: Mapping[tuple[str, str], set[str]]
) -> dict[str, Campaign]:
    groups: dict[str, list[str]] = defaultdict(list)
    for hit_id in hits:
        groups[union.find(hit_id)].append(hit_id)
    linked: dict[str, set[str]] = defaultdict(set)
    for (a, _), found in kinds.items():
        linked[union.find(a)] |= found
    result = {}
    for root, members in groups.items():
        campaign = Campaign(
            _campaign_id(members), tuple(sorted(members)), tuple(sorted(linked[root]))
        )
        result.update(dict.fromkeys(members, campaign))
    return result
