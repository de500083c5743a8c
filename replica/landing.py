"""Replica routes for the pages posts link to: lures, harmless sites, redirectors, hostile pages.

Every :class:`~replica.dataset.Landing` of the dataset is served at its URL (matched on host, path
and query; the scheme comes from ``X-Forwarded-Proto`` and is ignored). Shorteners (bit.ly,
cutt.ly, tinyurl.com, is.gd) answer ``301``, the redirect loop ``302``, meta-refresh and JavaScript
redirectors ``200`` with their markup.

Hostile pages (``Landing.hostile``), each bounded on the server side:

- ``redirect_loop``: two hosts redirecting to each other forever;
- ``huge``: a 20 MiB page, streamed in chunks with its ``Content-Length`` announced up front;
- ``gzip_bomb``: ~1 MiB on the wire, ``Content-Encoding: gzip``, inflating to 1 GiB of zeros (built
  once, lazily, from identical full-flushed deflate blocks, so the server never holds the inflated
  gigabyte);
- ``drip``: a page that sends a few bytes every half second forever (stops when the server stops);
- ``script_loop``: ``while(true){}`` after a ``document.write`` (a renderer must time out);
- ``download``: an ``.exe`` with ``Content-Disposition: attachment`` (never to be saved).

robots.txt: every landing host allows everything, except the hosts in ``dataset.robots`` (one lure
host, ``vip.hdstream-members.example``, disallows everything: a polite crawl never sees that lure,
and the truth of the posts linking to it says so). ``t.umblr.com`` is Tumblr's, served by
:mod:`replica.tumblr`.
"""

from __future__ import annotations

import itertools
import logging
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from replica.dataset import Dataset, Landing
from replica.http import Request, Response, Router, html, text

__all__ = ["HUGE_SIZE", "INFLATED_SIZE", "gzip_bomb", "register"]

logger = logging.getLogger(__name__)

HUGE_SIZE = 20 * 1024 * 1024
INFLATED_SIZE = 1024 * 1024 * 1024  # what the gzip bomb inflates to
DRIP_DELAY = 0.5  # seconds between the drip page's chunks
_CHUNK = 64 * 1024
_ALLOW_ALL = "User-agent: *\nAllow: /\n"
_DOWNLOAD_HOST = "dl.hdfilms-download.xyz"

_bomb: bytes | None = None
_bomb_lock = threading.Lock()


def gzip_bomb() -> bytes:
    """A gzip body inflating to :data:`INFLATED_SIZE` zero bytes (built on first use, cached)."""
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            _bomb = _build_gzip_bomb(INFLATED_SIZE)
            logger.debug("gzip bomb built: %d bytes inflating to %d", len(_bomb), INFLATED_SIZE)
        return _bomb


