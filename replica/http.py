"""The replica's tiny HTTP toolkit: request and response objects, a router on host and path."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

__all__ = ["Request", "Response", "Router", "html", "json_response", "text"]


@dataclass
class Request:
    """One request as the replica sees it: real host (``Host``), scheme (``X-Forwarded-Proto``)."""

    method: str
    host: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    scheme: str = "https"
    params: dict[str, str] = field(default_factory=dict)  # path parameters captured by the route

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int) -> int:
        """An integer query parameter; a non-integer raises ``ValueError`` (the server: a 400)."""
        value = self.arg(name)
        return int(value) if value else default  # absent or empty: the default

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.path}" + (
            f"?{self.query_string}" if self.query_string else ""
        )


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: Iterator[bytes] | None = None  # sent chunk by chunk (a page that drips forever)
    delay_per_chunk: float = 0.0

    def header(self, name: str, value: str) -> Response:
        self.headers.append((name, value))
        return self


def json_response(
    obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Response(
        status, body, [("Content-Type", "application/json; charset=UTF-8"), *(headers or [])]
    )


def html(markup: str, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(
        status,
        markup.encode("utf-8"),
        [("Content-Type", "text/html; charset=UTF-8"), *(headers or [])],
    )


def text(
    body: str, status: int = 200, content_type: str = "text/plain; charset=UTF-8"
) -> Response:
    return Response(status, body.encode("utf-8"), [("Content-Type", content_type)])


Handler = Callable[[Request], Response]


@dataclass
class _Route:
    host: re.Pattern[str]
    path: re.Pattern[str]
    methods: frozenset[str]
    handler: Handler


class Router:
    """Routes on ``(host, path)`` regular expressions; named groups: ``request.params``."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self._filters: list[Callable[[Request], Response | None]] = []

    def add_filter(self, check: Callable[[Request], Response | None]) -> None:
        """Run ``check`` on every request before routing; a response it returns is the answer."""
        self._filters.append(check)

    def add(
        self, host: str, path: str, handler: Handler, methods: tuple[str, ...] = ("GET", "HEAD")
    ) -> None:
        self._routes.append(
            _Route(
                re.compile(rf"(?i){host}\Z"), re.compile(rf"{path}\Z"), frozenset(methods), handler
            )
        )

    def route(
        self, host: str, path: str, methods: tuple[str, ...] = ("GET", "HEAD")
    ) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.add(host, path, handler, methods)
            return handler

        return decorate

    def dispatch(self, request: Request) -> Response:
        for check in self._filters:
            answer = check(request)
            if answer is not None:
                return answer
        host = request.host.split(":")[0].lower()
        allowed: set[str] = set()
        for route in self._routes:
            host_match = route.host.match(host)
            path_match = host_match and route.path.match(request.path)
            if not (host_match and path_match):
                continue
            if request.method not in route.methods:
                allowed |= route.methods
                continue
            request.params = {**host_match.groupdict(), **path_match.groupdict()}
            return route.handler(request)
        if allowed:
            return text("method not allowed", 405).header("Allow", ", ".join(sorted(allowed)))
        return html(
            f"<html><body><h1>404 Not Found</h1><p>{host}{request.path}</p></body></html>", 404
        )
