"""What every route of the replica's Tumblr shares: knobs, request log, key counts, envelopes."""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from replica.dataset import Dataset
from replica.http import Request, Response, json_response
from replica.quota import spend, tumblr_headers
from replica.tumblr.render import PostRenderer

__all__ = [
    "LoggedRequest",
    "TumblrConfig",
    "TumblrState",
    "api_error",
    "page_token",
    "read_page_token",
]


@dataclass
class TumblrConfig:
    """Knobs of the replica's Tumblr (limits per route as in platforms.md §1.8)."""

    tagged_limit: int = 20
    posts_limit: int = 20
    search_limit: int = 50
    web_search_limit: int = 20
    rate_limit_every: int = 40  # every Nth API request of one api_key gets a 429 (0 = never)
    rate_limit_reset: int = 1  # X-Ratelimit-Perhour-Reset (seconds) sent with that 429
    theme_page_size: int = 10
    # the bearer token the search page embeds for its script
    web_token: str = "replica-web-token"  # noqa: S105 - a fake token of the offline replica
    # consumer keys Tumblr no longer accepts (revoked, mistyped): every API call answers 401
    revoked_keys: frozenset[str] = frozenset({"replica-revoked-key"})


#: A consumer key starting with this is not valid (401, like a revoked one).
INVALID_KEY_PREFIX = "invalid"


@dataclass
class LoggedRequest:
    """One request the replica's Tumblr answered (tests assert pagination and keys on these)."""

    endpoint: str
    host: str
    path: str
    query: dict[str, str]
    status: int = 200
    count: int = 0  # posts (or timeline elements of type post) in the response
    has_next: bool = False


def page_token(state: dict[str, Any]) -> str:
    """An opaque paging token (``page_number``, ``cursor``) carrying a listing's parameters."""
    packed = json.dumps(state, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def read_page_token(token: str) -> dict[str, Any]:
    """The parameters a :func:`page_token` carries (``ValueError``: not one of ours, a 400)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"bad page token {token!r}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"bad page token {token!r}")
    return data


def _envelope(
    status: int,
    msg: str,
    response: Any,
    errors: list[dict[str, Any]] | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    body: dict[str, Any] = {"meta": {"status": status, "msg": msg}, "response": response}
    if errors:
        body["errors"] = errors
    return json_response(body, status, headers)


def api_error(
    status: int, msg: str, detail: str, code: int = 0, headers: list[tuple[str, str]] | None = None
) -> Response:
    """Tumblr's error envelope: ``meta``, an empty ``response`` and one ``errors`` entry."""
    return _envelope(status, msg, [], [{"title": msg, "code": code, "detail": detail}], headers)


@dataclass
class TumblrState:
    """The state every route shares: dataset, knobs, request log and per-key request counters."""

    dataset: Dataset
    config: TumblrConfig = field(default_factory=TumblrConfig)
    log: list[LoggedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.render = PostRenderer(self.dataset)
        self._lock = threading.Lock()
        self._key_counts: dict[str, int] = {}
        self.blogs = self.dataset.blogs_on("tumblr")

    def _log(
        self,
        endpoint: str,
        request: Request,
        response: Response,
        count: int = 0,
        has_next: bool = False,
    ) -> Response:
        """Record one answered request in :attr:`log`; returns ``response``."""
        query = {k: v[0] for k, v in request.query.items()}
        entry = LoggedRequest(
            endpoint, request.host, request.path, query, response.status, count, has_next
        )
        with self._lock:
            self.log.append(entry)
        return response

    def requests_for(self, endpoint: str) -> list[LoggedRequest]:
        """Logged requests of one endpoint (``tagged``, ``blog_posts``, ``timeline_search``...)."""
        with self._lock:
            return [r for r in self.log if r.endpoint == endpoint]

    def _rate_headers(self, count: int, limited: bool) -> list[tuple[str, str]]:
        now = int(datetime.now(UTC).timestamp())
        return [
            ("X-Ratelimit-Perday-Limit", "5000"),
            ("X-Ratelimit-Perday-Remaining", str(max(1, 5000 - count))),
            ("X-Ratelimit-Perday-Reset", str(86400 - now % 86400)),
            ("X-Ratelimit-Perhour-Limit", "1000"),
            (
                "X-Ratelimit-Perhour-Remaining",
                "0" if limited else str(max(1, 1000 - count % 1000)),
            ),
            (
                "X-Ratelimit-Perhour-Reset",
                str(self.config.rate_limit_reset if limited else 3600 - now % 3600),
            ),
        ]

    def _authorize(self, request: Request) -> tuple[Response | None, list[tuple[str, str]]]:
        """``(error response or None, rate-limit headers)`` for an API request."""
        key = (request.arg("api_key") or "").strip()
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not key and not bearer:
            return api_error(401, "Unauthorized", "Unable to authorize", 1016), []
        caller = key or bearer
        if caller in self.config.revoked_keys or caller.startswith(INVALID_KEY_PREFIX):
            return api_error(401, "Unauthorized", "Unable to authorize", 1016), []
        verdict = spend(self, "tumblr", caller) if key else None
        if verdict is not None:  # the documented quota (replica.quota), on the replica's clock
            headers = tumblr_headers(verdict)
            if verdict.allowed:
                return None, headers
            detail = "You have exceeded the rate limit. Try again later."
            return api_error(429, "Limit Exceeded", detail, 0, headers), headers
        with self._lock:
            count = self._key_counts.get(caller, 0) + 1
            self._key_counts[caller] = count
        every = self.config.rate_limit_every
        limited = bool(every) and count % every == 0
        headers = self._rate_headers(count, limited)
        if limited:
            detail = "You have exceeded the rate limit. Try again later."
            return api_error(429, "Limit Exceeded", detail, 5029, headers), headers
        return None, headers

    def _respond(
        self, request: Request, response_obj: Any, headers: list[tuple[str, str]]
    ) -> Response:
        """A 200 envelope around ``response_obj`` (JSONP when the request names a ``callback``)."""
        callback = request.arg("callback")
        body = {"meta": {"status": 200, "msg": "OK"}, "response": response_obj}
        if callback and re.fullmatch(r"[\w.$]+", callback):  # JSONP: always HTTP 200
            payload = f"{callback}({json.dumps(body, ensure_ascii=False)});"
            content_type = ("Content-Type", "application/javascript; charset=utf-8")
            return Response(200, payload.encode(), [content_type, *headers])
        return json_response(body, 200, headers)