def _build_gzip_bomb(size: int) -> bytes:
    block = 1 << 20
    zeros = bytes(block)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    # after a full flush the compressor forgets its history: every 1 MiB block compresses the same
    unit = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(size // block):
        crc = zlib.crc32(zeros, crc)
    # magic, deflate, no flags, mtime 0, "max compression", OS unknown
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + unit * (size // block) + tail + struct.pack("<II", crc, size & 0xFFFFFFFF)


def _huge_stream() -> Iterator[bytes]:
    head = b"<!DOCTYPE html><html><head><title>HD Player</title></head><body>"
    yield head
    filler = (b'<div class="ad">' + b"x" * 1000 + b"</div>\n") * 64
    sent = len(head)
    while sent < HUGE_SIZE:
        chunk = filler[: min(len(filler), HUGE_SIZE - sent)]
        sent += len(chunk)
        yield chunk


def _drip_stream() -> Iterator[bytes]:
    head = b"<!DOCTYPE html><html><head><title>Loading stream</title></head><body><p>Buffering"
    return itertools.chain([head], itertools.repeat(b"."))


_SCRIPT_LOOP = (
    "<!DOCTYPE html><html><head><title>HD Player</title></head><body><div "
    'id="player">Loading&hellip;</div>'
    "<script>document.write('<p>Preparing your stream</p>');while(true){}</script></body></html>"
)


def _download(path: str) -> Response:
    name = path.rsplit("/", 1)[-1] or "setup.exe"
    body = (
        b"MZ\x90\x00\x03"
        + bytes(59)
        + b"This program cannot be run in DOS mode.\r\n"
        + bytes(256 * 1024)
    )
    return Response(
        200,
        body,
        [
            ("Content-Type", "application/x-msdownload"),
            ("Content-Disposition", f'attachment; filename="{name}"'),
        ],
    )


def _hostile(landing: Landing, request: Request) -> Response:
    kind = landing.hostile
    if kind == "huge":
        headers = [
            ("Content-Type", "text/html; charset=UTF-8"),
            ("Content-Length", str(HUGE_SIZE)),
        ]
        if request.method == "HEAD":
            return Response(200, b"", headers)
        return Response(200, headers=headers, stream=_huge_stream())
    if kind == "gzip_bomb":
        return Response(
            200,
            gzip_bomb(),
            [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip")],
        )
    if kind == "drip":
        return Response(
            200,
            headers=[("Content-Type", "text/html; charset=UTF-8")],
            stream=_drip_stream(),
            delay_per_chunk=DRIP_DELAY,
        )
    if kind == "script_loop":
        return html(_SCRIPT_LOOP)
    if kind == "download":
        return _download(request.path)
    return _serve_plain(landing)


def _serve_plain(landing: Landing) -> Response:
    if landing.redirect_to:
        status = landing.status if 300 <= landing.status < 400 else 301
        body = f'<html><body><a href="{landing.redirect_to}">moved here</a></body></html>'
        return html(body, status, [("Location", landing.redirect_to), *landing.headers])
    return html(landing.html, landing.status, list(landing.headers))


class LandingSite:
    """Serves every landing page of ``dataset`` (one instance per router)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.pages: dict[tuple[str, str, str], Landing] = {}
        for landing in dataset.landings.values():
            self.pages.setdefault(self._key(landing.url), landing)
        self.hosts = sorted({host for host, _, _ in self.pages} | set(dataset.robots))

    @staticmethod
    def _key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url)
        return (parts.hostname or "").lower(), unquote(parts.path or "/"), parts.query

    def find(self, request: Request) -> Landing | None:
        host = request.host.split(":")[0].lower()
        return self.pages.get((host, unquote(request.path), request.query_string))

    def serve(self, request: Request) -> Response:
        if request.path == "/robots.txt":
            return text(self.dataset.robots.get(request.host.split(":")[0].lower(), _ALLOW_ALL))
        if request.method == "POST":  # a form was submitted: the lure's collector says thanks
            return html("<html><body><p>Verifying&hellip;</p></body></html>")
        landing = self.find(request)
        if landing is None:
            if request.host.split(":")[0].lower() == _DOWNLOAD_HOST and request.path.endswith(
                ".exe"
            ):
                return _download(request.path)
            return html(
                "<html><head><title>404 Not Found</title></head><body><h1>Not "
                f"Found</h1><p>{request.path}</p>"
                "</body></html>",
                404,
            )
        if landing.hostile:
            return _hostile(landing, request)
        return _serve_plain(landing)


def register(router: Router, dataset: Dataset) -> None:
    """Register the landing, redirector and hostile hosts of ``dataset`` on ``router``."""
    site = LandingSite(dataset)
    hosts = [*site.hosts, _DOWNLOAD_HOST]
    pattern = "(?:" + "|".join(re.escape(h) for h in dict.fromkeys(hosts)) + ")"
    router.add(pattern, r"/.*", site.serve, methods=("GET", "HEAD", "POST"))
    router.landing_site = site  # type: ignore[attr-defined]  # tests read the served pages here
