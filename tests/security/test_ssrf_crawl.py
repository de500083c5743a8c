"""Whole crawls: no request of any kind reaches a private address, offline or online.

Outbound links, landing fetches (``engine.download_async``), redirects and meta-refreshes are all
refused by the SSRF guard before they leave; the crawl goes on with the rest.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from replica.http import Request, Response, html
from replica.server import ReplicaServer
from tests.rendering.site import RecordingRouter
from tests.security._probe import Probe, probe

pytestmark = pytest.mark.crawl

PUBLIC = "fine.example"
HOPS = "redirector.example"
METADATA = "http://169.254.169.254/latest/meta-data/"
REDIS = "http://127.0.0.1:6379/"
SEED = "data:text/plain,seed"  # online: a first response that needs no network


def _offline_site() -> RecordingRouter:
    router = RecordingRouter()
    router.add(PUBLIC, "/.*", lambda _r: html("<html><body><a href='/next'>ok</a></body></html>"))
    router.add(HOPS, "/to-redis", lambda _r: Response(302, b"", [("Location", f"{REDIS}x")]))
    router.add(HOPS, "/to-metadata", lambda _r: Response(301, b"", [("Location", METADATA)]))
    refresh = '<meta http-equiv="refresh" content="0;url=http://[::ffff:a9fe:a9fe]/latest/">'
    router.add(HOPS, "/refresh", lambda _r: html(f"<html><head>{refresh}</head></html>"))
    router.add(HOPS, "/robots.txt", lambda _r: Response(404))
    router.add(".*", ".*", _leaked)  # whatever else reached the replica: recorded, and answered
    return router


def _leaked(_: Request) -> Response:
    return html("<html><body>internal service answered</body></html>")


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Probe, RecordingRouter]]:
    router = _offline_site()
    urls = [
        f"https://{PUBLIC}/first",
        METADATA,
        f"{REDIS}info",
        "http://localhost:8089/",
        f"https://{HOPS}/to-redis",
        f"https://{HOPS}/to-metadata",
        f"https://{HOPS}/refresh",
        "file:///etc/hostname",
        f"https://{PUBLIC}/after",
    ]
    landings = [
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://0x7f.1:6379/",
        f"https://{HOPS}/to-redis",
        f"https://{PUBLIC}/landing",
    ]
    with ReplicaServer(router=router) as server:
        origin = {"LUREWATCH_OFFLINE_ORIGIN": server.origin}
        yield probe(tmp_path_factory.mktemp("ssrf"), urls, landings, origin), router


def test_offline_no_private_host_reaches_the_replica(
    offline: tuple[Probe, RecordingRouter],
) -> None:
    _, router = offline
    assert router.hosts() == {PUBLIC, HOPS}  # not even their robots.txt


def test_offline_refusals_are_counted_and_the_crawl_goes_on(
    offline: tuple[Probe, RecordingRouter],
) -> None:
    result, _ = offline
    for url in (METADATA, f"{REDIS}info", "http://localhost:8089/", f"{REDIS}x"):
        assert result.item(url)["error"] == "IgnoreRequest"  # redirect to redis: refused too
    assert result.item("http://[::ffff:a9fe:a9fe]/latest/")["error"] == "IgnoreRequest"  # refresh
    assert result.item(f"https://{PUBLIC}/after")["status"] == 200
    assert result.stat("lurewatch/ssrf/refused") == 9  # 6 requests and redirects, 3 landings
    assert result.stat("lurewatch/ssrf/refused/link_local") == 4
    assert result.log.count("SSRF guard: 169.254.169.254 is link_local") == 1  # once per host


def test_no_local_file_is_ever_read(offline: tuple[Probe, RecordingRouter]) -> None:
    result, _ = offline
    assert result.item("file:///etc/hostname")["error"] == "NotSupported"  # no file: handler


def test_no_telnet_console_is_opened(offline: tuple[Probe, RecordingRouter]) -> None:
    result, _ = offline
    assert "Telnet Password" not in result.log
    assert "scrapy.extensions.telnet.TelnetConsole" not in result.log  # not among the extensions


def test_offline_landings_are_refused_and_others_fetched(
    offline: tuple[Probe, RecordingRouter],
) -> None:
    result, _ = offline
    landings = [i for i in result.items if i.get("landing")]
    assert {i["url"]: i.get("error", i.get("status")) for i in landings} == {
        "http://[::ffff:169.254.169.254]/latest/meta-data/": "IgnoreRequest",
        "http://0x7f.1:6379/": "IgnoreRequest",
        f"https://{HOPS}/to-redis": "IgnoreRequest",  # its redirect, to Redis
        f"https://{PUBLIC}/landing": 200,
    }


class _Counting(BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def internal_service() -> Iterator[tuple[int, list[str]]]:
    """A service on 127.0.0.1 (as Redis or a metadata endpoint would be): the paths it is asked."""
    seen: list[str] = []
    handler = type("Handler", (_Counting,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def _loopback_name() -> str:
    """This machine's name, which must resolve to a non-public address (fails, never skips: a
    machine whose name does not resolve locally cannot run the name-based SSRF check)."""
    name = socket.gethostname()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        pytest.fail(
            f"{name} does not resolve: the SSRF-by-name test needs the host name in /etc/hosts"
        )
    if not address.startswith(("127.", "10.", "192.168.", "172.")):
        pytest.fail(
            f"{name} resolves to {address}, not private: the SSRF-by-name test needs it local"
        )
    return name


def test_online_names_resolving_to_private_addresses_are_refused(
    internal_service: tuple[int, list[str]], tmp_path: Path
) -> None:
    port, seen = internal_service
    name = _loopback_name()
    urls = [SEED, f"http://127.0.0.1:{port}/literal", f"http://{name}:{port}/by-name"]
    landing = f"http://{name}:{port}/landing"
    result = probe(tmp_path, urls, [landing])
    assert seen == []
    assert {i["url"]: i.get("error") for i in result.items} == {
        SEED: None,
        urls[1]: "IgnoreRequest",
        urls[2]: "IgnoreRequest",
        landing: "IgnoreRequest",
    }
    assert result.stat("lurewatch/ssrf/refused/loopback") == 3


def test_online_allow_list_lets_an_internal_host_through(
    internal_service: tuple[int, list[str]], tmp_path: Path
) -> None:
    port, seen = internal_service
    name = _loopback_name()
    urls = [SEED, f"http://{name}:{port}/by-name"]
    settings = {"LUREWATCH_SSRF_ALLOW": "127.0.0.0/8"}
    result = probe(tmp_path, urls, [f"http://127.0.0.1:{port}/landing"], settings)
    assert set(seen) == {"/robots.txt", "/by-name", "/landing"}
    assert result.stat("lurewatch/ssrf/refused") == 0
