"""The cookie middleware judges cookie domains offline: no suffix-list download, no cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scrapy import Spider
from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.utils.test import get_crawler

from crawler.middlewares.cookies import CookiesMiddleware
from pipelines.urls import SUFFIX_EXTRACTOR

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter (no suffix list loaded yet) where any network use ends the process.
_SCRIPT = """
import socket
import requests

def refuse(*args, **kwargs):
    raise SystemExit(f"network used: {args!r}")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
requests.Session.request = refuse

from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

settings = Settings()
settings.setmodule("crawler.settings", priority="project")
settings.set("LUREWATCH_OFFLINE_ORIGIN", "http://127.0.0.1:9", priority="cmdline")
enabled = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
paths = [p for p, order in enabled.items() if order is not None and "ookies" in str(p)]
print(*paths)
crawler = get_crawler(Spider, {"LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:9"})
middleware = build_from_crawler(load_object(paths[0]), crawler)

def visit(url, *set_cookies):
    request = Request(url)
    middleware.process_request(request)
    sent = request.headers.get("Cookie", b"").decode()
    response = HtmlResponse(url, headers={"Set-Cookie": list(set_cookies)}, request=request)
    middleware.process_response(request, response)
    return sent or "-"

visit("https://www.example.com/", "a=b; Domain=.example.com; Path=/")
visit("https://films.blogspot.com/", "c=d; Domain=.blogspot.com; Path=/")  # a public suffix
print(visit("https://shop.example.com/"), visit("https://other.blogspot.com/"))
"""


def test_domain_cookies_need_no_network_and_write_nothing(tmp_path: Path) -> None:
    env = {
        "HOME": str(tmp_path),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["crawler.middlewares.cookies.CookiesMiddleware", "a=b", "-"]
    assert not list(tmp_path.rglob("*"))  # no ~/.cache/python-tldextract


def test_the_middleware_points_scrapy_at_the_bundled_list() -> None:
    crawler = get_crawler(Spider, {"COOKIES_ENABLED": True})
    middleware = CookiesMiddleware.from_crawler(crawler)
    assert isinstance(middleware, scrapy_cookies.CookiesMiddleware)
    assert scrapy_cookies._split_domain is SUFFIX_EXTRACTOR
    assert SUFFIX_EXTRACTOR.suffix_list_urls == ()
