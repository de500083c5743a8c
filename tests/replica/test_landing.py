"""Landing, redirector and hostile pages served by the replica (plain HTTP with a ``Host``
header)."""

from __future__ import annotations

import http.client
import socket
import struct
import zlib
from urllib.parse import urlsplit

import pytest

from replica.app import build_router
from replica.dataset import Dataset, Landing
from replica.landing import HUGE_SIZE, INFLATED_SIZE
from replica.server import ReplicaServer


def _request(
    origin: str,
    url: str,
    method: str = "GET",
    read: bool = True,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    parts, server = urlsplit(url), urlsplit(origin)
    conn = http.client.HTTPConnection(server.hostname, server.port, timeout=10)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn.request(
        method,
        path,
        headers={
            "Host": parts.hostname or "",
            "X-Forwarded-Proto": parts.scheme,
            **(headers or {}),
        },
    )
    try:
        response = conn.getresponse()
        body = response.read() if read else b""
    finally:
        conn.close()  # status and headers stay readable on the response
    return response, body


def _first(dataset: Dataset, **match: object) -> Landing:
    return next(
        lnd
        for lnd in dataset.landings.values()
        if all(getattr(lnd, k) == v for k, v in match.items())
    )


def test_every_plain_landing_is_served(replica: ReplicaServer, dataset: Dataset) -> None:
    for url, landing in dataset.landings.items():
        if landing.hostile:
            continue
        response, body = _request(replica.origin, url)
        if landing.redirect_to:
            assert response.status in (301, 302), url
            assert response.getheader("Location") == landing.redirect_to
        else:
            assert response.status == landing.status == 200, url
            assert body.decode() == landing.html


def test_shorteners_answer_301(replica: ReplicaServer, dataset: Dataset) -> None:
    for service in ("bit.ly", "cutt.ly", "tinyurl.com", "is.gd"):
        landing = _first(dataset, variant=service)
        response, _ = _request(replica.origin, landing.url)
        assert response.status == 301
        assert response.getheader("Location") == landing.redirect_to


def test_meta_refresh_and_js_redirect_pages(replica: ReplicaServer, dataset: Dataset) -> None:
    meta = _first(dataset, variant="meta_refresh")
    response, body = _request(replica.origin, meta.url)
    assert response.status == 200 and f'content="0;url={meta.refresh_to}"'.encode() in body
    js = _first(dataset, variant="js_redirect")
    _, body = _request(replica.origin, js.url)
    assert f'window.location.href = "{js.script_to}"'.encode() in body


def test_needs_js_lure_hides_its_form_from_static_html(
    replica: ReplicaServer, dataset: Dataset
) -> None:
    landing = _first(dataset, variant="atob_form")
    _, body = _request(replica.origin, landing.url)
    assert b"atob(" in body and b"<form" not in body and b"password" not in body


def test_robots_allow_all_but_one_lure_host(replica: ReplicaServer, dataset: Dataset) -> None:
    _, body = _request(replica.origin, "https://bit.ly/robots.txt")
    assert body == b"User-agent: *\nAllow: /\n"
    blocked = _first(dataset, variant="robots_blocked")
    _, body = _request(replica.origin, f"https://{blocked.host}/robots.txt")
    assert body == b"User-agent: *\nDisallow: /\n"


def test_unknown_path_is_404_and_forms_post_back(replica: ReplicaServer, dataset: Dataset) -> None:
    lure = _first(dataset, variant="password_gate")
    response, _ = _request(replica.origin, f"https://{lure.host}/no-such-page")
    assert response.status == 404
    response, body = _request(replica.origin, f"https://{lure.host}/gate.php", method="POST")
    assert response.status == 200 and b"Verifying" in body


def test_redirect_loop(replica: ReplicaServer, dataset: Dataset) -> None:
    start = _first(dataset, hostile="redirect_loop")
    response, _ = _request(replica.origin, start.url)
    assert response.status == 302
    back, _ = _request(replica.origin, response.getheader("Location") or "")
    assert back.status == 302 and back.getheader("Location") == start.url


def test_gzip_bomb_is_small_on_the_wire_and_inflates_past_a_gigabyte(
    replica: ReplicaServer, dataset: Dataset
) -> None:
    bomb = _first(dataset, hostile="gzip_bomb")
    response, body = _request(replica.origin, bomb.url, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert len(body) < 2 * 1024 * 1024
    assert struct.unpack("<I", body[-4:])[0] == INFLATED_SIZE % 2**32 and INFLATED_SIZE > 10**9
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    first = inflater.decompress(body, 4 * 1024 * 1024)  # bounded: never inflate the whole bomb
    assert len(first) == 4 * 1024 * 1024 and not first.strip(b"\0") and not inflater.eof


def test_huge_page_announces_and_sends_20_mib(replica: ReplicaServer, dataset: Dataset) -> None:
    huge = _first(dataset, hostile="huge")
    response, body = _request(replica.origin, huge.url)
    assert int(response.getheader("Content-Length") or 0) == HUGE_SIZE
    assert len(body) == HUGE_SIZE and body.startswith(b"<!DOCTYPE html>")


def test_script_loop_and_download(replica: ReplicaServer, dataset: Dataset) -> None:
    _, body = _request(replica.origin, _first(dataset, hostile="script_loop").url)
    assert b"while(true){}" in body
    response, body = _request(replica.origin, _first(dataset, hostile="download").url)
    assert response.getheader("Content-Disposition", "").startswith("attachment;")
    assert '.exe"' in response.getheader("Content-Disposition", "")
    assert body.startswith(b"MZ")


@pytest.fixture()
def private_replica(dataset: Dataset) -> ReplicaServer:
    """A replica of its own, so a test can stop it."""
    return ReplicaServer(router=build_router(dataset=dataset)).start()


def test_drip_streams_until_the_server_stops(
    private_replica: ReplicaServer, dataset: Dataset
) -> None:
    drip = _first(dataset, hostile="drip")
    parts, server = urlsplit(drip.url), urlsplit(private_replica.origin)
    sock = socket.create_connection((server.hostname, server.port), timeout=10)
    sock.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}\r\n\r\n".encode())
    received = b""
    while received.count(b".") < 2:  # headers, the page head, then the drip itself
        chunk = sock.recv(4096)
        assert chunk, "the drip ended by itself"
        received += chunk
    assert b"200 OK" in received and b"Content-Length" not in received
    private_replica.stop()
    while chunk := sock.recv(4096):  # the server closes the connection instead of dripping on
        received += chunk
    sock.close()
