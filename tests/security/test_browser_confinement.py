"""Rendered pages reach no network of their own: no WebRTC, no private address, offline or not.

A hostile page tries what the issue found working: an ``RTCPeerConnection`` with STUN and TURN
servers of its choosing (here, sockets of this test on 127.0.0.1, so every packet is seen), in the
page, an iframe and a popup; and sub-requests, an iframe, a redirect and a navigation to private
addresses. None may leave: not a UDP packet, not a TCP connection, not a routed request.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from replica.http import Response, html
from replica.server import ReplicaServer
from tests.rendering._run import CrawlResult, crawl
from tests.rendering.site import RecordingRouter

pytestmark = [pytest.mark.browser, pytest.mark.crawl]

HOST = "www.hostile.example"
HOPS = "redirector.example"
SETTINGS = {
    # no page here hangs: a long bound costs nothing, and a loaded machine needs it (a 3 s
    # navigation timed out under load, and the page was never judged)
    "LUREWATCH_RENDER_TIMEOUT": 10,
    "LUREWATCH_RENDER_DEADLINE": 30,
    "LUREWATCH_RENDER_SETTLE": 4,  # the page's fetch() must leave it on a loaded machine
}

WEBRTC = """<html><body><p>webrtc page</p><script>
const servers = {iceServers: [{urls: 'stun:127.0.0.1:%(udp)d'},
  {urls: 'turn:127.0.0.1:%(tcp)d?transport=tcp', username: 'u', credential: 'p'}]};
window.tried = [];
function call(where, PC) {
  try {
    const pc = new PC(servers);
    pc.createDataChannel('leak');
    pc.createOffer().then((offer) => pc.setLocalDescription(offer));
    window.tried.push(where + ': connected');
  } catch (e) { window.tried.push(where + ': ' + e.name); }
}
call('page', window.RTCPeerConnection || window.webkitRTCPeerConnection);
const frame = document.createElement('iframe');
document.body.appendChild(frame);
call('iframe', frame.contentWindow.RTCPeerConnection);
const popup = window.open('');
call('popup', popup && popup.RTCPeerConnection);
const report = document.createElement('p');
report.textContent = window.tried.join('; ');
document.body.appendChild(report);
</script></body></html>"""

PRIVATE = f"""<html><body><p>private page</p>
<script src="http://127.0.0.1:6379/x.js"></script>
<iframe src="http://10.0.0.5/admin"></iframe>
<script>
fetch('http://169.254.169.254/latest/meta-data/').catch(() => {{}});
fetch('https://{HOPS}/to-redis').catch(() => {{}});
</script></body></html>"""


@dataclass
class Listeners:
    udp: socket.socket
    tcp: socket.socket

    def udp_packets(self) -> int:
        count = 0
        while True:
            try:
                self.udp.recvfrom(4096)
            except BlockingIOError:
                return count
            count += 1

    def tcp_connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.tcp.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture(scope="module")
def listeners() -> Iterator[Listeners]:
    """A STUN server's UDP port and a TURN server's TCP port: they only count what reaches them."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(16)
    tcp.setblocking(False)
    yield Listeners(udp, tcp)
    udp.close()
    tcp.close()


def _router(listeners: Listeners) -> RecordingRouter:
    ports = {"udp": listeners.udp.getsockname()[1], "tcp": listeners.tcp.getsockname()[1]}
    router = RecordingRouter()
    router.add(HOST, "/webrtc", lambda _r: html(WEBRTC % ports))
    router.add(HOST, "/private", lambda _r: html(PRIVATE))
    router.add(HOST, "/nav", lambda _r: Response(302, b"", [("Location", "http://192.168.1.1/")]))
    router.add(
        HOPS, "/to-redis", lambda _r: Response(302, b"", [("Location", "http://127.0.0.1:6379/")])
    )
    router.add(".*", ".*", lambda _r: html("<html><body>internal service</body></html>"))
    return router


@pytest.fixture(scope="module")
def rendered(
    listeners: Listeners, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CrawlResult, RecordingRouter]:
    router = _router(listeners)
    urls = [f"https://{HOST}/{path}" for path in ("webrtc", "private", "nav")]
    with ReplicaServer(router=router) as server:
        result = crawl(urls, server.origin, tmp_path_factory.mktemp("confine"), SETTINGS)
    return result, router


def test_webrtc_sends_no_packet_and_opens_no_connection(
    rendered: tuple[CrawlResult, RecordingRouter], listeners: Listeners
) -> None:
    result, _ = rendered
    page = result.item(f"https://{HOST}/webrtc")
    assert page["rendered"]
    # no RTCPeerConnection to call, in the page, its iframe or its popup (the page's own report)
    assert "page: TypeError; iframe: TypeError; popup: TypeError" in page["text"]
    assert listeners.udp_packets() == 0
    assert listeners.tcp_connections() == 0


def test_browser_requests_to_private_addresses_are_refused(
    rendered: tuple[CrawlResult, RecordingRouter],
) -> None:
    result, router = rendered
    assert router.hosts() == {HOST, HOPS}  # what reached the replica, by its real host
    assert "private page" in result.item(f"https://{HOST}/private")["text"]
    # script, iframe, fetch, the fetch's redirect hop and the navigation's redirect hop
    assert result.stat("lurewatch/render/aborted/ssrf") == 5
    assert result.stat("lurewatch/ssrf/refused") == 5
    assert result.item(f"https://{HOST}/nav")["error"] == "IgnoreRequest"
    assert result.stat("lurewatch/render/failed/ssrf") == 1
