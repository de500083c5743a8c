"""The replica's HTTP server: a threaded stdlib server that dispatches on ``Host`` through the
router.

Run it with ``python -m replica --port 8089`` (``--port 0`` picks a free port and prints it), or
in-process with :class:`ReplicaServer` (the tests' session fixture and ``lurewatch demo`` do that).
``clock`` speeds the replica's time up (:mod:`replica.clock`); ``quotas`` enforces the documented
API quotas (:mod:`replica.quota`); ``publish`` publishes that share of the posts over the
``publish_hours`` after the start (:mod:`replica.publishing`). robots.txt is served for the API
hosts either way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from replica.clock import ReplicaClock
from replica.http import Request, Response, Router, text
from replica.quota import add_robots, install

__all__ = ["ReplicaServer"]

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def date_time_string(self, timestamp: float | None = None) -> str:
        # the Date header is on the replica's clock (replica.takedowns moves it in tests)
        clock = getattr(self.server.router, "clock", None)
        return super().date_time_string(clock() if timestamp is None and clock else timestamp)

    def log_message(self, format: str, *args: object) -> None:  # stdlib signature (shadows format)
        logger.debug("replica %s", format % args)

    def _handle(self) -> None:
        split = urlsplit(self.path)
        path = split.path
        host = self.headers.get("Host", "")
        if split.netloc:  # absolute-form request line (a client using us as a proxy)
            host = split.netloc
            path = split.path
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            host=host,
            path=path or "/",
            query_string=split.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            scheme=self.headers.get("X-Forwarded-Proto", "https"),
        )
        self.server.hits += 1
        try:
            response = self.server.router.dispatch(request)
        except ValueError as exc:  # bad query parameter types etc.
            response = text(f"bad request: {exc}", 400)
        except Exception:
            logger.exception("replica handler failed for %s", request.url)
            response = text("internal error", 500)
        self._send(response)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        names = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            self.send_header(name, value)
        if response.stream is not None:
            self.send_header("Connection", "close")
            self.end_headers()
            self._send_stream(response)
            return
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _send_stream(self, response: Response) -> None:
        assert response.stream is not None
        self.close_connection = True
        try:
            for chunk in response.stream:
                if self.server.stopping.is_set():
                    return
                self.wfile.write(chunk)
                self.wfile.flush()
                if response.delay_per_chunk:
                    time.sleep(response.delay_per_chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], router: Router) -> None:
        super().__init__(address, _Handler)
        self.router = router
        self.hits = 0
        self.stopping = threading.Event()


def _world(seed: int, scale: int, factor: float, share: float, hours: float) -> Router:
    """The replica's own world; with ``share``, that share of its posts is published over the
    ``hours`` after now on a clock running ``factor`` times faster (:mod:`replica.publishing`)."""
    from replica.app import build_router
    from replica.content import build_dataset
    from replica.publishing import publish_over_time

    if not share:
        return build_router(seed=seed, scale=scale)
    dataset = build_dataset(seed=seed, scale=scale)
    base: list[Callable[[], float]] = [time.time]  # replica.takedowns' clock, once built
    clock = ReplicaClock(factor, base=lambda: base[0]())
    publish_over_time(dataset, clock.now, share, hours, seed)  # before the platforms index it
    router = build_router(dataset=dataset)
    base[0] = getattr(router, "clock", None) or time.time
    router.replica_clock = clock  # type: ignore[attr-defined]  # the server's clock: the same
    return router


class ReplicaServer:
    """The replica on ``host:port`` (port 0 = any free port), served from a background thread."""

    def __init__(
        self,
        router: Router | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 2026,
        scale: int = 1,
        clock: float = 1.0,
        quotas: bool = False,
        publish: float = 0.0,
        publish_hours: float = 6.0,
    ) -> None:
        if router is None:
            router = _world(seed, scale, clock, publish, publish_hours)
        elif publish:
            raise ValueError("publish: the replica must build its own world (no router given)")
        self.clock = getattr(router, "replica_clock", None) or ReplicaClock(
            clock, base=getattr(router, "clock", None) or time.time
        )
        router.clock = self.clock.now  # type: ignore[attr-defined]  # Date headers, TMDB dates
        add_robots(router)
        if quotas:
            install(router, self.clock)
        self._server = _Server((host, port), router)
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an AF_INET server: never a bytes (AF_UNIX) address
        return f"http://{host}:{port}"

    @property
    def router(self) -> Router:
        return self._server.router

    @property
    def hits(self) -> int:
        return self._server.hits

    def start(self) -> ReplicaServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="replica", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
