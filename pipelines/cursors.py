"""Continuous mode's memory between polls (``lurewatch watch``): one cursor per search, in one
JSON file written whole.

A **cursor** is the platform's time (its ``Date`` header) when a search was last answered: the
next poll asks only for what was published since (less an overlap, for posts a platform indexes
late), with the parameter each platform has:

- Blogger feed searches (``/feeds/posts/default?q=``): ``published-min`` (RFC 3339);
- WordPress core REST ``wp/v2/posts?search=`` and WordPress.com's sites API
  ``/rest/v1.1/sites/{site}/posts/?search=``: ``after`` (ISO 8601);
- Tumblr has no such parameter: ``/v2/tagged`` pages newest first and its walk stops at the
  cursor (a next page whose ``before`` is older than the cursor is not asked for); the search
  timeline and WordPress's Reader only ever give their first pages' newest posts.

Posts a poll meets again are not this file's: the incremental ledger (:mod:`pipelines.seen`,
shared with the nightly runs) skips those judged recently and unchanged, whichever route found
them, and has a changed one judged again. (Files written before kept a ``seen`` map too: it is
ignored.) Plain functions and a dataclass: no Scrapy (``crawler/watch/`` is the glue).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipelines.exceptions import InputError

__all__ = [
    "WatchState",
    "cursor_url",
    "platform_time",
    "search_key",
    "walk_done",
]

#: Query parameters that say what is searched (the rest pages, sorts, sizes or carries a key).
_IDENTITY_PARAMS = ("q", "query", "tag", "search", "s", "rest_route")
#: Blogger's feed paths (``q=`` makes them a search)
_BLOGGER_FEEDS = ("/feeds/posts/default", "/feeds/posts/summary")
_STATE_VERSION = 1
#: core REST's posts route, on a site (``/wp-json``, ``?rest_route=``) or WordPress.com's proxy
_WP_CORE_POSTS = re.compile(r"/wp/v2/(?:sites/[^/]+/)?posts/?$")


def search_key(url: str) -> str | None:
    """The identity of a search request, ``host/path?what``, without its paging, cursor and key
    parameters; ``None`` for a request that searches nothing (a listing, a post, a landing)."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    what = [(name, params[name]) for name in _IDENTITY_PARAMS if params.get(name)]
    if not [name for name, _ in what if name != "rest_route"] and not _is_tag_stream(parts.path):
        return None
    host = (parts.hostname or "").lower()
    return f"{host}{parts.path}?{urlencode(what)}"


def _is_tag_stream(path: str) -> bool:
    # WordPress.com's Reader tag stream names its tag in the path
    return path.startswith("/rest/") and "/read/tags/" in path


def _endpoint(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    path = params.get("rest_route") or parts.path
    if parts.path in _BLOGGER_FEEDS and params.get("q"):
        return "blogger_feed", params
    if _WP_CORE_POSTS.search(path) and params.get("search"):
        return "wp_core", params
    if (
        "/rest/v1.1/sites/" in path
        and path.rstrip("/").endswith("/posts")
        and params.get("search")
    ):
        return "wpcom_sites", params
    if parts.path == "/v2/tagged":
        return "tumblr_tagged", params
    return "", params


def cursor_url(url: str, since: float) -> str | None:
    """``url`` asking only for results published at or after ``since`` (Unix time), with the
    platform's own parameter; ``None`` when the endpoint has none (Tumblr, the Reader)."""
    kind, params = _endpoint(url)
    moment = datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "blogger_feed":
        params["published-min"] = moment
    elif kind in ("wp_core", "wpcom_sites"):
        params["after"] = moment
    else:
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode(params)))


def walk_done(url: str, since: float) -> bool:
    """True for a later page of a Tumblr ``/v2/tagged`` walk that would only bring posts older
    than ``since``: the previous poll read them."""
    kind, params = _endpoint(url)
    if kind != "tumblr_tagged" or not params.get("before", "").isdigit():
        return False
    return int(params["before"]) <= since


def platform_time(date_header: str | None, fallback: float) -> float:
    """The platform's clock from its ``Date`` header (``fallback`` when absent or unreadable)."""
    if not date_header:
        return fallback
    try:
        return parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return fallback


@dataclass
class WatchState:
    """Cursors (search key -> platform time it was last answered); the number of polls begun;
    for searches without a date parameter, the poll that last asked each (``asked``) and how many
    answers in a row brought no new post (``quiet``)."""

    cursors: dict[str, float] = field(default_factory=dict)
    polls: int = 0
    asked: dict[str, int] = field(default_factory=dict)
    quiet: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        """The state in ``path``; empty when the file does not exist yet."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a watch state file: {exc}") from None
        if not isinstance(raw, dict) or raw.get("version") != _STATE_VERSION:
            raise InputError(f"{path}: not a watch state file (version {_STATE_VERSION})")
        polls = raw.get("polls", 0)
        if not isinstance(polls, int) or isinstance(polls, bool) or polls < 0:
            raise InputError(f"{path}: not a watch state file (polls: a count)")
        return cls(
            _times(raw, "cursors", path),
            polls,
            _counts(raw, "asked", path),
            _counts(raw, "quiet", path),
        )

    def save(self, path: Path) -> None:
        """Write the state whole (a temp file in the same folder, 0600, then a rename)."""
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = {
            "version": _STATE_VERSION,
            "cursors": self.cursors,
            "polls": self.polls,
            "asked": self.asked,
            "quiet": self.quiet,
        }
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(body, out, indent=0, sort_keys=True)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def merge(self, other: WatchState) -> None:
        """Take ``other``'s cursors where newer, and its searches' last asks (a later poll)."""
        for key, moment in other.cursors.items():
            self.cursors[key] = max(moment, self.cursors.get(key, moment))
        for key, poll in other.asked.items():
            if poll >= self.asked.get(key, 0):
                self.asked[key] = poll
                self.quiet[key] = other.quiet.get(key, 0)
        self.polls = max(self.polls, other.polls)

    def rests(self, key: str, poll: int, most: int) -> bool:
        """True if the search ``key`` sits out poll ``poll``: after ``q`` quiet answers in a row it
        skips ``min(2 ** (q - 1), most)`` polls (1, 2, 4 ...); ``most`` 0: never."""
        quiet = self.quiet.get(key, 0)
        if most <= 0 or quiet <= 0 or key not in self.asked:
            return False
        skipped: int = min(2 ** (quiet - 1), most)
        return 0 < poll - self.asked[key] <= skipped

    def answered(self, key: str, poll: int, new_posts: bool, before: WatchState) -> None:
        """Record that poll ``poll`` asked ``key``: quiet once more, or not at all after a new
        post (``before``: the state the poll started from)."""
        self.asked[key] = poll
        self.quiet[key] = 0 if new_posts else before.quiet.get(key, 0) + 1


def _counts(raw: dict[str, Any], name: str, path: Path) -> dict[str, int]:
    value = raw.get(name, {})
    if not isinstance(value, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value.values()
    ):
        raise InputError(f"{path}: not a watch state file ({name}: a map of counts)")
    return {str(k): int(v) for k, v in value.items()}


def _times(raw: dict[str, Any], name: str, path: Path) -> dict[str, float]:
    value = raw.get(name, {})
    if not isinstance(value, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
    ):
        raise InputError(f"{path}: not a watch state file ({name}: a map of times)")
    return {str(k): float(v) for k, v in value.items()}
