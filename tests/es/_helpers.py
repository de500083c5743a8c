"""Hit factories, a pipeline runner and small network stand-ins shared by the Elasticsearch
tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from scrapy import Spider

from pipelines.indexing import ElasticsearchPipeline
from pipelines.items import Hit
from tests._settings import lurewatch_crawler


def make_hit(i: int, **fields: Any) -> Hit:
    """A judged hit; ``i`` picks the post, platform and verdict deterministically."""
    platform = ("tumblr", "wordpress", "blogger")[i % 3]
    lure = i % 4 == 0
    defaults: dict[str, Any] = {
        "url": f"https://blog{i % 5}.example.com/post/{i}?utm_source=feed",
        "platform": platform,
        "blog": f"blog{i % 5}",
        "title": f"Watch Film {i % 7} online free",
        "text": "watch full movie hd",
        "fetched_at": "2025-03-01T02:00:00Z",
        "fake_stream": not lure,
        "sso_lure": lure,
        "matched_title": None if lure else f"Film {i % 7}",
        "score": 50 + i % 50,
        "reasons": ["title-match"],
        "verdict": "lure" if lure else "fake_stream",
        "lure_urls": [f"https://login-{i % 3}.evil{i % 2}.test/sso"] if lure else [],
        "templates": ["microsoft-sso"] if lure else [],
        "landing_urls": [f"https://stream{i % 2}.test/x"],
    }
    defaults.update(fields)
    return Hit(**defaults)


def make_pipeline(settings: dict[str, Any]) -> ElasticsearchPipeline:
    """The pipeline as Scrapy builds it."""
    crawler = lurewatch_crawler(Spider, settings)
    crawler.spider = Spider("test")
    return ElasticsearchPipeline.from_crawler(crawler)


async def feed(pipeline: ElasticsearchPipeline, hits: Iterable[Hit], opened: bool = False) -> None:
    """open_spider, process every hit, close_spider."""
    if not opened:
        await pipeline.open_spider()
    for hit in hits:
        await pipeline.process_item(hit)
    await pipeline.close_spider()


class TcpProxy:
    """A TCP proxy to Elasticsearch that can be stopped and restarted on the same port (an
    outage)."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port, self.port = upstream_port, 0
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()
        self._writers.discard(writer)


class _Handler(BaseHTTPRequestHandler):
    # class-level: the server builds a new handler per request; each fake subclasses this with its
    # own lists
    responses: ClassVar[list[tuple[int, dict[str, str], bytes]]] = []
    requests: ClassVar[list[dict[str, Any]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        status, headers, payload = (
            self.responses[0] if len(self.responses) == 1 else self.responses.pop(0)
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_HEAD = _answer

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def stub_server(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """An HTTP server answering every request with ``status``/``body``; yields (url, requests
    seen)."""
    handler = type(
        "Handler",
        (_Handler,),
        {
            "responses": [
                (
                    status,
                    {"Content-Type": "application/json", **(headers or {})},
                    json.dumps(body).encode(),
                )
            ],
            "requests": [],
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


# : What Elasticsearch with security on answers to bad credentials (no X-Elastic-Product header on
# 401).
ES_401 = {
    "error": {
        "root_cause": [
            {
                "type": "security_exception",
                "reason": "unable to authenticate user [lw] for REST request [/_alias]",
            }
        ],
        "type": "security_exception",
        "reason": "unable to authenticate user [lw] for REST request [/_alias]",
    },
    "status": 401,
}
ES_401_HEADERS = {"WWW-Authenticate": 'Basic realm="security", charset="UTF-8", ApiKey'}
