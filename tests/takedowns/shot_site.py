"""A small site for the screenshot tests: posts on a fake platform host linking to lure landings,
one of which renders, and two that never finish loading (an endless script, a server that hangs).
Written for these tests; modelled on the credential-phishing landings of the replica."""

from __future__ import annotations

import time

from replica.http import Request, Response, html
from tests.rendering.site import ALL_METHODS, RecordingRouter

POSTS = "fakes.tumblr.com"
LURE = "https://secure-login.lure-portal.example/signin"
ENDLESS = "https://endless.lure-portal.example/watch"
HANGS = "https://hangs.lure-portal.example/watch"
HANG_SECONDS = 8.0  # longer than the render timeout the tests set

LANDING = """<!doctype html><html><head><title>Sign in to watch</title>
<style>body{margin:0;background:#1d3b72;font-family:sans-serif}
.box{margin:120px auto;width:420px;padding:32px;background:#fff;border-radius:8px}</style>
</head><body><div class="box"><h1>Sign in to keep watching</h1>
<form method="post" action="/collect"><input name="email" placeholder="Email">
<input name="password" type="password" placeholder="Password"><button>Continue</button></form>
</div><script>document.forms[0].submit();</script></body></html>"""
ENDLESS_PAGE = (
    "<html><body><p>loading the player</p><script>while (true) {}</script></body></html>"
)


def post_url(name: str) -> str:
    return f"https://{POSTS}/post/{name}"


def _post(*links: str) -> str:
    anchors = "".join(f'<a href="{link}">watch here</a>' for link in links)
    return f"<html><body><p>Watch the full movie free</p>{anchors}</body></html>"


def build_router(hang_seconds: float = HANG_SECONDS) -> RecordingRouter:
    """Posts ``lure``, ``same-lure`` (the same landing), ``stuck`` (both never-loading ones) and
    ``hangs`` (the hanging one alone)."""

    def _hang(_: Request) -> Response:
        time.sleep(hang_seconds)
        return html("<html><body>too late</body></html>")

    r = RecordingRouter()
    r.add(POSTS, "/post/lure", lambda _r: html(_post(LURE)))
    r.add(POSTS, "/post/same-lure", lambda _r: html(_post(LURE)))
    r.add(POSTS, "/post/stuck", lambda _r: html(_post(ENDLESS, HANGS)))
    r.add(POSTS, "/post/hangs", lambda _r: html(_post(HANGS)))
    r.add("secure-login.lure-portal.example", "/signin", lambda _r: html(LANDING))
    r.add("secure-login.lure-portal.example", "/collect", lambda _r: html("got it"), ALL_METHODS)
    r.add("endless.lure-portal.example", "/watch", lambda _r: html(ENDLESS_PAGE))
    r.add("hangs.lure-portal.example", "/watch", _hang)
    return r
