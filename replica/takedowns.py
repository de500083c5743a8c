"""Takedowns in the replica: posts taken down by their platform, cloaked posts, a movable clock.

Tests (and demos) act as the platforms' abuse desks:

- ``remove(url, how)``: the post answers as its platform answers for a removed post: ``how`` is
  ``not_found`` (404 and the platform's "not found" page), ``terminated`` (the blog's
  "terminated" page) or ``gone`` (410);
- ``cloak(url, user_agent)``: the post answers 404 to requests whose ``User-Agent`` contains
  ``user_agent`` and stays up for everyone else (cloaking, as phishing kits do);
- the clock: ``advance(seconds)`` moves the replica's time; every response's ``Date`` header is
  on it (``replica.server`` asks :attr:`Takedowns.now`), so a test can let six hours pass.

The same, over HTTP, on host ``admin.replica.test`` (only the replica answers it): ``POST
/takedowns`` with ``{"remove": [{"url", "how"}], "cloak": [{"url", "user_agent"}]}``, ``POST
/clock`` with ``{"advance": seconds}``, ``GET /clock``. State starts empty: nothing is removed.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from replica.dataset import Dataset
from replica.http import Request, Response, Router, html, json_response

__all__ = ["REMOVAL_PAGES", "Takedowns", "register"]

#: What each platform shows for a removed post, and for a terminated blog (their wording).
REMOVAL_PAGES: dict[str, dict[str, tuple[int, str]]] = {
    "tumblr": {
        "not_found": (404, "There's nothing here."),
        "terminated": (
            404,
            "This account has been terminated for violating Tumblr's Community Guidelines.",
        ),
    },
    "wordpress": {
        "not_found": (404, "Oops! That page can’t be found."),
        "terminated": (
            410,
            "This site has been archived or suspended in accordance with our Terms of Service.",
        ),
    },
    "blogger": {
        "not_found": (404, "Sorry, the page you were looking for in this blog does not exist."),
        "terminated": (
            404,
            "Blog has been removed. Sorry, the blog at this address has been"
            " removed for violating the Blogger Terms of Service.",
        ),
    },
}


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return (parts.hostname or "").lower(), path + (f"?{parts.query}" if parts.query else "")


class Takedowns:
    """Removed and cloaked posts of ``dataset``, and the replica's clock."""

    def __init__(self, dataset: Dataset) -> None:
        self._platform = {_key(p.url): p.platform for p in dataset.posts}
        self._removed: dict[tuple[str, str], str] = {}
        self._cloaked: dict[tuple[str, str], str] = {}
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """The replica's time (seconds since the epoch)."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        with self._lock:
            self._offset += seconds

    def remove(self, url: str, how: str = "not_found") -> None:
        """Take the post at ``url`` down (``not_found``, ``terminated`` or ``gone``)."""
        if how not in ("not_found", "terminated", "gone"):
            raise ValueError(f"unknown removal {how!r}")
        if _key(url) not in self._platform:
            raise ValueError(f"no post at {url}")
        with self._lock:
            self._removed[_key(url)] = how

    def cloak(self, url: str, user_agent: str) -> None:
        """Serve 404 for ``url`` to user agents containing ``user_agent`` only."""
        if _key(url) not in self._platform or not user_agent:
            raise ValueError(f"no post at {url} or no user agent")
        with self._lock:
            self._cloaked[_key(url)] = user_agent

    def _page(self, platform: str, how: str) -> Response:
        if how == "gone":
            return html(
                "<html><head><title>Gone</title></head><body><h1>410 Gone</h1></body></html>", 410
            )
        status, words = REMOVAL_PAGES[platform][how]
        return html(
            f"<html><head><title>{words}</title></head><body><main><h1>{words}</h1>"
            "</main></body></html>",
            status,
        )

    def check(self, request: Request) -> Response | None:
        """The answer for a removed or cloaked post, ``None`` for everything else."""
        key = (request.host.split(":")[0].lower(), self._path(request))
        how = self._removed.get(key)
        if how is not None:
            return self._page(self._platform[key], how)
        agent = self._cloaked.get(key)
        if agent is not None and agent in request.headers.get("user-agent", ""):
            return self._page(self._platform[key], "not_found")
        return None

    @staticmethod
    def _path(request: Request) -> str:
        path = request.path.rstrip("/") or "/"
        return path + (f"?{request.query_string}" if request.query_string else "")

    def admin(self, request: Request) -> Response:
        """``admin.replica.test``: ``/takedowns`` and ``/clock``."""
        if request.path == "/clock":
            if request.method == "POST":
                self.advance(float(json.loads(request.body or b"{}").get("advance", 0)))
            moment = datetime.fromtimestamp(self.now(), UTC)
            return json_response({"now": moment.isoformat(), "offset": self._offset})
        if request.path == "/takedowns" and request.method == "POST":
            body = json.loads(request.body or b"{}")
            for entry in body.get("remove", ()):
                self.remove(entry["url"], entry.get("how", "not_found"))
            for entry in body.get("cloak", ()):
                self.cloak(entry["url"], entry["user_agent"])
            return json_response({"removed": len(self._removed), "cloaked": len(self._cloaked)})
        return json_response({"error": "unknown admin path"}, 404)


def register(router: Router, dataset: Dataset) -> None:
    """Check every request against the removals first; the admin host; the clock."""
    state = Takedowns(dataset)
    router.add_filter(state.check)
    router.add(r"admin\.replica\.test", r"/(?:clock|takedowns)", state.admin, ("GET", "POST"))
    router.takedowns = state  # type: ignore[attr-defined]  # tests act as abuse desks here
    router.clock = state.now  # type: ignore[attr-defined]  # replica.server dates responses
